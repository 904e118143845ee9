#pragma once
/// \file
/// Spikes as (neuron index, time in ms), like Brian2's SpikeMonitor, with CSV output.

#include <cstddef>
#include <limits>
#include <ostream>
#include <span>
#include <vector>

#include "../detail/csv.hpp"
#include "../errors.hpp"
#include "../grid_time.hpp"

namespace iaf {

/// Records spikes as (neuron index, time in ms): a callable to pass as a population's (or a
/// neuron's) `on_spike`, or to call from the host's own.
///
/// A spike reported as grid_time{step, offset} is stored at t_start + step * dt + offset [ms]
/// (`grid_time::time`), on the grid of the population or neuron that reported it. Spikes are kept
/// in the order reported; spikes of neurons outside the recorded range are ignored.
///
/// Nothing allocates once the buffers have grown: `reserve` ahead, or let the first steps grow
/// them; `clear` keeps the capacity. Not thread-safe: threads stepping slices of one population
/// each record into their own recorder.
///
/// Example:
///     iaf::spike_recorder spikes{pop.dt()};
///     pop.step(input, spikes);
///     spikes.write_csv(file);  // index,time_ms
class spike_recorder {
public:
    /// The neurons whose spikes are recorded: indices in [first, last).
    struct range {
        std::size_t first = 0;                                      ///< first index recorded
        std::size_t last = std::numeric_limits<std::size_t>::max();  ///< one past the last index recorded
    };

    /// A recorder for every neuron's spikes on the grid of step dt [ms] that starts at t_start
    /// [ms]. Throws `invalid_parameter` unless dt > 0 and t_start is finite.
    explicit spike_recorder(double dt, double t_start = 0.0) : spike_recorder(dt, t_start, range{}) {}

    /// The same, keeping only the spikes of `neurons`. Throws `invalid_parameter` also unless
    /// neurons.first <= neurons.last.
    spike_recorder(double dt, double t_start, range neurons)
        : dt_(dt), t_start_(t_start), neurons_(neurons) {
        constexpr const char* who = "iaf::spike_recorder";
        detail::require_positive(who, "dt", dt);
        detail::require_finite(who, "t_start", t_start);
        if (neurons.first > neurons.last)
            detail::fail_parameter(who, "range.last", static_cast<double>(neurons.last),
                                   detail::message("must be >= range.first = ", neurons.first));
    }

    /// Records a spike of neuron `index` at `t` (a population's on_spike), if `index` is in range.
    void operator()(std::size_t index, grid_time t) {
        if (index < neurons_.first || index >= neurons_.last) return;
        indices_.push_back(index);
        times_.push_back(t.time(t_start_, dt_));
    }
    /// Records a spike of a single neuron at `t` (a neuron's on_spike) as neuron 0.
    void operator()(grid_time t) { (*this)(0, t); }

    /// The index of each recorded spike's neuron.
    [[nodiscard]] std::span<const std::size_t> indices() const noexcept { return indices_; }
    /// The time of each recorded spike [ms].
    [[nodiscard]] std::span<const double> times() const noexcept { return times_; }
    /// Number of spikes recorded.
    [[nodiscard]] std::size_t size() const noexcept { return times_.size(); }

    /// Forgets the recorded spikes, keeping the memory for the next ones.
    void clear() noexcept {
        indices_.clear();
        times_.clear();
    }
    /// Makes room for `spikes` spikes in all, so that recording up to that many does not allocate.
    void reserve(std::size_t spikes) {
        indices_.reserve(spikes);
        times_.reserve(spikes);
    }

    /// Writes the spikes as CSV: a header `index,time_ms`, then one line per spike in recorded
    /// order, times as the shortest decimal that reads back as the same double.
    void write_csv(std::ostream& os) const {
        os << "index,time_ms\n";
        for (std::size_t s = 0; s < size(); ++s) {
            detail::write_csv_number(os, indices_[s]);
            os << ',';
            detail::write_csv_number(os, times_[s]);
            os << '\n';
        }
    }

private:
    double dt_;
    double t_start_;
    range neurons_;
    std::vector<std::size_t> indices_;
    std::vector<double> times_;
};

}  // namespace iaf
