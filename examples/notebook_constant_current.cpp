// The teaching notebook's first scenario: one LIF neuron, constant current, forward Euler at
// dt = 0.01 ms over [0, 100) ms, spikes on the grid. Prints the spike times, and writes
// notebook_constant_current.csv / _spikes.csv (for examples/plots/plot_trace.py) with the
// notebook's run and, for comparison, the exact one.
#include <cstdio>

#include <iaf/iaf.hpp>

#include "notebook_recording.hpp"

int main() {
    // The notebook's defaults: I = 0.8, R = 6.4, C = 0.9, theta = 5, V_rest = 0.4. Its leak pulls V
    // towards 0 (E_L = 0); V_rest is where V starts and where it is reset.
    const iaf::lif model{{.r_m = 6.4, .c_m = 0.9, .e_l = 0.0, .v_th = 5.0, .v_reset = 0.4, .v_init = 0.4}};
    const iaf::constant current{0.8};  // nA
    // The notebook's grid is t = 0, 0.01, ..., 99.99 (numpy.arange(0, 100, 0.01)).
    constexpr double dt = 0.01;
    constexpr double t_end = 99.99;

    // The notebook's method: forward Euler, a spike when V >= theta at a grid point.
    notebook::series euler{.label = "Euler + grid (notebook)"};
    iaf::neuron by_euler{model, current, iaf::euler{}, iaf::grid{}, dt};
    notebook::record(euler, by_euler, t_end, model.v_th(), model.v_reset());

    // Exact propagation with the crossing found on the exact solution: what the notebook's numbers
    // approximate (the spike times differ by up to a grid step plus Euler's O(dt) drift).
    notebook::series exact{.label = "exact + analytic"};
    iaf::neuron by_exact{model, current, iaf::exact{}, iaf::analytic{}, dt};
    notebook::record(exact, by_exact, t_end, model.v_th(), model.v_reset());

    std::printf("notebook scenario 1 (constant current, Euler, dt = 0.01): %zu spikes\n", euler.spikes.size());
    for (const double t : euler.spikes) std::printf("  spike at t = %.2f ms\n", t);

    // The figure draws the notebook's trace; the exact run's spikes go to the raster, where they
    // show that at dt = 0.01 ms the notebook's spike times are right to a grid step.
    notebook::write_csv("notebook_constant_current",
                        {.title = "Scenario 1: constant current I = 0.8 nA",
                         .theta = model.v_th(),
                         .note = "R = 6.4 MΩ, C = 0.9 nF (τ = 5.76 ms), θ = 5 mV, V_rest = 0.4 mV: V heads for "
                                 "R·I = 5.12 mV, just above θ, and fires every τ ln(4.72/0.12) = 21.15 ms"},
                        {euler, notebook::spikes_only(exact)});
}
