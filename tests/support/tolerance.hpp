#pragma once
// Tolerances that mean what they say. doctest's Approx scales its epsilon by 1 + max(|a|, |b|), so
// on values below 1 a "relative" check is really absolute, and a 1 % check on a variance of 0.05
// accepts 20 %. These two checks say exactly which one they are, and print both values in full.
//
//   CHECK_REL(actual, expected, rel)  |actual - expected| <= rel * |expected|
//   CHECK_ABS(actual, expected, tol)  |actual - expected| <= tol
//
// A NaN on either side fails both.
#include <cmath>
#include <iomanip>
#include <sstream>
#include <string>

#include <doctest/doctest.h>

namespace iaf_test {

/// |actual - expected| / |expected|; 0 when they are equal (also both 0), NaN when either is NaN.
inline double relative_error(double actual, double expected) {
    if (actual == expected) return 0.0;
    return std::abs(actual - expected) / std::abs(expected);
}

/// |actual - expected|; NaN when either is NaN.
inline double absolute_error(double actual, double expected) { return std::abs(actual - expected); }

/// A bound for an absolute time t [ms] (such as t_start + k dt + offset): `ulps` times |t| 2^-52,
/// its round-off, plus 1e-12 ms for the closed-form crossing itself.
inline double time_tolerance(double t, double ulps) { return ulps * std::abs(t) * 0x1p-52 + 1e-12; }

/// Both values with all 17 significant digits, for the failure message.
inline std::string describe(const char* kind, double actual, double expected, double tolerance) {
    std::ostringstream out;
    out << std::setprecision(17) << kind << " check: actual = " << actual << ", expected = " << expected
        << ", |difference| = " << std::abs(actual - expected) << ", tolerance = " << tolerance;
    return out.str();
}

}  // namespace iaf_test

// NOLINTBEGIN(cppcoreguidelines-macro-usage): doctest reports the caller's file and line only from a macro.
#define IAF_CHECK_WITHIN(kind, error_of, actual, expected, tolerance)                                 \
    do {                                                                                              \
        const double iaf_actual_ = (actual);                                                          \
        const double iaf_expected_ = (expected);                                                      \
        const double iaf_tolerance_ = (tolerance);                                                    \
        INFO(::iaf_test::describe(kind, iaf_actual_, iaf_expected_, iaf_tolerance_));                 \
        CHECK(error_of(iaf_actual_, iaf_expected_) <= iaf_tolerance_);                                \
    } while (false)

#define CHECK_REL(actual, expected, rel) \
    IAF_CHECK_WITHIN("relative", ::iaf_test::relative_error, actual, expected, rel)
#define CHECK_ABS(actual, expected, tol) \
    IAF_CHECK_WITHIN("absolute", ::iaf_test::absolute_error, actual, expected, tol)
// NOLINTEND(cppcoreguidelines-macro-usage)
