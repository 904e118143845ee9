#!/usr/bin/env python3
"""Mutation check: plant one-line bugs in include/iaf, one at a time, and see the tests catch them.

Each mutant in mutants.txt replaces one exact fragment of one header (it must occur exactly once)
and names the test executables that should notice. For every mutant the script applies it to a
private copy of the source tree, rebuilds those executables, runs them, and restores the file. A
mutant is *caught* when a test fails or hangs (timeout), *survived* when all pass, and *broken*
when it does not compile (a defect of the list, not a success). Survivors are expected only
where the list marks the mutant `equivalent:` with the reason no test can tell it apart.

    tests/mutation/run_mutants.py              # all mutants (about 20-40 min on 2 cores)
    tests/mutation/run_mutants.py --sample 3   # a seeded random sample (CI)
    tests/mutation/run_mutants.py --only rk4-weight,hermite-end-slope
    tests/mutation/run_mutants.py --check      # only check every fragment occurs once (seconds)

Exit status 0 when every fragment applies, the unmutated tests pass, and every non-equivalent
mutant is caught.
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


@dataclasses.dataclass
class Mutant:
    id: str
    file: str
    before: str
    after: str
    tests: list[str]
    why: str
    equivalent: str = ""


def parse(path: Path) -> list[Mutant]:
    """Blocks of `key: value` lines separated by blank lines; `#` starts a comment line."""
    mutants, block = [], {}
    lines = path.read_text().splitlines() + [""]
    for number, line in enumerate(lines, 1):
        if line.startswith("#"):
            continue
        if not line.strip():
            if block:
                missing = {"id", "file", "from", "to", "tests", "why"} - block.keys()
                if missing:
                    sys.exit(f"{path}:{number}: mutant {block.get('id', '?')} lacks {sorted(missing)}")
                mutants.append(Mutant(block["id"], block["file"], block["from"], block["to"],
                                      block["tests"].split(), block["why"], block.get("equivalent", "")))
                block = {}
            continue
        key, sep, value = line.partition(": ")
        if not sep:
            sys.exit(f"{path}:{number}: expected 'key: value', got {line!r}")
        block[key.strip()] = value
    ids = [m.id for m in mutants]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        sys.exit(f"{path}: duplicated ids {sorted(duplicated)}")
    return mutants


def check_fragments(root: Path, mutants: list[Mutant]) -> list[str]:
    problems = []
    for m in mutants:
        text = (root / m.file).read_text()
        count = text.count(m.before)
        if count != 1:
            problems.append(f"{m.id}: 'from' occurs {count} times in {m.file} (must be exactly once): {m.before!r}")
        if m.before == m.after:
            problems.append(f"{m.id}: 'to' equals 'from'")
    return problems


def copy_tree(root: Path, dest: Path) -> None:
    """The tracked and untracked-but-not-ignored files of the checkout: what a commit would hold."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=root, check=True, capture_output=True).stdout.split(b"\0")
    for name in filter(None, listed):
        source = root / os.fsdecode(name)
        if not source.is_file():
            continue  # deleted in the work tree
        target = dest / os.fsdecode(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)


def run(command: list[str], cwd: Path, timeout: float | None = None) -> tuple[str, str]:
    """('ok' | 'failed' | 'timeout', output tail)."""
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", ""
    tail = (done.stdout + done.stderr)[-2000:]
    return ("ok" if done.returncode == 0 else "failed"), tail


@functools.cache  # one search of the build tree per test, not one per mutant
def executable(build: Path, target: str) -> Path:
    found = [p for p in build.rglob(target) if p.is_file() and os.access(p, os.X_OK)]
    if len(found) != 1:
        sys.exit(f"test executable {target}: found {len(found)} under {build}")
    return found[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--list", type=Path, default=HERE / "mutants.txt")
    parser.add_argument("--check", action="store_true", help="only check that every fragment occurs once")
    parser.add_argument("--only", default="", help="comma-separated mutant ids")
    parser.add_argument("--sample", type=int, default=0, help="run a random sample of this many mutants")
    parser.add_argument("--seed", type=int, default=None, help="seed of the sample (default: from the clock)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--timeout", type=float, default=0.0,
                        help="seconds before a test run counts as a hang (default: 5x its unmutated time + 20 s)")
    parser.add_argument("--report", type=Path, help="also write the Markdown table here")
    parser.add_argument("--keep", action="store_true", help="keep the scratch copy and its build")
    args = parser.parse_args()

    mutants = parse(args.list)
    problems = check_fragments(ROOT, mutants)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 1
    if args.check:
        print(f"{len(mutants)} mutants, every fragment found exactly once")
        return 0
    if args.only:
        wanted = args.only.split(",")
        unknown = set(wanted) - {m.id for m in mutants}
        if unknown:
            sys.exit(f"unknown mutant ids: {sorted(unknown)}")
        mutants = [m for m in mutants if m.id in wanted]
    if args.sample:
        seed = args.seed if args.seed is not None else int(time.time())
        print(f"sample of {args.sample} (--seed {seed} repeats it)")
        mutants = random.Random(seed).sample(mutants, min(args.sample, len(mutants)))

    scratch = Path(tempfile.mkdtemp(prefix="iaf-mutants-"))
    try:
        copy_tree(ROOT, scratch)
        build = scratch / "build"
        targets = sorted({t for m in mutants for t in m.tests})
        # Release's test sizes (NDEBUG) at -O1, which compiles in half the time of -O3: each
        # mutant compiles its tests twice (unmutated, mutated) and runs them once.
        configure = ["cmake", "-S", str(scratch), "-B", str(build), "-DCMAKE_BUILD_TYPE=Release",
                     "-DCMAKE_CXX_FLAGS_RELEASE=-O1 -DNDEBUG",
                     "-DIAF_BUILD_EXAMPLES=OFF", "-DIAF_BUILD_BENCHMARKS=OFF", "-DIAF_BUILD_TESTS=ON"]
        status, out = run(configure, scratch)
        if status != "ok":
            sys.exit("configure failed:\n" + out)

        baseline_seconds: dict[str, float] = {}

        def build_and_test(names: list[str]) -> tuple[str, str]:
            status, out = run(["cmake", "--build", str(build), "-j", str(args.jobs), "--target", *names], scratch)
            if status != "ok":
                return "broken", out
            for name in names:
                limit = args.timeout or (5.0 * baseline_seconds[name] + 20.0 if name in baseline_seconds else None)
                start = time.monotonic()
                status, out = run([str(executable(build, name))], build, limit)
                baseline_seconds.setdefault(name, time.monotonic() - start)
                if status != "ok":
                    return ("caught" if status == "failed" else "caught (timeout)"), f"{name}: {out}"
            return "survived", ""

        print(f"baseline: building and running {len(targets)} test executables unmutated", flush=True)
        status, out = build_and_test(targets)
        if status != "survived":
            sys.exit(f"the unmutated tests do not pass ({status}):\n{out}")

        rows, failed = [], False
        for number, m in enumerate(mutants, 1):
            path = scratch / m.file
            original = path.read_text()
            path.write_text(original.replace(m.before, m.after, 1))
            start = time.monotonic()
            try:
                status, out = build_and_test(m.tests)
            finally:
                path.write_text(original)
            seconds = time.monotonic() - start
            verdict = status
            if status == "survived" and m.equivalent:
                verdict = "survived (equivalent)"
            elif status in ("survived", "broken"):
                failed = True
            print(f"[{number}/{len(mutants)}] {m.id}: {verdict} ({seconds:.0f} s)", flush=True)
            if status == "broken":
                print(out, file=sys.stderr)
            rows.append((m, verdict))

        caught = sum(v.startswith("caught") for _, v in rows)
        equivalent = sum(v == "survived (equivalent)" for _, v in rows)
        lines = ["| mutant | file | bug planted | tests run | result |", "|---|---|---|---|---|"]
        for m, verdict in rows:
            note = f"{verdict}: {m.equivalent}" if m.equivalent and verdict.startswith("survived") else verdict
            lines.append(f"| `{m.id}` | `{m.file.removeprefix('include/iaf/')}` | {m.why} | "
                         f"{', '.join(m.tests)} | {note} |")
        total = len(rows)
        lines.append("")
        lines.append(f"{caught} of {total} caught ({100.0 * caught / total:.1f} %); {equivalent} equivalent; "
                     f"{caught} of {total - equivalent} non-equivalent caught "
                     f"({100.0 * caught / max(1, total - equivalent):.1f} %).")
        table = "\n".join(lines)
        print(table)
        if args.report:
            args.report.write_text(table + "\n")
        return 1 if failed else 0
    finally:
        if args.keep:
            print(f"scratch copy kept in {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
