#pragma once
/// \file
/// Izhikevich's simple model of spiking neurons (Izhikevich 2003, IEEE Trans Neural Netw 14:1569),
/// with the parameter sets of its Fig. 2 for the cortical cell classes.

#include <array>
#include <cmath>
#include <optional>

#include <Eigen/Core>

#include "../concepts.hpp"
#include "../errors.hpp"
#include "../value.hpp"

namespace iaf {

/// Parameters of `izhikevich`, in the paper's dimensionless-by-convention units (v in mV, t in ms,
/// u in mV/ms) plus the gain that maps iaf's currents [nA] onto the paper's input I [mV/ms].
/// The defaults are the paper's regular-spiking cell; the static functions return the classes of
/// its Fig. 2.
struct izhikevich_parameters {
    double a = 0.02;   ///< recovery rate [1/ms], > 0
    double b = 0.2;    ///< sensitivity of u to v [1]
    double c = -65.0;  ///< potential right after a spike [mV], < v_peak
    double d = 8.0;    ///< jump of u at a spike [mV/ms]
    double v_peak = 30.0;  ///< spike detection, and the clamp of the right-hand side [mV]
    /// The paper's I per nA of iaf's current [mV/(ms nA)]: the model reads I = input_gain * i, so
    /// with the default 1 a current of 10 nA is the paper's I = 10. Must be finite (0 disconnects
    /// the input; a negative gain inverts it).
    double input_gain = 1.0;
    double v_init = -65.0;           ///< initial potential [mV] (the paper's -65)
    std::optional<double> u_init{};  ///< initial recovery variable [mV/ms]; b v_init when not given
    double t_ref = 0.0;              ///< absolute refractory period [ms], >= 0: v held at c, u free

    /// Regular spiking (RS), the paper's excitatory default: a = 0.02, b = 0.2, c = -65, d = 8.
    [[nodiscard]] static izhikevich_parameters regular_spiking() { return {.a = 0.02, .b = 0.2, .c = -65.0, .d = 8.0}; }
    /// Intrinsically bursting (IB): c = -55, d = 4; an initial burst, then single spikes.
    [[nodiscard]] static izhikevich_parameters intrinsically_bursting() {
        return {.a = 0.02, .b = 0.2, .c = -55.0, .d = 4.0};
    }
    /// Chattering (CH): c = -50, d = 2; repetitive bursts of closely spaced spikes.
    [[nodiscard]] static izhikevich_parameters chattering() { return {.a = 0.02, .b = 0.2, .c = -50.0, .d = 2.0}; }
    /// Fast spiking (FS) interneuron: a = 0.1, d = 2; high frequency with little adaptation.
    [[nodiscard]] static izhikevich_parameters fast_spiking() { return {.a = 0.1, .b = 0.2, .c = -65.0, .d = 2.0}; }
};

/// What the equations of `izhikevich` read, in any value type T.
template <typename T>
struct izhikevich_coefficients {
    T a;           ///< [1/ms]
    T b;           ///< [1]
    T c;           ///< [mV]
    T d;           ///< [mV/ms]
    T v_peak;      ///< [mV]
    T input_gain;  ///< [mV/(ms nA)]
};

/// The equations of `izhikevich`, once, over any value type T; the state is (v, u):
///   dv/dt = 0.04 v^2 + 5 v + 140 - u + g i,   du/dt = a (b v - u),
/// both evaluated at min(v, v_peak) (v diverges in finite time; the clamp keeps every integrator
/// finite); a spike when v >= v_peak, then v = c and u += d.
struct izhikevich_equations {
    /// The state as named values of type T.
    template <typename T>
    struct state {
        T v;  ///< membrane potential [mV]
        T u;  ///< recovery variable [mV/ms]
    };

    /// The right-hand side (dv/dt [mV/ms], du/dt [mV/ms^2]) at state x and input current i [nA],
    /// with the coefficients k; v enters clamped at v_peak.
    template <typename T, typename K>
    [[nodiscard]] static state<T> derivative(const K& k, const state<T>& x, const T& i) {
        using S = scalar_t<T>;
        const T v = iaf::min(x.v, broadcast<T>(k.v_peak));
        return {T((S(0.04) * v + S(5)) * v + S(140) - x.u + k.input_gain * i), T(k.a * (k.b * v - x.u))};
    }
    /// Whether v has reached v_peak: `bool`, or a lane mask when T is a SIMD lane type.
    template <typename T, typename K>
    [[nodiscard]] static auto spiked(const K& k, const state<T>& x) {
        return evaluated(x.v >= k.v_peak);
    }
    /// The state after a spike: v = c, u + d.
    template <typename T, typename K>
    [[nodiscard]] static state<T> reset(const K& k, const state<T>& x) {
        return {broadcast<T>(k.c), T(x.u + k.d)};
    }
};

/// Where synaptic events land on `izhikevich`: `v`, a jump of v [mV].
enum class izhikevich_port { v };

/// Izhikevich's (2003) simple spiking model. State `Eigen::Matrix<S, 2, 1>`: (v [mV], u [mV/ms]); a
/// spike when v reaches v_peak (30 mV), which also bounds the right-hand side. iaf's current i [nA]
/// enters as the paper's I = input_gain * i. During t_ref (0 by default) v is held at c while u
/// follows du/dt = a (b c - u). Input port `v`: the weight [mV] is added to v. Not linear: `exact`
/// refuses it.
///
/// Example: `iaf::izhikevich neuron{iaf::izhikevich_parameters::chattering()}` driven by
/// `iaf::constant{10.0}` (the paper's I = 10).
template <typename S>
class basic_izhikevich {
public:
    /// The scalar the equations run in (`double` or `float`).
    using scalar_type = S;
    /// The state: (v [mV], u [mV/ms]).
    using state_type = Eigen::Matrix<S, 2, 1>;
    /// The equations over any value type, shared with `iaf::population`.
    using equations = izhikevich_equations;
    /// Where synaptic events land: `v` [mV].
    using port = izhikevich_port;
    /// A refractory period holds v and lets u evolve.
    static constexpr std::array<bool, 2> refractory_clamped{true, false};

    /// Validates every parameter; throws `invalid_parameter` naming the one that is wrong.
    explicit basic_izhikevich(const izhikevich_parameters& p = {}) : p_(p) {
        constexpr const char* who = "iaf::izhikevich";
        detail::require_positive(who, "a", p.a);
        detail::require_finite(who, "b", p.b);
        detail::require_finite(who, "c", p.c);
        detail::require_finite(who, "d", p.d);
        detail::require_finite(who, "v_peak", p.v_peak);
        if (!(p.c < p.v_peak)) detail::fail_parameter(who, "c", p.c, "must be < v_peak");
        detail::require_finite(who, "input_gain", p.input_gain);
        detail::require_finite(who, "v_init", p.v_init);
        p_.u_init = p.u_init.value_or(p.b * p.v_init);
        detail::require_finite(who, "u_init", *p_.u_init);
        detail::require_non_negative(who, "t_ref", p.t_ref);
        k_ = {S(p.a), S(p.b), S(p.c), S(p.d), S(p.v_peak), S(p.input_gain)};
        // In a narrower S (float) a value may overflow, or c and v_peak become equal; and the
        // right-hand side at the clamp (its largest value) must be finite for the clamp to bound it.
        detail::require_finite_coefficient(who, "a", p.a, k_.a);
        detail::require_finite_coefficient(who, "b", p.b, k_.b);
        detail::require_finite_coefficient(who, "c", p.c, k_.c);
        detail::require_finite_coefficient(who, "d", p.d, k_.d);
        detail::require_finite_coefficient(who, "v_peak", p.v_peak, k_.v_peak);
        detail::require_finite_coefficient(who, "input_gain", p.input_gain, k_.input_gain);
        detail::require_finite_coefficient(who, "v_init", p.v_init, S(p.v_init));
        detail::require_finite_coefficient(who, "u_init", *p_.u_init, S(*p_.u_init));
        if (!(k_.c < k_.v_peak)) detail::fail_parameter(who, "c", p.c, "must be < v_peak in the scalar type");
        const S peak_rate = S((S(0.04) * k_.v_peak + S(5)) * k_.v_peak + S(140));
        detail::require_finite_coefficient(who, "v_peak", p.v_peak, peak_rate,
                                           "0.04 v_peak^2 + 5 v_peak + 140 must be finite in the scalar type");
    }

    /// The validated parameters (with `u_init` filled in).
    [[nodiscard]] const izhikevich_parameters& parameters() const noexcept { return p_; }
    /// The coefficients the equations read, in this model's scalar.
    [[nodiscard]] const izhikevich_coefficients<S>& coefficients() const noexcept { return k_; }

    // --- Model interface: the equations instantiated with S ------------------------------------
    /// The state at the start of a run: (v_init, u_init).
    [[nodiscard]] state_type initial_state() const { return {S(p_.v_init), S(*p_.u_init)}; }
    /// The right-hand side (dv/dt [mV/ms], du/dt [mV/ms^2]) at state x and input current i [nA].
    [[nodiscard]] state_type derivative(double /*t*/, const state_type& x, double i) const {
        return pack(equations::derivative(k_, unpack(x), S(i)));
    }
    /// The membrane potential of a state: x[0] [mV].
    [[nodiscard]] S voltage(const state_type& x) const { return x[0]; }
    /// A spike is emitted when v reaches this value: v_peak [mV].
    [[nodiscard]] double threshold() const noexcept { return p_.v_peak; }
    /// The state after a spike: v = c, u + d.
    [[nodiscard]] state_type reset(const state_type& x) const { return pack(equations::reset(k_, unpack(x))); }
    /// How long v is held at c after a spike: t_ref [ms].
    [[nodiscard]] double refractory_period() const noexcept { return p_.t_ref; }
    /// A synaptic event: adds `weight` [mV] to v.
    [[nodiscard]] state_type receive(const state_type& x, port /*where*/, double weight) const {
        state_type y = x;
        y[0] += S(weight);
        return y;
    }

private:
    static equations::state<S> unpack(const state_type& x) { return {x[0], x[1]}; }
    static state_type pack(const equations::state<S>& x) { return {x.v, x.u}; }

    izhikevich_parameters p_;
    izhikevich_coefficients<S> k_{};
};

/// `basic_izhikevich` in double precision.
using izhikevich = basic_izhikevich<double>;

}  // namespace iaf
