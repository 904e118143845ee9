#pragma once
/// \file
/// e^x - 1 and log(1 + x) written once over a double or a GCC/Clang vector of doubles, so that a
/// population's SIMD lanes and a neuron's scalar code compute spike times to the same bits
/// (std::expm1 and std::log1p have no vector form, and their results are the C library's, not
/// ours). Built only from +, -, *, /, comparisons, selections and the bits of the doubles; the
/// core path has no branch per lane. Inputs outside it (stated at each function) go to the
/// standard function lane by lane, in the scalar and the vector form alike. Both are within 1 ulp
/// (0.75 ulp at most, measured against long double). Scalar and lanes agree only where neither
/// contracts a * b + c into a fused multiply-add, which iaf::iaf prevents (-ffp-contract=off);
/// the error-free sums inside count on it too.

#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "lanes.hpp"

namespace iaf::detail {

/// A double, or a GCC/Clang vector of doubles as lanes<double> and vector_of<double, W> make them.
template <typename X>
concept DoubleLanes = std::is_same_v<X, double> ||
    (sizeof(X) % sizeof(double) == 0 &&
     std::is_same_v<X, typename vector_of<double, sizeof(X) / sizeof(double)>::type>);

/// The 64-bit integers of the shape of X: std::int64_t for double, else a vector as wide as X.
template <typename X>
struct lane_bits {
    static constexpr std::size_t width = sizeof(X) / sizeof(double);
    static_assert(std::is_same_v<X, typename vector_of<double, width>::type>,
                  "lane_bits: X must be double or a vector_of<double, W>");
    using type = typename vector_of<std::int64_t, width>::type;
};
template <>
struct lane_bits<double> {
    static constexpr std::size_t width = 1;
    using type = std::int64_t;
};

namespace elementary {

// ln 2 = ln2_hi + ln2_lo within 2^-100: ln2_hi has 42 significant bits, so that k * ln2_hi is
// exact for every k the reductions use (-53 to 1023).
inline constexpr double ln2_hi = 0x1.62e42fefa3800p-1;
inline constexpr double ln2_lo = 0x1.ef35793c76730p-45;
inline constexpr double inv_ln2 = 0x1.71547652b82fep+0;
// v + 1.5 * 2^52 - 1.5 * 2^52 rounds |v| < 2^51 to the nearest integer (ties to even), which then
// sits in the low bits of v + 1.5 * 2^52.
inline constexpr double round_shift = 0x1.8p52;
inline constexpr std::int64_t round_shift_bits = 0x4338000000000000;
inline constexpr std::int64_t exponent_one = std::int64_t{1} << 52;  // 1 in the exponent field
inline constexpr std::int64_t sqrt_half_bits = 0x3fe6a09e667f3bcd;   // sqrt(2) / 2

/// 2^k for the integers k in [-1022, 1023] held in the 64-bit integers `k`; 0 for k = -1023.
template <typename X, typename I>
[[nodiscard]] X power_of_two(const I& k) noexcept {
    return std::bit_cast<X>((k + 1023) * exponent_one);
}

/// Lane by lane, `f` of the lanes of `x` where `core` is false, into `y`; a vector of doubles.
template <typename X, typename M, typename F>
void patch_lanes(X& y, const X& x, const M& core, F f) noexcept {
    bool all_core = true;
    for (std::size_t j = 0; j < lane_bits<X>::width; ++j) all_core = all_core && core[j] != 0;
    if (!all_core) [[unlikely]] {
        for (std::size_t j = 0; j < lane_bits<X>::width; ++j) {
            if (core[j] == 0) y[j] = f(x[j]);
        }
    }
}

/// e^x - 1 for x <= 709, -inf included. x = k ln2 + r with |r| <= ln2 / 2 (Cody and Waite 1980),
/// e^r - 1 by its Taylor series, e^x - 1 = 2^k (e^r - 1 + 1 - 2^-k), summed with the rounding
/// errors of the large terms carried along (Dekker 1971), so that the result rounds once.
template <typename X>
[[nodiscard]] X expm1_core(const X& x_in) noexcept {
    using bits = typename lane_bits<X>::type;
    // Below -37.5, e^x < 2^-54.1: e^x - 1 rounds to -1, as it does at -37.5.
    const X x = x_in < -37.5 ? detail::splat<X>(-37.5) : x_in;
    X shifted = x * inv_ln2 + round_shift;
    // k >= -53 keeps 1 - 2^-k exact; it binds only on [-37.5, -37.08], where r reaches -0.77 and
    // its digits beyond 2^-53 are lost in the rounding to -1 + j 2^-53 anyway.
    shifted = shifted < round_shift - 53 ? detail::splat<X>(round_shift - 53) : shifted;
    const X k = shifted - round_shift;
    const bits k_bits = std::bit_cast<bits>(shifted) - round_shift_bits;
    // x - k ln2_hi is exact: k ln2_hi is, and lies within a factor 2 of x (Sterbenz) unless k = 0.
    const X r_hi = x - k * ln2_hi;
    const X r_lo = k * ln2_lo;
    const X r = r_hi - r_lo;
    const X r_err = (r_hi - r) - r_lo;  // r + r_err = r_hi - r_lo, to 2^-100
    // e^r - 1 = r + r^2 / 2 + r^3 p(r); the Taylor series to r^14 / 14! is 0.003 ulp short of it
    // on |r| <= ln2 / 2.
    const X r2 = r * r;
    const X half_r2 = 0.5 * r2;
    // The coefficients 1 / n!, each one correctly rounded division; Estrin's scheme, whose
    // chain of dependent operations is a third of Horner's (a neuron's partial steps wait on it).
    const X r4 = r2 * r2;
    const X r8 = r4 * r4;
    const X p01 = 1.0 / 6 + r * (1.0 / 24);                             // 3!, 4!
    const X p23 = 1.0 / 120 + r * (1.0 / 720);                          // 5!, 6!
    const X p45 = 1.0 / 5040 + r * (1.0 / 40320);                       // 7!, 8!
    const X p67 = 1.0 / 362880 + r * (1.0 / 3628800);                   // 9!, 10!
    const X p89 = 1.0 / 39916800 + r * (1.0 / 479001600);               // 11!, 12!
    const X p1011 = 1.0 / 6227020800.0 + r * (1.0 / 87178291200.0);     // 13!, 14!
    const X p = ((p01 + r2 * p23) + r4 * (p45 + r2 * p67)) + r8 * (p89 + r2 * p1011);
    const X r3_p = r2 * r * p;
    // 1 - 2^-k = one_minus_hi + one_minus_lo exactly: one_minus_lo is -2^-k for k >= 54, else 0
    // (2^-1023 is taken as 0: far below the last digit at that k).
    const X two_minus_k = power_of_two<X>(-k_bits);
    const X one_minus_hi = 1.0 - two_minus_k;
    const X one_minus_lo = (1.0 - one_minus_hi) - two_minus_k;
    // The sum of 1 - 2^-k + r + r^2 / 2 + r^3 p + r_err e^r; the first three terms with their
    // rounding errors (fast two-sum: each later term is the smaller), the small ones after.
    const X s1 = one_minus_hi + r;
    const X e1 = r - (s1 - one_minus_hi);
    const X s2 = s1 + half_r2;
    const X e2 = half_r2 - (s2 - s1);
    const X small = ((e1 + e2) + (one_minus_lo + (r_err + r * r_err))) + r3_p;
    const X y = (s2 + small) * power_of_two<X>(k_bits);
    return x_in == 0.0 ? x_in : y;  // keeps the sign of zero
}

/// log(1 + x) for -1 < x < 2^1023. 1 + x = 2^k m with m in [sqrt(2)/2, sqrt(2)) and f = m - 1 (x
/// itself for k = 0); log(1 + f) = 2 atanh(s) with s = f / (2 + f), summed as
/// f - f^2/2 + s (f^2/2 + R(s^2)) with R the tail of the atanh series; the rounding of 1 + x
/// enters as a correction c = ((1 + x) - u) / u.
template <typename X>
[[nodiscard]] X log1p_core(const X& x) noexcept {
    using bits = typename lane_bits<X>::type;
    const X u = 1.0 + x;
    // u + u_err = 1 + x exactly (two-sum, Knuth 1969: x may exceed 1 in magnitude).
    const X x_seen = u - 1.0;
    const X u_err = (1.0 - (u - x_seen)) + (x - x_seen);
    // The exponent of u, counted from sqrt(2)/2 instead of 1, is k; u is normal (u >= 2^-53).
    const bits u_bits = std::bit_cast<bits>(u);
    const bits k_bits = (u_bits - sqrt_half_bits) >> 52;
    const X m = std::bit_cast<X>(u_bits - k_bits * exponent_one);
    const X k = std::bit_cast<X>(k_bits + round_shift_bits) - round_shift;
    // For k = 0, x is f exactly; else m - 1 is exact (Sterbenz) and 1 + f + delta is (1 + x) 2^-k.
    const X f = k_bits == 0 ? x : m - 1.0;
    const X delta = k_bits == 0 ? X{} : u_err * power_of_two<X>(-k_bits);
    const X s = f / (2.0 + f);
    const X z = s * s;
    // R(z) = 2 (z/3 + z^2/5 + ...) to z^10: 0.006 ulp short of it on |s| <= 3 - 2 sqrt(2).
    // Estrin's scheme, as for expm1.
    const X z2 = z * z;
    const X z4 = z2 * z2;
    const X t01 = 2.0 / 3 + z * (2.0 / 5);
    const X t23 = 2.0 / 7 + z * (2.0 / 9);
    const X t45 = 2.0 / 11 + z * (2.0 / 13);
    const X t67 = 2.0 / 15 + z * (2.0 / 17);
    const X t89 = 2.0 / 19 + z * (2.0 / 21);
    const X tail = ((t01 + z2 * t23) + z4 * (t45 + z2 * t67)) + (z4 * z4) * t89;
    const X big_r = z * tail;
    const X half_f2 = 0.5 * f * f;
    // log(1 + f + delta) = log(1 + f) + delta / (1 + f), and 1 / (1 + f) = (1 - s) / (1 + s)
    // = 1 - 2 s (1 - s) + O(s^3): no second division, and off by 2 |s|^3 <= 1 % of c < 2^-53.
    const X c = delta * (1.0 - 2.0 * s * (1.0 - s));
    // log(1 + x) = k ln2_hi + f - f^2/2 + s (f^2/2 + R) + c + k ln2_lo: the first three terms
    // with their rounding errors (fast two-sum: each later term is the smaller), the small after.
    const X k_ln2_hi = k * ln2_hi;
    const X t1 = k_ln2_hi + f;
    const X e1 = f - (t1 - k_ln2_hi);
    const X t2 = t1 - half_f2;
    const X e2 = (t1 - t2) - half_f2;
    const X small = ((e1 + e2) + (c + k * ln2_lo)) + s * (half_f2 + big_r);
    const X y = t2 + small;
    return x == 0.0 ? x : y;  // keeps the sign of zero
}

}  // namespace elementary

/// e^x - 1, the same bits for a scalar and for every lane of a vector (X: double or
/// vector_of<double, W>::type), within 1 ulp. NaN and x > 709 (near and beyond overflow, +inf)
/// go to std::expm1; everything else, -inf included, takes the branch-free core.
template <DoubleLanes X>
[[nodiscard]] X lane_expm1(const X& x) noexcept {
    constexpr double core_max = 709.0;  // k <= 1023: 2^k is a normal double
    if constexpr (std::is_same_v<X, double>) {
        return x <= core_max ? elementary::expm1_core(x) : std::expm1(x);
    } else {
        const auto core = x <= core_max;
        X y = elementary::expm1_core(core ? x : X{});
        elementary::patch_lanes(y, x, core, [](double v) { return std::expm1(v); });
        return y;
    }
}

/// log(1 + x), the same bits for a scalar and for every lane of a vector (X: double or
/// vector_of<double, W>::type), within 1 ulp. NaN, x <= -1 and x >= 2^1023 (+inf included) go
/// to std::log1p; everything else, subnormals included, takes the branch-free core.
template <DoubleLanes X>
[[nodiscard]] X lane_log1p(const X& x) noexcept {
    constexpr double core_max = 0x1p1023;  // k <= 1023: 2^-k is a double
    if constexpr (std::is_same_v<X, double>) {
        return x > -1.0 && x < core_max ? elementary::log1p_core(x) : std::log1p(x);
    } else {
        const auto core = (x > -1.0) & (x < core_max);
        X y = elementary::log1p_core(core ? x : X{});
        elementary::patch_lanes(y, x, core, [](double v) { return std::log1p(v); });
        return y;
    }
}

}  // namespace iaf::detail
