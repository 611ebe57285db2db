"""`make bench`: run the benchmark matrix, keep every log, write the tidy CSV, the metadata
and the figures.

usage: /usr/bin/python3 analysis/bench.py [--preset quick|full] [--bench a,b] [--modes m,n]
           [--fmts short,lpae] [--reps N] [--jobs N] [--timeout S] [--out DIR]

Every run boots the benchmark guest under QEMU with -icount shift=0 (scripts/run.sh), so
every count is exact and deterministic; the wall-clock time of each run is recorded only as
the harness's own speed. A run that fails, times out or prints malformed output is reported
with the path of its log and the matrix goes on; the exit status is nonzero if any did."""

import argparse
import concurrent.futures as cf
import csv
import datetime
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import matrix
import plots
from tbparse import ParseError, parse_output

ROOT = Path(__file__).resolve().parents[1]
RUN_SH = ROOT / "scripts" / "run.sh"
ID_COLUMNS = ["mode", "module", "fmt", "split", "bench", "rep"]
PARAM_COLUMNS = ["n", "pages", "stride", "rounds", "large", "procs"]
CSV_NAME = "results.csv"
RUNS_NAME = "runs.csv"


def available_modules():
    """Memory modules this tree builds (scripts/run.sh discovers them the same way)."""
    return sorted(d.name[3:] for d in ROOT.glob("mm-*") if any(d.glob("*.c")))


def run_one(run, logdir, timeout):
    """Boot the guest for one run; (run, status, records, seconds, message)."""
    mm, hyp = matrix.MODES[run.mode]
    env = dict(os.environ, GUEST="bench", MM=mm, HYP=hyp, APPEND=run.append, ICOUNT="0")
    log = logdir / f"{run.name}.log"
    t0 = time.monotonic()
    try:
        p = subprocess.run([str(RUN_SH)], env=env, capture_output=True, text=True,
                           timeout=timeout, errors="replace")
        out, rc = p.stdout + p.stderr, p.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) \
            else (e.stdout or "")
        log.write_text(out + f"\n[harness] timed out after {timeout} s\n")
        return run, "timeout", [], time.monotonic() - t0, f"timed out after {timeout} s"
    seconds = time.monotonic() - t0
    log.write_text(out)
    try:
        records, _ = parse_output(p.stdout, source=str(log))
    except ParseError as e:
        return run, "malformed", [], seconds, str(e)
    fails = [ln for ln in out.splitlines() if ln.startswith("FAIL ")]
    if rc != 0 or fails:
        why = fails[0] if fails else f"exit status {rc}"
        return run, "failed", records, seconds, why
    if len(records) != run.reps:
        return run, "malformed", records, seconds, \
            f"{len(records)} result lines for {run.reps} repetitions"
    return run, "ok", records, seconds, ""


def fmt_time(s):
    s = int(s)
    return f"{s // 60:02d}:{s % 60:02d}"


def tool_version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=30).stdout
        return out.splitlines()[0].strip() if out else "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def git_commit():
    try:
        head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True,
                              text=True, timeout=30).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--",
                                ".", ":!results"], capture_output=True, text=True,
                               timeout=30).stdout.strip()
        return head + ("-dirty" if dirty else "")
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def write_csv(path, rows):
    """One row per measurement, one column per counter (docs/results.md)."""
    counters = sorted({k for r in rows for k in r} - set(ID_COLUMNS) - set(PARAM_COLUMNS)
                      - {"ops", "log"})
    head = ID_COLUMNS + PARAM_COLUMNS + ["ops"] + \
        [c for c in ("pl1_insn", "pl0_insn", "cycles") if c in counters] + \
        [c for c in counters if c not in ("pl1_insn", "pl0_insn", "cycles")] + ["log"]
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=head, restval="")
        w.writeheader()
        for r in rows:
            w.writerow(r)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="full")
    ap.add_argument("--bench")
    ap.add_argument("--modes")
    ap.add_argument("--fmts")
    ap.add_argument("--reps", type=int)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=300.0)
    ap.add_argument("--out")
    args = ap.parse_args()
    try:
        runs = matrix.expand(args.preset, args.bench, args.modes, args.fmts, args.reps,
                             available_modes=available_modules())
    except matrix.MatrixError as e:
        sys.exit(f"bench: error: {e}")
    if not runs:
        sys.exit("bench: error: the selection leaves no run")
    out = Path(args.out) if args.out else ROOT / ("results" if args.preset == "full"
                                                   else f"build/results-{args.preset}")
    commit = git_commit()  # before anything is written into the tree
    # Everything is written to a staging directory first, then moved into place: an
    # interrupted run leaves the previous results intact.
    staging = out.parent / f".{out.name}.staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    (staging / "logs").mkdir(parents=True)

    print(f"bench: {len(runs)} runs ({args.preset} preset), {args.jobs} in parallel, "
          f"QEMU -icount shift=0; logs in {out / 'logs'}")
    rows, runs_rows, problems = [], [], []
    start = time.monotonic()
    done = 0
    with cf.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_one, r, staging / "logs", args.timeout) for r in runs]
        for fut in cf.as_completed(futures):
            run, status, records, seconds, message = fut.result()
            done += 1
            elapsed = time.monotonic() - start
            left = elapsed / done * (len(runs) - done)
            print(f"[{done:3d}/{len(runs)}] {fmt_time(elapsed)} elapsed, ~{fmt_time(left)} left: "
                  f"{run.describe()}: {status} ({seconds:.1f} s)", flush=True)
            log = f"logs/{run.name}.log"
            runs_rows.append({"run": run.name, "mode": run.mode, "fmt": run.fmt,
                              "bench": run.bench, "status": status,
                              "wall_seconds": f"{seconds:.2f}", "log": log})
            if status != "ok":
                problems.append((run, status, message, out / log))
                print(f"    {status.upper()}: {message} (log: {out / log})", flush=True)
            for rec in records:
                row = dict(rec)
                row["module"] = row.pop("mode")
                row["mode"] = run.mode
                row["log"] = log
                rows.append(row)
    rows.sort(key=lambda r: (r["mode"], r["fmt"], r["bench"], r["log"], r["rep"]))
    runs_rows.sort(key=lambda r: r["run"])
    write_csv(staging / CSV_NAME, rows)
    with open(staging / RUNS_NAME, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(runs_rows[0]))
        w.writeheader()
        w.writerows(runs_rows)
    meta = {
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "preset": args.preset,
        "git_commit": commit,
        "qemu": tool_version(["qemu-system-arm", "--version"]),
        "cross_compiler": tool_version(["arm-none-eabi-gcc", "--version"]),
        "host": f"{platform.system()} {platform.release()} {platform.machine()}",
        "icount": "shift=0",
        "machine": "-M virt,virtualization=on -cpu cortex-a15 (native: -M virt)",
        "guest_ram_mib": int(os.environ.get("MEM", "256")),
        "modes": {m: {"mm": matrix.MODES[m][0], "options": matrix.MODES[m][1]}
                  for m in sorted({r.mode for r in runs})},
        "runs": len(runs),
        "runs_failed": len(problems),
        "measurements": len(rows),
        "harness_wall_seconds": round(time.monotonic() - start, 1),
    }
    (staging / "metadata.json").write_text(json.dumps(meta, indent=2) + "\n")
    made = plots.make_all(staging)

    # Move into place: replace what this harness writes, keep anything else (README.md).
    out.mkdir(parents=True, exist_ok=True)
    for item in ["logs", "figures", CSV_NAME, RUNS_NAME, "metadata.json", "summary.md"]:
        target = out / item
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
        if (staging / item).exists():
            shutil.move(str(staging / item), str(target))
    shutil.rmtree(staging, ignore_errors=True)

    print()
    print((out / "summary.md").read_text())
    print(f"bench: {len(rows)} measurements from {len(runs)} runs in "
          f"{fmt_time(time.monotonic() - start)}; results in {out}/ ({CSV_NAME}, metadata.json, "
          f"summary.md, {len(made)} figures in figures/)")
    if problems:
        print(f"bench: {len(problems)} run(s) FAILED:")
        for run, status, message, log in problems:
            print(f"  {run.describe()}: {status}: {message} (log: {log})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
