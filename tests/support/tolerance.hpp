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

/// Both values with all 17 significant digits, for the failure message.
inline std::string describe(const char* kind, double actual, double expected, double tolerance) {
    std::ostringstream out;
    out << std::setprecision(17) << kind << " check: actual = " << actual << ", expected = " << expected
        << ", |difference| = " << std::abs(actual - expected) << ", tolerance = " << tolerance;
    return out.str();
}

}  // namespace iaf_test

// NOLINTBEGIN(cppcoreguidelines-macro-usage): doctest reports the caller's file and line only from a macro.
#define CHECK_REL(actual, expected, rel)                                                              \
    do {                                                                                              \
        const double iaf_actual_ = (actual);                                                          \
        const double iaf_expected_ = (expected);                                                      \
        const double iaf_rel_ = (rel);                                                                \
        INFO(::iaf_test::describe("relative", iaf_actual_, iaf_expected_, iaf_rel_));                 \
        CHECK(::iaf_test::relative_error(iaf_actual_, iaf_expected_) <= iaf_rel_);                    \
    } while (false)

#define CHECK_ABS(actual, expected, tol)                                                              \
    do {                                                                                              \
        const double iaf_actual_ = (actual);                                                          \
        const double iaf_expected_ = (expected);                                                      \
        const double iaf_tol_ = (tol);                                                                \
        INFO(::iaf_test::describe("absolute", iaf_actual_, iaf_expected_, iaf_tol_));                 \
        CHECK(std::abs(iaf_actual_ - iaf_expected_) <= iaf_tol_);                                     \
    } while (false)
// NOLINTEND(cppcoreguidelines-macro-usage)
