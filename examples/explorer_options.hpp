#pragma once
// The explorer's command line, from argv to a validated run, without running it. Not part of the
// library. explorer.cpp runs what prepare() returns; tests/fuzz/explorer_fuzz.cpp feeds arbitrary
// argv and --current specs through the same functions, so that every input the explorer accepts
// or rejects is parsed here and nowhere else.
//
// The order is the user's: CLI11 checks the syntax of every flag (parse), then prepare() reads the
// --current spec, builds the model and the current (the library validates their values), checks
// the integrator and timing choices and the grid, and builds the neuron once (which validates the
// integrator's own settings). Every rejection is an exception whose message error_message() turns
// into "--flag: what is wrong".
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <utility>

#include <CLI/CLI.hpp>

#include <iaf/iaf.hpp>

#include "explorer_current.hpp"

namespace explorer {

/// Every flag's value. Units: ms, mV, nA, MOhm, nF.
struct settings {
    double i = 0.8, r = 6.4, c = 0.9, theta = 5.0, v_rest = 0.4, e_l = 0.0, t_ref = 0.0;
    double dt = 0.01, t_end = 100.0;
    double rtol = 1e-6, atol = 1e-9;  // dopri5 only
    std::string integrator = "euler", timing = "grid", current, csv, png;
    bool quiet = false;
    bool report_peak_memory = false;  // hidden: for the streaming test
};

/// An error the user can fix, already phrased with the flag it concerns.
struct usage_error {
    std::string message;
};

/// The program's one-line description (CLI::App's).
inline const char* description() {
    return "iaf explorer: simulate one LIF neuron, C dV/dt = -(V - E_L)/R + I(t), and print its spikes. "
           "Units: ms, mV, nA, MOhm, nF. Defaults: the notebook's first scenario.";
}

/// Declares every flag on `app`, writing into `s`.
inline void add_options(CLI::App& app, settings& s) {
    app.add_option("--I", s.i, "constant input current [nA] (used when --current is absent)")->capture_default_str();
    app.add_option("--R", s.r, "membrane resistance [MOhm], > 0")->capture_default_str();
    app.add_option("--C", s.c, "membrane capacitance [nF], > 0")->capture_default_str();
    app.add_option("--theta", s.theta, "spike threshold [mV], > --v-rest")->capture_default_str();
    app.add_option("--v-rest", s.v_rest, "start and reset potential [mV]")->capture_default_str();
    app.add_option("--e-l", s.e_l, "leak reversal potential, where V relaxes without input [mV]")->capture_default_str();
    app.add_option("--t-ref", s.t_ref, "absolute refractory period [ms], >= 0")->capture_default_str();
    app.add_option("--dt", s.dt, "grid step [ms], > 0")->capture_default_str();
    app.add_option("--t-end", s.t_end, "end of the run [ms], >= 0; the output is written as the run goes")
        ->capture_default_str();
    app.add_option("--integrator", s.integrator, "euler | heun | rk4 | exact | dopri5")
        ->check(CLI::IsMember({"euler", "heun", "rk4", "exact", "dopri5"}))
        ->capture_default_str();
    app.add_option("--timing", s.timing, "where a spike is located: grid | linear | hermite | analytic "
                                         "(analytic needs exact or dopri5)")
        ->check(CLI::IsMember({"grid", "linear", "hermite", "analytic"}))
        ->capture_default_str();
    app.add_option("--rtol", s.rtol, "dopri5's relative tolerance")->capture_default_str();
    app.add_option("--atol", s.atol, "dopri5's absolute tolerance [mV]")->capture_default_str();
    app.add_option("--current", s.current, current_help());
    app.add_option("--csv", s.csv, "write the trace to FILE.csv and the spikes to FILE_spikes.csv, row by row as "
                                   "the run goes");
    app.add_option("--png", s.png, "render the run to FILE.png (matplotlib; writes the CSV next to it)");
    app.add_flag("--quiet", s.quiet, "print the spike count and rates, not every spike time");
    // Hidden (no group): prints the peak resident memory at exit, for tests/examples.
    app.add_flag("--report-peak-memory", s.report_peak_memory)->group("");
}

/// Rewrites the library's "iaf::owner: name = value is invalid (rule)" as "--flag: name = value is
/// invalid (rule)", so the user sees which flag to change.
inline std::string name_the_flag(const std::string& what, const settings& s) {
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

/// The type of every run's current (make_current builds the same sum for every spec).
using current_type = decltype(make_current(std::declval<const current_description&>()));

/// A validated run: what prepare() read from the settings, ready to step.
struct plan {
    current_description description;
    iaf::lif model;
    current_type current;
    std::int64_t steps;  // grid steps of --dt that cover [0, --t-end]
};

/// Reads and validates everything the run needs, in the order the user reads the flags; throws
/// usage_error, spec_error or iaf::invalid_parameter (see error_message). Runs nothing: the only
/// neuron it builds is discarded, to let the library validate the integrator's own settings now
/// rather than after the output has started.
inline plan prepare(const settings& s) {
    current_description description = s.current.empty() ? constant_description(s.i) : parse_current(s.current);
    const iaf::lif model{{.r_m = s.r, .c_m = s.c, .e_l = s.e_l, .v_th = s.theta, .v_reset = s.v_rest,
                          .v_init = s.v_rest, .t_ref = s.t_ref}};
    current_type current = [&] {
        try {
            return make_current(description);
        } catch (const iaf::invalid_parameter& e) {
            throw usage_error{(s.current.empty() ? "--I: " : "--current: ") + std::string(e.what())};
        }
    }();
    // Validates dt and t_end exactly as iaf::simulate does, so the messages name the flags; a run
    // beyond 2^53 steps (--t-end 1e19 --dt 1) is rejected here, before any output.
    const std::int64_t steps = iaf::detail::step_count("iaf::simulate", 0.0, s.t_end, s.dt);
    with_integrator(s, [&](auto integrator) {
        with_timing<decltype(integrator)>(s, [&](auto timing) {
            const iaf::neuron n{model, current, integrator, timing, s.dt};
            (void)n;
        });
    });
    return plan{std::move(description), model, std::move(current), steps};
}

/// The message for the exception being handled (call it inside a catch block), naming the flag to
/// change. Rethrows an exception that is not one of the explorer's expected rejections.
inline std::string error_message(const settings& s) {
    try {
        throw;
    } catch (const usage_error& e) {
        return e.message;
    } catch (const spec_error& e) {
        return "--current: " + std::string(e.what());
    } catch (const iaf::invalid_parameter& e) {
        return name_the_flag(e.what(), s);
    }
}

}  // namespace explorer
