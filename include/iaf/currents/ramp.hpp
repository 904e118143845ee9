#pragma once
/// \file
/// A linear ramp current.

#include <cmath>
#include <limits>

#include "../detail/validated.hpp"
#include "../errors.hpp"

namespace iaf {

/// A linear ramp: I(t) = slope * (t - onset) for t >= onset, 0 before.
///
/// The current is continuous, but its kink at `onset` is reported as a breakpoint so that no
/// integration step straddles it (a kink inside a step costs Runge-Kutta methods their order).
/// Its closed-form leaky response makes `exact` integrate it with no discretisation error.
/// Fields are validated when the object is built (all finite) and again by `validate()` where the
/// value enters a neuron or a simulation.
///
/// Example: `iaf::ramp{.onset = 0, .slope = 0.01}`  (ms, nA/ms)
struct ramp {
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    double onset = 0.0;  ///< time the ramp starts from 0 [ms]
    double slope = 0.0;  ///< rate of increase [nA/ms]
    /// Runs `validate()` when the object is built; cannot be initialised by hand.
    detail::validated validated_{*this};

    /// The current at time t [ms], in nA.
    [[nodiscard]] double operator()(double t) const noexcept { return t >= onset ? slope * (t - onset) : 0.0; }
    /// The first time after t [ms] at which the current jumps or bends, or +infinity: the neuron
    /// splits its step there.
    [[nodiscard]] double next_breakpoint(double t) const noexcept {
        return t < onset ? onset : std::numeric_limits<double>::infinity();
    }
    /// u(t) = slope tau (s - tau (1 - e^{-s/tau})) with s = t - onset >= 0, 0 before [nA ms].
    [[nodiscard]] double leaky_response(double t, double tau) const noexcept {
        if (!(t > onset)) return 0.0;
        const double x = (t - onset) / tau;
        // x + expm1(-x) = x^2/2 - x^3/6 + ... cancels for small x: sum the series there instead.
        double g = 0.0;
        if (x < 0.125) {
            double term = 0.5 * x * x;  // x^2 / 2!
            for (int n = 2; n < 20 && term != 0.0; ++n) {
                g += term;
                term *= -x / (n + 1);
            }
        } else {
            g = x + std::expm1(-x);
        }
        return slope * tau * tau * g;
    }

    /// Throws `invalid_parameter` unless the fields are valid (all finite). Runs when the object is
    /// built; the neuron, `simulate` and `population` run it again when a value enters them, since the
    /// public fields can be assigned afterwards.
    void validate() const {
        detail::require_finite("iaf::ramp", "onset", onset);
        detail::require_finite("iaf::ramp", "slope", slope);
    }
};

}  // namespace iaf
