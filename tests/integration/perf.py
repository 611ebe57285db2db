"""The hypervisor's cost per event in Hyp-mode instructions, measured by the `cost` guest
under -icount shift=0 (exact, deterministic counts, not time). `make perf` prints the table
that the README records; test_perf.py checks the bounds of the issue."""

import sys

from harness import run

CONFIG = "stage2.fill=lazy stage2.page=4k"
COMMAND = f'make run GUEST=cost MM=stage2 HYP="{CONFIG}" APPEND="n=1000"'
# event -> (description, bound in Hyp instructions per event)
BOUNDS = {
    "null_hypercall": ("null hypercall round trip (HVC #0, TB_HC_NULL)", 60),
    "console_store": ("emulated console store (STRB to the PL011 data register)", 150),
    "stage2_fill_4k": ("lazy 4 KiB stage-2 fill (first touch of a guest page)", 250),
}


def measure(n=1000):
    r = run("cost", "stage2", f"n={n}", hyp=CONFIG)
    if r.rc != 0:
        raise RuntimeError(f"cost guest failed ({r.rc}):\n{r.out}")
    costs = {}
    for line in r.guest.splitlines():
        parts = line.split()
        if len(parts) == 5 and parts[0] == "COST":
            costs[parts[1]] = (int(parts[2]), int(parts[3]), int(parts[4]))
    return costs


def main():
    costs = measure()
    print(f"Measured with: {COMMAND}  (QEMU -icount shift=0; Hyp-mode instructions, "
          "not time)\n")
    print("| event | Hyp instructions per event | bound | events counted |")
    print("|---|---:|---:|---:|")
    ok = True
    for event, (desc, bound) in BOUNDS.items():
        per_op, ops, events = costs[event]
        ok &= per_op <= bound and events == ops
        print(f"| {desc} | {per_op} | {bound} | {events} of {ops} |")
    bracket = costs["snapshot_bracket"][0]
    print(f"\n(The {bracket} instructions of an empty snapshot bracket are subtracted.)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
