// A user-defined integrator, written here outside include/, plugs into neuron and simulate through
// the OdeStepper concept with no change to the library.
#include <cmath>
#include <numbers>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/fitted_order.hpp"
#include "../support/tolerance.hpp"

namespace {

// Kutta's third-order method (Kutta 1901): three stages, order 3.
struct kutta3 {
    static constexpr int order = 3;

    template <typename F, typename S>
    S step(const F& f, double t, const S& x, double h) const {
        const S k1 = f(t, x);
        const S k2 = f(t + 0.5 * h, S(x + 0.5 * h * k1));
        const S k3 = f(t + h, S(x - h * k1 + 2.0 * h * k2));
        return S(x + (h / 6.0) * (k1 + 4.0 * k2 + k3));
    }
};

static_assert(iaf::OdeStepper<kutta3, double>);
static_assert(iaf::Integrator<kutta3, iaf::lif, double (*)(double)>);

constexpr double tau = 10.0, c_m = 0.25, r_m = tau / c_m;

using iaf_test::fitted_order;

}  // namespace

TEST_CASE("user integrator: a three-stage Runge-Kutta written in a test is third order in simulate") {
    // Subthreshold LIF under I = i0 + i1 sin(w t), closed form at t = 100 ms.
    // An 11 ms period: one that divides 100 ms lets the leading error term cancel at the end point.
    const double i0 = 0.2, i1 = 0.15, w = 2.0 * std::numbers::pi / 11.0, wt = w * tau, t = 100.0;
    const double exact = r_m * i0 * (1.0 - std::exp(-t / tau)) +
                         r_m * i1 * (std::sin(w * t) - wt * std::cos(w * t) + wt * std::exp(-t / tau)) / (1.0 + wt * wt);
    const iaf::lif m{{.tau_m = tau, .c_m = c_m, .v_th = 1e6}};
    const std::vector<double> dts{0.4, 0.2, 0.1, 0.05, 0.025};
    std::vector<double> errs;
    for (const double dt : dts) {
        const auto r = iaf::simulate(m, [=](double s) { return i0 + i1 * std::sin(w * s); }, kutta3{},
                                     {.dt = dt, .t_end = t, .record_every = 1});
        CHECK_REL(r.time.back(), t, 1e-12);
        errs.push_back(std::abs(r.voltage.back() - exact));
    }
    const double p = fitted_order(dts, errs);
    MESSAGE("kutta3 voltage order " << p);
    CHECK_ABS(p, 3.0, 0.1);  // measured 3.020
}

TEST_CASE("user integrator: with hermite spike timing its spike times are third order too") {
    // Constant input, t_ref = 2 ms: k-th spike at k T + (k - 1) t_ref, T = tau ln(V_inf/(V_inf - V_th)).
    const double v_th = 15.0, t_ref = 2.0;
    const iaf::lif m{{.tau_m = tau, .c_m = c_m, .v_th = v_th, .t_ref = t_ref}};
    const std::vector<double> dts{0.1, 0.05, 0.025, 0.0125};
    std::vector<double> errs;
    for (const double dt : dts) {
        double worst = 0.0;
        for (int level = 0; level < 40; ++level) {
            const double v_inf = 20.0 + level;
            const double period = tau * std::log(v_inf / (v_inf - v_th));
            const auto r = iaf::simulate(m, [=](double) { return v_inf / r_m; }, kutta3{}, iaf::hermite{},
                                         {.dt = dt, .t_end = 10 * period + 10 * t_ref});
            REQUIRE(r.spike_times.size() >= 10);
            worst = std::max(worst, std::abs(r.spike_times[9] - (10 * period + 9 * t_ref)));
        }
        errs.push_back(worst);
    }
    const double p = fitted_order(dts, errs);
    MESSAGE("kutta3 + hermite 10th-spike order " << p);
    CHECK_ABS(p, 3.0, 0.1);  // measured 3.003
}
