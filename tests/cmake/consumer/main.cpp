// A user's program: the notebook's neuron through the installed or embedded iaf.
#include <cstdio>
#include <iaf/iaf.hpp>

int main() {
    const iaf::lif neuron{{.r_m = 6.4, .c_m = 0.9, .v_th = 5.0, .v_reset = 0.4, .v_init = 0.4}};
    const auto result = iaf::simulate(neuron, [](double) { return 0.8; }, iaf::euler{}, {.dt = 0.01, .t_end = 100.0});
    std::printf("consumer: %zu spikes, first at %.2f ms\n", result.spike_times.size(), result.spike_times.at(0));
}
