// Values that stay valid: every aggregate current is validated when it is built, in every context
// (clang 14 used to skip the check inside initializer lists and arrays), the check cannot be
// bypassed with `.validated_ = {}`, and a field assigned after construction is caught where the
// value enters a neuron, `simulate`, a population or a pulse train.
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/currents.hpp>
#include <iaf/errors.hpp>
#include <iaf/integrators/euler.hpp>
#include <iaf/integrators/exact.hpp>
#include <iaf/models/lif.hpp>
#include <iaf/neuron.hpp>
#include <iaf/population.hpp>
#include <iaf/simulate.hpp>
#include <iaf/spike_timing/grid.hpp>

namespace {

constexpr double quiet_nan = std::numeric_limits<double>::quiet_NaN();

// `.validated_ = {}` in a designated initializer must not compile (it used to skip the check).
// The member must exist, or the requires-expression would be false for the wrong reason.
template <typename C>
concept validated_can_be_default_initialised = requires { C{.validated_ = {}}; };
template <typename C>
concept has_validated_member = requires { &C::validated_; };

// A LIF that fires regularly under 1 nA: R I = 40 mV above a 15 mV threshold.
iaf::lif test_model() { return iaf::lif{{.tau_m = 10.0, .c_m = 0.25, .e_l = 0.0, .v_th = 15.0, .v_reset = 0.0}}; }

// A user's current that opts in to validation with a `validate() const` member.
struct user_current {
    double level = 1.0;
    int* checks = nullptr;
    [[nodiscard]] double operator()(double /*t*/) const { return level; }
    void validate() const {
        ++*checks;
        iaf::detail::require_finite("user_current", "level", level);
    }
};

// Arrays of aggregates with constant fields (a macro argument cannot hold their braces' commas).
double pulse_array() {
    const iaf::pulse arr[1] = {{.onset = 1, .duration = -2, .amplitude = 1}};
    return arr[0].duration;
}
double static_white_noise_bank() {
    static const iaf::white_noise bank[] = {{.mean = 0, .sigma = 1, .dt = 0.1}, {.mean = 0, .sigma = 1, .dt = -0.1}};
    return bank[1].dt;
}

}  // namespace

static_assert(has_validated_member<iaf::step> && has_validated_member<iaf::pulse> && has_validated_member<iaf::ramp> &&
              has_validated_member<iaf::sine> && has_validated_member<iaf::exponential_decay> &&
              has_validated_member<iaf::white_noise> && has_validated_member<iaf::ornstein_uhlenbeck>);
static_assert(!validated_can_be_default_initialised<iaf::step>);
static_assert(!validated_can_be_default_initialised<iaf::pulse>);
static_assert(!validated_can_be_default_initialised<iaf::ramp>);
static_assert(!validated_can_be_default_initialised<iaf::sine>);
static_assert(!validated_can_be_default_initialised<iaf::exponential_decay>);
static_assert(!validated_can_be_default_initialised<iaf::white_noise>);
static_assert(!validated_can_be_default_initialised<iaf::ornstein_uhlenbeck>);
// The OU path is computed too: leaving it empty would make evaluation dereference nothing.
template <typename C>
concept path_can_be_default_initialised = requires { C{.dt = 0.1, .duration = 1, .path_ = {}}; };
static_assert(!path_can_be_default_initialised<iaf::ornstein_uhlenbeck>);
static_assert(requires { &iaf::ornstein_uhlenbeck::path_; });
// The designated-initializer syntax itself still works, and the currents stay plain values.
static_assert(requires { iaf::pulse{.onset = 10, .duration = 5, .amplitude = 1}; });
static_assert(std::is_trivially_copyable_v<iaf::pulse> && std::is_aggregate_v<iaf::pulse>);

TEST_CASE("validated currents: an invalid aggregate throws inside a vector, an array and an initializer list") {
    // Constant fields inside braces: the contexts in which clang 14 skipped the check.
    CHECK_THROWS_WITH_AS((void)(std::vector<iaf::sine>{{.frequency = -1}}),
                         "iaf::sine: frequency = -1 is invalid (must be >= 0)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(iaf::pulse_train{{.onset = 1, .duration = -2, .amplitude = 1}}),
                         "iaf::pulse: duration = -2 is invalid (must be >= 0)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)pulse_array(), "iaf::pulse: duration = -2 is invalid (must be >= 0)",
                         iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(std::array<iaf::step, 2>{{{.onset = 1, .amplitude = 1}, {.onset = quiet_nan}}}),
                         "iaf::step: onset = nan is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(std::vector<iaf::ramp>{{.onset = 0, .slope = std::numeric_limits<double>::infinity()}}),
                         "iaf::ramp: slope = inf is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(std::vector<iaf::exponential_decay>{{.onset = 0, .amplitude = 1, .tau = 0}}),
                         "iaf::exponential_decay: tau = 0 is invalid (must be > 0)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)static_white_noise_bank(),
                         "iaf::white_noise: dt = -0.1 is invalid (must be > 0)", iaf::invalid_parameter);
    struct stimulus {
        iaf::ornstein_uhlenbeck noise;
        iaf::step drive;
    };
    CHECK_THROWS_WITH_AS((void)(stimulus{{.mean = 0, .sigma = -1, .tau = 5, .dt = 0.1, .duration = 10}, {}}),
                         "iaf::ornstein_uhlenbeck: sigma = -1 is invalid (must be >= 0)", iaf::invalid_parameter);
}

TEST_CASE("validate_current: a field assigned after construction is reported with the constructor's message") {
    iaf::step s{.onset = 10, .amplitude = 1};
    s.onset = quiet_nan;
    CHECK_THROWS_WITH_AS(iaf::validate_current(s), "iaf::step: onset = nan is invalid (must be finite)",
                         iaf::invalid_parameter);
    iaf::pulse p{.onset = 10, .duration = 5, .amplitude = 1};
    p.amplitude = quiet_nan;
    CHECK_THROWS_WITH_AS(iaf::validate_current(p), "iaf::pulse: amplitude = nan is invalid (must be finite)",
                         iaf::invalid_parameter);
    p = {.onset = 1e308, .duration = 1, .amplitude = 1};
    p.duration = 1e308;  // onset + duration overflows
    CHECK_THROWS_WITH_AS(iaf::validate_current(p),
                         "iaf::pulse: duration = 1e+308 is invalid (onset + duration must be finite)",
                         iaf::invalid_parameter);
    iaf::ramp r{.onset = 0, .slope = 0.1};
    r.slope = quiet_nan;
    CHECK_THROWS_WITH_AS(iaf::validate_current(r), "iaf::ramp: slope = nan is invalid (must be finite)",
                         iaf::invalid_parameter);
    iaf::sine w{.amplitude = 1, .frequency = 0.1};
    w.frequency = -0.1;
    CHECK_THROWS_WITH_AS(iaf::validate_current(w), "iaf::sine: frequency = -0.1 is invalid (must be >= 0)",
                         iaf::invalid_parameter);
    iaf::exponential_decay e{.onset = 0, .amplitude = 1, .tau = 5};
    e.tau = -5;
    CHECK_THROWS_WITH_AS(iaf::validate_current(e), "iaf::exponential_decay: tau = -5 is invalid (must be > 0)",
                         iaf::invalid_parameter);
    iaf::white_noise n{.mean = 0, .sigma = 1, .dt = 0.1};
    n.mean = quiet_nan;
    CHECK_THROWS_WITH_AS(iaf::validate_current(n), "iaf::white_noise: mean = nan is invalid (must be finite)",
                         iaf::invalid_parameter);
}

TEST_CASE("validate_current: composites check their parts; lambdas and immutable currents pass") {
    iaf::pulse p{.onset = 10, .duration = 5, .amplitude = 1};
    p.duration = -1;  // invalid before it enters the expression: the expression holds a copy
    const auto sum = iaf::sine{.amplitude = 1, .frequency = 0.1} + 2.0 * iaf::shifted(p, 3.0);
    CHECK_THROWS_WITH_AS(iaf::validate_current(sum), "iaf::pulse: duration = -1 is invalid (must be >= 0)",
                         iaf::invalid_parameter);
    const auto difference = [](double t) { return t; } - p;
    CHECK_THROWS_WITH_AS(iaf::validate_current(difference), "iaf::pulse: duration = -1 is invalid (must be >= 0)",
                         iaf::invalid_parameter);
    // Valid ones pass: nothing to check in a lambda, a constant or a piecewise table.
    const auto fine = iaf::constant{1.0} + iaf::piecewise{{0.0}, {1.0}} + [](double) { return 0.5; };
    CHECK_NOTHROW(iaf::validate_current(fine));
    CHECK_NOTHROW(iaf::validate_current([](double) { return quiet_nan; }));
    // A user current opts in with a validate() member.
    int checks = 0;
    CHECK_NOTHROW(iaf::validate_current(user_current{.level = 2.0, .checks = &checks}));
    CHECK(checks == 1);
    CHECK_THROWS_WITH_AS(iaf::validate_current(user_current{.level = quiet_nan, .checks = &checks}),
                         "user_current: level = nan is invalid (must be finite)", iaf::invalid_parameter);
}

TEST_CASE("validate_current: a mutated current is rejected where it enters a neuron, simulate or a population") {
    const double dt = 0.1;
    // The valid step drives the neuron: 1 nA from t = 10 ms fires (R I = 40 mV > 15 mV).
    iaf::step s{.onset = 10, .amplitude = 1};
    const auto fired = iaf::simulate(test_model(), s, iaf::euler{}, {.dt = dt, .t_end = 100});
    CHECK(fired.spike_times.size() > 10);

    s.amplitude = quiet_nan;  // used to zero the current silently: 0 spikes instead of 15-27
    CHECK_THROWS_WITH_AS((void)iaf::simulate(test_model(), s, iaf::euler{}, {.dt = dt, .t_end = 100}),
                         "iaf::step: amplitude = nan is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((iaf::neuron{test_model(), s, iaf::euler{}, iaf::grid{}, dt}),
                         "iaf::step: amplitude = nan is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((iaf::population{test_model(), 3, iaf::exact{}, iaf::grid{}, dt, 0.0, s}),
                         "iaf::step: amplitude = nan is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((iaf::population{std::vector<iaf::lif>{test_model(), test_model()}, iaf::exact{},
                                          iaf::grid{}, dt, 0.0, s}),
                         "iaf::step: amplitude = nan is invalid (must be finite)", iaf::invalid_parameter);

    // set_current checks too, and keeps the old current when it throws.
    iaf::neuron n{test_model(), iaf::step{.onset = 10, .amplitude = 1}, iaf::euler{}, iaf::grid{}, dt};
    CHECK_THROWS_WITH_AS(n.set_current(s), "iaf::step: amplitude = nan is invalid (must be finite)",
                         iaf::invalid_parameter);
    CHECK(n.current().amplitude == 1.0);

    // A mutated white_noise dt is rejected at the entry instead of hanging the first step.
    iaf::white_noise w{.mean = 1, .sigma = 0.1, .dt = dt};
    w.dt = 0.0;
    CHECK_THROWS_WITH_AS((void)iaf::simulate(test_model(), w, iaf::euler{}, {.dt = dt, .t_end = 1}),
                         "iaf::white_noise: dt = 0 is invalid (must be > 0)", iaf::invalid_parameter);
    w.dt = 1e-320;
    CHECK_THROWS_WITH_AS((iaf::neuron{test_model(), w, iaf::exact{}, iaf::grid{}, dt}),
                         "iaf::white_noise: dt = 1e-320 is invalid (must be a normal number "
                         "(>= 2.2250738585072014e-308))",
                         iaf::invalid_parameter);
}

TEST_CASE("pulse_train: a pulse mutated before the train is built is rejected with its index") {
    std::vector<iaf::pulse> pulses{{.onset = 1, .duration = 1, .amplitude = 1}, {.onset = 5, .duration = 1, .amplitude = 1}};
    pulses[1].onset = quiet_nan;  // used to make the edge loop grow without bound
    CHECK_THROWS_WITH_AS(iaf::pulse_train{pulses},
                         "iaf::pulse_train: pulses[1]: iaf::pulse: onset = nan is invalid (must be finite)",
                         iaf::invalid_parameter);
    pulses[1].onset = 5;
    pulses[0].duration = -1;
    CHECK_THROWS_WITH_AS(iaf::pulse_train{pulses},
                         "iaf::pulse_train: pulses[0]: iaf::pulse: duration = -1 is invalid (must be >= 0)",
                         iaf::invalid_parameter);
}
