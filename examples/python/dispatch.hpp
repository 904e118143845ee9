#pragma once
// The Python module's run-time choices (not part of the library): integrator and spike timing
// by name, turned into the library's types by instantiating every combination the library
// accepts; a combination it rejects at compile time is rejected here with its own message.
#include <cstdint>
#include <string>
#include <utility>

#include <iaf/iaf.hpp>

namespace iaf_python {

/// What `iaf.simulate` and `iaf.population` were asked for, as Python passed it.
struct run_spec {
    std::string integrator = "exact";  ///< euler | heun | rk4 | exact | dopri5
    std::string timing = "grid";       ///< grid | linear | hermite | analytic
    double dt = 0.1;                   ///< [ms]
    double t_end = 100.0;              ///< [ms]
    double t_start = 0.0;              ///< [ms]
    std::int64_t record_every = 1;     ///< record V every this many steps; 0: spikes only
    double rtol = 1e-8;                ///< dopri5 only
    double atol = 1e-10;               ///< dopri5 only
    bool allow_unstable = false;       ///< euler, heun, rk4: accept a dt beyond their stability bound
};

inline constexpr const char* integrator_names = "euler, heun, rk4, exact, dopri5";
inline constexpr const char* timing_names = "grid, linear, hermite, analytic";

[[noreturn]] inline void fail_name(const char* who, const char* what, const std::string& name, const char* allowed) {
    throw iaf::invalid_parameter(iaf::detail::message(who, ": ", what, " = '", name, "' is invalid (must be one of ",
                                                      allowed, ")"));
}

/// Calls `run(integrator)` with the integrator `spec` names.
template <typename Run>
void with_integrator(const char* who, const run_spec& spec, Run&& run) {
    const std::string& n = spec.integrator;
    if (n == "euler") return run(iaf::euler{.allow_unstable = spec.allow_unstable});
    if (n == "heun") return run(iaf::heun{.allow_unstable = spec.allow_unstable});
    if (n == "rk4") return run(iaf::rk4{.allow_unstable = spec.allow_unstable});
    if (n == "exact") return run(iaf::exact{});
    if (n == "dopri5") return run(iaf::dopri5{.rtol = spec.rtol, .atol = spec.atol});  // validated on binding
    fail_name(who, "integrator", n, integrator_names);
}

/// Calls `run(timing)` with the spike-timing policy `spec` names.
template <typename Run>
void with_timing(const char* who, const run_spec& spec, Run&& run) {
    const std::string& n = spec.timing;
    if (n == "grid") return run(iaf::grid{});
    if (n == "linear") return run(iaf::linear{});
    if (n == "hermite") return run(iaf::hermite{});
    if (n == "analytic") return run(iaf::analytic{});
    fail_name(who, "timing", n, timing_names);
}

/// Calls `run(integrator, timing)` when the library accepts the pair for model M and current C
/// (`iaf::can_combine_v`); otherwise throws `invalid_parameter` with the library's own
/// explanation (its static_assert in `iaf::neuron`). A function template rather than code inside
/// the nested generic lambdas below: GCC 12 evaluates can_combine_v wrongly (false for exact with
/// analytic) when it is named there with decltype of a captured parameter.
template <typename M, typename C, typename I, typename P, typename Run>
void run_if_combinable(const char* who, const run_spec& spec, const I& integrator, const P& timing, Run& run) {
    if constexpr (iaf::can_combine_v<M, C, I, P>) {
        run(integrator, timing);
    } else {
        throw iaf::invalid_parameter(iaf::detail::message(
            who, ": timing = '", spec.timing, "' is invalid with integrator = '", spec.integrator,
            "' (iaf::analytic locates spikes on the integrator's own solution: it needs an exact "
            "integrator (iaf::exact) or one with dense output (iaf::dopri5); use iaf::hermite with "
            "fixed-step RK integrators)"));
    }
}

/// Calls `run(integrator, timing)` for the pair `spec` names, if the library accepts it for
/// model M and current C.
template <typename M, typename C, typename Run>
void with_method(const char* who, const run_spec& spec, Run&& run) {
    with_integrator(who, spec, [&](auto integrator) {
        with_timing(who, spec, [&](auto timing) { run_if_combinable<M, C>(who, spec, integrator, timing, run); });
    });
}

}  // namespace iaf_python
