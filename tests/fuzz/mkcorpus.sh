#!/bin/sh
# Regenerate the committed seed corpora of the fuzz harnesses (tests/fuzz/corpus/<target>)
# from real inputs: QEMU's DTB for the board the testbed uses, the DTB the hypervisor writes
# for a guest, the test guests and the benchmark guest as raw and ELF images, and translation
# tables built by the testbed's own builder. Run by `make fuzz-corpus` (after `make`).
# usage: tests/fuzz/mkcorpus.sh <build dir>
set -eu
build=${1:?usage: mkcorpus.sh <build dir>}
out=tests/fuzz/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

die() {
	echo "mkcorpus: $*" >&2
	exit 1
}
for f in "$build/fuzz/mkseeds" "$build/guests/hello.bin" "$build/guests/hello.elf" \
	"$build/bench/bench.elf"; do
	[ -f "$f" ] || die "$f is missing (run make first)"
done

rm -rf "$out"
mkdir -p "$out/fdt" "$out/loader" "$out/walk"

# QEMU's DTB (without its random seeds, so that the files are reproducible), packed by dtc
# (QEMU pads it to 1 MiB): as the hypervisor receives it (with virtualization), and as a
# native guest receives it (with a command line).
dump_dtb() { # name machine [qemu options...]
	name=$1 machine=$2
	shift 2
	qemu-system-arm -M "$machine,dtb-randomness=off,dumpdtb=$tmp/$name.dtb" -cpu cortex-a15 \
		-nographic -net none "$@" >/dev/null 2>&1 || die "qemu-system-arm could not dump its DTB"
	dtc -q -I dtb -O dtb -o "$out/fdt/$name.dtb" "$tmp/$name.dtb"
}
dump_dtb qemu-virt-hyp virt,virtualization=on
dump_dtb qemu-virt-native virt -m 256 -kernel "$build/guests/hello.bin" -append "bench=all reps=3"

"$build/fuzz/mkseeds" "$out"

# fuzz_loader input: guest RAM in MiB minus 16 (2 bytes, little-endian), the error buffer
# selector (1 byte: 158 gives 160 bytes, the hypervisor's), then the image.
loader_seed() { # name MiB image
	sel=$(($2 - 16))
	printf "\\$(printf %03o $((sel % 256)))\\$(printf %03o $((sel / 256)))\\236" \
		>"$out/loader/$1"
	cat "$3" >>"$out/loader/$1"
}
arm-none-eabi-strip -o "$tmp/hello.elf" "$build/guests/hello.elf"
arm-none-eabi-strip -o "$tmp/bench.elf" "$build/bench/bench.elf"
loader_seed hello-raw-64 64 "$build/guests/hello.bin"
loader_seed hello-elf-16 16 "$tmp/hello.elf"
# bench.elf's .bss has a load address outside 64 MiB of RAM (refused), inside 2 GiB.
loader_seed bench-elf-2048 2048 "$tmp/bench.elf"

echo "mkcorpus: $(find "$out" -type f | wc -l) seeds, $(du -sk "$out" | cut -f1) KiB in $out"
