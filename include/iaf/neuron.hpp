#pragma once
/// \file
/// One neuron: a model, its input current, an integrator and a spike-timing policy, composed at
/// compile time and stepped on a fixed grid by its host.

#include <cmath>
#include <cstdint>
#include <limits>
#include <sstream>
#include <type_traits>
#include <utility>

#include "concepts.hpp"
#include "detail/affine_stepper.hpp"
#include "detail/time_grid.hpp"
#include "errors.hpp"
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
/// that step with its dense output (`iaf::dopri5`); see neuron::step.
template <typename I, typename S>
concept EventStepper = requires(const I& integrator, const rhs_archetype<S>& f, double t, const S& x, double h,
                                bool (*reached)(const S&)) {
    { integrator.step_until(f, t, x, h, reached).reached } -> std::convertible_to<bool>;
};

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
    requires(!BindableIntegrator<I, M> && LinearMethod<I> && AffineModel<M> && std::is_same_v<state_t<M>, double>)
struct stepper_of<I, M> {
    using type = affine_stepper<I, M>;
};

}  // namespace detail

/// One neuron stepped on a fixed grid of step dt by its host (or by `simulate`).
///
/// All four parts are template parameters, so the hot loop is inlined with no virtual call, no
/// `std::function` and no allocation. Time is kept as a step count plus an offset inside the step;
/// spikes are reported as absolute times through a callback. What a step does, by capability:
/// it splits at a current's breakpoints (reading each piece's own value), stops an adaptive
/// integrator at the internal step where V first reaches the threshold, locates a crossing with
/// the spike-timing policy, resets there and resumes integration at t_spike + t_ref. A linear
/// method on an affine model is stepped as V + ((m - 1) V + c) (see `AffineModel`).
///
/// Embedding: the host owns the clock; disjoint neurons can be stepped from different threads;
/// nothing allocates. Parameters are validated at construction, never in `step`.
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

public:
    using model_type = M;
    using current_type = C;
    using integrator_type = I;
    using spike_timing_type = P;
    using state_type = state_t<M>;

    /// A neuron at time `t_start` (ms) in the model's initial state, stepped by `dt` (ms).
    neuron(M model, C input, I integrator, P timing, double dt, double t_start = 0.0)
        : model_(std::move(model)),
          current_(std::move(input)),
          integrator_(std::move(integrator)),
          timing_(std::move(timing)),
          stepper_(make_stepper(integrator_, model_, checked_dt(dt))),
          x_(model_.initial_state()),
          dt_(dt),
          t_start_(t_start) {
        detail::require_finite("iaf::neuron", "t_start", t_start);
        if constexpr (requires { P::needs_exact_integrator; }) {
            static_assert(!P::needs_exact_integrator || requires { requires I::is_exact; } ||
                              requires { requires I::has_dense_output; },
                          "iaf::analytic locates spikes on the integrator's own solution: it needs an "
                          "exact integrator (iaf::exact) or one with dense output (iaf::dopri5); use "
                          "iaf::hermite with fixed-step RK integrators");
        }
        if constexpr (RefractoryModel<M>) {
            t_ref_ = static_cast<double>(model_.refractory_period());
            detail::require_non_negative("iaf::neuron", "refractory_period", t_ref_);
        }
    }

    /// Advances one grid step, calling `on_spike(t)` for every spike in it, in order (several when
    /// t_ref < dt and the input is strong). Returns the number of spikes.
    template <typename OnSpike>
    int step(OnSpike&& on_spike) {
        const std::int64_t k = step_;
        const double tk = t_start_ + static_cast<double>(k) * dt_;
        const double th = static_cast<double>(model_.threshold());
        int spikes = 0;
        double s = 0.0;  // offset inside the step reached so far
        if (refractory_) [[unlikely]] {
            if (refractory_end_.step > k) {
                ++step_;
                return 0;  // the state is held at its reset value
            }
            s = refractory_end_.offset;
            refractory_ = false;
        }
        // A spike at offset s_spike in state x_spike: report it, reset, and start the refractory
        // period there. Returns whether the period outlasts this step; otherwise s moves to its end.
        const auto fire = [&](double s_spike, const state_type& x_spike) {
            on_spike(tk + s_spike);
            ++spikes;
            x_ = model_.reset(x_spike);
            const detail::grid_time end = detail::grid_time::after(k, s_spike, t_ref_, dt_);
            if (end.step > k) {
                refractory_ = true;
                refractory_end_ = end;
                return true;
            }
            s = end.offset;
            return false;
        };
        while (s < dt_) {
            double e = dt_;  // end of this sub-step: the step's end or the next breakpoint
            double limit = std::numeric_limits<double>::infinity();
            if constexpr (CurrentWithBreakpoints<C>) {
                double b = static_cast<double>(current_.next_breakpoint(tk + s));
                // Skip the breakpoint just passed, which tk + s may round to just below.
                while (b <= last_break_ || b - tk <= s) b = static_cast<double>(current_.next_breakpoint(b));
                // A breakpoint within rounding of the step's end ends the step: its last stage
                // must still read the old piece.
                const double slack = 16.0 * std::numeric_limits<double>::epsilon() * (std::abs(tk) + dt_);
                if (b - tk < e + slack) {
                    if (b - tk < e - slack) e = b - tk;
                    limit = b;
                }
            }
            // Called when the sub-step [s, e] is done: s moves to e, past its breakpoint if any.
            const auto finish = [&] {
                s = e;
                if constexpr (CurrentWithBreakpoints<C>) {
                    if (limit < std::numeric_limits<double>::infinity()) last_break_ = limit;
                }
            };
            const double h = e - s;
            const double t0 = tk + s;
            decltype(auto) input = view(limit);
            if constexpr (!P::on_grid && detail::EventStepper<stepper_type, state_type>) {
                // An adaptive integrator stops at the internal step where V first reaches the
                // threshold, so a crossing inside a long grid step is never stepped over.
                const auto reached = [&](const state_type& x) {
                    return static_cast<double>(model_.voltage(x)) >= th;
                };
                const auto event = stepper_.step_until(rhs(input), t0, x_, h, reached);
                const double v_end = static_cast<double>(model_.voltage(event.x1));
                if (!std::isfinite(v_end)) fail_non_finite(t0 + event.s1, dt_);
                if (!event.reached) {
                    x_ = event.x1;
                    finish();
                    continue;
                }
                const double h_in = event.s1 - event.s0;
                const dense_crossing<std::remove_cvref_t<decltype(input)>, decltype(event)> c{
                    this, &input, &event, t0 + event.s0, h_in, static_cast<double>(model_.voltage(event.x0)),
                    v_end, th};
                double offset = static_cast<double>(timing_.locate(c));
                if (!(offset > 0.0)) offset = std::nextafter(0.0, 1.0);
                const bool at_end = !(offset < h_in) && event.s1 == h;
                const double s_spike = offset < h_in ? s + event.s0 + offset : (at_end ? e : s + event.s1);
                const state_type x_spike = offset < h_in ? event.dense.state_after(offset) : event.x1;
                if (at_end) finish();
                if (fire(s_spike, x_spike)) break;
                continue;
            }
            const state_type x1 = advance(input, x_, t0, h);
            const double v1 = static_cast<double>(model_.voltage(x1));
            if (v1 < th) [[likely]] {
                x_ = x1;
                finish();
                continue;
            }
            if (!std::isfinite(v1)) fail_non_finite(t0 + h, dt_);  // NaN, or +inf posing as a spike
            double s_spike = e;
            state_type x_spike = x1;
            if constexpr (P::on_grid) {
                if (e < dt_) {  // the grid only looks at the step's end
                    x_ = x1;
                    finish();
                    continue;
                }
                finish();
            } else {
                const crossing<std::remove_cvref_t<decltype(input)>> c{this, &input, &x_, &x1, t0, h,
                                                    static_cast<double>(model_.voltage(x_)), v1, th};
                double offset = static_cast<double>(timing_.locate(c));
                if (!(offset > 0.0)) offset = std::nextafter(0.0, 1.0);
                if (offset < h) {
                    s_spike = s + offset;
                    x_spike = advance(input, x_, t0, offset);
                } else {
                    finish();  // the spike is at the sub-step's end: its breakpoint is passed
                }
            }
            if (fire(s_spike, x_spike)) break;
        }
        ++step_;
        return spikes;
    }

    /// Advances one grid step, discarding spike times. Returns the number of spikes.
    int step() {
        return step([](double) {});
    }

    /// Time reached, in ms: t_start + steps() * dt.
    [[nodiscard]] double time() const noexcept { return t_start_ + static_cast<double>(step_) * dt_; }
    /// Number of grid steps taken.
    [[nodiscard]] std::int64_t steps() const noexcept { return step_; }
    [[nodiscard]] double dt() const noexcept { return dt_; }
    [[nodiscard]] const state_type& state() const noexcept { return x_; }
    /// Membrane potential now, in mV.
    [[nodiscard]] double voltage() const { return static_cast<double>(model_.voltage(x_)); }
    /// Whether the neuron is inside its refractory period at time().
    [[nodiscard]] bool refractory() const noexcept { return refractory_; }
    [[nodiscard]] const M& model() const noexcept { return model_; }
    [[nodiscard]] const C& current() const noexcept { return current_; }

private:
    using stepper_type = typename detail::stepper_of<I, M>::type;

    /// What a spike-timing policy sees of the sub-step [t0, t0 + h] in which V crossed.
    template <typename View>
    struct crossing {
        const neuron* self;
        const View* current;
        const state_type* x0;
        const state_type* x1;
        double t0;
        double h;
        double v0;
        double v1;
        double threshold;

        [[nodiscard]] double dv0() const { return self->voltage_slope(*current, *x0, t0); }
        [[nodiscard]] double dv1() const { return self->voltage_slope(*current, *x1, t0 + h); }
        [[nodiscard]] double voltage_after(double s) const {
            return static_cast<double>(self->model_.voltage(self->advance(*current, *x0, t0, s)));
        }
    };

    /// The same, for an integrator that stopped at the internal step [t0, t0 + h] holding the
    /// crossing: V inside it comes from the integrator's dense output.
    template <typename View, typename Event>
    struct dense_crossing {
        const neuron* self;
        const View* current;
        const Event* event;
        double t0;
        double h;
        double v0;
        double v1;
        double threshold;

        [[nodiscard]] double dv0() const { return self->voltage_slope(*current, event->x0, t0); }
        [[nodiscard]] double dv1() const { return self->voltage_slope(*current, event->x1, t0 + h); }
        [[nodiscard]] double voltage_after(double s) const {
            return static_cast<double>(self->model_.voltage(event->dense.state_after(s)));
        }
    };

    static double checked_dt(double dt) {
        detail::require_positive("iaf::neuron", "dt", dt);
        return dt;
    }
    static stepper_type make_stepper(const I& integrator, const M& model, double dt) {
        if constexpr (BindableIntegrator<I, M>) return integrator.bind(model, dt);
        else if constexpr (std::is_same_v<stepper_type, detail::affine_stepper<I, M>>)
            return stepper_type(integrator, model, dt);
        else return integrator;
    }

    decltype(auto) view(double limit) const {
        if constexpr (CurrentWithBreakpoints<C>)
            return detail::left_limited<C>{&current_, last_break_,
                                           std::nextafter(limit, -std::numeric_limits<double>::infinity())};
        else {
            (void)limit;
            return (current_);
        }
    }

    template <typename View>
    state_type advance(const View& input, const state_type& x, double t, double h) const {
        if constexpr (ModelStepper<stepper_type, M, std::remove_cvref_t<View>>) {
            return stepper_.step(model_, input, t, x, h);
        } else {
            return stepper_.step(rhs(input), t, x, h);
        }
    }

    /// The right-hand side f(t, x) an ODE stepper sees: the model driven by the current view.
    template <typename View>
    auto rhs(const View& input) const {
        return [this, &input](double time, const state_type& state) -> state_type {
            return model_.derivative(time, state, static_cast<double>(input(time)));
        };
    }

    template <typename View>
    double voltage_slope(const View& input, const state_type& x, double t) const {
        const state_type dxdt = model_.derivative(t, x, static_cast<double>(input(t)));
        return static_cast<double>(model_.voltage(dxdt));
    }

    // Static and out of line on purpose: a member function would take `this`, and once the
    // neuron's address escapes into a non-inlined call GCC keeps x_ in memory across every step.
    [[noreturn]] [[gnu::noinline, gnu::cold]] static void fail_non_finite(double t, double dt) {
        std::ostringstream os;
        os.precision(17);
        os << "iaf::neuron: the membrane potential became non-finite at t = " << t << " ms (dt = " << dt
           << " ms); the current returned a non-finite value or the integrator is unstable at this dt";
        throw simulation_error(os.str());
    }

    M model_;
    C current_;
    I integrator_;
    P timing_;
    stepper_type stepper_;
    state_type x_;
    double dt_;
    double t_start_;
    double t_ref_ = 0.0;
    std::int64_t step_ = 0;
    bool refractory_ = false;
    detail::grid_time refractory_end_{};
    double last_break_ = -std::numeric_limits<double>::infinity();  // latest breakpoint passed [ms]
};

}  // namespace iaf
