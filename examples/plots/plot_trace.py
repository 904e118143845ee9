#!/usr/bin/env python3
"""Renders one figure of the notebook examples or of the explorer from their CSV files.

Usage: plot_trace.py BASE OUT.png
Reads BASE.csv (series,t_ms,V_mV,I_nA; '#' lines: title, theta_mV, note, reference, series) and BASE_spikes.csv
(series,t_ms), both written by examples/notebook_recording.hpp, and draws three panels on a
shared time axis: the membrane potential of every series with the threshold line, the input
current, and a spike raster with one row per series.

The PNG is reproducible: fixed size and dpi, no software or date stamp in its metadata, so
re-running the demo leaves the committed figures unchanged.
"""
import csv
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display needed, and the same rendering everywhere
import matplotlib.pyplot as plt  # noqa: E402  (must follow the backend choice)

# Colours per series, in order; the first series is the notebook's method, drawn solid.
COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"]
STYLES = ["-", "--", "-.", ":", "-", "--"]


def read_trace(path):
    meta, series = {}, {}
    with open(path, newline="") as f:
        data_lines = []
        for line in f:
            if line.startswith("#"):
                key, _, value = line[1:].strip().partition("=")
                value = value.strip().replace("\\n", "\n")
                if key.strip() == "series":  # one line per series, in order
                    meta.setdefault("series", []).append(value)
                else:
                    meta[key.strip()] = value
            else:
                data_lines.append(line)
    for row in csv.DictReader(data_lines):
        s = series.setdefault(row["series"], {"t": [], "v": [], "i": []})
        s["t"].append(float(row["t_ms"]))
        s["v"].append(float(row["V_mV"]))
        s["i"].append(float(row["I_nA"]))
    return meta, series


def read_spikes(path, labels):
    spikes = {label: [] for label in labels}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            spikes.setdefault(row["series"], []).append(float(row["t_ms"]))
    return spikes


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: plot_trace.py BASE OUT.png")
    base, out = argv[1], argv[2]
    meta, series = read_trace(base + ".csv")
    # Series named "input: ..." are components of the input current, drawn in the current panel
    # only; a series with spikes but no trace rows appears in the raster only.
    inputs = {label: s for label, s in series.items() if label.startswith("input:")}
    traces = {label: s for label, s in series.items() if label not in inputs}
    if not traces:
        sys.exit(f"plot_trace.py: {base}.csv holds no trace")
    spikes = read_spikes(base + "_spikes.csv", list(traces))
    # Raster rows: every series in the order written (inputs excluded), then any other spiking one.
    listed = [label for label in meta.get("series", []) if label not in inputs]
    labels = list(dict.fromkeys(listed + list(traces) + list(spikes)))
    colour = {label: COLOURS[k % len(COLOURS)] for k, label in enumerate(labels)}
    theta = float(meta["theta_mV"])
    reference = meta.get("reference")

    fig, (ax_v, ax_i, ax_r) = plt.subplots(
        3, 1, figsize=(10.0, 7.2), sharex=True, gridspec_kw={"height_ratios": [3.2, 1.3, 0.4 + 0.35 * len(labels)]})
    t_min = min(min(s["t"]) for s in traces.values())
    t_max = max(max(s["t"]) for s in traces.values())

    for k, label in enumerate(traces):
        s = traces[label]
        if label == reference:  # the exact solution: a wide pale band the methods are drawn over
            ax_v.plot(s["t"], s["v"], "-", color="0.55", lw=4.0, alpha=0.45, label=label, zorder=1)
            colour[label] = "0.45"
            continue
        coarse = len(s["t"]) < 400  # a coarse grid (dt = 1 ms) shows its points
        ax_v.plot(s["t"], s["v"], STYLES[k % len(STYLES)], color=colour[label], lw=1.5 if k == 0 else 1.2,
                  label=label, marker="o" if coarse else None, ms=2.5, zorder=2 + k)
    ax_v.axhline(theta, color="0.2", ls=":", lw=1.2, label=f"threshold θ = {theta:g} mV", zorder=1)
    v_all = [v for s in traces.values() for v in s["v"]] + [theta]
    v_low, v_high = min(v_all), max(v_all)
    span = v_high - v_low
    ax_v.set_ylim(v_low - 0.05 * span, v_high + 0.32 * span)  # headroom for the legend
    ax_v.set_ylabel("membrane potential V (mV)")
    wide = max(len(label) for label in traces) > 32
    ax_v.legend(loc="upper center", ncol=2 if wide else min(len(traces) + 1, 3), fontsize=8, framealpha=0.95)
    fig.suptitle(meta.get("title", base), fontsize=11.5)
    if meta.get("note"):
        ax_v.set_title("\n".join(textwrap.wrap(meta["note"], 135, break_long_words=False)), fontsize=8.5, color="0.25")

    first = next(iter(traces.values()))
    ax_i.plot(first["t"], first["i"], color="black", lw=1.3, label="total I(t)" if inputs else None, zorder=3)
    for k, (label, s) in enumerate(inputs.items()):
        ax_i.plot(s["t"], s["i"], ["--", ":"][k % 2], color=COLOURS[(k + 2) % len(COLOURS)], lw=1.6,
                  label=label[len("input:"):].strip(), zorder=4)
    if inputs:
        ax_i.legend(loc="center right", fontsize=8, framealpha=0.95)
    i_all = [i for s in [first, *inputs.values()] for i in s["i"]] + [0.0]
    i_low, i_high = min(i_all), max(i_all)
    pad = 0.15 * (i_high - i_low) if i_high > i_low else 0.5
    ax_i.set_ylim(i_low - pad, i_high + pad)
    ax_i.axhline(0.0, color="0.8", lw=0.8, zorder=0)
    ax_i.set_ylabel("input current I (nA)")

    for k, label in enumerate(labels):
        times = spikes.get(label, [])
        ax_r.vlines(times, k + 0.65, k + 1.35, color=colour[label], lw=1.4)
        if not times:
            ax_r.text(0.5 * (t_min + t_max), k + 1, "no spike", va="center", ha="center", fontsize=8, color="0.4")
    ax_r.set_yticks(range(1, len(labels) + 1))
    # Row labels: the label up to its first " (" (the legend has the rest) and the spike count.
    ax_r.set_yticklabels([f"{label.split(' (')[0]}: {len(spikes.get(label, []))}" for label in labels],
                         fontsize=8)
    ax_r.set_ylim(0.4, len(labels) + 0.6)
    ax_r.invert_yaxis()  # first series on top, as in the legend
    ax_r.set_ylabel("spikes")
    ax_r.set_xlabel("time t (ms)")
    ax_r.set_xlim(t_min, t_max)

    for ax in (ax_v, ax_i, ax_r):
        ax.grid(True, color="0.92", lw=0.6)
    fig.align_ylabels((ax_v, ax_i, ax_r))
    fig.tight_layout()
    # No "Software" entry (it carries the matplotlib version) and a fixed dpi: same bytes each run.
    fig.savefig(out, dpi=100, metadata={"Software": None})
    plt.close(fig)


if __name__ == "__main__":
    main(sys.argv)
