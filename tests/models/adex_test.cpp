// The adaptive exponential integrate-and-fire neuron (AdEx; Brette & Gerstner 2005), written
// here, outside the library, against the model contract of concepts.hpp: parameters, coefficients
// in any value type, equations written once over the value type T, and a model class that
// instantiates them with double. It is the contract's divergent case: V reaches +infinity in
// finite time, so the right-hand side is evaluated at min(V, V_peak) with the threshold at V_peak
// (as NEST's aeif models do).
//
// Parameters: NEST's aeif defaults in iaf's units (ms, mV, nA, nF, uS). With them the rheobase is
// about 0.63 nA (the fold of the V-nullcline with w = a (V - E_L)), so the spiking cases drive the
// neuron with 0.8 and 1.0 nA and 0.5 nA is checked to stay subthreshold.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/tolerance.hpp"

namespace {

/// Parameters of the AdEx, NEST's aeif defaults. Units: ms, mV, nA, nF, uS.
struct adex_parameters {
    double c_m = 0.281;      ///< membrane capacitance [nF] (281 pF)
    double g_l = 0.030;      ///< leak conductance [uS] (30 nS)
    double e_l = -70.6;      ///< leak reversal potential [mV]
    double v_t = -50.4;      ///< exponential threshold [mV] (NEST's V_th)
    double delta_t = 2.0;    ///< slope factor [mV]
    double tau_w = 144.0;    ///< adaptation time constant [ms]
    double a = 0.004;        ///< subthreshold adaptation [uS] (4 nS)
    double b = 0.0805;       ///< spike-triggered adaptation [nA] (80.5 pA)
    double v_reset = -60.0;  ///< potential right after a spike [mV]
    double v_peak = 0.0;     ///< spike detection and clamp of the right-hand side [mV]
    double t_ref = 0.0;      ///< refractory period [ms]: V held at v_reset, w free
};

/// What the AdEx equations read, in any value type T.
template <typename T>
struct adex_coefficients {
    T e_l, v_t, v_reset, v_peak;  ///< [mV]
    T g_l;                        ///< [uS]
    T delta_t;                    ///< [mV]
    T inv_delta_t;                ///< [1/mV]
    T inv_c_m;                    ///< [1/nF]
    T a;                          ///< [uS]
    T b;                          ///< [nA]
    T inv_tau_w;                  ///< [1/ms]
};

/// The AdEx equations, once, over any value type T; the state is (V, w):
///   C dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_T)/Delta_T) - w + I,
///   tau_w dw/dt = a (V - E_L) - w,
/// both evaluated at V' = min(V, V_peak); a spike when V >= V_peak, then V = V_reset, w += b.
struct adex_equations {
    template <typename T>
    struct state {
        T v;  ///< membrane potential [mV]
        T w;  ///< adaptation current [nA]
    };

    template <typename T, typename K>
    [[nodiscard]] static state<T> derivative(const K& k, const state<T>& x, const T& i) {
        const T v = iaf::min(x.v, iaf::broadcast<T>(k.v_peak));
        const T spike_current = k.g_l * k.delta_t * iaf::exp(T((v - k.v_t) * k.inv_delta_t));
        return {T((k.g_l * (k.e_l - v) + spike_current - x.w + i) * k.inv_c_m),
                T((k.a * (v - k.e_l) - x.w) * k.inv_tau_w)};
    }
    template <typename T, typename K>
    [[nodiscard]] static auto spiked(const K& k, const state<T>& x) {
        return x.v >= k.v_peak;
    }
    template <typename T, typename K>
    [[nodiscard]] static state<T> reset(const K& k, const state<T>& x) {
        return {iaf::broadcast<T>(k.v_reset), T(x.w + k.b)};
    }
};

/// The AdEx as an iaf model: state (V [mV], w [nA]), threshold V_peak, a refractory period that
/// holds V at V_reset while w keeps evolving, and a delta-synapse port on V.
class adex {
public:
    using scalar_type = double;
    using state_type = Eigen::Vector2d;
    using equations = adex_equations;
    /// A refractory period holds V and lets w follow tau_w dw/dt = a (V_reset - E_L) - w.
    static constexpr std::array<bool, 2> refractory_clamped{true, false};
    /// `v`: V jumps by the weight [mV] (NEST's aeif_psc_delta). Also needed because iaf::neuron
    /// does not yet compile for a model without ports (its receive/received take port_type, which
    /// is void then).
    enum class port { v };

    explicit adex(const adex_parameters& p = {})
        : p_(p),
          k_{p.e_l, p.v_t, p.v_reset, p.v_peak, p.g_l, p.delta_t, 1.0 / p.delta_t, 1.0 / p.c_m, p.a, p.b,
             1.0 / p.tau_w} {}

    [[nodiscard]] const adex_parameters& parameters() const noexcept { return p_; }
    [[nodiscard]] const adex_coefficients<double>& coefficients() const noexcept { return k_; }

    // --- Model interface: the equations instantiated with double -------------------------------
    [[nodiscard]] state_type initial_state() const { return {p_.e_l, 0.0}; }
    [[nodiscard]] state_type derivative(double /*t*/, const state_type& x, double i) const {
        return pack(equations::derivative(k_, unpack(x), i));
    }
    [[nodiscard]] double voltage(const state_type& x) const { return x[0]; }
    [[nodiscard]] double threshold() const noexcept { return p_.v_peak; }
    [[nodiscard]] state_type reset(const state_type& x) const { return pack(equations::reset(k_, unpack(x))); }
    [[nodiscard]] double refractory_period() const noexcept { return p_.t_ref; }
    [[nodiscard]] state_type receive(const state_type& x, port /*where*/, double weight) const {
        return {x[0] + weight, x[1]};
    }

private:
    static equations::state<double> unpack(const state_type& x) { return {x[0], x[1]}; }
    static state_type pack(const equations::state<double>& x) { return {x.v, x.w}; }

    adex_parameters p_;
    adex_coefficients<double> k_;
};

static_assert(iaf::Model<adex>);
static_assert(iaf::ClampingRefractoryModel<adex>);
static_assert(iaf::ModelWithInputs<adex>);
static_assert(!iaf::LinearModel<adex> && !iaf::AffineModel<adex>);

constexpr std::array<double, 2> drives{0.8, 1.0};  // [nA], above the ~0.63 nA rheobase
constexpr std::array<double, 3> grid_steps{0.5, 0.1, 0.01};  // [ms], coarsest first
constexpr double t_end = 500.0;  // [ms]

/// Spike times of the AdEx under constant input i0, independently of the library: classic RK4 in
/// t with step h while V < V_T + 5 Delta_T, then, because the upswing to V_peak = 0 lasts about
/// tau_m exp(-(V_peak - V_T)/Delta_T) ~ 1e-10 ms and no step in t resolves it, RK4 in V from there
/// to V_peak on t(V) and w(V) (dt/dV = 1/V', dw/dV = w'/V', smooth since V' > 0 there) in
/// `v_steps` steps. Below V_peak the clamp is inactive, so this is the model's exact solution up
/// to the RK4 errors, about 1e-11 ms at h = 5e-4 ms (checked in the convergence test).
std::vector<double> reference_spikes(const adex& m, double i0, double h, int v_steps = 2000) {
    const adex_parameters& p = m.parameters();
    const double v_switch = p.v_t + 5.0 * p.delta_t;
    // Brette & Gerstner 2005, written out here rather than taken from adex::derivative (which the
    // lane test checks against the same lines); below V_peak, where this runs, the clamp is idle.
    const auto f = [&](const Eigen::Vector2d& x) -> Eigen::Vector2d {
        const double v = x[0], w = x[1];
        const double spike_current = p.g_l * p.delta_t * std::exp((v - p.v_t) / p.delta_t);
        return {(-p.g_l * (v - p.e_l) + spike_current - w + i0) / p.c_m, (p.a * (v - p.e_l) - w) / p.tau_w};
    };
    const auto over_v = [&](double v, const Eigen::Vector2d& tw) -> Eigen::Vector2d {
        const Eigen::Vector2d d = f(Eigen::Vector2d{v, tw[1]});
        return {1.0 / d[0], d[1] / d[0]};
    };
    std::vector<double> spikes;
    double t_last = 0.0;  // start of the current interval (0 or the last spike)
    long steps = 0;       // RK4 steps since then: t = t_last + steps h, not a sum of 1e6 roundings
    double t = 0.0;
    Eigen::Vector2d x = m.initial_state();
    while (t < t_end) {
        if (x[0] < v_switch) {
            const Eigen::Vector2d k1 = f(x);
            const Eigen::Vector2d k2 = f(x + 0.5 * h * k1);
            const Eigen::Vector2d k3 = f(x + 0.5 * h * k2);
            const Eigen::Vector2d k4 = f(x + h * k3);
            x += (h / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
            t = t_last + static_cast<double>(++steps) * h;
            continue;
        }
        const double dv = (p.v_peak - x[0]) / v_steps;
        double v = x[0];
        Eigen::Vector2d tw{t, x[1]};
        for (int k = 0; k < v_steps; ++k) {
            const Eigen::Vector2d k1 = over_v(v, tw);
            const Eigen::Vector2d k2 = over_v(v + 0.5 * dv, tw + 0.5 * dv * k1);
            const Eigen::Vector2d k3 = over_v(v + 0.5 * dv, tw + 0.5 * dv * k2);
            const Eigen::Vector2d k4 = over_v(v + dv, tw + dv * k3);
            tw += (dv / 6.0) * (k1 + 2.0 * k2 + 2.0 * k3 + k4);
            v += dv;
        }
        t = tw[0];
        if (t >= t_end) break;
        spikes.push_back(t);
        t_last = t;
        steps = 0;
        x = Eigen::Vector2d{p.v_reset, tw[1] + p.b};  // the reset, written out
    }
    return spikes;
}

/// Largest |t_k - reference_k| over the first n spikes.
double spike_time_error(const std::vector<double>& spikes, const std::vector<double>& reference, std::size_t n) {
    double error = 0.0;
    for (std::size_t k = 0; k < n; ++k) error = std::max(error, std::abs(spikes[k] - reference[k]));
    return error;
}

/// Runs `integrator` with `timing` at every grid step and drive, and checks what any usable run
/// must give: no exception, V finite and below V_peak at every grid point, spikes, in order.
template <typename I, typename P>
void check_fires_finite_spike_trains(const char* name, const I& integrator, const P& timing) {
    const adex m;
    for (const double i0 : drives) {
        for (const double dt : grid_steps) {
            const std::string label = name;
            CAPTURE(label);
            CAPTURE(i0);
            CAPTURE(dt);
            iaf::simulation_result r;
            REQUIRE_NOTHROW(r = iaf::simulate(m, iaf::constant{i0}, integrator, timing,
                                              {.dt = dt, .t_end = t_end, .record_every = 1}));
            CHECK(r.voltage.size() == static_cast<std::size_t>(std::lround(t_end / dt)) + 1);
            CHECK(std::all_of(r.voltage.begin(), r.voltage.end(),
                              [&](double v) { return std::isfinite(v) && v < m.threshold(); }));
            CHECK(r.spike_times.size() >= 5);
            CHECK(std::all_of(r.spike_times.begin(), r.spike_times.end(),
                              [](double t) { return std::isfinite(t) && t > 0.0 && t <= t_end; }));
            CHECK(std::adjacent_find(r.spike_times.begin(), r.spike_times.end(), std::greater_equal<>{}) ==
                  r.spike_times.end());
        }
    }
}

/// Spike-time errors of the first `n` spikes at each grid step (coarsest first), largest over
/// the drives, against the reference.
template <typename I, typename P>
std::array<double, 3> convergence_errors(const I& integrator, const P& timing, std::size_t n,
                                         const std::array<std::vector<double>, 2>& references) {
    std::array<double, 3> errors{};
    for (std::size_t d = 0; d < drives.size(); ++d) {
        for (std::size_t g = 0; g < grid_steps.size(); ++g) {
            CAPTURE(drives[d]);
            CAPTURE(grid_steps[g]);
            const auto r = iaf::simulate(adex{}, iaf::constant{drives[d]}, integrator, timing,
                                         {.dt = grid_steps[g], .t_end = t_end});
            // Over 500 ms the last spike of a coarse run can move past t_end (at dt = 0.5 ms several
            // methods fire 17 spikes under 1 nA where the reference fires 18), so the counts may
            // differ by one; the first n spikes are always there and are compared one to one.
            CHECK(std::abs(static_cast<long>(r.spike_times.size()) - static_cast<long>(references[d].size())) <= 1);
            REQUIRE(r.spike_times.size() >= n);
            errors[g] = std::max(errors[g], spike_time_error(r.spike_times, references[d], n));
        }
    }
    return errors;
}

}  // namespace

TEST_CASE("adex: NEST defaults fire finite spike trains with every fixed-step integrator at dt 0.01, 0.1 and 0.5 ms") {
    check_fires_finite_spike_trains("euler/grid", iaf::euler{}, iaf::grid{});
    check_fires_finite_spike_trains("euler/linear", iaf::euler{}, iaf::linear{});
    check_fires_finite_spike_trains("euler/hermite", iaf::euler{}, iaf::hermite{});
    check_fires_finite_spike_trains("heun/grid", iaf::heun{}, iaf::grid{});
    check_fires_finite_spike_trains("heun/linear", iaf::heun{}, iaf::linear{});
    check_fires_finite_spike_trains("heun/hermite", iaf::heun{}, iaf::hermite{});
    check_fires_finite_spike_trains("rk4/grid", iaf::rk4{}, iaf::grid{});
    check_fires_finite_spike_trains("rk4/linear", iaf::rk4{}, iaf::linear{});
    check_fires_finite_spike_trains("rk4/hermite", iaf::rk4{}, iaf::hermite{});
}

// dopri5 takes the step past V_peak once its step cannot shrink further (the clamped right-hand
// side kinks there, so no error test would accept a step across it). The bound of
// 3e-7 ms at dt = 0.01 ms is 10x what dopri5 at its default tolerances gave in a first measurement
// (1.4e-6, 3e-7 and 3e-8 ms at dt = 0.5, 0.1 and 0.01 ms).
TEST_CASE("adex: dopri5 fires finite spike trains that converge to the reference") {
    check_fires_finite_spike_trains("dopri5/grid", iaf::dopri5{}, iaf::grid{});
    check_fires_finite_spike_trains("dopri5/analytic", iaf::dopri5{}, iaf::analytic{});
    const adex m;
    const std::array references{reference_spikes(m, drives[0], 5e-4), reference_spikes(m, drives[1], 5e-4)};
    const auto errors = convergence_errors(iaf::dopri5{}, iaf::analytic{}, 5, references);
    CHECK(errors[2] < errors[1]);
    CHECK(errors[1] < errors[0]);
    CHECK(errors[2] < 3e-7);
    const auto tight = convergence_errors(iaf::dopri5{.rtol = 1e-10, .atol = 1e-12}, iaf::analytic{}, 5, references);
    CHECK(tight[2] < 3e-7);
}

TEST_CASE("adex: spike trains converge as dt shrinks") {
    const adex m;
    const std::array references{reference_spikes(m, drives[0], 5e-4), reference_spikes(m, drives[1], 5e-4)};
    // The reference is converged far below the errors measured here: halving its steps (in t and
    // in V) moves no spike by more than 1e-10 ms (measured: 8e-12 ms).
    for (std::size_t d = 0; d < drives.size(); ++d) {
        const auto finer = reference_spikes(m, drives[d], 2.5e-4, 4000);
        REQUIRE(finer.size() == references[d].size());
        REQUIRE(references[d].size() >= 9);
        CHECK(spike_time_error(finer, references[d], finer.size()) < 1e-10);
    }

    // Every method converges at first order only: the upswing to V_peak = 0 (25 Delta_T above V_T)
    // lasts ~1e-10 ms, so the step holding it is never resolved and the crossing is only known to
    // within that step. Measured, largest over 0.8 and 1 nA, first 5 spikes, at dt = 0.5/0.1/0.01:
    //   euler + linear   5.1   / 1.4    / 0.20   ms
    //   heun  + hermite  2.1   / 0.40   / 0.049  ms
    //   rk4   + hermite  0.82  / 0.070  / 0.0050 ms
    // The bounds at dt = 0.01 ms are about twice these.
    constexpr std::size_t n = 5;
    struct expectation {
        const char* name;
        std::array<double, 3> errors;
        double bound;
    };
    const std::array<expectation, 3> runs{{
        {"euler/linear", convergence_errors(iaf::euler{}, iaf::linear{}, n, references), 0.4},
        {"heun/hermite", convergence_errors(iaf::heun{}, iaf::hermite{}, n, references), 0.1},
        {"rk4/hermite", convergence_errors(iaf::rk4{}, iaf::hermite{}, n, references), 0.01},
    }};
    for (const expectation& run : runs) {
        const std::string label = run.name;
        CAPTURE(label);
        CAPTURE(run.errors[0]);
        CAPTURE(run.errors[1]);
        CAPTURE(run.errors[2]);
        CHECK(run.errors[1] < run.errors[0]);
        CHECK(run.errors[2] < run.errors[1]);
        CHECK(run.errors[2] < run.bound);
    }
}

TEST_CASE("adex: during t_ref V is held at V_reset while w decays") {
    const adex m{{.t_ref = 2.0}};
    const adex_parameters& p = m.parameters();
    const double dt = 0.1, i0 = 1.0;
    iaf::neuron n{m, iaf::constant{i0}, iaf::rk4{}, iaf::hermite{}, dt};

    // Step to the first spike, keeping the state at the start of its step.
    std::vector<iaf::grid_time> spikes;
    Eigen::Vector2d before = n.state();
    double t0 = n.time();
    while (spikes.empty()) {
        REQUIRE(n.time() < 100.0);
        before = n.state();
        t0 = n.time();
        n.step([&](iaf::grid_time t) { spikes.push_back(t); });
    }
    REQUIRE(spikes.size() == 1);
    const double t_spike = spikes[0].time(0.0, dt);

    // The reset acts on the integrator's state at the located spike, w jumping by b; from there,
    // with V held at V_reset, tau_w dw/dt = a (V_reset - E_L) - w has the closed form below.
    const auto f = [&](double t, const Eigen::Vector2d& x) -> Eigen::Vector2d { return m.derivative(t, x, i0); };
    const Eigen::Vector2d at_spike = iaf::rk4{}.step(f, t0, before, spikes[0].offset);
    const double w_after_reset = at_spike[1] + p.b;
    const double w_inf = p.a * (p.v_reset - p.e_l);
    const auto w_closed = [&](double t) {
        return w_inf + (w_after_reset - w_inf) * std::exp(-(t - t_spike) / p.tau_w);
    };
    CHECK_ABS(n.refractory_end().time(0.0, dt), t_spike + p.t_ref, 5e-14);  // achieved 0 (ulp here 7e-15 ms)

    // Every step that ends before the period does: V is exactly V_reset, w follows the closed form
    // to RK4's accuracy on a 144 ms decay at dt = 0.1 ms (round-off).
    int held_steps = 0;
    while (true) {
        CAPTURE(n.time());
        CHECK(n.refractory());
        CHECK(n.voltage() == p.v_reset);
        CHECK_ABS(n.state()[1], w_closed(n.time()), 3e-16);  // achieved 2.8e-17 nA
        if (n.steps() >= n.refractory_end().step) break;  // the next step holds the period's end
        CHECK(n.step() == 0);
        ++held_steps;
    }
    // Steps that start after the spike's step and end before t_spike + t_ref: one late start or end
    // changes the count.
    CHECK(held_steps ==
          static_cast<int>(std::floor((t_spike + p.t_ref) / dt) - std::floor(t_spike / dt) - 1.0));
    // w moved over the period by the closed form's amount, not by the clamp.
    CHECK(std::abs(n.state()[1] - w_after_reset) > 1e-4);

    // The step holding the end releases V, which the 1 nA drive pulls up from V_reset.
    CHECK(n.step() == 0);
    CHECK_FALSE(n.refractory());
    CHECK(n.voltage() > p.v_reset);
}

TEST_CASE("adex: below rheobase (0.5 nA) V settles at the stable fixed point without spiking") {
    const adex m;
    const adex_parameters& p = m.parameters();
    const double i0 = 0.5;
    // Fixed point: (g_L + a)(V - E_L) - g_L Delta_T exp((V - V_T)/Delta_T) = I on the branch below
    // the fold, found by bisection; w = a (V - E_L).
    const auto excess = [&](double v) {
        return (p.g_l + p.a) * (v - p.e_l) - p.g_l * p.delta_t * std::exp((v - p.v_t) / p.delta_t) - i0;
    };
    double lo = p.e_l, hi = p.v_t + p.delta_t * std::log((p.g_l + p.a) / p.g_l);  // the fold
    REQUIRE(excess(lo) < 0.0);
    REQUIRE(excess(hi) > 0.0);
    for (int k = 0; k < 200; ++k) (excess(0.5 * (lo + hi)) < 0.0 ? lo : hi) = 0.5 * (lo + hi);

    iaf::neuron n{m, iaf::constant{i0}, iaf::rk4{}, iaf::hermite{}, 0.1};
    int spikes = 0;
    for (int k = 0; k < 30000; ++k) spikes += n.step();
    CHECK(spikes == 0);
    CHECK_ABS(n.voltage(), lo, 1e-9);                    // achieved 8.7e-11 mV
    CHECK_ABS(n.state()[1], p.a * (lo - p.e_l), 2e-11);  // achieved 2.2e-12 nA
}

TEST_CASE("adex: the equations run on Eigen lanes and give the scalar results lane by lane") {
    using lanes = Eigen::Array<double, 4, 1>;
    using eq = adex_equations;
    const adex m;
    const adex_coefficients<double>& k = m.coefficients();
    lanes v, w, i;
    v << -70.6, -50.4, -45.0, 5.0;  // the last lane is above V_peak: clamped
    w << 0.0, 0.1, 0.2, 0.3;
    i << 0.0, 0.5, 1.0, 1.5;
    const eq::state<lanes> x{v, w};
    const eq::state<lanes> d = eq::derivative(k, x, i);
    const auto fired = eq::spiked(k, x);
    const eq::state<lanes> r = eq::reset(k, x);
    for (Eigen::Index l = 0; l < 4; ++l) {
        CAPTURE(l);
        const eq::state<double> xs{v[l], w[l]};
        const eq::state<double> ds = eq::derivative(k, xs, i[l]);
        // Eigen's vectorised exp is not bit-identical to std::exp: a few ulps.
        CHECK_REL(d.v[l], ds.v, 1e-15);  // achieved 0 here
        CHECK_REL(d.w[l], ds.w, 1e-15);  // achieved 0 here
        CHECK(fired[l] == eq::spiked(k, xs));
        const eq::state<double> rs = eq::reset(k, xs);
        CHECK(r.v[l] == rs.v);
        CHECK(r.w[l] == rs.w);
    }
    // The scalar equations are the AdEx's, with the clamp: at V = 5 mV the rates are those at 0 mV.
    const adex_parameters& p = m.parameters();
    const double v0 = 0.0, w0 = 0.3, i1 = 1.5;
    const double dv = (-p.g_l * (v0 - p.e_l) + p.g_l * p.delta_t * std::exp((v0 - p.v_t) / p.delta_t) - w0 + i1) / p.c_m;
    const double dw = (p.a * (v0 - p.e_l) - w0) / p.tau_w;
    CHECK_REL(d.v[3], dv, 1e-14);  // achieved 0
    CHECK_REL(d.w[3], dw, 1e-14);  // achieved 0
    CHECK(fired[3]);
    CHECK_FALSE(fired[2]);
}
