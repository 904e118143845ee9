#include <cmath>
#include <limits>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/currents/piecewise.hpp>
#include <iaf/errors.hpp>

#include "current_checks.hpp"

#include "../support/tolerance.hpp"

TEST_CASE("piecewise: values k from times k up to times k+1, 0 before, last value after") {
    const iaf::piecewise p{{1.0, 2.0, 4.0}, {0.5, -1.0, 3.0}};
    CHECK(p(0.999) == 0.0);
    CHECK(p(1.0) == 0.5);
    CHECK(p(1.999) == 0.5);
    CHECK(p(2.0) == -1.0);
    CHECK(p(4.0) == 3.0);
    CHECK(p(1e9) == 3.0);
}

TEST_CASE("piecewise: every time is a breakpoint, found by binary search") {
    std::vector<double> times, values;
    for (int k = 0; k < 1000; ++k) {
        times.push_back(0.5 * k);
        values.push_back(k % 3);
    }
    const iaf::piecewise p{times, values};
    CHECK(p.next_breakpoint(-1.0) == 0.0);
    CHECK(p.next_breakpoint(0.0) == 0.5);
    CHECK(p.next_breakpoint(100.2) == 100.5);
    CHECK(p.next_breakpoint(499.5) == std::numeric_limits<double>::infinity());
    CHECK(p(100.7) == 201 % 3);
}

TEST_CASE("piecewise: leaky_response equals the convolution integral, also after many jumps") {
    std::vector<double> times, values;
    for (int k = 0; k < 400; ++k) {
        times.push_back(0.7 * k + 0.013);
        values.push_back(std::sin(0.37 * k));
    }
    const iaf::piecewise p{times, values};
    const double tau = 3.0;
    for (double t : {0.0, 0.5, 5.05, 77.7, 150.0, 279.3, 400.0}) {
        const double q = iaf_test::leaky_by_quadrature(p, t, tau, 0.0, times);
        CHECK_REL(p.leaky_response(t, tau), q, 3e-14);  // measured: at most 3.2e-15
    }
}

TEST_CASE("piecewise: bad tables are rejected with a message naming the entry") {
    CHECK_THROWS_WITH_AS((void)(iaf::piecewise{{0.0, 1.0}, {1.0}}),
                         "iaf::piecewise: values.size() = 1 is invalid (must equal times.size() = 2)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(iaf::piecewise{{0.0, 2.0, 2.0}, {1.0, 2.0, 3.0}}),
                         "iaf::piecewise: times[2] = 2 is invalid (times must be strictly increasing)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(iaf::piecewise{{0.0}, {std::numeric_limits<double>::infinity()}}),
                         "iaf::piecewise: values[0] = inf is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(iaf::piecewise{{}, {}}), "iaf::piecewise: times.size() = 0 is invalid (must be >= 1)",
                         iaf::invalid_parameter);
}
