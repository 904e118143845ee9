#!/usr/bin/env python3
"""Renders the f-I curve written by examples/fi_curve.cpp.

Usage: plot_fi_curve.py fi_curve.csv OUT.png
Top: firing rate against input current, the analytic curve as a line and each simulated method
as markers. Bottom: |mean ISI - analytic ISI| in ms on a log scale (exact zeros at 1e-16), which
shows what the top panel cannot: how far each method is from the closed form.
The PNG has no date stamp in its metadata.
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")  # no display needed
import matplotlib.pyplot as plt  # noqa: E402  (must follow the backend choice)

STYLE = {
    "exact+analytic": ("#d62728", "o", 7),
    "rk4+hermite": ("#2ca02c", "^", 6),
    "euler+grid": ("#1f77b4", "s", 4),
}
FLOOR = 1e-16


def main(csv_path, png_path):
    series = {}
    with open(csv_path, newline="") as f:
        for row in csv.DictReader(f):
            series.setdefault(row["method"], []).append(
                (float(row["current_nA"]), float(row["rate_Hz"]), abs(float(row["isi_error_ms"]))))

    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 8), sharex=True,
                                      gridspec_kw={"height_ratios": [3, 2]})
    analytic = series.pop("analytic")
    top.plot([p[0] for p in analytic], [p[1] for p in analytic], color="black", linewidth=1.5,
             label="analytic: 1 / (t_ref + tau ln((RI - (V_reset - E_L)) / (RI - (V_th - E_L))))")
    for method, points in series.items():
        colour, marker, size = STYLE.get(method, ("grey", "x", 5))
        top.plot([p[0] for p in points], [p[1] for p in points], linestyle="none", marker=marker,
                 markersize=size, markerfacecolor="none", color=colour, label=f"{method}, dt = 0.1 ms")
        bottom.semilogy([p[0] for p in points], [max(p[2], FLOOR) for p in points], marker=marker,
                        markersize=size, markerfacecolor="none", color=colour, label=method)
    top.set_ylabel("firing rate [Hz] (mean ISI over 10 s)")
    top.set_title("LIF f-I curve (tau 10 ms, R 40 MOhm, E_L -65 mV, V_th -50 mV,\nV_reset -70 mV, t_ref 2 ms)", fontsize=11)
    top.legend(fontsize=8, loc="lower right")
    top.grid(True, alpha=0.3)
    bottom.set_xlabel("input current I [nA]")
    bottom.set_ylabel("|mean ISI - analytic| [ms]")
    bottom.grid(True, which="major", alpha=0.3)
    bottom.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(png_path, dpi=110, metadata={"Software": None})
    print(f"wrote {png_path}")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
