#pragma once
// The explorer's --current spec: parsed into a description, then built once into one of the
// library's current types. Not part of the library.
//
// Grammar: TERM ('+' TERM)*, TERM = KIND[:KEY=VALUE(,KEY=VALUE)*]. Kinds and keys (units nA, ms):
//   constant:amp=A                               I = A
//   step:onset=T,amp=A                           I = A for t >= T
//   pulse:onset=T,duration=D,amp=A               I = A for T <= t < T + D
//   pulses:onset=T,duration=D,period=P,count=N,amp=A   N pulses, one every P ms from T
// At most 1e6 pulses in all (pulse and pulses terms together).
//   sine:amp=A,freq=F[,phase=PHI][,offset=O]     I = O + A sin(2 pi F t + PHI), F in cycles/ms
//   ramp:onset=T,slope=S                         I = S (t - T) for t >= T, in nA/ms
// Terms add. At most one sine and one ramp (the run's current type is fixed at compile time: a
// constant, a piecewise-constant part holding every step and pulse, a sine and a ramp).
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include <iaf/currents.hpp>

namespace explorer {

/// A malformed --current spec; the message says what is wrong and where.
class spec_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct pulse_description {
    double onset, duration, amplitude;  // ms, ms, nA
};
struct step_description {
    double onset, amplitude;  // ms, nA
};
struct sine_description {
    double amplitude, frequency, phase, offset;  // nA, cycles/ms, rad, nA
};
struct ramp_description {
    double onset, slope;  // ms, nA/ms
};

/// What --current (or --I) asked for.
struct current_description {
    double constant = 0.0;  // nA
    std::vector<pulse_description> pulses;
    std::vector<step_description> steps;
    std::optional<sine_description> sine;
    std::optional<ramp_description> ramp;
    std::string text;  // the spec as given, for messages and titles
};

inline const char* current_help() {
    return "input current, terms joined by '+': constant:amp=A | step:onset=T,amp=A | "
           "pulse:onset=T,duration=D,amp=A | pulses:onset=T,duration=D,period=P,count=N,amp=A | "
           "sine:amp=A,freq=F[,phase=PHI,offset=O] (F in cycles/ms) | ramp:onset=T,slope=S. "
           "Units nA, ms. Default: constant:amp=<--I>";
}

inline current_description constant_description(double amplitude) {
    current_description d;
    d.constant = amplitude;
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "constant:amp=%g", amplitude);
    d.text = buffer;
    return d;
}

namespace detail {

inline std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
}

/// The KEY=VALUE pairs of one term, each read at most once.
class term_parameters {
public:
    /// Parses "KEY=VALUE,..." for `kind`, whose keys are listed in `allowed` (", "-separated).
    term_parameters(std::string_view kind, std::string_view allowed, std::string_view list) : kind_(kind) {
        while (!list.empty()) {
            const std::size_t comma = list.find(',');
            const std::string_view pair = trim(list.substr(0, comma));
            list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
            const std::size_t eq = pair.find('=');
            if (eq == std::string_view::npos || eq == 0)
                throw spec_error("'" + std::string(pair) + "' in " + std::string(kind) + " is not KEY=VALUE");
            const std::string key(trim(pair.substr(0, eq)));
            if (!is_listed(key, allowed))
                throw spec_error(std::string(kind) + " has no parameter '" + key + "' (expected " +
                                 std::string(allowed) + ")");
            const std::string_view text = trim(pair.substr(eq + 1));
            double value = 0.0;
            const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
            if (error != std::errc{} || end != text.data() + text.size() || text.empty())
                throw spec_error(std::string(kind) + ": " + key + " = '" + std::string(text) + "' is not a number");
            for (const entry& e : entries_)
                if (e.key == key) throw spec_error(std::string(kind) + ": " + key + " is given twice");
            entries_.push_back({key, value});
        }
    }

    double required(std::string_view key) const {
        for (const entry& e : entries_)
            if (e.key == key) return e.value;
        throw spec_error(std::string(kind_) + " needs " + std::string(key) + "=VALUE");
    }
    double optional(std::string_view key, double fallback) const {
        for (const entry& e : entries_)
            if (e.key == key) return e.value;
        return fallback;
    }
private:
    static bool is_listed(std::string_view key, std::string_view allowed) {
        while (!allowed.empty()) {
            const std::size_t comma = allowed.find(',');
            if (trim(allowed.substr(0, comma)) == key) return true;
            allowed = comma == std::string_view::npos ? std::string_view{} : allowed.substr(comma + 1);
        }
        return false;
    }

    struct entry {
        std::string key;
        double value;
    };
    std::string_view kind_;
    std::vector<entry> entries_;
};

/// Splits at the '+' that start a new term (followed by a letter), not at exponents like 1e+3.
inline std::vector<std::string_view> split_terms(std::string_view spec) {
    std::vector<std::string_view> terms;
    std::size_t start = 0;
    for (std::size_t k = 0; k < spec.size(); ++k) {
        if (spec[k] != '+') continue;
        std::size_t next = k + 1;
        while (next < spec.size() && spec[next] == ' ') ++next;
        const bool exponent = k > 0 && (spec[k - 1] == 'e' || spec[k - 1] == 'E') && next < spec.size() &&
                              spec[next] >= '0' && spec[next] <= '9';
        if (exponent) continue;
        terms.push_back(trim(spec.substr(start, k - start)));
        start = k + 1;
    }
    terms.push_back(trim(spec.substr(start)));
    return terms;
}

}  // namespace detail

/// The most pulses a spec may ask for, over all its pulse and pulses terms.
inline constexpr double max_pulses = 1e6;

/// Parses a --current spec; throws spec_error naming the offending term.
inline current_description parse_current(std::string_view spec) {
    current_description d;
    d.text = std::string(spec);
    if (detail::trim(spec).empty()) throw spec_error("empty spec (expected e.g. constant:amp=0.8)");
    for (const std::string_view term : detail::split_terms(spec)) {
        if (term.empty()) throw spec_error("empty term in '" + std::string(spec) + "' (a stray '+')");
        const std::size_t colon = term.find(':');
        const std::string kind(detail::trim(term.substr(0, colon)));
        const std::string_view list = colon == std::string_view::npos ? std::string_view{} : term.substr(colon + 1);
        const auto parameters = [&](std::string_view allowed) { return detail::term_parameters(kind, allowed, list); };
        if (kind == "constant") {
            auto p = parameters("amp");
            d.constant += p.required("amp");
        } else if (kind == "step") {
            auto p = parameters("onset, amp");
            d.steps.push_back({p.required("onset"), p.required("amp")});
        } else if (kind == "pulse") {
            auto p = parameters("onset, duration, amp");
            if (static_cast<double>(d.pulses.size()) >= max_pulses)
                throw spec_error("pulse: more than 1e6 pulses in all");
            d.pulses.push_back({p.required("onset"), p.required("duration"), p.required("amp")});
        } else if (kind == "pulses") {
            auto p = parameters("onset, duration, period, count, amp");
            const double onset = p.required("onset"), duration = p.required("duration");
            const double period = p.required("period"), count = p.required("count"), amp = p.required("amp");
            if (!(count >= 1.0 && count <= 1e6 && count == std::floor(count)))
                throw spec_error("pulses: count = " + std::to_string(count) + " must be a whole number in [1, 1e6]");
            // The bound is on the whole spec, not per term: 60 terms of 10^6 pulses fit in 3.5 kB
            // of spec and took 7.5 GB and minutes to build (found while fuzzing, tests/fuzz/).
            if (count > max_pulses - static_cast<double>(d.pulses.size()))
                throw spec_error("pulses: " + std::to_string(static_cast<long long>(count)) + " more pulses after " +
                                 std::to_string(d.pulses.size()) + " exceed 1e6 pulses in all");
            if (!(period >= duration))
                throw spec_error("pulses: period must be >= duration (the pulses would overlap)");
            for (int k = 0; k < static_cast<int>(count); ++k) d.pulses.push_back({onset + k * period, duration, amp});
        } else if (kind == "sine") {
            if (d.sine) throw spec_error("at most one sine term (the explorer's current type has one sine)");
            auto p = parameters("amp, freq, phase, offset");
            d.sine = sine_description{p.required("amp"), p.required("freq"), p.optional("phase", 0.0),
                                      p.optional("offset", 0.0)};
        } else if (kind == "ramp") {
            if (d.ramp) throw spec_error("at most one ramp term (the explorer's current type has one ramp)");
            auto p = parameters("onset, slope");
            d.ramp = ramp_description{p.required("onset"), p.required("slope")};
        } else {
            throw spec_error("unknown kind '" + kind + "' (expected constant, step, pulse, pulses, sine or ramp)");
        }
    }
    return d;
}

/// The spec as the user wrote it (or the constant from --I).
inline const std::string& describe(const current_description& d) { return d.text; }

/// Builds the run's current from the library's types. Its type is the same for every spec
/// (constant + pulse_train + piecewise + sine + ramp, absent parts being zero), so the dispatch to
/// compile-time types happens once, outside the stepping loop, and `exact` still integrates it
/// exactly: every part has a closed-form leaky response and the jumps are breakpoints. Throws
/// iaf::invalid_parameter from the library when a value breaks a current's rule.
inline auto make_current(const current_description& d) {
    std::vector<iaf::pulse> pulses;
    for (const pulse_description& p : d.pulses)
        pulses.push_back(iaf::pulse{.onset = p.onset, .duration = p.duration, .amplitude = p.amplitude});

    // Steps add up to one piecewise-constant current: its level after each distinct onset.
    std::vector<step_description> steps = d.steps;
    std::sort(steps.begin(), steps.end(), [](const auto& a, const auto& b) { return a.onset < b.onset; });
    std::vector<double> times{0.0}, levels{0.0};  // a zero piece when there is no step
    if (!steps.empty()) {
        times.clear();
        levels.clear();
        double level = 0.0;
        for (const step_description& s : steps) {
            level += s.amplitude;
            if (!times.empty() && times.back() == s.onset) levels.back() = level;
            else {
                times.push_back(s.onset);
                levels.push_back(level);
            }
        }
    }

    const sine_description sine = d.sine.value_or(sine_description{0.0, 0.0, 0.0, 0.0});
    const ramp_description ramp = d.ramp.value_or(ramp_description{0.0, 0.0});
    return iaf::constant{d.constant} + iaf::pulse_train{std::move(pulses)} +
           iaf::piecewise{std::move(times), std::move(levels)} +
           iaf::sine{.amplitude = sine.amplitude, .frequency = sine.frequency, .phase = sine.phase,
                     .offset = sine.offset} +
           iaf::ramp{.onset = ramp.onset, .slope = ramp.slope};
}

}  // namespace explorer
