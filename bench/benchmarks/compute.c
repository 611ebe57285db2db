/* compute: CPU-bound work in user mode (a control: no traps, no faults). */
#include "bench.h"

static void run(struct bench_run *r)
{
	u32 n = param(r, "n");
	struct proc *p = proc_create();
	measure_begin(r);
	u32 sum = run_user(p, u_compute, n, 0, 0, 0);
	measure_end(r, n);
	/* sum of i^2 for i < n = (n-1) n (2n-1) / 6; n <= 2e6 keeps the product in 64 bits. */
	u64 m = n;
	u32 want = n == 0 ? 0 : (u32)((m - 1) * m * (2 * m - 1) / 6);
	if (sum != want) {
		bench_fail(r, "sum of squares below %u: got %u, want %u", n, sum, want);
	}
	proc_destroy(p);
}

static struct benchmark compute = {
    .name = "compute",
    .summary = "a sum of squares in user mode",
    .params = {{"n", 100000, 1, 2000000}},
    .run = run,
};
BENCHMARK(compute);
