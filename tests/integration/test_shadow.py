"""The shadow module, first version (mm-shadow/shadow.c, docs/shadow-design.md): guests
whose aborts never arrive while they run in Abort mode behave exactly as natively; a miss
in Abort mode stops the run with a clear message instead of corrupting the guest."""

import pytest

from harness import run

# Guests that run with their MMU off (a flat shadow), including injected external aborts
# and device accesses without a syndrome, and a reset.
SUPPORTED = {
    "hello": "status=0 shadow",
    "hcall": "n=200",
    "aborts": "",
    "uart": "",
    "reset": "",
}


@pytest.mark.parametrize("guest", sorted(SUPPORTED))
def test_same_output_as_native(guest):
    n = run(guest, "native", SUPPORTED[guest])
    s = run(guest, "shadow", SUPPORTED[guest])
    assert n.rc == 0 and s.rc == 0, s.out
    assert s.guest == n.guest
    assert s.stats["shadow.fills"] > 0
    assert s.stats["shadow.misses_data"] + s.stats["shadow.misses_prefetch"] > 0


def test_counts_and_traps():
    r = run("hcall", "shadow", "n=300")
    assert r.rc == 0, r.out
    assert r.stats["core.hc_null"] == 300
    assert r.stats["shadow.cp15_writes"] >= 1  # the guest's VBAR write, trapped (HSTR.T12)
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


def test_abort_mode_miss_is_loud():
    r = run("mmu", "shadow", "fmt=short", timeout=30)
    assert r.rc == 120, r.out
    assert "while the guest runs in Abort mode" in r.out


def test_shadow_takes_no_options():
    r = run("hello", "shadow", hyp="shadow.sync=emulate")
    assert r.rc == 121
    assert "bad option shadow.sync" in r.out
