// detail::noise_bins: bin n is [n dt, (n + 1) dt) with the edges the doubles n * dt; the search
// ends for any dt and t, valid or not, and never casts an out-of-range double to int64.
#include <cmath>
#include <cstdint>
#include <limits>

#include <doctest/doctest.h>
#include <iaf/detail/noise_bins.hpp>
#include <iaf/errors.hpp>

TEST_CASE("noise_bins: the bin of t is the n with n * dt <= t < (n + 1) * dt, edges included") {
    const iaf::detail::noise_bins bins{0.1};
    // 3 * 0.1 = 0.30000000000000004 > 0.3, so 0.3 lies in bin 2 although 0.3 / 0.1 rounds to 3.
    CHECK(3 * 0.1 > 0.3);
    CHECK(bins.index(0.3) == 2);
    CHECK(bins.index(3 * 0.1) == 3);
    CHECK(bins.index(0.0) == 0);
    CHECK(bins.index(std::nextafter(0.0, -1.0)) == -1);
    CHECK(bins.index(-0.05) == -1);
    // Every edge k * 0.1 opens bin k, for a long stretch of k.
    for (std::int64_t k = -1000; k <= 100000; ++k) {
        const double edge = static_cast<double>(k) * 0.1;
        REQUIRE(bins.index(edge) == k);
        REQUIRE(bins.index(std::nextafter(edge, -1e9)) == k - 1);
    }
    CHECK(bins.next_edge(0.3) == 3 * 0.1);
}

TEST_CASE("noise_bins: any dt and t give an answer, clamped to +-2^62 bins") {
    const double inf = std::numeric_limits<double>::infinity();
    const double nan = std::numeric_limits<double>::quiet_NaN();
    constexpr std::int64_t clamp = std::int64_t{1} << 62;
    // t / dt beyond the int64 range (a cast would be undefined behaviour): clamped.
    CHECK(iaf::detail::noise_bins{0.1}.index(1e300) == clamp);
    CHECK(iaf::detail::noise_bins{0.1}.index(-1e300) == -clamp);
    CHECK(iaf::detail::noise_bins{1e-320}.index(1.0) == clamp);
    CHECK(iaf::detail::noise_bins{0.1}.index(nan) == 0);
    // dt = 0 used to loop forever (every edge is 0 <= t): now t / 0 = inf clamps, 0 / 0 gives 0.
    CHECK(iaf::detail::noise_bins{0.0}.index(1.0) == clamp);
    CHECK(iaf::detail::noise_bins{0.0}.index(0.0) == 0);
    CHECK(iaf::detail::noise_bins{0.0}.next_edge(1.0) == inf);
    CHECK(iaf::detail::noise_bins{0.0}.next_edge(0.0) == inf);
    // A negative width: edges decrease with n; the bounded correction returns, next_edge is after t.
    (void)iaf::detail::noise_bins{-0.1}.index(1.0);
    const double b = iaf::detail::noise_bins{-0.1}.next_edge(1.0);
    CHECK((b > 1.0 || b == inf));
    CHECK(iaf::detail::noise_bins{nan}.next_edge(1.0) == inf);
    CHECK(iaf::detail::noise_bins{0.1}.next_edge(1e300) == inf);
}

TEST_CASE("noise_bins: a bin width must be finite, positive and normal") {
    CHECK_THROWS_WITH_AS(iaf::detail::require_bin_width("owner", 0.0), "owner: dt = 0 is invalid (must be > 0)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::detail::require_bin_width("owner", std::numeric_limits<double>::infinity()),
                         "owner: dt = inf is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::detail::require_bin_width("owner", std::numeric_limits<double>::denorm_min()),
                         "owner: dt = 5e-324 is invalid (must be a normal number "
                         "(>= 2.2250738585072014e-308))",
                         iaf::invalid_parameter);
    CHECK_NOTHROW(iaf::detail::require_bin_width("owner", std::numeric_limits<double>::min()));
}
