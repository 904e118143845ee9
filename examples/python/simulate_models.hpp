#pragma once
// The Python module's runs of one neuron (not part of the library): one translation unit per
// model instantiates `iaf::simulate` for every current type, integrator and spike timing.
#include <iaf/iaf.hpp>

#include "current_tree.hpp"
#include "dispatch.hpp"

namespace iaf_python {

/// iaf::simulate with the method named in `spec`; throws `invalid_parameter` for a bad name or pair.
[[nodiscard]] iaf::simulation_result simulate(const iaf::lif& model, const runnable_current& current, const run_spec& spec);
[[nodiscard]] iaf::simulation_result simulate(const iaf::lif_psc_exp& model, const runnable_current& current,
                                              const run_spec& spec);

/// The body both translation units share.
template <typename M>
iaf::simulation_result simulate_model(const M& model, const runnable_current& current, const run_spec& spec) {
    constexpr const char* who = "iaf.simulate";
    iaf::simulation_result result;
    const iaf::simulation_options options{
        .dt = spec.dt, .t_end = spec.t_end, .t_start = spec.t_start, .record_every = spec.record_every};
    std::visit(
        [&](const auto& c) {
            using C = std::decay_t<decltype(c)>;
            with_method<M, C>(who, spec, [&](auto integrator, auto timing) {
                result = iaf::simulate(model, c, integrator, timing, options);
            });
        },
        current);
    return result;
}

}  // namespace iaf_python
