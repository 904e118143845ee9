// The notebook's sliders, for the terminal: every parameter of a LIF run is a flag; the explorer
// prints the spike times and the firing rate and can write the CSV and the PNG of the run.
//
//   explorer --I 0.8 --R 6.4 --C 0.9 --theta 5 --v-rest 0.4 --integrator rk4 --timing hermite
//   explorer --current "sine:amp=2,freq=0.1" --R 5 --C 0.5 --v-rest 0 --png sine.png
//   explorer --current "constant:amp=1+pulses:onset=10,duration=2,period=20,count=4,amp=3"
//
// The command line is parsed by CLI11. Runtime choices (integrator, spike timing) are turned into
// the library's compile-time types once, by a switch, before the run: the stepping loop is the
// same inlined code a hand-written program gets. Units: ms, mV, nA, MOhm, nF.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include <iaf/iaf.hpp>

#include "explorer_current.hpp"
#include "notebook_recording.hpp"

namespace {

struct settings {
    double i = 0.8, r = 6.4, c = 0.9, theta = 5.0, v_rest = 0.4, e_l = 0.0, t_ref = 0.0;
    double dt = 0.01, t_end = 100.0;
    double rtol = 1e-6, atol = 1e-9;  // dopri5 only
    std::string integrator = "euler", timing = "grid", current, csv, png;
    bool quiet = false;
};

/// An error the user can fix, already phrased with the flag it concerns.
struct usage_error {
    std::string message;
};

/// Rewrites the library's "iaf::owner: name = value is invalid (rule)" as "--flag: name = value is
/// invalid (rule)", so the user sees which flag to change.
std::string name_the_flag(const std::string& what, const settings& s) {
    const std::size_t colon = what.find(": ");
    const std::size_t equals = what.find(" = ", colon == std::string::npos ? 0 : colon);
    if (colon == std::string::npos || equals == std::string::npos) return what;
    const std::string name = what.substr(colon + 2, equals - colon - 2);
    const std::string rest = what.substr(colon + 2);
    struct entry {
        std::string_view parameter, flag;
    };
    static constexpr entry table[] = {{"r_m", "--R"},         {"c_m", "--C"},       {"tau_m", "--R/--C"},
                                      {"e_l", "--e-l"},       {"v_th", "--theta"},  {"v_reset", "--v-rest"},
                                      {"v_init", "--v-rest"}, {"t_ref", "--t-ref"}, {"refractory_period", "--t-ref"},
                                      {"dt", "--dt"},         {"t_end", "--t-end"}, {"rtol", "--rtol"},
                                      {"atol", "--atol"}};
    for (const entry& e : table) {
        if (name != e.parameter) continue;
        std::string message = std::string(e.flag) + ": " + rest;
        if (name == "v_reset") {
            char theta[64];
            std::snprintf(theta, sizeof theta, " (v_th is --theta %g)", s.theta);
            message += theta;
        }
        return message;
    }
    return what;
}

template <typename I>
constexpr bool has_exact_solution = requires { requires I::is_exact; } || requires { requires I::has_dense_output; };

/// Calls `run(integrator)` with the integrator named on the command line.
template <typename Run>
void with_integrator(const settings& s, Run&& run) {
    if (s.integrator == "euler") return run(iaf::euler{});
    if (s.integrator == "heun") return run(iaf::heun{});
    if (s.integrator == "rk4") return run(iaf::rk4{});
    if (s.integrator == "exact") return run(iaf::exact{});
    if (s.integrator == "dopri5") return run(iaf::dopri5{.rtol = s.rtol, .atol = s.atol});
    throw usage_error{"--integrator: unknown integrator '" + s.integrator + "'"};
}

/// Calls `run(timing)` with the spike-timing policy named on the command line.
template <typename Integrator, typename Run>
void with_timing(const settings& s, Run&& run) {
    if (s.timing == "grid") return run(iaf::grid{});
    if (s.timing == "linear") return run(iaf::linear{});
    if (s.timing == "hermite") return run(iaf::hermite{});
    if (s.timing == "analytic") {
        // analytic root-finds on the integrator's own solution: only meaningful when that solution
        // is exact (exact) or continuous (dopri5's dense output). Never instantiated otherwise.
        if constexpr (has_exact_solution<Integrator>) return run(iaf::analytic{});
        else
            throw usage_error{"--timing: analytic needs --integrator exact or dopri5 (it locates the crossing on "
                              "the integrator's own continuous solution); with " + s.integrator +
                              " use --timing hermite or linear"};
    }
    throw usage_error{"--timing: unknown spike timing '" + s.timing + "'"};
}

struct outcome {
    std::vector<double> spikes;
    notebook::series trace;  // filled only when a CSV or PNG is asked for
};

template <typename Current>
outcome run_model(const settings& s, const iaf::lif& model, const Current& current) {
    outcome out;
    const bool want_trace = !s.csv.empty() || !s.png.empty();
    with_integrator(s, [&](auto integrator) {
        with_timing<decltype(integrator)>(s, [&](auto timing) {
            if (want_trace) {
                out.trace.label = s.integrator + " + " + s.timing + " (dt = " + notebook::number(s.dt) + " ms)";
                // Validate dt and t_end exactly as simulate() does, so the messages name the flags.
                (void)iaf::detail::step_count("iaf::simulate", 0.0, s.t_end, s.dt);
                iaf::neuron n{model, current, integrator, timing, s.dt};
                notebook::record(out.trace, n, s.t_end, model.v_th(), model.v_reset());
                out.spikes = out.trace.spikes;
            } else {
                out.spikes = iaf::simulate(model, current, integrator, timing, {.dt = s.dt, .t_end = s.t_end}).spike_times;
            }
        });
    });
    return out;
}

std::string shell_quoted(const std::string& path) {
    if (path.find('\'') != std::string::npos) throw usage_error{"--png: the path must not contain a single quote"};
    return "'" + path + "'";
}

int run(const settings& s) {
    const explorer::current_description description =
        s.current.empty() ? explorer::constant_description(s.i) : explorer::parse_current(s.current);
    const iaf::lif model{{.r_m = s.r, .c_m = s.c, .e_l = s.e_l, .v_th = s.theta, .v_reset = s.v_rest,
                          .v_init = s.v_rest, .t_ref = s.t_ref}};
    const auto current = [&] {
        try {
            return explorer::make_current(description);
        } catch (const iaf::invalid_parameter& e) {
            throw usage_error{(s.current.empty() ? "--I: " : "--current: ") + std::string(e.what())};
        }
    }();
    const outcome out = run_model(s, model, current);

    std::printf("LIF: R = %g MOhm, C = %g nF (tau = %g ms), E_L = %g mV, theta = %g mV, V_rest = %g mV, t_ref = %g ms\n",
                s.r, s.c, model.tau_m(), s.e_l, s.theta, s.v_rest, s.t_ref);
    std::printf("input: %s\n", explorer::describe(description).c_str());
    std::printf("run: %s + %s, dt = %g ms, t in [0, %g] ms\n", s.integrator.c_str(), s.timing.c_str(), s.dt, s.t_end);
    std::printf("spikes: %zu\n", out.spikes.size());
    if (!s.quiet)
        for (const double t : out.spikes) std::printf("  %.9g ms\n", t);
    const double rate = s.t_end > 0.0 ? 1000.0 * static_cast<double>(out.spikes.size()) / s.t_end : 0.0;
    std::printf("firing rate: %.6g Hz (spike count / duration)\n", rate);
    if (out.spikes.size() >= 2) {
        const double mean_isi = (out.spikes.back() - out.spikes.front()) / static_cast<double>(out.spikes.size() - 1);
        std::printf("firing rate: %.6g Hz (1 / mean inter-spike interval of %.6g ms)\n", 1000.0 / mean_isi, mean_isi);
    }

    if (!s.csv.empty() || !s.png.empty()) {
        std::string base = s.csv.empty() ? s.png : s.csv;
        for (const std::string_view ext : {".csv", ".png"})
            if (base.size() > ext.size() && base.ends_with(ext)) base.resize(base.size() - ext.size());
        notebook::write_csv(base,
                            {.title = "explorer: --current " + explorer::describe(description) + " (nA, ms)",
                             .theta = s.theta,
                             .note = "R = " + notebook::number(s.r) + " MΩ, C = " + notebook::number(s.c) +
                                     " nF, E_L = " + notebook::number(s.e_l) + " mV, θ = " + notebook::number(s.theta) +
                                     " mV, V_rest = " + notebook::number(s.v_rest) + " mV, t_ref = " +
                                     notebook::number(s.t_ref) + " ms; " + s.integrator + " + " + s.timing +
                                     ", dt = " + notebook::number(s.dt) + " ms"},
                            {out.trace});
        std::printf("wrote %s.csv and %s_spikes.csv\n", base.c_str(), base.c_str());
        if (!s.png.empty()) {
            const std::string python = IAF_PLOT_PYTHON;
            if (python.empty())
                throw usage_error{"--png: no Python with matplotlib was found when iaf was configured; run "
                                  "bash cmake/install-deps.sh and reconfigure"};
            const std::string command = shell_quoted(python) + " " + shell_quoted(IAF_PLOT_SCRIPT) + " " + shell_quoted(base) + " " +
                                        shell_quoted(s.png);
            if (std::system(command.c_str()) != 0) throw usage_error{"--png: plotting failed: " + command};
            std::printf("wrote %s\n", s.png.c_str());
        }
    }
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"iaf explorer: simulate one LIF neuron, C dV/dt = -(V - E_L)/R + I(t), and print its spikes. "
                 "Units: ms, mV, nA, MOhm, nF. Defaults: the notebook's first scenario."};
    settings s;
    app.add_option("--I", s.i, "constant input current [nA] (used when --current is absent)")->capture_default_str();
    app.add_option("--R", s.r, "membrane resistance [MOhm], > 0")->capture_default_str();
    app.add_option("--C", s.c, "membrane capacitance [nF], > 0")->capture_default_str();
    app.add_option("--theta", s.theta, "spike threshold [mV], > --v-rest")->capture_default_str();
    app.add_option("--v-rest", s.v_rest, "start and reset potential [mV]")->capture_default_str();
    app.add_option("--e-l", s.e_l, "leak reversal potential, where V relaxes without input [mV]")->capture_default_str();
    app.add_option("--t-ref", s.t_ref, "absolute refractory period [ms], >= 0")->capture_default_str();
    app.add_option("--dt", s.dt, "grid step [ms], > 0")->capture_default_str();
    app.add_option("--t-end", s.t_end, "end of the run [ms], >= 0")->capture_default_str();
    app.add_option("--integrator", s.integrator, "euler | heun | rk4 | exact | dopri5")
        ->check(CLI::IsMember({"euler", "heun", "rk4", "exact", "dopri5"}))
        ->capture_default_str();
    app.add_option("--timing", s.timing, "where a spike is located: grid | linear | hermite | analytic "
                                         "(analytic needs exact or dopri5)")
        ->check(CLI::IsMember({"grid", "linear", "hermite", "analytic"}))
        ->capture_default_str();
    app.add_option("--rtol", s.rtol, "dopri5's relative tolerance")->capture_default_str();
    app.add_option("--atol", s.atol, "dopri5's absolute tolerance [mV]")->capture_default_str();
    app.add_option("--current", s.current, explorer::current_help());
    app.add_option("--csv", s.csv, "write the trace to FILE.csv and the spikes to FILE_spikes.csv");
    app.add_option("--png", s.png, "render the run to FILE.png (matplotlib; writes the CSV next to it)");
    app.add_flag("--quiet", s.quiet, "print the spike count and rates, not every spike time");
    CLI11_PARSE(app, argc, argv);

    try {
        return run(s);
    } catch (const usage_error& e) {
        std::fprintf(stderr, "error: %s\n", e.message.c_str());
    } catch (const explorer::spec_error& e) {
        std::fprintf(stderr, "error: --current: %s\n", e.what());
    } catch (const iaf::invalid_parameter& e) {
        std::fprintf(stderr, "error: %s\n", name_the_flag(e.what(), s).c_str());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "error: %s\n", e.what());
    }
    return 2;
}
