#pragma once
/// \file
/// Time bins [n dt, (n + 1) dt) shared by the noise currents.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>

#include "../errors.hpp"

namespace iaf::detail {

/// Throws unless `dt` is a valid bin width: finite, > 0 and a normal number (>= DBL_MIN). A
/// subnormal width passes `> 0` but makes t / dt overflow for every ordinary t.
inline void require_bin_width(std::string_view owner, double dt) {
    require_positive(owner, "dt", dt);
    if (!(dt >= std::numeric_limits<double>::min()))
        fail_parameter(owner, "dt", dt, "must be a normal number (>= 2.2250738585072014e-308)");
}

/// Bins of width dt anchored at t = 0 whose edges are exactly the doubles n * dt, the same
/// expression a grid of step dt starting at 0 produces, so noise bins and integration steps
/// line up bit for bit when the widths are equal.
///
/// Every function terminates for any dt and t, valid or not (a mutated current must not hang a
/// simulation): bin indices are clamped to +-2^62 (a time that far out has no meaningful bin),
/// NaN maps to bin 0, and the correction of the rounded quotient is bounded.
struct noise_bins {
    double dt;

    /// The largest |index|: well inside int64, so index + 1 never overflows.
    static constexpr std::int64_t max_index = std::int64_t{1} << 62;

    [[nodiscard]] double edge(std::int64_t n) const noexcept { return static_cast<double>(n) * dt; }

    /// The n with edge(n) <= t < edge(n + 1), for |n| < 2^53 and a valid dt; clamped as said above
    /// otherwise.
    [[nodiscard]] std::int64_t index(double t) const noexcept {
        const double q = std::floor(t / dt);
        // The cast of a double outside the int64 range is undefined behaviour: test first (a NaN
        // fails both comparisons).
        if (!(q > -0x1p62 && q < 0x1p62)) return q > 0.0 ? max_index : q < 0.0 ? -max_index : 0;
        auto n = static_cast<std::int64_t>(q);
        // t / dt rounds once, so the true bin is at most one away; the edges are what defines a
        // bin. Two tries each: a bound, not a search (beyond 2^53 neighbouring edges coincide).
        for (int k = 0; k < 2 && edge(n) > t; ++k) --n;
        for (int k = 0; k < 2 && edge(n + 1) <= t; ++k) ++n;
        return n;
    }

    /// The first edge strictly after t, or +infinity when there is none the bins can represent
    /// (t past the clamp, t NaN, dt invalid): a breakpoint must lie after t, or a stepping loop
    /// that asks again from it would never advance.
    [[nodiscard]] double next_edge(double t) const noexcept {
        const double b = edge(index(t) + 1);
        return b > t ? b : std::numeric_limits<double>::infinity();
    }
};

}  // namespace iaf::detail
