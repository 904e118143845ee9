#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <limits>
#include <new>
#include <numbers>
#include <type_traits>
#include <vector>

#include <Eigen/Core>
#include <doctest/doctest.h>
#include <iaf/currents.hpp>
#include <iaf/errors.hpp>

#include "current_checks.hpp"

#include "../support/tolerance.hpp"

// Counts global allocations, to show that building and evaluating expressions never allocates.
namespace {
std::size_t allocations = 0;
}
void* operator new(std::size_t n) {
    ++allocations;
    if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
    throw std::bad_alloc{};
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace {

// Does `a op b` compile? Used to check that the operators leave unrelated types alone.
template <typename A, typename B>
concept addable = requires(A a, B b) { a + b; };
template <typename A, typename B>
concept multipliable = requires(A a, B b) { a * b; };

struct not_a_current {
    double x = 0;
};

}  // namespace

TEST_CASE("expression: three currents and a user lambda compose into a trivially copyable value that never allocates") {
    const std::size_t before = allocations;
    const double gain = 0.25;
    const auto lambda = [gain](double t) { return gain * std::cos(t); };
    const auto total = iaf::constant{0.5} + 2.0 * iaf::sine{.amplitude = 1, .frequency = 0.1} +
                       iaf::shifted(iaf::pulse{.onset = 10, .duration = 5, .amplitude = 1}, 3.0) + lambda;
    static_assert(std::is_trivially_copyable_v<std::remove_cvref_t<decltype(total)>>);
    static_assert(iaf::Current<std::remove_cvref_t<decltype(total)>>);
    double sum = 0.0;
    for (int k = 0; k < 1000; ++k) sum += total(0.1 * k);
    const auto copy = total;
    CHECK(allocations == before);
    for (double t : {0.0, 12.9, 13.0, 17.9, 18.0, 33.3}) {
        const double expected = 0.5 + 2.0 * std::sin(2 * std::numbers::pi * 0.1 * t) + ((t >= 13.0 && t < 18.0) ? 1.0 : 0.0) +
                                0.25 * std::cos(t);
        CHECK_REL(copy(t), expected, 1e-15);  // measured: equal
    }
    CHECK(std::isfinite(sum));
}

TEST_CASE("expression: a + b, a - b, k * a, a * k, a / k, -a, numbers and lambdas on either side") {
    const iaf::step s{.onset = 1, .amplitude = 2};
    const auto lam = [](double t) { return t; };
    CHECK((s + lam)(3.0) == 5.0);
    CHECK((lam + s)(3.0) == 5.0);
    CHECK((s - lam)(3.0) == -1.0);
    CHECK((lam - s)(3.0) == 1.0);
    CHECK((s + 1)(0.0) == 1.0);
    CHECK((1.5 - s)(2.0) == -0.5);
    CHECK((3 * s)(2.0) == 6.0);
    CHECK((s * 0.5)(2.0) == 1.0);
    CHECK((s / 4)(2.0) == 0.5);
    CHECK((-s)(2.0) == -2.0);
}

TEST_CASE("expression: operators are enabled only when an operand is an iaf current") {
    const auto lam = [](double t) { return t; };
    static_assert(addable<iaf::constant, decltype(lam)>);
    static_assert(addable<double, iaf::sine>);
    static_assert(!addable<decltype(lam), decltype(lam)>);
    static_assert(!addable<iaf::constant, not_a_current>);
    static_assert(!multipliable<iaf::constant, iaf::constant>);  // no product of two currents
    // Eigen's own operators are untouched.
    const Eigen::Vector2d v{1.0, 2.0};
    const Eigen::Vector2d w = 2.0 * v + v;
    CHECK(w[1] == 6.0);
}

TEST_CASE("expression: sums report the union of breakpoints, shifts move them") {
    const auto c = iaf::pulse{.onset = 10, .duration = 5, .amplitude = 1} + iaf::step{.onset = 12, .amplitude = 1} +
                   iaf::sine{.amplitude = 1, .frequency = 0.1};
    std::vector<double> seen;
    for (double b = c.next_breakpoint(0.0); std::isfinite(b); b = c.next_breakpoint(b)) seen.push_back(b);
    CHECK(seen == std::vector<double>{10.0, 12.0, 15.0});
    const auto later = iaf::shifted(c, 0.1);
    seen.clear();
    for (double b = later.next_breakpoint(0.0); std::isfinite(b); b = later.next_breakpoint(b)) seen.push_back(b);
    REQUIRE(seen.size() == 3);
    CHECK_REL(seen[0], 10.1, 1e-15);  // measured: equal
    CHECK_REL(seen[2], 15.1, 1e-15);
    // A lambda has no breakpoints: a sum with only lambdas and sines has none either.
    static_assert(!iaf::CurrentWithBreakpoints<decltype(iaf::sine{} + [](double) { return 0.0; })>);
}

TEST_CASE("expression: a shifted breakpoint is always strictly after the query time") {
    // 0.1 + 0.2 != 0.3 in binary: (t - delay) + delay may round back to t.
    const auto s = iaf::shifted(iaf::pulse_train{{.onset = 0.2, .duration = 0.1, .amplitude = 1},
                                                 {.onset = 0.4, .duration = 0.1, .amplitude = 1}},
                                0.1);
    double t = -1.0;
    for (int k = 0; k < 4; ++k) {
        const double b = s.next_breakpoint(t);
        CHECK(b > t);
        t = b;
    }
    CHECK(s.next_breakpoint(t) == std::numeric_limits<double>::infinity());
}

TEST_CASE("expression: leaky responses combine linearly and only when every part has one") {
    const iaf::sine a{.amplitude = 1, .frequency = 0.05};
    const iaf::ramp r{.onset = 1, .slope = 0.2};
    const auto c = 0.5 + 3.0 * a - iaf::shifted(r, 2.0);
    const double tau = 10.0;
    for (double t : {0.0, 5.0, 40.0}) {
        const double q = iaf_test::leaky_by_quadrature(c, t, tau, t - 60 * tau, {3.0});
        CHECK_REL(c.leaky_response(t, tau), q, 5e-15);  // measured: at most 4.8e-16
    }
    static_assert(!iaf::CurrentWithLeakyResponse<decltype(a + [](double) { return 0.0; })>);
}

TEST_CASE("expression: scale factors and delays must be finite, divisors non-zero") {
    const iaf::constant c{1.0};
    CHECK_THROWS_WITH_AS((void)(c / 0), "iaf::operator/: divisor = 0 is invalid (must be != 0)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS((void)(std::numeric_limits<double>::infinity() * c),
                         "iaf::scaled_current: factor = inf is invalid (must be finite)", iaf::invalid_parameter);
    CHECK_THROWS_WITH_AS(iaf::shifted(c, std::numeric_limits<double>::quiet_NaN()),
                         "iaf::shifted: delay = nan is invalid (must be finite)", iaf::invalid_parameter);
}

namespace {

// A user current whose breakpoint contract is broken: it reports its argument, not a later time.
struct stuck_breakpoints {
    [[nodiscard]] double operator()(double /*t*/) const { return 1.0; }
    [[nodiscard]] double next_breakpoint(double t) const { return t; }
};

}  // namespace

TEST_CASE("expression: a shifted breakpoint search ends for any delay and any base") {
    const double inf = std::numeric_limits<double>::infinity();
    // A base that never moves on: +infinity (no split) instead of a hang.
    CHECK(iaf::shifted(stuck_breakpoints{}, 0.1).next_breakpoint(1.0) == inf);
    // A delay so large that every bin edge of the base rounds back to t: ulp(1e20) = 16384 ms is
    // 163840 bins of 0.1 ms, more than the search tries; the answer is +infinity or after t.
    const auto far = iaf::shifted(iaf::white_noise{.mean = 0, .sigma = 1, .dt = 0.1}, 1e20);
    const double b = far.next_breakpoint(1e20);
    CHECK((b > 1e20 || b == inf));
    // A sane delay still finds the base's next edge: 0.1 * 4 + 1 = 1.4.
    const auto near = iaf::shifted(iaf::white_noise{.mean = 0, .sigma = 1, .dt = 0.1}, 1.0);
    CHECK(near.next_breakpoint(1.35) == 0.4 + 1.0);
}
