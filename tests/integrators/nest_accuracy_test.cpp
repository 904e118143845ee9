// NEST's accuracy bar for precise LIF models (the DC accuracy test of its *_ps models), met by exact + analytic at every
// resolution dt = 2^0 ... 2^-13 ms: E_L = 0, V(0) = 0, tau = 10 ms, C = 250 pF, I = 1000 pA
// (c_m = 0.25 nF, I = 1 nA in iaf units).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <type_traits>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

namespace {
constexpr double tau = 10.0, c_m = 0.25, i = 1.0;
double one_nanoampere(double) { return i; }
}  // namespace

TEST_CASE("nest accuracy: V at 5 ms within 1e-13 mV and at 500 ms within 1e-9 mV for dt = 2^0 ... 2^-13 ms") {
    const iaf::lif m{{.tau_m = tau, .c_m = c_m, .e_l = 0.0, .v_th = 2000.0, .v_reset = 0.0}};
    const auto closed_form = [](double t) { return i * tau / c_m * (1.0 - std::exp(-t / tau)); };
    double worst_5 = 0.0, worst_500 = 0.0;
    for (int e = 0; e <= 13; ++e) {
        const double dt = std::ldexp(1.0, -e);
        iaf::neuron n{m, &one_nanoampere, iaf::exact{}, iaf::analytic{}, dt};
        const std::int64_t to_5 = std::int64_t{5} << e, to_500 = std::int64_t{500} << e;
        for (std::int64_t k = 0; k < to_5; ++k) n.step();
        CHECK(n.time() == 5.0);
        CHECK(std::abs(n.voltage() - closed_form(5.0)) <= 1e-13);
        worst_5 = std::max(worst_5, std::abs(n.voltage() - closed_form(5.0)));
        for (std::int64_t k = to_5; k < to_500; ++k) n.step();
        CHECK(n.time() == 500.0);
        CHECK(std::abs(n.voltage() - closed_form(500.0)) <= 1e-9);
        worst_500 = std::max(worst_500, std::abs(n.voltage() - closed_form(500.0)));
    }
    MESSAGE("worst |V - closed form|: " << worst_5 << " mV at 5 ms, " << worst_500 << " mV at 500 ms");
}

// A function pointer: `analytic` root-finds on the solution; iaf::constant: it solves in closed form.
TEST_CASE_TEMPLATE("nest accuracy: first spike within 1e-13 ms of -tau ln(1 - C V_th/(tau I)) for dt = 2^0 ... 2^-13 ms",
                   C, double (*)(double), iaf::constant) {
    const double v_th = 15.0;
    const iaf::lif m{{.tau_m = tau, .c_m = c_m, .e_l = 0.0, .v_th = v_th, .v_reset = 0.0}};
    const double t_spike = -tau * std::log(1.0 - c_m * v_th / (tau * i));
    const C current = [] {
        if constexpr (std::is_same_v<C, iaf::constant>) return iaf::constant{i};
        else return &one_nanoampere;
    }();
    double worst = 0.0;
    for (int e = 0; e <= 13; ++e) {
        const double dt = std::ldexp(1.0, -e);
        iaf::neuron n{m, current, iaf::exact{}, iaf::analytic{}, dt};
        double first = -1.0;
        while (first < 0.0 && n.time() < 10.0) n.step([&](double t) { first = first < 0.0 ? t : first; });
        CAPTURE(dt);
        REQUIRE(first > 0.0);
        CHECK(std::abs(first - t_spike) <= 1e-13);
        worst = std::max(worst, std::abs(first - t_spike));
    }
    MESSAGE("worst first-spike error " << worst << " ms");
}
