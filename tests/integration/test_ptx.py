"""The randomized page-table exerciser (tests/guests/ptx.c, docs/testing.md): for a fixed
set of seeds in both table formats, every memory module makes the guest print exactly the
trace it prints natively; the guest's own checks catch forgotten TLB maintenance."""

import re

import pytest

import ptxcheck
from harness import Result, run

SEEDS = range(1, 26)  # x 2 formats: 50 (seed, format) cases per mode
CASES = [(seed, fmt) for fmt in ptxcheck.FMTS for seed in SEEDS]
DONE_RE = re.compile(r"ptx: done .* accesses=(\d+) faults=(\d+) changes=(\d+) tlbi=(\d+) "
                     r"switches=(\d+) sum=[0-9a-f]{8}")


@pytest.fixture(scope="module")
def results():
    return ptxcheck.run_matrix(CASES, ptxcheck.MODES, jobs=2)


@pytest.mark.parametrize("seed,fmt", CASES)
def test_every_mode_prints_the_native_trace(results, seed, fmt):
    problems = ptxcheck.case_problems(results, seed, fmt, ptxcheck.MODES)
    assert not problems, "\n".join(problems)


def native_traces(results, fmt):
    return [results[(seed, fmt, ptxcheck.MODES[0].label)].guest for seed in SEEDS]


# Fault status codes every format's runs must have produced at least once: the status bits
# and the LPAE bit (FSR_STATUS_BITS), without WnR and the short format's domain.
FSR_STATUS_BITS = 0x60f
SHORT_FAULTS = {"translation L1": 0x005, "translation L2": 0x007, "domain L1": 0x009,
                "domain L2": 0x00b, "permission L1": 0x00d, "permission L2": 0x00f}
LPAE_FAULTS = {"translation L2": 0x206, "translation L3": 0x207, "access flag L3": 0x20b,
               "permission L2": 0x20e, "permission L3": 0x20f}


@pytest.mark.parametrize("fmt,expected", [("short", SHORT_FAULTS), ("lpae", LPAE_FAULTS)])
def test_the_runs_exercise_every_outcome(results, fmt, expected):
    traces = native_traces(results, fmt)
    for t in traces:
        m = DONE_RE.search(t)
        assert m, t[-500:]
        accesses, faults, changes, tlbis, switches = map(int, m.groups())
        assert 0 < faults < accesses and changes > 0 and tlbis > 0 and switches > 0
    text = "".join(traces)
    for kind in ("R1", "W1", "X1", "Rt", "Wt", "R0", "W0", "X0"):
        assert re.search(rf"^{kind} \d [0-9a-f]{{8}} (=|ok)", text, re.M), f"no {kind} succeeded"
        assert re.search(rf"^{kind} \d [0-9a-f]{{8}} F", text, re.M), f"no {kind} faulted"
    seen = {int(f, 16) & FSR_STATUS_BITS for f in re.findall(r" F([0-9a-f]{3}) ", text)}
    for name, code in expected.items():
        assert code in seen, f"no {name} fault ({code:03x}) in {sorted(hex(s) for s in seen)}"


def test_forgotten_maintenance_is_caught():
    """forget=1: every TLB operation is modelled but not executed. QEMU's TLB then keeps
    stale translations, and the guest's check against its model stops it (status 1)."""
    runs = [run("ptx", "native", f"seed={seed} fmt={fmt} forget=1")
            for seed in (1, 2, 3) for fmt in ptxcheck.FMTS]
    caught = [r for r in runs if r.rc == 1 and "ptx: FAIL at step" in r.guest]
    assert len(caught) >= 4, "\n".join(r.guest[-300:] for r in runs)


@pytest.mark.parametrize("append", ["fmt=bogus", "seed=x1", "steps=5000000"])
def test_bad_arguments_are_refused(append):
    r = run("ptx", "native", append)
    assert r.rc == 2, r.out
    assert "ptx: usage:" in r.guest


def test_a_mismatch_names_the_first_differing_line():
    ref_mode, mode = ptxcheck.MODES[0], ptxcheck.MODES[1]
    trace = "ptx: seed=1 fmt=short steps=3\nR1 0 c0000000 ={}\nptx: done\n"
    ref = Result(0, "", trace.format("00000001"))
    bad = Result(0, "", trace.format("00000002"), ["[hyp] one", "[hyp] last"])
    msg = ptxcheck.mismatch(1, "short", ref_mode, ref, mode, bad)
    assert f"seed=1 fmt=short: {mode.label} differs from {ref_mode.label}" in msg
    assert "line 2" in msg and "=00000001" in msg and "=00000002" in msg
    assert "[hyp] last" in msg
    assert ptxcheck.mismatch(1, "short", ref_mode, ref, mode, ref) is None
    killed = Result(-15, "", "")
    assert "killed by signal 15" in ptxcheck.mismatch(1, "lpae", ref_mode, ref, mode, killed)


# Every store form of tests/guests/ptx/store.c, by the name the verbose log gives it.
STORE_FORMS = {
    "short": {"STR", "STR pre-indexed writeback", "STR post-indexed writeback",
              "STR register offset", "STR register offset LSL #2", "STR r12, [r10]",
              "STR r8, [r9, #8]!", "STM {r2,r3}", "STM {r4,r6}", "STMDA {r2,r3}",
              "STM {r1-r3}", "STMIB {r4-r6}", "STMDB writeback {r0-r2}", "STM {r8,r10,r12}",
              "STRH pieces", "STRB pieces", "Thumb STR", "Thumb STR pre-indexed writeback"},
    "lpae": {"STRD", "STRD pre-indexed writeback", "STRD post-indexed writeback",
             "STRD register offset", "STRD post-indexed register writeback", "STM {r2,r3}",
             "STM {r4,r6}", "STMIB {r8,r9}", "STMDB writeback {r0,r1}",
             "STM two descriptors {r0-r3}", "STR low word, STR high word",
             "STR high word, STR low word", "STRH pieces", "STRB pieces", "Thumb STRD",
             "Thumb STRD pre-indexed writeback"},
}
DESC_RE = re.compile(r"^\d+ # desc 0x[0-9a-f]{8}( \(alias\))?: 0x[0-9a-f]+ -> 0x[0-9a-f]+ "
                     r"\((.+)\)$", re.M)


@pytest.mark.parametrize("fmt", ptxcheck.FMTS)
def test_every_store_form_writes_descriptors(fmt):
    """One run writes descriptors in every store form, some through a second mapping."""
    r = run("ptx", "native", f"seed=1 fmt={fmt} verbose=1")
    assert r.rc == 0, r.out[-500:]
    writes = DESC_RE.findall(r.guest)
    assert {form for _, form in writes} == STORE_FORMS[fmt]
    assert any(alias for alias, _ in writes), "no descriptor written through a second mapping"


@pytest.mark.parametrize("mode", ptxcheck.MODES[2:], ids=lambda m: m.label)
def test_thumb_stores_through_pl0_read_only_aliases(mode):
    """Thumb stores through second mappings that PL1 may write and PL0 only read (short
    format AP=0b010: shadowed read-only, so PL1's stores are emulated, T32 decoded): the
    first of seed 1 is at step 539, where the shadow module stopped before it decoded T32."""
    append = "seed=1 fmt=short steps=540"
    ref = run("ptx", "native", append)
    res = run("ptx", mode.mm, append, hyp=mode.hyp)
    assert ptxcheck.mismatch(1, "short", ptxcheck.MODES[0], ref, mode, res) is None
