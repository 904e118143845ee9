// Spike-time convergence orders of every integrator x spike-timing policy, measured against the
// analytic spike train of a LIF under constant input (Hansel et al. 1998, Shelley &
// Tao 2001): the order is min(integrator order, policy order) when reset and refractoriness start
// at the located spike time.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/fitted_order.hpp"
#include "../support/tolerance.hpp"

namespace {

constexpr double tau = 10.0, c_m = 0.25, r_m = tau / c_m, v_th = 15.0, t_ref = 2.0;
constexpr int levels = 40;
constexpr int nth = 10;

// V_inf = R I from 20 to 60 mV: first-spike times from 13.9 to 2.9 ms, so the crossing falls at
// every phase of the grid step.
double v_inf_of(int level) { return 20.0 + 40.0 * level / (levels - 1.0); }

// The analytic train from V = E_L = V_reset = 0: t_k = k T + (k - 1) t_ref, T = tau ln(V_inf/(V_inf - V_th)).
double analytic_spike(double v_inf, int k) {
    const double period = tau * std::log(v_inf / (v_inf - v_th));
    return k * period + (k - 1) * t_ref;
}

struct errors {
    double first = 0.0;
    double tenth = 0.0;
};

template <typename I, typename P>
errors max_errors(const I& integrator, double dt) {
    const iaf::lif m{{.tau_m = tau, .c_m = c_m, .v_th = v_th, .v_reset = 0.0, .t_ref = t_ref}};
    errors e;
    for (int level = 0; level < levels; ++level) {
        const double v_inf = v_inf_of(level);
        const double i = v_inf / r_m;
        const double t_end = analytic_spike(v_inf, nth) + 0.5 * t_ref;
        const auto r = iaf::simulate(m, [=](double) { return i; }, integrator, P{}, {.dt = dt, .t_end = t_end});
        REQUIRE(r.spike_times.size() >= static_cast<std::size_t>(nth));
        e.first = std::max(e.first, std::abs(r.spike_times[0] - analytic_spike(v_inf, 1)));
        e.tenth = std::max(e.tenth, std::abs(r.spike_times[nth - 1] - analytic_spike(v_inf, nth)));
    }
    return e;
}

using iaf_test::fitted_order;

template <typename I, typename P, int Order>
struct combo {
    using integrator = I;
    using policy = P;
    static constexpr int expected_order = Order;  // min(integrator order, policy order)
    static I make() { return I{}; }
};

// dopri5 is adaptive, so its error is set by rtol, not dt. With tolerances this loose every
// internal step is accepted at once, and it runs as the fixed-step fifth-order method whose
// order the policies may or may not keep; its adaptive mode is checked against a bound below.
struct fixed_dopri5 : iaf::dopri5 {
    fixed_dopri5() : iaf::dopri5{.rtol = 1.0, .atol = 1.0} {}
};

const std::vector<double> dts{0.1, 0.05, 0.025, 0.0125};

}  // namespace

TEST_CASE_TEMPLATE("spike timing: first- and 10th-spike errors converge at min(integrator, policy) order", T,
                   combo<iaf::euler, iaf::grid, 1>, combo<iaf::euler, iaf::linear, 1>,
                   combo<iaf::euler, iaf::hermite, 1>, combo<iaf::heun, iaf::grid, 1>,
                   combo<iaf::heun, iaf::linear, 2>, combo<iaf::heun, iaf::hermite, 2>,
                   combo<iaf::rk4, iaf::grid, 1>, combo<iaf::rk4, iaf::linear, 2>, combo<iaf::rk4, iaf::hermite, 4>,
                   combo<iaf::exact, iaf::grid, 1>, combo<iaf::exact, iaf::linear, 2>,
                   combo<iaf::exact, iaf::hermite, 4>, combo<fixed_dopri5, iaf::grid, 1>,
                   combo<fixed_dopri5, iaf::linear, 2>, combo<fixed_dopri5, iaf::hermite, 4>) {
    using I = typename T::integrator;
    using P = typename T::policy;
    std::vector<double> first, tenth;
    for (const double dt : dts) {
        const errors e = max_errors<I, P>(T::make(), dt);
        first.push_back(e.first);
        tenth.push_back(e.tenth);
    }
    const double p1 = fitted_order(dts, first), p10 = fitted_order(dts, tenth);
    char line[256];
    std::snprintf(line, sizeof line, "first %.2e..%.2e order %.2f | 10th %.2e..%.2e order %.2f", first.front(),
                  first.back(), p1, tenth.front(), tenth.back(), p10);
    MESSAGE(line);
    CHECK_ABS(p1, T::expected_order, 0.3);
    CHECK_ABS(p10, T::expected_order, 0.3);
}

TEST_CASE("spike timing: exact + analytic reaches round-off at every dt (no order to fit)") {
    for (const double dt : dts) {
        const errors e = max_errors<iaf::exact, iaf::analytic>(iaf::exact{}, dt);
        MESSAGE("exact + analytic, dt " << dt << ": first " << e.first << " ms, 10th " << e.tenth << " ms");
        CHECK(e.first < 1e-13);
        CHECK(e.tenth < 1e-12);
    }
}

TEST_CASE("spike timing: fixed-step dopri5 + analytic is fifth order, measured where round-off does not hide it") {
    // At dt = 0.1 ms the error is already ~3e-13 ms, so the order is fitted on dt = 1.6 ... 0.2 ms.
    const std::vector<double> coarse{1.6, 0.8, 0.4, 0.2};
    std::vector<double> first, tenth;
    for (const double dt : coarse) {
        const errors e = max_errors<fixed_dopri5, iaf::analytic>(fixed_dopri5{}, dt);
        first.push_back(e.first);
        tenth.push_back(e.tenth);
    }
    const double p1 = fitted_order(coarse, first), p10 = fitted_order(coarse, tenth);
    MESSAGE("first " << first.front() << ".." << first.back() << " order " << p1 << " | 10th " << tenth.front()
                     << ".." << tenth.back() << " order " << p10);
    CHECK_ABS(p1, 5.0, 0.3);
    CHECK_ABS(p10, 5.0, 0.3);
    for (const double dt : dts) {
        const errors e = max_errors<fixed_dopri5, iaf::analytic>(fixed_dopri5{}, dt);
        CHECK(e.first < 1e-12);
        CHECK(e.tenth < 1e-11);
    }
}

TEST_CASE("spike timing: adaptive dopri5 + analytic keeps the error near rtol even at dt = 4 ms") {
    for (const double dt : {1.0, 2.0, 4.0}) {
        const errors fixed = max_errors<fixed_dopri5, iaf::analytic>(fixed_dopri5{}, dt);
        const errors adaptive = max_errors<iaf::dopri5, iaf::analytic>(iaf::dopri5{.rtol = 1e-8, .atol = 1e-10}, dt);
        MESSAGE("dt " << dt << ": fixed first " << fixed.first << " 10th " << fixed.tenth << "; adaptive first "
                      << adaptive.first << " 10th " << adaptive.tenth);
        CHECK(adaptive.first < 1e-7);
        CHECK(adaptive.tenth < 1e-6);
        if (dt == 4.0) CHECK(fixed.tenth > 100.0 * adaptive.tenth);  // adaptivity is what buys it
    }
}
