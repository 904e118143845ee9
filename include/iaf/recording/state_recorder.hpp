#pragma once
/// \file
/// Chosen neurons' membrane potential every m grid steps, like Brian2's StateMonitor, with CSV
/// output.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <ostream>
#include <span>
#include <stdexcept>
#include <utility>
#include <vector>

#include <Eigen/Core>

#include "../detail/csv.hpp"
#include "../errors.hpp"

namespace iaf {

/// Records the membrane potential V [mV] of chosen neurons every `every` grid steps.
///
/// The host calls `record(source)` after each step, and once before the first for the initial
/// state; a sample is taken when source.steps() is a multiple of `every` and that step has not
/// been sampled yet, so samples fall at t_start + j * every * dt whatever the calling pattern.
/// The source is a population (`size()`, `voltage(i)`, `steps()`, `time()`) or a single
/// `iaf::neuron` (`voltage()`, recorded as neuron 0).
///
/// Nothing allocates once the buffers have grown (`reserve`); `clear` keeps the capacity.
///
/// Example:
///     iaf::state_recorder trace{{0, 7, 42}, 10};  // V of neurons 0, 7 and 42 every 10 steps
///     trace.record(pop);
///     for (int k = 0; k < 1000; ++k) { pop.step(input, spikes); trace.record(pop); }
///     trace.write_csv(file);  // time_ms,v_0,v_7,v_42
class state_recorder {
public:
    /// Records V of the neurons `indices` (each at most once; columns in this order) every
    /// `every` steps. Throws `invalid_parameter` if `indices` is empty or repeats an index, or
    /// unless every >= 1.
    explicit state_recorder(std::vector<std::size_t> indices, std::int64_t every = 1)
        : indices_(std::move(indices)), every_(every) {
        if (indices_.empty()) detail::fail_parameter(who, "indices.size()", 0.0, "must be >= 1");
        if (every < 1) detail::fail_parameter(who, "every", static_cast<double>(every), "must be >= 1");
        std::vector<std::size_t> sorted = indices_;
        std::sort(sorted.begin(), sorted.end());
        if (const auto twin = std::adjacent_find(sorted.begin(), sorted.end()); twin != sorted.end())
            detail::fail_parameter(who, "indices", static_cast<double>(*twin), "must not repeat an index");
        highest_ = sorted.back();
    }

    /// Samples V of the recorded neurons of `source` if source.steps() is a multiple of every()
    /// not sampled yet. Throws `invalid_parameter` if a recorded index is not a neuron of
    /// `source` (a single neuron has only index 0).
    template <typename Source>
    void record(const Source& source) {
        const std::int64_t step = source.steps();
        if (step % every_ != 0 || (!times_.empty() && step == last_step_)) return;
        std::size_t neurons = 1;
        if constexpr (requires { source.size(); }) neurons = source.size();
        if (highest_ >= neurons)
            detail::fail_parameter(who, "index", static_cast<double>(highest_),
                                   detail::message("must be < the source's size ", neurons));
        times_.push_back(source.time());
        for (const std::size_t i : indices_) {
            if constexpr (requires { source.voltage(i); }) values_.push_back(static_cast<double>(source.voltage(i)));
            else values_.push_back(static_cast<double>(source.voltage()));
        }
        last_step_ = step;
    }

    /// The recorded neurons, in column order.
    [[nodiscard]] std::span<const std::size_t> indices() const noexcept { return indices_; }
    /// Grid steps between samples.
    [[nodiscard]] std::int64_t every() const noexcept { return every_; }
    /// Number of samples taken.
    [[nodiscard]] std::size_t size() const noexcept { return times_.size(); }
    /// The time of each sample [ms].
    [[nodiscard]] std::span<const double> times() const noexcept { return times_; }
    /// V [mV] of every recorded neuron (in indices() order) at times()[s]. Throws
    /// `std::out_of_range` (without exceptions: reports error_kind::out_of_range) unless s < size().
    [[nodiscard]] std::span<const double> values(std::size_t s) const {
        if (s >= size()) detail::raise(error_kind::out_of_range, detail::message(who, ": sample ", s, " of ", size()));
        return std::span<const double>(values_).subspan(s * indices_.size(), indices_.size());
    }
    /// All samples as a matrix [mV]: row s is values(s), column k the trace of indices()[k].
    [[nodiscard]] auto matrix() const noexcept {
        using row_major = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
        return Eigen::Map<const row_major>(values_.data(), static_cast<Eigen::Index>(size()),
                                           static_cast<Eigen::Index>(indices_.size()));
    }

    /// Forgets the samples, keeping the memory for the next ones.
    void clear() noexcept {
        times_.clear();
        values_.clear();
    }
    /// Makes room for `samples` samples in all, so that taking up to that many does not allocate.
    void reserve(std::size_t samples) {
        times_.reserve(samples);
        values_.reserve(samples * indices_.size());
    }

    /// Writes the samples as CSV: a header `time_ms,v_<index>,...` (one column per recorded
    /// neuron), then one line per sample, numbers as the shortest decimal that reads back as the
    /// same double.
    void write_csv(std::ostream& os) const {
        os << "time_ms";
        for (const std::size_t i : indices_) {
            os << ",v_";
            detail::write_csv_number(os, i);
        }
        os << '\n';
        for (std::size_t s = 0; s < size(); ++s) {
            detail::write_csv_number(os, times_[s]);
            for (const double v : values(s)) {
                os << ',';
                detail::write_csv_number(os, v);
            }
            os << '\n';
        }
    }

private:
    static constexpr const char* who = "iaf::state_recorder";

    std::vector<std::size_t> indices_;
    std::int64_t every_;
    std::size_t highest_ = 0;  // the largest recorded index
    std::vector<double> times_;
    std::vector<double> values_;  // row-major: one row of indices_.size() values per sample
    std::int64_t last_step_ = 0;  // the step of the last sample (meaningful when there is one)
};

}  // namespace iaf
