/* mprotect: permission changes over a region (valid -> valid updates, each with TLBIMVA). */
#include "bench.h"

#define TAG 40u

/* writable: does a PL0 write to va succeed now? */
static bool writable(struct proc *p, u32 va)
{
	mm_switch(p);
	enum probe_result got = probe_user(va, true, NULL, NULL);
	mm_switch(NULL);
	return got == PROBE_OK;
}

static void protect_all(struct proc *p, u32 pages, u32 prot)
{
	for (u32 i = 0; i < pages; i++) {
		mm_protect_page(p, USER_DATA_VA + i * FRAME_SIZE, prot);
	}
}

static void run(struct bench_run *r)
{
	u32 pages = param(r, "pages"), rounds = param(r, "rounds");
	const u32 rw = PERM_READ | PERM_WRITE;
	struct proc *p = proc_create();
	proc_add_vma(p, USER_DATA_VA, pages * FRAME_SIZE, rw, 0, FRAME_SHIFT);
	run_user(p, u_touch, USER_DATA_VA, pages, TAG, 0);
	protect_all(p, pages, PERM_READ);
	if (writable(p, USER_DATA_VA)) {
		bench_fail(r, "a read-only page took a write");
	}
	protect_all(p, pages, rw);
	measure_begin(r);
	for (u32 k = 0; k < rounds; k++) {
		protect_all(p, pages, PERM_READ);
		protect_all(p, pages, rw);
	}
	measure_end(r, 2ull * pages * rounds);
	if (!writable(p, USER_DATA_VA + (pages - 1) * FRAME_SIZE)) {
		bench_fail(r, "a page is still read-only");
	}
	/* The probe wrote 0xa5 over the last page's tag. */
	if (run_user(p, u_check, USER_DATA_VA, pages - 1, TAG, 0) != 0) {
		bench_fail(r, "a page lost its contents");
	}
	proc_destroy(p);
}

static struct benchmark mprotect = {
    .name = "mprotect",
    .summary = "read-only / read-write flips over a region",
    .params = {{"pages", 32, 1, 60000}, {"rounds", 4, 1, 100000}},
    .run = run,
};
BENCHMARK(mprotect);
