#pragma once
/// \file
/// A linear method on an affine model, stepped as x -> M x + c. Not API.

#include <type_traits>

#include <Eigen/Core>

#include "../concepts.hpp"

namespace iaf::detail {

/// Wraps a linear one-step method (`LinearMethod`) for an affine model (`AffineModel`), with a
/// scalar or an Eigen fixed-size vector state.
///
/// On f(t, x) = A x + g(t) such a method's step over the grid step dt is x -> M x + c(t), where
/// M is the method's stability function at A dt (for RK4, I + Z + Z^2/2 + Z^3/6 + Z^4/24) and
/// c(t) is the step taken from x = 0. Both are what the method itself computes, so the result is
/// the same method to rounding; but x now enters through one multiply-add instead of through every
/// stage, so a step is no longer latency-bound on the stages (and with input constant in time c is
/// loop-invariant). Steps of any other length (sub-steps at breakpoints, re-steps that locate a
/// spike) use the method as it is.
template <typename I, typename M>
class affine_stepper {
public:
    using state_type = state_t<M>;
    static constexpr int order = I::order;

    affine_stepper(const I& integrator, const M& model, double dt)
        : integrator_(integrator), dt_(dt), growth_(growth_of(integrator, model, dt)) {}

    template <typename F>
    [[nodiscard]] state_type step(const F& f, double t, const state_type& x, double h) const {
        if (h != dt_) [[unlikely]] return integrator_.step(f, t, x, h);
        return grid_step(f, t, x);
    }

    /// The step over a whole grid step dt, for the model's state or, for a one-component model,
    /// SIMD lanes of it (a population's arrays): the same arithmetic on every lane.
    template <typename F, typename X = state_type>
    [[nodiscard]] X grid_step(const F& f, double t, const X& x) const {
        const double h = dt_;
        // x + ((M - I) x + c): the increment is small, so x's rounding stays random-walk like the
        // method's own instead of a systematic (M rounded) error growing with the step count.
        if constexpr (std::is_arithmetic_v<X>) {
            return x + (growth_ * x + integrator_.step(f, t, X(0), h));
        } else {
            return X(x + X(growth_ * x + integrator_.step(f, t, X::Zero().eval(), h)));
        }
    }

private:
    static constexpr int size = [] {
        if constexpr (std::is_arithmetic_v<state_type>) return 1;
        else return int(state_type::RowsAtCompileTime);
    }();
    template <typename S, bool = std::is_arithmetic_v<S>>
    struct growth_of_state {
        using type = S;
    };
    template <typename S>
    struct growth_of_state<S, false> {
        using type = Eigen::Matrix<typename S::Scalar, size, size>;
    };
    using growth_type = typename growth_of_state<state_type>::type;

    /// M - I, the method's step of dx/dt = A x from the identity, minus the identity. For scalar
    /// states it is computed in long double where the method accepts it: M - I is small (about
    /// A dt), and forming it from a rounded M would cost it most of its digits.
    static growth_type growth_of(const I& integrator, const M& model, double dt) {
        if constexpr (std::is_arithmetic_v<state_type>) {
            const double a = static_cast<double>(model.homogeneous_derivative(state_type(1)));
            if constexpr (OdeStepper<I, long double>) {
                const auto linear = [a](double, long double x) -> long double { return static_cast<long double>(a) * x; };
                return static_cast<state_type>(integrator.step(linear, 0.0, 1.0L, dt) - 1.0L);
            } else {
                const auto linear = [a](double, double x) { return a * x; };
                return static_cast<state_type>(integrator.step(linear, 0.0, 1.0, dt) - 1.0);
            }
        } else {
            // Eigen does not mix double step sizes with long double vectors: vectors use double.
            using wide_vector = Eigen::Matrix<double, size, 1>;
            using wide_matrix = Eigen::Matrix<double, size, size>;
            wide_matrix a;
            for (int j = 0; j < size; ++j)
                a.col(j) = model.homogeneous_derivative(state_type::Unit(j)).template cast<double>();
            const auto linear = [&a](double, const wide_vector& x) -> wide_vector { return a * x; };
            growth_type g;
            for (int j = 0; j < size; ++j) {
                const wide_vector unit = wide_vector::Unit(j);
                g.col(j) = wide_vector(integrator.step(linear, 0.0, unit, dt) - unit).template cast<typename growth_type::Scalar>();
            }
            return g;
        }
    }

    I integrator_;
    double dt_;
    growth_type growth_;
};

}  // namespace iaf::detail
