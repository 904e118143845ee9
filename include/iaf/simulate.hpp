#pragma once
/// \file
/// Run one neuron over a time span and collect its spikes and, optionally, its membrane trace.

#include <cstdint>
#include <vector>

#include "concepts.hpp"
#include "detail/time_grid.hpp"
#include "errors.hpp"
#include "neuron.hpp"
#include "spike_timing/grid.hpp"

namespace iaf {

/// What `simulate` runs: the grid and what to record.
struct simulation_options {
    double dt = 0.1;                 ///< grid step [ms], > 0
    double t_end = 100.0;            ///< end of the run [ms], >= t_start
    double t_start = 0.0;            ///< start of the run [ms]
    std::int64_t record_every = 0;   ///< record V every this many steps (and at t_start); 0: no trace
};

/// What `simulate` returns.
struct simulation_result {
    std::vector<double> spike_times;  ///< [ms], increasing
    std::vector<double> time;         ///< trace sample times [ms] (empty without a trace)
    std::vector<double> voltage;      ///< membrane potential at those times [mV]
};

/// Simulates `model` driven by `current` from t_start to t_end on a grid of step dt.
///
/// The spikes-only run allocates only when a spike is appended; the trace is reserved up front.
/// Example:
///     auto r = iaf::simulate(iaf::lif{{.r_m = 6.4, .c_m = 0.9, .v_th = 5, .v_reset = 0.4, .v_init = 0.4}},
///                            [](double) { return 0.8; }, iaf::euler{}, {.dt = 0.01, .t_end = 100});
template <typename M, typename C, typename I, typename P>
[[nodiscard]] simulation_result simulate(const M& model, const C& current, const I& integrator,
                                         const P& timing, const simulation_options& options) {
    constexpr const char* who = "iaf::simulate";
    const std::int64_t steps = detail::step_count(who, options.t_start, options.t_end, options.dt);
    if (options.record_every < 0)
        detail::fail_parameter(who, "record_every", static_cast<double>(options.record_every), "must be >= 0");

    neuron n{model, current, integrator, timing, options.dt, options.t_start};
    simulation_result result;
    const auto record = [&] {
        result.time.push_back(n.time());
        result.voltage.push_back(n.voltage());
    };
    if (options.record_every > 0) {
        const auto samples = static_cast<std::size_t>(steps / options.record_every + 1);
        result.time.reserve(samples);
        result.voltage.reserve(samples);
        record();
    }
    // The last step may end after t_end (t_end - t_start is not always a whole number of steps):
    // a spike inside it but after t_end is outside the run.
    const auto on_spike = [&](double t) {
        if (t <= options.t_end) result.spike_times.push_back(t);
    };
    for (std::int64_t k = 1; k <= steps; ++k) {
        n.step(on_spike);
        if (options.record_every > 0 && k % options.record_every == 0) record();
    }
    return result;
}

/// As above, with spikes on the grid (`iaf::grid`), as the teaching notebook does.
template <typename M, typename C, typename I>
[[nodiscard]] simulation_result simulate(const M& model, const C& current, const I& integrator,
                                         const simulation_options& options) {
    return simulate(model, current, integrator, grid{}, options);
}

}  // namespace iaf
