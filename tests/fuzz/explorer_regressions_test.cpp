// Every finding of the explorer's fuzzer (explorer_fuzz.cpp), pinned: the input that found it is
// checked in under regressions/, replayed here through the parser, and the fixed behaviour is
// asserted against what the spec grammar says (explorer_current.hpp), not against the parser.
// The first case replays the fuzzer's seeds and every finding through the fuzz target itself, so
// that every build (not only the fuzz preset's) runs them under its own sanitizers.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "explorer_current.hpp"
#include "explorer_options.hpp"
#include "explorer_stream.hpp"
#include "explorer_fuzz_target.hpp"

namespace {

std::string file_contents(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    REQUIRE(in.good());
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& directory) {
    std::vector<std::filesystem::path> files;
    for (const auto& entry : std::filesystem::directory_iterator(directory))
        if (entry.is_regular_file()) files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    return files;
}

std::string regression_input(const std::string& name) {
    return file_contents(std::filesystem::path(IAF_FUZZ_REGRESSIONS) / name);
}

/// The spec_error message parse_current throws for `spec`, or "" when it accepts it.
std::string rejection(const std::string& spec) {
    try {
        (void)explorer::parse_current(spec);
    } catch (const explorer::spec_error& e) {
        return e.what();
    }
    return "";
}

}  // namespace

TEST_CASE("fuzz: the explorer's fuzz corpus and every past finding replay cleanly through the fuzz target") {
    // A finding aborts (the target's require), which fails this test with the input's name below.
    std::size_t replayed = 0;
    for (const char* directory : {IAF_FUZZ_CORPUS, IAF_FUZZ_REGRESSIONS}) {
        const auto files = files_in(directory);
        CHECK_MESSAGE(!files.empty(), "no input in " << directory);
        for (const auto& file : files) {
            MESSAGE("replaying " << file.filename().string());
            explorer_fuzz::test_one_input(file_contents(file));
            ++replayed;
        }
    }
    CHECK(replayed >= 25);  // 22 seeds and 3 findings when this was written
}

TEST_CASE("explorer: a --current spec asks for at most 1e6 pulses in all, not 1e6 per term") {
    // Found while fuzzing: 60 terms of count=1e6 in 3.5 kB of spec built 6e7 pulses (7.5 GB, minutes).
    const std::string found = regression_input("60-terms-of-a-million-pulses");
    CHECK(rejection(found).find("exceed 1e6 pulses in all") != std::string::npos);

    // The limit itself is allowed: 10^6 pulses in one term, or split over two.
    CHECK(explorer::parse_current("pulses:onset=0,duration=1,period=2,count=1e6,amp=1").pulses.size() == 1000000);
    const std::string halves =
        "pulses:onset=0,duration=1,period=2,count=5e5,amp=1+pulses:onset=1e6,duration=1,period=2,count=5e5,amp=1";
    CHECK(explorer::parse_current(halves).pulses.size() == 1000000);
    // One more, from either kind of term, is not.
    CHECK(rejection(halves + "+pulse:onset=3e6,duration=1,amp=1") == "pulse: more than 1e6 pulses in all");
    CHECK(rejection("pulse:onset=-5,duration=1,amp=1+pulses:onset=0,duration=1,period=2,count=1e6,amp=1") ==
          "pulses: 1000000 more pulses after 1 exceed 1e6 pulses in all");
}

TEST_CASE("explorer: spikes that stop advancing in time end the run with an error, not a hang") {
    // Found by the fuzzer: I = 1e300 (t - 1) nA with t_ref = 0 drives the next spike closer than
    // ulp(t) after the reset, so linear timing located it at the same t again, forever. The closed
    // form says the same: the inter-spike interval tau ln(RI / (RI - theta)) ~ tau theta / (R I)
    // ~ 4.5e-300 ms is far below ulp(1.86 ms) = 2.2e-16 ms.
    const std::string found = regression_input("current-of-1e300-stalls-spike-times");
    REQUIRE(found.rfind("--current\n", 0) == 0);
    explorer::settings s;
    s.current = "ramp:onset=0,slope=1e300+step:onset=0e-3,amp=-1e300";
    REQUIRE(found.find(s.current) != std::string::npos);
    s.dt = 0.5;
    s.integrator = "heun";
    s.timing = "linear";
    const explorer::plan p = explorer::prepare(s);
    std::string message;
    long long spikes = 0;
    explorer::with_integrator(s, [&](auto integrator) {
        explorer::with_timing<decltype(integrator)>(s, [&](auto timing) {
            iaf::neuron n{p.model, p.current, integrator, timing, s.dt};
            try {
                (void)explorer::stream_run(n, p.steps, s.t_end, nullptr, p.model.v_th(), p.model.v_reset(),
                                           [&](double) { ++spikes; });
            } catch (const explorer::usage_error& e) {
                message = e.message;
            }
        });
    });
    // V crosses theta between 1.5 and 2 ms (the current turns positive at t = 1 ms); the second
    // spike at that same time is the error.
    CHECK(spikes == 1);
    CHECK(message.rfind("--current: at t = 1.85", 0) == 0);
    CHECK(message.find("closer together than the time resolution") != std::string::npos);
}
