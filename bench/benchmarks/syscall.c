/* syscall: PL0 -> PL1 -> PL0 round trips (null system calls): no hypervisor involvement. */
#include "bench.h"

static void run(struct bench_run *r)
{
	u32 n = param(r, "n");
	struct proc *p = proc_create();
	u64 before = kstats.syscalls;
	measure_begin(r);
	u32 status = run_user(p, u_syscall_loop, n, 0, 0, 0);
	measure_end(r, n);
	if (status != 0 || kstats.syscalls - before != (u64)n + 1) {
		bench_fail(r, "status %u, %llu system calls for %u", status,
			   kstats.syscalls - before, n + 1);
	}
	proc_destroy(p);
}

static struct benchmark syscall_bench = {
    .name = "syscall",
    .summary = "null system calls from user mode",
    .params = {{"n", 1000, 1, 10000000}},
    .run = run,
};
BENCHMARK(syscall_bench);
