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
    /// Real-axis stability limit: on dx/dt = -x/tau a step is stable for h <= 2 tau (|1 - h/tau|
    /// <= 1). A neuron refuses a larger dt on a linear model (see `StabilityLimitedIntegrator`).
    static constexpr double real_stability_limit = 2.0;
    /// The name stability messages give.
    static constexpr const char* name = "iaf::euler";

    /// Opt-in to a dt beyond the stability limit on a linear model (`iaf::euler{.allow_unstable =
    /// true}`): the run is then allowed to oscillate, blow up (reported as `simulation_error`) or,
    /// on a LIF, fire on every step; for demonstrations of exactly that.
    bool allow_unstable = false;

    /// One step of length h [ms] of dx/dt = f(t, x) from x at time t [ms]; returns x(t + h).
    template <typename F, typename S>
    [[nodiscard]] constexpr S step(const F& f, double t, const S& x, double h) const {
        return S(x + detail::step_factor<S>(h) * f(t, x));
    }
};

}  // namespace iaf
