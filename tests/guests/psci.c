/* PSCI through HVC and through SMC (trapped with HCR.TSC) and the testbed revision call.
 * Hypervisor only: natively QEMU answers PSCI itself (another version) and SMC is undefined. */
#include "rt.h"
#include "tb/hcall.h"

typedef u32 (*conduit_fn)(u32, u32, u32, u32);

static int check(const char *conduit, conduit_fn call)
{
	static const u32 supported[] = {PSCI_VERSION, PSCI_FEATURES, PSCI_SYSTEM_OFF,
					PSCI_SYSTEM_RESET};
	static const u32 unsupported[] = {PSCI_CPU_ON, PSCI_CPU_OFF, PSCI_CPU_SUSPEND, 0x8400000bu,
					  0xc4000003u};
	int bad = 0;
	u32 v = call(PSCI_VERSION, 0, 0, 0);
	rt_printf("%s: PSCI_VERSION = %u.%u\n", conduit, v >> 16, v & 0xffffu);
	bad += v != PSCI_VERSION_1_0;
	for (u32 i = 0; i < sizeof(supported) / sizeof(supported[0]); i++) {
		s32 r = (s32)call(PSCI_FEATURES, supported[i], 0, 0);
		rt_printf("%s: FEATURES(0x%08x) = %d\n", conduit, supported[i], (int)r);
		bad += r != PSCI_RET_SUCCESS;
	}
	for (u32 i = 0; i < sizeof(unsupported) / sizeof(unsupported[0]); i++) {
		s32 f = (s32)call(PSCI_FEATURES, unsupported[i], 0, 0);
		s32 r = (s32)call(unsupported[i], 0, 0, 0);
		rt_printf("%s: FEATURES(0x%08x) = %d, call = %d\n", conduit, unsupported[i], (int)f,
			  (int)r);
		bad += f != PSCI_RET_NOT_SUPPORTED || r != PSCI_RET_NOT_SUPPORTED;
	}
	return bad;
}

int main(void)
{
	if (!rt_hyp_present()) {
		rt_printf("psci: this test needs the testbed hypervisor\n");
		return 1;
	}
	int bad = check("hvc", rt_hvc) + check("smc", rt_smc);
	u32 major = rt_hvc(TB_HC_REVISION, 0, 0, 0);
	rt_printf("testbed ABI revision major %u\n", major);
	bad += major != TB_ABI_MAJOR;
	rt_printf("psci: %s\n", bad == 0 ? "all answers as specified" : "WRONG ANSWERS");
	if (bad != 0) {
		return 1;
	}
	rt_smc(PSCI_SYSTEM_OFF, 0, 0, 0); /* ends the run with status 0 */
	return 1;
}
