/* The shadow module's counters against events whose number is known: each experiment runs
 * once to warm up (its code and data shadowed, its abort handler's entry pinned), then once
 * between two counter snapshots, and prints "COUNT <experiment> <counter> <delta>" for every
 * shadow counter (tests/integration/test_shadow.py asserts them). On the guest's own LPAE
 * tables: a region page (non-global), an alias of the region's level-3 table, a VA mapped
 * nowhere, and a device block at an unassigned IPA. Needs the hypervisor with MM=shadow. */
#include "rt.h"
#include "rt_lpae.h"
#include "rt_pt.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/lpae.h"
#include "tb/str.h"

#define REGION_VA     0x10000000u /* one page; its level-3 table is aliased at ALIAS_VA */
#define ALIAS_VA      0x20000000u /* the next page, ALIAS_VA + 4 KiB, is mapped nowhere */
#define UNMAPPED_VA   0x30000000u
#define HOLE_VA	      0x60000000u  /* a device block at the first IPA past RAM: unassigned */
#define FRAMES_OFFSET (128u * MiB) /* the region's frames */
#define NEW_SLOT      5u	   /* an invalid descriptor of the level-3 table */
#define LAST_WORD     (PAGE_SIZE_4K - 4u)
#define ASID_A	      1u
#define ASID_B	      2u

static const u64 normal = RT_LPAE_NORMAL;
static const u64 device = RT_ATTR_DEVICE | ((u64)LPAE_AP_RW_PL1 << LPAE_AP_SHIFT) | LPAE_AF;

#define SHADOW_PREFIX "shadow."
#define PREFIX_LEN    (sizeof(SHADOW_PREFIX) - 1)

/* Every counter of the shadow module (mm-shadow/shadow.h). */
static const char *const names[] = {
    SHADOW_PREFIX "misses_data",
    SHADOW_PREFIX "misses_prefetch",
    SHADOW_PREFIX "fills",
    SHADOW_PREFIX "genuine_faults",
    SHADOW_PREFIX "spurious",
    SHADOW_PREFIX "device_accesses",
    SHADOW_PREFIX "pinned",
    SHADOW_PREFIX "stores_emulated",
    SHADOW_PREFIX "writes_lent",
    SHADOW_PREFIX "lent_taken_back",
    SHADOW_PREFIX "pt_writes_caught",
    SHADOW_PREFIX "pt_writes_emulated",
    SHADOW_PREFIX "pt_writes_deferred",
    SHADOW_PREFIX "oos_marks",
    SHADOW_PREFIX "resyncs",
    SHADOW_PREFIX "resync_changes",
    SHADOW_PREFIX "frames_protected",
    SHADOW_PREFIX "unshadowed",
    SHADOW_PREFIX "rmap_inserts",
    SHADOW_PREFIX "rmap_removes",
    SHADOW_PREFIX "zaps",
    SHADOW_PREFIX "tables",
    SHADOW_PREFIX "tables_freed",
    SHADOW_PREFIX "roots_built",
    SHADOW_PREFIX "root_hits",
    SHADOW_PREFIX "root_misses",
    SHADOW_PREFIX "evictions",
    SHADOW_PREFIX "pool_exhausted",
    SHADOW_PREFIX "tlbi_all",
    SHADOW_PREFIX "tlbi_asid",
    SHADOW_PREFIX "tlbi_mva",
    SHADOW_PREFIX "tlbi_mvaa",
    SHADOW_PREFIX "wr_sctlr",
    SHADOW_PREFIX "wr_ttbr0",
    SHADOW_PREFIX "wr_ttbr1",
    SHADOW_PREFIX "wr_ttbcr",
    SHADOW_PREFIX "wr_dacr",
    SHADOW_PREFIX "wr_contextidr",
    SHADOW_PREFIX "wr_prrr_nmrr",
    SHADOW_PREFIX "wr_amair",
    SHADOW_PREFIX "wr_fault_regs",
    SHADOW_PREFIX "wr_vbar",
    SHADOW_PREFIX "wr_other",
    SHADOW_PREFIX "rd_sctlr",
    SHADOW_PREFIX "rd_ttbr0",
    SHADOW_PREFIX "rd_ttbr1",
    SHADOW_PREFIX "rd_ttbcr",
    SHADOW_PREFIX "rd_dacr",
    SHADOW_PREFIX "rd_contextidr",
    SHADOW_PREFIX "rd_vbar",
    SHADOW_PREFIX "rd_other",
};

static int index_of[ARRAY_SIZE(names)];
static u64 s0[RT_MAX_COUNTERS] __attribute__((aligned(8)));
static u64 s1[RT_MAX_COUNTERS] __attribute__((aligned(8)));
static struct pt_regime regime;
static u64 ttbr0_a;

/* on_abort: a data abort resumes past its instruction, a prefetch abort at the return
 * address of rt_call_addr. */
static bool on_abort(u32 vector, struct rt_frame *f)
{
	if (vector == VEC_DABT) {
		f->pc -= 4; /* LR_abt is the instruction + 8 (B1.9.8) */
		return true;
	}
	if (vector == VEC_PABT) {
		f->pc = f->lr_svc;
		return true;
	}
	return false;
}

static void map(u32 va, paddr_t pa, u32 size, u64 attrs, u32 shift)
{
	enum pt_status st = pt_map(&regime, &rt_pt_mem, va, pa, size, attrs, shift);
	if (st != PT_OK) {
		rt_printf("shcount: mapping 0x%08x failed: %s\n", va, pt_status_str(st));
		rt_exit(1);
	}
}

/* build: RAM and the UART identity-mapped (global blocks), the region page, the alias of its
 * level-3 table, the unassigned device block; then the MMU on, in address space A. */
static void build(void)
{
	u32 ram = rt_ram_base();
	pt_regime_init(&regime, &pt_lpae_s1, rt_pt_alloc(PAGE_SIZE_4K), 32);
	map(ram, ram, rt_ram_size(), normal, 21);
	map(RT_UART & ~MASK(21), RT_UART & ~MASK(21), 2 * MiB, device, 21);
	map(HOLE_VA, ram + rt_ram_size(), 2 * MiB, device, 21);
	map(REGION_VA, ram + FRAMES_OFFSET, PAGE_SIZE_4K, normal | LPAE_NG, 12);
	struct pt_walk w;
	pt_walk(&regime, &rt_pt_mem, REGION_VA, &w);
	map(ALIAS_VA, ALIGN_DOWN(w.desc_pa[2], (paddr_t)PAGE_SIZE_4K), PAGE_SIZE_4K,
	    normal | LPAE_NG, 12);
	write_prrr(RT_MAIR0);
	write_ttbcr(TTBCR_EAE | (LPAE_SH_INNER << 12) | (RGN_WBWA << 10) | (RGN_WBWA << 8));
	ttbr0_a = regime.root | ((u64)ASID_A << LPAE_TTBR_ASID_SHIFT);
	write_ttbr0_64(ttbr0_a);
	isb();
	rt_mmu_enable();
}

static u32 load(u32 va)
{
	return *(volatile u32 *)(uintptr_t)va;
}

/* fault: a load the guest's own tables refuse (translation fault). */
static void fault(void)
{
	(void)load(UNMAPPED_VA);
}

/* pfault: a branch to a VA the guest's own tables do not map (prefetch abort). */
static void pfault(void)
{
	rt_call_addr(UNMAPPED_VA);
}

/* unassigned: a load from a device mapping of an IPA no device answers (external abort). */
static void unassigned(void)
{
	(void)load(HOLE_VA);
}

/* tlbi: every TLB maintenance operation of the PL1&0 regime once (B4.2.2): the unified,
 * instruction, data and Inner Shareable forms. */
static void tlbi(void)
{
	u32 mva = REGION_VA | ASID_A;
	dsb();
	tlbi_all();
	__asm__ volatile("mcr p15, 0, %0, c8, c5, 0" ::"r"(0) : "memory"); /* ITLBIALL */
	__asm__ volatile("mcr p15, 0, %0, c8, c6, 0" ::"r"(0) : "memory"); /* DTLBIALL */
	tlbi_allis();
	tlbi_mva(mva);
	__asm__ volatile("mcr p15, 0, %0, c8, c5, 1" ::"r"(mva) : "memory"); /* ITLBIMVA */
	__asm__ volatile("mcr p15, 0, %0, c8, c6, 1" ::"r"(mva) : "memory"); /* DTLBIMVA */
	tlbi_mvais(mva);
	tlbi_asid(ASID_A);
	__asm__ volatile("mcr p15, 0, %0, c8, c5, 2" ::"r"(ASID_A) : "memory"); /* ITLBIASID */
	__asm__ volatile("mcr p15, 0, %0, c8, c6, 2" ::"r"(ASID_A) : "memory"); /* DTLBIASID */
	tlbi_asidis(ASID_A);
	tlbi_mvaa(REGION_VA);
	tlbi_mvaais(REGION_VA);
	dsb();
	isb();
}

/* regs: each trapped register access that changes nothing: TTBR0 and TTBR1 written back
 * (64-bit and, TTBR1, 32-bit), read in both widths; AMAIR0/1, DFAR and IFAR written; the
 * registers HSTR traps read. */
static void regs(void)
{
	volatile u32 sink;
	write_ttbr0_64(read_ttbr0_64());
	write_ttbr1_64(read_ttbr1_64());
	write_ttbr1(read_ttbr1());
	sink = read_ttbr0();
	sink = read_ttbcr();
	sink = read_sctlr();
	sink = read_dacr();
	sink = read_contextidr();
	sink = read_vbar();
	write_amair0(0);
	write_amair1(0);
	write_dfar(read_dfar());
	write_ifar(read_ifar());
	isb();
	(void)sink;
}

/* ptwrite: two descriptors of the region's (write-protected) level-3 table made valid
 * through its alias, then a TLBIALL. */
static void ptwrite(void)
{
	volatile u64 *t = (volatile u64 *)(uintptr_t)ALIAS_VA;
	u64 d =
	    pt_lpae_s1.make_leaf(rt_ram_base() + FRAMES_OFFSET + PAGE_SIZE_4K, 2, normal | LPAE_NG);
	t[NEW_SLOT] = d;
	t[NEW_SLOT + 1] = d;
	rt_tlb_flush_all();
	t[NEW_SLOT] = 0; /* back as they were for the measured run (outside it: see main) */
	t[NEW_SLOT + 1] = 0;
	rt_tlb_flush_all();
}

/* partial: after a TLBIALL (the table back in sync if it was not), an STM of two words
 * from the last word of the alias (the level-3 table, write protected) into the page after
 * it, which nothing maps: the first word is a caught page-table write, the second a
 * translation fault of the guest's own. */
static void partial(void)
{
	rt_tlb_flush_all();
	register u32 r0 __asm__("r0") = 0, r1 __asm__("r1") = 0;
	u32 at = ALIAS_VA + LAST_WORD;
	__asm__ volatile("stm %0, {%1, %2}" ::"r"(at), "r"(r0), "r"(r1) : "memory");
}

/* roots: a switch to an address space never shadowed (a new ASID each time: its root built
 * at the first miss, the next fetch), and back to the first. */
static void roots(void)
{
	static u32 asid = ASID_B;
	write_ttbr0_64(regime.root | ((u64)asid++ << LPAE_TTBR_ASID_SHIFT));
	isb();
	write_ttbr0_64(ttbr0_a);
	isb();
}

/* regime: MAIR0 written back unchanged: every root dropped (what every space depends on),
 * and the current space's rebuilt at the next fetch, with no switch. */
static void regime_drop(void)
{
	write_prrr(read_prrr());
	isb();
}

struct experiment {
	const char *name;
	void (*run)(void);
};

static const struct experiment experiments[] = {
    {"fault", fault},	  {"pfault", pfault}, {"unassigned", unassigned},
    {"tlbi", tlbi},	  {"regs", regs},     {"ptwrite", ptwrite},
    {"partial", partial}, {"roots", roots},   {"regime", regime_drop},
};

/* measure: e once to warm up, once between snapshots; its counts printed. */
static void measure(const struct experiment *e)
{
	e->run();
	rt_snapshot(s0);
	e->run();
	rt_snapshot(s1);
	for (u32 i = 0; i < ARRAY_SIZE(names); i++) {
		rt_printf("COUNT %s %s %llu\n", e->name, names[i] + PREFIX_LEN,
			  s1[index_of[i]] - s0[index_of[i]]);
	}
}

int main(void)
{
	if (!rt_hyp_present()) {
		rt_printf("shcount: needs the hypervisor (MM=shadow)\n");
		return 1;
	}
	for (u32 i = 0; i < ARRAY_SIZE(names); i++) {
		index_of[i] = rt_counter_need("shcount", names[i], " (run with MM=shadow)");
	}
	rt_set_handler(on_abort);
	build();
	/* A fill through the region's level-3 table: a source of the shadow now, and its
	 * frame write-protected; the alias shadowed (read-only). */
	(void)load(REGION_VA);
	(void)load(ALIAS_VA);
	for (u32 i = 0; i < ARRAY_SIZE(experiments); i++) {
		measure(&experiments[i]);
	}
	write_sctlr(read_sctlr() & ~SCTLR_M);
	isb();
	return 0;
}
