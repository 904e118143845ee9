// The C++ side of bench/python_overhead.py: the same iaf::simulate call the script times from
// Python (LIF of the notebook, constant 1 nA, exact + grid, dt = 0.01 ms, spikes only), timed
// here without Python. Prints the best wall time of `repeats` runs in seconds, and the spike
// count so the script can check both sides ran the same simulation.
//     python_overhead_cpp <steps> <repeats>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <iaf/iaf.hpp>

int main(int argc, char** argv) {
    const long steps = argc > 1 ? std::atol(argv[1]) : 1000000;
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
    const iaf::lif model{{.r_m = 6.4, .c_m = 0.9, .v_th = 5.0, .v_reset = 0.4, .v_init = 0.4}};
    const iaf::constant current{1.0};
    constexpr double dt = 0.01;
    double best = 1e300;
    std::size_t spikes = 0;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        const auto result = iaf::simulate(model, current, iaf::exact{}, iaf::grid{},
                                          {.dt = dt, .t_end = static_cast<double>(steps) * dt});
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        spikes = result.spike_times.size();
        if (took.count() < best) best = took.count();
    }
    std::printf("%.9f %zu\n", best, spikes);
}
