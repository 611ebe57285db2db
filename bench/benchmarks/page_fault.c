/* page-fault: the guest's own demand-paging path: first touch of fresh zero pages. */
#include "bench.h"

#define TAG 7u

static void run(struct bench_run *r)
{
	u32 pages = param(r, "pages");
	struct proc *p = proc_create();
	proc_add_vma(p, USER_DATA_VA, pages * FRAME_SIZE, PERM_READ | PERM_WRITE, 0, FRAME_SHIFT);
	u64 faults = kstats.page_faults;
	measure_begin(r);
	u32 status = run_user(p, u_touch, USER_DATA_VA, pages, TAG, 0);
	measure_end(r, pages);
	if (status != 0 || kstats.page_faults - faults != pages) {
		bench_fail(r, "status %u, %llu faults for %u pages", status,
			   kstats.page_faults - faults, pages);
	}
	if (run_user(p, u_check, USER_DATA_VA, pages, TAG, 0) != 0) {
		bench_fail(r, "a page lost what was written to it");
	}
	proc_destroy(p);
}

static struct benchmark page_fault = {
    .name = "page-fault",
    .summary = "first touch of demand-zero pages",
    .params = {{"pages", 64, 1, 60000}},
    .run = run,
};
BENCHMARK(page_fault);
