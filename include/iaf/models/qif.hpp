#pragma once
/// \file
/// The quadratic integrate-and-fire neuron (Ermentrout & Kopell 1986; Latham, Richmond, Nelson &
/// Nirenberg 2000, J Neurophysiol 83:808; in the form of Gerstner, Kistler, Naud & Paninski 2014,
/// Neuronal Dynamics, sec. 5.3: tau du/dt = a_0 (u - u_rest)(u - u_c) + R I).

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>

#include "../concepts.hpp"
#include "../errors.hpp"
#include "../value.hpp"

namespace iaf {

/// Parameters of `qif`. Units: ms, mV, nA, MOhm, 1/mV. The defaults are the values D. Rotermund's
/// teaching notes on Neuronal Dynamics' QIF use (tau 10 ms, R 10 MOhm, a_0 0.1/mV, u_rest -70 mV,
/// u_c -55 mV, firing threshold -40 mV), with the reset at rest: the rheobase is
/// a (V_c - V_rest)^2 / (4 R) = 0.5625 nA.
struct qif_parameters {
    double tau_m = 10.0;     ///< membrane time constant [ms], > 0
    double r_m = 10.0;       ///< membrane resistance [MOhm], > 0
    double a = 0.1;          ///< curvature a_0 of the quadratic [1/mV], > 0
    double v_rest = -70.0;   ///< resting potential, the stable fixed point without input [mV]
    double v_c = -55.0;      ///< critical potential, the unstable fixed point without input [mV], > v_rest
    double v_peak = -40.0;   ///< spike cut-off [mV], > v_c: the threshold, and where the right-hand side is held
    double v_reset = -70.0;  ///< potential right after a spike [mV], < v_peak
    std::optional<double> v_init{};  ///< initial potential [mV]; v_rest when not given
    double t_ref = 0.0;      ///< absolute refractory period, V held at v_reset [ms], >= 0
};

/// What the QIF's equations read, in any value type T.
template <typename T>
struct qif_coefficients {
    T v_rest;      ///< [mV]
    T v_c;         ///< [mV]
    T v_peak;      ///< [mV]
    T v_reset;     ///< [mV]
    T a_over_tau;  ///< a / tau_m [1/(mV ms)]
    T r_over_tau;  ///< r_m / tau_m [MOhm/ms = mV/(nA ms)]
};

/// Where synaptic events land on a QIF: `v`, a jump of V by the weight [mV]. Shared by
/// `basic_qif<double>` and `basic_qif<float>`.
enum class qif_port { v };

/// The QIF's equations, written once over any value type T and coefficients K (`qif_coefficients`
/// of T or of its scalar): `tau dV/dt = a (V - V_rest)(V - V_c) + R I`, evaluated at
/// min(V, V_peak); a spike when V >= V_peak, then V = V_reset.
struct qif_equations {
    /// dV/dt [mV/ms] at min(V, V_peak): the quadratic reaches +infinity in finite time, and holding
    /// it at V_peak keeps every integrator finite on the step that crosses (see `Model`).
    template <typename T, typename K>
    [[nodiscard]] static T derivative(const K& k, const T& v, const T& i) {
        const T u = iaf::min(v, broadcast<T>(k.v_peak));
        return T(k.a_over_tau * (u - k.v_rest) * (u - k.v_c) + k.r_over_tau * i);
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

/// Quadratic integrate-and-fire neuron: `tau dV/dt = a (V - V_rest)(V - V_c) + R I(t)`, spike when
/// V >= V_peak, then V = V_reset held for t_ref. Below the rheobase a (V_c - V_rest)^2 / (4 R) a
/// constant current leaves a stable fixed point below (V_rest + V_c)/2 and V settles there (if it
/// starts below the unstable one); above, V runs off to +infinity in finite time, cut at V_peak.
/// The state is V [mV] in the scalar S. Input port `port::v`: a delta synapse, V jumps by the
/// weight [mV]. Non-linear: no `linear_dynamics`, so `iaf::exact` refuses it at compile time; use
/// `rk4` with `hermite`, or `dopri5` with `analytic`.
///
/// Example: `iaf::qif neuron{{.tau_m = 10, .r_m = 10, .a = 0.1, .v_rest = -70, .v_c = -55}};`
template <typename S>
class basic_qif {
public:
    /// The state: V [mV] alone.
    using state_type = S;
    /// The scalar the equations run in (`double` or `float`).
    using scalar_type = S;
    /// The equations over any value type, shared with `iaf::population`.
    using equations = qif_equations;
    /// Where synaptic events land: `v`, a jump of V by the weight [mV].
    using port = qif_port;
    /// A refractory period holds V (the only component) at V_reset.
    static constexpr std::array<bool, 1> refractory_clamped{true};

    /// Validates every parameter; throws `invalid_parameter` naming the one that is wrong.
    explicit basic_qif(const qif_parameters& p = {}) : p_(p) {
        constexpr const char* who = "iaf::qif";
        detail::require_positive(who, "tau_m", p.tau_m);
        detail::require_positive(who, "r_m", p.r_m);
        detail::require_positive(who, "a", p.a);
        detail::require_finite(who, "v_rest", p.v_rest);
        detail::require_finite(who, "v_c", p.v_c);
        detail::require_finite(who, "v_peak", p.v_peak);
        detail::require_finite(who, "v_reset", p.v_reset);
        if (!(p.v_c > p.v_rest)) detail::fail_parameter(who, "v_c", p.v_c, "must be > v_rest");
        if (!(p.v_peak > p.v_c)) detail::fail_parameter(who, "v_peak", p.v_peak, "must be > v_c");
        if (!(p.v_reset < p.v_peak)) detail::fail_parameter(who, "v_reset", p.v_reset, "must be < v_peak");
        p_.v_init = p.v_init.value_or(p.v_rest);
        detail::require_finite(who, "v_init", *p_.v_init);
        detail::require_non_negative(who, "t_ref", p.t_ref);
        k_ = {S(p.v_rest), S(p.v_c), S(p.v_peak), S(p.v_reset), S(p.a / p.tau_m), S(p.r_m / p.tau_m)};
        // The equations read these coefficients: the quotients can overflow or underflow, and in a
        // narrower S (float) any value may overflow and two may become equal.
        detail::require_finite_coefficient(who, "a", p.a, k_.a_over_tau,
                                           "a / tau_m must be finite in the scalar type");
        if (!(k_.a_over_tau > S(0))) detail::fail_parameter(who, "a", p.a, "a / tau_m must be > 0 in the scalar type");
        detail::require_finite_coefficient(who, "r_m", p.r_m, k_.r_over_tau,
                                           "r_m / tau_m must be finite in the scalar type");
        if (!(k_.r_over_tau > S(0))) detail::fail_parameter(who, "r_m", p.r_m, "r_m / tau_m must be > 0 in the scalar type");
        detail::require_finite_coefficient(who, "v_rest", p.v_rest, k_.v_rest);
        detail::require_finite_coefficient(who, "v_c", p.v_c, k_.v_c);
        detail::require_finite_coefficient(who, "v_peak", p.v_peak, k_.v_peak);
        detail::require_finite_coefficient(who, "v_reset", p.v_reset, k_.v_reset);
        if (!(k_.v_c > k_.v_rest)) detail::fail_parameter(who, "v_c", p.v_c, "must be > v_rest in the scalar type");
        if (!(k_.v_peak > k_.v_c)) detail::fail_parameter(who, "v_peak", p.v_peak, "must be > v_c in the scalar type");
        if (!(k_.v_reset < k_.v_peak))
            detail::fail_parameter(who, "v_reset", p.v_reset, "must be < v_peak in the scalar type");
        detail::require_finite_coefficient(who, "v_init", *p_.v_init, S(*p_.v_init));
        // The largest rate without input, at V_peak or at V_reset far below V_rest: finite, or
        // every step from there is inf.
        const double extreme = std::min(p.v_reset, *p_.v_init);
        const S at_peak = equations::derivative(k_, k_.v_peak, S(0));
        const S at_low = equations::derivative(k_, S(extreme), S(0));
        detail::require_finite_coefficient(who, "v_peak", p.v_peak, at_peak,
                                           "dV/dt at v_peak must be finite in the scalar type");
        detail::require_finite_coefficient(who, extreme == p.v_reset ? "v_reset" : "v_init", extreme, at_low,
                                           "dV/dt there must be finite in the scalar type");
    }

    /// The validated parameters (with `v_init` filled in).
    [[nodiscard]] const qif_parameters& parameters() const noexcept { return p_; }
    /// The coefficients the equations read, in this model's scalar.
    [[nodiscard]] const qif_coefficients<S>& coefficients() const noexcept { return k_; }
    /// The rheobase a (V_c - V_rest)^2 / (4 R) [nA]: the least constant current that fires.
    [[nodiscard]] double rheobase() const noexcept {
        const double half_width = 0.5 * (p_.v_c - p_.v_rest);
        return p_.a * half_width * half_width / p_.r_m;
    }

    // --- Model interface: the equations instantiated with S ------------------------------------
    /// V at the start of a run: v_init [mV].
    [[nodiscard]] state_type initial_state() const noexcept { return S(*p_.v_init); }
    /// dV/dt = (a (V - V_rest)(V - V_c) + R I) / tau_m at min(V, V_peak) [mV/ms].
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
    qif_parameters p_;
    qif_coefficients<S> k_{};
};

/// The QIF in double precision.
using qif = basic_qif<double>;

}  // namespace iaf
