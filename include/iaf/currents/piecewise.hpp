#pragma once
/// \file
/// A piecewise-constant current given as (times, values).

#include <cmath>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "../detail/jump_table.hpp"
#include "../errors.hpp"

namespace iaf {

/// A piecewise-constant current: I(t) = values[k] on [times[k], times[k+1]), 0 before times[0],
/// values.back() from the last time on; like NEST's step_current_generator or Brian2's
/// TimedArray.
///
/// Every time is reported as a breakpoint, so the neuron splits steps there and each sub-step
/// sees one value; the closed-form leaky response (a sum over recent jumps) makes `exact` exact
/// for it and for its sums with other currents that have one. The table is built once and shared
/// between copies (copying is a reference-count increment); evaluation is a binary search and
/// never allocates.
///
/// Example: `iaf::piecewise{{0.0, 10.0, 20.0}, {0.5, 1.0, 0.0}}`  (ms, nA)
class piecewise {
public:
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    /// Throws `invalid_parameter` unless the sizes match, there is at least one piece, times are
    /// finite and strictly increasing, and values are finite.
    piecewise(std::vector<double> times, std::vector<double> values) {
        constexpr const char* who = "iaf::piecewise";
        if (times.size() != values.size())
            detail::fail_parameter(who, "values.size()", static_cast<double>(values.size()),
                                   "must equal times.size() = " + std::to_string(times.size()));
        if (times.empty()) detail::fail_parameter(who, "times.size()", 0.0, "must be >= 1");
        for (std::size_t k = 0; k < times.size(); ++k) {
            detail::require_finite(who, "times[" + std::to_string(k) + "]", times[k]);
            detail::require_finite(who, "values[" + std::to_string(k) + "]", values[k]);
            if (k > 0 && !(times[k] > times[k - 1]))
                detail::fail_parameter(who, "times[" + std::to_string(k) + "]", times[k],
                                       "times must be strictly increasing");
        }
        table_ = std::make_shared<const detail::jump_table>(std::move(times), std::move(values));
    }

    /// The current at time t [ms], in nA.
    [[nodiscard]] double operator()(double t) const noexcept { return table_->value(t); }
    /// The first time after t [ms] at which the current jumps or bends, or +infinity: the neuron
    /// splits its step there.
    [[nodiscard]] double next_breakpoint(double t) const noexcept { return table_->next_breakpoint(t); }
    /// The solution of du/dt = -u/tau + I(t) that is 0 before the first time [nA ms].
    [[nodiscard]] double leaky_response(double t, double tau) const noexcept {
        return table_->leaky_response(t, tau);
    }

    /// The times at which the value changes [ms], increasing.
    [[nodiscard]] const std::vector<double>& times() const noexcept { return table_->times; }
    /// The value from each time on [nA], one per time.
    [[nodiscard]] const std::vector<double>& values() const noexcept { return table_->values; }

private:
    std::shared_ptr<const detail::jump_table> table_;
};

}  // namespace iaf
