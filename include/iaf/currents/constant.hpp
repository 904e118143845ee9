#pragma once
/// \file
/// A constant input current.

#include "../errors.hpp"

namespace iaf {

/// A constant current I(t) = value [nA].
///
/// Its leaky response is the steady state value * tau, so `exact` integrates it with round-off
/// error only (Rotter & Diesmann 1999).
///
/// Example: `iaf::constant{0.8}`
class constant {
public:
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    /// Throws `invalid_parameter` unless `value` (nA) is finite.
    explicit constant(double value) : value_(value) {
        detail::require_finite("iaf::constant", "value", value);
    }

    /// The current at time t [ms], in nA.
    [[nodiscard]] constexpr double operator()(double /*t*/) const noexcept { return value_; }
    /// u = value * tau [nA ms], the solution of du/dt = -u/tau + value.
    [[nodiscard]] constexpr double leaky_response(double /*t*/, double tau) const noexcept { return value_ * tau; }
    /// The value [nA].
    [[nodiscard]] constexpr double value() const noexcept { return value_; }

private:
    double value_;
};

}  // namespace iaf
