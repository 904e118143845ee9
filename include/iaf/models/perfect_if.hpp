#pragma once
/// \file
/// The perfect (non-leaky) integrate-and-fire neuron (Lapicque 1907; Stein 1965; see Gerstner,
/// Kistler, Naud & Paninski 2014, Neuronal Dynamics, ch. 1.3 and 8, and Burkitt 2006, Biol Cybern
/// 95:1, sec. 2.1).

#include <array>
#include <cmath>
#include <optional>

#include "../concepts.hpp"
#include "../errors.hpp"
#include "../linear_dynamics.hpp"
#include "../value.hpp"

namespace iaf {

/// Parameters of `perfect_if`. Units: ms, mV, nA, nF. The defaults (C = 0.25 nF, threshold
/// 15 mV above a reset at 0 mV) are the LIF's of `lif_parameters` without the leak, so a 1 nA
/// drive fires every C (V_th - V_reset) / I = 3.75 ms.
struct perfect_if_parameters {
    double c_m = 0.25;              ///< membrane capacitance [nF], > 0
    double v_th = 15.0;             ///< spike threshold [mV]
    double v_reset = 0.0;           ///< potential right after a spike [mV], < v_th
    std::optional<double> v_init{};  ///< initial potential [mV]; v_reset when not given
    double t_ref = 0.0;             ///< absolute refractory period, V held at v_reset [ms], >= 0
};

/// What the perfect IF's equations read, in any value type T.
template <typename T>
struct perfect_if_coefficients {
    T v_th;     ///< [mV]
    T v_reset;  ///< [mV]
    T inv_c_m;  ///< 1 / c_m [1/nF]
};

/// Where synaptic events land on a perfect IF: `v`, a jump of V by the weight [mV]. Shared by
/// `basic_perfect_if<double>` and `basic_perfect_if<float>`.
enum class perfect_if_port { v };

/// The perfect IF's equations, written once over any value type T and coefficients K
/// (`perfect_if_coefficients` of T or of its scalar): `C dV/dt = I`, a spike when V >= V_th, then
/// V = V_reset.
struct perfect_if_equations {
    /// dV/dt = I / C [mV/ms]: V integrates the current, nothing pulls it back.
    template <typename T, typename K>
    [[nodiscard]] static T derivative(const K& k, const T& /*v*/, const T& i) {
        return T(i * k.inv_c_m);
    }
    /// Whether V reached the threshold: a bool, or a mask over lanes.
    template <typename T, typename K>
    [[nodiscard]] static auto spiked(const K& k, const T& v) {
        return evaluated(v >= k.v_th);
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
    /// dV/dt = 0 V + I / C as data, for `exact` (A = 0: the propagator is the identity plus h I/C).
    template <typename S, typename K>
    [[nodiscard]] static linear_dynamics<S, 1> dynamics(const K& k) {
        linear_dynamics<S, 1> d;
        d.a(0, 0) = S(0);
        d.rest(0) = S(0);  // with A = 0 the rest point is never read; 0 keeps it finite
        d.gain = k.inv_c_m;
        return d;
    }
};

/// Perfect (non-leaky) integrate-and-fire neuron: `C dV/dt = I(t)`, spike when V >= V_th, then
/// V = V_reset held for t_ref. Under a constant current I > 0 it fires every
/// `C (V_th - V_reset) / I + t_ref`; with I <= 0 it never fires (nor does V settle: it drifts down
/// without bound). The state is V [mV] in the scalar S (`double`, or `float` for
/// `basic_perfect_if<float>`). Input port `port::v`: a delta synapse, V jumps by the weight [mV].
/// Its dynamics are linear (A = 0), so `iaf::exact` with `iaf::analytic` gives spike times to
/// round-off.
///
/// Example: `iaf::perfect_if neuron{{.c_m = 0.25, .v_th = 15.0, .v_reset = 0.0, .t_ref = 2.0}};`
template <typename S>
class basic_perfect_if {
public:
    /// The state: V [mV] alone.
    using state_type = S;
    /// The scalar the equations run in (`double` or `float`).
    using scalar_type = S;
    /// The equations over any value type, shared with `iaf::population`.
    using equations = perfect_if_equations;
    /// Where synaptic events land: `v`, a jump of V by the weight [mV].
    using port = perfect_if_port;
    /// A refractory period holds V (the only component) at V_reset.
    static constexpr std::array<bool, 1> refractory_clamped{true};

    /// Validates every parameter; throws `invalid_parameter` naming the one that is wrong.
    explicit basic_perfect_if(const perfect_if_parameters& p = {})
        : c_m_(p.c_m), v_th_(p.v_th), v_reset_(p.v_reset), t_ref_(p.t_ref) {
        constexpr const char* who = "iaf::perfect_if";
        detail::require_positive(who, "c_m", c_m_);
        detail::require_threshold_above_reset(who, v_th_, v_reset_);
        v_init_ = p.v_init.value_or(v_reset_);
        detail::require_finite(who, "v_init", v_init_);
        detail::require_non_negative(who, "t_ref", t_ref_);
        k_ = {S(v_th_), S(v_reset_), S(1.0 / c_m_)};
        // The equations read these coefficients: 1 / c_m overflows for a subnormal c_m, and in a
        // narrower S (float) any value may overflow and v_reset and v_th may become equal.
        detail::require_finite_coefficient(who, "c_m", c_m_, k_.inv_c_m,
                                           "1 / c_m must be finite in the scalar type");
        detail::require_threshold_above_reset_in(who, v_th_, v_reset_, k_.v_th, k_.v_reset);
        detail::require_finite_coefficient(who, "v_init", v_init_, S(v_init_));
    }

    /// Membrane capacitance C [nF].
    [[nodiscard]] double c_m() const noexcept { return c_m_; }
    /// Threshold V_th [mV].
    [[nodiscard]] double v_th() const noexcept { return v_th_; }
    /// Reset potential V_reset [mV], < V_th.
    [[nodiscard]] double v_reset() const noexcept { return v_reset_; }
    /// Initial potential [mV] (V_reset unless given).
    [[nodiscard]] double v_init() const noexcept { return v_init_; }
    /// Refractory period t_ref [ms], >= 0.
    [[nodiscard]] double t_ref() const noexcept { return t_ref_; }
    /// The coefficients the equations read, in this model's scalar.
    [[nodiscard]] const perfect_if_coefficients<S>& coefficients() const noexcept { return k_; }

    // --- Model interface: the equations instantiated with S ------------------------------------
    /// V at the start of a run: v_init [mV].
    [[nodiscard]] state_type initial_state() const noexcept { return S(v_init_); }
    /// dV/dt = I / C [mV/ms].
    [[nodiscard]] S derivative(double /*t*/, S v, double i) const noexcept {
        return equations::derivative(k_, v, S(i));
    }
    /// The part of the derivative linear in V: none, 0 (see `AffineModel`).
    [[nodiscard]] S homogeneous_derivative(S /*v*/) const noexcept { return S(0); }
    /// The membrane potential of a state: V itself [mV].
    [[nodiscard]] S voltage(S v) const noexcept { return v; }
    /// A spike is emitted when V reaches this value: V_th [mV].
    [[nodiscard]] double threshold() const noexcept { return v_th_; }
    /// The state after a spike: V_reset [mV].
    [[nodiscard]] S reset(S v) const noexcept { return equations::reset(k_, v); }
    /// How long V is held at V_reset after a spike: t_ref [ms].
    [[nodiscard]] double refractory_period() const noexcept { return t_ref_; }
    /// A synaptic event on port `v`: V jumps by `weight` [mV].
    [[nodiscard]] S receive(S v, port /*where*/, double weight) const noexcept {
        return equations::receive(v, S(weight));
    }

    /// The subthreshold dynamics as data (see `LinearModel`): `exact` builds the propagator.
    [[nodiscard]] iaf::linear_dynamics<S, 1> linear_dynamics() const { return equations::dynamics<S>(k_); }

private:
    double c_m_, v_th_, v_reset_, v_init_ = 0, t_ref_;
    perfect_if_coefficients<S> k_{};
};

/// The perfect IF in double precision.
using perfect_if = basic_perfect_if<double>;

}  // namespace iaf
