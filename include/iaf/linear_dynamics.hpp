#pragma once
/// \file
/// Linear subthreshold dynamics as data, and their exact propagator over a step (the matrix
/// exponential), which is where `iaf::exact` handles every kind of input current.

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <tuple>
#include <type_traits>
#include <utility>

#include <Eigen/Core>
#include <Eigen/Eigenvalues>

#include "concepts.hpp"
#include "detail/elementary.hpp"
#include "detail/lanes.hpp"
#include "errors.hpp"

namespace iaf {

class constant;

/// Linear dynamics dx/dt = A (x - rest) + e_k gain I(t) of an N-component state, with the input
/// current I(t) [nA] entering component k = `input` only.
///
/// A linear model hands this to `iaf::exact` (Rotter & Diesmann 1999: the propagator is data
/// computed once per step length, as NEST precomputes its propagator elements); `exact`, not the
/// model, decides how constant, closed-form and white-noise currents enter. For the LIF, N = 1:
/// A = -1/tau_m, rest = E_L, gain = 1/C_m.
template <typename S, int N>
struct linear_dynamics {
    /// The type of A.
    using matrix_type = Eigen::Matrix<S, N, N>;
    /// The type of a state and of `rest`.
    using vector_type = Eigen::Matrix<S, N, 1>;

    matrix_type a = matrix_type::Zero();  ///< A [1/ms]
    vector_type rest = vector_type::Zero();  ///< x_rest: the drift without input is A (x - x_rest)
    int input = 0;                           ///< k: the component the current drives
    S gain = S(1);                           ///< dx_k/dt per nA of current (1/C_m for a potential)

    /// The fastest decay rate of the dynamics, max(-Re lambda) over the eigenvalues lambda of A
    /// [1/ms] (0 when nothing decays): 1/tau_m for a LIF, max(1/tau_m, 1/tau_syn) for
    /// `lif_psc_exp`. What bounds the step of an explicit integrator (see
    /// `StabilityLimitedIntegrator`). Called once, at construction. Triangular A (every model of
    /// the library) reads its diagonal and a 2x2 A its closed form; only a full A of three or more
    /// components goes through Eigen's eigensolver, whose instantiation alone costs several seconds
    /// of compile time in every translation unit that builds a neuron.
    [[nodiscard]] double fastest_rate() const {
        const Eigen::Matrix<double, N, N> m = a.template cast<double>();
        if (m.isUpperTriangular(0.0) || m.isLowerTriangular(0.0)) return std::max(0.0, -m.diagonal().minCoeff());
        if constexpr (N == 2) {
            // lambda = tr/2 +- sqrt((tr/2)^2 - det); a complex pair has real part tr/2.
            const double half_trace = 0.5 * (m(0, 0) + m(1, 1));
            const double det = m(0, 0) * m(1, 1) - m(0, 1) * m(1, 0);
            const double discriminant = half_trace * half_trace - det;
            const double most_negative_real = discriminant > 0.0 ? half_trace - std::sqrt(discriminant) : half_trace;
            return std::max(0.0, -most_negative_real);
        } else if constexpr (N != 1) {
            const Eigen::EigenSolver<Eigen::Matrix<double, N, N>> solver(m, false);
            return std::max(0.0, -solver.eigenvalues().real().minCoeff());
        } else {
            return 0.0;  // unreachable: a 1x1 A is triangular
        }
    }

    /// The same dynamics with the components where `clamped` is true held still (their rows of A
    /// zeroed, and no input if the input component is held): what a refractory period leaves.
    [[nodiscard]] linear_dynamics clamped(const std::array<bool, N>& held) const {
        linear_dynamics d = *this;
        for (int i = 0; i < N; ++i) {
            if (!held[static_cast<std::size_t>(i)]) continue;
            d.a.row(i).setZero();
            if (i == input) d.gain = S(0);
        }
        return d;
    }
};

namespace detail {

/// e^{A h} - I and the integral of e^{A s} over [0, h], by a Taylor series on A h / 2^j scaled
/// below norm 1/2, then j doublings: G(2h) = G (2 + G) and F(2h) = F (2 + G). Forming e^{A h} - I
/// directly keeps its digits for small h (the matrix form of expm1), and nothing divides by a
/// difference of eigenvalues, so coincident time constants (tau_syn = tau_m) need no special case.
template <typename S, int N>
void exponential_integrals(const Eigen::Matrix<S, N, N>& a, double h, Eigen::Matrix<S, N, N>& growth,
                           Eigen::Matrix<S, N, N>& integral) {
    using matrix = Eigen::Matrix<double, N, N>;
    const matrix ah = a.template cast<double>() * h;
    const double norm = ah.cwiseAbs().colwise().sum().maxCoeff();
    int doublings = 0;
    while (std::ldexp(norm, -doublings) > 0.5) ++doublings;
    const double tau = std::ldexp(h, -doublings);
    const matrix b = ah * std::ldexp(1.0, -doublings);
    // G = sum_{j>=1} B^j / j!, F = tau sum_{j>=0} B^j / (j+1)!; 0.5^18 / 18! is far below round-off.
    const matrix id = matrix::Identity();
    matrix term = id;
    matrix g = matrix::Zero();
    matrix f = id;
    for (int j = 1; j <= 18; ++j) {
        term = (term * b / double(j)).eval();
        g += term;
        f += term / double(j + 1);
    }
    f *= tau;
    for (int j = 0; j < doublings; ++j) {
        const matrix two_plus_g = 2.0 * id + g;
        f = (f * two_plus_g).eval();
        g = (g * two_plus_g).eval();
    }
    growth = g.template cast<S>();
    integral = f.template cast<S>();
}

template <typename State>
struct state_shape {
    using scalar = State;
    static constexpr int size = 1;
};
template <typename S, int N>
struct state_shape<Eigen::Matrix<S, N, 1>> {
    using scalar = S;
    static constexpr int size = N;
};

}  // namespace detail

/// The exact propagator of `linear_dynamics` over a step of length h, for a state of type State
/// (a scalar for N = 1, else an `Eigen::Matrix<S, N, 1>`).
///
/// How the current enters, decided here for every linear model:
/// - a current with a closed-form leaky response (`CurrentWithLeakyResponse`: constant, sine,
///   ramp, ... and their sums) when the driven component k relaxes on its own (no other component
///   depends on it, A_kk < 0): exact for that current, whatever the step;
/// - a current with white noise (`CurrentWithWhiteNoise`): its drift as above, plus the exact
///   Gaussian increment of the noise on component k, so the law of the state is exact at any h;
/// - any other current: taken at the step's midpoint, exact for input constant over the step
///   (piecewise-constant currents are split at their breakpoints by the neuron), second order for
///   smooth input.
template <typename State>
class linear_propagator {
    using shape = detail::state_shape<State>;

public:
    /// The scalar of the state (`double` or `float`).
    using scalar_type = typename shape::scalar;
    /// The number of state components N.
    static constexpr int size = shape::size;
    /// The dynamics this propagator is built from.
    using dynamics_type = linear_dynamics<scalar_type, size>;

    /// The exact propagator of the dynamics `d` over a step of length h [ms] (matrix exponential,
    /// with the safe form for coincident time constants).
    linear_propagator(const dynamics_type& d, double h) : input_(d.input), half_h_(0.5 * h), h_(h) {
        using S = scalar_type;
        const S a_kk = d.a(input_, input_);
        const bool leaf = (d.a.col(input_).array() != S(0)).count() <= 1;  // only A_kk may be non-zero
        tau_in_ = leaf && a_kk < S(0) ? S(-1) / a_kk : S(0);
        if constexpr (size == 1) {
            rate_ = d.a(0, 0);
            rest_ = d.rest(0);
            gain_ = d.gain;
            response_gain_ = gain_ * tau_in_;
            resistance_ = rate_ != S(0) ? d.gain / -rate_ : S(0);
            set_step_coefficients();
        } else {
            Eigen::Matrix<S, size, size> integral;
            detail::exponential_integrals<S, size>(d.a, h, growth_, integral);
            rest_ = d.rest;
            gain_ = d.gain;
            drive_ = integral.col(input_) * d.gain;
        }
        if constexpr (size > 1) set_noise_scale();
    }

    /// The same dynamics' propagator over a step of length h [ms], for one component (N = 1):
    /// only what depends on h is computed again (one exponential), so a neuron's partial steps
    /// (to a spike, from the end of a refractory period) do not rebuild the rest.
    [[nodiscard]] linear_propagator over(double h) const
        requires(size == 1)
    {
        linear_propagator p = *this;
        p.half_h_ = 0.5 * h;
        p.h_ = h;
        p.set_step_coefficients();
        return p;
    }

    /// The state at t + h from x at t, driven by `current`.
    template <Current C>
    [[nodiscard]] State advance(const State& x, double t, const C& current) const {
        using S = scalar_type;
        if constexpr (CurrentWithWhiteNoise<C>) {
            // Exact in distribution (Gillespie 1996): the drift, plus the Gaussian integral of the
            // white noise over the step on the driven component, variance
            // (gain sigma)^2 tau/2 (1 - e^{-2h/tau}).
            // A held driven component (a refractory period clamps it: gain 0) takes no noise.
            if (gain_ == S(0)) return advance(x, t, current.drift());
            if (!(tau_in_ > S(0))) fail_white_noise();
            State x1 = advance(x, t, current.drift());
            component(x1, input_) += noise_scale_ * static_cast<S>(current.white_noise_sample(t));
            return x1;
        } else if constexpr (std::is_same_v<C, iaf::constant> && size == 1) {
            // Held over the step: the response's increment u_b - u_a is zero, and leaving it out
            // keeps an addition off the step's dependency chain. Same arithmetic as a population.
            const S input = static_cast<S>(current.value());
            if (tau_in_ > S(0)) [[likely]] return advance_held<held_form::response>(x, input);
            return advance_held(x, input);
        } else if constexpr (CurrentWithLeakyResponse<C>) {
            if (tau_in_ > S(0)) [[likely]] {
                // With u the driven component's response to the current alone, x - e_k u relaxes
                // without input: x(t + h) = x + G (x - rest - e_k u_a) + e_k (u_b - u_a). Written
                // as increments so that round-off does not grow with the number of steps.
                const auto tau = static_cast<double>(tau_in_);
                const S u_a = gain_ * static_cast<S>(current.leaky_response(t, tau));
                const S u_b = gain_ * static_cast<S>(current.leaky_response(t + h_, tau));
                if constexpr (size == 1) {
                    return relax_from(x, u_a, u_b);
                } else {
                    State offset = x - rest_;
                    offset(input_) -= u_a;
                    State x1 = x + growth_ * offset;
                    x1(input_) += u_b - u_a;
                    return x1;
                }
            }
            return midpoint(x, t, current);
        } else {
            return midpoint(x, t, current);
        }
    }

    /// How a held input enters a one-component propagator: through the closed-form response
    /// (the driven component relaxes on its own), as a steady state (no closed form), or as a
    /// drift (no leak, as in a perfect integrator).
    enum class held_form : unsigned char { response, steady_state, drift };
    /// Which `held_form` this propagator uses (one component only).
    [[nodiscard]] held_form form_of_held_input() const noexcept {
        if (tau_in_ > scalar_type(0)) return held_form::response;
        return resistance_ != scalar_type(0) ? held_form::steady_state : held_form::drift;
    }

    /// The step from x with an input current held constant over it, for one component (N = 1):
    /// `x` and `input` [nA] are scalars or lanes (a population's arrays). The same arithmetic as
    /// `advance` with an `iaf::constant`, so a population and a neuron agree bit for bit. `Form`
    /// must be `form_of_held_input()`; fixing it at compile time keeps a population's loop free
    /// of branches, so that it vectorises.
    template <held_form Form, typename X>
    [[nodiscard]] X advance_held(const X& x, const X& input) const
        requires(size == 1)
    {
        return held_step<Form>(x, input, relax_, drive_);
    }

    /// The same over a step of length h instead of the propagator's own, with h per lane (a
    /// population's partial steps, of a different length for each neuron): lane by lane what
    /// `over(h).advance_held<Form>(x, input)` gives, bit for bit. `h` is a double or lanes of
    /// doubles as wide as `x` (a GCC/Clang vector).
    template <held_form Form, typename X, typename H>
    [[nodiscard]] X advance_held_over(const X& x, const X& input, const H& h) const
        requires(size == 1)
    {
        const auto [relax, drive] = step_coefficients(h);
        return held_step<Form>(x, input, relax, drive);
    }

    /// The same, choosing the form at run time.
    template <typename X>
    [[nodiscard]] X advance_held(const X& x, const X& input) const
        requires(size == 1)
    {
        switch (form_of_held_input()) {
            case held_form::response: return advance_held<held_form::response>(x, input);
            case held_form::steady_state: return advance_held<held_form::steady_state>(x, input);
            default: return advance_held<held_form::drift>(x, input);
        }
    }

    /// When the solution from x with `input` [nA] held reaches `level` going up, in closed form, for
    /// one component (N = 1): the offset s > 0 [ms], or NaN when it never does. With a leak, x
    /// relaxes towards x_inf (or runs away from it) as x_inf + (x - x_inf) e^{a s}, so
    /// s = log1p((x - level) / (x_inf - x)) / a: one logarithm where a root finder evaluates the
    /// solution five times or more (NEST's precise LIF models solve the same way). Without a
    /// leak x grows linearly. Computed in double, so float propagators agree with double to the
    /// ulp of their state.
    ///
    /// `x` and `input` may also be lanes (GCC/Clang vectors of the scalar): the offsets then come
    /// back as lanes of doubles, each the bits a scalar call gives (the logarithm is the library's
    /// own, `detail::lane_log1p`, for that reason).
    template <typename X>
    [[nodiscard]] auto held_crossing(const X& x, const X& input, double level) const
        requires(size == 1)
    {
        using D = decltype(detail::convert_lanes<double>(x));
        const D x0 = detail::convert_lanes<double>(x);
        D s{};
        const held_form form = form_of_held_input();
        if (form == held_form::drift) {
            s = (level - x0) / (static_cast<double>(gain_) * detail::convert_lanes<double>(input));
        } else {
            const D x_inf = detail::convert_lanes<double>(form == held_form::response
                                                              ? held_target<held_form::response>(input)
                                                              : held_target<held_form::steady_state>(input));
            s = detail::lane_log1p(D((x0 - level) / (x_inf - x0))) / static_cast<double>(rate_);
        }
        constexpr double infinity = std::numeric_limits<double>::infinity();
        const D none = detail::splat<D>(std::numeric_limits<double>::quiet_NaN());
        return D(((s > 0.0) & (s < infinity)) ? s : none);
    }

    /// The step length h [ms].
    [[nodiscard]] double step_length() const noexcept { return h_; }

private:
    /// N = 1, with a leak: the value x_inf the component relaxes to under `input` held, rest + u
    /// with u the response (the driven component's own leak) or the steady state. The response
    /// takes one product, gain tau_in computed once: in a population's common pass each
    /// operation on the lanes counts (a second product cost float about 5 % a step).
    template <held_form Form, typename X>
    X held_target(const X& input) const {
        if constexpr (Form == held_form::response) return X(rest_ + X(input * response_gain_));
        else return X(rest_ + resistance_ * input);
    }

    /// N = 1: one step from x with `input` held, by the step's coefficients `relax` and `drive`
    /// (the propagator's own, or lanes of them from step_coefficients).
    template <held_form Form, typename X, typename R>
    X held_step(const X& x, const X& input, const R& relax, const R& drive) const {
        if constexpr (Form == held_form::response) {
            return X(x + X(held_target<Form>(input) - x) * relax);  // relax_from(x, u, u), u - u = 0 left out
        } else if constexpr (Form == held_form::steady_state) {
            return X(x + (held_target<Form>(input) - x) * relax);
        } else {
            return X(x + drive * input);
        }
    }

    /// N = 1: the coefficients that depend on the step, for a step h or lanes of steps:
    /// relax = 1 - e^{a h}, and drive, the step's response to 1 nA held over it.
    template <typename H>
    auto step_coefficients(const H& h) const {
        using S = scalar_type;
        using R = decltype(detail::convert_lanes<S>(h));
        const R relax = detail::convert_lanes<S>(H(-detail::lane_expm1(H(static_cast<double>(rate_) * h))));
        const R drive = rate_ != S(0) ? R(resistance_ * relax) : R(detail::convert_lanes<S>(h) * gain_);
        return std::pair<R, R>{relax, drive};
    }

    /// N = 1: the driven component relaxes to rest + u with u its response to the current alone,
    /// from u_a at the step's start to u_b at its end. Written as increments so that round-off
    /// does not grow with the number of steps (NEST's accuracy bar).
    template <typename X>
    X relax_from(const X& x, const X& u_a, const X& u_b) const {
        const X vp_a = X(rest_ + u_a);
        return X(x + X(u_b - u_a) + X(vp_a - x) * relax_);
    }

    template <typename C>
    State midpoint(const State& x, double t, const C& current) const {
        using S = scalar_type;
        const S u = static_cast<S>(current(t + half_h_));
        if constexpr (size == 1) {
            // x + (1 - e^{ah})(rest + R u - x), with or without a leak (a = 0: relax = 0 and
            // drive = h gain), as an increment so that round-off does not grow with the steps,
            // and without a branch: the same two operations on x's dependency chain.
            return x + (relaxed_rest_ + drive_ * u - relax_ * x);
        } else {
            return State(x + growth_ * (x - rest_) + drive_ * u);
        }
    }

    /// N = 1: the coefficients that depend on the step h_.
    void set_step_coefficients()
        requires(size == 1)
    {
        std::tie(relax_, drive_) = step_coefficients(h_);
        relaxed_rest_ = relax_ * rest_;
        set_noise_scale();
    }
    void set_noise_scale() {
        using S = scalar_type;
        if (tau_in_ > S(0)) {
            // 1 - e^{-2h/tau} = g (2 - g) with g = 1 - e^{-h/tau}, so no second exponential.
            const S g = size == 1 ? relax_ : -component(growth_diagonal(), input_);
            noise_scale_ = std::sqrt(S(0.5) * tau_in_ * g * (S(2) - g)) * gain_;
        }
    }

    static scalar_type& component(State& x, int k) {
        if constexpr (size == 1) return (void)k, x;
        else return x(k);
    }
    static scalar_type component(const State& x, int k) {
        if constexpr (size == 1) return (void)k, x;
        else return x(k);
    }
    State growth_diagonal() const {
        if constexpr (size == 1) return -relax_;
        else return growth_.diagonal();
    }

    [[noreturn]] static void fail_white_noise() {
        detail::fail_simulation("iaf::exact: white noise needs the driven component to relax on its own "
                                "(no other component may depend on it, and A_kk < 0)");
    }

    struct unused {};
    using matrix_type = Eigen::Matrix<scalar_type, size, size>;

    int input_;
    double half_h_, h_;
    scalar_type tau_in_{0};       // the driven component's own time constant, 0 if it has none
    scalar_type noise_scale_{0};  // standard deviation of the noise increment per unit sigma z
    scalar_type gain_{0};
    State rest_{};
    State drive_{};               // the step's response to 1 nA held over it
    scalar_type rate_{0};         // N = 1: a
    scalar_type relax_{0};        // N = 1: 1 - e^{a h}
    scalar_type resistance_{0};   // N = 1: gain / -a, the steady-state response to 1 nA
    scalar_type response_gain_{0};  // N = 1: gain tau_in, the response to 1 nA held
    scalar_type relaxed_rest_{0}; // N = 1: (1 - e^{a h}) rest
    [[no_unique_address]] std::conditional_t<size == 1, unused, matrix_type> growth_{};  // N > 1: e^{A h} - I
};

}  // namespace iaf
