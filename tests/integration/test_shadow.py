"""The shadow module (mm-shadow/, docs/shadow-design.md): every guest behaves exactly as
natively under both coherence policies, with the store's invariants checked after every
trap (shadow.check=1), and the counters say what happened."""

import pytest

from harness import run

SYNC = {
    "emulate": "shadow.sync=emulate",
    "unsync": "shadow.sync=unsync",
}
CHECKED = " shadow.check=16"  # the store's invariants, every 16th trap

# MMU off (a flat shadow) and on (both formats), injected external aborts, device
# accesses without a syndrome, a reset and the stage-1 model's
# differential check (800 accesses against QEMU's MMU).
COMPARED = {
    "hello": "status=0 shadow",
    "hcall": "n=200",
    "aborts": "",
    "uart": "",
    "reset": "",
    "mmu-short": "fmt=short",
    "mmu-short-ttbcr-reset": "fmt=short ttbcr=reset",  # the caught writes' format from reset
    "mmu-lpae": "fmt=lpae",
    "s1diff": "",
}


@pytest.mark.parametrize("sync", sorted(SYNC))
@pytest.mark.parametrize("guest", sorted(COMPARED))
def test_same_output_as_native(guest, sync):
    name = guest.split("-")[0]
    n = run(name, "native", COMPARED[guest])
    s = run(name, "shadow", COMPARED[guest], hyp=SYNC[sync] + CHECKED)
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
    # Every device access (each console byte) is found through a miss: there is no stage 2
    # to trap it with a syndrome. The 8 probes of unassigned addresses are external aborts
    # delivered, not accesses emulated.
    assert r.stats["shadow.genuine_faults"] == 8
    assert r.stats["shadow.device_accesses"] == r.stats["core.mmio_write"]
    assert r.stats["shadow.pinned"] > 0  # abort-handler entry pages, pinned on delivery


@pytest.mark.parametrize("sync", sorted(SYNC))
def test_psci_under_shadow(sync):
    r = run("psci", "shadow", hyp=SYNC[sync] + CHECKED)
    assert r.rc == 0, r.out
    assert "psci: all answers as specified" in r.guest


def bench(fmt, hyp):
    r = run("bench", "shadow", f"fmt={fmt}", hyp=hyp, timeout=300)
    assert r.rc == 0, r.out
    assert "bench: all self-checks passed" in r.guest
    return r.stats


@pytest.mark.parametrize("sync", sorted(SYNC))
@pytest.mark.parametrize("fmt", ["short", "lpae"])
def test_benchmark_guest(fmt, sync):
    s = bench(fmt, SYNC[sync])
    assert s["shadow.genuine_faults"] > 0  # the guest's own demand paging and COW
    # Its page-table writes are caught; its address spaces come back from the cache.
    assert s["shadow.pt_writes_caught"] > 0 and s["shadow.frames_protected"] > 0
    if sync == "emulate":
        assert s["shadow.pt_writes_emulated"] == s["shadow.pt_writes_caught"]
        assert s["shadow.oos_marks"] == 0
    else:
        assert s["shadow.oos_marks"] > 0 and s["shadow.resyncs"] > 0
    assert s["shadow.root_hits"] > s["shadow.root_misses"] > 0
    for op in ("tlbi_all", "tlbi_asid", "tlbi_mva"):
        assert s[f"shadow.{op}"] > 0
    # The reverse-map counters are derived (one entry per leaf, invariant I1, which
    # test_store_invariants_hold_throughout checks): reported under both names.
    assert s["shadow.rmap_inserts"] == s["shadow.fills"]
    assert s["shadow.rmap_removes"] == s["shadow.zaps"]
    assert s["shadow.fills"] >= s["shadow.zaps"] > 0


@pytest.mark.parametrize("fmt", ["short", "lpae"])
def test_store_invariants_hold_throughout(fmt):
    """Every invariant of the store (reverse map, sources, write protection, counts),
    checked all along a whole benchmark run."""
    bench(fmt, "shadow.sync=unsync shadow.check=500")


def test_small_pool_evicts_and_keeps_running():
    s = bench("short", "shadow.pool=24")
    assert s["shadow.evictions"] + s["shadow.pool_exhausted"] > 0
    assert s["shadow.tables"] - s["shadow.tables_freed"] <= 24


def test_thumb_device_access_emulated():
    """A device access from Thumb code has no syndrome under shadow paging (a miss finds it):
    the T32 store is decoded, emulated, and the IT block advanced, as under stage 2."""
    r = run("thumbit", "shadow")
    assert r.rc == 0, r.out
    assert "thumbit: 0x1 " in r.guest
    assert r.stats["shadow.device_accesses"] > 0
    assert r.stats["core.mmio_decoded"] > 0


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


@pytest.mark.parametrize("option", [
    "shadow.sync=sometimes", "shadow.pool=8", "shadow.pool=many", "shadow.check=-1",
    "shadow.colour=red"])
def test_bad_options_are_refused(option):
    r = run("hello", "shadow", hyp=option)
    assert r.rc == 121, r.out
    assert f"bad option {option.split('=')[0]}" in r.out


# The shcount guest: each experiment's counter deltas (tests/guests/shcount.c), measured on
# its second run (the first warms up: code shadowed, abort-entry pages pinned).
def shcount(sync):
    """{experiment: {counter: delta}} of a shcount run under policy sync (no flooding)."""
    r = run("shcount", "shadow", hyp=f"{SYNC[sync]} shadow.flood=0")
    assert r.rc == 0, r.out
    counts = {}
    for line in r.out.splitlines():
        if line.startswith("COUNT "):
            _, exp, name, value = line.split()
            counts.setdefault(exp, {})[name] = int(value)
    assert counts, r.out
    return counts


@pytest.fixture(scope="module", params=sorted(SYNC))
def counts(request):
    return request.param, shcount(request.param)


def test_count_derived_equal_what_they_derive_from(counts):
    _, c = counts
    for exp, d in c.items():
        assert d["rmap_inserts"] == d["fills"], exp
        assert d["rmap_removes"] == d["zaps"], exp
        assert d["pt_writes_caught"] == d["pt_writes_emulated"] + d["pt_writes_deferred"], exp


def test_count_tlb_operations_by_kind(counts):
    """TLBIALL, ITLBIALL, DTLBIALL, TLBIALLIS; the MVA, ASID forms likewise; TLBIMVAA(IS)."""
    _, c = counts
    d = c["tlbi"]
    assert (d["tlbi_all"], d["tlbi_mva"], d["tlbi_asid"], d["tlbi_mvaa"]) == (4, 4, 4, 2)
    assert d["resyncs"] == d["zaps"] == d["fills"] == 0  # nothing out of sync, nothing removed


def test_count_register_traps_by_register(counts):
    """MCRR TTBR0; MCRR and MCR TTBR1; MRRC and MRC TTBR0, MRRC and MRC TTBR1; one MRC of
    each of TTBCR, SCTLR, DACR, CONTEXTIDR, VBAR; AMAIR0, AMAIR1, DFAR, IFAR written."""
    _, c = counts
    d = c["regs"]
    assert (d["wr_ttbr0"], d["wr_ttbr1"], d["rd_ttbr0"], d["rd_ttbr1"]) == (1, 2, 2, 2)
    assert (d["rd_ttbcr"], d["rd_sctlr"], d["rd_dacr"], d["rd_contextidr"], d["rd_vbar"]) == (
        1, 1, 1, 1, 1)
    assert (d["wr_amair"], d["wr_fault_regs"]) == (2, 2)
    for name in ("wr_sctlr", "wr_ttbcr", "wr_dacr", "wr_contextidr", "wr_prrr_nmrr", "wr_vbar",
                 "wr_other", "rd_other", "roots_built", "tables_freed"):
        assert d[name] == 0, name


def test_count_page_table_writes(counts):
    """Two descriptors written, a TLBIALL, both written back, a TLBIALL: emulated each
    (sync=emulate), or the frame out of sync at the first of each pair (sync=unsync)."""
    sync, c = counts
    d = c["ptwrite"]
    assert d["tlbi_all"] == 2 and d["zaps"] == 0  # no shadow was built from those descriptors
    if sync == "emulate":
        assert (d["pt_writes_caught"], d["pt_writes_emulated"], d["oos_marks"]) == (4, 4, 0)
        assert d["misses_data"] == 4 and d["resyncs"] == 0
    else:
        assert (d["pt_writes_caught"], d["pt_writes_deferred"], d["oos_marks"]) == (2, 2, 2)
        assert (d["resyncs"], d["resync_changes"], d["misses_data"]) == (2, 4, 2)


def test_count_root_switch_to_new_space(counts):
    """A switch to a space never shadowed (built at the next fetch) and back to a cached one."""
    _, c = counts
    d = c["roots"]
    assert (d["roots_built"], d["root_misses"], d["root_hits"], d["evictions"]) == (1, 1, 1, 0)
    assert d["misses_prefetch"] == 1 and d["wr_ttbr0"] == 2


def test_count_genuine_fault_is_not_a_shadow_miss(counts):
    """A load and a branch the guest's own tables refuse: genuine faults, which the shadow did
    not cause (misses_*: "aborts the shadow caused"; a miss is counted where it is
    resolved, count_miss)."""
    _, c = counts
    for exp, side in (("fault", "misses_data"), ("pfault", "misses_prefetch")):
        d = c[exp]
        assert (d["genuine_faults"], d["fills"]) == (1, 0), exp
        assert d[side] == 0, exp


def test_count_unassigned_access_is_not_a_device_access(counts):
    """A load from an IPA no device answers: an external abort delivered (a genuine fault),
    not an access emulated (device_accesses: "device accesses emulated")."""
    _, c = counts
    d = c["unassigned"]
    assert d["genuine_faults"] == 1
    assert d["device_accesses"] == 0


def test_count_caught_write_whose_instruction_faults(counts):
    """After a TLBIALL, an STM whose first word is a caught page-table write and whose second
    faults in the guest's tables: the caught write is counted once (sync=unsync: deferred,
    the frame out of sync, then the retried STM faults; sync=emulate: emulated, the first
    word stored, then the second word's abort delivered)."""
    sync, c = counts
    d = c["partial"]
    assert d["genuine_faults"] == 1 and d["tlbi_all"] == 1
    assert d["pt_writes_caught"] == 1
    if sync == "unsync":
        assert (d["pt_writes_deferred"], d["oos_marks"], d["resyncs"]) == (1, 1, 1)
