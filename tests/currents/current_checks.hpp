#pragma once
// Independent checks shared by the current tests: the leaky response computed by quadrature of
// its defining convolution, and the ODE it must solve checked by finite differences.

#include <algorithm>
#include <array>
#include <cmath>
#include <vector>

#include <iaf/concepts.hpp>

namespace iaf_test {

// u(t) = integral_{t0}^{t} e^{-(t - s)/tau} I(s) ds by 5-point Gauss-Legendre on panels of
// width <= tau/40 that never straddle one of `edges` (the current's jumps and kinks). With I
// smooth on each panel the quadrature error is ~(tau/40)^10 f^(10): far below 1e-12. `t0` must
// lie before the current switches on, or 60 tau before t for currents that are always on
// (e^{-60} ~ 1e-26 of the tail is then dropped).
template <typename C>
double leaky_by_quadrature(const C& current, double t, double tau, double t0, std::vector<double> edges = {}) {
    static constexpr std::array<double, 5> x{-0.9061798459386640, -0.5384693101056831, 0.0, 0.5384693101056831,
                                             0.9061798459386640};
    static constexpr std::array<double, 5> w{0.2369268850561891, 0.4786286704993665, 0.5688888888888889,
                                             0.4786286704993665, 0.2369268850561891};
    edges.push_back(t0);
    edges.push_back(t);
    std::sort(edges.begin(), edges.end());
    double sum = 0.0;
    for (std::size_t k = 0; k + 1 < edges.size(); ++k) {
        const double a = std::max(edges[k], t0), b = std::min(edges[k + 1], t);
        if (!(b > a)) continue;
        const int panels = static_cast<int>(std::ceil((b - a) / (tau / 40.0)));
        const double h = (b - a) / panels;
        for (int p = 0; p < panels; ++p) {
            const double mid = a + (p + 0.5) * h;
            for (std::size_t q = 0; q < 5; ++q) {
                const double s = mid + 0.5 * h * x[q];
                sum += 0.5 * h * w[q] * std::exp(-(t - s) / tau) * static_cast<double>(current(s));
            }
        }
    }
    return sum;
}

// du/dt + u/tau - I(t) by a fourth-order central difference (step h): ~0 where I is smooth.
template <typename C>
double leaky_residual(const C& current, double t, double tau, double h = 1e-3) {
    const auto u = [&](double s) { return static_cast<double>(current.leaky_response(s, tau)); };
    const double du = (-u(t + 2 * h) + 8 * u(t + h) - 8 * u(t - h) + u(t - 2 * h)) / (12 * h);
    return du + u(t) / tau - static_cast<double>(current(t));
}

}  // namespace iaf_test
