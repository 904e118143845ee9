// On an affine model (the LIF) the linear methods are stepped as V -> V + ((m - 1) V + c); this
// must be the same method: compare with the method applied to f(t, V) by hand.
#include <cmath>

#include <Eigen/Core>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

namespace {

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
    for (int k = 0; k < 2000; ++k) {
        v = I{}.step(f, k * dt, v, dt);
        n.step();
        // Same method, other rounding: agreement to a few ulps of V, not bit for bit.
        REQUIRE(n.voltage() == doctest::Approx(v).epsilon(1e-13));
    }
}

TEST_CASE("affine stepping: the homogeneous part of the LIF is -V / tau_m") {
    for (const double v : {-70.0, 0.0, 12.5}) {
        CHECK(model.homogeneous_derivative(v) == doctest::Approx(-v / 10.0).epsilon(1e-15));
        // derivative(t, V, I) = homogeneous_derivative(V) + derivative(t, 0, I)
        CHECK(model.derivative(0.0, v, 0.7) ==
              doctest::Approx(model.homogeneous_derivative(v) + model.derivative(0.0, 0.0, 0.7)).epsilon(1e-13));
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
    for (int k = 0; k < 2000; ++k) {
        x = I{}.step(f, k * dt, x, dt);
        n.step();
        REQUIRE(n.state()[0] == doctest::Approx(x[0]).epsilon(1e-13));
        REQUIRE(n.state()[1] == doctest::Approx(x[1]).epsilon(1e-13));
    }
}
