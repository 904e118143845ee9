#pragma once
/// \file
/// The exponential integrate-and-fire neuron (Fourcaud-Trocmé, Hansel, van Vreeswijk & Brunel
/// 2003, J Neurosci 23:11628).

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include "../concepts.hpp"
#include "../errors.hpp"
#include "../value.hpp"

namespace iaf {

/// Parameters of `eif`. Units: ms, mV, nA, nF, uS. The defaults are Fourcaud-Trocmé et al.'s
/// (2003) EIF fitted to the Wang-Buzsaki model (tau_m = 10 ms, E_L = -65 mV, V_T = -59.9 mV,
/// Delta_T = 3.48 mV, reset -68 mV, spike cut-off -30 mV; as BrainPy's ExpIF also takes them), on
/// a membrane of 1e-4 cm^2: C = 1 uF/cm^2 -> 0.1 nF, g_L = 0.1 mS/cm^2 -> 0.01 uS. The rheobase
/// g_L (V_T - E_L - Delta_T) is then 0.0162 nA.
struct eif_parameters {
    double c_m = 0.1;        ///< membrane capacitance [nF], > 0
    double g_l = 0.01;       ///< leak conductance [uS], > 0 (tau_m = c_m / g_l [ms])
    double e_l = -65.0;      ///< leak reversal potential [mV]
    double v_t = -59.9;      ///< exponential threshold, where the spike current takes over [mV]
    double delta_t = 3.48;   ///< slope factor Delta_T [mV], > 0
    double v_peak = -30.0;   ///< spike cut-off [mV], > v_t: the threshold, and where the right-hand side is held
    double v_reset = -68.0;  ///< potential right after a spike [mV], < v_peak
    std::optional<double> v_init{};  ///< initial potential [mV]; e_l when not given
    double t_ref = 0.0;      ///< absolute refractory period, V held at v_reset [ms], >= 0
};

/// What the EIF's equations read, in any value type T.
template <typename T>
struct eif_coefficients {
    T e_l;              ///< [mV]
    T v_t;              ///< [mV]
    T v_peak;           ///< [mV]
    T v_reset;          ///< [mV]
    T inv_delta_t;      ///< 1 / Delta_T [1/mV]
    T inv_tau_m;        ///< g_L / C [1/ms]
    T delta_t_over_tau; ///< g_L Delta_T / C [mV/ms]
    T inv_c_m;          ///< 1 / C [1/nF]
};

/// Where synaptic events land on an EIF: `v`, a jump of V by the weight [mV]. Shared by
/// `basic_eif<double>` and `basic_eif<float>`.
enum class eif_port { v };

/// The EIF's equations, written once over any value type T and coefficients K (`eif_coefficients`
/// of T or of its scalar): `C dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_T)/Delta_T) + I`,
/// evaluated at min(V, V_peak); a spike when V >= V_peak, then V = V_reset.
struct eif_equations {
    /// dV/dt [mV/ms] at min(V, V_peak): the exponential reaches +infinity in finite time, and
    /// holding it at V_peak keeps every integrator finite on the step that crosses (see `Model`;
    /// NEST's aeif models clamp V in the exponential the same way).
    template <typename T, typename K>
    [[nodiscard]] static T derivative(const K& k, const T& v, const T& i) {
        const T u = iaf::min(v, broadcast<T>(k.v_peak));
        const T spike_drive = k.delta_t_over_tau * iaf::exp(T((u - k.v_t) * k.inv_delta_t));
        return T((k.e_l - u) * k.inv_tau_m + spike_drive + i * k.inv_c_m);
    }
    /// Whether V reached V_peak: a bool, or a mask over lanes.
    template <typename T, typename K>
    [[nodiscard]] static auto spiked(const K& k, const T& v) {
        return evaluated(v >= k.v_peak);
    }
    /// V right after a spike.
    template <typename T, typename K>
    [[nodiscard]] static T reset(const K& k, const T& /*v*/) {
        return broadcast<T>(k.v_reset);
    }
    /// A delta synapse: V jumps by w [mV].
    template <typename T>
    [[nodiscard]] static T receive(const T& v, const T& w) {
        return T(v + w);
    }
};

/// Exponential integrate-and-fire neuron (Fourcaud-Trocmé et al. 2003):
/// `C dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_T)/Delta_T) + I(t)`, spike when
/// V >= V_peak, then V = V_reset held for t_ref. With V_T - E_L > Delta_T a constant current
/// below the rheobase g_L (V_T - E_L - Delta_T) leaves a stable fixed point below V_T where V
/// settles; above it V runs off to +infinity in finite time, cut at V_peak. The state is V [mV] in
/// the scalar S. Input port `port::v`: a delta synapse, V jumps by the weight [mV]. Non-linear: no
/// `linear_dynamics`, so `iaf::exact` refuses it at compile time; use `rk4` with `hermite`, or
/// `dopri5` with `analytic`.
///
/// Example: `iaf::eif neuron{{.c_m = 0.1, .g_l = 0.01, .v_t = -59.9, .delta_t = 3.48}};`
template <typename S>
class basic_eif {
public:
    /// The state: V [mV] alone.
    using state_type = S;
    /// The scalar the equations run in (`double` or `float`).
    using scalar_type = S;
    /// The equations over any value type, shared with `iaf::population`.
    using equations = eif_equations;
    /// Where synaptic events land: `v`, a jump of V by the weight [mV].
    using port = eif_port;
    /// A refractory period holds V (the only component) at V_reset.
    static constexpr std::array<bool, 1> refractory_clamped{true};

    /// Validates every parameter; throws `invalid_parameter` naming the one that is wrong.
    explicit basic_eif(const eif_parameters& p = {}) : p_(p) {
        constexpr const char* who = "iaf::eif";
        detail::require_positive(who, "c_m", p.c_m);
        detail::require_positive(who, "g_l", p.g_l);
        detail::require_positive(who, "delta_t", p.delta_t);
        detail::require_finite(who, "e_l", p.e_l);
        detail::require_finite(who, "v_t", p.v_t);
        detail::require_finite(who, "v_peak", p.v_peak);
        detail::require_finite(who, "v_reset", p.v_reset);
        if (!(p.v_peak > p.v_t)) detail::fail_parameter(who, "v_peak", p.v_peak, "must be > v_t");
        if (!(p.v_reset < p.v_peak)) detail::fail_parameter(who, "v_reset", p.v_reset, "must be < v_peak");
        p_.v_init = p.v_init.value_or(p.e_l);
        detail::require_finite(who, "v_init", *p_.v_init);
        detail::require_non_negative(who, "t_ref", p.t_ref);
        const double inv_tau_m = p.g_l / p.c_m;
        k_ = {S(p.e_l),          S(p.v_t),       S(p.v_peak),
              S(p.v_reset),      S(1.0 / p.delta_t), S(inv_tau_m),
              S(inv_tau_m * p.delta_t), S(1.0 / p.c_m)};
        // The equations read these coefficients: the quotients can overflow or underflow, and in a
        // narrower S (float) any value may overflow and two may become equal.
        detail::require_finite_coefficient(who, "c_m", p.c_m, k_.inv_c_m,
                                           "1 / c_m must be finite in the scalar type");
        detail::require_finite_coefficient(who, "g_l", p.g_l, k_.inv_tau_m,
                                           "g_l / c_m must be finite in the scalar type");
        if (!(k_.inv_tau_m > S(0))) detail::fail_parameter(who, "g_l", p.g_l, "g_l / c_m must be > 0 in the scalar type");
        detail::require_finite_coefficient(who, "delta_t", p.delta_t, k_.inv_delta_t,
                                           "1 / delta_t must be finite in the scalar type");
        detail::require_finite_coefficient(who, "delta_t", p.delta_t, k_.delta_t_over_tau,
                                           "g_l delta_t / c_m must be finite in the scalar type");
        detail::require_finite_coefficient(who, "e_l", p.e_l, k_.e_l);
        detail::require_finite_coefficient(who, "v_t", p.v_t, k_.v_t);
        detail::require_finite_coefficient(who, "v_peak", p.v_peak, k_.v_peak);
        detail::require_finite_coefficient(who, "v_reset", p.v_reset, k_.v_reset);
        if (!(k_.v_peak > k_.v_t)) detail::fail_parameter(who, "v_peak", p.v_peak, "must be > v_t in the scalar type");
        if (!(k_.v_reset < k_.v_peak))
            detail::fail_parameter(who, "v_reset", p.v_reset, "must be < v_peak in the scalar type");
        detail::require_finite_coefficient(who, "v_init", *p_.v_init, S(*p_.v_init));
        // The largest rate the equations can reach is at V_peak, the exponential's cap: it must be
        // finite, or the step that crosses it is inf (float overflows at (v_peak - v_t)/delta_t ~ 88).
        const S at_peak = equations::derivative(k_, k_.v_peak, S(0));
        detail::require_finite_coefficient(who, "v_peak", p.v_peak, at_peak,
                                           "dV/dt at v_peak, g_l delta_t exp((v_peak - v_t)/delta_t) / c_m, "
                                           "must be finite in the scalar type");
        const double lowest = std::min(p.v_reset, *p_.v_init);
        const S at_lowest = equations::derivative(k_, S(lowest), S(0));
        detail::require_finite_coefficient(who, lowest == p.v_reset ? "v_reset" : "v_init", lowest, at_lowest,
                                           "dV/dt there must be finite in the scalar type");
    }

    /// The validated parameters (with `v_init` filled in).
    [[nodiscard]] const eif_parameters& parameters() const noexcept { return p_; }
    /// The coefficients the equations read, in this model's scalar.
    [[nodiscard]] const eif_coefficients<S>& coefficients() const noexcept { return k_; }
    /// Membrane time constant C / g_L [ms].
    [[nodiscard]] double tau_m() const noexcept { return p_.c_m / p_.g_l; }
    /// The rheobase g_L (V_T - E_L - Delta_T) [nA], the least constant current that fires, when
    /// V_T - E_L > Delta_T; otherwise there is no subthreshold fixed point to lose and it is 0 or
    /// below (the neuron may fire without input).
    [[nodiscard]] double rheobase() const noexcept { return p_.g_l * (p_.v_t - p_.e_l - p_.delta_t); }

    // --- Model interface: the equations instantiated with S ------------------------------------
    /// V at the start of a run: v_init [mV].
    [[nodiscard]] state_type initial_state() const noexcept { return S(*p_.v_init); }
    /// dV/dt [mV/ms] at min(V, V_peak).
    [[nodiscard]] S derivative(double /*t*/, S v, double i) const noexcept {
        return equations::derivative(k_, v, S(i));
    }
    /// The membrane potential of a state: V itself [mV].
    [[nodiscard]] S voltage(S v) const noexcept { return v; }
    /// A spike is emitted when V reaches this value: V_peak [mV].
    [[nodiscard]] double threshold() const noexcept { return p_.v_peak; }
    /// The state after a spike: V_reset [mV].
    [[nodiscard]] S reset(S v) const noexcept { return equations::reset(k_, v); }
    /// How long V is held at V_reset after a spike: t_ref [ms].
    [[nodiscard]] double refractory_period() const noexcept { return p_.t_ref; }
    /// A synaptic event on port `v`: V jumps by `weight` [mV].
    [[nodiscard]] S receive(S v, port /*where*/, double weight) const noexcept {
        return equations::receive(v, S(weight));
    }

private:
    eif_parameters p_;
    eif_coefficients<S> k_{};
};

/// The EIF in double precision.
using eif = basic_eif<double>;

}  // namespace iaf
