/* Makes n=<N> null hypercalls (default 100) when a hypervisor is present, and checks with
 * two counter snapshots that the hypervisor counted exactly N. Prints the same natively. */
#include "rt.h"
#include "tb/hcall.h"
#include "tb/str.h"

#define MAX_COUNTERS 128

static char names[MAX_COUNTERS][TB_COUNTER_NAME_LEN];
static u64 before[MAX_COUNTERS], after[MAX_COUNTERS];

static int find(u32 n, const char *name)
{
	for (u32 i = 0; i < n; i++) {
		if (strcmp(names[i], name) == 0) {
			return (int)i;
		}
	}
	return -1;
}

int main(void)
{
	u32 n = 100;
	rt_arg_u32("n", &n);
	if (rt_hyp_present()) {
		s32 nc = (s32)rt_hvc(TB_HC_DESCRIBE, (u32)(uintptr_t)names, sizeof(names), 0);
		int idx = nc > 0 ? find((u32)nc, "core.hc_null") : -1;
		if (idx < 0) {
			rt_printf("hcall: DESCRIBE failed (%d) or has no core.hc_null\n", (int)nc);
			return 1;
		}
		rt_hvc(TB_HC_SNAPSHOT, (u32)(uintptr_t)before, sizeof(before), 0);
		for (u32 i = 0; i < n; i++) {
			u32 r = rt_hvc(TB_HC_NULL, i, 0, 0);
			if (r != 0) {
				rt_printf("hcall: null call %u returned %u\n", i, r);
				return 1;
			}
		}
		rt_hvc(TB_HC_SNAPSHOT, (u32)(uintptr_t)after, sizeof(after), 0);
		u64 counted = after[idx] - before[idx];
		if (counted != n) {
			rt_printf("hcall: made %u null calls, the hypervisor counted %llu\n", n, counted);
			return 1;
		}
		if ((s32)rt_hvc(0x86000fffu, 0, 0, 0) != -1) {
			rt_printf("hcall: an unknown testbed function did not answer NOT_SUPPORTED\n");
			return 1;
		}
	}
	rt_printf("hcall: %u null hypercalls checked\n", n);
	return 0;
}
