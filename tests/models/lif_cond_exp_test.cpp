// The LIF with exponential conductances (iaf::lif_cond_exp). Non-linear in V, so it has no exact
// propagator; the expectations come from closed forms where they exist (the conductances' decay,
// the steady state, V at a reversal potential) and otherwise from an independent computation
// here: after one event g(t) = w e^{-t/tau} at rest, y = V - E_L obeys the linear ODE
//   y' = -p(t) y + g(t) (E_ex - E_L) / C,   p(t) = (g_L + g(t)) / C,
// whose solution is y(t) = e^{-P(t)} int_0^t e^{P(s)} g(s) (E_ex - E_L) / C ds with
// P(t) = g_L t / C + (w tau / C)(1 - e^{-t/tau}) in closed form; the integral is summed by
// composite Simpson in long double.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
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
using port = iaf::lif_cond_exp::port;

static_assert(iaf::ClampingRefractoryModel<iaf::lif_cond_exp>);
static_assert(iaf::ModelWithInputs<iaf::lif_cond_exp>);
// g V is not linear: no propagator as data, nothing for the affine fast path, and exact refuses it.
static_assert(!iaf::LinearModel<iaf::lif_cond_exp>);
static_assert(!iaf::AffineModel<iaf::lif_cond_exp>);
static_assert(!iaf::Integrator<iaf::exact, iaf::lif_cond_exp, iaf::constant>);
static_assert(!iaf::can_combine_v<iaf::lif_cond_exp, iaf::constant, iaf::exact, iaf::analytic>);

struct kick {
    double t;   // arrival [ms]
    port where;
    double w;   // [uS] (or mV on port v)
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

// Runs a neuron of `model` under constant current i_ext over [0, t_end) at step dt, each kick
// handed to the step holding it; calls after_step(neuron) after every step; returns spike times.
template <typename M, typename I, typename P, typename After>
std::vector<double> run(const M& model, double i_ext, const std::vector<kick>& kicks, const I& integrator,
                        const P& timing, double dt, double t_end, After after_step) {
    iaf::neuron n{model, iaf::constant{i_ext}, integrator, timing, dt};
    std::vector<double> spikes;
    std::vector<iaf::input_event<typename M::port>> batch;
    std::size_t next = 0;
    const auto steps = static_cast<std::int64_t>(std::ceil(t_end / dt));
    for (std::int64_t k = 0; k < steps; ++k) {
        batch.clear();
        for (; next < kicks.size(); ++next) {
            const placed at = place(kicks[next].t, dt);
            if (at.step != k) break;
            batch.push_back({at.offset, kicks[next].where, kicks[next].w});
        }
        n.step(batch, [&](double t) { spikes.push_back(t); });
        after_step(n);
    }
    REQUIRE(next == kicks.size());
    return spikes;
}

template <typename M, typename I, typename P>
std::vector<double> spike_train(const M& model, double i_ext, const std::vector<kick>& kicks, const I& integrator,
                                const P& timing, double dt, double t_end) {
    return run(model, i_ext, kicks, integrator, timing, dt, t_end, [](const auto&) {});
}

// The reference integrator: dopri5 at tolerances far below what the checks resolve.
const iaf::dopri5 reference{.rtol = 1e-12, .atol = 1e-14};

}  // namespace

TEST_CASE("lif_cond_exp: after a g_ex event, g_ex decays as w e^{-t/tau_ex} and V follows the quadrature reference") {
    const iaf::lif_cond_exp m;  // NEST's defaults: tau_syn_ex = 0.2 ms, E_ex = 0, E_L = -70, C = 0.25 nF
    const iaf::lif_cond_exp_parameters& p = m.parameters();
    const L w = 0.05L, tau = L(p.tau_syn_ex), c = L(p.c_m), g_l = L(p.g_l), drive = L(p.e_ex) - L(p.e_l);
    const auto g = [&](L t) { return w * std::exp(-t / tau); };
    const auto big_p = [&](L t) { return g_l * t / c + w * tau / c * -std::expm1(-t / tau); };
    const auto integrand = [&](L s) { return std::exp(big_p(s)) * g(s) * drive / c; };
    const double dt = 0.01;
    const int steps = 1000;  // 10 ms: the PSP's rise (~1 ms) and most of its decay (tau_m = 15 ms)
    // Integral of the integrand over each step, Simpson with 64 panels (error ~ (dt/64)^4 / tau^4 relative).
    std::vector<L> y_ref(static_cast<std::size_t>(steps) + 1, 0.0L);
    L integral = 0;
    for (int k = 0; k < steps; ++k) {
        const L a = L(k) * L(dt), h = L(dt) / 64;
        L sum = integrand(a) + integrand(a + L(dt));
        for (int j = 1; j < 64; ++j) sum += (j % 2 == 1 ? 4 : 2) * integrand(a + L(j) * h);
        integral += sum * h / 3;
        y_ref[static_cast<std::size_t>(k) + 1] = std::exp(-big_p(a + L(dt))) * integral;
    }
    // The reference's own check: the PSP peak is near 1 ms and about w tau (E_ex - E_L) / C = 2.8 mV
    // reduced by the leak and by the driving force lost on the way.
    const L peak = *std::max_element(y_ref.begin(), y_ref.end());
    CHECK(peak > 2.0L);
    CHECK(peak < 2.8L);

    const auto check_against = [&](const std::string& name, const auto& integrator, double v_bound, double g_bound) {
        iaf::neuron n{m, iaf::constant{0.0}, integrator, iaf::hermite{}, dt};
        n.receive(port::g_ex, double(w));
        double worst_v = 0.0, worst_g = 0.0;
        for (int k = 1; k <= steps; ++k) {
            REQUIRE(n.step() == 0);
            const L t = L(k) * L(dt);
            worst_v = std::max(worst_v, double(std::abs(L(n.voltage()) - (L(p.e_l) + y_ref[static_cast<std::size_t>(k)]))));
            // Relative while g_ex is above 1e-6 w (t < 14 tau_ex): below, dopri5's atol dominates.
            if (t < 14 * tau) worst_g = std::max(worst_g, double(std::abs(L(n.state()[1]) - g(t)) / g(t)));
            CHECK(n.state()[2] == 0.0);  // g_in untouched
        }
        MESSAGE(name << ", dt = " << dt << ": max |V - reference| " << worst_v << " mV, max relative g_ex error "
                     << worst_g << " (PSP peak " << double(peak) << " mV)");
        CHECK(worst_v < v_bound);
        CHECK(worst_g < g_bound);
    };
    // rk4 multiplies g_ex by e^{-x} (1 + O(x^5 / 120)) per step, x = dt / tau_ex = 0.05: 2.6e-9 per
    // step relative, k times after k steps (2.6e-6 at 10 ms); its V error is of the same order.
    // dopri5's relative error on g_ex accumulates over its internal steps: 7.4e-10 measured.
    check_against("dopri5 (rtol 1e-12)", reference, 1e-10, 3e-9);
    check_against("rk4", iaf::rk4{}, 1e-7, 3e-6);
}

TEST_CASE("lif_cond_exp: at a synapse's reversal potential its conductance changes nothing") {
    // E_ex = E_L: a neuron at rest sits at the excitatory reversal potential, so g_ex (E_ex - V) is
    // exactly 0 and V stays at E_L, bit for bit, while g_ex decays. The same for E_in = E_L.
    const iaf::lif_cond_exp at_ex{{.e_ex = -70.0}};
    const iaf::lif_cond_exp at_in{{.e_in = -70.0}};
    iaf::neuron n_ex{at_ex, iaf::constant{0.0}, iaf::rk4{}, iaf::hermite{}, 0.1};
    iaf::neuron n_in{at_in, iaf::constant{0.0}, iaf::rk4{}, iaf::hermite{}, 0.1};
    n_ex.receive(port::g_ex, 0.5);
    n_in.receive(port::g_in, 0.5);
    for (int k = 0; k < 100; ++k) {
        n_ex.step();
        n_in.step();
        CHECK(n_ex.voltage() == -70.0);
        CHECK(n_in.voltage() == -70.0);
    }
    CHECK(n_ex.state()[1] > 0.0);
    CHECK(n_ex.state()[1] < 0.5 * std::exp(-9.0 / 0.2));  // decayed with tau_syn_ex = 0.2 ms
    CHECK(n_in.state()[2] > 0.0);
    // And the sign either side of the reversal potential: g_ex pulls V up below E_ex and down above
    // it; g_in pulls V down above E_in (from rest, -70 > -85).
    const iaf::lif_cond_exp m;
    const auto dv = [&](double v, double g_ex, double g_in) {
        return m.derivative(0.0, Eigen::Vector3d{v, g_ex, g_in}, 0.0)[0];
    };
    CHECK(dv(0.0, 0.3, 0.0) - dv(0.0, 0.0, 0.0) == 0.0);  // at E_ex = 0 exactly nothing
    CHECK(dv(-85.0, 0.0, 0.3) - dv(-85.0, 0.0, 0.0) == 0.0);  // at E_in exactly nothing
    CHECK(dv(-60.0, 0.3, 0.0) - dv(-60.0, 0.0, 0.0) == doctest::Approx(0.3 * 60.0 / 0.25).epsilon(1e-14));
    CHECK(dv(10.0, 0.3, 0.0) - dv(10.0, 0.0, 0.0) == doctest::Approx(-0.3 * 10.0 / 0.25).epsilon(1e-14));
    CHECK(dv(-70.0, 0.0, 0.3) - dv(-70.0, 0.0, 0.0) == doctest::Approx(-0.3 * 15.0 / 0.25).epsilon(1e-14));
}

TEST_CASE("lif_cond_exp: under a constant current V relaxes to E_L + I / g_L with tau_m = C / g_L") {
    const iaf::lif_cond_exp m;
    const double i = 0.2, e_l = -70.0, g_l = 0.0166667, c = 0.25;
    const double v_inf = e_l + i / g_l;  // -58.0 mV, below V_th = -55
    const double tau_m = c / g_l;
    iaf::neuron n{m, iaf::constant{i}, iaf::rk4{}, iaf::hermite{}, 0.1};
    double worst = 0.0;
    for (int k = 1; k <= 5000; ++k) {  // 500 ms, 33 tau_m
        REQUIRE(n.step() == 0);
        const double t = k * 0.1;
        worst = std::max(worst, std::abs(n.voltage() - (v_inf + (e_l - v_inf) * std::exp(-t / tau_m))));
    }
    MESSAGE("rk4, dt = 0.1: max |V - closed form| " << worst << " mV; V(500 ms) - (E_L + I/g_L) = "
                                                    << n.voltage() - v_inf << " mV");
    // rk4's relative error per step (dt / tau_m)^5 / 120 = 2.7e-13 on a 12 mV relaxation.
    CHECK(worst < 1e-10);
    CHECK_ABS(n.voltage(), v_inf, 1e-12);
    CHECK(n.state()[1] == 0.0);
    CHECK(n.state()[2] == 0.0);
}

TEST_CASE("lif_cond_exp: during t_ref V is held at v_reset while both conductances decay") {
    // 0.5 nA alone gives V_inf = -40 mV: the neuron fires near tau_m ln 2 = 10.4 ms; the
    // conductance events just before then are still decaying through the first refractory period.
    const iaf::lif_cond_exp m;
    const std::vector<kick> kicks{{8.51, port::g_in, 0.01}, {9.637, port::g_ex, 0.01}};
    const double dt = 0.1;
    iaf::neuron n{m, iaf::constant{0.5}, reference, iaf::analytic{}, dt};
    std::vector<double> spikes;
    std::size_t next = 0;
    std::vector<iaf::input_event<port>> batch;
    while (spikes.empty()) {
        REQUIRE(n.time() < 40.0);
        batch.clear();
        for (; next < kicks.size() && place(kicks[next].t, dt).step == n.steps(); ++next)
            batch.push_back({place(kicks[next].t, dt).offset, kicks[next].where, kicks[next].w});
        n.step(batch, [&](double t) { spikes.push_back(t); });
    }
    REQUIRE(next == kicks.size());
    const double t_spike = spikes[0];
    MESSAGE("first spike at " << t_spike << " ms");
    CHECK(t_spike > 9.637);
    REQUIRE(n.refractory());
    // Events during the period: on V dropped, on a conductance added.
    n.receive(port::v, 20.0);
    CHECK(n.voltage() == m.parameters().v_reset);
    const double t_extra = n.time();
    n.receive(port::g_ex, 0.03);
    const auto g_ex = [&](L t) {
        return 0.01L * std::exp(-(t - 9.637L) / 0.2L) + 0.03L * std::exp(-(t - L(t_extra)) / 0.2L);
    };
    const auto g_in = [&](L t) { return 0.01L * std::exp(-(t - 8.51L) / 2.0L); };
    int held = 0;
    double worst = 0.0, worst_ex = 0.0;
    while (n.refractory()) {
        CAPTURE(n.time());
        CHECK(n.voltage() == m.parameters().v_reset);
        const L t = L(n.time());
        // g_ex falls by e^{-10} over t_ref: absolute, against the reference's atol of 1e-14 uS.
        worst_ex = std::max(worst_ex, double(std::abs(L(n.state()[1]) - g_ex(t))));
        worst = std::max(worst, double(std::abs(L(n.state()[2]) - g_in(t)) / g_in(t)));
        ++held;
        CHECK(n.step() == 0);
    }
    MESSAGE("dopri5: " << held << " refractory states, max relative g_in error " << worst << ", max |g_ex error| "
                        << worst_ex << " uS");
    CHECK(worst_ex < 1e-12);
    CHECK(held == int(std::ceil((t_spike + 2.0) / dt) - std::ceil(t_spike / dt)));
    CHECK(worst < 1e-9);
    CHECK(n.voltage() > m.parameters().v_reset);
}

TEST_CASE("lif_cond_exp: rk4 + hermite converges to the dopri5 spike time at fourth order") {
    // A 0.2 nA drive holds V 3 mV below threshold; two g_ex events at off-grid times push it over.
    const iaf::lif_cond_exp m{{.v_init = -58.0}};
    const std::vector<kick> kicks{{1.037, port::g_ex, 0.05}, {2.51, port::g_ex, 0.08}};
    const std::vector<double> ref = spike_train(m, 0.2, kicks, reference, iaf::analytic{}, 0.01, 8.0);
    REQUIRE(ref.size() == 1);
    // The reference does not depend on its grid: dopri5 chooses its own internal steps.
    const std::vector<double> ref_coarse = spike_train(m, 0.2, kicks, reference, iaf::analytic{}, 0.1, 8.0);
    REQUIRE(ref_coarse.size() == 1);
    MESSAGE("dopri5 reference: spike at " << ref[0] << " ms; at dt = 0.1 it differs by " << std::abs(ref_coarse[0] - ref[0]));
    CHECK(std::abs(ref_coarse[0] - ref[0]) < 1e-10);

    // From dt = 0.02 on the errors fall 16-fold per halving (measured down to 0.0025: 3.8e-8,
    // 2.4e-9, 1.5e-10, 8.4e-12 ms); at 0.04 = tau_syn_ex / 5 rk4 is not yet asymptotic (1.0e-7).
    const std::vector<double> dts{0.02, 0.01, 0.005};
    std::vector<double> errs;
    for (const double dt : dts) {
        const std::vector<double> s = spike_train(m, 0.2, kicks, iaf::rk4{}, iaf::hermite{}, dt, 8.0);
        REQUIRE(s.size() == 1);
        errs.push_back(std::abs(s[0] - ref[0]));
    }
    const double p = iaf_test::fitted_order(dts, errs);
    for (std::size_t j = 0; j < dts.size(); ++j) MESSAGE("rk4 + hermite dt = " << dts[j] << ": " << errs[j]);
    MESSAGE("fitted order " << p);
    CHECK(p > 3.5);
    CHECK(p < 4.5);
    CHECK(errs[2] < 1e-9);
}

TEST_CASE("lif_cond_exp: every explicit integrator stays finite over a dt sweep; past Euler's bound on tau_syn_ex "
          "the neuron is refused at construction, and opted in it stops with a simulation_error") {
    // 0.5 nA fires regularly; excitatory and inhibitory events every few ms. The model declares
    // its fastest linear rate, 1/tau_syn_ex = 5/ms, so euler and heun are bounded at dt <= 0.4 ms
    // and rk4 at 0.557 ms.
    const iaf::lif_cond_exp m;
    std::vector<kick> kicks;
    for (int j = 0; j < 6; ++j) {
        kicks.push_back({3.3 + 4.7 * j, port::g_ex, 0.03});
        kicks.push_back({5.1 + 4.7 * j, port::g_in, 0.01});
    }
    const double t_end = 30.0;  // 30000 steps at dt = 0.001 per integrator: most of the run time under ASan
    const std::vector<double> ref = spike_train(m, 0.5, kicks, reference, iaf::analytic{}, 0.01, t_end);
    REQUIRE(ref.size() >= 2);
    const auto sweep = [&](const std::string& name, const auto& integrator, const auto& timing,
                           const std::vector<double>& dts) {
        for (const double dt : dts) {
            CAPTURE(name);
            CAPTURE(dt);
            bool finite = true;
            const std::vector<double> s = run(m, 0.5, kicks, integrator, timing, dt, t_end, [&](const auto& n) {
                finite = finite && n.state().allFinite();
            });
            CHECK(finite);
            const auto diff = static_cast<long>(s.size()) - static_cast<long>(ref.size());
            MESSAGE(name << ", dt = " << dt << ": " << s.size() << " spikes (reference " << ref.size() << ")");
            CHECK(std::abs(diff) <= (dt <= 0.1 ? 0 : 1));
            // On resolved grids the train is the reference's, to the pairing's accuracy: at most
            // 2 dt (grid reports a step's end, Euler adds its own first-order error).
            if (dt <= 0.1 && s.size() == ref.size()) {
                double worst = 0.0;
                for (std::size_t j = 0; j < s.size(); ++j) worst = std::max(worst, std::abs(s[j] - ref[j]));
                MESSAGE(name << ", dt = " << dt << ": max spike-time difference to dopri5 " << worst << " ms");
                CHECK(worst < 2 * dt);
            }
        }
    };
    sweep("euler + grid", iaf::euler{}, iaf::grid{}, {0.001, 0.01, 0.1});
    sweep("heun + linear", iaf::heun{}, iaf::linear{}, {0.001, 0.01, 0.1});
    sweep("rk4 + hermite", iaf::rk4{}, iaf::hermite{}, {0.001, 0.01, 0.1, 0.5});
    sweep("dopri5 + analytic", iaf::dopri5{}, iaf::analytic{}, {0.001, 0.01, 0.1, 0.5});

    // dt = 0.5 ms = 2.5 tau_syn_ex is past Euler's and Heun's bound of 2 tau_syn_ex = 0.4 ms:
    // refused when the neuron is built, naming the bound.
    const auto refused = doctest::Contains("dt = 0.5 ms exceeds the stability bound 2 tau = 0.4 ms");
    CHECK_THROWS_WITH_AS(spike_train(m, 0.5, kicks, iaf::euler{}, iaf::grid{}, 0.5, 2000.0), refused,
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(spike_train(m, 0.5, kicks, iaf::heun{}, iaf::linear{}, 0.5, 2000.0), refused,
                         iaf::invalid_parameter);
    // Opted in, Euler multiplies g_ex by 1 - 2.5 = -1.5 and Heun by 1.625 per step, so g_ex grows
    // until V leaves the finite numbers (488 ms for Euler) and the neuron reports it, naming the
    // likely cause.
    const auto diverges = doctest::Contains("dt is beyond its stability limit for this model");
    CHECK_THROWS_WITH_AS(
        spike_train(m, 0.5, kicks, iaf::euler{.allow_unstable = true}, iaf::grid{}, 0.5, 2000.0), diverges,
        iaf::simulation_error);
    CHECK_THROWS_WITH_AS(
        spike_train(m, 0.5, kicks, iaf::heun{.allow_unstable = true}, iaf::linear{}, 0.5, 2000.0), diverges,
        iaf::simulation_error);
}

TEST_CASE("lif_cond_exp: float instantiation in a neuron and in a population fires the double spike train") {
    using F = iaf::basic_lif_cond_exp<float>;
    const iaf::lif_cond_exp_parameters p{};
    const std::vector<kick> kicks{{3.037, port::g_ex, 0.02}, {17.51, port::g_ex, 0.03}, {40.2, port::g_in, 0.02}};
    const double dt = 0.1, t_end = 100.0, i = 0.5;
    const std::vector<double> d = spike_train(iaf::lif_cond_exp{p}, i, kicks, iaf::rk4{}, iaf::hermite{}, dt, t_end);
    const std::vector<double> f = spike_train(F{p}, i, kicks, iaf::rk4{}, iaf::hermite{}, dt, t_end);
    REQUIRE(d.size() >= 4);
    REQUIRE(f.size() == d.size());
    double worst = 0.0;
    for (std::size_t j = 0; j < d.size(); ++j) worst = std::max(worst, std::abs(f[j] - d[j]));
    MESSAGE("float vs double neuron: " << d.size() << " spikes, max spike-time difference " << worst << " ms");
    CHECK(worst < 1e-3);

    // Two float neurons in a population: neuron 0 gets the events, 1 none; each equals the float
    // neuron with the same input.
    iaf::population pop{F{p}, 2, iaf::rk4{}, iaf::hermite{}, dt};
    using input_scalar = decltype(pop)::scalar_type;
    const std::vector<input_scalar> input(2, input_scalar(i));
    std::vector<std::vector<double>> got(2);
    std::size_t next = 0;
    const auto steps = static_cast<std::int64_t>(std::ceil(t_end / dt));
    for (std::int64_t k = 0; k < steps; ++k) {
        for (; next < kicks.size(); ++next) {
            const placed at = place(kicks[next].t, dt);
            if (at.step != k) break;
            pop.deliver(0, kicks[next].where, at.offset, kicks[next].w);
        }
        pop.step(std::span<const input_scalar>(input), [&](std::size_t j, iaf::grid_time t) {
            got[j].push_back(double(t.step) * dt + t.offset);
        });
    }
    REQUIRE(got[0].size() == f.size());
    for (std::size_t j = 0; j < f.size(); ++j) CHECK(std::abs(got[0][j] - f[j]) < 1e-9);
    const std::vector<double> plain = spike_train(F{p}, i, {}, iaf::rk4{}, iaf::hermite{}, dt, t_end);
    REQUIRE(got[1].size() == plain.size());
    for (std::size_t j = 0; j < plain.size(); ++j) CHECK(std::abs(got[1][j] - plain[j]) < 1e-9);
    MESSAGE("float population: " << got[0].size() << " spikes with events, " << got[1].size() << " without");
}

TEST_CASE("lif_cond_exp: bad parameters throw messages naming parameter, value and rule") {
    using iaf::invalid_parameter;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS(iaf::lif_cond_exp({.g_l = 0.0}), "iaf::lif_cond_exp: g_l = 0 is invalid (must be > 0)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif_cond_exp({.tau_syn_ex = -0.2}),
                         "iaf::lif_cond_exp: tau_syn_ex = -0.2 is invalid (must be > 0)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif_cond_exp({.tau_syn_in = nan}),
                         "iaf::lif_cond_exp: tau_syn_in = nan is invalid (must be finite)", invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif_cond_exp({.e_in = std::numeric_limits<double>::infinity()}),
                         "iaf::lif_cond_exp: e_in = inf is invalid (must be finite)", invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif_cond_exp({.v_th = -55.0, .v_reset = -55.0}),
                         "iaf::lif_cond_exp: v_reset = -55 is invalid (must be < v_th)", invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::lif_cond_exp({.c_m = 1e-310}),
                         "iaf::lif_cond_exp: c_m = 1e-310 is invalid (1 / c_m must be finite in the "
                         "scalar type)",
                         invalid_parameter);
    // In float: 1e-50 uS rounds to 0 (no leak at all), 1e39 mV overflows.
    CHECK_THROWS_WITH_AS(iaf::basic_lif_cond_exp<float>({.g_l = 1e-50}),
                         "iaf::lif_cond_exp: g_l = 1e-50 is invalid (must be > 0 in the scalar type)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::basic_lif_cond_exp<float>({.e_ex = 1e39}),
                         "iaf::lif_cond_exp: e_ex = 1e+39 is invalid (must be finite in the scalar "
                         "type)",
                         invalid_parameter);
}
