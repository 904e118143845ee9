#pragma once
/// \file
/// The leaky integrate-and-fire neuron (Lapicque 1907; Stein 1965; see Gerstner & Kistler 2002).

#include <cmath>
#include <optional>

#include "../concepts.hpp"
#include "../errors.hpp"

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

/// Leaky integrate-and-fire neuron: `C dV/dt = -(V - E_L)/R + I(t)`, spike when V >= V_th,
/// then V = V_reset held for t_ref.
///
/// Example (the teaching notebook's neuron, whose leak pulls V to 0 and which starts and resets
/// at 0.4 mV):
///     iaf::lif neuron{{.r_m = 6.4, .c_m = 0.9, .v_th = 5.0, .v_reset = 0.4, .v_init = 0.4}};
class lif {
public:
    using state_type = double;

    /// Validates every parameter; throws `invalid_parameter` naming the one that is wrong.
    explicit lif(const lif_parameters& p = {}) : e_l_(p.e_l), v_th_(p.v_th), v_reset_(p.v_reset), t_ref_(p.t_ref) {
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
        detail::require_finite(who, "e_l", e_l_);
        detail::require_finite(who, "v_th", v_th_);
        detail::require_finite(who, "v_reset", v_reset_);
        if (!(v_reset_ < v_th_)) detail::fail_parameter(who, "v_reset", v_reset_, "must be < v_th");
        v_init_ = p.v_init.value_or(e_l_);
        detail::require_finite(who, "v_init", v_init_);
        detail::require_non_negative(who, "t_ref", t_ref_);
        inv_c_m_ = 1.0 / c_m_;
        inv_tau_m_ = 1.0 / tau_m_;
    }

    [[nodiscard]] double r_m() const noexcept { return r_m_; }
    [[nodiscard]] double c_m() const noexcept { return c_m_; }
    [[nodiscard]] double tau_m() const noexcept { return tau_m_; }
    [[nodiscard]] double e_l() const noexcept { return e_l_; }
    [[nodiscard]] double v_th() const noexcept { return v_th_; }
    [[nodiscard]] double v_reset() const noexcept { return v_reset_; }
    [[nodiscard]] double v_init() const noexcept { return v_init_; }
    [[nodiscard]] double t_ref() const noexcept { return t_ref_; }

    // --- Model interface -------------------------------------------------------------------
    [[nodiscard]] state_type initial_state() const noexcept { return v_init_; }
    /// dV/dt = (I - (V - E_L)/R) / C  [mV/ms]
    [[nodiscard]] double derivative(double /*t*/, double v, double i) const noexcept {
        // Written as (E_L - V)/tau + I/C: two operations depend on V instead of four, which
        // shortens the dependency chain of every Runge-Kutta stage.
        return (e_l_ - v) * inv_tau_m_ + i * inv_c_m_;
    }
    /// The part of the derivative linear in V: -V / tau_m (see `AffineModel`).
    [[nodiscard]] double homogeneous_derivative(double v) const noexcept { return -v * inv_tau_m_; }
    [[nodiscard]] double voltage(double v) const noexcept { return v; }
    [[nodiscard]] double threshold() const noexcept { return v_th_; }
    [[nodiscard]] double reset(double /*v*/) const noexcept { return v_reset_; }
    [[nodiscard]] double refractory_period() const noexcept { return t_ref_; }

    /// Exact propagator over a step of length h (Rotter & Diesmann 1999). For a current with a
    /// closed-form leaky response the step is exact for that current; otherwise the current is
    /// taken as constant at the step's midpoint (exact for input constant over the step, such as
    /// piecewise-constant currents split at their breakpoints; second order for smooth input, for
    /// example a user lambda, or a sum containing one). A current with a white-noise part
    /// (`CurrentWithWhiteNoise`) gets its drift propagated as above plus the exact Gaussian
    /// increment of the noise, so the law of V is exact at any h.
    class exact_propagator {
    public:
        exact_propagator(const lif& m, double h) noexcept
            : e_l_(m.e_l_), r_m_(m.r_m_), inv_c_m_(m.inv_c_m_), tau_m_(m.tau_m_), half_h_(0.5 * h),
              h_(h), growth_(-std::expm1(-h / m.tau_m_)),
              // 1 - e^{-2h/tau} = g (2 - g) with g = 1 - e^{-h/tau}, so no second exponential.
              noise_scale_(std::sqrt(0.5 * tau_m_ * growth_ * (2.0 - growth_)) * inv_c_m_) {}

        /// V at t + h from V = v at t. Written as v + (V_p(b) - V_p(a)) + (V_p(a) - v) (1 - e^{-h/tau})
        /// so that round-off does not grow with the number of steps (NEST's accuracy bar).
        template <Current C>
        [[nodiscard]] double advance(double v, double t, const C& current) const {
            if constexpr (CurrentWithWhiteNoise<C>) {
                // Exact in distribution (Gillespie 1996): the drift as below, plus the Gaussian
                // integral of the white noise over the step, variance (sigma/C)^2 tau/2 (1 - e^{-2h/tau}).
                return advance(v, t, current.drift()) +
                       noise_scale_ * static_cast<double>(current.white_noise_sample(t));
            } else if constexpr (CurrentWithLeakyResponse<C>) {
                const double vp_a = e_l_ + current.leaky_response(t, tau_m_) * inv_c_m_;
                const double vp_b = e_l_ + current.leaky_response(t + h_, tau_m_) * inv_c_m_;
                return v + (vp_b - vp_a) + (vp_a - v) * growth_;
            } else {
                const double v_inf = e_l_ + r_m_ * static_cast<double>(current(t + half_h_));
                return v + (v_inf - v) * growth_;
            }
        }

    private:
        double e_l_, r_m_, inv_c_m_, tau_m_, half_h_, h_, growth_;
        double noise_scale_;  // standard deviation of V's noise increment per unit sigma z [mV]
    };

    [[nodiscard]] exact_propagator propagator(double h) const noexcept { return {*this, h}; }

private:
    double r_m_ = 0, c_m_ = 0, tau_m_ = 0;
    double e_l_, v_th_, v_reset_, v_init_ = 0, t_ref_;
    double inv_c_m_ = 0, inv_tau_m_ = 0;
};

}  // namespace iaf
