// The C++ side of bench/python_overhead.py: the iaf::simulate call the script times from Python
// (the notebook's LIF, constant 1 nA, exact + grid, dt = 0.01 ms, spikes only), timed here
// without Python, two ways:
//   call     iaf::simulate in a function of its own, its arguments known only at run time: how
//            the Python module calls it, and how a program that reads its parameters calls it;
//   inlined  iaf::simulate written in main with every argument a compile-time constant, so that
//            GCC specialises the whole run for them (record_every = 0 in particular).
// Prints "<call seconds> <inlined seconds> <spikes>": best of `repeats` runs each.
//     python_overhead_cpp <steps> <repeats>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include <iaf/iaf.hpp>

namespace {

template <typename M, typename C, typename I, typename P>
[[gnu::noinline]] iaf::simulation_result call(const M& model, const C& current, const I& integrator, const P& timing,
                                              const iaf::simulation_options& options) {
    return iaf::simulate(model, current, integrator, timing, options);
}

template <typename Run>
double best_of(int repeats, Run run) {
    double best = 1e300;
    for (int r = 0; r < repeats; ++r) {
        const auto start = std::chrono::steady_clock::now();
        run();
        const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
        best = std::min(best, took.count());
    }
    return best;
}

}  // namespace

int main(int argc, char** argv) {
    const long steps = argc > 1 ? std::atol(argv[1]) : 1000000;
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
    const iaf::lif model{{.r_m = 6.4, .c_m = 0.9, .v_th = 5.0, .v_reset = 0.4, .v_init = 0.4}};
    const iaf::constant current{1.0};
    constexpr double dt = 0.01;
    const double t_end = static_cast<double>(steps) * dt;
    std::size_t spikes_call = 0, spikes_inlined = 0;

    // record_every comes from a volatile, as Python's keyword argument comes at run time.
    volatile std::int64_t record_every = 0;
    const iaf::simulation_options options{.dt = dt, .t_end = t_end, .record_every = record_every};
    const double t_call = best_of(repeats, [&] {
        spikes_call = call(model, current, iaf::exact{}, iaf::grid{}, options).spike_times.size();
    });
    const double t_inlined = best_of(repeats, [&] {
        spikes_inlined = iaf::simulate(model, current, iaf::exact{}, iaf::grid{}, {.dt = dt, .t_end = t_end})
                             .spike_times.size();
    });
    if (spikes_call != spikes_inlined) {
        std::fprintf(stderr, "python_overhead_cpp: the two runs disagree (%zu and %zu spikes)\n", spikes_call,
                     spikes_inlined);
        return 1;
    }
    std::printf("%.9f %.9f %zu\n", t_call, t_inlined, spikes_call);
}
