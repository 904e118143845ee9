#pragma once
/// \file
/// The four orthogonal choices of a simulation (model, current, integrator, spike timing) as
/// C++20 concepts, plus the optional capabilities that refine them.
///
/// Units everywhere: ms, mV, nA, MOhm, nF (so MOhm * nF = ms and MOhm * nA = mV).

#include <concepts>
#include <cstddef>
#include <functional>
#include <type_traits>

namespace iaf {

// ---------------------------------------------------------------------------------------------
// Current

/// An input current I(t) in nA at time t in ms: any callable `double(double t)`.
///
/// Not checked by the compiler: integrators call it at stage times, in any order and possibly
/// more than once per time, so it must be pure (same t, same value). Noise currents meet this by
/// deriving their values from a seed and the time bin.
template <typename C>
concept Current = std::copy_constructible<C> && std::regular_invocable<const C&, double> &&
                  std::convertible_to<std::invoke_result_t<const C&, double>, double>;

/// A current that announces where it jumps, so that integration splits the step there.
///
/// `next_breakpoint(t)` returns the first time strictly greater than `t` at which the current is
/// discontinuous, or +infinity. The current must be right-continuous: at a breakpoint it already
/// has its new value.
template <typename C>
concept CurrentWithBreakpoints = Current<C> && requires(const C& c, double t) {
    { c.next_breakpoint(t) } -> std::convertible_to<double>;
};

/// A current that knows the closed-form response of a leaky integrator to itself.
///
/// `leaky_response(t, tau)` returns u(t), the solution of `du/dt = -u/tau + I(t)` that is zero in
/// the far past (its periodic steady state for periodic inputs). It must be continuous in t, even
/// across the current's jumps. The `exact` integrator uses it to integrate a LIF with no
/// discretisation error; sums and multiples of currents combine it linearly.
template <typename C>
concept CurrentWithLeakyResponse = Current<C> && requires(const C& c, double t, double tau) {
    { c.leaky_response(t, tau) } -> std::convertible_to<double>;
};

// ---------------------------------------------------------------------------------------------
// Model

/// Subthreshold dynamics, threshold and reset of one neuron.
///
/// `state_type` is `double` (or `float`) for one-dimensional models or an Eigen fixed-size vector.
/// `derivative(t, x, i)` is dx/dt at time t (ms) for state x and input current i (nA).
/// `voltage(x)` is the membrane potential in mV; it must be a linear projection of the state
/// (typically `x` or `x[0]`), because spike-timing policies apply it to derivatives too.
/// A spike happens when `voltage(x) >= threshold()`; `reset(x)` returns the state right after it.
/// Models are immutable value types whose constructors validate their parameters.
///
/// The library's models write their equations once, as templates over the value type (see
/// `value.hpp` and `models/lif.hpp`), and implement this interface by instantiating them with
/// their scalar; a population instantiates the same equations over lanes. Optional capabilities
/// refine the contract: `RefractoryModel` (and which components a refractory period clamps),
/// `ModelWithInputs` (synaptic input ports), `LinearModel` (an exact propagator), `AffineModel`.
///
/// Divergent models (QIF, EIF, AdEx: V reaches +infinity in finite time) must keep every
/// integrator finite: evaluate the right-hand side at min(V, V_peak) with the threshold at V_peak,
/// as NEST's AdEx models do (`iaf::min` works on every value type). Then a step that crosses V_peak
/// overshoots by a bounded amount, the spike is detected and the reset discards the overshoot.
template <typename M>
concept Model = std::copy_constructible<M> && requires(const M& m, const typename M::state_type& x,
                                                       double t, double i) {
    typename M::state_type;
    { m.initial_state() } -> std::convertible_to<typename M::state_type>;
    { m.derivative(t, x, i) } -> std::convertible_to<typename M::state_type>;
    { m.voltage(x) } -> std::convertible_to<double>;
    { m.threshold() } -> std::convertible_to<double>;
    { m.reset(x) } -> std::convertible_to<typename M::state_type>;
};

/// The state type of a model.
template <Model M>
using state_t = typename M::state_type;

/// A model with an absolute refractory period `refractory_period()` in ms, during which the
/// state is held at the value `reset` produced (so V stays at V_reset), unless the model says
/// which components are held (`ClampingRefractoryModel`).
template <typename M>
concept RefractoryModel = Model<M> && requires(const M& m) {
    { m.refractory_period() } -> std::convertible_to<double>;
};

/// A refractory model that chooses which state components the refractory period clamps:
/// `M::refractory_clamped` is a `std::array<bool, N>` over the N components; clamped ones keep
/// the value `reset` gave them, the others follow `derivative` (with the clamped components'
/// rates set to zero). For example V held at V_reset while an adaptation current w or a synaptic
/// current I_syn keeps decaying, as in NEST's AdEx and `iaf_psc_exp`. A synaptic event that lands
/// on a clamped component during the period is dropped (NEST drops such events too).
template <typename M>
concept ClampingRefractoryModel = RefractoryModel<M> && requires {
    { M::refractory_clamped.size() } -> std::convertible_to<std::size_t>;
    { M::refractory_clamped[0] } -> std::convertible_to<bool>;
};

namespace detail {
/// Whether a model keeps some state components free during its refractory period.
template <typename M>
inline constexpr bool refractory_leaves_free = [] {
    if constexpr (ClampingRefractoryModel<M>) {
        for (const bool held : M::refractory_clamped)
            if (!held) return true;
    }
    return false;
}();
}  // namespace detail

/// A model with synaptic input ports: `M::port` names where events land (an enum, e.g. `v` for a
/// jump of the membrane potential, `i_syn` for a jump of a synaptic current) and
/// `receive(x, port, weight)` returns the state right after an event of that weight (in the
/// port's unit: mV for `v`, nA for a current, uS for a conductance).
template <typename M>
concept ModelWithInputs = Model<M> && requires(const M& m, const typename M::state_type& x, typename M::port p,
                                               double w) {
    { m.receive(x, p, w) } -> std::convertible_to<typename M::state_type>;
};

/// A synaptic event for a neuron: `weight` arrives at `port`, `offset` ms after the start of the
/// step it is given to (0 <= offset < dt).
template <typename Port>
struct input_event {
    double offset = 0.0;  ///< [ms] from the start of the step
    Port port{};          ///< where it lands
    double weight = 0.0;  ///< in the port's unit
};

namespace detail {
/// A current with nothing but a call operator; used to check models' capabilities.
struct current_archetype {
    double operator()(double) const;
};
}  // namespace detail

/// A model whose subthreshold dynamics are linear, so they have an exact propagator, given in
/// one of two ways:
/// - as data: `linear_dynamics()` returns an `iaf::linear_dynamics<S, N>` (A, rest, input
///   component, gain), from which `iaf::exact` builds the propagator and decides how every kind of
///   current enters (the preferred way: the model writes no integration code);
/// - as code: `propagator(h)` returns an object whose `advance(x, t, current)` moves the state
///   exactly from t to t + h.
template <typename M>
concept LinearModel = Model<M> && (requires(const M& m) {
    m.linear_dynamics().a;
    m.linear_dynamics().rest;
} || requires(const M& m, const typename M::state_type& x, double h, double t, const detail::current_archetype& c) {
    { m.propagator(h).advance(x, t, c) } -> std::convertible_to<typename M::state_type>;
});

/// A model whose right-hand side is affine in the state:
/// `derivative(t, x, i) == homogeneous_derivative(x) + derivative(t, 0, i)`, where
/// `homogeneous_derivative(x)` is the linear part A x (for the LIF, -V / tau_m).
///
/// A linear integration method (see `LinearMethod`) then steps it as x -> M x + c with the
/// matrix M computed once per dt, which takes the state off the method's stage-by-stage
/// dependency chain. Not checked by the compiler: the identity above.
template <typename M>
concept AffineModel = Model<M> && requires(const M& m, const typename M::state_type& x) {
    { m.homogeneous_derivative(x) } -> std::convertible_to<typename M::state_type>;
};

// ---------------------------------------------------------------------------------------------
// Integrator

namespace detail {
/// The right-hand side an `OdeStepper` is given: f(t, x) -> dx/dt.
template <typename S>
struct rhs_archetype {
    S operator()(double, const S&) const;
};
}  // namespace detail

/// A one-step ODE method: `step(f, t, x, h)` returns the state at t + h from the state x at t,
/// where `f(t, x)` is dx/dt. `order` is its order of accuracy.
///
/// Not checked by the compiler: `step` must only call `f` at times in [t, t + h], must not
/// allocate, and must work for `double` and Eigen fixed-size vector states.
template <typename I, typename S>
concept OdeStepper = std::copy_constructible<I> && requires(const I& integrator,
                                                            const detail::rhs_archetype<S>& f,
                                                            double t, const S& x, double h) {
    { I::order } -> std::convertible_to<int>;
    { integrator.step(f, t, x, h) } -> std::convertible_to<S>;
};

/// An integrator that needs to see the model and the current, not just f (for example the exact
/// propagator of a linear model): `step(model, current, t, x, h)` returns the state at t + h.
template <typename I, typename M, typename C>
concept ModelStepper = std::copy_constructible<I> && Model<M> && Current<C> &&
                       requires(const I& integrator, const M& m, const C& c, double t,
                                const typename M::state_type& x, double h) {
                           { integrator.step(m, c, t, x, h) } -> std::convertible_to<typename M::state_type>;
                       };

/// An integrator that can advance model M driven by current C: either a generic ODE stepper or a
/// model-aware stepper.
template <typename I, typename M, typename C>
concept Integrator = Model<M> && Current<C> && (OdeStepper<I, state_t<M>> || ModelStepper<I, M, C>);

/// A linear one-step method, such as every explicit Runge-Kutta method: applied to an affine
/// right-hand side f(t, x) = A x + g(t), its step is affine in x, x -> M x + c, with M
/// depending on A and h only. Declared by the integrator (`static constexpr bool is_linear =
/// true`), because the compiler cannot check it; adaptive methods are not linear (their step
/// sizes depend on x).
template <typename I>
concept LinearMethod = requires {
    requires I::is_linear;
};

/// A fixed-step integrator that declares its real-axis stability limit: `I::real_stability_limit`
/// is the largest r such that a step h of dx/dt = -x/tau stays stable for h <= r tau (Euler and
/// Heun 2, RK4 2.785293563405).
///
/// A neuron or population whose model is linear (`linear_dynamics()`) or affine
/// (`homogeneous_derivative`) checks at construction that dt <= r tau_min, where tau_min =
/// 1/max(-Re lambda) over the eigenvalues lambda of the model's A (for a LIF tau_m, for
/// `lif_psc_exp` min(tau_m, tau_syn)), and throws `invalid_parameter` naming the bound otherwise.
/// The stability regions of these methods lie in Re z >= -r, so the check never refuses a stable
/// dt. The user opts in to an unstable dt with a `bool allow_unstable` member set to true
/// (`iaf::euler{.allow_unstable = true}`). Integrators that declare no limit (`exact`, the
/// adaptive `dopri5`) are not checked. A non-linear model is checked only if it declares its
/// fastest decay rate itself, `double fastest_rate() const` [1/ms] (a conductance LIF: its
/// synaptic decays and g_L/C_m); otherwise a dt that diverges stops the run with
/// `simulation_error` at the first non-finite state. `I::name`, if present, is how the message
/// names the integrator.
template <typename I>
concept StabilityLimitedIntegrator = requires {
    { I::real_stability_limit } -> std::convertible_to<double>;
};

/// An integrator that can precompute what depends on the model and the step only:
/// `bind(model, dt)` returns a stepper with the same `step` interface, built once per neuron.
template <typename I, typename M>
concept BindableIntegrator = Model<M> && requires(const I& integrator, const M& m, double dt) {
    integrator.bind(m, dt);
};

// ---------------------------------------------------------------------------------------------
// Spike timing

namespace detail {
/// What a spike-timing policy sees of a step in which V reached the threshold: the step length
/// h, V and the threshold at its ends, and lazily the derivatives and the integrator's solution.
struct crossing_archetype {
    double h;
    double v0;
    double v1;
    double threshold;
    double dv0() const;
    double dv1() const;
    double voltage_after(double s) const;
};
}  // namespace detail

/// How a threshold crossing is located inside a step.
///
/// A policy with `on_grid == true` reports the spike at the end of the grid step (order 1).
/// Any other policy has `locate(crossing)` which returns the offset s in (0, h] of the crossing
/// from the start of the (sub)step, given that V < threshold at 0 and V >= threshold at h.
/// `order` caps the spike-time order it can deliver. Optional: `needs_exact_integrator` (see
/// `can_combine_v`), and `takes_closed_form`: where the integrator solves for the crossing in
/// closed form and the offset lies in (0, h], that offset is the crossing and V there is the
/// threshold; the neuron takes it without calling `locate`, and a population locates many
/// neurons' crossings at once with the same bits (`analytic`).
template <typename P>
concept SpikeTiming = std::copy_constructible<P> && requires {
    { P::order } -> std::convertible_to<int>;
    { P::on_grid } -> std::convertible_to<bool>;
} && (P::on_grid || requires(const P& p, const detail::crossing_archetype& crossing) {
    { p.locate(crossing) } -> std::convertible_to<double>;
});

namespace detail {
/// Whether spike-timing policy P declares `takes_closed_form` (see `SpikeTiming`).
template <typename P>
inline constexpr bool takes_closed_form = requires { requires P::takes_closed_form; };
}  // namespace detail

// ---------------------------------------------------------------------------------------------
// Composition

/// Whether model M driven by current C can be stepped by integrator I with spike timing P: each
/// satisfies its concept, I can advance M, and a policy that root-finds on the integrator's own
/// solution (`analytic`) gets an exact integrator or one with dense output. For generic host code
/// that chooses among combinations; `iaf::neuron` static_asserts the same, one reason at a time.
template <typename M, typename C, typename I, typename P>
inline constexpr bool can_combine_v = [] {
    // NOLINTNEXTLINE(bugprone-branch-clone): one reason per branch, so a later check is only instantiated when the earlier ones hold
    if constexpr (!(Model<M> && Current<C> && SpikeTiming<P>)) return false;
    else if constexpr (!Integrator<I, M, C>) return false;
    else if constexpr (requires { requires P::needs_exact_integrator; })
        return requires { requires I::is_exact; } || requires { requires I::has_dense_output; };
    else return true;
}();

// ---------------------------------------------------------------------------------------------
// Current capabilities appended for stochastic input

/// A current with a white-noise part: I(t) = d(t) + sigma xi(t), with xi unit Gaussian white
/// noise. The call operator returns the noise held over bins (so every integrator sees a
/// current); an exact propagator instead integrates the noise in distribution.
///
/// `drift()` returns d, the current without its white-noise part (itself a `Current`).
/// `white_noise_sample(t)` returns sigma z [nA sqrt(ms)] with z a standard normal number drawn
/// for a step that starts at t: a linear system integrates the noise over a step of length h
/// exactly by scaling it, e.g. `int_t^{t+h} exp(-(t + h - s)/tau) sigma dW(s)` has the law of
/// sqrt(tau/2 (1 - exp(-2h/tau))) sigma z. Not checked by the compiler: it must be pure (a
/// function of t and the seed), and steps with different start times must get independent
/// numbers (the same start, and so the same number, for any h keeps V continuous inside a step).
template <typename C>
concept CurrentWithWhiteNoise = Current<C> && requires(const C& c, double t) {
    requires Current<std::remove_cvref_t<decltype(c.drift())>>;
    { c.white_noise_sample(t) } -> std::convertible_to<double>;
};

}  // namespace iaf
