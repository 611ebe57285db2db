#!/bin/sh
# Install every Debian package the testbed needs. Safe to run twice: packages that are
# already present are skipped, and apt is only called when something is missing.
# --check: only report (exit 1) whether something is missing.
set -eu

# package:command-or-file that proves it is installed. The fuzz harnesses (tests/fuzz) need
# clang and its compiler runtime (libFuzzer and the sanitizers: libclang-rt-14-dev, only
# recommended by clang on Debian 12, so named here).
NEEDED="
gcc-arm-none-eabi:/usr/bin/arm-none-eabi-gcc
binutils-arm-none-eabi:/usr/bin/arm-none-eabi-objcopy
qemu-system-arm:/usr/bin/qemu-system-arm
gdb-multiarch:/usr/bin/gdb-multiarch
device-tree-compiler:/usr/bin/dtc
libcmocka-dev:/usr/include/cmocka.h
gcc:/usr/bin/gcc
make:/usr/bin/make
clang-format:/usr/bin/clang-format
clang:/usr/bin/clang
libclang-rt-14-dev:/usr/lib/llvm-14/lib/clang/14.0.6/include/fuzzer/FuzzedDataProvider.h
python3-matplotlib:/usr/lib/python3/dist-packages/matplotlib/__init__.py
python3-pytest:/usr/lib/python3/dist-packages/pytest/__init__.py
"

if [ "${1:-}" = "--check" ]; then CHECK_ONLY=1; else CHECK_ONLY=0; fi

missing=""
for entry in $NEEDED; do
	pkg=${entry%%:*}
	probe=${entry#*:}
	if [ ! -e "$probe" ]; then
		missing="$missing $pkg"
	fi
done

if [ -z "$missing" ]; then
	[ "$CHECK_ONLY" = 1 ] || echo "install-deps: all packages present"
	exit 0
fi
if [ "$CHECK_ONLY" = 1 ]; then
	echo "install-deps: missing:$missing" >&2
	exit 1
fi

echo "install-deps: installing:$missing"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# shellcheck disable=SC2086
$SUDO apt-get install -y -q --no-install-recommends $missing
echo "install-deps: done"
