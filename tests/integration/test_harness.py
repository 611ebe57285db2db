"""`make bench`: the matrix, its bad input, and an end-to-end quick run checked for content."""

import csv
import json
import subprocess
import sys

import pytest

import matrix
from harness import ROOT

BENCH_PY = ROOT / "analysis" / "bench.py"
PYTHON = "/usr/bin/python3"


def bench(*args, timeout=600):
    return subprocess.run([PYTHON, str(BENCH_PY), *args], capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.parametrize("args,needle", [
    (["--preset", "huge"], "unknown preset huge (valid: quick, full)"),
    (["--preset", "quick", "--bench", "syscall,nope"], "unknown benchmark nope (valid: "),
    (["--preset", "quick", "--modes", "warp"], "unknown mode warp (valid: native, stage2"),
    (["--preset", "quick", "--fmts", "long"], "unknown format long (valid: short, lpae)"),
])
def test_bad_selection(args, needle):
    p = bench(*args)
    assert p.returncode != 0
    assert needle in p.stderr


def test_expansion():
    runs = matrix.expand("quick", benches="syscall,null-hypercall", fmts="lpae")
    assert sorted(r.describe() for r in runs) == [
        "native lpae syscall n=1000", "shadow lpae null-hypercall n=1000",
        "shadow lpae syscall n=1000", "stage2 lpae null-hypercall n=1000",
        "stage2 lpae syscall n=1000"]
    full = matrix.expand("full")
    assert len({r.name for r in full}) == len(full)  # every run has its own log name
    assert all(r.reps == 3 for r in full)


def test_quick_end_to_end(tmp_path):
    out = tmp_path / "res"
    p = bench("--preset", "quick", "--out", str(out), "--jobs", "2")
    assert p.returncode == 0, p.stdout + p.stderr
    assert "[ 82/82]" in p.stdout and "elapsed" in p.stdout and "left" in p.stdout
    with open(out / "results.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    header = list(rows[0])
    assert header[:7] == ["mode", "module", "fmt", "split", "bench", "rep", "n"]
    assert {"ops", "pl1_insn", "pl0_insn", "cycles", "k.page_faults",
            "hyp.core.hyp_instructions", "hyp.trap.hvc", "log"} <= set(header)
    modes = {r["mode"] for r in rows}
    assert modes == {"native", "stage2", "shadow"}
    for mode in modes:
        benches = {r["bench"] for r in rows if r["mode"] == mode}
        assert len(benches) == (10 if mode == "native" else 11)
    for r in rows:
        assert int(r["ops"]) > 0 and (out / r["log"]).is_file()
        assert (r["hyp.core.hyp_instructions"] == "") == (r["mode"] == "native")
    nulls = [r for r in rows if r["bench"] == "null-hypercall"]
    assert all(r["hyp.trap.hvc"] == r["n"] for r in nulls)
    meta = json.loads((out / "metadata.json").read_text())
    assert meta["icount"] == "shift=0" and "QEMU emulator version" in meta["qemu"]
    assert meta["runs"] == 82 and meta["runs_failed"] == 0
    assert meta["modes"]["stage2"]["options"]
    figures = sorted(p.name for p in (out / "figures").iterdir())
    assert "overhead.png" in figures and "overhead.svg" in figures
    assert "shadow_internals.png" in figures
    for png in (out / "figures").glob("*.png"):
        data = png.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10000
    assert "| stage2 | short | null-hypercall |" in (out / "summary.md").read_text()
    # make plots: the figures again from the CSV alone.
    for f in (out / "figures").iterdir():
        f.unlink()
    p = subprocess.run([PYTHON, str(ROOT / "analysis" / "plots.py"), str(out)],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr
    assert (out / "figures" / "overhead.png").stat().st_size > 10000


def test_failed_run_is_reported_and_matrix_goes_on(tmp_path, monkeypatch):
    """A run that fails is named with its log; the others still produce results."""
    sys.path.insert(0, str(ROOT / "analysis"))
    import bench as harness_bench
    monkeypatch.setitem(matrix.MODES, "broken", ("native", ""))
    broken = matrix.Run("broken", "short", "syscall", (("n", 0),), 1)  # n=0 is refused
    good = matrix.Run("native", "short", "syscall", (("n", 10),), 1)
    logdir = tmp_path / "logs"
    logdir.mkdir()
    r1 = harness_bench.run_one(broken, logdir, 60)
    r2 = harness_bench.run_one(good, logdir, 60)
    assert r1[1] == "failed" and "exit status 2" in r1[4]
    assert (logdir / f"{broken.name}.log").read_text().count("out of range") == 1
    assert r2[1] == "ok" and len(r2[2]) == 1
