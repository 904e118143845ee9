#pragma once
/// \file
/// A linear method on an affine model, stepped as x -> M x + c. Not API.

#include <type_traits>

#include "../concepts.hpp"

namespace iaf::detail {

/// Wraps a linear one-step method (`LinearMethod`) for a scalar affine model (`AffineModel`).
///
/// On f(t, x) = a x + g(t) such a method's step over the grid step dt is x -> m x + c(t), where
/// m is the method's stability function at a dt (for RK4, 1 + z + z^2/2 + z^3/6 + z^4/24) and
/// c(t) is the step taken from x = 0. Both are what the method itself computes, so the result is
/// the same method to rounding; but x now enters through one multiply-add instead of through every
/// stage, so a step is no longer latency-bound on the stages (and with input constant in time c is
/// loop-invariant). Steps of any other length (sub-steps at breakpoints, re-steps that locate a
/// spike) use the method as it is.
template <typename I, typename M>
class affine_stepper {
public:
    static constexpr int order = I::order;

    affine_stepper(const I& integrator, const M& model, double dt)
        : integrator_(integrator), dt_(dt), growth_(growth_of(integrator, model, dt)) {}

    template <typename F>
    [[nodiscard]] double step(const F& f, double t, double x, double h) const {
        if (h != dt_) [[unlikely]] return integrator_.step(f, t, x, h);
        // x + ((m - 1) x + c): the increment is small, so x's rounding stays random-walk like the
        // method's own instead of a systematic (m rounded) error growing with the step count.
        return x + (growth_ * x + integrator_.step(f, t, 0.0, h));
    }

private:
    /// m - 1, where m is the method's step of dx/dt = a x from x = 1. Computed in long double
    /// where the method accepts it: m - 1 is small (about a dt), and forming it from a rounded m
    /// would cost it most of its digits.
    static double growth_of(const I& integrator, const M& model, double dt) {
        const double a = static_cast<double>(model.homogeneous_derivative(1.0));
        if constexpr (OdeStepper<I, long double>) {
            const auto linear = [a](double, long double x) -> long double { return a * x; };
            return static_cast<double>(integrator.step(linear, 0.0, 1.0L, dt) - 1.0L);
        } else {
            const auto linear = [a](double, double x) { return a * x; };
            return integrator.step(linear, 0.0, 1.0, dt) - 1.0;
        }
    }

    I integrator_;
    double dt_;
    double growth_;
};

}  // namespace iaf::detail
