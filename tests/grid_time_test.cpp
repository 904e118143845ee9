// grid_time::after and after_whole_steps against the same sums done in long double.
#include <cmath>
#include <cstdint>

#include <doctest/doctest.h>

#include <iaf/grid_time.hpp>

TEST_CASE("grid_time::after keeps a duration to the ulp: 2 ms is 1.1e-16 ms short of twenty binary tenths") {
    const double dt = 0.1;
    const iaf::grid_time end = iaf::grid_time::after(0, dt, 2.0, dt);
    // 20 * 0.1 in binary is 2.000000000000000111 > 2.0: the period ends inside step 20.
    const long double short_by = 20.0L * static_cast<long double>(dt) - 2.0L;
    CHECK(short_by > 0.0L);
    CHECK(end.step == 20);
    // The offset is dt less the shortfall: exact in long double, one rounding in double.
    const long double offset = static_cast<long double>(dt) - short_by;
    CHECK(std::abs(static_cast<long double>(end.offset) - offset) <= 1e-17L);
    CHECK(end.offset < dt);
}

TEST_CASE("grid_time::after_whole_steps counts a duration of whole steps (within rounding) as those steps") {
    const double dt = 0.1;
    // From a spike at the end of step 0: 2 ms is 20 whole steps, so the period ends at the start
    // of step 21; 0.3 ms (2.9999999999999996 binary tenths) is 3; 1990 ms is 19900.
    CHECK(iaf::grid_time::after_whole_steps(0, dt, 2.0, dt) == iaf::grid_time{21, 0.0});
    CHECK(iaf::grid_time::after_whole_steps(0, dt, 0.3, dt) == iaf::grid_time{4, 0.0});
    CHECK(iaf::grid_time::after_whole_steps(5, dt, 1990.0, dt) == iaf::grid_time{5 + 19901, 0.0});
    // From an offset inside a step, the whole steps are added to it unchanged.
    CHECK(iaf::grid_time::after_whole_steps(3, 0.025, 2.0, dt) == iaf::grid_time{23, 0.025});
    // A duration of no whole number of steps is kept as `after` keeps it.
    for (const double duration : {2.05, 0.15, 1990.04, 1e-3})
        CHECK(iaf::grid_time::after_whole_steps(7, 0.05, duration, dt) == iaf::grid_time::after(7, 0.05, duration, dt));
    CHECK(iaf::grid_time::after_whole_steps(0, dt, 0.0, dt) == iaf::grid_time{1, 0.0});
}

TEST_CASE("grid_time::duration_on_grid: one split of the duration, then each time after it as long double has it") {
    // A population's spikes all start a refractory period of one length; the split into whole
    // steps is done once. Each end must still be the sum done in long double (the offset to a
    // few 1e-17 ms; random offsets keep away from step boundaries, where one rounding decides).
    const double dt = 0.1;
    for (const double duration : {2.0, 0.25, 2000.0, 1.0 / 3.0}) {
        const iaf::grid_time::duration_on_grid period{duration, dt};
        for (int i = 1; i < 1000; ++i) {
            const double offset = dt * (static_cast<double>(i) / 1000.0);
            const std::int64_t step = 7 * i;
            const iaf::grid_time end = period.after(step, offset);
            const long double total = static_cast<long double>(offset) + static_cast<long double>(duration);
            const long double whole = std::floor(total / static_cast<long double>(dt));
            const long double rest = total - whole * static_cast<long double>(dt);
            if (rest < 1e-12L || static_cast<long double>(dt) - rest < 1e-12L) continue;  // at a boundary
            CHECK(end.step == step + static_cast<std::int64_t>(whole));
            CHECK(std::abs(static_cast<long double>(end.offset) - rest) <= 1e-16L);
        }
    }
}
