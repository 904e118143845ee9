#pragma once
// Brunel's (2000) model A, shared by examples/brunel.cpp (one process) and examples/brunel_mpi.cpp
// (neurons split over MPI ranks): parameters, the mean-field rate, the statistics of a run, the
// spike file and the command line. brunel.cpp says what the model is; this file holds only what
// both programs must agree on, so that the two print and write the same things.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace brunel {

// --- Parameters ----------------------------------------------------------------------------------

struct options {
    double g = 5.0;          // relative strength of inhibition
    double eta = 2.0;        // external rate over nu_thr
    double scale = 1.0;      // network size relative to Brunel's
    double t_end = 1000.0;   // [ms]
    double t_warm = 100.0;   // statistics from here [ms]
    double dt = 0.1;         // [ms]
    double delay = 1.5;      // [ms], a multiple of dt
    std::string mode = "grid";
    std::uint64_t seed = 1;
    std::string out;
    bool check = false;
    bool stepwise = false;   // step() per step instead of advance() per block: the same spikes
    bool help = false;
};

constexpr double tau_m = 20.0, theta = 20.0, v_r = 10.0, t_ref = 2.0;  // ms, mV, mV, ms
// Delta synapses move V by their weight in mV whatever c_m is; c_m only converts the DC of
// --n-scale into a current (NEST's brunel_delta uses 250 pF).
constexpr double c_m = 0.25;                  // nF
constexpr double j_full = 0.1;                // mV
constexpr int c_e_full = 1000, c_i_full = 250;
constexpr int n_e_full = 10000, n_i_full = 2500;

/// The network as built: sizes, in-degrees, weights and drive.
struct network_parameters {
    int n_e, n_i, c_e, c_i;
    double j;        // excitatory weight [mV]; inhibitory -g j
    double g;
    double nu_ext;   // rate of each of the c_e external inputs [1/ms]
    double nu_mf;    // mean-field rate of the full network [1/ms]
    double mu_dc;    // DC compensating the scaling [mV]; i_dc = mu_dc c_m / tau_m [nA]
    int delay_steps;
    [[nodiscard]] int n() const { return n_e + n_i; }
    [[nodiscard]] double i_dc() const { return mu_dc * c_m / tau_m; }
};

// --- Mean field (Brunel 2000; Amit & Brunel 1997) ------------------------------------------------

/// exp(x^2) erfc(x), also where erfc underflows.
inline double erfcx(double x) {
    if (x < 25.0) return std::exp(x * x) * std::erfc(x);
    const double r = 1.0 / (x * x);
    return (1.0 - 0.5 * r + 0.75 * r * r) / (x * std::sqrt(std::numbers::pi));
}

/// Stationary rate [1/ms] of a LIF driven by white noise of mean mu and std sigma [mV]:
/// 1 / (t_ref + tau sqrt(pi) int_{(V_r - mu)/sigma}^{(theta - mu)/sigma} e^{u^2} (1 + erf u) du).
inline double siegert(double mu, double sigma) {
    const double a = (v_r - mu) / sigma, b = (theta - mu) / sigma;
    if (b > 26.0) return 0.0;
    const int n = 4000;  // Simpson on a smooth integrand
    const double h = (b - a) / n;
    double sum = erfcx(-a) + erfcx(-b);
    for (int k = 1; k < n; ++k) sum += (k % 2 ? 4.0 : 2.0) * erfcx(-(a + k * h));
    return 1.0 / (t_ref + tau_m * std::sqrt(std::numbers::pi) * sum * h / 3.0);
}

/// The full network's self-consistent rate nu = phi(mu(nu), sigma(nu)) [1/ms], with
/// mu = C_E J tau (nu_ext + nu (1 - g gamma)), sigma^2 = J^2 C_E tau (nu_ext + nu (1 + g^2 gamma)).
inline double mean_field_rate(double g, double nu_ext) {
    const double gamma = double(c_i_full) / c_e_full;
    const auto excess = [&](double nu) {
        const double mu = c_e_full * j_full * tau_m * (nu_ext + nu * (1.0 - g * gamma));
        const double var = j_full * j_full * c_e_full * tau_m * (nu_ext + nu * (1.0 + g * g * gamma));
        return siegert(mu, std::sqrt(var)) - nu;
    };
    double lo = 0.0, hi = 1.0 / t_ref;  // excess(lo) >= 0 > excess(hi)
    for (int it = 0; it < 100; ++it) {
        const double mid = 0.5 * (lo + hi);
        (excess(mid) > 0.0 ? lo : hi) = mid;
    }
    return 0.5 * (lo + hi);
}

inline network_parameters make_parameters(const options& o) {
    network_parameters p{};
    p.n_e = int(std::lround(n_e_full * o.scale));
    p.n_i = int(std::lround(n_i_full * o.scale));
    p.c_e = int(std::lround(c_e_full * o.scale));
    p.c_i = int(std::lround(c_i_full * o.scale));
    p.g = o.g;
    p.j = j_full / std::sqrt(o.scale);
    const double nu_thr = theta / (j_full * c_e_full * tau_m);
    p.nu_ext = o.eta * nu_thr;
    p.nu_mf = mean_field_rate(o.g, p.nu_ext);
    // The mean the full network gets at its mean-field rate, minus what the scaled one gets there.
    const double gamma = double(c_i_full) / c_e_full;
    const double drive = p.nu_ext + p.nu_mf * (1.0 - o.g * gamma);
    p.mu_dc = c_e_full * j_full * tau_m * drive - p.c_e * p.j * tau_m * (p.nu_ext + p.nu_mf * (1.0 - o.g * double(p.c_i) / p.c_e));
    if (o.scale == 1.0) p.mu_dc = 0.0;
    p.delay_steps = int(std::lround(o.delay / o.dt));
    return p;
}

struct spike_record {
    double t;  // [ms]
    std::uint32_t index;
};

// --- Statistics ----------------------------------------------------------------------------------

struct statistics {
    double rate_hz = 0, rate_e_hz = 0, rate_i_hz = 0;
    double cv = std::nan("");
    std::size_t cv_neurons = 0;
    double synchrony = std::nan("");
    std::size_t spikes = 0;
};

/// Over [t_warm, t_end]: mean rate; mean CV of the ISIs of neurons with >= 3 spikes; and the
/// synchrony index chi = sqrt(var(A) / mean_i var(s_i)) of the spike counts s_i in 10 ms bins,
/// A their population mean (Golomb 2007, Scholarpedia 2:1347): about 1 / sqrt(N) for independent
/// neurons, 1 for synchronous ones. (At 10 ms the synchronous regular state and the slow
/// oscillation score above 0.4, the AI state 0.1 to 0.2.)
inline statistics analyse(const std::vector<spike_record>& spikes, const network_parameters& p, const options& o) {
    constexpr double bin_ms = 10.0;
    const std::size_t n = std::size_t(p.n());
    std::vector<std::vector<double>> times(n);
    statistics s;
    for (const auto& r : spikes)
        if (r.t >= o.t_warm) times[r.index].push_back(r.t);
    for (auto& t : times) std::sort(t.begin(), t.end());  // advance() reports tile by tile
    const double span_s = (o.t_end - o.t_warm) / 1000.0;
    std::size_t count_e = 0, count_i = 0;
    double cv_sum = 0;
    const auto bins = std::size_t(std::floor((o.t_end - o.t_warm) / bin_ms));  // whole bins only
    std::vector<double> population(bins, 0.0), counts(bins);
    double var_sum = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const auto& t = times[i];
        (i < std::size_t(p.n_e) ? count_e : count_i) += t.size();
        if (t.size() >= 3) {
            double m = 0, m2 = 0;
            for (std::size_t k = 1; k < t.size(); ++k) m += t[k] - t[k - 1];
            m /= double(t.size() - 1);
            for (std::size_t k = 1; k < t.size(); ++k) m2 += (t[k] - t[k - 1] - m) * (t[k] - t[k - 1] - m);
            cv_sum += std::sqrt(m2 / double(t.size() - 1)) / m;
            ++s.cv_neurons;
        }
        std::fill(counts.begin(), counts.end(), 0.0);
        for (const double ti : t) {
            const auto b = std::size_t((ti - o.t_warm) / bin_ms);
            if (b < bins) counts[b] += 1.0;
        }
        double mean = 0, var = 0;
        for (const double c : counts) mean += c;
        mean /= double(bins);
        for (std::size_t b = 0; b < bins; ++b) {
            var += (counts[b] - mean) * (counts[b] - mean);
            population[b] += counts[b] / double(n);
        }
        var_sum += var / double(bins);
    }
    double mean = 0, var = 0;
    for (const double a : population) mean += a;
    mean /= double(bins);
    for (const double a : population) var += (a - mean) * (a - mean);
    var /= double(bins);
    s.spikes = count_e + count_i;
    s.rate_e_hz = double(count_e) / (p.n_e * span_s);
    s.rate_i_hz = double(count_i) / (p.n_i * span_s);
    s.rate_hz = double(s.spikes) / (double(n) * span_s);
    if (s.cv_neurons > 0) s.cv = cv_sum / double(s.cv_neurons);
    if (bins >= 2 && var_sum > 0) s.synchrony = std::sqrt(var / (var_sum / double(n)));
    return s;
}

// --- Output --------------------------------------------------------------------------------------

/// <out>_spikes.csv, or <out>_<mode>_spikes.csv when both modes run. (Appended piece by piece:
/// GCC 12 warns falsely (-Wrestrict) on the inlined `a + (c ? "_" + b : "") + d`.)
inline std::string spike_path(const options& o, const char* mode) {
    std::string path = o.out;
    if (o.mode == "both") path.append("_").append(mode);
    return path.append("_spikes.csv");
}

/// Writes <path>: '#' lines (parameters and results), then time_ms,index sorted by (time, index).
/// `time_format` is "%.6f" for plots; "%.17g" prints every double exactly, so two runs compare
/// bit for bit with `cmp`.
inline bool write_spikes(const std::string& path, std::vector<spike_record> sorted, const statistics& s,
                         const network_parameters& p, const options& o, const char* mode,
                         const char* time_format = "%.6f") {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f) return false;
    std::fprintf(f, "# title=Brunel (2000) model A, g = %g, eta = %g: %s\n", o.g, o.eta, mode);
    std::fprintf(f, "# n_e=%d\n# n_i=%d\n# c_e=%d\n# c_i=%d\n# j_mV=%.6g\n# g=%g\n# eta=%g\n", p.n_e, p.n_i, p.c_e,
                 p.c_i, p.j, o.g, o.eta);
    std::fprintf(f, "# delay_ms=%g\n# dt_ms=%g\n# t_end_ms=%g\n# t_warm_ms=%g\n", o.delay, o.dt, o.t_end, o.t_warm);
    std::fprintf(f, "# rate_Hz=%.2f\n# cv=%.3f\n# synchrony=%.4f\n# mean_field_Hz=%.2f\n", s.rate_hz, s.cv,
                 s.synchrony, 1000.0 * p.nu_mf);
    std::fprintf(f, "time_ms,index\n");
    // In (time, index) order: advance() reports tile by tile, MPI ranks slice by slice.
    std::sort(sorted.begin(), sorted.end(),
              [](const spike_record& a, const spike_record& b) { return a.t < b.t || (a.t == b.t && a.index < b.index); });
    for (const auto& x : sorted) {
        std::fprintf(f, time_format, x.t);
        std::fprintf(f, ",%u\n", x.index);
    }
    return std::fclose(f) == 0;
}

/// A command-line error: the caller prints it with its usage and exits, so that brunel_mpi can
/// finalise MPI on every rank first.
struct usage_error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The flags both programs take (brunel.cpp lists them); --stepwise only when `stepwise_allowed`.
/// --help sets `help`. Throws usage_error naming the flag, the value and the rule.
inline options parse(int argc, char** argv, bool stepwise_allowed) {
    const auto fail = [](const std::string& message) { throw usage_error(message); };
    options o;
    for (int a = 1; a < argc; ++a) {
        const std::string_view flag = argv[a];
        if (flag == "--check" || (flag == "--stepwise" && stepwise_allowed)) {
            (flag == "--check" ? o.check : o.stepwise) = true;
            continue;
        }
        if (flag == "--stepwise") fail("unknown flag --stepwise (brunel's only: brunel_mpi always runs advance)");
        if (flag == "--help" || flag == "-h") {
            o.help = true;
            return o;
        }
        if (a + 1 >= argc) fail(std::string(flag) + " needs a value");
        const std::string value = argv[++a];
        // A number >= 0, or > 0 when `positive`.
        const auto number = [&](bool positive) {
            char* end = nullptr;
            const double x = std::strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0' || !std::isfinite(x))
                fail(std::string(flag) + " = " + value + " is not a number");
            if (positive ? !(x > 0.0) : !(x >= 0.0))
                fail(std::string(flag) + " = " + value + " is invalid (must be " + (positive ? ">" : ">=") + " 0)");
            return x;
        };
        if (flag == "--g") o.g = number(false);
        else if (flag == "--eta") o.eta = number(true);
        else if (flag == "--n-scale") o.scale = number(true);
        else if (flag == "--t-end") o.t_end = number(true);
        else if (flag == "--t-warm") o.t_warm = number(false);
        else if (flag == "--dt") o.dt = number(true);
        else if (flag == "--delay") o.delay = number(true);
        else if (flag == "--seed") o.seed = std::uint64_t(number(false));
        else if (flag == "--out") o.out = value;
        else if (flag == "--mode") {
            if (value != "grid" && value != "precise" && value != "both")
                fail("--mode: " + value + " not in {grid,precise,both}");
            o.mode = value;
        } else fail("unknown flag " + std::string(flag));
    }
    if (o.scale > 1.0) fail("--n-scale must be in (0, 1]");
    if (!(o.t_warm < o.t_end)) fail("--t-warm must be < --t-end");
    const double steps = o.delay / o.dt;
    if (std::abs(steps - std::round(steps)) > 1e-9 * steps || std::round(steps) < 1.0)
        fail("--delay must be a whole multiple (>= 1) of --dt");
    if (std::lround(c_e_full * o.scale) < 1 || std::lround(c_i_full * o.scale) < 1)
        fail("--n-scale too small: no inhibitory input left");
    return o;
}

}  // namespace brunel
