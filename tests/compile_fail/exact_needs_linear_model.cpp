// iaf::exact on a nonlinear model must not compile, and must say why: the library's AdEx (its
// exponential term has no propagator) and a user's quadratic model alike.
#include <iaf/iaf.hpp>

struct quadratic_if {  // dV/dt = V^2 + I: no exact propagator
    using state_type = double;
    double initial_state() const { return 0.0; }
    double derivative(double, double v, double i) const { return v * v + i; }
    double voltage(double v) const { return v; }
    double threshold() const { return 10.0; }
    double reset(double) const { return -10.0; }
};

static_assert(!iaf::can_combine_v<iaf::adex, iaf::constant, iaf::exact, iaf::grid>);
static_assert(!iaf::can_combine_v<quadratic_if, iaf::constant, iaf::exact, iaf::grid>);

int main() {
    const auto current = [](double) { return 1.0; };
#ifdef IAF_COMPILE_FAIL
    iaf::neuron n{iaf::adex{}, current, iaf::exact{}, iaf::grid{}, 0.1};
#else
    iaf::neuron n{iaf::adex{}, current, iaf::rk4{}, iaf::grid{}, 0.1};
    iaf::neuron q{quadratic_if{}, current, iaf::rk4{}, iaf::grid{}, 0.1};
    (void)q.step();
#endif
    return n.step();
}
