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

TEST_CASE("white_noise: the exact response has variance sigma^2 tau/2 (1 - e^{-2h/tau}), one draw per start time") {
    const iaf::white_noise w{.mean = 1, .sigma = 0.4, .dt = 0.1, .seed = 3};
    const double tau = 10.0, h = 0.1;
    // A step starting on a bin edge uses that bin's number: same sign and proportional to the held value.
    const double z0 = iaf::detail::counter_normal(3, 0);
    CHECK(w.white_noise_response(0.0, h, tau) == doctest::Approx(0.4 * std::sqrt(tau / 2 * (1 - std::exp(-2 * h / tau))) * z0).epsilon(1e-14));
    // The same start with a shorter step reuses the draw (a continuous path inside the step).
    const double r1 = w.white_noise_response(0.03, 0.05, tau), r2 = w.white_noise_response(0.03, 0.02, tau);
    CHECK(r1 / r2 == doctest::Approx(std::sqrt(std::expm1(-0.1 / tau) / std::expm1(-0.04 / tau))).epsilon(1e-13));
    // Starts inside bins get independent draws: variance over 2e5 of them (standard error 0.32 %).
    double s2 = 0, cross = 0;
    const int n = 200000;
    for (int k = 0; k < n; ++k) {
        const double t = 0.1 * k + 0.037;
        const double r = w.white_noise_response(t, h, tau);
        s2 += r * r;
        cross += r * w.white_noise_response(0.1 * k, h, tau);
    }
    const double variance = 0.16 * tau / 2 * (1 - std::exp(-2 * h / tau));
    CHECK(s2 / n == doctest::Approx(variance).epsilon(0.02));
    CHECK(std::abs(cross / n) < 0.02 * variance);
    // The drift is the mean.
    CHECK(w.drift()(5.0) == 1.0);
}

TEST_CASE("white_noise: bad parameters are rejected with a message naming them") {
    CHECK_THROWS_WITH_AS((iaf::white_noise{.mean = 0, .sigma = 1}), "iaf::white_noise: dt = 0 is invalid (must be > 0)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((iaf::white_noise{.mean = 0, .sigma = -1, .dt = 0.1}),
                         "iaf::white_noise: sigma = -1 is invalid (must be >= 0)", iaf::invalid_parameter);
}
