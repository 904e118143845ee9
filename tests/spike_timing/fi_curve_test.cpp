// The f-I curve of the LIF: mean inter-spike interval over 10 s against the closed form
// t_ref + tau ln((R I - (V_reset - E_L)) / (R I - (V_th - E_L))), from just above
// rheobase, where the crossing is nearly tangent, to ten times rheobase.
#include <algorithm>
#include <cmath>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

namespace {

constexpr double tau = 10.0, c_m = 0.25, r_m = tau / c_m;
constexpr double e_l = -65.0, v_th = -50.0, v_reset = -60.0, t_ref = 2.0;
constexpr double rheobase = (v_th - e_l) / r_m;  // nA

double closed_form_isi(double i) {
    return t_ref + tau * std::log((r_m * i - (v_reset - e_l)) / (r_m * i - (v_th - e_l)));
}

std::vector<double> currents() {
    std::vector<double> out;
    for (int k = 0; k < 20; ++k) out.push_back(rheobase * (1.02 + (10.0 - 1.02) * k / 19.0));
    return out;
}

template <typename I, typename P>
double worst_relative_isi_error(const I& integrator, const P& timing) {
    const iaf::lif m{{.tau_m = tau, .c_m = c_m, .e_l = e_l, .v_th = v_th, .v_reset = v_reset, .t_ref = t_ref}};
    double worst = 0.0;
    for (const double i : currents()) {
        const auto r = iaf::simulate(m, [=](double) { return i; }, integrator, timing, {.dt = 0.1, .t_end = 10000.0});
        REQUIRE(r.spike_times.size() >= 10);
        const double mean_isi = (r.spike_times.back() - r.spike_times.front()) /
                                static_cast<double>(r.spike_times.size() - 1);
        worst = std::max(worst, std::abs(mean_isi / closed_form_isi(i) - 1.0));
    }
    return worst;
}

}  // namespace

TEST_CASE("f-I curve: exact + analytic matches the closed-form mean ISI within 2e-14 relative at dt = 0.1 ms") {
    const double err = worst_relative_isi_error(iaf::exact{}, iaf::analytic{});
    MESSAGE("exact + analytic: worst relative mean-ISI error " << err);
    CHECK(err < 2e-14);  // measured 2.0e-15
}

TEST_CASE("f-I curve: rk4 + hermite matches the closed-form mean ISI within 8e-10 relative at dt = 0.1 ms") {
    const double err = worst_relative_isi_error(iaf::rk4{}, iaf::hermite{});
    MESSAGE("rk4 + hermite: worst relative mean-ISI error " << err);
    CHECK(err < 8e-10);  // measured 7.6e-11
}

TEST_CASE("f-I curve: at and below rheobase the neuron stays silent") {
    const iaf::lif m{{.tau_m = tau, .c_m = c_m, .e_l = e_l, .v_th = v_th, .v_reset = v_reset, .t_ref = t_ref}};
    for (const double i : {0.0, 0.5 * rheobase, 0.999 * rheobase}) {
        const auto r = iaf::simulate(m, [=](double) { return i; }, iaf::exact{}, iaf::analytic{}, {.dt = 0.1, .t_end = 1000.0});
        CHECK(r.spike_times.empty());
    }
}
