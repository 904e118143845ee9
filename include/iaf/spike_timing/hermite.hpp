#pragma once
/// \file
/// Spike timing by cubic Hermite interpolation.

#include "../detail/find_root.hpp"

namespace iaf {

/// The crossing is located on the cubic Hermite interpolant of V built from V and dV/dt at the
/// step's ends, refined by a bracketing root finder (Shelley & Tao 2001). Spike-time order
/// min(p, 4): RK4 keeps its fourth order. Costs two derivative evaluations per spike, none on
/// steps without a crossing.
struct hermite {
    /// Spike-time order 4 (with an integrator of order >= 4).
    static constexpr int order = 4;
    /// Crossings are located inside the step, not reported at its end.
    static constexpr bool on_grid = false;

    /// Locates the crossing inside the step.
    /// \param c the crossing view the neuron builds for a step that ends at or above threshold: the
    ///     step length `h`, V at its ends `v0`, `v1` and the `threshold`, and `dv0()`, `dv1()`,
    ///     dV/dt at the ends.
    /// \return the crossing's offset from the start of the step [ms], in (0, h].
    template <typename Crossing>
    [[nodiscard]] double locate(const Crossing& c) const {
        const double h = c.h;
        const double v0 = c.v0 - c.threshold;
        const double v1 = c.v1 - c.threshold;
        const double m0 = h * c.dv0();
        const double m1 = h * c.dv1();
        // Hermite basis in theta = s / h.
        const auto cubic = [&](double theta) {
            const double t2 = theta * theta;
            const double t3 = t2 * theta;
            return (2 * t3 - 3 * t2 + 1) * v0 + (t3 - 2 * t2 + theta) * m0 + (3 * t2 - 2 * t3) * v1 +
                   (t3 - t2) * m1;
        };
        return h * detail::find_root(cubic, 0.0, 1.0, v0, v1);
    }
};

}  // namespace iaf
