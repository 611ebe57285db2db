/* The exerciser's random operations: map, unmap and remap pages, large pages, sections and
 * blocks; change permissions, attributes, domains and table attributes; change the DACR;
 * switch address spaces; random TLB maintenance; new data in frames; and accesses. Each
 * descriptor change goes through change.c, which enforces the rules. */
#include "ptx.h"
#include "tb/short_desc.h"

#define CUR_AS_PCT     75u /* changes in the current address space's user window */
#define USER_WIN_PCT   55u /* changes in the user window (the rest: the kernel window) */
#define UNLINK_PCT     8u  /* unmaps that unlink a whole table */
#define HOT_PCT	       75u /* new mappings among the first HOT_PAGES pages of a slot */
#define HOT_PAGES      64u
#define CHECK_REGS_PCT 30u /* switches that read the translation registers back */
#define DACR_DOMAINS   3u  /* domains 1-3 change type; 0 is always a client */

static u32 random_as(void)
{
	return ptx_chance(CUR_AS_PCT) ? ptx.cur : ptx_below(PTX_NAS);
}

static enum ptx_win random_win(void)
{
	return ptx_chance(USER_WIN_PCT) ? WIN_USER : WIN_KERN;
}

/* ensure_table: slot holds a table (a new one linked, after breaking a block). */
static void ensure_table(enum ptx_win w, u32 as, u32 slot)
{
	struct ptx_entry e;
	ptx_slot_entry(w, as, slot, &e);
	u64 d = ptx_desc_read(e.pa);
	if (ptx_kind(&e, d) == PT_TABLE) {
		return;
	}
	if (ptx_kind(&e, d) == PT_LEAF) {
		ptx_change(&e, 0);
	}
	ptx_clean_range(w, as, e.page, ptx_slot_pages());
	struct ptx_table t;
	ptx_random_table(&t, ptx_table_alloc(w, as, slot));
	ptx_change(&e, ptx_table_desc(&t));
}

/* break_large: short format: if page is in a large page, make all 16 entries invalid. */
static void break_large(enum ptx_win w, u32 as, u32 page)
{
	struct ptx_entry e;
	u32 first = page & ~(PTX_LARGE - 1);
	if (ptx.lpae || !ptx_page_entry(w, as, first, &e)) {
		return;
	}
	u64 d = ptx_desc_read(e.pa);
	if (ptx_kind(&e, d) != PT_LEAF || ptx_leaf_shift(&e, d) != PTX_LARGE_SHIFT) {
		return;
	}
	for (u32 i = 0; i < PTX_LARGE; i++) {
		ptx_page_entry(w, as, first + i, &e);
		ptx_change(&e, 0);
	}
}

/* write_large: short format: the 16 entries of a large page at page (all invalid, clean). */
static void write_large(enum ptx_win w, u32 as, u32 page, const struct ptx_leaf *l)
{
	struct ptx_entry e;
	for (u32 i = 0; i < PTX_LARGE; i++) {
		ptx_page_entry(w, as, page + i, &e);
		ptx_change(&e, ptx_leaf_desc(&e, l));
	}
	ptx_remember(ptx_page_va(w, page), l->pa, BIT(PTX_LARGE_SHIFT), as);
}

/* new_page: a window page for a new mapping, mostly in the slots' first pages. */
static u32 new_page(void)
{
	if (ptx_chance(HOT_PCT)) {
		return ptx_below(ptx_win_slots()) * ptx_slot_pages() + ptx_below(HOT_PAGES);
	}
	return ptx_below(PTX_WIN_PAGES);
}

static void map_page(void)
{
	enum ptx_win w = random_win();
	u32 as = random_as(), page = new_page();
	struct ptx_entry e;
	struct ptx_leaf l;
	ensure_table(w, as, page / ptx_slot_pages());
	break_large(w, as, page);
	ptx_page_entry(w, as, page, &e);
	ptx_random_leaf(&l, w, PTX_PAGE_SHIFT, ptx_random_page(PTX_TABLE_PAGE_PCT));
	u64 d = ptx_leaf_desc(&e, &l);
	if (!ptx_change_ok(&e, ptx_desc_read(e.pa), d)) {
		ptx_clean_range(w, as, page, 1);
	}
	ptx_note("map page %08x (a%u) -> %08x", ptx_page_va(w, page), as, l.pa);
	ptx_change(&e, d);
	ptx_remember(ptx_page_va(w, page), l.pa, PAGE_SIZE_4K, as);
}

static void map_large(void)
{
	enum ptx_win w = random_win();
	u32 as = random_as(), page = new_page() & ~(PTX_LARGE - 1);
	struct ptx_leaf l;
	ensure_table(w, as, page / ptx_slot_pages());
	for (u32 i = 0; i < PTX_LARGE; i++) {
		struct ptx_entry e;
		ptx_page_entry(w, as, page + i, &e);
		ptx_change(&e, 0);
	}
	ptx_clean_range(w, as, page, PTX_LARGE);
	ptx_random_leaf(&l, w, PTX_LARGE_SHIFT, ptx_random_block(PTX_LARGE_SHIFT));
	ptx_note("map large %08x (a%u) -> %08x", ptx_page_va(w, page), as, l.pa);
	write_large(w, as, page, &l);
}

static void map_block(void)
{
	enum ptx_win w = random_win();
	u32 as = random_as(), slot = ptx_below(ptx_win_slots());
	struct ptx_entry e;
	struct ptx_leaf l;
	ptx_slot_entry(w, as, slot, &e);
	if (ptx_kind(&e, ptx_desc_read(e.pa)) == PT_TABLE) {
		ptx_change(&e, 0);
	}
	ptx_random_leaf(&l, w, ptx_slot_shift(), ptx_random_block(ptx_slot_shift()));
	u64 d = ptx_leaf_desc(&e, &l);
	if (!ptx_change_ok(&e, ptx_desc_read(e.pa), d)) {
		ptx_clean_range(w, as, e.page, ptx_slot_pages());
	}
	ptx_note("map block %08x (a%u) -> %08x", ptx_page_va(w, e.page), as, l.pa);
	ptx_change(&e, d);
	ptx_remember(ptx_page_va(w, e.page), l.pa, BIT(ptx_slot_shift()), as);
}

/* find_leaf: the entry of the leaf translating page (false: none is valid). */
static bool find_leaf(enum ptx_win w, u32 as, u32 page, struct ptx_entry *e, u64 *d)
{
	ptx_slot_entry(w, as, page / ptx_slot_pages(), e);
	*d = ptx_desc_read(e->pa);
	if (ptx_kind(e, *d) == PT_TABLE) {
		ptx_page_entry(w, as, page, e);
		*d = ptx_desc_read(e->pa);
	}
	return ptx_kind(e, *d) == PT_LEAF;
}

/* random_page: a window page and address space, mostly of a recent mapping. */
static u32 random_page(enum ptx_win *w, u32 *as)
{
	const struct ptx_recent *rec = ptx_recent(ptx_below(PTX_RECENT));
	u32 page;
	if (rec != NULL && ptx_chance(75) && ptx_win_page(rec->va, w, &page)) {
		*as = *w == WIN_USER ? rec->as : 0;
		return page;
	}
	*w = random_win();
	*as = *w == WIN_USER ? random_as() : 0;
	return new_page();
}

static void unmap(void)
{
	enum ptx_win w;
	u32 as, page = random_page(&w, &as);
	struct ptx_entry e;
	u64 d;
	if (ptx_chance(UNLINK_PCT)) {
		ptx_slot_entry(w, as, page / ptx_slot_pages(), &e);
		ptx_note("unmap slot %08x (a%u)", ptx_page_va(w, e.page), as);
		ptx_change(&e, 0);
		return;
	}
	if (!find_leaf(w, as, page, &e, &d)) {
		return;
	}
	ptx_note("unmap %08x (a%u)", ptx_page_va(w, page), as);
	if (!e.slot && ptx_leaf_shift(&e, d) == PTX_LARGE_SHIFT) {
		break_large(w, as, page);
	} else {
		ptx_change(&e, 0);
	}
}

/* rewrite: a valid leaf gets new attributes (protect) or a new output (remap), in place
 * (a large page: broken, cleaned and written again). */
static void rewrite(bool remap)
{
	enum ptx_win w;
	u32 as, page = random_page(&w, &as);
	struct ptx_entry e;
	struct ptx_leaf l;
	u64 d;
	if (!find_leaf(w, as, page, &e, &d)) {
		return;
	}
	u32 shift = ptx_leaf_shift(&e, d);
	u32 pa = !remap			   ? ptx_leaf_pa(&e, d)
		 : shift == PTX_PAGE_SHIFT ? ptx_random_page(PTX_TABLE_PAGE_PCT)
					   : ptx_random_block(shift);
	ptx_random_leaf(&l, w, shift, pa);
	ptx_note("%s %08x (a%u) -> %08x", remap ? "remap" : "protect", ptx_page_va(w, page), as,
		 pa);
	if (shift == PTX_LARGE_SHIFT) {
		u32 first = page & ~(PTX_LARGE - 1);
		break_large(w, as, first);
		ptx_clean_range(w, as, first, PTX_LARGE);
		write_large(w, as, first, &l);
		return;
	}
	ptx_change(&e, ptx_leaf_desc(&e, &l));
	ptx_remember(ptx_page_va(w, e.page), pa, BIT(shift), as);
}

/* table_attrs: a slot's table gets new table attributes (short: domain, PXN). */
static void table_attrs(void)
{
	enum ptx_win w = random_win();
	u32 as = random_as();
	struct ptx_entry e;
	struct ptx_table t;
	ptx_slot_entry(w, as, ptx_below(ptx_win_slots()), &e);
	u64 d = ptx_desc_read(e.pa);
	if (ptx_kind(&e, d) != PT_TABLE) {
		return;
	}
	ptx_random_table(&t, ptx_table_pa(&e, d));
	ptx_note("table attributes %08x (a%u)", ptx_page_va(w, e.page), as);
	ptx_change(&e, ptx_table_desc(&t));
}

/* dacr: short format: domains 1-3 each no access, client or manager. */
static void dacr(void)
{
	static const u8 types[] = {DACR_NO_ACCESS, DACR_CLIENT, DACR_CLIENT, DACR_MANAGER};
	u32 v = DACR_CLIENT;
	for (u32 d = 1; d <= DACR_DOMAINS; d++) {
		v |= (u32)types[ptx_below(ARRAY_SIZE(types))] << (d * DACR_FIELD_BITS);
	}
	ptx_note("DACR 0x%08x", v);
	ptx_set_dacr(v);
}

static void switch_as(void)
{
	u32 as = (ptx.cur + 1 + ptx_below(PTX_NAS - 1)) % PTX_NAS;
	ptx_note("switch to a%u", as);
	ptx_switch(as);
	ptx.switches++;
	if (ptx_chance(CHECK_REGS_PCT)) {
		ptx_check_regs();
	}
}

/* refill: new data at the start of a random page of a data frame of either pool. */
static void refill(void)
{
	u32 pa = ptx_random_page(0);
	struct ptx_frame *f = ptx_frame(pa);
	if (f == NULL || f->role == ROLE_DATA) {
		ptx_note("refill %08x", pa);
		ptx_refill(pa);
	}
}

static void map_large_or_page(void)
{
	if (ptx.lpae) {
		map_page();
	} else {
		map_large();
	}
}

static void dacr_or_switch(void)
{
	if (ptx.lpae) {
		switch_as();
	} else {
		dacr();
	}
}

static void remap(void)
{
	rewrite(true);
}

static void protect(void)
{
	rewrite(false);
}

static const struct {
	void (*run)(void);
	u32 weight;
} ops[] = {
    {ptx_random_access, 48},
    {map_page, 12},
    {map_large_or_page, 3},
    {map_block, 3},
    {unmap, 8},
    {remap, 5},
    {protect, 7},
    {table_attrs, 2},
    {dacr_or_switch, 3},
    {switch_as, 4},
    {ptx_random_tlbi, 5},
    {refill, 1},
};

void ptx_random_op(void)
{
	u32 total = 0;
	for (u32 i = 0; i < ARRAY_SIZE(ops); i++) {
		total += ops[i].weight;
	}
	u32 r = ptx_below(total), i = 0;
	while (r >= ops[i].weight) {
		r -= ops[i].weight;
		i++;
	}
	ops[i].run();
}
