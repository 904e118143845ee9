#include <cmath>
#include <cstddef>
#include <type_traits>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/currents.hpp>
#include <iaf/errors.hpp>

#include "../support/tolerance.hpp"

TEST_CASE("ornstein_uhlenbeck: mean, variance and lag-tau autocorrelation within 1 % over 4e6 samples") {
    // Sampled every dt = tau/2 (a = e^{-1/2}), the path is AR(1). Standard errors for n = 4e6:
    // mean sigma sqrt((1+a)/(1-a)/n) = 1e-3 sigma (0.05 % of mean = 1 with sigma = 0.5); variance
    // sqrt(2 (1+a^2)/(1-a^2)/n) = 0.10 %; lag-2 autocorrelation about 0.2 %. 1 % is 5 or more
    // standard errors for each.
    const double mean = 1.0, sigma = 0.5, tau = 4.0, dt = 2.0;
    const std::size_t n = 4000000;
    const iaf::ornstein_uhlenbeck ou{.mean = mean, .sigma = sigma, .tau = tau, .dt = dt,
                                     .duration = dt * static_cast<double>(n), .seed = 12345};
    std::vector<double> x(n);
    for (std::size_t k = 0; k < n; ++k) x[k] = ou((static_cast<double>(k) + 0.5) * dt);
    double m = 0;
    for (double v : x) m += v;
    m /= static_cast<double>(n);
    double var = 0, cov = 0;
    for (std::size_t k = 0; k < n; ++k) {
        var += (x[k] - m) * (x[k] - m);
        if (k + 2 < n) cov += (x[k] - m) * (x[k + 2] - m);  // lag 2 dt = tau
    }
    var /= static_cast<double>(n);
    cov /= static_cast<double>(n - 2);
    CHECK_REL(m, mean, 0.01);
    CHECK_REL(var, sigma * sigma, 0.01);
    CHECK_REL(cov / var, std::exp(-1.0), 0.01);
}

TEST_CASE("ornstein_uhlenbeck: the same seed gives the same path bit for bit, another seed another path") {
    // Parameters cannot drift away from the tabulated path after construction.
    static_assert(!std::is_copy_assignable_v<iaf::ornstein_uhlenbeck>);
    static_assert(std::is_copy_constructible_v<iaf::ornstein_uhlenbeck>);
    const auto make = [](std::uint64_t seed) {
        return iaf::ornstein_uhlenbeck{.mean = 0, .sigma = 1, .tau = 5, .dt = 0.1, .duration = 1e4, .seed = seed};
    };
    const auto a = make(8), b = make(8), c = make(9);
    int different = 0;
    for (int k = 0; k < 100000; ++k) {
        const double t = 0.1 * k + 0.05;
        REQUIRE(a(t) == b(t));
        different += a(t) != c(t);
    }
    CHECK(different == 100000);
}

TEST_CASE("ornstein_uhlenbeck: held over bins whose edges are breakpoints, and throws outside the table") {
    const iaf::ornstein_uhlenbeck ou{.mean = 0, .sigma = 1, .tau = 5, .dt = 0.5, .duration = 10, .seed = 1};
    CHECK(ou(1.0) == ou(1.49));
    CHECK(ou(1.0) != ou(1.5));
    CHECK(ou.next_breakpoint(1.2) == 1.5);
    CHECK(ou.next_breakpoint(10.0) == 10.5);
    CHECK(ou.next_breakpoint(10.5) == std::numeric_limits<double>::infinity());
    CHECK_THROWS_WITH_AS((void)ou(11.0),
                         "iaf::ornstein_uhlenbeck: evaluated at t = 11 ms, outside its tabulated span [0, 10.5) ms; "
                         "raise duration",
                         iaf::simulation_error);
    CHECK_THROWS_AS((void)ou(-0.1), iaf::simulation_error);
}

TEST_CASE("ornstein_uhlenbeck: bad parameters are rejected with a message naming them") {
    CHECK_THROWS_WITH_AS((void)(iaf::ornstein_uhlenbeck{.mean = 0, .sigma = 1, .tau = 0, .dt = 0.1, .duration = 1}),
                         "iaf::ornstein_uhlenbeck: tau = 0 is invalid (must be > 0)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(iaf::ornstein_uhlenbeck{.mean = 0, .sigma = 1, .tau = 1, .dt = 0.1}),
                         "iaf::ornstein_uhlenbeck: duration = 0 is invalid (must be > 0)", iaf::invalid_parameter);
}
