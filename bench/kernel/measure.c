/* Measurement: the guest's PMU (instructions at PL1 and PL0, cycles) on counters below
 * HDCR.HPMN, the hypervisor's counters through the testbed ABI, and the kernel's own event
 * counts; one versioned result line per measured phase (docs/benchmarks.md). */
#include "measure.h"
#include "bench.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/fmt.h"
#include "tb/hcall.h"
#include "tb/str.h"

#define CTR_PL1 0u /* INST_RETIRED at PL1 only */
#define CTR_PL0 1u /* INST_RETIRED at PL0 only */
#define PMCR_C	BIT(2)

static char hyp_names[HYP_MAX_COUNTERS][TB_COUNTER_NAME_LEN] __attribute__((aligned(8)));
static u32 hyp_n;
static u64 hyp_bracket[HYP_MAX_COUNTERS]; /* the deltas of an empty measured phase */

static u32 read_counter(u32 idx)
{
	write_pmselr(idx);
	isb();
	return read_pmxevcntr();
}

static void hyp_snapshot(u64 *out)
{
	register u32 r0 __asm__("r0") = TB_HC_SNAPSHOT;
	register u32 r1 __asm__("r1") = (u32)(uintptr_t)out;
	register u32 r2 __asm__("r2") = HYP_MAX_COUNTERS * sizeof(u64);
	__asm__ volatile(".arch_extension virt\n hvc #0" : "+r"(r0) : "r"(r1), "r"(r2) : "memory");
	if ((s32)r0 < 0 || r0 != hyp_n) {
		kpanic("hypervisor counter snapshot failed (%d)", (int)r0);
	}
}

/* sample: everything a measurement reads, in the order that keeps the snapshot calls out
 * of the guest's counts as far as possible. */
static void sample(struct sample *s, bool begin)
{
	if (begin && boot.hypervisor) {
		hyp_snapshot(s->hyp);
	}
	s->k = kstats;
	s->pl1 = read_counter(CTR_PL1);
	s->pl0 = read_counter(CTR_PL0);
	s->cycles = read_pmccntr();
	if (!begin && boot.hypervisor) {
		hyp_snapshot(s->hyp);
	}
}

void measure_init(void)
{
	/* Guest counters 0 and 1, below any HPMN a hypervisor sets (platform-facts.md). The
	 * counters are never reset with PMCR.P (QEMU would reset the hypervisor's too): every
	 * figure is a difference. */
	write_pmselr(CTR_PL1);
	write_pmxevtyper(PMEVT_INST_RETIRED | PMEVT_U);
	write_pmselr(CTR_PL0);
	write_pmxevtyper(PMEVT_INST_RETIRED | PMEVT_P);
	write_pmcntenset(BIT(CTR_PL1) | BIT(CTR_PL0) | BIT(31));
	write_pmcr(read_pmcr() | PMCR_E);
	isb();
	if (!boot.hypervisor) {
		return;
	}
	register u32 r0 __asm__("r0") = TB_HC_DESCRIBE;
	register u32 r1 __asm__("r1") = (u32)(uintptr_t)hyp_names;
	register u32 r2 __asm__("r2") = sizeof(hyp_names);
	__asm__ volatile(".arch_extension virt\n hvc #0" : "+r"(r0) : "r"(r1), "r"(r2) : "memory");
	if ((s32)r0 <= 0) {
		kpanic("the hypervisor refused to describe its counters (%d)", (int)r0);
	}
	hyp_n = r0;
	/* The cost of an empty phase (the two snapshot calls), per counter: the least over a
	 * few brackets, since the first may also pay one-time work of the hypervisor (a shadow
	 * miss on a page not yet touched). */
	for (u32 k = 0; k < 3; k++) {
		struct sample a, b;
		sample(&a, true);
		sample(&b, false);
		for (u32 i = 0; i < hyp_n; i++) {
			u64 d = b.hyp[i] - a.hyp[i];
			hyp_bracket[i] = k == 0 || d < hyp_bracket[i] ? d : hyp_bracket[i];
		}
	}
}

void measure_take(struct sample *s, bool begin)
{
	sample(s, begin);
}

bool measure_overflowed(void)
{
	/* PMOVSR: a 32-bit counter wrapped during the phase (too long to measure exactly). */
	u32 ovs = read_pmovsr();
	write_pmovsr(ovs);
	return (ovs & (BIT(CTR_PL1) | BIT(CTR_PL0) | BIT(31))) != 0;
}

/* ---- result lines ---- */

static void kv_u64(const char *key, u64 v)
{
	kprintf(" %s=%llu", key, (unsigned long long)v);
}

void result_line(const char *bench, u32 rep, const struct bench_param *params, u64 ops,
		 const struct sample *a, const struct sample *b)
{
	kprintf("RESULT %d bench=%s mode=%s fmt=%s split=%u rep=%u", RESULT_FORMAT_VERSION, bench,
		boot.mode, mmcfg.fmt == &pt_short ? "short" : "lpae", mmcfg.split, rep);
	for (u32 i = 0; i < BENCH_MAX_PARAMS && params[i].name != NULL; i++) {
		kprintf(" %s=%u", params[i].name, params[i].value);
	}
	kv_u64("ops", ops);
	kv_u64("pl1_insn", (u32)(b->pl1 - a->pl1));
	kv_u64("pl0_insn", (u32)(b->pl0 - a->pl0));
	kv_u64("cycles", (u32)(b->cycles - a->cycles));
	kv_u64("k.page_faults", b->k.page_faults - a->k.page_faults);
	kv_u64("k.cow_faults", b->k.cow_faults - a->k.cow_faults);
	kv_u64("k.tlbi_va", b->k.tlbi_va - a->k.tlbi_va);
	kv_u64("k.tlbi_asid", b->k.tlbi_asid - a->k.tlbi_asid);
	kv_u64("k.tlbi_all", b->k.tlbi_all - a->k.tlbi_all);
	kv_u64("k.ctx_switches", b->k.ctx_switches - a->k.ctx_switches);
	kv_u64("k.syscalls", b->k.syscalls - a->k.syscalls);
	for (u32 i = 0; i < hyp_n; i++) {
		char key[8 + TB_COUNTER_NAME_LEN];
		tb_snprintf(key, sizeof(key), "hyp.%s", hyp_names[i]);
		kv_u64(key, b->hyp[i] - a->hyp[i] - hyp_bracket[i]);
	}
	kprintf("\n");
}
