// The teaching notebook's fourth scenario: square current pulses of several amplitudes and
// durations, with the membrane reset after each pulse. R = 5 MOhm, C = 0.5 nF (tau = 2.5 ms),
// theta = 5 mV, V_rest = 0 mV, so a pulse must exceed the rheobase theta / R = 1 nA, and last
// long enough, to make the neuron fire. Writes notebook_square_pulses.csv / _spikes.csv.
//
// "Membrane reset after each pulse": the notebook treats every pulse as its own trial, starting
// from rest. We keep one time axis and one pulse-train current and reproduce that literally: at
// each pulse's end the run continues with a fresh neuron at V_rest (same model, same current),
// so no pulse inherits depolarisation from the one before. The gaps (>= 7 ms, about 3 tau) would
// let V relax most of the way anyway; the reset makes each pulse's response exactly the single-
// trial one, which is what the notebook's figure compares across amplitudes and durations.
#include <cstdio>
#include <vector>

#include <iaf/iaf.hpp>

#include "notebook_recording.hpp"

namespace {

// Runs [0, t_end] driven by `train`, with a fresh neuron (at V_rest) from each pulse's end on.
template <typename Integrator, typename Timing>
notebook::series run(const char* label, const iaf::lif& model, const iaf::pulse_train& train, Integrator integrator,
                     Timing timing, double dt, double t_end) {
    notebook::series out{.label = label};
    double t0 = 0.0;
    for (std::size_t k = 0; k <= train.pulses().size(); ++k) {
        const double t1 = k < train.pulses().size() ? train.pulses()[k].end() : t_end;
        iaf::neuron n{model, train, integrator, timing, dt, t0};
        notebook::record(out, n, t1, model.v_th(), model.v_reset());
        t0 = t1;
    }
    return out;
}

}  // namespace

int main() {
    const iaf::lif model{{.r_m = 5.0, .c_m = 0.5, .e_l = 0.0, .v_th = 5.0, .v_reset = 0.0, .v_init = 0.0}};
    // Subthreshold; above rheobase (3 spikes); strong and short (2 spikes); strong but too short
    // to reach theta; the same amplitude, long (a regular train). Onset, duration [ms], amplitude
    // [nA]; in time order, which the per-pulse reset below relies on.
    const iaf::pulse_train pulses{{.onset = 5.0, .duration = 10.0, .amplitude = 0.8},
                                  {.onset = 25.0, .duration = 10.0, .amplitude = 1.5},
                                  {.onset = 45.0, .duration = 2.0, .amplitude = 4.0},
                                  {.onset = 57.0, .duration = 1.0, .amplitude = 2.5},
                                  {.onset = 65.0, .duration = 25.0, .amplitude = 2.5}};
    constexpr double dt = 0.01;
    constexpr double t_end = 99.99;

    const notebook::series euler = run("Euler + grid (notebook)", model, pulses, iaf::euler{}, iaf::grid{}, dt, t_end);
    const notebook::series exact = run("exact + analytic", model, pulses, iaf::exact{}, iaf::analytic{}, dt, t_end);

    std::printf("notebook scenario 4 (square pulses, Euler, dt = 0.01): %zu spikes\n", euler.spikes.size());
    for (const iaf::pulse& p : pulses.pulses()) {
        std::size_t n = 0;
        for (const double t : euler.spikes) n += (t > p.onset && t <= p.end()) ? 1 : 0;
        std::printf("  pulse %4.1f nA for %4.1f ms at t = %4.1f ms: %zu spikes\n", p.amplitude, p.duration, p.onset, n);
    }
    notebook::write_csv("notebook_square_pulses",
                        {.title = "Scenario 4: square pulses of several amplitudes and durations",
                         .theta = model.v_th(),
                         .note = "R = 5 MΩ, C = 0.5 nF, θ = 5 mV, V reset to V_rest = 0 mV after each pulse. "
                                 "Pulses (nA × ms): 0.8 × 10 (below the 1 nA rheobase), 1.5 × 10, 4 × 2, "
                                 "2.5 × 1 (too short), 2.5 × 25"},
                        {euler, notebook::spikes_only(exact)});
}
