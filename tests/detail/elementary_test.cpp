// detail::lane_expm1 and lane_log1p: within 1 ulp of the long double functions on every range,
// exact at 0 with its sign, the standard answers for NaN, infinities and poles, and the lanes of a
// vector the bits of the scalar, special values mixed in.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <type_traits>
#include <vector>

#include <doctest/doctest.h>
// Vectors of 4 and 8 doubles are tested also where the target has no registers that wide: GCC and
// Clang note that passing them by value then differs from an AVX build, which this test never meets.
#pragma GCC diagnostic ignored "-Wpsabi"
#include <iaf/detail/elementary.hpp>

namespace {

using iaf::detail::lane_expm1;
using iaf::detail::lane_log1p;

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double quiet_nan = std::numeric_limits<double>::quiet_NaN();
constexpr int samples = 200000;  // per range: the whole test takes about 1 s in a Debug build
// The promise is 1 ulp; the algorithms reach 0.75 at most over 2e6 draws per range. A correction
// term lost (a rounding error of the reduction, of 1 + x) shows first as an error above this.
constexpr long double max_measured = 0.8L;

/// y - ref in units of the last place of doubles in ref's binade (2^-1074 below the normal range).
long double signed_ulps(double y, long double ref) {
    const int binade = ref == 0 ? std::numeric_limits<double>::min_exponent - 1 : std::ilogb(ref);
    const long double ulp =
        std::ldexp(1.0L, std::max(binade, std::numeric_limits<double>::min_exponent - 1) - 52);
    return (static_cast<long double>(y) - ref) / ulp;
}

/// Draws a double uniformly from [a, b), from [a, b) on a log scale, or subnormal of either sign.
struct uniform {
    double a, b;
    double operator()(std::mt19937_64& rng) const {
        return std::uniform_real_distribution<double>{a, b}(rng);
    }
};
struct log_uniform {
    double a, b;
    double operator()(std::mt19937_64& rng) const {
        // exp of a double lands next to a double's logarithm: the low 32 bits drawn afresh keep
        // log1p from being tested only where its value is nearly a double.
        const double x = std::exp(std::uniform_real_distribution<double>{std::log(a), std::log(b)}(rng));
        const std::uint64_t bits =
            (std::bit_cast<std::uint64_t>(x) & ~std::uint64_t{0xffffffff}) | (rng() >> 32);
        return std::clamp(std::bit_cast<double>(bits), a, b);
    }
};
struct subnormal {
    double operator()(std::mt19937_64& rng) const {
        const std::uint64_t bits = rng() & 0x800fffffffffffff;  // exponent field 0
        return std::bit_cast<double>(bits);
    }
};

struct worst_case {
    long double ulps = 0;
    double x = 0;
};

/// The largest |error| in ulps of f against ref over `samples` draws of `draw` (fixed seed).
template <typename F, typename Ref, typename Draw>
worst_case worst_over(F f, Ref ref, Draw draw, std::uint64_t seed = 1) {
    std::mt19937_64 rng{seed};
    worst_case worst;
    for (int i = 0; i < samples; ++i) {
        const double x = draw(rng);
        const long double e = std::fabs(signed_ulps(f(x), ref(static_cast<long double>(x))));
        if (!(e <= worst.ulps)) worst = {e, x};  // NaN counts as worst
    }
    return worst;
}

/// The mean signed error in ulps of f against ref over `samples` draws from [a, b).
template <typename F, typename Ref>
long double mean_error(F f, Ref ref, double a, double b) {
    std::mt19937_64 rng{7};
    long double sum = 0;
    for (int i = 0; i < samples; ++i) {
        const double x = uniform{a, b}(rng);
        sum += signed_ulps(f(x), ref(static_cast<long double>(x)));
    }
    return sum / samples;
}

const auto expm1_d = [](double x) { return lane_expm1(x); };
const auto log1p_d = [](double x) { return lane_log1p(x); };
const auto expm1_ref = [](long double x) { return expm1l(x); };
const auto log1p_ref = [](long double x) { return log1pl(x); };

bool same_bits(double a, double b) {
    return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

}  // namespace

TEST_CASE("elementary: lane_expm1 is within 1 ulp of expm1l on every range") {
    // Ranges reaching past 709 hold some results of std::expm1: only the promise applies there.
    const auto check = [](const char* range, auto draw, long double bound = max_measured) {
        const worst_case w = worst_over(expm1_d, expm1_ref, draw);
        INFO(range, ": ", static_cast<double>(w.ulps), " ulp at x = ", w.x);
        CHECK(w.ulps <= 1.0L);
        CHECK(w.ulps < bound);
    };
    check("|x| < 1e-300", uniform{-1e-300, 1e-300});
    check("subnormal", subnormal{});
    check("[-1e-8, 1e-8]", uniform{-1e-8, 1e-8});
    check("[-0.35, 0.35]", uniform{-0.35, 0.35});
    check("[-1, 1]", uniform{-1.0, 1.0});
    check("[-40, 10]", uniform{-40.0, 10.0});
    check("[-38, -36], where 1 - 2^-k stops being exact", uniform{-38.0, -36.0});
    check("[-745, 709]", uniform{-745.0, 709.0});
    check("[700, 709], the core's top", uniform{700.0, 709.0});
    check("[-745, 709.7]", uniform{-745.0, 709.7}, 1.0L);
    check("[709, 709.78], up to overflow", uniform{709.0, 709.78}, 1.0L);
}

TEST_CASE("elementary: lane_log1p is within 1 ulp of log1pl on every range") {
    const auto check = [](const char* range, auto draw) {
        const worst_case w = worst_over(log1p_d, log1p_ref, draw);
        INFO(range, ": ", static_cast<double>(w.ulps), " ulp at x = ", w.x);
        CHECK(w.ulps <= 1.0L);
        CHECK(w.ulps < max_measured);
    };
    check("(-1, -0.5]", uniform{-1.0, -0.5});
    check("-1 + [2^-53, 0.5] on a log scale", [](std::mt19937_64& rng) {
        return -1.0 + log_uniform{0x1p-53, 0.5}(rng);
    });
    check("[-0.3, 0.42]", uniform{-0.3, 0.42});
    check("|x| < 1e-300", uniform{-1e-300, 1e-300});
    check("subnormal", subnormal{});
    check("[-1e-8, 1e-8]", uniform{-1e-8, 1e-8});
    check("[0.5, 1e6] on a log scale", log_uniform{0.5, 1e6});
    check("[1e6, 1e300] on a log scale", log_uniform{1e6, 1e300});
    check("[2^52, 2^54] on a log scale, where 1 + x rounds", log_uniform{0x1p52, 0x1p54});
    for (int j = 1; j <= 53; ++j) {
        const double x = -1.0 + std::ldexp(1.0, -j);  // exact: 1 + x is 2^-j
        INFO("x = -1 + 2^-", j);
        CHECK(std::fabs(signed_ulps(lane_log1p(x), log1pl(static_cast<long double>(x)))) <= 1.0L);
    }
}

TEST_CASE("elementary: no term of the series is missing (the errors are unbiased where it is cut)") {
    // The truncation error of e^r - 1 and of the atanh series peaks at the ends of the reduced
    // range, |r| = ln2 / 2 and f = sqrt(2)^+-1 - 1; dropping the last term there shifts the mean
    // error by 0.05 to 0.1 ulp, while rounding errors average out to below 0.01 ulp.
    CHECK(std::fabs(mean_error(expm1_d, expm1_ref, 0.33, 0.3466)) < 0.025L);
    CHECK(std::fabs(mean_error(expm1_d, expm1_ref, -0.3466, -0.33)) < 0.025L);
    CHECK(std::fabs(mean_error(log1p_d, log1p_ref, 0.40, 0.414)) < 0.025L);
    CHECK(std::fabs(mean_error(log1p_d, log1p_ref, -0.2928, -0.28)) < 0.025L);
}

TEST_CASE("elementary: zero is exact and keeps its sign") {
    CHECK(same_bits(lane_expm1(0.0), 0.0));
    CHECK(same_bits(lane_expm1(-0.0), -0.0));
    CHECK(same_bits(lane_log1p(0.0), 0.0));
    CHECK(same_bits(lane_log1p(-0.0), -0.0));
    // The smallest inputs are their own results.
    const double tiny = std::numeric_limits<double>::denorm_min();
    CHECK(lane_expm1(tiny) == tiny);
    CHECK(lane_expm1(-tiny) == -tiny);
    CHECK(lane_log1p(tiny) == tiny);
    CHECK(lane_log1p(-tiny) == -tiny);
}

TEST_CASE("elementary: NaN, infinities, overflow and the pole give the standard answers") {
    CHECK(std::isnan(lane_expm1(quiet_nan)));
    CHECK(std::isnan(lane_log1p(quiet_nan)));
    CHECK(lane_expm1(inf) == inf);
    CHECK(lane_expm1(-inf) == -1.0);
    CHECK(lane_expm1(710.0) == inf);
    CHECK(lane_expm1(-745.0) == -1.0);
    // e^x - 1 leaves -1 near x = -54 ln2 = -37.43: e^-37.2 is 1.26 2^-54.
    CHECK(lane_expm1(-37.5) == -1.0);
    CHECK(lane_expm1(-37.2) == -1.0 + 0x1p-53);
    CHECK(lane_expm1(709.7) == doctest::Approx(std::exp(709.7)).epsilon(1e-15));
    CHECK(lane_log1p(-1.0) == -inf);
    CHECK(std::isnan(lane_log1p(-2.0)));
    CHECK(std::isnan(lane_log1p(-inf)));
    CHECK(lane_log1p(inf) == inf);
    CHECK(lane_log1p(std::numeric_limits<double>::max()) == doctest::Approx(709.782712893384).epsilon(1e-15));
}

namespace {

/// One lane's input: mostly an ordinary value from a wide range, sometimes a special one.
double mixed_input(std::mt19937_64& rng) {
    static const std::vector<double> specials = {
        // outside the core paths
        quiet_nan, -quiet_nan, inf, -inf, -1.0, -2.0, 709.5, 710.0, 0x1p1023,
        std::numeric_limits<double>::max(),
        // at their edges
        0.0, -0.0, 709.0, -37.5, -745.0, 1e300, std::numeric_limits<double>::denorm_min(), -1.0 + 0x1p-53,
        0.5 * std::log(2.0), -0.5 * std::log(2.0), std::sqrt(2.0) - 1.0};
    const std::uint64_t pick = rng() % 16;
    if (pick == 0) return specials[rng() % specials.size()];
    if (pick < 6) return uniform{-1.0, 1.0}(rng);
    if (pick < 11) return uniform{-50.0, 50.0}(rng);
    const double x = log_uniform{1e-300, 1e300}(rng);
    return rng() % 2 == 0 ? x : -x;
}

}  // namespace

TEST_CASE_TEMPLATE("elementary: every lane of a vector has the scalar's bits", Width,
                   std::integral_constant<std::size_t, 2>, std::integral_constant<std::size_t, 4>,
                   std::integral_constant<std::size_t, 8>) {
    constexpr std::size_t width = Width::value;
    using vector = typename iaf::detail::vector_of<double, width>::type;
    std::mt19937_64 rng{11};
    std::size_t mismatches = 0;
    for (int i = 0; i < samples / 4; ++i) {
        vector x{};
        for (std::size_t j = 0; j < width; ++j) x[j] = mixed_input(rng);
        const vector e = lane_expm1(x);
        const vector l = lane_log1p(x);
        for (std::size_t j = 0; j < width; ++j) {
            const bool same = same_bits(e[j], lane_expm1(x[j])) && same_bits(l[j], lane_log1p(x[j]));
            if (!same && mismatches++ == 0) {
                INFO("width ", width, ", x = ", x[j], ": expm1 ", e[j], " vs ", lane_expm1(x[j]), ", log1p ",
                     l[j], " vs ", lane_log1p(x[j]));
                CHECK(same);
            }
        }
    }
    CHECK(mismatches == 0);
}
