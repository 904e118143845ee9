#pragma once
/// \file
/// Bracketing root finder used by the interpolating spike-timing policies. Not API.

#include <algorithm>
#include <cmath>
#include <limits>

namespace iaf::detail {

/// Root of g in [a, b] given g(a) < 0 <= g(b), to the resolution of double.
///
/// Illinois variant of regula falsi (Dowell & Jarratt 1971): superlinear on smooth g, never leaves
/// the bracket, and falls back to bisection when an update is not worth its evaluation. Returns a
/// point whose g is closest to zero among the final bracket's ends.
template <typename G>
[[nodiscard]] double find_root(const G& g, double a, double b, double ga, double gb) {
    if (gb == 0.0) return b;
    int side = 0;  // which end was kept on the previous iteration (-1: a, +1: b)
    for (int iteration = 0; iteration < 200; ++iteration) {
        const double width = b - a;
        if (!(width > 4.0 * std::numeric_limits<double>::epsilon() * std::max(std::abs(a), std::abs(b))) ||
            !(width > std::numeric_limits<double>::min()))
            break;
        double c = a - ga * width / (gb - ga);
        // Stay strictly inside. Regula falsi's point does hug an end as it converges; the
        // Illinois halving below already guarantees progress, so bisect only when it left the bracket.
        if (!(c > a && c < b)) c = a + 0.5 * width;
        if (c <= a || c >= b) break;
        const double gc = g(c);
        if (gc == 0.0) return c;
        if (gc < 0.0) {
            a = c;
            ga = gc;
            if (side == -1) gb *= 0.5;  // a moved twice in a row: damp the stale end
            side = -1;
        } else {
            b = c;
            gb = gc;
            if (side == +1) ga *= 0.5;
            side = +1;
        }
    }
    return (-ga < gb) ? a : b;
}

}  // namespace iaf::detail
