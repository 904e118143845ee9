// The firing-pattern gallery: the six AdEx patterns of Naud, Marcille, Clopath & Gerstner 2008 and
// the four cortical classes of Izhikevich 2003, each under its step current from t = 0 (the presets
// in iaf/models/adex.hpp and iaf/models/izhikevich.hpp), rk4 + hermite at dt = 0.05 ms. Writes
// BASE.csv (model,pattern,t_ms,V_mV: the trace at every step) and BASE_spikes.csv
// (model,pattern,t_ms), BASE = firing_patterns or argv[1], for examples/plots/plot_firing_patterns.py,
// and prints each pattern's spike count and first ISIs.
#include <cstdio>
#include <string>
#include <vector>

#include <iaf/iaf.hpp>

namespace {

struct output {
    std::FILE* trace;
    std::FILE* spikes;
};

/// Runs `model` under `current` nA for t_end ms, writes its trace and spikes, prints a summary.
template <typename M>
void run(const output& out, const char* family, const char* pattern, const M& model, double current, double t_end) {
    const iaf::simulation_result r = iaf::simulate(model, iaf::constant{current}, iaf::rk4{}, iaf::hermite{},
                                                   {.dt = 0.05, .t_end = t_end, .record_every = 1});
    for (std::size_t k = 0; k < r.time.size(); ++k)
        std::fprintf(out.trace, "%s,%s,%.3f,%.4f\n", family, pattern, r.time[k], r.voltage[k]);
    for (const double t : r.spike_times) std::fprintf(out.spikes, "%s,%s,%.6f\n", family, pattern, t);
    std::printf("%-10s %-18s I = %5.2f nA: %3zu spikes; first ISIs", family, pattern, current, r.spike_times.size());
    for (std::size_t k = 1; k < r.spike_times.size() && k < 6; ++k)
        std::printf(" %.1f", r.spike_times[k] - r.spike_times[k - 1]);
    std::printf(" ms\n");
}

}  // namespace

int main(int argc, char** argv) {
    const std::string base = argc > 1 ? argv[1] : "firing_patterns";
    const output out{std::fopen((base + ".csv").c_str(), "w"), std::fopen((base + "_spikes.csv").c_str(), "w")};
    if (out.trace == nullptr || out.spikes == nullptr) {
        std::fprintf(stderr, "firing_patterns: cannot write %s.csv / %s_spikes.csv\n", base.c_str(), base.c_str());
        return 1;
    }
    std::fprintf(out.trace, "model,pattern,t_ms,V_mV\n");
    std::fprintf(out.spikes, "model,pattern,t_ms\n");

    for (const iaf::adex_firing_pattern& p : iaf::adex_firing_patterns())
        run(out, "adex", p.name, iaf::adex{p.parameters}, p.current, 500.0);

    struct izhikevich_class {
        const char* name;
        iaf::izhikevich_parameters parameters;
    };
    const izhikevich_class classes[] = {
        {"regular spiking", iaf::izhikevich_parameters::regular_spiking()},
        {"intrinsically bursting", iaf::izhikevich_parameters::intrinsically_bursting()},
        {"chattering", iaf::izhikevich_parameters::chattering()},
        {"fast spiking", iaf::izhikevich_parameters::fast_spiking()},
    };
    for (const izhikevich_class& c : classes) run(out, "izhikevich", c.name, iaf::izhikevich{c.parameters}, 10.0, 300.0);

    const bool written = std::fclose(out.trace) == 0 && std::fclose(out.spikes) == 0;
    return written ? 0 : 1;
}
