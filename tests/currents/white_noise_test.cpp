#include <cmath>
#include <cstdint>
#include <limits>

#include <doctest/doctest.h>
#include <iaf/currents.hpp>
#include <iaf/detail/counter_rng.hpp>
#include <iaf/errors.hpp>

TEST_CASE("white_noise: held over bins from n dt to (n+1) dt at mean + sigma z_n / sqrt(dt)") {
    const iaf::white_noise w{.mean = 0.5, .sigma = 0.2, .dt = 0.1, .seed = 7};
    for (std::int64_t n : {0, 1, 2, 37, 1000}) {
        const double z = iaf::detail::counter_normal(7, static_cast<std::uint64_t>(n));
        const double expected = 0.5 + 0.2 * z / std::sqrt(0.1);
        const double lo = static_cast<double>(n) * 0.1;
        CHECK(w(lo) == doctest::Approx(expected).epsilon(1e-15));
        CHECK(w(lo + 0.05) == w(lo));
        CHECK(w(std::nextafter(static_cast<double>(n + 1) * 0.1, 0.0)) == w(lo));
        CHECK(w.next_breakpoint(lo) == static_cast<double>(n + 1) * 0.1);
    }
}

TEST_CASE("white_noise: bin edges are exactly the grid times n * dt of a neuron with that step") {
    const iaf::white_noise w{.mean = 0, .sigma = 1, .dt = 0.1, .seed = 1};
    for (std::int64_t k = 0; k < 100000; k += 7) {
        const double t = static_cast<double>(k) * 0.1;
        CHECK(w.next_breakpoint(t) == static_cast<double>(k + 1) * 0.1);
    }
}

TEST_CASE("white_noise: defined per unit time, so the integral over 1 ms has variance sigma^2 at any dt") {
    // The integral of sigma xi over a window T has variance sigma^2 T whatever the bin width.
    // 10^5 independent windows: the variance's standard error is sqrt(2/10^5) = 0.45 %; 2 % is
    // more than 4 of them.
    const double sigma = 0.3;
    for (double dt : {0.05, 0.25, 1.0}) {
        const iaf::white_noise w{.mean = 0, .sigma = sigma, .dt = dt, .seed = 99};
        const int per_window = static_cast<int>(std::lround(1.0 / dt)), windows = 100000;
        double s2 = 0;
        for (int k = 0; k < windows; ++k) {
            double integral = 0;
            for (int j = 0; j < per_window; ++j) integral += w((k * per_window + j + 0.5) * dt) * dt;
            s2 += integral * integral;
        }
        CAPTURE(dt);
        CHECK(s2 / windows == doctest::Approx(sigma * sigma).epsilon(0.02));
    }
}

TEST_CASE("white_noise: the sample for exact steps is sigma z, one independent draw per start time") {
    const iaf::white_noise w{.mean = 1, .sigma = 0.4, .dt = 0.1, .seed = 3};
    // A step starting on a bin edge uses that bin's number, the one the held current uses.
    for (std::int64_t n : {0, 1, 5, 1234}) {
        const double edge = static_cast<double>(n) * 0.1;
        CHECK(w.white_noise_sample(edge) == doctest::Approx(0.4 * iaf::detail::counter_normal(3, static_cast<std::uint64_t>(n))).epsilon(1e-15));
    }
    // Starts inside bins get independent draws: variance 0.16 and no correlation with the bin's
    // own number over 2e5 of them (standard errors 0.32 % and 0.0022 relative).
    double s2 = 0, cross = 0;
    const int n = 200000;
    for (int k = 0; k < n; ++k) {
        const double r = w.white_noise_sample(0.1 * k + 0.037);
        s2 += r * r;
        cross += r * w.white_noise_sample(0.1 * k);
    }
    CHECK(s2 / n == doctest::Approx(0.16).epsilon(0.02));
    CHECK(std::abs(cross / n) < 0.02 * 0.16);
    CHECK(w.white_noise_sample(0.037) == w.white_noise_sample(0.037));  // pure
    // The drift is the mean.
    CHECK(w.drift()(5.0) == 1.0);
}

TEST_CASE("white_noise: bad parameters are rejected with a message naming them") {
    CHECK_THROWS_WITH_AS((void)(iaf::white_noise{.mean = 0, .sigma = 1}), "iaf::white_noise: dt = 0 is invalid (must be > 0)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(iaf::white_noise{.mean = 0, .sigma = -1, .dt = 0.1}),
                         "iaf::white_noise: sigma = -1 is invalid (must be >= 0)", iaf::invalid_parameter);
}
