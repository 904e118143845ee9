// Question: what does one grid step of a single neuron cost for each model of the
// integrate-and-fire family, with Euler, RK4 and Dormand-Prince?
//
// Names read model/integrator. Every model runs with its default parameters under a constant
// current that makes it fire regularly (the spikes/kstep counter shows how often), dt = 0.1 ms,
// grid spike timing, so a row is the cost of the model's right-hand side times the integrator's
// stages (1 for Euler, 4 for RK4, 6 per internal step for Dormand-Prince at rtol 1e-6, whose step
// count depends on how stiff the model is near its spike). Baseline in the same binary:
// lif/euler, the one-variable linear model.
#include <string>

#include <iaf/iaf.hpp>

#include "bench_neuron.hpp"

namespace {

/// Steps one neuron of `model` driven by `drive` nA with grid timing (`bench::run_neuron`).
template <typename Model, typename Integrator>
void run_model(benchmark::State& state, const Model& model, double drive, Integrator integrator) {
    bench::run_neuron(state, model, iaf::constant{bench::opaque(drive)}, integrator, iaf::grid{});
}

template <typename Model>
void register_model(const std::string& name, const Model& model, double drive) {
    benchmark::RegisterBenchmark((name + "/euler").c_str(), [=](benchmark::State& s) {
        run_model(s, model, drive, iaf::euler{});
    });
    benchmark::RegisterBenchmark((name + "/rk4").c_str(), [=](benchmark::State& s) {
        run_model(s, model, drive, iaf::rk4{});
    });
    benchmark::RegisterBenchmark((name + "/dopri5").c_str(), [=](benchmark::State& s) {
        run_model(s, model, drive, iaf::dopri5{.rtol = 1e-6, .atol = 1e-9});
    });
}

}  // namespace

int main(int argc, char** argv) {
    // Drives 1.6 to 7 times each model's rheobase (as in tests/models/family_dt_sweep_test.cpp).
    register_model("lif", iaf::lif{}, 1.0);
    register_model("perfect_if", iaf::perfect_if{}, 1.0);
    register_model("qif", iaf::qif{}, 2.0);
    register_model("eif", iaf::eif{}, 0.1);
    register_model("lif_psc_exp", iaf::lif_psc_exp{}, 1.0);
    register_model("lif_psc_alpha", iaf::lif_psc_alpha{}, 1.0);
    register_model("lif_cond_exp", iaf::lif_cond_exp{}, 0.5);
    register_model("adex", iaf::adex{}, 1.0);
    register_model("izhikevich", iaf::izhikevich{}, 10.0);
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
