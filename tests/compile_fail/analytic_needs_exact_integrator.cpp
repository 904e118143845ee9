// iaf::analytic root-finds on the integrator's own solution, which is exact only for iaf::exact.
#include <iaf/iaf.hpp>

int main() {
    const auto current = [](double) { return 1.0; };
#ifdef IAF_COMPILE_FAIL
    iaf::neuron n{iaf::lif{}, current, iaf::rk4{}, iaf::analytic{}, 0.1};
#else
    iaf::neuron n{iaf::lif{}, current, iaf::exact{}, iaf::analytic{}, 0.1};
#endif
    return n.step();
}
