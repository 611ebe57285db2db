"""The hypervisor's integrity check (hyp/src/integrity.c) finds damage to its own memory:
QEMU's gdbstub stops the hypervisor at a breakpoint, one word of its memory is changed as a
stray write would change it, and the run must end with the failure named and status 120."""

import socket

import pytest

from gdbstub import GdbStub
from harness import finish, hyp_symbols, run, start

PAGE = 4096


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pool_start(syms):
    return (syms["__hyp_end"] + PAGE - 1) & ~(PAGE - 1)


# What to damage (an address from the symbols) and what the report must say.
DAMAGE = {
    "code": (lambda s: s["hyp_bad_input"], "code and read-only data"),
    "marker": (lambda s: s["hyp_marker"] + 4, "code and read-only data"),
    "stack-below": (lambda s: s["__hyp_stack_guard_lo"] + 8, "Hyp stack guard below the stack"),
    "stack-above": (lambda s: s["__hyp_stack_guard_hi"], "Hyp stack guard above the stack"),
    "pool-header": (lambda s: pool_start(s), "page pool guard at"),
    "pool-canary": (lambda s: pool_start(s) + PAGE - 4, "canary word at"),
}


def damaged_run(guest, mm, append, stop_at, addr, flip=0x00100000):
    """Run guest, stop the hypervisor at symbol stop_at, flip bits of the word at addr."""
    syms = hyp_symbols()
    port = free_port()
    proc = start(guest, mm, append, QEMU_EXTRA=f"-gdb tcp:127.0.0.1:{port} -S")
    gdb = GdbStub(port)
    try:
        gdb.breakpoint(syms[stop_at])
        gdb.cont()
        gdb.remove_breakpoint(syms[stop_at])
        gdb.write_u32(addr, gdb.read_u32(addr) ^ flip)
        gdb.resume()
        return finish(proc, timeout=30)
    finally:
        gdb.close()
        if proc.poll() is None:
            proc.kill()


@pytest.mark.parametrize("what", sorted(DAMAGE))
def test_damage_found_at_exit(what):
    where, needle = DAMAGE[what]
    r = damaged_run("hello", "stage2", "status=3", "hyp_exit", where(hyp_symbols()))
    assert r.rc == 120, r.out
    failed = [ln for ln in r.hyp if ln.startswith("[hyp] integrity check failed: ")]
    assert len(failed) == 1 and needle in failed[0], r.out
    assert r.stats["core.integrity_ok"] == 0


@pytest.mark.parametrize("mm", ["stage2", "shadow"])
def test_damage_found_before_reset(mm):
    """SYSTEM_RESET verifies before the rebuild (which rewrites the page pool)."""
    syms = hyp_symbols()
    r = damaged_run("reset", mm, "", "hyp_require_integrity", pool_start(syms) + 64)
    assert r.rc == 120, r.out
    assert any("integrity check failed: page pool guard" in ln for ln in r.hyp), r.out
    assert r.stats["core.boots"] == 1


def test_damage_found_on_a_fatal_error():
    r = damaged_run("badinsn", "stage2", "case=hvc1", "hyp_fatal",
                    hyp_symbols()["__hyp_stack_guard_lo"])
    assert r.rc == 120, r.out
    assert any("FATAL: HVC #1" in ln for ln in r.hyp)
    assert any("integrity check failed: Hyp stack guard below" in ln for ln in r.hyp), r.out
    assert r.stats["core.integrity_ok"] == 0


@pytest.mark.parametrize("mm", ["stage2", "shadow"])
def test_intact_runs_pass(mm):
    r = run("reset", mm)
    assert r.rc == 0, r.out
    assert r.stats["core.integrity_ok"] == 1
    assert not any("integrity check failed" in ln for ln in r.hyp)
    # Taken at boot, verified at the reset and at the exit: a few hundred thousand Hyp
    # instructions, counted apart from trap handling.
    assert 0 < r.stats["core.integrity_instructions"] < 1_000_000
