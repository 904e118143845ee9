// A host simulator owns the clock: it steps one neuron itself and receives each spike's exact time.
// This is the README's second snippet.
#include <cstdio>

#include <iaf/iaf.hpp>

int main() {
    const iaf::lif model{{.tau_m = 10.0, .c_m = 0.25, .e_l = -65.0, .v_th = -50.0, .v_reset = -65.0, .t_ref = 2.0}};
    iaf::neuron n{model, iaf::constant{0.6}, iaf::exact{}, iaf::analytic{}, /*dt=*/0.1};
    for (int k = 0; k < 1000; ++k)
        n.step([](double t_spike) { std::printf("spike at %.15g ms\n", t_spike); });
    std::printf("t = %g ms, V = %.6f mV\n", n.time(), n.voltage());
}
