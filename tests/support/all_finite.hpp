#pragma once
// Shared by the tests: whether every component of a neuron's state is finite.
#include <cmath>
#include <type_traits>

namespace iaf_test {

/// Whether the state (a scalar, or a fixed-size Eigen vector) holds only finite values.
template <typename State>
bool all_finite(const State& x) {
    if constexpr (std::is_arithmetic_v<State>) return std::isfinite(static_cast<double>(x));
    else return x.allFinite();
}

}  // namespace iaf_test
