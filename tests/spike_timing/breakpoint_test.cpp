// Currents that jump: the neuron splits steps at the current's breakpoints, so a pulse whose edges
// fall between grid points costs no accuracy.
#include <cmath>
#include <limits>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/fitted_order.hpp"
#include "../support/tolerance.hpp"

namespace {

constexpr double tau = 10.0, c_m = 0.25, r_m = tau / c_m;
constexpr double onset = 10.037, end = 23.0913, amplitude = 0.3;  // edges off the 0.1 ms grid

// A square pulse that reports its edges and nothing else (no closed-form leaky response), so
// exact integration of it is exact only if steps are split at the edges.
struct edges_only_pulse {
    double operator()(double t) const { return t >= onset && t < end ? amplitude : 0.0; }
    double next_breakpoint(double t) const {
        if (t < onset) return onset;
        if (t < end) return end;
        return std::numeric_limits<double>::infinity();
    }
};

// The same pulse hiding its edges: steps straddle them.
struct hidden_edges_pulse {
    double operator()(double t) const { return t >= onset && t < end ? amplitude : 0.0; }
};

// V with E_L = 0, V(0) = 0 under the pulse (no threshold).
double closed_form(double t) {
    if (t <= onset) return 0.0;
    if (t <= end) return r_m * amplitude * (1.0 - std::exp(-(t - onset) / tau));
    return r_m * amplitude * (1.0 - std::exp(-(end - onset) / tau)) * std::exp(-(t - end) / tau);
}

iaf::lif quiet_lif() { return iaf::lif{{.tau_m = tau, .c_m = c_m, .v_th = 1e6}}; }

template <typename I, typename C>
double max_trace_error(const I& integrator, const C& current, double dt) {
    const auto r = iaf::simulate(quiet_lif(), current, integrator, {.dt = dt, .t_end = 40.0, .record_every = 1});
    double worst = 0.0;
    for (std::size_t k = 0; k < r.time.size(); ++k)
        worst = std::max(worst, std::abs(r.voltage[k] - closed_form(r.time[k])));
    return worst;
}

using iaf_test::fitted_order;

}  // namespace

TEST_CASE("breakpoints: exact reproduces the closed-form V trace of an off-grid pulse to 5e-14 mV") {
    for (const double dt : {0.1, 0.25, 1.0}) {
        CAPTURE(dt);
        const double split = max_trace_error(iaf::exact{}, edges_only_pulse{}, dt);
        const double straddled = max_trace_error(iaf::exact{}, hidden_edges_pulse{}, dt);
        MESSAGE("dt " << dt << ": edges reported " << split << " mV, edges hidden " << straddled << " mV");
        CHECK(split < 5e-14);  // measured 1.8e-15 .. 5.3e-15
        CHECK(straddled > 1e-4);  // what the breakpoints buy
    }
}

TEST_CASE("breakpoints: iaf::pulse with exact gives the closed-form trace to 5e-13 mV") {
    const iaf::pulse p{.onset = onset, .duration = end - onset, .amplitude = amplitude};
    for (const double dt : {0.1, 0.25, 1.0}) {
        CAPTURE(dt);
        CHECK(max_trace_error(iaf::exact{}, p, dt) < 5e-13);  // measured 1.8e-15 .. 4.8e-14
    }
}

TEST_CASE_TEMPLATE("breakpoints: split steps keep an RK method's order across the pulse's edges", I, iaf::heun,
                   iaf::rk4) {
    const std::vector<double> dts{0.4, 0.2, 0.1, 0.05};
    std::vector<double> split, straddled;
    for (const double dt : dts) {
        split.push_back(max_trace_error(I{}, edges_only_pulse{}, dt));
        straddled.push_back(max_trace_error(I{}, hidden_edges_pulse{}, dt));
    }
    const double p_split = fitted_order(dts, split), p_straddled = fitted_order(dts, straddled);
    MESSAGE("order with breakpoints " << p_split << ", without " << p_straddled);
    CHECK_ABS(p_split, I::order, 0.1);  // measured 2.010 (heun), 4.009 (rk4)
    CHECK_ABS(p_straddled, 1.0, 0.3);  // measured 1.12 (heun), 1.002 (rk4)  // a jump inside a step costs all but first order
}

TEST_CASE("breakpoints: dopri5 never steps over a pulse edge") {
    const iaf::pulse p{.onset = onset, .duration = end - onset, .amplitude = amplitude};
    for (const double dt : {0.1, 1.0, 5.0}) {
        CAPTURE(dt);
        CHECK(max_trace_error(iaf::dopri5{.rtol = 1e-10, .atol = 1e-12}, p, dt) < 1e-9);
    }
}

TEST_CASE("breakpoints: a spike driven by an off-grid pulse is located exactly, and so are later ones") {
    // Threshold 10 mV under a 12 mV plateau: first spike tau ln(12/2) after onset; with V_reset = 0
    // and t_ref = 1 ms the next comes t_ref + tau ln(6) later, while the pulse lasts.
    const double v_th = 10.0, t_ref = 1.0, rise = tau * std::log(12.0 / 2.0);
    const iaf::lif m{{.tau_m = tau, .c_m = c_m, .v_th = v_th, .v_reset = 0.0, .t_ref = t_ref}};
    const double long_end = onset + 50.0;
    const iaf::pulse p{.onset = onset, .duration = long_end - onset, .amplitude = amplitude};
    std::vector<double> expected;
    for (double t = onset + rise; t < long_end; t += rise + t_ref) expected.push_back(t);
    REQUIRE(expected.size() == 2);
    const auto exact = iaf::simulate(m, p, iaf::exact{}, iaf::analytic{}, {.dt = 0.1, .t_end = 80.0});
    REQUIRE(exact.spike_times.size() == expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) CHECK(std::abs(exact.spike_times[k] - expected[k]) < 1e-12);
    const auto rk4 = iaf::simulate(m, p, iaf::rk4{}, iaf::hermite{}, {.dt = 0.1, .t_end = 80.0});
    REQUIRE(rk4.spike_times.size() == expected.size());
    for (std::size_t k = 0; k < expected.size(); ++k) CHECK(std::abs(rk4.spike_times[k] - expected[k]) < 3e-8);  // measured 1.2e-9, 2.6e-9
}

TEST_CASE("breakpoints: edges on grid points (up to rounding of k dt) keep RK4 fourth order") {
    // 0.1 * k is not exactly 10.0 or 20.3 for most k: the breakpoint lies within rounding of a step's
    // end, where the step must still read the old piece and the next one the new piece.
    const double on = 10.0, off = 20.3, a = 0.3;
    const auto current = iaf::pulse{.onset = on, .duration = off - on, .amplitude = a};
    struct edges_of {
        iaf::pulse p;
        double operator()(double t) const { return p(t); }
        double next_breakpoint(double t) const { return p.next_breakpoint(t); }
    };
    const auto v = [&](double t) {
        if (t <= on) return 0.0;
        if (t <= off) return r_m * a * (1.0 - std::exp(-(t - on) / tau));
        return r_m * a * (1.0 - std::exp(-(off - on) / tau)) * std::exp(-(t - off) / tau);
    };
    const std::vector<double> dts{0.1, 0.05, 0.025, 0.0125};
    std::vector<double> errs;
    for (const double dt : dts) {
        const auto r = iaf::simulate(quiet_lif(), edges_of{current}, iaf::rk4{}, {.dt = dt, .t_end = 30.0, .record_every = 1});
        double worst = 0.0;
        for (std::size_t k = 0; k < r.time.size(); ++k) worst = std::max(worst, std::abs(r.voltage[k] - v(r.time[k])));
        errs.push_back(worst);
    }
    const double p = fitted_order(dts, errs);
    MESSAGE("rk4 with grid-aligned edges: error " << errs.front() << " .. " << errs.back() << ", order " << p);
    CHECK_ABS(p, 4.0, 0.1);  // measured 3.967
}
