#pragma once
/// \file
/// A counter-based normal generator that gives the same numbers on every IEEE-754 platform and
/// standard library: a hash of (seed, counter) instead of a stateful engine, and Box-Muller with
/// logarithm and cosine written here in basic arithmetic instead of std::log / std::cos (whose
/// last bits differ between libm implementations) and std::normal_distribution (whose algorithm
/// the standard leaves open).
///
/// "The same bits" needs IEEE-754 binary64 arithmetic rounded to nearest, and no contraction of
/// a * b + c into a fused multiply-add (one rounding instead of two), which GCC does by default
/// and Clang within an expression wherever the target has FMA (-march=native, AArch64, ...).
/// This header therefore switches contraction off for its own functions (below, for GCC and
/// Clang), whatever the flags of the including file, so -march=native and portable builds draw
/// the same numbers; tests/currents checks it bit for bit in both builds. Flags that give up
/// IEEE semantics altogether (-ffast-math, Clang's -ffp-contract=fast) still change the bits.

#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>

// Contraction off from here to the end of the file, for GCC and Clang. Clang scopes it
// (float_control push/pop) and keeps it through inlining. GCC keeps it by declining to inline these
// functions into callers compiled with contraction: one call per normal number.
#if defined(__clang__)
#pragma float_control(push)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC push_options
#pragma GCC optimize("fp-contract=off")
#endif

namespace iaf::detail {

/// SplitMix64's output function (Steele, Lea & Flood 2014): a bijective 64-bit mixer with full
/// avalanche. `mix(state + n * golden)` over n is the SplitMix64 stream, which passes BigCrush.
[[nodiscard]] constexpr std::uint64_t splitmix64_mix(std::uint64_t z) noexcept {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

inline constexpr std::uint64_t splitmix64_golden = 0x9e3779b97f4a7c15ULL;

/// A 64-bit random word for (key, counter): the counter-th output of the SplitMix64 stream whose
/// start is the mixed key. Pure: the same inputs give the same word, in any order of calls.
[[nodiscard]] constexpr std::uint64_t counter_hash(std::uint64_t key, std::uint64_t counter) noexcept {
    return splitmix64_mix(splitmix64_mix(key) + (counter + 1) * splitmix64_golden);
}

/// Uniform in (0, 1]: the top 53 bits of a word, shifted away from 0 (so log() is finite).
[[nodiscard]] constexpr double uniform_open0(std::uint64_t word) noexcept {
    return static_cast<double>((word >> 11) + 1) * 0x1.0p-53;
}

/// Uniform in [0, 1): the top 53 bits of a word.
[[nodiscard]] constexpr double uniform_closed0(std::uint64_t word) noexcept {
    return static_cast<double>(word >> 11) * 0x1.0p-53;
}

/// p(y) = c[0] + c[1] y + c[2] y^2 + ... by Estrin's scheme (Estrin 1960): neighbouring
/// coefficients pair up with y, the pairs with y^2, and so on, so the chain of dependent
/// multiply-adds is log2(N) long instead of N (Horner). The order of operations is fixed here,
/// so the result is the same on every platform.
template <std::size_t N>
[[nodiscard]] constexpr double estrin(const std::array<double, N>& c, double y) noexcept {
    if constexpr (N == 1) {
        return c[0];
    } else {
        std::array<double, (N + 1) / 2> pairs{};
        for (std::size_t i = 0; i < N / 2; ++i) pairs[i] = c[2 * i] + c[2 * i + 1] * y;
        if constexpr (N % 2 == 1) pairs[N / 2] = c[N - 1];
        return estrin(pairs, y * y);
    }
}

/// Natural logarithm of a normal double x in (0, 1], within a few ulp, from bit manipulation,
/// +, * and / only (each exactly specified by IEEE 754), so every platform returns the same bits.
/// ln x = e ln 2 + 2 atanh(z) with x = m 2^e, m in [sqrt(1/2), sqrt(2)) and
/// z = (m - 1)/(m + 1), |z| < 0.172: the atanh series then needs 14 terms for double precision.
[[nodiscard]] inline double portable_log(double x) noexcept {
    // x = m 2^e with m in [0.5, 1), read from the bits (x is normal and positive).
    const auto bits = std::bit_cast<std::uint64_t>(x);
    int e = static_cast<int>((bits >> 52) & 0x7ff) - 1022;
    double m = std::bit_cast<double>((bits & 0x000fffffffffffffULL) | 0x3fe0000000000000ULL);
    const bool low = m < std::numbers::sqrt2 / 2;  // selects, not branches: x is random
    m = low ? 2.0 * m : m;
    e -= static_cast<int>(low);
    // 1/(2k+1), rounded once at compile time (IEEE division, the same everywhere).
    constexpr auto inverse_odd = [] {
        std::array<double, 14> c{};
        for (std::size_t k = 0; k < c.size(); ++k) c[k] = 1.0 / static_cast<double>(2 * k + 1);
        return c;
    }();
    const double z = (m - 1.0) / (m + 1.0);
    return static_cast<double>(e) * std::numbers::ln2 + 2.0 * z * estrin(inverse_odd, z * z);
}

/// expm1(x) = e^x - 1 for x <= 0, within a few ulp, from basic arithmetic and ldexp only (so the
/// same bits everywhere, like `portable_log`). |x| < ln2/2: the Taylor series to x^18/18!;
/// otherwise e^x = 2^k e^r with r = x - k ln 2 (Cody & Waite 1980 two-part ln 2), and e^x - 1
/// no longer cancels because e^x < 0.71.
[[nodiscard]] inline double portable_expm1(double x) noexcept {
    constexpr auto inverse_factorial = [] {
        std::array<double, 19> c{};
        double f = 1.0;
        for (std::size_t n = 1; n < c.size(); ++n) {
            f *= static_cast<double>(n);  // n! is exact in double up to 18!
            c[n] = 1.0 / f;
        }
        return c;
    }();
    const auto series = [&](double r) {  // e^r - 1 for |r| <= ln2/2
        double p = inverse_factorial[18];
        for (std::size_t n = 18; n-- > 1;) p = inverse_factorial[n] + r * p;
        return r * p;
    };
    if (!(x < 0.0)) return 0.0;  // only x <= 0 is needed (and documented)
    if (x > -0.5 * std::numbers::ln2) return series(x);
    if (x < -745.0) return -1.0;
    constexpr double ln2_hi = 0x1.62e42fee00000p-1;  // ln 2 to 32 bits: k ln2_hi is exact
    constexpr double ln2_lo = 0x1.a39ef35793c76p-33;
    const double k = std::floor(x / std::numbers::ln2 + 0.5);
    const double r = (x - k * ln2_hi) - k * ln2_lo;
    return std::ldexp(1.0 + series(r), static_cast<int>(k)) - 1.0;
}

/// sin(x) and cos(x) for x in [0, pi/4] by their Taylor series (terms to x^21 / 21!, below
/// 1e-19 there), again from basic arithmetic only.
inline void portable_sincos_quarter(double x, double& s, double& c) noexcept {
    // (-1)^k/(2k+1)! and (-1)^k/(2k)!, rounded once at compile time.
    constexpr auto coefficients = [] {
        std::array<std::array<double, 11>, 2> sc{};
        double factorial = 1.0;  // n!
        for (std::size_t n = 0; n <= 21; ++n) {
            if (n > 0) factorial *= static_cast<double>(n);
            const double term = ((n / 2) % 2 == 0 ? 1.0 : -1.0) / factorial;
            if (n % 2 == 1) sc[0][n / 2] = term;  // sin: x^(2k+1)/(2k+1)!
            else sc[1][n / 2] = term;             // cos: x^(2k)/(2k)!
        }
        return sc;
    }();
    const double x2 = x * x;
    s = x * estrin(coefficients[0], x2);
    c = estrin(coefficients[1], x2);
}

/// cos(2 pi u) for u in [0, 1). u * 8 splits exactly into an octant and a fraction, so the
/// reduction adds no error; the fraction's angle lies in [0, pi/4].
[[nodiscard]] inline double portable_cos_2pi(double u) noexcept {
    const double q = u * 8.0;  // exact: a power-of-two scaling
    const int octant = static_cast<int>(q);
    const double r = q - octant;  // exact
    // cos over the octants 0..7 in terms of sin/cos of an angle a in [0, pi/4]: odd octants run
    // backwards from the next multiple of pi/4 (1 - r is exact). Table lookups instead of a
    // switch, since the octant is random and a branch on it would mispredict most of the time.
    constexpr std::array<bool, 8> use_sin{false, true, true, false, false, true, true, false};
    constexpr std::array<double, 8> sign{1.0, 1.0, -1.0, -1.0, -1.0, -1.0, 1.0, 1.0};
    const auto o = static_cast<std::size_t>(octant);
    const double angle = ((octant & 1) != 0 ? 1.0 - r : r) * (std::numbers::pi / 4);
    double s = 0, c = 0;
    portable_sincos_quarter(angle, s, c);
    return sign[o] * (use_sin[o] ? s : c);
}

/// A standard normal number for (key, counter), by Box-Muller (Box & Muller 1958) on two
/// uniforms from consecutive counters: sqrt(-2 ln u1) cos(2 pi u2). Pure and platform-independent.
[[nodiscard]] inline double counter_normal(std::uint64_t key, std::uint64_t counter) noexcept {
    const double u1 = uniform_open0(counter_hash(key, 2 * counter));
    const double u2 = uniform_closed0(counter_hash(key, 2 * counter + 1));
    return std::sqrt(-2.0 * portable_log(u1)) * portable_cos_2pi(u2);
}

/// a + b * c with the product rounded before the sum, as written, on every platform: for
/// arithmetic outside this header that must give the same bits everywhere (the
/// Ornstein-Uhlenbeck update).
[[nodiscard]] inline double add_product(double a, double b, double c) noexcept { return a + b * c; }

}  // namespace iaf::detail

#if defined(__clang__)
#pragma float_control(pop)
#elif defined(__GNUC__)
#pragma GCC pop_options
#endif
