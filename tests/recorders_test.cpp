// iaf::spike_recorder and iaf::state_recorder on LIF populations and neurons whose spike times and
// membrane potentials are known in closed form, their CSV output read back bit for bit, their
// sampling grid, their buffers, and their argument checks.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <locale>
#include <sstream>
#include <stdexcept>
#include <string>
#include <system_error>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "support/tolerance.hpp"

namespace {

constexpr double dt = 0.1;  // [ms]

// tau_m = 10 ms, c_m = 0.25 nF (r_m = 40 MOhm), rest -70 mV, threshold -55 mV, reset -65 mV,
// t_ref = 2 ms: the rheobase is 15 mV / 40 MOhm = 0.375 nA.
constexpr double tau_m = 10.0, c_m = 0.25, r_m = tau_m / c_m;
constexpr double e_l = -70.0, v_th = -55.0, v_reset = -65.0, t_ref = 2.0;

iaf::lif lif_model() {
    return iaf::lif{{.tau_m = tau_m, .c_m = c_m, .e_l = e_l, .v_th = v_th, .v_reset = v_reset, .t_ref = t_ref}};
}

// Under a constant current i [nA], V(t) = e_l + r_m i + (v0 - e_l - r_m i) exp(-t / tau_m), which
// reaches v_th after tau_m ln((r_m i - (v0 - e_l)) / (r_m i - (v_th - e_l))) [ms].
double time_to_threshold(double v0, double i) {
    return tau_m * std::log((r_m * i - (v0 - e_l)) / (r_m * i - (v_th - e_l)));
}
double v_after(double t, double v0, double i) {
    return e_l + r_m * i + (v0 - e_l - r_m * i) * std::exp(-t / tau_m);
}

// The exact spike times of a LIF starting at e_l under constant i, from t_start up to t_end: the
// first at the closed-form crossing, then one every t_ref + (reset to threshold).
std::vector<double> closed_form_train(double i, double t_start, double t_end) {
    std::vector<double> train;
    if (r_m * i <= v_th - e_l) return train;
    for (double t = t_start + time_to_threshold(e_l, i); t < t_end; t += t_ref + time_to_threshold(v_reset, i))
        train.push_back(t);
    return train;
}

// The same on the grid (`iaf::grid`): a spike at the first grid point at or after the crossing, and
// the refractory period starts there. Counted in steps from t_start; `margin` is how close to a
// grid point a crossing came, in steps (a test needs it well above round-off).
std::vector<std::int64_t> closed_form_grid_steps(double i, std::int64_t steps, double& margin) {
    std::vector<std::int64_t> train;
    margin = 1.0;
    double crossing = time_to_threshold(e_l, i) / dt;  // in steps from t_start
    while (true) {
        const double up = std::ceil(crossing);
        margin = std::min({margin, up - crossing, crossing - std::floor(crossing)});
        const auto at = static_cast<std::int64_t>(up);
        if (at > steps) break;
        train.push_back(at);
        crossing = up + (t_ref + time_to_threshold(v_reset, i)) / dt;
    }
    return train;
}

// A CSV text split into lines, each split at its commas.
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells(1);
        for (const char c : line) {
            if (c == ',') cells.emplace_back();
            else cells.back() += c;
        }
        rows.push_back(cells);
    }
    return rows;
}

// A whole cell as a number, or a failed check.
template <typename T>
T parse(const std::string& cell) {
    T value{};
    const auto [end, error] = std::from_chars(cell.data(), cell.data() + cell.size(), value);
    CHECK_MESSAGE((error == std::errc{} && end == cell.data() + cell.size()), "not a number: '" << cell << "'");
    return value;
}

// A locale that writes numbers German-style (1.234,5), to show the CSV ignores the stream's.
struct decimal_comma : std::numpunct<char> {
    char do_decimal_point() const override { return ','; }
    char do_thousands_sep() const override { return '.'; }
    std::string do_grouping() const override { return "\3"; }
};

}  // namespace

// --- spike_recorder -------------------------------------------------------------------------------

TEST_CASE("spike_recorder: a population under exact + analytic records the closed-form spike times") {
    // Eight neurons, one below the rheobase (silent), the others at 0.38 to 0.62 nA, from t_start
    // = 5 ms for 100 ms.
    const std::vector<double> input{0.30, 0.38, 0.40, 0.43, 0.47, 0.52, 0.57, 0.62};
    const std::size_t n = input.size();
    const double t_start = 5.0;
    const int steps = 1000;
    iaf::population pop{lif_model(), n, iaf::exact{}, iaf::analytic{}, dt, t_start};
    iaf::spike_recorder all{pop.dt(), t_start};
    iaf::spike_recorder some{pop.dt(), t_start, {.first = 2, .last = 5}};
    for (int k = 0; k < steps; ++k)
        pop.step(input, [&](std::size_t i, iaf::grid_time t) {
            all(i, t);
            some(i, t);
        });

    const double t_end = t_start + steps * dt;
    std::vector<std::vector<double>> got(n);
    REQUIRE(all.indices().size() == all.size());
    REQUIRE(all.times().size() == all.size());
    for (std::size_t s = 0; s < all.size(); ++s) got.at(all.indices()[s]).push_back(all.times()[s]);
    std::size_t expected_total = 0;
    double worst = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        CAPTURE(i);
        const std::vector<double> expected = closed_form_train(input[i], t_start, t_end);
        REQUIRE(expected.size() == got[i].size());
        for (std::size_t s = 0; s < expected.size(); ++s) worst = std::max(worst, std::abs(got[i][s] - expected[s]));
        if (!expected.empty()) CHECK(t_end - expected.back() > 1e-6);  // no spike on the edge of the run
        expected_total += expected.size();
    }
    MESSAGE(all.size() << " spikes, largest deviation from the closed form " << worst << " ms");
    CHECK(expected_total > 30);
    CHECK(got[0].empty());
    // Exact to round-off: the error of t_start + step * dt + offset, of the propagator, and of the
    // closed-form train summed spike by spike, measured at 1.5e-12 ms over 100 ms.
    CHECK(worst < 1e-11);

    // The range keeps neurons 2, 3 and 4, with the same times.
    std::size_t in_range = 0;
    for (std::size_t s = 0; s < all.size(); ++s) {
        if (all.indices()[s] < 2 || all.indices()[s] >= 5) continue;
        REQUIRE(in_range < some.size());
        CHECK(some.indices()[in_range] == all.indices()[s]);
        CHECK(some.times()[in_range] == all.times()[s]);
        ++in_range;
    }
    CHECK(in_range == some.size());
    CHECK(in_range >= 10);
}

TEST_CASE("spike_recorder: passed as on_spike under the grid policy, it records the closed-form grid steps") {
    const std::vector<double> input{0.39, 0.41, 0.44, 0.50, 0.61};
    const std::size_t n = input.size();
    const std::int64_t steps = 2000;
    iaf::population pop{lif_model(), n, iaf::exact{}, iaf::grid{}, dt};
    iaf::spike_recorder spikes{pop.dt()};
    for (std::int64_t k = 0; k < steps; ++k) pop.step(input, spikes);

    std::vector<std::vector<double>> got(n);
    for (std::size_t s = 0; s < spikes.size(); ++s) got.at(spikes.indices()[s]).push_back(spikes.times()[s]);
    std::size_t total = 0;
    for (std::size_t i = 0; i < n; ++i) {
        CAPTURE(i);
        double margin = 0.0;
        const std::vector<std::int64_t> expected = closed_form_grid_steps(input[i], steps, margin);
        // Crossings close to a grid point would make the expected step hang on round-off.
        REQUIRE(margin > 1e-6);
        REQUIRE(got[i].size() == expected.size());
        for (std::size_t s = 0; s < expected.size(); ++s)
            CHECK(std::abs(got[i][s] - static_cast<double>(expected[s]) * dt) < 1e-10);
        total += expected.size();
    }
    MESSAGE(total << " spikes on the grid");
    CHECK(total > 40);
}

TEST_CASE("spike_recorder: a single neuron's spikes are recorded as neuron 0") {
    const double i = 0.5, t_start = -20.0;
    iaf::neuron cell{lif_model(), iaf::constant{i}, iaf::exact{}, iaf::analytic{}, dt, t_start};
    iaf::spike_recorder spikes{cell.dt(), cell.t_start()};
    for (int k = 0; k < 600; ++k) cell.step(spikes);
    const std::vector<double> expected = closed_form_train(i, t_start, cell.time());
    REQUIRE(spikes.size() == expected.size());
    CHECK(spikes.size() >= 3);
    for (std::size_t s = 0; s < expected.size(); ++s) {
        CHECK(spikes.indices()[s] == 0);
        CHECK(std::abs(spikes.times()[s] - expected[s]) < 1e-11);
    }
}

TEST_CASE("spike_recorder: (step, offset) becomes t_start + step * dt + offset, and clear forgets it") {
    iaf::spike_recorder spikes{0.25, 1000.0};
    spikes(7, iaf::grid_time{0, 0.0});
    spikes(3, iaf::grid_time{4, 0.125});
    spikes(7, iaf::grid_time{4000000, 0.25});
    REQUIRE(spikes.size() == 3);
    CHECK(spikes.indices()[0] == 7);
    CHECK(spikes.indices()[1] == 3);
    CHECK(spikes.times()[0] == 1000.0);
    CHECK(spikes.times()[1] == 1001.125);
    CHECK(spikes.times()[2] == 1001000.25);
    spikes.clear();
    CHECK(spikes.size() == 0);
    CHECK(spikes.indices().empty());
    CHECK(spikes.times().empty());
    spikes(1, iaf::grid_time{1, 0.0});
    CHECK(spikes.times()[0] == 1000.25);
}

TEST_CASE("spike_recorder: its CSV reads back to the same indices and times, bit for bit, in any locale") {
    iaf::population pop{lif_model(), 6, iaf::exact{}, iaf::analytic{}, dt, 3.0};
    const std::vector<double> input{0.40, 0.45, 0.50, 0.55, 0.60, 0.65};
    iaf::spike_recorder spikes{pop.dt(), 3.0};
    for (int k = 0; k < 500; ++k) pop.step(input, spikes);
    spikes(123456789, iaf::grid_time{10, dt / 3.0});  // a time with all 17 digits
    REQUIRE(spikes.size() > 20);

    std::ostringstream out;
    out.imbue(std::locale(std::locale::classic(), new decimal_comma));
    out.precision(3);  // ignored: the numbers are written exactly
    spikes.write_csv(out);
    const auto rows = read_csv(out.str());
    REQUIRE(rows.size() == spikes.size() + 1);
    CHECK(rows[0] == std::vector<std::string>{"index", "time_ms"});
    for (std::size_t s = 0; s < spikes.size(); ++s) {
        CAPTURE(s);
        REQUIRE(rows[s + 1].size() == 2);
        CHECK(parse<std::size_t>(rows[s + 1][0]) == spikes.indices()[s]);
        CHECK(parse<double>(rows[s + 1][1]) == spikes.times()[s]);
    }
    CHECK(rows.back()[0] == "123456789");

    iaf::spike_recorder empty{dt};
    std::ostringstream header_only;
    empty.write_csv(header_only);
    CHECK(header_only.str() == "index,time_ms\n");
}

TEST_CASE("spike_recorder: once reserved, recording does not reallocate") {
    iaf::population pop{lif_model(), 50, iaf::exact{}, iaf::analytic{}, dt};
    const std::vector<double> input(50, 0.6);
    iaf::spike_recorder spikes{dt};
    spikes.reserve(2000);
    const auto* indices = spikes.indices().data();
    const auto* times = spikes.times().data();
    for (int k = 0; k < 1000; ++k) pop.step(input, spikes);
    CHECK(spikes.size() > 50 * 5);
    CHECK(spikes.indices().data() == indices);
    CHECK(spikes.times().data() == times);
    spikes.clear();
    for (int k = 0; k < 1000; ++k) pop.step(input, spikes);
    CHECK(spikes.times().data() == times);
}

TEST_CASE("spike_recorder: dt <= 0, a non-finite dt or t_start, and a reversed range throw invalid_parameter") {
    const double inf = std::numeric_limits<double>::infinity();
    CHECK_THROWS_WITH_AS(iaf::spike_recorder(0.0), "iaf::spike_recorder: dt = 0 is invalid (must be > 0)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::spike_recorder(-0.1), "iaf::spike_recorder: dt = -0.1 is invalid (must be > 0)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::spike_recorder(std::nan("")), "iaf::spike_recorder: dt = nan is invalid (must be finite)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::spike_recorder(0.1, inf), "iaf::spike_recorder: t_start = inf is invalid (must be finite)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::spike_recorder(0.1, 0.0, {.first = 5, .last = 2}),
                         "iaf::spike_recorder: range.last = 2 is invalid (must be >= range.first = 5)",
                         iaf::invalid_parameter);
    CHECK_NOTHROW(iaf::spike_recorder(0.1, 0.0, {.first = 5, .last = 5}));
}

// --- state_recorder -------------------------------------------------------------------------------

TEST_CASE("state_recorder: every m steps, at t_start + j m dt, the closed-form V of the chosen neurons") {
    // Below the rheobase nobody spikes, so V(t) follows one exponential from e_l.
    const std::vector<double> input{0.10, 0.20, 0.30, 0.36};
    const double t_start = 2.5;
    const std::int64_t every = 7;
    iaf::population pop{lif_model(), input.size(), iaf::exact{}, iaf::analytic{}, dt, t_start};
    iaf::state_recorder trace{{3, 0, 2}, every};
    trace.record(pop);  // the initial state
    trace.record(pop);  // twice at one step: one sample
    for (int k = 0; k < 100; ++k) {
        pop.step(input, [](std::size_t, iaf::grid_time) { FAIL("no neuron should spike"); });
        trace.record(pop);
    }
    REQUIRE(trace.size() == 15);  // steps 0, 7, ..., 98
    CHECK(trace.every() == every);
    CHECK(trace.indices().size() == 3);
    CHECK(trace.indices()[0] == 3);
    double worst = 0.0;
    for (std::size_t s = 0; s < trace.size(); ++s) {
        CAPTURE(s);
        const double elapsed = static_cast<double>(s) * static_cast<double>(every) * dt;
        CHECK_ABS(trace.times()[s], t_start + elapsed, 1e-14);  // achieved 0
        const auto v = trace.values(s);
        REQUIRE(v.size() == 3);
        for (std::size_t k = 0; k < 3; ++k) {
            const double expected = v_after(elapsed, e_l, input[trace.indices()[k]]);
            worst = std::max(worst, std::abs(v[k] - expected));
            CHECK(trace.matrix()(static_cast<Eigen::Index>(s), static_cast<Eigen::Index>(k)) == v[k]);
        }
    }
    MESSAGE("largest deviation from the closed form " << worst << " mV");
    CHECK(worst < 1e-11);
    CHECK(trace.matrix().rows() == 15);
    CHECK(trace.matrix().cols() == 3);
    CHECK(trace.values(0)[1] == e_l);
    CHECK(trace.values(14)[0] > trace.values(1)[0]);  // column 0 is neuron 3, the most driven
}

TEST_CASE("state_recorder: samples fall on multiples of every whenever recording starts or is called") {
    iaf::population pop{lif_model(), 2, iaf::exact{}, iaf::grid{}, dt};
    const std::vector<double> input{0.5, 0.2};
    const auto none = [](std::size_t, iaf::grid_time) {};
    for (int k = 0; k < 3; ++k) pop.step(input, none);
    iaf::state_recorder trace{{1}, 4};
    trace.record(pop);  // step 3: not a multiple of 4
    CHECK(trace.size() == 0);
    for (int k = 0; k < 10; ++k) {
        pop.step(input, none);
        trace.record(pop);
        trace.record(pop);
    }
    // Steps 4, 8 and 12.
    REQUIRE(trace.size() == 3);
    // Achieved 0.
    for (std::size_t s = 0; s < 3; ++s) CHECK_ABS(trace.times()[s], 0.4 * double(s + 1), 1e-14);
    trace.clear();
    CHECK(trace.size() == 0);
    CHECK(trace.matrix().rows() == 0);
    trace.record(pop);  // step 13
    CHECK(trace.size() == 0);
}

TEST_CASE("state_recorder: a single neuron is recorded as neuron 0, through its refractory period") {
    const double i = 0.5;
    iaf::neuron cell{lif_model(), iaf::constant{i}, iaf::exact{}, iaf::analytic{}, dt};
    iaf::state_recorder trace{{0}, 1};
    iaf::spike_recorder spikes{dt};
    trace.record(cell);
    for (int k = 0; k < 200; ++k) {
        cell.step(spikes);
        trace.record(cell);
    }
    REQUIRE(trace.size() == 201);
    REQUIRE(spikes.size() >= 1);
    // The expectations below use the closed-form spike times, not the recorded ones.
    const double t_spike = time_to_threshold(e_l, i);
    const double t_second = t_spike + t_ref + time_to_threshold(v_reset, i);
    CHECK_ABS(spikes.times()[0], t_spike, 2e-13);  // achieved 2.1e-14 ms
    for (std::size_t s = 0; s < trace.size(); ++s) {
        const double t = trace.times()[s];
        CAPTURE(t);
        // Achieved 2.8e-14 mV before the spike, 4.3e-14 mV after the refractory period.
        if (t < t_spike)
            CHECK_ABS(trace.values(s)[0], v_after(t, e_l, i), 3e-13);
        else if (t < t_spike + t_ref - 1e-9) CHECK(trace.values(s)[0] == v_reset);
        else if (t > t_spike + t_ref + 1e-9 && t < t_second)
            CHECK_ABS(trace.values(s)[0], v_after(t - t_spike - t_ref, v_reset, i), 4e-13);
    }
}

TEST_CASE("state_recorder: its CSV reads back to the same times and potentials, bit for bit") {
    iaf::population pop{lif_model(), 5, iaf::exact{}, iaf::analytic{}, dt, 1.0};
    const std::vector<double> input{0.2, 0.45, 0.5, 0.55, 0.6};
    iaf::state_recorder trace{{4, 1, 3}, 3};
    trace.record(pop);
    for (int k = 0; k < 300; ++k) {
        pop.step(input, [](std::size_t, iaf::grid_time) {});
        trace.record(pop);
    }
    std::ostringstream out;
    out.imbue(std::locale(std::locale::classic(), new decimal_comma));
    out.precision(2);
    trace.write_csv(out);
    const auto rows = read_csv(out.str());
    REQUIRE(rows.size() == trace.size() + 1);
    CHECK(rows[0] == std::vector<std::string>{"time_ms", "v_4", "v_1", "v_3"});
    for (std::size_t s = 0; s < trace.size(); ++s) {
        CAPTURE(s);
        REQUIRE(rows[s + 1].size() == 4);
        CHECK(parse<double>(rows[s + 1][0]) == trace.times()[s]);
        for (std::size_t k = 0; k < 3; ++k) CHECK(parse<double>(rows[s + 1][k + 1]) == trace.values(s)[k]);
    }
}

TEST_CASE("state_recorder: once reserved, sampling does not reallocate") {
    iaf::population pop{lif_model(), 20, iaf::exact{}, iaf::analytic{}, dt};
    const std::vector<double> input(20, 0.5);
    iaf::state_recorder trace{{0, 5, 19}, 2};
    trace.reserve(501);
    trace.record(pop);
    const double* times = trace.times().data();
    const double* values = trace.values(0).data();
    for (int k = 0; k < 1000; ++k) {
        pop.step(input, [](std::size_t, iaf::grid_time) {});
        trace.record(pop);
    }
    CHECK(trace.size() == 501);
    CHECK(trace.times().data() == times);
    CHECK(trace.values(0).data() == values);
}

TEST_CASE("state_recorder: no indices, a repeated index, every < 1 and a missing neuron throw, naming the parameter") {
    CHECK_THROWS_WITH_AS(iaf::state_recorder({}), "iaf::state_recorder: indices.size() = 0 is invalid (must be >= 1)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::state_recorder({1, 3, 1}),
                         "iaf::state_recorder: indices = 1 is invalid (must not repeat an index)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::state_recorder({1}, 0), "iaf::state_recorder: every = 0 is invalid (must be >= 1)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::state_recorder({1}, -3), "iaf::state_recorder: every = -3 is invalid (must be >= 1)",
                         iaf::invalid_parameter);

    iaf::population pop{lif_model(), 3, iaf::exact{}, iaf::grid{}, dt};
    iaf::state_recorder beyond{{0, 3}};
    CHECK_THROWS_WITH_AS(beyond.record(pop), "iaf::state_recorder: index = 3 is invalid (must be < the source's size 3)",
                         iaf::invalid_parameter);
    CHECK(beyond.size() == 0);  // nothing half-recorded
    iaf::neuron cell{lif_model(), iaf::constant{0.0}, iaf::exact{}, iaf::grid{}, dt};
    iaf::state_recorder not_one{{1}};
    CHECK_THROWS_WITH_AS(not_one.record(cell), "iaf::state_recorder: index = 1 is invalid (must be < the source's size 1)",
                         iaf::invalid_parameter);

    iaf::state_recorder fine{{2}};
    fine.record(pop);
    CHECK_THROWS_AS((void)fine.values(1), std::out_of_range);
}
