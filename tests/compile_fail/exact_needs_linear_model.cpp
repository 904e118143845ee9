// iaf::exact on a nonlinear model must not compile, and must say why.
#include <iaf/iaf.hpp>

struct quadratic_if {  // dV/dt = V^2 + I: no exact propagator
    using state_type = double;
    double initial_state() const { return 0.0; }
    double derivative(double, double v, double i) const { return v * v + i; }
    double voltage(double v) const { return v; }
    double threshold() const { return 10.0; }
    double reset(double) const { return -10.0; }
};

int main() {
    const auto current = [](double) { return 1.0; };
#ifdef IAF_COMPILE_FAIL
    iaf::neuron n{quadratic_if{}, current, iaf::exact{}, iaf::grid{}, 0.1};
#else
    iaf::neuron n{quadratic_if{}, current, iaf::rk4{}, iaf::grid{}, 0.1};
#endif
    return n.step();
}
