// Every model of the integrate-and-fire family under every integrator, dt from 0.001 to 0.5 ms,
// driven well above rheobase: each run stays finite and fires, or the neuron refuses the dt at
// construction, naming the integrator's stability bound (an explicit method past a fast time
// constant the model declares). Nothing in between: no inf, no NaN, no run that stops mid-way.
//
// The divergent models (QIF, EIF, AdEx, Izhikevich) reach +infinity in finite time; evaluating
// their right-hand side at min(V, V_peak) is what keeps a step that crosses V_peak finite, and
// the reset discards its overshoot. At dt = 0.5 ms an Euler step of the AdEx overshoots V_peak by
// about 10^10 mV: finite, detected, reset.
#include <cmath>
#include <string>

#include <Eigen/Core>
#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/all_finite.hpp"

namespace {

constexpr double sweep_dts[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5};

using iaf_test::all_finite;

/// Runs `model` under a constant `drive` [nA] for `t_end` ms with `integrator` and Hermite spike
/// timing (which reads the derivative at the step's end, so it sees any overshoot) at every dt.
template <typename Model, typename Integrator>
void sweep(const std::string& name, const Model& model, double drive, double t_end, Integrator integrator,
           const char* integrator_name) {
    for (const double dt : sweep_dts) {
        CAPTURE(name);
        CAPTURE(integrator_name);
        CAPTURE(dt);
        try {
            iaf::neuron n{model, iaf::constant{drive}, integrator, iaf::hermite{}, dt};
            int spikes = 0;
            const auto steps = static_cast<long>(std::ceil(t_end / dt));
            for (long k = 0; k < steps; ++k) spikes += n.step();
            CHECK(all_finite(n.state()));
            CHECK(spikes > 0);
        } catch (const iaf::invalid_parameter& refused) {
            // Only a declared stability bound may refuse a dt, and only for a fixed-step method.
            CHECK(std::string(refused.what()).find("exceeds the stability bound") != std::string::npos);
            CHECK(iaf::StabilityLimitedIntegrator<Integrator>);
        }
        // A simulation_error (a non-finite state mid-run) escapes and fails the test case.
    }
}

template <typename Model>
void sweep_all(const std::string& name, const Model& model, double drive, double t_end) {
    sweep(name, model, drive, t_end, iaf::euler{}, "euler");
    sweep(name, model, drive, t_end, iaf::heun{}, "heun");
    sweep(name, model, drive, t_end, iaf::rk4{}, "rk4");
    sweep(name, model, drive, t_end, iaf::dopri5{}, "dopri5");
    if constexpr (iaf::LinearModel<Model>) sweep(name, model, drive, t_end, iaf::exact{}, "exact");
}

}  // namespace

// Drives 1.6 to 7 times rheobase, so each model fires within the 20 ms of a run.
TEST_CASE("family dt sweep: lif (1 nA; rheobase 0.375 nA)") { sweep_all("lif", iaf::lif{}, 1.0, 20.0); }
TEST_CASE("family dt sweep: lif_psc_exp (1 nA)") {
    sweep_all("lif_psc_exp", iaf::lif_psc_exp{}, 1.0, 20.0);
}
TEST_CASE("family dt sweep: perfect_if (1 nA)") { sweep_all("perfect_if", iaf::perfect_if{}, 1.0, 20.0); }
TEST_CASE("family dt sweep: qif (2 nA; rheobase 0.5625 nA)") { sweep_all("qif", iaf::qif{}, 2.0, 20.0); }
TEST_CASE("family dt sweep: eif (0.1 nA; rheobase 0.0162 nA)") { sweep_all("eif", iaf::eif{}, 0.1, 20.0); }
TEST_CASE("family dt sweep: adex (1 nA; rheobase about 0.63 nA)") { sweep_all("adex", iaf::adex{}, 1.0, 20.0); }
TEST_CASE("family dt sweep: izhikevich (10 nA)") { sweep_all("izhikevich", iaf::izhikevich{}, 10.0, 20.0); }
TEST_CASE("family dt sweep: lif_cond_exp (0.5 nA; Euler and Heun refused at 0.5 ms)") {
    sweep_all("lif_cond_exp", iaf::lif_cond_exp{}, 0.5, 20.0);
}
TEST_CASE("family dt sweep: lif_psc_alpha (1 nA)") {
    sweep_all("lif_psc_alpha", iaf::lif_psc_alpha{}, 1.0, 20.0);
}
