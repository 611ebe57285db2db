"""Issue 6's figures, recorded: the page-table exerciser over many seeds in every mode, the
hostile guests under both modules, and the libFuzzer harnesses; writes
results/verification.md (make verify [SEEDS=n] [FUZZ_TIME=s]).

usage: /usr/bin/python3 analysis/verify.py --seeds N --fuzz-time S [--out results]"""

import argparse
import datetime
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = "/usr/bin/python3"


def sh(cmd):
    """Run cmd in the repository; its status and its whole output."""
    p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, errors="replace")
    return p.returncode, p.stdout + p.stderr


def exerciser(seeds):
    cmd = [PYTHON, "tests/integration/ptx_seeds.py", "--seeds", str(seeds), "--base", "10000"]
    rc, out = sh(cmd)
    m = re.search(r"^(\d+) seeds x (\d+) formats x (\d+) modes: (\d+) mismatches.*$", out, re.M)
    if m is None:
        raise SystemExit(f"verify: no summary from {' '.join(cmd)}:\n{out[-2000:]}")
    return rc, " ".join(cmd), m.group(0), int(m.group(4))


def hostile():
    cmd = [PYTHON, "-m", "pytest", "-q", "-rx", "tests/integration/test_hostile.py"]
    rc, out = sh(cmd)
    m = re.search(r"^(\d+) passed(?:, (\d+) xfailed)?.*$", out, re.M)
    if m is None:
        raise SystemExit(f"verify: no pytest summary from {' '.join(cmd)}:\n{out[-2000:]}")
    xfails = [ln.strip() for ln in out.splitlines() if ln.startswith("XFAIL")]
    return rc, " ".join(cmd), int(m.group(1)), int(m.group(2) or 0), xfails


def fuzz(seconds):
    cmd = ["make", "--no-print-directory", "fuzz-host", f"FUZZ_TIME={seconds}"]
    rc, out = sh(cmd)
    runs = re.findall(r"^(fuzz_\w+): (\d+) execs, (\d+) crashes$", out, re.M)
    if not runs:
        raise SystemExit(f"verify: no fuzz summary from {' '.join(cmd)}:\n{out[-2000:]}")
    return rc, " ".join(cmd), runs


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=200)
    ap.add_argument("--fuzz-time", type=int, default=60)
    ap.add_argument("--out", default="results")
    a = ap.parse_args(argv)
    commit = sh(["git", "rev-parse", "--short", "HEAD"])[1].strip()
    x_rc, x_cmd, x_line, mismatches = exerciser(a.seeds)
    h_rc, h_cmd, passed, xfailed, xfails = hostile()
    f_rc, f_cmd, runs = fuzz(a.fuzz_time)
    lines = [
        "# Verification figures (issue 6)", "",
        f"Commit {commit}, {datetime.date.today()}; regenerate with "
        f"`make verify SEEDS={a.seeds} FUZZ_TIME={a.fuzz_time}` (QEMU `-icount shift=0`).", "",
        "## Differential page-table exerciser", "",
        f"`{x_cmd}`: **{x_line}** (every trace compared line by line with native's; "
        "modes: native, stage2, shadow with sync=emulate, shadow with sync=unsync).", "",
        "## Hostile guests, under both modules", "",
        f"`{h_cmd}`: **{passed} tests passed, zero escapes** (each hostile case under "
        "both modules, and the checks of their counters): every run either survives or is "
        "stopped with the expected message, the guest never sees memory that is not its own "
        "nor the hypervisor's marker, and the hypervisor's integrity check passes; "
        f"{xfailed} expected failure(s), each a documented limit, not an escape:", "",
    ]
    lines += [f"- {x}" for x in xfails] or ["- none"]
    lines += ["", "## Host fuzzing (libFuzzer, ASan, UBSan)", "", f"`{f_cmd}`:", "",
              "| harness | executions | crashes |", "|---|---:|---:|"]
    lines += [f"| {name} | {execs} | {crashes} |" for name, execs, crashes in runs]
    out = ROOT / a.out / "verification.md"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n".join(lines) + "\n")
    print(f"verify: wrote {out}")
    print(x_line)
    print(f"hostile: {passed} passed, {xfailed} xfailed")
    for name, execs, crashes in runs:
        print(f"{name}: {execs} execs, {crashes} crashes")
    ok = x_rc == 0 and mismatches == 0 and h_rc == 0 and f_rc == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
