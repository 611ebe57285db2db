/* Reaches the hypervisor's error paths on purpose (hypervisor only; case=<name>):
 *   ldrex  an exclusive load from the emulated UART: cannot be emulated
 *   hvc1   HVC #1: not part of the calling convention
 *   wfi    WFI: no interrupt will ever come
 * Each must stop the run with a clear message and status 120. */
#include "rt.h"

int main(void)
{
	u32 v = 0;
	if (rt_arg_is("case", "ldrex")) {
		__asm__ volatile("ldrex %0, [%1]" : "=r"(v) : "r"(RT_UART) : "memory");
	} else if (rt_arg_is("case", "hvc1")) {
		__asm__ volatile(".arch_extension virt\n hvc #1" ::: "memory");
	} else if (rt_arg_is("case", "wfi")) {
		__asm__ volatile("wfi" ::: "memory");
	} else {
		rt_printf("badinsn: give case=ldrex|hvc1|wfi\n");
		return 2;
	}
	rt_printf("badinsn: survived (0x%x)\n", v);
	return 0;
}
