#pragma once
/// \file
/// Spike timing by linear interpolation.

namespace iaf {

/// The crossing is located by linear interpolation of V between the step's ends (Hansel et al.
/// 1998). Spike-time order min(p, 2) for an integrator of order p. Reset and refractoriness start
/// at the located time.
struct linear {
    /// Spike-time order 2 (with an integrator of order >= 2).
    static constexpr int order = 2;
    /// Crossings are located inside the step, not reported at its end.
    static constexpr bool on_grid = false;

    /// Locates the crossing inside the step.
    /// \param c the crossing view the neuron builds for a step that ends at or above threshold: the
    ///     step length `h`, V at its ends `v0`, `v1` and the `threshold`.
    /// \return the crossing's offset from the start of the step [ms], in (0, h].
    template <typename Crossing>
    [[nodiscard]] double locate(const Crossing& c) const {
        // V flat across the step (v1 == v0, already at the threshold; e.g. a sub-step of one ulp
        // after a breakpoint): 0/0 below, so the crossing is the step's end.
        if (!(c.v1 > c.v0)) return c.h;
        const double fraction = (c.threshold - c.v0) / (c.v1 - c.v0);
        return fraction * c.h;
    }
};

}  // namespace iaf
