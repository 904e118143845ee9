#pragma once
/// \file
/// Exceptions thrown by iaf, and the helpers that build their messages.

#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>

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

namespace detail {

/// Every error message of iaf is built here: the parts streamed in order, numbers with 17
/// significant digits so that the value in the message is the value that failed.
template <typename... Parts>
[[nodiscard]] std::string message(const Parts&... parts) {
    std::ostringstream os;
    os.precision(17);
    (os << ... << parts);
    return os.str();
}

[[noreturn]] inline void fail_parameter(std::string_view owner, std::string_view name, double value,
                                        std::string_view rule) {
    throw invalid_parameter(message(owner, ": ", name, " = ", value, " is invalid (", rule, ")"));
}

/// Throws `simulation_error` with a message built from `parts`.
template <typename... Parts>
[[noreturn]] [[gnu::noinline, gnu::cold]] void fail_simulation(const Parts&... parts) {
    throw simulation_error(message(parts...));
}

/// Throws unless `value` is finite.
inline void require_finite(std::string_view owner, std::string_view name, double value) {
    if (!std::isfinite(value)) fail_parameter(owner, name, value, "must be finite");
}

/// Throws unless `value` is finite and > 0.
inline void require_positive(std::string_view owner, std::string_view name, double value) {
    require_finite(owner, name, value);
    if (!(value > 0.0)) fail_parameter(owner, name, value, "must be > 0");
}

/// Throws unless `value` is finite and >= 0.
inline void require_non_negative(std::string_view owner, std::string_view name, double value) {
    require_finite(owner, name, value);
    if (!(value >= 0.0)) fail_parameter(owner, name, value, "must be >= 0");
}

}  // namespace detail
}  // namespace iaf
