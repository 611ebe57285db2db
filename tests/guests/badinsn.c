/* Reaches the hypervisor's error paths on purpose (hypervisor only; case=<name>):
 *   ldrex  an exclusive load from the emulated UART: cannot be emulated
 *   hvc1   HVC #1: not part of the calling convention
 *   wfi    WFI: no interrupt will ever come
 *   hvc2   HVC #2 with a forged Abort-mode state (SPSR_abt = Hyp mode): what the shadow
 *          module's trampoline uses; from anywhere else it must be refused
 *   tramp  the same forged state, entering the shadow trampoline's abort slot itself
 * Each must stop the run with a clear message and status 120. */
#include "rt.h"

int main(void)
{
	u32 v = 0;
	if (rt_arg_is("case", "ldrex")) {
		__asm__ volatile("ldrex %0, [%1]" : "=r"(v) : "r"(RT_UART) : "memory");
	} else if (rt_arg_is("case", "hvc1")) {
		__asm__ volatile(".arch_extension virt\n hvc #1" ::: "memory");
	} else if (rt_arg_is("case", "hvc2") || rt_arg_is("case", "tramp")) {
		/* Abort mode, SPSR_abt = Hyp mode, LR_abt = our own code: an escape attempt. */
		u32 target = rt_arg_is("case", "tramp") ? 0xfffff010u : 0;
		__asm__ volatile(".arch_extension virt\n"
				 "cps #0x17\n"
				 "mov r0, #0x1da\n"
				 "msr spsr_fsxc, r0\n"
				 "adr lr, 1f\n"
				 "cmp %0, #0\n"
				 "bxne %0\n"
				 "hvc #2\n"
				 "1: cps #0x13\n" ::"r"(target)
				 : "r0", "lr", "memory", "cc");
		rt_printf("badinsn: the guest escaped to Hyp mode or was not stopped\n");
		return 77;
	} else if (rt_arg_is("case", "wfi")) {
		__asm__ volatile("wfi" ::: "memory");
	} else {
		rt_printf("badinsn: give case=ldrex|hvc1|wfi\n");
		return 2;
	}
	rt_printf("badinsn: survived (0x%x)\n", v);
	return 0;
}
