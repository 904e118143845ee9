#pragma once
// The message of the iaf::simulation_error a callable throws; the test fails if it throws none.

#include <string>

#include <doctest/doctest.h>
#include <iaf/errors.hpp>

namespace iaf_test {

template <typename F>
std::string error_of(F&& run) {
    try {
        run();
    } catch (const iaf::simulation_error& e) {
        return e.what();
    }
    FAIL("no simulation_error");
    return {};
}

}  // namespace iaf_test
