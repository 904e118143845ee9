#pragma once
// Shared by the convergence tests: the observed order of a method from its errors.
#include <cmath>
#include <cstddef>
#include <vector>

namespace iaf_test {

/// Least-squares slope of log(error) against log(dt): the observed order of convergence.
inline double fitted_order(const std::vector<double>& dts, const std::vector<double>& errs) {
    double sx = 0, sy = 0, sxx = 0, sxy = 0;
    const double n = static_cast<double>(dts.size());
    for (std::size_t k = 0; k < dts.size(); ++k) {
        const double x = std::log(dts[k]), y = std::log(errs[k]);
        sx += x;
        sy += y;
        sxx += x * x;
        sxy += x * y;
    }
    return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

}  // namespace iaf_test
