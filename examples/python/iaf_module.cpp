// The Python module `iaf`: the library's models, currents, `simulate` and `population`, in
// Python's style (keyword arguments, NumPy arrays, ValueError for bad input). Not part of the
// library; built with -DIAF_BUILD_PYTHON=ON (preset `python`).
//
//     import iaf
//     r = iaf.simulate(iaf.lif(r_m=6.4, c_m=0.9, v_th=5.0, v_reset=0.4, v_init=0.4), iaf.constant(1.0),
//                      integrator="exact", timing="analytic", dt=0.01, t_end=100.0)
//     r.t, r.v, r.spike_times     # NumPy arrays [ms], [mV], [ms]
//
// Library currents and their sums, multiples and shifts run entirely in C++. A Python callable
// (t [ms] -> I [nA]) is accepted wherever a current is, and is called at every stage of every
// step: correct, but about a microsecond per call instead of nanoseconds.
#include <charconv>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <iaf/iaf.hpp>

#include "current_tree.hpp"
#include "dispatch.hpp"
#include "population_binding.hpp"
#include "simulate_models.hpp"

namespace py = pybind11;
using namespace py::literals;

namespace iaf_python {
namespace {

/// A std::vector handed to NumPy without a copy: the array owns it.
template <typename T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
    auto* owned = new std::vector<T>(std::move(v));
    py::capsule owner(owned, [](void* p) { delete static_cast<std::vector<T>*>(p); });
    return py::array_t<T>(static_cast<py::ssize_t>(owned->size()), owned->data(), owner);
}

/// Text for __repr__: numbers as Python prints them (the shortest form that reads back the same).
template <typename... Parts>
std::string text(const Parts&... parts) {
    std::string out;
    const auto append = [&out](const auto& part) {
        if constexpr (std::is_floating_point_v<std::decay_t<decltype(part)>>) {
            char buffer[32];
            out.append(buffer, std::to_chars(buffer, buffer + sizeof buffer, part).ptr);
        } else if constexpr (std::is_integral_v<std::decay_t<decltype(part)>>) {
            out += std::to_string(part);
        } else {
            out += part;
        }
    };
    (append(parts), ...);
    return out;
}

/// What Python sees as `iaf.current`: the root of a current tree (see current_tree.hpp).
struct current_handle {
    node_ptr root;
};

node_ptr make_node(auto leaf) { return std::make_shared<const node>(node{std::move(leaf)}); }

/// A current, a number (a constant) or a Python callable (t -> I), as a tree.
node_ptr to_node(const py::handle& x, const char* who) {
    if (py::isinstance<current_handle>(x)) return x.cast<const current_handle&>().root;
    if (py::isinstance<py::float_>(x) || py::isinstance<py::int_>(x)) return make_node(iaf::constant{x.cast<double>()});
    if (PyCallable_Check(x.ptr())) return make_node(callable_node{py::reinterpret_borrow<py::object>(x)});
    throw py::type_error(std::string(who) + ": expected an iaf.current, a number or a callable t -> I, got " +
                         py::repr(x).cast<std::string>());
}

current_handle sum(const node_ptr& a, const node_ptr& b) { return {make_node(sum_node{a, b})}; }
current_handle scaled(double factor, const node_ptr& a) {
    iaf::detail::require_finite("iaf.current", "factor", factor);
    return {make_node(scaled_node{factor, a})};
}

std::string describe(const node& n) {
    return std::visit(
        [](const auto& x) -> std::string {
            using X = std::decay_t<decltype(x)>;
                        if constexpr (std::is_same_v<X, iaf::constant>) return text("constant(", x.value(), ")");
            else if constexpr (std::is_same_v<X, iaf::sine>)
                return text("sine(amplitude=", x.amplitude, ", frequency=", x.frequency, ", phase=", x.phase,
                               ", offset=", x.offset, ")");
            else if constexpr (std::is_same_v<X, iaf::step>) return text("step(onset=", x.onset, ", amplitude=", x.amplitude, ")");
            else if constexpr (std::is_same_v<X, iaf::pulse>)
                return text("pulse(onset=", x.onset, ", duration=", x.duration, ", amplitude=", x.amplitude, ")");
            else if constexpr (std::is_same_v<X, iaf::pulse_train>) return text("pulse_train(<", x.pulses().size(), " pulses>)");
            else if constexpr (std::is_same_v<X, iaf::piecewise>) return text("piecewise(<", x.times().size(), " pieces>)");
            else if constexpr (std::is_same_v<X, iaf::ramp>) return text("ramp(onset=", x.onset, ", slope=", x.slope, ")");
            else if constexpr (std::is_same_v<X, iaf::exponential_decay>)
                return text("exponential_decay(onset=", x.onset, ", amplitude=", x.amplitude, ", tau=", x.tau, ")");
            else if constexpr (std::is_same_v<X, sum_node>) return "(" + describe(*x.a) + " + " + describe(*x.b) + ")";
            else if constexpr (std::is_same_v<X, scaled_node>) return text(x.factor, " * ", describe(*x.a));
            else if constexpr (std::is_same_v<X, shifted_node>) return text("shifted(", describe(*x.a), ", delay=", x.delay, ")");
            else return "function(" + std::string(py::str(py::repr(x.f))) + ")";
        },
        n.v);
}

/// What `iaf.simulate` returns.
struct result {
    py::array_t<double> t, v, spike_times;
};

result simulate(const py::object& model, const py::object& current, const run_spec& spec) {
    constexpr const char* who = "iaf.simulate";
    const runnable_current c = make_runnable(to_node(current, who));
    const bool calls_python = std::holds_alternative<python_tree>(c);
    const auto run = [&](const auto& m) {
        // A run of library currents needs no Python: other Python threads may go on meanwhile.
        std::optional<py::gil_scoped_release> released;
        if (!calls_python) released.emplace();
        return iaf_python::simulate(m, c, spec);
    };
    iaf::simulation_result r;
    if (py::isinstance<iaf::lif>(model)) r = run(model.cast<const iaf::lif&>());
    else if (py::isinstance<iaf::lif_psc_exp>(model)) r = run(model.cast<const iaf::lif_psc_exp&>());
    else
        throw py::type_error(std::string(who) + ": model must be an iaf.lif or an iaf.lif_psc_exp, got " +
                             py::repr(model).cast<std::string>());
    return {to_numpy(std::move(r.time)), to_numpy(std::move(r.voltage)), to_numpy(std::move(r.spike_times))};
}

/// A state array: (N,) for one component, (N, components) otherwise.
py::array_t<double> state_array(const population_handle& p) {
    const auto components = static_cast<py::ssize_t>(p.components().size());
    auto flat = to_numpy(p.states());
    if (components == 1) return flat;
    return flat.reshape({static_cast<py::ssize_t>(p.size()), components});
}

void bind_models(py::module_& m) {
    py::class_<iaf::lif>(m, "lif", R"(Leaky integrate-and-fire neuron: C dV/dt = -(V - e_l)/R + I(t), a spike
when V >= v_th, then V = v_reset held for t_ref (Lapicque 1907; Stein 1965).

Give any two of tau_m [ms], r_m [MOhm], c_m [nF] (or none: tau_m = 10, c_m = 0.25).
Units: ms, mV, nA, MOhm, nF. Raises ValueError naming the parameter that is wrong.)")
        .def(py::init([](std::optional<double> tau_m, std::optional<double> r_m, std::optional<double> c_m, double e_l,
                         double v_th, double v_reset, std::optional<double> v_init, double t_ref) {
                 return iaf::lif{{.tau_m = tau_m, .r_m = r_m, .c_m = c_m, .e_l = e_l, .v_th = v_th,
                                  .v_reset = v_reset, .v_init = v_init, .t_ref = t_ref}};
             }),
             py::kw_only(), "tau_m"_a = py::none(), "r_m"_a = py::none(), "c_m"_a = py::none(), "e_l"_a = 0.0,
             "v_th"_a = 15.0, "v_reset"_a = 0.0, "v_init"_a = py::none(), "t_ref"_a = 0.0)
        .def_property_readonly("tau_m", &iaf::lif::tau_m)
        .def_property_readonly("r_m", &iaf::lif::r_m)
        .def_property_readonly("c_m", &iaf::lif::c_m)
        .def_property_readonly("e_l", &iaf::lif::e_l)
        .def_property_readonly("v_th", &iaf::lif::v_th)
        .def_property_readonly("v_reset", &iaf::lif::v_reset)
        .def_property_readonly("v_init", &iaf::lif::v_init)
        .def_property_readonly("t_ref", &iaf::lif::t_ref)
        .def("__repr__", [](const iaf::lif& x) {
            return text("iaf.lif(r_m=", x.r_m(), ", c_m=", x.c_m(), ", e_l=", x.e_l(), ", v_th=", x.v_th(),
                                        ", v_reset=", x.v_reset(), ", v_init=", x.v_init(), ", t_ref=", x.t_ref(), ")");
        });

    py::class_<iaf::lif_psc_exp>(m, "lif_psc_exp", R"(LIF with an exponentially decaying synaptic current
(NEST's iaf_psc_exp): dV/dt = (e_l - V)/tau_m + (I_syn + I)/c_m, dI_syn/dt = -I_syn/tau_syn.
State (V [mV], I_syn [nA]); during t_ref V is held, I_syn decays. Units: ms, mV, nA, nF.)")
        .def(py::init([](double tau_m, double c_m, double tau_syn, double e_l, double v_th, double v_reset,
                         std::optional<double> v_init, double t_ref) {
                 return iaf::lif_psc_exp{{.tau_m = tau_m, .c_m = c_m, .tau_syn = tau_syn, .e_l = e_l, .v_th = v_th,
                                          .v_reset = v_reset, .v_init = v_init, .t_ref = t_ref}};
             }),
             py::kw_only(), "tau_m"_a = 10.0, "c_m"_a = 0.25, "tau_syn"_a = 2.0, "e_l"_a = -70.0, "v_th"_a = -55.0,
             "v_reset"_a = -70.0, "v_init"_a = py::none(), "t_ref"_a = 2.0)
        .def_property_readonly("tau_m", [](const iaf::lif_psc_exp& x) { return x.parameters().tau_m; })
        .def_property_readonly("c_m", [](const iaf::lif_psc_exp& x) { return x.parameters().c_m; })
        .def_property_readonly("tau_syn", [](const iaf::lif_psc_exp& x) { return x.parameters().tau_syn; })
        .def_property_readonly("e_l", [](const iaf::lif_psc_exp& x) { return x.parameters().e_l; })
        .def_property_readonly("v_th", [](const iaf::lif_psc_exp& x) { return x.parameters().v_th; })
        .def_property_readonly("v_reset", [](const iaf::lif_psc_exp& x) { return x.parameters().v_reset; })
        .def_property_readonly("v_init", [](const iaf::lif_psc_exp& x) { return *x.parameters().v_init; })
        .def_property_readonly("t_ref", [](const iaf::lif_psc_exp& x) { return x.parameters().t_ref; })
        .def("__repr__", [](const iaf::lif_psc_exp& x) {
            const auto& p = x.parameters();
            return text("iaf.lif_psc_exp(tau_m=", p.tau_m, ", c_m=", p.c_m, ", tau_syn=", p.tau_syn,
                                        ", e_l=", p.e_l, ", v_th=", p.v_th, ", v_reset=", p.v_reset,
                                        ", v_init=", *p.v_init, ", t_ref=", p.t_ref, ")");
        });
}

void bind_currents(py::module_& m) {
    py::class_<current_handle>(m, "current", R"(An input current I(t) [nA] of time t [ms].

Build one with iaf.constant, iaf.sine, iaf.step, iaf.pulse, iaf.pulse_train, iaf.piecewise,
iaf.ramp, iaf.exponential_decay, iaf.function; combine with +, -, * and / by numbers, and
iaf.shifted. Numbers and Python callables mix in: iaf.sine(amplitude=1, frequency=0.1) + 0.5.
Calling it, I(t), evaluates it (t a number or a NumPy array).)")
        .def("__call__", [](const current_handle& c, double t) { return value(*c.root, t); }, "t"_a)
        .def("__call__",
             [](const current_handle& c, py::array_t<double, py::array::c_style | py::array::forcecast> t) {
                 py::array_t<double> out(t.request().shape);
                 const double* in = t.data();
                 double* o = out.mutable_data();
                 for (py::ssize_t k = 0; k < t.size(); ++k) o[k] = value(*c.root, in[k]);
                 return out;
             },
             "t"_a)
        .def("__add__", [](const current_handle& a, const py::object& b) { return sum(a.root, to_node(b, "iaf.current +")); })
        .def("__radd__", [](const current_handle& a, const py::object& b) { return sum(to_node(b, "iaf.current +"), a.root); })
        .def("__sub__", [](const current_handle& a, const py::object& b) {
            return sum(a.root, scaled(-1.0, to_node(b, "iaf.current -")).root);
        })
        .def("__rsub__", [](const current_handle& a, const py::object& b) {
            return sum(to_node(b, "iaf.current -"), scaled(-1.0, a.root).root);
        })
        .def("__neg__", [](const current_handle& a) { return scaled(-1.0, a.root); })
        .def("__mul__", [](const current_handle& a, double k) { return scaled(k, a.root); }, py::is_operator())
        .def("__rmul__", [](const current_handle& a, double k) { return scaled(k, a.root); }, py::is_operator())
        .def("__truediv__",
             [](const current_handle& a, double k) {
                 if (!(k != 0.0)) iaf::detail::fail_parameter("iaf.current /", "divisor", k, "must be != 0");
                 return scaled(1.0 / k, a.root);
             },
             py::is_operator())
        .def("__repr__", [](const current_handle& c) { return "iaf." + describe(*c.root); });

    m.def("constant", [](double value) { return current_handle{make_node(iaf::constant{value})}; }, "value"_a,
          "A constant current I(t) = value [nA].");
    m.def("sine",
          [](double amplitude, double frequency, double phase, double offset) {
              return current_handle{make_node(
                  iaf::sine{.amplitude = amplitude, .frequency = frequency, .phase = phase, .offset = offset})};
          },
          py::kw_only(), "amplitude"_a, "frequency"_a, "phase"_a = 0.0, "offset"_a = 0.0,
          "I(t) = offset + amplitude sin(2 pi frequency t + phase); nA, cycles/ms, rad, nA.");
    m.def("step",
          [](double onset, double amplitude) {
              return current_handle{make_node(iaf::step{.onset = onset, .amplitude = amplitude})};
          },
          py::kw_only(), "onset"_a, "amplitude"_a, "I(t) = amplitude [nA] for t >= onset [ms], 0 before.");
    m.def("pulse",
          [](double onset, double duration, double amplitude) {
              return current_handle{make_node(iaf::pulse{.onset = onset, .duration = duration, .amplitude = amplitude})};
          },
          py::kw_only(), "onset"_a, "duration"_a, "amplitude"_a,
          "A rectangular pulse: amplitude [nA] for onset <= t < onset + duration [ms].");
    m.def("pulse_train",
          [](const std::vector<std::tuple<double, double, double>>& pulses) {
              std::vector<iaf::pulse> ps;
              for (const auto& [onset, duration, amplitude] : pulses)
                  ps.push_back(iaf::pulse{.onset = onset, .duration = duration, .amplitude = amplitude});
              return current_handle{make_node(iaf::pulse_train{std::move(ps)})};
          },
          "pulses"_a, "Pulses given as (onset [ms], duration [ms], amplitude [nA]) tuples; overlapping pulses add.");
    m.def("piecewise",
          [](std::vector<double> times, std::vector<double> values) {
              return current_handle{make_node(iaf::piecewise{std::move(times), std::move(values)})};
          },
          "times"_a, "values"_a, "I(t) = values[k] on [times[k], times[k+1]) [ms, nA], 0 before times[0].");
    m.def("ramp",
          [](double onset, double slope) { return current_handle{make_node(iaf::ramp{.onset = onset, .slope = slope})}; },
          py::kw_only(), "onset"_a, "slope"_a, "I(t) = slope (t - onset) for t >= onset; ms, nA/ms.");
    m.def("exponential_decay",
          [](double onset, double amplitude, double tau) {
              return current_handle{
                  make_node(iaf::exponential_decay{.onset = onset, .amplitude = amplitude, .tau = tau})};
          },
          py::kw_only(), "onset"_a, "amplitude"_a, "tau"_a,
          "I(t) = amplitude exp(-(t - onset)/tau) for t >= onset, 0 before; ms, nA, ms.");
    m.def("shifted",
          [](const py::object& current, double delay) {
              iaf::detail::require_finite("iaf.shifted", "delay", delay);
              return current_handle{make_node(shifted_node{delay, to_node(current, "iaf.shifted")})};
          },
          "current"_a, "delay"_a, "I(t - delay): the current delayed by delay [ms].");
    m.def("function",
          [](const py::function& f) { return current_handle{make_node(callable_node{f})}; }, "f"_a,
          "A Python callable t [ms] -> I [nA] as a current. Slow: Python is called at every stage of every "
          "step. `exact` takes it at each step's midpoint (no closed form is known).");
}

void bind_simulate(py::module_& m) {
    py::class_<result>(m, "result", "What iaf.simulate returns: NumPy arrays t [ms], v [mV] (the trace, empty "
                                    "when record_every=0) and spike_times [ms].")
        .def_readonly("t", &result::t)
        .def_readonly("v", &result::v)
        .def_readonly("spike_times", &result::spike_times)
        .def("__repr__", [](const result& r) {
            return text("iaf.result(", r.spike_times.size(), " spikes, ", r.t.size(), " trace samples)");
        });

    m.def("simulate",
          [](const py::object& model, const py::object& current, std::string integrator, std::string timing, double dt,
             double t_end, double t_start, std::int64_t record_every, double rtol, double atol, bool allow_unstable) {
              return simulate(model, current,
                              {.integrator = std::move(integrator), .timing = std::move(timing), .dt = dt,
                               .t_end = t_end, .t_start = t_start, .record_every = record_every, .rtol = rtol,
                               .atol = atol, .allow_unstable = allow_unstable});
          },
          "model"_a, "current"_a, py::kw_only(), "integrator"_a = "exact", "timing"_a = "analytic", "dt"_a = 0.1,
          "t_end"_a = 100.0, "t_start"_a = 0.0, "record_every"_a = 1, "rtol"_a = 1e-8, "atol"_a = 1e-10,
          "allow_unstable"_a = false,
          R"(Simulates one neuron from t_start to t_end [ms] on a grid of step dt [ms] (iaf::simulate).

model: iaf.lif or iaf.lif_psc_exp. current: an iaf.current, a number, or a Python callable t -> I
(slow: called at every stage of every step). integrator: euler | heun | rk4 | exact | dopri5
(rtol, atol for dopri5; euler, heun and rk4 refuse a dt beyond their stability bound on the model's
fastest time constant unless allow_unstable=True). timing, where a spike is located in its step: grid | linear | hermite |
analytic (analytic needs exact or dopri5). record_every: V recorded every this many steps and at
t_start; 0 for spikes only. Returns an iaf.result; raises ValueError for bad arguments.)");
}

void bind_population(py::module_& m) {
    py::class_<population_handle>(m, "population", R"(N neurons of one model stepped together (iaf::population).

The host owns the clock: step(input) advances one grid step with one current per neuron [nA]
(a NumPy array of size N, or a number for all) and returns the step's spikes as two NumPy arrays
(index, offset [ms] inside the step). deliver(index, weight, offset=..., port=...) queues a synaptic
event for the next step. Spikes equal those of N iaf neurons bit for bit.)")
        .def(py::init([](const py::object& model, std::size_t size, std::string integrator, std::string timing,
                         double dt, double t_start, bool allow_unstable) {
                 const run_spec spec{.integrator = std::move(integrator), .timing = std::move(timing), .dt = dt,
                                     .t_start = t_start, .allow_unstable = allow_unstable};
                 if (py::isinstance<iaf::lif>(model)) return make_population(model.cast<iaf::lif>(), size, spec);
                 if (py::isinstance<iaf::lif_psc_exp>(model))
                     return make_population(model.cast<iaf::lif_psc_exp>(), size, spec);
                 throw py::type_error("iaf.population: model must be an iaf.lif or an iaf.lif_psc_exp, got " +
                                      py::repr(model).cast<std::string>());
             }),
             "model"_a, "size"_a, py::kw_only(), "integrator"_a = "exact", "timing"_a = "grid", "dt"_a = 0.1,
             "t_start"_a = 0.0, "allow_unstable"_a = false)
        .def("__len__", &population_handle::size)
        .def_property_readonly("size", &population_handle::size)
        .def_property_readonly("dt", &population_handle::dt)
        .def_property_readonly("time", &population_handle::time, "t_start + steps * dt [ms]")
        .def_property_readonly("steps", &population_handle::steps, "grid steps taken")
        .def_property_readonly("components", &population_handle::components, "names of the columns of states")
        .def_property_readonly("v", [](const population_handle& p) { return to_numpy(p.voltages()); },
                               "every neuron's membrane potential [mV] (a copy)")
        .def_property_readonly("states", &state_array, "every neuron's state, (N,) or (N, components) (a copy)")
        .def("step",
             [](population_handle& p, double input) {
                 const std::vector<double> all(p.size(), input);
                 step_spikes s = p.step(all.data());
                 return py::make_tuple(to_numpy(std::move(s.index)), to_numpy(std::move(s.offset)));
             },
             "input"_a)
        .def("step",
             [](population_handle& p, py::array_t<double, py::array::c_style | py::array::forcecast> input) {
                 if (input.ndim() != 1 || static_cast<std::size_t>(input.size()) != p.size())
                     iaf::detail::fail_parameter("iaf.population.step", "input.size", static_cast<double>(input.size()),
                                                 "must be a 1-d array of size = " + std::to_string(p.size()));
                 step_spikes s = p.step(input.data());
                 return py::make_tuple(to_numpy(std::move(s.index)), to_numpy(std::move(s.offset)));
             },
             "input"_a)
        .def("deliver",
             [](population_handle& p, std::size_t index, double weight, double offset, const std::string& port) {
                 p.deliver(index, port, offset, weight);
             },
             "index"_a, "weight"_a, py::kw_only(), "offset"_a = 0.0, "port"_a = "v");
}

}  // namespace
}  // namespace iaf_python

PYBIND11_MODULE(iaf, m) {
    m.doc() = R"(iaf: integrate-and-fire neurons at C++ speed (the iaf C++20 library).

    r = iaf.simulate(iaf.lif(r_m=6.4, c_m=0.9, v_th=5.0, v_reset=0.4, v_init=0.4), iaf.constant(1.0),
                     integrator="exact", timing="analytic", dt=0.01, t_end=100.0)
    r.t, r.v, r.spike_times

Units: ms, mV, nA, MOhm, nF. Bad arguments raise ValueError with the library's message.)";
    m.attr("__version__") = iaf::version_string;
    m.attr("integrators") = py::make_tuple("euler", "heun", "rk4", "exact", "dopri5");
    m.attr("timings") = py::make_tuple("grid", "linear", "hermite", "analytic");
    // iaf::invalid_parameter is a std::invalid_argument, which pybind11 already raises as ValueError.
    py::register_exception<iaf::simulation_error>(m, "SimulationError", PyExc_RuntimeError);
    iaf_python::bind_models(m);
    iaf_python::bind_currents(m);
    iaf_python::bind_simulate(m);
    iaf_python::bind_population(m);
}
