#include <algorithm>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "support/tolerance.hpp"

namespace {

// The teaching notebook's loop, transcribed: C dV/dt = I - V/R, forward Euler at dt = 0.01 over
// t in [0, 100), V(0) = V_rest, and on V >= theta: V = V_rest, spike at i * dt.
std::vector<double> notebook_spike_times(double i, double r, double c, double theta, double v_rest) {
    const double dt = 0.01;
    const int n = 10000;
    std::vector<double> spikes;
    double v = v_rest;
    for (int k = 1; k < n; ++k) {
        v = v + dt * (i - v / r) / c;
        if (v >= theta) {
            v = v_rest;
            spikes.push_back(k * dt);
        }
    }
    return spikes;
}

iaf::lif notebook_neuron(double r, double c, double theta, double v_rest) {
    return iaf::lif{{.r_m = r, .c_m = c, .e_l = 0.0, .v_th = theta, .v_reset = v_rest, .v_init = v_rest}};
}

}  // namespace

TEST_CASE("simulate: reproduces the notebook's constant-current run spike for spike") {
    // The notebook's defaults, then a few other slider positions.
    struct setting {
        double i, r, c, theta, v_rest;
    };
    for (const setting s : {setting{0.8, 6.4, 0.9, 5.0, 0.4}, setting{1.5, 5.0, 0.5, 5.0, 0.0},
                            setting{3.0, 10.0, 2.0, 20.0, 1.0}}) {
        const auto expected = notebook_spike_times(s.i, s.r, s.c, s.theta, s.v_rest);
        const auto result = iaf::simulate(notebook_neuron(s.r, s.c, s.theta, s.v_rest), [&](double) { return s.i; },
                                          iaf::euler{}, iaf::grid{}, {.dt = 0.01, .t_end = 99.99});
        REQUIRE(expected.size() >= 4);
        REQUIRE(result.spike_times.size() == expected.size());
        for (std::size_t k = 0; k < expected.size(); ++k)
            CHECK_ABS(result.spike_times[k], expected[k], 1e-12);  // both k * dt: identical (achieved 0)
    }
}

TEST_CASE("simulate: Euler's first spike converges to tau ln((RI - V0)/(RI - theta)) at order 1") {
    const double i = 0.8, r = 6.4, c = 0.9, theta = 5.0, v0 = 0.4;
    const double t_star = r * c * std::log((r * i - v0) / (r * i - theta));
    std::vector<double> errors;
    for (double dt : {0.01, 0.001, 0.0001}) {
        const auto result = iaf::simulate(notebook_neuron(r, c, theta, v0), [&](double) { return i; }, iaf::euler{},
                                          {.dt = dt, .t_end = 30.0});
        REQUIRE_FALSE(result.spike_times.empty());
        errors.push_back(std::abs(result.spike_times.front() - t_star));
    }
    // Each tenfold refinement divides the error by about ten (first order), and it does go to zero.
    for (std::size_t k = 1; k < errors.size(); ++k) {
        const double order = std::log10(errors[k - 1] / errors[k]);
        // Grid spike times jitter with the grid's phase: achieved 0.92 and 0.99.
        CHECK_ABS(order, 1.0, 0.15);
    }
    CHECK(errors.back() < 5e-3);
}

TEST_CASE("simulate: the trace samples V every record_every steps from t_start") {
    // V relaxes from 0 towards V_inf = R I = 10 mV; sample j is j * 10 steps of 0.1 ms after t_start.
    const iaf::lif m{{.tau_m = 10.0, .c_m = 1.0, .v_th = 100.0}};
    for (const double t_start : {0.0, 0.37, 1e3, 1e6}) {
        CAPTURE(t_start);
        const auto result =
            iaf::simulate(m, [](double) { return 1.0; }, iaf::exact{},
                          {.dt = 0.1, .t_end = t_start + 10.0, .t_start = t_start, .record_every = 10});
        REQUIRE(result.time.size() == 11);
        REQUIRE(result.voltage.size() == 11);
        for (std::size_t k = 0; k < result.time.size(); ++k) {
            const double elapsed = static_cast<double>(k);
            // t_start + 10 k * 0.1 rounds once at the magnitude of t_start (achieved 8.9e-16).
            CHECK_ABS(result.time[k], t_start + elapsed, 4e-16 * (t_start + elapsed) + 1e-15);
            // The exact propagator, 10 k steps: achieved 1.8e-15 mV.
            CHECK_ABS(result.voltage[k], 10.0 * -std::expm1(-elapsed / 10.0), 1e-14);
        }
        CHECK(result.spike_times.empty());
    }
}

namespace {

// The LIF of the t_start tests: rest and reset at 0, threshold 15 mV, tau 10 ms, R 40 MOhm.
constexpr double tau = 10.0, r_m = 40.0, v_th = 15.0;

// Time from V = 0 to threshold under constant i (V_inf = R i > v_th), written out here.
double time_to_threshold(double i) {
    return tau * std::log(r_m * i / (r_m * i - v_th));
}

iaf::lif t_start_neuron(double t_ref) {
    return iaf::lif{
        {.tau_m = tau, .c_m = tau / r_m, .e_l = 0.0, .v_th = v_th, .v_reset = 0.0, .t_ref = t_ref}};
}

}  // namespace

TEST_CASE("simulate: from t_start = 0.37, 1e3, 1e6 spikes are t_start + t1 + k (t_ref + T), in the run") {
    const double i = 0.5, t_ref = 2.0;       // V_inf = 20 mV
    const double t1 = time_to_threshold(i);  // from V = 0 (start and reset alike): 13.86 ms
    for (const double t_start : {0.37, 1e3, 1e6}) {
        CAPTURE(t_start);
        const double t_end = t_start + 100.0;
        const auto result = iaf::simulate(t_start_neuron(t_ref), iaf::constant{i}, iaf::exact{},
                                          iaf::analytic{}, {.dt = 0.1, .t_end = t_end, .t_start = t_start});
        // 100 ms hold floor((100 - t1) / (t_ref + t1)) + 1 = 6 spikes.
        REQUIRE(result.spike_times.size() == 6);
        for (std::size_t k = 0; k < result.spike_times.size(); ++k) {
            const double t = result.spike_times[k];
            const double expected = t_start + t1 + static_cast<double>(k) * (t_ref + t1);
            CHECK(t >= t_start);
            CHECK(t <= t_end);
            // Achieved 2.8e-14 ms from 0.37, 2.3e-13 from 1e3, 1.2e-10 (1 ulp) from 1e6.
            CHECK_ABS(t, expected, iaf_test::time_tolerance(expected, 8.0));  // ulp(1e6) = 1.2e-10 ms
        }
    }
}

TEST_CASE("simulate: a step current at an absolute time is read at absolute time when t_start is nonzero") {
    // The current switches on 5.25 ms after t_start, off-grid; the spike follows by time_to_threshold.
    // Were t_start dropped (the run from 0 to t_end - t_start), the onset would lie outside the run
    // (or, for t_start = 0.37, 0.37 ms later than the grid that was run).
    const double i = 0.5;
    for (const double t_start : {0.37, 1e3, 1e6}) {
        CAPTURE(t_start);
        const double onset = t_start + 5.25;
        const double t_end = t_start + 30.0;
        const auto result = iaf::simulate(t_start_neuron(0.0), iaf::step{.onset = onset, .amplitude = i},
                                          iaf::exact{}, iaf::analytic{},
                                          {.dt = 0.1, .t_end = t_end, .t_start = t_start, .record_every = 1});
        REQUIRE(result.spike_times.size() == 1);
        const double expected = onset + time_to_threshold(i);
        // Splitting the step at an onset near 1e6 ms costs more than the constant run: 28 ulp there
        // (3.3e-9 ms; 3.2e-12 at 1e3, 6.8e-14 at 0.37), so 64 ulp.
        CHECK_ABS(result.spike_times[0], expected, iaf_test::time_tolerance(expected, 64.0));
        // V stays at rest until the onset, and every sample lies in [t_start, t_end].
        REQUIRE_FALSE(result.time.empty());
        CHECK(result.time.front() == t_start);
        for (std::size_t k = 0; k < result.time.size(); ++k) {
            CHECK(result.time[k] >= t_start);
            CHECK(result.time[k] <= t_end + 1e-9 * std::abs(t_end));
            if (result.time[k] <= onset) CHECK(result.voltage[k] == 0.0);
        }
    }
}

TEST_CASE("simulate: bad options throw messages naming the option") {
    const iaf::lif m;
    const auto zero = [](double) { return 0.0; };
    CHECK_THROWS_WITH_AS((void)iaf::simulate(m, zero, iaf::euler{}, {.dt = 0.0}),
                         "iaf::simulate: dt = 0 is invalid (must be > 0)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)iaf::simulate(m, zero, iaf::euler{}, {.dt = 0.1, .t_end = -1.0}),
                         "iaf::simulate: t_end = -1 is invalid (must be >= t_start)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)iaf::simulate(m, zero, iaf::euler{}, {.dt = 0.1, .record_every = -3}),
                         "iaf::simulate: record_every = -3 is invalid (must be >= 0)", iaf::invalid_parameter);
}

// A constant current whose first spike falls at 1.16 ms exactly (exact + analytic), inside the
// grid's fourth step of 0.3 ms, [0.9, 1.2]: with t_end = 1 that step is taken, but the spike is
// after t_end, so it is not part of the run; with t_end = 1.2 it is.
TEST_CASE("simulate: spikes after t_end, inside the last step, are not reported") {
    const double r = 40.0, theta = 15.0, first = 1.16;
    const double input = theta / (r * -std::expm1(-first / tau));  // V(first) = R I (1 - e^{-t/tau}) = theta
    const iaf::lif m{{.tau_m = tau, .c_m = tau / r, .e_l = 0.0, .v_th = theta, .v_reset = 0.0}};
    const auto drive = iaf::constant{input};
    const auto cut = iaf::simulate(m, drive, iaf::exact{}, iaf::analytic{}, {.dt = 0.3, .t_end = 1.0});
    CHECK(cut.spike_times.empty());
    const auto whole = iaf::simulate(m, drive, iaf::exact{}, iaf::analytic{}, {.dt = 0.3, .t_end = 1.2});
    REQUIRE(whole.spike_times.size() == 1);
    CHECK(std::abs(whole.spike_times[0] - first) < 1e-12);
}

TEST_CASE("simulate: a step count beyond 2^53 is refused, not overflowed") {
    const iaf::lif m;
    const auto zero = [](double) { return 0.0; };
    // 1e19 steps of 1 ms: the int64 count would overflow (undefined behaviour); 2^53 + 2^40 steps
    // would not, but its k * dt would no longer be exact.
    CHECK_THROWS_WITH_AS((void)iaf::simulate(m, zero, iaf::euler{}, {.dt = 1.0, .t_end = 1e19}),
                         "iaf::simulate: t_end = 1e+19 is invalid (must be at most 2^53 steps of dt after t_start)",
                         iaf::invalid_parameter);
    CHECK_THROWS_AS((void)iaf::simulate(m, zero, iaf::euler{}, {.dt = 1.0, .t_end = 0x1p53 + 0x1p40}),
                    iaf::invalid_parameter);
    CHECK_THROWS_AS((void)iaf::simulate(m, zero, iaf::euler{}, {.dt = 1e-300, .t_end = 1.0}), iaf::invalid_parameter);
}

TEST_CASE("simulate: a trace of more than 1e9 samples is refused before anything is allocated") {
    const iaf::lif m;
    const auto zero = [](double) { return 0.0; };
    // 1e8 ms at dt = 0.01 ms is 1e10 steps; one sample per step plus the one at t_start.
    CHECK_THROWS_WITH_AS((void)iaf::simulate(m, zero, iaf::euler{}, {.dt = 0.01, .t_end = 1e8, .record_every = 1}),
                         "iaf::simulate: t_end = 1e+08 is invalid (must give at most 1e9 trace samples "
                         "(max_trace_samples), not 10000000001 with dt = 0.01, t_start = 0, record_every = 1; raise "
                         "record_every)",
                         iaf::invalid_parameter);
    // Just above the limit: 1e9 steps of 1 ms, one sample each plus the one at t_start. (An
    // accepted run at the limit would reserve 16 GB, so none is started here.)
    static_assert(iaf::max_trace_samples == 1'000'000'000);
    CHECK_THROWS_WITH_AS((void)iaf::simulate(m, zero, iaf::euler{}, {.dt = 1.0, .t_end = 1e9, .record_every = 1}),
                         "iaf::simulate: t_end = 1e+09 is invalid (must give at most 1e9 trace samples "
                         "(max_trace_samples), not 1000000001 with dt = 1, t_start = 0, record_every = 1; raise "
                         "record_every)",
                         iaf::invalid_parameter);
}
