#pragma once
/// \file
/// Helpers for the fixed time grid. Not API.

#include <cmath>
#include <cstdint>
#include <string_view>

#include "../errors.hpp"

namespace iaf::detail {

/// Number of steps of length dt that cover [t_start, t_end]. A span that is a whole number of
/// steps up to rounding (100 / 0.01) gives exactly that number, not one more.
[[nodiscard]] inline std::int64_t step_count(std::string_view owner, double t_start, double t_end, double dt) {
    require_positive(owner, "dt", dt);
    require_finite(owner, "t_start", t_start);
    require_finite(owner, "t_end", t_end);
    if (!(t_end >= t_start)) fail_parameter(owner, "t_end", t_end, "must be >= t_start");
    const double ratio = (t_end - t_start) / dt;
    const double nearest = std::round(ratio);
    if (std::abs(ratio - nearest) <= 1e-9 * std::max(1.0, ratio)) return static_cast<std::int64_t>(nearest);
    return static_cast<std::int64_t>(std::ceil(ratio));
}

/// A time kept as a whole number of grid steps plus an offset in [0, dt] inside the step, so that
/// the end of a refractory period never depends on the rounding of an absolute time.
struct grid_time {
    std::int64_t step = 0;
    double offset = 0.0;

    /// The time `duration` after (step, offset), renormalised onto the grid of step dt.
    [[nodiscard]] static grid_time after(std::int64_t step, double offset, double duration, double dt) {
        const double total = offset + duration;
        const double whole = std::floor(total / dt);
        double rest = total - whole * dt;
        if (rest < 0.0) rest = 0.0;
        if (rest > dt) rest = dt;
        return {step + static_cast<std::int64_t>(whole), rest};
    }
};

}  // namespace iaf::detail
