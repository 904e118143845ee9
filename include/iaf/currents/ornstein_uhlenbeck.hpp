#pragma once
/// \file
/// Ornstein-Uhlenbeck (coloured, exponentially correlated) noise current, seeded and
/// reproducible.

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

#include "../detail/counter_rng.hpp"
#include "../detail/noise_bins.hpp"
#include "../detail/validated.hpp"
#include "../errors.hpp"

namespace iaf {

namespace detail {

/// The tabulated path of an `ornstein_uhlenbeck`, I at n dt for n = 0, 1, ..., shared between
/// copies. It has no default constructor and an explicit one, so `.path_ = {}` in a designated
/// initializer does not compile: a path is never missing.
class ou_path {
public:
    /// Tabulates the path over [0, duration] by the exact update (see `ornstein_uhlenbeck`); the
    /// parameters must be valid (the owner validates them first).
    explicit ou_path(double mean, double sigma, double tau, double dt, double duration, std::uint64_t seed) {
        const auto bins = static_cast<std::size_t>(std::ceil(duration / dt)) + 1;
        std::vector<double> path(bins);
        // Portable exponentials (not std::exp) so the table has the same bits on every platform.
        const double decay = 1.0 + portable_expm1(-dt / tau);
        const double kick = sigma * std::sqrt(-portable_expm1(-2.0 * dt / tau));
        // add_product: the same bits with and without FMA contraction (see counter_rng.hpp).
        double x = add_product(mean, sigma, counter_normal(seed, 0));
        for (std::size_t n = 0; n < bins; ++n) {
            if (n > 0) x = add_product(add_product(mean, x - mean, decay), kick, counter_normal(seed, n));
            path[n] = x;
        }
        values_ = std::make_shared<const std::vector<double>>(std::move(path));
    }
    /// The tabulated values.
    [[nodiscard]] const std::vector<double>& operator*() const noexcept { return *values_; }
    /// The tabulated values.
    [[nodiscard]] const std::vector<double>* operator->() const noexcept { return values_.get(); }

private:
    std::shared_ptr<const std::vector<double>> values_;
};

}  // namespace detail

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
/// Fields are validated when the object is built (finite, sigma >= 0, tau > 0, dt > 0 and normal,
/// duration > 0 and at most 1e9 bins, every value of the path finite) and are const, since the path
/// is computed from them; `validated_` and `path_` are computed and cannot be initialised by hand.
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
    /// Runs `validate()` when the object is built; cannot be initialised by hand.
    const detail::validated validated_{*this};
    const detail::ou_path path_{mean, sigma, tau, dt, duration, seed};  ///< I at n dt, n = 0, 1, ...

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
        // b > t also when bins end (see noise_bins): a breakpoint must lie after t.
        const double b = bins.edge(n);
        return n <= static_cast<std::int64_t>(path_->size()) && b > t ? b : std::numeric_limits<double>::infinity();
    }

    /// Throws `invalid_parameter` unless the fields are valid: mean finite, sigma >= 0, tau > 0,
    /// dt > 0 and a normal number, duration > 0 and below 1e9 dt (the path is tabulated), and
    /// |mean| + 9 sigma finite (no value of the path overflows: a counter-based normal number is
    /// below 8.6 in magnitude). Runs when the object is built, before the path is tabulated.
    void validate() const {
        constexpr const char* who = "iaf::ornstein_uhlenbeck";
        detail::require_finite(who, "mean", mean);
        detail::require_non_negative(who, "sigma", sigma);
        detail::require_positive(who, "tau", tau);
        detail::require_bin_width(who, dt);
        detail::require_positive(who, "duration", duration);
        if (!(duration / dt < 1e9))
            detail::fail_parameter(who, "duration", duration, "must be < 1e9 dt (the path is tabulated)");
        if (!std::isfinite(std::abs(mean) + 9.0 * sigma))
            detail::fail_parameter(who, "sigma", sigma, "|mean| + 9 sigma must be finite");
    }

private:
    [[noreturn]] void out_of_range(double t) const {
        detail::fail_simulation("iaf::ornstein_uhlenbeck: evaluated at t = ", t,
                                " ms, outside its tabulated span [0, ", static_cast<double>(path_->size()) * dt,
                                ") ms; raise duration");
    }
};

}  // namespace iaf
