// detail::step_count: how many grid steps a run from t_start to t_end takes. A whole number of
// steps, up to the round-off of (t_end - t_start) / dt, is taken exactly; otherwise the last step
// ends after t_end (the run covers t_end), never before it.

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

namespace {

std::int64_t steps(double t_start, double t_end, double dt) {
    return iaf::detail::step_count("test", t_start, t_end, dt);
}

std::string message_of(double t_start, double t_end, double dt) {
    try {
        (void)steps(t_start, t_end, dt);
    } catch (const iaf::invalid_parameter& e) {
        return e.what();
    }
    return "no error";
}

}  // namespace

TEST_CASE("time grid: a whole number of steps is taken exactly, despite the quotient's round-off") {
    // 0.3 / 0.1 is 2.9999999999999996 in double: still 3 steps, not 4 (nor 2 by truncation).
    CHECK(0.3 / 0.1 < 3.0);
    CHECK(steps(0.0, 0.3, 0.1) == 3);
    CHECK(steps(0.0, 1.0, 0.1) == 10);
    CHECK(steps(0.0, 100.0, 0.1) == 1000);
    CHECK(steps(0.0, 0.7, 0.1) == 7);  // 0.7 / 0.1 = 6.999999999999999 too
    CHECK(steps(1e6, 1e6 + 1.0, 0.25) == 4);
    CHECK(steps(5.0, 5.0, 0.1) == 0);
}

TEST_CASE("time grid: a run whose length is not a whole number of steps covers t_end with one more step") {
    CHECK(steps(0.0, 1.0, 0.3) == 4);   // 3.33 steps: the fourth ends at 1.2
    CHECK(steps(0.0, 1.05, 0.1) == 11); // 10.5 steps
    CHECK(steps(2.5, 3.0, 0.2) == 3);   // 2.5 steps from a nonzero t_start
    CHECK(steps(0.0, 0.01, 1.0) == 1);  // less than one step is one step
}

TEST_CASE("time grid: bad runs are refused with the parameter, its value and the rule") {
    CHECK(message_of(0.0, 1.0, 0.0).find("dt") != std::string::npos);
    CHECK(message_of(0.0, 1.0, -0.1).find("must be > 0") != std::string::npos);
    CHECK(message_of(2.0, 1.0, 0.1).find("must be >= t_start") != std::string::npos);
    CHECK(message_of(std::nan(""), 1.0, 0.1).find("t_start") != std::string::npos);
    CHECK(message_of(0.0, std::numeric_limits<double>::infinity(), 0.1).find("must be finite") != std::string::npos);
    CHECK(message_of(0.0, 1e19, 1.0).find("at most 2^53 steps") != std::string::npos);
    CHECK(steps(0.0, 0x1p53, 1.0) == std::int64_t{1} << 53);  // the largest run allowed
}
