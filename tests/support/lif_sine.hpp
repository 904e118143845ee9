#pragma once
// Shared by the dopri5 tests: the closed-form voltage of a subthreshold LIF under a sine current.
#include <cmath>

namespace iaf_test {

/// tau dV/dt = -V + R (i0 + i1 sin(w t)), E_L = 0 and V(0) = 0: V at time t [ms], in mV.
inline double lif_sine_voltage(double t, double tau, double r_m, double i0, double i1, double w) {
    const double wt = w * tau;
    return r_m * i0 * (1.0 - std::exp(-t / tau)) +
           r_m * i1 * (std::sin(w * t) - wt * std::cos(w * t) + wt * std::exp(-t / tau)) / (1.0 + wt * wt);
}

}  // namespace iaf_test
