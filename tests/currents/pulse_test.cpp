#include <cmath>
#include <limits>

#include <doctest/doctest.h>
#include <iaf/currents/pulse.hpp>
#include <iaf/errors.hpp>

#include "current_checks.hpp"

#include "../support/tolerance.hpp"

TEST_CASE("pulse: amplitude from onset up to onset + duration, zero elsewhere") {
    const iaf::pulse p{.onset = 10, .duration = 5, .amplitude = 2};
    CHECK(p(9.99) == 0.0);
    CHECK(p(10.0) == 2.0);
    CHECK(p(14.99) == 2.0);
    CHECK(p(15.0) == 0.0);
}

TEST_CASE("pulse: reports both edges as breakpoints, then none") {
    const iaf::pulse p{.onset = 10, .duration = 5, .amplitude = 2};
    CHECK(p.next_breakpoint(0.0) == 10.0);
    CHECK(p.next_breakpoint(10.0) == 15.0);
    CHECK(p.next_breakpoint(15.0) == std::numeric_limits<double>::infinity());
}

TEST_CASE("pulse: leaky_response equals the convolution integral and is continuous at the edges") {
    const iaf::pulse p{.onset = 10, .duration = 5, .amplitude = 2};
    const double tau = 4.0;
    for (double t : {0.0, 10.0, 12.5, 15.0, 15.3, 40.0, 150.0}) {
        const double q = iaf_test::leaky_by_quadrature(p, t, tau, 0.0, {10.0, 15.0});
        CHECK_REL(p.leaky_response(t, tau), q, 5e-15);  // measured: at most 5.0e-16
    }
    // Long after the pulse the response is tiny but still relatively accurate (no cancellation).
    const double late = 2 * 4 * (1 - std::exp(-5.0 / 4)) * std::exp(-(300.0 - 15) / 4);
    CHECK_REL(p.leaky_response(300.0, tau), late, 1e-15);  // measured: equal
    CHECK_REL(p.leaky_response(std::nextafter(15.0, 0.0), tau), p.leaky_response(15.0, tau), 2e-15);  // measured: 1.6e-16
    for (double t : {12.0, 20.0}) CHECK(std::abs(iaf_test::leaky_residual(p, t, tau)) < 1e-9);
}

TEST_CASE("pulse: a negative duration is rejected with a message naming it") {
    CHECK_THROWS_WITH_AS((void)(iaf::pulse{.onset = 1, .duration = -1, .amplitude = 1}),
                         "iaf::pulse: duration = -1 is invalid (must be >= 0)", iaf::invalid_parameter);
}
