#pragma once
/// \file
/// Gaussian white-noise current, seeded and reproducible.

#include <bit>
#include <cmath>
#include <cstdint>

#include "../detail/counter_rng.hpp"
#include "../detail/noise_bins.hpp"
#include "../detail/validated.hpp"
#include "../errors.hpp"
#include "constant.hpp"

namespace iaf {

/// Gaussian white-noise current I(t) = mean + sigma xi(t), with xi unit white noise
/// (<xi(t) xi(s)> = delta(t - s)), so sigma is in nA sqrt(ms) and the statistics do not depend
/// on any step: a LIF driven by it has the stationary variance (sigma / C)^2 tau_m / 2.
///
/// As a current it is held over bins [n dt, (n + 1) dt): bin n has the value
/// mean + sigma z_n / sqrt(dt), with z_n a standard normal number computed from (seed, n) by a
/// counter-based generator (no state, no table, no allocation; the same bits on every IEEE-754
/// platform and standard library, see detail/counter_rng.hpp for the one compiler condition). Bin edges are breakpoints, so the neuron gives each (sub)step
/// one value: every integrator evaluates the noise once per step, and the held current integrated
/// by Euler is the Euler-Maruyama scheme (Kloeden & Platen 1992). Higher-order integrators do not
/// improve stochastic accuracy (strong order 1/2 for all of them); use dt equal to the bin width,
/// or a divisor of it.
///
/// The `exact` integrator does better: it sees the white-noise part (`CurrentWithWhiteNoise`) and
/// applies the LIF's exact Gaussian transition (Gillespie 1996), adding
/// (sigma/C) sqrt(tau/2 (1 - e^{-2h/tau})) times a standard normal to each (sub)step of length h,
/// so the law of V at every step end is exact at any dt. The normal number of a step that starts
/// on a bin edge is that bin's z_n (steps and bins aligned: the same random numbers as the held
/// current); a step starting inside a bin (after a spike, at the end of a refractory period, after
/// another current's breakpoint, or when dt is not the bin width) gets an independent number keyed
/// by its start time. The realisation of V under `exact` is therefore reproducible but not the
/// path other integrators compute from the held current; its statistics are the exact ones.
/// When the integration step is shorter than the bin, `exact` still treats the noise as white at
/// the step's scale, while other integrators see the bin's value held over several steps (noise
/// coloured at that scale): keep dt equal to the bin width unless that is what you want.
///
/// Fields are validated when the object is built (finite, sigma >= 0, dt > 0 and normal, every
/// bin's value finite) and again by `validate()` where the value enters a neuron or a simulation.
/// Evaluation terminates for any field values, even invalid ones assigned after construction.
///
/// Example: `iaf::white_noise{.mean = 0.5, .sigma = 0.2, .dt = 0.1, .seed = 42}`
struct white_noise {
    /// Marks a library current: it joins the `+`, `-`, `*` and `iaf::shifted` algebra.
    using iaf_current = void;

    double mean = 0.0;       ///< mean current [nA]
    double sigma = 0.0;      ///< noise intensity [nA sqrt(ms)], >= 0
    double dt = 0.0;         ///< bin width over which the current is held [ms], > 0 (no default)
    std::uint64_t seed = 0;  ///< selects the realisation
    /// Runs `validate()` when the object is built; cannot be initialised by hand.
    detail::validated validated_{*this};

    /// The standard normal number of bin n.
    [[nodiscard]] double normal(std::int64_t n) const noexcept {
        return detail::counter_normal(seed, static_cast<std::uint64_t>(n));
    }

    /// The current at time t [ms], in nA.
    [[nodiscard]] double operator()(double t) const noexcept {
        return mean + sigma * normal(bins().index(t)) / std::sqrt(dt);
    }
    /// The next bin edge after t [ms] (+infinity past 2^62 bins, where bins end).
    [[nodiscard]] double next_breakpoint(double t) const noexcept { return bins().next_edge(t); }

    // --- CurrentWithWhiteNoise --------------------------------------------------------------
    /// The current without its noise: the mean.
    [[nodiscard]] constant drift() const { return constant{mean}; }
    /// sigma z [nA sqrt(ms)] for a step starting at t: z is bin n's number when t is the edge
    /// n dt, otherwise an independent number keyed by t (see the class comment).
    [[nodiscard]] double white_noise_sample(double t) const noexcept {
        const std::int64_t n = bins().index(t);
        const double z = t == bins().edge(n)
                             ? normal(n)
                             : detail::counter_normal(seed ^ 0x5851f42d4c957f2dULL,
                                                      detail::splitmix64_mix(std::bit_cast<std::uint64_t>(t)));
        return sigma * z;
    }

    /// Throws `invalid_parameter` unless the fields are valid: mean finite, sigma >= 0, dt > 0 and a
    /// normal number, and |mean| + 9 sigma / sqrt(dt) finite (no bin's value overflows: a
    /// counter-based normal number is below 8.6 in magnitude). Runs when the object is built; the
    /// neuron, `simulate` and `population` run it again when a value enters them, since the public
    /// fields can be assigned afterwards.
    void validate() const {
        constexpr const char* who = "iaf::white_noise";
        detail::require_finite(who, "mean", mean);
        detail::require_non_negative(who, "sigma", sigma);
        detail::require_bin_width(who, dt);
        if (!std::isfinite(std::abs(mean) + 9.0 * (sigma / std::sqrt(dt))))
            detail::fail_parameter(who, "sigma", sigma, "|mean| + 9 sigma / sqrt(dt) must be finite");
    }

private:
    [[nodiscard]] detail::noise_bins bins() const noexcept { return {dt}; }
};

}  // namespace iaf
