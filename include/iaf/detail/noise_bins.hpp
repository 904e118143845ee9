#pragma once
/// \file
/// Time bins [n dt, (n + 1) dt) shared by the noise currents.

#include <cmath>
#include <cstdint>

namespace iaf::detail {

/// Bins of width dt anchored at t = 0 whose edges are exactly the doubles n * dt, the same
/// expression a grid of step dt starting at 0 produces, so noise bins and integration steps
/// line up bit for bit when the widths are equal.
struct noise_bins {
    double dt;

    [[nodiscard]] double edge(std::int64_t n) const noexcept { return static_cast<double>(n) * dt; }

    /// The n with edge(n) <= t < edge(n + 1).
    [[nodiscard]] std::int64_t index(double t) const noexcept {
        auto n = static_cast<std::int64_t>(std::floor(t / dt));
        // t / dt rounds; the edges are what defines a bin.
        while (edge(n) > t) --n;
        while (edge(n + 1) <= t) ++n;
        return n;
    }
};

}  // namespace iaf::detail
