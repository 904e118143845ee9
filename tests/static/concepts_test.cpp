// The concepts accept what they should and reject what they should; checked at compile time.
#include <Eigen/Core>
#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

namespace {

[[maybe_unused]] double free_current(double t) { return 2.0 * t; }
struct functor_current {
    double operator()(double) const { return 1.0; }
};
struct not_a_current {
    double operator()(int, int) const { return 0.0; }
};

// A nonlinear model (quadratic integrate-and-fire): a Model, but not a LinearModel.
struct qif {
    using state_type = double;
    double initial_state() const { return 0.0; }
    double derivative(double, double v, double i) const { return v * v + i; }
    double voltage(double v) const { return v; }
    double threshold() const { return 10.0; }
    double reset(double) const { return -10.0; }
};
// A model with a two-variable state.
struct two_variable {
    using state_type = Eigen::Vector2d;
    state_type initial_state() const { return state_type::Zero(); }
    state_type derivative(double, const state_type& x, double i) const { return {i - x[0] - x[1], -x[1]}; }
    double voltage(const state_type& x) const { return x[0]; }
    double threshold() const { return 1.0; }
    state_type reset(const state_type& x) const { return {0.0, x[1] + 1.0}; }
};
struct missing_reset {
    using state_type = double;
    double initial_state() const { return 0.0; }
    double derivative(double, double v, double) const { return -v; }
    double voltage(double v) const { return v; }
    double threshold() const { return 1.0; }
};
struct midpoint_rk2 {  // a user integrator: an ODE stepper the library does not know
    static constexpr int order = 2;
    template <typename F, typename S>
    S step(const F& f, double t, const S& x, double h) const {
        return S(x + h * f(t + 0.5 * h, S(x + 0.5 * h * f(t, x))));
    }
};
struct no_order_stepper {
    template <typename F, typename S>
    S step(const F& f, double t, const S& x, double h) const { return S(x + h * f(t, x)); }
};
struct timing_without_locate {
    static constexpr int order = 2;
    static constexpr bool on_grid = false;
};

using lambda_current = decltype([](double t) { return t; });

// Currents: any callable double(double).
static_assert(iaf::Current<lambda_current>);
static_assert(iaf::Current<decltype(&free_current)>);
static_assert(iaf::Current<functor_current>);
static_assert(!iaf::Current<not_a_current>);
static_assert(!iaf::Current<double>);
static_assert(!iaf::CurrentWithBreakpoints<lambda_current>);

// Models.
static_assert(iaf::Model<iaf::lif> && iaf::LinearModel<iaf::lif> && iaf::RefractoryModel<iaf::lif>);
static_assert(iaf::Model<qif> && !iaf::LinearModel<qif> && !iaf::RefractoryModel<qif>);
static_assert(iaf::Model<two_variable>);
static_assert(!iaf::Model<missing_reset>);
static_assert(!iaf::Model<double>);

// Integrators: ODE steppers work for scalar and vector states; exact only for linear models.
static_assert(iaf::OdeStepper<iaf::euler, double> && iaf::OdeStepper<iaf::euler, Eigen::Vector2d>);
static_assert(iaf::OdeStepper<iaf::heun, double> && iaf::OdeStepper<iaf::heun, Eigen::Vector2d>);
static_assert(iaf::OdeStepper<iaf::rk4, double> && iaf::OdeStepper<iaf::rk4, Eigen::Vector2d>);
static_assert(iaf::OdeStepper<midpoint_rk2, double>);
static_assert(!iaf::OdeStepper<no_order_stepper, double>);
static_assert(iaf::Integrator<iaf::rk4, iaf::lif, lambda_current>);
static_assert(iaf::Integrator<iaf::euler, two_variable, functor_current>);
static_assert(iaf::Integrator<midpoint_rk2, qif, double (*)(double)>);
static_assert(iaf::Integrator<iaf::exact, iaf::lif, lambda_current>);
static_assert(iaf::ModelStepper<iaf::exact, iaf::lif, lambda_current>);
static_assert(!iaf::Integrator<iaf::exact, qif, lambda_current>);
static_assert(!iaf::Integrator<iaf::exact, two_variable, lambda_current>);
static_assert(!iaf::OdeStepper<iaf::exact, double>);

// Spike timing.
static_assert(iaf::SpikeTiming<iaf::grid> && iaf::SpikeTiming<iaf::linear>);
static_assert(iaf::SpikeTiming<iaf::hermite> && iaf::SpikeTiming<iaf::analytic>);
static_assert(!iaf::SpikeTiming<timing_without_locate>);
static_assert(!iaf::SpikeTiming<int>);

// Composition is resolved at compile time; CTAD picks the types.
static_assert(std::is_same_v<decltype(iaf::neuron{iaf::lif{}, functor_current{}, iaf::rk4{}, iaf::hermite{}, 0.1}),
                             iaf::neuron<iaf::lif, functor_current, iaf::rk4, iaf::hermite>>);

}  // namespace

TEST_CASE("concepts: the static checks above compiled") {
    // Everything in this file is decided by the compiler; reaching here means it agreed.
    CHECK(iaf::Model<iaf::lif>);
}
