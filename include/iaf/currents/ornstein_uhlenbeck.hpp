#pragma once
/// \file
/// Ornstein-Uhlenbeck (coloured, exponentially correlated) noise current, seeded and
/// reproducible.

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "../detail/counter_rng.hpp"
#include "../detail/noise_bins.hpp"
#include "../detail/validated.hpp"
#include "../errors.hpp"

namespace iaf {

/// Ornstein-Uhlenbeck noise current: stationary Gaussian with mean `mean`, standard deviation
/// `sigma` and autocorrelation exp(-|lag|/tau) (Uhlenbeck & Ornstein 1930), i.e.
/// tau dI = (mean - I) dt + sigma sqrt(2 tau) dW.
///
/// The path is sampled at the bin edges n dt by the exact update (Gillespie 1996)
/// I_{n+1} = mean + (I_n - mean) e^{-dt/tau} + sigma sqrt(1 - e^{-2 dt/tau}) z_{n+1},
/// starting from the stationary law (I_0 = mean + sigma z_0), so its statistics do not depend on
/// dt; z_n are counter-based normal numbers of (seed, n), the same bits on every IEEE-754
/// platform. An OU path depends on its whole past, so it is tabulated once at construction over
/// [0, duration] (8 bytes per bin, shared between copies: copying is a reference-count increment)
/// and evaluation is a table lookup: pure, no allocation. Evaluating outside [0, duration + dt)
/// throws `simulation_error`.
///
/// As a current it is held over each bin [n dt, (n + 1) dt) and the edges are breakpoints, so
/// every integrator sees one value per (sub)step; `exact` integrates the held current exactly.
/// With the integration step equal to dt (or a divisor of it) the membrane statistics then differ
/// from the continuous OU input's by O((dt/tau)^2) only.
///
/// Fields are validated when the object is built (finite, sigma >= 0, tau > 0, dt > 0,
/// duration > 0) and are const, since the path is computed from them; `validated_` and `path_`
/// are computed: do not initialise them.
///
/// Example: `iaf::ornstein_uhlenbeck{.mean = 0.5, .sigma = 0.1, .tau = 5, .dt = 0.1, .duration = 1000, .seed = 1}`
struct ornstein_uhlenbeck {
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    // const: the path is computed from them once, so they must not change afterwards.
    const double mean = 0.0;       ///< stationary mean [nA]
    const double sigma = 0.0;      ///< stationary standard deviation [nA], >= 0
    const double tau = 1.0;        ///< correlation time [ms], > 0
    const double dt = 0.0;         ///< sampling interval, the width of the bins it is held over [ms], > 0
    const double duration = 0.0;   ///< time span tabulated, from 0 [ms], > 0
    const std::uint64_t seed = 0;  ///< selects the realisation
    /// Checks the fields when the object is built; not to be assigned.
    [[no_unique_address]] const detail::validated validated_ = validate();
    const std::shared_ptr<const std::vector<double>> path_ = tabulate();  ///< I at n dt, n = 0, 1, ...

    /// The current at time t [ms], in nA.
    [[nodiscard]] double operator()(double t) const {
        const std::int64_t n = detail::noise_bins{dt}.index(t);
        if (n < 0 || static_cast<std::uint64_t>(n) >= path_->size()) out_of_range(t);
        return (*path_)[static_cast<std::size_t>(n)];
    }
    /// The next bin edge after t [ms], up to the end of the table; +infinity after it.
    [[nodiscard]] double next_breakpoint(double t) const noexcept {
        const detail::noise_bins bins{dt};
        const std::int64_t n = bins.index(t) + 1;
        return n <= static_cast<std::int64_t>(path_->size()) ? bins.edge(n) : std::numeric_limits<double>::infinity();
    }

private:
    [[nodiscard]] detail::validated validate() const {
        constexpr const char* who = "iaf::ornstein_uhlenbeck";
        detail::require_finite(who, "mean", mean);
        detail::require_non_negative(who, "sigma", sigma);
        detail::require_positive(who, "tau", tau);
        detail::require_positive(who, "dt", dt);
        detail::require_positive(who, "duration", duration);
        if (!(duration / dt < 1e9))
            detail::fail_parameter(who, "duration", duration, "must be < 1e9 dt (the path is tabulated)");
        return {};
    }

    [[nodiscard]] std::shared_ptr<const std::vector<double>> tabulate() const {
        const auto bins = static_cast<std::size_t>(std::ceil(duration / dt)) + 1;
        std::vector<double> path(bins);
        // Portable exponentials (not std::exp) so the table has the same bits on every platform.
        const double decay = 1.0 + detail::portable_expm1(-dt / tau);
        const double kick = sigma * std::sqrt(-detail::portable_expm1(-2.0 * dt / tau));
        // add_product: the same bits with and without FMA contraction (see counter_rng.hpp).
        double x = detail::add_product(mean, sigma, detail::counter_normal(seed, 0));
        for (std::size_t n = 0; n < bins; ++n) {
            if (n > 0) x = detail::add_product(detail::add_product(mean, x - mean, decay), kick, detail::counter_normal(seed, n));
            path[n] = x;
        }
        return std::make_shared<const std::vector<double>>(std::move(path));
    }

    [[noreturn]] void out_of_range(double t) const {
        detail::fail_simulation("iaf::ornstein_uhlenbeck: evaluated at t = ", t,
                                " ms, outside its tabulated span [0, ", static_cast<double>(path_->size()) * dt,
                                ") ms; raise duration");
    }
};

}  // namespace iaf
