#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/currents.hpp>
#include <iaf/errors.hpp>

#include "../support/tolerance.hpp"

TEST_CASE("ornstein_uhlenbeck: stationary mean, variance and autocorrelation exp(-lag/tau) at 0.5, 1 and 2 tau") {
    // 16 independent seeds, each a path of 250000 bins of dt = tau/4, read at the bin middles.
    // At the bin edges the path is exactly AR(1) with a = e^{-dt/tau} from the stationary law, so
    // over n = 4e6 samples in all the standard errors are (Bartlett's formula for r_k):
    //   mean:            sigma sqrt((1 + a) / (1 - a) / n)                       = 1.4e-3 sigma
    //   variance:        sigma^2 sqrt(2 (1 + a^2) / (1 - a^2) / n)               = 1.4e-3 relative
    //   r_k, lag k bins: sqrt(((1 + a^2)(1 - a^{2k}) / (1 - a^2) - 2k a^{2k}) / n) = 7.6e-4 .. 9.6e-4
    // (Checked: over 200 other seeds the per-seed scatter of the mean and variance is within 2 % of
    // these formulas.) The bounds are 5 of them, computed below. Measured: mean 1.8e-3 off (2.5
    // sigma), variance 0.09 %, r at 0.5, 1, 2 tau off by 5e-5, 4.5e-4, 1.0e-3.
    const double mean = 1.0, sigma = 0.5, tau = 2.0, dt = tau / 4;
    const std::size_t seeds = 16, bins = 250000;
    const std::array<std::size_t, 3> lags{2, 4, 8};  // 0.5, 1 and 2 tau
    std::vector<double> x;
    x.reserve(seeds * bins);
    for (std::uint64_t seed = 0; seed < seeds; ++seed) {
        const iaf::ornstein_uhlenbeck ou{.mean = mean, .sigma = sigma, .tau = tau, .dt = dt,
                                         .duration = dt * static_cast<double>(bins - 1), .seed = 5000 + seed};
        for (std::size_t k = 0; k < bins; ++k) x.push_back(ou((static_cast<double>(k) + 0.5) * dt));
    }
    const auto n = static_cast<double>(x.size());
    double m = 0;
    for (double v : x) m += v;
    m /= n;
    // Sums over pairs within one seed's path only.
    const auto covariance = [&](std::size_t lag) {
        double c = 0;
        std::size_t pairs = 0;
        for (std::size_t s = 0; s < seeds; ++s)
            for (std::size_t k = s * bins; k + lag < (s + 1) * bins; ++k, ++pairs) c += (x[k] - m) * (x[k + lag] - m);
        return c / static_cast<double>(pairs);
    };
    const double var = covariance(0);
    const double a = std::exp(-dt / tau);
    CHECK_ABS(m, mean, 5 * sigma * std::sqrt((1 + a) / (1 - a) / n));                                // 5 sigma
    CHECK_REL(var, sigma * sigma, 5 * std::sqrt(2 * (1 + a * a) / (1 - a * a) / n));                 // 5 sigma
    for (std::size_t lag : lags) {
        CAPTURE(lag);
        const double k = static_cast<double>(lag), a2k = std::pow(a, 2 * k);
        const double standard_error = std::sqrt(((1 + a * a) * (1 - a2k) / (1 - a * a) - 2 * k * a2k) / n);
        CHECK_ABS(covariance(lag) / var, std::exp(-k * dt / tau), 5 * standard_error);  // 5 sigma
    }
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

TEST_CASE("ornstein_uhlenbeck: dt must be a normal number and the path may not overflow") {
    CHECK_THROWS_WITH_AS((void)(iaf::ornstein_uhlenbeck{.mean = 0, .sigma = 1, .tau = 1, .dt = 1e-320, .duration = 1e-318}),
                         "iaf::ornstein_uhlenbeck: dt = 1e-320 is invalid (must be a normal number "
                         "(>= 2.2250738585072014e-308))",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(iaf::ornstein_uhlenbeck{.mean = 0, .sigma = 1e308, .tau = 1, .dt = 0.1, .duration = 1}),
                         "iaf::ornstein_uhlenbeck: sigma = 1e+308 is invalid (|mean| + 9 sigma must be "
                         "finite)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(iaf::ornstein_uhlenbeck{.mean = 0, .sigma = 1, .tau = 1, .dt = 1e-3, .duration = 1e7}),
                         "iaf::ornstein_uhlenbeck: duration = 1e+07 is invalid (must be < 1e9 dt (the path is tabulated))",
                         iaf::invalid_parameter);
}

TEST_CASE("ornstein_uhlenbeck: breakpoints lie after the query time, up to the end of the table") {
    const iaf::ornstein_uhlenbeck ou{.mean = 0, .sigma = 1, .tau = 5, .dt = 0.5, .duration = 2, .seed = 1};
    // Edges 0.5, 1, 1.5, 2 (the last bin [2, 2.5) is tabulated too): 2.5 is the last breakpoint.
    CHECK(ou.next_breakpoint(0.0) == 0.5);
    CHECK(ou.next_breakpoint(2.0) == 2.5);
    CHECK(ou.next_breakpoint(2.5) == std::numeric_limits<double>::infinity());
    CHECK(ou.next_breakpoint(1e300) == std::numeric_limits<double>::infinity());
    CHECK(ou.next_breakpoint(std::numeric_limits<double>::quiet_NaN()) == std::numeric_limits<double>::infinity());
}
