// The README's usage example: a LIF neuron driven by a sine current, integrated with RK4, spikes
// located by cubic Hermite interpolation. Units: ms, mV, nA, MOhm, nF.
#include <cmath>
#include <cstdio>
#include <numbers>

#include <iaf/iaf.hpp>

int main() {
    const iaf::lif model{{.tau_m = 10.0, .c_m = 0.25, .e_l = -65.0, .v_th = -50.0, .v_reset = -65.0, .t_ref = 2.0}};
    const auto current = [](double t) { return 0.5 + 0.3 * std::sin(2.0 * std::numbers::pi * t / 50.0); };  // nA

    const auto result = iaf::simulate(model, current, iaf::rk4{}, iaf::hermite{}, {.dt = 0.1, .t_end = 200.0});

    std::printf("%zu spikes:", result.spike_times.size());
    for (const double t : result.spike_times) std::printf(" %.4f", t);
    std::printf(" ms\n");
}
