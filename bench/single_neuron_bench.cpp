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
    benchmark::RegisterBenchmark("hand_exact_loop/constant", [](benchmark::State& state) {
        bench::hand_exact_loop(state, bench::constant_input{});
    });
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
