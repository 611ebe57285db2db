/* A Thumb device store inside an IT block: the hypervisor emulates the store and must
 * advance the IT state (A2.5.2), so that the rest of the block keeps its conditions. */
#include "rt.h"

/* it_block: "ite eq; strbeq (to the UART); addne a; add b": returns a * 16 + b. */
__attribute__((target("thumb"), noinline)) static u32 it_block(u32 uart)
{
	u32 a = 0, b = 0;
	__asm__ volatile("movs r1, #'T'\n"
			 "cmp %[u], %[u]\n"
			 "ite eq\n"
			 "strbeq r1, [%[u]]\n"
			 "addne %[a], %[a], #1\n"
			 "add %[b], %[b], #1\n"
			 : [a] "+l"(a), [b] "+l"(b)
			 : [u] "l"(uart)
			 : "r1", "cc", "memory");
	return a * 16 + b;
}

int main(void)
{
	u32 v = it_block(RT_UART);
	rt_printf("\nthumbit: 0x%x (0x1: the store ran, addne was skipped, add ran)\n", v);
	return v == 1 ? 0 : 1;
}
