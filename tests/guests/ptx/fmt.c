/* The exerciser's two translation-table formats: window geometry, descriptor encoding and
 * decoding (through the shared description, tb/pt.h), and the translation registers. */
#include "ptx.h"
#include "rt_pt.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/lpae.h"
#include "tb/short_desc.h"

/* ASIDs of the address spaces; 0 is reserved (short format: current while TTBR0 changes). */
const u8 ptx_asid[PTX_NAS] = {1, 2, 0x5a, 0xff};
#define RESERVED_ASID		0u
#define CONTEXTIDR_PROCID_SHIFT 8

/* Memory types. All are Normal, inner and outer write-back, and differ only in allocation
 * hints, so that two aliases of one frame never have mismatched cacheability (A3.5.7).
 * Short format with TEX remap off (B3.8.2): TEX[2:0], C, B. */
static const u8 sd_tex[PTX_ATTRS] = {1, 0, 5, 7}; /* 5, 7: TEX = 1BB, outer WBWA / WB */
static const bool sd_c[PTX_ATTRS] = {true, true, false, true};
static const bool sd_b[PTX_ATTRS] = {true, true, true, true};
/* LPAE: AttrIndx into MAIR0/MAIR1 (B4.1.104); index 1 is the console's Device type. */
static const u8 lpae_attrindx[PTX_ATTRS] = {0, 2, 3, 4};
#define LPAE_INDEX_BITS	    9u		/* entries of an LPAE table: 512 */
#define SD_L1_INDEX_BITS    12u		/* entries of a full short first-level table: 4096 */
#define MAIR0		    0xddee04ffu /* 0: WB RW-alloc, 1: Device, 2: WB R-alloc, 3: WB W-alloc */
#define MAIR1		    0x000000ccu /* 4: WB no allocation */
#define LPAE_DEVICE_ATTRIDX 1u
#define SD_DOMAIN_KERNEL    0u /* the fixed mappings' domain: always a client */
#define SD_AP_PL1_RW	    1u
#define SD_AP_RO_ALL	    7u /* APX=1, AP[1:0]=11 */

static const struct pt_format *fmt(void)
{
	return ptx.lpae ? &pt_lpae_s1 : &pt_short;
}

u32 ptx_slot_shift(void)
{
	return ptx.lpae ? PTX_BLOCK_SHIFT : PTX_SECTION_SHIFT;
}

u32 ptx_slot_pages(void)
{
	return BIT(ptx_slot_shift() - PTX_PAGE_SHIFT);
}

u32 ptx_win_slots(void)
{
	return PTX_WIN_SIZE >> ptx_slot_shift();
}

u32 ptx_desc_bytes(void)
{
	return ptx.lpae ? 8 : 4;
}

u32 ptx_win_base(enum ptx_win w)
{
	return w == WIN_USER ? PTX_USER_WIN : PTX_KERN_WIN;
}

u32 ptx_page_va(enum ptx_win w, u32 page)
{
	return ptx_win_base(w) + page * PAGE_SIZE_4K;
}

bool ptx_win_page(u32 va, enum ptx_win *w, u32 *page)
{
	for (u32 i = 0; i < WIN_COUNT; i++) {
		if (va - ptx_win_base(i) < PTX_WIN_SIZE) {
			*w = i;
			*page = (va - ptx_win_base(i)) / PAGE_SIZE_4K;
			return true;
		}
	}
	return false;
}

/* slot_index_mask: index bits of a slot's table: LPAE level 2 (512 entries); the short
 * format's first level, 4096 entries for TTBR1 and 4096 >> N for TTBR0 (B3.5.4). */
static u32 slot_index_mask(enum ptx_win w)
{
	if (ptx.lpae) {
		return MASK(LPAE_INDEX_BITS);
	}
	return w == WIN_USER ? MASK(SD_L1_INDEX_BITS - PTX_SPLIT) : MASK(SD_L1_INDEX_BITS);
}

void ptx_slot_entry(enum ptx_win w, u32 as, u32 slot, struct ptx_entry *e)
{
	u32 va = ptx_win_base(w) + (slot << ptx_slot_shift());
	u32 table = w == WIN_USER ? ptx.root[as] : ptx.kslots;
	e->pa = table + ptx_desc_bytes() * ((va >> ptx_slot_shift()) & slot_index_mask(w));
	e->win = (u8)w;
	e->as = w == WIN_USER ? (u8)as : 0;
	e->slot = true;
	e->page = (u16)(slot * ptx_slot_pages());
}

bool ptx_page_entry(enum ptx_win w, u32 as, u32 page, struct ptx_entry *e)
{
	struct ptx_entry s;
	ptx_slot_entry(w, as, page / ptx_slot_pages(), &s);
	u64 d = ptx_desc_read(s.pa);
	if (ptx_kind(&s, d) != PT_TABLE) {
		return false;
	}
	*e = s;
	e->pa = ptx_table_pa(&s, d) + ptx_desc_bytes() * (page % ptx_slot_pages());
	e->slot = false;
	e->page = (u16)page;
	return true;
}

u64 ptx_desc_read(u32 pa)
{
	if (ptx.lpae) {
		return *(volatile u64 *)(uintptr_t)pa;
	}
	return *(volatile u32 *)(uintptr_t)pa;
}

/* desc_store: one single-copy-atomic store of a descriptor at va (STR / STRD): the fixed
 * tables, written before the MMU is on (changes: ptx_desc_write). */
static void desc_store(u32 va, u64 d)
{
	if (ptx.lpae) {
		/* STRD of an 8-byte aligned doubleword is single-copy atomic with LPAE (A3.5.3). */
		__asm__ volatile("strd %0, %H0, [%1]" ::"r"(d), "r"(va) : "memory");
	} else {
		__asm__ volatile("str %0, [%1]" ::"r"((u32)d), "r"(va) : "memory");
	}
}

/* level_index: the shared description's level index of an entry (tb/pt.h). */
static unsigned level_index(const struct ptx_entry *e)
{
	return (ptx.lpae ? 1u : 0u) + (e->slot ? 0u : 1u);
}

enum pt_kind ptx_kind(const struct ptx_entry *e, u64 d)
{
	return pt_desc_kind(fmt(), d, level_index(e));
}

u32 ptx_leaf_shift(const struct ptx_entry *e, u64 d)
{
	u32 shift;
	pt_leaf_out(fmt(), d, level_index(e), &shift);
	return shift;
}

u32 ptx_leaf_pa(const struct ptx_entry *e, u64 d)
{
	u32 shift;
	return (u32)pt_leaf_out(fmt(), d, level_index(e), &shift);
}

bool ptx_global(const struct ptx_entry *e, u64 d)
{
	if (ptx.lpae) {
		return (d & LPAE_NG) == 0;
	}
	return (d & (e->slot ? SD_SEC_NG : SD_PG_NG)) == 0;
}

u32 ptx_table_pa(const struct ptx_entry *e UNUSED, u64 d)
{
	return (u32)pt_next_table(fmt(), d);
}

void ptx_range(const struct ptx_entry *e, u64 d, u32 *first, u32 *n)
{
	if (e->slot) {
		*first = e->page;
		*n = ptx_slot_pages();
	} else if (ptx_kind(e, d) == PT_LEAF && ptx_leaf_shift(e, d) == PTX_LARGE_SHIFT) {
		*first = e->page & ~(PTX_LARGE - 1);
		*n = PTX_LARGE;
	} else {
		*first = e->page;
		*n = 1;
	}
}

/* sd_attrs: a short-format leaf's attributes in the section layout (tb/pt.h make_leaf). */
static u32 sd_attrs(const struct ptx_leaf *l)
{
	return (sd_b[l->attr] ? SD_SEC_B : 0) | (sd_c[l->attr] ? SD_SEC_C : 0) |
	       ((u32)sd_tex[l->attr] << SD_SEC_TEX_SHIFT) | ((l->perm & 3u) << SD_SEC_AP_SHIFT) |
	       ((l->perm & 4u) ? SD_SEC_APX : 0) | SD_SEC_S | (l->ng ? SD_SEC_NG : 0) |
	       (l->xn ? SD_SEC_XN : 0);
}

/* sd_large: a 64 KiB large-page entry (B3.5.1: TEX at [14:12], XN at bit 15). */
static u32 sd_large(const struct ptx_leaf *l)
{
	return (l->pa & SD_L2_LARGE_BASE) | SD_L2_LARGE | (sd_b[l->attr] ? SD_PG_B : 0) |
	       (sd_c[l->attr] ? SD_PG_C : 0) | ((l->perm & 3u) << SD_PG_AP_SHIFT) |
	       ((l->perm & 4u) ? SD_PG_APX : 0) | SD_PG_S | (l->ng ? SD_PG_NG : 0) |
	       ((u32)sd_tex[l->attr] << SD_LARGE_TEX_SHIFT) | (l->xn ? SD_L2_LARGE_XN : 0);
}

static u64 lpae_attrs(const struct ptx_leaf *l)
{
	return ((u64)lpae_attrindx[l->attr] << LPAE_ATTRINDX_SHIFT) |
	       ((u64)l->perm << LPAE_AP_SHIFT) | ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT) |
	       (l->af ? LPAE_AF : 0) | (l->ng ? LPAE_NG : 0) | (l->pxn ? LPAE_PXN : 0) |
	       (l->xn ? LPAE_XN : 0) | ((u64)l->ignored << LPAE_LEAF_IGNORED_SHIFT);
}

u64 ptx_leaf_desc(const struct ptx_entry *e, const struct ptx_leaf *l)
{
	if (ptx.lpae) {
		return pt_lpae_s1.make_leaf(l->pa, level_index(e), lpae_attrs(l));
	}
	if (l->shift == PTX_LARGE_SHIFT) {
		return sd_large(l);
	}
	u64 d = pt_short.make_leaf(l->pa, level_index(e), sd_attrs(l));
	if (e->slot) {
		d |= ((u32)l->domain << SD_DOMAIN_SHIFT) | (l->pxn ? SD_L1_PXN : 0);
	}
	return d;
}

u64 ptx_table_desc(const struct ptx_table *t)
{
	if (ptx.lpae) {
		return pt_lpae_s1.make_table(t->pa) | ((u64)t->aptable << LPAE_APTABLE_SHIFT) |
		       (t->xntable ? LPAE_XNTABLE : 0) | (t->pxn ? LPAE_PXNTABLE : 0);
	}
	return pt_short.make_table(t->pa) | ((u32)t->domain << SD_DOMAIN_SHIFT) |
	       (t->pxn ? SD_L1_TABLE_PXN : 0);
}

/* table_frames: a zeroed table of bytes from the start of the small pool (the fixed
 * tables), whose first entry translates base_va, each the next 1 << stride bytes. */
static u32 table_frames(u32 *next, u32 bytes, u32 base_va, u32 stride, enum ptx_win w, u32 as)
{
	u32 pa = ALIGN_UP(*next, bytes < PAGE_SIZE_4K ? PAGE_SIZE_4K : bytes);
	*next = pa + ALIGN_UP(bytes, PAGE_SIZE_4K);
	for (u32 o = 0; o < bytes; o += 4) {
		*(volatile u32 *)(uintptr_t)(pa + o) = 0;
	}
	ptx_table_at(pa, bytes, base_va, stride, bytes / ptx_desc_bytes(), w, as);
	return pa;
}

/* put: a fixed descriptor. */
static void put(u32 table, u32 index, u64 d)
{
	desc_store(table + index * ptx_desc_bytes(), d);
}

/* fixed_leaf: the fixed mappings' attributes (Normal WBWA, domain 0, global). */
static struct ptx_leaf fixed_leaf(u32 pa, u32 shift, u32 perm)
{
	struct ptx_leaf l = {.pa = pa,
			     .shift = shift,
			     .perm = (u8)perm,
			     .attr = 0,
			     .domain = SD_DOMAIN_KERNEL,
			     .xn = false,
			     .pxn = false,
			     .ng = false,
			     .af = true};
	return l;
}

/* short_tables: TTBR1 (16 KiB) with the identity map, the trampoline's table, and the
 * TTBR0 tables (4 KiB each with N=2) with the console section. */
static void short_tables(u32 *next, u32 tramp_pa)
{
	struct ptx_entry sl = {.slot = true}, pg = {.slot = false};
	u32 kroot = table_frames(next, 16 * KiB, 0, PTX_SECTION_SHIFT, WIN_KERN, 0);
	u32 idmap = ptx.ram_size < PTX_IDMAP_MAX ? ptx.ram_size : PTX_IDMAP_MAX;
	for (u32 a = ptx.ram; a - ptx.ram < idmap; a += MiB) {
		struct ptx_leaf l = fixed_leaf(a, PTX_SECTION_SHIFT, SD_AP_PL1_RW);
		put(kroot, a >> PTX_SECTION_SHIFT, ptx_leaf_desc(&sl, &l));
	}
	u32 tramp_table = table_frames(next, 1 * KiB, PTX_TRAMP_VA, PTX_PAGE_SHIFT, WIN_KERN, 0);
	struct ptx_table t = {.pa = tramp_table, .domain = SD_DOMAIN_KERNEL};
	put(kroot, PTX_TRAMP_VA >> PTX_SECTION_SHIFT, ptx_table_desc(&t));
	struct ptx_leaf tl = fixed_leaf(tramp_pa, PTX_PAGE_SHIFT, SD_AP_RO_ALL);
	put(tramp_table, 0, ptx_leaf_desc(&pg, &tl));
	/* The console: shareable Device (TEX=000 C=0 B=1), execute-never. */
	u32 uart = (RT_UART & SD_SECTION_BASE) | SD_L1_SECTION | SD_SEC_B | SD_SEC_XN |
		   (SD_AP_PL1_RW << SD_SEC_AP_SHIFT);
	for (u32 as = 0; as < PTX_NAS; as++) {
		ptx.root[as] = table_frames(next, 4 * KiB, 0, PTX_SECTION_SHIFT, WIN_USER, as);
		put(ptx.root[as], RT_UART >> PTX_SECTION_SHIFT, uart);
	}
	ptx.kslots = kroot;
	ptx.ttbcr = PTX_SPLIT;
	ptx.ttbr1 = kroot | SD_TTBR_RGN_WBWA | SD_TTBR_IRGN_WBWA;
	/* Domain 0 client; 1 client, 2 manager, 3 no access until the first DACR change. */
	ptx.dacr = DACR_CLIENT | (DACR_CLIENT << DACR_FIELD_BITS) |
		   (DACR_MANAGER << (2 * DACR_FIELD_BITS));
}

/* lpae_tables: TTBR1 (level 1, 4 entries) over the identity map's and the kernel window's
 * level-2 tables and the trampoline's level 3; the TTBR0 tables (level 2) with the console. */
static void lpae_tables(u32 *next, u32 tramp_pa)
{
	struct ptx_entry blk = {.slot = true}, pg = {.slot = false};
	u32 l1 = table_frames(next, 32, 0, PTX_GIB_SHIFT, WIN_KERN, 0);
	u32 idmap_l2 =
	    table_frames(next, 4 * KiB, BIT(PTX_GIB_SHIFT), PTX_BLOCK_SHIFT, WIN_KERN, 0);
	u32 kwin_l2 =
	    table_frames(next, 4 * KiB, 3u << PTX_GIB_SHIFT, PTX_BLOCK_SHIFT, WIN_KERN, 0);
	u32 tramp_l3 = table_frames(next, 4 * KiB, PTX_TRAMP_VA, PTX_PAGE_SHIFT, WIN_KERN, 0);
	struct ptx_table t = {0};
	t.pa = idmap_l2;
	put(l1, 1, ptx_table_desc(&t));
	t.pa = kwin_l2;
	put(l1, 3, ptx_table_desc(&t));
	t.pa = tramp_l3;
	put(kwin_l2, (PTX_TRAMP_VA >> PTX_BLOCK_SHIFT) & MASK(LPAE_INDEX_BITS), ptx_table_desc(&t));
	u32 idmap = ptx.ram_size < PTX_IDMAP_MAX ? ptx.ram_size : PTX_IDMAP_MAX;
	for (u32 a = ptx.ram; a - ptx.ram < idmap; a += 2 * MiB) {
		struct ptx_leaf l = fixed_leaf(a, PTX_BLOCK_SHIFT, LPAE_AP_RW_PL1);
		put(idmap_l2, (a >> PTX_BLOCK_SHIFT) & MASK(LPAE_INDEX_BITS),
		    ptx_leaf_desc(&blk, &l));
	}
	struct ptx_leaf tl = fixed_leaf(tramp_pa, PTX_PAGE_SHIFT, LPAE_AP_RO_ALL);
	put(tramp_l3, 0, ptx_leaf_desc(&pg, &tl));
	u64 uart = pt_lpae_s1.make_leaf(RT_UART & ~MASK(PTX_BLOCK_SHIFT), 1,
					(LPAE_DEVICE_ATTRIDX << LPAE_ATTRINDX_SHIFT) | LPAE_AF |
					    LPAE_XN | LPAE_PXN);
	for (u32 as = 0; as < PTX_NAS; as++) {
		ptx.root[as] = table_frames(next, 4 * KiB, 0, PTX_BLOCK_SHIFT, WIN_USER, as);
		put(ptx.root[as], RT_UART >> PTX_BLOCK_SHIFT, uart);
	}
	ptx.kslots = kwin_l2;
	ptx.ttbcr = TTBCR_EAE | (PTX_SPLIT << LPAE_TTBCR_T0SZ_SHIFT) |
		    (RGN_WBWA << LPAE_TTBCR_IRGN0_SHIFT) | (RGN_WBWA << LPAE_TTBCR_ORGN0_SHIFT) |
		    (LPAE_SH_INNER << LPAE_TTBCR_SH0_SHIFT) | (RGN_WBWA << LPAE_TTBCR_IRGN1_SHIFT) |
		    (RGN_WBWA << LPAE_TTBCR_ORGN1_SHIFT) | (LPAE_SH_INNER << LPAE_TTBCR_SH1_SHIFT);
	ptx.ttbr1 = l1;
	write_prrr(MAIR0);
	write_nmrr(MAIR1);
}

void ptx_mmu_init(u32 tramp_pa)
{
	u32 next = ptx.small_pool;
	if (ptx.lpae) {
		lpae_tables(&next, tramp_pa);
	} else {
		short_tables(&next, tramp_pa);
	}
	write_ttbcr(ptx.ttbcr);
	if (ptx.lpae) {
		write_ttbr1_64(ptx.ttbr1);
	} else {
		write_ttbr1((u32)ptx.ttbr1);
		write_dacr(ptx.dacr);
	}
	isb();
	ptx_switch(0);
	rt_tlb_flush_all();
	ptx.sctlr = (read_sctlr() | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_Z) & ~SCTLR_A;
	write_sctlr(ptx.sctlr);
	isb();
}

void ptx_switch(u32 as)
{
	if (ptx.lpae) {
		/* One 64-bit write changes table and ASID together (TTBCR.A1 = 0). */
		ptx.ttbr0 = ptx.root[as] | ((u64)ptx_asid[as] << LPAE_TTBR_ASID_SHIFT);
		write_ttbr0_64(ptx.ttbr0);
		isb();
	} else {
		/* B3.10.4: ASID and TTBR0 cannot change at once; the reserved ASID, which no
		 * access ever uses, is current while TTBR0 changes. */
		write_contextidr(RESERVED_ASID);
		isb();
		ptx.ttbr0 = ptx.root[as] | SD_TTBR_RGN_WBWA | SD_TTBR_IRGN_WBWA;
		write_ttbr0((u32)ptx.ttbr0);
		isb();
		ptx.contextidr = ((as + 1u) << CONTEXTIDR_PROCID_SHIFT) | ptx_asid[as];
		write_contextidr(ptx.contextidr);
		isb();
	}
	ptx.cur = as;
}

void ptx_set_dacr(u32 dacr)
{
	/* Domain access is checked at each access, not held in TLB entries: a DACR change needs
	 * an ISB and no TLB maintenance (B3.10.2, B4.1.43). */
	ptx.dacr = dacr;
	write_dacr(dacr);
	isb();
}

/* check_reg: one register reads back as written. */
static void check_reg(const char *name, u64 got, u64 want)
{
	if (got != want) {
		ptx_fail("%s reads 0x%llx, written 0x%llx", name, got, want);
	}
}

void ptx_check_regs(void)
{
	u32 sctlr_bits = SCTLR_M | SCTLR_A | SCTLR_C | SCTLR_Z | SCTLR_I;
	check_reg("SCTLR", read_sctlr() & sctlr_bits, ptx.sctlr & sctlr_bits);
	check_reg("TTBCR", read_ttbcr(), ptx.ttbcr);
	if (ptx.lpae) {
		check_reg("TTBR0", read_ttbr0_64(), ptx.ttbr0);
		check_reg("TTBR1", read_ttbr1_64(), ptx.ttbr1);
		check_reg("MAIR0", read_prrr(), MAIR0);
	} else {
		check_reg("TTBR0", read_ttbr0(), ptx.ttbr0);
		check_reg("TTBR1", read_ttbr1(), ptx.ttbr1);
		check_reg("DACR", read_dacr(), ptx.dacr);
		check_reg("CONTEXTIDR", read_contextidr(), ptx.contextidr);
	}
}

void ptx_s1_state(struct s1_state *st)
{
	st->sctlr = ptx.sctlr;
	st->ttbcr = ptx.ttbcr;
	st->ttbr0 = ptx.ttbr0;
	st->ttbr1 = ptx.ttbr1;
	st->dacr = ptx.dacr;
}
