"""The benchmark guest: every benchmark passes its self-checks natively and under the
stage-2 module, in both table formats; runs are deterministic; the hypervisor's counters
agree with what the guest did."""

import pytest

from harness import run
from tbparse import parse_output

ALL = ["compute", "context-switch", "fork-cow", "map-unmap", "mmio", "mprotect",
       "null-hypercall", "page-fault", "syscall", "tlb-sweep", "tlbi"]
MODES = {
    "native": ("native", ""),
    "stage2": ("stage2", ""),
    "stage2-4k": ("stage2", "stage2.page=4k"),
    "shadow": ("shadow", ""),
}

_cache = {}


def bench(mode, append=""):
    key = (mode, append)
    if key not in _cache:
        mm, hyp = MODES[mode]
        r = run("bench", mm, append, hyp=hyp, timeout=300)
        results, stats = parse_output(r.guest + "\n".join(f"TBSTAT 1 {k} {v}"
                                                          for k, v in r.stats.items()))
        _cache[key] = (r, results, stats)
    return _cache[key]


@pytest.mark.parametrize("fmt", ["short", "lpae"])
@pytest.mark.parametrize("mode", sorted(MODES))
def test_every_benchmark_passes(mode, fmt):
    r, results, _ = bench(mode, f"fmt={fmt}")
    assert r.rc == 0, r.out
    assert "bench: all self-checks passed" in r.guest
    assert "FAIL" not in r.guest
    names = sorted(x["bench"] for x in results)
    want = [b for b in ALL if mode != "native" or b != "null-hypercall"]
    assert names == want
    for x in results:
        assert x["mode"] == MODES[mode][0] and x["fmt"] == fmt and x["ops"] > 0
        assert ("hyp.core.hyp_instructions" in x) == (mode != "native")
    if mode == "native":
        assert "SKIP bench=null-hypercall" in r.guest


def test_split_3():
    r, results, _ = bench("stage2", "split=3 bench=fork-cow,page-fault,context-switch")
    assert r.rc == 0, r.out
    assert [x["split"] for x in results] == [3, 3, 3]


@pytest.mark.parametrize("mode", ["native", "stage2"])
def test_two_runs_identical(mode):
    mm, hyp = MODES[mode]
    a = run("bench", mm, "fmt=lpae", hyp=hyp, timeout=300)
    b = run("bench", mm, "fmt=lpae", hyp=hyp, timeout=300)
    assert a.rc == 0 and b.rc == 0
    lines_a = [ln for ln in a.guest.splitlines() if ln.startswith("RESULT ")]
    lines_b = [ln for ln in b.guest.splitlines() if ln.startswith("RESULT ")]
    assert lines_a and lines_a == lines_b


def test_null_hypercalls_equal_the_trap_counter():
    r, results, _ = bench("stage2", "bench=null-hypercall null-hypercall.n=777")
    assert r.rc == 0, r.out
    (x,) = results
    assert x["n"] == 777 and x["ops"] == 777
    assert x["hyp.trap.hvc"] == 777
    assert x["hyp.core.hc_null"] == 777


@pytest.mark.parametrize("name", ["compute", "syscall", "tlb-sweep", "context-switch"])
def test_hypervisor_is_invisible_to_guest_counts(name):
    """Without traps in the phase, the guest executes exactly the same instructions."""
    native = {x["bench"]: x for x in bench("native", "fmt=short")[1]}
    stage2 = {x["bench"]: x for x in bench("stage2", "fmt=short")[1]}
    for key in ("pl1_insn", "pl0_insn", "k.page_faults", "k.tlbi_va", "k.ctx_switches"):
        assert native[name][key] == stage2[name][key], key


def test_page_faults_and_cow_counted():
    _, results, _ = bench("stage2", "fmt=short")
    by = {x["bench"]: x for x in results}
    assert by["page-fault"]["k.page_faults"] == by["page-fault"]["pages"]
    assert by["fork-cow"]["k.cow_faults"] == by["fork-cow"]["pages"]
    assert by["map-unmap"]["k.tlbi_va"] == by["map-unmap"]["pages"] * by["map-unmap"]["rounds"]
    assert by["mprotect"]["k.tlbi_va"] == 2 * by["mprotect"]["pages"] * by["mprotect"]["rounds"]
    assert by["tlbi"]["k.tlbi_all"] == by["tlbi"]["n"]


@pytest.mark.parametrize("fmt", ["short", "lpae"])
def test_large_pages_sweep(fmt):
    r, results, _ = bench("stage2", f"fmt={fmt} bench=tlb-sweep tlb-sweep.large=1 "
                                    "tlb-sweep.pages=300 tlb-sweep.stride=2")
    assert r.rc == 0, r.out
    assert results[0]["large"] == 1


@pytest.mark.parametrize("append,needle", [
    ("bench=nope", "unknown benchmark: 'nope'"),
    ("syscall.n=lots", "not a number"),
    ("syscall.n=0", "out of range"),
    ("syscall.bogus=1", "unknown benchmark parameter"),
    ("fmt=huge", "fmt must be short or lpae"),
    ("split=5", "out of range"),
    ("colour=blue", "unknown option or benchmark"),
])
def test_bad_command_line(append, needle):
    r = run("bench", "native", append)
    assert r.rc == 2, r.out
    assert needle in r.guest
    assert "bench: benchmarks: compute" in r.guest
