/* null-hypercall: the cost of one guest -> hypervisor -> guest round trip (TB_HC_NULL). */
#include "bench.h"
#include "tb/hcall.h"

static void run(struct bench_run *r)
{
	u32 n = param(r, "n"), bad = 0;
	measure_begin(r);
	for (u32 i = 0; i < n; i++) {
		register u32 r0 __asm__("r0") = TB_HC_NULL;
		__asm__ volatile(".arch_extension virt\n hvc #0" : "+r"(r0) : : "memory");
		bad |= r0;
	}
	measure_end(r, n);
	if (bad != 0) {
		bench_fail(r, "a null hypercall did not return 0");
	}
}

static struct benchmark null_hypercall = {
    .name = "null-hypercall",
    .summary = "HVC round trips that do nothing",
    .params = {{"n", 1000, 1, 10000000}},
    .needs_hypervisor = true,
    .run = run,
};
BENCHMARK(null_hypercall);
