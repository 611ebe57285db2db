/* Boot of the benchmark guest and the benchmark runner.
 * Command line (/chosen/bootargs), every part optional:
 *   bench=<name>[,<name>...]|all   which benchmarks (default: all)
 *   fmt=short|lpae                 stage-1 table format (default short)
 *   split=2|3                      TTBCR.N / T0SZ: user space of 1 GiB or 512 MiB (default 2)
 *   reps=<n>                       repetitions of each benchmark (default 1)
 *   <bench>.<param>=<value>        a benchmark parameter (defaults: a small configuration)
 * Exit status: 0 if every benchmark's self-check passed, 1 if one failed, 2 on bad input. */
#include "bench.h"
#include "measure.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/fdt.h"
#include "tb/fmt.h"
#include "tb/hcall.h"
#include "tb/str.h"

struct bootinfo boot;

struct bench_run {
	struct benchmark *b;
	u32 rep;
	bool failed, measured;
	struct sample begin, end;
};

extern struct benchmark *const __benchmarks_start[], *const __benchmarks_end[];
extern char __kernel_start[], __kernel_end[], __user_lma[], __user_start[], __user_end[];

#define MAX_SELECTED 32
static struct benchmark *selected[MAX_SELECTED];
static u32 nselected;
static u32 reps = 1;

/* ---- boot ---- */

static void read_dtb(const void *dtb)
{
	u64 base, size;
	if (dtb == NULL || fdt_check(dtb, 1 * MiB) != FDT_OK) {
		kputs("bench: error: no valid DTB in r2\n");
		kexit(2);
	}
	int mem = fdt_path_offset(dtb, "/memory");
	if (mem < 0 || fdt_first_reg(dtb, 0, mem, &base, &size) != FDT_OK || base != 0x40000000u ||
	    size < 16 * MiB || size > 2048u * MiB) {
		kputs("bench: error: the DTB has no usable /memory at 0x40000000 (16 MiB-2 GiB)\n");
		kexit(2);
	}
	boot.dtb = dtb;
	boot.ram_base = (u32)base;
	boot.ram_size = (u32)size;
	const char *args = fdt_getprop_string(dtb, fdt_path_offset(dtb, "/chosen"), "bootargs");
	boot.cmdline = args != NULL ? args : "";
	int hv = fdt_path_offset(dtb, "/hypervisor");
	const char *compat = fdt_getprop_string(dtb, hv, "compatible");
	boot.hypervisor = compat != NULL && strcmp(compat, TB_DT_COMPATIBLE) == 0;
	boot.user_code_pa = (u32)(uintptr_t)__user_lma;
	boot.user_code_size = (u32)(__user_end - __user_start);
	const char *mm = boot.hypervisor ? fdt_getprop_string(dtb, hv, "memory-module") : NULL;
	tb_snprintf(boot.mode, sizeof(boot.mode), "%s",
		    boot.hypervisor ? (mm ? mm : "hyp") : "native");
}

/* init_frames: every frame of RAM but the kernel image, its frame table and the DTB. */
static void init_frames(void)
{
	u32 count = boot.ram_size / FRAME_SIZE;
	u32 table = ALIGN_UP((u32)(uintptr_t)__kernel_end, FRAME_SIZE);
	frames_init(&kframes, boot.ram_base, count, (u16 *)(uintptr_t)table);
	frames_reserve(&kframes, boot.ram_base, table + count * sizeof(u16) - boot.ram_base);
	u32 dtb = (u32)(uintptr_t)boot.dtb;
	frames_reserve(&kframes, dtb, fdt_total_size(boot.dtb));
}

/* ---- command line ---- */

static struct benchmark *find_bench(const char *name, size_t len)
{
	for (struct benchmark *const *b = __benchmarks_start; b < __benchmarks_end; b++) {
		if (strlen((*b)->name) == len && strncmp((*b)->name, name, len) == 0) {
			return *b;
		}
	}
	return NULL;
}

static void list_benchmarks(void)
{
	kputs("bench: benchmarks:");
	for (struct benchmark *const *b = __benchmarks_start; b < __benchmarks_end; b++) {
		kprintf(" %s", (*b)->name);
	}
	kputs("\n");
}

__attribute__((noreturn)) static void bad_input(const char *what, const char *tok, size_t len)
{
	char shown[64];
	size_t n = len < sizeof(shown) - 1 ? len : sizeof(shown) - 1;
	memcpy(shown, tok, n);
	shown[n] = 0;
	kprintf("bench: error: %s: '%s'\n", what, shown);
	list_benchmarks();
	kexit(2);
}

static void select_benchmarks(const char *v, size_t len)
{
	nselected = 0;
	if (len == 3 && strncmp(v, "all", 3) == 0) {
		return;
	}
	while (len > 0) {
		const char *comma = memchr(v, ',', len);
		size_t n = comma != NULL ? (size_t)(comma - v) : len;
		struct benchmark *b = find_bench(v, n);
		if (b == NULL) {
			bad_input("unknown benchmark", v, n);
		}
		KASSERT(nselected < MAX_SELECTED);
		selected[nselected++] = b;
		v += n;
		len -= n;
		if (len > 0) { /* skip the comma */
			v++;
			len--;
		}
	}
}

static u32 parse_number(const char *tok, size_t tlen, const char *v, size_t vlen, u32 min, u32 max)
{
	u64 n;
	if (!tb_parse_u64(v, vlen, true, &n) || n < min || n > max) {
		char what[80];
		tb_snprintf(what, sizeof(what), "value out of range [%u, %u] or not a number", min,
			    max);
		bad_input(what, tok, tlen);
	}
	return (u32)n;
}

static void set_param(const char *tok, size_t tlen, const char *key, size_t klen, const char *v,
		      size_t vlen)
{
	const char *dot = memchr(key, '.', klen);
	struct benchmark *b = dot != NULL ? find_bench(key, (size_t)(dot - key)) : NULL;
	if (b == NULL) {
		bad_input("unknown option or benchmark", tok, tlen);
	}
	const char *pname = dot + 1;
	size_t plen = klen - (size_t)(pname - key);
	for (u32 i = 0; i < BENCH_MAX_PARAMS && b->params[i].name != NULL; i++) {
		struct bench_param *p = &b->params[i];
		if (strlen(p->name) == plen && strncmp(p->name, pname, plen) == 0) {
			p->value = parse_number(tok, tlen, v, vlen, p->min, p->max);
			return;
		}
	}
	bad_input("unknown benchmark parameter", tok, tlen);
}

static bool key_is(const char *key, size_t klen, const char *want)
{
	return klen == strlen(want) && strncmp(key, want, klen) == 0;
}

static void parse_cmdline(void)
{
	const char *cur = boot.cmdline;
	const char *tok;
	size_t len;
	while ((tok = tb_token(&cur, &len)) != NULL) {
		const char *eq = memchr(tok, '=', len);
		if (eq == NULL) {
			bad_input("expected key=value", tok, len);
		}
		size_t klen = (size_t)(eq - tok);
		const char *v = eq + 1;
		size_t vlen = len - klen - 1;
		if (key_is(tok, klen, "bench")) {
			select_benchmarks(v, vlen);
		} else if (key_is(tok, klen, "fmt")) {
			if (vlen == 5 && strncmp(v, "short", 5) == 0) {
				mmcfg.fmt = &pt_short;
			} else if (vlen == 4 && strncmp(v, "lpae", 4) == 0) {
				mmcfg.fmt = &pt_lpae_s1;
			} else {
				bad_input("fmt must be short or lpae", tok, len);
			}
		} else if (key_is(tok, klen, "split")) {
			mmcfg.split = parse_number(tok, len, v, vlen, 2, 3);
		} else if (key_is(tok, klen, "reps")) {
			reps = parse_number(tok, len, v, vlen, 1, 1000);
		} else {
			set_param(tok, len, tok, klen, v, vlen);
		}
	}
	if (nselected == 0) {
		for (struct benchmark *const *b = __benchmarks_start; b < __benchmarks_end; b++) {
			KASSERT(nselected < MAX_SELECTED);
			selected[nselected++] = *b;
		}
	}
}

/* ---- the framework of bench.h ---- */

u32 param(const struct bench_run *r, const char *name)
{
	for (u32 i = 0; i < BENCH_MAX_PARAMS && r->b->params[i].name != NULL; i++) {
		if (strcmp(r->b->params[i].name, name) == 0) {
			return r->b->params[i].value;
		}
	}
	kpanic("benchmark %s has no parameter %s", r->b->name, name);
}

void measure_begin(struct bench_run *r)
{
	KASSERT(!r->measured);
	measure_overflowed();
	measure_take(&r->begin, true);
}

void measure_end(struct bench_run *r, u64 ops)
{
	measure_take(&r->end, false);
	KASSERT(!r->measured);
	r->measured = true;
	if (measure_overflowed()) {
		bench_fail(r, "the phase overflowed a 32-bit PMU counter: make it shorter");
		return;
	}
	if (!r->failed) {
		result_line(r->b->name, r->rep, r->b->params, ops, &r->begin, &r->end);
	}
}

void bench_fail(struct bench_run *r, const char *fmt, ...)
{
	va_list ap;
	kprintf("FAIL bench=%s mode=%s rep=%u: ", r->b->name, boot.mode, r->rep);
	va_start(ap, fmt);
	kvprintf(fmt, ap);
	va_end(ap);
	kputs("\n");
	r->failed = true;
}

bool bench_failed(const struct bench_run *r)
{
	return r->failed;
}

u32 run_user(struct proc *p, const char *entry, u32 a0, u32 a1, u32 a2, u32 a3)
{
	user_entry_frame(p, (u32)(uintptr_t)entry, a0, a1, a2, a3);
	struct proc *one[1] = {p};
	run_procs(one, 1);
	return p->exit_code;
}

/* ---- main ---- */

void kmain(const void *dtb) __attribute__((noreturn));
void kmain(const void *dtb)
{
	read_dtb(dtb);
	parse_cmdline();
	init_frames();
	mm_init();
	measure_init();
	kprintf("bench: %s, %s tables, split %u, %u MiB, %u benchmark(s) x %u\n", boot.mode,
		mmcfg.fmt == &pt_short ? "short-descriptor" : "LPAE", mmcfg.split,
		boot.ram_size / MiB, nselected, reps);
	u32 failed = 0;
	for (u32 i = 0; i < nselected; i++) {
		struct benchmark *b = selected[i];
		if (b->needs_hypervisor && !boot.hypervisor) {
			kprintf("SKIP bench=%s mode=%s: needs the hypervisor\n", b->name,
				boot.mode);
			continue;
		}
		for (u32 rep = 0; rep < reps; rep++) {
			struct bench_run r = {.b = b, .rep = rep};
			u32 free_before = kframes.nfree;
			b->run(&r);
			if (!r.measured && !r.failed) {
				bench_fail(&r, "the benchmark measured nothing");
			}
			if (kframes.nfree != free_before) {
				bench_fail(&r, "leaked %d frames",
					   (int)(free_before - kframes.nfree));
			}
			failed += r.failed ? 1 : 0;
		}
	}
	kprintf("bench: %s (%u failed)\n", failed == 0 ? "all self-checks passed" : "FAILED",
		failed);
	kexit(failed == 0 ? 0 : 1);
}
