// A network: Brunel's (2000) balanced network of LIF neurons, model A, on iaf::population.
//
// Brunel N (2000) Dynamics of sparsely connected networks of excitatory and inhibitory spiking
// neurons. J Comput Neurosci 8:183-208. Model A: N_E = 10000 excitatory and N_I = 2500 inhibitory
// LIF neurons with identical parameters (tau_m = 20 ms, theta = 20 mV, V_r = 10 mV, t_ref = 2 ms,
// E_L = 0), delta synapses (V jumps by J = 0.1 mV from an excitatory neuron, by -g J from an
// inhibitory one), fixed in-degree C_E = 1000 excitatory and C_I = 250 inhibitory inputs per
// neuron (10 %, drawn uniformly, multapses allowed, no autapses), one delay D = 1.5 ms, and an
// external drive of C_E Poisson inputs of weight J, each at nu_ext = eta nu_thr, where
// nu_thr = theta / (J C_E tau_m) is the rate that brings the mean input to threshold.
// g = 5, eta = 2 is the asynchronous irregular (AI) state.
//
// The library steps the neurons; the network is this file: the connectivity (a CSR table of each
// neuron's targets), the delay ring buffer and the Poisson drive. A spike of step k, at offset s
// inside it, arrives at offset s of step k + D/dt (a spike at the very end of a step, offset dt,
// at offset 0 of the step after), so the spikes of the next D/dt steps are all known: the loop
// takes blocks of D/dt steps (the minimum delay, as NEST does), hands every event of the block to
// the population ahead (`pop.deliver(index, port, offset, weight, step)`: the ring buffer's
// arrivals and the external drive, drawn step by step) and runs the block with `pop.advance`,
// which steps it tile by tile; the block's spikes go into the ring buffer. (--stepwise runs the
// block with one `pop.step` per step instead: the same spikes, bit for bit.) Two modes, same
// network and drive statistics:
//   grid    exact + grid: the events of a step are summed per neuron and land at its start, spikes
//           at grid points (NEST's iaf_psc_delta, Brian2); the drive is a Poisson count per step.
//   precise exact + analytic: every event keeps its own time inside the step, spikes are located
//           to round-off and arrive exactly D later (NEST's iaf_psc_delta_ps); the drive is a
//           Poisson count per step at independent uniform offsets, i.e. a Poisson process.
// The input current (`advance`'s per-neuron current) is zero, except for --n-scale below.
//
// --n-scale s shrinks the network (van Albada, Helias & Diesmann 2015, PLoS Comput Biol
// 11:e1004490): N and the in-degrees are multiplied by s (connection probability and
// C_I / C_E kept), J by 1 / sqrt(s) so that the input's variance C J^2 nu tau is kept, and the
// mean input lost by the smaller C J (a factor sqrt(s)) is given back as a DC current computed at
// the full network's mean-field rate. Mean and variance of the input, hence the mean-field rate,
// are those of the full network; only the (weak) correlations differ. (Keeping J C constant
// instead multiplies the variance by 1 / s: at s = 0.2 the mean-field rate rises from 38 to 49 Hz.)
//
// Prints the mean-field rate (Brunel's self-consistent diffusion approximation), the wall time of
// the simulation loop, the mean firing rate, the mean CV of the interspike intervals (neurons with
// >= 3 spikes) and a synchrony index (below), all measured after a warm-up (--t-warm). --out
// writes <out>_spikes.csv (time_ms,index; '#' lines: parameters and results) for
// examples/plots/plot_brunel.py. --check exits 1 unless the run is asynchronous irregular: rate
// within 25 % of the mean-field rate, CV > 0.3 and synchrony < 0.3. The CV bound is not 0.5: at
// g = 5, eta = 2 the mean input (21 mV) is above threshold, and the network's own spike trains,
// more regular than Poisson, carry most of the input's variance, so the CV is 0.4. Measured on
// the full network in grid mode: the synchronous regular state (--g 3) has CV 0.001 and
// synchrony 0.50, the slow oscillation (--g 4.5 --eta 0.9) CV 0.49 and synchrony 0.29.
//
// Usage: brunel [--g 5] [--eta 2] [--n-scale 1] [--t-end 1000] [--t-warm 100] [--dt 0.1]
//               [--delay 1.5] [--mode grid|precise|both] [--seed 1] [--out PREFIX] [--check]
//               [--stepwise]
// (times in ms; --mode both runs grid, then precise, on the same network, and --out then writes
// <out>_grid_spikes.csv and <out>_precise_spikes.csv)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <random>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <iaf/iaf.hpp>

namespace {

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
double erfcx(double x) {
    if (x < 25.0) return std::exp(x * x) * std::erfc(x);
    const double r = 1.0 / (x * x);
    return (1.0 - 0.5 * r + 0.75 * r * r) / (x * std::sqrt(std::numbers::pi));
}

/// Stationary rate [1/ms] of a LIF driven by white noise of mean mu and std sigma [mV]:
/// 1 / (t_ref + tau sqrt(pi) int_{(V_r - mu)/sigma}^{(theta - mu)/sigma} e^{u^2} (1 + erf u) du).
double siegert(double mu, double sigma) {
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
double mean_field_rate(double g, double nu_ext) {
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

network_parameters make_parameters(const options& o) {
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

// --- Connectivity: each neuron's targets, by presynaptic neuron (CSR) ----------------------------

struct connectivity {
    std::vector<std::uint64_t> first;    // targets of neuron i: target[first[i] .. first[i + 1])
    std::vector<std::uint32_t> target;
    [[nodiscard]] std::span<const std::uint32_t> of(std::size_t i) const {
        return {target.data() + first[i], target.data() + first[i + 1]};
    }
};

/// Fixed in-degree: every neuron draws c_e sources among the excitatory neurons and c_i among the
/// inhibitory ones, uniformly, multapses allowed, no autapses. Drawn twice from the same seed, to
/// count the out-degrees and then to fill, so nothing but the table is held.
connectivity connect(const network_parameters& p, std::uint64_t seed) {
    const int n = p.n();
    const auto draw = [&](auto&& use) {
        std::mt19937_64 rng(seed);
        std::uniform_int_distribution<std::uint32_t> pick_e(0, std::uint32_t(p.n_e - 1));
        std::uniform_int_distribution<std::uint32_t> pick_i(std::uint32_t(p.n_e), std::uint32_t(n - 1));
        for (std::uint32_t post = 0; post < std::uint32_t(n); ++post) {
            for (int c = 0; c < p.c_e; ++c) {
                std::uint32_t pre;
                do pre = pick_e(rng); while (pre == post);
                use(pre, post);
            }
            for (int c = 0; c < p.c_i; ++c) {
                std::uint32_t pre;
                do pre = pick_i(rng); while (pre == post);
                use(pre, post);
            }
        }
    };
    connectivity net;
    net.first.assign(std::size_t(n) + 1, 0);
    draw([&](std::uint32_t pre, std::uint32_t) { ++net.first[pre + 1]; });
    for (int i = 0; i < n; ++i) net.first[std::size_t(i) + 1] += net.first[std::size_t(i)];
    net.target.resize(net.first.back());
    std::vector<std::uint64_t> next(net.first.begin(), net.first.end() - 1);
    draw([&](std::uint32_t pre, std::uint32_t post) { net.target[next[pre]++] = post; });
    return net;
}

// --- The run -------------------------------------------------------------------------------------

struct spike_record {
    double t;  // [ms]
    std::uint32_t index;
};

struct run_result {
    std::vector<spike_record> spikes;
    double wall_s = 0;
};

/// A spike on its way: its source and its offset inside the arrival step.
struct in_flight {
    std::uint32_t source;
    double offset;
};

template <typename Timing>
run_result simulate(const network_parameters& p, const connectivity& net, const options& o, Timing timing) {
    constexpr bool precise = !Timing::on_grid;
    const iaf::lif model{{.tau_m = tau_m, .c_m = c_m, .e_l = 0.0, .v_th = theta, .v_reset = v_r, .t_ref = t_ref}};
    const std::size_t n = std::size_t(p.n());
    iaf::population pop{model, n, iaf::exact{}, timing, o.dt};
    const auto port = iaf::lif::port::v;
    const double dt = o.dt;
    const int d = p.delay_steps;  // the minimum delay [steps]: the block that advance() takes

    // Random streams: initial V, then the drive; the same in both modes.
    std::mt19937_64 rng(o.seed * 0x9E3779B97F4A7C15ull + 2);
    std::uniform_real_distribution<double> v0(0.0, theta);
    for (auto& v : pop.states()) v = v0(rng);  // spread over [E_L, theta): no synchronous start
    std::poisson_distribution<int> external(p.c_e * p.nu_ext * dt);
    std::uniform_real_distribution<double> unit(0.0, 1.0);

    const std::vector<double> input_block(std::size_t(d) * n, p.i_dc());  // d rows of currents [nA]
    const double w_e = p.j, w_i = -p.g * p.j, w_ext = p.j;
    const auto weight = [&](std::uint32_t source) { return source < std::uint32_t(p.n_e) ? w_e : w_i; };

    // Ring buffer: slot s % slots holds the spikes arriving in step s. A spike of step k arrives
    // in step k + d, or k + d + 1 from the very end of step k (offset dt), so the spikes of block
    // [b, b + d) arrive in [b + d, b + 2d]: all arrivals of a block are known when it starts.
    const int slots = 2 * d + 2;
    std::vector<std::vector<in_flight>> ring(static_cast<std::size_t>(slots));
    std::vector<double> summed(std::size_t(d) * n, 0.0);  // grid: each step's events per neuron

    run_result result;
    result.spikes.reserve(std::size_t(double(n) * 0.05 * o.t_end));
    const auto on_spike = [&](std::size_t i, iaf::grid_time t) {
        result.spikes.push_back({t.time(0.0, dt), std::uint32_t(i)});
        std::int64_t arrival = t.step + d;
        double offset = t.offset;
        if (offset >= dt) ++arrival, offset = 0.0;
        ring[std::size_t(arrival % slots)].push_back({std::uint32_t(i), offset});
    };

    const auto steps = std::int64_t(std::llround(o.t_end / dt));
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t b = 0; b < steps; b += d) {
        const int len = int(std::min<std::int64_t>(d, steps - b));
        // Every event of steps [b, b + len), delivered ahead: the recurrent spikes from the ring
        // buffer, the external drive drawn step by step.
        for (int j = 0; j < len; ++j) {
            const std::int64_t k = b + j;
            auto& arriving = ring[std::size_t(k % slots)];
            double* const sum = summed.data() + std::size_t(j) * n;
            if constexpr (precise) {
                for (const in_flight& s : arriving) {
                    const double w = weight(s.source);
                    for (const std::uint32_t post : net.of(s.source)) pop.deliver(post, port, s.offset, w, k);
                }
                for (std::size_t i = 0; i < n; ++i) {
                    for (int c = external(rng); c > 0; --c) {
                        const double offset = std::min(unit(rng) * dt, std::nextafter(dt, 0.0));
                        pop.deliver(i, port, offset, w_ext, k);
                    }
                }
            } else {
                for (const in_flight& s : arriving) {
                    const double w = weight(s.source);
                    for (const std::uint32_t post : net.of(s.source)) sum[post] += w;
                }
                for (std::size_t i = 0; i < n; ++i) {
                    const double w = sum[i] + w_ext * external(rng);
                    sum[i] = 0.0;
                    if (w != 0.0) pop.deliver(i, port, 0.0, w, k);
                }
            }
            arriving.clear();
        }
        const std::span<const double> inputs(input_block.data(), std::size_t(len) * n);
        if (o.stepwise) {
            for (int j = 0; j < len; ++j) pop.step(inputs.subspan(std::size_t(j) * n, n), on_spike);
        } else {
            pop.advance(len, inputs, on_spike);
        }
    }
    result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

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
statistics analyse(const std::vector<spike_record>& spikes, const network_parameters& p, const options& o) {
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

bool write_spikes(const std::string& path, const run_result& r, const statistics& s, const network_parameters& p,
                  const options& o, const char* mode) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (!f) return false;
    std::fprintf(f, "# title=Brunel (2000) model A, g = %g, eta = %g: %s\n", o.g, o.eta, mode);
    std::fprintf(f, "# n_e=%d\n# n_i=%d\n# c_e=%d\n# c_i=%d\n# j_mV=%.6g\n# g=%g\n# eta=%g\n", p.n_e, p.n_i, p.c_e,
                 p.c_i, p.j, o.g, o.eta);
    std::fprintf(f, "# delay_ms=%g\n# dt_ms=%g\n# t_end_ms=%g\n# t_warm_ms=%g\n", o.delay, o.dt, o.t_end, o.t_warm);
    std::fprintf(f, "# rate_Hz=%.2f\n# cv=%.3f\n# synchrony=%.4f\n# mean_field_Hz=%.2f\n", s.rate_hz, s.cv,
                 s.synchrony, 1000.0 * p.nu_mf);
    std::fprintf(f, "time_ms,index\n");
    std::vector<spike_record> sorted = r.spikes;  // in time order (advance() reports tile by tile)
    std::sort(sorted.begin(), sorted.end(),
              [](const spike_record& a, const spike_record& b) { return a.t < b.t || (a.t == b.t && a.index < b.index); });
    for (const auto& x : sorted) std::fprintf(f, "%.6f,%u\n", x.t, x.index);
    return std::fclose(f) == 0;
}

constexpr const char* usage =
    "usage: brunel [--g 5] [--eta 2] [--n-scale 1] [--t-end 1000] [--t-warm 100] [--dt 0.1]\n"
    "              [--delay 1.5] [--mode grid|precise|both] [--seed 1] [--out PREFIX] [--check]\n"
    "              [--stepwise]\n";

[[noreturn]] void usage_error(const std::string& message) {
    std::fprintf(stderr, "brunel: %s\n%s", message.c_str(), usage);
    std::exit(2);
}

options parse(int argc, char** argv) {
    options o;
    for (int a = 1; a < argc; ++a) {
        const std::string_view flag = argv[a];
        if (flag == "--check" || flag == "--stepwise") {
            (flag == "--check" ? o.check : o.stepwise) = true;
            continue;
        }
        if (flag == "--help" || flag == "-h") {
            std::printf("Brunel's (2000) balanced network on iaf::population; see examples/brunel.cpp.\n%s", usage);
            std::exit(0);
        }
        if (a + 1 >= argc) usage_error(std::string(flag) + " needs a value");
        const std::string value = argv[++a];
        // A number >= 0, or > 0 when `positive`.
        const auto number = [&](bool positive) {
            char* end = nullptr;
            const double x = std::strtod(value.c_str(), &end);
            if (value.empty() || *end != '\0' || !std::isfinite(x))
                usage_error(std::string(flag) + " = " + value + " is not a number");
            if (positive ? !(x > 0.0) : !(x >= 0.0))
                usage_error(std::string(flag) + " = " + value + " is invalid (must be " + (positive ? ">" : ">=") + " 0)");
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
                usage_error("--mode: " + value + " not in {grid,precise,both}");
            o.mode = value;
        } else usage_error("unknown flag " + std::string(flag));
    }
    if (o.scale > 1.0) usage_error("--n-scale must be in (0, 1]");
    if (!(o.t_warm < o.t_end)) usage_error("--t-warm must be < --t-end");
    const double steps = o.delay / o.dt;
    if (std::abs(steps - std::round(steps)) > 1e-9 * steps || std::round(steps) < 1.0)
        usage_error("--delay must be a whole multiple (>= 1) of --dt");
    if (std::lround(c_e_full * o.scale) < 1 || std::lround(c_i_full * o.scale) < 1)
        usage_error("--n-scale too small: no inhibitory input left");
    return o;
}

}  // namespace

int main(int argc, char** argv) {
    const options o = parse(argc, argv);
    const network_parameters p = make_parameters(o);
    std::printf("Brunel (2000) model A, g = %g, eta = %g: N_E = %d, N_I = %d, C_E = %d, C_I = %d, J = %.4g mV, "
                "D = %g ms, dt = %g ms, %g ms\n",
                o.g, o.eta, p.n_e, p.n_i, p.c_e, p.c_i, p.j, o.delay, o.dt, o.t_end);
    if (o.scale != 1.0)
        std::printf("n-scale %g (van Albada et al. 2015): J = 0.1 mV / sqrt(%g), DC %.3g mV (%.4g nA) for the lost mean\n",
                    o.scale, o.scale, p.mu_dc, p.i_dc());
    std::printf("external drive: %d inputs x %g Hz (eta x nu_thr) of J each, %.4g kHz per neuron\n", p.c_e,
                1000.0 * p.nu_ext, p.c_e * p.nu_ext);
    std::printf("mean-field rate (diffusion approximation): %.2f Hz\n", 1000.0 * p.nu_mf);

    const auto built = std::chrono::steady_clock::now();
    const connectivity net = connect(p, o.seed);
    std::printf("connectivity: %zu synapses, built in %.2f s\n", net.target.size(),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - built).count());

    bool ai = true;
    const auto report = [&](const char* mode, const char* method, const run_result& r) {
        const statistics s = analyse(r.spikes, p, o);
        std::printf("%-7s (%s): wall %.2f s for %g ms; rate %.2f Hz (E %.2f, I %.2f); CV %.3f (%zu neurons with >= 3 "
                    "spikes); synchrony %.4f; %zu spikes after %g ms\n",
                    mode, method, r.wall_s, o.t_end, s.rate_hz, s.rate_e_hz, s.rate_i_hz, s.cv, s.cv_neurons,
                    s.synchrony, s.spikes, o.t_warm);
        const double lo = 0.75 * 1000.0 * p.nu_mf, hi = 1.25 * 1000.0 * p.nu_mf;
        const bool ok = s.rate_hz >= lo && s.rate_hz <= hi && s.cv > 0.3 && s.synchrony < 0.3;
        if (o.check)
            std::printf("%-7s asynchronous irregular: %s (rate in [%.1f, %.1f] Hz, CV > 0.3, synchrony < 0.3)\n", mode,
                        ok ? "yes" : "NO", lo, hi);
        ai = ai && ok;
        if (!o.out.empty()) {
            const std::string path = o.out + (o.mode == "both" ? "_" + std::string(mode) : "") + "_spikes.csv";
            if (!write_spikes(path, r, s, p, o, method)) {
                std::fprintf(stderr, "brunel: cannot write %s\n", path.c_str());
                std::exit(1);
            }
        }
        std::fflush(stdout);
    };
    if (o.mode != "precise") report("grid", "exact + grid", simulate(p, net, o, iaf::grid{}));
    if (o.mode != "grid") report("precise", "exact + analytic", simulate(p, net, o, iaf::analytic{}));
    return o.check && !ai ? 1 : 0;
}
