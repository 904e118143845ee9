// The neuron as a host simulator embeds it: its size, spike times as (step, offset) over a long
// run, checkpoints (state and refractory end), a new drive between steps, the checks on what a
// host may set, which combinations compose, and copies. Expected values are computed here, from
// the LIF's closed form in long double, never from the library.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

namespace {

using event = iaf::input_event<iaf::lif::port>;
constexpr auto on_v = iaf::lif::port::v;
constexpr double eps = std::numeric_limits<double>::epsilon();

// tau_m = 10 ms, c_m = 0.25 nF (R = 40 MOhm), E_L = 0, V_th = 15 mV, V_reset = 0, t_ref = 2 ms:
// a drive of 1 nA gives V_inf = 40 mV.
constexpr double tau = 10.0, c_m = 0.25, r_m = tau / c_m;
constexpr double v_th = 15.0, v_reset = 0.0, t_ref = 2.0;

iaf::lif model() {
    return iaf::lif{{.tau_m = tau, .c_m = c_m, .e_l = 0.0, .v_th = v_th, .v_reset = v_reset, .t_ref = t_ref}};
}

// A time on the grid of step dt kept as whole steps plus a remainder in [0, dt), in long double,
// so that the remainder keeps its digits however many steps there are.
struct on_grid {
    std::int64_t step;
    long double offset;
};

// whole * dt + rest, renormalised so that the remainder is in [0, dt).
on_grid normalised(std::int64_t whole, long double rest, long double dt) {
    const auto extra = static_cast<std::int64_t>(std::floor(rest / dt));
    return {whole + extra, rest - static_cast<long double>(extra) * dt};
}

// The n-th spike (n = 1, 2, ...) of the LIF above from V = E_L = 0 under a constant 1 nA:
// t_1 = T1 = tau ln(V_inf / (V_inf - V_th)), and every t_ref + T1 after that (it resets to 0 = E_L,
// so every interval is the first one plus t_ref). Kept as (whole steps, remainder): the interval
// and T1 are split once into whole steps of dt and a remainder; the n-th spike adds n - 1
// remainders, a sum below ~11 ms, so nothing is lost to the size of t_n (~1e6 ms).
struct periodic_closed_form {
    long double dt;
    std::int64_t first_whole, period_whole;
    long double first_rest, period_rest;

    explicit periodic_closed_form(double grid_dt) : dt(static_cast<long double>(grid_dt)) {
        const long double t1 = static_cast<long double>(tau) * std::log(40.0L / (40.0L - 15.0L));
        const long double period = t1 + static_cast<long double>(t_ref);
        first_whole = static_cast<std::int64_t>(std::floor(t1 / dt));
        first_rest = t1 - static_cast<long double>(first_whole) * dt;  // exact: first_whole * dt has 60 bits
        period_whole = static_cast<std::int64_t>(std::floor(period / dt));
        period_rest = period - static_cast<long double>(period_whole) * dt;
    }
    [[nodiscard]] long double first() const { return static_cast<long double>(first_whole) * dt + first_rest; }
    [[nodiscard]] long double period() const { return static_cast<long double>(period_whole) * dt + period_rest; }
    [[nodiscard]] on_grid spike(std::int64_t n) const {
        return normalised(first_whole + (n - 1) * period_whole,
                          first_rest + static_cast<long double>(n - 1) * period_rest, dt);
    }
};

constexpr std::int64_t long_run_steps = 10'000'000;
constexpr double long_run_dt = 0.1;

// The 10^7-step run of exact + analytic under 1 nA, calling on_spike with whatever it takes.
template <typename OnSpike>
void long_run(OnSpike on_spike) {
    iaf::neuron n{model(), iaf::constant{1.0}, iaf::exact{}, iaf::analytic{}, long_run_dt};
    for (std::int64_t k = 0; k < long_run_steps; ++k) n.step(on_spike);
}

// A quadratic integrate-and-fire neuron, dV/dt = V^2 + I: not linear, so `exact` cannot step it.
struct quadratic_if {
    using state_type = double;
    double initial_state() const { return 0.0; }
    double derivative(double, double v, double i) const { return v * v + i; }
    double voltage(double v) const { return v; }
    double threshold() const { return 10.0; }
    double reset(double) const { return -10.0; }
};

struct not_a_current {};
struct returns_a_string {
    std::string operator()(double) const { return "1 nA"; }
};

}  // namespace

// --- Size ------------------------------------------------------------------------------------

// The issue's target: a neuron a host keeps by the million is at most 64 bytes (it was 240).
static_assert(sizeof(iaf::neuron<iaf::lif, iaf::constant, iaf::exact, iaf::grid>) <= 64);

TEST_CASE("neuron: a LIF with constant input, exact and grid timing takes at most 64 bytes") {
    const std::size_t size = sizeof(iaf::neuron<iaf::lif, iaf::constant, iaf::exact, iaf::grid>);
    MESSAGE("sizeof(neuron<lif, constant, exact, grid>) = " << size << " bytes");
    CHECK(size <= 64);
}

// --- Spike times over a long run ---------------------------------------------------------------

// A LIF under exact + analytic is exact to round-off within each interval, but its propagator
// e^{-dt/tau} is a double: its rate is off by a few units of round-off (1.9e-16 relative at
// dt = 0.1, tau = 10, measured), so every interval comes out short by about that fraction of the
// 4.7 ms climb to threshold (measured 7.5e-16 ms per spike), and the error grows linearly over
// the run, to ~1.1e-10 ms after 149,253 spikes. No double-precision propagator avoids this:
// 1e-12 ms after 1e6 ms would need a relative accuracy of 1e-18. So the error of the n-th spike
// is bounded by 1e-12 ms plus n times 2 eps of the 4.7 ms climb.
TEST_CASE("neuron: over 10^7 steps every spike's (step, offset) follows the closed form up to the "
          "propagator's round-off, 1e-12 ms plus 2 eps of the 4.7 ms climb per spike") {
    const periodic_closed_form expected(long_run_dt);
    const auto dt = static_cast<long double>(long_run_dt);
    const long double climb = expected.first();  // T1, the part of each interval spent integrating
    REQUIRE(expected.period_whole == 67);        // the interval is 6.70007 ms

    std::int64_t n = 0, wrong = 0, first_wrong = 0, wrong_step = 0;
    long double worst = 0, worst_ratio = 0, last = 0, first_500 = 0;
    long_run([&](iaf::grid_time g) {
        ++n;
        const on_grid want = expected.spike(n);
        const long double err =
            static_cast<long double>(g.step - want.step) * dt + (static_cast<long double>(g.offset) - want.offset);
        const long double tol = 1e-12L + static_cast<long double>(n) * 2.0L * static_cast<long double>(eps) * climb;
        // The step is the closed form's unless the closed form is within tol of a step boundary.
        const bool near_boundary = want.offset < tol || want.offset > dt - tol;
        if (g.step != want.step && !(near_boundary && std::abs(g.step - want.step) == 1)) ++wrong_step;
        if (!(std::abs(err) <= tol) && wrong++ == 0) first_wrong = n;
        worst = std::max(worst, std::abs(err));
        worst_ratio = std::max(worst_ratio, std::abs(err) / tol);
        if (n <= 500) first_500 = std::max(first_500, std::abs(err));
        last = err;
    });
    const std::int64_t spikes_expected = [&] {
        std::int64_t count = 0;
        while (expected.spike(count + 1).step < long_run_steps) ++count;
        return count;
    }();
    MESSAGE(n << " spikes in 10^7 steps; max |offset error| " << static_cast<double>(worst) << " ms (last spike "
              << static_cast<double>(last) << " ms, mean drift " << static_cast<double>(last / n)
              << " ms per spike); first 500 spikes: " << static_cast<double>(first_500) << " ms; worst error / bound "
              << static_cast<double>(worst_ratio));
    CHECK(n == spikes_expected);
    CHECK(wrong_step == 0);
    INFO("first spike outside the bound: #" << first_wrong);
    CHECK(wrong == 0);
    // The first 500 spikes (3.35e4 steps, 3.35 s) are at the closed form to 1e-12 ms outright.
    CHECK(first_500 < 1e-12L);
}

// The issue's bar, where integration round-off does not pile up: with a refractory period of
// 1990 ms the neuron spikes ~500 times in 10^7 steps, so the per-spike round-off above (7.5e-16 ms)
// adds up to ~4e-13 ms, while the run reaches 1e6 ms, where an absolute double time resolves only
// 1.2e-10 ms. Every spike's (step, offset) equals the closed form to 1e-12 ms.
TEST_CASE("neuron: after 10^7 steps a spike's (step, offset) equals the closed-form offset to 1e-12 ms") {
    constexpr double long_ref = 1990.0;
    const iaf::lif m{{.tau_m = tau, .c_m = c_m, .e_l = 0.0, .v_th = v_th, .v_reset = v_reset, .t_ref = long_ref}};
    iaf::neuron n{m, iaf::constant{1.0}, iaf::exact{}, iaf::analytic{}, long_run_dt};
    const auto dt = static_cast<long double>(long_run_dt);
    const long double climb = static_cast<long double>(tau) * std::log(40.0L / 25.0L);
    // t_n = climb + (n - 1) (t_ref + climb), as whole steps plus a remainder.
    const long double period = climb + static_cast<long double>(long_ref);
    const auto period_whole = static_cast<std::int64_t>(std::floor(period / dt));
    const long double period_rest = period - static_cast<long double>(period_whole) * dt;
    const auto first_whole = static_cast<std::int64_t>(std::floor(climb / dt));
    const long double first_rest = climb - static_cast<long double>(first_whole) * dt;
    std::int64_t count = 0;
    long double worst = 0;
    for (std::int64_t k = 0; k < long_run_steps; ++k) {
        n.step([&](iaf::grid_time g) {
            ++count;
            const on_grid want = normalised(first_whole + (count - 1) * period_whole,
                                            first_rest + static_cast<long double>(count - 1) * period_rest, dt);
            const long double err = static_cast<long double>(g.step - want.step) * dt +
                                    (static_cast<long double>(g.offset) - want.offset);
            worst = std::max(worst, std::abs(err));
        });
    }
    MESSAGE(count << " spikes in 10^7 steps (t = " << n.time() << " ms); max |(step, offset) - closed form| = "
                  << static_cast<double>(worst) << " ms");
    CHECK(count == 1 + (long_run_steps - first_whole - 1) / period_whole);
    CHECK(worst < 1e-12L);
}

// What the (step, offset) form is for: late in the run an interval between two spikes read from
// grid_time is as precise as at the start, while absolute double times near 1e6 ms are spaced
// 1.2e-10 ms apart, so intervals and times read from them lose that much.
TEST_CASE("neuron: late in a 10^7-step run, intervals between grid_time spikes keep 1e-14 ms while "
          "absolute double times lose digits") {
    const periodic_closed_form expected(long_run_dt);
    const auto dt = static_cast<long double>(long_run_dt);
    const long double period = expected.period();

    std::vector<iaf::grid_time> as_grid;
    std::vector<double> as_double;
    as_grid.reserve(150'000);
    as_double.reserve(150'000);
    long_run([&](iaf::grid_time g) { as_grid.push_back(g); });
    long_run([&](double t) { as_double.push_back(t); });
    REQUIRE(as_grid.size() == as_double.size());
    REQUIRE(as_grid.size() > 100'000);

    long double grid_interval = 0, double_interval = 0, double_vs_grid = 0;
    for (std::size_t n = 1; n < as_grid.size(); ++n) {
        const long double from_grid = static_cast<long double>(as_grid[n].step - as_grid[n - 1].step) * dt +
                                      (static_cast<long double>(as_grid[n].offset) - static_cast<long double>(as_grid[n - 1].offset));
        grid_interval = std::max(grid_interval, std::abs(from_grid - period));
        const long double from_double = static_cast<long double>(as_double[n] - as_double[n - 1]);
        double_interval = std::max(double_interval, std::abs(from_double - period));
        // What the double form itself loses: the same spike, as a double and as (step, offset).
        const long double exact_time =
            static_cast<long double>(as_grid[n].step) * dt + static_cast<long double>(as_grid[n].offset);
        double_vs_grid = std::max(double_vs_grid, std::abs(static_cast<long double>(as_double[n]) - exact_time));
    }
    const std::size_t last = as_grid.size() - 1;
    const on_grid want = expected.spike(static_cast<std::int64_t>(last + 1));
    const long double true_last = static_cast<long double>(want.step) * dt + want.offset;
    const long double grid_last = static_cast<long double>(as_grid[last].step) * dt + static_cast<long double>(as_grid[last].offset);
    MESSAGE("at t = " << as_double[last] << " ms: grid_time spike error " << static_cast<double>(grid_last - true_last)
                      << " ms, double-time spike error " << static_cast<double>(static_cast<long double>(as_double[last]) - true_last)
                      << " ms (of which the double's own rounding up to " << static_cast<double>(double_vs_grid)
                      << " ms); max interval error from grid_time " << static_cast<double>(grid_interval)
                      << " ms, from double times " << static_cast<double>(double_interval) << " ms");
    CHECK(grid_interval < 1e-14L);
    // A double near 1e6 ms resolves 1.2e-10 ms, so its intervals are off by up to about that.
    CHECK(double_interval < 2.5e-10L);
}

// --- Checkpoints, drive, validation ------------------------------------------------------------

TEST_CASE("neuron: state and refractory end restore a checkpoint") {
    // A sine drive, so the restored neuron must also be on the same clock; rk4 + hermite.
    const iaf::sine drive{.amplitude = 0.5, .frequency = 0.02, .phase = 0.3, .offset = 0.8};
    const double dt = 0.1;
    iaf::neuron a{model(), drive, iaf::rk4{}, iaf::hermite{}, dt};
    int spikes_before = 0;
    while (a.steps() < 1000 || !a.refractory()) spikes_before += a.step();
    REQUIRE(spikes_before >= 10);
    const double saved_state = a.state();
    const iaf::grid_time saved_end = a.refractory_end();
    const std::int64_t saved_steps = a.steps();
    CHECK(saved_state == v_reset);
    CHECK(saved_end > iaf::grid_time{saved_steps, 0.0});

    // B: built the same way but run to the same step with no drive at all, then restored.
    iaf::neuron b{model(), iaf::sine{}, iaf::rk4{}, iaf::hermite{}, dt};
    int b_spikes = 0;
    for (std::int64_t k = 0; k < saved_steps; ++k) b_spikes += b.step();
    CHECK(b_spikes == 0);
    CHECK(b.steps() == saved_steps);
    CHECK_FALSE(b.refractory());
    b.set_state(saved_state);
    b.set_refractory_end(saved_end);
    b.set_current(drive);
    CHECK(b.refractory());
    CHECK(b.refractory_end() == saved_end);
    CHECK(b.time() == a.time());

    std::vector<iaf::grid_time> from_a, from_b;
    for (int k = 0; k < 500; ++k) {
        a.step([&](iaf::grid_time g) { from_a.push_back(g); });
        b.step([&](iaf::grid_time g) { from_b.push_back(g); });
    }
    REQUIRE(from_a.size() >= 3);
    CHECK(from_b.size() == from_a.size());
    CHECK(from_b == from_a);  // bit for bit
    CHECK(b.state() == a.state());
    CHECK(b.refractory() == a.refractory());
    CHECK(b.refractory_end() == a.refractory_end());
}

TEST_CASE("neuron: set_current changes the drive from the next step") {
    // 0.3 nA (V_inf = 12 mV, below threshold) for 300 steps, then 1 nA (V_inf = 40 mV).
    const double dt = 0.1;
    const std::int64_t switch_step = 300;
    iaf::neuron n{model(), iaf::constant{0.3}, iaf::exact{}, iaf::analytic{}, dt};
    for (std::int64_t k = 0; k < switch_step; ++k) REQUIRE(n.step() == 0);
    n.set_current(iaf::constant{1.0});
    CHECK(n.current().value() == 1.0);

    std::vector<iaf::grid_time> spikes;
    while (spikes.empty() && n.steps() < switch_step + 1000) n.step([&](iaf::grid_time g) { spikes.push_back(g); });
    REQUIRE(spikes.size() == 1);

    // Closed form: V(t_s) = 12 (1 - e^{-t_s/tau}) at the switch, then the climb to 15 under V_inf = 40.
    const auto dt_l = static_cast<long double>(dt);
    const long double t_s = static_cast<long double>(switch_step) * dt_l;
    const long double v_s = 0.3L * static_cast<long double>(r_m) * (1.0L - std::exp(-t_s / static_cast<long double>(tau)));
    const long double climb = static_cast<long double>(tau) * std::log((40.0L - v_s) / (40.0L - 15.0L));
    const on_grid want = normalised(switch_step, climb, dt_l);
    MESSAGE("first spike " << static_cast<double>(climb) << " ms after the switch: step " << spikes[0].step
                           << ", offset error " << static_cast<double>(static_cast<long double>(spikes[0].offset) - want.offset) << " ms");
    CHECK(spikes[0].step == want.step);
    CHECK(std::abs(static_cast<long double>(spikes[0].offset) - want.offset) < 1e-12L);
}

TEST_CASE("neuron: set_state rejects a non-finite voltage and set_refractory_end an offset outside [0, dt]") {
    const double dt = 0.1;
    iaf::neuron n{model(), iaf::constant{1.0}, iaf::exact{}, iaf::analytic{}, dt};
    for (int k = 0; k < 30; ++k) n.step();
    const double before = n.state();

    CHECK_THROWS_WITH_AS(n.set_state(std::numeric_limits<double>::quiet_NaN()),
                         "iaf::neuron: state voltage = nan is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(n.set_state(-std::numeric_limits<double>::infinity()),
                         "iaf::neuron: state voltage = -inf is invalid (must be finite)", iaf::invalid_parameter);
    CHECK(n.state() == before);  // a rejected state leaves the neuron as it was
    n.set_state(3.0);
    CHECK(n.voltage() == 3.0);

    const std::int64_t k = n.steps();
    const bool was_refractory = n.refractory();
    CHECK_THROWS_WITH_AS(n.set_refractory_end({k + 5, -1e-9}),
                         "iaf::neuron: refractory_end.offset = -1e-09 is invalid (must be in [0, dt])",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(n.set_refractory_end({k + 5, std::nextafter(dt, 1.0)}),
                         doctest::Contains("refractory_end.offset"), iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(n.set_refractory_end({k + 5, std::numeric_limits<double>::quiet_NaN()}),
                         doctest::Contains("refractory_end.offset = nan"), iaf::invalid_parameter);
    CHECK(n.refractory() == was_refractory);

    // Both ends of [0, dt] are accepted; an end before now ends the period.
    n.set_refractory_end({k + 5, 0.0});
    CHECK(n.refractory());
    n.set_refractory_end({k + 5, dt});
    CHECK(n.refractory());
    CHECK(n.refractory_end() == iaf::grid_time{k + 5, dt});
    n.set_refractory_end({k - 1, 0.05});
    CHECK_FALSE(n.refractory());
}

// --- Composition -------------------------------------------------------------------------------

TEST_CASE("neuron: can_combine_v accepts exactly the compositions a neuron can be built from") {
    using iaf::can_combine_v;
    using iaf::constant;
    using iaf::lif;
    static_assert(can_combine_v<lif, constant, iaf::exact, iaf::analytic>);
    static_assert(can_combine_v<lif, constant, iaf::rk4, iaf::hermite>);
    static_assert(can_combine_v<lif, constant, iaf::dopri5, iaf::analytic>);
    static_assert(can_combine_v<lif, constant, iaf::euler, iaf::grid>);
    static_assert(can_combine_v<quadratic_if, constant, iaf::rk4, iaf::hermite>);
    // analytic root-finds on the integrator's own solution: fixed-step RK methods have none.
    static_assert(!can_combine_v<lif, constant, iaf::rk4, iaf::analytic>);
    static_assert(!can_combine_v<lif, constant, iaf::euler, iaf::analytic>);
    // exact needs linear dynamics.
    static_assert(!can_combine_v<quadratic_if, constant, iaf::exact, iaf::analytic>);
    static_assert(!can_combine_v<quadratic_if, constant, iaf::exact, iaf::grid>);
    // Not currents.
    static_assert(!can_combine_v<lif, not_a_current, iaf::rk4, iaf::hermite>);
    static_assert(!can_combine_v<lif, returns_a_string, iaf::rk4, iaf::hermite>);
    static_assert(!can_combine_v<lif, int, iaf::exact, iaf::analytic>);
    // Not a model, not an integrator, not a spike-timing policy.
    static_assert(!can_combine_v<int, constant, iaf::rk4, iaf::hermite>);
    static_assert(!can_combine_v<lif, constant, int, iaf::hermite>);
    static_assert(!can_combine_v<lif, constant, iaf::rk4, int>);
    CHECK(can_combine_v<lif, constant, iaf::exact, iaf::analytic>);
    CHECK_FALSE(can_combine_v<lif, constant, iaf::rk4, iaf::analytic>);
}

// --- Copies ------------------------------------------------------------------------------------

TEST_CASE("neuron: copies share the model and step independently") {
    const double dt = 0.1;
    const auto make = [&] { return iaf::neuron{model(), iaf::constant{1.0}, iaf::exact{}, iaf::analytic{}, dt}; };
    auto original = make();
    auto twin = make();  // never copied: stepped exactly like the original
    for (int k = 0; k < 333; ++k) {
        original.step();
        twin.step();
    }
    auto copy = original;
    CHECK(&copy.model() == &original.model());      // the setup is shared ...
    CHECK(&copy.current() != &original.current());  // ... the current and state are the copy's own
    CHECK(copy.state() == original.state());
    CHECK(copy.steps() == original.steps());

    // The copy gets a +4 mV kick every 37 steps; the original and its twin get nothing.
    std::vector<iaf::grid_time> from_original, from_copy, from_twin;
    const auto no_events = std::array<event, 0>{};
    for (int k = 0; k < 2000; ++k) {
        const std::array<event, 1> kick{{{0.0375, on_v, 4.0}}};
        if (k % 37 == 0) copy.step(kick, [&](iaf::grid_time g) { from_copy.push_back(g); });
        else copy.step(no_events, [&](iaf::grid_time g) { from_copy.push_back(g); });
        original.step([&](iaf::grid_time g) { from_original.push_back(g); });
        twin.step([&](iaf::grid_time g) { from_twin.push_back(g); });
    }
    REQUIRE(from_original.size() >= 20);
    CHECK(from_copy != from_original);
    CHECK(from_copy.size() > from_original.size());  // excitatory kicks shorten the intervals
    CHECK(from_original == from_twin);               // bit for bit: the copy's steps did not touch it
    CHECK(original.state() == twin.state());
    CHECK(original.steps() == copy.steps());

    // A new drive for the copy is the copy's alone.
    copy.set_current(iaf::constant{2.0});
    CHECK(original.current().value() == 1.0);
}
