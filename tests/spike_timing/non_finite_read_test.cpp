// A non-finite value that only the spike-timing policy reads (a slope for hermite, a re-stepped V
// for analytic) is reported with simulation_error instead of silently moving the spike.
#include <cmath>
#include <limits>
#include <string>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/error_of.hpp"
#include "../support/tolerance.hpp"

namespace {

constexpr double not_a_number = std::numeric_limits<double>::quiet_NaN();

// LIF, E_L = 0, tau_m = 10 ms, C = 0.25 nF, 1 nA: V_inf = 40 mV, V(t) = 40 (1 - exp(-t/10)).
iaf::lif lif_with_threshold(double v_th) {
    return iaf::lif{{.tau_m = 10.0, .c_m = 0.25, .e_l = 0.0, .v_th = v_th, .v_reset = 0.0}};
}
double first_spike(double v_th) { return 10.0 * std::log(40.0 / (40.0 - v_th)); }

using iaf_test::error_of;

// A user LIF (the same equations) whose dV/dt is NaN at and above its threshold: undefined where
// only a spike-timing policy looks, at the end of the step that crossed.
struct undefined_above_threshold {
    using state_type = double;
    double initial_state() const { return 0.0; }
    double derivative(double, double v, double i) const { return v >= 15.0 ? not_a_number : -v / 10.0 + i / 0.25; }
    double voltage(double v) const { return v; }
    double threshold() const { return 15.0; }
    double reset(double) const { return 0.0; }
};

// A user policy that fails to locate anything.
struct broken_policy {
    static constexpr int order = 2;
    static constexpr bool on_grid = false;
    template <typename Crossing>
    double locate(const Crossing&) const { return not_a_number; }
};

}  // namespace

TEST_CASE("non-finite read: exact + hermite reports a current that is NaN only where hermite reads the slope") {
    // exact takes a plain callable at each step's midpoint; hermite reads the current at the
    // crossing step's ends, the grid points, where (within 1e-9 ms) it is NaN.
    const auto input = [](double t) {
        const double nearest = std::round(t / 0.1) * 0.1;
        return t > 0.5 && std::abs(t - nearest) < 1e-9 ? not_a_number : 1.0;
    };
    iaf::neuron n{lif_with_threshold(15.0), input, iaf::exact{}, iaf::hermite{}, 0.1};
    const std::string what = error_of([&] {
        for (int k = 0; k < 100; ++k) n.step();
    });
    INFO(what);
    CHECK(what.find("iaf::neuron: the spike-timing policy read dV/dt = nan at t = ") == 0);
    CHECK(what.find("the current returned nan there") != std::string::npos);
    // The crossing step is the one holding the first spike, t = 10 ln(40/25) = 4.70004 ms.
    const double crossing_step = std::floor(first_spike(15.0) / 0.1);
    CHECK(n.steps() == static_cast<std::int64_t>(crossing_step));  // the failing step is not counted
}

TEST_CASE("non-finite read: hermite reports a model derivative that is NaN only at the crossing step's end") {
    // Euler reads the derivative at each step's start only, below the threshold.
    iaf::neuron n{undefined_above_threshold{}, [](double) { return 1.0; }, iaf::euler{}, iaf::hermite{}, 0.1};
    const std::string what = error_of([&] {
        for (int k = 0; k < 100; ++k) n.step();
    });
    INFO(what);
    CHECK(what.find("the spike-timing policy read dV/dt = nan") != std::string::npos);
    CHECK(what.find("the end of the step in which V crossed the threshold") != std::string::npos);
    CHECK(what.find("the model's derivative was non-finite there (V = ") != std::string::npos);
}

TEST_CASE("non-finite read: exact + analytic reports a current that is NaN only where the root finder re-steps") {
    // Threshold chosen so that the crossing lies o = 0.05 ms into its step [4.7, 4.8]: analytic's
    // re-steps of length s ~ o read the current at 4.7 + s/2 ~ 4.725 ms, where it is NaN; the
    // steps themselves read it at their midpoints 4.65 and 4.75 ms, where it is not.
    const double v_th = 40.0 * (1.0 - std::exp(-0.475));
    const double t_spike = first_spike(v_th);
    REQUIRE(t_spike > 4.7);
    REQUIRE(t_spike < 4.8);
    const double centre = 4.7 + (t_spike - 4.7) / 2.0;
    const auto input = [centre](double t) { return std::abs(t - centre) < 0.01 ? not_a_number : 1.0; };
    REQUIRE(!std::isnan(input(4.75)));
    REQUIRE(!std::isnan(input(4.65)));
    iaf::neuron n{lif_with_threshold(v_th), input, iaf::exact{}, iaf::analytic{}, 0.1};
    const std::string what = error_of([&] {
        for (int k = 0; k < 100; ++k) n.step();
    });
    INFO(what);
    CHECK(what.find("iaf::neuron: the spike-timing policy read V = nan at t = 4.7") == 0);
    CHECK(what.find("on the integrator's solution inside the step in which V crossed the threshold") !=
          std::string::npos);
    CHECK(what.find("the current returned nan at t = ") != std::string::npos);
    // Without the NaN the same neuron spikes where the closed form says: the check costs nothing.
    iaf::neuron clean{lif_with_threshold(v_th), [](double) { return 1.0; }, iaf::exact{}, iaf::analytic{}, 0.1};
    double spike = -1.0;
    for (int k = 0; k < 50 && spike < 0.0; ++k) clean.step([&](double t) { spike = t; });
    CHECK_ABS(spike, t_spike, 1e-12);
}

TEST_CASE("non-finite read: a policy returning a NaN offset is reported, not turned into a spike at the step start") {
    iaf::neuron n{lif_with_threshold(15.0), [](double) { return 1.0; }, iaf::rk4{}, broken_policy{}, 0.1};
    const std::string what = error_of([&] {
        for (int k = 0; k < 100; ++k) n.step();
    });
    INFO(what);
    CHECK(what.find("the spike-timing policy located the crossing at offset nan") != std::string::npos);
}
