/* map-unmap: page-table update churn (map a page, unmap it) with the TLB maintenance the
 * architecture requires for each removal. */
#include "bench.h"

#define TAG 0x6d617000u

/* check_mapping: through a PL0 access, va reads tag when mapped and faults when not. */
static void check_mapping(struct bench_run *r, struct proc *p, u32 va, bool mapped, u32 tag)
{
	u32 v, fsr;
	mm_switch(p);
	enum probe_result got = probe_user(va, false, &v, &fsr);
	mm_switch(NULL);
	if (mapped && (got != PROBE_OK || v != tag)) {
		bench_fail(r, "mapped page 0x%08x: %s, read 0x%08x", va,
			   got == PROBE_OK ? "readable" : "faults", v);
	} else if (!mapped && got != PROBE_FAULT) {
		bench_fail(r, "unmapped page 0x%08x is still readable", va);
	}
}

static void run(struct bench_run *r)
{
	u32 pages = param(r, "pages"), rounds = param(r, "rounds");
	struct proc *p = proc_create();
	proc_add_vma(p, USER_DATA_VA, pages * FRAME_SIZE, PERM_READ | PERM_WRITE, 0, FRAME_SHIFT);
	/* One round checked through the MMU first. */
	u32 frame = frames_alloc(&kframes);
	*(volatile u32 *)(uintptr_t)frame = TAG;
	mm_map_page(p, USER_DATA_VA, frame, PERM_READ | PERM_WRITE);
	check_mapping(r, p, USER_DATA_VA, true, TAG);
	mm_unmap_page(p, USER_DATA_VA);
	check_mapping(r, p, USER_DATA_VA, false, 0);

	measure_begin(r);
	for (u32 k = 0; k < rounds; k++) {
		for (u32 i = 0; i < pages; i++) {
			mm_map_page(p, USER_DATA_VA + i * FRAME_SIZE, frames_alloc(&kframes),
				    PERM_READ | PERM_WRITE);
		}
		for (u32 i = 0; i < pages; i++) {
			mm_unmap_page(p, USER_DATA_VA + i * FRAME_SIZE);
		}
	}
	measure_end(r, 2ull * pages * rounds);
	check_mapping(r, p, USER_DATA_VA + (pages - 1) * FRAME_SIZE, false, 0);
	proc_destroy(p);
}

static struct benchmark map_unmap = {
    .name = "map-unmap",
    .summary = "map and unmap pages, with TLBIMVA per unmap",
    .params = {{"pages", 32, 1, 60000}, {"rounds", 4, 1, 100000}},
    .run = run,
};
BENCHMARK(map_unmap);
