"""A memory module (stage 2 by default) relative to native, per benchmark: guest-visible instructions per operation
(PL1 + PL0, from the guest's PMU) and Hyp-mode instructions per operation (from the
hypervisor's PMU counter). Runs the benchmark guest in its small configuration under QEMU
with -icount shift=0: exact instruction counts, not time.

usage: /usr/bin/python3 analysis/compare.py [--mm stage2|shadow] [--fmt short|lpae]
           [--hyp "<options>"]"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

from tbparse import parse_output

ROOT = Path(__file__).resolve().parents[1]


def run(mm, append, hyp=""):
    env = dict(os.environ, GUEST="bench", MM=mm, APPEND=append, HYP=hyp)
    p = subprocess.run([str(ROOT / "scripts" / "run.sh")], env=env, capture_output=True,
                       text=True, timeout=600)
    if p.returncode != 0:
        sys.exit(f"compare: the {mm} run failed ({p.returncode}):\n{p.stdout}{p.stderr}")
    results, _ = parse_output(p.stdout, source=f"bench/{mm}")
    return {r["bench"]: r for r in results}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fmt", default="short", choices=["short", "lpae"])
    ap.add_argument("--mm", default="stage2", help="the memory module to compare")
    ap.add_argument("--hyp", default="", help="hypervisor options for the module's run")
    args = ap.parse_args()
    append = f"fmt={args.fmt}"
    native, stage2 = run("native", append), run(args.mm, append, args.hyp)
    print(f"{args.mm} relative to native ({args.fmt} stage-1 tables, small configuration; "
          "QEMU -icount shift=0: instruction counts, not time)\n")
    print(f"| benchmark | ops | guest insn/op native | guest insn/op {args.mm} | ratio "
          f"| HYP insn/op {args.mm} | traps/op {args.mm} |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in sorted(stage2):
        s = stage2[name]
        ops = s["ops"]
        guest_s = (s["pl1_insn"] + s["pl0_insn"]) / ops
        traps = sum(v for k, v in s.items() if k.startswith("hyp.trap.")) / ops
        hyp = s["hyp.core.hyp_instructions"] / ops
        if name in native:
            n = native[name]
            guest_n = (n["pl1_insn"] + n["pl0_insn"]) / n["ops"]
            cols = f"{guest_n:.1f} | {guest_s:.1f} | {guest_s / guest_n:.3f}"
        else:
            cols = f"(needs the hypervisor) | {guest_s:.1f} | -"
        print(f"| {name} | {ops} | {cols} | {hyp:.1f} | {traps:.3f} |")


if __name__ == "__main__":
    main()
