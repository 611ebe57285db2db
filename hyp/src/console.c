/* The hypervisor console (the real PL011), exits and fatal-error reporting. */
#include "hyp/console.h"
#include "hyp/counters.h"
#include "hyp/integrity.h"
#include "hyp/layout.h"
#include "hyp/syndrome.h"
#include "hyp/vm.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/fmt.h"

#define UART_DR	     0x00u
#define UART_FR	     0x18u
#define UART_FR_TXFF BIT(5)

void hyp_semihost_exit(int status) __attribute__((noreturn));

static volatile u32 *uart_reg(u32 off)
{
	return (volatile u32 *)(uintptr_t)(HOST_UART_BASE + off);
}

void console_putc(char c)
{
	while ((*uart_reg(UART_FR) & UART_FR_TXFF) != 0) {
	}
	*uart_reg(UART_DR) = (u8)c;
}

void console_write(const char *s, u32 len)
{
	for (u32 i = 0; i < len; i++) {
		console_putc(s[i]);
	}
}

static void fmt_putc(void *ctx UNUSED, char c)
{
	console_putc(c);
}

void hyp_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	tb_vformat(fmt_putc, NULL, fmt, ap);
	va_end(ap);
}

/* end_run: print the counters and end the emulator with status. */
static __attribute__((noreturn)) void end_run(int status)
{
	counters_print();
	hyp_printf("[hyp] exit status %d\n", status);
	hyp_semihost_exit(status & 0xff);
}

void hyp_exit(int status)
{
	end_run(integrity_check() ? status : HYP_EXIT_FATAL);
}

void hyp_require_integrity(void)
{
	if (!integrity_check()) {
		end_run(HYP_EXIT_FATAL);
	}
}

/* in_guest_trap: is there a guest trap frame to report? */
static bool in_guest_trap(void)
{
	return hyp_vcpu.tf != NULL;
}

void hyp_fatal(const char *fmt, ...)
{
	static bool in_fatal;
	va_list ap;
	if (in_fatal) {
		/* A failure while reporting one: the state is too broken to say more. */
		hyp_printf("[hyp] FATAL while reporting a fatal error: %s\n", fmt);
		hyp_semihost_exit(HYP_EXIT_FATAL);
	}
	in_fatal = true;
	hyp_printf("[hyp] FATAL: ");
	va_start(ap, fmt);
	tb_vformat(fmt_putc, NULL, fmt, ap);
	va_end(ap);
	hyp_printf("\n");
	if (in_guest_trap()) {
		char desc[160];
		u32 hsr = read_hsr();
		hsr_describe(hsr, desc, sizeof(desc));
		hyp_printf("[hyp]   syndrome: %s\n", desc);
		if (hsr_ec(hsr) == EC_DABT_LOW) {
			hyp_printf("[hyp]   HDFAR=0x%08x HPFAR=0x%08x\n", read_hdfar(),
				   read_hpfar());
		} else if (hsr_ec(hsr) == EC_PABT_LOW) {
			hyp_printf("[hyp]   HIFAR=0x%08x HPFAR=0x%08x\n", read_hifar(),
				   read_hpfar());
		}
		vcpu_dump(&hyp_vcpu);
	}
	hyp_printf("[hyp] the guest is stopped\n");
	integrity_check();
	end_run(HYP_EXIT_FATAL);
}

void hyp_bad_input(const char *fmt, ...)
{
	va_list ap;
	hyp_printf("[hyp] error: ");
	va_start(ap, fmt);
	tb_vformat(fmt_putc, NULL, fmt, ap);
	va_end(ap);
	hyp_printf("\n[hyp] exit status %d\n", HYP_EXIT_BADINPUT);
	hyp_semihost_exit(HYP_EXIT_BADINPUT);
}
