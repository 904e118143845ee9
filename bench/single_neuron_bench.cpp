// Question: does the composed neuron cost more per step than a hand-written loop of the same math?
#include <cmath>

#include <benchmark/benchmark.h>
#include <iaf/iaf.hpp>

namespace {

constexpr double tau = 10.0, c_m = 0.25, v_th = 15.0, i_in = 1.0, dt = 0.1;

void hand_written_exact_loop(benchmark::State& state) {
    const double growth = -std::expm1(-dt / tau), v_inf = tau / c_m * i_in;
    double v = 0.0;
    long spikes = 0;
    for (auto _ : state) {
        v += (v_inf - v) * growth;
        if (v >= v_th) {
            v = 0.0;
            ++spikes;
        }
        benchmark::DoNotOptimize(v);
    }
    benchmark::DoNotOptimize(spikes);
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(hand_written_exact_loop);

void iaf_exact_grid(benchmark::State& state) {
    iaf::neuron n{iaf::lif{{.tau_m = tau, .c_m = c_m, .v_th = v_th}}, [](double) { return i_in; }, iaf::exact{},
                  iaf::grid{}, dt};
    for (auto _ : state) {
        benchmark::DoNotOptimize(n.step());
    }
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(iaf_exact_grid);

}  // namespace

BENCHMARK_MAIN();
