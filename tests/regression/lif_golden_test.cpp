// Golden-data regression test: the LIF spike trains of the teaching notebook's four scenarios
// (examples/notebook_*.cpp), for every integrator x spike-timing policy, at the notebook's dt and
// at a coarser one, compared with the trains recorded in data/lif_golden.txt.
//
// The recorded file was written by this test built against the library as it was before the
// model-contract rewrite; the rewrite must leave every LIF spike train unchanged: the same number
// of spikes, each within 1e-12 ms of the recorded time.
//
// Two modes:
//   - normally: read IAF_GOLDEN_FILE (a compile definition, set in CMakeLists.txt) and compare;
//   - with the environment variable IAF_RECORD_GOLDEN set (to anything): write IAF_GOLDEN_FILE
//     from the current library instead, then check nothing.
//
// File format: lines starting with '#' are comments; every other line is one run,
//   <scenario> dt=<dt> <integrator> <policy> n=<spike count>: <t_1> <t_2> ... <t_n>
// with the times [ms] printed with %.17g (so that they read back bit for bit). The key is the part
// before " n="; every run the test makes must have its key in the file, and every key in the file
// must be a run the test makes.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#ifndef IAF_GOLDEN_FILE
#error "IAF_GOLDEN_FILE must name the golden data file (see tests/regression/CMakeLists.txt)"
#endif

namespace {

constexpr double tolerance_ms = 1e-12;  // absolute, per spike time

// The notebook's grid t = 0, 0.01, ..., 99.99 (numpy.arange(0, 100, 0.01)); every scenario runs
// over [0, 99.99] at the notebook's dt and again at a coarser one.
constexpr double t_end = 99.99;
constexpr double steps_ms[] = {0.01, 0.1};

/// One recorded run: its key and its spike times [ms].
struct run_result {
    std::string key;
    std::vector<double> spikes;
};

std::string format_dt(double dt) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", dt);
    return buffer;
}

std::string make_key(const std::string& scenario, double dt, const char* integrator, const char* policy) {
    return scenario + " dt=" + format_dt(dt) + " " + integrator + " " + policy;
}

// A scenario runs one (integrator, policy) pair at one dt and returns the spike times.
// `Run` is a generic callable: run(integrator, policy, dt) -> std::vector<double>.
template <typename Run>
void run_every_pair(const std::string& scenario, const Run& run, std::vector<run_result>& out) {
    for (const double dt : steps_ms) {
        const auto add = [&](const char* integrator_name, const auto& integrator, const char* policy_name,
                             const auto& policy) {
            out.push_back({make_key(scenario, dt, integrator_name, policy_name), run(integrator, policy, dt)});
        };
        const auto with_grid_linear_hermite = [&](const char* name, const auto& integrator) {
            add(name, integrator, "grid", iaf::grid{});
            add(name, integrator, "linear", iaf::linear{});
            add(name, integrator, "hermite", iaf::hermite{});
        };
        with_grid_linear_hermite("euler", iaf::euler{});
        with_grid_linear_hermite("heun", iaf::heun{});
        with_grid_linear_hermite("rk4", iaf::rk4{});
        with_grid_linear_hermite("exact", iaf::exact{});
        with_grid_linear_hermite("dopri5", iaf::dopri5{});  // default tolerances
        // `analytic` compiles only with an exact integrator or one with dense output.
        add("exact", iaf::exact{}, "analytic", iaf::analytic{});
        add("dopri5", iaf::dopri5{}, "analytic", iaf::analytic{});
    }
}

/// Every run of the four notebook scenarios, in a fixed order.
std::vector<run_result> run_all() {
    std::vector<run_result> out;

    // Scenario 1 (notebook_constant_current.cpp): I = 0.8 nA, R = 6.4 MOhm, C = 0.9 nF, theta = 5 mV,
    // leak towards 0 mV, start and reset at V_rest = 0.4 mV.
    {
        const iaf::lif model{{.r_m = 6.4, .c_m = 0.9, .e_l = 0.0, .v_th = 5.0, .v_reset = 0.4, .v_init = 0.4}};
        const iaf::constant current{0.8};
        run_every_pair(
            "constant",
            [&](const auto& integrator, const auto& policy, double dt) {
                return iaf::simulate(model, current, integrator, policy, {.dt = dt, .t_end = t_end}).spike_times;
            },
            out);
    }

    // Scenario 2 (notebook_sine_current.cpp): I = 1 nA sin(2 pi 0.1/ms t), R = 5 MOhm, C = 0.5 nF,
    // theta = 5 mV, start and reset at 0 mV. At these defaults the neuron never fires (the filtered
    // amplitude is 2.7 mV); the recorded trains are empty, and must stay so.
    {
        const iaf::lif model{{.r_m = 5.0, .c_m = 0.5, .e_l = 0.0, .v_th = 5.0, .v_reset = 0.0, .v_init = 0.0}};
        const iaf::sine current{.amplitude = 1.0, .frequency = 0.1};
        run_every_pair(
            "sine",
            [&](const auto& integrator, const auto& policy, double dt) {
                return iaf::simulate(model, current, integrator, policy, {.dt = dt, .t_end = t_end}).spike_times;
            },
            out);
    }

    // Scenario 3 (notebook_two_inputs.cpp): I1 + I2 with I1 = I2 = 1 nA (an iaf::current_sum),
    // R = 5 MOhm, C = 0.5 nF, theta = 5 mV, start and reset at 0 mV.
    {
        const iaf::lif model{{.r_m = 5.0, .c_m = 0.5, .e_l = 0.0, .v_th = 5.0, .v_reset = 0.0, .v_init = 0.0}};
        const iaf::constant i1{1.0}, i2{1.0};
        const auto current = i1 + i2;
        run_every_pair(
            "two_inputs",
            [&](const auto& integrator, const auto& policy, double dt) {
                return iaf::simulate(model, current, integrator, policy, {.dt = dt, .t_end = t_end}).spike_times;
            },
            out);
    }

    // Scenario 4 (notebook_square_pulses.cpp): five square pulses, R = 5 MOhm, C = 0.5 nF,
    // theta = 5 mV, V_rest = 0 mV, and, as the example does, a fresh neuron at V_rest from each
    // pulse's end on (every pulse is its own trial): one simulate per segment
    // [0, end_1], [end_1, end_2], ..., [end_5, t_end], on a grid that starts at the segment's start.
    {
        const iaf::lif model{{.r_m = 5.0, .c_m = 0.5, .e_l = 0.0, .v_th = 5.0, .v_reset = 0.0, .v_init = 0.0}};
        const iaf::pulse_train pulses{{.onset = 5.0, .duration = 10.0, .amplitude = 0.8},
                                      {.onset = 25.0, .duration = 10.0, .amplitude = 1.5},
                                      {.onset = 45.0, .duration = 2.0, .amplitude = 4.0},
                                      {.onset = 57.0, .duration = 1.0, .amplitude = 2.5},
                                      {.onset = 65.0, .duration = 25.0, .amplitude = 2.5}};
        run_every_pair(
            "square_pulses",
            [&](const auto& integrator, const auto& policy, double dt) {
                std::vector<double> spikes;
                double t0 = 0.0;
                for (std::size_t k = 0; k <= pulses.pulses().size(); ++k) {
                    const double t1 = k < pulses.pulses().size() ? pulses.pulses()[k].end() : t_end;
                    const auto segment =
                        iaf::simulate(model, pulses, integrator, policy, {.dt = dt, .t_end = t1, .t_start = t0});
                    spikes.insert(spikes.end(), segment.spike_times.begin(), segment.spike_times.end());
                    t0 = t1;
                }
                return spikes;
            },
            out);
    }
    return out;
}

void write_golden(const std::string& path, const std::vector<run_result>& runs) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::FILE* f = std::fopen(path.c_str(), "w");
    REQUIRE_MESSAGE(f != nullptr, "cannot write " << path);
    std::fprintf(f,
                 "# LIF spike trains of the teaching notebook's four scenarios, for every integrator x policy,\n"
                 "# written by tests/regression/lif_golden_test.cpp with IAF_RECORD_GOLDEN set.\n"
                 "# <scenario> dt=<dt [ms]> <integrator> <policy> n=<spike count>: <spike times [ms], %%.17g>\n");
    for (const run_result& r : runs) {
        std::fprintf(f, "%s n=%zu:", r.key.c_str(), r.spikes.size());
        for (const double t : r.spikes) std::fprintf(f, " %.17g", t);
        std::fprintf(f, "\n");
    }
    REQUIRE(std::fclose(f) == 0);
}

/// The recorded runs by key. Malformed lines fail the test.
std::map<std::string, std::vector<double>> read_golden(const std::string& path) {
    std::ifstream in(path);
    REQUIRE_MESSAGE(in.good(), "cannot read the golden file " << path
                                   << " (write it with IAF_RECORD_GOLDEN=1 from the pre-rewrite library)");
    std::map<std::string, std::vector<double>> recorded;
    std::string line;
    int line_number = 0;
    while (std::getline(in, line)) {
        ++line_number;
        if (line.empty() || line[0] == '#') continue;
        INFO(path << ":" << line_number << ": " << line);
        const std::size_t colon = line.find(':');
        const std::size_t n_at = line.rfind(" n=", colon);
        REQUIRE_MESSAGE((colon != std::string::npos && n_at != std::string::npos), "malformed line");
        const std::string key = line.substr(0, n_at);
        const std::size_t count = std::stoul(line.substr(n_at + 3, colon - n_at - 3));
        std::vector<double> times;
        std::istringstream rest(line.substr(colon + 1));
        std::string word;
        while (rest >> word) {
            char* end = nullptr;
            times.push_back(std::strtod(word.c_str(), &end));
            REQUIRE_MESSAGE(*end == '\0', "not a number: " << word);
        }
        REQUIRE_MESSAGE(times.size() == count, "n= does not match the number of times on the line");
        REQUIRE_MESSAGE(recorded.emplace(key, std::move(times)).second, "duplicate key " << key);
    }
    return recorded;
}

}  // namespace

TEST_CASE("lif: spike trains of the four notebook scenarios are unchanged for every integrator and policy") {
    const std::string path = IAF_GOLDEN_FILE;
    const std::vector<run_result> runs = run_all();
    REQUIRE(runs.size() == 4 * 2 * 17);  // 4 scenarios x 2 dt x (5 integrators x 3 policies + 2 analytic)

    if (std::getenv("IAF_RECORD_GOLDEN") != nullptr) {
        write_golden(path, runs);
        std::size_t spikes = 0;
        for (const run_result& r : runs) spikes += r.spikes.size();
        MESSAGE("IAF_RECORD_GOLDEN is set: wrote " << runs.size() << " runs, " << spikes << " spikes to " << path
                                                   << "; nothing was compared");
        return;
    }

    const auto recorded = read_golden(path);
    for (const run_result& r : runs) {
        INFO("run: " << r.key);
        const auto it = recorded.find(r.key);
        // A run without recorded data is a failure, never a skip.
        CHECK_MESSAGE(it != recorded.end(), "no recorded spike train for this run in " << path);
        if (it == recorded.end()) continue;
        const std::vector<double>& expected = it->second;
        CHECK_MESSAGE(r.spikes.size() == expected.size(),
                      "spike count " << r.spikes.size() << ", recorded " << expected.size());
        // Each spike time (of the common prefix, when the counts differ) within the tolerance;
        // one check per run that names the worst spike.
        const std::size_t common = std::min(r.spikes.size(), expected.size());
        std::size_t off = 0, worst = 0;
        double worst_error = 0.0;
        for (std::size_t k = 0; k < common; ++k) {
            const double error = std::abs(r.spikes[k] - expected[k]);
            if (!(error <= tolerance_ms)) ++off;  // NaN counts as off
            if (!(error <= worst_error)) {
                worst_error = error;
                worst = k;
            }
        }
        char detail[160] = "";
        if (off > 0)
            std::snprintf(detail, sizeof detail, "spike %zu at %.17g ms, recorded %.17g ms (|difference| %.3g ms)",
                          worst, r.spikes[worst], expected[worst], worst_error);
        CHECK_MESSAGE(off == 0, off << " of " << common << " spike times differ by more than " << tolerance_ms
                                    << " ms; worst: " << detail);
    }
    // Every recorded run is still made (a run dropped from the test would otherwise go unnoticed).
    for (const auto& entry : recorded) {
        const auto& key = entry.first;  // not a structured binding: Clang 14 cannot capture those (CHECK_MESSAGE)
        bool made = false;
        for (const run_result& r : runs) made = made || r.key == key;
        CHECK_MESSAGE(made, "the golden file has a run the test no longer makes: " << key);
    }
}
