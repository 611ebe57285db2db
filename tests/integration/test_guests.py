"""Guests behave the same natively and under the stage-2 module, and the hypervisor counts
what they do exactly (all runs use -icount shift=0)."""

import pytest

from harness import BUILD, run

# Every option combination of the stage-2 module.
STAGE2_CONFIGS = {
    "lazy-2m": "stage2.fill=lazy stage2.page=2m",
    "lazy-4k": "stage2.fill=lazy stage2.page=4k",
    "eager-2m": "stage2.fill=eager stage2.page=2m",
    "eager-4k": "stage2.fill=eager stage2.page=4k",
}

# Guests whose output must be identical natively and under the hypervisor.
COMPARED = {
    "hello": "status=0 some words",
    "hcall": "n=300",
    "aborts": "",
    "uart": "",
    "mmu-short": "fmt=short",
    "mmu-lpae": "fmt=lpae",
    "reset": "",
    "s1diff": "",
    "thumbit": "",
}


def guest_name(key):
    return key.split("-")[0]


_native_cache = {}


def native(key, append):
    if (key, append) not in _native_cache:
        _native_cache[(key, append)] = run(guest_name(key), "native", append)
    return _native_cache[(key, append)]


@pytest.mark.parametrize("config", sorted(STAGE2_CONFIGS))
@pytest.mark.parametrize("key", sorted(COMPARED))
def test_same_output_native_and_stage2(key, config):
    append = COMPARED[key]
    n = native(key, append)
    s = run(guest_name(key), "stage2", append, hyp=STAGE2_CONFIGS[config])
    assert n.rc == 0, n.out
    assert s.rc == 0, s.out
    assert n.guest, "the guest printed nothing"
    assert "WRONG" not in n.guest
    assert s.guest == n.guest


@pytest.mark.parametrize("status", [0, 1, 7, 255])
@pytest.mark.parametrize("mm", ["native", "stage2"])
def test_exit_status(mm, status):
    r = run("hello", mm, f"status={status}")
    assert r.rc == status, r.out
    assert f"exiting with status {status}" in r.guest


def test_null_hypercalls_counted_exactly():
    n = 1000
    r = run("hcall", "stage2", f"n={n}")
    assert r.rc == 0, r.out
    assert r.stats["core.hc_null"] == n
    # DESCRIBE, two SNAPSHOTs, one unknown function, one refused SNAPSHOT, EXIT.
    assert r.stats["trap.hvc"] == n + 6
    assert r.stats["core.hc_unknown"] == 1
    assert r.stats["core.hc_exit"] == 1
    assert r.stats["core.hyp_instructions"] > 0


@pytest.mark.parametrize("mm", ["native", "stage2"])
def test_stage1_model_matches_the_mmu(mm):
    """common/src/s1.c (the shadow module's guest walk) agrees with QEMU's MMU."""
    r = run("s1diff", mm)
    assert r.rc == 0, r.out
    lines = [ln for ln in r.guest.splitlines() if ln.startswith("s1diff ")]
    assert len(lines) == 2 and all(ln.endswith(" 0 mismatches") for ln in lines), r.guest
    assert "(0 faulted)" not in r.guest


def test_elf_guest_matches_raw():
    n = native("hello", "status=0 elf")
    for mm in ("stage2", "native"):
        r = run(BUILD / "guests" / "hello.elf", mm, "status=0 elf")
        assert r.rc == 0, r.out
        assert r.guest == n.guest
    r = run(BUILD / "guests" / "hello.elf", "stage2", "status=0 elf")
    assert any("ELF guest" in line for line in r.hyp)


def test_psci_over_hvc_and_smc():
    r = run("psci", "stage2")
    assert r.rc == 0, r.out
    assert "psci: all answers as specified" in r.guest
    # Per conduit: VERSION, 4 FEATURES, 5 x (FEATURES + call); SMC also ends with SYSTEM_OFF.
    assert r.stats["trap.smc"] == 16
    assert r.stats["trap.hvc"] == 16  # 15 PSCI calls + the testbed revision query
    assert r.stats["core.psci_system_off"] == 1
    assert r.stats["core.psci_unsupported"] == 2 * 5 - 2  # SMC64 IDs are not PSCI 32-bit


def test_reset_reboots_the_guest():
    r = run("reset", "stage2")
    assert r.rc == 0, r.out
    assert r.stats["core.boots"] == 2
    assert r.stats["core.psci_system_reset"] == 1


def test_aborts_are_injected():
    r = run("aborts", "stage2")
    assert r.rc == 0, r.out
    assert r.stats["core.inject_dabt"] == 6
    assert r.stats["core.inject_pabt"] == 2


@pytest.mark.parametrize("fmt", ["short", "lpae"])
def test_mmu_guest_table_walk_fills(fmt):
    r = run("mmu", "stage2", f"fmt={fmt}", hyp=STAGE2_CONFIGS["lazy-4k"])
    assert r.rc == 0, r.out
    assert "premade table: ok" in r.guest
    # The premade table's page is first touched by the guest's own table walk.
    assert r.stats["stage2.fills_s1ptw"] == 1
    assert r.stats["core.mmio_decoded"] == 1  # the post-indexed store with the MMU on


def test_uart_paths():
    r = run("uart", "stage2")
    assert r.rc == 0, r.out
    assert r.stats["core.mmio_decoded"] >= 8
    assert r.stats["core.mmio_write"] > r.stats["core.mmio_decoded"]


@pytest.mark.parametrize("config,fills", [
    ("eager-2m", (0, 0)), ("eager-4k", (0, 0)), ("lazy-2m", (0, None)), ("lazy-4k", (None, 0)),
])
def test_stage2_fill_policies(config, fills):
    r = run("hello", "stage2", hyp=STAGE2_CONFIGS[config])
    assert r.rc == 0, r.out
    page, block = fills
    for name, want in (("stage2.fills_page", page), ("stage2.fills_block", block)):
        if want is None:
            assert r.stats[name] > 0
        else:
            assert r.stats[name] == want


def test_odd_ram_size_uses_pages_at_the_end():
    n = run("hello", "native", mem=17)
    s = run("hello", "stage2", mem=17)
    assert n.rc == 0 and s.rc == 0, s.out
    assert "17 MiB" in s.guest
    assert s.guest == n.guest
    # The DTB sits in the last, partial 2 MiB region: reached with a page fill.
    assert s.stats["stage2.fills_page"] >= 1


def test_deterministic_counts():
    a = run("hcall", "stage2", "n=50")
    b = run("hcall", "stage2", "n=50")
    assert a.rc == 0 and b.rc == 0
    assert a.out == b.out


@pytest.mark.parametrize("case,needle", [
    ("ldrex", "cannot emulate instruction 0xe19"),
    ("hvc1", "HVC #1"),
    ("wfi", "WFI"),
])
def test_error_paths_stop_with_a_report(case, needle):
    r = run("badinsn", "stage2", f"case={case}", timeout=30)
    assert r.rc == 120, r.out
    fatal = [line for line in r.hyp if "FATAL" in line]
    assert fatal and needle in fatal[0], r.out
    text = "\n".join(r.hyp)
    assert "syndrome: HSR=0x" in text
    assert "guest pc=0x" in text and "mode=svc" in text
    assert "r0 =0x" in text and "abt: sp=" in text
    assert "badinsn: survived" not in r.guest
