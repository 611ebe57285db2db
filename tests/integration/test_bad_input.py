"""Bad input gets a clear message naming the problem and a nonzero exit, both from
run.sh (which checks with the hypervisor's own loader code) and from the hypervisor."""

import subprocess

import pytest

from harness import BUILD, ROOT, qemu_hyp, run

HELLO = BUILD / "guests" / "hello.bin"


def expect_error(r, needle, rc=None):
    assert r.rc != 0, r.out
    if rc is not None:
        assert r.rc == rc, r.out
    assert needle in r.out, r.out


@pytest.mark.parametrize("mm", ["native", "stage2"])
def test_missing_image(mm, tmp_path):
    expect_error(run(tmp_path / "nothing.bin", mm), "does not exist")


@pytest.mark.parametrize("mm", ["native", "stage2"])
def test_empty_image(mm, tmp_path):
    img = tmp_path / "empty.bin"
    img.write_bytes(b"")
    expect_error(run(img, mm), "is empty")


@pytest.mark.parametrize("mm", ["native", "stage2"])
def test_corrupt_elf(mm, tmp_path):
    img = tmp_path / "corrupt.elf"
    img.write_bytes(b"\x7fELF\x01\x01\x01" + b"\xff" * 100)
    expect_error(run(img, mm), "ELF image")


@pytest.mark.parametrize("mm", ["native", "stage2"])
def test_image_larger_than_ram(mm, tmp_path):
    img = tmp_path / "big.bin"
    img.write_bytes(b"\0" * (17 * 1024 * 1024))
    expect_error(run(img, mm, mem=16), "larger than guest RAM")


def test_no_guest_given():
    expect_error(run("", "stage2"), "no GUEST given")


def test_unknown_mm():
    r = run(HELLO, "bogus")
    expect_error(r, "unknown MM=bogus")
    assert "native" in r.out and "stage2" in r.out


@pytest.mark.parametrize("mem", ["abc", "0", "8", "4096", "-5", "1.5"])
def test_bad_mem(mem):
    expect_error(run(HELLO, "stage2", mem=mem), "MEM=")


def test_unknown_module_on_hypervisor_command_line():
    r = run(HELLO, "stage2", hyp="mm=bogus")
    expect_error(r, "unknown memory module mm=bogus", rc=121)
    available = r.out.split("available: ", 1)[1].split(")")[0].split()
    assert "stage2" in available and "shadow" in available


@pytest.mark.parametrize("hyp,needle", [
    ("stage2.fill=sometimes", "bad option stage2.fill"),
    ("stage2.colour=blue", "bad option stage2.colour"),
    ("bogus=1", "unknown option 'bogus'"),
    ("shadow.sync=emulate", "module 'shadow'"),
    ("lonely", "malformed option 'lonely'"),
])
def test_bad_hypervisor_options(hyp, needle):
    expect_error(run(HELLO, "stage2", hyp=hyp), needle, rc=121)


@pytest.mark.parametrize("hyp", ["shadow.flood=256", "shadow.flood=-1", "shadow.pool=8",
                                 "shadow.sync=sometimes", "shadow.check=x"])
def test_bad_shadow_options(hyp):
    expect_error(run(HELLO, "shadow", hyp=hyp), f"bad option {hyp.split('=')[0]}", rc=121)


def test_hypervisor_checks_image_itself(tmp_path):
    """Without run.sh: the hypervisor refuses an image larger than guest RAM."""
    img = tmp_path / "big.bin"
    img.write_bytes(b"\1" * (17 * 1024 * 1024))
    stage = 0x44000000 + 16 * 1024 * 1024
    r = qemu_hyp(img, f"mm=stage2 mem=16M image={stage:#x},{img.stat().st_size}", 128, stage)
    expect_error(r, "larger than guest RAM", rc=121)


def test_hypervisor_checks_mem_itself():
    stage = 0x44000000 + 256 * 1024 * 1024
    size = HELLO.stat().st_size
    r = qemu_hyp(HELLO, f"mm=stage2 mem=3000M image={stage:#x},{size}", 400, stage)
    expect_error(r, "guest RAM must be a whole number of MiB", rc=121)
    r = qemu_hyp(HELLO, f"mm=stage2 mem=512M image={stage:#x},{size}", 400, stage)
    expect_error(r, "does not fit in host RAM", rc=121)
    r = qemu_hyp(HELLO, "mm=stage2 mem=256M", 400, stage)
    expect_error(r, "no guest image", rc=121)


def test_debug_prints_the_gdb_command():
    env = {"GUEST": "hello", "MM": "stage2", "DEBUG": "1", "QEMU_EXTRA": "-gdb tcp::0"}
    import os
    p = subprocess.Popen([str(ROOT / "scripts" / "run.sh")], env={**os.environ, **env},
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        first = p.stdout.readline() + p.stdout.readline()
    finally:
        p.kill()
        p.wait()
    assert "gdb-multiarch" in first
    assert "hyp.elf" in first and "add-symbol-file" in first and "hello.elf" in first
