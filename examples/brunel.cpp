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

#include "brunel_network.hpp"

namespace {

using namespace brunel;

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
    for (std::size_t i = 0; i < n; ++i) pop.set_state(i, v0(rng));  // over [E_L, theta): no synchronous start
    std::poisson_distribution<int> external(p.c_e * p.nu_ext * dt);
    std::uniform_real_distribution<double> unit(0.0, 1.0);

    const std::vector<double> dc(n, p.i_dc());  // each neuron's current [nA], held over every block
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
        if (o.stepwise) {
            for (int j = 0; j < len; ++j) pop.step(dc, on_spike);
        } else {
            pop.advance(len, dc, on_spike);  // one row, held over the block's steps
        }
    }
    result.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

constexpr const char* usage =
    "usage: brunel [--g 5] [--eta 2] [--n-scale 1] [--t-end 1000] [--t-warm 100] [--dt 0.1]\n"
    "              [--delay 1.5] [--mode grid|precise|both] [--seed 1] [--out PREFIX] [--check]\n"
    "              [--stepwise]\n";

options parse_or_exit(int argc, char** argv) {
    try {
        const options o = parse(argc, argv, true);
        if (o.help) {
            std::printf("Brunel's (2000) balanced network on iaf::population; see examples/brunel.cpp.\n%s", usage);
            std::exit(0);
        }
        return o;
    } catch (const usage_error& e) {
        std::fprintf(stderr, "brunel: %s\n%s", e.what(), usage);
        std::exit(2);
    }
}

}  // namespace

int main(int argc, char** argv) {
    const options o = parse_or_exit(argc, argv);
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
            const std::string path = spike_path(o, mode);
            if (!write_spikes(path, r.spikes, s, p, o, method)) {
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
