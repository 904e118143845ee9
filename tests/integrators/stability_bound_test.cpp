// Fixed-step integrators refuse, at construction, a dt beyond their real-axis stability limit on a
// linear model's fastest time constant, unless the user opts in; below the limit the run is what
// the method's own closed form says.
#include <cmath>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/tolerance.hpp"

namespace {

// The methods' stability functions R(z), written out here: one step of x' = lambda x multiplies
// x by R(lambda h).
double stability_function(const iaf::euler&, double z) { return 1.0 + z; }
double stability_function(const iaf::heun&, double z) { return 1.0 + z + z * z / 2.0; }
double stability_function(const iaf::rk4&, double z) { return 1.0 + z + z * z / 2.0 + z * z * z / 6.0 + z * z * z * z / 24.0; }

double expected_limit(const iaf::euler&) { return 2.0; }
double expected_limit(const iaf::heun&) { return 2.0; }
double expected_limit(const iaf::rk4&) { return 2.785293563405; }

const auto constant_input = [](double) { return 0.5; };  // nA

template <typename I>
I opted_in() {
    I integrator;
    integrator.allow_unstable = true;
    return integrator;
}

// A user model that gives only its affine part (no linear_dynamics): x' = -x/tau + i.
struct affine_leak {
    using state_type = double;
    double tau = 0.5;
    double initial_state() const { return 0.0; }
    double derivative(double, double x, double i) const { return -x / tau + i; }
    double homogeneous_derivative(double x) const { return -x / tau; }
    double voltage(double x) const { return x; }
    double threshold() const { return 1e9; }
    double reset(double) const { return 0.0; }
};

// A non-linear user model, x' = -x/tau - x^3 + i, that declares its fastest decay rate 1/tau.
struct cubic_leak {
    using state_type = double;
    double tau = 0.25;
    double initial_state() const { return 0.0; }
    double derivative(double, double x, double i) const { return -x / tau - x * x * x + i; }
    double fastest_rate() const { return 1.0 / tau; }
    double voltage(double x) const { return x; }
    double threshold() const { return 1e9; }
    double reset(double) const { return 0.0; }
};

// A user integrator that declares a limit of 1 (Euler's, halved, for the test) and no opt-in, and
// one that declares none.
struct declared_limit {
    static constexpr int order = 1;
    static constexpr double real_stability_limit = 1.0;
    template <typename F, typename S>
    S step(const F& f, double t, const S& x, double h) const { return S(x + h * f(t, x)); }
};
struct no_declared_limit {
    static constexpr int order = 1;
    template <typename F, typename S>
    S step(const F& f, double t, const S& x, double h) const { return S(x + h * f(t, x)); }
};

}  // namespace

TEST_CASE_TEMPLATE("stability: the declared real-axis limit is where |R(-r)| = 1", I, iaf::euler, iaf::heun,
                   iaf::rk4) {
    CHECK(I::real_stability_limit == expected_limit(I{}));
    CHECK_ABS(std::abs(stability_function(I{}, -I::real_stability_limit)), 1.0, 1e-11);
    CHECK(std::abs(stability_function(I{}, -I::real_stability_limit * (1.0 - 1e-6))) < 1.0);
    CHECK(std::abs(stability_function(I{}, -I::real_stability_limit * (1.0 + 1e-6))) > 1.0);
}

TEST_CASE_TEMPLATE("stability: a LIF refuses dt just above r tau_m, accepts it just below and with the opt-in", I,
                   iaf::euler, iaf::heun, iaf::rk4) {
    const double tau = 0.04;  // the LIF: at dt = 0.1 it truly never fires
    const iaf::lif m{{.tau_m = tau, .c_m = 0.25, .e_l = -65.0, .v_th = -50.0, .v_reset = -65.0}};
    const double bound = expected_limit(I{}) * tau;
    const double above = bound * (1.0 + 1e-9);
    const double below = bound * (1.0 - 1e-9);
    INFO("integrator ", I::name, ", bound ", bound, " ms");
    try {
        iaf::neuron n{m, constant_input, I{}, iaf::hermite{}, above};
        FAIL("constructed at dt above the bound");
    } catch (const iaf::invalid_parameter& e) {
        const std::string what = e.what();
        INFO(what);
        CHECK(what.find(std::string(I::name) + ": dt = ") == 0);
        CHECK(what.find("exceeds the stability bound") != std::string::npos);
        CHECK(what.find(iaf::detail::message(bound)) != std::string::npos);  // the bound, in ms
        CHECK(what.find(iaf::detail::message("tau = ", 1.0 / (1.0 / tau))) != std::string::npos);
        CHECK(what.find(std::string(I::name) + "{.allow_unstable = true}") != std::string::npos);
    }
    CHECK_NOTHROW((iaf::neuron{m, constant_input, I{}, iaf::hermite{}, below}));
    CHECK_NOTHROW((iaf::neuron{m, constant_input, opted_in<I>(), iaf::hermite{}, above}));
    CHECK_NOTHROW((iaf::neuron{m, constant_input, opted_in<I>(), iaf::hermite{}, 0.1}));
    // simulate and population build the same neuron kernel: refused there too.
    CHECK_THROWS_AS((void)iaf::simulate(m, constant_input, I{}, {.dt = above, .t_end = 1.0}), iaf::invalid_parameter);
    CHECK_THROWS_AS((iaf::population{m, 4, I{}, iaf::linear{}, above}), iaf::invalid_parameter);
    CHECK_THROWS_AS((iaf::population{std::vector<iaf::lif>{iaf::lif{}, m}, I{}, iaf::grid{}, above}),
                    iaf::invalid_parameter);
    CHECK_NOTHROW((iaf::population{m, 4, I{}, iaf::linear{}, below}));
    CHECK_NOTHROW((iaf::population{m, 4, opted_in<I>(), iaf::linear{}, above}));
}

TEST_CASE_TEMPLATE("stability: lif_psc_exp's bound is set by its fastest time constant, tau_syn or tau_m", I,
                   iaf::euler, iaf::heun, iaf::rk4) {
    const double r = expected_limit(I{});
    for (const auto& [tau_m, tau_syn] : {std::pair{10.0, 0.04}, std::pair{0.04, 10.0}}) {
        const iaf::lif_psc_exp m{{.tau_m = tau_m, .c_m = 0.25, .tau_syn = tau_syn}};
        const double bound = r * 0.04;
        const std::string expected = iaf::detail::message("stability bound ", r, " tau = ");
        CHECK_THROWS_WITH_AS((iaf::neuron{m, constant_input, I{}, iaf::linear{}, bound * (1.0 + 1e-9)}),
                             doctest::Contains(expected.c_str()), iaf::invalid_parameter);
        CHECK_NOTHROW((iaf::neuron{m, constant_input, I{}, iaf::linear{}, bound * (1.0 - 1e-9)}));
    }
}

TEST_CASE("stability: the fastest decay rate of a full A is max(-Re lambda) over its eigenvalues") {
    // Eigenvalues found by hand: a symmetric pair, a rotation, a saddle, and a 3-cycle (a circulant
    // matrix: -2 + the cube roots of 1).
    iaf::linear_dynamics<double, 2> d;
    d.a << -3.0, 1.0, 1.0, -3.0;  // -2, -4
    CHECK(d.fastest_rate() == doctest::Approx(4.0).epsilon(1e-14));
    d.a << -1.0, -2.0, 2.0, -1.0;  // -1 +- 2i
    CHECK(d.fastest_rate() == doctest::Approx(1.0).epsilon(1e-14));
    d.a << -1.0, 5.0, 0.5, -2.0;  // -1.5 +- sqrt(2.75): one grows, one decays
    CHECK(d.fastest_rate() == doctest::Approx(1.5 + std::sqrt(2.75)).epsilon(1e-14));
    d.a << 1.0, -1.0, 1.0, 1.0;  // 1 +- i: nothing decays
    CHECK(d.fastest_rate() == 0.0);
    iaf::linear_dynamics<float, 3> cycle;
    cycle.a << -2.0f, 1.0f, 0.0f, 0.0f, -2.0f, 1.0f, 1.0f, 0.0f, -2.0f;  // -1, -2.5 +- i sqrt(3)/2
    CHECK(cycle.fastest_rate() == doctest::Approx(2.5).epsilon(1e-12));
}

TEST_CASE("stability: exact and dopri5 declare no limit and take any dt") {
    const iaf::lif m{{.tau_m = 0.04, .c_m = 0.25, .e_l = -65.0, .v_th = -50.0, .v_reset = -65.0}};
    static_assert(!iaf::StabilityLimitedIntegrator<iaf::exact>);
    static_assert(!iaf::StabilityLimitedIntegrator<iaf::dopri5>);
    iaf::neuron exact{m, iaf::constant{0.5}, iaf::exact{}, iaf::analytic{}, 1.0};
    iaf::neuron adaptive{m, iaf::constant{0.5}, iaf::dopri5{}, iaf::analytic{}, 1.0};
    int spikes = 0;
    for (int k = 0; k < 50; ++k) spikes += exact.step() + adaptive.step();
    CHECK(spikes == 0);  // V_inf = E_L + R I = -64.92 mV, far below the threshold
    CHECK_REL(exact.voltage(), -65.0 + 0.16 * 0.5, 1e-14);
    CHECK_REL(adaptive.voltage(), -65.0 + 0.16 * 0.5, 1e-8);
}

TEST_CASE("stability: user integrators are checked when they declare a limit, and not otherwise") {
    const iaf::lif m{{.tau_m = 1.0, .c_m = 1.0}};
    CHECK_THROWS_WITH_AS((iaf::neuron{m, constant_input, declared_limit{}, iaf::grid{}, 1.5}),
                         doctest::Contains("the integrator: dt = 1.5 ms exceeds the stability bound 1 tau = 1 ms"),
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((iaf::neuron{m, constant_input, declared_limit{}, iaf::grid{}, 1.5}),
                         doctest::Contains("give it a bool allow_unstable member"), iaf::invalid_parameter);
    CHECK_NOTHROW((iaf::neuron{m, constant_input, declared_limit{}, iaf::grid{}, 0.9}));
    CHECK_NOTHROW((iaf::neuron{m, constant_input, no_declared_limit{}, iaf::grid{}, 1.5}));
}

TEST_CASE("stability: an affine user model's bound comes from its homogeneous derivative") {
    const affine_leak m{};  // tau = 0.5 ms
    const auto zero = [](double) { return 0.0; };
    CHECK_THROWS_WITH_AS((iaf::neuron{m, zero, iaf::euler{}, iaf::grid{}, 1.0 + 1e-9}),
                         doctest::Contains("stability bound 2 tau = 1 ms"), iaf::invalid_parameter);
    CHECK_NOTHROW((iaf::neuron{m, zero, iaf::euler{}, iaf::grid{}, 1.0 - 1e-9}));
}

TEST_CASE("stability: a non-linear model is checked against the fastest rate it declares") {
    const cubic_leak m{};  // tau = 0.25 ms: RK4's bound is 2.785293563405 * 0.25 ms
    const auto zero = [](double) { return 0.0; };
    const double bound = 2.785293563405 * 0.25;
    CHECK_THROWS_WITH_AS((iaf::neuron{m, zero, iaf::rk4{}, iaf::grid{}, bound * (1.0 + 1e-9)}),
                         doctest::Contains("ms of this model (tau = 0.25 ms"), iaf::invalid_parameter);
    CHECK_NOTHROW((iaf::neuron{m, zero, iaf::rk4{}, iaf::grid{}, bound * (1.0 - 1e-9)}));
    CHECK_NOTHROW((iaf::neuron{m, zero, iaf::dopri5{}, iaf::grid{}, 10.0}));
}

TEST_CASE_TEMPLATE("stability: just below the bound the run follows the method's closed form and settles at V_inf", I,
                   iaf::euler, iaf::heun, iaf::rk4) {
    // V_n = V_inf + (V0 - V_inf) R(-dt/tau)^n for constant input, with |R| < 1 below the bound:
    // the oscillation decays to V_inf = E_L + R_m I and the neuron never fires (true answer: 0 spikes).
    const double tau = 0.04, c = 0.25, e_l = -65.0, v0 = -60.0, v_th = -50.0;
    const iaf::lif m{{.tau_m = tau, .c_m = c, .e_l = e_l, .v_th = v_th, .v_reset = e_l, .v_init = v0}};
    const double v_inf = e_l + tau / c * 0.5;
    const double dt = 0.97 * expected_limit(I{}) * tau;
    const double factor = stability_function(I{}, -dt / tau);
    REQUIRE(std::abs(factor) < 1.0);
    iaf::neuron n{m, constant_input, I{}, iaf::hermite{}, dt};
    int spikes = 0;
    for (int k = 1; k <= 400; ++k) {
        spikes += n.step();
        if (k % 100 == 0) {
            const double expected = v_inf + (v0 - v_inf) * std::pow(factor, k);
            CHECK_ABS(n.voltage(), expected, 1e-12 * std::abs(e_l));
        }
    }
    CHECK(spikes == 0);
    CHECK_ABS(n.voltage(), v_inf, 1e-3);  // |R|^400 (v0 - v_inf) is below 1e-3 mV for all three
}
