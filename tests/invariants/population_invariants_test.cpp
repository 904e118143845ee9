// Randomized populations: N neurons with random heterogeneous (or, for lif, shared) parameters,
// random per-step input currents and random synaptic events, against N iaf::neurons given the
// same inputs. population.hpp promises the same spikes "bit for bit" as N neurons with the same
// inputs (its input held over the step = an iaf::constant set before each step; events where the
// population lands them, at the step's start under `grid`); states and refractoriness are compared
// bit for bit after every step as well, since a difference in V is erased by the next reset.
#include "invariant_cases.hpp"

namespace inv = iaf_invariants;

namespace {

bool same_bits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }
bool same_bits(const Eigen::Vector2d& a, const Eigen::Vector2d& b) { return same_bits(a[0], b[0]) && same_bits(a[1], b[1]); }
std::string show(double x) { return inv::num(x); }
std::string show(const Eigen::Vector2d& x) { return inv::cat("(", x[0], ", ", x[1], ")"); }

struct population_report {
    std::size_t cases = 0, neurons = 0, spikes = 0, events = 0, failed = 0;
};

/// One random population case of model M under integrator I and policy P.
template <typename M, typename I, typename P>
std::string population_case(std::uint64_t seed, inv::model_kind kind, population_report& report) {
    using neuron_type = iaf::neuron<M, iaf::constant, I, P>;
    using event_type = typename neuron_type::event_type;
    using port = typename M::port;
    std::mt19937_64 rng(seed);
    const inv::draw_options o{.model = kind, .methods = {inv::method::exact_analytic}, .currents = {inv::drive::constant},
                              .max_dt_over_tau = 0.5, .max_steps = 400};
    const inv::neuron_case grid = inv::draw_case(rng(), o);
    const std::size_t n = 1 + inv::pick(rng, 24);
    // Shared parameters (lif only: its lane path) or one draw per neuron, on the first draw's grid.
    const bool shared = std::is_same_v<M, iaf::lif> && inv::chance(rng, 0.4);
    std::vector<inv::neuron_case> cases;
    for (std::size_t i = 0; i < n; ++i) {
        inv::neuron_case c = shared || i == 0 ? grid : inv::draw_case(rng(), o);
        c.dt = grid.dt, c.t_start = grid.t_start, c.t_end = grid.t_end;
        c.tau_m = std::max(c.tau_m, 2.0 * c.dt);
        c.tau_syn = std::max(c.tau_syn, 2.0 * c.dt);
        cases.push_back(c);
    }
    const std::string what = inv::cat("population case seed ", seed, " (replay: IAF_INVARIANTS_SEED=", seed, "): ", n,
                                      " neurons, ", shared ? "shared" : "per-neuron", " parameters, dt = ", grid.dt,
                                      ", t_start = ", grid.t_start, "; neuron 0: ", cases[0].describe());
    try {
        std::vector<M> models;
        for (const auto& c : cases) models.push_back(inv::make_model<M>(c));
        auto pop = shared ? iaf::population<M, I, P>(models[0], n, I{}, P{}, grid.dt, grid.t_start)
                          : iaf::population<M, I, P>(models, I{}, P{}, grid.dt, grid.t_start);
        std::vector<neuron_type> neurons;
        for (std::size_t i = 0; i < n; ++i)
            neurons.emplace_back(models[i], iaf::constant{0.0}, I{}, P{}, grid.dt, grid.t_start);
        // Each neuron's mean drive, around its rheobase; each step adds noise of a third of it.
        std::vector<double> mean(n), rheobase(n);
        for (std::size_t i = 0; i < n; ++i) {
            rheobase[i] = (cases[i].v_th - cases[i].e_l) * cases[i].c_m / cases[i].tau_m;
            mean[i] = rheobase[i] * inv::uniform(rng, 0.3, 2.5);
        }
        std::vector<double> input(n);
        std::vector<std::vector<event_type>> batches(n);
        std::vector<std::vector<iaf::grid_time>> got(n), expected(n);
        const std::int64_t steps = inv::steps_of(grid);
        for (std::int64_t k = 0; k < steps; ++k) {
            for (std::size_t i = 0; i < n; ++i) {
                input[i] = mean[i] + rheobase[i] * inv::uniform(rng, -0.33, 0.33);
                if (inv::chance(rng, 0.15)) {
                    const int count = 1 + static_cast<int>(inv::pick(rng, 2));
                    for (int e = 0; e < count; ++e) {
                        const double u = inv::uniform(rng);
                        const double offset = u < 0.05 ? 0.0
                                              : u < 0.1 ? std::nextafter(grid.dt, 0.0)
                                                        : std::min(grid.dt * inv::uniform(rng), std::nextafter(grid.dt, 0.0));
                        port where = port::v;
                        double weight = (cases[i].v_th - cases[i].e_l) * inv::uniform(rng, -0.3, 0.5);
                        if constexpr (std::is_same_v<M, iaf::lif_psc_exp>) {
                            if (inv::chance(rng, 0.6)) where = port::i_syn, weight = rheobase[i] * inv::uniform(rng, -2.0, 4.0);
                        }
                        pop.deliver(i, where, offset, weight);
                        batches[i].push_back(event_type{P::on_grid ? 0.0 : offset, where, weight});
                        ++report.events;
                    }
                }
            }
            pop.step(input, [&](std::size_t i, iaf::grid_time t) { got.at(i).push_back(t); });
            for (std::size_t i = 0; i < n; ++i) {
                auto& events = batches[i];
                std::stable_sort(events.begin(), events.end(),
                                 [](const event_type& a, const event_type& b) { return a.offset < b.offset; });
                neurons[i].set_current(iaf::constant{input[i]});
                neurons[i].step(events, [&](iaf::grid_time t) { expected[i].push_back(t); });
                events.clear();
            }
            const auto states = pop.states();
            for (std::size_t i = 0; i < n; ++i) {
                if (got[i].size() != expected[i].size())
                    return inv::cat(what, "\n  VIOLATION: after step ", k, ", neuron ", i, " has ", got[i].size(),
                                    " spikes in the population, ", expected[i].size(), " as a neuron");
                for (std::size_t s = 0; s < got[i].size(); ++s)
                    if (got[i][s].step != expected[i][s].step || !same_bits(got[i][s].offset, expected[i][s].offset))
                        return inv::cat(what, "\n  VIOLATION: neuron ", i, ", spike ", s, ": (step ", got[i][s].step,
                                        ", offset ", got[i][s].offset, ") in the population, (step ",
                                        expected[i][s].step, ", offset ", expected[i][s].offset, ") as a neuron");
                if (!same_bits(states[i], neurons[i].state()))
                    return inv::cat(what, "\n  VIOLATION: after step ", k, ", neuron ", i, ": state ", show(states[i]),
                                    " in the population, ", show(neurons[i].state()), " as a neuron");
                if (pop.refractory(i) != neurons[i].refractory())
                    return inv::cat(what, "\n  VIOLATION: after step ", k, ", neuron ", i, ": refractory ",
                                    pop.refractory(i), " in the population, ", neurons[i].refractory(), " as a neuron");
            }
        }
        for (const auto& g : got) report.spikes += g.size();
    } catch (const std::exception& e) {
        return inv::cat(what, "\n  VIOLATION: threw for a valid input: ", e.what());
    }
    report.neurons += n;
    return {};
}

template <typename M, typename I, typename P>
void population_family(std::uint64_t base, std::size_t count, inv::model_kind kind, population_report& report) {
    for (std::size_t c = 0; c < count; ++c) {
        const std::uint64_t seed = base + c;
        if (!inv::selected(seed)) continue;
        ++report.cases;
        const std::string problem = population_case<M, I, P>(seed, kind, report);
        if (!problem.empty() && ++report.failed <= 6) FAIL_CHECK(problem);
    }
}

// Unoptimised (the ASan + UBSan Debug build), Eigen's 2-vectors are about 60 times slower.
#ifdef NDEBUG
constexpr std::size_t psc_exp_cases = 40;
#else
constexpr std::size_t psc_exp_cases = 10;
#endif

}  // namespace

TEST_CASE("invariants: 240 random lif populations equal N neurons with the same inputs, bit for bit") {
    population_report r;
    population_family<iaf::lif, iaf::exact, iaf::grid>(0x41000000, 40, inv::model_kind::lif, r);
    population_family<iaf::lif, iaf::exact, iaf::analytic>(0x42000000, 40, inv::model_kind::lif, r);
    population_family<iaf::lif, iaf::rk4, iaf::hermite>(0x43000000, 40, inv::model_kind::lif, r);
    population_family<iaf::lif, iaf::euler, iaf::linear>(0x44000000, 40, inv::model_kind::lif, r);
    population_family<iaf::lif, iaf::heun, iaf::grid>(0x45000000, 40, inv::model_kind::lif, r);
    population_family<iaf::lif, iaf::dopri5, iaf::analytic>(0x46000000, 40, inv::model_kind::lif, r);
    MESSAGE("lif populations: " << r.cases << " cases, " << r.neurons << " neurons, " << r.spikes << " spikes, "
                                << r.events << " events, " << r.failed << " failed");
    CHECK(r.failed == 0);
}

TEST_CASE("invariants: 120 (30 in Debug) random lif_psc_exp populations equal N neurons with the same inputs, bit for bit") {
    population_report r;
    population_family<iaf::lif_psc_exp, iaf::exact, iaf::analytic>(0x51000000, psc_exp_cases, inv::model_kind::lif_psc_exp, r);
    population_family<iaf::lif_psc_exp, iaf::exact, iaf::grid>(0x52000000, psc_exp_cases, inv::model_kind::lif_psc_exp, r);
    population_family<iaf::lif_psc_exp, iaf::rk4, iaf::hermite>(0x53000000, psc_exp_cases, inv::model_kind::lif_psc_exp, r);
    MESSAGE("lif_psc_exp populations: " << r.cases << " cases, " << r.neurons << " neurons, " << r.spikes << " spikes, "
                                        << r.events << " events, " << r.failed << " failed");
    CHECK(r.failed == 0);
}
