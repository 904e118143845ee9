#include <cmath>
#include <limits>

#include <doctest/doctest.h>
#include <iaf/models/lif.hpp>

#include "../support/tolerance.hpp"

TEST_CASE("lif: any two of tau_m, r_m, c_m determine the third") {
    const iaf::lif from_rc{{.r_m = 6.4, .c_m = 0.9}};
    CHECK_REL(from_rc.tau_m(), 5.76, 1e-15);  // achieved 1.5e-16
    const iaf::lif from_tau_c{{.tau_m = 10.0, .c_m = 0.25}};
    CHECK_REL(from_tau_c.r_m(), 40.0, 1e-15);  // achieved 0
    const iaf::lif from_tau_r{{.tau_m = 10.0, .r_m = 40.0}};
    CHECK_REL(from_tau_r.c_m(), 0.25, 1e-15);  // achieved 0
    const iaf::lif all_three{{.tau_m = 10.0, .r_m = 40.0, .c_m = 0.25}};
    CHECK(all_three.tau_m() == 10.0);
}

TEST_CASE("lif: v_init defaults to e_l") {
    const iaf::lif m{{.tau_m = 10.0, .c_m = 1.0, .e_l = -70.0, .v_th = -55.0, .v_reset = -70.0}};
    CHECK(m.initial_state() == -70.0);
}

TEST_CASE("lif: derivative is (I - (V - E_L)/R) / C") {
    const iaf::lif m{{.r_m = 5.0, .c_m = 0.5, .e_l = -1.0}};
    // Independent arithmetic: V = 3, I = 2 -> (2 - 4/5) / 0.5 = 2.4
    CHECK_REL(m.derivative(0.0, 3.0, 2.0), 2.4, 1e-15);  // achieved 0
}

TEST_CASE("lif: exact propagator matches the closed-form relaxation for constant input") {
    const iaf::lif m{{.tau_m = 10.0, .c_m = 0.25, .e_l = -65.0}};
    const auto current = [](double) { return 0.5; };
    const double v_inf = -65.0 + 40.0 * 0.5;
    for (double h : {0.01, 0.1, 1.0, 50.0}) {
        const double v = m.propagator(h).advance(-70.0, 3.0, current);
        const double expected = v_inf + (-70.0 - v_inf) * std::exp(-h / 10.0);
        CHECK_REL(v, expected, 2e-15);  // achieved 0 (exp here, expm1 there: a few ulp allowed)
    }
}

TEST_CASE("lif: bad parameters throw messages naming parameter, value and rule") {
    using iaf::invalid_parameter;
    CHECK_THROWS_WITH_AS(iaf::lif({.r_m = -1.0, .c_m = 1.0}), "iaf::lif: r_m = -1 is invalid (must be > 0)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.r_m = 1.0, .c_m = 0.0}), "iaf::lif: c_m = 0 is invalid (must be > 0)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.tau_m = -10.0, .c_m = 1.0}),
                         "iaf::lif: tau_m = -10 is invalid (must be > 0)", invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.tau_m = 10.0, .c_m = 1.0, .t_ref = -2.0}),
                         "iaf::lif: t_ref = -2 is invalid (must be >= 0)", invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.tau_m = 10.0, .c_m = 1.0, .v_th = 5.0, .v_reset = 5.0}),
                         "iaf::lif: v_reset = 5 is invalid (must be < v_th)", invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.tau_m = 10.0, .c_m = 1.0, .v_th = 5.0, .v_reset = 7.5}),
                         "iaf::lif: v_reset = 7.5 is invalid (must be < v_th)", invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.tau_m = 10.0}), "iaf::lif: tau_m = 10 is invalid (give two of r_m, c_m, tau_m)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.tau_m = 10.0, .r_m = 4.0, .c_m = 1.0}),
                         "iaf::lif: tau_m = 10 is invalid (must equal r_m * c_m when all three are given)",
                         invalid_parameter);
}

TEST_CASE("lif: non-finite parameters are rejected") {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS(iaf::lif({.r_m = nan, .c_m = 1.0}), "iaf::lif: r_m = nan is invalid (must be finite)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.tau_m = inf, .c_m = 1.0}), "iaf::lif: tau_m = inf is invalid (must be finite)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.tau_m = 10.0, .c_m = 1.0, .v_th = nan}),
                         "iaf::lif: v_th = nan is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.tau_m = 10.0, .c_m = 1.0, .e_l = -inf}),
                         "iaf::lif: e_l = -inf is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.tau_m = 10.0, .c_m = 1.0, .v_init = nan}),
                         "iaf::lif: v_init = nan is invalid (must be finite)", iaf::invalid_parameter);
}

TEST_CASE("lif: the threshold test is V >= v_th, so a potential exactly at the threshold fires") {
    const iaf::lif m{{.tau_m = 10, .c_m = 0.25, .v_th = 15.0}};
    CHECK(iaf::lif::equations::spiked(m.coefficients(), 15.0));
    CHECK(iaf::lif::equations::spiked(m.coefficients(), 15.5));
    CHECK_FALSE(iaf::lif::equations::spiked(m.coefficients(), std::nextafter(15.0, 0.0)));
}

TEST_CASE("lif: derived tau_m, r_m and c_m are checked: overflow, underflow and a reciprocal that overflows") {
    // Each given value is valid; their product or quotient is not.
    CHECK_THROWS_WITH_AS(iaf::lif({.r_m = 1e200, .c_m = 1e200}),
                         "iaf::lif: tau_m (derived) = inf is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.r_m = 1e-200, .c_m = 1e-200}),
                         "iaf::lif: tau_m (derived) = 0 is invalid (must be > 0)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif({.tau_m = 1e-200, .r_m = 1e200}),
                         "iaf::lif: c_m (derived) = 0 is invalid (must be > 0)", iaf::invalid_parameter);
    // r_m c_m = 1e-310 is positive but subnormal: 1 / tau_m, which the equations read, is inf.
    CHECK_THROWS_WITH_AS(iaf::lif({.r_m = 1e-155, .c_m = 1e-155}),
                         "iaf::lif: tau_m (derived) = 1e-310 is invalid (1 / tau_m must be finite in "
                         "the scalar type)",
                         iaf::invalid_parameter);
    // In float, 1 / tau_m must fit too: 1e-39 ms is a normal double whose reciprocal overflows float.
    CHECK_THROWS_WITH_AS(iaf::basic_lif<float>({.tau_m = 1e-39, .c_m = 1.0}),
                         "iaf::lif: tau_m (derived) = 1e-39 is invalid (1 / tau_m must be finite in "
                         "the scalar type)",
                         iaf::invalid_parameter);
}
