#!/usr/bin/python3
"""Brian2's generated C++ on the population the iaf population benchmark steps.

N leaky integrate-and-fire neurons, dt = 0.1 ms, tau_m dv/dt = -(v - E_L) + R I,
tau_m = 10 ms, E_L = 0 mV, R = 40 MOhm, threshold v > 15 mV, reset 0 mV, refractory 2 ms,
each neuron with its own constant I, V_inf = R I uniform in [0, --vinf-max] mV.
Brian2 runs it in cpp_standalone mode with method 'exact' and its default compiler flags.

Prints ns per neuron-step of Brian2's neuron update code objects (state updater, thresholder,
resetter) from Brian2's own profiler, and one line per size for other tools to parse:
    brian2 N=100000 ns_per_neuron_step=1.23

Run with /usr/bin/python3: Debian's python3-brian is installed for the system Python only.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import warnings

try:
    with warnings.catch_warnings():   # Debian's pythran warns about NumPy when brian2 loads it
        warnings.simplefilter('ignore')
        import numpy as np
        import brian2 as b2
except ImportError:
    b2 = None

DT, TAU_M, R = 0.1e-3, 10e-3, 40e6       # s, s, Ohm
THETA, T_REF = 15e-3, 2e-3               # V above E_L = V_r = 0, s
CODE_OBJECTS = ('stateupdater', 'spike_thresholder', 'spike_resetter')
HEADER = ('update', 'threshold', 'reset', 'total', 'raw total', 'fixed us', 'refractory')


def stationary_start(n, vinf_max, rng):
    """Input currents, and v / lastspike at a uniformly random phase of each neuron's period.

    Started from a common v, the neurons would fire (and be refractory) in near-synchrony for
    the first periods; drawing the phase makes every timed step look like the steady state,
    so the refractory fraction, and the branches it drives, are the same all through the loop.
    """
    vinf = rng.uniform(0.0, vinf_max * 1e-3, n)
    fires = vinf > THETA
    period = np.zeros(n)                                      # the others sit at V_inf
    period[fires] = T_REF + TAU_M * np.log(vinf[fires] / (vinf[fires] - THETA))
    phase = rng.uniform(0.0, 1.0, n) * period                 # time since the last spike
    refractory = fires & (phase < T_REF)
    v = np.where(fires, vinf * -np.expm1(-np.maximum(phase - T_REF, 0.0) / TAU_M), vinf)
    lastspike = np.where(refractory, -np.floor(phase / DT) * DT, -1e4)   # Brian2's default
    return vinf / R, v, lastspike, ~refractory


def build(n, steps, use_float, vinf_max, seed, root):
    """Generate and compile the project (untimed), run it once; return its directory, group."""
    b2.device.reinit()
    directory = os.path.join(root, f'N{n}')
    b2.set_device('cpp_standalone', directory=directory, build_on_run=True, with_output=False)
    b2.prefs.core.default_float_dtype = np.float32 if use_float else np.float64
    ns = dict(E_L=0 * b2.mV, R=R * b2.ohm, tau_m=TAU_M * b2.second, theta=THETA * b2.volt,
              V_r=0 * b2.mV)
    group = b2.NeuronGroup(n, '''dv/dt = (-(v - E_L) + R*I) / tau_m : volt (unless refractory)
                                 I : amp (constant)''',
                           threshold='v > theta', reset='v = V_r', refractory=T_REF * b2.second,
                           method='exact', dt=DT * b2.second, namespace=ns)
    current, v, lastspike, not_refractory = stationary_start(n, vinf_max,
                                                             np.random.default_rng(seed))
    group.I = current * b2.amp
    group.v = v * b2.volt
    group.lastspike = lastspike * b2.second
    group.not_refractory = not_refractory
    b2.Network(group).run(steps * DT * b2.second, namespace={}, profile=True)  # names: ns only
    return directory, group


def loop_seconds(directory):
    """Run the compiled binary once; seconds spent in each of CODE_OBJECTS over the run.

    Brian2's profiler brackets each code object's call with std::clock() (CPU time, so less
    disturbed by a busy machine); reading it, and not timing the process, leaves out start-up,
    loading the initial state and writing the results.
    """
    subprocess.run(['./main'], cwd=directory, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(directory, 'results', 'profiling_info.txt')) as f:
        info = dict(line.split() for line in f)
    return [sum(float(t) for name, t in info.items() if name.endswith(f'_{obj}_codeobject'))
            for obj in CODE_OBJECTS]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    parser.add_argument('--sizes', type=int, nargs='+', default=[1000, 100000, 1000000])
    parser.add_argument('--steps', type=int, default=1000)
    parser.add_argument('--repeats', type=int, default=3, help='timed runs per size (median)')
    parser.add_argument('--float', action='store_true', help='float32 state (v, I)')
    # [0, 30] mV would give 7.4 % refractory: half the neurons never reach threshold
    parser.add_argument('--vinf-max', type=float, default=35.0,
                        help='V_inf uniform in [0, this] mV (35: 9.9%% refractory)')
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()
    if min(args.sizes) < 2:
        parser.error('sizes must be >= 2 (a 1-neuron run is the baseline)')

    if b2 is None:
        print('brian2_population: Brian2 is not installed (apt-get install python3-brian); '
              'skipped')
        return 0
    b2.prefs.devices.cpp_standalone.openmp_threads = 0   # one thread, as the iaf loop

    root = tempfile.mkdtemp(prefix='brian2_population_')
    try:
        # Each code object call has a fixed cost: the profiler's std::clock() pair (a system
        # call, about 1.7 us on this VM) and the per-step scalar code. A one-neuron project
        # measures it; it is subtracted run by run (the two runs back to back, so both see the
        # same machine), so that N = 1000 shows the per-neuron loop and not the profiler.
        base_dir, _ = build(1, args.steps, args.float, args.vinf_max, args.seed, root)
        with open(os.path.join(base_dir, 'makefile')) as f:
            flags = next(line for line in f if line.startswith('OPTIMISATIONS')).split('=', 1)[1]
        print(f'Brian2 {b2.__version__}, cpp_standalone, method exact, 1 thread, '
              f'{"float32 v and I (t, dt, lastspike stay float64)" if args.float else "float64"}; '
              f'V_inf uniform in [0, {args.vinf_max:g}] mV')
        print(f'prefs.codegen.cpp.extra_compile_args_gcc = '
              f'{b2.prefs.codegen.cpp.extra_compile_args_gcc}')
        print(f'generated makefile: OPTIMISATIONS ={flags.rstrip()}')
        print(f'ns per neuron-step, median of {args.repeats} runs, less the fixed cost per step '
              f'of a 1-neuron run ("raw": not subtracted)')
        print(''.join(f'{h:>11}' for h in ('N', 'steps', *HEADER)))
        lines = []
        for n in args.sizes:
            directory, group = build(n, args.steps, args.float, args.vinf_max, args.seed, root)
            runs, raw, fixed = [], [], []
            for _ in range(args.repeats):
                with_n, with_1 = loop_seconds(directory), loop_seconds(base_dir)
                runs.append([(t - f) * 1e9 / ((n - 1) * args.steps)
                             for t, f in zip(with_n, with_1)])
                raw.append(sum(with_n) * 1e9 / (n * args.steps))
                fixed.append(sum(with_1) * 1e6 / args.steps)
            per_object = [statistics.median(r[k] for r in runs) for k in range(len(CODE_OBJECTS))]
            total = statistics.median(sum(r) for r in runs)
            refractory = 1.0 - np.mean(group.not_refractory[:])   # after the last step
            print(f'{n:>11}{args.steps:>11}' + ''.join(f'{t:>11.3f}' for t in per_object)
                  + f'{total:>11.3f}{statistics.median(raw):>11.3f}'
                  + f'{statistics.median(fixed):>11.2f}{refractory:>11.3f}', flush=True)
            lines.append(f'brian2 N={n} ns_per_neuron_step={total:.3f}')
            shutil.rmtree(directory)   # a 1e6-neuron project holds its arrays on disk
        print()
        print('\n'.join(lines))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == '__main__':
    sys.exit(main())
