#pragma once
/// \file
/// The opt-in trait that enables iaf's current algebra (`a + b`, `k * a`, ...) for a type.

#include <type_traits>

#include "../concepts.hpp"

namespace iaf {

/// True for iaf's own currents, which declare the member type `iaf_current`. The current
/// operators (`+`, `-`, `*`, `/`) only accept operands of which at least one has it, so they never
/// hijack arithmetic on unrelated types (Eigen vectors, user classes, lambdas among themselves).
/// A user's current type opts in by declaring `using iaf_current = void;`.
template <typename T>
inline constexpr bool enable_current_operators = requires { typename std::remove_cvref_t<T>::iaf_current; };

}  // namespace iaf
