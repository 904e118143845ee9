// linear_propagator::held_crossing against the crossing times of the three one-component
// solutions, written out with std::log (independently of the log1p form), and checked by
// stepping the propagator to the offset it returns.
#include <cmath>
#include <limits>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

namespace {

template <typename S>
iaf::linear_dynamics<S, 1> dynamics(double rate, double rest, double gain) {
    iaf::linear_dynamics<S, 1> d;
    d.a(0, 0) = static_cast<S>(rate);
    d.rest(0) = static_cast<S>(rest);
    d.gain = static_cast<S>(gain);
    return d;
}

constexpr double tau = 10.0, c_m = 0.25, e_l = -70.0, v_th = -55.0;

}  // namespace

TEST_CASE("held_crossing: a leaky potential reaches the threshold at tau ln((V_inf - V0) / (V_inf - V_th))") {
    const iaf::linear_propagator<double> p(dynamics<double>(-1.0 / tau, e_l, 1.0 / c_m), 0.1);
    for (const double input : {0.3875, 0.5, 2.0, 40.0}) {  // V_inf = -31.25, -50, 10, 1530 mV
        const double v_inf = e_l + tau / c_m * input;
        for (const double v0 : {-70.0, -65.0, -55.5, -55.0 - 1e-9, -90.0}) {
            CAPTURE(input);
            CAPTURE(v0);
            const double s = p.held_crossing(v0, input, v_th);
            if (v_inf <= v_th) {
                CHECK(std::isnan(s));  // relaxes below the threshold: never reaches it
                continue;
            }
            const double expected = tau * std::log((v_inf - v0) / (v_inf - v_th));
            CHECK(std::abs(s - expected) <= 1e-14 * tau + 4e-16 * expected);
            // The propagator stepped to s lands on the threshold.
            CHECK(std::abs(p.over(s).advance_held(v0, input) - v_th) <= 1e-12 * std::abs(v_th));
        }
    }
}

TEST_CASE("held_crossing: no crossing going up is NaN") {
    const iaf::linear_propagator<double> p(dynamics<double>(-1.0 / tau, e_l, 1.0 / c_m), 0.1);
    CHECK(std::isnan(p.held_crossing(-50.0, 2.0, v_th)));   // already above
    CHECK(std::isnan(p.held_crossing(-55.0, 2.0, v_th)));   // on it: the offset is 0, not > 0
    CHECK(std::isnan(p.held_crossing(-60.0, -1.0, v_th)));  // driven down
    CHECK(std::isnan(p.held_crossing(-60.0, 0.375, v_th))); // V_inf = V_th: reached only as t -> inf
}

TEST_CASE("held_crossing: a perfect integrator reaches the threshold at C (V_th - V0) / I") {
    const iaf::linear_propagator<double> p(dynamics<double>(0.0, 0.0, 1.0 / c_m), 0.1);
    CHECK(p.form_of_held_input() == iaf::linear_propagator<double>::held_form::drift);
    CHECK(std::abs(p.held_crossing(-70.0, 0.5, v_th) - c_m * 15.0 / 0.5) <= 1e-15 * 7.5);
    CHECK(std::isnan(p.held_crossing(-70.0, -0.5, v_th)));
    CHECK(std::isnan(p.held_crossing(-70.0, 0.0, v_th)));
}

TEST_CASE("held_crossing: a runaway potential (a > 0) above its fixed point crosses at tau ln((V_th - V*) / (V0 - V*))") {
    const iaf::linear_propagator<double> p(dynamics<double>(1.0 / tau, e_l, 1.0 / c_m), 0.1);
    REQUIRE(p.form_of_held_input() == iaf::linear_propagator<double>::held_form::steady_state);
    const double input = 0.25, fixed_point = e_l - tau / c_m * input;  // -80 mV
    for (const double v0 : {-79.0, -70.0, -56.0}) {
        CAPTURE(v0);
        const double expected = tau * std::log((v_th - fixed_point) / (v0 - fixed_point));
        const double s = p.held_crossing(v0, input, v_th);
        CHECK(std::abs(s - expected) <= 1e-14 * tau + 4e-16 * expected);
        CHECK(std::abs(p.over(s).advance_held(v0, input) - v_th) <= 1e-12 * std::abs(v_th));
    }
    CHECK(std::isnan(p.held_crossing(-81.0, input, v_th)));  // below the fixed point it runs away downwards
}

TEST_CASE("held_crossing: a float propagator agrees with the double one to float resolution") {
    const iaf::linear_propagator<double> pd(dynamics<double>(-1.0 / tau, e_l, 1.0 / c_m), 0.1);
    const iaf::linear_propagator<float> pf(dynamics<float>(-1.0 / tau, e_l, 1.0 / c_m), 0.1);
    for (const float v0 : {-70.0F, -60.0F, -56.0F}) {
        const double sd = pd.held_crossing(static_cast<double>(v0), 0.5, v_th);
        const double sf = pf.held_crossing(v0, 0.5F, v_th);
        CAPTURE(v0);
        CHECK(std::abs(sf - sd) <= 1e-5 * sd);
    }
}
