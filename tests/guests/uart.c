/* Writes and reads the PL011 with every addressing form: with a syndrome (STRB, STR, STRH,
 * LDR) and without one (post-indexed and pre-indexed writeback, STM, STRD, LDM, LDRD). */
#include "rt.h"

#define UART_FR	     0x18u
#define UART_PERIPH0 0xfe0u

int main(void)
{
	u32 base = RT_UART, a, v, w, x, y;
	__asm__ volatile("strb %1, [%0]" ::"r"(base), "r"('a') : "memory");
	__asm__ volatile("str %1, [%0]" ::"r"(base), "r"('b') : "memory");
	__asm__ volatile("strh %1, [%0]" ::"r"(base), "r"('c') : "memory");
	__asm__ volatile("str %1, [%0, %2]" ::"r"(base), "r"('d'), "r"(0) : "memory");
	a = base;
	__asm__ volatile("str %1, [%0], #4" : "+r"(a) : "r"('e') : "memory");
	rt_printf(" post-index writeback %s\n", a == base + 4 ? "ok" : "WRONG");
	a = base + 8;
	__asm__ volatile("strb %1, [%0, #-8]!" : "+r"(a) : "r"('f') : "memory");
	rt_printf(" pre-index writeback %s\n", a == base ? "ok" : "WRONG");
	/* STM: 'g' to DR, 0 to RSR/ECR (which clears errors and prints nothing). */
	a = base;
	__asm__ volatile("mov r2, %1\n mov r3, #0\n stmia %0!, {r2, r3}"
			 : "+r"(a)
			 : "r"('g')
			 : "r2", "r3", "memory");
	rt_printf(" stm writeback %s\n", a == base + 8 ? "ok" : "WRONG");
	__asm__ volatile("mov r2, %1\n mov r3, #0\n strd r2, r3, [%0]" ::"r"(base), "r"('h')
			 : "r2", "r3", "memory");
	__asm__ volatile("mov r4, %1\n stmdb %0, {r4}" ::"r"(base + 4), "r"('i') : "r4", "memory");
	rt_putc('\n');

	__asm__ volatile("ldr %0, [%1, %2]" : "=r"(v) : "r"(base), "r"(UART_FR) : "memory");
	rt_printf("FR = 0x%02x\n", v & 0xb8u); /* BUSY, TXFF, RXFE, TXFE: stable bits */
	__asm__ volatile("ldrb %0, [%1]" : "=r"(v) : "r"(base + UART_PERIPH0) : "memory");
	rt_printf("PeriphID0 (LDRB) = 0x%02x\n", v);
	__asm__ volatile("ldm %4, {r4-r7}\n mov %0, r4\n mov %1, r5\n mov %2, r6\n mov %3, r7"
			 : "=r"(v), "=r"(w), "=r"(x), "=r"(y)
			 : "r"(base + UART_PERIPH0)
			 : "r4", "r5", "r6", "r7", "memory");
	rt_printf("PeriphID0-3 (LDM) = %02x %02x %02x %02x\n", v, w, x, y);
	__asm__ volatile("ldrd r2, r3, [%2]\n mov %0, r2\n mov %1, r3"
			 : "=r"(v), "=r"(w)
			 : "r"(base + UART_PERIPH0 + 0x10u)
			 : "r2", "r3", "memory");
	rt_printf("CellID0-1 (LDRD) = %02x %02x\n", v, w);
	a = base + UART_PERIPH0 + 0x1c;
	__asm__ volatile("ldr %0, [%1], #-4" : "=r"(v), "+r"(a) : : "memory");
	rt_printf("CellID3 (post-index LDR) = %02x, writeback %s\n", v,
		  a == base + UART_PERIPH0 + 0x18 ? "ok" : "WRONG");
	__asm__ volatile("ldrsb %0, [%1]" : "=r"(v) : "r"(base + UART_PERIPH0 + 0x1c) : "memory");
	rt_printf("CellID3 (LDRSB) = 0x%08x\n", v);
	return 0;
}
