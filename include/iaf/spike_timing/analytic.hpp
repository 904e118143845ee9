#pragma once
/// \file
/// Spike timing on the exact solution.

#include "../detail/find_root.hpp"

namespace iaf {

/// The crossing is located on the integrator's own solution, V(t + s) computed by re-stepping
/// from the start of the step, by a bracketing root finder that converges to round-off. With an
/// exact integrator (`exact` on a LIF, with constant or closed-form input) that solution is the
/// true one, so spike times are exact to round-off, as in NEST's precise models (Morrison et al.
/// 2007; Hanuschkin et al. 2010). Requires an integrator with `is_exact`, or one with
/// `has_dense_output` (`dopri5`): there the root is converged on the dense output of the internal
/// step holding the crossing, so the spike time is as accurate as the solution, i.e. set by the
/// integrator's tolerances rather than by round-off. Where the integrator solves for the crossing
/// in closed form (`exact` on a one-component model with its input held over the sub-step: the
/// LIF and the perfect integrator), that solution is used instead, one logarithm in place of the
/// root finder's five or more evaluations.
struct analytic {
    /// Spike-time order: exact up to round-off, so higher than any integrator's.
    static constexpr int order = 1000;  // limited by round-off only
    /// Crossings are located inside the step, not reported at its end.
    static constexpr bool on_grid = false;
    /// Only an integrator with `is_exact` or `has_dense_output` may be combined with it (checked at
    /// compile time).
    static constexpr bool needs_exact_integrator = true;
    /// Where the integrator solves for the crossing in closed form inside the step, that is the
    /// crossing: the neuron and the population take it without calling `locate` (see `SpikeTiming`).
    static constexpr bool takes_closed_form = true;

    /// Locates the crossing inside the step.
    /// \param c the crossing view the neuron builds for a step that ends at or above threshold: the
    ///     step length `h`, V at its ends `v0`, `v1` and the `threshold`, and `voltage_after(s)`, V
    ///     re-stepped from the start of the step to offset s.
    /// \return the crossing's offset from the start of the step [ms], in (0, h].
    template <typename Crossing>
    [[nodiscard]] double locate(const Crossing& c) const {
        // Where `exact` solves for the crossing in closed form inside the step, the neuron takes
        // that without calling locate (takes_closed_form); rounding may put it a hair past the
        // step, and then, as everywhere else, the root finder decides.
        const auto distance = [&](double s) { return c.voltage_after(s) - c.threshold; };
        return detail::find_root(distance, 0.0, c.h, c.v0 - c.threshold, c.v1 - c.threshold);
    }
};

}  // namespace iaf
