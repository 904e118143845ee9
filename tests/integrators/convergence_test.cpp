// Global convergence orders of the integrators on a subthreshold LIF driven by a sine current,
// whose closed-form solution gives the error at t = 100 ms.
#include <cmath>
#include <numbers>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/fitted_order.hpp"
#include "../support/tolerance.hpp"

namespace {

constexpr double tau = 10.0, c_m = 0.25, r_m = tau / c_m;
// An 11 ms period does not divide 100 ms: with a period that does (5 ms), the leading error term
// nearly cancels by phase at the end point and the fitted orders are pre-asymptotic.
constexpr double i0 = 0.2, i1 = 0.15, w = 2.0 * std::numbers::pi / 11.0;
constexpr double t_end = 100.0;

// tau dV/dt = -V + R (i0 + i1 sin(w t)), V(0) = 0.
double closed_form(double t) {
    const double wt = w * tau;
    return r_m * i0 * (1.0 - std::exp(-t / tau)) +
           r_m * i1 * (std::sin(w * t) - wt * std::cos(w * t) + wt * std::exp(-t / tau)) / (1.0 + wt * wt);
}

double sine(double t) { return i0 + i1 * std::sin(w * t); }

template <typename I>
double error_at_end(const I& integrator, double dt) {
    const iaf::lif m{{.tau_m = tau, .c_m = c_m, .v_th = 1e6}};
    iaf::neuron n{m, &sine, integrator, iaf::grid{}, dt};
    const auto steps = static_cast<long>(std::lround(t_end / dt));
    for (long k = 0; k < steps; ++k) n.step();
    CHECK_REL(n.time(), t_end, 1e-12);
    return std::abs(n.voltage() - closed_form(t_end));
}

using iaf_test::fitted_order;

const std::vector<double> dts{0.4, 0.2, 0.1, 0.05, 0.025};

template <typename I>
double measured_order(const I& integrator) {
    std::vector<double> errs;
    for (const double dt : dts) errs.push_back(error_at_end(integrator, dt));
    const double p = fitted_order(dts, errs);
    MESSAGE("error at 100 ms " << errs.front() << " (dt 0.4) .. " << errs.back() << " (dt 0.025), order " << p);
    return p;
}

}  // namespace

TEST_CASE("convergence: Euler is first order on a sine-driven LIF") {
    CHECK_ABS(measured_order(iaf::euler{}), 1.0, 0.1);  // measured 0.998
}

TEST_CASE("convergence: Heun is second order on a sine-driven LIF") {
    CHECK_ABS(measured_order(iaf::heun{}), 2.0, 0.1);  // measured 2.003
}

TEST_CASE("convergence: RK4 is fourth order on a sine-driven LIF (the current is read at every stage)") {
    CHECK_ABS(measured_order(iaf::rk4{}), 4.0, 0.1);  // measured 4.001
}

TEST_CASE("convergence: exact with a plain callable takes the midpoint current, second order") {
    CHECK_ABS(measured_order(iaf::exact{}), 2.0, 0.1);  // measured 2.001
}

TEST_CASE("convergence: dopri5 meets rtol = 1e-8 at t = 100 ms for every dt") {
    for (const double dt : dts) {
        const double err = error_at_end(iaf::dopri5{.rtol = 1e-8, .atol = 1e-10}, dt);
        MESSAGE("dopri5 dt " << dt << ": error at 100 ms " << err << " (relative " << err / std::abs(closed_form(t_end)) << ")");
        CHECK(err <= 1e-8 * std::abs(closed_form(t_end)));
    }
}

TEST_CASE_TEMPLATE("convergence: halving dt shrinks the error of every fixed-step integrator", I, iaf::euler,
                   iaf::heun, iaf::rk4) {
    CHECK(error_at_end(I{}, 0.05) < error_at_end(I{}, 0.1));
}
