#pragma once
/// \file
/// An exponentially decaying current (a current-based synaptic input).

#include <cmath>
#include <limits>

#include "../detail/validated.hpp"
#include "../errors.hpp"

namespace iaf {

/// An exponentially decaying current: I(t) = amplitude * exp(-(t - onset)/tau) for t >= onset,
/// 0 before; the current of an exponential synapse (e.g. Rotter & Diesmann 1999).
///
/// Reports `onset` (its jump) as a breakpoint and has a closed-form leaky response, so `exact`
/// integrates it with no discretisation error. Fields are validated when the object is built
/// (finite, tau > 0) and again by `validate()` where the value enters a neuron or a simulation.
///
/// Example: `iaf::exponential_decay{.onset = 10, .amplitude = 2, .tau = 5}`  (ms, nA, ms)
struct exponential_decay {
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    double onset = 0.0;      ///< time of the jump [ms]
    double amplitude = 0.0;  ///< value right at `onset` [nA]
    double tau = 1.0;        ///< decay time constant [ms], > 0
    /// Runs `validate()` when the object is built; cannot be initialised by hand.
    detail::validated validated_{*this};

    /// The current at time t [ms], in nA.
    [[nodiscard]] double operator()(double t) const noexcept {
        return t >= onset ? amplitude * std::exp(-(t - onset) / tau) : 0.0;
    }
    /// The first time after t [ms] at which the current jumps or bends, or +infinity: the neuron
    /// splits its step there.
    [[nodiscard]] double next_breakpoint(double t) const noexcept {
        return t < onset ? onset : std::numeric_limits<double>::infinity();
    }
    /// u(t) = A (e^{-s/tau} - e^{-s/tau_m}) / (1/tau_m - 1/tau) with s = t - onset, or
    /// A s e^{-s/tau_m} when tau == tau_m; 0 before onset [nA ms]. `tau_m` is the argument.
    [[nodiscard]] double leaky_response(double t, double tau_m) const noexcept {
        if (!(t > onset)) return 0.0;
        const double s = t - onset;
        const double k = 1.0 / tau_m - 1.0 / tau;
        // e^{-s/tau} - e^{-s/tau_m} = e^{-s/tau_m} expm1(k s): no cancellation when the two time
        // constants are close; the direct difference where k s is large (expm1 could overflow).
        if (k == 0.0) return amplitude * s * std::exp(-s / tau_m);
        if (std::abs(k * s) < 1.0) return amplitude * std::exp(-s / tau_m) * (std::expm1(k * s) / k);
        return amplitude * (std::exp(-s / tau) - std::exp(-s / tau_m)) / k;
    }

    /// Throws `invalid_parameter` unless the fields are valid (finite, tau > 0). Runs when the object is
    /// built; the neuron, `simulate` and `population` run it again when a value enters them, since the
    /// public fields can be assigned afterwards.
    void validate() const {
        detail::require_finite("iaf::exponential_decay", "onset", onset);
        detail::require_finite("iaf::exponential_decay", "amplitude", amplitude);
        detail::require_positive("iaf::exponential_decay", "tau", tau);
    }
};

}  // namespace iaf
