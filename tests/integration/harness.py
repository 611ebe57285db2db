"""Run guests natively or under the hypervisor through scripts/run.sh and split the output
into what the guest printed, what the hypervisor printed, and the hypervisor's counters."""

import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "build"
RUN = ROOT / "scripts" / "run.sh"
HYP_PREFIX = "[hyp] "
STAT_PREFIX = "TBSTAT "


@dataclass
class Result:
    rc: int
    out: str
    guest: str = ""
    hyp: list = field(default_factory=list)
    stats: dict = field(default_factory=dict)


def split(out: str):
    """Guest output, hypervisor lines and counters of one run."""
    guest, hyp, stats = [], [], {}
    for line in out.splitlines(keepends=True):
        if line.startswith(HYP_PREFIX):
            hyp.append(line.rstrip("\n"))
        elif line.startswith(STAT_PREFIX):
            parts = line.split()
            if len(parts) != 4 or parts[1] != "1":
                raise ValueError(f"malformed counter line: {line!r}")
            stats[parts[2]] = int(parts[3])
        else:
            guest.append(line)
    return "".join(guest), hyp, stats


def run(guest, mm, append="", mem=None, hyp="", timeout=60, **env_extra):
    """Run a guest to its end (natively or under the hypervisor); its Result."""
    return finish(start(guest, mm, append, mem, hyp, **env_extra), timeout)


def qemu_hyp(image: Path, cmdline: str, host_mem_mib: int, stage: int, timeout=30):
    """Start the hypervisor directly (bypassing run.sh's own checks)."""
    cmd = ["qemu-system-arm", "-M", "virt,virtualization=on", "-cpu", "cortex-a15",
           "-nographic", "-net", "none", "-semihosting", "-icount", "shift=0",
           "-m", str(host_mem_mib), "-kernel", str(BUILD / "hyp" / "hyp.elf"),
           "-device", f"loader,file={image},addr={stage:#x},force-raw=on",
           "-append", cmdline]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, errors="replace")
    return Result(p.returncode, p.stdout + p.stderr)


def hyp_symbols():
    """Addresses of the hypervisor's symbols (host physical: its MMU is off)."""
    out = subprocess.run(["arm-none-eabi-nm", str(BUILD / "hyp" / "hyp.elf")], check=True,
                         capture_output=True, text=True).stdout
    syms = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            syms[parts[2]] = int(parts[0], 16)
    return syms


def start(guest, mm, append="", mem=None, hyp="", **env_extra):
    """Start a run in the background (scripts/run.sh); finish it with finish()."""
    env = dict(os.environ)
    env.update(GUEST=str(guest), MM=mm, APPEND=append, HYP=hyp)
    if mem is not None:
        env["MEM"] = str(mem)
    env.update({k: str(v) for k, v in env_extra.items()})
    return subprocess.Popen([str(RUN)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, errors="replace")


def finish(proc, timeout=60):
    """Wait for a run started with start() (killed after timeout seconds); its Result."""
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise
    g, h, s = split(stdout)
    return Result(proc.returncode, stdout + stderr, g + stderr, h, s)
