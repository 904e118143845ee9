// Synaptic events delivered to a neuron inside a step (`step(events, on_spike)`) and between steps
// (`receive`): a LIF driven by a constant current and by delta inputs at off-grid times, against
// its closed form computed here event by event in long double.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "support/tolerance.hpp"

namespace {

using event = iaf::input_event<iaf::lif::port>;
constexpr auto on_v = iaf::lif::port::v;

constexpr double tau = 10.0, c_m = 0.25, r_m = tau / c_m;  // r_m = 40 MOhm
constexpr double e_l = 0.0, v_th = 15.0, v_reset = 0.0, t_ref = 2.0;
// V_inf = E_L + R I = 16 mV: just above threshold, so the drift alone crosses (slowly, every
// ~30 ms) and V spends long stretches just below v_th, where an excitatory jump fires.
constexpr double drive = 0.4;
constexpr double t_end = 1000.0;

iaf::lif model() {
    return iaf::lif{{.tau_m = tau, .c_m = c_m, .e_l = e_l, .v_th = v_th, .v_reset = v_reset, .t_ref = t_ref}};
}

struct arrival {
    double t;  // [ms]
    double w;  // [mV]
};

// A uniform double in [0, 1) from the top 53 bits: mt19937_64's output is fixed by the standard,
// std::uniform_real_distribution's is not, so the scenario is the same with every library.
double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1p-53; }

// 400 delta inputs at random times in [0, 990) ms: three in four excitatory (0.5 to 4 mV), the rest
// inhibitory (-4 to -0.5 mV); plus a few at whole milliseconds, on (or within rounding of) the
// grid of the step sizes that divide 1 ms.
std::vector<arrival> random_arrivals() {
    std::mt19937_64 rng(20240611);
    std::vector<arrival> in;
    for (int n = 0; n < 400; ++n) {
        const double t = 990.0 * uniform(rng);
        const double size = 0.5 + 3.5 * uniform(rng);
        in.push_back({t, uniform(rng) < 0.25 ? -size : size});
    }
    for (const double t : {100.0, 250.0, 333.0, 500.0, 777.0}) in.push_back({t, 3.0});
    std::sort(in.begin(), in.end(), [](const arrival& a, const arrival& b) { return a.t < b.t; });
    return in;
}

struct closed_form_run {
    std::vector<long double> spikes;
    int by_jump = 0;   // fired at an event's arrival
    int by_drift = 0;  // crossed between events
    int dropped = 0;   // arrived while refractory
};

// The closed form, event by event in long double: between events
// V(t) = V_inf + (V0 - V_inf) exp(-(t - t0)/tau), crossing v_th at t0 + tau ln((V_inf - V0)/(V_inf - v_th));
// an event lifting V to v_th fires at its arrival; after a spike V = v_reset until t_spike + t_ref,
// and events arriving before then are dropped (one arriving exactly at the end lands).
closed_form_run closed_form(const std::vector<arrival>& in) {
    using L = long double;
    const L tau_l = L(tau), th = L(v_th), reset = L(v_reset), refractory = L(t_ref);
    const L v_inf = L(e_l) + L(r_m) * L(drive);
    closed_form_run out;
    L t = 0, v = L(e_l), ref_end = -std::numeric_limits<L>::infinity();
    const auto spike = [&](L at) {
        out.spikes.push_back(at);
        v = reset;
        t = at;
        ref_end = at + refractory;
    };
    const auto advance_to = [&](L te) {
        while (t < te) {
            if (t < ref_end) {
                if (ref_end >= te) {
                    t = te;
                    return;
                }
                t = ref_end;
                continue;
            }
            if (v_inf > th) {
                const L crossing = t + tau_l * std::log((v_inf - v) / (v_inf - th));
                if (crossing < te) {
                    spike(crossing);
                    ++out.by_drift;
                    continue;
                }
            }
            v = v_inf + (v - v_inf) * std::exp(-(te - t) / tau_l);
            t = te;
        }
    };
    for (const arrival& a : in) {
        advance_to(L(a.t));
        if (L(a.t) < ref_end) {  // the period is [t_spike, t_spike + t_ref)
            ++out.dropped;
            continue;
        }
        v += L(a.w);
        if (v >= th) {
            spike(L(a.t));
            ++out.by_jump;
        }
    }
    advance_to(L(t_end));
    return out;
}

// The step that holds time t on the grid of dt, and t's offset in it, in [0, dt).
struct placed {
    std::int64_t step;
    double offset;
};
placed place(double t, double dt) {
    auto k = static_cast<std::int64_t>(std::floor(t / dt));
    double offset = t - static_cast<double>(k) * dt;
    while (offset < 0.0) offset = t - static_cast<double>(--k) * dt;
    while (offset >= dt) offset = t - static_cast<double>(++k) * dt;
    return {k, offset};
}

// Runs the library over [0, t_end) at step dt with every arrival handed to the step holding it,
// calling on_spike(spike) with whatever the neuron reports (a double or an iaf::grid_time).
template <typename I, typename P, typename OnSpike>
void run_library(const I& integrator, const P& timing, double dt, const std::vector<arrival>& in, OnSpike on_spike) {
    iaf::neuron n{model(), iaf::constant{drive}, integrator, timing, dt};
    std::vector<placed> where;
    for (const arrival& a : in) where.push_back(place(a.t, dt));
    std::vector<event> batch;
    std::size_t next = 0;
    const auto steps = static_cast<std::int64_t>(std::ceil(t_end / dt));
    for (std::int64_t k = 0; k < steps; ++k) {
        batch.clear();
        for (; next < in.size() && where[next].step == k; ++next) batch.push_back({where[next].offset, on_v, in[next].w});
        n.step(batch, on_spike);
    }
    REQUIRE(next == in.size());
}

template <typename I, typename P>
std::vector<double> library_spikes(const I& integrator, const P& timing, double dt, const std::vector<arrival>& in) {
    std::vector<double> spikes;
    run_library(integrator, timing, dt, in, [&](double t) {
        if (t < t_end) spikes.push_back(t);
    });
    return spikes;
}

// Same count, and the largest distance between corresponding spikes [ms].
double max_error(const std::vector<double>& got, const std::vector<long double>& expected) {
    REQUIRE(got.size() == expected.size());
    long double worst = 0;
    for (std::size_t n = 0; n < got.size(); ++n) worst = std::max(worst, std::abs(static_cast<long double>(got[n]) - expected[n]));
    return static_cast<double>(worst);
}

}  // namespace

TEST_CASE("neuron: a LIF hit by off-grid delta inputs under exact + analytic spikes at the event-by-event "
          "closed form, for any dt") {
    const auto in = random_arrivals();
    const closed_form_run expected = closed_form(in);
    MESSAGE("closed form: " << expected.spikes.size() << " spikes (" << expected.by_jump << " at a jump, "
                            << expected.by_drift << " between events), " << expected.dropped
                            << " events dropped while refractory");
    // The scenario exercises both ways of firing and the dropping of refractory events.
    REQUIRE(expected.spikes.size() >= 20);
    REQUIRE(expected.by_jump >= 5);
    REQUIRE(expected.by_drift >= 5);
    REQUIRE(expected.dropped >= 5);

    double worst_overall = 0.0;
    for (const double dt : {0.1, 0.05, 0.025, 0.0173}) {
        CAPTURE(dt);
        const double err = max_error(library_spikes(iaf::exact{}, iaf::analytic{}, dt, in), expected.spikes);
        MESSAGE("exact + analytic, dt = " << dt << " ms: max spike-time error " << err << " ms");
        CHECK(err < 1e-12);
        worst_overall = std::max(worst_overall, err);
    }
    MESSAGE("exact + analytic: max spike-time error over all dt " << worst_overall << " ms");
}

TEST_CASE("neuron: a spike callback taking iaf::grid_time gets the same spikes as one taking a double") {
    const auto in = random_arrivals();
    for (const double dt : {0.1, 0.0173}) {
        CAPTURE(dt);
        std::vector<double> as_double;
        std::vector<iaf::grid_time> as_grid;
        run_library(iaf::exact{}, iaf::analytic{}, dt, in, [&](double t) { as_double.push_back(t); });
        run_library(iaf::exact{}, iaf::analytic{}, dt, in, [&](iaf::grid_time g) { as_grid.push_back(g); });
        REQUIRE(as_grid.size() == as_double.size());
        REQUIRE(as_grid.size() >= 20);
        for (std::size_t n = 0; n < as_grid.size(); ++n) {
            CAPTURE(n);
            const iaf::grid_time g = as_grid[n];
            CHECK(g.offset >= 0.0);
            CHECK(g.offset <= dt);
            if (n > 0) CHECK(as_grid[n - 1] < g);
            // step * dt + offset is the double time, to the rounding of the sum.
            const double t = static_cast<double>(g.step) * dt + g.offset;
            CHECK(std::abs(t - as_double[n]) <= 2.0 * std::numeric_limits<double>::epsilon() * as_double[n]);
            CHECK(std::abs(g.time(0.0, dt) - as_double[n]) <= 2.0 * std::numeric_limits<double>::epsilon() * as_double[n]);
        }
    }
}

TEST_CASE("neuron: events must be sorted and inside the step") {
    const double dt = 0.1;
    const auto fresh = [&] { return iaf::neuron{model(), iaf::constant{0.0}, iaf::exact{}, iaf::analytic{}, dt}; };
    const auto rejects = [&](std::vector<event> events) {
        auto n = fresh();
        CHECK_THROWS_WITH_AS(n.step(events, [](double) {}), doctest::Contains("input_event offset"),
                             iaf::invalid_parameter);
    };
    rejects({{0.05, on_v, 1.0}, {0.02, on_v, 1.0}});  // out of order
    rejects({{-0.01, on_v, 1.0}});                     // before the step
    rejects({{-0.0, on_v, 1.0}, {-1e-300, on_v, 1.0}});
    rejects({{dt, on_v, 1.0}});                        // at the next step's start
    rejects({{0.25, on_v, 1.0}});                      // beyond it
    rejects({{std::nan(""), on_v, 1.0}});
    rejects({{std::numeric_limits<double>::infinity(), on_v, 1.0}});

    // Allowed: the step's start, the largest offset below dt, and several events at one offset.
    auto n = fresh();
    const std::vector<event> fine{{0.0, on_v, 1.0},
                                  {0.03, on_v, 1.0},
                                  {0.03, on_v, 1.0},
                                  {std::nextafter(dt, 0.0), on_v, 1.0}};
    CHECK(n.step(fine, [](double) {}) == 0);
    const double v = std::exp(-0.1 / tau) + 2.0 * std::exp(-0.07 / tau) + 1.0;
    CHECK_ABS(n.voltage(), v, 5e-15);  // achieved 4.4e-16 mV
}

TEST_CASE("neuron: receive(port, weight) now lifts V by the weight, and a jump to threshold fires at the start "
          "of the next step") {
    const double dt = 0.1;
    iaf::neuron n{model(), iaf::constant{0.0}, iaf::exact{}, iaf::analytic{}, dt};
    for (int k = 0; k < 10; ++k) n.step();

    n.receive(on_v, 4.0);  // applied now, visible before the next step
    CHECK(n.voltage() == 4.0);
    CHECK_ABS(n.time(), 1.0, 1e-15);  // 10 steps of 0.1 ms
    std::vector<iaf::grid_time> spikes;
    const auto record = [&](iaf::grid_time g) { spikes.push_back(g); };
    CHECK(n.step(record) == 0);  // below threshold: it just decays
    CHECK_ABS(n.voltage(), 4.0 * std::exp(-dt / tau), 1e-14);  // achieved 0

    // Back to exactly 0, then two receives that together reach exactly v_th: the spike is at
    // offset 0 of the next step.
    n.receive(on_v, -n.voltage());
    CHECK(n.voltage() == 0.0);
    n.receive(on_v, 7.5);
    n.receive(on_v, 7.5);
    CHECK(n.voltage() == v_th);
    CHECK_FALSE(n.refractory());
    const std::int64_t k = n.steps();
    CHECK(n.step(record) == 1);
    REQUIRE(spikes.size() == 1);
    CHECK(spikes[0].step == k);
    CHECK(spikes[0].offset == 0.0);
    CHECK(n.voltage() == v_reset);
    CHECK(n.refractory());

    // Under a double callback the same spike is at time(), the step's start.
    iaf::neuron m{model(), iaf::constant{0.0}, iaf::exact{}, iaf::analytic{}, dt};
    for (int j = 0; j < 7; ++j) m.step();
    const double now = m.time();
    m.receive(on_v, 20.0);
    std::vector<double> times;
    CHECK(m.step([&](double t) { times.push_back(t); }) == 1);
    REQUIRE(times.size() == 1);
    CHECK(times[0] == now);
}

TEST_CASE("neuron: events during the refractory period are dropped") {
    const double dt = 0.1;
    iaf::neuron n{model(), iaf::constant{0.0}, iaf::exact{}, iaf::analytic{}, dt};
    n.step();
    // A jump to threshold at offset 0.04 of step 1 fires there; the refractory period ends at 2.14 ms.
    std::vector<double> spikes;
    const auto record = [&](double t) { spikes.push_back(t); };
    const std::vector<event> kick{{0.04, on_v, 16.0}, {0.07, on_v, 30.0}};  // the second is refractory
    CHECK(n.step(kick, record) == 1);
    REQUIRE(spikes.size() == 1);
    CHECK_ABS(spikes[0], 0.14, 1e-15);  // achieved 0
    CHECK(n.voltage() == v_reset);
    CHECK(n.refractory());

    // Events inside the period, delivered in steps and by receive(), change nothing.
    for (int k = 0; k < 19; ++k) {  // steps 2 .. 20, i.e. [0.2, 2.1)
        CHECK(n.step(std::vector<event>{{0.01, on_v, 20.0}, {0.09, on_v, -5.0}}, record) == 0);
        n.receive(on_v, 20.0);
        CHECK(n.voltage() == v_reset);
        CHECK(n.refractory());
    }
    CHECK(spikes.size() == 1);

    // Step 21, [2.1, 2.2): the period ends at 2.14. An event at 2.13 is dropped, one at 2.16 lands
    // on V = v_reset, having decayed by nothing else (no current).
    CHECK(n.step(std::vector<event>{{0.03, on_v, 9.0}, {0.06, on_v, 5.0}}, record) == 0);
    CHECK_FALSE(n.refractory());
    CHECK_ABS(n.voltage(), 5.0 * std::exp(-0.04 / tau), 1e-14);  // achieved 0
    // And once it has ended, receive() lands too.
    n.receive(on_v, 1.0);
    CHECK_ABS(n.voltage(), 5.0 * std::exp(-0.04 / tau) + 1.0, 1e-14);  // achieved 0
    CHECK(spikes.size() == 1);
}

// At dt = 0.01 ms (h / tau_m = 1e-3) RK4's truncation error is below round-off, and so is the
// Hermite cubic's: measured 6.3e-13 ms, bounded here at 5e-12 ms.
TEST_CASE("neuron: off-grid delta inputs under rk4 + hermite spike within 5e-12 ms of the closed form at dt = 0.01") {
    const auto in = random_arrivals();
    const closed_form_run expected = closed_form(in);
    const double err = max_error(library_spikes(iaf::rk4{}, iaf::hermite{}, 0.01, in), expected.spikes);
    MESSAGE("rk4 + hermite, dt = 0.01 ms: " << expected.spikes.size() << " spikes, max spike-time error " << err
                                             << " ms");
    CHECK(err < 5e-12);
}

TEST_CASE("neuron input: an event arriving exactly when the refractory period ends lands") {
    // The period is [t_spike, t_spike + t_ref): with its end at offset 0.05 of step 0, an event
    // there lifts V from 0 by w, which then decays for the rest of the step under exact.
    const double dt = 0.1, w = 2.0, at = 0.05;
    iaf::neuron n{model(), iaf::constant{0.0}, iaf::exact{}, iaf::grid{}, dt};
    n.set_refractory_end({0, at});
    const std::vector<event> events{{at, on_v, w}};
    n.step(events, [](double) {});
    CHECK_REL(n.voltage(), w * std::exp(-(dt - at) / tau), 1e-14);  // achieved 0
    // Just before the end, it is dropped.
    iaf::neuron early{model(), iaf::constant{0.0}, iaf::exact{}, iaf::grid{}, dt};
    early.set_refractory_end({0, at});
    const std::vector<event> before{{std::nextafter(at, 0.0), on_v, w}};
    early.step(before, [](double) {});
    CHECK(early.voltage() == 0.0);
}
