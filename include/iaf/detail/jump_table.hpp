#pragma once
/// \file
/// A piecewise-constant function stored as sorted jump times: shared by pulse_train and
/// piecewise.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <utility>
#include <vector>

namespace iaf::detail {

/// value(t) = values[k] on [times[k], times[k+1]), 0 before times[0], values.back() after the
/// last time. Lookups are binary searches; nothing allocates after construction.
struct jump_table {
    std::vector<double> times;   // strictly increasing [ms]
    std::vector<double> values;  // value from times[k] on [nA]
    std::vector<double> jumps;   // values[k] - values[k-1] (values[0] for k = 0) [nA]

    jump_table(std::vector<double> t, std::vector<double> v) : times(std::move(t)), values(std::move(v)) {
        jumps.resize(values.size());
        for (std::size_t k = 0; k < values.size(); ++k) jumps[k] = k == 0 ? values[0] : values[k] - values[k - 1];
    }

    /// Number of times <= t, i.e. the index one past the piece containing t.
    [[nodiscard]] std::size_t pieces_started(double t) const noexcept {
        return static_cast<std::size_t>(std::upper_bound(times.begin(), times.end(), t) - times.begin());
    }

    [[nodiscard]] double value(double t) const noexcept {
        const std::size_t n = pieces_started(t);
        return n == 0 ? 0.0 : values[n - 1];
    }

    [[nodiscard]] double next_breakpoint(double t) const noexcept {
        const std::size_t n = pieces_started(t);
        return n < times.size() ? times[n] : std::numeric_limits<double>::infinity();
    }

    /// u(t) = tau sum_{t_j <= t} jump_j (1 - e^{-(t - t_j)/tau}), the leaky response that is 0
    /// before the first time. Jumps older than 45 tau contribute jump_j (1 - e^{-45}) and
    /// e^{-45} < 3e-20 is below double resolution, so they are summed as the value they left
    /// behind: the cost is a binary search plus the jumps of the last 45 tau.
    [[nodiscard]] double leaky_response(double t, double tau) const noexcept {
        const std::size_t n = pieces_started(t);
        if (n == 0) return 0.0;
        const std::size_t recent = static_cast<std::size_t>(
            std::lower_bound(times.begin(), times.begin() + static_cast<std::ptrdiff_t>(n), t - 45.0 * tau) -
            times.begin());
        double sum = recent == 0 ? 0.0 : values[recent - 1];
        for (std::size_t j = recent; j < n; ++j) sum -= jumps[j] * std::expm1(-(t - times[j]) / tau);
        return tau * sum;
    }
};

}  // namespace iaf::detail
