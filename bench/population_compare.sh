#!/bin/sh
# population_bench and brian2_population.py (double, then float) back to back, then one table of
# ns per neuron-step (medians) and issue 9's targets (a) to (f), each with whether it holds in
# this run. Build first:
#   cmake --preset bench && cmake --build --preset bench --target population_bench -j2
# Extra arguments go to population_bench (e.g. --benchmark_filter=N:100000).
# Each benchmark is run REPS times (default 9) for 0.2 s, the runs of all benchmarks in random
# order: on a shared machine a benchmark can read 1.5 times slower for a minute, so a ratio of
# medians of a few runs taken back to back is as noisy as its slowest minute.
set -e
cd "$(dirname "$0")/.."
bin=${POPULATION_BENCH:-build/bench/bench/population_bench}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "before: $(uptime)"
"$bin" --benchmark_repetitions="${REPS:-9}" --benchmark_min_time=0.2 --benchmark_enable_random_interleaving=true \
    --benchmark_report_aggregates_only=true --benchmark_out="$out/iaf.json" --benchmark_out_format=json "$@"
/usr/bin/python3 bench/brian2_population.py | tee "$out/brian2_double.txt"
/usr/bin/python3 bench/brian2_population.py --float | tee "$out/brian2_float.txt"
echo "after: $(uptime)"
/usr/bin/python3 - "$out" <<'EOF'
import json, re, sys
d = sys.argv[1]
ns = {}   # (name without /N:, N) -> ns per neuron-step, median of the repetitions
state = {}  # scalar -> bytes of state per neuron (the benchmarks' counter), exact + grid
cvs = []  # each benchmark's coefficient of variation over its repetitions (of CPU time)
for b in json.load(open(f'{d}/iaf.json'))['benchmarks']:
    if b.get('aggregate_name') == 'median':
        name, n = re.match(r'(.*)/N:(\d+)', b['run_name']).groups()
        ns[name, int(n)] = 1e9 / b['items_per_second']
        if re.match(r'iaf/\w+/exact/grid/step$', name) and 'state_B/neuron' in b: state[name.split('/')[1]] = b['state_B/neuron']
    elif b.get('aggregate_name') == 'cv':
        cvs.append(b['cpu_time'])
for s in ('double', 'float'):
    for line in open(f'{d}/brian2_{s}.txt'):
        m = re.match(r'brian2 N=(\d+) ns_per_neuron_step=([\d.]+)', line)
        if m: ns[f'brian2/{s}', int(m.group(1))] = float(m.group(2))
get = lambda k, n: ns.get((k, n), float('nan'))
print(f'\n{"scalar":7}{"integrator/timing":19}{"N":>8}{"hand":>8}{"hand64":>8}{"step":>8}{"adv(1)":>8}{"adv(10)":>8}{"rows":>8}{"Brian2":>8}')
for s in ('double', 'float'):
    for it in ('exact/grid', 'exact/analytic', 'euler/grid', 'euler/linear'):
        for n in (1000, 100000, 1000000):
            p = f'iaf/{s}/{it}/'
            print(f'{s:7}{it:19}{n:>8}{get(f"hand_exact/{s}", n):8.3f}{get(f"hand_exact_aligned/{s}", n):8.3f}{get(p + "step", n):8.3f}'
                  f'{get(p + "advance1", n):8.3f}{get(p + "advance10", n):8.3f}{get(p + "advance10rows", n):8.3f}'
                  f'{get(f"brian2/{s}", n):8.3f}')
if cvs:
    cvs.sort()
    print(f'\nSpread of the repetitions (coefficient of variation of the CPU time): median {100 * cvs[len(cvs) // 2]:.0f} %, '
          f'largest {100 * cvs[-1]:.0f} %, over {len(cvs)} benchmarks')
step = lambda s, it, n: get(f'iaf/{s}/{it}/step', n)
adv = lambda s, n: get(f'iaf/{s}/exact/grid/advance10', n)
failed = []
def ratio(label, target, values):
    """Prints one of the issue's ratios with its verdict: target is ('<=', x) or ('>=', x)."""
    op, bound = target
    holds = all(v <= bound if op == '<=' else v >= bound for _, v in values)  # nan: fails
    if not holds: failed.append(re.search(r'\(\w\)', label).group())
    print(f'{label} (target {op} {bound}):', ', '.join(f'{k}{v:.2f}' for k, v in values), '-> holds' if holds else '-> FAILS')
big = (100000, 1000000)
ratio('\n(a) iaf exact+grid step / hand loop, double', ('<=', 1.1),
      [(f'N={n}: ', step('double', 'exact/grid', n) / get('hand_exact/double', n)) for n in big])
print('    the same against the hand loop on 64-byte aligned arrays:',
      ', '.join(f'{step("double", "exact/grid", n) / get("hand_exact_aligned/double", n):.2f}' for n in big))
ratio('(b) double / float step, exact+grid, N=1e5', ('>=', 1.8),
      [('', step('double', 'exact/grid', 100000) / step('float', 'exact/grid', 100000))])
ratio('(c) step / advance(10), exact+grid double, N=1e6', ('>=', 1.5),
      [('', step('double', 'exact/grid', 1000000) / adv('double', 1000000))])
for s, t in (('double', 3), ('float', 5)):
    ratio(f'(d) Brian2 / advance(10), exact+grid {s}', ('>=', t), [(f'N={n}: ', get(f'brian2/{s}', n) / adv(s, n)) for n in big])
for s in ('double', 'float'):
    ratio(f'(e) exact + analytic / exact + grid step, {s}', ('<=', 1.5),
          [(f'N={n}: ', step(s, 'exact/analytic', n) / step(s, 'exact/grid', n)) for n in big])
ratio('(f) bytes of state per neuron, double LIF, shared parameters', ('<=', 24), [('', state.get('double', float('nan')))])
# Euler has no closed form for the crossing: linear interpolation, through the neuron's own step.
print('    euler + linear / euler + grid step (no target, for comparison):', '; '.join(
    f'{s} ' + ', '.join(f'N={n}: {step(s, "euler/linear", n) / step(s, "euler/grid", n):.2f}' for n in big)
    for s in ('double', 'float')))
print('\nEvery target holds in this run.' if not failed else f'\nNot held in this run: {", ".join(dict.fromkeys(failed))}.')
EOF
