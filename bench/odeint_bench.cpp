// Question: how does a step of iaf compare with Boost.Odeint stepping the same neuron by hand?
//
// The Odeint loops keep the state in std::array<double, 1>, call stepper.do_step(system, x, t, dt)
// once per grid step and check threshold and reset between steps, as a user of Odeint would write
// a LIF, with the parameters read at run time as the neuron reads them. The iaf rows step the
// same neuron (bench_neuron.hpp) with the same current. Goals: iaf rk4 + grid at least 2x faster
// per step than Odeint runge_kutta4, rk4 + hermite no slower (see README.md for where they stand).
// Without Boost (IAF_HAVE_BOOST_ODEINT undefined) only the iaf rows run.
#include <array>

#include <iaf/integrators/euler.hpp>
#include <iaf/integrators/rk4.hpp>
#include <iaf/spike_timing/grid.hpp>
#include <iaf/spike_timing/hermite.hpp>

#include "bench_neuron.hpp"

#ifdef IAF_HAVE_BOOST_ODEINT
#include <boost/numeric/odeint/stepper/euler.hpp>
#include <boost/numeric/odeint/stepper/runge_kutta4.hpp>
#endif

namespace {

template <typename Integrator, typename Timing, typename Current>
void iaf_neuron(benchmark::State& state, Integrator integrator, Timing timing, Current current) {
    bench::run_neuron(state, current, integrator, timing);
}

BENCHMARK_CAPTURE(iaf_neuron, rk4_grid_constant, iaf::rk4{}, iaf::grid{}, bench::constant_input{});
BENCHMARK_CAPTURE(iaf_neuron, rk4_hermite_constant, iaf::rk4{}, iaf::hermite{}, bench::constant_input{});
BENCHMARK_CAPTURE(iaf_neuron, euler_grid_constant, iaf::euler{}, iaf::grid{}, bench::constant_input{});
BENCHMARK_CAPTURE(iaf_neuron, rk4_grid_sine, iaf::rk4{}, iaf::grid{}, bench::sine_input{});
BENCHMARK_CAPTURE(iaf_neuron, rk4_hermite_sine, iaf::rk4{}, iaf::hermite{}, bench::sine_input{});
BENCHMARK_CAPTURE(iaf_neuron, euler_grid_sine, iaf::euler{}, iaf::grid{}, bench::sine_input{});

#ifdef IAF_HAVE_BOOST_ODEINT
using odeint_state = std::array<double, 1>;

template <typename Stepper, typename Current>
void odeint_neuron(benchmark::State& state, Stepper stepper, Current current) {
    const bench::runtime_parameters p;
    const auto system = [current, p](const odeint_state& x, odeint_state& dxdt, double t) {
        dxdt[0] = (current(t) - (x[0] - p.e_l) * p.inv_r_m) * p.inv_c_m;
    };
    odeint_state x{p.e_l};
    std::int64_t k = 0, spikes = 0;
    for (auto _ : state) {
        // Time as step count times dt, as iaf keeps it, so both see the same stage times.
        stepper.do_step(system, x, static_cast<double>(k) * p.dt, p.dt);
        int s = 0;
        if (x[0] >= p.v_th) {
            x[0] = p.v_reset;
            s = 1;
        }
        spikes += s;
        benchmark::DoNotOptimize(std::as_const(spikes));
        ++k;
    }
    bench::report(state, spikes, x[0]);
}

namespace odeint = boost::numeric::odeint;
BENCHMARK_CAPTURE(odeint_neuron, runge_kutta4_constant, odeint::runge_kutta4<odeint_state>{}, bench::constant_input{});
BENCHMARK_CAPTURE(odeint_neuron, euler_constant, odeint::euler<odeint_state>{}, bench::constant_input{});
BENCHMARK_CAPTURE(odeint_neuron, runge_kutta4_sine, odeint::runge_kutta4<odeint_state>{}, bench::sine_input{});
BENCHMARK_CAPTURE(odeint_neuron, euler_sine, odeint::euler<odeint_state>{}, bench::sine_input{});
#endif

}  // namespace

BENCHMARK_MAIN();
