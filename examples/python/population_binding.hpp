#pragma once
// The Python module's population (not part of the library): `iaf::population` behind one
// interface, so that Python picks model, integrator and spike timing at run time.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include <iaf/iaf.hpp>

#include "dispatch.hpp"

namespace iaf_python {

/// The spikes of one step: neuron indices and offsets inside the step [ms].
struct step_spikes {
    std::vector<std::int64_t> index;
    std::vector<double> offset;
};

/// One `iaf::population<M, I, P>`, whatever M, I and P are.
class population_handle {
public:
    virtual ~population_handle() = default;
    [[nodiscard]] virtual std::size_t size() const = 0;
    [[nodiscard]] virtual double dt() const = 0;
    [[nodiscard]] virtual double time() const = 0;
    [[nodiscard]] virtual std::int64_t steps() const = 0;
    /// Names of the state components, in the order `states` writes them.
    [[nodiscard]] virtual std::vector<std::string> components() const = 0;
    /// Every neuron's state, neuron by neuron (size() * components().size() values).
    [[nodiscard]] virtual std::vector<double> states() const = 0;
    /// Every neuron's membrane potential [mV].
    [[nodiscard]] virtual std::vector<double> voltages() const = 0;
    /// One step with per-neuron input `input` (size() currents [nA]).
    virtual step_spikes step(const double* input) = 0;
    /// A synaptic event for the next step (see `iaf::population::deliver`); `port` by name.
    virtual void deliver(std::size_t index, const std::string& port, double offset, double weight) = 0;
};

using model_choice = std::variant<iaf::lif, iaf::lif_psc_exp>;

/// A population of `size` neurons of `model` with the method named in `spec` (its dt, t_start).
[[nodiscard]] std::unique_ptr<population_handle> make_population(const model_choice& model, std::size_t size,
                                                                 const run_spec& spec);

}  // namespace iaf_python
