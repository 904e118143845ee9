// Writing your own model: a LIF with a spike-triggered adaptation current w, outside the library.
// The README's "Write your own model" section is the struct below; main() runs it with several
// integrators and spike-timing policies, and delivers synaptic events through its input port.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <utility>
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

// Spike times of the model under a step current of 1 nA for 300 ms.
template <typename Integrator, typename Timing>
std::vector<double> spike_times(Integrator integrator, Timing timing, double dt) {
    return iaf::simulate(adaptive_lif{}, iaf::constant{1.0}, integrator, timing, {.dt = dt, .t_end = 300.0}).spike_times;
}

// The largest distance between two spike trains, or +infinity when their counts differ.
double distance(const std::vector<double>& a, const std::vector<double>& b) {
    if (a.size() != b.size()) return std::numeric_limits<double>::infinity();
    double d = 0.0;
    for (std::size_t k = 0; k < a.size(); ++k) d = std::max(d, std::abs(a[k] - b[k]));
    return d;
}

// Runs one integrator with each policy it can take at dt = 0.1 ms, then halves dt from 0.2 ms
// three times with its best policy and checks that the spike times converge to the reference at (nearly)
// the integrator's order. Returns false if they do not.
template <typename Integrator>
bool check(const char* name, Integrator integrator, const std::vector<double>& reference) {
    for (const auto& [policy, times] : {std::pair{"grid", spike_times(integrator, iaf::grid{}, 0.1)},
                                        std::pair{"linear", spike_times(integrator, iaf::linear{}, 0.1)},
                                        std::pair{"hermite", spike_times(integrator, iaf::hermite{}, 0.1)}})
        std::printf("%-7s + %-8s %zu spikes, first %.9f ms, last %.9f ms\n", name, policy, times.size(),
                    times.front(), times.back());
    // Cubic Hermite interpolation is accurate to O(dt^4), so it limits none of these orders.
    const int order = std::min(Integrator::order, 4);
    double previous = 0.0;
    bool ok = true;
    std::printf("%-7s + hermite: max spike-time error vs the reference", name);
    for (const double dt : {0.2, 0.1, 0.05, 0.025}) {
        const double error = distance(spike_times(integrator, iaf::hermite{}, dt), reference);
        std::printf(" %.2e", error);
        if (dt < 0.2) {
            const double observed = std::log2(previous / error);
            std::printf(" (order %.2f)", observed);
            ok = ok && std::isfinite(error) && observed > order - 0.5;
        }
        previous = error;
    }
    std::printf(" -> %s\n", ok ? "converges" : "DOES NOT CONVERGE");
    return ok;
}

int main() {
    // The reference: Dormand-Prince at tight tolerances, crossings located on its dense output.
    const std::vector<double> reference = spike_times(iaf::dopri5{.rtol = 1e-12, .atol = 1e-12}, iaf::analytic{}, 0.1);
    std::printf("dopri5 + analytic %zu spikes, first %.9f ms, last %.9f ms\n", reference.size(), reference.front(),
                reference.back());
    const iaf::dopri5 dopri5{.rtol = 1e-8, .atol = 1e-10};
    for (const auto& [policy, times] : {std::pair{"grid", spike_times(dopri5, iaf::grid{}, 0.1)},
                                        std::pair{"linear", spike_times(dopri5, iaf::linear{}, 0.1)},
                                        std::pair{"hermite", spike_times(dopri5, iaf::hermite{}, 0.1)},
                                        std::pair{"analytic", spike_times(dopri5, iaf::analytic{}, 0.1)}})
        std::printf("dopri5  + %-8s %zu spikes, first %.9f ms, last %.9f ms\n", policy, times.size(), times.front(),
                    times.back());
    bool ok = check("euler", iaf::euler{}, reference);
    ok = check("heun", iaf::heun{}, reference) && ok;
    ok = check("rk4", iaf::rk4{}, reference) && ok;

    // A host delivers synaptic events inside a step: the step splits at each arrival.
    iaf::neuron n{adaptive_lif{}, iaf::constant{0.0}, iaf::rk4{}, iaf::hermite{}, 0.1};
    const std::array<iaf::input_event<adaptive_lif::port>, 2> events{{{0.025, adaptive_lif::port::v, 12.0},
                                                                      {0.075, adaptive_lif::port::v, 12.0}}};
    int event_spikes = 0;
    n.step(events, [&](iaf::grid_time spike) {
        std::printf("event-driven spike in step %lld at offset %.3f ms\n", static_cast<long long>(spike.step), spike.offset);
        // From rest, 12 mV does not reach V_th = -50 mV and 24 mV does: the second event fires.
        event_spikes += spike.step == 0 && std::abs(spike.offset - 0.075) < 1e-12 ? 1 : 100;
    });
    return ok && event_spikes == 1 ? 0 : 1;
}
