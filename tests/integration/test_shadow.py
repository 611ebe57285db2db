"""The shadow module, first version (mm-shadow/shadow.c, docs/shadow-design.md): the test
guests and the benchmark guest behave exactly as natively."""

import pytest

from harness import run

# MMU off (a flat shadow) and on (both formats), injected external aborts, device
# accesses without a syndrome, a reset, and the stage-1 model's differential check.
SUPPORTED = {
    "hello": "status=0 shadow",
    "hcall": "n=200",
    "aborts": "",
    "uart": "",
    "reset": "",
    "mmu-short": "fmt=short",
    "mmu-lpae": "fmt=lpae",
    "s1diff": "",
}


@pytest.mark.parametrize("guest", sorted(SUPPORTED))
def test_same_output_as_native(guest):
    name = guest.split("-")[0]
    n = run(name, "native", SUPPORTED[guest])
    s = run(name, "shadow", SUPPORTED[guest])
    assert n.rc == 0 and s.rc == 0, s.out
    assert s.guest == n.guest
    assert s.stats["shadow.fills"] > 0
    assert s.stats["shadow.misses_data"] + s.stats["shadow.misses_prefetch"] > 0


def test_counts_and_traps():
    r = run("hcall", "shadow", "n=300")
    assert r.rc == 0, r.out
    assert r.stats["core.hc_null"] == 300
    assert r.stats["shadow.wr_vbar"] >= 1  # the guest's VBAR write, trapped (HCR.TVM)
    r = run("aborts", "shadow")
    assert r.stats["core.inject_dabt"] == 6 and r.stats["core.inject_pabt"] == 2
    # Every device access (the 8 probes and each console byte) is found through a miss:
    # there is no stage 2 to trap it with a syndrome.
    assert r.stats["shadow.device_accesses"] == r.stats["core.mmio_write"] + 8
    assert r.stats["shadow.pinned"] > 0  # abort-handler entry pages, pinned on delivery


def test_psci_under_shadow():
    r = run("psci", "shadow")
    assert r.rc == 0, r.out
    assert "psci: all answers as specified" in r.guest


@pytest.mark.parametrize("fmt", ["short", "lpae"])
def test_benchmark_guest(fmt):
    r = run("bench", "shadow", f"fmt={fmt}", timeout=300)
    assert r.rc == 0, r.out
    assert "bench: all self-checks passed" in r.guest
    assert r.stats["shadow.genuine_faults"] > 0  # the guest's own demand paging and COW
    assert r.stats["shadow.tlb_ops"] > 0 and r.stats["shadow.zaps"] > 0


def test_stage1_permissions_emulated():
    """PL1 read/write + PL0 read-only pages are shadowed read-only; PL1 stores emulated."""
    r = run("s1diff", "shadow")
    assert r.rc == 0, r.out
    assert r.stats["shadow.stores_emulated"] > 0


@pytest.mark.parametrize("case,needle", [
    ("hvc2", "HVC #2"), ("tramp", "impossible guest mode")])
def test_forged_trampoline_entry_is_refused(case, needle):
    r = run("badinsn", "shadow", f"case={case}", timeout=30)
    assert r.rc == 120, r.out
    assert needle in r.out
    assert "escaped" not in r.out


def test_shadow_takes_no_options():
    r = run("hello", "shadow", hyp="shadow.sync=emulate")
    assert r.rc == 121
    assert "bad option shadow.sync" in r.out
