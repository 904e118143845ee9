// The teaching notebook's second scenario: a LIF neuron driven by a sine current
// I(t) = I_max sin(2 pi f t) with I_max = 1 nA, f = 0.1 cycles/ms, R = 5 MOhm, C = 0.5 nF,
// theta = 5 mV, reset (and start) at 0 mV. Writes notebook_sine_current.csv / _spikes.csv.
//
// At these defaults the neuron never fires: the leak filters the input, so V oscillates with the
// amplitude R I_max / sqrt(1 + (2 pi f tau)^2) = 2.7 mV, below theta. The figure says so; the
// explorer (--current sine:amp=2,freq=0.1) shows what a stronger input does.
#include <cmath>
#include <cstdio>
#include <numbers>
#include <string>

#include <iaf/iaf.hpp>

#include "notebook_recording.hpp"

int main() {
    constexpr double i_max = 1.0;  // nA
    constexpr double f = 0.1;      // cycles per ms
    const iaf::lif model{{.r_m = 5.0, .c_m = 0.5, .e_l = 0.0, .v_th = 5.0, .v_reset = 0.0, .v_init = 0.0}};
    const iaf::sine current{.amplitude = i_max, .frequency = f};
    constexpr double dt = 0.01;
    constexpr double t_end = 99.99;

    // The notebook's method: forward Euler, spikes on the grid.
    notebook::series euler{.label = "Euler + grid (notebook)"};
    iaf::neuron by_euler{model, current, iaf::euler{}, iaf::grid{}, dt};
    notebook::record(euler, by_euler, t_end, model.v_th(), model.v_reset());

    // The exact propagator uses the sine's closed-form leaky response, so this trace is the true
    // solution at every grid point.
    notebook::series exact{.label = "exact + analytic"};
    iaf::neuron by_exact{model, current, iaf::exact{}, iaf::analytic{}, dt};
    notebook::record(exact, by_exact, t_end, model.v_th(), model.v_reset());

    const double w_tau = 2.0 * std::numbers::pi * f * model.tau_m();
    const double amplitude = model.r_m() * i_max / std::sqrt(1.0 + w_tau * w_tau);
    char note[256];
    std::snprintf(note, sizeof note,
                  "R = 5 MΩ, C = 0.5 nF, θ = 5 mV, reset 0 mV. No spike: the leak filters the input, the "
                  "steady response amplitude R·I_max/√(1+(2πfτ)²) = %.2f mV stays below θ",
                  amplitude);

    std::printf("notebook scenario 2 (sine current, Euler, dt = 0.01): %zu spikes, max V = %.3f mV\n",
                euler.spikes.size(), [&] {
                    double m = euler.v.front();
                    for (const double v : euler.v) m = v > m ? v : m;
                    return m;
                }());
    notebook::write_csv("notebook_sine_current",
                        {.title = "Scenario 2: sine current I = I_max sin(2π f t), I_max = 1 nA, f = 0.1 / ms",
                         .theta = model.v_th(),
                         .note = note},
                        {euler, notebook::spikes_only(exact)});
}
