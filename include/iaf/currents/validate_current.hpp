#pragma once
/// \file
/// Re-checks a current's parameters where it enters a simulation.

#include <type_traits>
#include <utility>

namespace iaf {

/// Throws `invalid_parameter` if `c` has parameters and one of them is invalid; does nothing for
/// a current without any (a lambda, `constant`, `piecewise`).
///
/// Calls `c.validate()` when the current has a `validate() const` member: iaf's aggregate
/// currents (`step`, `pulse`, `ramp`, `sine`, `exponential_decay`, `white_noise`,
/// `ornstein_uhlenbeck`), whose public fields may have been assigned since they were built, and
/// the current algebra (`a + b`, `k * a`, `shifted`), which checks its parts. A user's current
/// opts in by declaring such a member. The neuron, `simulate`, `population` and `pulse_train`
/// call it where a current enters them, so a value mutated after construction is rejected there,
/// before any step, with the message its constructor would have given.
///
/// Example: `iaf::pulse p{.onset = 10, .duration = 5, .amplitude = 1}; p.duration = -1;`
/// `iaf::validate_current(p)` throws `iaf::pulse: duration = -1 is invalid (must be >= 0)`.
template <typename C>
void validate_current(const C& c) {
    if constexpr (requires(const C& x) { x.validate(); }) c.validate();
}

namespace detail {

/// `c`, after `validate_current(c)`: for constructors' initializer lists.
template <typename C>
[[nodiscard]] C validated_current(C c) {
    validate_current(c);
    return c;
}

}  // namespace detail
}  // namespace iaf
