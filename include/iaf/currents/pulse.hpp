#pragma once
/// \file
/// A rectangular current pulse.

#include <cmath>
#include <limits>
#include <string_view>

#include "../detail/validated.hpp"
#include "../errors.hpp"

namespace iaf {

/// A rectangular pulse: I(t) = `amplitude` for onset <= t < onset + duration, 0 otherwise.
///
/// Reports both edges as breakpoints and has a closed-form leaky response, so `exact` integrates
/// it with no discretisation error even when the edges fall between grid points.
/// Fields are validated when the object is built (finite, duration >= 0) and again by `validate()`
/// where the value enters a neuron or a simulation.
///
/// Example: `iaf::pulse{.onset = 10, .duration = 5, .amplitude = 1}`  (ms, ms, nA)
struct pulse {
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    double onset = 0.0;      ///< start of the pulse [ms]
    double duration = 0.0;   ///< length of the pulse [ms], >= 0
    double amplitude = 0.0;  ///< value during the pulse [nA]
    /// Runs `validate()` when the object is built; cannot be initialised by hand.
    detail::validated validated_{*this};

    /// End of the pulse, onset + duration [ms].
    [[nodiscard]] double end() const noexcept { return onset + duration; }

    /// The current at time t [ms], in nA.
    [[nodiscard]] double operator()(double t) const noexcept {
        return t >= onset && t < end() ? amplitude : 0.0;
    }
    /// The first time after t [ms] at which the current jumps or bends, or +infinity: the neuron
    /// splits its step there.
    [[nodiscard]] double next_breakpoint(double t) const noexcept {
        if (t < onset) return onset;
        if (t < end()) return end();
        return std::numeric_limits<double>::infinity();
    }
    /// u(t) = A tau (1 - e^{-(t - onset)/tau}) during the pulse and
    /// A tau (1 - e^{-duration/tau}) e^{-(t - end)/tau} after it [nA ms]; written with expm1 so
    /// that neither form cancels.
    [[nodiscard]] double leaky_response(double t, double tau) const noexcept {
        if (!(t > onset)) return 0.0;
        const double e = end();
        if (t <= e) return -amplitude * tau * std::expm1(-(t - onset) / tau);
        return -amplitude * tau * std::expm1(-(e - onset) / tau) * std::exp(-(t - e) / tau);
    }

    /// Throws `invalid_parameter` unless the fields are valid (finite, duration >= 0, onset +
    /// duration finite). Runs when the object is built; the neuron, `simulate` and `population` run
    /// it again when a value enters them, since the public fields can be assigned afterwards.
    void validate() const { validate_as("iaf::pulse"); }

    /// `validate()` with `owner` naming the pulse in the message (a pulse train names its index).
    void validate_as(std::string_view owner) const {
        detail::require_finite(owner, "onset", onset);
        detail::require_non_negative(owner, "duration", duration);
        detail::require_finite(owner, "amplitude", amplitude);
        if (!std::isfinite(onset + duration))
            detail::fail_parameter(owner, "duration", duration, "onset + duration must be finite");
    }
};

}  // namespace iaf
