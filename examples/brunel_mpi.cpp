// A network over MPI: Brunel's (2000) model A (examples/brunel.cpp says what it is), its neurons
// split into contiguous slices over MPI ranks, with the same spikes, bit for bit, on any number
// of ranks.
//
// Every rank owns neurons [n r / R, n (r + 1) / R) as one iaf::population and builds only what
// they need: their in-edges, stored by global source (a CSR table of each source's local
// targets), their initial V and their Poisson drive. None of these come from a sequential
// generator, whose draws would depend on which neurons a rank owns: each is a counter-based hash
// (iaf::detail::counter_hash, SplitMix64 of a key and a counter) of (seed, stream, neuron) and a
// counter, so neuron i draws the same in-edges, V(0) and drive for any rank count. (So this is
// another draw of brunel.cpp's network, which uses one sequential mt19937_64: the same statistics,
// not the same spikes.) The run is the
// scheme of NEST and Arbor (Morrison et al. 2005, Neural Comput 17:1776): the minimum delay D is
// the block; each rank hands its population every event of the block ahead (`deliver(..., step)`)
// and runs it with `advance(D / dt)`, then all ranks exchange the block's spikes (global index,
// step, offset: 16 bytes each) with MPI_Allgatherv; no rank needs them before the next block,
// since every delay is D. Every rank then sorts the block's spikes by (step, index), so that the
// events of each neuron reach its population in an order that does not depend on which rank sent
// them (sums of weights round alike), and queues them into its delay ring buffer.
//
// At the end rank 0 gathers the spikes, prints the statistics of brunel.cpp and writes
// <out>_spikes.csv (<out>_<mode>_spikes.csv with --mode both) sorted by (time, index), times
// printed exactly (%.17g), so that the files of runs on 1, 2 and 4 ranks compare with `cmp`;
// examples/plots/plot_brunel.py renders them. Rank 0 also prints the wall time of the simulation
// loop (slowest rank), the part spent in the exchange and the bytes each rank sends and receives
// per minimum delay (docs/scaling.md).
//
// Usage: mpirun -n R brunel_mpi [the flags of brunel, except --stepwise]
// Bad input (an unknown flag or value, more ranks than neurons) is found by every rank alike:
// rank 0 names it, every rank finalises MPI and the program exits with status 2.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <exception>
#include <span>
#include <string>
#include <vector>

#include <mpi.h>

#include <iaf/detail/counter_rng.hpp>
#include <iaf/iaf.hpp>

#include "brunel_network.hpp"

namespace {

using namespace brunel;
using iaf::detail::counter_hash;

// --- Random streams: a pure function of (seed, stream, neuron, counter) ---------------------------

enum class stream : std::uint64_t { in_edges = 1, initial_v = 2, drive = 3 };

/// The key of neuron i's stream s: each neuron's draws are its own, whoever owns it.
std::uint64_t stream_key(std::uint64_t seed, stream s, std::uint64_t i) {
    return counter_hash(counter_hash(seed, static_cast<std::uint64_t>(s)), i);
}

/// A uniform integer in [0, range) from the top 32 bits of a word by multiply-shift (Lemire 2019,
/// without the rejection step: a bias below range / 2^32, 3e-6 for this network).
std::uint32_t below(std::uint64_t word, std::uint32_t range) {
    return static_cast<std::uint32_t>(((word >> 32) * range) >> 32);
}

/// Calls use(pre) for each in-edge of neuron `post`: c_e sources among the excitatory neurons,
/// c_i among the inhibitory ones, uniform, multapses allowed, no autapses (brunel.cpp's rule).
template <typename Use>
void in_edges(const network_parameters& p, std::uint64_t seed, std::uint32_t post, Use&& use) {
    const std::uint64_t key = stream_key(seed, stream::in_edges, post);
    std::uint64_t counter = 0;
    const auto draw = [&](std::uint32_t first, std::uint32_t count) {
        std::uint32_t pre;
        do pre = first + below(counter_hash(key, counter++), count); while (pre == post);
        return pre;
    };
    for (int c = 0; c < p.c_e; ++c) use(draw(0, std::uint32_t(p.n_e)));
    for (int c = 0; c < p.c_i; ++c) use(draw(std::uint32_t(p.n_e), std::uint32_t(p.n_i)));
}

/// A Poisson count of mean lambda from one uniform u in [0, 1), by inversion (p0 = e^-lambda).
int poisson(double u, double lambda, double p0) {
    int k = 0;
    double p = p0, cdf = p0;
    while (u > cdf && k < 1000) {  // the cap: rounding may keep cdf below u for u near 1
        ++k;
        p *= lambda / k;
        cdf += p;
    }
    return k;
}

// --- This rank's slice ---------------------------------------------------------------------------

struct slice {
    std::uint32_t begin, end;  // global indices [begin, end)
    [[nodiscard]] std::size_t size() const { return end - begin; }
};

slice slice_of(int rank, int ranks, int n) {
    const auto bound = [&](int r) { return std::uint32_t(std::int64_t(n) * r / ranks); };
    return {bound(rank), bound(rank + 1)};
}

/// The slice's in-edges by global source: local targets of source s in target[first[s] ..
/// first[s + 1]). Drawn twice (count, fill), as brunel.cpp does, so nothing but the table is held.
struct local_connectivity {
    std::vector<std::uint64_t> first;
    std::vector<std::uint32_t> target;
    [[nodiscard]] std::span<const std::uint32_t> of(std::uint32_t source) const {
        return {target.data() + first[source], target.data() + first[source + 1]};
    }
};

local_connectivity connect(const network_parameters& p, std::uint64_t seed, slice s) {
    local_connectivity net;
    net.first.assign(std::size_t(p.n()) + 1, 0);
    for (std::uint32_t post = s.begin; post < s.end; ++post)
        in_edges(p, seed, post, [&](std::uint32_t pre) { ++net.first[pre + 1]; });
    for (std::size_t i = 0; i < std::size_t(p.n()); ++i) net.first[i + 1] += net.first[i];
    net.target.resize(net.first.back());
    std::vector<std::uint64_t> next(net.first.begin(), net.first.end() - 1);
    for (std::uint32_t post = s.begin; post < s.end; ++post)
        in_edges(p, seed, post, [&](std::uint32_t pre) { net.target[next[pre]++] = post - s.begin; });
    return net;
}

// --- The run -------------------------------------------------------------------------------------

/// A spike on the wire: global index, step, offset in (0, dt] (16 bytes).
struct wire_spike {
    std::uint32_t index;
    std::uint32_t step;
    double offset;
};
static_assert(sizeof(wire_spike) == 16);

/// A spike on its way: its global source and its offset inside the arrival step.
struct in_flight {
    std::uint32_t source;
    double offset;
};

struct run_result {
    std::vector<spike_record> spikes;  // on rank 0: all ranks' spikes; elsewhere empty
    double wall_s = 0;                 // the loop, slowest rank
    double exchange_s = 0;             // of which in the exchange (slowest rank)
    double bytes_sent = 0, bytes_received = 0;  // per rank per block (mean over ranks and blocks)
    std::int64_t blocks = 0;
};

template <typename Timing>
run_result simulate(const network_parameters& p, const local_connectivity& net, slice mine, const options& o,
                    Timing timing, int rank, int ranks) {
    constexpr bool precise = !Timing::on_grid;
    const iaf::lif model{{.tau_m = tau_m, .c_m = c_m, .e_l = 0.0, .v_th = theta, .v_reset = v_r, .t_ref = t_ref}};
    const std::size_t n = mine.size();
    iaf::population pop{model, n, iaf::exact{}, timing, o.dt};
    const auto port = iaf::lif::port::v;
    const double dt = o.dt;
    const int d = p.delay_steps;

    const std::uint64_t v_key = stream_key(o.seed, stream::initial_v, 0);
    for (std::size_t i = 0; i < n; ++i)
        pop.set_state(i, theta * iaf::detail::uniform_closed0(counter_hash(v_key, mine.begin + i)));
    std::vector<std::uint64_t> drive_key(n);
    for (std::size_t i = 0; i < n; ++i) drive_key[i] = stream_key(o.seed, stream::drive, mine.begin + i);
    const double lambda = p.c_e * p.nu_ext * dt, p0 = std::exp(-lambda);
    // Neuron i's drive in step k: counter k 2^32 for the count, k 2^32 + m for the m-th offset.
    const auto draw = [&](std::size_t i, std::int64_t k, std::uint64_t m) {
        return counter_hash(drive_key[i], (std::uint64_t(k) << 32) + m);
    };

    const std::vector<double> dc(n, p.i_dc());  // each neuron's current [nA], held over every block
    const double w_e = p.j, w_i = -p.g * p.j, w_ext = p.j;
    const auto weight = [&](std::uint32_t source) { return source < std::uint32_t(p.n_e) ? w_e : w_i; };

    const int slots = 2 * d + 2;  // brunel.cpp: a block's spikes arrive within the next d + 1 steps
    std::vector<std::vector<in_flight>> ring(static_cast<std::size_t>(slots));
    std::vector<double> summed(n, 0.0);

    std::vector<spike_record> recorded;
    std::vector<wire_spike> outgoing, incoming;
    std::vector<int> counts(static_cast<std::size_t>(ranks)), displs(static_cast<std::size_t>(ranks));
    const auto on_spike = [&](std::size_t i, iaf::grid_time t) {
        const auto index = std::uint32_t(mine.begin + i);
        recorded.push_back({t.time(0.0, dt), index});
        outgoing.push_back({index, std::uint32_t(t.step), t.offset});
    };

    run_result result;
    double sent = 0, received = 0, exchange = 0;
    const auto steps = std::int64_t(std::llround(o.t_end / dt));
    MPI_Barrier(MPI_COMM_WORLD);
    const auto start = std::chrono::steady_clock::now();
    for (std::int64_t b = 0; b < steps; b += d) {
        const int len = int(std::min<std::int64_t>(d, steps - b));
        for (int j = 0; j < len; ++j) {
            const std::int64_t k = b + j;
            auto& arriving = ring[std::size_t(k % slots)];
            if constexpr (precise) {
                for (const in_flight& s : arriving) {
                    const double w = weight(s.source);
                    for (const std::uint32_t post : net.of(s.source)) pop.deliver(post, port, s.offset, w, k);
                }
                for (std::size_t i = 0; i < n; ++i) {
                    const int c = poisson(iaf::detail::uniform_closed0(draw(i, k, 0)), lambda, p0);
                    for (int m = 1; m <= c; ++m) {
                        const double u = iaf::detail::uniform_closed0(draw(i, k, std::uint64_t(m)));
                        pop.deliver(i, port, std::min(u * dt, std::nextafter(dt, 0.0)), w_ext, k);
                    }
                }
            } else {
                for (const in_flight& s : arriving) {
                    const double w = weight(s.source);
                    for (const std::uint32_t post : net.of(s.source)) summed[post] += w;
                }
                for (std::size_t i = 0; i < n; ++i) {
                    const int c = poisson(iaf::detail::uniform_closed0(draw(i, k, 0)), lambda, p0);
                    const double w = summed[i] + w_ext * c;
                    summed[i] = 0.0;
                    if (w != 0.0) pop.deliver(i, port, 0.0, w, k);
                }
            }
            arriving.clear();
        }
        outgoing.clear();
        pop.advance(len, dc, on_spike);

        // The exchange: every rank gets every spike of the block.
        const auto exchange_start = std::chrono::steady_clock::now();
        const int my_bytes = int(outgoing.size() * sizeof(wire_spike));
        MPI_Allgather(&my_bytes, 1, MPI_INT, counts.data(), 1, MPI_INT, MPI_COMM_WORLD);
        int total = 0;
        for (int r = 0; r < ranks; ++r) displs[std::size_t(r)] = total, total += counts[std::size_t(r)];
        incoming.resize(std::size_t(total) / sizeof(wire_spike));
        MPI_Allgatherv(outgoing.data(), my_bytes, MPI_BYTE, incoming.data(), counts.data(), displs.data(), MPI_BYTE,
                       MPI_COMM_WORLD);
        exchange += std::chrono::duration<double>(std::chrono::steady_clock::now() - exchange_start).count();
        sent += my_bytes + double(sizeof(int));
        received += total - my_bytes + double(sizeof(int)) * (ranks - 1);

        // (step, index) order, whoever sent them: each neuron's events then arrive in one order.
        std::sort(incoming.begin(), incoming.end(), [](const wire_spike& x, const wire_spike& y) {
            return x.step < y.step || (x.step == y.step && x.index < y.index);
        });
        for (const wire_spike& s : incoming) {
            std::int64_t arrival = std::int64_t(s.step) + d;
            double offset = s.offset;
            if (offset >= dt) ++arrival, offset = 0.0;  // from the very end of a step: offset 0 of the next
            ring[std::size_t(arrival % slots)].push_back({s.index, offset});
        }
        ++result.blocks;
    }
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    MPI_Reduce(&wall, &result.wall_s, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    MPI_Reduce(&exchange, &result.exchange_s, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    double totals[2] = {sent, received}, sums[2] = {0, 0};
    MPI_Reduce(totals, sums, 2, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    result.bytes_sent = sums[0] / (double(ranks) * double(result.blocks));
    result.bytes_received = sums[1] / (double(ranks) * double(result.blocks));

    // Rank 0 gathers the recorded spikes.
    const int my_bytes = int(recorded.size() * sizeof(spike_record));
    MPI_Gather(&my_bytes, 1, MPI_INT, counts.data(), 1, MPI_INT, 0, MPI_COMM_WORLD);
    int total = 0;
    if (rank == 0)
        for (int r = 0; r < ranks; ++r) displs[std::size_t(r)] = total, total += counts[std::size_t(r)];
    result.spikes.resize(std::size_t(total) / sizeof(spike_record));
    MPI_Gatherv(recorded.data(), my_bytes, MPI_BYTE, result.spikes.data(), counts.data(), displs.data(), MPI_BYTE, 0,
                MPI_COMM_WORLD);
    return result;
}

constexpr const char* usage =
    "usage: mpirun -n RANKS brunel_mpi [--g 5] [--eta 2] [--n-scale 1] [--t-end 1000] [--t-warm 100]\n"
    "              [--dt 0.1] [--delay 1.5] [--mode grid|precise|both] [--seed 1] [--out PREFIX] [--check]\n";

/// Every rank runs this alike: an error message for rank 0 to print, or empty.
std::string validate(int argc, char** argv, int ranks, options& o) {
    try {
        o = parse(argc, argv, false);
    } catch (const usage_error& e) {
        return e.what();
    }
    if (o.help) return {};
    const int n = make_parameters(o).n();
    if (ranks > n) {
        char message[160];
        std::snprintf(message, sizeof message,
                      "the rank count %d is larger than the neuron count %d (--n-scale %g): every rank must own at "
                      "least one neuron",
                      ranks, n, o.scale);
        return message;
    }
    return {};
}

int run(int argc, char** argv, int rank, int ranks) {
    options o;
    const std::string error = validate(argc, argv, ranks, o);
    if (!error.empty()) {
        if (rank == 0) std::fprintf(stderr, "brunel_mpi: %s\n%s", error.c_str(), usage);
        return 2;
    }
    if (o.help) {
        if (rank == 0)
            std::printf("Brunel's (2000) network over MPI ranks, the same spikes on any rank count; see "
                        "examples/brunel_mpi.cpp.\n%s", usage);
        return 0;
    }
    const network_parameters p = make_parameters(o);
    const slice mine = slice_of(rank, ranks, p.n());
    if (rank == 0) {
        std::printf("Brunel (2000) model A, g = %g, eta = %g: N_E = %d, N_I = %d, C_E = %d, C_I = %d, J = %.4g mV, "
                    "D = %g ms, dt = %g ms, %g ms\n",
                    o.g, o.eta, p.n_e, p.n_i, p.c_e, p.c_i, p.j, o.delay, o.dt, o.t_end);
        std::printf("%d MPI ranks, %zu to %zu neurons each; mean-field rate %.2f Hz\n", ranks, mine.size(),
                    slice_of(ranks - 1, ranks, p.n()).size(), 1000.0 * p.nu_mf);
    }
    const auto built = std::chrono::steady_clock::now();
    const local_connectivity net = connect(p, o.seed, mine);
    const double build_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - built).count();
    double build_max = 0;
    MPI_Reduce(&build_s, &build_max, 1, MPI_DOUBLE, MPI_MAX, 0, MPI_COMM_WORLD);
    if (rank == 0) std::printf("connectivity: each rank its own in-edges, built in %.2f s\n", build_max);

    int status = 0;
    const auto report = [&](const char* mode, const char* method, const run_result& r) {
        if (rank != 0) return;
        const statistics s = analyse(r.spikes, p, o);
        std::printf("%-7s (%s): wall %.2f s for %g ms on %d ranks (exchange %.2f s); %.0f bytes sent and %.0f "
                    "received per rank per min delay\n",
                    mode, method, r.wall_s, o.t_end, ranks, r.exchange_s, r.bytes_sent, r.bytes_received);
        std::printf("%-7s rate %.2f Hz (E %.2f, I %.2f); CV %.3f (%zu neurons with >= 3 spikes); synchrony %.4f; "
                    "%zu spikes after %g ms\n",
                    mode, s.rate_hz, s.rate_e_hz, s.rate_i_hz, s.cv, s.cv_neurons, s.synchrony, s.spikes, o.t_warm);
        const double lo = 0.75 * 1000.0 * p.nu_mf, hi = 1.25 * 1000.0 * p.nu_mf;
        const bool ok = s.rate_hz >= lo && s.rate_hz <= hi && s.cv > 0.3 && s.synchrony < 0.3;
        if (o.check) {
            std::printf("%-7s asynchronous irregular: %s (rate in [%.1f, %.1f] Hz, CV > 0.3, synchrony < 0.3)\n",
                        mode, ok ? "yes" : "NO", lo, hi);
            if (!ok) status = 1;
        }
        if (!o.out.empty()) {
            const std::string path = spike_path(o, mode);
            // The title names no rank count: the file is the same for any.
            const std::string title = std::string(method) + " over MPI ranks";
            if (!write_spikes(path, r.spikes, s, p, o, title.c_str(), "%.17g")) {
                std::fprintf(stderr, "brunel_mpi: cannot write %s\n", path.c_str());
                MPI_Abort(MPI_COMM_WORLD, 1);
            }
        }
        std::fflush(stdout);
    };
    if (o.mode != "precise") report("grid", "exact + grid", simulate(p, net, mine, o, iaf::grid{}, rank, ranks));
    if (o.mode != "grid") report("precise", "exact + analytic", simulate(p, net, mine, o, iaf::analytic{}, rank, ranks));
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return status;
}

}  // namespace

int main(int argc, char** argv) {
    MPI_Init(&argc, &argv);
    int rank = 0, ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    int status = 0;
    try {
        status = run(argc, argv, rank, ranks);
    } catch (const std::exception& e) {
        // Past validation only a library error or a failed allocation lands here, maybe on one
        // rank: the others would wait for it in the next exchange, so abort them all.
        std::fprintf(stderr, "brunel_mpi (rank %d): %s\n", rank, e.what());
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    MPI_Finalize();
    return status;
}
