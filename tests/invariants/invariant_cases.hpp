#pragma once
// Randomized invariants (issue 11, item 7): random valid parameter sets x integrators x
// spike-timing policies x currents, each case drawn from its own seed so that it can be replayed
// alone (IAF_INVARIANTS_SEED=<seed> runs only the case with that seed, in whichever family it
// belongs to). What every run must satisfy, whatever the numbers:
//   - no exception for a valid input, nothing non-finite in the state;
//   - spikes strictly increasing, at least t_ref apart (up to a few ulp of the absolute time),
//     inside [t_start, t_end], reported in the step that holds them with an offset in [0, dt];
//   - V below the threshold at every step end, and exactly v_reset at every step end inside
//     [t_spike, t_spike + t_ref) (the refractory period holds V), refractory() true there and
//     false once the period is over;
//   - lif_psc_exp without synaptic events keeps I_syn = 0 exactly;
//   - `simulate` reports the same spikes, bit for bit, as the neuron stepped by hand.
// Expected values come from the case's own parameters, never from the library.
#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <limits>
#include <numbers>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <doctest/doctest.h>
#include <iaf/iaf.hpp>

#include "../support/all_finite.hpp"

namespace iaf_invariants {

constexpr double eps = 0x1p-52;

// A uniform double in [0, 1) from the top 53 bits: mt19937_64's output is fixed by the standard,
// std::uniform_real_distribution's is not, so a seed means the same case with every library.
inline double uniform(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1p-53; }
inline double uniform(std::mt19937_64& rng, double lo, double hi) { return lo + (hi - lo) * uniform(rng); }
inline double log_uniform(std::mt19937_64& rng, double lo, double hi) {
    return std::exp(uniform(rng, std::log(lo), std::log(hi)));
}
inline bool chance(std::mt19937_64& rng, double p) { return uniform(rng) < p; }
inline std::size_t pick(std::mt19937_64& rng, std::size_t n) { return static_cast<std::size_t>(rng() % n); }

/// Its arguments streamed into one string, doubles with all 17 digits.
template <typename... A>
std::string cat(const A&... a) {
    std::ostringstream out;
    out.precision(17);
    (out << ... << a);
    return out.str();
}

inline std::string num(double x) {
    char s[40];
    std::snprintf(s, sizeof s, "%.17g", x);
    return s;
}

/// IAF_INVARIANTS_SEED, if set: only the case with that seed runs.
inline std::optional<std::uint64_t> replay_seed() {
    const char* s = std::getenv("IAF_INVARIANTS_SEED");
    if (s == nullptr || *s == '\0') return std::nullopt;
    return std::strtoull(s, nullptr, 0);
}
inline bool selected(std::uint64_t seed) {
    static const std::optional<std::uint64_t> only = replay_seed();
    return !only || *only == seed;
}

enum class model_kind { lif, lif_psc_exp };
enum class drive { constant, step, pulse_train, sine, sum, white_noise };
enum class method {
    euler_grid,
    euler_linear,
    heun_linear,
    heun_hermite,
    rk4_linear,
    rk4_hermite,
    exact_grid,
    exact_linear,
    exact_hermite,
    exact_analytic,
    dopri5_grid,
    dopri5_analytic,
};
constexpr std::size_t method_count = 12;

inline const char* name(drive d) {
    switch (d) {
        case drive::constant: return "constant";
        case drive::step: return "step";
        case drive::pulse_train: return "pulse_train";
        case drive::sine: return "sine";
        case drive::sum: return "constant + 0.5 * shifted(sine) + step + pulse_train";
        case drive::white_noise: return "white_noise";
    }
    return "?";
}
inline const char* name(method m) {
    constexpr const char* names[] = {"euler + grid",   "euler + linear",  "heun + linear",  "heun + hermite",
                                     "rk4 + linear",   "rk4 + hermite",   "exact + grid",   "exact + linear",
                                     "exact + hermite", "exact + analytic", "dopri5 + grid", "dopri5 + analytic"};
    return names[static_cast<int>(m)];
}

struct pulse_spec {
    double onset, duration, amplitude;
};

/// One random case: a model's parameters, a current, a grid and a method.
struct neuron_case {
    std::uint64_t seed = 0;
    model_kind model = model_kind::lif;
    int lif_form = 0;  // which two of tau_m, r_m, c_m the lif is given: 0 (tau, c), 1 (r, c), 2 (tau, r)
    double tau_m = 10, c_m = 0.25, tau_syn = 2, e_l = 0, v_th = 15, v_reset = 0, t_ref = 0;
    std::optional<double> v_init;
    double t_start = 0, t_end = 100, dt = 0.1;
    drive current = drive::constant;
    method how = method::exact_analytic;
    // Current parameters [nA, ms, kHz, rad]; which are used depends on `current`.
    double i0 = 0;                                     // constant value, sine offset, noise mean
    double step_onset = 0, step_amplitude = 0;         // step
    std::vector<pulse_spec> pulses;                    // pulse_train
    double sine_amplitude = 0, sine_frequency = 0, sine_phase = 0, shift = 0;  // sine (shift: in sums)
    double sigma = 0, noise_dt = 0;                    // white_noise
    std::uint64_t noise_seed = 0;

    double r_m() const { return tau_m / c_m; }
    double v_start() const { return v_init.value_or(e_l); }
    /// The largest |I(t)| the current can reach [nA] (white noise: its mean).
    double max_abs_current() const {
        double pulses_sum = 0;
        for (const auto& p : pulses) pulses_sum += std::abs(p.amplitude);
        switch (current) {
            case drive::constant: return std::abs(i0);
            case drive::step: return std::abs(step_amplitude);
            case drive::pulse_train: return pulses_sum;
            case drive::sine: return std::abs(i0) + std::abs(sine_amplitude);
            case drive::sum: return std::abs(i0) + 0.5 * std::abs(sine_amplitude) + std::abs(step_amplitude) + pulses_sum;
            case drive::white_noise: return std::abs(i0);
        }
        return 0;
    }
    /// The current at t [nA], computed here from the parameters (not by the library).
    double current_at(double t) const {
        double pulses_sum = 0;
        for (const auto& p : pulses)
            if (t >= p.onset && t < p.onset + p.duration) pulses_sum += p.amplitude;
        const double step_part = t >= step_onset ? step_amplitude : 0.0;
        const double w = 2.0 * std::numbers::pi * sine_frequency;
        switch (current) {
            case drive::constant: return i0;
            case drive::step: return step_part;
            case drive::pulse_train: return pulses_sum;
            case drive::sine: return i0 + sine_amplitude * std::sin(w * t + sine_phase);
            case drive::sum:
                return i0 + 0.5 * sine_amplitude * std::sin(w * (t - shift) + sine_phase) + step_part + pulses_sum;
            case drive::white_noise: return i0;
        }
        return 0;
    }

    std::string describe() const {
        std::string s = "case seed " + std::to_string(seed) + " (replay: IAF_INVARIANTS_SEED=" + std::to_string(seed) +
                        "): " + (model == model_kind::lif ? "lif" : "lif_psc_exp") + ", " + name(how) + ", " +
                        name(current) + "\n  tau_m = " + num(tau_m) + ", c_m = " + num(c_m) + " (r_m = " + num(r_m()) +
                        ", lif form " + std::to_string(lif_form) + ")";
        if (model == model_kind::lif_psc_exp) s += ", tau_syn = " + num(tau_syn);
        s += ", e_l = " + num(e_l) + ", v_th = " + num(v_th) + ", v_reset = " + num(v_reset) + ", v_init = " +
             (v_init ? num(*v_init) : std::string("(e_l)")) + ", t_ref = " + num(t_ref) + "\n  t_start = " +
             num(t_start) + ", t_end = " + num(t_end) + ", dt = " + num(dt) + "\n  current: i0 = " + num(i0);
        if (current == drive::step || current == drive::sum)
            s += ", step onset = " + num(step_onset) + " amplitude = " + num(step_amplitude);
        if (current == drive::sine || current == drive::sum)
            s += ", sine amplitude = " + num(sine_amplitude) + " frequency = " + num(sine_frequency) +
                 " phase = " + num(sine_phase) + " shift = " + num(shift);
        if (current == drive::pulse_train || current == drive::sum)
            for (const auto& p : pulses)
                s += "\n    pulse onset = " + num(p.onset) + " duration = " + num(p.duration) +
                     " amplitude = " + num(p.amplitude);
        if (current == drive::white_noise)
            s += ", sigma = " + num(sigma) + ", bin = " + num(noise_dt) + ", noise seed = " + std::to_string(noise_seed);
        return s;
    }
};

/// The grid steps a run from t_start to t_end takes: the span in steps, rounded up unless it is a
/// whole number up to rounding (the cases are drawn so that it is either clearly whole or not).
inline std::int64_t steps_of(const neuron_case& c) {
    const double ratio = (c.t_end - c.t_start) / c.dt;
    const double nearest = std::round(ratio);
    if (std::abs(ratio - nearest) <= 1e-9 * std::max(1.0, ratio)) return static_cast<std::int64_t>(nearest);
    return static_cast<std::int64_t>(std::ceil(ratio));
}

/// What the family asks of the draw.
struct draw_options {
    model_kind model = model_kind::lif;
    std::vector<method> methods;             // one is picked
    std::vector<drive> currents;             // one is picked
    double max_dt_over_tau = 0.95;           // dt < tau (fixed-step stability, with margin)
    std::int64_t max_steps = 3000;           // keeps the run short
    double max_duration = 300;               // [ms]
    double max_omega_dt = 1e9;               // bound on 2 pi f dt of a sine
};

/// Draws one valid case from `seed`.
inline neuron_case draw_case(std::uint64_t seed, const draw_options& o) {
    std::mt19937_64 rng(seed);
    neuron_case c;
    c.seed = seed;
    c.model = o.model;
    c.how = o.methods[pick(rng, o.methods.size())];
    c.current = o.currents[pick(rng, o.currents.size())];
    c.lif_form = static_cast<int>(pick(rng, 3));
    c.tau_m = log_uniform(rng, 2.0, 50.0);
    c.c_m = log_uniform(rng, 0.05, 1.0);
    c.tau_syn = chance(rng, 0.2) ? c.tau_m : log_uniform(rng, 0.5, 20.0);
    c.e_l = uniform(rng, -80.0, 10.0);
    c.v_th = c.e_l + uniform(rng, 2.0, 30.0);
    c.v_reset = chance(rng, 0.3) ? c.e_l : uniform(rng, c.e_l - 10.0, c.v_th - 0.5);
    if (chance(rng, 0.5)) c.v_init = uniform(rng, c.v_reset - 5.0, c.v_th - 0.1);

    // The grid: dt from a list over 0.001 ... 0.5 ms, kept below tau (and tau_syn) by the family's margin.
    constexpr double dts[] = {0.001, 0.002, 0.005, 0.01, 0.02, 0.025, 0.05, 0.1, 0.125, 0.2, 0.25, 0.3, 0.5};
    double tau_min = c.tau_m;
    if (c.model == model_kind::lif_psc_exp) tau_min = std::min(tau_min, c.tau_syn);
    std::vector<double> allowed;
    for (const double d : dts)
        if (d <= o.max_dt_over_tau * tau_min) allowed.push_back(d);
    if (allowed.empty()) allowed.push_back(dts[0]);
    c.dt = allowed[pick(rng, allowed.size())];

    const double u = uniform(rng);
    c.t_ref = u < 0.25 ? 0.0 : u < 0.4 ? c.dt * static_cast<double>(1 + pick(rng, 20)) : log_uniform(rng, 0.05, 5.0);
    c.t_start = chance(rng, 0.5) ? 0.0 : uniform(rng, -50.0, 500.0);
    const double max_duration = std::min(o.max_duration, static_cast<double>(o.max_steps) * c.dt);
    double duration = uniform(rng, 0.3, 1.0) * max_duration;
    // Either a whole number of steps or clearly not.
    const double whole = std::floor(duration / c.dt);
    duration = chance(rng, 0.5) ? whole * c.dt : (whole + uniform(rng, 0.1, 0.9)) * c.dt;
    c.t_end = c.t_start + duration;

    // Currents scaled by the rheobase (the constant current that brings V to the threshold).
    const double rheobase = (c.v_th - c.e_l) / c.r_m();
    const double t0 = c.t_start, t1 = c.t_end;
    c.i0 = rheobase * uniform(rng, 0.0, 3.0);
    c.step_onset = uniform(rng, t0 - 10.0, t1);
    c.step_amplitude = rheobase * uniform(rng, 0.5, 3.0);
    const std::size_t n_pulses = 1 + pick(rng, 6);
    for (std::size_t k = 0; k < n_pulses; ++k)
        c.pulses.push_back({uniform(rng, t0 - 5.0, t1), log_uniform(rng, 0.05, 30.0), rheobase * uniform(rng, -1.0, 4.0)});
    c.sine_amplitude = rheobase * uniform(rng, 0.0, 2.0);
    c.sine_frequency = chance(rng, 0.1) ? 0.0 : log_uniform(rng, 1e-3, 0.2);
    c.sine_frequency = std::min(c.sine_frequency, o.max_omega_dt / (2.0 * std::numbers::pi * c.dt));
    c.sine_phase = uniform(rng, 0.0, 2.0 * std::numbers::pi);
    c.shift = uniform(rng, -20.0, 20.0);
    if (c.current == drive::sine) c.i0 = rheobase * uniform(rng, 0.0, 2.0);
    if (c.current == drive::sum) c.i0 = rheobase * uniform(rng, -0.5, 1.5);
    // White noise: V's stationary standard deviation (sigma/C) sqrt(tau/2) up to the threshold gap.
    c.sigma = uniform(rng, 0.0, 1.0) * (c.v_th - c.e_l) * c.c_m / std::sqrt(c.tau_m / 2.0);
    c.noise_dt = c.dt * static_cast<double>(chance(rng, 0.7) ? 1 : 1 + pick(rng, 4));
    c.noise_seed = rng();
    return c;
}

// --- Building the parts ----------------------------------------------------------------------

inline iaf::lif make_lif(const neuron_case& c) {
    const std::optional<double> none;
    const double r_m = c.tau_m / c.c_m;
    return iaf::lif{{.tau_m = c.lif_form == 1 ? none : std::optional<double>(c.tau_m),
                     .r_m = c.lif_form == 0 ? none : std::optional<double>(r_m),
                     .c_m = c.lif_form == 2 ? none : std::optional<double>(c.c_m),
                     .e_l = c.e_l, .v_th = c.v_th, .v_reset = c.v_reset, .v_init = c.v_init, .t_ref = c.t_ref}};
}
inline iaf::lif_psc_exp make_psc_exp(const neuron_case& c) {
    return iaf::lif_psc_exp{{.tau_m = c.tau_m, .c_m = c.c_m, .tau_syn = c.tau_syn, .e_l = c.e_l, .v_th = c.v_th,
                             .v_reset = c.v_reset, .v_init = c.v_init, .t_ref = c.t_ref}};
}

inline iaf::pulse_train make_pulses(const neuron_case& c) {
    std::vector<iaf::pulse> v;
    for (const auto& p : c.pulses) v.push_back(iaf::pulse{.onset = p.onset, .duration = p.duration, .amplitude = p.amplitude});
    return iaf::pulse_train(std::move(v));
}

/// Calls f with the case's current. Step, pulse train and sine alone are the sum with its other
/// parts zero (the same values, and each kind keeps its own breakpoints and closed form), so that
/// only three current types are instantiated per integrator and policy: the test compiles in a
/// third of the time of one type per kind.
template <typename F>
void with_current(const neuron_case& c, F&& f) {
    const auto sum = [&](double i0, double sine_amplitude, double shift, double step_amplitude, bool pulses) {
        // 0.5 * (2 a) sin(...) is a sin(...) to the bit: scaling by 2 and by 0.5 is exact.
        return iaf::constant{i0} +
               0.5 * iaf::shifted(iaf::sine{.amplitude = sine_amplitude, .frequency = c.sine_frequency,
                                            .phase = c.sine_phase},
                                  shift) +
               iaf::step{.onset = c.step_onset, .amplitude = step_amplitude} +
               (pulses ? make_pulses(c) : iaf::pulse_train(std::vector<iaf::pulse>{}));
    };
    switch (c.current) {
        case drive::constant: f(iaf::constant{c.i0}); return;
        case drive::step: f(sum(0.0, 0.0, 0.0, c.step_amplitude, false)); return;
        case drive::pulse_train: f(sum(0.0, 0.0, 0.0, 0.0, true)); return;
        case drive::sine: f(sum(c.i0, 2.0 * c.sine_amplitude, 0.0, 0.0, false)); return;
        case drive::sum: f(sum(c.i0, c.sine_amplitude, c.shift, c.step_amplitude, true)); return;
        case drive::white_noise:
            f(iaf::white_noise{.mean = c.i0, .sigma = c.sigma, .dt = c.noise_dt, .seed = c.noise_seed});
            return;
    }
}

/// Calls f(integrator, policy) for the case's method.
template <typename F>
void with_method(method m, F&& f) {
    switch (m) {
        case method::euler_grid: f(iaf::euler{}, iaf::grid{}); return;
        case method::euler_linear: f(iaf::euler{}, iaf::linear{}); return;
        case method::heun_linear: f(iaf::heun{}, iaf::linear{}); return;
        case method::heun_hermite: f(iaf::heun{}, iaf::hermite{}); return;
        case method::rk4_linear: f(iaf::rk4{}, iaf::linear{}); return;
        case method::rk4_hermite: f(iaf::rk4{}, iaf::hermite{}); return;
        case method::exact_grid: f(iaf::exact{}, iaf::grid{}); return;
        case method::exact_linear: f(iaf::exact{}, iaf::linear{}); return;
        case method::exact_hermite: f(iaf::exact{}, iaf::hermite{}); return;
        case method::exact_analytic: f(iaf::exact{}, iaf::analytic{}); return;
        case method::dopri5_grid: f(iaf::dopri5{}, iaf::grid{}); return;
        case method::dopri5_analytic: f(iaf::dopri5{}, iaf::analytic{}); return;
    }
}

// --- One run and its invariants ---------------------------------------------------------------

/// What a run produced, and what it broke.
struct run_record {
    std::vector<iaf::grid_time> grid_spikes;
    std::vector<double> spikes;      // absolute times [ms]
    std::vector<double> v_end;       // V at every step end [mV]
    std::vector<std::string> violations;
    void violate(std::string what) {
        if (violations.size() < 8) violations.push_back(std::move(what));
    }
};

template <typename State>
double voltage_of(const State& x) {
    if constexpr (std::is_arithmetic_v<State>) return x;
    else return x[0];
}

using iaf_test::all_finite;

/// Steps a neuron over the case by hand, checking the per-step invariants, then the spike train's,
/// then that `simulate` gives the same spikes. Exceptions are violations.
template <typename M, typename C, typename I, typename P>
void run_and_check(const neuron_case& c, const M& model, const C& current, const I& integrator, const P& timing,
                   run_record& out, bool keep_trace) {
    const std::int64_t steps = steps_of(c);
    try {
        iaf::neuron n{model, current, integrator, timing, c.dt, c.t_start};
        if (keep_trace) out.v_end.reserve(static_cast<std::size_t>(steps));
        for (std::int64_t k = 0; k < steps; ++k) {
            n.step([&](iaf::grid_time g) {
                out.grid_spikes.push_back(g);
                out.spikes.push_back(c.t_start + static_cast<double>(g.step) * c.dt + g.offset);
                if (g.step != k || !(g.offset >= 0.0 && g.offset <= c.dt))
                    out.violate("spike reported in step " + std::to_string(k) + " at (step " + std::to_string(g.step) +
                                ", offset " + num(g.offset) + "): not inside this step");
            });
            const auto& x = n.state();
            const double v = voltage_of(x);
            if (keep_trace) out.v_end.push_back(v);
            const double t = n.time();
            if (!all_finite(x)) {
                out.violate("non-finite state at t = " + num(t) + " (V = " + num(v) + ")");
                return;
            }
            if (!(v < c.v_th)) out.violate("V = " + num(v) + " >= v_th at the end of the step to t = " + num(t));
            if constexpr (!std::is_arithmetic_v<std::remove_cvref_t<decltype(x)>>) {
                if (x[1] != 0.0) out.violate("I_syn = " + num(x[1]) + " != 0 without synaptic events, t = " + num(t));
            }
            if (c.t_ref == 0.0) {
                if (n.refractory()) out.violate("refractory() with t_ref = 0 at t = " + num(t));
            } else if (!out.spikes.empty()) {
                const double ts = out.spikes.back();
                const double since = t - ts;
                const double tol = 8.0 * eps * (std::abs(t) + std::abs(ts) + c.t_ref + c.dt);
                if (since < c.t_ref - tol) {
                    if (std::bit_cast<std::uint64_t>(v) != std::bit_cast<std::uint64_t>(c.v_reset))
                        out.violate("V = " + num(v) + " instead of v_reset = " + num(c.v_reset) + " at t = " + num(t) +
                                    ", " + num(since) + " ms after the spike at " + num(ts) + " (t_ref = " +
                                    num(c.t_ref) + ")");
                    if (!n.refractory())
                        out.violate("not refractory() at t = " + num(t) + ", " + num(since) + " ms after the spike at " +
                                    num(ts));
                } else if (since > c.t_ref + tol && n.refractory()) {
                    out.violate("still refractory() at t = " + num(t) + ", " + num(since) +
                                " ms after the spike at " + num(ts) + " (t_ref = " + num(c.t_ref) + ")");
                }
            } else if (n.refractory()) {
                out.violate("refractory() before any spike, at t = " + num(t));
            }
        }
    } catch (const std::exception& e) {
        out.violate(std::string("threw for a valid input: ") + e.what());
        return;
    }

    // The spike train.
    const double t_last = c.t_start + static_cast<double>(steps) * c.dt;
    for (std::size_t j = 0; j < out.spikes.size(); ++j) {
        const double t = out.spikes[j];
        if (!(t >= c.t_start && t <= t_last + 4.0 * eps * std::abs(t_last)))
            out.violate("spike " + std::to_string(j) + " at " + num(t) + " outside [t_start, t_start + steps dt]");
        if (j == 0) continue;
        const double before = out.spikes[j - 1];
        const auto& g0 = out.grid_spikes[j - 1];
        const auto& g1 = out.grid_spikes[j];
        if (!(g1 > g0))
            out.violate("spike " + std::to_string(j) + " at (step " + std::to_string(g1.step) + ", offset " +
                        num(g1.offset) + ") not after the previous at (step " + std::to_string(g0.step) + ", offset " +
                        num(g0.offset) + ")");
        if (!(t > before))
            out.violate("spike times not strictly increasing: " + num(before) + " then " + num(t));
        const double tol = 4.0 * eps * (std::abs(t) + std::abs(before) + c.t_ref + c.dt);
        if (!(t - before >= c.t_ref - tol))
            out.violate("spikes " + num(before) + " and " + num(t) + " are " + num(t - before) +
                        " ms apart, less than t_ref = " + num(c.t_ref));
    }

    // simulate: the same spikes as the neuron stepped by hand, those up to t_end.
    try {
        const auto result = iaf::simulate(model, current, integrator, timing,
                                          {.dt = c.dt, .t_end = c.t_end, .t_start = c.t_start});
        std::vector<double> expected;
        for (const double t : out.spikes)
            if (t <= c.t_end) expected.push_back(t);
        bool same = result.spike_times.size() == expected.size();
        for (std::size_t j = 0; same && j < expected.size(); ++j)
            same = std::bit_cast<std::uint64_t>(result.spike_times[j]) == std::bit_cast<std::uint64_t>(expected[j]);
        if (!same)
            out.violate("simulate gives " + std::to_string(result.spike_times.size()) + " spikes, the stepped neuron " +
                        std::to_string(expected.size()) + " up to t_end (or different bits)");
        for (const double t : result.spike_times)
            if (!(t >= c.t_start && t <= c.t_end)) out.violate("simulate: spike at " + num(t) + " outside [t_start, t_end]");
    } catch (const std::exception& e) {
        out.violate(std::string("simulate threw for a valid input: ") + e.what());
    }
}

template <typename M>
M make_model(const neuron_case& c) {
    if constexpr (std::is_same_v<M, iaf::lif>) return make_lif(c);
    else return make_psc_exp(c);
}

/// Tallies a family's failures: the first few in full, then the count.
struct family_report {
    std::size_t cases = 0, failed = 0, spikes = 0;
    void add(const neuron_case& c, const run_record& r) {
        ++cases;
        spikes += r.spikes.size();
        if (r.violations.empty()) return;
        ++failed;
        if (failed <= 6) {
            std::string s = c.describe();
            for (const auto& v : r.violations) s += "\n  VIOLATION: " + v;
            FAIL_CHECK(s);
        }
    }
};

/// `count` cases of model M drawn from seeds base, base + 1, ..., each run with its own method and
/// current and checked.
template <typename M>
family_report run_family(std::uint64_t base, std::size_t count, const draw_options& o) {
    family_report report;
    for (std::size_t i = 0; i < count; ++i) {
        const std::uint64_t seed = base + i;
        if (!selected(seed)) continue;
        const neuron_case c = draw_case(seed, o);
        run_record r;
        try {
            const M model = make_model<M>(c);
            with_current(c, [&](const auto& current) {
                with_method(c.how, [&](const auto& integrator, const auto& timing) {
                    run_and_check(c, model, current, integrator, timing, r, false);
                });
            });
        } catch (const std::exception& e) {
            r.violate(std::string("building the case threw for a valid input: ") + e.what());
        }
        report.add(c, r);
    }
    return report;
}

inline std::vector<method> all_methods() {
    std::vector<method> m;
    for (std::size_t k = 0; k < method_count; ++k) m.push_back(static_cast<method>(k));
    return m;
}
inline std::vector<drive> deterministic_currents() {
    return {drive::constant, drive::step, drive::pulse_train, drive::sine, drive::sum};
}

}  // namespace iaf_invariants
