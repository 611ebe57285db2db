/* What a TLB may still hold for the windows, and the TLB maintenance that removes it.
 *
 * The model (ARM ARM B3.10): a TLB may hold any translation a walk could have produced from
 * a valid descriptor, and a walk cache may hold valid table descriptors, until TLB
 * maintenance removes them; a descriptor that faults is never held (B3.10.2). So when a
 * valid descriptor changes, the pages it translated become *stale* for every context that
 * may hold it, until maintenance covers them:
 *  - user window (TTBR0, nG only): entries tagged with the owner's ASID;
 *  - kernel window (TTBR1): global entries, which any ASID uses, and nG entries tagged with
 *    whatever ASID was current.
 * A changed table descriptor also leaves a *record* on its slot: a walk may still go through
 * the old table (and refill the TLB from it) until TLBIALL, TLBIMVAA, or, in the user
 * window, TLBIMVA with the owner's ASID covers an address of the slot. Pages under a live
 * record stay stale whatever else happens. The credit given to each operation is the
 * conservative reading: TLBIASID is not assumed to clear walk caches, TLBIMVA not to clear
 * a kernel walk-cache entry of another ASID, and a section or block is clean only page by
 * page (an implementation may hold it as smaller entries). Every access the exerciser makes
 * is to a page that is clean in the current context: its outcome is then the one the
 * current tables give, whatever the TLB holds. */
#include "ptx.h"
#include "tb/cp15.h"

#define WORDS	     (PTX_WIN_PAGES / 32u)
#define UNUSED_ASID  0x33u /* an ASID no address space has: its maintenance does nothing */
#define BIG_RANGE    16u   /* pages: more are usually cleaned with one broad operation */
#define CLEAN_ROUNDS 3u

static struct {
	u32 user[PTX_NAS][WORDS]; /* user window: stale nG entries of each address space */
	u32 kg[WORDS];		  /* kernel window: stale global entries */
	u32 kng[PTX_NAS][WORDS];  /* kernel window: stale nG entries tagged with each ASID */
	bool urec[PTX_NAS][PTX_MAX_SLOTS];
	bool krec[PTX_MAX_SLOTS];
} stale;

static const char *const op_names[TLBI_KINDS] = {"TLBIALL", "TLBIASID", "TLBIMVA", "TLBIMVAA"};

static void bit_set(u32 *bits, u32 i)
{
	bits[i / 32] |= BIT(i % 32);
}

static void bit_clear(u32 *bits, u32 i)
{
	bits[i / 32] &= ~BIT(i % 32);
}

static bool bit_test(const u32 *bits, u32 i)
{
	return (bits[i / 32] & BIT(i % 32)) != 0;
}

static u32 slot_of(u32 page)
{
	return page / ptx_slot_pages();
}

/* as_of: the address space with asid, or -1. */
static int as_of(u32 asid)
{
	for (u32 i = 0; i < PTX_NAS; i++) {
		if (ptx_asid[i] == asid) {
			return (int)i;
		}
	}
	return -1;
}

void ptx_tlb_init(void)
{
	for (u32 i = 0; i < sizeof(stale); i++) {
		((volatile u8 *)&stale)[i] = 0;
	}
}

/* stale_leaf: the valid leaf d at e may be in a TLB for its pages. */
static void stale_leaf(const struct ptx_entry *e, u64 d)
{
	u32 first, n;
	ptx_range(e, d, &first, &n);
	bool global = ptx_global(e, d);
	for (u32 p = first; p < first + n; p++) {
		if (e->win == WIN_USER) {
			bit_set(stale.user[e->as], p);
		} else if (global) {
			bit_set(stale.kg, p);
		}
		for (u32 as = 0; e->win == WIN_KERN && !global && as < PTX_NAS; as++) {
			bit_set(stale.kng[as], p);
		}
	}
}

void ptx_stale(const struct ptx_entry *e, u64 old)
{
	enum pt_kind k = ptx_kind(e, old);
	if (k == PT_LEAF) {
		stale_leaf(e, old);
	}
	if (k != PT_TABLE) {
		return;
	}
	/* A table descriptor: the walk caches may hold it (a record on the slot), and the TLB
	 * the leaves below it, with its attributes. Pages whose entry there is invalid have no
	 * TLB entry to go stale: they cannot get one while the table stays as it is, which it
	 * does (linked, its entries changing through here, or quarantined, unchanged). */
	struct ptx_entry pe = *e;
	u32 table = ptx_table_pa(e, old);
	pe.slot = false;
	for (u32 i = 0; i < ptx_slot_pages(); i++) {
		pe.pa = table + i * ptx_desc_bytes();
		pe.page = (u16)(e->page + i);
		u64 d = ptx_desc_read(pe.pa);
		if (ptx_kind(&pe, d) == PT_LEAF) {
			stale_leaf(&pe, d);
		}
	}
	if (e->win == WIN_USER) {
		stale.urec[e->as][slot_of(e->page)] = true;
	} else {
		stale.krec[slot_of(e->page)] = true;
	}
}

bool ptx_record_live(enum ptx_win w, u32 as, u32 slot)
{
	return w == WIN_USER ? stale.urec[as][slot] : stale.krec[slot];
}

bool ptx_page_clean(enum ptx_win w, u32 as, u32 page)
{
	if (w == WIN_USER) {
		return !stale.urec[as][slot_of(page)] && !bit_test(stale.user[as], page);
	}
	return !stale.krec[slot_of(page)] && !bit_test(stale.kg, page) &&
	       !bit_test(stale.kng[as], page);
}

/* clean_for_all: no context at all may hold a stale entry for page. */
static bool clean_for_all(enum ptx_win w, u32 as, u32 page)
{
	if (w == WIN_USER) {
		return ptx_page_clean(w, as, page);
	}
	for (u32 i = 0; i < PTX_NAS; i++) {
		if (!ptx_page_clean(w, i, page)) {
			return false;
		}
	}
	return true;
}

bool ptx_range_clean(enum ptx_win w, u32 as, u32 first, u32 n)
{
	for (u32 p = first; p < first + n; p++) {
		if (!clean_for_all(w, as, p)) {
			return false;
		}
	}
	return true;
}

/* apply_asid: TLBIASID: the nG entries of asid outside live records. */
static void apply_asid(u32 asid)
{
	int as = as_of(asid);
	for (u32 p = 0; as >= 0 && p < PTX_WIN_PAGES; p++) {
		if (!stale.urec[as][slot_of(p)]) {
			bit_clear(stale.user[as], p);
		}
		if (!stale.krec[slot_of(p)]) {
			bit_clear(stale.kng[as], p);
		}
	}
}

/* apply_page: TLBIMVA (all_asids false: global entries and those of asid) or TLBIMVAA on
 * the page of va; walk caches first, then the page's entries. */
static void apply_page(u32 va, u32 asid, bool all_asids)
{
	enum ptx_win w;
	u32 p;
	if (!ptx_win_page(va, &w, &p)) {
		return;
	}
	u32 s = slot_of(p);
	if (w == WIN_USER) {
		for (u32 as = 0; as < PTX_NAS; as++) {
			if (all_asids || ptx_asid[as] == asid) {
				stale.urec[as][s] = false;
				bit_clear(stale.user[as], p);
			}
		}
		return;
	}
	if (all_asids) {
		stale.krec[s] = false;
	}
	if (stale.krec[s]) {
		return;
	}
	bit_clear(stale.kg, p);
	for (u32 as = 0; as < PTX_NAS; as++) {
		if (all_asids || ptx_asid[as] == asid) {
			bit_clear(stale.kng[as], p);
		}
	}
}

/* live_records: how many table-walk records are live. */
static u32 live_records(void)
{
	u32 n = 0;
	for (u32 s = 0; s < PTX_MAX_SLOTS; s++) {
		n += stale.krec[s];
		for (u32 as = 0; as < PTX_NAS; as++) {
			n += stale.urec[as][s];
		}
	}
	return n;
}

/* tlbi_hw: the operation itself (B4.2.2). */
static void tlbi_hw(enum ptx_tlbi op, bool is, u32 arg)
{
	switch (op) {
	case TLBI_ALL:
		is ? tlbi_allis() : tlbi_all();
		break;
	case TLBI_ASID:
		is ? tlbi_asidis(arg) : tlbi_asid(arg);
		break;
	case TLBI_MVA:
		is ? tlbi_mvais(arg) : tlbi_mva(arg);
		break;
	default:
		is ? tlbi_mvaais(arg) : tlbi_mvaa(arg);
		break;
	}
}

void ptx_tlbi(enum ptx_tlbi op, bool is, u32 arg)
{
	u32 records = live_records();
	if (!ptx.forget) {
		tlbi_hw(op, is, arg);
	}
	switch (op) {
	case TLBI_ALL:
		ptx_tlb_init();
		break;
	case TLBI_ASID:
		apply_asid(arg);
		break;
	case TLBI_MVA:
		apply_page(arg & ~PAGE_OFFSET_MASK, arg & PAGE_OFFSET_MASK, false);
		break;
	default:
		apply_page(arg & ~PAGE_OFFSET_MASK, 0, true);
		break;
	}
	ptx.tlbis++;
	ptx_note("%s%s 0x%08x", op_names[op], is ? "IS" : "", arg);
	if (live_records() != records) {
		/* A table left the walk caches once this operation completes: its frame may be
		 * reused, and later operations are not overtaken by walks through it. */
		dsb();
		ptx_release();
	}
}

/* tlbi_arg: the register operand of op for the page of va and asid (B4.2.2). */
static u32 tlbi_arg(enum ptx_tlbi op, u32 va, u32 asid)
{
	switch (op) {
	case TLBI_ALL:
		return 0;
	case TLBI_ASID:
		return asid;
	case TLBI_MVA:
		return (va & ~PAGE_OFFSET_MASK) | asid;
	default:
		return va & ~PAGE_OFFSET_MASK;
	}
}

/* page_op: one maintenance operation on the page of va for address space as. */
static void page_op(enum ptx_tlbi op, u32 va, u32 as)
{
	ptx_tlbi(op, ptx_chance(50), tlbi_arg(op, va, ptx_asid[as]));
}

void ptx_clean_page(enum ptx_win w, u32 as, u32 page)
{
	if (ptx_page_clean(w, as, page)) {
		return;
	}
	dsb();
	u32 va = ptx_page_va(w, page);
	for (u32 round = 0; !ptx_page_clean(w, as, page); round++) {
		u32 r = round >= CLEAN_ROUNDS ? 0 : ptx_below(100);
		enum ptx_tlbi op = r < 8    ? TLBI_ALL
				   : r < 25 ? TLBI_ASID
				   : r < 65 ? TLBI_MVA
					    : TLBI_MVAA;
		page_op(op, va, as);
	}
	dsb();
	isb();
}

/* sweep_op: one by-address operation that cleans page for every context. */
static void sweep_op(enum ptx_win w, u32 as, u32 page)
{
	u32 va = ptx_page_va(w, page);
	if (w == WIN_USER) {
		page_op(ptx_chance(50) ? TLBI_MVA : TLBI_MVAA, va, as);
		return;
	}
	bool ng = false;
	for (u32 i = 0; i < PTX_NAS; i++) {
		ng |= bit_test(stale.kng[i], page);
	}
	/* Only a global entry: TLBIMVA with any ASID removes it. */
	if (!stale.krec[slot_of(page)] && !ng && ptx_chance(50)) {
		page_op(TLBI_MVA, va, ptx_below(PTX_NAS));
		return;
	}
	page_op(TLBI_MVAA, va, as);
}

/* records_then_asid: user window: one TLBIMVA per slot with a record, then TLBIASID. */
static void records_then_asid(u32 as, u32 first, u32 n)
{
	for (u32 s = slot_of(first); s <= slot_of(first + n - 1); s++) {
		if (stale.urec[as][s]) {
			page_op(TLBI_MVA, ptx_page_va(WIN_USER, s * ptx_slot_pages()), as);
		}
	}
	page_op(TLBI_ASID, 0, as);
}

void ptx_clean_range(enum ptx_win w, u32 as, u32 first, u32 n)
{
	if (ptx_range_clean(w, as, first, n)) {
		return;
	}
	dsb();
	/* Percentages of TLBIALL and (user window) of "records, then TLBIASID"; the rest sweep
	 * by address, which is rarer for big ranges (every page an operation). */
	bool big = n > BIG_RANGE;
	u32 all = w == WIN_USER ? (big ? 45u : 20u) : (big ? 95u : 25u);
	u32 asid = w == WIN_USER ? (big ? 50u : 30u) : 0u;
	u32 r = ptx_below(100);
	if (r < all) {
		page_op(TLBI_ALL, 0, as);
	} else if (r < all + asid) {
		records_then_asid(as, first, n);
	}
	for (u32 p = first; p < first + n; p++) {
		if (!clean_for_all(w, as, p)) {
			sweep_op(w, as, p);
		}
	}
	if (!ptx_range_clean(w, as, first, n)) {
		ptx_fail("maintenance left pages %u-%u stale", first, first + n - 1);
	}
	dsb();
	isb();
}

void ptx_random_tlbi(void)
{
	enum ptx_tlbi op = ptx_below(TLBI_KINDS);
	u32 asid = ptx_chance(85) ? ptx_asid[ptx_below(PTX_NAS)] : UNUSED_ASID;
	enum ptx_win w = ptx_below(WIN_COUNT);
	u32 va = ptx_page_va(w, ptx_below(PTX_WIN_PAGES));
	const struct ptx_recent *rec = ptx_recent(ptx_below(PTX_RECENT));
	if (rec != NULL && ptx_chance(40)) {
		va = rec->va;
	}
	dsb();
	ptx_tlbi(op, ptx_chance(50), tlbi_arg(op, va, asid));
	dsb();
	isb();
}
