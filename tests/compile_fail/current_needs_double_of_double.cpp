// A current must be callable as double(double t); one that takes a state too is rejected.
#include <iaf/iaf.hpp>

int main() {
#ifdef IAF_COMPILE_FAIL
    const auto current = [](double t, double v) { return t - v; };
#else
    const auto current = [](double t) { return t; };
#endif
    iaf::neuron n{iaf::lif{}, current, iaf::euler{}, iaf::grid{}, 0.1};
    return n.step();
}
