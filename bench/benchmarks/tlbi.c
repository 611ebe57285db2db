/* tlbi: a loop of TLB maintenance: TLBIMVA, TLBIASID and TLBIALL, each completed with
 * DSB and ISB. */
#include "bench.h"
#include "tb/cp15.h"

#define TLBI_ASID 1u

static void run(struct bench_run *r)
{
	u32 n = param(r, "n");
	struct kstats before = kstats;
	measure_begin(r);
	for (u32 i = 0; i < n; i++) {
		tlb_inv_va(USER_DATA_VA + i * FRAME_SIZE, TLBI_ASID);
		dsb();
		isb();
		tlb_inv_asid(TLBI_ASID);
		dsb();
		isb();
		tlb_inv_all();
		dsb();
		isb();
	}
	measure_end(r, 3ull * n);
	if (kstats.tlbi_va - before.tlbi_va != n || kstats.tlbi_asid - before.tlbi_asid != n ||
	    kstats.tlbi_all - before.tlbi_all != n) {
		bench_fail(r, "the operations were not all issued");
	}
}

static struct benchmark tlbi = {
    .name = "tlbi",
    .summary = "TLBIMVA, TLBIASID, TLBIALL in a loop",
    .params = {{"n", 1000, 1, 10000000}},
    .run = run,
};
BENCHMARK(tlbi);
