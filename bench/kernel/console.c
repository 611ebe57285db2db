/* Console (the PL011: at its physical address until the MMU is on, then at KERNEL_UART_VA),
 * exit and panic. */
#include "kernel.h"
#include "tb/fmt.h"
#include "tb/hcall.h"

#define UART_PA		       0x09000000u
#define SEMIHOST_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APP_EXIT   0x20026u

static volatile u32 *uart = (volatile u32 *)UART_PA;

void console_use_va(void)
{
	uart = (volatile u32 *)KERNEL_UART_VA;
}

static void kputc(char c)
{
	*uart = (u8)c;
}

void kputs(const char *s)
{
	while (*s != 0) {
		kputc(*s++);
	}
}

static void fmt_putc(void *ctx UNUSED, char c)
{
	kputc(c);
}

void kvprintf(const char *fmt, va_list ap)
{
	tb_vformat(fmt_putc, NULL, fmt, ap);
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
}

void kexit(int status)
{
	if (boot.hypervisor) {
		register u32 r0 __asm__("r0") = TB_HC_EXIT;
		register u32 r1 __asm__("r1") = (u32)status;
		__asm__ volatile(".arch_extension virt\n hvc #0" ::"r"(r0), "r"(r1) : "memory");
	}
	/* Natively: semihosting SYS_EXIT_EXTENDED (QEMU runs with -semihosting). */
	volatile u32 block[2] = {ADP_STOPPED_APP_EXIT, (u32)status};
	register u32 r0 __asm__("r0") = SEMIHOST_EXIT_EXTENDED;
	register u32 r1 __asm__("r1") = (u32)(uintptr_t)block;
	__asm__ volatile("svc #0x123456" ::"r"(r0), "r"(r1) : "memory");
	for (;;) {
	}
}

void kpanic(const char *fmt, ...)
{
	va_list ap;
	kputs("bench: PANIC: ");
	va_start(ap, fmt);
	tb_vformat(fmt_putc, NULL, fmt, ap);
	va_end(ap);
	kputs("\n");
	kexit(3);
}

/* frames_panic: the frame allocator's invariant checks (frames.c) end here. */
void frames_panic(const char *what, u32 pa) __attribute__((noreturn));
void frames_panic(const char *what, u32 pa)
{
	kpanic("frames: %s (0x%08x)", what, pa);
}
