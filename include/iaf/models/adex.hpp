#pragma once
/// \file
/// The adaptive exponential integrate-and-fire neuron (AdEx; Brette & Gerstner 2005, J
/// Neurophysiol 94:3637), NEST's `aeif_psc_delta` dynamics, with the firing-pattern parameter
/// sets of Naud, Marcille, Clopath & Gerstner 2008 (Biol Cybern 99:335, Table 1).

#include <array>
#include <cmath>
#include <optional>

#include <Eigen/Core>

#include "../concepts.hpp"
#include "../errors.hpp"
#include "../value.hpp"

namespace iaf {

/// Parameters of `adex`. Units: ms, mV, nA, nF, uS. The defaults are NEST's `aeif_*` defaults
/// (Brette & Gerstner 2005's regular-spiking cell); the static functions return the firing-pattern
/// sets of Naud et al. 2008, Table 1, each with the step current it is shown with
/// (`adex_firing_patterns`).
struct adex_parameters {
    double c_m = 0.281;      ///< membrane capacitance [nF] (281 pF), > 0
    double g_l = 0.030;      ///< leak conductance [uS] (30 nS), > 0
    double e_l = -70.6;      ///< leak reversal potential [mV]
    double v_t = -50.4;      ///< exponential threshold [mV] (NEST's V_th), < v_peak
    double delta_t = 2.0;    ///< slope factor [mV], > 0
    double tau_w = 144.0;    ///< adaptation time constant [ms], > 0
    double a = 0.004;        ///< subthreshold adaptation [uS] (4 nS); negative values are allowed
    double b = 0.0805;       ///< spike-triggered adaptation [nA] (80.5 pA)
    double v_reset = -60.0;  ///< potential right after a spike [mV], < v_peak
    double v_peak = 0.0;     ///< spike detection, and the clamp of the right-hand side [mV]
    std::optional<double> v_init{};  ///< initial potential [mV]; e_l when not given
    double w_init = 0.0;     ///< initial adaptation current [nA]
    double t_ref = 0.0;      ///< absolute refractory period [ms], >= 0: V held at v_reset, w free

    /// Naud et al. 2008 tonic spiking (their Fig. 4a; drive 0.5 nA): regular ISIs from the first.
    [[nodiscard]] static adex_parameters tonic() {
        return {.c_m = 0.2, .g_l = 0.010, .e_l = -70.0, .v_t = -50.0, .delta_t = 2.0, .tau_w = 30.0, .a = 0.002,
                .b = 0.0, .v_reset = -58.0};
    }
    /// Naud et al. 2008 spike-frequency adaptation (Fig. 4b; drive 0.5 nA): ISIs grow, then settle.
    [[nodiscard]] static adex_parameters adapting() {
        return {.c_m = 0.2, .g_l = 0.012, .e_l = -70.0, .v_t = -50.0, .delta_t = 2.0, .tau_w = 300.0, .a = 0.002,
                .b = 0.060, .v_reset = -58.0};
    }
    /// Naud et al. 2008 initial burst (Fig. 4c; drive 0.4 nA): a burst, then tonic spiking.
    [[nodiscard]] static adex_parameters initial_burst() {
        return {.c_m = 0.13, .g_l = 0.018, .e_l = -58.0, .v_t = -50.0, .delta_t = 2.0, .tau_w = 150.0, .a = 0.004,
                .b = 0.120, .v_reset = -50.0};
    }
    /// Naud et al. 2008 regular bursting (Fig. 4d; drive 0.21 nA): bursts separated by long pauses.
    [[nodiscard]] static adex_parameters regular_bursting() {
        return {.c_m = 0.2, .g_l = 0.010, .e_l = -58.0, .v_t = -50.0, .delta_t = 2.0, .tau_w = 120.0, .a = 0.002,
                .b = 0.100, .v_reset = -46.0};
    }
    /// Naud et al. 2008 delayed accelerating (Fig. 4e; drive 0.3 nA): a long delay to the first
    /// spike (a < 0: w depolarises as V rises), then spikes at shrinking ISIs.
    [[nodiscard]] static adex_parameters delayed() {
        return {.c_m = 0.2, .g_l = 0.012, .e_l = -70.0, .v_t = -50.0, .delta_t = 2.0, .tau_w = 300.0, .a = -0.010,
                .b = 0.0, .v_reset = -58.0};
    }
    /// Naud et al. 2008 transient spiking (Fig. 4g): a few spikes, then silence at a stable fixed
    /// point. Shown with 0.25 nA: at Table 1's 0.35 nA this set, with V_peak = 0 mV, fires 3 fast
    /// spikes and then keeps firing every 83 ms.
    [[nodiscard]] static adex_parameters transient() {
        return {.c_m = 0.1, .g_l = 0.010, .e_l = -65.0, .v_t = -50.0, .delta_t = 2.0, .tau_w = 90.0, .a = 0.010,
                .b = 0.100, .v_reset = -47.0};
    }
};

/// One of Naud et al.'s (2008) firing patterns: its name, parameters and step current.
struct adex_firing_pattern {
    const char* name = "";        ///< e.g. "tonic"
    adex_parameters parameters;   ///< the pattern's parameter set
    double current = 0.0;         ///< the step current that shows the pattern [nA], from t = 0
};

/// The six firing patterns of `adex_parameters`' static functions with the step currents of
/// Naud et al. 2008, Table 1 (transient: 0.25 nA, see `adex_parameters::transient`): tonic,
/// adapting, initial burst, regular bursting, delayed, transient.
[[nodiscard]] inline std::array<adex_firing_pattern, 6> adex_firing_patterns() {
    return {{{"tonic", adex_parameters::tonic(), 0.5},
             {"adapting", adex_parameters::adapting(), 0.5},
             {"initial burst", adex_parameters::initial_burst(), 0.4},
             {"regular bursting", adex_parameters::regular_bursting(), 0.21},
             {"delayed", adex_parameters::delayed(), 0.3},
             {"transient", adex_parameters::transient(), 0.25}}};
}

/// What the equations of `adex` read, in any value type T.
template <typename T>
struct adex_coefficients {
    T e_l;          ///< [mV]
    T v_t;          ///< [mV]
    T v_reset;      ///< [mV]
    T v_peak;       ///< [mV]
    T g_l;          ///< [uS]
    T delta_t;      ///< [mV]
    T inv_delta_t;  ///< [1/mV]
    T inv_c_m;      ///< [1/nF]
    T a;            ///< [uS]
    T b;            ///< [nA]
    T inv_tau_w;    ///< [1/ms]
};

/// The equations of `adex`, once, over any value type T; the state is (V, w):
///   C dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_T)/Delta_T) - w + I,
///   tau_w dw/dt = a (V - E_L) - w,
/// both evaluated at min(V, V_peak) (as NEST's aeif models do, so that no integrator produces inf);
/// a spike when V >= V_peak, then V = V_reset and w += b.
struct adex_equations {
    /// The state as named values of type T.
    template <typename T>
    struct state {
        T v;  ///< membrane potential [mV]
        T w;  ///< adaptation current [nA]
    };

    /// The right-hand side (dV/dt [mV/ms], dw/dt [nA/ms]) at state x and input current i [nA],
    /// with the coefficients k; V enters clamped at V_peak.
    template <typename T, typename K>
    [[nodiscard]] static state<T> derivative(const K& k, const state<T>& x, const T& i) {
        const T v = iaf::min(x.v, broadcast<T>(k.v_peak));
        const T spike_current = T(k.g_l * k.delta_t * iaf::exp(T((v - k.v_t) * k.inv_delta_t)));
        return {T((k.g_l * (k.e_l - v) + spike_current - x.w + i) * k.inv_c_m),
                T((k.a * (v - k.e_l) - x.w) * k.inv_tau_w)};
    }
    /// Whether V has reached V_peak: `bool`, or a lane mask when T is a SIMD lane type.
    template <typename T, typename K>
    [[nodiscard]] static auto spiked(const K& k, const state<T>& x) {
        return evaluated(x.v >= k.v_peak);
    }
    /// The state after a spike: V = V_reset, w + b.
    template <typename T, typename K>
    [[nodiscard]] static state<T> reset(const K& k, const state<T>& x) {
        return {broadcast<T>(k.v_reset), T(x.w + k.b)};
    }
};

/// Where synaptic events land on `adex`: `v`, a jump of V [mV] (NEST's `aeif_psc_delta`).
enum class adex_port { v };

/// Adaptive exponential integrate-and-fire neuron (Brette & Gerstner 2005). State
/// `Eigen::Matrix<S, 2, 1>`: (V [mV], w [nA]); a spike when V reaches V_peak, which also bounds the
/// right-hand side (see `adex_equations`), so every integrator stays finite. During t_ref V is held
/// at V_reset while w follows tau_w dw/dt = a (V_reset - E_L) - w, as in NEST. Input port `v`: the
/// weight [mV] is added to V. Not linear: `exact` refuses it; use rk4 + hermite or dopri5.
///
/// Spike-time accuracy: with the default V_peak = 0 mV (25 Delta_T above V_T) the upswing to V_peak
/// lasts ~1e-10 ms, which no grid step resolves, so every fixed-step method is first order in spike
/// time there; with V_peak a few Delta_T above V_T (V_T + 5 Delta_T, as Brian's examples use) rk4 +
/// hermite is fourth order (tests/models/adex_test.cpp).
///
/// Example: `iaf::adex neuron{iaf::adex_parameters::adapting()}` driven by `iaf::constant{0.5}`.
template <typename S>
class basic_adex {
public:
    /// The scalar the equations run in (`double` or `float`).
    using scalar_type = S;
    /// The state: (V [mV], w [nA]).
    using state_type = Eigen::Matrix<S, 2, 1>;
    /// The equations over any value type, shared with `iaf::population`.
    using equations = adex_equations;
    /// Where synaptic events land: `v` [mV].
    using port = adex_port;
    /// A refractory period holds V and lets w evolve.
    static constexpr std::array<bool, 2> refractory_clamped{true, false};

    /// Validates every parameter; throws `invalid_parameter` naming the one that is wrong.
    explicit basic_adex(const adex_parameters& p = {}) : p_(p) {
        constexpr const char* who = "iaf::adex";
        detail::require_positive(who, "c_m", p.c_m);
        detail::require_positive(who, "g_l", p.g_l);
        detail::require_finite(who, "e_l", p.e_l);
        detail::require_finite(who, "v_t", p.v_t);
        detail::require_positive(who, "delta_t", p.delta_t);
        detail::require_positive(who, "tau_w", p.tau_w);
        detail::require_finite(who, "a", p.a);
        detail::require_finite(who, "b", p.b);
        detail::require_finite(who, "v_reset", p.v_reset);
        detail::require_finite(who, "v_peak", p.v_peak);
        if (!(p.v_reset < p.v_peak)) detail::fail_parameter(who, "v_reset", p.v_reset, "must be < v_peak");
        if (!(p.v_t < p.v_peak)) detail::fail_parameter(who, "v_t", p.v_t, "must be < v_peak");
        p_.v_init = p.v_init.value_or(p.e_l);
        detail::require_finite(who, "v_init", *p_.v_init);
        detail::require_finite(who, "w_init", p.w_init);
        detail::require_non_negative(who, "t_ref", p.t_ref);
        k_ = {S(p.e_l),     S(p.v_t), S(p.v_reset), S(p.v_peak), S(p.g_l),           S(p.delta_t),
              S(1.0 / p.delta_t), S(1.0 / p.c_m), S(p.a), S(p.b), S(1.0 / p.tau_w)};
        // The equations read these coefficients: a reciprocal overflows for a subnormal parameter,
        // and in a narrower S (float) any value may overflow or two may become equal. The largest
        // value the right-hand side reaches is the exponential at the clamp: it must be finite too,
        // or the bound that keeps every integrator finite is no bound.
        detail::require_finite_coefficient(who, "c_m", p.c_m, k_.inv_c_m,
                                           "1 / c_m must be finite in the scalar type");
        detail::require_finite_coefficient(who, "delta_t", p.delta_t, k_.inv_delta_t,
                                           "1 / delta_t must be finite in the scalar type");
        detail::require_finite_coefficient(who, "tau_w", p.tau_w, k_.inv_tau_w,
                                           "1 / tau_w must be finite in the scalar type");
        detail::require_finite_coefficient(who, "g_l", p.g_l, k_.g_l);
        detail::require_finite_coefficient(who, "e_l", p.e_l, k_.e_l);
        detail::require_finite_coefficient(who, "v_t", p.v_t, k_.v_t);
        detail::require_finite_coefficient(who, "a", p.a, k_.a);
        detail::require_finite_coefficient(who, "b", p.b, k_.b);
        detail::require_finite_coefficient(who, "v_reset", p.v_reset, k_.v_reset);
        detail::require_finite_coefficient(who, "v_peak", p.v_peak, k_.v_peak);
        if (!(k_.v_reset < k_.v_peak))
            detail::fail_parameter(who, "v_reset", p.v_reset, "must be < v_peak in the scalar type");
        if (!(k_.v_t < k_.v_peak)) detail::fail_parameter(who, "v_t", p.v_t, "must be < v_peak in the scalar type");
        const S peak_current = S(k_.g_l * k_.delta_t * std::exp(S((k_.v_peak - k_.v_t) * k_.inv_delta_t)));
        detail::require_finite_coefficient(who, "delta_t", p.delta_t, peak_current * k_.inv_c_m,
                                           "g_l delta_t exp((v_peak - v_t) / delta_t) / c_m must be finite "
                                           "in the scalar type");
        detail::require_finite_coefficient(who, "v_init", *p_.v_init, S(*p_.v_init));
        detail::require_finite_coefficient(who, "w_init", p.w_init, S(p.w_init));
    }

    /// The validated parameters (with `v_init` filled in).
    [[nodiscard]] const adex_parameters& parameters() const noexcept { return p_; }
    /// The coefficients the equations read, in this model's scalar.
    [[nodiscard]] const adex_coefficients<S>& coefficients() const noexcept { return k_; }

    // --- Model interface: the equations instantiated with S ------------------------------------
    /// The state at the start of a run: (v_init, w_init).
    [[nodiscard]] state_type initial_state() const { return {S(*p_.v_init), S(p_.w_init)}; }
    /// The right-hand side (dV/dt [mV/ms], dw/dt [nA/ms]) at state x and input current i [nA].
    [[nodiscard]] state_type derivative(double /*t*/, const state_type& x, double i) const {
        return pack(equations::derivative(k_, unpack(x), S(i)));
    }
    /// The membrane potential of a state: x[0] [mV].
    [[nodiscard]] S voltage(const state_type& x) const { return x[0]; }
    /// A spike is emitted when V reaches this value: V_peak [mV].
    [[nodiscard]] double threshold() const noexcept { return p_.v_peak; }
    /// The state after a spike: V = V_reset, w + b.
    [[nodiscard]] state_type reset(const state_type& x) const { return pack(equations::reset(k_, unpack(x))); }
    /// How long V is held at V_reset after a spike: t_ref [ms].
    [[nodiscard]] double refractory_period() const noexcept { return p_.t_ref; }
    /// A synaptic event: adds `weight` [mV] to V.
    [[nodiscard]] state_type receive(const state_type& x, port /*where*/, double weight) const {
        state_type y = x;
        y[0] += S(weight);
        return y;
    }

private:
    static equations::state<S> unpack(const state_type& x) { return {x[0], x[1]}; }
    static state_type pack(const equations::state<S>& x) { return {x.v, x.w}; }

    adex_parameters p_;
    adex_coefficients<S> k_{};
};

/// `basic_adex` in double precision.
using adex = basic_adex<double>;

}  // namespace iaf
