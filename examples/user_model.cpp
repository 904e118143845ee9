// Writing your own model: a LIF with a spike-triggered adaptation current w, outside the library.
// The README's "Write your own model" section is the struct below; main() runs it with several
// integrators and spike-timing policies, and delivers synaptic events through its input port.
#include <array>
#include <cstdio>
#include <vector>

#include <Eigen/Core>
#include <iaf/iaf.hpp>

struct adaptive_lif {
    using state_type = Eigen::Vector2d;  // V [mV], w [nA]
    enum class port { v };               // a delta synapse: V jumps by the weight [mV]
    static constexpr std::array<bool, 2> refractory_clamped{true, false};  // t_ref holds V; w decays
    double tau_m = 10, c_m = 0.25, e_l = -70, v_th = -50, v_reset = -70, tau_w = 100, b = 0.05, t_ref = 2;

    // The equations once, over any value type T (double, float, SIMD lanes).
    template <typename T>
    static std::array<T, 2> rates(const adaptive_lif& p, const T& v, const T& w, const T& i) {
        return {T((p.e_l - v) / p.tau_m + (i - w) / p.c_m), T(-w / p.tau_w)};
    }
    state_type initial_state() const { return {e_l, 0.0}; }
    state_type derivative(double /*t*/, const state_type& x, double i) const {
        const auto [dv, dw] = rates(*this, x[0], x[1], i);
        return {dv, dw};
    }
    double voltage(const state_type& x) const { return x[0]; }
    double threshold() const { return v_th; }
    state_type reset(const state_type& x) const { return {v_reset, x[1] + b}; }
    double refractory_period() const { return t_ref; }
    state_type receive(state_type x, port /*where*/, double weight) const { return x[0] += weight, x; }
};

static_assert(iaf::Model<adaptive_lif> && iaf::ClampingRefractoryModel<adaptive_lif> && iaf::ModelWithInputs<adaptive_lif>);
static_assert(iaf::can_combine_v<adaptive_lif, iaf::constant, iaf::rk4, iaf::hermite>);
static_assert(!iaf::can_combine_v<adaptive_lif, iaf::constant, iaf::rk4, iaf::analytic>);  // analytic needs exact or dopri5

template <typename Integrator, typename Timing>
void run(const char* name, Integrator integrator, Timing timing) {
    const auto r = iaf::simulate(adaptive_lif{}, iaf::constant{1.0}, integrator, timing, {.dt = 0.1, .t_end = 300.0});
    std::printf("%-18s %zu spikes, first %.9f ms, last %.9f ms\n", name, r.spike_times.size(), r.spike_times.front(),
                r.spike_times.back());
}

int main() {
    run("euler + grid", iaf::euler{}, iaf::grid{});
    run("heun + linear", iaf::heun{}, iaf::linear{});
    run("rk4 + hermite", iaf::rk4{}, iaf::hermite{});
    run("dopri5 + analytic", iaf::dopri5{.rtol = 1e-10, .atol = 1e-12}, iaf::analytic{});

    // A host delivers synaptic events inside a step: the step splits at each arrival.
    iaf::neuron n{adaptive_lif{}, iaf::constant{0.0}, iaf::rk4{}, iaf::hermite{}, 0.1};
    const std::array<iaf::input_event<adaptive_lif::port>, 2> events{{{0.025, adaptive_lif::port::v, 12.0},
                                                                      {0.075, adaptive_lif::port::v, 12.0}}};
    n.step(events, [](iaf::grid_time spike) {
        std::printf("event-driven spike in step %lld at offset %.3f ms\n", static_cast<long long>(spike.step), spike.offset);
    });
}
