#pragma once
/// \file
/// Spike timing by linear interpolation.

namespace iaf {

/// The crossing is located by linear interpolation of V between the step's ends (Hansel et al.
/// 1998). Spike-time order min(p, 2) for an integrator of order p. Reset and refractoriness start
/// at the located time.
struct linear {
    static constexpr int order = 2;
    static constexpr bool on_grid = false;

    template <typename Crossing>
    [[nodiscard]] double locate(const Crossing& c) const {
        const double fraction = (c.threshold - c.v0) / (c.v1 - c.v0);
        return fraction * c.h;
    }
};

}  // namespace iaf
