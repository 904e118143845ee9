// The Python module's populations: iaf::population for every model x integrator x spike timing
// the library accepts.
#include "population_binding.hpp"

#include <stdexcept>

namespace iaf_python {

namespace {

template <typename M>
struct model_ports;

template <>
struct model_ports<iaf::lif> {
    static constexpr const char* names = "v";
    static std::vector<std::string> components() { return {"v"}; }
    static iaf::lif_port parse(const std::string& name) {
        if (name == "v") return iaf::lif_port::v;
        fail_name("iaf.population.deliver", "port", name, names);
    }
};

template <>
struct model_ports<iaf::lif_psc_exp> {
    static constexpr const char* names = "i_syn, v";
    static std::vector<std::string> components() { return {"v", "i_syn"}; }
    static iaf::lif_psc_exp_port parse(const std::string& name) {
        if (name == "i_syn") return iaf::lif_psc_exp_port::i_syn;
        if (name == "v") return iaf::lif_psc_exp_port::v;
        fail_name("iaf.population.deliver", "port", name, names);
    }
};

template <typename M, typename I, typename P>
class population_of final : public population_handle {
public:
    population_of(M model, std::size_t size, I integrator, P timing, double dt, double t_start)
        : p_(std::move(model), size, std::move(integrator), std::move(timing), dt, t_start) {}

    std::size_t size() const override { return p_.size(); }
    double dt() const override { return p_.dt(); }
    double time() const override { return p_.time(); }
    std::int64_t steps() const override { return p_.steps(); }
    std::vector<std::string> components() const override { return model_ports<M>::components(); }

    std::vector<double> states() const override {
        std::vector<double> out;
        for (const auto& x : p_.states()) {
            if constexpr (std::is_floating_point_v<std::decay_t<decltype(x)>>) out.push_back(x);
            else
                for (Eigen::Index c = 0; c < x.size(); ++c) out.push_back(x[c]);
        }
        return out;
    }
    std::vector<double> voltages() const override {
        std::vector<double> out(p_.size());
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = p_.voltage(i);
        return out;
    }
    step_spikes step(const double* input) override {
        step_spikes s;
        p_.step(std::span<const double>(input, p_.size()), [&](std::size_t i, iaf::grid_time t) {
            s.index.push_back(static_cast<std::int64_t>(i));
            s.offset.push_back(t.offset);
        });
        return s;
    }
    void deliver(std::size_t index, const std::string& port, double offset, double weight) override {
        if (index >= p_.size())
            iaf::detail::fail_parameter("iaf.population.deliver", "index", static_cast<double>(index),
                                        "must be < size = " + std::to_string(p_.size()));
        p_.deliver(index, model_ports<M>::parse(port), offset, weight);
    }

private:
    iaf::population<M, I, P> p_;
};

}  // namespace

std::unique_ptr<population_handle> make_population(const model_choice& model, std::size_t size, const run_spec& spec) {
    constexpr const char* who = "iaf.population";
    std::unique_ptr<population_handle> out;
    std::visit(
        [&](const auto& m) {
            using M = std::decay_t<decltype(m)>;
            with_method<M, iaf::constant>(who, spec, [&](auto integrator, auto timing) {
                out = std::make_unique<population_of<M, decltype(integrator), decltype(timing)>>(
                    m, size, integrator, timing, spec.dt, spec.t_start);
            });
        },
        model);
    return out;
}

}  // namespace iaf_python
