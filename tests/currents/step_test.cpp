#include <cmath>
#include <limits>

#include <doctest/doctest.h>
#include <iaf/currents/step.hpp>
#include <iaf/errors.hpp>

#include "current_checks.hpp"

#include "../support/tolerance.hpp"

TEST_CASE("step: zero before the onset, amplitude from it on (right-continuous)") {
    const iaf::step s{.onset = 10, .amplitude = 1.5};
    CHECK(s(9.999) == 0.0);
    CHECK(s(10.0) == 1.5);
    CHECK(s(1e6) == 1.5);
}

TEST_CASE("step: reports its onset as the only breakpoint") {
    const iaf::step s{.onset = 10, .amplitude = 1};
    CHECK(s.next_breakpoint(0.0) == 10.0);
    CHECK(s.next_breakpoint(10.0) == std::numeric_limits<double>::infinity());
}

TEST_CASE("step: leaky_response equals the convolution integral and solves du/dt = -u/tau + I") {
    const iaf::step s{.onset = 10, .amplitude = 1.5};
    const double tau = 7.0;
    for (double t : {5.0, 10.0, 10.001, 12.0, 30.0, 200.0}) {
        // Measured: at most 3.6e-16 from the quadrature, and equal to the closed form below.
        CHECK_REL(s.leaky_response(t, tau), iaf_test::leaky_by_quadrature(s, t, tau, 0.0, {10.0}), 4e-15);
        // closed form written out: 1.5 * 7 * (1 - e^{-(t - 10)/7}), with expm1 so that the
        // reference itself does not cancel just after the onset
        CHECK_REL(s.leaky_response(t, tau), t > 10 ? -10.5 * std::expm1(-(t - 10) / 7) : 0.0, 1e-15);
    }
    for (double t : {11.0, 20.0}) CHECK(std::abs(iaf_test::leaky_residual(s, t, tau)) < 1e-9);
}

TEST_CASE("step: non-finite parameters are rejected with a message naming them") {
    CHECK_THROWS_WITH_AS((void)(iaf::step{.onset = std::numeric_limits<double>::infinity(), .amplitude = 1}),
                         "iaf::step: onset = inf is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(iaf::step{.onset = 0, .amplitude = std::numeric_limits<double>::quiet_NaN()}),
                         "iaf::step: amplitude = nan is invalid (must be finite)", iaf::invalid_parameter);
}
