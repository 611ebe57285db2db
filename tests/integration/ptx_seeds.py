#!/usr/bin/python3
"""Run the page-table exerciser (tests/guests/ptx.c) for N seeds in several modes and
compare every mode's trace with the first mode's (native by default):

    ptx_seeds.py --seeds 50 [--base 1000] [--modes native,stage2,shadow] [--fmts short,lpae]
                 [--steps N] [--jobs 2]

A mode is a label of ptxcheck.MODES or "MM[:HYP options]", e.g. shadow:shadow.sync=emulate.
Prints every mismatch and a summary line; exits 1 if there was any (2 on bad usage)."""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ptxcheck  # noqa: E402


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=50, help="how many seeds (default 50)")
    p.add_argument("--base", type=int, default=1000, help="the first seed (default 1000)")
    p.add_argument("--modes", default=",".join(m.label for m in ptxcheck.MODES),
                   help="comma-separated modes; the first is the reference")
    p.add_argument("--fmts", default=",".join(ptxcheck.FMTS), help="short,lpae")
    p.add_argument("--steps", type=int, default=None, help="steps per run (guest default)")
    p.add_argument("--jobs", type=int, default=2, help="runs at a time (default 2)")
    a = p.parse_args(argv)
    a.modes = [ptxcheck.parse_mode(t) for t in a.modes.split(",") if t]
    a.fmts = [f for f in a.fmts.split(",") if f]
    if a.seeds < 1 or a.jobs < 1 or len(a.modes) < 2:
        p.error("need --seeds >= 1, --jobs >= 1 and at least two modes")
    for f in a.fmts:
        if f not in ptxcheck.FMTS:
            p.error(f"unknown format {f!r} (valid: {', '.join(ptxcheck.FMTS)})")
    return a


def progress(done, total):
    print(f"\r  {done}/{total} runs", end="", file=sys.stderr, flush=True)


def main(argv):
    a = parse_args(argv)
    cases = [(seed, fmt) for seed in range(a.base, a.base + a.seeds) for fmt in a.fmts]
    start = time.monotonic()
    results = ptxcheck.run_matrix(cases, a.modes, a.steps, a.jobs, progress)
    print(file=sys.stderr)
    problems = []
    for seed, fmt in cases:
        problems += ptxcheck.case_problems(results, seed, fmt, a.modes)
    for msg in problems:
        print(msg)
    print(f"{a.seeds} seeds x {len(a.fmts)} formats x {len(a.modes)} modes: "
          f"{len(problems)} mismatches "
          f"({time.monotonic() - start:.1f} s; seeds {a.base}-{a.base + a.seeds - 1}, "
          f"formats {','.join(a.fmts)}, modes {','.join(m.label for m in a.modes)})")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
