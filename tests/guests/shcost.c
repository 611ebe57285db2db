/* The shadow module's cost per event, in Hyp-mode instructions (exact under -icount shift=0),
 * on the guest's own LPAE tables: a shadow miss (first touch of a page), a page-table write
 * (a descriptor stored through a mapping of the guest's own level-3 table, a batch of n
 * ending with a TLBIALL: under shadow.sync=emulate with shadow.flood=0 each is caught and
 * emulated; the other settings let most through), a trapped TLBIMVA of a shadowed page, a
 * shadowed page's descriptor rewritten (each caught write removes a shadow entry), and a
 * switch to a cached root (TTBR0 written back to an address space already shadowed).
 * Hypervisor only; n=<ops per phase>, at most 1000; isa=t32: the page-table writes are T32
 * STRD.W (as a Thumb-2 kernel makes them), else A32 STRD. Prints "COST <event> <per-op>
 * <ops> <event-count>", the cost of an empty snapshot bracket subtracted. */
#include "rt.h"
#include "rt_lpae.h"
#include "rt_pt.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/lpae.h"
#include "tb/str.h"

#define REGION_VA     0x10000000u /* 2048 page slots: four level-3 tables */
#define REGION_SLOTS  2048u	  /* slot 0 of each table is touched first, the others measured */
#define SLOTS_PER_L3  512u
#define WRITE_SLOT0   1025u	  /* the caught writes go to tables 3 and 4 */
#define ALIAS_VA      0x20000000u /* the region's level-3 tables, read/write */
#define FRAMES_OFFSET (128u * MiB)
#define MAX_OPS	      1000u
#define ASID_A	      1u
#define ASID_B	      2u

static const u64 normal = RT_LPAE_NORMAL;

static u64 s0[RT_MAX_COUNTERS] __attribute__((aligned(8)));
static u64 s1[RT_MAX_COUNTERS] __attribute__((aligned(8)));
static int i_hyp;
static u64 bracket;
static struct pt_regime regime;

static const char *const phases[] = {"shadow_miss", "pt_write", "tlbimva", "pt_remap",
				     "root_switch"};

/* measured: does this run measure phase event? only=<event> measures one (for profiling);
 * the others do not run, except the misses that shadow the pages the TLBIMVAs and the
 * remaps name. */
static bool measured(const char *event)
{
	for (u32 i = 0; i < ARRAY_SIZE(phases); i++) {
		if (rt_arg_is("only", phases[i])) {
			return strcmp(phases[i], event) == 0;
		}
	}
	return true;
}

static int need(const char *name)
{
	return rt_counter_need("shcost", name, " (run with MM=shadow)");
}

static void report(const char *event, u32 ops, const char *counter)
{
	int i = need(counter);
	u64 hyp = s1[i_hyp] - s0[i_hyp] - bracket;
	rt_printf("COST %s %llu %u %llu\n", event, (hyp + ops / 2) / ops, ops, s1[i] - s0[i]);
}

static void map(u32 va, paddr_t pa, u32 size, u64 attrs, u32 shift)
{
	enum pt_status st = pt_map(&regime, &rt_pt_mem, va, pa, size, attrs, shift);
	if (st != PT_OK) {
		rt_printf("shcost: mapping 0x%08x failed: %s\n", va, pt_status_str(st));
		rt_exit(1);
	}
}

/* miss_slot: the i-th slot first touched by the misses (slot 0 of each table is touched
 * before: see main). */
static u32 miss_slot(u32 i)
{
	return 1 + i + i / (SLOTS_PER_L3 - 1);
}

static u32 frame(u32 slot)
{
	return rt_ram_base() + FRAMES_OFFSET + slot * PAGE_SIZE_4K;
}

/* build: RAM and the UART identity-mapped (global blocks), the region's first n slots and
 * one slot in each of its other tables (non-global pages), the region's tables aliased. */
static void build(u32 n)
{
	pt_regime_init(&regime, &pt_lpae_s1, rt_pt_alloc(PAGE_SIZE_4K), 32);
	map(rt_ram_base(), rt_ram_base(), rt_ram_size(), normal, 21);
	map(RT_UART & ~MASK(21), RT_UART & ~MASK(21), 2 * MiB,
	    RT_ATTR_DEVICE | ((u64)LPAE_AP_RW_PL1 << LPAE_AP_SHIFT) | LPAE_AF, 21);
	for (u32 slot = 0; slot < REGION_SLOTS; slot++) {
		if (slot <= miss_slot(n - 1) || slot % SLOTS_PER_L3 == 0) {
			map(REGION_VA + slot * PAGE_SIZE_4K, frame(slot), PAGE_SIZE_4K,
			    normal | LPAE_NG, 12);
		}
	}
	for (u32 t = 0; t < REGION_SLOTS / SLOTS_PER_L3; t++) {
		struct pt_walk w;
		pt_walk(&regime, &rt_pt_mem, REGION_VA + t * SLOTS_PER_L3 * PAGE_SIZE_4K, &w);
		map(ALIAS_VA + t * PAGE_SIZE_4K, ALIGN_DOWN(w.desc_pa[2], (paddr_t)PAGE_SIZE_4K),
		    PAGE_SIZE_4K, normal | LPAE_NG, 12);
	}
}

static void switch_to(u32 asid)
{
	write_ttbr0_64(regime.root | ((u64)asid << LPAE_TTBR_ASID_SHIFT));
	isb();
}

static void mmu_on(void)
{
	write_prrr(RT_MAIR0);
	write_ttbcr(TTBCR_EAE | (LPAE_SH_INNER << 12) | (RGN_WBWA << 10) | (RGN_WBWA << 8));
	switch_to(ASID_A);
	rt_mmu_enable();
}

/* t32_strd: STRD.W of lo, hi at va, in T32 (A8.8.210 T1). */
void t32_strd(u32 lo, u32 hi, u32 va);
__asm__(".text\n"
	".balign 4\n"
	".global t32_strd\n"
	".type t32_strd, %function\n"
	".thumb\n"
	".thumb_func\n"
	"t32_strd:\n"
	"	strd	r0, r1, [r2]\n"
	"	bx	lr\n"
	".arm\n");

static bool t32; /* isa=t32 */

/* store_desc: descriptor d written at va with one STRD, T32 or A32 (isa=). */
static void store_desc(u32 va, u64 d)
{
	if (t32) {
		t32_strd((u32)d, (u32)(d >> 32), va);
	} else {
		__asm__ volatile("strd %0, %H0, [%1]" ::"r"(d), "r"(va) : "memory");
	}
}

/* pt_writes: n descriptors made valid through the alias of their (write-protected) table,
 * then one TLB operation. */
static void pt_writes(u32 n)
{
	rt_snapshot(s0);
	for (u32 i = 0, slot = WRITE_SLOT0; i < n; i++, slot++) {
		slot += slot % SLOTS_PER_L3 == 0 ? 1 : 0;
		store_desc(ALIAS_VA + slot * 8,
			   pt_lpae_s1.make_leaf(frame(slot), 2, normal | LPAE_NG));
	}
	/* The maintenance that ends the batch, measured with it: under shadow.sync=unsync the
	 * frames written come back there (the writes' deferred cost). */
	rt_tlb_flush_all();
	rt_snapshot(s1);
	report("pt_write", n, "shadow.pt_writes_caught");
}

/* tlbimvas: TLBIMVA of each page the misses shadowed. */
static void tlbimvas(u32 n)
{
	dsb();
	rt_snapshot(s0);
	for (u32 i = 0; i < n; i++) {
		tlbi_mva((REGION_VA + miss_slot(i) * PAGE_SIZE_4K) | ASID_A);
	}
	rt_snapshot(s1);
	dsb();
	isb();
	report("tlbimva", n, "shadow.tlbi_mva");
}

/* pt_remaps: the descriptor of each page the misses shadowed rewritten read-only (as an
 * mprotect does) through the alias of its (write-protected) table, then one TLB operation:
 * each caught write removes a shadow entry. */
static void pt_remaps(u32 n)
{
	const u64 ro = ((u64)LPAE_AP_RO_PL1 << LPAE_AP_SHIFT) |
		       ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT) | LPAE_AF | LPAE_NG;
	rt_snapshot(s0);
	for (u32 i = 0; i < n; i++) {
		u32 slot = miss_slot(i);
		store_desc(ALIAS_VA + slot * 8, pt_lpae_s1.make_leaf(frame(slot), 2, ro));
	}
	rt_tlb_flush_all();
	rt_snapshot(s1);
	report("pt_remap", n, "shadow.pt_writes_caught");
}

/* root_switches: both address spaces shadowed once, then n switches between them. */
static void root_switches(u32 n)
{
	switch_to(ASID_B);
	(void)*(volatile u32 *)(uintptr_t)REGION_VA;
	switch_to(ASID_A);
	u32 switches = n & ~1u;
	rt_snapshot(s0);
	for (u32 i = 0; i < switches; i++) {
		switch_to(i % 2 == 0 ? ASID_B : ASID_A);
	}
	rt_snapshot(s1);
	report("root_switch", switches, "shadow.root_hits");
}

int main(void)
{
	u32 n = MAX_OPS;
	rt_arg_u32("n", &n);
	t32 = rt_arg_is("isa", "t32");
	if (!rt_hyp_present() || n == 0 || n > MAX_OPS) {
		rt_printf("shcost: needs the hypervisor (MM=shadow) and 1 <= n <= %u\n", MAX_OPS);
		return 1;
	}
	if (rt_ram_size() < FRAMES_OFFSET + REGION_SLOTS * PAGE_SIZE_4K) {
		rt_printf("shcost: needs at least %u MiB of RAM, has %u MiB\n",
			  (FRAMES_OFFSET + REGION_SLOTS * PAGE_SIZE_4K) / MiB, rt_ram_size() / MiB);
		return 2;
	}
	i_hyp = need("core.hyp_instructions");
	need("shadow.fills");
	build(n);
	mmu_on();

	/* A fill through each level-3 table: all four are sources of the shadow now, and
	 * write-protected. */
	volatile u32 sum = 0;
	for (u32 t = 0; t < REGION_SLOTS / SLOTS_PER_L3; t++) {
		sum += *(volatile u32 *)(uintptr_t)(REGION_VA + t * SLOTS_PER_L3 * PAGE_SIZE_4K);
	}

	rt_snapshot(s0);
	rt_snapshot(s1);
	bracket = s1[i_hyp] - s0[i_hyp];
	rt_printf("COST snapshot_bracket %llu 1 0\n", bracket);

	/* First touch of n pages: one shadow miss and fill each (the TLBIMVAs below are of
	 * shadowed pages, as the event is defined). */
	if (measured("shadow_miss") || measured("tlbimva") || measured("pt_remap")) {
		rt_snapshot(s0);
		for (u32 i = 0; i < n; i++) {
			sum +=
			    *(volatile u32 *)(uintptr_t)(REGION_VA + miss_slot(i) * PAGE_SIZE_4K);
		}
		rt_snapshot(s1);
		report("shadow_miss", n, "shadow.fills");
	}

	/* n descriptors made valid through the alias of their (write-protected) table. */
	if (measured("pt_write")) {
		pt_writes(n);
	}
	if (measured("tlbimva")) {
		tlbimvas(n);
	}
	if (measured("pt_remap")) {
		pt_remaps(n);
	}
	if (measured("root_switch")) {
		root_switches(n);
	}
	(void)sum;
	write_sctlr(read_sctlr() & ~SCTLR_M);
	isb();
	return 0;
}
