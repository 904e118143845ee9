#pragma once
// The explorer's output, written as the run goes: a CSV row per sample and a line per spike leave
// the process when stdio's buffer fills, so memory stays flat for any --t-end and a long run can
// be watched (tail -f) or piped while it runs. Not part of the library.
//
// The files are the ones examples/notebook_recording.hpp writes for one series (plot_trace.py
// reads both): <base>.csv with '#' metadata lines, then series,t_ms,V_mV,I_nA; <base>_spikes.csv
// with series,t_ms. At a spike the trace gets (t_spike, theta) and (t_spike, V_reset), so that a
// line plot draws the spike as a vertical stroke at the located time.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <utility>

#include <iaf/iaf.hpp>

#include "explorer_options.hpp"

namespace explorer {

/// What the plot needs besides the data (as notebook::figure_info).
struct csv_header {
    std::string title;
    std::string label;  // the one series' name; must not contain a comma
    double theta = 0.0; // threshold line [mV]
    std::string note{};
};

/// `<base>.csv` and `<base>_spikes.csv`, open for the whole run and written row by row.
class csv_stream {
public:
    csv_stream(std::string base, const csv_header& header) : base_(std::move(base)), label_(header.label) {
        trace_ = open(base_ + ".csv");
        spikes_ = open(base_ + "_spikes.csv");
        std::fprintf(trace_, "# title=%s\n# theta_mV=%.17g\n", one_line(header.title).c_str(), header.theta);
        if (!header.note.empty()) std::fprintf(trace_, "# note=%s\n", one_line(header.note).c_str());
        std::fprintf(trace_, "# series=%s\nseries,t_ms,V_mV,I_nA\n", label_.c_str());
        std::fprintf(spikes_, "series,t_ms\n");
    }
    csv_stream(const csv_stream&) = delete;
    csv_stream& operator=(const csv_stream&) = delete;
    ~csv_stream() {
        if (trace_ != nullptr) std::fclose(trace_);
        if (spikes_ != nullptr) std::fclose(spikes_);
    }

    /// One trace row: t [ms], V [mV], I [nA].
    void sample(double t, double v, double i) { std::fprintf(trace_, "%s,%.17g,%.17g,%.17g\n", label_.c_str(), t, v, i); }
    /// One spike time [ms].
    void spike(double t) { std::fprintf(spikes_, "%s,%.17g\n", label_.c_str(), t); }

    /// Flushes and closes both files; throws usage_error if anything was lost (a full disk).
    void close() {
        const bool trace_ok = finish(trace_), spikes_ok = finish(spikes_);
        if (!trace_ok || !spikes_ok) throw usage_error{"--csv: writing " + base_ + ".csv or " + base_ + "_spikes.csv failed"};
    }

private:
    static std::FILE* open(const std::string& path) {
        std::FILE* f = std::fopen(path.c_str(), "w");
        if (f == nullptr) throw usage_error{"--csv: cannot write " + path};
        return f;
    }
    static bool finish(std::FILE*& f) {
        const bool ok = std::ferror(f) == 0;
        const bool closed = std::fclose(f) == 0;
        f = nullptr;
        return ok && closed;
    }
    // Metadata text on one line: a newline becomes the two characters \n (plot_trace.py turns
    // them back).
    static std::string one_line(std::string text) {
        for (std::size_t k = text.find('\n'); k != std::string::npos; k = text.find('\n', k + 2)) text.replace(k, 1, "\\n");
        return text;
    }

    std::string base_, label_;
    std::FILE* trace_ = nullptr;
    std::FILE* spikes_ = nullptr;
};

/// What a run leaves behind once its rows are written: enough for the rates, nothing per spike.
struct run_summary {
    std::int64_t spikes = 0;
    double first = std::numeric_limits<double>::quiet_NaN();  // [ms]
    double last = std::numeric_limits<double>::quiet_NaN();   // [ms]
};

/// Steps `n` over `steps` grid steps and hands each spike at or before `t_end` to `on_spike(t)` as
/// it happens; throws usage_error if a spike does not come strictly after the previous one (the
/// neuron fires faster than time can resolve). With `trace`, also writes a row at the start, at both ends of each spike's stroke and
/// after every step (V from the neuron, I from the neuron's own current, so the CSV shows exactly
/// what was integrated). Memory does not grow with `steps`.
template <typename Neuron, typename OnSpike>
run_summary stream_run(Neuron& n, std::int64_t steps, double t_end, csv_stream* trace, double theta, double v_reset,
                       OnSpike&& on_spike) {
    run_summary summary;
    double previous = -std::numeric_limits<double>::infinity();
    const auto spiked = [&](double t) {
        // Spikes must move forward in time. Driven hard enough (10^300 nA, or a ramp after long
        // enough) with no refractory period, a LIF fires faster than double-precision time can
        // resolve: the next spike lands at the same t, and the step would report it forever
        // (found by tests/fuzz/: the explorer hung printing one time). Checked before the t_end
        // filter, so a stall in the last step past t_end ends too.
        if (!(t > previous)) {
            char at[32];
            std::snprintf(at, sizeof at, "%.17g", t);
            throw usage_error{std::string("--current: at t = ") + at +
                              " ms the input drives spikes closer together than the time resolution (two "
                              "spikes at the same time); lower the current or raise --t-ref"};
        }
        previous = t;
        // The last step may end after t_end (t_end is not always a whole number of steps): a spike
        // inside it but after t_end is outside the run, as in iaf::simulate.
        if (!(t <= t_end)) return;
        if (summary.spikes == 0) summary.first = t;
        summary.last = t;
        ++summary.spikes;
        on_spike(t);
    };
    if (trace == nullptr) {
        // Spikes only: the library's own loop, which keeps the neuron's state in registers.
        iaf::detail::step_many(n, steps, spiked);
        return summary;
    }
    const auto& current = n.current();
    const auto sample = [&](double t, double v) { trace->sample(t, v, static_cast<double>(current(t))); };
    sample(n.time(), n.voltage());
    for (std::int64_t k = 0; k < steps; ++k) {
        n.step([&](double t) {
            if (!(t <= t_end)) return;
            spiked(t);
            trace->spike(t);
            sample(t, theta);
            sample(t, v_reset);
        });
        sample(n.time(), n.voltage());
    }
    return summary;
}

}  // namespace explorer
