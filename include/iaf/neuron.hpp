#pragma once
/// \file
/// One neuron: a model, its input current, an integrator and a spike-timing policy, composed at
/// compile time and stepped on a fixed grid by its host.

#include <cmath>
#include <concepts>
#include <cstdint>
#include <limits>
#include <memory>
#include <iterator>
#include <string>
#include <type_traits>
#include <utility>

#include "concepts.hpp"
#include "currents/validate_current.hpp"
#include "detail/affine_stepper.hpp"
#include "detail/time_grid.hpp"
#include "errors.hpp"
#include "grid_time.hpp"
#include "linear_dynamics.hpp"
#include "spike_timing/grid.hpp"

namespace iaf {

namespace detail {

/// The current as seen by one sub-step between breakpoints [lo, hi): stage times are clamped
/// into it, so a sub-step ending at a breakpoint reads the value just before it (the left limit)
/// and one starting at a breakpoint reads the new value, even when t0 + h or tk + s round to
/// the other side of the breakpoint.
template <Current C>
struct left_limited {
    const C* current;
    double lo;        // the breakpoint this sub-step starts at, or -infinity
    double hi_below;  // the largest double below the breakpoint it ends at
    double operator()(double t) const {
        t = t < lo ? lo : t;
        return static_cast<double>((*current)(t < hi_below ? t : hi_below));
    }
    double leaky_response(double t, double tau) const
        requires CurrentWithLeakyResponse<C>
    {
        return current->leaky_response(t, tau);  // continuous: nothing to limit
    }
    decltype(auto) drift() const
        requires CurrentWithWhiteNoise<C>
    {
        return current->drift();  // only evaluated inside the sub-step or through its leaky response
    }
    double white_noise_sample(double t) const
        requires CurrentWithWhiteNoise<C>
    {
        return current->white_noise_sample(t);
    }
};

/// An ODE stepper that can stop at the first internal step where an event holds and hand back
/// that step with its dense output (`iaf::dopri5`); see neuron::advance_free.
template <typename I, typename S>
concept EventStepper = requires(const I& integrator, const rhs_archetype<S>& f, double t, const S& x, double h,
                                bool (*reached)(const S&)) {
    { integrator.step_until(f, t, x, h, reached).reached } -> std::convertible_to<bool>;
};

template <typename S>
concept ArithmeticOrEigenVector = std::is_arithmetic_v<S> || requires { S::RowsAtCompileTime; };

template <typename I, typename M>
struct stepper_of {
    using type = I;
};
template <typename I, typename M>
    requires BindableIntegrator<I, M>
struct stepper_of<I, M> {
    using type = decltype(std::declval<const I&>().bind(std::declval<const M&>(), 1.0));
};
template <typename I, typename M>
    requires(!BindableIntegrator<I, M> && LinearMethod<I> && AffineModel<M> && ArithmeticOrEigenVector<state_t<M>>)
struct stepper_of<I, M> {
    using type = affine_stepper<I, M>;
};

/// The latest breakpoint a neuron has passed, kept only for currents that have breakpoints.
template <bool Kept>
struct breakpoint_memory {
    double last = -std::numeric_limits<double>::infinity();  // [ms]
};
template <>
struct breakpoint_memory<false> {};

template <typename M>
struct port_of {
    using type = void;
};
template <ModelWithInputs M>
struct port_of<M> {
    using type = typename M::port;
};


/// No synaptic events: an empty range whose emptiness the compiler sees.
template <typename Event>
struct no_events {
    static constexpr const Event* begin() noexcept { return nullptr; }
    static constexpr const Event* end() noexcept { return nullptr; }
};

/// The fastest decay rate [1/ms] a model declares (`fastest_rate()`), or that of a linear model's
/// dynamics (`linear_dynamics()`) or of an affine model's linear part (`homogeneous_derivative`);
/// 0 for any other model (not checked).
template <typename M>
double fastest_rate_of(const M& model) {
    using S = state_t<M>;
    if constexpr (requires { { model.fastest_rate() } -> std::convertible_to<double>; }) {
        return static_cast<double>(model.fastest_rate());
    } else if constexpr (requires { model.linear_dynamics().fastest_rate(); }) {
        return model.linear_dynamics().fastest_rate();
    } else if constexpr (AffineModel<M> && std::is_arithmetic_v<S>) {
        linear_dynamics<double, 1> d;
        d.a(0, 0) = static_cast<double>(model.homogeneous_derivative(S(1)));
        return d.fastest_rate();
    } else if constexpr (AffineModel<M> && ArithmeticOrEigenVector<S>) {
        constexpr int n = int(S::RowsAtCompileTime);
        linear_dynamics<double, n> d;
        for (int j = 0; j < n; ++j) d.a.col(j) = S(model.homogeneous_derivative(S(S::Unit(j)))).template cast<double>();
        return d.fastest_rate();
    } else {
        (void)model;
        return 0.0;
    }
}

/// Throws `invalid_parameter` when dt exceeds the integrator's declared real-axis stability limit
/// on the model's fastest time constant, unless the integrator opts in (`allow_unstable`); see
/// `StabilityLimitedIntegrator`. Once, at construction.
template <typename I, typename M>
void require_stable_step(const I& integrator, const M& model, double dt) {
    if constexpr (StabilityLimitedIntegrator<I>) {
        constexpr bool can_opt_in = requires { integrator.allow_unstable; };
        if constexpr (can_opt_in) {
            if (static_cast<bool>(integrator.allow_unstable)) return;
        }
        const double rate = fastest_rate_of(model);
        if (!(rate > 0.0)) return;  // nothing decays: no real-axis bound applies
        const double limit = static_cast<double>(I::real_stability_limit);
        const double tau = 1.0 / rate;
        const double bound = limit * tau;
        if (dt <= bound) [[likely]] return;
        const char* name = "the integrator";
        if constexpr (requires { { I::name } -> std::convertible_to<const char*>; }) name = I::name;
        const char* opt_in = can_opt_in ? "{.allow_unstable = true}" : " (give it a bool allow_unstable member)";
        raise(error_kind::invalid_parameter, message(
            name, ": dt = ", dt, " ms exceeds the stability bound ", limit, " tau = ", bound,
            " ms of this model (tau = ", tau,
            " ms, its fastest time constant): the solution would oscillate and grow instead of decaying. "
            "Take dt <= ", bound, " ms, use iaf::exact or iaf::dopri5, or opt in with ", name, opt_in));
    } else {
        (void)integrator, (void)model, (void)dt;
    }
}

/// What every neuron of one kind shares and never changes: the model, the integrator bound to
/// dt, the spike-timing policy and the clock. Built (and validated) once; `iaf::neuron` holds it
/// reference-counted and `iaf::population` by value.
template <typename M, typename C, typename I, typename P>
struct neuron_kernel {
    using stepper_type = typename stepper_of<I, M>::type;

    M model;
    I integrator;
    P timing;
    stepper_type stepper;
    double dt;
    double t_start;
    double t_ref;
    double threshold;

    static neuron_kernel make(M model, I integrator, P timing, double dt, double t_start) {
        require_positive("iaf::neuron", "dt", dt);
        require_finite("iaf::neuron", "t_start", t_start);
        double t_ref = 0.0;
        if constexpr (RefractoryModel<M>) {
            t_ref = static_cast<double>(model.refractory_period());
            require_non_negative("iaf::neuron", "refractory_period", t_ref);
            // The period's end is kept as a step count (grid_time): t_ref = 1e300 ms overflowed it.
            if (!(t_ref / dt <= max_grid_steps))
                fail_parameter("iaf::neuron", "refractory_period", t_ref, "must be at most 2^53 steps of dt");
        }
        require_stable_step(integrator, model, dt);
        stepper_type stepper = make_stepper(integrator, model, dt);
        const double threshold = static_cast<double>(model.threshold());
        return {std::move(model), std::move(integrator), std::move(timing), std::move(stepper), dt, t_start, t_ref,
                threshold};
    }

    static stepper_type make_stepper(const I& integrator, const M& model, double dt) {
        if constexpr (BindableIntegrator<I, M>) return integrator.bind(model, dt);
        else if constexpr (std::is_same_v<stepper_type, affine_stepper<I, M>>) return stepper_type(integrator, model, dt);
        else return integrator;
    }
};

/// Sentinels of a neuron's refractory end step: not refractory, and not refractory with V to be
/// checked against the threshold at the start of the next step (after receive or set_state).
inline constexpr std::int64_t not_refractory = std::numeric_limits<std::int64_t>::min();
inline constexpr std::int64_t fire_pending = not_refractory + 1;

/// One step of one neuron whose state is held elsewhere (by an `iaf::neuron`, or in a
/// population's arrays): the step's named pieces, on references to that state.
template <typename M, typename C, typename I, typename P>
struct neuron_step {
    using setup = neuron_kernel<M, C, I, P>;
    using stepper_type = typename setup::stepper_type;
    using state_type = state_t<M>;
    using port_type = typename port_of<M>::type;
    using port_argument = std::conditional_t<std::is_void_v<port_type>, int, port_type>;

    const setup* setup_;
    const C& current_;
    state_type& x_;
    grid_time& refractory_end_;
    breakpoint_memory<CurrentWithBreakpoints<C>>& breaks_;

    [[nodiscard]] bool refractory() const noexcept { return refractory_end_.step > fire_pending; }

    void mark_if_above_threshold() {
        if (!refractory() && above_threshold(x_)) refractory_end_ = {fire_pending, 0.0};
    }

    /// Step k with `events` (checked by the caller), calling on_spike. Returns the number of spikes.
    template <typename Events, typename OnSpike>
    int step(std::int64_t k, const Events& events, OnSpike& on_spike) {
        const setup& su = *setup_;
        if constexpr (!CurrentWithBreakpoints<C> && !EventStepper<stepper_type, state_type>) {
            // The common step, straight-line: nothing pending, no event, no crossing. Any other
            // step is taken by the general path below, from the start.
            if (refractory_end_.step == not_refractory && std::begin(events) == std::end(events)) [[likely]] {
                const double t0 = su.t_start + static_cast<double>(k) * su.dt;
                const state_type x1 = advance_grid_step(current_, x_, t0);
                const double v1 = static_cast<double>(su.model.voltage(x1));
                if constexpr (P::on_grid) {
                    // The grid needs nothing of the step's start: x1 is taken at once, which keeps
                    // a register move off the step's dependency chain. A spike is reported at
                    // the step's end, from x1; a non-finite V stops the run (x1 stays, for the record).
                    x_ = x1;
                    if (v1 < su.threshold && v1 >= -std::numeric_limits<double>::max() && others_finite(x1)) [[likely]]
                        return 0;
                    // The step's start is gone (x1 stays, for the record): the cause is looked for
                    // from the model's initial state.
                    if (!finite_state(x1)) [[unlikely]] fail_non_finite(su, current_, nullptr, t0, su.dt, x1);
                    int spikes = 0;
                    fire(on_spike, spikes, k, su.dt, x1);
                    return spikes;
                } else {
                    if (v1 < su.threshold && v1 >= -std::numeric_limits<double>::max() && others_finite(x1)) [[likely]] {
                        x_ = x1;
                        return 0;
                    }
                }
            }
        }
        int spikes = 0;
        double s = 0.0;  // offset inside the step reached so far
        if (refractory_end_.step == fire_pending) {
            // The host moved V to the threshold (receive, set_state) since the last step.
            refractory_end_ = {not_refractory, 0.0};
            if (above_threshold(x_)) fire(on_spike, spikes, k, 0.0, x_);
        }
        for (const auto& event : events) {
            if constexpr (!std::is_void_v<port_type>) {
                s = run(on_spike, spikes, k, s, static_cast<double>(event.offset));
                arrive(on_spike, spikes, k, s, event.port, static_cast<double>(event.weight));
            }
        }
        run(on_spike, spikes, k, s, su.dt);
        return spikes;
    }

    // --- The pieces of a step ------------------------------------------------------------------

    /// Advances from offset s to offset e of step k, through refractoriness, breakpoints and
    /// spikes. Returns e.
    template <typename OnSpike>
    double run(OnSpike& on_spike, int& spikes, std::int64_t k, double s, double e) {
        int stalled = 0;  // passes in a row that did not move the offset
        while (s < e) {
            if (refractory()) [[unlikely]] {
                // Clamped components held; the free ones (if any) follow the refractory dynamics.
                // The period is [t_spike, t_spike + t_ref): an event at its very end lands.
                if (refractory_end_.step > k || (refractory_end_.step == k && refractory_end_.offset > e)) {
                    advance_refractory(k, s, e);
                    return e;
                }
                // An end in an earlier step (at its very end, offset dt) is passed already.
                const double end = refractory_end_.step == k ? refractory_end_.offset : s;
                advance_refractory(k, s, end);
                s = end;
                refractory_end_ = {not_refractory, 0.0};
                continue;
            }
            const double reached = advance_free(on_spike, spikes, k, s, e);
            // Each pass fires a spike, meets a breakpoint or ends the interval, so the offset
            // grows; an input that re-fires at the same time (spikes closer than time resolves,
            // with t_ref = 0) would otherwise loop here forever.
            if (!(reached > s)) [[unlikely]] {
                if (++stalled == 3) fail_stalled(k, s);
            } else {
                stalled = 0;
            }
            s = reached;
        }
        return e;
    }

    /// Integrates from offset s towards e below threshold, stopping early at a breakpoint or at a
    /// located spike (which it fires). Returns the offset reached.
    template <typename OnSpike>
    double advance_free(OnSpike& on_spike, int& spikes, std::int64_t k, double s, double e) {
        const setup& su = *setup_;
        const double tk = su.t_start + static_cast<double>(k) * su.dt;
        double limit = std::numeric_limits<double>::infinity();  // breakpoint ending the sub-step
        if constexpr (CurrentWithBreakpoints<C>) {
            double b = static_cast<double>(current_.next_breakpoint(tk + s));
            // Skip the breakpoint just passed, which tk + s may round to just below.
            // A user's current must return a later time each call (the Current contract); one
            // that does not would spin here forever, so it stops the run instead.
            while (b <= breaks_.last || b - tk <= s) {
                const double next = static_cast<double>(current_.next_breakpoint(b));
                if (!(next > b)) [[unlikely]]
                    detail::fail_simulation("iaf::neuron: the current's next_breakpoint(", b, ") returned ", next,
                                            ", not a later time, at t = ", tk + s);
                b = next;
            }
            if (std::isnan(b)) [[unlikely]]
                detail::fail_simulation("iaf::neuron: the current's next_breakpoint(", tk + s, ") returned nan");
            // A breakpoint within rounding of the segment's end ends the segment: its last stage
            // must still read the old piece.
            const double slack = 16.0 * std::numeric_limits<double>::epsilon() * (std::abs(tk) + su.dt);
            if (b - tk < e + slack) {
                if (b - tk < e - slack) e = b - tk;
                limit = b;
            }
        }
        // The sub-step [s, e] is done: remember its breakpoint, if any.
        const auto pass = [&] {
            if constexpr (CurrentWithBreakpoints<C>) {
                if (limit < std::numeric_limits<double>::infinity()) breaks_.last = limit;
            }
            return e;
        };
        const double h = e - s;
        const double t0 = tk + s;
        decltype(auto) input = view(limit);
        if constexpr (EventStepper<stepper_type, state_type>) {
            // An adaptive integrator stops at the internal step where V first reaches the
            // threshold, so a crossing inside a long grid step is never stepped over (and a
            // divergent model's step past its cutoff is taken, not refined forever).
            // Off the grid the event is a level, V - V_th, so that dopri5 also finds a crossing
            // that goes up and back down inside one accepted internal step; the grid policy
            // looks at step ends only.
            const auto event = [&] {
                if constexpr (P::on_grid) {
                    const auto reached = [&](const state_type& x) { return above_threshold(x); };
                    return su.stepper.step_until(rhs(input), t0, x_, h, reached);
                } else {
                    return su.stepper.step_until(rhs(input), t0, x_, h, threshold_level{this});
                }
            }();
            if (!finite_state(event.x1)) fail_non_finite(su, input, &x_, t0, event.s1, event.x1);
            if (!event.reached) {
                x_ = event.x1;
                return pass();
            }
            if constexpr (P::on_grid) {
                // The grid reports the spike at the step's end; in a sub-step that ends before it
                // (at a breakpoint) integration goes on from the event.
                x_ = event.x1;
                if (e < su.dt) return event.s1 == h ? pass() : s + event.s1;
                pass();
                return fire(on_spike, spikes, k, e, event.x1);
            } else {
                const double h_in = event.s1 - event.s0;
                const auto dense = [&event](double offset) { return event.dense.state_after(offset); };
                const located at = locate(input, event.x0, event.x1, t0 + event.s0, h_in, dense);
                if (at.offset < h_in) return fire(on_spike, spikes, k, s + event.s0 + at.offset, state_at(at, dense));
                if (event.s1 == h) pass();
                return fire(on_spike, spikes, k, s + event.s1, event.x1);
            }
        } else {
            const state_type x1 = advance(input, x_, t0, h);
            const double v1 = static_cast<double>(su.model.voltage(x1));
            if (v1 < su.threshold && v1 >= -std::numeric_limits<double>::max() && others_finite(x1)) [[likely]] {
                x_ = x1;
                return pass();
            }
            // NaN, or +-inf posing as a spike
            if (!finite_state(x1)) {
                // Under grid, as on the fast path, the step's start is not handed to the cold path:
                // kept alive for it, GCC held V in memory on every step (exact + grid 3.7 ns
                // instead of 1.75 ns per step, 2.8x the hand-written loop).
                if constexpr (P::on_grid) fail_non_finite(su, input, nullptr, t0, h, x1);
                else fail_non_finite(su, input, &x_, t0, h, x1);
            }
            if constexpr (P::on_grid) {
                x_ = x1;
                if (e < su.dt) return pass();  // the grid only looks at the step's end
                pass();
                return fire(on_spike, spikes, k, e, x1);
            } else {
                const auto restep = [&](double offset) { return advance(input, x_, t0, offset); };
                const located at = locate(input, x_, x1, t0, h, restep);
                if (at.offset < h) {
                    const state_type at_spike = state_at(at, restep);
                    if (!finite_state(at_spike)) fail_non_finite(su, input, &x_, t0, at.offset, at_spike);
                    return fire(on_spike, spikes, k, s + at.offset, at_spike);
                }
                pass();  // the spike is at the sub-step's end: its breakpoint is passed
                return fire(on_spike, spikes, k, e, x1);
            }
        }
    }

    /// A located crossing: its offset, and whether it is the closed form's.
    struct located {
        double offset;
        bool closed_form;
    };

    /// Where in the sub-step [t0, t0 + h] V crossed the threshold, by the spike-timing policy,
    /// in (0, h]; `state_after(s)` is the integrator's solution inside it. Under a policy that
    /// `takes_closed_form`, a closed-form offset in (0, h] is taken without asking the policy (as
    /// a population takes it for many neurons at once).
    template <typename View, typename StateAfter>
    located locate(const View& input, const state_type& x0, const state_type& x1, double t0, double h,
                   const StateAfter& state_after) const {
        const setup& su = *setup_;
        const crossing<View, StateAfter> c{this, &input, &x0, &x1, &state_after, t0, h,
                                           static_cast<double>(su.model.voltage(x0)),
                                           static_cast<double>(su.model.voltage(x1)), su.threshold};
        if constexpr (detail::takes_closed_form<P>) {
            const double s = c.closed_form_offset();
            if (s <= h) return {s > 0.0 ? s : std::nextafter(0.0, 1.0), true};  // NaN: no closed form
        }
        const double offset = static_cast<double>(su.timing.locate(c));
        if (!(offset <= h)) [[unlikely]]  // NaN too
            fail_simulation("iaf::neuron: the spike-timing policy located the crossing at offset ", offset,
                            " ms in the step from t = ", t0, " ms of length ", h, " ms (V from ", c.v0, " to ",
                            c.v1, " mV): not in (0, h]");
        return {offset > 0.0 ? offset : std::nextafter(0.0, 1.0), false};
    }

    /// The state at a located crossing: at the closed form's offset the threshold itself (the
    /// closed form exists only where the one component is V, and solves V = threshold; the
    /// integrator's solution there would add only its rounding), else the integrator's solution.
    template <typename StateAfter>
    state_type state_at(const located& at, const StateAfter& state_after) const {
        if constexpr (std::is_arithmetic_v<state_type>) {
            if (at.closed_form) return static_cast<state_type>(setup_->threshold);
        }
        return state_after(at.offset);
    }

    /// A spike at offset s of step k in state x: report it, reset, and start the refractory
    /// period there. Returns s.
    template <typename OnSpike>
    double fire(OnSpike& on_spike, int& spikes, std::int64_t k, double s, const state_type& x) {
        const setup& su = *setup_;
        if constexpr (std::invocable<OnSpike&, double>) on_spike(su.t_start + static_cast<double>(k) * su.dt + s);
        else on_spike(grid_time{k, s});
        ++spikes;
        x_ = su.model.reset(x);
        // Without a refractory period the neuron is free again at once (the period is empty).
        // On the grid a period of whole steps (within rounding) ends on the grid: see after_whole_steps.
        if (!(su.t_ref > 0.0)) refractory_end_ = grid_time{not_refractory, 0.0};
        else if constexpr (P::on_grid) refractory_end_ = grid_time::after_whole_steps(k, s, su.t_ref, su.dt);
        else refractory_end_ = grid_time::after(k, s, su.t_ref, su.dt);
        return s;
    }

    [[noreturn]] [[gnu::noinline, gnu::cold]] void fail_stalled(std::int64_t k, double s) const {
        detail::fail_simulation("iaf::neuron: the step cannot advance past t = ",
                                setup_->t_start + static_cast<double>(k) * setup_->dt + s,
                                ": the neuron fires again at the same time (spikes closer than the time resolves; "
                                "the input is too strong for a refractory period of ", setup_->t_ref, " ms)");
    }

    /// A synaptic event at offset s of step k.
    template <typename OnSpike, typename Port>
    void arrive(OnSpike& on_spike, int& spikes, std::int64_t k, double s, Port port, double weight) {
        if constexpr (ModelWithInputs<M>) {
            x_ = received(x_, port, weight);
            if (!refractory() && above_threshold(x_)) fire(on_spike, spikes, k, s, x_);
        }
    }

    state_type received(const state_type& x, port_argument port, double weight) const
        requires ModelWithInputs<M>
    {
        state_type y = setup_->model.receive(x, port, weight);
        if (refractory()) y = held(x, y);  // events on clamped components are dropped
        return y;
    }

    /// y with the components the refractory period clamps taken from x.
    static state_type held(const state_type& x, state_type y) {
        if constexpr (ClampingRefractoryModel<M> && !std::is_arithmetic_v<state_type>) {
            for (std::size_t i = 0; i < M::refractory_clamped.size(); ++i)
                if (M::refractory_clamped[i]) y[static_cast<Eigen::Index>(i)] = x[static_cast<Eigen::Index>(i)];
            return y;
        } else {
            return x;  // the whole state is clamped
        }
    }

    /// Advances [s, e] of step k under the refractory dynamics: nothing moves unless the model
    /// keeps some components free.
    void advance_refractory(std::int64_t k, double s, double e) {
        if constexpr (refractory_leaves_free<M>) {
            const double h = e - s;
            if (!(h > 0.0)) return;
            const setup& su = *setup_;
            const double t0 = su.t_start + static_cast<double>(k) * su.dt + s;
            const state_type x0 = x_;
            if constexpr (requires { su.stepper.step_refractory(su.model, current_, t0, x_, h); }) {
                x_ = su.stepper.step_refractory(su.model, current_, t0, x_, h);
            } else {
                static_assert(OdeStepper<I, state_type>,
                              "iaf::neuron: this integrator cannot integrate the free components of the "
                              "model's refractory dynamics (give it step_refractory, or use an ODE stepper)");
                const auto frozen = [&](double t, const state_type& x) -> state_type {
                    const state_type dxdt = su.model.derivative(t, x, static_cast<double>(current_(t)));
                    return held(state_type::Zero().eval(), dxdt);
                };
                x_ = su.integrator.step(frozen, t0, x_, h);
            }
            if (!finite_state(x_)) fail_non_finite(su, current_, &x0, t0, h, x_);
        } else {
            (void)k, (void)s, (void)e;
        }
    }

    /// The threshold as a level for an event stepper: reached where V(x) - V_th >= 0, with rate
    /// V(dx/dt) (see `detail::LevelEvent`).
    struct threshold_level {
        const neuron_step* self;
        bool operator()(const state_type& x) const { return self->above_threshold(x); }
        [[nodiscard]] double level(const state_type& x) const {
            return static_cast<double>(self->setup_->model.voltage(x)) - self->setup_->threshold;
        }
        [[nodiscard]] double rate(const state_type& dxdt) const {
            return static_cast<double>(self->setup_->model.voltage(dxdt));
        }
    };

    /// See `crossing::closed_form_offset`. The integrator solves for its state, so V must be the
    /// state itself (`voltage(x) = x`, the one-component models).
    template <typename View>
    double closed_form_crossing(const View& input, const state_type& x0, double level) const {
        const setup& su = *setup_;
        if constexpr (requires { su.stepper.held_crossing(input, x0, level); }) {
            if (static_cast<double>(su.model.voltage(state_type(1))) == 1.0 &&
                static_cast<double>(su.model.voltage(state_type(0))) == 0.0)
                return su.stepper.held_crossing(input, x0, level);
        }
        return std::numeric_limits<double>::quiet_NaN();
    }

    bool above_threshold(const state_type& x) const {
        return static_cast<double>(setup_->model.voltage(x)) >= setup_->threshold;
    }

    /// What a spike-timing policy sees of the sub-step [t0, t0 + h] in which V crossed: V and the
    /// threshold at its ends, and lazily the slopes and the integrator's solution inside it.
    template <typename View, typename StateAfter>
    struct crossing {
        const neuron_step* self;
        const View* current;
        const state_type* x0;
        const state_type* x1;
        const StateAfter* state_after;
        double t0;
        double h;
        double v0;
        double v1;
        double threshold;

        // What a policy reads is checked before it is used: a NaN would silently move the spike.
        [[nodiscard]] double dv0() const { return self->checked_slope(*current, *x0, t0, "start"); }
        [[nodiscard]] double dv1() const { return self->checked_slope(*current, *x1, t0 + h, "end"); }
        /// The crossing's offset in closed form when the integrator has one for this sub-step
        /// (`exact` on one component with its input held), else NaN.
        [[nodiscard]] double closed_form_offset() const { return self->closed_form_crossing(*current, *x0, threshold); }
        [[nodiscard]] double voltage_after(double s) const {
            const double v = static_cast<double>(self->setup_->model.voltage((*state_after)(s)));
            if (!std::isfinite(v)) [[unlikely]]
                fail_policy_read(*current, t0, h, s, v);
            return v;
        }
    };

    decltype(auto) view(double limit) const {
        if constexpr (CurrentWithBreakpoints<C>)
            return left_limited<C>{&current_, breaks_.last,
                                           std::nextafter(limit, -std::numeric_limits<double>::infinity())};
        else {
            (void)limit;
            return (current_);
        }
    }

    template <typename View>
    state_type advance(const View& input, const state_type& x, double t, double h) const {
        const setup& su = *setup_;
        if constexpr (ModelStepper<stepper_type, M, std::remove_cvref_t<View>>) {
            return su.stepper.step(su.model, input, t, x, h);
        } else {
            return su.stepper.step(rhs(input), t, x, h);
        }
    }

    /// advance(input, x, t, dt), through the stepper's own whole-step path where it has one.
    template <typename View>
    state_type advance_grid_step(const View& input, const state_type& x, double t) const {
        const setup& su = *setup_;
        if constexpr (requires { su.stepper.grid_step(su.model, input, t, x); }) {
            return su.stepper.grid_step(su.model, input, t, x);
        } else if constexpr (requires { su.stepper.grid_step(rhs(input), t, x); }) {
            return su.stepper.grid_step(rhs(input), t, x);
        } else {
            return advance(input, x, t, su.dt);
        }
    }

    /// The right-hand side f(t, x) an ODE stepper sees: the model driven by the current view.
    template <typename View>
    auto rhs(const View& input) const {
        const M* model = &setup_->model;
        return [model, &input](double time, const state_type& state) -> state_type {
            return model->derivative(time, state, static_cast<double>(input(time)));
        };
    }

    /// dV/dt at (x, t) for a spike-timing policy, which must not see a non-finite value.
    template <typename View>
    double checked_slope(const View& input, const state_type& x, double t, const char* end) const {
        const M& model = setup_->model;
        const double i = static_cast<double>(input(t));
        const state_type dxdt = model.derivative(t, x, i);
        const double slope = static_cast<double>(model.voltage(dxdt));
        if (!std::isfinite(slope)) [[unlikely]] fail_slope(static_cast<double>(model.voltage(x)), i, t, slope, end);
        return slope;
    }

    /// Whether every component of x besides V is finite, in one branch-free expression: x - x is
    /// 0 for finite components and NaN for the others. V (the whole state of a scalar model) is
    /// checked on its own.
    static bool others_finite(const state_type& x) {
        if constexpr (std::is_arithmetic_v<state_type>) {
            (void)x;
            return true;
        } else {
            return (x - x).sum() == 0;
        }
    }

    bool finite_state(const state_type& x) const {
        return std::isfinite(static_cast<double>(setup_->model.voltage(x))) && others_finite(x);
    }
    static bool finite_state(const M& model, const state_type& x) {
        return std::isfinite(static_cast<double>(model.voltage(x))) && others_finite(x);
    }

    // --- Reporting a non-finite value (cold paths) ---------------------------------------------
    // Static and out of line on purpose: a member function would take `this`, and once the
    // neuron's address escapes into a non-inlined call GCC keeps x_ in memory across every step.

    enum class fault_kind { none, current, model };
    /// The first non-finite value met while re-stepping: where, and what V and I were then.
    struct fault {
        fault_kind kind = fault_kind::none;
        double t = 0.0;
        double v = 0.0;
        double i = 0.0;
    };

    /// Re-steps [t0, t0 + h] from x0 with a right-hand side that notes the first non-finite
    /// current or derivative (of a finite state, |V| < 1e150 mV, and current). For a model stepper (exact), the
    /// current is probed where such steppers read it: the ends and the midpoint.
    template <typename View>
    static fault probe_step(const setup& su, const View& input, const state_type& x0, double t0, double h) {
        fault found;
        const auto note = [&found](fault_kind kind, double t, double v, double i) {
            if (found.kind == fault_kind::none) found = {kind, t, v, i};
        };
        if constexpr (OdeStepper<I, state_type>) {
            const auto f = [&](double t, const state_type& x) -> state_type {
                const double i = static_cast<double>(input(t));
                const double v = static_cast<double>(su.model.voltage(x));
                if (!std::isfinite(i)) note(fault_kind::current, t, v, i);
                state_type dxdt = su.model.derivative(t, x, i);  // not const: returned by move
                // A derivative that overflows at a V grown past any membrane potential (1e150 mV)
                // is the step diverging, not the model.
                if (std::isfinite(i) && finite_state(su.model, x) && std::abs(v) < 1e150 && !finite_state(su.model, dxdt))
                    note(fault_kind::model, t, v, i);
                return dxdt;
            };
            (void)su.integrator.step(f, t0, x0, h);
        } else {
            for (const double t : {t0, t0 + 0.5 * h, t0 + h}) {
                const double i = static_cast<double>(input(t));
                if (!std::isfinite(i)) note(fault_kind::current, t, static_cast<double>(su.model.voltage(x0)), i);
            }
        }
        return found;
    }

    /// Throws `simulation_error` for a state that became non-finite in the step [t0, t0 + h]
    /// from x0 (nullptr: no longer known; the cause is then looked for from the initial state),
    /// naming the time and the cause: the current, the model's derivative, or (neither being
    /// non-finite at any stage) the integrator's step diverging.
    template <typename View>
    [[noreturn]] [[gnu::always_inline]] static inline void fail_non_finite(const setup& su, const View& input, const state_type* x0, double t0,
                                             double h, const state_type& x1) {
        // Always inlined, so that only copies, made on this cold path, go out of line: the
        // addresses of the neuron's own state and current must not escape (see above).
        const setup su_copy = su;
        const std::remove_cvref_t<View> input_copy = input;
        const state_type start = x0 != nullptr ? *x0 : su.model.initial_state();
        const state_type end = x1;  // NOLINT(performance-unnecessary-copy-initialization): the copy is the point
        fail_non_finite_out_of_line(su_copy, input_copy, x0 != nullptr, start, t0, h, end);
    }
    template <typename View>
    [[noreturn]] [[gnu::noinline, gnu::cold]] static void fail_non_finite_out_of_line(
        const setup& su, const View& input, bool start_known, const state_type& start, double t0, double h,
        const state_type& x1) {
        const fault found = probe_step(su, input, start, t0, h);
        const double v1 = static_cast<double>(su.model.voltage(x1));
        const char* what = std::isfinite(v1) ? "a state component became non-finite (V = " : "V became ";
        const char* close = std::isfinite(v1) ? ")" : "";
        switch (found.kind) {
            case fault_kind::current:
                fail_simulation("iaf::neuron: ", what, v1, close, " at t = ", t0 + h, " ms (dt = ", su.dt,
                                " ms): the current returned ", found.i, " at t = ", found.t, " ms");
            case fault_kind::model:
                fail_simulation("iaf::neuron: ", what, v1, close, " at t = ", t0 + h, " ms (dt = ", su.dt,
                                " ms): the model's derivative was non-finite at t = ", found.t, " ms (V = ", found.v,
                                " mV, I = ", found.i, " nA)");
            default:
                fail_simulation("iaf::neuron: ", what, v1, close, " at t = ", t0 + h, " ms (dt = ", su.dt,
                                " ms): the integrator's step diverged (from V = ",
                                static_cast<double>(su.model.voltage(start)), start_known ? " mV" : " mV, the initial state: the grid's fast path keeps no step start",
                                "; the current and the model's derivative were finite at every stage with |V| < 1e150 mV): "
                                "dt is beyond its stability limit for this model, or the model itself diverges");
        }
    }

    /// Throws `simulation_error` for a non-finite dV/dt a spike-timing policy asked for.
    [[noreturn]] [[gnu::noinline, gnu::cold]] static void fail_slope(double v, double i, double t, double slope,
                                                                  const char* end) {
        fail_simulation("iaf::neuron: the spike-timing policy read dV/dt = ", slope, " at t = ", t,
                        " ms, the ", end, " of the step in which V crossed the threshold: ",
                        std::isfinite(i) ? "the model's derivative was non-finite there (V = " : "the current returned ",
                        std::isfinite(i) ? v : i, std::isfinite(i) ? " mV)" : " there");
    }

    /// Throws `simulation_error` for a non-finite V a spike-timing policy read on the integrator's
    /// solution inside the step [t0, t0 + h] (at t0 + s).
    template <typename View>
    [[noreturn]] [[gnu::always_inline]] static inline void fail_policy_read(const View& input, double t0, double h, double s, double v) {
        const std::remove_cvref_t<View> input_copy = input;  // out of line, the copy's address only
        fail_policy_read_out_of_line(input_copy, t0, h, s, v);
    }
    template <typename View>
    [[noreturn]] [[gnu::noinline, gnu::cold]] static void fail_policy_read_out_of_line(const View& input, double t0,
                                                                                    double h, double s, double v) {
        // Where the re-step would read the current: its ends and midpoint, and the step's.
        double bad_t = 0.0, bad_i = 0.0;
        bool current_bad = false;
        for (const double t : {t0, t0 + 0.5 * s, t0 + s, t0 + h}) {
            const double i = static_cast<double>(input(t));
            if (!std::isfinite(i) && !current_bad) current_bad = true, bad_t = t, bad_i = i;
        }
        if (current_bad)
            fail_simulation("iaf::neuron: the spike-timing policy read V = ", v, " at t = ", t0 + s,
                            " ms on the integrator's solution inside the step in which V crossed the threshold: "
                            "the current returned ", bad_i, " at t = ", bad_t, " ms");
        fail_simulation("iaf::neuron: the spike-timing policy read V = ", v, " at t = ", t0 + s,
                        " ms on the integrator's solution inside the step in which V crossed the threshold "
                        "(from t = ", t0, " to ", t0 + h, " ms)");
    }

};

}  // namespace detail

/// One neuron stepped on a fixed grid of step dt by its host (or by `simulate`).
///
/// All four parts are template parameters, so the hot loop is inlined with no virtual call, no
/// `std::function` and no allocation. What a step does, by capability: it splits at a current's
/// breakpoints (reading each piece's own value) and at the arrival offsets of synaptic events,
/// stops an adaptive integrator at the internal step where V first reaches the threshold,
/// locates a crossing with the spike-timing policy, resets there and keeps the components the
/// model clamps (V) held until t_spike + t_ref while the others follow their own equations.
/// A linear method on an affine model is stepped as x + ((M - I) x + c) (see `AffineModel`).
///
/// Embedding: the host owns the clock; time is a step index plus an offset inside the step, and
/// a spike callback that takes an `iaf::grid_time` gets the spike that way, exactly (one taking a
/// double gets the absolute time). The model, the bound integrator and the clock are shared by
/// copies of a neuron (immutable, reference-counted), so a neuron is its state, its current and
/// its refractory end: `sizeof(neuron<lif, constant, exact, grid>)` is 56 bytes. Disjoint neurons
/// can be stepped from different threads; nothing allocates in `step`. Parameters are validated
/// at construction, never in `step`; a step checks only the host's event offsets, before it
/// changes anything.
///
/// Example:
///     iaf::neuron n{iaf::lif{{.tau_m = 10, .c_m = 0.25, .t_ref = 2}},
///                   [](double t) { return 1.0 + 0.5 * std::sin(t); }, iaf::rk4{}, iaf::hermite{}, 0.1};
///     for (int k = 0; k < 1000; ++k) n.step([](double t) { std::printf("spike at %g ms\n", t); });
template <typename M, typename C, typename I, typename P = grid>
class neuron {
    static_assert(Model<M>, "iaf::neuron: the model type does not satisfy iaf::Model (needs state_type, "
                            "initial_state, derivative(t, x, i), voltage, threshold and reset)");
    static_assert(Current<C>, "iaf::neuron: the current type does not satisfy iaf::Current (a copyable "
                              "callable double(double t))");
    static_assert(Integrator<I, M, C>, "iaf::neuron: the integrator does not satisfy iaf::Integrator for "
                                       "this model (an ODE stepper step(f, t, x, h) with an order, or a "
                                       "model stepper step(model, current, t, x, h); iaf::exact needs an "
                                       "iaf::LinearModel)");
    static_assert(SpikeTiming<P>, "iaf::neuron: the spike-timing policy does not satisfy iaf::SpikeTiming");
    static_assert(can_combine_v<M, C, I, P>,
                  "iaf::analytic locates spikes on the integrator's own solution: it needs an "
                  "exact integrator (iaf::exact) or one with dense output (iaf::dopri5); use "
                  "iaf::hermite with fixed-step RK integrators");

public:
    /// The model type.
    using model_type = M;
    /// The input current's type.
    using current_type = C;
    /// The integrator type.
    using integrator_type = I;
    /// The spike-timing policy's type.
    using spike_timing_type = P;
    /// The model's state type (`double` for a LIF, an Eigen vector for larger states).
    using state_type = state_t<M>;
    /// The model's input ports (`void` for a model without any).
    using port_type = typename detail::port_of<M>::type;
    /// A synaptic event for this neuron's model (see `step(events, on_spike)`).
    using event_type = input_event<std::conditional_t<std::is_void_v<port_type>, int, port_type>>;

private:
    using port_argument = decltype(event_type::port);  // port_type, or int for a model without ports
    using kernel = detail::neuron_kernel<M, C, I, P>;
    using step_type = detail::neuron_step<M, C, I, P>;

public:

    /// A neuron at time `t_start` (ms) in the model's initial state, stepped by `dt` (ms). Throws
    /// `invalid_parameter` for an invalid current (`validate_current`).
    neuron(M model, C input, I integrator, P timing, double dt, double t_start = 0.0)
        : setup_(std::make_shared<const kernel>(
              kernel::make(std::move(model), std::move(integrator), std::move(timing), dt, t_start))),
          current_(detail::validated_current(std::move(input))),
          x_(setup_->model.initial_state()) {}

    /// Advances one grid step, calling `on_spike` for every spike in it, in order (several when
    /// t_ref < dt and the input is strong). `on_spike(t)` with a double gets the absolute time in
    /// ms; `on_spike(grid_time)` gets (step, offset) exactly. Returns the number of spikes.
    template <typename OnSpike>
    int step(OnSpike&& on_spike) {
        return step(detail::no_events<event_type>{}, on_spike);
    }

    /// Advances one grid step with synaptic events arriving inside it: `events` is a range of
    /// `input_event<port_type>` (offset from the step's start in [0, dt), port, weight), sorted
    /// by offset. The step is split at each arrival, so under `exact` a neuron driven by off-grid
    /// events stays exact to round-off (as NEST's `*_ps` models). An event that lifts V to the
    /// threshold fires a spike at its arrival; an event on a clamped component during the
    /// refractory period is dropped. Throws `invalid_parameter` for an offset out of order or
    /// outside [0, dt).
    template <typename Events, typename OnSpike>
        requires requires(const Events& e) {
            std::begin(e) != std::end(e);
            (*std::begin(e)).offset;
        }
    int step(const Events& events, OnSpike&& on_spike) {
        // The host's events are checked before anything moves, so a bad one leaves the neuron as
        // it was.
        double previous = 0.0;
        for (const auto& event : events) {
            const double at = static_cast<double>(event.offset);
            if (!(at >= previous && at < setup_->dt)) [[unlikely]]
                detail::fail_parameter("iaf::neuron", "input_event offset", at,
                                       "must be in [0, dt) and not before the previous event");
            previous = at;
        }
        const int spikes = cursor().step(step_, events, on_spike);
        ++step_;
        return spikes;
    }

    /// Advances one grid step, discarding spike times. Returns the number of spikes.
    int step() {
        return step([](double) {});
    }

    /// A synaptic event of `weight` at `port`, now (at time()). It fires at the start of the next
    /// step if it lifts V to the threshold; dropped if the port's component is clamped now.
    void receive(port_argument port, double weight)
        requires(!std::is_void_v<port_type>)
    {
        auto c = cursor();
        x_ = c.received(x_, port, weight);
        c.mark_if_above_threshold();
    }

    /// Time reached, in ms: t_start + steps() * dt.
    [[nodiscard]] double time() const noexcept { return setup_->t_start + static_cast<double>(step_) * setup_->dt; }
    /// Number of grid steps taken.
    [[nodiscard]] std::int64_t steps() const noexcept { return step_; }
    /// The grid step [ms].
    [[nodiscard]] double dt() const noexcept { return setup_->dt; }
    /// The time of step 0 [ms].
    [[nodiscard]] double t_start() const noexcept { return setup_->t_start; }
    /// The state now, at time(); with `refractory_end()` and `steps()` it is all a checkpoint
    /// needs.
    [[nodiscard]] const state_type& state() const noexcept { return x_; }
    /// Sets the state (initialise, randomise, restore a checkpoint). A state at or above the
    /// threshold fires at the start of the next step. Throws `invalid_parameter` if V is not finite.
    void set_state(const state_type& x) {
        const double v = static_cast<double>(setup_->model.voltage(x));
        if (!std::isfinite(v)) detail::fail_parameter("iaf::neuron", "state voltage", v, "must be finite");
        x_ = x;
        cursor().mark_if_above_threshold();
    }
    /// Membrane potential now, in mV.
    [[nodiscard]] double voltage() const { return static_cast<double>(setup_->model.voltage(x_)); }
    /// Whether the neuron is inside its refractory period at time().
    [[nodiscard]] bool refractory() const noexcept { return refractory_end_.step > detail::fire_pending; }
    /// When the refractory period ends, as (step, offset); meaningful while `refractory()`.
    [[nodiscard]] grid_time refractory_end() const noexcept { return refractory_end_; }
    /// Starts (or with an end at or before time(), ends) a refractory period that ends at `end`
    /// (restoring a checkpoint). Throws `invalid_parameter` for an offset outside [0, dt].
    void set_refractory_end(grid_time end) {
        if (!(end.offset >= 0.0 && end.offset <= setup_->dt))
            detail::fail_parameter("iaf::neuron", "refractory_end.offset", end.offset, "must be in [0, dt]");
        if (end < grid_time{step_, 0.0}) {
            refractory_end_ = {detail::not_refractory, 0.0};
            cursor().mark_if_above_threshold();
        } else {
            refractory_end_ = end;
        }
    }
    /// The model.
    [[nodiscard]] const M& model() const noexcept { return setup_->model; }
    /// The input current.
    [[nodiscard]] const C& current() const noexcept { return current_; }
    /// Replaces the input current from now on (for example a new `iaf::constant` drive). Throws
    /// `invalid_parameter` for an invalid current (`validate_current`), leaving the old one.
    void set_current(C input) { current_ = detail::validated_current(std::move(input)); }

private:
    step_type cursor() { return {setup_.get(), current_, x_, refractory_end_, breaks_}; }

    std::shared_ptr<const kernel> setup_;
    C current_;
    state_type x_;
    std::int64_t step_ = 0;
    grid_time refractory_end_{detail::not_refractory, 0.0};
    [[no_unique_address]] detail::breakpoint_memory<CurrentWithBreakpoints<C>> breaks_;
};

}  // namespace iaf
