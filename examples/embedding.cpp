// Embedding iaf in a simulator (docs/embedding.md): the host's time loop with synaptic events
// inside a step, saving and restoring a neuron, and a population stepped by two threads. The
// program checks what the guide claims and exits non-zero if a check fails.
#include <cmath>
#include <cstdio>
#include <thread>
#include <vector>

#include <iaf/iaf.hpp>

namespace {

int failures = 0;
void check(bool ok, const char* what) {
    std::printf("%s: %s\n", ok ? "ok  " : "FAIL", what);
    if (!ok) ++failures;
}

const iaf::lif model{
    {.tau_m = 10.0, .c_m = 0.25, .e_l = -70.0, .v_th = -55.0, .v_reset = -70.0, .t_ref = 2.0}};
constexpr double dt = 0.1;  // [ms]

}  // namespace

int main() {
    // 1. The host's time loop. The host owns the clock: each call advances one grid step. Events
    //    for this step are (offset in [0, dt), port, weight), sorted by offset; the step splits at
    //    each one, so with exact + analytic the spike time is exact to round-off.
    iaf::neuron n{model, iaf::constant{0.5}, iaf::exact{}, iaf::analytic{}, dt};
    using event = iaf::neuron<iaf::lif, iaf::constant, iaf::exact, iaf::analytic>::event_type;
    std::vector<double> spike_times;
    const auto record = [&](double t) { spike_times.push_back(t); };
    for (int k = 0; k < 200; ++k) {
        if (k == 100) {
            const event kick[] = {{.offset = 0.025, .port = iaf::lif::port::v, .weight = 20.0}};  // +20 mV
            n.step(kick, record);
        } else {
            n.step(record);
        }
    }
    // V relaxes towards E_L + R I = -50 mV and would cross -55 mV at 13.9 ms; the 20 mV kick at
    // t = 10.025 ms lands at V = -57.4 mV and lifts it over the threshold: a spike right there.
    std::printf("host loop: %zu spikes, the first at %.15g ms\n", spike_times.size(),
                spike_times.empty() ? -1.0 : spike_times[0]);
    check(!spike_times.empty() && std::abs(spike_times[0] - 10.025) < 1e-12,
          "an event that lifts V to threshold fires at its arrival time, off the grid");

    // 2. Save and restore. A neuron is a value: copying it saves everything (state, clock,
    //    refractory end, current); assigning restores it, and the rerun is bit for bit the same.
    //    For a checkpoint on disk, save state(), refractory_end() and steps() (see the guide).
    while (!n.refractory()) n.step();  // save in the middle of a refractory period
    const auto saved = n;
    std::vector<double> first, second;
    for (int k = 0; k < 300; ++k) n.step([&](double t) { first.push_back(t); });
    n = saved;
    for (int k = 0; k < 300; ++k) n.step([&](double t) { second.push_back(t); });
    std::printf("restore: %zu spikes after the checkpoint, both runs\n", first.size());
    check(!first.empty() && first == second, "a restored copy reruns bit for bit");

    // 3. A population stepped by two threads: prepare_step() on one thread, step_slice() on
    //    disjoint slices in parallel, finish_step() on one thread. Same spikes as one thread.
    const std::size_t size = 1000;
    std::vector<double> input(size);
    for (std::size_t i = 0; i < size; ++i) input[i] = 0.35 + 0.3 * double(i) / double(size);  // [nA]
    iaf::population one{model, size, iaf::exact{}, iaf::analytic{}, dt};
    iaf::population two{model, size, iaf::exact{}, iaf::analytic{}, dt};
    std::vector<std::vector<iaf::grid_time>> spikes_one(size), spikes_two(size);
    for (int k = 0; k < 1000; ++k) {
        // A synaptic event for neuron k at an off-grid offset, delivered to both populations.
        one.deliver(std::size_t(k) % size, iaf::lif::port::v, 0.05, 2.0);
        two.deliver(std::size_t(k) % size, iaf::lif::port::v, 0.05, 2.0);
        one.step(input, [&](std::size_t i, iaf::grid_time t) { spikes_one[i].push_back(t); });
        two.prepare_step();
        // Each thread writes only its own neurons' spike lists, so no lock is needed.
        const auto half = [&](std::size_t begin, std::size_t end) {
            two.step_slice(begin, end, input,
                           [&](std::size_t i, iaf::grid_time t) { spikes_two[i].push_back(t); });
        };
        std::thread worker(half, 0, size / 2);
        half(size / 2, size);
        worker.join();
        two.finish_step();
    }
    std::size_t total = 0;
    for (const auto& s : spikes_one) total += s.size();
    std::printf("population: %zu spikes in 100 ms from %zu neurons\n", total, size);
    check(total > size && spikes_one == spikes_two,
          "two threads on disjoint slices give the spikes of one thread");

    // 4. Errors are exceptions: a bad parameter throws at construction, never in a step.
    try {
        const iaf::lif bad{{.v_th = -55.0, .v_reset = -50.0}};
        check(false, "v_reset above v_th is rejected");
    } catch (const iaf::invalid_parameter& e) {
        std::printf("rejected: %s\n", e.what());
        check(true, "v_reset above v_th is rejected at construction with invalid_parameter");
    }
    return failures == 0 ? 0 : 1;
}
