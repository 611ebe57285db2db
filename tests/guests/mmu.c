/* Turns on its own stage-1 MMU (fmt=short: short-descriptor sections and pages; fmt=lpae:
 * LPAE blocks and pages), built with the project's shared table builder, then checks that
 * mappings translate, that its own translation and permission faults reach it with the
 * right FSR, that device accesses (with and without syndrome) still work, that a
 * descriptor rewritten again and again by one store instruction keeps its mapping, and that
 * an unassigned physical address gives an external abort. ttbcr=reset (fmt=short): TTBCR
 * is left at its reset value, never written. */
#include "rt.h"
#include "rt_pt.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/lpae.h"
#include "tb/pt.h"
#include "tb/short_desc.h"

#define ALIAS_SECTION_VA 0x80000000u
#define ALIAS_PAGE_VA	 0x80400000u
#define RO_PAGE_VA	 0x80600000u
#define UNMAPPED_VA	 0x70000000u

/* Attributes per format: normal write-back memory, device memory, read-only normal memory. */
struct attrs {
	u64 normal, device, ro;
	u32 block_shift;
};

static const struct attrs short_attrs = {
    /* TEX=001 C=1 B=1: normal, write-back write-allocate; AP=11: full access. */
    .normal = (1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B | (3u << SD_SEC_AP_SHIFT),
    /* TEX=000 C=0 B=1: shareable device. */
    .device = SD_SEC_B | (3u << SD_SEC_AP_SHIFT),
    /* APX=1 AP=01: read-only at PL1 (section layout; the builder moves it for pages). */
    .ro = (1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B | (1u << SD_SEC_AP_SHIFT) | SD_SEC_APX,
    .block_shift = 20,
};

#define MAIR_NORMAL_IDX 0u /* MAIR0 byte 0: 0xff, normal write-back */
#define MAIR_DEVICE_IDX 1u /* MAIR0 byte 1: 0x04, device */
static const struct attrs lpae_attrs = {
    .normal = (MAIR_NORMAL_IDX << LPAE_ATTRINDX_SHIFT) | ((u64)LPAE_AP_RW_PL1 << LPAE_AP_SHIFT) |
	      ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT) | LPAE_AF,
    .device =
	(MAIR_DEVICE_IDX << LPAE_ATTRINDX_SHIFT) | ((u64)LPAE_AP_RW_PL1 << LPAE_AP_SHIFT) | LPAE_AF,
    .ro = (MAIR_NORMAL_IDX << LPAE_ATTRINDX_SHIFT) | ((u64)LPAE_AP_RO_PL1 << LPAE_AP_SHIFT) |
	  ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT) | LPAE_AF,
    .block_shift = 21,
};

/* Tables that come with the image, never written by the guest: the first access through them
 * is the first touch of their page, by the table walk itself (an S1PTW stage-2 fill). Each
 * fills its own 4 KiB page and maps PREMADE_VA to RAM + 10 MiB. */
#define PREMADE_VA 0x90000000u
#define PREMADE_PA 0x40a00000u
static const u32 premade_short[1024] __attribute__((aligned(4096))) = {
    [0] = PREMADE_PA | SD_L2_SMALL | (3u << SD_PG_AP_SHIFT) | (1u << SD_SMALL_TEX_SHIFT) | SD_PG_C |
	  SD_PG_B,
};
static const u64 premade_lpae[512] __attribute__((aligned(4096))) = {
    [0] =
	PREMADE_PA | LPAE_VALID | LPAE_TYPE_TABLE | ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT) | LPAE_AF,
};

/* A VA mapped (a supersection, or LPAE blocks) to PA 0x1_40000000: above 4 GiB, where
 * nothing is assigned. */
#define HIGH_VA 0xb0000000u
#define HIGH_PA 0x140000000ull

/* A VA whose last-level table is said to live at an unassigned physical address. */
#define LOST_TABLE_VA 0xa0000000u

/* install_table: point the entry one level above the last level for va at table. */
static void install_table(const struct pt_regime *r, bool lpae, u32 va, paddr_t table)
{
	struct pt_walk w;
	if (!lpae) {
		/* Domain 3 (a client, like domain 0): a walk fault at level 2 reports it. */
		rt_pt_mem.write(NULL, r->root + 4 * (va >> 20), 4,
				pt_short.make_table(table) | (3u << SD_DOMAIN_SHIFT));
		return;
	}
	/* The level-2 table of the 1 GiB region that holds ALIAS_SECTION_VA and va. */
	pt_walk(r, &rt_pt_mem, ALIAS_SECTION_VA, &w);
	paddr_t l2 = pt_next_table(&pt_lpae_s1, w.desc[0]);
	rt_pt_mem.write(NULL, l2 + 8 * ((va >> 21) & 511), 8, pt_lpae_s1.make_table(table));
}

static volatile u32 fault_fsr, fault_far;

static bool on_abort(u32 vector, struct rt_frame *f)
{
	if (vector != VEC_DABT) {
		return false;
	}
	fault_fsr = read_dfsr();
	fault_far = read_dfar();
	f->pc -= 4;
	return true;
}

static void map(const struct pt_regime *r, u32 va, paddr_t pa, u32 size, u64 attrs, u32 shift)
{
	enum pt_status st = pt_map(r, &rt_pt_mem, va, pa, size, attrs, shift);
	if (st != PT_OK) {
		rt_printf("mmu: mapping 0x%08x failed: %s\n", va, pt_status_str(st));
		rt_exit(1);
	}
}

static u32 load(u32 va)
{
	u32 v = 0xdeadbeefu;
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
	return v;
}

static void store(u32 va, u32 v)
{
	__asm__ volatile("str %1, [%0]" ::"r"(va), "r"(v) : "memory");
}

/* store_again: store v at va, from one instruction whatever the caller (a hypervisor that
 * caches what it decoded at a PC sees it again). */
static __attribute__((noinline)) void store_again(u32 va, u32 v)
{
	store(va, v);
}

/* rewrite_desc: the last-level descriptor that maps va (in a table the guest reaches
 * through the identity map of RAM) written with its own value, times times. */
static void rewrite_desc(const struct pt_regime *r, u32 va, u32 times)
{
	struct pt_walk w;
	if (pt_walk(r, &rt_pt_mem, va, &w) != PT_OK) {
		rt_printf("mmu: no walk for 0x%08x\n", va);
		rt_exit(1);
	}
	u32 at = (u32)w.desc_pa[w.depth - 1], d = load(at);
	for (u32 i = 0; i < times; i++) {
		store_again(at, d);
	}
}

static void expect_fault(const char *what, u32 va, bool write)
{
	fault_fsr = 0;
	fault_far = 0;
	if (write) {
		store(va, 1);
	} else {
		load(va);
	}
	rt_printf("%s at 0x%08x: DFSR 0x%03x, DFAR %s\n", what, va, fault_fsr,
		  fault_far == va ? "ok" : "WRONG");
}

int main(void)
{
	bool lpae = rt_arg_is("fmt", "lpae");
	const struct attrs *a = lpae ? &lpae_attrs : &short_attrs;
	struct pt_regime r;
	u32 ram = rt_ram_base(), hole = rt_ram_base() + rt_ram_size();
	rt_set_handler(on_abort);

	pt_regime_init(&r, lpae ? &pt_lpae_s1 : &pt_short, 0, 32);
	r.root = rt_pt_alloc(pt_table_bytes(&r, pt_start_index(&r)) < 4096
				 ? 4096
				 : pt_table_bytes(&r, pt_start_index(&r)));
	map(&r, ram, ram, rt_ram_size(), a->normal, a->block_shift);
	map(&r, RT_UART & ~MASK(a->block_shift), RT_UART & ~MASK(a->block_shift),
	    BIT(a->block_shift), a->device, a->block_shift);
	map(&r, hole, hole, BIT(a->block_shift), a->device, a->block_shift);
	map(&r, ALIAS_SECTION_VA, ram + 8 * MiB, BIT(a->block_shift), a->normal, a->block_shift);
	map(&r, ALIAS_PAGE_VA, ram + 9 * MiB + 0x3000, 4096, a->normal, 12);
	map(&r, RO_PAGE_VA, ram + 9 * MiB + 0x4000, 4096, a->ro, 12);
	install_table(&r, lpae, PREMADE_VA,
		      (paddr_t)(uintptr_t)(lpae ? (const void *)premade_lpae : premade_short));
	install_table(&r, lpae, LOST_TABLE_VA, hole);
	if (lpae) {
		map(&r, HIGH_VA, HIGH_PA, 16 * MiB, a->device, 21);
	} else {
		u32 ss = (u32)(HIGH_PA & SD_SUPER_BASE) | SD_L1_SUPERSECTION | SD_L1_SECTION |
			 ((u32)(HIGH_PA >> 32) << SD_SUPER_PA3532_SHIFT) | (3u << SD_SEC_AP_SHIFT) |
			 SD_SEC_B;
		for (u32 i = 0; i < 16; i++) { /* a supersection is 16 identical entries */
			rt_pt_mem.write(NULL, r.root + 4 * ((HIGH_VA >> 20) + i), 4, ss);
		}
	}

	if (lpae) {
		write_prrr(0x04ffu); /* MAIR0 */
		write_ttbcr(TTBCR_EAE | (LPAE_SH_INNER << 12) | (RGN_WBWA << 10) | (RGN_WBWA << 8));
		write_ttbr0_64(r.root);
	} else {
		if (!rt_arg_is("ttbcr", "reset")) {
			write_ttbcr(0);
		}
		write_ttbr0((u32)r.root);
		write_dacr(0x41); /* domains 0 and 3: client */
	}
	rt_mmu_enable();
	rt_printf("mmu: %s tables, MMU on (SCTLR.M=%u)\n", lpae ? "LPAE" : "short-descriptor",
		  read_sctlr() & SCTLR_M);

	store(ALIAS_SECTION_VA + 0x100, 0x5ec71011u);
	rt_printf("section alias: %s\n",
		  load(ram + 8 * MiB + 0x100) == 0x5ec71011u ? "ok" : "WRONG");
	store(ALIAS_PAGE_VA + 0x10, 0x9a9e0001u);
	rt_printf("page alias: %s\n", load(ram + 9 * MiB + 0x3010) == 0x9a9e0001u ? "ok" : "WRONG");
	rewrite_desc(&r, ALIAS_PAGE_VA, 3);
	rt_printf("page alias, its descriptor rewritten: %s\n",
		  load(ALIAS_PAGE_VA + 0x10) == 0x9a9e0001u ? "ok" : "WRONG");
	store(PREMADE_PA + 0x10, 0x77665544u);
	rt_printf("premade table: %s\n", load(PREMADE_VA + 0x10) == 0x77665544u ? "ok" : "WRONG");
	store(ram + 9 * MiB + 0x4000, 0x12345678u);
	rt_printf("read-only page reads 0x%08x\n", load(RO_PAGE_VA));
	u32 p = RT_UART;
	__asm__ volatile("str %1, [%0], #4" : "+r"(p) : "r"('*') : "memory");
	rt_printf(" (device store without syndrome, writeback %s)\n",
		  p == RT_UART + 4 ? "ok" : "WRONG");

	expect_fault("translation fault", UNMAPPED_VA, false);
	expect_fault("permission fault ", RO_PAGE_VA, true);
	expect_fault("external abort   ", hole, false);
	expect_fault("external abort   ", hole + 0x40, true);
	expect_fault("above 4 GiB      ", HIGH_VA, false);
	expect_fault("above 4 GiB      ", HIGH_VA + 0x900000, true);
	expect_fault("walk ext. abort  ", LOST_TABLE_VA + 0x3000, false);
	expect_fault("walk ext. abort  ", LOST_TABLE_VA + 0x5008, true);

	write_sctlr(read_sctlr() & ~SCTLR_M);
	isb();
	rt_printf("mmu: off again\n");
	return 0;
}
