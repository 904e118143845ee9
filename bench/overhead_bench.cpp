// Question: what does composing a neuron from parts cost per step, compared with a hand-written
// loop of the same math in the same binary? And what does a type-erased current cost?
//
// Pairs (read the ratio, not the absolute numbers):
//   hand_exact_loop/constant  vs  iaf_exact_grid/constant   (goal: iaf within 1.2x)
//   hand_exact_loop/sine      vs  iaf_exact_grid/sine
//   hand_rk4_loop/sine        vs  iaf_rk4_grid/sine
//   iaf_rk4_grid/sine         vs  iaf_rk4_grid/sine_std_function
// The hand loops do the neuron's work exactly: the same current evaluated at the same times, the
// same propagator (exact: the input at the step's midpoint, V += (V_inf - V)(1 - e^{-dt/tau})),
// the same threshold test and reset, and a per-step spike count the optimiser must produce. They
// read the parameters at run time (bench::runtime_parameters), as the neuron does.
#include <functional>

#include <iaf/integrators/exact.hpp>
#include <iaf/integrators/rk4.hpp>
#include <iaf/spike_timing/grid.hpp>

#include "bench_neuron.hpp"

namespace {

using bench::hand_exact_loop;  // the baseline, shared with single_neuron_bench

template <typename Current>
void hand_rk4_loop(benchmark::State& state, Current current) {
    const bench::runtime_parameters p;
    const double h = p.dt, half = 0.5 * h;
    const auto f = [&](double t, double v) { return (current(t) - (v - p.e_l) * p.inv_r_m) * p.inv_c_m; };
    double v = p.e_l;
    std::int64_t k = 0, spikes = 0;
    for (auto _ : state) {
        const double t = static_cast<double>(k) * h;
        const double k1 = f(t, v);
        const double k2 = f(t + half, v + half * k1);
        const double k3 = f(t + half, v + half * k2);
        const double k4 = f(t + h, v + h * k3);
        v += (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
        int s = 0;
        if (v >= p.v_th) {
            v = p.v_reset;
            s = 1;
        }
        spikes += s;
        benchmark::DoNotOptimize(std::as_const(spikes));
        ++k;
    }
    bench::report(state, spikes, v);
}

template <typename Integrator, typename Current>
void iaf_grid(benchmark::State& state, Integrator integrator, Current current) {
    bench::run_neuron(state, current, integrator, iaf::grid{});
}

BENCHMARK_CAPTURE(hand_exact_loop, constant, bench::constant_input{});
BENCHMARK_CAPTURE(iaf_grid, exact_constant, iaf::exact{}, bench::constant_input{});
BENCHMARK_CAPTURE(hand_exact_loop, sine, bench::sine_input{});
BENCHMARK_CAPTURE(iaf_grid, exact_sine, iaf::exact{}, bench::sine_input{});
BENCHMARK_CAPTURE(hand_rk4_loop, sine, bench::sine_input{});
BENCHMARK_CAPTURE(iaf_grid, rk4_sine, iaf::rk4{}, bench::sine_input{});
BENCHMARK_CAPTURE(iaf_grid, rk4_sine_std_function, iaf::rk4{},
                  std::function<double(double)>{bench::sine_input{}});

}  // namespace

BENCHMARK_MAIN();
