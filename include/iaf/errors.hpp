#pragma once
/// \file
/// How iaf reports errors: exceptions, or an error handler when exceptions are disabled.
///
/// With exceptions (the default), a bad parameter throws `iaf::invalid_parameter` from the
/// constructor that validates it, a run that leaves the meaningful domain throws
/// `iaf::simulation_error`, and an index past the end throws `std::out_of_range`.
///
/// Built with `-fno-exceptions` (as many simulators are), iaf compiles all the same: every one of
/// those errors calls the installed error handler instead, with the kind of error and the same
/// message the exception would carry, e.g. `iaf::lif: r_m = -1 is invalid (must be > 0)`. The
/// default handler prints `iaf: invalid_parameter: <message>` to stderr and calls `std::abort()`.
/// A host installs its own with `iaf::set_error_handler` (to log through its own channel, flush
/// its output, or `longjmp`/exit its own way); a handler must not return, and if it does iaf calls
/// `std::abort()`, because the code after an error has no valid value to go on with.
///
/// Example (a host built with -fno-exceptions):
///     void on_iaf_error(iaf::error_kind, const char* message) noexcept {
///         host_log_fatal(message);  // the host's own logging
///         std::_Exit(3);
///     }
///     iaf::set_error_handler(&on_iaf_error);
///
/// `IAF_EXCEPTIONS` says which way this translation unit reports (1: throws, 0: the handler); it
/// follows the compiler's exception setting unless defined before including iaf. Every
/// translation unit of one program must agree on it: the reporting function is inline, so a
/// program that mixes the two settings gets one of them everywhere (an ODR violation).

#include <array>
#include <atomic>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#ifndef IAF_EXCEPTIONS
#if defined(__cpp_exceptions) || defined(__EXCEPTIONS) || defined(_CPPUNWIND)
/// 1 when iaf reports errors by throwing, 0 when it calls the error handler (no exceptions).
#define IAF_EXCEPTIONS 1
#else
/// 1 when iaf reports errors by throwing, 0 when it calls the error handler (no exceptions).
#define IAF_EXCEPTIONS 0
#endif
#endif

namespace iaf {

/// A parameter failed validation. The message names the owner, the parameter, its value and the
/// rule it broke, e.g. `iaf::lif: r_m = -1 is invalid (must be > 0)`.
class invalid_parameter : public std::invalid_argument {
public:
    using std::invalid_argument::invalid_argument;
};

/// The simulation left the domain where its results mean anything (for example the membrane
/// potential became NaN or infinite because the current returned NaN or the integrator is
/// unstable at this dt). Thrown instead of letting NaN drift through a run.
class simulation_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// What kind of error iaf reports: the exception type it throws when exceptions are enabled.
enum class error_kind {
    invalid_parameter,  ///< a parameter failed validation (`iaf::invalid_parameter`)
    simulation_error,   ///< a run left its meaningful domain (`iaf::simulation_error`)
    out_of_range        ///< an index past the end (`std::out_of_range`)
};

/// The kind's name as it appears in the default handler's message, e.g. "invalid_parameter".
[[nodiscard]] constexpr const char* error_kind_name(error_kind kind) noexcept {
    switch (kind) {
    case error_kind::invalid_parameter: return "invalid_parameter";
    case error_kind::simulation_error: return "simulation_error";
    case error_kind::out_of_range: return "out_of_range";
    }
    return "error";
}

/// Handles an iaf error when exceptions are disabled: receives the kind and the message the
/// exception would carry (valid only during the call). Must not return; if it does, iaf aborts.
using error_handler = void (*)(error_kind kind, const char* message) noexcept;

/// The default error handler: prints `iaf: <kind>: <message>` and a newline to stderr, then calls
/// `std::abort()`. The only output iaf ever writes, and only on the way to an abort.
inline void default_error_handler(error_kind kind, const char* message) noexcept {
    std::fprintf(stderr, "iaf: %s: %s\n", error_kind_name(kind), message);
    std::fflush(stderr);
    std::abort();
}

namespace detail {
/// The one process-wide slot behind set_error_handler (a function-local static, so that every
/// translation unit shares it in a header-only library). Atomic: any thread may report an error.
inline std::atomic<error_handler>& error_handler_slot() noexcept {
    static std::atomic<error_handler> slot{&default_error_handler};
    return slot;
}
}  // namespace detail

/// Installs `handler` for errors reported without exceptions (nullptr restores
/// `default_error_handler`) and returns the previous handler. Thread-safe. With exceptions
/// enabled (`IAF_EXCEPTIONS` 1) iaf throws and never calls it.
inline error_handler set_error_handler(error_handler handler) noexcept {
    return detail::error_handler_slot().exchange(handler != nullptr ? handler : &default_error_handler);
}

/// The handler installed by `set_error_handler` (`default_error_handler` until then).
[[nodiscard]] inline error_handler get_error_handler() noexcept { return detail::error_handler_slot().load(); }

namespace detail {

/// Reports an error of `kind`: throws the matching exception, or without exceptions calls the
/// installed error handler and aborts if it returns. Every error of iaf goes through here.
[[noreturn]] [[gnu::noinline, gnu::cold]] inline void raise(error_kind kind, const std::string& message) {
#if IAF_EXCEPTIONS
    switch (kind) {
    case error_kind::invalid_parameter: throw invalid_parameter(message);
    case error_kind::simulation_error: throw simulation_error(message);
    case error_kind::out_of_range: throw std::out_of_range(message);
    }
    throw simulation_error(message);  // unreachable: every kind is handled above
#else
    get_error_handler()(kind, message.c_str());
    std::abort();  // the handler returned: there is no valid value to go on with
#endif
}

/// A floating-point part of a message: the shortest decimal that reads back as the same value
/// (std::to_chars), so the message shows the value that failed and no more digits than it needs
/// (0.1, not 0.10000000000000001).
template <typename Part>
[[nodiscard]] decltype(auto) message_part(const Part& part) {
    if constexpr (std::is_floating_point_v<Part>) {
        std::array<char, 32> text{};
        const auto end = std::to_chars(text.data(), text.data() + text.size(), part).ptr;
        return std::string(text.data(), end);
    } else {
        return (part);
    }
}

/// Every error message of iaf is built here: the parts streamed in order, numbers as the
/// shortest decimal that reads back as the same value, so that the value in the message is the
/// value that failed.
template <typename... Parts>
[[nodiscard]] std::string message(const Parts&... parts) {
    std::ostringstream os;
    (os << ... << message_part(parts));
    return os.str();
}

/// Reports an invalid parameter: `owner: name = value is invalid (rule)`.
[[noreturn]] inline void fail_parameter(std::string_view owner, std::string_view name, double value,
                                        std::string_view rule) {
    raise(error_kind::invalid_parameter, message(owner, ": ", name, " = ", value, " is invalid (", rule, ")"));
}

/// Reports a `simulation_error` with a message built from `parts`.
template <typename... Parts>
[[noreturn]] [[gnu::noinline, gnu::cold]] void fail_simulation(const Parts&... parts) {
    raise(error_kind::simulation_error, message(parts...));
}

/// Reports an invalid parameter unless `value` is finite.
inline void require_finite(std::string_view owner, std::string_view name, double value) {
    if (!std::isfinite(value)) fail_parameter(owner, name, value, "must be finite");
}

/// Reports an invalid parameter unless `value` is finite and > 0.
inline void require_positive(std::string_view owner, std::string_view name, double value) {
    require_finite(owner, name, value);
    if (!(value > 0.0)) fail_parameter(owner, name, value, "must be > 0");
}

/// Reports an invalid parameter unless `value` is finite and >= 0.
inline void require_non_negative(std::string_view owner, std::string_view name, double value) {
    require_finite(owner, name, value);
    if (!(value >= 0.0)) fail_parameter(owner, name, value, "must be >= 0");
}

/// Reports parameter `name` = `value` as invalid by `rule` unless `coefficient`, a quantity a
/// model's equations read or reach in its scalar S (computed from the parameter: 1 / tau_m, the
/// value itself in float, dV/dt at V_peak), is finite. Models check every such quantity so that a
/// valid double that overflows in float, or a subnormal time constant whose reciprocal
/// overflows, is refused by name.
template <typename S>
void require_finite_coefficient(std::string_view owner, std::string_view name, double value, S coefficient,
                                std::string_view rule = "must be finite in the scalar type") {
    if (!std::isfinite(static_cast<double>(coefficient))) fail_parameter(owner, name, value, rule);
}

/// Reports an invalid threshold or reset unless both are finite and v_reset < v_th (the LIF
/// family's rule).
inline void require_threshold_above_reset(std::string_view owner, double v_th, double v_reset) {
    require_finite(owner, "v_th", v_th);
    require_finite(owner, "v_reset", v_reset);
    if (!(v_reset < v_th)) fail_parameter(owner, "v_reset", v_reset, "must be < v_th");
}

/// The same rule for v_th and v_reset as a model's scalar S holds them (`th`, `reset`): a valid
/// double may overflow in float, and two close ones may round to the same float.
template <typename S>
void require_threshold_above_reset_in(std::string_view owner, double v_th, double v_reset, S th, S reset) {
    require_finite_coefficient(owner, "v_th", v_th, th);
    require_finite_coefficient(owner, "v_reset", v_reset, reset);
    if (!(reset < th)) fail_parameter(owner, "v_reset", v_reset, "must be < v_th in the scalar type");
}

}  // namespace detail
}  // namespace iaf
