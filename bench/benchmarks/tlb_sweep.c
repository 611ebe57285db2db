/* tlb-sweep: page-stride reads over a working set, mapped with 4 KiB pages (large=0) or
 * 1 MiB sections / 2 MiB blocks (large=1). The set is mapped before the phase, so the phase
 * takes no fault: it isolates translation (TLB reach, table walks). */
#include "bench.h"

static void run(struct bench_run *r)
{
	u32 pages = param(r, "pages"), stride = param(r, "stride"), rounds = param(r, "rounds");
	bool large = param(r, "large") != 0;
	u32 shift = large ? (mmcfg.fmt == &pt_short ? 20 : 21) : FRAME_SHIFT;
	u32 span = ALIGN_UP(pages * stride * FRAME_SIZE, BIT(shift));
	if (span > USER_STACK_VA - USER_DATA_VA) {
		bench_fail(r, "working set of %u MiB does not fit the data region", span / MiB);
		return;
	}
	struct proc *p = proc_create();
	proc_add_vma(p, USER_DATA_VA, span, PERM_READ | PERM_WRITE, 0, shift);
	mm_populate(p, USER_DATA_VA, span);
	for (u32 i = 0; i < pages; i++) {
		u32 pa = mm_lookup(p, USER_DATA_VA + i * stride * FRAME_SIZE, NULL);
		*(volatile u32 *)(uintptr_t)pa = i; /* the tag u_sweep checks */
	}
	measure_begin(r);
	u32 status = run_user(p, u_sweep, USER_DATA_VA, pages, stride * FRAME_SIZE, rounds);
	measure_end(r, (u64)pages * rounds);
	if (status != 0) {
		bench_fail(r, "a page read back the wrong tag");
	}
	proc_destroy(p);
}

static struct benchmark tlb_sweep = {
    .name = "tlb-sweep",
    .summary = "strided reads over a working set of pages or sections",
    .params = {{"pages", 64, 1, 65536},
	       {"stride", 1, 1, 1024},
	       {"rounds", 4, 1, 100000},
	       {"large", 0, 0, 1}},
    .run = run,
};
BENCHMARK(tlb_sweep);
