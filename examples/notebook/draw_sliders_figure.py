"""Draws examples/figures/notebook_sliders.png for the README: scenario 1 of the notebook as its
cell shows it, the controls above the figure.

Not a browser screenshot: Debian 12's ipywidgets 6 stores no widget state in an executed notebook,
so a headless render shows no sliders. The controls are drawn with matplotlib.widgets instead, with
the notebook's names, ranges and defaults; the figure below them is the notebook's own drawing of
the same iaf.simulate run.

    PYTHONPATH=build/python/module /usr/bin/python3 examples/notebook/draw_sliders_figure.py
"""
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.widgets import RadioButtons, Slider

import iaf

I, R, C, THETA, V_REST, DT = 0.8, 6.4, 0.9, 5.0, 0.4, 0.01
INTEGRATOR, TIMING = "rk4", "hermite"

model = iaf.lif(r_m=R, c_m=C, e_l=0.0, v_th=THETA, v_reset=V_REST, v_init=V_REST)
runs = [(f"{INTEGRATOR} + {TIMING}", iaf.simulate(model, iaf.constant(I), integrator=INTEGRATOR, timing=TIMING,
                                                  dt=DT, t_end=100.0)),
        ("euler + grid (the original notebook)", iaf.simulate(model, iaf.constant(I), integrator="euler",
                                                              timing="grid", dt=DT, t_end=100.0))]

fig = plt.figure(figsize=(10, 8.2))
fig.text(0.02, 0.975, "integrate_and_fire.ipynb — 1. Constant current (controls drawn with matplotlib.widgets)",
         fontsize=11, weight="bold", va="top")
sliders = [("I [nA]", 0.0, 3.0, I), ("R [MΩ]", 0.5, 20.0, R), ("C [nF]", 0.1, 5.0, C),
           ("θ [mV]", 0.5, 20.0, THETA), ("V_rest [mV]", 0.0, 4.0, V_REST), ("dt [ms]", 0.001, 1.0, DT)]
keep = []
for k, (label, low, high, value) in enumerate(sliders):
    ax = fig.add_axes([0.14, 0.925 - k * 0.037, 0.40, 0.025])
    keep.append(Slider(ax, label, low, high, valinit=value, valfmt="%.3g", color="#4a90d9"))
ax_int = fig.add_axes([0.66, 0.72, 0.14, 0.22])
ax_int.set_title("integrator", fontsize=9)
keep.append(RadioButtons(ax_int, iaf.integrators, active=iaf.integrators.index(INTEGRATOR)))
ax_tim = fig.add_axes([0.83, 0.72, 0.14, 0.22])
ax_tim.set_title("spike timing", fontsize=9)
keep.append(RadioButtons(ax_tim, iaf.timings, active=iaf.timings.index(TIMING)))

ax_v = fig.add_axes([0.08, 0.27, 0.9, 0.40])
ax_i = fig.add_axes([0.08, 0.07, 0.9, 0.15], sharex=ax_v)
for label, r in runs:
    line, = ax_v.plot(r.t, r.v, lw=1.2, label=f"{label}: {len(r.spike_times)} spikes")
    ax_v.vlines(r.spike_times, THETA, THETA + 1.5, color=line.get_color(), lw=1.2)
ax_v.axhline(THETA, color="grey", ls="--", lw=0.8, label="θ")
ax_v.set_ylabel("V [mV]")
ax_v.set_title(f"Constant current I = {I:g} nA, τ = {R * C:.3g} ms, RI = {R * I:.3g} mV")
ax_v.legend(loc="lower right", fontsize=8)
t = np.linspace(0.0, 100.0, 2001)
ax_i.plot(t, iaf.constant(I)(t), color="k", lw=1.2)
ax_i.set_ylabel("I [nA]")
ax_i.set_xlabel("t [ms]")

out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else \
    pathlib.Path(__file__).resolve().parents[1] / "figures" / "notebook_sliders.png"
fig.savefig(out, dpi=110)
print("wrote", out)
