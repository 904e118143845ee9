// iaf::population with a shared time-dependent current, with per-neuron (heterogeneous)
// parameters, and with states set by the host: each against N independent iaf::neurons given the
// same inputs, which must give the same spikes and states, bit for bit.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "support/tolerance.hpp"

namespace {

constexpr double dt = 0.1;  // [ms]

double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1p-53; }

// Rheobase 0.375 nA (tau_m = 10 ms, c_m = 0.25 nF, threshold 15 mV above rest).
iaf::lif_parameters base_parameters() {
    return {.tau_m = 10.0, .c_m = 0.25, .e_l = -70.0, .v_th = -55.0, .v_reset = -65.0, .t_ref = 2.0};
}

using train = std::vector<iaf::grid_time>;

// The first neuron whose spikes or final state differ, or "".
template <typename Pop, typename Neurons>
std::string first_difference(const Pop& pop, const Neurons& neurons, const std::vector<train>& got,
                             const std::vector<train>& expected) {
    for (std::size_t i = 0; i < neurons.size(); ++i) {
        if (got[i].size() != expected[i].size())
            return "neuron " + std::to_string(i) + ": " + std::to_string(got[i].size()) + " spikes instead of " +
                   std::to_string(expected[i].size());
        for (std::size_t s = 0; s < got[i].size(); ++s)
            if (got[i][s].step != expected[i][s].step || got[i][s].offset != expected[i][s].offset)
                return "neuron " + std::to_string(i) + ", spike " + std::to_string(s) + ": step " +
                       std::to_string(got[i][s].step) + " + " + std::to_string(got[i][s].offset) + " instead of " +
                       std::to_string(expected[i][s].step) + " + " + std::to_string(expected[i][s].offset);
        if (pop.states()[i] != neurons[i].state() || pop.refractory(i) != neurons[i].refractory())
            return "neuron " + std::to_string(i) + ": final state " + std::to_string(pop.states()[i]) + " instead of " +
                   std::to_string(neurons[i].state());
    }
    return {};
}

std::size_t total(const std::vector<train>& t) {
    std::size_t n = 0;
    for (const auto& one : t) n += one.size();
    return n;
}

template <typename I, typename P>
struct combo {
    using integrator = I;
    using policy = P;
};

// A stimulus with breakpoints off the grid (3.33 ms is no multiple of dt), and one that is smooth
// with a closed-form leaky response.
iaf::pulse_train stimulus_pulses() {
    return iaf::pulse_train{{.onset = 3.33, .duration = 7.77, .amplitude = 0.3},
                            {.onset = 25.05, .duration = 0.04, .amplitude = 2.0},
                            {.onset = 40.123, .duration = 30.0, .amplitude = -0.2}};
}
iaf::sine stimulus_sine() { return iaf::sine{.amplitude = 0.15, .frequency = 0.05, .phase = 0.3, .offset = 0.0}; }

// N neurons of the population with per-neuron input u_i + shared(t) against N neurons driven by
// iaf::constant{u_i} + shared, the same sum the population's neurons see.
template <typename I, typename P, typename S>
std::size_t check_shared_current(const S& shared, std::uint64_t seed) {
    const std::size_t n = 23;
    const int steps = 1000;
    const iaf::lif model{base_parameters()};
    iaf::population pop{model, n, I{}, P{}, dt, 0.0, shared};
    static_assert(std::is_same_v<decltype(pop), iaf::population<iaf::lif, I, P, S>>);
    using sum = decltype(iaf::constant{0.0} + shared);
    std::vector<iaf::neuron<iaf::lif, sum, I, P>> neurons;
    for (std::size_t i = 0; i < n; ++i) neurons.emplace_back(model, iaf::constant{0.0} + shared, I{}, P{}, dt);
    std::vector<train> got(n), expected(n);
    std::vector<double> input(n);
    std::mt19937_64 rng(seed);
    for (int k = 0; k < steps; ++k) {
        for (double& u : input) u = 0.36 + 0.15 * uniform(rng);
        pop.step(input, [&](std::size_t i, iaf::grid_time t) { got[i].push_back(t); });
        for (std::size_t i = 0; i < n; ++i) {
            neurons[i].set_current(iaf::constant{input[i]} + shared);
            neurons[i].step([&](iaf::grid_time t) { expected[i].push_back(t); });
        }
    }
    const std::string d = first_difference(pop, neurons, got, expected);
    CHECK_MESSAGE(d.empty(), d);
    return total(expected);
}

}  // namespace

TYPE_TO_STRING_AS("exact + grid", combo<iaf::exact, iaf::grid>);
TYPE_TO_STRING_AS("exact + analytic", combo<iaf::exact, iaf::analytic>);
TYPE_TO_STRING_AS("euler + linear", combo<iaf::euler, iaf::linear>);
TYPE_TO_STRING_AS("rk4 + hermite", combo<iaf::rk4, iaf::hermite>);
TYPE_TO_STRING_AS("dopri5 + analytic", combo<iaf::dopri5, iaf::analytic>);

// Without the shared pulses the inputs (0.36 to 0.51 nA) fire most neurons a few times; the pulses
// add spikes, so a population that dropped them, or applied them on the grid instead of at
// 3.33 ms, would differ from the neurons, which split their steps at the breakpoints.
TEST_CASE_TEMPLATE("population: a shared time-dependent current splits every neuron's step at its breakpoints", C,
                   combo<iaf::exact, iaf::grid>, combo<iaf::exact, iaf::analytic>, combo<iaf::euler, iaf::linear>,
                   combo<iaf::rk4, iaf::hermite>, combo<iaf::dopri5, iaf::analytic>) {
    using I = typename C::integrator;
    using P = typename C::policy;
    const std::size_t with_pulses = check_shared_current<I, P>(stimulus_pulses(), 11);
    const std::size_t with_sine = check_shared_current<I, P>(stimulus_sine(), 12);
    MESSAGE(with_pulses << " spikes with shared pulses, " << with_sine << " with a shared sine");
    CHECK(with_pulses > 50);
    CHECK(with_sine > 50);
}

TEST_CASE("population: the shared current reaches every neuron (closed form of a pulse-driven LIF)") {
    // No per-neuron input, one shared step of 0.3 nA from t = 3.33 ms: below the rheobase, so V
    // follows e_l + R I (1 - exp(-(t - onset)/tau)) exactly under `exact`, for every neuron.
    const iaf::lif model{base_parameters()};
    iaf::population pop{model, 5, iaf::exact{}, iaf::analytic{}, dt, 0.0, iaf::step{.onset = 3.33, .amplitude = 0.3}};
    const std::vector<double> zero(pop.size(), 0.0);
    for (int k = 0; k < 100; ++k) pop.step(zero, [](std::size_t, iaf::grid_time) { FAIL("no spike expected"); });
    CHECK_ABS(pop.time(), 10.0, 1e-15);  // 100 steps of 0.1 ms
    const double expected = -70.0 + 40.0 * 0.3 * -std::expm1(-(10.0 - 3.33) / 10.0);
    for (std::size_t i = 0; i < pop.size(); ++i) CHECK(std::abs(pop.voltage(i) - expected) < 1e-12);
}

// Heterogeneous parameters: every neuron its own tau_m, threshold and refractory period, with
// events delivered off the grid; the population runs each neuron's own step.
TEST_CASE_TEMPLATE("population: per-neuron parameters equal neurons built from the same parameters", C,
                   combo<iaf::exact, iaf::grid>, combo<iaf::exact, iaf::analytic>, combo<iaf::euler, iaf::linear>,
                   combo<iaf::rk4, iaf::hermite>) {
    using I = typename C::integrator;
    using P = typename C::policy;
    const std::size_t n = 19;
    std::mt19937_64 rng(21);
    std::vector<iaf::lif> models;
    for (std::size_t i = 0; i < n; ++i) {
        iaf::lif_parameters p = base_parameters();
        p.tau_m = 5.0 + 20.0 * uniform(rng);
        p.v_th = -58.0 + 6.0 * uniform(rng);
        p.t_ref = 3.0 * uniform(rng);
        models.emplace_back(p);
    }
    iaf::population pop{models, I{}, P{}, dt};
    CHECK(pop.heterogeneous());
    REQUIRE(pop.size() == n);
    CHECK(pop.model(7).threshold() == models[7].threshold());
    using neuron_type = iaf::neuron<iaf::lif, iaf::constant, I, P>;
    std::vector<neuron_type> neurons;
    for (const auto& m : models) neurons.emplace_back(m, iaf::constant{0.0}, I{}, P{}, dt);
    std::vector<train> got(n), expected(n);
    std::vector<double> input(n);
    for (int k = 0; k < 1500; ++k) {
        std::vector<std::vector<typename neuron_type::event_type>> events(n);
        for (std::size_t i = 0; i < n; ++i) {
            input[i] = 0.35 + 0.2 * uniform(rng);
            if (uniform(rng) < 0.1) {
                const double offset = dt * uniform(rng);
                const double weight = 4.0 * uniform(rng) - 1.0;
                pop.deliver(i, iaf::lif::port::v, offset, weight);
                events[i].push_back({P::on_grid ? 0.0 : offset, iaf::lif::port::v, weight});
            }
        }
        pop.step(input, [&](std::size_t i, iaf::grid_time t) { got[i].push_back(t); });
        for (std::size_t i = 0; i < n; ++i) {
            neurons[i].set_current(iaf::constant{input[i]});
            neurons[i].step(events[i], [&](iaf::grid_time t) { expected[i].push_back(t); });
        }
    }
    const std::string d = first_difference(pop, neurons, got, expected);
    CHECK_MESSAGE(d.empty(), d);
    // Different parameters give different rates: the fastest neuron fires clearly more often.
    std::size_t least = expected[0].size(), most = expected[0].size();
    for (const auto& t : expected) least = std::min(least, t.size()), most = std::max(most, t.size());
    MESSAGE(total(expected) << " spikes, " << least << " to " << most << " per neuron");
    CHECK(most > 2 * least + 5);
}

TEST_CASE("population: heterogeneous construction validates each model and the list") {
    CHECK_THROWS_WITH_AS((iaf::population{std::vector<iaf::lif>{}, iaf::exact{}, iaf::grid{}, dt}),
                         doctest::Contains("models size"), iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((iaf::population{std::vector<iaf::lif>{iaf::lif{base_parameters()}}, iaf::exact{}, iaf::grid{}, 0.0}),
                         doctest::Contains("dt"), iaf::invalid_parameter);
}

// A host writes V between steps: below the threshold it is taken as is; at or above it the neuron
// fires at the start of the next step, as iaf::neuron::set_state does. Mixed with ordinary steps
// (the population's common, vectorised step) and with neurons that are refractory when written.
TEST_CASE_TEMPLATE("population: set_state follows the neuron's rule, firing at the next step's start", C,
                   combo<iaf::exact, iaf::grid>, combo<iaf::exact, iaf::analytic>, combo<iaf::euler, iaf::linear>,
                   combo<iaf::rk4, iaf::hermite>) {
    using I = typename C::integrator;
    using P = typename C::policy;
    const std::size_t n = 40;
    const iaf::lif model{base_parameters()};
    iaf::population pop{model, n, I{}, P{}, dt};
    std::vector<iaf::neuron<iaf::lif, iaf::constant, I, P>> neurons;
    for (std::size_t i = 0; i < n; ++i) neurons.emplace_back(model, iaf::constant{0.0}, I{}, P{}, dt);
    std::vector<train> got(n), expected(n);
    std::vector<double> input(n);
    std::mt19937_64 rng(5);
    std::size_t written_above = 0;
    for (int k = 0; k < 800; ++k) {
        if (k % 7 == 3) {
            for (std::size_t i = 0; i < n; ++i) {
                if (uniform(rng) < 0.3) {
                    // Half below the threshold, half at or above it (some exactly at it).
                    const double u = uniform(rng);
                    const double v = u < 0.5 ? -70.0 + 20.0 * u : (u < 0.6 ? -55.0 : -55.0 + 10.0 * u);
                    written_above += v >= -55.0 && !neurons[i].refractory() ? 1 : 0;
                    pop.set_state(i, v);
                    neurons[i].set_state(v);
                }
            }
        }
        for (double& u : input) u = 0.3 + 0.15 * uniform(rng);
        pop.step(input, [&](std::size_t i, iaf::grid_time t) { got[i].push_back(t); });
        for (std::size_t i = 0; i < n; ++i) {
            neurons[i].set_current(iaf::constant{input[i]});
            neurons[i].step([&](iaf::grid_time t) { expected[i].push_back(t); });
        }
    }
    const std::string d = first_difference(pop, neurons, got, expected);
    CHECK_MESSAGE(d.empty(), d);
    // The written spikes are at offset 0 of the next step: count them independently.
    std::size_t at_start = 0;
    for (const auto& t : got)
        for (const auto& s : t) at_start += s.offset == 0.0 && s.step % 7 == 3 ? 1 : 0;
    MESSAGE(written_above << " states written at or above the threshold, " << at_start << " spikes at a step's start");
    CHECK(written_above > 50);
    CHECK(at_start == written_above);
    CHECK_THROWS_WITH_AS(pop.set_state(n, -60.0), doctest::Contains("index"), iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(pop.set_state(0, std::nan("")), doctest::Contains("state voltage"), iaf::invalid_parameter);
}
