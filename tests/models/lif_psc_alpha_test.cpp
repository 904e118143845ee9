// The LIF with an alpha-shaped synaptic current (iaf::lif_psc_alpha), against its closed form
// computed here in long double.
//
// Derivation. An event of weight w at time 0 sets dI_syn = a = w e / tau_s (the model's
// normalisation); with I_syn(0) = 0, dI_syn' = -dI_syn/tau_s and I_syn' = dI_syn - I_syn/tau_s give
// dI_syn(t) = a e^{-t/tau_s} and I_syn(t) = a t e^{-t/tau_s}, which peaks at t = tau_s with
// a tau_s / e = w. With u = V - E_L, u' = -u/tau_m + I_syn/C and u(0) = 0:
//   u(t) = (a/C) int_0^t e^{-(t-s)/tau_m} s e^{-s/tau_s} ds = (a/C) e^{-t/tau_m} int_0^t s e^{-s d} ds
// with d = 1/tau_s - 1/tau_m, and int_0^t s e^{-s d} ds = (1 - e^{-t d}(1 + t d)) / d^2. So
//   u(t) = (a/C) t^2 e^{-t/tau_m} phi(t d),   phi(x) = (1 - e^{-x}(1 + x)) / x^2,
// with phi(0) = 1/2: u(t) = (a/C) (t^2/2) e^{-t/tau} when tau_s = tau_m = tau. Near x = 0 the
// difference cancels, so phi is summed as its series sum_{n>=2} (-1)^n (n-1) x^{n-2} / n! there.
// A constant current I adds R I (1 - e^{-t/tau_m}), R = tau_m / C, and events superpose.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include <Eigen/Core>
#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/fitted_order.hpp"
#include "../support/tolerance.hpp"

namespace {

using L = long double;
using event = iaf::input_event<iaf::lif_psc_alpha::port>;
constexpr auto on_syn = iaf::lif_psc_alpha::port::i_syn;
constexpr auto on_v = iaf::lif_psc_alpha::port::v;
constexpr L e_ld = std::numbers::e_v<long double>;

// (1 - e^{-x}(1 + x)) / x^2, by its series near 0 (the next term after 40 is far below round-off
// for |x| < 1/2) and directly elsewhere.
L phi(L x) {
    if (std::abs(x) < 0.5L) {
        L sum = 0, power = 1, factorial = 2;  // x^{n-2}, n!
        for (int n = 2; n < 40; ++n) {
            sum += (n % 2 == 0 ? 1 : -1) * L(n - 1) * power / factorial;
            power *= x;
            factorial *= L(n + 1);
        }
        return sum;
    }
    return (1 - std::exp(-x) * (1 + x)) / (x * x);
}

struct kick {
    double t;  // arrival [ms]
    double w;  // the PSC's peak [nA]
};

// The model's parameters, the constant external current and the alpha events of one scenario.
struct scenario {
    double tau_m = 10.0, c_m = 0.25, tau_syn = 2.0, e_l = -70.0, v_th = -55.0, v_reset = -70.0, t_ref = 2.0;
    double i_ext = 0.0;       // [nA]
    std::vector<kick> kicks;  // sorted by time

    iaf::lif_psc_alpha model() const {
        return iaf::lif_psc_alpha{{.tau_m = tau_m, .c_m = c_m, .tau_syn = tau_syn, .e_l = e_l, .v_th = v_th,
                                   .v_reset = v_reset, .t_ref = t_ref}};
    }
    L a(const kick& k) const { return L(k.w) * e_ld / L(tau_syn); }
    // Below threshold, from V(0) = E_L: the drive's relaxation plus every event's PSP.
    L v(L t) const {
        L v = L(e_l) + L(i_ext) * L(tau_m) / L(c_m) * -std::expm1(-t / L(tau_m));
        const L d = 1 / L(tau_syn) - 1 / L(tau_m);
        for (const kick& k : kicks) {
            const L s = t - L(k.t);
            if (s >= 0) v += a(k) / L(c_m) * s * s * std::exp(-s / L(tau_m)) * phi(s * d);
        }
        return v;
    }
    L i_syn(L t) const {
        L i = 0;
        for (const kick& k : kicks)
            if (L(k.t) <= t) i += a(k) * (t - L(k.t)) * std::exp(-(t - L(k.t)) / L(tau_syn));
        return i;
    }
    L di_syn(L t) const {
        L i = 0;
        for (const kick& k : kicks)
            if (L(k.t) <= t) i += a(k) * std::exp(-(t - L(k.t)) / L(tau_syn));
        return i;
    }
    // The first time V reaches v_th: scanned in steps of 1 us, then bisected to long double
    // round-off. The scenarios cross with a clear slope.
    L first_crossing(L t_max) const {
        const L th = L(v_th), step = 1e-3L;
        L lo = 0;
        while (v(lo + step) < th) {
            lo += step;
            REQUIRE(lo < t_max);
        }
        L hi = lo + step;
        for (int n = 0; n < 200; ++n) {
            const L mid = lo + (hi - lo) / 2;
            if (mid <= lo || mid >= hi) break;
            (v(mid) < th ? lo : hi) = mid;
        }
        return hi;
    }
};

struct placed {
    std::int64_t step;
    double offset;
};
// The step that holds time t on the grid of dt, and t's offset in it, in [0, dt).
placed place(double t, double dt) {
    auto k = static_cast<std::int64_t>(std::floor(t / dt));
    double offset = t - static_cast<double>(k) * dt;
    while (offset < 0.0) offset = t - static_cast<double>(--k) * dt;
    while (offset >= dt) offset = t - static_cast<double>(++k) * dt;
    return {k, offset};
}

// Runs the scenario over [0, t_end) at step dt, each event handed to the step holding it; calls
// after_step(neuron) after every step and returns the spike times.
template <typename M, typename I, typename P, typename After>
std::vector<double> run(const scenario& sc, const M& model, const I& integrator, const P& timing, double dt,
                        double t_end, After after_step) {
    iaf::neuron n{model, iaf::constant{sc.i_ext}, integrator, timing, dt};
    std::vector<double> spikes;
    std::vector<iaf::input_event<typename M::port>> batch;
    std::size_t next = 0;
    const auto steps = static_cast<std::int64_t>(std::ceil(t_end / dt));
    for (std::int64_t k = 0; k < steps; ++k) {
        batch.clear();
        for (; next < sc.kicks.size(); ++next) {
            const placed at = place(sc.kicks[next].t, dt);
            if (at.step != k) break;
            batch.push_back({at.offset, M::port::i_syn, sc.kicks[next].w});
        }
        n.step(batch, [&](double t) { spikes.push_back(t); });
        after_step(n);
    }
    REQUIRE(next == sc.kicks.size());
    return spikes;
}

template <typename M, typename I, typename P>
std::vector<double> spike_train(const scenario& sc, const M& model, const I& integrator, const P& timing, double dt,
                                double t_end) {
    return run(sc, model, integrator, timing, dt, t_end, [](const auto&) {});
}

}  // namespace

TEST_CASE("lif_psc_alpha: the closed form's phi is summed right near tau_syn = tau_m") {
    // The reference must be trusted before the library is held to it: phi by series and by the
    // direct formula agree where both keep their digits, and phi(0) = 1/2.
    CHECK(phi(0.0L) == 0.5L);
    for (const L x : {0.3L, 0.49L, -0.3L, -0.49L}) {
        const L direct = (1 - std::exp(-x) * (1 + x)) / (x * x);
        CHECK(std::abs(phi(x) - direct) <= 1e-16L);
    }
    // Next to 0 the series follows 1/2 - x/3 + x^2/8.
    const L x = 1e-6L;
    CHECK(std::abs(phi(x) - (0.5L - x / 3 + x * x / 8)) <= 1e-19L);
}

TEST_CASE("lif_psc_alpha: exact matches the closed-form alpha PSP to 1e-12 mV, tau_syn = tau_m included") {
    struct time_constants {
        std::string name;
        double tau_syn, tau_m;
    };
    const time_constants cases[] = {{"tau_syn = 2, tau_m = 10", 2.0, 10.0},
                                    {"tau_syn = tau_m = 10", 10.0, 10.0},
                                    {"tau_syn = tau_m (1 + 1e-9)", 10.0 * (1.0 + 1e-9), 10.0},
                                    {"tau_syn = 20, tau_m = 10", 20.0, 10.0}};
    constexpr double w = 1.0, t_end = 50.0;
    double worst_overall = 0.0;
    for (const time_constants& tc : cases) {
        for (const double i_ext : {0.0, 0.3}) {
            const scenario sc{.tau_m = tc.tau_m, .tau_syn = tc.tau_syn, .v_th = 1000.0, .i_ext = i_ext,
                              .kicks = {{0.0, w}}};
            for (const double dt : {0.1, 0.01}) {
                CAPTURE(tc.name);
                CAPTURE(i_ext);
                CAPTURE(dt);
                iaf::neuron n{sc.model(), iaf::constant{i_ext}, iaf::exact{}, iaf::grid{}, dt};
                n.receive(on_syn, w);
                const auto steps = static_cast<std::int64_t>(std::llround(t_end / dt));
                double worst_v = 0.0, worst_i = 0.0, worst_di = 0.0;
                for (std::int64_t k = 1; k <= steps; ++k) {
                    REQUIRE(n.step() == 0);
                    const L t = L(k) * L(dt);
                    worst_v = std::max(worst_v, double(std::abs(L(n.state()[0]) - sc.v(t))));
                    worst_i = std::max(worst_i, double(std::abs(L(n.state()[1]) - sc.i_syn(t)) / sc.i_syn(t)));
                    worst_di = std::max(worst_di, double(std::abs(L(n.state()[2]) - sc.di_syn(t)) / sc.di_syn(t)));
                }
                MESSAGE(tc.name << ", I = " << i_ext << " nA, dt = " << dt << ": max |V - closed form| = " << worst_v
                                << " mV, max relative I_syn error " << worst_i << ", dI_syn " << worst_di);
                CHECK(worst_v < 1e-12);
                CHECK(worst_i < 1e-13);
                CHECK(worst_di < 1e-13);
                worst_overall = std::max(worst_overall, worst_v);
            }
        }
    }
    MESSAGE("exact: max |V - closed form| over all cases " << worst_overall << " mV");
}

TEST_CASE("lif_psc_alpha: a weight w at port i_syn gives a PSC that peaks at w after tau_syn") {
    // tau_syn = 2 ms is 20 steps of 0.1 ms: the grid samples the peak itself.
    const double w = 0.7, tau_syn = 2.0, dt = 0.1;
    iaf::neuron n{iaf::lif_psc_alpha{{.tau_syn = tau_syn, .v_th = 1000.0}}, iaf::constant{0.0}, iaf::exact{},
                  iaf::grid{}, dt};
    n.receive(on_syn, w);
    CHECK(n.state()[1] == 0.0);  // an alpha current starts at 0 and rises
    std::vector<double> i_syn;
    for (int k = 1; k <= 40; ++k) {
        n.step();
        i_syn.push_back(n.state()[1]);
    }
    const auto peak = std::max_element(i_syn.begin(), i_syn.end());
    CHECK(peak - i_syn.begin() == 19);  // the 20th step ends at t = tau_syn
    // The peak is flat: t = 20 dt is tau_syn to 1 ulp, and I(tau + s) = w (1 - s^2 / (2 tau^2) + ...).
    CHECK_REL(*peak, w, 1e-14);
    MESSAGE("I_syn at t = tau_syn: " << *peak << " nA for w = " << w << " nA (relative error "
                                     << iaf_test::relative_error(*peak, w) << ")");
}

TEST_CASE("lif_psc_alpha: off-grid events under exact are exact to round-off, in V and in the spike time") {
    // Four events at off-grid times on a drive 3 mV below threshold lift V over it after the last.
    const scenario sc{.i_ext = 0.3, .kicks = {{0.537, 0.3}, {1.4142, 0.25}, {2.0, 0.2}, {2.71828, 0.3}}};
    const L expected = sc.first_crossing(30.0L);
    MESSAGE("closed form: first spike at " << double(expected) << " ms");
    REQUIRE(expected > L(sc.kicks.back().t));
    double worst_t = 0.0, worst_v = 0.0;
    for (const double dt : {0.1, 0.025, 0.0173}) {
        CAPTURE(dt);
        bool before_spike = true;
        const std::vector<double> spikes =
            run(sc, sc.model(), iaf::exact{}, iaf::analytic{}, dt, 20.0, [&](const auto& n) {
                if (!before_spike || L(n.time()) >= expected) {
                    before_spike = false;
                    return;
                }
                worst_v = std::max(worst_v, double(std::abs(L(n.voltage()) - sc.v(L(n.time())))));
            });
        REQUIRE(!spikes.empty());
        const double err = double(std::abs(L(spikes[0]) - expected));
        MESSAGE("exact + analytic, dt = " << dt << ": first-spike error " << err << " ms");
        CHECK(err < 1e-12);
        worst_t = std::max(worst_t, err);
    }
    MESSAGE("exact + analytic: max first-spike error " << worst_t << " ms, max |V - closed form| before it "
                                                       << worst_v << " mV");
    CHECK(worst_v < 1e-12);
}

TEST_CASE("lif_psc_alpha: during t_ref V is held at v_reset while I_syn follows its closed form") {
    // A 2 nA alpha event at t = 0 on a drive 3 mV below threshold fires one spike near 2 ms.
    const scenario sc{.i_ext = 0.3, .kicks = {{0.0, 2.0}}};
    const double dt = 0.1;
    iaf::neuron n{sc.model(), iaf::constant{sc.i_ext}, iaf::exact{}, iaf::analytic{}, dt};
    n.receive(on_syn, 2.0);
    std::vector<double> spikes;
    while (spikes.empty()) {
        REQUIRE(n.time() < 20.0);
        n.step([&](double t) { spikes.push_back(t); });
    }
    REQUIRE(spikes.size() == 1);
    const double t_spike = spikes[0];
    CHECK(std::abs(L(t_spike) - sc.first_crossing(20.0L)) < 1e-12L);
    // Events during the period: on V dropped, on I_syn added (its own alpha from now).
    REQUIRE(n.refractory());
    n.receive(on_v, 20.0);
    CHECK(n.voltage() == sc.v_reset);
    const double t_second = n.time();
    n.receive(on_syn, 0.5);
    scenario both = sc;
    both.kicks.push_back({t_second, 0.5});
    int held = 0;
    double worst = 0.0;
    while (n.refractory()) {
        CAPTURE(n.time());
        CHECK(n.voltage() == sc.v_reset);
        const L t = L(n.time());
        worst = std::max(worst, double(std::abs(L(n.state()[1]) - both.i_syn(t)) / both.i_syn(t)));
        worst = std::max(worst, double(std::abs(L(n.state()[2]) - both.di_syn(t)) / both.di_syn(t)));
        ++held;
        CHECK(n.step() == 0);
    }
    MESSAGE("exact: " << held << " refractory states, max relative I_syn / dI_syn error " << worst);
    // The states at the grid points in [time of the first full step, t_spike + t_ref).
    CHECK(held == int(std::ceil((t_spike + sc.t_ref) / dt) - std::ceil(t_spike / dt)));
    CHECK(worst < 1e-12);
    CHECK(n.time() > t_spike + sc.t_ref);
    CHECK(n.voltage() > sc.v_reset);  // released, and pulled up by the drive and the current
}

TEST_CASE("lif_psc_alpha: every integrator converges to the closed-form spike time at its order") {
    // The same one-event scenario as above: one spike near 2 ms, found by root-finding the closed
    // form. One pairing per integrator (no cross product: compile time), every policy once.
    const scenario sc{.i_ext = 0.3, .kicks = {{0.0, 2.0}}};
    const L t_ref_spike = sc.first_crossing(20.0L);
    const iaf::lif_psc_alpha m = sc.model();
    const auto first_spike_error = [&](const auto& integrator, const auto& timing, double dt) {
        const std::vector<double> spikes = spike_train(sc, m, integrator, timing, dt, 6.0);
        REQUIRE(spikes.size() == 1);
        return double(std::abs(L(spikes[0]) - t_ref_spike));
    };
    const std::vector<double> dts{0.04, 0.02, 0.01};
    const auto order = [&](const std::string& name, const auto& integrator, const auto& timing, double lo, double hi) {
        std::vector<double> errs;
        for (const double dt : dts) errs.push_back(first_spike_error(integrator, timing, dt));
        const double p = iaf_test::fitted_order(dts, errs);
        MESSAGE(name << ": errors " << errs[0] << ", " << errs[1] << ", " << errs[2] << " ms at dt = 0.04, 0.02, "
                     << "0.01; fitted order " << p);
        CHECK(p > lo);
        CHECK(p < hi);
    };
    order("euler + linear", iaf::euler{}, iaf::linear{}, 0.8, 1.2);
    order("heun + linear", iaf::heun{}, iaf::linear{}, 1.7, 2.3);
    order("rk4 + hermite", iaf::rk4{}, iaf::hermite{}, 3.5, 4.5);

    // dopri5 and exact locate the spike on their own (dense or exact) solution.
    for (const double dt : dts) {
        const double dopri = first_spike_error(iaf::dopri5{.rtol = 1e-10, .atol = 1e-12}, iaf::analytic{}, dt);
        const double exact = first_spike_error(iaf::exact{}, iaf::analytic{}, dt);
        MESSAGE("dt = " << dt << ": dopri5 (rtol 1e-10) + analytic " << dopri << " ms, exact + analytic " << exact
                        << " ms");
        CHECK(dopri < 1e-9);
        CHECK(exact < 1e-13);
    }
    // grid reports the end of the step the crossing falls in: the first grid point at or after it.
    for (const double dt : dts) {
        const double t = double(t_ref_spike);
        const std::vector<double> spikes = spike_train(sc, m, iaf::exact{}, iaf::grid{}, dt, 6.0);
        REQUIRE(spikes.size() == 1);
        CHECK(spikes[0] == doctest::Approx(std::ceil(t / dt) * dt).epsilon(1e-12));
    }
}

TEST_CASE("lif_psc_alpha: homogeneous_derivative is the linear part of derivative") {
    // The affine fast path of rk4 & co. trusts derivative(t, x, i) = A x + derivative(t, 0, i).
    const iaf::lif_psc_alpha m{{.tau_m = 7.0, .c_m = 0.3, .tau_syn = 3.0, .e_l = -65.0}};
    const Eigen::Vector3d x{-52.5, 0.4, -0.13};
    const Eigen::Vector3d lhs = m.derivative(0.0, x, 0.25);
    const Eigen::Vector3d rhs = m.homogeneous_derivative(x) + m.derivative(0.0, Eigen::Vector3d::Zero(), 0.25);
    // By hand: dV = (E_L - V)/tau_m + (I_syn + I)/C, dI = dI_syn - I_syn/tau_syn, ddI = -dI_syn/tau_syn.
    const Eigen::Vector3d by_hand{(-65.0 + 52.5) / 7.0 + (0.4 + 0.25) / 0.3, -0.13 - 0.4 / 3.0, 0.13 / 3.0};
    for (int j = 0; j < 3; ++j) {
        // A few ulps of the largest term (V / tau_m ~ 7.5 mV/ms): the two sides round differently.
        CHECK_ABS(lhs[j], by_hand[j], 1e-14);
        CHECK_ABS(rhs[j], by_hand[j], 1e-14);
    }
    // Upper triangular, so the stability bound reads the diagonal: min(tau_m, tau_syn) = 3 ms.
    CHECK(m.linear_dynamics().a.isUpperTriangular(0.0));
    CHECK(m.linear_dynamics().fastest_rate() == 1.0 / 3.0);
    CHECK(m.fastest_rate() == 1.0 / 3.0);  // what the stability check reads, without an eigensolver
}

TEST_CASE("lif_psc_alpha: float instantiation in a neuron and in a population fires the double spike train") {
    using F = iaf::basic_lif_psc_alpha<float>;
    const iaf::lif_psc_alpha_parameters p{.tau_m = 10.0, .c_m = 0.25, .tau_syn = 2.0, .t_ref = 2.0};
    // 0.45 nA alone fires regularly (V_inf = -52 mV), and events advance the spikes.
    const scenario sc{.i_ext = 0.45, .kicks = {{3.037, 0.5}, {17.51, 0.8}, {40.2, 0.6}}};
    const double dt = 0.1, t_end = 100.0;
    const std::vector<double> d = spike_train(sc, iaf::lif_psc_alpha{p}, iaf::exact{}, iaf::analytic{}, dt, t_end);
    const std::vector<double> f = spike_train(sc, F{p}, iaf::exact{}, iaf::analytic{}, dt, t_end);
    REQUIRE(d.size() >= 5);
    REQUIRE(f.size() == d.size());
    double worst = 0.0;
    for (std::size_t j = 0; j < d.size(); ++j) worst = std::max(worst, std::abs(f[j] - d[j]));
    MESSAGE("float vs double neuron: " << d.size() << " spikes, max spike-time difference " << worst << " ms");
    CHECK(worst < 1e-3);  // float round-off (6e-8 relative) on V, divided by a slope of ~1 mV/ms

    // A population of 2 float neurons: neuron 0 gets the events, 1 none; each must equal the float
    // neuron with the same input (the population runs the neuron's step for a vector state).
    iaf::population pop{F{p}, 2, iaf::exact{}, iaf::analytic{}, dt};
    // A model with a vector state takes its per-neuron input in double (population::scalar_type).
    using input_scalar = decltype(pop)::scalar_type;
    const std::vector<input_scalar> input(2, input_scalar(0.45));
    std::vector<std::vector<double>> got(2);
    std::size_t next = 0;
    const auto steps = static_cast<std::int64_t>(std::ceil(t_end / dt));
    for (std::int64_t k = 0; k < steps; ++k) {
        for (; next < sc.kicks.size(); ++next) {
            const placed at = place(sc.kicks[next].t, dt);
            if (at.step != k) break;
            pop.deliver(0, on_syn, at.offset, sc.kicks[next].w);
        }
        pop.step(std::span<const input_scalar>(input), [&](std::size_t i, iaf::grid_time t) {
            got[i].push_back(double(t.step) * dt + t.offset);
        });
    }
    REQUIRE(got[0].size() == f.size());
    for (std::size_t j = 0; j < f.size(); ++j) CHECK(std::abs(got[0][j] - f[j]) < 1e-9);
    const std::vector<double> plain = spike_train(scenario{.i_ext = 0.45, .kicks = {}}, F{p}, iaf::exact{}, iaf::analytic{}, dt, t_end);
    REQUIRE(got[1].size() == plain.size());
    for (std::size_t j = 0; j < plain.size(); ++j) CHECK(std::abs(got[1][j] - plain[j]) < 1e-9);
    CHECK(got[0].size() > got[1].size());  // the events added spikes
    MESSAGE("float population: " << got[0].size() << " spikes with events, " << got[1].size() << " without");
}

TEST_CASE("lif_psc_alpha: bad parameters throw messages naming parameter, value and rule") {
    using iaf::invalid_parameter;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS(iaf::lif_psc_alpha({.tau_syn = 0.0}),
                         "iaf::lif_psc_alpha: tau_syn = 0 is invalid (must be > 0)", invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif_psc_alpha({.tau_syn = nan}),
                         "iaf::lif_psc_alpha: tau_syn = nan is invalid (must be finite)", invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif_psc_alpha({.c_m = -0.25}), "iaf::lif_psc_alpha: c_m = -0.25 is invalid (must be > 0)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif_psc_alpha({.v_th = -55.0, .v_reset = -50.0}),
                         "iaf::lif_psc_alpha: v_reset = -50 is invalid (must be < v_th)", invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif_psc_alpha({.t_ref = -1.0}), "iaf::lif_psc_alpha: t_ref = -1 is invalid (must be >= 0)",
                         invalid_parameter);
    // 1e-308 is a normal double whose reciprocal is finite, but e / 1e-308 overflows: the event's
    // jump of dI_syn would be inf.
    CHECK_THROWS_WITH_AS(iaf::lif_psc_alpha({.tau_syn = 1e-308}),
                         "iaf::lif_psc_alpha: tau_syn = 1e-308 is invalid (e / tau_syn must be finite "
                         "in the scalar type)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif_psc_alpha({.tau_m = 1e-310}),
                         "iaf::lif_psc_alpha: tau_m = 1e-310 is invalid (1 / tau_m must be finite in "
                         "the scalar type)",
                         invalid_parameter);
    // In float: 1e-39 ms is subnormal there, and its reciprocal overflows float.
    CHECK_THROWS_WITH_AS(iaf::basic_lif_psc_alpha<float>({.tau_syn = 1e-39}),
                         "iaf::lif_psc_alpha: tau_syn = 1e-39 is invalid (1 / tau_syn must be finite "
                         "in the scalar type)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::basic_lif_psc_alpha<float>({.v_th = -55.0, .v_reset = -55.0000001}),
                         "iaf::lif_psc_alpha: v_reset = -55.0000001 is invalid (must be < v_th in the scalar "
                         "type)",
                         invalid_parameter);
}
