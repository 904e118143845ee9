#pragma once
/// \file
/// A train of rectangular pulses with their own onsets, durations and amplitudes.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <utility>
#include <vector>

#include "../detail/jump_table.hpp"
#include "../errors.hpp"
#include "pulse.hpp"

namespace iaf {

/// A sum of rectangular pulses, each with its own onset, duration and amplitude (the teaching
/// notebook's "different intensities and durations"). Overlapping pulses add up.
///
/// The pulses are turned once into a sorted table of edges, shared between copies; evaluation and
/// `next_breakpoint` are binary searches and never allocate. Every edge is a breakpoint, and the
/// closed-form leaky response lets `exact` integrate a pulse train with off-grid edges exactly.
/// Each pulse is validated when it is built (see `pulse`) and again by the constructor, since a
/// pulse's fields may have been assigned since: the message names the pulse's index.
///
/// Example:
///     iaf::pulse_train train{{.onset = 10, .duration = 5, .amplitude = 1},
///                            {.onset = 30, .duration = 2.5, .amplitude = 2}};
class pulse_train {
public:
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    /// The sum of `pulses`; they may overlap. Throws `invalid_parameter` for an invalid pulse, e.g.
    /// `iaf::pulse_train: pulses[1]: iaf::pulse: duration = -1 is invalid (must be >= 0)`.
    explicit pulse_train(std::vector<pulse> pulses) : data_(make(std::move(pulses))) {}
    /// The sum of `pulses`; they may overlap.
    pulse_train(std::initializer_list<pulse> pulses) : pulse_train(std::vector<pulse>(pulses)) {}

    /// The current at time t [ms], in nA.
    [[nodiscard]] double operator()(double t) const noexcept { return data_->table.value(t); }
    /// The first time after t [ms] at which the current jumps or bends, or +infinity: the neuron
    /// splits its step there.
    [[nodiscard]] double next_breakpoint(double t) const noexcept { return data_->table.next_breakpoint(t); }
    /// The solution of du/dt = -u/tau + I(t) that is 0 before the first pulse [nA ms].
    [[nodiscard]] double leaky_response(double t, double tau) const noexcept {
        return data_->table.leaky_response(t, tau);
    }

    /// The pulses as given.
    [[nodiscard]] const std::vector<pulse>& pulses() const noexcept { return data_->pulses; }
    /// The times at which the current changes [ms], sorted.
    [[nodiscard]] const std::vector<double>& edges() const noexcept { return data_->table.times; }

private:
    struct data {
        std::vector<pulse> pulses;
        detail::jump_table table;
    };

    static std::shared_ptr<const data> make(std::vector<pulse> pulses) {
        for (std::size_t k = 0; k < pulses.size(); ++k)
            pulses[k].validate_as(detail::message("iaf::pulse_train: pulses[", k, "]: iaf::pulse"));
        std::vector<std::pair<double, double>> edges;  // (time, change of the current)
        edges.reserve(2 * pulses.size());
        double largest = 0.0;
        for (const pulse& p : pulses) {
            if (p.duration == 0.0 || p.amplitude == 0.0) continue;
            edges.emplace_back(p.onset, p.amplitude);
            edges.emplace_back(p.end(), -p.amplitude);
            largest = std::max(largest, std::abs(p.amplitude));
        }
        std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        std::vector<double> times, values;
        double level = 0.0;
        for (std::size_t k = 0; k < edges.size();) {
            const double t = edges[k].first;
            // Every pass consumes at least one edge (do-while), so the loop ends even for a NaN time.
            do {
                level += edges[k].second;
                ++k;
            } while (k < edges.size() && edges[k].first == t);
            // Overlapping pulses leave round-off where they all have ended: that level is 0.
            if (std::abs(level) <= 1e-14 * largest) level = 0.0;
            times.push_back(t);
            values.push_back(level);
        }
        return std::make_shared<const data>(data{std::move(pulses), detail::jump_table(std::move(times), std::move(values))});
    }

    std::shared_ptr<const data> data_;
};

}  // namespace iaf
