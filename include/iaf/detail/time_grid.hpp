#pragma once
/// \file
/// Helpers for the fixed time grid. Not API.

#include <cmath>
#include <cstdint>
#include <string_view>

#include "../errors.hpp"
#include "../grid_time.hpp"

namespace iaf::detail {

/// The most steps of dt a span may hold: beyond 2^53 steps k * dt is no longer exact for every
/// k, and beyond 2^63 the count does not fit an int64. A run, and a refractory period (whose end
/// is a step count), longer than that is an input error.
inline constexpr double max_grid_steps = 0x1p53;

/// Number of steps of length dt that cover [t_start, t_end]. A span that is a whole number of
/// steps up to rounding (100 / 0.01) gives exactly that number, not one more.
[[nodiscard]] inline std::int64_t step_count(std::string_view owner, double t_start, double t_end, double dt) {
    require_positive(owner, "dt", dt);
    require_finite(owner, "t_start", t_start);
    require_finite(owner, "t_end", t_end);
    if (!(t_end >= t_start)) fail_parameter(owner, "t_end", t_end, "must be >= t_start");
    const double ratio = (t_end - t_start) / dt;
    // A run that long is an input error, not a long run (also catches t_end - t_start = inf).
    if (!(ratio <= max_grid_steps)) fail_parameter(owner, "t_end", t_end, "must be at most 2^53 steps of dt after t_start");
    const double nearest = std::round(ratio);
    if (std::abs(ratio - nearest) <= 1e-9 * std::max(1.0, ratio)) return static_cast<std::int64_t>(nearest);
    return static_cast<std::int64_t>(std::ceil(ratio));
}

/// The grid time type, public as `iaf::grid_time`.
using iaf::grid_time;

}  // namespace iaf::detail
