"""Where the Hyp-mode instructions of one shadow-module event go.

Runs one phase of the `shcost` guest (`only=<event>`, 200 events) under QEMU's
per-instruction trace of the hypervisor's image (`-singlestep -d exec,nochain -dfilter`,
with `-icount shift=0` as every run), cut into episodes at each entry through its vector
table: each one trap from entry to return. The phase is what lies between the two counter
snapshots that bracket it (the episodes that run `counters_refresh`, with the most episodes
between them), and the event's episode the most frequent length there; one such episode is
printed as the functions it runs through, in order, with their instruction counts (and with
--listing, instruction by instruction). The counts are exact, the same instructions the PMU
counts for `make perf`, whose means add the share of a batch's closing TLB operation to the
page-table writes.

    make trace-event EVENT=pt_remap [SYNC=unsync] [ISA=t32] [LISTING=1]
"""

import argparse
import bisect
import collections
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HYP_ELF = ROOT / "build" / "hyp" / "hyp.elf"
EVENTS = ("shadow_miss", "pt_write", "tlbimva", "pt_remap", "root_switch")
TRACE_PC = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
EVENTS_PER_RUN = 200
# The share of the phase's events that must take the same path (the first ones may differ: a
# decode cache or memo filled once), else the phase does not measure one kind of event.
MOST_EVENTS_ALIKE = 0.9
VECTOR_TABLE_BYTES = 8 * 4  # B4.1.76: eight vectors (HVBAR)
BRACKET = "counters_refresh"  # run by the snapshot hypercall that brackets a phase


def symbols():
    """(sorted addresses, names) of the hypervisor's functions, and its image's range."""
    out = subprocess.run(["arm-none-eabi-nm", "-n", str(HYP_ELF)], check=True,
                         capture_output=True, text=True).stdout
    funcs, image = [], {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) != 3:
            continue
        addr, kind, name = int(parts[0], 16), parts[1], parts[2]
        if name in ("__hyp_start", "__hyp_end"):
            image[name] = addr
        elif kind in "tT":
            funcs.append((addr, name.split(".")[0]))
    if len(image) != 2:
        sys.exit(f"trace_event: {HYP_ELF} has no __hyp_start/__hyp_end symbols")
    return [a for a, _ in funcs], [n for _, n in funcs], (image["__hyp_start"], image["__hyp_end"])


def episodes(trace: Path, vectors: int):
    """The Hyp episodes of a trace of the hypervisor's image alone, each a list of PCs: one
    starts at every entry through the vector table."""
    eps = []
    with trace.open(errors="replace") as f:
        for line in f:
            m = TRACE_PC.match(line)
            if m is None:
                continue
            pc = int(m.group(1), 16)
            if vectors <= pc < vectors + VECTOR_TABLE_BYTES or not eps:
                eps.append([])
            eps[-1].append(pc)
    return eps


def traced_run(args, trace: Path, lo: int, hi: int):
    """The shcost phase, traced into trace: the instructions in [lo, hi) alone."""
    hyp = f"shadow.sync={args.sync} shadow.flood={args.flood} {args.hyp}".strip()
    env = dict(os.environ, GUEST="shcost", MM="shadow", HYP=hyp,
               APPEND=f"n={EVENTS_PER_RUN} only={args.event} isa={args.isa}",
               QEMU_EXTRA=f"-singlestep -d exec,nochain -dfilter {lo:#x}..{hi - 1:#x} -D {trace}")
    p = subprocess.run([str(ROOT / "scripts" / "run.sh")], env=env, capture_output=True,
                       text=True, errors="replace", timeout=600)
    if p.returncode != 0:
        sys.exit(f"trace_event: the traced run failed ({p.returncode}):\n{p.stdout}{p.stderr}")


def function_range(addrs, names, name):
    """[start, end) of the hypervisor function name."""
    if name not in names:
        sys.exit(f"trace_event: {HYP_ELF} has no function {name} (inlined or renamed?)")
    i = names.index(name)
    return addrs[i], addrs[i + 1] if i + 1 < len(addrs) else addrs[i] + 4


def event_episode(eps, addrs, names):
    """One episode of the event: the middle one of the most frequent length among the
    episodes of the bracketed phase, which nearly every event must have taken (a batch's
    closing TLB operation, or the like, traps a few more times)."""
    start, end = function_range(addrs, names, BRACKET)
    marks = [i for i, e in enumerate(eps) if any(start <= pc < end for pc in e)]
    pairs = [(b - a, a, b) for a, b in zip(marks, marks[1:])]
    if not pairs:
        sys.exit("trace_event: no pair of counter snapshots in the trace")
    _, a, b = max(pairs)
    phase = eps[a + 1:b]
    length, count = collections.Counter(len(e) for e in phase).most_common(1)[0]
    if count < MOST_EVENTS_ALIKE * EVENTS_PER_RUN or count > EVENTS_PER_RUN:
        sys.exit(f"trace_event: the phase's most frequent trap ({length} instructions) "
                 f"happened {count} times for {EVENTS_PER_RUN} events: its events do not "
                 "take one trap of one kind here (under shadow.sync=unsync, or "
                 "shadow.flood above 0, most page-table writes are not caught)")
    chosen = [e for e in phase if len(e) == length]
    return chosen[len(chosen) // 2], len(phase)


def disassembly():
    """Address -> instruction text of the hypervisor's image."""
    out = subprocess.run(["arm-none-eabi-objdump", "-d", "--no-show-raw-insn", str(HYP_ELF)],
                         check=True, capture_output=True, text=True).stdout
    insns = {}
    for line in out.splitlines():
        m = re.match(r"\s*([0-9a-f]+):\s*(.*)", line)
        if m:
            insns[int(m.group(1), 16)] = " ".join(m.group(2).split())
    return insns


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--event", required=True, choices=EVENTS)
    ap.add_argument("--sync", default="emulate", choices=("emulate", "unsync"))
    ap.add_argument("--flood", type=int, default=0, help="shadow.flood (default 0: every "
                    "page-table write caught)")
    ap.add_argument("--isa", default="a32", choices=("a32", "t32"))
    ap.add_argument("--hyp", default="", help="more hypervisor options")
    ap.add_argument("--listing", action="store_true", help="print every instruction")
    args = ap.parse_args()
    if not HYP_ELF.exists():
        sys.exit(f"trace_event: {HYP_ELF} is missing (run make)")
    addrs, names, (lo, hi) = symbols()
    with tempfile.TemporaryDirectory(prefix="trace_event.") as tmp:
        trace = Path(tmp) / "trace.log"
        traced_run(args, trace, lo, hi)
        eps = episodes(trace, function_range(addrs, names, "hyp_vectors")[0])
    episode, in_phase = event_episode(eps, addrs, names)
    insns = disassembly() if args.listing else {}
    print(f"{args.event} (shadow.sync={args.sync} shadow.flood={args.flood} isa={args.isa}): "
          f"one event is {len(episode)} Hyp instructions ({in_phase} traps in the phase)")
    runs = []
    for pc in episode:
        name = names[bisect.bisect_right(addrs, pc) - 1]
        if runs and runs[-1][0] == name:
            runs[-1][1] += 1
        else:
            runs.append([name, 1])
        if args.listing:
            print(f"    {pc:08x} {name:<24} {insns.get(pc, '?')}")
    for name, count in runs:
        print(f"{count:6d}  {name}")


if __name__ == "__main__":
    main()
