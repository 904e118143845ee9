// Randomized invariants of one iaf::lif neuron (see invariant_cases.hpp for the list).
#include "invariant_cases.hpp"

namespace inv = iaf_invariants;

namespace {
constexpr std::size_t deterministic_cases = 1500;
constexpr std::size_t noise_cases = 400;
}  // namespace

TEST_CASE("invariants: lif, 1500 random cases (12 integrator x policy pairs, 5 deterministic currents)") {
    const inv::draw_options o{.model = inv::model_kind::lif, .methods = inv::all_methods(),
                              .currents = inv::deterministic_currents()};
    const auto report = inv::run_family<iaf::lif>(0x11000000, deterministic_cases, o);
    MESSAGE("lif, deterministic currents: " << report.cases << " cases, " << report.spikes << " spikes, "
                                            << report.failed << " failed");
    CHECK(report.failed == 0);
}

TEST_CASE("invariants: lif, 400 random cases under white noise (12 integrator x policy pairs)") {
    const inv::draw_options o{.model = inv::model_kind::lif, .methods = inv::all_methods(),
                              .currents = {inv::drive::white_noise}};
    const auto report = inv::run_family<iaf::lif>(0x12000000, noise_cases, o);
    MESSAGE("lif, white noise: " << report.cases << " cases, " << report.spikes << " spikes, " << report.failed
                                 << " failed");
    CHECK(report.failed == 0);
}
