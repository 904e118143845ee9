#pragma once
// Shared by the model tests: inter-spike intervals and the distance between two spike trains.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <vector>

namespace iaf_test {

/// Inter-spike intervals [ms] of an increasing spike train.
inline std::vector<double> intervals(const std::vector<double>& spikes) {
    std::vector<double> isi;
    for (std::size_t k = 1; k < spikes.size(); ++k) isi.push_back(spikes[k] - spikes[k - 1]);
    return isi;
}

/// Largest |t_k - reference_k| over the first n spikes of both trains (each must hold n).
inline double spike_time_error(const std::vector<double>& spikes, const std::vector<double>& reference,
                               std::size_t n) {
    double error = 0.0;
    for (std::size_t k = 0; k < n; ++k) error = std::max(error, std::abs(spikes[k] - reference[k]));
    return error;
}

}  // namespace iaf_test
