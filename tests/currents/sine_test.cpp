#include <cmath>
#include <numbers>

#include <doctest/doctest.h>
#include <iaf/currents/sine.hpp>
#include <iaf/errors.hpp>

#include "current_checks.hpp"

#include "../support/tolerance.hpp"

TEST_CASE("sine: offset + amplitude sin(2 pi f t + phase) with f in cycles per ms") {
    const iaf::sine s{.amplitude = 2, .frequency = 0.1, .phase = 0.3, .offset = 0.5};
    // A 100 Hz sine has a 10 ms period.
    CHECK_REL(s(0.0), 0.5 + 2 * std::sin(0.3), 1e-15);  // measured: equal
    CHECK_REL(s(2.5), 0.5 + 2 * std::sin(std::numbers::pi / 2 + 0.3), 1e-15);  // measured: equal
    CHECK_REL(s(13.7), s(3.7), 3e-15);  // measured: 3.0e-16
}

TEST_CASE("sine: leaky_response solves du/dt = -u/tau + I and equals the convolution integral") {
    const iaf::sine s{.amplitude = 2, .frequency = 0.05, .phase = 0.3, .offset = 0.5};
    const double tau = 10.0;
    for (double t : {0.0, 3.0, 17.5, 101.0}) {
        const double q = iaf_test::leaky_by_quadrature(s, t, tau, t - 60 * tau);
        CHECK_REL(s.leaky_response(t, tau), q, 1e-12);  // measured: at most 9.0e-14
        CHECK(std::abs(iaf_test::leaky_residual(s, t, tau)) < 1e-9);
    }
}

TEST_CASE("sine: a negative frequency is rejected") {
    CHECK_THROWS_WITH_AS((void)(iaf::sine{.amplitude = 1, .frequency = -0.1}),
                         "iaf::sine: frequency = -0.1 is invalid (must be >= 0)",
                         iaf::invalid_parameter);
}

TEST_CASE("sine: a frequency whose angular frequency overflows is rejected") {
    // 1e308 is finite, 2 pi 1e308 is not: omega() would make every value NaN.
    CHECK_THROWS_WITH_AS((void)(iaf::sine{.amplitude = 1, .frequency = 1e308}),
                         "iaf::sine: frequency = 1e+308 is invalid (2 pi frequency must be finite)",
                         iaf::invalid_parameter);
}
