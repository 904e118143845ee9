#include <limits>

#include <doctest/doctest.h>
#include <iaf/currents/constant.hpp>
#include <iaf/errors.hpp>

#include "../support/tolerance.hpp"

TEST_CASE("constant: value at every time and leaky response value * tau") {
    const iaf::constant c{0.8};
    CHECK(c(-1e9) == 0.8);
    CHECK(c(0.0) == 0.8);
    CHECK(c(123.4) == 0.8);
    // du/dt = -u/tau + 0.8 has the steady state 0.8 tau.
    CHECK_REL(c.leaky_response(5.0, 10.0), 8.0, 1e-15);  // measured: equal
}

TEST_CASE("constant: a non-finite value is rejected with a message naming it") {
    CHECK_THROWS_WITH_AS(iaf::constant{std::numeric_limits<double>::quiet_NaN()},
                         "iaf::constant: value = nan is invalid (must be finite)", iaf::invalid_parameter);
}
