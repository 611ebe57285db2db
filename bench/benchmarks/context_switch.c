/* context-switch: procs address spaces (each with its own ASID) ping-pong through
 * SYS_YIELD, each touching its own memory between switches. */
#include "bench.h"

#define MAX_PROCS 32

static void run(struct bench_run *r)
{
	u32 n = param(r, "procs"), rounds = param(r, "rounds");
	struct proc *procs[MAX_PROCS];
	for (u32 i = 0; i < n; i++) {
		procs[i] = proc_create();
		proc_add_vma(procs[i], USER_DATA_VA, FRAME_SIZE, PERM_READ | PERM_WRITE, 0,
			     FRAME_SHIFT);
		mm_populate(procs[i], USER_DATA_VA, FRAME_SIZE);
		user_entry_frame(procs[i], (u32)(uintptr_t)u_pingpong, USER_DATA_VA, rounds, 0, 0);
	}
	u64 calls = kstats.syscalls;
	measure_begin(r);
	u32 status = run_procs(procs, n);
	measure_end(r, (u64)n * rounds);
	if (status != 0 || kstats.syscalls - calls != (u64)n * (rounds + 1)) {
		bench_fail(r, "status %u, %llu system calls for %u", status,
			   kstats.syscalls - calls, n * (rounds + 1));
	}
	for (u32 i = 0; i < n; i++) {
		u32 v = *(volatile u32 *)(uintptr_t)mm_lookup(procs[i], USER_DATA_VA, NULL);
		if (v != 0) {
			bench_fail(r, "process %u's last store is missing", i);
		}
		proc_destroy(procs[i]);
	}
}

static struct benchmark context_switch = {
    .name = "context-switch",
    .summary = "ping-pong between address spaces (TTBR0 + ASID switches)",
    .params = {{"procs", 4, 2, MAX_PROCS}, {"rounds", 100, 1, 1000000}},
    .run = run,
};
BENCHMARK(context_switch);
