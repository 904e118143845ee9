#!/usr/bin/env python3
"""Renders the firing-pattern gallery of examples/firing_patterns.cpp.

Usage: plot_firing_patterns.py BASE OUT.png
Reads BASE.csv (model,pattern,t_ms,V_mV) and BASE_spikes.csv (model,pattern,t_ms) and draws one
panel per pattern: the six AdEx patterns of Naud et al. (2008) and the four Izhikevich (2003)
classes. A spike resets V, so the trace alone never shows it: each spike is drawn as a line from
the trace up to the model's peak (0 mV for the AdEx, 30 mV for Izhikevich).

The PNG is reproducible: fixed size and dpi, no software or date stamp in its metadata, so
re-running the demo leaves the committed figures unchanged.
"""
import csv
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")  # no display needed, and the same rendering everywhere
import matplotlib.pyplot as plt  # noqa: E402  (must follow the backend choice)
import numpy as np  # noqa: E402  (matplotlib's own dependency)

PEAK = {"adex": 0.0, "izhikevich": 30.0}
COLOUR = {"adex": "#1f77b4", "izhikevich": "#d62728"}
TITLE = {"adex": "AdEx", "izhikevich": "Izhikevich"}


def read(path, columns):
    rows = defaultdict(list)
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            rows[(row["model"], row["pattern"])].append([float(row[c]) for c in columns])
    return {key: np.array(values) for key, values in rows.items()}


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: plot_firing_patterns.py BASE OUT.png")
    base, out = argv[1], argv[2]
    traces = read(base + ".csv", ["t_ms", "V_mV"])
    spikes = read(base + "_spikes.csv", ["t_ms"])
    panels = list(traces)  # in the order the example ran them: AdEx first

    columns = 2
    rows = (len(panels) + columns - 1) // columns
    fig, axes = plt.subplots(rows, columns, figsize=(11.0, 2.0 * rows), squeeze=False)
    for ax, key in zip(axes.flat, panels):
        model, pattern = key
        t, v = traces[key][:, 0], traces[key][:, 1]
        ax.plot(t, v, color=COLOUR[model], linewidth=0.7)
        times = spikes.get(key, np.zeros((0, 1)))[:, 0]
        if times.size:
            below = v[np.clip(np.searchsorted(t, times) - 1, 0, len(v) - 1)]  # V at the step before
            ax.vlines(times, below, PEAK[model], color=COLOUR[model], linewidth=0.7)
        ax.set_title(f"{TITLE[model]}: {pattern} ({times.size} spikes)", fontsize=9)
        ax.set_xlim(t[0], t[-1])
        ax.set_ylabel("V [mV]", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(panels):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("t [ms]", fontsize=8)
    fig.suptitle("Firing patterns under a step current: AdEx (Naud et al. 2008) and Izhikevich (2003), "
                 "rk4 + hermite, dt = 0.05 ms", fontsize=10)
    fig.tight_layout(rect=(0, 0, 1, 0.97))
    fig.savefig(out, dpi=110, metadata={"Software": None})


if __name__ == "__main__":
    main(sys.argv)
