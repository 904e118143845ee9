// The C++ side of tests/python/test_simulate.py: iaf::simulate on the notebook's four scenarios
// (and one lif_psc_exp run) for every integrator x spike timing the library accepts, with the
// library's own current types, no binding code. One line per run:
//     <scenario> <integrator> <timing> <number of spikes> <spike times as C hex floats>...
// Hex floats (%a) carry every bit, so the test can compare the module's spike times exactly.
// The scenarios' parameters are written again in test_simulate.py; both must agree.
#include <cstdio>
#include <string>

#include <iaf/iaf.hpp>

namespace {

constexpr double dt = 0.01;      // ms, the notebook's step
constexpr double t_end = 100.0;  // ms

template <typename M, typename C, typename I, typename P>
void run(const char* scenario, const M& model, const C& current, const char* integrator_name, const I& integrator,
         const char* timing_name, const P& timing) {
    if constexpr (iaf::can_combine_v<M, C, I, P>) {
        const auto r = iaf::simulate(model, current, integrator, timing, {.dt = dt, .t_end = t_end});
        std::printf("%s %s %s %zu", scenario, integrator_name, timing_name, r.spike_times.size());
        for (const double t : r.spike_times) std::printf(" %a", t);
        std::printf("\n");
    }
}

template <typename M, typename C, typename I>
void run_timings(const char* scenario, const M& model, const C& current, const char* name, const I& integrator) {
    run(scenario, model, current, name, integrator, "grid", iaf::grid{});
    run(scenario, model, current, name, integrator, "linear", iaf::linear{});
    run(scenario, model, current, name, integrator, "hermite", iaf::hermite{});
    run(scenario, model, current, name, integrator, "analytic", iaf::analytic{});
}

template <typename M, typename C>
void run_all(const char* scenario, const M& model, const C& current) {
    run_timings(scenario, model, current, "euler", iaf::euler{});
    run_timings(scenario, model, current, "heun", iaf::heun{});
    run_timings(scenario, model, current, "rk4", iaf::rk4{});
    run_timings(scenario, model, current, "exact", iaf::exact{});
    run_timings(scenario, model, current, "dopri5", iaf::dopri5{});
}

}  // namespace

int main() {
    // Scenario 1, the notebook's defaults: R = 6.4 MOhm, C = 0.9 nF, theta = 5 mV, V_rest = 0.4 mV.
    const iaf::lif notebook_1{{.r_m = 6.4, .c_m = 0.9, .e_l = 0.0, .v_th = 5.0, .v_reset = 0.4, .v_init = 0.4}};
    run_all("constant", notebook_1, iaf::constant{0.8});
    // Scenarios 2 to 4: R = 5 MOhm, C = 0.5 nF, theta = 5 mV, V_rest = 0 mV.
    const iaf::lif notebook_2{{.r_m = 5.0, .c_m = 0.5, .e_l = 0.0, .v_th = 5.0, .v_reset = 0.0, .v_init = 0.0}};
    // The notebook's 1 nA sine never fires (test_simulate.py checks that); 3 nA does.
    run_all("sine", notebook_2, iaf::sine{.amplitude = 3.0, .frequency = 0.1});
    run_all("two_inputs", notebook_2, iaf::constant{1.0} + iaf::constant{1.0});
    run_all("square_pulses", notebook_2,
            iaf::pulse_train{{.onset = 5.0, .duration = 10.0, .amplitude = 0.8},
                             {.onset = 25.0, .duration = 10.0, .amplitude = 1.5},
                             {.onset = 45.0, .duration = 2.0, .amplitude = 4.0},
                             {.onset = 57.0, .duration = 1.0, .amplitude = 2.5},
                             {.onset = 65.0, .duration = 25.0, .amplitude = 2.5}});
    // The other model, its defaults, a constant 0.5 nA (V would settle at -50 mV, above -55 mV).
    run_all("psc_exp_constant", iaf::lif_psc_exp{}, iaf::constant{0.5});
}
