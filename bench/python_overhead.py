"""What Python costs: one iaf.simulate of 10^6 steps from Python against the same call from C++,
and against the original teaching notebook's pure-Python Euler loop.

The run: the notebook's LIF (R = 6.4 MOhm, C = 0.9 nF, theta = 5 mV, V_rest = 0.4 mV), constant
1 nA, exact + grid, dt = 0.01 ms, 10^6 steps, spikes only (record_every=0). The C++ side is
python_overhead_cpp (bench/python_overhead.cpp), built with the module by the `python` preset.
The pure-Python loop is timed on 10^5 steps and scaled to 10^6 (it is linear in the steps).

    cmake --workflow --preset notebook          # builds build/python/module and the C++ timer
    PYTHONPATH=build/python/module /usr/bin/python3 bench/python_overhead.py
"""
import argparse
import os
import pathlib
import subprocess
import time

import numpy as np

import iaf

R, C, THETA, V_REST, I, DT = 6.4, 0.9, 5.0, 0.4, 1.0, 0.01


def best_of(repeats, f):
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        f()
        best = min(best, time.perf_counter() - start)
    return best


def pure_python_euler(steps):
    """The original notebook's loop: forward Euler over NumPy arrays, a spike on the grid."""
    t = np.arange(0, steps * DT, DT)
    v = np.zeros(len(t))
    v[0] = V_REST
    spikes = []
    for i in range(1, len(t)):
        v[i] = v[i - 1] + (-v[i - 1] / R + I) / C * DT
        if v[i] >= THETA:
            spikes.append(t[i])
            v[i] = V_REST
    return spikes


def main():
    root = pathlib.Path(__file__).resolve().parents[1]
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--cpp", default=os.environ.get(
        "IAF_OVERHEAD_CPP", root / "build/python/examples/python/python_overhead_cpp"))
    args = parser.parse_args()

    model = iaf.lif(r_m=R, c_m=C, v_th=THETA, v_reset=V_REST, v_init=V_REST)
    current = iaf.constant(I)
    result = {}

    def from_python():
        result["r"] = iaf.simulate(model, current, integrator="exact", timing="grid", dt=DT,
                                   t_end=args.steps * DT, record_every=0)

    t_python = best_of(args.repeats, from_python)
    spikes_python = len(result["r"].spike_times)

    out = subprocess.run([str(args.cpp), str(args.steps), str(args.repeats)], check=True, capture_output=True,
                         text=True).stdout.split()
    t_cpp_call, t_cpp_inlined, spikes_cpp = float(out[0]), float(out[1]), int(out[2])
    if spikes_cpp != spikes_python:
        raise SystemExit(f"C++ and Python ran different simulations: {spikes_cpp} and {spikes_python} spikes")

    loop_steps = min(args.steps, 100_000)
    t_loop = best_of(1, lambda: pure_python_euler(loop_steps)) * args.steps / loop_steps

    print(f"{args.steps} steps, exact + grid, constant input, spikes only ({spikes_python} spikes), best of "
          f"{args.repeats}")
    print(f"  Python  iaf.simulate                    {t_python * 1e3:9.3f} ms")
    print(f"  C++     iaf::simulate, as the module    {t_cpp_call * 1e3:9.3f} ms   Python / C++ = "
          f"{t_python / t_cpp_call:.3f}")
    print(f"  C++     iaf::simulate, all constants    {t_cpp_inlined * 1e3:9.3f} ms   Python / C++ = "
          f"{t_python / t_cpp_inlined:.3f}")
    print(f"  pure-Python Euler loop (notebook)       {t_loop * 1e3:9.1f} ms   (from {loop_steps} steps)   "
          f"loop / Python = {t_loop / t_python:.0f}")


if __name__ == "__main__":
    main()
