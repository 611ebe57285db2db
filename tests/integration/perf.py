"""The hypervisor's cost per event in Hyp-mode instructions, measured by the `cost` guest
under -icount shift=0 (exact, deterministic counts, not time). `make perf` prints the table
that the README records; test_perf.py checks the bounds of the issue."""

import sys
from pathlib import Path

from harness import run

CONFIG = "stage2.fill=lazy stage2.page=4k"
COMMAND = f'make run GUEST=cost MM=stage2 HYP="{CONFIG}" APPEND="n=1000"'
# event -> (description, bound in Hyp instructions per event)
BOUNDS = {
    "null_hypercall": ("null hypercall round trip (HVC #0, TB_HC_NULL)", 60),
    "console_store": ("emulated console store (STRB to the PL011 data register)", 150),
    "stage2_fill_4k": ("lazy 4 KiB stage-2 fill (first touch of a guest page)", 250),
}


# The shadow module's events (the `shcost` guest, its own LPAE tables), per sync policy,
# with the bounds of issue 4: (event, shadow.flood option or None for the default, the
# instruction set of the page-table writes, description, bound or None).
SHADOW_COMMAND = 'make run GUEST=shcost MM=shadow HYP="shadow.sync={sync}" APPEND="n=1000"'
SHADOW_ROWS = [
    ("shadow_miss", None, "a32", "shadow miss (first touch of a page in a level-3 table "
     "already in use: trampoline, fill from the table's memo; a miss that needs the guest's "
     "full walk costs about 600)", 250),
    ("pt_write", 0, "a32", "caught page-table write, each (STRD of a new descriptor over a "
     "fault entry of a write-protected guest table, `shadow.flood=0`: every one caught; the "
     "batch's closing TLBIALL included)", 300),
    ("pt_write", 0, "t32", "the same, the STRD in T32 (`isa=t32`, as a Thumb-2 kernel)", None),
    ("pt_write", None, "a32", "page-table write in a batch of 1000 to two tables (default "
     "`shadow.flood=4`: a table written 4 times with no fill through it is unshadowed)", None),
    ("tlbimva", None, "a32", "trapped TLBIMVA of a shadowed page", 150),
    ("pt_remap", 0, "a32", "caught page-table write that removes a shadow entry, each (a "
     "shadowed page's descriptor rewritten read-only, `shadow.flood=0`)", 300),
    ("pt_remap", 0, "t32", "the same, the STRD in T32 (`isa=t32`)", None),
    ("root_switch", None, "a32", "switch to a cached root (TTBR0 write back to a known space)",
     150),
]
SHADOW_RUNS = sorted({(flood, isa) for _, flood, isa, _, _ in SHADOW_ROWS}, key=str)
# The bounds the module meets in both policies (test_perf checks that they stay met).
SHADOW_MET = ("shadow_miss", "pt_write", "tlbimva", "root_switch")


def parse_costs(r, what):
    if r.rc != 0:
        raise RuntimeError(f"{what} failed ({r.rc}):\n{r.out}")
    costs = {}
    for line in r.guest.splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] == "COST":
            costs[parts[1]] = (int(parts[2]), int(parts[3]), int(parts[4]))
    return costs


def measure(n=1000):
    return parse_costs(run("cost", "stage2", f"n={n}", hyp=CONFIG), "cost guest")


def measure_shadow(sync, n=1000, flood=None, isa="a32"):
    hyp = f"shadow.sync={sync}" + ("" if flood is None else f" shadow.flood={flood}")
    return parse_costs(run("shcost", "shadow", f"n={n} isa={isa}", hyp=hyp),
                       f"shcost guest ({hyp}, isa={isa})")


def report():
    """The cost tables (markdown lines) and whether the stage-2 bounds hold."""
    out = []
    costs = measure()
    out.append(f"Measured with: {COMMAND}  (QEMU -icount shift=0; Hyp-mode instructions, "
               "not time)\n")
    out.append("| event | Hyp instructions per event | bound | events counted |")
    out.append("|---|---:|---:|---:|")
    ok = True
    for event, (desc, bound) in BOUNDS.items():
        per_op, ops, events = costs[event]
        ok &= per_op <= bound and events == ops
        out.append(f"| {desc} | {per_op} | {bound} | {events} of {ops} |")
    bracket = costs["snapshot_bracket"][0]
    out.append(f"\n(The {bracket} instructions of an empty snapshot bracket are subtracted.)")

    out.append(f"\nShadow module: {SHADOW_COMMAND.format(sync='emulate|unsync')}\n")
    out.append("| event | sync=emulate | sync=unsync | bound | events counted (emulate / unsync) |")
    out.append("|---|---:|---:|---:|---:|")
    shadow = {(sync, flood, isa): measure_shadow(sync, flood=flood, isa=isa)
              for sync in ("emulate", "unsync") for flood, isa in SHADOW_RUNS}
    for event, flood, isa, desc, bound in SHADOW_ROWS:
        em, un = shadow[("emulate", flood, isa)][event], shadow[("unsync", flood, isa)][event]
        out.append(f"| {desc} | {em[0]} | {un[0]} | {bound or '-'} | "
                   f"{em[2]} / {un[2]} of {em[1]} |")
    out.append("\n(Under sync=unsync only the first write to each table frame is caught; the "
               "others go through, and the frames' resync at the batch's closing TLB operation "
               "is counted with them. A bound a column exceeds is not met by that policy: "
               "docs/shadow-design.md says what dominates each cost.)")
    return out, ok



def main():
    lines, ok = report()
    text = "\n".join(lines) + "\n"
    print(text, end="")
    dest = Path(__file__).resolve().parents[2] / "results" / "costs.md"
    dest.write_text("# Hypervisor costs per event (`make perf`)\n\n" + text)
    print(f"\n(written to {dest})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
