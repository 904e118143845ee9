#pragma once
/// \file
/// Heun's method (explicit trapezoidal rule).

#include "../detail/step_factor.hpp"

namespace iaf {

/// Heun's method, the explicit trapezoidal rule (Heun 1900): order 2, two evaluations per step.
struct heun {
    /// Order of the global error: 2.
    static constexpr int order = 2;
    static constexpr bool is_linear = true;  ///< an explicit Runge-Kutta method (see LinearMethod)
    /// Real-axis stability limit: on dx/dt = -x/tau a step is stable for h <= 2 tau
    /// (|1 - z + z^2/2| <= 1 with z = h/tau). A neuron refuses a larger dt on a linear model (see
    /// `StabilityLimitedIntegrator`).
    static constexpr double real_stability_limit = 2.0;
    /// The name stability messages give.
    static constexpr const char* name = "iaf::heun";

    /// Opt-in to a dt beyond the stability limit on a linear model (`iaf::heun{.allow_unstable =
    /// true}`); see `euler::allow_unstable`.
    bool allow_unstable = false;

    /// One step of length h [ms] of dx/dt = f(t, x) from x at time t [ms]; returns x(t + h).
    template <typename F, typename S>
    [[nodiscard]] constexpr S step(const F& f, double t, const S& x, double h) const {
        const auto dh = detail::step_factor<S>(h);
        const S k1 = f(t, x);
        const S k2 = f(t + h, S(x + dh * k1));
        return S(x + detail::step_factor<S>(0.5 * h) * (k1 + k2));
    }
};

}  // namespace iaf
