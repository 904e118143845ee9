#pragma once
/// \file
/// The LIF with an alpha-shaped synaptic current (NEST's `iaf_psc_alpha`; alpha synapse after
/// Rall 1967; exact integration after Rotter & Diesmann 1999).

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <optional>

#include <Eigen/Core>

#include "../concepts.hpp"
#include "../errors.hpp"
#include "../linear_dynamics.hpp"
#include "../value.hpp"

namespace iaf {

/// Parameters of `lif_psc_alpha`. Units: ms, mV, nA, nF. Defaults are NEST's `iaf_psc_alpha`
/// (C_m = 250 pF, tau_m = 10 ms, tau_syn = 2 ms, E_L = -70 mV, V_th = -55 mV, V_reset = -70 mV,
/// t_ref = 2 ms) in these units; NEST's two synaptic time constants (tau_syn_ex, tau_syn_in)
/// are one here, as in `lif_psc_exp`.
struct lif_psc_alpha_parameters {
    double tau_m = 10.0;    ///< membrane time constant [ms], > 0
    double c_m = 0.25;      ///< membrane capacitance [nF], > 0
    double tau_syn = 2.0;   ///< rise and decay time of the alpha current [ms], > 0 (may equal tau_m)
    double e_l = -70.0;     ///< leak reversal potential [mV]
    double v_th = -55.0;    ///< spike threshold [mV]
    double v_reset = -70.0; ///< potential right after a spike [mV], < v_th
    std::optional<double> v_init{};  ///< initial potential [mV]; e_l when not given
    double t_ref = 2.0;     ///< absolute refractory period [ms], >= 0: V held, the synaptic current evolves
};

/// What the equations of `lif_psc_alpha` read, in any value type T.
template <typename T>
struct lif_psc_alpha_coefficients {
    T e_l;          ///< [mV]
    T v_th;         ///< [mV]
    T v_reset;      ///< [mV]
    T inv_tau_m;    ///< [1/ms]
    T inv_c_m;      ///< [1/nF]
    T inv_tau_syn;  ///< [1/ms]
    T di_jump;  ///< e / tau_syn [1/ms]: the jump of dI_syn per nA of weight, so that the PSC peaks at the weight
};

/// The equations of `lif_psc_alpha`, once, over any value type T; the state is (V, I_syn, dI_syn):
///   dV/dt = (E_L - V)/tau_m + (I_syn + I)/C_m,
///   dI_syn/dt = dI_syn - I_syn/tau_syn,   d(dI_syn)/dt = -dI_syn/tau_syn.
/// From (I_syn, dI_syn) = (0, a) at t = 0, I_syn(t) = a t e^{-t/tau_syn}, the alpha function.
struct lif_psc_alpha_equations {
    /// The state as named values of type T.
    template <typename T>
    struct state {
        T v;       ///< membrane potential [mV]
        T i_syn;   ///< synaptic current [nA]
        T di_syn;  ///< the synaptic current's drive [nA/ms] (its derivative when I_syn = 0)
    };

    /// The right-hand side (dV/dt [mV/ms], dI_syn/dt [nA/ms], d(dI_syn)/dt [nA/ms^2]) at state x
    /// and input current i [nA], with the coefficients k.
    template <typename T, typename K>
    [[nodiscard]] static state<T> derivative(const K& k, const state<T>& x, const T& i) {
        return {T((k.e_l - x.v) * k.inv_tau_m + (x.i_syn + i) * k.inv_c_m), T(x.di_syn - x.i_syn * k.inv_tau_syn),
                T(-x.di_syn * k.inv_tau_syn)};
    }
    /// Whether V has reached V_th: `bool`, or a lane mask when T is a SIMD lane type.
    template <typename T, typename K>
    [[nodiscard]] static auto spiked(const K& k, const state<T>& x) {
        return evaluated(x.v >= k.v_th);
    }
    /// The state after a spike: V = V_reset, the synaptic components unchanged.
    template <typename T, typename K>
    [[nodiscard]] static state<T> reset(const K& k, const state<T>& x) {
        return {broadcast<T>(k.v_reset), x.i_syn, x.di_syn};
    }
    /// The same dynamics as data for `exact` (state order V, I_syn, dI_syn; the current drives V).
    /// A is upper triangular, so its rates are its diagonal and no eigensolver is instantiated.
    template <typename S, typename K>
    [[nodiscard]] static linear_dynamics<S, 3> dynamics(const K& k) {
        linear_dynamics<S, 3> d;
        d.a << -k.inv_tau_m, k.inv_c_m, S(0),  //
            S(0), -k.inv_tau_syn, S(1),        //
            S(0), S(0), -k.inv_tau_syn;
        d.rest << k.e_l, S(0), S(0);
        d.input = 0;
        d.gain = k.inv_c_m;
        return d;
    }
};

/// Where synaptic events land on `lif_psc_alpha`: `i_syn` (an alpha current peaking at the
/// weight, nA) or `v` (a jump of V, mV). Shared by the double and float models.
enum class lif_psc_alpha_port { i_syn, v };

/// LIF neuron with an alpha-shaped synaptic current, NEST's `iaf_psc_alpha` with one synaptic
/// time constant. State `Eigen::Matrix<S, 3, 1>`: (V [mV], I_syn [nA], dI_syn [nA/ms]).
///
/// Input ports: `port::i_syn` with weight w [nA] adds w e / tau_syn to dI_syn, so that from rest
/// the post-synaptic current is I_syn(t) = w (t / tau_syn) e^{1 - t/tau_syn}, which peaks at
/// exactly w at t = tau_syn (NEST's normalisation: a weight is the PSC's peak); `port::v` adds w
/// to V [mV] (a delta synapse). During t_ref V is held at V_reset while I_syn and dI_syn keep
/// evolving. `exact` integrates it through its 3x3 propagator, including tau_syn = tau_m.
///
/// Example: `iaf::lif_psc_alpha neuron{{.tau_m = 10, .c_m = 0.25, .tau_syn = 2}}`
template <typename S>
class basic_lif_psc_alpha {
public:
    /// The scalar the equations run in (`double` or `float`).
    using scalar_type = S;
    /// The state: (V [mV], I_syn [nA], dI_syn [nA/ms]).
    using state_type = Eigen::Matrix<S, 3, 1>;
    /// The equations over any value type, shared with `iaf::population`.
    using equations = lif_psc_alpha_equations;
    /// Where synaptic events land: `i_syn` [nA, the PSC's peak] or `v` [mV].
    using port = lif_psc_alpha_port;
    /// A refractory period holds V and lets the synaptic current evolve.
    static constexpr std::array<bool, 3> refractory_clamped{true, false, false};

    /// Validates every parameter; throws `invalid_parameter` naming the one that is wrong.
    explicit basic_lif_psc_alpha(const lif_psc_alpha_parameters& p = {}) : p_(p) {
        constexpr const char* who = "iaf::lif_psc_alpha";
        detail::require_positive(who, "tau_m", p.tau_m);
        detail::require_positive(who, "c_m", p.c_m);
        detail::require_positive(who, "tau_syn", p.tau_syn);
        detail::require_finite(who, "e_l", p.e_l);
        detail::require_threshold_above_reset(who, p.v_th, p.v_reset);
        p_.v_init = p.v_init.value_or(p.e_l);
        detail::require_finite(who, "v_init", *p_.v_init);
        detail::require_non_negative(who, "t_ref", p.t_ref);
        k_ = {S(p.e_l),          S(p.v_th),           S(p.v_reset),
              S(1.0 / p.tau_m),  S(1.0 / p.c_m),      S(1.0 / p.tau_syn),
              S(std::numbers::e / p.tau_syn)};
        // The equations read these coefficients: the reciprocals overflow for subnormal values
        // (tau_m = 1e-310), e / tau_syn already for tau_syn < e / DBL_MAX, and in a narrower S
        // (float) any value may overflow and two may become equal.
        detail::require_finite_coefficient(who, "tau_m", p.tau_m, k_.inv_tau_m,
                                           "1 / tau_m must be finite in the scalar type");
        detail::require_finite_coefficient(who, "c_m", p.c_m, k_.inv_c_m,
                                           "1 / c_m must be finite in the scalar type");
        detail::require_finite_coefficient(who, "tau_syn", p.tau_syn, k_.inv_tau_syn,
                                           "1 / tau_syn must be finite in the scalar type");
        detail::require_finite_coefficient(who, "tau_syn", p.tau_syn, k_.di_jump,
                                           "e / tau_syn must be finite in the scalar type");
        detail::require_finite_coefficient(who, "e_l", p.e_l, k_.e_l);
        detail::require_threshold_above_reset_in(who, p.v_th, p.v_reset, k_.v_th, k_.v_reset);
        detail::require_finite_coefficient(who, "v_init", *p_.v_init, S(*p_.v_init));
    }

    /// The validated parameters (with `v_init` filled in).
    [[nodiscard]] const lif_psc_alpha_parameters& parameters() const noexcept { return p_; }
    /// The coefficients the equations read, in this model's scalar.
    [[nodiscard]] const lif_psc_alpha_coefficients<S>& coefficients() const noexcept { return k_; }

    // --- Model interface: the equations instantiated with S ------------------------------------
    /// The state at the start of a run: (v_init, 0, 0).
    [[nodiscard]] state_type initial_state() const { return {S(*p_.v_init), S(0), S(0)}; }
    /// The right-hand side (dV/dt, dI_syn/dt, d(dI_syn)/dt) at state x and input current i [nA].
    [[nodiscard]] state_type derivative(double /*t*/, const state_type& x, double i) const {
        return pack(equations::derivative(k_, unpack(x), S(i)));
    }
    /// The linear part A x (see `AffineModel`).
    [[nodiscard]] state_type homogeneous_derivative(const state_type& x) const {
        return linear_dynamics().a * x;
    }
    /// The fastest decay rate max(1/tau_m, 1/tau_syn) [1/ms], which bounds an explicit
    /// integrator's dt (`StabilityLimitedIntegrator`). A is triangular, so these are its
    /// eigenvalues; declaring them keeps a 3x3 eigensolver out of every neuron's instantiation.
    [[nodiscard]] double fastest_rate() const noexcept { return std::max(1.0 / p_.tau_m, 1.0 / p_.tau_syn); }
    /// The membrane potential of a state: x[0] [mV].
    [[nodiscard]] S voltage(const state_type& x) const { return x[0]; }
    /// A spike is emitted when V reaches this value: V_th [mV].
    [[nodiscard]] double threshold() const noexcept { return p_.v_th; }
    /// The state after a spike: V = V_reset, the synaptic components unchanged.
    [[nodiscard]] state_type reset(const state_type& x) const { return pack(equations::reset(k_, unpack(x))); }
    /// How long V is held at V_reset after a spike: t_ref [ms].
    [[nodiscard]] double refractory_period() const noexcept { return p_.t_ref; }
    /// A synaptic event: port `i_syn` starts an alpha current peaking at `weight` [nA] after
    /// tau_syn (adds weight e / tau_syn to dI_syn); port `v` adds `weight` to V [mV].
    [[nodiscard]] state_type receive(const state_type& x, port where, double weight) const {
        state_type y = x;
        if (where == port::v) y[0] += S(weight);
        else y[2] += S(weight) * k_.di_jump;
        return y;
    }
    /// The subthreshold dynamics as data (see `LinearModel`): `exact` builds the 3x3 propagator
    /// from it.
    [[nodiscard]] iaf::linear_dynamics<S, 3> linear_dynamics() const { return equations::dynamics<S>(k_); }

private:
    static equations::state<S> unpack(const state_type& x) { return {x[0], x[1], x[2]}; }
    static state_type pack(const equations::state<S>& x) { return {x.v, x.i_syn, x.di_syn}; }

    lif_psc_alpha_parameters p_;
    lif_psc_alpha_coefficients<S> k_{};
};

/// `basic_lif_psc_alpha` in double precision.
using lif_psc_alpha = basic_lif_psc_alpha<double>;

}  // namespace iaf
