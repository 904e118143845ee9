// The f-I curve of a LIF neuron, simulated three ways, over the analytic one.
//
// For constant input I above rheobase (V_th - E_L) / R the LIF fires periodically with
// interspike interval t_ref + tau ln((R I - (V_reset - E_L)) / (R I - (V_th - E_L))).
// For 20 currents from just above rheobase to 10x rheobase this example simulates 10 s with
// exact + analytic, rk4 + hermite and euler + grid at dt = 0.1 ms, takes the mean ISI, and writes
// method,current_nA,rate_Hz,isi_error_ms rows (plus a dense "analytic" curve) to a CSV file.
// Render with examples/plots/plot_fi_curve.py.
//
// Usage: fi_curve [csv path = fi_curve.csv]. Exits non-zero when a method's mean ISI is further
// from the analytic one than it should be (bounds below), so CTest can run it as a check.
#include <cmath>
#include <cstdio>
#include <string>

#include <iaf/iaf.hpp>

namespace {

// A LIF whose reset (-70 mV) differs from its rest (-65 mV), so the formula's both terms matter.
constexpr double tau_m = 10.0, c_m = 0.25, r_m = tau_m / c_m;    // ms, nF, MOhm
constexpr double e_l = -65.0, v_th = -50.0, v_reset = -70.0;     // mV
constexpr double t_ref = 2.0, dt = 0.1, t_end = 10000.0;         // ms
constexpr double rheobase = (v_th - e_l) / r_m;                  // nA
constexpr int levels = 20;

double analytic_isi(double i) {
    return t_ref + tau_m * std::log((r_m * i - (v_reset - e_l)) / (r_m * i - (v_th - e_l)));
}

double current_at(int k) { return rheobase * (1.02 + (10.0 - 1.02) * k / (levels - 1)); }

/// Mean ISI over [0, t_end] (ms): (last - first) / (spikes - 1), so the first interval, which
/// starts from rest rather than from the reset, is left out.
template <typename Integrator, typename Timing>
double simulated_isi(double i, const Integrator& integrator, const Timing& timing) {
    const iaf::lif model{{.tau_m = tau_m, .c_m = c_m, .e_l = e_l, .v_th = v_th, .v_reset = v_reset, .t_ref = t_ref}};
    const auto result = iaf::simulate(model, [i](double) { return i; }, integrator, timing, {.dt = dt, .t_end = t_end});
    const auto& t = result.spike_times;
    if (t.size() < 2) return std::nan("");
    return (t.back() - t.front()) / static_cast<double>(t.size() - 1);
}

}  // namespace

int main(int argc, char** argv) {
    const std::string csv_path = argc > 1 ? argv[1] : "fi_curve.csv";
    std::FILE* csv = std::fopen(csv_path.c_str(), "w");
    if (!csv) {
        std::fprintf(stderr, "fi_curve: cannot write %s\n", csv_path.c_str());
        return 1;
    }
    std::fprintf(csv, "method,current_nA,rate_Hz,isi_error_ms\n");
    for (int k = 0; k <= 400; ++k) {  // the analytic curve, densely, from rheobase
        const double i = rheobase * (1.0 + 1e-6 + 9.0 * k / 400.0);
        std::fprintf(csv, "analytic,%.10g,%.10g,0\n", i, 1000.0 / analytic_isi(i));
    }

    int failures = 0;
    const auto run = [&](const char* method, const auto& integrator, const auto& timing, auto bound) {
        double worst = 0.0;
        for (int k = 0; k < levels; ++k) {
            const double i = current_at(k), exact = analytic_isi(i);
            const double isi = simulated_isi(i, integrator, timing);
            const double error = isi - exact;
            worst = std::max(worst, std::abs(error));
            std::fprintf(csv, "%s,%.10g,%.10g,%.6g\n", method, i, 1000.0 / isi, error);
            if (!(std::abs(error) <= bound(exact))) {
                std::fprintf(stderr, "fi_curve: %s at I = %g nA: mean ISI %.12g ms, analytic %.12g ms\n", method, i, isi,
                             exact);
                ++failures;
            }
        }
        std::printf("%-16s max |mean ISI - analytic| = %.3g ms\n", method, worst);
    };
    // Bounds from the methods' known errors, not from their output: exact + analytic is exact up
    // to round-off; rk4 + hermite is fourth order (~1e-9 ms per spike at dt = 0.1 ms, bench/README.md);
    // euler + grid rounds each spike up to the grid (up to dt) and Euler's effective time constant
    // is off by about dt / (2 tau) relatively, which shifts T by that fraction (margin 2x).
    run("exact+analytic", iaf::exact{}, iaf::analytic{}, [](double) { return 1e-9; });
    run("rk4+hermite", iaf::rk4{}, iaf::hermite{}, [](double) { return 1e-6; });
    run("euler+grid", iaf::euler{}, iaf::grid{}, [](double isi) { return dt + dt / tau_m * (isi - t_ref); });
    std::fclose(csv);
    std::printf("wrote %s\n", csv_path.c_str());
    return failures == 0 ? 0 : 1;
}
