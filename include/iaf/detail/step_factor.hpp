#pragma once
/// \file
/// The scalar an integrator multiplies a state by. Not API.

#include <type_traits>

namespace iaf::detail {

/// A step length h as a factor of states of type S: h itself, except in S's own scalar for Eigen
/// states (a float array, SIMD lanes of a float population, does not mix with double).
template <typename S>
[[nodiscard]] constexpr auto step_factor(double h) noexcept {
    if constexpr (requires { typename S::Scalar; }) return static_cast<typename S::Scalar>(h);
    else if constexpr (std::is_floating_point_v<S>) return static_cast<S>(h);
    else return h;
}

}  // namespace iaf::detail
