// The notebook's sliders, for the terminal: every parameter of a LIF run is a flag; the explorer
// prints the spike times and the firing rate and can write the CSV and the PNG of the run.
//
//   explorer --I 0.8 --R 6.4 --C 0.9 --theta 5 --v-rest 0.4 --integrator rk4 --timing hermite
//   explorer --current "sine:amp=2,freq=0.1" --R 5 --C 0.5 --v-rest 0 --png sine.png
//   explorer --current "constant:amp=1+pulses:onset=10,duration=2,period=20,count=4,amp=3"
//
// The command line is parsed by CLI11 and validated by explorer_options.hpp before anything runs.
// Runtime choices (integrator, spike timing) are turned into the library's compile-time types
// once, by a switch, before the run: the stepping loop is the same inlined code a hand-written
// program gets. Spike times and CSV rows are written as the run goes (explorer_stream.hpp), so a
// run of any length runs in constant memory. Units: ms, mV, nA, MOhm, nF.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

#include <iaf/iaf.hpp>

#include "explorer_current.hpp"
#include "explorer_options.hpp"
#include "explorer_stream.hpp"

namespace {

using explorer::settings;
using explorer::usage_error;

/// A number as %g prints it (for labels and titles).
std::string number(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", x);
    return buffer;
}

std::string shell_quoted(const std::string& path) {
    if (path.find('\'') != std::string::npos) throw usage_error{"--png: the path must not contain a single quote"};
    return "'" + path + "'";
}

/// The CSV's base name: --csv FILE or --png FILE without its extension.
std::string csv_base(const settings& s) {
    std::string base = s.csv.empty() ? s.png : s.csv;
    for (const std::string_view ext : {".csv", ".png"})
        if (base.size() > ext.size() && base.ends_with(ext)) base.resize(base.size() - ext.size());
    return base;
}

/// Peak resident memory of this process [kB] (Linux: VmHWM in /proc/self/status), or -1.
long peak_resident_kb() {
    std::FILE* f = std::fopen("/proc/self/status", "r");
    if (f == nullptr) return -1;
    char line[256];
    long kb = -1;
    while (std::fgets(line, sizeof line, f) != nullptr)
        if (std::sscanf(line, "VmHWM: %ld kB", &kb) == 1) break;
    std::fclose(f);
    return kb;
}

int run(const settings& s) {
    const explorer::plan p = explorer::prepare(s);
    const std::string& spec = explorer::describe(p.description);

    std::printf("LIF: R = %g MOhm, C = %g nF (tau = %g ms), E_L = %g mV, theta = %g mV, V_rest = %g mV, t_ref = %g ms\n",
                s.r, s.c, p.model.tau_m(), s.e_l, s.theta, s.v_rest, s.t_ref);
    std::printf("input: %s\n", spec.c_str());
    std::printf("run: %s + %s, dt = %g ms, t in [0, %g] ms\n", s.integrator.c_str(), s.timing.c_str(), s.dt, s.t_end);

    const bool want_trace = !s.csv.empty() || !s.png.empty();
    const std::string base = csv_base(s);
    std::unique_ptr<explorer::csv_stream> csv;
    if (want_trace)
        csv = std::make_unique<explorer::csv_stream>(
            base, explorer::csv_header{
                      .title = "explorer: --current " + spec + " (nA, ms)",
                      .label = s.integrator + " + " + s.timing + " (dt = " + number(s.dt) + " ms)",
                      .theta = s.theta,
                      .note = "R = " + number(s.r) + " MΩ, C = " + number(s.c) + " nF, E_L = " + number(s.e_l) +
                              " mV, θ = " + number(s.theta) + " mV, V_rest = " + number(s.v_rest) +
                              " mV, t_ref = " + number(s.t_ref) + " ms; " + s.integrator + " + " + s.timing +
                              ", dt = " + number(s.dt) + " ms"});

    explorer::run_summary summary;
    explorer::with_integrator(s, [&](auto integrator) {
        explorer::with_timing<decltype(integrator)>(s, [&](auto timing) {
            iaf::neuron n{p.model, p.current, integrator, timing, s.dt};
            summary = explorer::stream_run(n, p.steps, s.t_end, csv.get(), p.model.v_th(), p.model.v_reset(),
                                           [&](double t) {
                                               if (!s.quiet) std::printf("  %.9g ms\n", t);
                                           });
        });
    });
    if (csv) csv->close();

    std::printf("spikes: %lld\n", static_cast<long long>(summary.spikes));
    const double count = static_cast<double>(summary.spikes);
    const double rate = s.t_end > 0.0 ? 1000.0 * count / s.t_end : 0.0;
    std::printf("firing rate: %.6g Hz (spike count / duration)\n", rate);
    if (summary.spikes >= 2) {
        const double mean_isi = (summary.last - summary.first) / (count - 1.0);
        std::printf("firing rate: %.6g Hz (1 / mean inter-spike interval of %.6g ms)\n", 1000.0 / mean_isi, mean_isi);
    }

    if (want_trace) {
        std::printf("wrote %s.csv and %s_spikes.csv\n", base.c_str(), base.c_str());
        if (!s.png.empty()) {
            const std::string python = IAF_PLOT_PYTHON;
            if (python.empty())
                throw usage_error{"--png: no Python with matplotlib was found when iaf was configured; run "
                                  "bash cmake/install-deps.sh and reconfigure"};
            std::fflush(stdout);
            const std::string command = shell_quoted(python) + " " + shell_quoted(IAF_PLOT_SCRIPT) + " " + shell_quoted(base) + " " +
                                        shell_quoted(s.png);
            if (std::system(command.c_str()) != 0) throw usage_error{"--png: plotting failed: " + command};
            std::printf("wrote %s\n", s.png.c_str());
        }
    }
    if (s.report_peak_memory) std::printf("peak resident memory: %ld kB\n", peak_resident_kb());
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{explorer::description()};
    settings s;
    explorer::add_options(app, s);
    CLI11_PARSE(app, argc, argv);

    try {
        return run(s);
    } catch (...) {
        std::string message;
        try {
            message = explorer::error_message(s);
        } catch (const std::exception& e) {  // a simulation_error mid-run, a failed allocation
            message = e.what();
        }
        std::fflush(stdout);
        std::fprintf(stderr, "error: %s\n", message.c_str());
    }
    return 2;
}
