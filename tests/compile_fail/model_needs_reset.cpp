// A model without reset() is not an iaf::Model, and the error says so.
#include <iaf/iaf.hpp>

struct no_reset {
    using state_type = double;
    double initial_state() const { return 0.0; }
    double derivative(double, double v, double i) const { return -v + i; }
    double voltage(double v) const { return v; }
    double threshold() const { return 1.0; }
#ifndef IAF_COMPILE_FAIL
    double reset(double) const { return 0.0; }
#endif
};

int main() {
    iaf::neuron n{no_reset{}, [](double) { return 2.0; }, iaf::euler{}, iaf::grid{}, 0.1};
    return n.step();
}
