#pragma once
// Shared by the notebook examples and the explorer (not part of the library): steps a neuron over
// a time span, records V and I at every grid point and the spike times, and writes them as CSV for
// examples/plots/plot_trace.py.
//
// CSV layout, two files per figure (plain comma-separated, readable by any spreadsheet):
//   <base>.csv         series,t_ms,V_mV,I_nA   one row per grid point (plus two per spike, below)
//   <base>_spikes.csv  series,t_ms             one row per spike
// Lines starting with '#' carry what the figure needs besides the data (title, threshold, note,
// reference series, and every series' name in order).
// At a spike the trace gets the points (t_spike, theta) and (t_spike, V_reset), so that a line plot
// draws the spike as a vertical stroke at the located time, not at the next grid point.
#include <cstdint>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace notebook {

/// One simulated run: a trace sampled on the grid (with the spike points) and its spike times.
struct series {
    std::string label{};          // legend text; must not contain a comma
    std::vector<double> t{};      // [ms]
    std::vector<double> v{};      // [mV]
    std::vector<double> i{};      // [nA]
    std::vector<double> spikes{}; // [ms]
};

/// Steps `n` until its time reaches `t_stop` (ms), appending to `out`. The current is read from the
/// neuron itself, so the CSV shows exactly what was integrated. `theta` and `v_reset` (mV) draw the
/// spikes. Records the starting point only when `out` is empty or the neuron starts later than the
/// last sample (a fresh neuron after a reset).
template <typename Neuron>
void record(series& out, Neuron& n, double t_stop, double theta, double v_reset) {
    const auto& current = n.current();
    const auto sample = [&](double t, double v) {
        out.t.push_back(t);
        out.v.push_back(v);
        out.i.push_back(static_cast<double>(current(t)));
    };
    sample(n.time(), n.voltage());
    std::vector<double> in_step;
    // Stop half a step early so that rounding in n.time() never adds a step past t_stop.
    while (n.time() < t_stop - 0.5 * n.dt()) {
        in_step.clear();
        n.step([&](double t) { in_step.push_back(t); });
        for (const double t : in_step) {
            out.spikes.push_back(t);
            sample(t, theta);
            sample(t, v_reset);
        }
        sample(n.time(), n.voltage());
    }
}

/// What the plot needs besides the data.
struct figure_info {
    std::string title;
    double theta = 0.0;         // threshold line [mV]
    std::string note{};         // optional subtitle
    std::string reference{};    // label of the series that is the exact solution (drawn underneath)
};

/// Keeps only the spike times of `s` (the figure shows them in the raster, not in the V panel).
inline series spikes_only(series s) {
    s.t.clear();
    s.v.clear();
    s.i.clear();
    return s;
}

/// One component of a summed input, for the current panel: label "input: ...", I = `current(t)`
/// on the grid t0, t0 + dt, ... up to t1, no V (NaN) and no spikes.
template <typename Current>
series input_component(std::string label, const Current& current, double t0, double t1, double dt) {
    series s{.label = "input: " + std::move(label)};
    for (std::int64_t k = 0; t0 + static_cast<double>(k) * dt <= t1 + 1e-9 * dt; ++k) {
        const double t = t0 + static_cast<double>(k) * dt;
        s.t.push_back(t);
        s.v.push_back(std::numeric_limits<double>::quiet_NaN());
        s.i.push_back(static_cast<double>(current(t)));
    }
    return s;
}

/// A number as %g prints it (for labels and titles).
inline std::string number(double x) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%g", x);
    return buffer;
}

/// Writes metadata text on one line: newlines become the two characters \n (plot_trace.py turns
/// them back).
inline std::string one_line(std::string text) {
    for (std::size_t k = text.find('\n'); k != std::string::npos; k = text.find('\n', k + 2)) text.replace(k, 1, "\\n");
    return text;
}

namespace detail {
inline std::FILE* open_or_throw(const std::string& path) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (f == nullptr) throw std::runtime_error("cannot write " + path);
    return f;
}
}  // namespace detail

/// Writes `<base>.csv` and `<base>_spikes.csv`. Values carry 17 significant digits where they are
/// results (V, spike times) so that nothing is lost; times on the grid print exactly enough.
inline void write_csv(const std::string& base, const figure_info& info, const std::vector<series>& runs) {
    std::FILE* f = detail::open_or_throw(base + ".csv");
    std::fprintf(f, "# title=%s\n# theta_mV=%.17g\n", one_line(info.title).c_str(), info.theta);
    if (!info.note.empty()) std::fprintf(f, "# note=%s\n", one_line(info.note).c_str());
    if (!info.reference.empty()) std::fprintf(f, "# reference=%s\n", one_line(info.reference).c_str());
    // Every series by name, in order, so that one with neither trace nor spikes still gets its
    // (empty) raster row.
    for (const series& s : runs) std::fprintf(f, "# series=%s\n", s.label.c_str());
    std::fprintf(f, "series,t_ms,V_mV,I_nA\n");
    for (const series& s : runs)
        for (std::size_t k = 0; k < s.t.size(); ++k)
            std::fprintf(f, "%s,%.17g,%.17g,%.17g\n", s.label.c_str(), s.t[k], s.v[k], s.i[k]);
    std::fclose(f);

    f = detail::open_or_throw(base + "_spikes.csv");
    std::fprintf(f, "series,t_ms\n");
    for (const series& s : runs)
        for (const double t : s.spikes) std::fprintf(f, "%s,%.17g\n", s.label.c_str(), t);
    std::fclose(f);
}

}  // namespace notebook
