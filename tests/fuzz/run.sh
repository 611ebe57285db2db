#!/bin/sh
# Run one libFuzzer harness over its committed seeds (tests/fuzz/corpus/<target>, read only)
# and a work corpus that collects the new inputs, then print one summary line:
#   fuzz_<target>: <executions> execs, <crashes> crashes
# A crash (a sanitizer report or a broken invariant) prints its message, the input saved
# under <build>/fuzz/artifacts and the command that replays it, and fails.
# usage: tests/fuzz/run.sh <build dir> <target> <work corpus dir> [libFuzzer options...]
set -u
build=$1 target=$2 work=$3
shift 3
bin=$build/fuzz/fuzz_$target
seeds=tests/fuzz/corpus/$target
dict=tests/fuzz/$target.dict
log=$build/fuzz/fuzz_$target.log
artifacts=$build/fuzz/artifacts
[ -x "$bin" ] || {
	echo "fuzz: $bin is not built" >&2
	exit 1
}
mkdir -p "$work" "$artifacts"
[ -f "$dict" ] && set -- "$@" -dict="$dict"
# -timeout: an input that runs for seconds is a hang; -print_final_stats: the executions.
"$bin" "$@" -timeout=10 -print_final_stats=1 -artifact_prefix="$artifacts/$target-" \
	"$work" "$seeds" >"$log" 2>&1
rc=$?
execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
crashes=$(grep -c 'Test unit written to ' "$log")
echo "fuzz_$target: ${execs:-?} execs, $crashes crashes"
if [ "$rc" -ne 0 ]; then
	grep -m 1 -E 'invariant broken|ERROR: (AddressSanitizer|libFuzzer)|runtime error' "$log" >&2
	unit=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
	echo "fuzz: replay with: $bin $unit (full log: $log)" >&2
	[ "$crashes" -gt 0 ] || echo "fuzz: $bin failed (status $rc) without a crash input" >&2
fi
exit "$rc"
