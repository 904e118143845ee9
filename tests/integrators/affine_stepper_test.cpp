// On an affine model (the LIF) the linear methods are stepped as V -> V + ((m - 1) V + c); this
// must be the same method: compare with Euler, Heun and RK4 written out here (not the library's
// steppers) and applied to f(t, V).
#include <algorithm>
#include <cmath>
#include <type_traits>

#include <Eigen/Core>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/tolerance.hpp"

namespace {

// Forward Euler, Heun (explicit trapezoid) and classic RK4, from their Butcher tableaux.
template <typename I, typename F, typename S>
S by_hand(const F& f, double t, const S& x, double h) {
    if constexpr (std::is_same_v<I, iaf::euler>) {
        return S(x + h * f(t, x));
    } else if constexpr (std::is_same_v<I, iaf::heun>) {
        const S k1 = f(t, x);
        const S k2 = f(t + h, S(x + h * k1));
        return S(x + 0.5 * h * (k1 + k2));
    } else {
        static_assert(std::is_same_v<I, iaf::rk4>);
        const S k1 = f(t, x);
        const S k2 = f(t + 0.5 * h, S(x + 0.5 * h * k1));
        const S k3 = f(t + 0.5 * h, S(x + 0.5 * h * k2));
        const S k4 = f(t + h, S(x + h * k3));
        return S(x + (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4));
    }
}

const iaf::lif model{{.tau_m = 10.0, .c_m = 0.25, .e_l = -65.0, .v_th = 1e6, .v_reset = -70.0}};
const auto sine_input = [](double t) { return 0.6 + 0.5 * std::sin(0.3 * t); };

}  // namespace

static_assert(iaf::AffineModel<iaf::lif>);
static_assert(iaf::LinearMethod<iaf::euler> && iaf::LinearMethod<iaf::heun> && iaf::LinearMethod<iaf::rk4>);
static_assert(!iaf::LinearMethod<iaf::dopri5>);  // adaptive: its step sizes depend on the state

TEST_CASE_TEMPLATE("affine stepping: the neuron's step equals the method applied to f by hand", I, iaf::euler,
                   iaf::heun, iaf::rk4) {
    const double dt = 0.1;
    iaf::neuron n{model, sine_input, I{}, iaf::grid{}, dt};
    const auto f = [](double t, double v) { return (-(v + 65.0) / 10.0 + sine_input(t) / 0.25); };
    double v = model.v_init();
    double worst = 0.0;
    for (int k = 0; k < 2000; ++k) {
        v = by_hand<I>(f, k * dt, v, dt);
        n.step();
        // Same method, other rounding: agreement to a few ulps of V, not bit for bit.
        worst = std::max(worst, iaf_test::relative_error(n.voltage(), v));
        CHECK_REL(n.voltage(), v, 4e-15);  // measured worst 4.1e-16
        if (iaf_test::relative_error(n.voltage(), v) > 4e-15) break;  // one report, not 2000
    }
    MESSAGE("worst relative difference from the hand-written method " << worst);
}

TEST_CASE("affine stepping: the homogeneous part of the LIF is -V / tau_m") {
    for (const double v : {-70.0, 0.0, 12.5}) {
        CHECK_ABS(model.homogeneous_derivative(v), -v / 10.0, 1e-15 * std::abs(v));
        // derivative(t, V, I) = -(V - E_L)/tau + I/C, written out: E_L = -65, tau = 10, C = 0.25.
        CHECK_REL(model.derivative(0.0, v, 0.7), -(v + 65.0) / 10.0 + 0.7 / 0.25, 1e-15);
    }
}

TEST_CASE_TEMPLATE("affine stepping: a vector-state linear model (lif_psc_exp) steps like the method applied to f by hand",
                   I, iaf::euler, iaf::heun, iaf::rk4) {
    static_assert(iaf::AffineModel<iaf::lif_psc_exp>);
    const iaf::lif_psc_exp m{{.tau_m = 10.0, .c_m = 0.25, .tau_syn = 2.0, .e_l = -65.0, .v_th = 1e6, .v_reset = -70.0}};
    const double dt = 0.1;
    iaf::neuron n{m, sine_input, I{}, iaf::grid{}, dt};
    n.receive(iaf::lif_psc_exp::port::i_syn, 0.8);
    // The same equations written out here: dV/dt = -(V + 65)/10 + (I_syn + I)/0.25, dI_syn/dt = -I_syn/2.
    const auto f = [](double t, const Eigen::Vector2d& x) -> Eigen::Vector2d {
        return {-(x[0] + 65.0) / 10.0 + (x[1] + sine_input(t)) / 0.25, -x[1] / 2.0};
    };
    Eigen::Vector2d x{-65.0, 0.8};
    double worst = 0.0;
    for (int k = 0; k < 2000; ++k) {
        x = by_hand<I>(f, k * dt, x, dt);
        n.step();
        worst = std::max({worst, iaf_test::relative_error(n.state()[0], x[0]), iaf_test::relative_error(n.state()[1], x[1])});
        CHECK_REL(n.state()[0], x[0], 1e-12);  // measured worst over both components 9.3e-14
        CHECK_REL(n.state()[1], x[1], 1e-12);
        if (worst > 1e-12) break;
    }
    MESSAGE("worst relative difference from the hand-written method " << worst);
}
