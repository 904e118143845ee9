"""Writes integrate_and_fire.ipynb from the cells below (run: /usr/bin/python3 make_notebook.py).

The notebook is kept as this script so that its cells are reviewed as code; the .ipynb is
committed without outputs and executed headless by CTest (label python).
"""
import pathlib

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

cells = []
md = lambda s: cells.append(new_markdown_cell(s.strip()))
code = lambda s: cells.append(new_code_cell(s.strip()))

md(r"""
# Integrate-and-fire neurons, live

The teaching notebook's four scenarios, run by **iaf** (a C++20 library) through its Python module:
move a slider and the neuron is simulated again in C++ and redrawn. Every scenario has a dropdown
for the **integrator** (`euler`, `heun`, `rk4`, `exact`, `dopri5`) and the **spike timing**
(`grid`: a spike at the first grid point above threshold, as the original notebook did;
`linear`, `hermite`: interpolated inside the step; `analytic`: on the exact solution, for `exact`
and `dopri5` only).

The model is the leaky integrate-and-fire neuron, $C\,dV/dt = -V/R + I(t)$, a spike when
$V \ge \theta$, then $V = V_\text{rest}$. Units: ms, mV, nA, MΩ, nF.

Build the module first: `bash cmake/install-deps.sh python && cmake --workflow --preset notebook`
(from the repository's root), then open this notebook with
`PYTHONPATH=build/python/module /usr/bin/python3 -m notebook examples/notebook/integrate_and_fire.ipynb`.
""")

code(r"""
# Find the module: PYTHONPATH (CTest sets it), else the notebook preset's build folder.
import os, pathlib, sys
try:
    import iaf
except ImportError:
    for root in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents]:
        candidate = root / "build" / "python" / "module"
        if candidate.is_dir():
            sys.path.insert(0, str(candidate))
            break
    try:
        import iaf
    except ImportError:
        raise ImportError("The iaf Python module is not built. From the repository's root run\n"
                          "    bash cmake/install-deps.sh python && cmake --workflow --preset notebook\n"
                          "and start Jupyter with PYTHONPATH=build/python/module") from None

import math
import numpy as np
import matplotlib.pyplot as plt
import ipywidgets as widgets
from IPython.display import display
%matplotlib inline
print("iaf", iaf.__version__, "from", iaf.__file__)
""")

code(r"""
# Shared by the scenarios: the method dropdowns, and one figure of V(t) and I(t).
def method_controls(integrator="euler", timing="grid"):
    return dict(
        integrator=widgets.Dropdown(options=iaf.integrators, value=integrator, description="integrator"),
        timing=widgets.Dropdown(options=iaf.timings, value=timing, description="spike timing"),
    )

def slider(value, low, high, step, description):
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=False, readout_format=".3g")

def draw(runs, current, theta, title, t_end, inputs=()):
    # runs: [(label, iaf.result)] drawn as V traces with their spikes as ticks above theta.
    fig, (ax_v, ax_i) = plt.subplots(2, 1, sharex=True, figsize=(10, 5.5), height_ratios=[3, 1])
    for label, r in runs:
        line, = ax_v.plot(r.t, r.v, lw=1.2, label=f"{label}: {len(r.spike_times)} spikes")
        ax_v.vlines(r.spike_times, theta, theta + 1.5, color=line.get_color(), lw=1.2)
    ax_v.axhline(theta, color="grey", ls="--", lw=0.8, label="θ")
    ax_v.set_ylabel("V [mV]")
    ax_v.set_title(title)
    ax_v.legend(loc="upper right", fontsize=8)
    t = np.linspace(0.0, t_end, 2001)
    for label, part in inputs:
        ax_i.plot(t, part(t), lw=0.8, ls=":", label=label)
    ax_i.plot(t, current(t), color="k", lw=1.2, label="I(t)")
    ax_i.set_ylabel("I [nA]")
    ax_i.set_xlabel("t [ms]")
    if inputs:
        ax_i.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    plt.show()

def run(model, current, integrator, timing, dt, t_end, **kw):
    # iaf raises ValueError for a combination it does not offer (analytic with rk4): say so.
    try:
        return iaf.simulate(model, current, integrator=integrator, timing=timing, dt=dt, t_end=t_end, **kw)
    except ValueError as e:
        print(e)
        return None
""")

md(r"""
## 1. Constant current

$V$ relaxes towards $RI$; when $RI > \theta$ it fires regularly, every
$\tau \ln\frac{RI - V_\text{rest}}{RI - \theta}$ with $\tau = RC$.
""")

code(r"""
def scenario_constant(I, R, C, theta, v_rest, dt, integrator, timing):
    model = iaf.lif(r_m=R, c_m=C, e_l=0.0, v_th=theta, v_reset=v_rest, v_init=v_rest)
    r = run(model, iaf.constant(I), integrator, timing, dt, 100.0)
    if r is not None:
        draw([(f"{integrator} + {timing}", r)], iaf.constant(I), theta,
             f"Constant current I = {I:g} nA, τ = {R * C:.3g} ms, RI = {R * I:.3g} mV", 100.0)

constant_widget = widgets.interactive(
    scenario_constant, I=slider(0.8, 0.0, 3.0, 0.05, "I [nA]"), R=slider(6.4, 0.5, 20.0, 0.1, "R [MΩ]"),
    C=slider(0.9, 0.1, 5.0, 0.05, "C [nF]"), theta=slider(5.0, 0.5, 20.0, 0.1, "θ [mV]"),
    v_rest=slider(0.4, 0.0, 4.0, 0.1, "V_rest [mV]"), dt=slider(0.01, 0.001, 1.0, 0.001, "dt [ms]"),
    **method_controls())
display(constant_widget)
""")

md(r"""
## 2. Sine current

$I(t) = I_\text{max} \sin(2\pi f t)$. The membrane is a low-pass filter: $V$ oscillates with
amplitude $R I_\text{max} / \sqrt{1 + (2\pi f \tau)^2}$, so at the original 1 nA and 0.1 cycles/ms
it never reaches θ. Raise $I_\text{max}$ or lower $f$.
""")

code(r"""
def scenario_sine(I_max, f, R, C, theta, dt, integrator, timing):
    model = iaf.lif(r_m=R, c_m=C, e_l=0.0, v_th=theta, v_reset=0.0, v_init=0.0)
    current = iaf.sine(amplitude=I_max, frequency=f)
    r = run(model, current, integrator, timing, dt, 100.0)
    if r is not None:
        swing = R * I_max / math.sqrt(1 + (2 * math.pi * f * R * C) ** 2)
        draw([(f"{integrator} + {timing}", r)], current, theta,
             f"Sine current: V's steady amplitude R·I_max/√(1+(2πfτ)²) = {swing:.3g} mV", 100.0)

sine_widget = widgets.interactive(
    scenario_sine, I_max=slider(1.0, 0.0, 5.0, 0.1, "I_max [nA]"), f=slider(0.1, 0.005, 0.5, 0.005, "f [1/ms]"),
    R=slider(5.0, 0.5, 20.0, 0.1, "R [MΩ]"), C=slider(0.5, 0.1, 5.0, 0.05, "C [nF]"),
    theta=slider(5.0, 0.5, 20.0, 0.1, "θ [mV]"), dt=slider(0.01, 0.001, 1.0, 0.001, "dt [ms]"),
    **method_controls())
display(sine_widget)
""")

md(r"""
## 3. Two inputs

Currents add: `iaf.constant(I1) + iaf.constant(I2)` is one current, run in C++. With
$I_1 = I_2 = 1$ nA each alone brings $V$ exactly to θ and never fires; together they do.
""")

code(r"""
def scenario_two_inputs(I1, I2, R, C, theta, dt, integrator, timing):
    model = iaf.lif(r_m=R, c_m=C, e_l=0.0, v_th=theta, v_reset=0.0, v_init=0.0)
    i1, i2 = iaf.constant(I1), iaf.constant(I2)
    r = run(model, i1 + i2, integrator, timing, dt, 100.0)
    if r is not None:
        draw([(f"{integrator} + {timing}", r)], i1 + i2, theta,
             f"Two inputs: R(I1 + I2) = {R * (I1 + I2):.3g} mV", 100.0, inputs=[("I1", i1), ("I2", i2)])

two_inputs_widget = widgets.interactive(
    scenario_two_inputs, I1=slider(1.0, 0.0, 3.0, 0.05, "I1 [nA]"), I2=slider(1.0, 0.0, 3.0, 0.05, "I2 [nA]"),
    R=slider(5.0, 0.5, 20.0, 0.1, "R [MΩ]"), C=slider(0.5, 0.1, 5.0, 0.05, "C [nF]"),
    theta=slider(5.0, 0.5, 20.0, 0.1, "θ [mV]"), dt=slider(0.01, 0.001, 1.0, 0.001, "dt [ms]"),
    **method_controls())
display(two_inputs_widget)
""")

md(r"""
## 4. Square pulses of different intensity and duration

Three pulses; the neuron is reset to $V_\text{rest}$ at the end of each, so every pulse is its own
trial, as in the original notebook (each segment is one `iaf.simulate` from the pulse's end on).
A pulse must exceed the rheobase θ/R and last long enough to fire.
""")

code(r"""
def scenario_pulses(a1, d1, a2, d2, a3, d3, R, C, theta, dt, integrator, timing):
    model = iaf.lif(r_m=R, c_m=C, e_l=0.0, v_th=theta, v_reset=0.0, v_init=0.0)
    onsets = [10.0, 40.0, 70.0]
    pulses = [(o, d, a) for o, d, a in zip(onsets, [d1, d2, d3], [a1, a2, a3])]
    current = iaf.pulse_train(pulses)
    t, v, spikes = [], [], []
    edges = [0.0] + [o + d for o, d, _ in pulses] + [100.0]
    for t0, t1 in zip(edges[:-1], edges[1:]):
        # A fresh neuron at V_rest from each pulse's end on; whole steps of dt only.
        t1 = t0 + dt * max(1, round((t1 - t0) / dt))
        r = run(model, current, integrator, timing, dt, t1, t_start=t0)
        if r is None:
            return
        t.append(r.t); v.append(r.v); spikes.append(r.spike_times)
    class joined:  # the segments as one result for draw()
        pass
    joined.t, joined.v, joined.spike_times = np.concatenate(t), np.concatenate(v), np.concatenate(spikes)
    draw([(f"{integrator} + {timing}", joined)], current, theta,
         f"Square pulses (rheobase θ/R = {theta / R:.3g} nA), reset after each pulse", 100.0)

pulses_widget = widgets.interactive(
    scenario_pulses,
    a1=slider(0.8, 0.0, 5.0, 0.1, "I₁ [nA]"), d1=slider(10.0, 0.5, 25.0, 0.5, "d₁ [ms]"),
    a2=slider(1.5, 0.0, 5.0, 0.1, "I₂ [nA]"), d2=slider(10.0, 0.5, 25.0, 0.5, "d₂ [ms]"),
    a3=slider(4.0, 0.0, 5.0, 0.1, "I₃ [nA]"), d3=slider(2.0, 0.5, 25.0, 0.5, "d₃ [ms]"),
    R=slider(5.0, 0.5, 20.0, 0.1, "R [MΩ]"), C=slider(0.5, 0.1, 5.0, 0.05, "C [nF]"),
    theta=slider(5.0, 0.5, 20.0, 0.1, "θ [mV]"), dt=slider(0.01, 0.001, 1.0, 0.001, "dt [ms]"),
    **method_controls())
display(pulses_widget)
""")

md(r"""
## 5. How wrong is Euler?

Scenario 1 has a closed form: starting from $V_\text{rest}$, $V(t) = RI + (V_\text{rest} - RI)e^{-t/\tau}$
reaches θ after $T = \tau \ln\frac{RI - V_\text{rest}}{RI - \theta}$, so the $k$-th spike is at $kT$.
The original notebook used forward Euler with spikes on the grid; `exact` + `analytic` lands on the
closed form to round-off. The error of Euler + grid grows with every spike, because each spike
restarts from a late reset; make $dt$ larger to see it grow.
""")

code(r"""
def euler_error(I, dt):
    R, C, theta, v_rest = 6.4, 0.9, 5.0, 0.4
    model = iaf.lif(r_m=R, c_m=C, e_l=0.0, v_th=theta, v_reset=v_rest, v_init=v_rest)
    tau, ri = R * C, R * I
    if ri <= theta:
        print(f"RI = {ri:.3g} mV <= θ: no spikes; raise I"); return
    period = tau * math.log((ri - v_rest) / (ri - theta))
    closed = period * np.arange(1, int(100.0 / period) + 1)
    euler = iaf.simulate(model, iaf.constant(I), integrator="euler", timing="grid", dt=dt, t_end=100.0)
    exact = iaf.simulate(model, iaf.constant(I), integrator="exact", timing="analytic", dt=dt, t_end=100.0)
    n = min(len(closed), len(euler.spike_times), len(exact.spike_times))
    print(f"closed form: a spike every {period:.6f} ms, {len(closed)} in 100 ms")
    print(f"{'k':>3} {'closed form [ms]':>18} {'Euler+grid − closed':>20} {'exact+analytic − closed':>24}")
    for k in range(n):
        print(f"{k + 1:>3} {closed[k]:>18.9f} {euler.spike_times[k] - closed[k]:>20.3e} "
              f"{exact.spike_times[k] - closed[k]:>24.3e}")
    fig, ax = plt.subplots(figsize=(10, 3.5))
    ax.plot(np.arange(1, n + 1), np.abs(euler.spike_times[:n] - closed[:n]), "o-", label="Euler + grid")
    ax.plot(np.arange(1, n + 1), np.maximum(np.abs(exact.spike_times[:n] - closed[:n]), 1e-17), "s-",
            label="exact + analytic")
    ax.set_yscale("log"); ax.set_xlabel("spike k"); ax.set_ylabel("|t_k − k T| [ms]")
    ax.set_title(f"Spike-time error against the closed form, dt = {dt:g} ms (1e-17: exactly 0)")
    ax.legend(); fig.tight_layout(); plt.show()

euler_widget = widgets.interactive(euler_error, I=slider(0.8, 0.8, 3.0, 0.05, "I [nA]"),
                                   # ipywidgets 6 (Debian 12) has no log slider: a dropdown of steps.
                                   dt=widgets.Dropdown(options=[0.001, 0.01, 0.05, 0.1, 0.5, 1.0], value=0.01,
                                                       description="dt [ms]"))
display(euler_widget)
""")

md(r"""
## Speed

One run of $10^6$ steps from Python costs what the same call costs from C++; a Python callable as
the current is allowed (`iaf.simulate(model, lambda t: ..., ...)`) but is called at every stage of
every step, so it is hundreds of times slower than the library's currents. `bench/python_overhead.py`
measures both.
""")

code(r"""
import time
model = iaf.lif(r_m=6.4, c_m=0.9, v_th=5.0, v_reset=0.4, v_init=0.4)
start = time.perf_counter()
r = iaf.simulate(model, iaf.constant(1.0), integrator="exact", timing="grid", dt=0.01, t_end=10_000.0, record_every=0)
library = time.perf_counter() - start
start = time.perf_counter()
r_python = iaf.simulate(model, lambda t: 1.0, integrator="exact", timing="grid", dt=0.01, t_end=100.0, record_every=0)
callable_per_step = (time.perf_counter() - start) / 10_000
print(f"10^6 steps, library current: {library * 1e3:.1f} ms; a Python callable: {callable_per_step * 1e9:.0f} ns per step")
""")

nb = new_notebook(cells=cells, metadata={
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"}})
path = pathlib.Path(__file__).with_name("integrate_and_fire.ipynb")
nbformat.write(nb, path)
print("wrote", path)
