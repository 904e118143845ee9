#pragma once
/// \file
/// The classic fourth-order Runge-Kutta method.

#include "../detail/step_factor.hpp"

namespace iaf {

/// Classic Runge-Kutta (Kutta 1901): order 4, four evaluations per step, the current evaluated at
/// t, t + h/2 (twice) and t + h.
struct rk4 {
    /// Order of the global error: 4.
    static constexpr int order = 4;
    static constexpr bool is_linear = true;  ///< an explicit Runge-Kutta method (see LinearMethod)
    /// Real-axis stability limit: on dx/dt = -x/tau a step is stable for h <= 2.785293563405 tau,
    /// the negative real root of |1 + z + z^2/2 + z^3/6 + z^4/24| = 1 (Hairer & Wanner 1996,
    /// IV.2). A neuron refuses a larger dt on a linear model (see `StabilityLimitedIntegrator`).
    static constexpr double real_stability_limit = 2.785293563405;
    /// The name stability messages give.
    static constexpr const char* name = "iaf::rk4";

    /// Opt-in to a dt beyond the stability limit on a linear model (`iaf::rk4{.allow_unstable =
    /// true}`); see `euler::allow_unstable`.
    bool allow_unstable = false;

    /// One step of length h [ms] of dx/dt = f(t, x) from x at time t [ms]; returns x(t + h).
    template <typename F, typename S>
    [[nodiscard]] constexpr S step(const F& f, double t, const S& x, double h) const {
        // Name the state type on every stage: an Eigen expression held in auto would dangle.
        const double half = 0.5 * h;
        const auto dh = detail::step_factor<S>(h), dhalf = detail::step_factor<S>(half);
        const auto two = detail::step_factor<S>(2.0);
        const S k1 = f(t, x);
        const S k2 = f(t + half, S(x + dhalf * k1));
        const S k3 = f(t + half, S(x + dhalf * k2));
        const S k4 = f(t + h, S(x + dh * k3));
        return S(x + detail::step_factor<S>(h / 6.0) * (k1 + two * k2 + two * k3 + k4));
    }
};

}  // namespace iaf
