#pragma once
// The explorer's fuzz target, as a function: the explorer's command line and its --current spec,
// parsed and validated exactly as the explorer does (examples/explorer_options.hpp); of an
// accepted command line it runs only the first 4 steps (first_steps), never the simulation.
//
// An input that starts with '-' is a command line, one argument per line ("--C\n-1\n"); any
// other input is a --current spec ("sine:amp=1,freq=0.1"). Every rejection must be one of the
// explorer's own, with a message that names what to change; anything else that escapes (another
// exception, a sanitizer report, a leak, a hang, a blown memory limit) is a finding.
//
// explorer_fuzz.cpp hands it to libFuzzer (the `fuzz` preset); in every other build,
// explorer_regressions_test.cpp replays the seeds (tests/fuzz/corpus/) and every past finding
// (tests/fuzz/regressions/) through it.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <CLI/CLI.hpp>

#include "explorer_current.hpp"
#include "explorer_options.hpp"
#include "explorer_stream.hpp"

namespace explorer_fuzz {
namespace detail {

/// Stops the run on a broken expectation: libFuzzer reports the abort with its input.
inline void require(bool ok) {
    if (!ok) std::abort();
}

/// The message of an expected rejection must name what to change: non-empty, "--flag: ...".
inline void check_message(const std::string& message) {
    require(!message.empty());
    require(message.rfind("--", 0) == 0);
}

/// Thrown from the spike callback to end first_steps early: a long step may legitimately hold
/// many spikes (exact + analytic with dt = 10^6 ms fires all through it).
struct enough_spikes {};

/// The first few steps of an accepted run (at most 4 steps and 1000 spikes) through the
/// explorer's own loop (explorer::stream_run), so that what the flags can ask of the library (a
/// dt of 1e300, a threshold a hair above the reset, a current of 1e300 nA) runs under the
/// sanitizers. Spike times must lie in [0, t_end]. A run may stop with iaf::simulation_error (V
/// became non-finite) or the explorer's own rejection of spikes that stop advancing in time.
inline void first_steps(const explorer::settings& s, const explorer::plan& p) {
    explorer::with_integrator(s, [&](auto integrator) {
        explorer::with_timing<decltype(integrator)>(s, [&](auto timing) {
            iaf::neuron n{p.model, p.current, integrator, timing, s.dt};
            int count = 0;
            try {
                (void)explorer::stream_run(n, std::min<std::int64_t>(p.steps, 4), s.t_end, nullptr, p.model.v_th(),
                                           p.model.v_reset(), [&](double t) {
                                               require(t >= 0.0 && t <= s.t_end);
                                               if (++count > 1000) throw enough_spikes{};
                                           });
            } catch (const enough_spikes&) {
            } catch (const iaf::simulation_error& e) {
                require(std::string_view(e.what()).rfind("iaf::", 0) == 0);
            }
        });
    });
}

inline void fuzz_command_line(std::string_view text) {
    std::vector<std::string> args{"explorer"};
    while (!text.empty()) {
        const std::size_t newline = text.find('\n');
        args.emplace_back(text.substr(0, newline));
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    }
    std::vector<const char*> argv;
    for (const std::string& a : args) argv.push_back(a.c_str());

    CLI::App app{explorer::description()};
    explorer::settings s;
    explorer::add_options(app, s);
    try {
        app.parse(static_cast<int>(argv.size()), argv.data());
    } catch (const CLI::ParseError& e) {
        // --help and CLI11's own rejections: the explorer prints these through app.exit().
        require(e.get_exit_code() == 0 || std::string_view(e.what()).size() > 0);
        return;
    }
    try {
        const explorer::plan p = explorer::prepare(s);
        require(p.steps >= 0 && p.steps <= (std::int64_t{1} << 53));
        first_steps(s, p);
    } catch (...) {
        check_message(explorer::error_message(s));  // rethrows anything unexpected
    }
}

inline void fuzz_spec(std::string_view spec) {
    explorer::current_description d;
    try {
        d = explorer::parse_current(spec);
    } catch (const explorer::spec_error& e) {
        require(std::string_view(e.what()).size() > 0);
        return;
    }
    require(explorer::describe(d) == spec);
    try {
        const auto current = explorer::make_current(d);
        (void)current(0.0);
    } catch (const iaf::invalid_parameter& e) {
        require(std::string_view(e.what()).rfind("iaf::", 0) == 0);
    }
}

}  // namespace detail

/// One fuzz input: a command line (starting with '-') or a --current spec. Aborts on a finding.
inline void test_one_input(std::string_view input) {
    if (!input.empty() && input.front() == '-') detail::fuzz_command_line(input);
    else detail::fuzz_spec(input);
}

}  // namespace explorer_fuzz
