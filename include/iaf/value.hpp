#pragma once
/// \file
/// What model equations may assume of their value type, and the few helpers that let the same
/// lines run on `double`, `float` and SIMD lanes (fixed-size Eigen arrays of either).
///
/// A model's equations are templates over a value type T. Arithmetic (`+ - * /`) and comparisons
/// work on every T; the helpers below cover what does not: making a T from a parameter,
/// choosing per lane, and the exponential.

#include <algorithm>
#include <cmath>
#include <type_traits>

#include <Eigen/Core>

namespace iaf {

namespace detail {
template <typename T>
struct is_eigen_array : std::false_type {};
template <typename S, int R, int C, int O, int MR, int MC>
struct is_eigen_array<Eigen::Array<S, R, C, O, MR, MC>> : std::true_type {};
}  // namespace detail

/// True for value types that hold several lanes (fixed-size `Eigen::Array`s).
template <typename T>
inline constexpr bool is_lanes_v = detail::is_eigen_array<std::remove_cvref_t<T>>::value;

namespace detail {
template <typename T, bool = is_lanes_v<T>>
struct scalar_of_impl {
    using type = T;
};
template <typename T>
struct scalar_of_impl<T, true> {
    using type = typename T::Scalar;
};
}  // namespace detail

/// The scalar of a value type (`double`, `float`, or the element type of lanes).
template <typename T>
using scalar_t = typename detail::scalar_of_impl<std::remove_cvref_t<T>>::type;

/// `value` as a T: itself if it is a T already (a per-lane parameter), else converted for
/// scalars and copied into every lane for lanes (a parameter shared by all lanes).
template <typename T, typename U>
[[nodiscard]] constexpr T broadcast(const U& value) {
    if constexpr (std::is_same_v<std::remove_cvref_t<U>, T>) return value;
    else if constexpr (is_lanes_v<T>) return T::Constant(static_cast<scalar_t<T>>(value));
    else return static_cast<T>(value);
}

/// Per lane `condition ? a : b` (for scalars, the plain conditional).
template <typename Mask, typename T>
[[nodiscard]] T select(const Mask& condition, const T& a, const T& b) {
    if constexpr (is_lanes_v<T>) return condition.select(a, b);
    else return condition ? a : b;
}

/// An Eigen expression evaluated into a plain value (a mask over lanes that no longer refers to
/// its operands); scalars and bools pass through.
template <typename E>
[[nodiscard]] auto evaluated(const E& e) {
    if constexpr (requires { e.eval(); }) return e.eval();
    else return e;
}

/// Whether the mask holds in any lane (for scalars, the bool itself).
template <typename Mask>
[[nodiscard]] bool any(const Mask& condition) {
    if constexpr (std::is_same_v<Mask, bool>) return condition;
    else return condition.any();
}

/// Per lane min(a, b).
template <typename T>
[[nodiscard]] T min(const T& a, const T& b) {
    if constexpr (is_lanes_v<T>) return a.min(b);
    else return std::min(a, b);
}

/// Per lane exp(x).
template <typename T>
[[nodiscard]] T exp(const T& x) {
    if constexpr (is_lanes_v<T>) return x.exp();
    else return std::exp(x);
}

}  // namespace iaf
