// Question: what does a population step cost per neuron-step, against a hand-written loop of the
// same math and against Brian2 (bench/brian2_population.py)?
//
// The population is Brian2's: N LIF neurons (bench_neuron.hpp's, plus t_ref = 2 ms), dt = 0.1 ms,
// each with its own constant input drawn so that V_inf = R I is uniform in [0, 35] mV, started
// in the steady state (each neuron at a uniformly random phase of its period, as the Brian2
// script draws it), so that about 10 % are refractory all through the timed loop.
//
// Names: hand_exact/<scalar>/N:n is the baseline, a hand-written loop of exact + grid's math on
// plain arrays (one pass per step); iaf/<scalar>/<integrator>/<timing>/<call>/N:n is
// iaf::population, call = step (one `step` per iteration), advance1 / advance10 (one `advance(k)`
// per iteration on the row `step` gets, held over the k steps) or advance10rows (`advance(10)` on a
// 10-row block built outside the timed loop, as a host's ring buffer of summed currents).
//
// items = neuron-steps, so 1 / items_per_second is the ns per neuron-step that the README's table
// reads. Counters: spikes/nstep, spikes per neuron-step over the run, and spikes_first10, the
// spikes of the first 10 steps (every loop starts from the same state, so loops doing the same
// work agree on it exactly; exact + grid and the hand loop differ only by rounding);
// refractory, the fraction refractory at the end; state_B/neuron, the bytes of a neuron's state.
// bytes_per_second counts the least memory traffic of a step: read V, I and the refractory
// count, write V and the count (3 sizeof(S) + 8 bytes per neuron-step).
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include <iaf/detail/cache_aligned.hpp>
#include <iaf/integrators/euler.hpp>
#include <iaf/integrators/exact.hpp>
#include <iaf/population.hpp>
#include <iaf/spike_timing.hpp>

#include "bench_neuron.hpp"

namespace {

constexpr double t_ref = 2.0;      // ms
constexpr double vinf_max = 35.0;  // mV: V_inf uniform in [0, vinf_max], as brian2_population.py
constexpr std::int64_t first_steps = 10;  // spikes_first10 counts the spikes of the first 10 steps

template <typename S>
iaf::basic_lif<S> make_model() {
    using bench::opaque;
    return iaf::basic_lif<S>{{.tau_m = opaque(bench::tau_m), .c_m = opaque(bench::c_m), .e_l = opaque(bench::e_l),
                              .v_th = opaque(bench::v_th), .v_reset = opaque(bench::v_reset),
                              .t_ref = opaque(t_ref)}};
}

/// The steady state of brian2_population.py's `stationary_start`, at t = 0: each neuron's input,
/// its V, and for a refractory neuron how many steps ago it spiked (-1: not refractory).
template <typename S>
struct stationary_start {
    std::vector<S> current;           // nA
    std::vector<S> v;                 // mV
    std::vector<std::int32_t> spiked;  // the neuron spiked at the end of step -spiked - 1

    explicit stationary_start(std::size_t n, std::uint64_t seed = 1) : current(n), v(n), spiked(n, -1) {
        using namespace bench;
        std::mt19937_64 rng{seed};
        std::uniform_real_distribution<double> uniform{0.0, 1.0};
        for (std::size_t i = 0; i < n; ++i) {
            const double vinf = vinf_max * uniform(rng);
            current[i] = static_cast<S>(vinf / r_m);
            const double theta = v_th - e_l;
            if (!(vinf > theta)) {  // never fires: sits at V_inf
                v[i] = static_cast<S>(e_l + vinf);
                continue;
            }
            const double period = t_ref + tau_m * std::log(vinf / (vinf - theta));
            const double phase = uniform(rng) * period;  // time since the last spike
            if (phase < t_ref) {
                spiked[i] = static_cast<std::int32_t>(std::floor(phase / dt));
                v[i] = static_cast<S>(v_reset);
            } else {
                v[i] = static_cast<S>(e_l + vinf * -std::expm1(-(phase - t_ref) / tau_m));
            }
        }
    }
};

/// Refractory steps held after a spike at a step's end: t_ref / dt whole steps when t_ref ends on
/// the grid (as here), as iaf's grid policy counts them.
int held_steps() {
    const iaf::grid_time end = iaf::grid_time::after(0, bench::dt, t_ref, bench::dt);
    return static_cast<int>(end.step) - (end.offset < bench::dt * 1e-9 ? 1 : 0);
}

/// Brings a fresh population into the state `start` describes: 20 steps (t_ref) before t = 0
/// every neuron rests at V = 0 without input, except that a neuron refractory at t = 0 gets a
/// large input in the step it spiked in; then V of the non-refractory neurons is written.
template <typename Pop, typename S>
bool prime(Pop& pop, const stationary_start<S>& start) {
    const int lead = held_steps();
    std::vector<S> input(pop.size());
    for (int j = 0; j < lead; ++j) {  // step j is step j - lead relative to t = 0
        for (std::size_t i = 0; i < pop.size(); ++i)
            input[i] = start.spiked[i] >= 0 && j == lead - 1 - start.spiked[i] ? S(1000) : S(0);
        pop.step(input, [](std::size_t, iaf::grid_time) {});
    }
    bool ok = true;
    for (std::size_t i = 0; i < pop.size(); ++i) {
        ok = ok && pop.refractory(i) == (start.spiked[i] >= 0);
        if (start.spiked[i] < 0) pop.set_state(i, start.v[i]);
    }
    return ok;
}

void report(benchmark::State& state, std::size_t n, std::int64_t steps, std::int64_t spikes, std::int64_t first_spikes,
            double refractory, std::size_t scalar_bytes, std::size_t state_bytes) {
    const auto neuron_steps = static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(n) * steps;
    state.SetItemsProcessed(neuron_steps);
    state.SetBytesProcessed(neuron_steps * static_cast<std::int64_t>(3 * scalar_bytes + 8));
    state.counters["spikes/nstep"] = static_cast<double>(spikes) / static_cast<double>(neuron_steps);
    // The same start and the same first steps for every loop: equal work shows as equal spikes here
    // exactly (the whole-run rate above depends on how many steps the run took).
    state.counters["spikes_first10"] = first_spikes < 0 ? std::nan("") : static_cast<double>(first_spikes);
    state.counters["refractory"] = refractory;
    state.counters["state_B/neuron"] = static_cast<double>(state_bytes);
}

template <typename T, bool Aligned>
using maybe_aligned_vector = std::conditional_t<Aligned, iaf::detail::cache_aligned_vector<T>, std::vector<T>>;

/// The hand-written step: exact LIF on plain arrays, V += (V_inf - V)(1 - e^{-dt/tau}) unless
/// refractory, threshold test, reset, a refractory countdown; returns the spikes. Branch-free, so
/// that GCC vectorises it (-fopt-info-vec-optimized reports this loop).
template <typename S>
struct hand_parameters {
    S e_l, r_m, v_th, v_reset, growth;
    std::int32_t held;
};

template <typename S>
[[gnu::noinline]] int hand_step(std::size_t n, S* __restrict v, std::int32_t* __restrict left,
                                const S* __restrict input, const hand_parameters<S> p) {
    int spikes = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const std::int32_t r = left[i];
        const S v0 = v[i];
        const S v_inf = p.e_l + p.r_m * input[i];
        const S v1 = r > 0 ? v0 : v0 + (v_inf - v0) * p.growth;
        const bool fire = r == 0 && v1 >= p.v_th;
        v[i] = fire ? p.v_reset : v1;
        left[i] = fire ? p.held : std::max(r - 1, 0);
        spikes += fire ? 1 : 0;
    }
    return spikes;
}

/// Aligned: V, the count and the input start on a cache line, as the population's V and count do
/// (std::vector's data, like malloc's, is 16-byte aligned, so a 64-byte register straddles two
/// lines); a reference for how much of the population's lead is alignment.
template <typename S, bool Aligned = false>
void hand_exact(benchmark::State& state) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const bench::runtime_parameters rp;
    const hand_parameters<S> p{S(rp.e_l), S(rp.r_m), S(rp.v_th), S(rp.v_reset), S(rp.growth),
                               static_cast<std::int32_t>(bench::opaque(held_steps()))};
    const stationary_start<S> start{n};
    maybe_aligned_vector<S, Aligned> v(start.v.begin(), start.v.end());
    const maybe_aligned_vector<S, Aligned> input(start.current.begin(), start.current.end());
    maybe_aligned_vector<std::int32_t, Aligned> left(n);
    for (std::size_t i = 0; i < n; ++i) left[i] = start.spiked[i] >= 0 ? p.held - start.spiked[i] : 0;
    std::int64_t spikes = 0, first_spikes = -1, steps = 0;
    for (auto _ : state) {
        spikes += hand_step(n, v.data(), left.data(), input.data(), p);
        if (++steps == first_steps) first_spikes = spikes;
        benchmark::DoNotOptimize(std::as_const(spikes));
    }
    const auto refractory = std::count_if(left.begin(), left.end(), [](std::int32_t r) { return r > 0; });
    report(state, n, 1, spikes, first_spikes, static_cast<double>(refractory) / static_cast<double>(n), sizeof(S),
           sizeof(S) + sizeof(std::int32_t));
}

/// iaf::population, primed to the steady state; k = 0: `step`, else `advance(k)`.
template <typename S, typename Integrator, typename Timing>
void population(benchmark::State& state, Integrator integrator, Timing timing, int k, bool rows) {
    const auto n = static_cast<std::size_t>(state.range(0));
    const stationary_start<S> start{n};
    iaf::population pop{make_model<S>(), n, integrator, timing, bench::opaque(bench::dt)};
    if (!prime(pop, start)) {
        state.SkipWithError("priming did not reach the steady state's refractory neurons");
        return;
    }
    // rows: a k-row block (a host's ring buffer of summed currents); otherwise advance(k) gets
    // the one row that step gets, held over the k steps.
    std::vector<S> block;
    if (rows)
        for (int j = 0; j < k; ++j) block.insert(block.end(), start.current.begin(), start.current.end());
    const std::span<const S> input{start.current};
    const std::span<const S> input_block = rows ? std::span<const S>{block} : input;
    auto ignore = [](std::size_t, iaf::grid_time) {};
    std::int64_t spikes = 0, first_spikes = -1, steps = 0;
    for (auto _ : state) {
        spikes += k == 0 ? pop.step(input, ignore) : pop.advance(k, input_block, ignore);
        steps += std::max(k, 1);
        if (steps == first_steps) first_spikes = spikes;
        benchmark::DoNotOptimize(std::as_const(spikes));
    }
    std::size_t refractory = 0;
    for (std::size_t i = 0; i < n; ++i) refractory += pop.refractory(i) ? 1 : 0;
    // V, the refractory count (32 bits) and the offset where the period ends (see population.hpp).
    report(state, n, std::max(k, 1), spikes, first_spikes, static_cast<double>(refractory) / static_cast<double>(n),
           sizeof(S), sizeof(S) + sizeof(std::int32_t) + sizeof(double));
}

const std::vector<std::int64_t> sizes{1'000, 100'000, 1'000'000};

template <typename F>
void register_sizes(const std::string& name, F f) {
    auto* b = benchmark::RegisterBenchmark(name.c_str(), f);
    b->ArgName("N");
    for (const auto n : sizes) b->Arg(n);
}

template <typename S, typename Integrator, typename Timing>
void register_calls(const std::string& prefix, Integrator integrator, Timing timing) {
    for (const int k : {0, 1, 10}) {
        const std::string call = k == 0 ? "step" : "advance" + std::to_string(k);
        register_sizes(prefix + "/" + call, [=](benchmark::State& state) {
            population<S>(state, integrator, timing, k, false);
        });
    }
    register_sizes(prefix + "/advance10rows", [=](benchmark::State& state) {
        population<S>(state, integrator, timing, 10, true);
    });
}

template <typename S>
void register_scalar(const std::string& scalar) {
    register_sizes("hand_exact/" + scalar, [](benchmark::State& state) { hand_exact<S>(state); });
    register_sizes("hand_exact_aligned/" + scalar, [](benchmark::State& state) { hand_exact<S, true>(state); });
    register_calls<S>("iaf/" + scalar + "/exact/grid", iaf::exact{}, iaf::grid{});
    register_calls<S>("iaf/" + scalar + "/exact/analytic", iaf::exact{}, iaf::analytic{});
    register_calls<S>("iaf/" + scalar + "/euler/grid", iaf::euler{}, iaf::grid{});
    register_calls<S>("iaf/" + scalar + "/euler/linear", iaf::euler{}, iaf::linear{});
}

}  // namespace

int main(int argc, char** argv) {
    register_scalar<double>("double");
    register_scalar<float>("float");
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
