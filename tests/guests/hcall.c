/* Makes n=<N> null hypercalls (default 100) when a hypervisor is present, and checks with
 * two counter snapshots that the hypervisor counted exactly N. Prints the same natively. */
#include "tb/hcall.h"
#include "rt.h"

static u64 before[RT_MAX_COUNTERS] __attribute__((aligned(8)));
static u64 after[RT_MAX_COUNTERS] __attribute__((aligned(8)));

int main(void)
{
	u32 n = 100;
	rt_arg_u32("n", &n);
	if (rt_hyp_present()) {
		int idx = rt_counter_index("core.hc_null");
		if (idx < 0) {
			rt_printf("hcall: no core.hc_null counter\n");
			return 1;
		}
		rt_snapshot(before);
		for (u32 i = 0; i < n; i++) {
			u32 r = rt_hvc(TB_HC_NULL, i, 0, 0);
			if (r != 0) {
				rt_printf("hcall: null call %u returned %u\n", i, r);
				return 1;
			}
		}
		rt_snapshot(after);
		u64 counted = after[idx] - before[idx];
		if (counted != n) {
			rt_printf("hcall: made %u null calls, the hypervisor counted %llu\n", n,
				  counted);
			return 1;
		}
		if ((s32)rt_hvc(0x86000fffu, 0, 0, 0) != SMCCC_NOT_SUPPORTED ||
		    (s32)rt_hvc(TB_HC_SNAPSHOT, 0x1000, 8, 0) != SMCCC_INVALID_PARAMETER) {
			rt_printf("hcall: bad calls were not refused as specified\n");
			return 1;
		}
	}
	rt_printf("hcall: %u null hypercalls checked\n", n);
	return 0;
}
