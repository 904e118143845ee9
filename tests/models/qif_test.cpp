// The QIF against its closed form.
//
// Derivation. With V_m = (V_rest + V_c)/2, h = (V_c - V_rest)/2 and u = V - V_m,
//   a (V - V_rest)(V - V_c) = a (u + h)(u - h) = a u^2 - a h^2,
// so under a constant current I the model is tau du/dt = a u^2 + beta, beta = R I - a h^2.
// Above the rheobase (beta > 0), dt = tau du / (a u^2 + beta) integrates to
//   t(u) = tau / sqrt(a beta) * arctan(u sqrt(a / beta)) + const,
// so the time from the reset to V_peak (every interval, the reset restarting it) is
//   T = tau / sqrt(a beta) * [arctan(u_peak sqrt(a/beta)) - arctan(u_reset sqrt(a/beta))],
// plus t_ref between spikes. Below it (beta < 0) the right-hand side vanishes at
// u = +-sqrt(-beta/a); its slope 2 a u / tau is negative at the lower root, the stable fixed point
//   V* = V_m - sqrt(h^2 - R I / a),
// which V reaches from anywhere below the upper root without firing.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/tolerance.hpp"

namespace {

static_assert(iaf::LaneModel<iaf::qif>);
static_assert(iaf::LaneModel<iaf::basic_qif<float>>);
static_assert(!iaf::LinearModel<iaf::qif> && !iaf::AffineModel<iaf::qif>);
static_assert(iaf::ClampingRefractoryModel<iaf::qif> && iaf::ModelWithInputs<iaf::qif>);
// exact needs a linear model: refused at compile time.
static_assert(!iaf::can_combine_v<iaf::qif, iaf::constant, iaf::exact, iaf::grid>);

/// The closed-form interval from V_reset to V_peak under a constant current i [nA] (above).
double closed_form_period(const iaf::qif_parameters& p, double i) {
    const double v_m = 0.5 * (p.v_rest + p.v_c), h = 0.5 * (p.v_c - p.v_rest);
    const double beta = p.r_m * i - p.a * h * h;
    REQUIRE(beta > 0.0);
    const double s = std::sqrt(p.a / beta);
    return p.tau_m / std::sqrt(p.a * beta) * (std::atan((p.v_peak - v_m) * s) - std::atan((p.v_reset - v_m) * s));
}

/// The stable fixed point under a constant current i [nA] below the rheobase.
double fixed_point(const iaf::qif_parameters& p, double i) {
    const double v_m = 0.5 * (p.v_rest + p.v_c), h = 0.5 * (p.v_c - p.v_rest);
    return v_m - std::sqrt(h * h - p.r_m * i / p.a);
}

/// Largest relative error of the intervals: first spike from V_reset (= v_init), then spike to spike.
double worst_interval_error(const std::vector<double>& spikes, double period, double t_ref) {
    double worst = 0.0, previous = 0.0;
    for (std::size_t k = 0; k < spikes.size(); ++k) {
        const double expected = k == 0 ? period : period + t_ref;
        worst = std::max(worst, std::abs((spikes[k] - previous) - expected) / expected);
        previous = spikes[k];
    }
    return worst;
}

}  // namespace

TEST_CASE("qif: the defaults have the documented rheobase a (V_c - V_rest)^2 / (4 R) = 0.5625 nA") {
    CHECK_REL(iaf::qif{}.rheobase(), 0.5625, 1e-15);
    // The right-hand side is the quadratic below V_peak and held at its V_peak value above.
    const iaf::qif m;
    // At V = -60 mV, I = 0.8 nA: (0.1 * 10 * (-5) + 10 * 0.8) / 10 = 0.3 mV/ms.
    CHECK_REL(m.derivative(0.0, -60.0, 0.8), 0.3, 1e-15);
    CHECK(m.derivative(0.0, -20.0, 0.8) == m.derivative(0.0, -40.0, 0.8));
}

TEST_CASE("qif: rk4 + hermite at dt = 0.01 ms fires the closed-form arctan period to 1e-6") {
    for (const double t_ref : {0.0, 1.5}) {
        for (const double i0 : {0.8, 2.0}) {
            CAPTURE(t_ref);
            CAPTURE(i0);
            const iaf::qif m{{.t_ref = t_ref}};
            const double period = closed_form_period(m.parameters(), i0);
            const auto r = iaf::simulate(m, iaf::constant{i0}, iaf::rk4{}, iaf::hermite{}, {.dt = 0.01, .t_end = 250.0});
            REQUIRE(r.spike_times.size() >= 5);
            const double worst = worst_interval_error(r.spike_times, period, t_ref);
            MESSAGE("I = " << i0 << " nA, t_ref = " << t_ref << ": period " << period << " ms, "
                           << r.spike_times.size() << " spikes, max relative interval error " << worst);
            CHECK(worst < 1e-6);
        }
    }
}

TEST_CASE("qif: below the rheobase V settles at the stable fixed point without firing") {
    const iaf::qif m;
    for (const double i0 : {0.0, 0.4, 0.55}) {
        CAPTURE(i0);
        const double v_star = fixed_point(m.parameters(), i0);
        iaf::neuron n{m, iaf::constant{i0}, iaf::rk4{}, iaf::hermite{}, 0.1};
        int spikes = 0;
        for (int k = 0; k < 10000; ++k) spikes += n.step();
        CHECK(spikes == 0);
        // RK4's map has the fixed point of the ODE as its own: only round-off remains after
        // 1000 ms (the slowest case, 0.55 nA, relaxes with tau / (2 a sqrt(-beta/a)) = 45.6 ms).
        CHECK_ABS(n.voltage(), v_star, 1e-9);
    }
    // Just above the rheobase it fires.
    const auto r = iaf::simulate(m, iaf::constant{0.58}, iaf::rk4{}, iaf::hermite{}, {.dt = 0.1, .t_end = 1000.0});
    CHECK(r.spike_times.size() >= 3);
}

TEST_CASE("qif: float model in a neuron and in a population fires the closed-form period to float accuracy") {
    const iaf::basic_qif<float> single{{.t_ref = 1.5}};
    const double dt = 0.01, i0 = 0.8;
    // The drive the float neurons see is 0.8 rounded to float.
    const double period = closed_form_period(single.parameters(), static_cast<double>(static_cast<float>(i0)));
    constexpr double float_tolerance = 1e-4;
    SUBCASE("neuron") {
        const auto r = iaf::simulate(single, iaf::constant{i0}, iaf::rk4{}, iaf::hermite{}, {.dt = dt, .t_end = 250.0});
        REQUIRE(r.spike_times.size() >= 4);
        const double worst = worst_interval_error(r.spike_times, period, 1.5);
        MESSAGE("float neuron: max relative interval error " << worst);
        CHECK(worst < float_tolerance);
    }
    SUBCASE("population") {
        const std::size_t size = 19;  // a block of 16 float lanes and a tail of 3
        iaf::population pop{single, size, iaf::rk4{}, iaf::hermite{}, dt};
        const std::vector<float> input(size, static_cast<float>(i0));
        std::vector<std::vector<double>> trains(size);
        for (int k = 0; k < 25000; ++k)
            pop.step(input, [&](std::size_t i, iaf::grid_time t) { trains[i].push_back(t.time(0.0, dt)); });
        double worst = 0.0;
        for (const auto& train : trains) {
            REQUIRE(train.size() == trains[0].size());
            worst = std::max(worst, worst_interval_error(train, period, 1.5));
        }
        REQUIRE(trains[0].size() >= 4);
        MESSAGE("float population: max relative interval error " << worst);
        CHECK(worst < float_tolerance);
    }
}

namespace {
/// A short run well above the rheobase (2 nA, 13.6 ms intervals): no simulation_error, V finite
/// and below V_peak at every grid point, spikes present.
template <typename I, typename P>
void check_finite(const char* name, const I& integrator, const P& timing) {
    const iaf::qif m;
    for (const double dt : {0.001, 0.01, 0.1, 0.5}) {
        const std::string label = name;
        CAPTURE(label);
        CAPTURE(dt);
        iaf::simulation_result r;
        REQUIRE_NOTHROW(r = iaf::simulate(m, iaf::constant{2.0}, integrator, timing,
                                          {.dt = dt, .t_end = 60.0, .record_every = 1}));
        CHECK(std::all_of(r.voltage.begin(), r.voltage.end(),
                          [&](double v) { return std::isfinite(v) && v < m.threshold(); }));
        CHECK(r.spike_times.size() >= 3);
    }
}
}  // namespace

TEST_CASE("qif: euler, heun, rk4 and dopri5 stay finite and fire at dt from 0.001 to 0.5 ms") {
    check_finite("euler/linear", iaf::euler{}, iaf::linear{});
    check_finite("heun/hermite", iaf::heun{}, iaf::hermite{});
    check_finite("rk4/hermite", iaf::rk4{}, iaf::hermite{});
    check_finite("dopri5/analytic", iaf::dopri5{}, iaf::analytic{});
}

TEST_CASE("qif: bad parameters throw messages naming parameter, value and rule") {
    using iaf::invalid_parameter;
    using iaf::qif;
    const double inf = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS(qif({.tau_m = 0.0}), "iaf::qif: tau_m = 0 is invalid (must be > 0)", invalid_parameter);
    CHECK_THROWS_WITH_AS(qif({.a = -0.1}), "iaf::qif: a = -0.1 is invalid (must be > 0)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(qif({.v_c = -70.0}), "iaf::qif: v_c = -70 is invalid (must be > v_rest)", invalid_parameter);
    CHECK_THROWS_WITH_AS(qif({.v_peak = -55.0}), "iaf::qif: v_peak = -55 is invalid (must be > v_c)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(qif({.v_reset = -40.0}), "iaf::qif: v_reset = -40 is invalid (must be < v_peak)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(qif({.v_peak = inf}), "iaf::qif: v_peak = inf is invalid (must be finite)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(qif({.t_ref = -1.0}), "iaf::qif: t_ref = -1 is invalid (must be >= 0)", invalid_parameter);
    // In float: a / tau_m underflows to 0, and the quadratic at a far reset overflows.
    CHECK_THROWS_WITH_AS(iaf::basic_qif<float>({.tau_m = 1e30, .a = 1e-30}),
                         "iaf::qif: a = 1e-30 is invalid (a / tau_m must be > 0 in the scalar type)",
                         invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::basic_qif<float>({.v_reset = -1e21}),
                         "iaf::qif: v_reset = -1e+21 is invalid (dV/dt there must be finite in the scalar type)",
                         invalid_parameter);
    CHECK(qif{}.initial_state() == -70.0);  // v_init defaults to v_rest
}

TEST_CASE("qif and eif: the equations run on Eigen lanes and give the scalar results lane by lane") {
    using lanes = Eigen::Array<double, 4, 1>;
    lanes v, i;
    v << -70.0, -55.0, -45.0, -20.0;  // the last lane is above both cut-offs: held
    i << 0.0, 0.5, 1.0, 1.5;
    const iaf::qif q;
    const iaf::eif e;
    const lanes dq = iaf::qif_equations::derivative(q.coefficients(), v, i);
    const lanes de = iaf::eif_equations::derivative(e.coefficients(), v, i);
    const auto fq = iaf::qif_equations::spiked(q.coefficients(), v);
    const lanes rq = iaf::qif_equations::reset(q.coefficients(), v);
    for (Eigen::Index l = 0; l < 4; ++l) {
        CAPTURE(l);
        CHECK(dq[l] == iaf::qif_equations::derivative(q.coefficients(), v[l], i[l]));
        // Eigen's vectorised exp is not bit-identical to std::exp: a few ulps.
        CHECK_REL(de[l], iaf::eif_equations::derivative(e.coefficients(), v[l], i[l]), 1e-14);
        CHECK(fq[l] == iaf::qif_equations::spiked(q.coefficients(), v[l]));
        CHECK(rq[l] == -70.0);
    }
    CHECK(fq[3]);
    CHECK_FALSE(fq[2]);
}
