#pragma once
/// \file
/// Exact integration of linear subthreshold dynamics.

#include <type_traits>

#include "../concepts.hpp"
#include "../currents/constant.hpp"
#include "../linear_dynamics.hpp"

namespace iaf {

namespace detail {
template <typename M>
concept LinearDynamicsModel = requires(const M& m) { m.linear_dynamics(); };

/// The propagator of model M over a step h: built by `exact` from the model's linear dynamics, or
/// the model's own (`propagator(h)`).
template <typename M>
[[nodiscard]] auto propagator_of(const M& model, double h) {
    if constexpr (LinearDynamicsModel<M>) return linear_propagator<state_t<M>>(model.linear_dynamics(), h);
    else return model.propagator(h);
}
}  // namespace detail

/// Exact (exponential) integration for models with linear subthreshold dynamics (`LinearModel`),
/// as in Rotter & Diesmann 1999 and NEST's precise models. Exact for input constant over the
/// step; exact for any input whose closed-form leaky response is known
/// (`CurrentWithLeakyResponse`: constant, sine, ramp, ... and their sums); otherwise the input is
/// taken at the step's midpoint (second order); see `linear_propagator`. Propagators for the grid
/// step are computed once, in `bind`, so a fixed-step run calls no exp() per step. A model that
/// keeps some components free during its refractory period gets their exact propagator too.
struct exact {
    /// Spike-timing policies that root-find on the integrator's own solution are exact with it.
    static constexpr bool is_exact = true;

    /// A stepper with the propagator for step `dt` precomputed.
    template <LinearModel M>
    class bound {
        static constexpr bool has_refractory_step =
            detail::LinearDynamicsModel<M> && detail::refractory_leaves_free<M>;
        using propagator_type = decltype(detail::propagator_of(std::declval<const M&>(), 1.0));

    public:
        /// Computes the propagator for `dt` (and the refractory one, if the model has free
        /// components).
        bound(const M& model, double dt) : dt_(dt), grid_step_(detail::propagator_of(model, dt)) {
            if constexpr (has_refractory_step) refractory_step_.emplace(refractory_dynamics(model), dt);
        }

        /// One step of length h [ms] from x at time t [ms] under `current`; uses the precomputed
        /// propagator when h == dt, else builds one for h.
        template <Current C>
        [[nodiscard]] state_t<M> step(const M& model, const C& current, double t, const state_t<M>& x,
                                      double h) const {
            if (h == dt_) [[likely]] return grid_step_.advance(x, t, current);
            if constexpr (requires { grid_step_.over(h); }) return grid_step_.over(h).advance(x, t, current);
            else return detail::propagator_of(model, h).advance(x, t, current);
        }

        /// The step over a whole grid step dt (what `step` does when h == dt, without asking).
        template <Current C>
        [[nodiscard]] state_t<M> grid_step(const M& /*model*/, const C& current, double t, const state_t<M>& x) const {
            return grid_step_.advance(x, t, current);
        }

        /// When V, from x with `current` held, reaches `level` going up: the offset [ms] in closed
        /// form, or NaN (see `linear_propagator::held_crossing`). What `analytic` solves first.
        [[nodiscard]] double held_crossing(const constant& current, const state_t<M>& x, double level) const
            requires requires(const propagator_type& p, const state_t<M>& v) { p.held_crossing(v, v, level); }
        {
            return grid_step_.held_crossing(x, static_cast<state_t<M>>(current.value()), level);
        }

        /// The propagator over a whole grid step dt.
        [[nodiscard]] const auto& grid_propagator() const noexcept { return grid_step_; }

        /// The step under the refractory dynamics (clamped components held), for models that
        /// keep some components free during t_ref.
        template <Current C>
        [[nodiscard]] state_t<M> step_refractory(const M& model, const C& current, double t, const state_t<M>& x,
                                                 double h) const
            requires(has_refractory_step)
        {
            if (h == dt_) [[likely]] return refractory_step_->advance(x, t, current);
            return linear_propagator<state_t<M>>(refractory_dynamics(model), h).advance(x, t, current);
        }

    private:
        static auto refractory_dynamics(const M& model) {
            return model.linear_dynamics().clamped(M::refractory_clamped);
        }
        struct none {};
        template <typename P>
        struct optional_propagator {  // a propagator built after construction, without std::optional's flag
            P value{typename P::dynamics_type{}, 1.0};
            void emplace(const typename P::dynamics_type& d, double h) { value = P(d, h); }
            const P* operator->() const { return &value; }
        };

        double dt_;
        propagator_type grid_step_;
        [[no_unique_address]] std::conditional_t<has_refractory_step, optional_propagator<propagator_type>, none>
            refractory_step_{};
    };

    /// A stepper for `model` with the propagator for the grid step `dt` [ms] precomputed; the
    /// neuron calls this once.
    template <LinearModel M>
    [[nodiscard]] bound<M> bind(const M& model, double dt) const {
        return bound<M>(model, dt);
    }

    /// One step of length h [ms] from x at time t [ms] under `current`, building the propagator for
    /// h (the unbound form; `bind` avoids the exp() per step).
    template <LinearModel M, Current C>
    [[nodiscard]] state_t<M> step(const M& model, const C& current, double t, const state_t<M>& x,
                                  double h) const {
        return detail::propagator_of(model, h).advance(x, t, current);
    }
};

}  // namespace iaf
