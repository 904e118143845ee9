// iaf::population stepped by several threads on disjoint slices, as a network simulator splits its
// neurons: the spikes and states equal a single-threaded run bit for bit. Built also under
// ThreadSanitizer (the `tsan` preset, CTest label `threads`), which fails the run on any data race
// between the slices, the event buffer they read and the host's thread.
#include <algorithm>
#include <barrier>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <thread>
#include <type_traits>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

namespace {

constexpr double dt = 0.1;  // [ms]

// A uniform double in [0, 1) from the top 53 bits of mt19937_64, whose output the standard fixes.
double uniform(std::mt19937_64& rng) {
    return static_cast<double>(rng() >> 11) * 0x1p-53;
}

// A LIF with rheobase 0.375 nA and t_ref = 2 ms (a neuron at 0.45 nA fires every 16.7 ms).
template <typename S>
iaf::basic_lif<S> lif_model() {
    return iaf::basic_lif<S>{{.tau_m = 10.0, .c_m = 0.25, .e_l = -70.0, .v_th = -55.0, .v_reset = -65.0, .t_ref = 2.0}};
}

// Slice boundaries that fall on no SIMD block (256 neurons) or lane width: each slice has a
// partial block and a scalar tail, and neighbouring slices write neighbouring elements.
constexpr std::size_t n = 1000;
const std::vector<std::size_t> cuts{0, 301, 302, 777, n};  // four slices, one of a single neuron

// The host's side of a run: per-neuron input drawn anew every step around a per-neuron mean, and
// for about 5 % of the neurons a synaptic event (a jump of V) at a random offset, some delivered
// a few steps ahead. Both runs of a comparison draw the same sequence.
template <typename S>
class host {
public:
    explicit host(std::uint64_t seed) : rng_(seed), mean_(n), input_(n) {
        for (double& m : mean_) m = 0.38 + 0.12 * uniform(rng_);
    }
    template <typename Population>
    const std::vector<S>& next(Population& pop) {
        for (std::size_t i = 0; i < n; ++i) {
            input_[i] = static_cast<S>(mean_[i] + 0.3 * (2.0 * uniform(rng_) - 1.0));
            if (uniform(rng_) < 0.05) {
                const double offset = std::min(dt * uniform(rng_), std::nextafter(dt, 0.0));
                const double weight = (uniform(rng_) < 0.25 ? -1.0 : 1.0) * (0.5 + 3.5 * uniform(rng_));
                const auto ahead = static_cast<std::int64_t>(4 * uniform(rng_));
                pop.deliver(i, iaf::lif::port::v, offset, weight, pop.steps() + ahead);
            }
        }
        return input_;
    }

private:
    std::mt19937_64 rng_;
    std::vector<double> mean_;
    std::vector<S> input_;
};

std::uint64_t bits(double x) {
    return std::bit_cast<std::uint64_t>(x);
}
std::uint32_t bits(float x) {
    return std::bit_cast<std::uint32_t>(x);
}

using spike = std::pair<std::size_t, iaf::grid_time>;

// Every run reports spikes through this one type, so the population's step is compiled once per
// scenario (TSan builds are slow to compile, and CI pays for it).
struct collect {
    std::vector<spike>* into;
    void operator()(std::size_t i, iaf::grid_time t) const { into->emplace_back(i, t); }
};

// Spikes grouped by neuron, each neuron's in the order reported.
std::vector<std::vector<iaf::grid_time>> by_neuron(const std::vector<std::vector<spike>>& lists) {
    std::vector<std::vector<iaf::grid_time>> trains(n);
    for (const auto& list : lists)
        for (const auto& [i, t] : list) trains.at(i).push_back(t);
    return trains;
}

// The first difference, bit for bit, between two sets of trains, or "".
std::string first_difference(const std::vector<std::vector<iaf::grid_time>>& got,
                             const std::vector<std::vector<iaf::grid_time>>& expected) {
    for (std::size_t i = 0; i < n; ++i) {
        if (got[i].size() != expected[i].size())
            return "neuron " + std::to_string(i) + ": " + std::to_string(got[i].size()) + " spikes instead of " +
                   std::to_string(expected[i].size());
        for (std::size_t s = 0; s < got[i].size(); ++s)
            if (got[i][s].step != expected[i][s].step ||
                bits(got[i][s].offset) != bits(expected[i][s].offset))
                return "neuron " + std::to_string(i) + ", spike " + std::to_string(s) + " differs";
    }
    return {};
}

// Whether two populations hold the same V, bit for bit, and the same refractoriness.
template <typename Population>
bool same_states(const Population& a, const Population& b) {
    for (std::size_t i = 0; i < n; ++i)
        if (bits(a.states()[i]) != bits(b.states()[i]) || a.refractory(i) != b.refractory(i)) return false;
    return true;
}

// The single-threaded reference: `steps` calls of step().
template <typename S, typename P>
std::vector<std::vector<iaf::grid_time>> one_thread(int steps, iaf::population<iaf::basic_lif<S>, iaf::exact, P>& pop) {
    host<S> drive(7);
    std::vector<std::vector<spike>> spikes(1);
    for (int k = 0; k < steps; ++k)
        pop.step(drive.next(pop), collect{&spikes[0]});
    return by_neuron(spikes);
}

// Grid timing takes the lanes' common step for nearly every neuron; analytic timing sends every
// spike, refractory end and event through the neuron's scalar step. Float has 16 lanes, double 8.
template <typename S, typename P>
struct scenario {
    using scalar = S;
    using policy = P;
};
#define IAF_THREAD_SCENARIOS                                                                            \
    scenario<double, iaf::grid>, scenario<double, iaf::analytic>, scenario<float, iaf::grid>, \
        scenario<float, iaf::analytic>

constexpr int steps = 400;

/// What both ways of threading share: the single-threaded reference run, the population to
/// split over threads with its drive, one spike list per slice, and the comparison at the end.
template <typename S, typename P>
struct split_run {
    using population = iaf::population<iaf::basic_lif<S>, iaf::exact, P>;
    population whole{lif_model<S>(), n, iaf::exact{}, P{}, dt};
    std::vector<std::vector<iaf::grid_time>> expected = one_thread<S>(steps, whole);
    population split{lif_model<S>(), n, iaf::exact{}, P{}, dt};
    host<S> drive{7};
    std::size_t slices = cuts.size() - 1;
    std::vector<std::vector<spike>> spikes = std::vector<std::vector<spike>>(slices);

    /// Spikes and states equal the single-threaded run's, bit for bit.
    void check_equals_one_thread() const {
        const std::string diff = first_difference(by_neuron(spikes), expected);
        CHECK_MESSAGE(diff.empty(), diff);
        CHECK(same_states(split, whole));
    }
};

}  // namespace

TEST_CASE_TEMPLATE("population threads: one thread per slice, started every step, gives the spikes and states of one thread",
                   T, IAF_THREAD_SCENARIOS) {
    using S = typename T::scalar;
    split_run<S, typename T::policy> run;
    auto& split = run.split;
    auto& spikes = run.spikes;
    const std::size_t slices = run.slices;
    std::vector<int> counted(slices, 0);
    for (int k = 0; k < steps; ++k) {
        const std::vector<S>& input = run.drive.next(split);
        split.prepare_step();
        std::vector<std::thread> threads;
        for (std::size_t s = 0; s < slices; ++s)
            threads.emplace_back([&, s] {
                counted[s] += split.step_slice(cuts[s], cuts[s + 1], input, collect{&spikes[s]});
            });
        for (std::thread& t : threads) t.join();
        split.finish_step();
    }
    for (std::size_t s = 0; s < slices; ++s) {
        CAPTURE(s);
        CHECK(static_cast<std::size_t>(counted[s]) == spikes[s].size());
        CHECK(std::all_of(spikes[s].begin(), spikes[s].end(),
                          [&](const spike& x) { return x.first >= cuts[s] && x.first < cuts[s + 1]; }));
    }
    run.check_equals_one_thread();
    std::size_t total = 0;
    for (const auto& list : spikes) total += list.size();
    MESSAGE(total << " spikes");
    CHECK(total > 2 * n);
}

TEST_CASE_TEMPLATE("population threads: a pool of workers synchronised by a barrier gives the spikes and states of one thread",
                   T, IAF_THREAD_SCENARIOS) {
    // As a simulator runs: long-lived workers, the host thread delivers events and calls
    // prepare_step / finish_step between two barrier phases.
    using S = typename T::scalar;
    split_run<S, typename T::policy> run;
    auto& split = run.split;
    auto& spikes = run.spikes;
    const std::size_t workers = run.slices;
    const std::vector<S>* input = nullptr;
    std::barrier sync(static_cast<std::ptrdiff_t>(workers + 1));
    std::vector<std::jthread> pool;
    for (std::size_t w = 0; w < workers; ++w)
        pool.emplace_back([&, w] {
            for (int k = 0; k < steps; ++k) {
                sync.arrive_and_wait();  // the host has prepared step k
                split.step_slice(cuts[w], cuts[w + 1], *input, collect{&spikes[w]});
                sync.arrive_and_wait();  // every slice is done
            }
        });
    for (int k = 0; k < steps; ++k) {
        input = &run.drive.next(split);
        split.prepare_step();
        sync.arrive_and_wait();
        sync.arrive_and_wait();
        split.finish_step();
    }
    pool.clear();  // joins
    run.check_equals_one_thread();
    CHECK(split.steps() == steps);
}
