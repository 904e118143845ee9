#pragma once
/// \file
/// A step current: zero, then a constant amplitude from an onset on.

#include <cmath>
#include <limits>

#include "../detail/validated.hpp"
#include "../errors.hpp"

namespace iaf {

/// A step current: I(t) = 0 for t < onset and `amplitude` for t >= onset (right-continuous).
///
/// Reports `onset` as its breakpoint, so the neuron splits a step there, and has a closed-form
/// leaky response, so `exact` integrates it with no discretisation error.
/// Fields are validated when the object is built (all finite) and again by `validate()` where the
/// value enters a neuron or a simulation.
///
/// Example: `iaf::step{.onset = 10, .amplitude = 1}`  (ms, nA)
struct step {
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    double onset = 0.0;      ///< time of the jump [ms]
    double amplitude = 0.0;  ///< value from `onset` on [nA]
    /// Runs `validate()` when the object is built; cannot be initialised by hand.
    detail::validated validated_{*this};

    /// The current at time t [ms], in nA.
    [[nodiscard]] double operator()(double t) const noexcept { return t >= onset ? amplitude : 0.0; }
    /// The first time after t [ms] at which the current jumps or bends, or +infinity: the neuron
    /// splits its step there.
    [[nodiscard]] double next_breakpoint(double t) const noexcept {
        return t < onset ? onset : std::numeric_limits<double>::infinity();
    }
    /// u(t) = amplitude * tau * (1 - exp(-(t - onset)/tau)) from onset on, 0 before [nA ms].
    [[nodiscard]] double leaky_response(double t, double tau) const noexcept {
        return t > onset ? -amplitude * tau * std::expm1(-(t - onset) / tau) : 0.0;
    }

    /// Throws `invalid_parameter` unless the fields are valid (all finite). Runs when the object is
    /// built; the neuron, `simulate` and `population` run it again when a value enters them, since the
    /// public fields can be assigned afterwards.
    void validate() const {
        detail::require_finite("iaf::step", "onset", onset);
        detail::require_finite("iaf::step", "amplitude", amplitude);
    }
};

}  // namespace iaf
