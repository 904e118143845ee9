#pragma once
/// \file
/// A sinusoidal current (an AC generator).

#include <cmath>
#include <numbers>

#include "../detail/validated.hpp"
#include "../errors.hpp"

namespace iaf {

/// A sinusoidal current: I(t) = offset + amplitude * sin(2 pi frequency t + phase).
///
/// Like NEST's ac_generator. Its leaky response is the periodic steady state
/// u(t) = offset tau + amplitude tau (sin(w t + phase) - w tau cos(w t + phase)) / (1 + (w tau)^2)
/// with w = 2 pi frequency, so `exact` integrates a sine-driven LIF with no discretisation error
/// at any dt. Fields are validated when the object is built (finite, frequency >= 0) and again by
/// `validate()` where the value enters a neuron or a simulation.
///
/// Example: `iaf::sine{.amplitude = 1, .frequency = 0.1, .phase = 0, .offset = 0}`
/// (nA, cycles per ms = kHz, rad, nA): a 100 Hz sine.
struct sine {
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    double amplitude = 0.0;  ///< peak deviation from `offset` [nA]
    double frequency = 0.0;  ///< cycles per ms [kHz], >= 0
    double phase = 0.0;      ///< phase at t = 0 [rad]
    double offset = 0.0;     ///< mean value [nA]
    /// Runs `validate()` when the object is built; cannot be initialised by hand.
    detail::validated validated_{*this};

    /// Angular frequency 2 pi frequency [rad/ms].
    [[nodiscard]] double omega() const noexcept { return 2.0 * std::numbers::pi * frequency; }

    /// The current at time t [ms], in nA.
    [[nodiscard]] double operator()(double t) const noexcept {
        return offset + amplitude * std::sin(omega() * t + phase);
    }
    /// The periodic steady state of du/dt = -u/tau + I(t) [nA ms].
    [[nodiscard]] double leaky_response(double t, double tau) const noexcept {
        const double w = omega();
        const double wt = w * tau;
        const double angle = w * t + phase;
        return offset * tau + amplitude * tau * (std::sin(angle) - wt * std::cos(angle)) / (1.0 + wt * wt);
    }

    /// Throws `invalid_parameter` unless the fields are valid (finite, frequency >= 0, 2 pi
    /// frequency finite). Runs when the object is built; the neuron, `simulate` and `population` run
    /// it again when a value enters them, since the public fields can be assigned afterwards.
    void validate() const {
        detail::require_finite("iaf::sine", "amplitude", amplitude);
        detail::require_non_negative("iaf::sine", "frequency", frequency);
        detail::require_finite("iaf::sine", "phase", phase);
        detail::require_finite("iaf::sine", "offset", offset);
        if (!std::isfinite(omega()))
            detail::fail_parameter("iaf::sine", "frequency", frequency, "2 pi frequency must be finite");
    }
};

}  // namespace iaf
