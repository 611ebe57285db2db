"""Runs of the page-table exerciser (tests/guests/ptx.c) natively and under the hypervisor's
memory modules, and the comparison of their traces: every mode must print exactly what the
reference mode (the first, native) prints. Used by test_ptx.py and ptx_seeds.py."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from harness import run

GUEST = "ptx"
FMTS = ("short", "lpae")
DONE = "ptx: done "
HYP_TAIL = 8  # hypervisor lines shown with a mismatch
TIMEOUT = 180


@dataclass(frozen=True)
class Mode:
    label: str
    mm: str
    hyp: str = ""


# The modes every seed runs in; the first is the reference.
MODES = (
    Mode("native", "native"),
    Mode("stage2", "stage2"),
    Mode("shadow-emulate", "shadow", "shadow.sync=emulate"),
    Mode("shadow-unsync", "shadow", "shadow.sync=unsync"),
)


def parse_mode(token):
    """A mode from a label of MODES, or from "MM" / "MM:HYP options"."""
    for m in MODES:
        if m.label == token:
            return m
    mm, _, hyp = token.partition(":")
    return Mode(token, mm, hyp)


def append_line(seed, fmt, steps=None):
    line = f"seed={seed} fmt={fmt}"
    return line if steps is None else f"{line} steps={steps}"


def run_one(seed, fmt, mode, steps=None):
    return run(GUEST, mode.mm, append_line(seed, fmt, steps), hyp=mode.hyp, timeout=TIMEOUT)


def run_matrix(cases, modes, steps=None, jobs=2, progress=None):
    """Every (seed, fmt) of cases in every mode, jobs runs at a time: {(seed, fmt, label): Result}."""
    keys = [(seed, fmt, m) for seed, fmt in cases for m in modes]
    results = {}
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {k: pool.submit(run_one, k[0], k[1], k[2], steps) for k in keys}
        for (seed, fmt, m), fut in futures.items():
            results[(seed, fmt, m.label)] = fut.result()
            if progress is not None:
                progress(len(results), len(keys))
    return results


def first_difference(a, b):
    """(line number from 1, line of a, line of b) where the texts first differ, or None."""
    la, lb = a.splitlines(), b.splitlines()
    for i in range(max(len(la), len(lb))):
        x = la[i] if i < len(la) else "<end of output>"
        y = lb[i] if i < len(lb) else "<end of output>"
        if x != y:
            return i + 1, x, y
    return None


def status_text(rc):
    return f"killed by signal {-rc}" if rc < 0 else f"exit status {rc}"


def hyp_tail(res):
    lines = res.hyp[-HYP_TAIL:] or res.out.splitlines()[-HYP_TAIL:]
    return "\n".join("    " + line for line in lines)


def reference_problem(seed, fmt, mode, res):
    """Why the reference run is not a usable reference, or None."""
    if res.rc == 0 and DONE in res.guest:
        return None
    tail = "\n".join("    " + line for line in res.out.splitlines()[-HYP_TAIL:])
    return (f"seed={seed} fmt={fmt}: the reference run ({mode.label}) failed "
            f"({status_text(res.rc)}):\n{tail}")


def mismatch(seed, fmt, ref_mode, ref, mode, res):
    """A message describing how res differs from the reference ref, or None."""
    diff = first_difference(ref.guest, res.guest)
    if diff is None and res.rc == ref.rc:
        return None
    head = f"seed={seed} fmt={fmt}: {mode.label} differs from {ref_mode.label}"
    if diff is None:
        detail = f"same trace, {status_text(res.rc)} instead of {status_text(ref.rc)}"
    else:
        n, x, y = diff
        detail = (f"first difference at line {n} ({status_text(ref.rc)} vs "
                  f"{status_text(res.rc)}):\n"
                  f"    {ref_mode.label}: {x}\n    {mode.label}: {y}")
    return f"{head}: {detail}\n  last hypervisor lines ({mode.label}):\n{hyp_tail(res)}"


def case_problems(results, seed, fmt, modes):
    """Every problem of one (seed, fmt) across modes, compared with modes[0]."""
    ref_mode = modes[0]
    ref = results[(seed, fmt, ref_mode.label)]
    bad = reference_problem(seed, fmt, ref_mode, ref)
    if bad is not None:
        return [bad]
    found = []
    for m in modes[1:]:
        msg = mismatch(seed, fmt, ref_mode, ref, m, results[(seed, fmt, m.label)])
        if msg is not None:
            found.append(msg)
    return found
