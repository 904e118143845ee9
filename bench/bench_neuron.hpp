#pragma once
// What the benchmarks share: one LIF neuron, its inputs, and a loop that steps it. Not API.
//
// Every benchmark steps the same neuron (tau_m = 10 ms, C = 0.25 nF so R = 40 MOhm, threshold
// 15 mV above rest, reset to rest, no refractory period so that every grid step integrates) on the
// same grid (dt = 0.1 ms) with one of two inputs: a constant 1 nA (V_inf = 40 mV, a spike every
// ~4.7 ms) and 0.6 + 0.5 sin(2 pi t / 50 ms) nA (fires in bursts on each upswing).
#include <cmath>
#include <cstdint>
#include <numbers>
#include <utility>  // std::as_const, std::move

#include <benchmark/benchmark.h>
#include <iaf/models/lif.hpp>
#include <iaf/neuron.hpp>

namespace bench {

inline constexpr double tau_m = 10.0;   // ms
inline constexpr double c_m = 0.25;     // nF
inline constexpr double r_m = tau_m / c_m;  // MOhm
inline constexpr double e_l = 0.0;      // mV
inline constexpr double v_th = 15.0;    // mV
inline constexpr double v_reset = 0.0;  // mV
inline constexpr double dt = 0.1;       // ms

/// `x`, read through a volatile so the optimiser cannot treat it as a constant. Everything that a
/// host would know only at run time (parameters, dt, the input level) goes through it on both
/// sides of a comparison: with compile-time constants GCC folds, e.g., a whole RK4 step of the
/// constant-input LIF into one multiply-add (v <- R(h lambda) v + c), which no host would see.
/// (A volatile, not DoNotOptimize: GCC 12 miscompiles benchmark 1.7's DoNotOptimize on a
/// non-const lvalue, "+m,r", so the loops here only pass it const values.)
inline double opaque(double x) {
    volatile double hidden = x;
    return hidden;
}

/// The parameters as a hand-written loop reads them: at run time, as the neuron reads its model.
struct runtime_parameters {
    double dt = opaque(bench::dt);
    double r_m = opaque(bench::r_m);
    double inv_r_m = 1.0 / r_m;
    double inv_c_m = 1.0 / opaque(c_m);
    double e_l = opaque(bench::e_l);
    double v_th = opaque(bench::v_th);
    double v_reset = opaque(bench::v_reset);
    double growth = -std::expm1(-dt / opaque(tau_m));
};

/// The benchmarks' LIF, its parameters read at run time.
inline iaf::lif make_model() {
    return iaf::lif{{.tau_m = opaque(tau_m), .c_m = opaque(c_m), .e_l = opaque(e_l), .v_th = opaque(v_th),
                     .v_reset = opaque(v_reset)}};
}

/// Constant input, 1 nA (read at run time).
struct constant_input {
    double value = opaque(1.0);
    double operator()(double) const noexcept { return value; }
};

/// Sine input, 0.6 + 0.5 sin(2 pi t / 50 ms) nA: a std::sin per evaluation.
struct sine_input {
    double operator()(double t) const noexcept { return 0.6 + 0.5 * std::sin(2.0 * std::numbers::pi / 50.0 * t); }
};

/// Ends a run: keeps the final state alive, counts items as grid steps, and adds the spike-rate
/// counter that lets a reader check that compared loops did the same work.
inline void report(benchmark::State& state, std::int64_t spikes, double final_state) {
    benchmark::DoNotOptimize(std::as_const(final_state));
    state.SetItemsProcessed(state.iterations());
    state.counters["spikes/kstep"] =
        benchmark::Counter(1000.0 * static_cast<double>(spikes) / static_cast<double>(state.iterations()));
}

/// The baseline of the exact + grid pairs: a hand-written loop doing exactly the neuron's work
/// (the current at the step's midpoint, V += (V_inf - V)(1 - e^{-dt/tau}), the threshold test and
/// reset, a spike count the optimiser must produce), with the parameters read at run time.
template <typename Current>
void hand_exact_loop(benchmark::State& state, Current current) {
    const runtime_parameters p;
    const double half = 0.5 * p.dt;
    double v = p.e_l;
    std::int64_t k = 0, spikes = 0;
    for (auto _ : state) {
        const double t = static_cast<double>(k) * p.dt;
        const double v_inf = p.e_l + p.r_m * current(t + half);
        v += (v_inf - v) * p.growth;
        int s = 0;
        if (v >= p.v_th) {
            v = p.v_reset;
            s = 1;
        }
        spikes += s;
        benchmark::DoNotOptimize(std::as_const(spikes));
        ++k;
    }
    report(state, spikes, v);
}

/// Builds the neuron from its parts and steps it once per benchmark iteration; items = steps,
/// plus a spike-rate counter that lets a reader check that compared loops did the same work.
///
/// The neuron is a local of this function, as in a host's own loop: passed in by reference, its
/// state would be reloaded from memory after every DoNotOptimize (which clobbers memory), a cost
/// the hand-written baselines, whose state stays in registers, would not pay.
template <typename Model, typename Current, typename Integrator, typename Timing>
void run_neuron(benchmark::State& state, Model model, Current current, Integrator integrator, Timing timing) {
    iaf::neuron n{std::move(model), std::move(current), std::move(integrator), std::move(timing), opaque(dt)};
    std::int64_t spikes = 0;
    for (auto _ : state) {
        spikes += n.step();
        benchmark::DoNotOptimize(std::as_const(spikes));
    }
    report(state, spikes, n.voltage());
}

/// The same for the benchmarks' LIF (`make_model`).
template <typename Current, typename Integrator, typename Timing>
void run_neuron(benchmark::State& state, Current current, Integrator integrator, Timing timing) {
    run_neuron(state, make_model(), std::move(current), std::move(integrator), std::move(timing));
}

}  // namespace bench
