#pragma once
/// \file
/// Exact integration of linear subthreshold dynamics.

#include "../concepts.hpp"

namespace iaf {

/// Exact (exponential) integration for models with linear subthreshold dynamics (`LinearModel`),
/// as in Rotter & Diesmann 1999 and NEST's precise models. Exact for input constant over the
/// step; exact for any input whose closed-form leaky response is known
/// (`CurrentWithLeakyResponse`: constant, sine, ramp, ... and their sums); otherwise the input is
/// taken at the step's midpoint (second order). Propagators for the grid step are computed once,
/// in `bind`, so a fixed-step run calls no exp() per step.
struct exact {
    /// Spike-timing policies that root-find on the integrator's own solution are exact with it.
    static constexpr bool is_exact = true;

    /// A stepper with the propagator for step `dt` precomputed.
    template <LinearModel M>
    class bound {
    public:
        bound(const M& model, double dt) : dt_(dt), grid_step_(model.propagator(dt)) {}

        template <Current C>
        [[nodiscard]] state_t<M> step(const M& model, const C& current, double t, const state_t<M>& x,
                                      double h) const {
            if (h == dt_) [[likely]] return grid_step_.advance(x, t, current);
            return model.propagator(h).advance(x, t, current);
        }

    private:
        using propagator_type = decltype(std::declval<const M&>().propagator(1.0));
        double dt_;
        propagator_type grid_step_;
    };

    template <LinearModel M>
    [[nodiscard]] bound<M> bind(const M& model, double dt) const {
        return bound<M>(model, dt);
    }

    template <LinearModel M, Current C>
    [[nodiscard]] state_t<M> step(const M& model, const C& current, double t, const state_t<M>& x,
                                  double h) const {
        return model.propagator(h).advance(x, t, current);
    }
};

}  // namespace iaf
