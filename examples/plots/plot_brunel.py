#!/usr/bin/env python3
"""Renders a run of examples/brunel.cpp (Brunel's balanced network) from its spike file.

Usage: plot_brunel.py BASE OUT.png
Reads BASE_spikes.csv (time_ms,index; '#' lines: title, network parameters, t_end_ms, t_warm_ms
and the printed results rate_Hz, cv, synchrony, mean_field_Hz), written by brunel --out BASE, and
draws: a raster of 200 neurons (the first 160 excitatory and the first 40 inhibitory ones, the
ratio of the network), the population rate of all neurons, and the distributions of the neurons'
rates and of their ISI CVs after the warm-up.

The PNG is reproducible: fixed size and dpi, no software or date stamp in its metadata, so
re-running the demo leaves the committed figures unchanged.
"""
import sys
import textwrap

import matplotlib

matplotlib.use("Agg")  # no display needed, and the same rendering everywhere
import matplotlib.pyplot as plt  # noqa: E402  (must follow the backend choice)
import numpy as np  # noqa: E402  (matplotlib's own dependency)

EXCITATORY = "#1f77b4"
INHIBITORY = "#d62728"
SAMPLE_E, SAMPLE_I = 160, 40
RATE_BIN_MS = 0.5


def read_spikes(path):
    meta, rows = {}, []
    with open(path) as f:
        for line in f:
            if line.startswith("#"):
                key, _, value = line[1:].strip().partition("=")
                meta[key.strip()] = value.strip()
            elif not line.startswith("time_ms"):
                rows.append(line)
    data = np.loadtxt(rows, delimiter=",", ndmin=2) if rows else np.zeros((0, 2))
    return meta, data[:, 0], data[:, 1].astype(np.int64)


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: plot_brunel.py BASE OUT.png")
    base, out = argv[1], argv[2]
    meta, t, idx = read_spikes(base + "_spikes.csv")
    n_e, n_i = int(meta["n_e"]), int(meta["n_i"])
    n = n_e + n_i
    t_end, t_warm = float(meta["t_end_ms"]), float(meta["t_warm_ms"])

    fig = plt.figure(figsize=(10.0, 7.2))
    grid = fig.add_gridspec(3, 2, height_ratios=[3.0, 1.5, 1.6], hspace=0.38, wspace=0.22)
    ax_r = fig.add_subplot(grid[0, :])
    ax_a = fig.add_subplot(grid[1, :], sharex=ax_r)
    ax_hr = fig.add_subplot(grid[2, 0])
    ax_hc = fig.add_subplot(grid[2, 1])

    # Raster: the sampled excitatory neurons as rows 1..160, the inhibitory ones above them.
    n_se, n_si = min(SAMPLE_E, n_e), min(SAMPLE_I, n_i)
    e = idx < n_se
    i = (idx >= n_e) & (idx < n_e + n_si)
    ax_r.scatter(t[e], idx[e] + 1, s=1.2, c=EXCITATORY, marker="|", linewidths=0.6, label=f"{n_se} excitatory")
    ax_r.scatter(t[i], idx[i] - n_e + n_se + 1, s=1.2, c=INHIBITORY, marker="|", linewidths=0.6,
                 label=f"{n_si} inhibitory")
    ax_r.axvspan(0.0, t_warm, color="0.93", zorder=0, lw=0)
    ax_r.set_ylim(0.0, n_se + n_si + 1)
    ax_r.set_ylabel("neuron")
    ax_r.legend(loc="upper right", fontsize=8, framealpha=0.95, markerscale=4)
    plt.setp(ax_r.get_xticklabels(), visible=False)

    # Population rate of all neurons.
    edges = np.arange(0.0, t_end + 0.5 * RATE_BIN_MS, RATE_BIN_MS)
    counts, _ = np.histogram(t, bins=edges)
    rate = counts / (n * RATE_BIN_MS * 1e-3)
    ax_a.plot(edges[:-1] + 0.5 * RATE_BIN_MS, rate, color="black", lw=0.6)
    mean_field = float(meta["mean_field_Hz"])
    ax_a.axhline(mean_field, color="0.3", ls="--", lw=1.0, label=f"mean field {mean_field:.1f} Hz")
    ax_a.axvspan(0.0, t_warm, color="0.93", zorder=0, lw=0)
    ax_a.set_ylabel(f"rate (Hz)\n{RATE_BIN_MS:g} ms bins", fontsize=9)
    ax_a.set_xlabel("time t (ms)")
    ax_a.set_xlim(0.0, t_end)
    ax_a.legend(loc="upper right", fontsize=8, framealpha=0.95)

    # Per-neuron rates and CVs after the warm-up, as brunel computes them.
    late = t >= t_warm
    order = np.lexsort((t[late], idx[late]))
    ts, ids = t[late][order], idx[late][order]
    per_neuron = np.bincount(ids, minlength=n) / ((t_end - t_warm) * 1e-3)
    cvs = []
    bounds = np.searchsorted(ids, np.arange(n + 1))
    for k in range(n):
        s = ts[bounds[k]:bounds[k + 1]]
        if len(s) >= 3:
            isi = np.diff(s)
            cvs.append(isi.std() / isi.mean())
    # A neuron's rate is its spike count over the window: one bin per count, none left empty.
    quantum = 1.0 / ((t_end - t_warm) * 1e-3)
    low, high = per_neuron.min() / quantum, per_neuron.max() / quantum
    step = max(1, int(np.ceil((high - low + 1) / 40)))
    rate_edges = (np.arange(np.floor(low), np.ceil(high) + step + 1, step) - 0.5) * quantum
    ax_hr.hist([per_neuron[:n_e], per_neuron[n_e:]], bins=rate_edges, color=[EXCITATORY, INHIBITORY], stacked=True,
               label=["excitatory", "inhibitory"])
    ax_hr.axvline(float(meta["rate_Hz"]), color="black", lw=1.2, label=f"mean {float(meta['rate_Hz']):.1f} Hz")
    ax_hr.set_xlabel("firing rate of a neuron (Hz)")
    ax_hr.set_ylabel("neurons")
    ax_hr.legend(fontsize=7.5, framealpha=0.95)
    ax_hc.hist(cvs, bins=40, color="0.5")
    ax_hc.axvline(float(meta["cv"]), color="black", lw=1.2, label=f"mean {float(meta['cv']):.2f}")
    ax_hc.set_xlabel("CV of a neuron's interspike intervals")
    ax_hc.legend(fontsize=7.5, framealpha=0.95)

    for ax in (ax_r, ax_a, ax_hr, ax_hc):
        ax.grid(True, color="0.92", lw=0.6)
        ax.set_axisbelow(True)
    fig.suptitle(meta.get("title", base), fontsize=11.5)
    note = (f"N_E = {n_e}, N_I = {n_i}, C_E = {meta['c_e']}, C_I = {meta['c_i']}, J = {float(meta['j_mV']):g} mV, "
            f"D = {meta['delay_ms']} ms, dt = {meta['dt_ms']} ms. After the warm-up (shaded, {t_warm:g} ms): "
            f"rate {float(meta['rate_Hz']):.1f} Hz, CV {float(meta['cv']):.2f}, synchrony {float(meta['synchrony']):.3f}")
    ax_r.set_title("\n".join(textwrap.wrap(note, 135, break_long_words=False)), fontsize=8.5, color="0.25")
    fig.align_ylabels((ax_r, ax_a))
    fig.subplots_adjust(left=0.08, right=0.98, top=0.89, bottom=0.08)
    # No "Software" entry (it carries the matplotlib version) and a fixed dpi: same bytes each run.
    fig.savefig(out, dpi=100, metadata={"Software": None})
    plt.close(fig)


if __name__ == "__main__":
    main(sys.argv)
