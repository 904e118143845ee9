#pragma once
/// \file
/// Run one neuron over a time span and collect its spikes and, optionally, its membrane trace.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <utility>
#include <vector>

#include "concepts.hpp"
#include "detail/time_grid.hpp"
#include "errors.hpp"
#include "neuron.hpp"
#include "spike_timing/grid.hpp"

namespace iaf {

namespace detail {

/// `count` steps of `n`, on a copy that lives only here. `simulate` records through a lambda
/// that holds the neuron by reference; when GCC does not inline it, the neuron's address
/// escapes and its state stays in memory across every step. The copy's address never escapes,
/// so its state stays in registers: a spikes-only run whose record_every is known only at run
/// time (from Python, from a configuration file) was 2.4 times slower without it (GCC 12).
/// Short runs (a trace every few steps) step `n` itself: the copy costs more than it saves there.
/// `flatten`: in a translation unit that instantiates many runs (the Python module's), GCC
/// otherwise stops inlining the step into this loop, the copy's address escapes into the call,
/// and the run is 2.2 times slower again.
template <typename Neuron, typename OnSpike>
[[gnu::flatten]] void step_many(Neuron& n, std::int64_t count, OnSpike& on_spike) {
    constexpr bool can_hand_back = std::is_move_assignable_v<Neuron> || std::is_nothrow_move_constructible_v<Neuron>;
    if (!can_hand_back || count < 64) {
        for (std::int64_t k = 0; k < count; ++k) n.step(on_spike);
        return;
    }
    Neuron local = n;
    for (std::int64_t k = 0; k < count; ++k) local.step(on_spike);
    if constexpr (std::is_move_assignable_v<Neuron>) {
        n = std::move(local);
    } else if constexpr (std::is_nothrow_move_constructible_v<Neuron>) {
        // A current that is a lambda with captures makes the neuron unassignable: rebuild n.
        std::destroy_at(&n);
        std::construct_at(&n, std::move(local));
    }
}

}  // namespace detail

/// What `simulate` runs: the grid and what to record.
struct simulation_options {
    double dt = 0.1;                 ///< grid step [ms], > 0
    double t_end = 100.0;            ///< end of the run [ms], >= t_start
    double t_start = 0.0;            ///< start of the run [ms]
    std::int64_t record_every = 0;   ///< record V every this many steps (and at t_start); 0: no trace
};

/// The most trace samples `simulate` records: 1e9 samples, 16 GB (a time and a voltage each).
inline constexpr std::int64_t max_trace_samples = 1'000'000'000;

/// What `simulate` returns.
struct simulation_result {
    std::vector<double> spike_times;  ///< [ms], increasing
    std::vector<double> time;         ///< trace sample times [ms] (empty without a trace)
    std::vector<double> voltage;      ///< membrane potential at those times [mV]
};

/// Simulates `model` driven by `current` from t_start to t_end on a grid of step dt.
///
/// The spikes-only run allocates only when a spike is appended. With a trace, it records
/// steps / record_every + 1 samples of 16 bytes (a time and a voltage), steps being
/// ceil((t_end - t_start) / dt), reserved up front. Throws `invalid_parameter` for an invalid
/// grid, a trace of more than `max_trace_samples` samples (before allocating anything), or an
/// invalid model or current (`validate_current`: a current's fields assigned after it was built
/// are checked here).
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
    const std::int64_t samples = options.record_every > 0 ? steps / options.record_every + 1 : 0;
    if (samples > max_trace_samples)
        detail::fail_parameter(who, "t_end", options.t_end,
                               detail::message("must give at most 1e9 trace samples (max_trace_samples), not ", samples,
                                               " with dt = ", options.dt, ", t_start = ", options.t_start,
                                               ", record_every = ", options.record_every, "; raise record_every"));

    neuron n{model, current, integrator, timing, options.dt, options.t_start};
    simulation_result result;
    const auto record = [&] {
        result.time.push_back(n.time());
        result.voltage.push_back(n.voltage());
    };
    if (options.record_every > 0) {
        result.time.reserve(static_cast<std::size_t>(samples));
        result.voltage.reserve(static_cast<std::size_t>(samples));
        record();
    }
    // The last step may end after t_end (t_end - t_start is not always a whole number of steps):
    // a spike inside it but after t_end is outside the run.
    const auto on_spike = [&](double t) {
        if (t <= options.t_end) result.spike_times.push_back(t);
    };
    const std::int64_t every = options.record_every;
    for (std::int64_t k = 0; k < steps;) {
        const std::int64_t stop = every > 0 ? std::min(steps, k + every) : steps;
        detail::step_many(n, stop - k, on_spike);
        k = stop;
        if (every > 0 && k % every == 0) record();
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
