#include <cmath>
#include <limits>

#include <doctest/doctest.h>
#include <iaf/currents/exponential_decay.hpp>
#include <iaf/errors.hpp>

#include "current_checks.hpp"

#include "../support/tolerance.hpp"

TEST_CASE("exponential_decay: jumps to amplitude at the onset and decays with tau") {
    const iaf::exponential_decay e{.onset = 5, .amplitude = 2, .tau = 3};
    CHECK(e(4.9) == 0.0);
    CHECK(e(5.0) == 2.0);
    CHECK_REL(e(8.0), 2 * std::exp(-1.0), 1e-15);  // measured: equal
    CHECK(e.next_breakpoint(0.0) == 5.0);
    CHECK(e.next_breakpoint(5.0) == std::numeric_limits<double>::infinity());
}

TEST_CASE("exponential_decay: leaky_response equals the convolution integral for any tau_m") {
    const iaf::exponential_decay e{.onset = 5, .amplitude = 2, .tau = 3};
    // tau_m below, equal to, just next to and above the synaptic tau (the removable singularity).
    for (double tau_m : {1.0, 3.0, 3.0 * (1 + 1e-9), 10.0}) {
        for (double t : {0.0, 5.5, 9.0, 40.0, 400.0}) {
            const double q = iaf_test::leaky_by_quadrature(e, t, tau_m, 0.0, {5.0});
            CHECK_REL(e.leaky_response(t, tau_m), q, 3e-12);  // measured: at most 2.8e-13
        }
        CHECK(std::abs(iaf_test::leaky_residual(e, 9.0, tau_m)) < 1e-8);
    }
    // Far in the tail, where e^{-s/tau_m} underflows, the response stays finite.
    CHECK(std::isfinite(e.leaky_response(1e4, 1.0)));
}

TEST_CASE("exponential_decay: tau must be positive") {
    CHECK_THROWS_WITH_AS((void)(iaf::exponential_decay{.onset = 0, .amplitude = 1, .tau = 0}),
                         "iaf::exponential_decay: tau = 0 is invalid (must be > 0)", iaf::invalid_parameter);
}
