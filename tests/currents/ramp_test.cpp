#include <cmath>
#include <limits>

#include <doctest/doctest.h>
#include <iaf/currents/ramp.hpp>
#include <iaf/errors.hpp>

#include "current_checks.hpp"

#include "../support/tolerance.hpp"

TEST_CASE("ramp: zero before the onset, slope * (t - onset) after, kink reported as breakpoint") {
    const iaf::ramp r{.onset = 2, .slope = 0.5};
    CHECK(r(1.0) == 0.0);
    CHECK(r(2.0) == 0.0);
    CHECK_REL(r(6.0), 2.0, 1e-15);  // measured: equal
    CHECK(r.next_breakpoint(0.0) == 2.0);
    CHECK(r.next_breakpoint(2.0) == std::numeric_limits<double>::infinity());
}

TEST_CASE("ramp: leaky_response equals the convolution integral, also just after the onset") {
    const iaf::ramp r{.onset = 2, .slope = 0.5};
    const double tau = 10.0;
    // Includes points where (t - onset)/tau is tiny, where the closed form would cancel.
    CHECK(r.leaky_response(1.0, tau) == 0.0);
    for (double t : {2.0 + 1e-6, 2.0 + 1e-3, 2.5, 3.2, 3.3, 12.0, 80.0, 500.0}) {
        const double q = iaf_test::leaky_by_quadrature(r, t, tau, 0.0, {2.0});
        CHECK_REL(r.leaky_response(t, tau), q, 1e-12);  // relative, even for tiny u (measured: at most 4.4e-13)
    }
    // Closed form written out where it does not cancel: 0.5 * 10 * (s - 10 (1 - e^{-s/10})).
    const double s = 48.0;
    CHECK_REL(r.leaky_response(50.0, tau), 5.0 * (s - 10 * (1 - std::exp(-s / 10))), 2e-15);  // measured: 1.5e-16
    for (double t : {3.0, 30.0}) CHECK(std::abs(iaf_test::leaky_residual(r, t, tau)) < 1e-9);
}

TEST_CASE("ramp: non-finite parameters are rejected") {
    CHECK_THROWS_WITH_AS((void)(iaf::ramp{.onset = 0, .slope = std::numeric_limits<double>::infinity()}),
                         "iaf::ramp: slope = inf is invalid (must be finite)", iaf::invalid_parameter);
}
