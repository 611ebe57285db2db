/* Test-guest runtime. */
#include "rt.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/fdt.h"
#include "tb/fmt.h"
#include "tb/hcall.h"
#include "tb/str.h"

#define SEMIHOST_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APP_EXIT   0x20026u

static const void *dtb;
static rt_handler handler;
static bool hyp_present;

void rt_start(const void *dtb_addr);

void rt_putc(char c)
{
	*(volatile u32 *)RT_UART = (u8)c;
}

void rt_puts(const char *s)
{
	while (*s != 0) {
		rt_putc(*s++);
	}
}

static void fmt_putc(void *ctx UNUSED, char c)
{
	rt_putc(c);
}

int rt_printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = tb_vformat(fmt_putc, NULL, fmt, ap);
	va_end(ap);
	return n;
}

void rt_call(bool smc, u32 r[4])
{
	register u32 r0 __asm__("r0") = r[0];
	register u32 r1 __asm__("r1") = r[1];
	register u32 r2 __asm__("r2") = r[2];
	register u32 r3 __asm__("r3") = r[3];
	if (smc) {
		__asm__ volatile(".arch_extension sec\n smc #0"
				 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
				 :
				 : "memory");
	} else {
		__asm__ volatile(".arch_extension virt\n hvc #0"
				 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
				 :
				 : "memory");
	}
	r[0] = r0;
	r[1] = r1;
	r[2] = r2;
	r[3] = r3;
}

u32 rt_hvc(u32 fid, u32 a1, u32 a2, u32 a3)
{
	u32 r[4] = {fid, a1, a2, a3};
	rt_call(false, r);
	return r[0];
}

u32 rt_smc(u32 fid, u32 a1, u32 a2, u32 a3)
{
	u32 r[4] = {fid, a1, a2, a3};
	rt_call(true, r);
	return r[0];
}

void rt_exit(int status)
{
	if (hyp_present) {
		rt_hvc(TB_HC_EXIT, (u32)status, 0, 0);
	}
	/* Natively: semihosting SYS_EXIT_EXTENDED (QEMU runs with -semihosting). */
	volatile u32 block[2] = {ADP_STOPPED_APP_EXIT, (u32)status};
	register u32 r0 __asm__("r0") = SEMIHOST_EXIT_EXTENDED;
	register u32 r1 __asm__("r1") = (u32)(uintptr_t)block;
	__asm__ volatile("svc #0x123456" ::"r"(r0), "r"(r1) : "memory");
	for (;;) {
	}
}

const void *rt_dtb(void)
{
	return dtb;
}

bool rt_hyp_present(void)
{
	return hyp_present;
}

const char *rt_bootargs(void)
{
	const char *s = fdt_getprop_string(dtb, fdt_path_offset(dtb, "/chosen"), "bootargs");
	return s != NULL ? s : "";
}

/* find_arg: the value of key=... in the command line, its length in *len. */
static const char *find_arg(const char *key, size_t *len)
{
	const char *cur = rt_bootargs();
	const char *tok;
	size_t klen = strlen(key);
	size_t n;
	while ((tok = tb_token(&cur, &n)) != NULL) {
		if (n > klen && strncmp(tok, key, klen) == 0 && tok[klen] == '=') {
			*len = n - klen - 1;
			return tok + klen + 1;
		}
	}
	return NULL;
}

bool rt_arg_u32(const char *key, u32 *val)
{
	size_t len;
	u64 v;
	const char *s = find_arg(key, &len);
	if (s == NULL || !tb_parse_u64(s, len, true, &v) || v > ~0u) {
		return false;
	}
	*val = (u32)v;
	return true;
}

bool rt_arg_is(const char *key, const char *value)
{
	size_t len;
	const char *s = find_arg(key, &len);
	return s != NULL && len == strlen(value) && strncmp(s, value, len) == 0;
}

static u64 mem_base, mem_size;

u32 rt_ram_base(void)
{
	return (u32)mem_base;
}

u32 rt_ram_size(void)
{
	return (u32)mem_size;
}

void rt_set_handler(rt_handler h)
{
	handler = h;
}

void rt_call_addr(u32 addr)
{
	__asm__ volatile("blx %0" ::"r"(addr)
			 : "r0", "r1", "r2", "r3", "r12", "lr", "memory", "cc");
}

u32 rt_lr_svc(void)
{
	u32 v, saved;
	/* Banked-register MRS needs the Virtualization Extensions, absent natively: switch to
	 * SVC mode for one instruction instead. */
	__asm__ volatile("mrs %1, cpsr\n"
			 "cps #0x13\n"
			 "mov %0, lr\n"
			 "msr cpsr_c, %1"
			 : "=r"(v), "=&r"(saved)
			 :
			 : "memory");
	return v;
}

static char counter_names[RT_MAX_COUNTERS][TB_COUNTER_NAME_LEN] __attribute__((aligned(8)));
static s32 ncounters = -1;

int rt_counter_index(const char *name)
{
	if (ncounters < 0) {
		ncounters = (s32)rt_hvc(TB_HC_DESCRIBE, (u32)(uintptr_t)counter_names,
					sizeof(counter_names), 0);
		if (ncounters < 0) {
			rt_printf("guest: DESCRIBE failed (%d)\n", (int)ncounters);
			rt_exit(1);
		}
	}
	for (s32 i = 0; i < ncounters; i++) {
		if (strcmp(counter_names[i], name) == 0) {
			return (int)i;
		}
	}
	return -1;
}

int rt_counter_need(const char *guest, const char *name, const char *hint)
{
	int i = rt_counter_index(name);
	if (i < 0) {
		rt_printf("%s: the hypervisor has no counter %s%s\n", guest, name, hint);
		rt_exit(1);
	}
	return i;
}

u32 rt_snapshot(u64 *out)
{
	s32 n = (s32)rt_hvc(TB_HC_SNAPSHOT, (u32)(uintptr_t)out, RT_MAX_COUNTERS * sizeof(u64), 0);
	if (n < 0) {
		rt_printf("guest: SNAPSHOT failed (%d)\n", (int)n);
		rt_exit(1);
	}
	return (u32)n;
}

void rt_exception(u32 vector, struct rt_frame *f);
void rt_exception(u32 vector, struct rt_frame *f)
{
	if (handler != NULL && handler(vector, f)) {
		return;
	}
	rt_printf("guest: unexpected %s: lr=0x%08x spsr=0x%08x dfsr=0x%08x dfar=0x%08x "
		  "ifsr=0x%08x ifar=0x%08x\n",
		  vector_name(vector), f->pc, f->spsr, read_dfsr(), read_dfar(), read_ifsr(),
		  read_ifar());
	rt_exit(1);
}

void rt_start(const void *dtb_addr)
{
	dtb = dtb_addr;
	if (dtb == NULL || fdt_check(dtb, 1 * MiB) != FDT_OK) {
		rt_puts("guest: no valid DTB in r2\n");
		rt_exit(2);
	}
	int hv = fdt_path_offset(dtb, "/hypervisor");
	const char *compat = fdt_getprop_string(dtb, hv, "compatible");
	hyp_present = compat != NULL && strcmp(compat, TB_DT_COMPATIBLE) == 0;
	int mem = fdt_path_offset(dtb, "/memory");
	if (mem < 0 || fdt_first_reg(dtb, 0, mem, &mem_base, &mem_size) != FDT_OK) {
		rt_puts("guest: the DTB has no /memory\n");
		rt_exit(2);
	}
	rt_exit(main());
}
