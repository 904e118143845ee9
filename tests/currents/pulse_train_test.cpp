#include <cmath>
#include <limits>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/currents/pulse_train.hpp>
#include <iaf/errors.hpp>

#include "current_checks.hpp"

#include "../support/tolerance.hpp"

TEST_CASE("pulse_train: equals the sum of its pulses, overlapping ones included") {
    const std::vector<iaf::pulse> pulses{{.onset = 30, .duration = 2.5, .amplitude = 2},
                                         {.onset = 10, .duration = 5, .amplitude = 1},
                                         {.onset = 12, .duration = 10, .amplitude = -0.3}};
    const iaf::pulse_train train{pulses};
    for (double t = 0.0; t < 40.0; t += 0.173) {
        double sum = 0.0;
        for (const auto& p : pulses) sum += p(t);
        CHECK_REL(train(t), sum, 1e-15);  // measured: at most 1.9e-16
    }
    CHECK_REL(train(15.0), -0.3, 1e-15);
    CHECK(train(40.0) == 0.0);  // exactly zero once every pulse has ended
}

TEST_CASE("pulse_train: reports every edge in order, from an initializer list too") {
    const iaf::pulse_train train{{.onset = 10, .duration = 5, .amplitude = 1}, {.onset = 12, .duration = 10, .amplitude = 1}};
    std::vector<double> seen;
    for (double b = train.next_breakpoint(-1.0); std::isfinite(b); b = train.next_breakpoint(b)) seen.push_back(b);
    CHECK(seen == std::vector<double>{10.0, 12.0, 15.0, 22.0});
}

TEST_CASE("pulse_train: leaky_response equals the convolution integral") {
    const iaf::pulse_train train{{.onset = 1.3, .duration = 2.2, .amplitude = 1},
                                 {.onset = 2.0, .duration = 0.7, .amplitude = 0.5},
                                 {.onset = 9.1, .duration = 3.0, .amplitude = -2}};
    const double tau = 2.5;
    for (double t : {1.0, 1.5, 2.3, 3.5, 6.0, 10.0, 30.0}) {
        const double q = iaf_test::leaky_by_quadrature(train, t, tau, 0.0, train.edges());
        CHECK_REL(train.leaky_response(t, tau), q, 1.5e-12);  // measured: at most 1.5e-13
    }
}

TEST_CASE("pulse_train: an invalid pulse is rejected when it is built") {
    CHECK_THROWS_WITH_AS((void)(iaf::pulse_train{{.onset = 1, .duration = -2, .amplitude = 1}}),
                         "iaf::pulse: duration = -2 is invalid (must be >= 0)", iaf::invalid_parameter);
}
