#pragma once
/// \file
/// A time on the fixed grid, as a step index plus an offset inside the step.

#include <cmath>
#include <compare>
#include <cstdint>
#include <limits>

namespace iaf {

/// A time kept as a whole number of grid steps plus an offset in [0, dt] inside the step.
///
/// This is how a neuron reports spikes to a host that owns the clock: the spike happened `offset`
/// ms after the start of grid step `step`. Unlike an absolute time t_start + step * dt + offset,
/// the offset does not lose digits as the run grows (at 1000 s an absolute double time has a
/// resolution of about 1e-13 ms; the offset keeps about 1e-17 ms), and refractory periods that
/// end between grid points are kept the same way.
struct grid_time {
    std::int64_t step = 0;  ///< index of the grid step, counted from the neuron's t_start
    double offset = 0.0;    ///< offset inside that step [ms], in [0, dt]

    /// The time `duration` (ms) after (step, offset), renormalised onto the grid of step dt.
    [[nodiscard]] static grid_time after(std::int64_t step, double offset, double duration, double dt) {
        return after(step, offset, duration, dt, false);
    }

    /// The same on a clock that counts whole steps (the `grid` spike-timing policy, whose spikes
    /// fall on step ends): a duration within rounding of whole steps of dt is those whole steps,
    /// as a user writing decimals means it. Twenty binary tenths (dt = 0.1) exceed 2.0 (t_ref =
    /// 2 ms) by 1.1e-16 ms; `after` keeps that, so a refractory period would end 1.1e-16 ms
    /// before a step's end and leave that step to be integrated from there. The tolerance, four
    /// roundings of the duration, is far below the grid's own error of up to dt in a spike time.
    [[nodiscard]] static grid_time after_whole_steps(std::int64_t step, double offset, double duration, double dt) {
        return after(step, offset, duration, dt, true);
    }

    /// The absolute time in ms on a grid that starts at t_start with step dt.
    [[nodiscard]] double time(double t_start, double dt) const noexcept {
        return t_start + static_cast<double>(step) * dt + offset;
    }

    /// Orders by step, then offset.
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 flags the 0 of the defaulted <=>'s own comparison
    friend auto operator<=>(const grid_time&, const grid_time&) = default;

    /// One duration on the grid of step dt, split once into whole steps and a remainder, for
    /// many `after`s (a population's spikes all start a refractory period of the same length):
    /// `duration_on_grid{d, dt}.after(step, offset)` is `grid_time::after(step, offset, d, dt)`,
    /// bit for bit, without its division and fma for the split.
    struct duration_on_grid {
        double dt = 0.0;     ///< the grid's step [ms]
        double steps = 0.0;  ///< whole steps of dt in the duration
        double rest = 0.0;   ///< the remainder, with one rounding [ms]

        /// `duration` (ms) on the grid of step `dt_`; `whole_steps`: as after_whole_steps.
        duration_on_grid(double duration, double dt_, bool whole_steps = false)
            : dt(dt_), steps(std::floor(duration / dt_)), rest(std::fma(-steps, dt_, duration)) {
            // Split the duration first (the remainder with one rounding, by fma), so that a long
            // duration (t_ref = 2000 ms) does not cost the offset its digits: offset + duration
            // would round to the resolution of the duration.
            if (whole_steps) {
                const double tolerance = 4.0 * std::numeric_limits<double>::epsilon() * std::abs(duration);
                if (std::abs(rest) <= tolerance) {
                    rest = 0.0;
                } else if (std::abs(rest - dt) <= tolerance) {
                    steps += 1.0;
                    rest = 0.0;
                }
            }
        }

        /// The time this duration after (step, offset). (Inlined: GCC 12 called it, once per
        /// spike, from the population's loop over its crossings.)
        [[nodiscard]] [[gnu::always_inline]] inline grid_time after(std::int64_t from_step, double from_offset) const {
            const double total = from_offset + rest;
            const double whole = std::floor(total / dt);
            double left = std::fma(-whole, dt, total);
            if (left < 0.0) left = 0.0;
            if (left > dt) left = dt;
            return {from_step + static_cast<std::int64_t>(steps + whole), left};
        }
    };

private:
    static grid_time after(std::int64_t step, double offset, double duration, double dt, bool whole_steps) {
        return duration_on_grid{duration, dt, whole_steps}.after(step, offset);
    }
};

}  // namespace iaf
