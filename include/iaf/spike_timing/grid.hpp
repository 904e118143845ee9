#pragma once
/// \file
/// Spike timing on the grid.

namespace iaf {

/// The spike is reported at the end of the grid step in which V >= V_th, and the reset (and the
/// refractory period) starts there; crossings inside sub-steps are not looked at. This is the
/// teaching notebook's and Brian2's behaviour: spike-time error O(dt) whatever the integrator.
struct grid {
    /// Spike-time order 1: the error is up to one step.
    static constexpr int order = 1;
    /// Spikes are reported at the end of the step; there is no `locate`.
    static constexpr bool on_grid = true;
};

}  // namespace iaf
