#pragma once
/// \file
/// The LIF with exponentially decaying excitatory and inhibitory conductances (NEST's
/// `iaf_cond_exp`; Meffin, Burkitt & Grayden 2004; Kuhn, Aertsen & Rotter 2004).

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include <Eigen/Core>

#include "../concepts.hpp"
#include "../errors.hpp"
#include "../value.hpp"

namespace iaf {

/// Parameters of `lif_cond_exp`. Units: ms, mV, nA, nF, uS (uS * mV = nA). Defaults are NEST's
/// `iaf_cond_exp` (C_m = 250 pF, g_L = 16.6667 nS, E_L = -70 mV, E_ex = 0 mV, E_in = -85 mV,
/// tau_syn_ex = 0.2 ms, tau_syn_in = 2 ms, V_th = -55 mV, V_reset = -60 mV, t_ref = 2 ms) in these
/// units, so tau_m = C_m / g_L = 15 ms.
struct lif_cond_exp_parameters {
    double c_m = 0.25;          ///< membrane capacitance [nF], > 0
    double g_l = 0.0166667;     ///< leak conductance [uS], > 0
    double e_l = -70.0;         ///< leak reversal potential [mV]
    double e_ex = 0.0;          ///< excitatory reversal potential [mV]
    double e_in = -85.0;        ///< inhibitory reversal potential [mV]
    double tau_syn_ex = 0.2;    ///< decay time of the excitatory conductance [ms], > 0
    double tau_syn_in = 2.0;    ///< decay time of the inhibitory conductance [ms], > 0
    double v_th = -55.0;        ///< spike threshold [mV]
    double v_reset = -60.0;     ///< potential right after a spike [mV], < v_th
    std::optional<double> v_init{};  ///< initial potential [mV]; e_l when not given
    double t_ref = 2.0;         ///< absolute refractory period [ms], >= 0: V held, the conductances decay
};

/// What the equations of `lif_cond_exp` read, in any value type T.
template <typename T>
struct lif_cond_exp_coefficients {
    T e_l;             ///< [mV]
    T e_ex;            ///< [mV]
    T e_in;            ///< [mV]
    T v_th;            ///< [mV]
    T v_reset;         ///< [mV]
    T g_l;             ///< [uS]
    T inv_c_m;         ///< [1/nF]
    T inv_tau_syn_ex;  ///< [1/ms]
    T inv_tau_syn_in;  ///< [1/ms]
};

/// The equations of `lif_cond_exp`, once, over any value type T; the state is (V, g_ex, g_in):
///   C_m dV/dt = -g_L (V - E_L) - g_ex (V - E_ex) - g_in (V - E_in) + I,
///   dg_ex/dt = -g_ex/tau_syn_ex,   dg_in/dt = -g_in/tau_syn_in.
/// The products g V make it non-linear: it has no `linear_dynamics`, so `iaf::exact` refuses it.
struct lif_cond_exp_equations {
    /// The state as named values of type T.
    template <typename T>
    struct state {
        T v;     ///< membrane potential [mV]
        T g_ex;  ///< excitatory conductance [uS]
        T g_in;  ///< inhibitory conductance [uS]
    };

    /// The right-hand side (dV/dt [mV/ms], dg_ex/dt [uS/ms], dg_in/dt [uS/ms]) at state x and
    /// input current i [nA], with the coefficients k.
    template <typename T, typename K>
    [[nodiscard]] static state<T> derivative(const K& k, const state<T>& x, const T& i) {
        return {T((k.g_l * (k.e_l - x.v) + x.g_ex * (k.e_ex - x.v) + x.g_in * (k.e_in - x.v) + i) * k.inv_c_m),
                T(-x.g_ex * k.inv_tau_syn_ex), T(-x.g_in * k.inv_tau_syn_in)};
    }
    /// Whether V has reached V_th: `bool`, or a lane mask when T is a SIMD lane type.
    template <typename T, typename K>
    [[nodiscard]] static auto spiked(const K& k, const state<T>& x) {
        return evaluated(x.v >= k.v_th);
    }
    /// The state after a spike: V = V_reset, the conductances unchanged.
    template <typename T, typename K>
    [[nodiscard]] static state<T> reset(const K& k, const state<T>& x) {
        return {broadcast<T>(k.v_reset), x.g_ex, x.g_in};
    }
};

/// Where synaptic events land on `lif_cond_exp`: `g_ex` or `g_in` (a jump of the conductance,
/// uS) or `v` (a jump of V, mV). Shared by the double and float models.
enum class lif_cond_exp_port { g_ex, g_in, v };

/// LIF neuron with exponentially decaying excitatory and inhibitory conductances, NEST's
/// `iaf_cond_exp`. State `Eigen::Matrix<S, 3, 1>`: (V [mV], g_ex [uS], g_in [uS]).
///
/// Input ports: `port::g_ex` and `port::g_in` add the weight [uS] to that conductance (NEST's
/// weights in nS divided by 1000), which then decays with its time constant; `port::v` adds the
/// weight to V [mV]. Conductance weights are meant to be >= 0: a synapse's sign is its port
/// (excitation through g_ex, inhibition through g_in), unlike NEST's single port that routes
/// negative weights to g_in. A negative weight is not refused (nothing is validated in a step); it
/// is added as given, and a conductance pushed below zero drives V away from that synapse's
/// reversal potential. During t_ref V is held at V_reset while both conductances keep decaying.
///
/// Non-linear (the conductances multiply V): there is no exact propagator, so use an explicit
/// integrator (`rk4` with `hermite` for accurate spike times, `dopri5` for a reference). No
/// stability bound is checked at construction, since the model declares no linear part: the
/// user's dt must resolve tau_syn_ex (forward Euler on g_ex is unstable for dt > 2 tau_syn_ex,
/// 0.4 ms with the defaults).
///
/// Example: `iaf::lif_cond_exp neuron{{.c_m = 0.25, .g_l = 0.0166667, .tau_syn_ex = 0.2}}`
template <typename S>
class basic_lif_cond_exp {
public:
    /// The scalar the equations run in (`double` or `float`).
    using scalar_type = S;
    /// The state: (V [mV], g_ex [uS], g_in [uS]).
    using state_type = Eigen::Matrix<S, 3, 1>;
    /// The equations over any value type, shared with `iaf::population`.
    using equations = lif_cond_exp_equations;
    /// Where synaptic events land: `g_ex`, `g_in` [uS] or `v` [mV].
    using port = lif_cond_exp_port;
    /// A refractory period holds V and lets the conductances decay.
    static constexpr std::array<bool, 3> refractory_clamped{true, false, false};

    /// Validates every parameter; throws `invalid_parameter` naming the one that is wrong.
    explicit basic_lif_cond_exp(const lif_cond_exp_parameters& p = {}) : p_(p) {
        constexpr const char* who = "iaf::lif_cond_exp";
        detail::require_positive(who, "c_m", p.c_m);
        detail::require_positive(who, "g_l", p.g_l);
        detail::require_finite(who, "e_l", p.e_l);
        detail::require_finite(who, "e_ex", p.e_ex);
        detail::require_finite(who, "e_in", p.e_in);
        detail::require_positive(who, "tau_syn_ex", p.tau_syn_ex);
        detail::require_positive(who, "tau_syn_in", p.tau_syn_in);
        detail::require_threshold_above_reset(who, p.v_th, p.v_reset);
        p_.v_init = p.v_init.value_or(p.e_l);
        detail::require_finite(who, "v_init", *p_.v_init);
        detail::require_non_negative(who, "t_ref", p.t_ref);
        k_ = {S(p.e_l),     S(p.e_ex),         S(p.e_in),
              S(p.v_th),    S(p.v_reset),      S(p.g_l),
              S(1.0 / p.c_m), S(1.0 / p.tau_syn_ex), S(1.0 / p.tau_syn_in)};
        // The equations read these coefficients: the reciprocals overflow for subnormal values
        // (c_m = 1e-310), and in a narrower S (float) any value may overflow, g_l may round to 0
        // (no leak at all) and two potentials may become equal.
        detail::require_finite_coefficient(who, "c_m", p.c_m, k_.inv_c_m,
                                           "1 / c_m must be finite in the scalar type");
        detail::require_finite_coefficient(who, "g_l", p.g_l, k_.g_l);
        if (!(k_.g_l > S(0))) detail::fail_parameter(who, "g_l", p.g_l, "must be > 0 in the scalar type");
        detail::require_finite_coefficient(who, "tau_syn_ex", p.tau_syn_ex, k_.inv_tau_syn_ex,
                            "1 / tau_syn_ex must be finite in the scalar type");
        detail::require_finite_coefficient(who, "tau_syn_in", p.tau_syn_in, k_.inv_tau_syn_in,
                            "1 / tau_syn_in must be finite in the scalar type");
        detail::require_finite_coefficient(who, "e_l", p.e_l, k_.e_l);
        detail::require_finite_coefficient(who, "e_ex", p.e_ex, k_.e_ex);
        detail::require_finite_coefficient(who, "e_in", p.e_in, k_.e_in);
        detail::require_threshold_above_reset_in(who, p.v_th, p.v_reset, k_.v_th, k_.v_reset);
        detail::require_finite_coefficient(who, "v_init", *p_.v_init, S(*p_.v_init));
    }

    /// The validated parameters (with `v_init` filled in).
    [[nodiscard]] const lif_cond_exp_parameters& parameters() const noexcept { return p_; }
    /// The coefficients the equations read, in this model's scalar.
    [[nodiscard]] const lif_cond_exp_coefficients<S>& coefficients() const noexcept { return k_; }

    // --- Model interface: the equations instantiated with S ------------------------------------
    /// The state at the start of a run: (v_init, 0, 0).
    [[nodiscard]] state_type initial_state() const { return {S(*p_.v_init), S(0), S(0)}; }
    /// The right-hand side (dV/dt [mV/ms], dg_ex/dt, dg_in/dt [uS/ms]) at state x and input current
    /// i [nA].
    [[nodiscard]] state_type derivative(double /*t*/, const state_type& x, double i) const {
        return pack(equations::derivative(k_, unpack(x), S(i)));
    }
    /// The membrane potential of a state: x[0] [mV].
    [[nodiscard]] S voltage(const state_type& x) const { return x[0]; }
    /// A spike is emitted when V reaches this value: V_th [mV].
    [[nodiscard]] double threshold() const noexcept { return p_.v_th; }
    /// The state after a spike: V = V_reset, the conductances unchanged.
    [[nodiscard]] state_type reset(const state_type& x) const { return pack(equations::reset(k_, unpack(x))); }
    /// How long V is held at V_reset after a spike: t_ref [ms].
    [[nodiscard]] double refractory_period() const noexcept { return p_.t_ref; }
    /// The fastest decay rate of the state's linear parts [1/ms]: max(1/tau_syn_ex, 1/tau_syn_in,
    /// g_L/C_m). An explicit integrator refuses a dt beyond its stability bound on it at
    /// construction (`StabilityLimitedIntegrator`); Euler's bound on the default tau_syn_ex is
    /// 0.4 ms. V's own rate (g_L + g_ex + g_in)/C_m grows with the conductances, which no static
    /// bound covers: a step too long for a large conductance stops the run with `simulation_error`.
    [[nodiscard]] double fastest_rate() const noexcept {
        return std::max({1.0 / p_.tau_syn_ex, 1.0 / p_.tau_syn_in, p_.g_l / p_.c_m});
    }
    /// A synaptic event: adds `weight` to g_ex or g_in [uS] (ports `g_ex`, `g_in`; meant to be
    /// >= 0, added as given) or to V [mV] (port `v`).
    [[nodiscard]] state_type receive(const state_type& x, port where, double weight) const {
        state_type y = x;
        y[where == port::v ? 0 : where == port::g_ex ? 1 : 2] += S(weight);
        return y;
    }

private:
    static equations::state<S> unpack(const state_type& x) { return {x[0], x[1], x[2]}; }
    static state_type pack(const equations::state<S>& x) { return {x.v, x.g_ex, x.g_in}; }

    lif_cond_exp_parameters p_;
    lif_cond_exp_coefficients<S> k_{};
};

/// `basic_lif_cond_exp` in double precision.
using lif_cond_exp = basic_lif_cond_exp<double>;

}  // namespace iaf
