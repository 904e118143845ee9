#include <cmath>
#include <cstdint>
#include <numbers>

#include <doctest/doctest.h>
#include <iaf/detail/counter_rng.hpp>

#include "../support/tolerance.hpp"

namespace rng = iaf::detail;

TEST_CASE("counter_rng: portable log and cos agree with the C library to a few ulp") {
    double worst_log = 0.0, worst_cos = 0.0;
    for (std::uint64_t k = 0; k < 200000; ++k) {
        const double x = rng::uniform_open0(rng::counter_hash(3, k));
        worst_log = std::max(worst_log, std::abs(rng::portable_log(x) - std::log(x)) / std::max(1e-300, std::abs(std::log(x))));
        const double u = rng::uniform_closed0(rng::counter_hash(4, k));
        worst_cos = std::max(worst_cos, std::abs(rng::portable_cos_2pi(u) - std::cos(2 * std::numbers::pi * u)));
    }
    // Extremes: the smallest uniform (2^-53) and values next to 1.
    CHECK_REL(rng::portable_log(0x1.0p-53), -53 * std::numbers::ln2, 1e-15);  // measured: equal
    CHECK(rng::portable_log(1.0) == 0.0);
    CHECK_REL(rng::portable_log(std::nextafter(1.0, 0.0)), std::log(std::nextafter(1.0, 0.0)), 1e-15);  // measured: equal
    CHECK(worst_log < 1e-15);  // a few ulp
    CHECK(worst_cos < 1e-15);  // includes the rounding of 2 pi u in the reference
}

TEST_CASE("counter_rng: portable expm1 agrees with the C library to a few ulp for x <= 0") {
    double worst = 0.0;
    for (int k = 0; k < 200000; ++k) {
        // Magnitudes from 1e-12 to 700, both sides of the ln2/2 switch.
        const double x = -std::pow(10.0, -12.0 + 14.85 * rng::uniform_closed0(rng::counter_hash(9, static_cast<std::uint64_t>(k))));
        worst = std::max(worst, std::abs(rng::portable_expm1(x) - std::expm1(x)) / std::abs(std::expm1(x)));
    }
    CHECK(worst < 1e-15);
    CHECK(rng::portable_expm1(0.0) == 0.0);
    CHECK(rng::portable_expm1(-800.0) == -1.0);
}

TEST_CASE("counter_rng: normals equal Box-Muller computed with std::log and std::cos on the same words") {
    for (std::uint64_t n = 0; n < 1000; ++n) {
        const double u1 = static_cast<double>((rng::counter_hash(11, 2 * n) >> 11) + 1) / 9007199254740992.0;
        const double u2 = static_cast<double>(rng::counter_hash(11, 2 * n + 1) >> 11) / 9007199254740992.0;
        const double z = std::sqrt(-2 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
        // Absolute: where cos(2 pi u2) passes through 0 the reference's own rounding of 2 pi u2
        // (~1e-16 absolute, times sqrt(-2 ln u1) <= 8.6) is all that is left, so a relative bound
        // would measure the reference. Measured: at most 2.0e-15 apart.
        CHECK_ABS(rng::counter_normal(11, n), z, 2e-14);
    }
}

TEST_CASE("counter_rng: normals are pure, and have the moments of N(0, 1)") {
    CHECK(rng::counter_normal(5, 123) == rng::counter_normal(5, 123));
    CHECK(rng::counter_normal(5, 123) != rng::counter_normal(6, 123));
    // n = 10^6 independent draws: the standard errors of the mean, variance and fourth moment
    // are 1/sqrt(n) = 1e-3, sqrt(2/n) = 1.4e-3 and sqrt(96/n) = 9.8e-3; tolerances are 5 of them.
    const int n = 1000000;
    double s1 = 0, s2 = 0, s4 = 0, lag = 0, previous = 0;
    for (int k = 0; k < n; ++k) {
        const double z = rng::counter_normal(2024, static_cast<std::uint64_t>(k));
        s1 += z;
        s2 += z * z;
        s4 += z * z * z * z;
        lag += z * previous;
        previous = z;
    }
    CHECK(std::abs(s1 / n) < 5e-3);
    CHECK(std::abs(s2 / n - 1) < 7e-3);
    CHECK(std::abs(s4 / n - 3) < 5e-2);
    CHECK(std::abs(lag / n) < 5e-3);  // neighbouring counters are uncorrelated
}
