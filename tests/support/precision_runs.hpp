#pragma once
// Shared by the model tests: one model's spike times in double and in float, as a neuron and as a
// population, so that a test compares them.
#include <cstddef>
#include <vector>

#include <iaf/iaf.hpp>

namespace iaf_test {

/// Spike times [ms] of `Model<double>`, of `Model<float>` and of each neuron of a population of
/// `Model<float>`.
struct precision_runs {
    std::vector<double> in_double;                   ///< one double neuron
    std::vector<double> in_float;                    ///< one float neuron
    std::vector<std::vector<double>> in_population;  ///< each neuron of the float population
};

/// Runs `Model<double>` and `Model<float>` (built from `p`) under the constant current `i0` [nA]
/// with rk4 + hermite at step dt for `steps` steps, the float one also as a population of n.
/// A population of a model with a vector state takes its inputs in double (its scalar path).
template <template <typename> class Model, typename Parameters>
precision_runs run_in_both_precisions(const Parameters& p, double i0, double dt, int steps, std::size_t n) {
    iaf::neuron in_double{Model<double>{p}, iaf::constant{i0}, iaf::rk4{}, iaf::hermite{}, dt};
    iaf::neuron in_float{Model<float>{p}, iaf::constant{i0}, iaf::rk4{}, iaf::hermite{}, dt};
    iaf::population crowd{Model<float>{p}, n, iaf::rk4{}, iaf::hermite{}, dt};
    const std::vector<double> input(n, i0);
    precision_runs runs;
    runs.in_population.resize(n);
    for (int k = 0; k < steps; ++k) {
        in_double.step([&](iaf::grid_time t) { runs.in_double.push_back(t.time(0.0, dt)); });
        in_float.step([&](iaf::grid_time t) { runs.in_float.push_back(t.time(0.0, dt)); });
        crowd.step(input, [&](std::size_t i, iaf::grid_time t) {
            runs.in_population[i].push_back(t.time(0.0, dt));
        });
    }
    return runs;
}

}  // namespace iaf_test
