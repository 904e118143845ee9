#pragma once
/// \file
/// The leaky integrate-and-fire neuron (Lapicque 1907; Stein 1965; see Gerstner & Kistler 2002).

#include <array>
#include <cmath>
#include <optional>

#include "../concepts.hpp"
#include "../errors.hpp"
#include "../linear_dynamics.hpp"
#include "../value.hpp"

namespace iaf {

/// Parameters of `lif`. Give any two of `tau_m`, `r_m`, `c_m` (or all three, consistent); with
/// none, tau_m = 10 ms and c_m = 0.25 nF. Units: ms, mV, nA, MOhm, nF.
struct lif_parameters {
    std::optional<double> tau_m{};  ///< membrane time constant r_m * c_m [ms], > 0
    std::optional<double> r_m{};    ///< membrane resistance [MOhm], > 0
    std::optional<double> c_m{};    ///< membrane capacitance [nF], > 0
    double e_l = 0.0;             ///< leak reversal potential, where V relaxes without input [mV]
    double v_th = 15.0;           ///< spike threshold [mV]
    double v_reset = 0.0;         ///< potential right after a spike [mV], < v_th
    std::optional<double> v_init{};  ///< initial potential [mV]; e_l when not given
    double t_ref = 0.0;           ///< absolute refractory period, V held at v_reset [ms], >= 0
};

/// What the LIF's equations read, in any value type T: one scalar for a neuron, shared scalars
/// or per-neuron lanes for a population.
template <typename T>
struct lif_coefficients {
    T e_l;        ///< [mV]
    T v_th;       ///< [mV]
    T v_reset;    ///< [mV]
    T inv_tau_m;  ///< 1 / tau_m [1/ms]
    T inv_c_m;    ///< 1 / c_m [1/nF]
};

/// Where synaptic events land on a LIF: `v`, a jump of V by the weight [mV]. Shared by
/// `basic_lif<double>` and `basic_lif<float>`.
enum class lif_port { v };

/// The LIF's equations, written once over any value type T (`double`, `float`, fixed-size Eigen
/// arrays as SIMD lanes) and coefficients K (`lif_coefficients` of T or of its scalar):
/// `C dV/dt = -(V - E_L)/R + I`, a spike when V >= V_th, then V = V_reset.
struct lif_equations {
    /// dV/dt [mV/ms]. Written as (E_L - V)/tau + I/C: two operations depend on V instead of four,
    /// which shortens the dependency chain of every Runge-Kutta stage.
    template <typename T, typename K>
    [[nodiscard]] static T derivative(const K& k, const T& v, const T& i) {
        return T((k.e_l - v) * k.inv_tau_m + i * k.inv_c_m);
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
    /// dV/dt = -V/tau_m + E_L/tau_m + I/C_m as data, for `exact`.
    template <typename S, typename K>
    [[nodiscard]] static linear_dynamics<S, 1> dynamics(const K& k) {
        linear_dynamics<S, 1> d;
        d.a(0, 0) = -k.inv_tau_m;
        d.rest(0) = k.e_l;
        d.gain = k.inv_c_m;
        return d;
    }
};

/// Leaky integrate-and-fire neuron: `C dV/dt = -(V - E_L)/R + I(t)`, spike when V >= V_th,
/// then V = V_reset held for t_ref. The state is V [mV] in the scalar S (`double`, or `float` for
/// `basic_lif<float>`). Input port `port::v`: a delta synapse, V jumps by the weight [mV].
///
/// Example (the teaching notebook's neuron, whose leak pulls V to 0 and which starts and resets
/// at 0.4 mV):
///     iaf::lif neuron{{.r_m = 6.4, .c_m = 0.9, .v_th = 5.0, .v_reset = 0.4, .v_init = 0.4}};
template <typename S>
class basic_lif {
public:
    /// The state: V [mV] alone.
    using state_type = S;
    /// The scalar the equations run in (`double` or `float`).
    using scalar_type = S;
    /// The equations over any value type, shared with `iaf::population`.
    using equations = lif_equations;
    /// Where synaptic events land: `v`, a jump of V by the weight [mV].
    using port = lif_port;
    /// A refractory period holds V (the only component) at V_reset.
    static constexpr std::array<bool, 1> refractory_clamped{true};

    /// Validates every parameter; throws `invalid_parameter` naming the one that is wrong.
    explicit basic_lif(const lif_parameters& p = {}) : e_l_(p.e_l), v_th_(p.v_th), v_reset_(p.v_reset), t_ref_(p.t_ref) {
        constexpr const char* who = "iaf::lif";
        const int given = int(p.r_m.has_value()) + int(p.c_m.has_value()) + int(p.tau_m.has_value());
        if (p.r_m) detail::require_positive(who, "r_m", *p.r_m);
        if (p.c_m) detail::require_positive(who, "c_m", *p.c_m);
        if (p.tau_m) detail::require_positive(who, "tau_m", *p.tau_m);
        if (given == 0) {
            tau_m_ = 10.0;
            c_m_ = 0.25;
            r_m_ = tau_m_ / c_m_;
        } else if (given == 1) {
            const double value = p.r_m ? *p.r_m : p.c_m ? *p.c_m : *p.tau_m;
            detail::fail_parameter(who, p.r_m ? "r_m" : p.c_m ? "c_m" : "tau_m", value,
                                   "give two of r_m, c_m, tau_m");
        } else if (!p.tau_m) {
            r_m_ = *p.r_m;
            c_m_ = *p.c_m;
            tau_m_ = r_m_ * c_m_;
        } else if (!p.r_m) {
            tau_m_ = *p.tau_m;
            c_m_ = *p.c_m;
            r_m_ = tau_m_ / c_m_;
        } else if (!p.c_m) {
            tau_m_ = *p.tau_m;
            r_m_ = *p.r_m;
            c_m_ = tau_m_ / r_m_;
        } else {
            r_m_ = *p.r_m;
            c_m_ = *p.c_m;
            tau_m_ = *p.tau_m;
            if (std::abs(r_m_ * c_m_ - tau_m_) > 1e-12 * tau_m_)
                detail::fail_parameter(who, "tau_m", tau_m_, "must equal r_m * c_m when all three are given");
        }
        // Derived values can overflow or underflow (r_m = 1e200, c_m = 1e200): check them too.
        detail::require_positive(who, "tau_m (derived)", tau_m_);
        detail::require_positive(who, "r_m (derived)", r_m_);
        detail::require_positive(who, "c_m (derived)", c_m_);
        detail::require_finite(who, "e_l", e_l_);
        detail::require_threshold_above_reset(who, v_th_, v_reset_);
        v_init_ = p.v_init.value_or(e_l_);
        detail::require_finite(who, "v_init", v_init_);
        detail::require_non_negative(who, "t_ref", t_ref_);
        k_ = {S(e_l_), S(v_th_), S(v_reset_), S(1.0 / tau_m_), S(1.0 / c_m_)};
        // The equations read these coefficients: 1 / tau_m and 1 / c_m overflow for subnormal
        // values (tau_m = 1e-310), and in a narrower S (float) any value may overflow and two may
        // become equal.
        detail::require_finite_coefficient(who, "tau_m (derived)", tau_m_, k_.inv_tau_m,
                                           "1 / tau_m must be finite in the scalar type");
        detail::require_finite_coefficient(who, "c_m (derived)", c_m_, k_.inv_c_m,
                                           "1 / c_m must be finite in the scalar type");
        detail::require_finite_coefficient(who, "e_l", e_l_, k_.e_l);
        detail::require_threshold_above_reset_in(who, v_th_, v_reset_, k_.v_th, k_.v_reset);
        detail::require_finite_coefficient(who, "v_init", v_init_, S(v_init_));
    }

    /// Membrane resistance R [MOhm].
    [[nodiscard]] double r_m() const noexcept { return r_m_; }
    /// Membrane capacitance C [nF].
    [[nodiscard]] double c_m() const noexcept { return c_m_; }
    /// Membrane time constant tau_m = R C [ms].
    [[nodiscard]] double tau_m() const noexcept { return tau_m_; }
    /// Resting (leak reversal) potential E_L [mV].
    [[nodiscard]] double e_l() const noexcept { return e_l_; }
    /// Threshold V_th [mV].
    [[nodiscard]] double v_th() const noexcept { return v_th_; }
    /// Reset potential V_reset [mV], < V_th.
    [[nodiscard]] double v_reset() const noexcept { return v_reset_; }
    /// Initial potential [mV] (E_L unless given).
    [[nodiscard]] double v_init() const noexcept { return v_init_; }
    /// Refractory period t_ref [ms], >= 0.
    [[nodiscard]] double t_ref() const noexcept { return t_ref_; }
    /// The coefficients the equations read, in this model's scalar.
    [[nodiscard]] const lif_coefficients<S>& coefficients() const noexcept { return k_; }

    // --- Model interface: the equations instantiated with S ------------------------------------
    /// V at the start of a run: v_init [mV].
    [[nodiscard]] state_type initial_state() const noexcept { return S(v_init_); }
    /// dV/dt = (I - (V - E_L)/R) / C  [mV/ms]
    [[nodiscard]] S derivative(double /*t*/, S v, double i) const noexcept {
        return equations::derivative(k_, v, S(i));
    }
    /// The part of the derivative linear in V: -V / tau_m (see `AffineModel`).
    [[nodiscard]] S homogeneous_derivative(S v) const noexcept { return -v * k_.inv_tau_m; }
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
    /// The exact propagator over a step of length h (Rotter & Diesmann 1999), as `exact` uses it.
    [[nodiscard]] linear_propagator<S> propagator(double h) const { return {linear_dynamics(), h}; }

private:
    double r_m_ = 0, c_m_ = 0, tau_m_ = 0;
    double e_l_, v_th_, v_reset_, v_init_ = 0, t_ref_;
    lif_coefficients<S> k_{};
};

/// The LIF in double precision.
using lif = basic_lif<double>;

}  // namespace iaf
