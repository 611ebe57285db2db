#!/bin/sh
# Run one guest natively or under the hypervisor. Called by `make run` / `make debug`:
#   GUEST=<image path | test-guest name>  MM=native|<module>  [APPEND=<guest command line>]
#   [MEM=<MiB>, default 256]  [HYP=<hypervisor options>]  [ICOUNT=<shift>|off, default 0]
#   [DEBUG=1: wait for gdb]   [QEMU_EXTRA=<more QEMU options>]
# The exit status is the guest's (or the hypervisor's: 120 fatal error, 121 bad input).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build="$top/build"
GUEST=${GUEST:-}
MM=${MM:-stage2}
APPEND=${APPEND:-}
MEM=${MEM:-256}
HYP=${HYP:-}
ICOUNT=${ICOUNT:-0}
DEBUG=${DEBUG:-0}
QEMU_EXTRA=${QEMU_EXTRA:-}

die() {
	echo "run: error: $*" >&2
	exit 2
}

# Memory modules are the mm-<name>/ directories that hold sources.
modules=""
for d in "$top"/mm-*/; do
	if ls "$d"*.c >/dev/null 2>&1; then
		modules="$modules $(basename "$d" | sed 's/^mm-//')"
	fi
done

case " native$modules " in
*" $MM "*) ;;
*) die "unknown MM=$MM (valid: native$modules)" ;;
esac

[ -n "$GUEST" ] || die "no GUEST given (a guest image path, or a test guest name such as hello)"
image=$GUEST
if [ "$GUEST" = bench ]; then
	image="$build/bench/bench.bin" # the benchmark guest
elif [ ! -e "$image" ] && [ -e "$build/guests/$GUEST.bin" ]; then
	image="$build/guests/$GUEST.bin"
fi
[ -e "$image" ] || die "guest image '$GUEST' does not exist"
[ -f "$image" ] || die "guest image '$GUEST' is not a regular file"
[ -s "$image" ] || die "guest image '$GUEST' is empty"

case "$MEM" in
'' | *[!0-9]*) die "MEM=$MEM is not a whole number of MiB" ;;
esac

# The hypervisor's own loader checks the image (same code, same messages).
info=$("$build/host/imgcheck" "$image" "$MEM") || exit 2

elf=""
case "$image" in
*.bin) [ -f "${image%.bin}.elf" ] && elf="${image%.bin}.elf" ;;
*) case "$info" in elf*) elf="$image" ;; esac ;;
esac

qemu_common="-cpu cortex-a15 -nographic -net none -semihosting"
if [ "$ICOUNT" != off ]; then
	qemu_common="$qemu_common -icount shift=$ICOUNT"
fi

tmp=""
cleanup() { [ -z "$tmp" ] || rm -rf "$tmp"; }
trap cleanup EXIT

if [ "$MM" = native ]; then
	kernel=$image
	case "$info" in
	elf*)
		# QEMU boots an ELF kernel without the Linux protocol (no DTB in r2): give it the
		# raw image instead, which needs the ELF to be linked at the raw load address.
		case "$info" in
		"elf entry=0x40010000 load=0x40010000"*) ;;
		*) die "an ELF guest runs natively only when linked at 0x40010000 ($info)" ;;
		esac
		tmp=$(mktemp -d)
		kernel="$tmp/guest.bin"
		arm-none-eabi-objcopy -O binary "$image" "$kernel"
		;;
	esac
	set -- qemu-system-arm -M virt $qemu_common -m "$MEM" -kernel "$kernel" -append "$APPEND"
	gdb_cmd="gdb-multiarch ${elf:-<guest.elf>} -ex 'target remote :1234'"
else
	size=$(stat -c %s "$image")
	# Host RAM: 64 MiB for the hypervisor, the guest's RAM, then the staged image.
	stage=$(printf '0x%x' $((0x44000000 + MEM * 1048576)))
	host_mem=$((64 + MEM + (size + 1048575) / 1048576 + 1))
	cmdline="mm=$MM mem=${MEM}M image=$stage,$size $HYP -- $APPEND"
	set -- qemu-system-arm -M virt,virtualization=on $qemu_common -m "$host_mem" \
		-kernel "$build/hyp/hyp.elf" \
		-device "loader,file=$image,addr=$stage,force-raw=on" -append "$cmdline"
	gdb_cmd="gdb-multiarch $build/hyp/hyp.elf -ex 'target remote :1234'"
	[ -z "$elf" ] || gdb_cmd="$gdb_cmd -ex 'add-symbol-file $elf'"
fi

if [ "$DEBUG" = 1 ]; then
	echo "QEMU is waiting for a debugger on :1234. In another terminal:"
	echo "  $gdb_cmd"
	set -- "$@" -s -S
fi
# shellcheck disable=SC2086
exec "$@" $QEMU_EXTRA
