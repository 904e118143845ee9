// Question: what does one grid step of a single LIF neuron cost for every integrator x
// spike-timing policy, with constant and with sine input?
//
// Names read integrator/timing/input; input iaf_sine is the sine input as iaf::sine, which exact
// integrates in closed form. Baseline in the same binary: hand_exact_loop, a hand-written
// loop of exact + grid's math (see overhead_bench.cpp for the pairs). Interpolating policies cost
// extra only on steps with a crossing (about 1 in 47 steps here), so their rows differ from grid
// by the per-spike work: linear one division, hermite two derivatives and a root finder, analytic
// a root finder that re-steps the exact propagator (exact) or reads the dense output (dopri5).
#include <string>

#include <iaf/currents/sine.hpp>
#include <iaf/integrators/dopri5.hpp>
#include <iaf/integrators/euler.hpp>
#include <iaf/integrators/exact.hpp>
#include <iaf/integrators/heun.hpp>
#include <iaf/integrators/rk4.hpp>
#include <iaf/spike_timing.hpp>

#include "bench_neuron.hpp"

namespace {

void hand_exact_loop(benchmark::State& state) {
    const bench::runtime_parameters p;
    const double v_inf = p.e_l + p.r_m * bench::constant_input{}(0.0);
    double v = p.e_l;
    std::int64_t spikes = 0;
    for (auto _ : state) {
        v += (v_inf - v) * p.growth;
        int s = 0;
        if (v >= p.v_th) {
            v = p.v_reset;
            s = 1;
        }
        spikes += s;
        benchmark::DoNotOptimize(std::as_const(spikes));
    }
    benchmark::DoNotOptimize(std::as_const(v));
    state.SetItemsProcessed(state.iterations());
    state.counters["spikes/kstep"] =
        benchmark::Counter(1000.0 * static_cast<double>(spikes) / static_cast<double>(state.iterations()));
}

template <typename Integrator, typename Timing, typename Current>
void register_one(const std::string& name, Integrator integrator, Timing timing, Current current) {
    benchmark::RegisterBenchmark(name.c_str(), [=](benchmark::State& state) {
        bench::run_neuron(state, current, integrator, timing);
    });
}

template <typename Integrator, typename Current>
void register_policies(const std::string& integrator_name, Integrator integrator, const std::string& input_name,
                       Current current) {
    const std::string prefix = integrator_name + "/";
    register_one(prefix + "grid/" + input_name, integrator, iaf::grid{}, current);
    register_one(prefix + "linear/" + input_name, integrator, iaf::linear{}, current);
    register_one(prefix + "hermite/" + input_name, integrator, iaf::hermite{}, current);
    if constexpr (requires { Integrator::is_exact; } || requires { Integrator::has_dense_output; })
        register_one(prefix + "analytic/" + input_name, integrator, iaf::analytic{}, current);
}

template <typename Current>
void register_integrators(const std::string& input_name, Current current) {
    register_policies("euler", iaf::euler{}, input_name, current);
    register_policies("heun", iaf::heun{}, input_name, current);
    register_policies("rk4", iaf::rk4{}, input_name, current);
    register_policies("exact", iaf::exact{}, input_name, current);
    register_policies("dopri5_rtol1e-8", iaf::dopri5{.rtol = 1e-8, .atol = 1e-10}, input_name, current);
}

}  // namespace

int main(int argc, char** argv) {
    benchmark::RegisterBenchmark("hand_exact_loop/constant", hand_exact_loop);
    register_integrators("constant", bench::constant_input{});
    register_integrators("sine", bench::sine_input{});
    // The same sine as iaf::sine, whose closed-form leaky response makes exact exact for it (two
    // sin/cos pairs per step instead of one sin at the midpoint): the price of exactness.
    register_policies("exact", iaf::exact{}, "iaf_sine",
                      iaf::sine{.amplitude = 0.5, .frequency = 1.0 / 50.0, .phase = 0.0, .offset = 0.6});
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
