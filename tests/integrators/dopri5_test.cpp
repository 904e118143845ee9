#include <algorithm>
#include <cmath>
#include <numbers>
#include <limits>
#include <vector>

#include <Eigen/Core>
#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/lif_sine.hpp"
#include "../support/tolerance.hpp"

namespace {

constexpr double tau = 10.0, c_m = 0.25, r_m = tau / c_m;

// Subthreshold LIF (E_L = 0, V(0) = 0) under I(t) = i0 + i1 sin(w t): closed form.
double lif_sine_voltage(double t, double i0, double i1, double w) {
    return iaf_test::lif_sine_voltage(t, tau, r_m, i0, i1, w);
}

iaf::lif quiet_lif() { return iaf::lif{{.tau_m = tau, .c_m = c_m, .v_th = 1e6}}; }

}  // namespace

TEST_CASE("dopri5: subthreshold LIF under a sine current meets rtol = 1e-8 at t = 100 ms") {
    const double i0 = 0.1, i1 = 0.05, w = 2.0 * std::numbers::pi / 7.0;
    const auto current = [=](double t) { return i0 + i1 * std::sin(w * t); };
    for (const double dt : {0.4, 0.1, 0.025, 2.0}) {
        const auto r = iaf::simulate(quiet_lif(), current, iaf::dopri5{.rtol = 1e-8, .atol = 1e-10},
                                     {.dt = dt, .t_end = 100.0, .record_every = 1});
        const double exact = lif_sine_voltage(100.0, i0, i1, w);
        CHECK(std::abs(r.voltage.back() - exact) <= 1e-8 * std::abs(exact));
    }
}

TEST_CASE("dopri5: tighter tolerances give smaller errors (error control works inside a long step)") {
    const double i0 = 0.1, i1 = 0.08, w = 2.0 * std::numbers::pi / 3.0;
    const auto current = [=](double t) { return i0 + i1 * std::sin(w * t); };
    const double exact = lif_sine_voltage(50.0, i0, i1, w);
    std::vector<double> errors;
    for (const double rtol : {1e-4, 1e-6, 1e-8, 1e-10}) {
        // One grid step of 5 ms spans more than a period of the input: only adaptivity helps.
        const auto r = iaf::simulate(quiet_lif(), current, iaf::dopri5{.rtol = rtol, .atol = rtol * 1e-2},
                                     {.dt = 5.0, .t_end = 50.0, .record_every = 1});
        errors.push_back(std::abs(r.voltage.back() - exact));
        CHECK(errors.back() <= 10.0 * rtol * std::abs(exact));
    }
    for (std::size_t k = 1; k < errors.size(); ++k) CHECK(errors[k] < errors[k - 1]);
}

TEST_CASE("dopri5: the dense output is fourth order inside one internal step") {
    // y' = cos(t), y(0) = 0: y = sin(t). One step of length h, dense output at h/3.
    const auto f = [](double t, const double&) { return std::cos(t); };
    const iaf::dopri5 integrator{.rtol = 1.0, .atol = 1.0};  // accept the first step as it is
    std::vector<double> errors;
    for (const double h : {0.4, 0.2, 0.1, 0.05}) {
        const auto event = integrator.step_until(f, 0.0, 0.0, h, [](const double&) { return true; });
        REQUIRE(event.reached);
        CHECK(event.s1 == h);
        CHECK_ABS(event.dense.state_after(0.0), 0.0, 1e-15);
        CHECK_REL(event.dense.state_after(h), event.x1, 1e-15);
        errors.push_back(std::abs(event.dense.state_after(h / 3.0) - std::sin(h / 3.0)));
    }
    // Local error of a fourth-order interpolant: O(h^5), so halving h divides it by about 32.
    for (std::size_t k = 1; k < errors.size(); ++k) {
        const double order = std::log2(errors[k - 1] / errors[k]);
        MESSAGE("dense output local order " << order);
        CHECK_ABS(order, 5.0, 0.1);  // measured 4.984 .. 4.999
    }
}

TEST_CASE("dopri5: the fifth-order step has a local error of order 6") {
    const auto f = [](double t, const double&) { return std::cos(t); };
    const iaf::dopri5 integrator{.rtol = 1.0, .atol = 1.0};
    std::vector<double> errors;
    for (const double h : {0.8, 0.4, 0.2, 0.1}) errors.push_back(std::abs(integrator.step(f, 0.3, std::sin(0.3), h) - std::sin(0.3 + h)));
    for (std::size_t k = 1; k < errors.size(); ++k)
        {
        MESSAGE("local order " << std::log2(errors[k - 1] / errors[k]));
        CHECK_ABS(std::log2(errors[k - 1] / errors[k]), 6.0, 0.2);  // measured 5.98 .. 6.10
    }
}

TEST_CASE("dopri5: a vector state (harmonic oscillator) meets its tolerance over one long step") {
    // The RMS error norm itself is checked in dopri5_control_test.cpp.
    // Harmonic oscillator x'' = -x: (x, v) = (cos t, -sin t).
    const auto f = [](double, const Eigen::Vector2d& x) -> Eigen::Vector2d { return {x[1], -x[0]}; };
    const iaf::dopri5 integrator{.rtol = 1e-10, .atol = 1e-12};
    const Eigen::Vector2d end = integrator.step(f, 0.0, Eigen::Vector2d{1.0, 0.0}, 10.0);
    MESSAGE("oscillator errors " << end[0] - std::cos(10.0) << " " << end[1] + std::sin(10.0));
    CHECK_ABS(end[0], std::cos(10.0), 1e-9);  // measured 1.0e-10
    CHECK_ABS(end[1], -std::sin(10.0), 1e-9);  // measured 5.8e-11
}

TEST_CASE("dopri5: a crossing inside a long grid step is not stepped over") {
    // V_inf oscillates around 0 with amplitude ~ 5 mV for a few ms; the threshold (3 mV) is
    // crossed and left again inside one 20 ms grid step, so step ends alone never see it.
    const double i1 = 2.0, w = 2.0 * std::numbers::pi / 4.0;
    const auto current = [=](double t) { return i1 * std::sin(w * t); };
    const iaf::lif m{{.tau_m = tau, .c_m = c_m, .v_th = 3.0, .v_reset = 0.0}};
    // First crossing of the closed form, by bisection on a sign change found on a fine scan.
    double a = 0.0, b = 0.0;
    for (double t = 0.0; t < 20.0; t += 1e-3)
        if (lif_sine_voltage(t + 1e-3, 0.0, i1, w) >= 3.0) {
            a = t;
            b = t + 1e-3;
            break;
        }
    REQUIRE(b > 0.0);
    for (int k = 0; k < 100; ++k) {
        const double mid = 0.5 * (a + b);
        (lif_sine_voltage(mid, 0.0, i1, w) >= 3.0 ? b : a) = mid;
    }
    CHECK(lif_sine_voltage(20.0, 0.0, i1, w) < 3.0);  // the grid step's end is below threshold
    iaf::neuron n{m, current, iaf::dopri5{.rtol = 1e-10, .atol = 1e-12}, iaf::analytic{}, 20.0};
    std::vector<double> spikes;
    n.step([&](double t) { spikes.push_back(t); });
    REQUIRE_FALSE(spikes.empty());
    CHECK(std::abs(spikes[0] - b) < 2e-9);  // measured 1.5e-10
}

TEST_CASE("dopri5: tolerances must be finite and positive, checked when a neuron binds it") {
    const iaf::lif m;
    const auto zero = [](double) { return 0.0; };
    CHECK_THROWS_WITH_AS((iaf::neuron{m, zero, iaf::dopri5{.rtol = 0.0}, iaf::linear{}, 0.1}),
                         "iaf::dopri5: rtol = 0 is invalid (must be > 0)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((iaf::neuron{m, zero, iaf::dopri5{.atol = -1.0}, iaf::linear{}, 0.1}),
                         "iaf::dopri5: atol = -1 is invalid (must be > 0)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((iaf::neuron{m, zero, iaf::dopri5{.rtol = std::numeric_limits<double>::quiet_NaN()},
                                      iaf::grid{}, 0.1}),
                         "iaf::dopri5: rtol = nan is invalid (must be finite)", iaf::invalid_parameter);
}

TEST_CASE("dopri5: a NaN current is reported by the neuron, not retried forever") {
    const iaf::lif m{{.tau_m = tau, .c_m = c_m}};
    iaf::neuron n{m, [](double t) { return t > 0.15 ? std::numeric_limits<double>::quiet_NaN() : 0.0; },
                  iaf::dopri5{}, iaf::hermite{}, 0.1};
    n.step();
    CHECK_THROWS_WITH_AS(n.step(), doctest::Contains("the current returned nan at t = "), iaf::simulation_error);
    iaf::neuron g{m, [](double t) { return t > 0.15 ? std::numeric_limits<double>::quiet_NaN() : 0.0; },
                  iaf::dopri5{}, iaf::grid{}, 0.1};
    g.step();
    CHECK_THROWS_WITH_AS(g.step(), doctest::Contains("the current returned nan at t = "), iaf::simulation_error);
}

TEST_CASE("dopri5: an unannounced current jump is resolved by step-size control") {
    // A step current written as a plain lambda (no breakpoints): the error estimate shrinks the
    // internal steps around the jump until the tolerance holds.
    const double on = 3.3337, a = 0.3;
    const auto current = [=](double t) { return t >= on ? a : 0.0; };
    const auto r = iaf::simulate(quiet_lif(), current, iaf::dopri5{.rtol = 1e-10, .atol = 1e-12},
                                 {.dt = 0.5, .t_end = 20.0, .record_every = 1});
    double worst = 0.0;
    for (std::size_t k = 0; k < r.time.size(); ++k) {
        const double t = r.time[k];
        const double exact = t <= on ? 0.0 : r_m * a * (1.0 - std::exp(-(t - on) / tau));
        worst = std::max(worst, std::abs(r.voltage[k] - exact));
    }
    MESSAGE("unannounced jump: worst |V - closed form| " << worst << " mV");
    CHECK(worst < 1e-9);  // measured 1.2e-10
}

TEST_CASE("dopri5: a right-hand side it cannot resolve stops with a message naming the time and tolerances") {
    const iaf::dopri5 integrator{.rtol = 1e-12, .atol = 1e-14};
    const auto cliff = [](double t, const double&) { return t < 0.5 ? 0.0 : 1e12; };
    CHECK_THROWS_WITH_AS((void)integrator.step(cliff, 0.0, 0.0, 1.0),
                         doctest::Contains("iaf::dopri5: the step size fell to"), iaf::simulation_error);
    CHECK_THROWS_WITH_AS((void)integrator.step(cliff, 0.0, 0.0, 1.0), doctest::Contains("at t = 0.49999"),
                         iaf::simulation_error);
}
