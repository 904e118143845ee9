// The perfect (non-leaky) IF against its closed form: under a constant current I > 0, V rises on
// the straight line V(t) = V_reset + I (t - t_reset) / C, so it fires every C (V_th - V_reset) / I
// (plus t_ref), and a delta jump of w mV brings the next spike forward by w C / I.
#include <cmath>
#include <cstddef>
#include <limits>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/tolerance.hpp"

namespace {

static_assert(iaf::LaneModel<iaf::perfect_if>);
static_assert(iaf::LaneModel<iaf::basic_perfect_if<float>>);
static_assert(iaf::LinearModel<iaf::perfect_if> && iaf::AffineModel<iaf::perfect_if>);
static_assert(iaf::ClampingRefractoryModel<iaf::perfect_if> && iaf::ModelWithInputs<iaf::perfect_if>);

constexpr double c_m = 0.25, v_th = 15.0, v_reset = 0.0;  // [nF], [mV], [mV]
constexpr double i0 = 0.37;  // [nA]: a period of 10.135... ms, off every grid below
constexpr double period = c_m * (v_th - v_reset) / i0;  // [ms]

iaf::perfect_if model(double t_ref) { return iaf::perfect_if{{.c_m = c_m, .v_th = v_th, .v_reset = v_reset, .t_ref = t_ref}}; }

/// Largest |t_k - expected_k| / expected_k over spike k = 1, 2, ... at first + (k-1) interval.
double worst_relative(const std::vector<double>& spikes, double first, double interval) {
    double worst = 0.0;
    for (std::size_t k = 0; k < spikes.size(); ++k) {
        const double expected = first + static_cast<double>(k) * interval;
        worst = std::max(worst, std::abs(spikes[k] - expected) / expected);
    }
    return worst;
}

}  // namespace

TEST_CASE("perfect_if: exact + analytic fires every C (V_th - V_reset) / I, with t_ref added, to 1e-12") {
    for (const double t_ref : {0.0, 2.0}) {
        CAPTURE(t_ref);
        const auto r = iaf::simulate(model(t_ref), iaf::constant{i0}, iaf::exact{}, iaf::analytic{},
                                     {.dt = 0.1, .t_end = 500.0});
        // From V_reset at t = 0 the first spike is one period away; every later one period + t_ref.
        const auto expected_count = static_cast<std::size_t>(std::floor((500.0 - period) / (period + t_ref))) + 1;
        REQUIRE(r.spike_times.size() == expected_count);
        const double worst = worst_relative(r.spike_times, period, period + t_ref);
        MESSAGE("exact + analytic, t_ref = " << t_ref << ": " << r.spike_times.size()
                                             << " spikes, max relative error " << worst);
        CHECK(worst < 1e-12);
    }
}

TEST_CASE("perfect_if: rk4 + linear is exact too, V being linear in t") {
    // RK4 integrates a constant slope exactly and linear interpolation of a straight line is exact,
    // so only round-off remains; rk4 + hermite likewise.
    for (const double t_ref : {0.0, 2.0}) {
        CAPTURE(t_ref);
        const auto lin = iaf::simulate(model(t_ref), iaf::constant{i0}, iaf::rk4{}, iaf::linear{},
                                       {.dt = 0.1, .t_end = 500.0});
        const auto herm = iaf::simulate(model(t_ref), iaf::constant{i0}, iaf::rk4{}, iaf::hermite{},
                                        {.dt = 0.1, .t_end = 500.0});
        REQUIRE(lin.spike_times.size() >= 40);
        REQUIRE(herm.spike_times.size() == lin.spike_times.size());
        const double worst_linear = worst_relative(lin.spike_times, period, period + t_ref);
        const double worst_hermite = worst_relative(herm.spike_times, period, period + t_ref);
        MESSAGE("rk4, t_ref = " << t_ref << ": max relative error linear " << worst_linear << ", hermite "
                                << worst_hermite);
        CHECK(worst_linear < 1e-12);
        CHECK(worst_hermite < 1e-12);
    }
}

TEST_CASE("perfect_if: below zero current V falls on a straight line and never fires") {
    iaf::neuron n{model(0.0), iaf::constant{-0.2}, iaf::exact{}, iaf::analytic{}, 0.1};
    int spikes = 0;
    for (int k = 0; k < 1000; ++k) spikes += n.step();
    CHECK(spikes == 0);
    CHECK_REL(n.voltage(), v_reset - 0.2 * 100.0 / c_m, 1e-12);  // -80 mV after 100 ms
}

TEST_CASE("perfect_if: a delta event on port v brings the next spike forward by w C / I") {
    using event = iaf::input_event<iaf::perfect_if::port>;
    const double dt = 0.1, w = 3.0;  // [ms], [mV]
    const double t_event = 4.2 + 0.0371;  // inside the first interval, off the grid
    iaf::neuron n{model(0.0), iaf::constant{i0}, iaf::exact{}, iaf::analytic{}, dt};
    std::vector<double> spikes;
    const auto record = [&](double t) { spikes.push_back(t); };
    for (int k = 0; k < 300; ++k) {
        if (k == 42) {
            const std::vector<event> events{{t_event - n.time(), iaf::perfect_if::port::v, w}};
            n.step(events, record);
        } else {
            n.step(record);
        }
    }
    REQUIRE(spikes.size() >= 2);
    const double shift = w * c_m / i0;
    CHECK_REL(spikes[0], period - shift, 1e-12);
    CHECK_REL(spikes[1], 2.0 * period - shift, 1e-12);
    // An event that lifts V over the threshold fires at its arrival.
    iaf::neuron m{model(0.0), iaf::constant{i0}, iaf::exact{}, iaf::analytic{}, dt};
    std::vector<double> at_jump;
    const std::vector<event> big{{0.05, iaf::perfect_if::port::v, 20.0}};
    m.step(big, [&](double t) { at_jump.push_back(t); });
    REQUIRE(at_jump.size() == 1);
    CHECK_ABS(at_jump[0], 0.05, 1e-15);
}

TEST_CASE("perfect_if: float model in a neuron and in a population fires the closed-form period to float accuracy") {
    const iaf::basic_perfect_if<float> single{{.c_m = c_m, .v_th = v_th, .v_reset = v_reset, .t_ref = 2.0}};
    const double dt = 0.1;
    // float V near 15 mV is spaced 1e-6 mV, at a slope of 1.5 mV/ms: ~1e-6 ms per spike.
    constexpr double float_tolerance = 1e-5;
    SUBCASE("neuron") {
        const auto r = iaf::simulate(single, iaf::constant{i0}, iaf::exact{}, iaf::analytic{},
                                     {.dt = dt, .t_end = 500.0});
        REQUIRE(r.spike_times.size() >= 40);
        const double worst = worst_relative(r.spike_times, period, period + 2.0);
        MESSAGE("float neuron: max relative error " << worst);
        CHECK(worst < float_tolerance);
    }
    SUBCASE("population") {
        const std::size_t size = 19;  // a block of 16 float lanes and a tail of 3
        iaf::population pop{single, size, iaf::exact{}, iaf::analytic{}, dt};
        static_assert(std::is_same_v<decltype(pop)::scalar_type, float>);
        const std::vector<float> input(size, static_cast<float>(i0));
        const double drive = static_cast<double>(static_cast<float>(i0));  // what the neurons get
        const double float_period = c_m * (v_th - v_reset) / drive;
        std::vector<std::vector<double>> trains(size);
        for (int k = 0; k < 5000; ++k)
            pop.step(input, [&](std::size_t i, iaf::grid_time t) { trains[i].push_back(t.time(0.0, dt)); });
        double worst = 0.0;
        for (const auto& train : trains) {
            REQUIRE(train.size() == trains[0].size());
            worst = std::max(worst, worst_relative(train, float_period, float_period + 2.0));
        }
        REQUIRE(trains[0].size() >= 40);
        MESSAGE("float population: max relative error " << worst);
        CHECK(worst < float_tolerance);
    }
}

TEST_CASE("perfect_if: bad parameters throw messages naming parameter, value and rule") {
    using iaf::invalid_parameter;
    using iaf::perfect_if;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    CHECK_THROWS_WITH_AS(perfect_if({.c_m = 0.0}), "iaf::perfect_if: c_m = 0 is invalid (must be > 0)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(perfect_if({.c_m = nan}), "iaf::perfect_if: c_m = nan is invalid (must be finite)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(perfect_if({.v_th = 5.0, .v_reset = 5.0}),
                         "iaf::perfect_if: v_reset = 5 is invalid (must be < v_th)", invalid_parameter);
    CHECK_THROWS_WITH_AS(perfect_if({.t_ref = -1.0}), "iaf::perfect_if: t_ref = -1 is invalid (must be >= 0)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(perfect_if({.v_init = nan}), "iaf::perfect_if: v_init = nan is invalid (must be finite)",
                         invalid_parameter);
    // In float: 1 / c_m overflows, a threshold overflows, and two distinct doubles round together.
    CHECK_THROWS_WITH_AS(iaf::basic_perfect_if<float>({.c_m = 1e-39}),
                         "iaf::perfect_if: c_m = 1e-39 is invalid (1 / c_m must be finite in the "
                         "scalar type)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::basic_perfect_if<float>({.v_th = 1e39}),
                         "iaf::perfect_if: v_th = 1e+39 is invalid (must be finite in the scalar type)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::basic_perfect_if<float>({.v_th = 1.0 + 1e-12, .v_reset = 1.0}),
                         "iaf::perfect_if: v_reset = 1 is invalid (must be < v_th in the scalar type)",
                         invalid_parameter);
    CHECK(iaf::perfect_if{}.initial_state() == 0.0);  // v_init defaults to v_reset
}
