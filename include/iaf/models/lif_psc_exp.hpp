#pragma once
/// \file
/// The LIF with an exponentially decaying synaptic current (NEST's `iaf_psc_exp`; Tsodyks,
/// Uziel & Markram 2000; exact integration after Rotter & Diesmann 1999).

#include <array>
#include <cmath>
#include <optional>

#include <Eigen/Core>

#include "../concepts.hpp"
#include "../errors.hpp"
#include "../linear_dynamics.hpp"
#include "../value.hpp"

namespace iaf {

/// Parameters of `lif_psc_exp`. Units: ms, mV, nA, nF.
struct lif_psc_exp_parameters {
    double tau_m = 10.0;    ///< membrane time constant [ms], > 0
    double c_m = 0.25;      ///< membrane capacitance [nF], > 0
    double tau_syn = 2.0;   ///< synaptic current time constant [ms], > 0 (may equal tau_m)
    double e_l = -70.0;     ///< leak reversal potential [mV]
    double v_th = -55.0;    ///< spike threshold [mV]
    double v_reset = -70.0; ///< potential right after a spike [mV], < v_th
    std::optional<double> v_init{};  ///< initial potential [mV]; e_l when not given
    double t_ref = 2.0;     ///< absolute refractory period [ms], >= 0: V held, I_syn decays
};

/// What the equations of `lif_psc_exp` read, in any value type T.
template <typename T>
struct lif_psc_exp_coefficients {
    T e_l;          ///< [mV]
    T v_th;         ///< [mV]
    T v_reset;      ///< [mV]
    T inv_tau_m;    ///< [1/ms]
    T inv_c_m;      ///< [1/nF]
    T inv_tau_syn;  ///< [1/ms]
};

/// The equations of `lif_psc_exp`, once, over any value type T; the state is (V, I_syn):
///   dV/dt = (E_L - V)/tau_m + (I_syn + I)/C_m,   dI_syn/dt = -I_syn/tau_syn.
struct lif_psc_exp_equations {
    /// The state as named values of type T.
    template <typename T>
    struct state {
        T v;      ///< membrane potential [mV]
        T i_syn;  ///< synaptic current [nA]
    };

    /// The right-hand side (dV/dt [mV/ms], dI_syn/dt [nA/ms]) at state x and input current i [nA],
    /// with the coefficients k.
    template <typename T, typename K>
    [[nodiscard]] static state<T> derivative(const K& k, const state<T>& x, const T& i) {
        return {T((k.e_l - x.v) * k.inv_tau_m + (x.i_syn + i) * k.inv_c_m), T(-x.i_syn * k.inv_tau_syn)};
    }
    /// Whether V has reached V_th: `bool`, or a lane mask when T is a SIMD lane type.
    template <typename T, typename K>
    [[nodiscard]] static auto spiked(const K& k, const state<T>& x) {
        return evaluated(x.v >= k.v_th);
    }
    /// The state after a spike: V = V_reset, I_syn unchanged.
    template <typename T, typename K>
    [[nodiscard]] static state<T> reset(const K& k, const state<T>& x) {
        return {broadcast<T>(k.v_reset), x.i_syn};
    }
    /// The same dynamics as data for `exact` (state order V, I_syn; the current drives V).
    template <typename S, typename K>
    [[nodiscard]] static linear_dynamics<S, 2> dynamics(const K& k) {
        linear_dynamics<S, 2> d;
        d.a << -k.inv_tau_m, k.inv_c_m, S(0), -k.inv_tau_syn;
        d.rest << k.e_l, S(0);
        d.input = 0;
        d.gain = k.inv_c_m;
        return d;
    }
};

/// Where synaptic events land on `lif_psc_exp`: `i_syn` (nA) or `v` (mV). Shared by the double
/// and float models.
enum class lif_psc_exp_port { i_syn, v };

/// LIF neuron with an exponentially decaying synaptic current, NEST's `iaf_psc_exp` with one
/// synaptic time constant. State `Eigen::Matrix<S, 2, 1>`: (V [mV], I_syn [nA]). Input ports:
/// `port::i_syn` adds the weight [nA] to I_syn (an exponential post-synaptic current), `port::v`
/// adds it to V [mV] (a delta synapse). During t_ref V is held at V_reset while I_syn keeps
/// decaying. `exact` integrates it through its 2x2 propagator, including tau_syn = tau_m.
///
/// Example: `iaf::lif_psc_exp neuron{{.tau_m = 10, .c_m = 0.25, .tau_syn = 2}}`
template <typename S>
class basic_lif_psc_exp {
public:
    /// The scalar the equations run in (`double` or `float`).
    using scalar_type = S;
    /// The state: (V [mV], I_syn [nA]).
    using state_type = Eigen::Matrix<S, 2, 1>;
    /// The equations over any value type, shared with `iaf::population`.
    using equations = lif_psc_exp_equations;
    /// Where synaptic events land: `i_syn` [nA] or `v` [mV].
    using port = lif_psc_exp_port;
    /// A refractory period holds V and lets I_syn decay.
    static constexpr std::array<bool, 2> refractory_clamped{true, false};

    /// Validates every parameter; throws `invalid_parameter` naming the one that is wrong.
    explicit basic_lif_psc_exp(const lif_psc_exp_parameters& p = {}) : p_(p) {
        constexpr const char* who = "iaf::lif_psc_exp";
        detail::require_positive(who, "tau_m", p.tau_m);
        detail::require_positive(who, "c_m", p.c_m);
        detail::require_positive(who, "tau_syn", p.tau_syn);
        detail::require_finite(who, "e_l", p.e_l);
        detail::require_threshold_above_reset(who, p.v_th, p.v_reset);
        p_.v_init = p.v_init.value_or(p.e_l);
        detail::require_finite(who, "v_init", *p_.v_init);
        detail::require_non_negative(who, "t_ref", p.t_ref);
        k_ = {S(p.e_l), S(p.v_th), S(p.v_reset), S(1.0 / p.tau_m), S(1.0 / p.c_m), S(1.0 / p.tau_syn)};
        // The equations read these coefficients: 1 / tau_m, 1 / c_m and 1 / tau_syn overflow for subnormal
        // values (tau_m = 1e-310), and in a narrower S (float) any value may overflow and two may
        // become equal.
        detail::require_finite_coefficient(who, "tau_m", p.tau_m, k_.inv_tau_m,
                                           "1 / tau_m must be finite in the scalar type");
        detail::require_finite_coefficient(who, "c_m", p.c_m, k_.inv_c_m,
                                           "1 / c_m must be finite in the scalar type");
        detail::require_finite_coefficient(who, "tau_syn", p.tau_syn, k_.inv_tau_syn,
                                           "1 / tau_syn must be finite in the scalar type");
        detail::require_finite_coefficient(who, "e_l", p.e_l, k_.e_l);
        detail::require_threshold_above_reset_in(who, p.v_th, p.v_reset, k_.v_th, k_.v_reset);
        detail::require_finite_coefficient(who, "v_init", *p_.v_init, S(*p_.v_init));
    }

    /// The validated parameters (with `v_init` filled in).
    [[nodiscard]] const lif_psc_exp_parameters& parameters() const noexcept { return p_; }
    /// The coefficients the equations read, in this model's scalar.
    [[nodiscard]] const lif_psc_exp_coefficients<S>& coefficients() const noexcept { return k_; }

    // --- Model interface: the equations instantiated with S ------------------------------------
    /// The state at the start of a run: (v_init, 0).
    [[nodiscard]] state_type initial_state() const { return {S(*p_.v_init), S(0)}; }
    /// The right-hand side (dV/dt [mV/ms], dI_syn/dt [nA/ms]) at state x and input current i [nA].
    [[nodiscard]] state_type derivative(double /*t*/, const state_type& x, double i) const {
        return pack(equations::derivative(k_, unpack(x), S(i)));
    }
    /// The linear part A x (see `AffineModel`).
    [[nodiscard]] state_type homogeneous_derivative(const state_type& x) const {
        return linear_dynamics().a * x;
    }
    /// The membrane potential of a state: x[0] [mV].
    [[nodiscard]] S voltage(const state_type& x) const { return x[0]; }
    /// A spike is emitted when V reaches this value: V_th [mV].
    [[nodiscard]] double threshold() const noexcept { return p_.v_th; }
    /// The state after a spike: V = V_reset, I_syn unchanged.
    [[nodiscard]] state_type reset(const state_type& x) const { return pack(equations::reset(k_, unpack(x))); }
    /// How long V is held at V_reset after a spike: t_ref [ms].
    [[nodiscard]] double refractory_period() const noexcept { return p_.t_ref; }
    /// A synaptic event: adds `weight` to I_syn [nA] (port `i_syn`) or to V [mV] (port `v`).
    [[nodiscard]] state_type receive(const state_type& x, port where, double weight) const {
        state_type y = x;
        y[where == port::v ? 0 : 1] += S(weight);
        return y;
    }
    /// The subthreshold dynamics as data (see `LinearModel`): `exact` builds the 2x2 propagator
    /// from it.
    [[nodiscard]] iaf::linear_dynamics<S, 2> linear_dynamics() const { return equations::dynamics<S>(k_); }

private:
    static equations::state<S> unpack(const state_type& x) { return {x[0], x[1]}; }
    static state_type pack(const equations::state<S>& x) { return {x.v, x.i_syn}; }

    lif_psc_exp_parameters p_;
    lif_psc_exp_coefficients<S> k_{};
};

/// `basic_lif_psc_exp` in double precision.
using lif_psc_exp = basic_lif_psc_exp<double>;

}  // namespace iaf
