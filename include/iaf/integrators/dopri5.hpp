#pragma once
/// \file
/// Adaptive Dormand-Prince 5(4) with error control and dense output.

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

#include "../concepts.hpp"
#include "../detail/find_root.hpp"
#include "../errors.hpp"

namespace iaf {

namespace detail {

/// The continuous extension of one accepted Dormand-Prince step [t0, t0 + h]: a quartic in
/// theta = (t - t0)/h that matches the step's ends and slopes and is fourth-order accurate
/// inside it (Dormand & Prince 1986; Shampine 1986; Hairer, Norsett & Wanner 1993, II.6).
template <typename S>
struct dopri5_dense_output {
    double t0 = 0.0;
    double h = 0.0;
    S r1{}, r2{}, r3{}, r4{}, r5{};

    /// The state at t0 + s, for s in [0, h].
    [[nodiscard]] S state_after(double s) const {
        const double theta = s / h;
        const double rest = 1.0 - theta;
        return S(r1 + theta * S(r2 + rest * S(r3 + theta * S(r4 + rest * r5))));
    }

    /// d/dtheta of the state at theta = s/h (h times dx/dt): r2 + (1 - 2 theta) P + theta (1 - theta)
    /// (Q - theta r5), with P = r3 + theta Q and Q = r4 + (1 - theta) r5.
    [[nodiscard]] S slope_at(double theta) const {
        const double rest = 1.0 - theta;
        const S q = S(r4 + rest * r5);
        const S p = S(r3 + theta * q);
        return S(r2 + (1.0 - 2.0 * theta) * p + (theta * rest) * S(q - theta * r5));
    }
};

/// An event given as the sign of a level: it holds where `level(x) >= 0`, and `rate(dxdt)` is
/// the level's rate of change along dx/dt (the level is affine in x: V(x) - V_th, rate V(dx/dt)).
/// `dopri5::step_until` then also finds an event that holds only inside an accepted step.
template <typename E, typename S>
concept LevelEvent = requires(const E& event, const S& x) {
    { event.level(x) } -> std::convertible_to<double>;
    { event.rate(x) } -> std::convertible_to<double>;
};

/// What `dopri5::step_until` returns: where it stopped and, when it stopped at an event, the
/// accepted internal step [s0, s1] (offsets from the call's t) in which the event first held.
template <typename S>
struct dopri5_event_step {
    bool reached = false;  ///< the event holds at s1 and did not at s0
    double s0 = 0.0;
    double s1 = 0.0;
    S x0{};  ///< state at t + s0
    S x1{};  ///< state at t + s1 (t + h when !reached)
    dopri5_dense_output<S> dense{};
};

template <typename S>
[[nodiscard]] inline double scaled_rms(const S& err, const S& x0, const S& x1, double atol, double rtol) {
    if constexpr (std::is_arithmetic_v<S>) {
        return std::abs(err) / (atol + rtol * std::max(std::abs(x0), std::abs(x1)));
    } else {
        const S scale = (atol + rtol * x0.array().abs().max(x1.array().abs())).matrix();
        return std::sqrt((err.array() / scale.array()).square().mean());
    }
}

}  // namespace detail

/// Dormand-Prince 5(4) (Dormand & Prince 1980): an embedded explicit Runge-Kutta pair of order 5
/// whose fourth-order companion estimates the local error. Inside every step it is asked for it
/// takes as many internal steps as `rtol`/`atol` demand (mixed error test on the RMS norm, step
/// factor 0.9 err^(-1/5) clamped to [0.2, 5]; Hairer, Norsett & Wanner 1993, II.4), always
/// landing exactly on the step's end. The current is evaluated at every stage time, so smooth
/// time-varying input keeps fifth order; the neuron splits steps at a current's breakpoints
/// before the integrator sees them, so no internal step straddles a jump.
///
/// The integrator carries only its tolerances (an aggregate, `iaf::dopri5{.rtol = 1e-8}`): each
/// call starts with one internal step as long as the step asked for, which for the millisecond
/// dynamics of a LIF at dt = 0.1 ms and rtol = 1e-8 is usually accepted at once. Nothing
/// allocates: stages live in named locals.
///
/// Threshold crossings: besides the plain `step(f, t, x, h)` (any state, any host), it offers
/// `step_until(f, t, x, h, reached)`, which stops at the end of the first accepted internal step
/// (and, unlike `step`, takes a step that cannot shrink further instead of stopping: a divergent
/// model's right-hand side, clamped at V_peak, kinks where the spike is)
/// where `reached(x)` holds and returns that internal step with its dense output. When the event
/// is a level (`detail::LevelEvent`: V - V_th and its rate), an accepted step with the level
/// below zero at both ends is searched too: if the level rises at its start and falls at its end
/// (dense output slopes), the maximum of the dense output is found as the root of its slope, and
/// if it reaches zero the step is cut there and returned, so a crossing that goes up and back down
/// inside one accepted step is not stepped over (a step whose level turns twice, or an excursion
/// shorter than the dense output resolves, is beyond this test). The neuron
/// detects this optional capability with `if constexpr` and uses it for every spike-timing
/// policy but `grid`, so dopri5 never steps over a crossing inside a long grid step, and the
/// policies locate the spike inside that internal step (linear and hermite on its ends, analytic
/// on its dense output). The other integrators do not have it and keep their hot path unchanged.
/// Chosen over a ModelStepper because dopri5 stays a plain ODE method usable on any f.
///
/// `iaf::analytic` is allowed with dopri5 (`has_dense_output`): it converges a root finder on
/// the dense output, so the spike time is as accurate as the solution itself, i.e. controlled
/// by rtol/atol, not round-off as with `exact`.
///
/// Tolerances must be finite and > 0; the neuron checks them when it binds the integrator.
struct dopri5 {
    double rtol = 1e-8;   ///< relative tolerance of the local error, > 0
    double atol = 1e-10;  ///< absolute tolerance of the local error [state units], > 0

    /// Order of the solution it propagates: 5 (the embedded error estimate is order 4).
    static constexpr int order = 5;
    /// The solution is known between internal steps (a quartic interpolant), so a converged root
    /// finder on it (iaf::analytic) is meaningful.
    static constexpr bool has_dense_output = true;

    /// Validates the tolerances; the returned copy is what the neuron steps with.
    template <Model M>
    [[nodiscard]] dopri5 bind(const M& /*model*/, double /*dt*/) const {
        validate();
        return *this;
    }

    /// Throws `invalid_parameter` unless rtol and atol are finite and > 0.
    void validate() const {
        detail::require_positive("iaf::dopri5", "rtol", rtol);
        detail::require_positive("iaf::dopri5", "atol", atol);
    }

    /// The state at t + h from x at t, in adaptive internal steps.
    template <typename F, typename S>
    [[nodiscard]] S step(const F& f, double t, const S& x, double h) const {
        return integrate(f, t, x, h, [](const S&) { return false; }, false).x1;
    }

    /// As `step`, but stops after the first accepted internal step at whose end `reached(x)` is
    /// true (and was not at its start); see the class comment.
    template <typename F, typename S, typename Event>
    [[nodiscard]] detail::dopri5_event_step<S> step_until(const F& f, double t, const S& x, double h,
                                                          const Event& reached) const {
        return integrate(f, t, x, h, reached, true);
    }

private:
    /// The adaptive loop. With `take_floor_steps`, a step that cannot shrink further is taken (at
    /// most `max_floor_steps` times per call) instead of stopping the run.
    template <typename F, typename S, typename Event>
    [[nodiscard]] detail::dopri5_event_step<S> integrate(const F& f, double t, const S& x, double h,
                                                         const Event& reached, bool take_floor_steps) const {
        // Butcher tableau of Dormand & Prince 1980 (the fifth-order weights, row 7, make the last
        // stage the first of the next step: "first same as last").
        constexpr double c2 = 1.0 / 5, c3 = 3.0 / 10, c4 = 4.0 / 5, c5 = 8.0 / 9;
        constexpr double a21 = 1.0 / 5;
        constexpr double a31 = 3.0 / 40, a32 = 9.0 / 40;
        constexpr double a41 = 44.0 / 45, a42 = -56.0 / 15, a43 = 32.0 / 9;
        constexpr double a51 = 19372.0 / 6561, a52 = -25360.0 / 2187, a53 = 64448.0 / 6561, a54 = -212.0 / 729;
        constexpr double a61 = 9017.0 / 3168, a62 = -355.0 / 33, a63 = 46732.0 / 5247, a64 = 49.0 / 176,
                         a65 = -5103.0 / 18656;
        constexpr double b1 = 35.0 / 384, b3 = 500.0 / 1113, b4 = 125.0 / 192, b5 = -2187.0 / 6784, b6 = 11.0 / 84;
        // Fifth- minus fourth-order weights: the local error estimate.
        constexpr double e1 = 71.0 / 57600, e3 = -71.0 / 16695, e4 = 71.0 / 1920, e5 = -17253.0 / 339200,
                         e6 = 22.0 / 525, e7 = -1.0 / 40;
        // Dense output (Shampine 1986, as tabulated by Hairer, Norsett & Wanner 1993).
        constexpr double d1 = -12715105075.0 / 11282082432, d3 = 87487479700.0 / 32700410799,
                         d4 = -10690763975.0 / 1880347072, d5 = 701980252875.0 / 199316789632,
                         d6 = -1453857185.0 / 822651844, d7 = 69997945.0 / 29380423;

        detail::dopri5_event_step<S> out;
        double s = 0.0;       // offset reached so far
        double trial = h;     // next internal step to try
        S y = x;
        S k1 = f(t, y);
        const double smallest = 64.0 * std::numeric_limits<double>::epsilon() * std::max(std::abs(t), std::abs(h));
        constexpr int max_floor_steps = 10000;
        int floor_steps = 0;  // steps taken at the smallest length, with their error not met
        while (true) {
            const double remaining = h - s;
            const bool last = trial >= remaining * (1.0 - 1e-12);
            const double hi = last ? remaining : trial;
            const double ti = t + s;
            const S k2 = f(ti + c2 * hi, S(y + hi * (a21 * k1)));
            const S k3 = f(ti + c3 * hi, S(y + hi * (a31 * k1 + a32 * k2)));
            const S k4 = f(ti + c4 * hi, S(y + hi * (a41 * k1 + a42 * k2 + a43 * k3)));
            const S k5 = f(ti + c5 * hi, S(y + hi * (a51 * k1 + a52 * k2 + a53 * k3 + a54 * k4)));
            const S k6 = f(ti + hi, S(y + hi * (a61 * k1 + a62 * k2 + a63 * k3 + a64 * k4 + a65 * k5)));
            const S y1 = S(y + hi * (b1 * k1 + b3 * k3 + b4 * k4 + b5 * k5 + b6 * k6));
            const double t1 = last ? t + h : ti + hi;
            const S k7 = f(t1, y1);
            const S err = S(hi * (e1 * k1 + e3 * k3 + e4 * k4 + e5 * k5 + e6 * k6 + e7 * k7));
            const double norm = detail::scaled_rms(err, y, y1, atol, rtol);
            if (!std::isfinite(norm)) {
                // NaN or inf from the right-hand side: hand it back so the caller reports it
                // with its context instead of shrinking the step forever.
                out.x1 = y1;
                out.s1 = s + hi;
                return out;
            }
            bool accept = norm <= 1.0;
            if (!accept) {
                trial = hi * std::max(0.2, 0.9 * std::pow(norm, -0.2));
                if (!(trial > smallest)) {
                    // The step cannot shrink further. Looking for a spike, at a kink (a divergent
                    // model's right-hand side clamped at V_peak, which no error test accepts a step
                    // across) take it, as GSL does: its error stays local to a step of round-off
                    // length. A tolerance that round-off cannot meet would take such steps
                    // forever: stop then, as the plain step always does.
                    if (!take_floor_steps || ++floor_steps > max_floor_steps) fail_step_size(ti, trial);
                    accept = true;
                }
            }
            if (accept) {
                const double s1 = last ? h : s + hi;
                if (reached(y1)) {
                    out.reached = true;
                    out.s0 = s;
                    out.s1 = s1;
                    out.x0 = y;
                    out.x1 = y1;
                    out.dense.t0 = ti;
                    out.dense.h = s1 - s;
                    out.dense.r1 = y;
                    out.dense.r2 = S(y1 - y);
                    out.dense.r3 = S(hi * k1 - out.dense.r2);
                    out.dense.r4 = S(out.dense.r2 - hi * k7 - out.dense.r3);
                    out.dense.r5 = S(hi * (d1 * k1 + d3 * k3 + d4 * k4 + d5 * k5 + d6 * k6 + d7 * k7));
                    return out;
                }
                if constexpr (detail::LevelEvent<Event, S>) {
                    const double rise = reached.rate(k1), fall = reached.rate(k7);
                    if (rise > 0.0 && fall < 0.0) [[unlikely]] {
                        if (peak_reached(reached, y, y1, hi, k1, k3, k4, k5, k6, k7, s, out)) return out;
                    }
                }
                if (last) {
                    out.s1 = h;
                    out.x1 = y1;
                    return out;
                }
                s = s1;
                y = y1;
                k1 = k7;
                const double grow = norm == 0.0 ? 5.0 : std::min(5.0, std::max(0.2, 0.9 * std::pow(norm, -0.2)));
                trial = hi * grow;
            }
        }
    }

    /// For an accepted step [s, s + hi] from y to y1 with the level below zero at both ends,
    /// rising at the start and falling at the end: whether the dense output's maximum reaches the
    /// level; if so, `out` gets the step cut at the maximum (s1 = s + theta* hi, x1 there, the
    /// dense output of the whole step). Dense output as in `integrate` (Shampine 1986).
    template <typename Event, typename S>
    static bool peak_reached(const Event& event, const S& y, const S& y1, double hi, const S& k1, const S& k3,
                             const S& k4, const S& k5, const S& k6, const S& k7, double s,
                             detail::dopri5_event_step<S>& out) {
        constexpr double d1 = -12715105075.0 / 11282082432, d3 = 87487479700.0 / 32700410799,
                         d4 = -10690763975.0 / 1880347072, d5 = 701980252875.0 / 199316789632,
                         d6 = -1453857185.0 / 822651844, d7 = 69997945.0 / 29380423;
        if (!(event.level(y) < 0.0) || !(event.level(y1) < 0.0)) return false;
        detail::dopri5_dense_output<S> dense;
        dense.h = hi;
        dense.r1 = y;
        dense.r2 = S(y1 - y);
        dense.r3 = S(hi * k1 - dense.r2);
        dense.r4 = S(dense.r2 - hi * k7 - dense.r3);
        dense.r5 = S(hi * (d1 * k1 + d3 * k3 + d4 * k4 + d5 * k5 + d6 * k6 + d7 * k7));
        // The level's slope along the dense output falls from hi rate(k1) > 0 to hi rate(k7) < 0:
        // its root is the maximum.
        const auto falling = [&](double theta) { return -event.rate(dense.slope_at(theta)); };
        const double theta = detail::find_root(falling, 0.0, 1.0, -hi * event.rate(k1), -hi * event.rate(k7));
        const S peak = dense.state_after(theta * hi);
        if (!(event.level(peak) >= 0.0)) return false;
        out.reached = true;
        out.s0 = s;
        out.s1 = s + theta * hi;
        out.x0 = y;
        out.x1 = peak;
        out.dense = dense;
        return true;
    }

    [[noreturn]] void fail_step_size(double t, double trial) const {
        detail::fail_simulation("iaf::dopri5: the step size fell to ", trial, " ms at t = ", t,
                                " ms without meeting rtol = ", rtol, ", atol = ", atol,
                                "; the right-hand side is discontinuous or singular there");
    }
};

}  // namespace iaf
