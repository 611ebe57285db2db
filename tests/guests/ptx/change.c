/* Every descriptor change of the exerciser: the rules it obeys (checked: breaking one is a
 * bug of the guest and stops it), the path the write takes (the identity map, or a second
 * mapping of the table's frame), and what the change leaves behind (stale TLB entries, an
 * unlinked table in quarantine). Also the values random stores write: descriptors, when a
 * store lands in a page table through some mapping of it.
 *
 * The rules (ARM ARM B3.10.1): a valid descriptor may be replaced in place only by one of
 * the same shape (a leaf of the same size, or the same table with other attributes); any
 * other change is break-before-make: the entry becomes invalid, maintenance removes every
 * entry a TLB may hold for its pages, and only then is the new descriptor written. A large
 * page (16 identical entries) is always broken first, as no single write changes it. */
#include "ptx.h"
#include "tb/cp15.h"
#include "tb/lpae.h"

#define ALIAS_PCT 50u /* changes written through a second mapping when there is one */

static struct ptx_recent recent[PTX_RECENT];
static u32 nrecent, recent_next;

void ptx_remember(u32 va, u32 pa, u32 size, u32 as)
{
	recent[recent_next] = (struct ptx_recent){va, pa, size, as};
	recent_next = (recent_next + 1) % PTX_RECENT;
	if (nrecent < PTX_RECENT) {
		nrecent++;
	}
}

const struct ptx_recent *ptx_recent(u32 i)
{
	return nrecent == 0 ? NULL : &recent[i % nrecent];
}

void ptx_random_leaf(struct ptx_leaf *l, enum ptx_win w, u32 shift, u32 pa)
{
	/* Access permissions, mostly read/write for both levels (B3.7.1): short AP[2:0] with
	 * AFE=0 (0b100 is reserved: never); LPAE AP[2:1]. */
	static const u8 sd_perms[] = {0, 1, 1, 2, 3, 3, 3, 3, 5, 6, 7};
	static const u8 lpae_perms[] = {LPAE_AP_RW_PL1, LPAE_AP_RW_ALL, LPAE_AP_RW_ALL,
					LPAE_AP_RW_ALL, LPAE_AP_RO_PL1, LPAE_AP_RO_ALL};
	l->pa = pa;
	l->shift = shift;
	l->perm = ptx.lpae ? lpae_perms[ptx_below(ARRAY_SIZE(lpae_perms))]
			   : sd_perms[ptx_below(ARRAY_SIZE(sd_perms))];
	l->attr = (u8)ptx_below(PTX_ATTRS);
	l->domain = (u8)ptx_below(4);
	l->xn = ptx_chance(15);
	l->pxn = ptx_chance(10);
	l->ng = w == WIN_USER || ptx_chance(40); /* the user window holds nG entries only */
	l->af = !ptx.lpae || ptx_chance(93);
	/* Software bits, as Linux sets them per page: no other kind of leaf (spt_fill_known). */
	l->ignored =
	    ptx.lpae && ptx_chance(30) ? (u16)ptx_below(1u << (64 - LPAE_LEAF_IGNORED_SHIFT)) : 0;
}

void ptx_random_table(struct ptx_table *t, u32 pa)
{
	t->pa = pa;
	t->domain = (u8)ptx_below(4);
	t->pxn = ptx_chance(15);
	t->aptable = ptx_chance(15) ? (u8)ptx_below(4) : 0;
	t->xntable = ptx_chance(10);
}

/* same_shape: both leaves of one size (not a large page), or both the same table. */
static bool same_shape(const struct ptx_entry *e, u64 old, u64 new)
{
	enum pt_kind ko = ptx_kind(e, old), kn = ptx_kind(e, new);
	if (ko == PT_LEAF && kn == PT_LEAF) {
		u32 s = ptx_leaf_shift(e, old);
		return s == ptx_leaf_shift(e, new) && s != PTX_LARGE_SHIFT;
	}
	return ko == PT_TABLE && kn == PT_TABLE && ptx_table_pa(e, old) == ptx_table_pa(e, new);
}

bool ptx_change_ok(const struct ptx_entry *e, u64 old, u64 new)
{
	enum pt_kind kn = ptx_kind(e, new);
	if (new == old || kn == PT_INVALID) {
		return true;
	}
	if (e->win == WIN_USER && kn == PT_LEAF && ptx_global(e, new)) {
		return false; /* a global user entry would be used by every address space */
	}
	if (ptx_kind(e, old) != PT_INVALID) {
		return same_shape(e, old, new);
	}
	u32 first, n;
	ptx_range(e, new, &first, &n);
	return ptx_range_clean(e->win, e->as, first, n);
}

void ptx_changed(const struct ptx_entry *e, u64 old, u64 new)
{
	if (old == new) {
		return;
	}
	ptx.changes++;
	ptx_stale(e, old);
	if (e->slot && ptx_kind(e, old) == PT_TABLE &&
	    !(ptx_kind(e, new) == PT_TABLE && ptx_table_pa(e, new) == ptx_table_pa(e, old))) {
		ptx_quarantine(ptx_table_pa(e, old), e->win, e->as, e->page / ptx_slot_pages());
	}
}

void ptx_change(const struct ptx_entry *e, u64 new)
{
	u64 old = ptx_desc_read(e->pa);
	if (!ptx_change_ok(e, old, new)) {
		ptx_fail("descriptor at 0x%08x: 0x%llx -> 0x%llx breaks the change rules", e->pa,
			 old, new);
	}
	u32 va = ptx_chance(ALIAS_PCT) ? ptx_alias_va(e->pa) : 0;
	if (va != 0) {
		isb(); /* the alias may have been mapped just now */
	}
	const char *form = ptx_desc_write(e, &va, old, new);
	dsb(); /* the walks see the new descriptor */
	ptx_note("desc 0x%08x%s: 0x%llx -> 0x%llx (%s)", e->pa, va != e->pa ? " (alias)" : "", old,
		 new, form);
	ptx_changed(e, old, new);
}

bool ptx_entry_at(u32 pa, struct ptx_entry *e)
{
	struct ptx_frame *f = ptx_frame(pa);
	u32 db = ptx_desc_bytes();
	if (f == NULL || f->role != ROLE_TABLE || pa % db != 0) {
		return false;
	}
	u32 idx = (pa & PAGE_OFFSET_MASK) / db;
	if (idx >= f->entries || (f->stride != PTX_PAGE_SHIFT && f->stride != ptx_slot_shift())) {
		return false;
	}
	enum ptx_win w;
	u32 page;
	if (!ptx_win_page(f->base_va + (idx << f->stride), &w, &page) || w != f->win) {
		return false;
	}
	e->pa = pa;
	e->win = (u8)w;
	e->as = w == WIN_USER ? f->as : 0;
	e->slot = f->stride != PTX_PAGE_SHIFT;
	e->page = (u16)page;
	return true;
}

/* in_large_group: short format: is a page entry one of a large page's 16? */
static bool in_large_group(const struct ptx_entry *e)
{
	struct ptx_entry g = *e;
	u32 first = e->pa & ~(PTX_LARGE * 4u - 1u);
	for (u32 i = 0; i < PTX_LARGE; i++) {
		g.pa = first + 4 * i;
		u64 d = ptx_desc_read(g.pa);
		if (ptx_kind(&g, d) == PT_LEAF && ptx_leaf_shift(&g, d) == PTX_LARGE_SHIFT) {
			return true;
		}
	}
	return false;
}

/* replacement: a random new descriptor for e, which holds old. */
static u64 replacement(const struct ptx_entry *e, u64 old)
{
	enum pt_kind k = ptx_kind(e, old);
	u32 r = ptx_below(100);
	if (r < 15 || (!e->slot && !ptx.lpae && in_large_group(e))) {
		return old;
	}
	if (k == PT_TABLE) {
		struct ptx_table t;
		ptx_random_table(&t, ptx_table_pa(e, old));
		return r < 55 ? 0 : ptx.lpae ? old : ptx_table_desc(&t);
	}
	if (r < 45 && k != PT_INVALID) {
		return 0;
	}
	struct ptx_leaf l;
	u32 shift = e->slot ? ptx_slot_shift() : PTX_PAGE_SHIFT;
	ptx_random_leaf(&l, e->win, shift,
			e->slot ? ptx_random_block(shift) : ptx_random_page(PTX_TABLE_PAGE_PCT));
	return ptx_leaf_desc(e, &l);
}

u32 ptx_store_value(u32 pa, struct ptx_entry *e, u64 *old, u64 *new, bool *is_desc)
{
	struct ptx_frame *f = ptx_frame(pa);
	*is_desc = false;
	if (f == NULL || f->role == ROLE_DATA) {
		return ptx_movw_r0(ptx_below(BIT(16)));
	}
	u32 now = *(volatile u32 *)(uintptr_t)pa;
	if (f->role != ROLE_TABLE || !ptx_entry_at(pa, e)) {
		return now; /* a quarantined table or a fixed entry: stored unchanged */
	}
	*old = ptx_desc_read(pa);
	*new = replacement(e, *old);
	if (ptx.lpae) {
		*new = (*old & ~(u64)MASK(32)) | (u32) * new; /* a word store: the low half only */
	}
	if (!ptx_change_ok(e, *old, *new)) {
		*new = *old & ~(u64)MASK(32); /* not allowed now: invalid instead */
	}
	*is_desc = *new != *old;
	return (u32) * new;
}
