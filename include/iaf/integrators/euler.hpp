#pragma once
/// \file
/// Forward Euler, the teaching notebook's method.

#include "../detail/step_factor.hpp"

namespace iaf {

/// Forward (explicit) Euler: x + h f(t, x). Order 1; on the LIF stable only for h < 2 tau_m.
struct euler {
    /// Order of the global error: 1.
    static constexpr int order = 1;
    static constexpr bool is_linear = true;  ///< an explicit Runge-Kutta method (see LinearMethod)

    /// One step of length h [ms] of dx/dt = f(t, x) from x at time t [ms]; returns x(t + h).
    template <typename F, typename S>
    [[nodiscard]] constexpr S step(const F& f, double t, const S& x, double h) const {
        return S(x + detail::step_factor<S>(h) * f(t, x));
    }
};

}  // namespace iaf
