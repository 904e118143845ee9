// The teaching notebook's first scenario: one LIF neuron, constant current, forward Euler at
// dt = 0.01 ms over [0, 100) ms, spikes on the grid. Prints the spike times.
#include <cstdio>

#include <iaf/iaf.hpp>

int main() {
    // The notebook's defaults: I = 0.8, R = 6.4, C = 0.9, theta = 5, V_rest = 0.4. Its leak pulls V
    // towards 0 (E_L = 0); V_rest is where V starts and where it is reset.
    const iaf::lif model{{.r_m = 6.4, .c_m = 0.9, .e_l = 0.0, .v_th = 5.0, .v_reset = 0.4, .v_init = 0.4}};
    const auto current = [](double) { return 0.8; };

    const auto result = iaf::simulate(model, current, iaf::euler{}, iaf::grid{}, {.dt = 0.01, .t_end = 99.99});

    std::printf("notebook scenario 1 (constant current, Euler, dt = 0.01): %zu spikes\n", result.spike_times.size());
    for (const double t : result.spike_times) std::printf("  spike at t = %.2f ms\n", t);
}
