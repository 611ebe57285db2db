/* The shadow table store (spt.h): pool, roots, reverse map, sources, write protection.
 *
 * Invariants (spt_check verifies I1, I3, I4 and I5; I2 and I6 need the guest's tables: the
 * differential tests check them, tests/unit/test_spt.c and the ptx exerciser):
 *   I1 every valid leaf except the fixed page (the trampoline, spt_config.fixed_va, mapped
 *      in every root and never removed) maps guest RAM and is on the reverse-map
 *      chain of its frame, exactly once; every chain entry is such a leaf;
 *   I2 every leaf's guest descriptors are sources of the page holding it (or of its level-2
 *      page), registered on the chain of their frame: a change to any of them is seen;
 *   I3 a frame with sources and not out of sync has no writable leaf (write protection), and
 *      a leaf read-only where the guest grants the write (SPTE_SW_WRITABLE) maps such a
 *      frame (spt_caught_write relies on it);
 *   I4 a page's nvalid counts its valid entries; the free list holds every unused page;
 *      every source chain holds exactly its frame's sources, counted in its nsrc (and
 *      those whose range holds the fixed page's VA in its nfixed);
 *   I5 a level-3 page's fill memo, while current, names one of the page's own sources
 *      (spt_check verifies the leaf run; the upper descriptors are covered by I2);
 *   I6 every leaf equals what a walk of the guest's tables gave when it was built from
 *      descriptors that are, for a frame in sync, still there (a change to one is caught:
 *      I2, I3) and, for a frame out of sync, in its snapshot (oos_refresh): after a resync
 *      no leaf is stale, which is why TLB maintenance has nothing else to remove. A *lent*
 *      leaf (SPTE_SW_LENT, spt_lend_pl1_write) differs from it in its AP bits alone: PL1
 *      read/write, PL0 no access, for a guest entry that lets PL0 read as well. */
#include "spt.h"
#include "shadow.h"
#include "tb/lpae.h"
#include "tb/pt.h"
#include "tb/str.h"

/* Software-use bits of a leaf (B3.6.2: bits [58:55] are reserved for software use). */
#define SPTE_SW_WRITABLE BIT64(55) /* the guest grants the write; protection may remove it */
#define SPTE_SW_LENT	 BIT64(56) /* lent to PL1: AP[2:1] = 0b00 (spt_lend_pl1_write) */
#define SPTE_SW_FIXED	 BIT64(57) /* the fixed page: never removed */
#define SPTE_AP_MASK	 ((u64)LPAE_AP_RO_ALL << LPAE_AP_SHIFT)
#define SPTE_AP_RO	 ((u64)LPAE_AP_RO_PL1 << LPAE_AP_SHIFT) /* AP[2]: read-only */

#define SPT_ENTRIES   512u
#define SPT_PAGE_SRCS 3u /* short format: level-1 pair + two level-2 tables per 2 MiB */
#define SPT_NO_PAGE   0xffffffffu
#define SPT_HASH      64u
#define SPT_EMPTY     SPT_MAX_ROOTS /* roots[] index of the empty root */

/* A run of guest descriptors in one frame that shaped a shadow page. */
struct spt_src {
	u32 frame;	/* guest frame index, from ram_ipa */
	u16 off, len;	/* the descriptors' bytes in the frame */
	u32 va;		/* VA translated by the first of them */
	u8 shift;	/* log2 VA span of one descriptor */
	u8 cover;	/* log2 VA span of them all (above a page: src_attach) */
	u8 dshift;	/* log2 descriptor size */
	bool used;	/* slot in use */
	bool fixed;	/* its VA range holds the fixed page's */
	bool marked;	/* spt_guest_wrote: to be handled */
	u32 prev, next; /* the frame's chain (source ids, 0: none) */
	u32 mark_va;	/* the VA range a marked write shaped */
	u32 mark_size;
};

struct spt_page {
	u8 level;    /* 0: free; else the LPAE level 1..3 of the table */
	u8 root;     /* owning root (roots[] index) */
	bool pinned; /* on the fixed page's path: entries removed, never the page */
	u32 nvalid;
	u32 va; /* first VA it translates */
	u32 next_free;
	/* Its sources: SPT_PAGE_SRCS slots of s.srcs (page_src). */
	/* Level 3: the walk of its last fill, whose sources were all attached then and still
	 * are while s.src_epoch is memo_epoch (src_unlink changes it): a fill through the same
	 * upper descriptors, to a descriptor of the same leaf-table run, needs no source
	 * lookup (fill_once). While no frame is out of sync as well, the upper descriptors
	 * hold what that walk read (write protection: a write to one unlinks the sources of
	 * what it shaped), so a miss in their range starts at the last level (spt_fill_known). */
	u32 memo_epoch; /* 0: none */
	u8 memo_depth;
	u8 memo_eshift;	   /* log2 VA span of one descriptor of the last level */
	u8 memo_dshift;	   /* log2 of the descriptor size */
	u32 memo_upper[2]; /* IPAs of the descriptors above the leaf's */
	u32 memo_lo;	   /* the leaf descriptor's source run: first byte's IPA, length */
	u32 memo_len;
	u8 *memo_flood[3];    /* the flood counts of the walk's frames (unused: s.flood_sink) */
	uintptr_t memo_table; /* host address of the last level's table */
	u32 memo_imask;	      /* its index bits, above memo_eshift */
	u32 memo_vmask;	      /* VA bits fixed by the upper descriptors (0: none read) */
	u32 memo_va;	      /* their value */
	struct spt_leaf_kind memo_kind;
};

/* A node of the reverse map's chains (rmap_head): the next and previous node ids. */
struct spt_rlink {
	u32 next, prev;
};

struct spt_frame {
	u32 srcs; /* first source id mapping it */
	u16 nsrc;
	u8 oos;	  /* out-of-sync slot + 1 */
	u8 flood; /* writes caught since a fill last read one of its descriptors (frame_unshadow) */
	u16 nfixed; /* of its sources, those whose range holds the fixed page's VA */
	u16 unused[3];
};
_Static_assert(sizeof(struct spt_frame) == 16, "frames indexed by a shift");

struct spt_root {
	struct spt_key key;
	u32 l1; /* pool page of its level-1 table */
	u32 stamp;
	bool used;
	u8 hash_next; /* roots[] index + 1 */
	u64 hw_ttbr0; /* the hardware TTBR0 that runs it */
};

static struct {
	struct spt_config c;
	paddr_t pool;
	uintptr_t pool_host; /* the same, as an address */
	struct spt_page *pages;
	struct spt_src *srcs;	 /* by source id (src_id; 0 unused) */
	struct spt_rlink *rlink; /* reverse-map nodes: leaf ids (page * 512 + slot), then heads */
	u32 nleaves;		 /* leaf ids: the first head's node id */
	struct spt_frame *frames;
	u32 nframes;
	u32 free_head, nfree;
	struct spt_root roots[SPT_MAX_ROOTS + 1];
	u8 hash[SPT_HASH];
	u32 current;
	const u64 *cur_l1; /* the current root's level-1 table */
	u32 previous;	   /* the root run before the current one (ping-pong switches) */
	u32 clock;
	u32 oos_frame[SPT_MAX_OOS]; /* frame + 1 */
	paddr_t snap[SPT_MAX_OOS];
	bool fixed_touched;
	u32 noos;	 /* out-of-sync frames */
	u32 src_epoch;	 /* changes whenever a source is unlinked (see spt_page.memo_epoch) */
	u8 flood_sink;	 /* the flood count of no frame (spt_page.memo_flood) */
	bool spurious;	 /* a fill found its leaf in place (leaf_spurious) */
	u32 desc_bytes;	 /* of the guest's format (spt_set_format) */
	u32 fault_types; /* its descriptor types that are fault entries at every level */
} s;

/* Source ids: page * SPT_SRC_STRIDE + slot + 1 (0: none), each its index in s.srcs; a
 * power of two of them per page, so that src_page is a shift. */
#define SPT_SRC_STRIDE 4u
_Static_assert(SPT_PAGE_SRCS <= SPT_SRC_STRIDE, "source slots per page");

static inline u32 src_id(u32 pg, u32 k)
{
	return pg * SPT_SRC_STRIDE + k + 1;
}

static inline u32 src_page(u32 id)
{
	return (id - 1) / SPT_SRC_STRIDE;
}

static inline struct spt_src *src_at(u32 id)
{
	return &s.srcs[id];
}

/* page_src: source slot k of page pg. */
static inline struct spt_src *page_src(u32 pg, u32 k)
{
	return src_at(src_id(pg, k));
}

/* The store's tables are LPAE with T0SZ = 0 (B3.6.4): by level, the log2 VA span of one
 * entry and of a whole table (level 1: the 4 GiB space). spt_init checks them against
 * the format description. */
static const u8 lvl_entry[4] = {0, 30, 21, 12};
static const u8 lvl_span[4] = {0, 32, 30, 21};

static const struct pt_format *const fmt = &pt_lpae_s1;

/* ---- pages ---- */

static u64 *table(u32 pg)
{
	return (u64 *)(s.pool_host + pg * PAGE_SIZE_4K);
}

/* table_at: the table a table descriptor of the store's own points to. Native-width
 * arithmetic: the pool is addressable memory (below 4 GiB in the hypervisor, whose MMU is
 * off), and this is on every lookup's path. */
static u64 *table_at(u64 d)
{
	return (u64 *)(uintptr_t)(d & LPAE_OA_MASK);
}

/* page_index: the pool page of table t. */
static u32 page_index(const u64 *t)
{
	return (u32)(((uintptr_t)t - s.pool_host) >> 12);
}

/* page_of: the pool page a table descriptor of the store's own points to. */
static u32 page_of(u64 d)
{
	u32 pg = page_index(table_at(d));
	SPT_ASSERT(pg < s.c.pool_pages && (u64)(uintptr_t)table_at(d) == (d & LPAE_OA_MASK));
	return pg;
}

/* entry_shift: log2 of the VA span of one entry of a page at LPAE level lvl. */
static inline u32 entry_shift(u32 lvl)
{
	return lvl_entry[lvl];
}

/* page_span_shift: log2 of the VA span of a whole table at LPAE level lvl (a root: 4 GiB). */
static inline u32 page_span_shift(u32 lvl)
{
	return lvl_span[lvl];
}

/* page_desc: a level-3 page descriptor of pa, page aligned (B3.6.1: bits [1:0] = 0b11 at
 * level 3). */
static inline u64 page_desc(paddr_t pa, u64 attrs)
{
	return pa | LPAE_VALID | LPAE_TYPE_TABLE | attrs;
}

/* holds_fixed: does [va, va + size) hold the fixed page's VA? */
static inline bool holds_fixed(u32 va, u64 size)
{
	return va <= s.c.fixed_va && s.c.fixed_va - va < size;
}

static u32 hw_asid(u32 root)
{
	return root == SPT_EMPTY ? 0 : root + 1;
}

/* frame_of_ipa: the guest RAM frame of ipa; s.nframes or more if ipa is not RAM. */
static u32 frame_of_ipa(paddr_t ipa)
{
	/* 32-bit arithmetic: guest RAM lies below 4 GiB (spt_config.ram_ipa). */
	return (ipa >> 32) != 0 ? SPT_NO_PAGE : ((u32)ipa - s.c.ram_ipa) >> 12;
}

/* frame_of_leaf: the guest frame a leaf maps (not the fixed page's). */
static u32 frame_of_leaf(u64 d)
{
	/* 32-bit arithmetic: guest RAM's host copy lies below 4 GiB (checked by spt_init). */
	return (((u32)d & (u32)LPAE_OA_MASK) - (u32)s.c.ram_host) >> 12;
}

static bool make_room(u32 keep);

/* page_alloc: a zeroed pool page for a table at level lvl of root translating from va;
 * SPT_NO_PAGE if none is left even after evicting every root but keep. */
static u32 page_alloc(u32 lvl, u32 root, u32 va, u32 keep)
{
	if (s.free_head == SPT_NO_PAGE && !make_room(keep)) {
		return SPT_NO_PAGE;
	}
	u32 pg = s.free_head;
	struct spt_page *p = &s.pages[pg];
	s.free_head = p->next_free;
	s.nfree--;
	for (u32 k = 0; k < SPT_PAGE_SRCS; k++) {
		SPT_ASSERT(!page_src(pg, k)->used); /* page_free unlinked them */
	}
	memset(p, 0, sizeof(*p));
	p->level = (u8)lvl;
	p->root = (u8)root;
	p->va = va;
	memset(table(pg), 0, 4096);
	counter_inc(&shadow_values[SH_tables]);
	return pg;
}

static void src_unlink(u32 pg, u32 k);

/* page_free: give back a table whose entries are all gone. */
static void page_free(u32 pg)
{
	struct spt_page *p = &s.pages[pg];
	SPT_ASSERT(p->level != 0 && p->nvalid == 0);
	for (u32 k = 0; k < SPT_PAGE_SRCS; k++) {
		if (page_src(pg, k)->used) {
			src_unlink(pg, k);
		}
	}
	p->level = 0;
	p->next_free = s.free_head;
	s.free_head = pg;
	s.nfree++;
	counter_inc(&shadow_values[SH_tables_freed]);
}

/* ---- the reverse map ---- */

/* Each frame's leaves form a circular doubly linked chain through s.rlink, closed by the
 * frame's head node (an empty chain: the head alone), so that no link is special and a
 * leaf leaves its chain without knowing its frame. */

/* rmap_head: the node id of frame's head. */
static inline u32 rmap_head(u32 frame)
{
	return s.nleaves + frame;
}

/* rmap_insert: leaf (mapping frame) into frame's chain. */
static inline void rmap_insert(u32 frame, u32 leaf)
{
	struct spt_rlink *r = s.rlink;
	u32 head = rmap_head(frame), first = r[head].next;
	r[leaf] = (struct spt_rlink){first, head};
	r[first].prev = leaf;
	r[head].next = leaf; /* counted as shadow.fills (shadow.rmap_inserts is derived) */
}

/* rmap_remove: leaf out of its frame's chain. */
static inline void rmap_remove(u32 leaf)
{
	struct spt_rlink *r = s.rlink;
	u32 prev = r[leaf].prev, next = r[leaf].next;
	r[prev].next = next;
	r[next].prev = prev;
	/* counted as shadow.zaps (shadow.rmap_removes is derived) */
}

/* for_each_rmap: l runs over the leaves mapping frame (the body must not remove them). */
#define for_each_rmap(l, frame)                                                                    \
	for (u32 l = s.rlink[rmap_head(frame)].next; l != rmap_head(frame); l = s.rlink[l].next)

static u32 leaf_va(u32 leaf)
{
	return s.pages[leaf / SPT_ENTRIES].va + ((leaf % SPT_ENTRIES) << 12);
}

static u64 *leaf_desc(u32 leaf)
{
	return &table(leaf / SPT_ENTRIES)[leaf % SPT_ENTRIES];
}

/* frame_set_ro: every leaf mapping frame read-only (ro) or, where the guest grants the
 * write, writable again (!ro). */
static void frame_set_ro(u32 frame, bool ro)
{
	for_each_rmap(l, frame)
	{
		u64 *d = leaf_desc(l);
		u64 nd = ro ? (*d | SPTE_AP_RO) : (*d & SPTE_SW_WRITABLE) ? (*d & ~SPTE_AP_RO) : *d;
		if (nd != *d) {
			*d = nd;
			spt_hw_flush_va(leaf_va(l), hw_asid(s.pages[l / SPT_ENTRIES].root));
		}
	}
}

/* ---- sources ---- */

/* src_ipa: the IPA of the first byte of source run src. */
static u32 src_ipa(const struct spt_src *src)
{
	return s.c.ram_ipa + (src->frame << 12) + src->off;
}

static void oos_release(u32 frame);

/* epoch_advance: a source is gone: every fill memo is void (spt_page.memo_epoch). */
static void epoch_advance(void)
{
	if (++s.src_epoch == 0) { /* wrapped: forget the memos that the new epochs would match */
		for (u32 pg = 0; pg < s.c.pool_pages; pg++) {
			s.pages[pg].memo_epoch = 0;
		}
		s.src_epoch = 1;
	}
}

/* src_unlink: drop source k of page pg; a frame left without sources is no page table. */
static void src_unlink(u32 pg, u32 k)
{
	struct spt_src *src = page_src(pg, k);
	u32 id = src_id(pg, k);
	struct spt_frame *f = &s.frames[src->frame];
	if (src->prev != 0) {
		src_at(src->prev)->next = src->next;
	} else {
		SPT_ASSERT(f->srcs == id);
		f->srcs = src->next;
	}
	if (src->next != 0) {
		src_at(src->next)->prev = src->prev;
	}
	src->used = false;
	f->nfixed -= src->fixed ? 1 : 0;
	epoch_advance();
	SPT_ASSERT(f->nsrc > 0);
	if (--f->nsrc == 0) { /* no page table any more: its leaves writable again (I3) */
		if (f->oos != 0) {
			oos_release(src->frame); /* they are already */
		} else {
			frame_set_ro(src->frame, false);
		}
	}
}

/* src_attach: record that page pg was shaped by the guest descriptor at ipa, read at level
 * lvl of a walk of that shape for va: the run of its table that covers pg's VA range becomes a
 * source of pg (*slot: which). A frame that becomes a page table is write-protected (I3).
 * false if pg has no free source slot. */
static bool src_attach(u32 pg, u32 va, paddr_t ipa, const struct spt_shape *shape, u32 lvl,
		       u32 *slot)
{
	struct spt_page *p = &s.pages[pg];
	u32 dframe = frame_of_ipa(ipa), doff = (u32)ipa & PAGE_OFFSET_MASK;
	u32 entry_shift = shape->entry_shift[lvl], table_shift = shape->table_shift[lvl];
	for (u32 k = 0; k < SPT_PAGE_SRCS; k++) {
		/* Already a source: most fills in a table come through the same descriptors. */
		const struct spt_src *o = page_src(pg, k);
		if (o->used && o->frame == dframe && o->shift == entry_shift &&
		    doff - o->off < o->len &&
		    o->va + (((doff - o->off) >> o->dshift) << o->shift) ==
			(va & ~MASK(o->shift))) {
			*slot = k;
			return true; /* the same descriptor, for the same VA (tables may alias) */
		}
	}
	u32 span = page_span_shift(p->level);
	u32 cover = table_shift < span ? table_shift : span;
	SPT_ASSERT(cover >= entry_shift && cover > 12 && cover < 32);
	u32 first_va = va & ~MASK(cover);
	paddr_t first = ipa - (paddr_t)((va - first_va) >> entry_shift) * shape->desc_bytes;
	u32 len = (1u << (cover - entry_shift)) * shape->desc_bytes;
	u32 frame = frame_of_ipa(first), off = (u32)first & PAGE_OFFSET_MASK;
	SPT_ASSERT(frame < s.nframes && off + len <= PAGE_SIZE_4K);
	u32 free_k = SPT_PAGE_SRCS;
	for (u32 j = 0; j < SPT_PAGE_SRCS; j++) {
		const struct spt_src *o = page_src(pg, j);
		if (!o->used) {
			free_k = free_k == SPT_PAGE_SRCS ? j : free_k;
		} else if (o->frame == frame && o->off == off && o->len == len &&
			   o->va == first_va) {
			*slot = j;
			return true;
		}
	}
	if (free_k == SPT_PAGE_SRCS) {
		return false;
	}
	*slot = free_k;
	struct spt_src *src = page_src(pg, free_k);
	struct spt_frame *f = &s.frames[frame];
	*src = (struct spt_src){.frame = frame,
				.off = (u16)off,
				.len = (u16)len,
				.va = first_va,
				.shift = (u8)entry_shift,
				.cover = (u8)cover,
				.dshift = shape->desc_bytes == 8 ? 3 : 2,
				.used = true,
				.fixed = holds_fixed(first_va, BIT64(cover)),
				.next = f->srcs};
	u32 id = src_id(pg, free_k);
	if (f->srcs != 0) {
		src_at(f->srcs)->prev = id;
	}
	f->srcs = id;
	f->nfixed += src->fixed ? 1 : 0;
	if (f->nsrc++ == 0 && f->oos == 0) {
		f->flood = 0;
		frame_set_ro(frame, true);
		counter_inc(&shadow_values[SH_frames_protected]);
	}
	return true;
}

/* ---- removing shadow entries ---- */

/* One removal: the leaves of [va, va + size) (the fixed page's aside). */
struct zap {
	u64 va, size;
	bool keep_pages; /* never free a table (the caller holds it) */
	u32 hw_asid;
	u32 flushed;	 /* leaves flushed one by one */
	bool flush_asid; /* too many, or a table freed: flush the whole ASID at the end */
};

#define ZAP_FLUSH_EACH_MAX 8u

/* leaf_remove: remove leaf slot of level-3 page pg and its reverse-map entry, not yet its
 * TLB entry; returns the VA it mapped. */
static inline __attribute__((always_inline)) u32 leaf_remove(u32 pg, u32 slot)
{
	struct spt_page *p = &s.pages[pg];
	u64 *t = table(pg);
	t[slot] = 0;
	p->nvalid--;
	rmap_remove(pg * SPT_ENTRIES + slot);
	counter_inc(&shadow_values[SH_zaps]);
	return p->va + (slot << 12);
}

/* leaf_zap: remove leaf slot of level-3 page pg (mapping va), its reverse-map entry and its
 * TLB entry. */
static inline __attribute__((always_inline)) void leaf_zap(u32 pg, u32 slot, u32 va)
{
	leaf_remove(pg, slot);
	spt_hw_flush_va(va, hw_asid(s.pages[pg].root));
}

/* clear_leaf: remove leaf slot of level-3 page pg, its reverse-map entry and its TLB entry
 * (or mark z's ASID for one flush at the end). */
static void clear_leaf(u32 pg, u32 slot, struct zap *z)
{
	u32 va = leaf_remove(pg, slot);
	if (z->flushed < ZAP_FLUSH_EACH_MAX) {
		spt_hw_flush_va(va, z->hw_asid);
		z->flushed++;
	} else {
		z->flush_asid = true;
	}
}

/* drop_sources: the sources of pg that shaped only [lo, hi), whose leaves are all gone. */
static void drop_sources(u32 pg, u64 lo, u64 hi)
{
	for (u32 k = 0; k < SPT_PAGE_SRCS; k++) {
		const struct spt_src *src = page_src(pg, k);
		if (src->used && src->va >= lo && src->va + BIT64(src->cover) <= hi) {
			src_unlink(pg, k);
		}
	}
}

/* zap_table: apply z to the table in page pg and below it; tables it empties over their
 * whole range are freed. */
static void zap_table(u32 pg, struct zap *z)
{
	struct spt_page *p = &s.pages[pg];
	u32 sh = entry_shift(p->level);
	u64 pend = (u64)p->va + BIT64(page_span_shift(p->level));
	u64 lo = z->va > p->va ? z->va : p->va;
	u64 hi = z->va + z->size < pend ? z->va + z->size : pend;
	if (lo >= hi) {
		return;
	}
	u64 *t = table(pg);
	u32 i1 = (u32)((hi - 1 - p->va) >> sh);
	for (u32 i = (u32)((lo - p->va) >> sh); i <= i1; i++) {
		u64 d = t[i];
		if ((d & LPAE_VALID) == 0) {
			continue;
		}
		if (p->level == 3) {
			if ((d & SPTE_SW_FIXED) == 0) {
				clear_leaf(pg, i, z);
			}
			continue;
		}
		u32 child = page_of(d);
		zap_table(child, z);
		u64 cva = (u64)p->va + ((u64)i << sh);
		if (!z->keep_pages && !s.pages[child].pinned && s.pages[child].nvalid == 0 &&
		    lo <= cva && cva + BIT64(sh) <= hi) {
			t[i] = 0;
			p->nvalid--;
			page_free(child);
			z->flush_asid = true; /* walks may have cached the table entry */
		}
	}
	drop_sources(pg, lo, hi);
}

/* zap_root: apply z to root r. */
static void zap_root(u32 r, struct zap *z)
{
	z->hw_asid = hw_asid(r);
	z->flushed = 0;
	z->flush_asid = false;
	zap_table(s.roots[r].l1, z);
	if (z->flush_asid) {
		spt_hw_flush_asid(z->hw_asid);
	}
}

/* zap_range: remove the leaves of [va, va + size) in root r. */
static void zap_range(u32 r, u64 va, u64 size)
{
	struct zap z = {.va = va, .size = size};
	zap_root(r, &z);
}

/* ---- roots ---- */

static u64 root_ttbr0(u32 r)
{
	return (s.pool + (paddr_t)s.roots[r].l1 * PAGE_SIZE_4K) |
	       ((u64)hw_asid(r) << LPAE_TTBR_ASID_SHIFT);
}

/* child: the table below entry va of page pg, allocated for root r if absent. */
static u32 child(u32 pg, u32 va, u32 r)
{
	struct spt_page *p = &s.pages[pg];
	u64 *t = table(pg);
	u32 i = (va - p->va) >> entry_shift(p->level);
	if ((t[i] & LPAE_VALID) != 0) {
		return page_of(t[i]);
	}
	u32 lvl = p->level + 1u;
	u32 c = page_alloc(lvl, r, va & ~MASK(page_span_shift(lvl)), r);
	if (c != SPT_NO_PAGE) {
		t[i] = fmt->make_table(s.pool + (paddr_t)c * PAGE_SIZE_4K);
		p->nvalid++;
	}
	return c;
}

/* map_fixed: the fixed page in root r, on pinned tables. */
static void map_fixed(u32 r)
{
	u32 l2 = child(s.roots[r].l1, s.c.fixed_va, r);
	SPT_ASSERT(l2 != SPT_NO_PAGE);
	u32 l3 = child(l2, s.c.fixed_va, r);
	SPT_ASSERT(l3 != SPT_NO_PAGE);
	s.pages[l2].pinned = s.pages[l3].pinned = true;
	table(l3)[(s.c.fixed_va >> 12) % SPT_ENTRIES] =
	    page_desc(s.c.fixed_pa, s.c.fixed_attrs | SPTE_SW_FIXED);
	s.pages[l3].nvalid++;
}

static u32 key_hash(const struct spt_key *k)
{
	/* Table bases are 4 KiB aligned or more, ASIDs small: both mix in the low bits. */
	u32 h = ((u32)k->ttbr0 >> 12) ^ (u32)(k->ttbr0 >> 32) ^ k->asid ^ k->dacr;
	return (h ^ (h >> 6)) % SPT_HASH;
}

static bool key_eq(const struct spt_key *a, const struct spt_key *b)
{
	return a->ttbr0 == b->ttbr0 && a->asid == b->asid && a->dacr == b->dacr && a->mmu == b->mmu;
}

/* root_free: root r and all its tables gone, its hardware ASID clean for reuse. */
static void root_free(u32 r)
{
	struct spt_root *rt = &s.roots[r];
	zap_range(r, 0, BIT64(32));
	u32 l2 = child(rt->l1, s.c.fixed_va, r), l3 = child(l2, s.c.fixed_va, r);
	table(l3)[(s.c.fixed_va >> 12) % SPT_ENTRIES] = 0;
	s.pages[l3].nvalid--;
	table(l2)[(s.c.fixed_va >> 21) % SPT_ENTRIES] = 0;
	s.pages[l2].nvalid--;
	table(rt->l1)[s.c.fixed_va >> 30] = 0;
	s.pages[rt->l1].nvalid--;
	page_free(l3);
	page_free(l2);
	page_free(rt->l1);
	if (r != SPT_EMPTY) {
		u8 *link = &s.hash[key_hash(&rt->key)];
		while (*link != r + 1) {
			SPT_ASSERT(*link != 0);
			link = &s.roots[*link - 1].hash_next;
		}
		*link = rt->hash_next;
	}
	rt->used = false;
	if (s.previous == r) {
		s.previous = SPT_NO_ROOT;
	}
	spt_hw_flush_asid(hw_asid(r));
}

/* make_room: evict the least recently used root other than keep and the current one. */
static bool make_room(u32 keep)
{
	u32 victim = SPT_NO_ROOT;
	for (u32 r = 0; r < SPT_MAX_ROOTS; r++) {
		if (s.roots[r].used && r != keep && r != s.current &&
		    (victim == SPT_NO_ROOT || s.roots[r].stamp < s.roots[victim].stamp)) {
			victim = r;
		}
	}
	if (victim == SPT_NO_ROOT) {
		return false;
	}
	root_free(victim);
	counter_inc(&shadow_values[SH_evictions]);
	return true;
}

/* root_build: a new root for key k, with only the fixed page mapped. */
static u32 root_build(const struct spt_key *k)
{
	u32 r = SPT_NO_ROOT;
	for (u32 i = 0; i < SPT_MAX_ROOTS && r == SPT_NO_ROOT; i++) {
		r = s.roots[i].used ? SPT_NO_ROOT : i;
	}
	if (r == SPT_NO_ROOT) {
		SPT_ASSERT(make_room(SPT_NO_ROOT));
		return root_build(k);
	}
	struct spt_root *rt = &s.roots[r];
	*rt = (struct spt_root){.key = *k, .used = true};
	rt->l1 = page_alloc(1, r, 0, r);
	SPT_ASSERT(rt->l1 != SPT_NO_PAGE);
	map_fixed(r);
	rt->hw_ttbr0 = root_ttbr0(r);
	u32 h = key_hash(k);
	rt->hash_next = s.hash[h];
	s.hash[h] = (u8)(r + 1);
	counter_inc(&shadow_values[SH_roots_built]);
	return r;
}

static u32 root_find(const struct spt_key *k)
{
	for (u32 i = s.hash[key_hash(k)]; i != 0; i = s.roots[i - 1].hash_next) {
		if (key_eq(&s.roots[i - 1].key, k)) {
			return i - 1;
		}
	}
	return SPT_NO_ROOT;
}

/* set_current: root r (or SPT_EMPTY) is the one the hardware runs. */
static void set_current(u32 r)
{
	s.current = r;
	s.cur_l1 = table(s.roots[r].l1);
}

static inline __attribute__((always_inline)) u64 make_current(u32 r)
{
	if (s.current != r && s.current != SPT_EMPTY) {
		s.previous = s.current;
	}
	set_current(r);
	s.roots[r].stamp = ++s.clock;
	return s.roots[r].hw_ttbr0;
}

/* empty_ttbr0: the empty root made current: the shared root that maps only the fixed
 * page; its hardware TTBR0. */
static u64 empty_ttbr0(void)
{
	set_current(SPT_EMPTY);
	return s.roots[SPT_EMPTY].hw_ttbr0;
}

/* cached_root: the root of key k, or SPT_NO_ROOT. */
static inline u32 cached_root(const struct spt_key *k)
{
	u32 r = s.previous; /* ping-pong switches: the root run before this one */
	return r != SPT_NO_ROOT && key_eq(&s.roots[r].key, k) ? r : root_find(k);
}

u64 spt_switch(const struct spt_key *k)
{
	u32 r = cached_root(k);
	if (r == SPT_NO_ROOT) {
		return empty_ttbr0();
	}
	counter_inc(&shadow_values[SH_root_hits]);
	return make_current(r);
}

u64 spt_select(const struct spt_key *k)
{
	u32 r = cached_root(k);
	if (r != SPT_NO_ROOT) {
		counter_inc(&shadow_values[SH_root_hits]);
		return make_current(r);
	}
	counter_inc(&shadow_values[SH_root_misses]);
	return make_current(root_build(k));
}

u32 spt_current(void)
{
	return s.current == SPT_EMPTY ? SPT_NO_ROOT : s.current;
}

void spt_drop_roots(void)
{
	for (u32 r = 0; r < SPT_MAX_ROOTS; r++) {
		if (s.roots[r].used) {
			root_free(r);
		}
	}
	set_current(SPT_EMPTY);
}

/* ---- filling ---- */

/* leaf_table: the level-3 table holding va in root r, or NULL. On the path of every miss
 * and caught write: the store's own tables (whose table descriptors hold the addresses of
 * pool pages), read without the indirect calls of the format description. */
static inline u64 *leaf_table(u32 r, u32 va)
{
	u64 d1 = table(s.roots[r].l1)[va >> lvl_entry[1]];
	if ((d1 & LPAE_VALID) == 0) {
		return NULL;
	}
	u64 d2 = table_at(d1)[(va >> lvl_entry[2]) % SPT_ENTRIES];
	return (d2 & LPAE_VALID) == 0 ? NULL : table_at(d2);
}

/* leaf_page: the level-3 page holding va in root r, or SPT_NO_PAGE. */
static inline u32 leaf_page(u32 r, u32 va)
{
	const u64 *t = leaf_table(r, va);
	return t == NULL ? SPT_NO_PAGE : page_index(t);
}

/* page_reset: every leaf and source of level-3 page pg gone, the page kept. */
static void page_reset(u32 pg)
{
	struct spt_page *p = &s.pages[pg];
	struct zap z = {.va = p->va, .size = BIT64(page_span_shift(p->level)), .keep_pages = true};
	z.hw_asid = hw_asid(p->root);
	zap_table(pg, &z);
	spt_hw_flush_asid(z.hw_asid);
}

/* memo_hit: are f's sources known to be attached, by the memo of level-3 page pg? */
static inline bool memo_hit(const struct spt_page *p, const struct spt_fill *f)
{
	u32 last = f->nsrc - 1;
	if (p->memo_epoch != s.src_epoch || p->memo_depth != f->nsrc ||
	    (u32)f->src[last] - p->memo_lo >= p->memo_len) {
		return false;
	}
	for (u32 k = 0; k < last; k++) {
		if ((u32)f->src[k] != p->memo_upper[k]) {
			return false;
		}
	}
	return true;
}

/* leaf_attrs: attrs (a leaf's, as the module asks) with the store's: SPTE_SW_WRITABLE where
 * the guest grants the write. */
static inline u64 leaf_attrs(u64 attrs)
{
	return (attrs & SPTE_AP_RO) == 0 ? attrs | SPTE_SW_WRITABLE : attrs;
}

/* memo_kind_set: the leaf kind k, the latest that a fill through the memo of p found. */
static void memo_kind_set(struct spt_page *p, const struct spt_leaf_kind *k)
{
	p->memo_kind = *k;
	p->memo_kind.attrs = leaf_attrs(k->attrs);
}

/* memo_desc: the host address of the guest descriptor where the memo of p says a walk of
 * va ends. */
static inline uintptr_t memo_desc(const struct spt_page *p, u32 va)
{
	return p->memo_table + (((va >> p->memo_eshift) & p->memo_imask) << p->memo_dshift);
}

/* memo_set: f's sources are all attached to level-3 page pg and its parent (source slot
 * k of pg for the leaf's descriptor): remember the walk. */
static void memo_set(u32 pg, const struct spt_fill *f, u32 k)
{
	struct spt_page *p = &s.pages[pg];
	const struct spt_src *leaf_src = page_src(pg, k);
	p->memo_epoch = s.src_epoch;
	p->memo_depth = (u8)f->nsrc;
	for (u32 d = 0; d + 1 < f->nsrc; d++) {
		p->memo_upper[d] = (u32)f->src[d];
	}
	p->memo_lo = src_ipa(leaf_src);
	p->memo_len = leaf_src->len;
	for (u32 d = 0; d < ARRAY_SIZE(p->memo_flood); d++) {
		p->memo_flood[d] =
		    d < f->nsrc ? &s.frames[frame_of_ipa(f->src[d])].flood : &s.flood_sink;
	}
	u32 last = f->nsrc - 1, eshift = f->shape->entry_shift[last];
	p->memo_eshift = (u8)eshift;
	p->memo_dshift = f->shape->desc_bytes == 8 ? 3 : 2;
	p->memo_imask = (u32)MASK(f->shape->table_shift[last] - eshift);
	p->memo_table = (uintptr_t)s.c.ram_host + ((u32)f->src[last] - s.c.ram_ipa) -
			(((f->va >> eshift) & p->memo_imask) << p->memo_dshift);
	/* The last upper descriptor translates its entry's span; a walk of one level reads
	 * the TTBR's table, the same for all of this page's range (spt_key). */
	p->memo_vmask = last == 0 ? 0 : ~(u32)MASK(f->shape->entry_shift[last - 1]);
	p->memo_va = f->va & p->memo_vmask;
	memo_kind_set(p, &f->kind);
}

/* attach_sources: f's sources attached to level-3 page l3 and its parent l2 (the deepest
 * shadow table whose range holds each descriptor's whole span); the memo of l3 set. */
static void attach_sources(u32 l2, u32 l3, u32 va, const struct spt_fill *f)
{
	bool reset = false;
	u32 leaf_k = 0;
	for (u32 k = 0; k < f->nsrc; k++) {
		u32 pg = f->shape->entry_shift[k] <= page_span_shift(3) ? l3 : l2;
		u32 slot;
		if (!src_attach(pg, va, f->src[k], f->shape, k, &slot)) {
			/* Sources of an older shape of this range: all go, and this fill's own
			 * are attached again from the first (the reset dropped those too). */
			SPT_ASSERT(!reset);
			page_reset(pg);
			reset = true;
			k = (u32)-1;
			continue;
		}
		leaf_k = slot;
	}
	if (f->nsrc != 0 && f->shape->entry_shift[f->nsrc - 1] <= page_span_shift(3)) {
		memo_set(l3, f, leaf_k);
	}
}

/* fill_tables: the level-3 table of f's page in the current root, allocated and shaped
 * by f's sources (the fill memo did not know them), whose frames' flood counts start
 * again; SPT_NO_PAGE if the pool ran dry. */
static __attribute__((noinline)) u32 fill_tables(const struct spt_fill *f, u32 va)
{
	u32 r = s.current;
	u32 l2 = child(s.roots[r].l1, va, r);
	u32 l3 = l2 == SPT_NO_PAGE ? SPT_NO_PAGE : child(l2, va, r);
	if (l3 == SPT_NO_PAGE) {
		return SPT_NO_PAGE;
	}
	attach_sources(l2, l3, va, f);	    /* asserts that f's sources are in RAM */
	for (u32 k = 0; k < f->nsrc; k++) { /* the tables f read: in use, no write flooding */
		s.frames[frame_of_ipa(f->src[k])].flood = 0;
	}
	return l3;
}

/* memo_frames_used: the tables the memo of level-3 page p read are in use (no write
 * flooding). */
static inline void memo_frames_used(const struct spt_page *p)
{
	_Static_assert(ARRAY_SIZE(p->memo_flood) == 3, "three levels at most");
	*p->memo_flood[0] = 0;
	*p->memo_flood[1] = 0;
	*p->memo_flood[2] = 0;
}

/* leaf_desc_of: the leaf that maps guest frame `frame` (in RAM) with attrs (leaf_attrs),
 * read-only if the frame is a page table in sync. */
static inline u64 leaf_desc_of(u32 frame, u64 attrs)
{
	const struct spt_frame *f = &s.frames[frame];
	if ((attrs & SPTE_SW_WRITABLE) != 0 && f->nsrc != 0 && f->oos == 0) {
		attrs |= SPTE_AP_RO; /* a guest page table: writes are caught */
	}
	/* 32-bit arithmetic: guest RAM's host copy lies below 4 GiB (spt_init), page aligned. */
	return page_desc((u32)s.c.ram_host + (frame << 12), attrs);
}

/* leaf_spurious: a fill for va found its leaf in level-3 page l3 already what the guest's
 * tables give: the abort did not come from it, but from a stale TLB entry (flushed here)
 * or a guest that entered the trampoline's slot itself (spt_take_spurious). */
static __attribute__((noinline)) void leaf_spurious(u32 l3, u32 va)
{
	spt_hw_flush_va(va, hw_asid(s.pages[l3].root));
	counter_inc(&shadow_values[SH_spurious]);
	s.spurious = true;
}

/* leaf_install: the leaf for va in level-3 page l3 maps guest frame `frame` (in RAM) with
 * attrs (leaf_attrs), read-only if the frame is a page table in sync; false if it already
 * did (leaf_spurious). */
static inline __attribute__((always_inline)) bool leaf_install(u32 l3, u32 va, u32 frame, u64 attrs)
{
	u64 *t = table(l3), d = leaf_desc_of(frame, attrs);
	u32 slot = (va >> 12) % SPT_ENTRIES;
	if ((t[slot] & LPAE_VALID) != 0) {
		if (t[slot] != d) {
			/* The hardware missed, or refused what the guest's tables allow, at a
			 * valid leaf that differs from them: stale, which I6 excludes (a lent one
			 * is taken back before any fill: spt_take_back). */
			spt_panic((t[slot] & SPTE_SW_LENT) != 0
				      ? "shadow store invariant broken (I6): a fill found its page "
					"lent to PL1"
				      : "shadow store invariant broken (I6): a fill found its page "
					"shadowed otherwise");
		}
		leaf_spurious(l3, va);
		return false;
	}
	t[slot] = d;
	s.pages[l3].nvalid++;
	rmap_insert(frame, l3 * SPT_ENTRIES + slot);
	counter_inc(&shadow_values[SH_fills]);
	return true;
}

/* fill_once: spt_fill without recovery; false if the pool ran dry. */
static inline __attribute__((always_inline)) bool fill_once(const struct spt_fill *f)
{
	u32 va = f->va & ~PAGE_OFFSET_MASK;
	u32 l3 = leaf_page(s.current, va);
	if (l3 == SPT_NO_PAGE || f->nsrc == 0 || !memo_hit(&s.pages[l3], f)) {
		l3 = fill_tables(f, va);
		if (l3 == SPT_NO_PAGE) {
			return false;
		}
	} else {
		memo_frames_used(&s.pages[l3]);
		memo_kind_set(&s.pages[l3], &f->kind); /* the same walk */
	}
	u32 frame = frame_of_ipa(f->ipa);
	SPT_ASSERT(frame < s.nframes);
	leaf_install(l3, va, frame, leaf_attrs(f->attrs));
	return true;
}

/* fill_recover: spt_fill when the pool ran dry with every other root gone: the current
 * root starts again. */
static __attribute__((noinline)) void fill_recover(const struct spt_fill *f)
{
	counter_inc(&shadow_values[SH_pool_exhausted]);
	zap_range(s.current, 0, BIT64(32));
	SPT_ASSERT(fill_once(f));
}

static inline void frame_wrote(u32 frame, u32 off, u32 bytes);
static const u32 *frame_host(u32 frame);

/* desc_changed: does a descriptor of words words (1 or 2) differ between now and its
 * snapshot then? */
static inline bool desc_changed(const u32 *now, const u32 *then, u32 words)
{
	return now[0] != then[0] || (words == 2 && now[1] != then[1]);
}

/* oos_refresh: f read descriptors from out-of-sync frames: one that changed since its
 * frame's snapshot has the shadow derived from it removed and the snapshot brought up to
 * it first, so that every shadow entry derived from an out-of-sync frame was built from
 * its snapshot (I6: the resync finds every change). */
static __attribute__((noinline)) void oos_refresh(const struct spt_fill *f)
{
	for (u32 k = 0; k < f->nsrc; k++) {
		u32 frame = frame_of_ipa(f->src[k]), off = (u32)f->src[k] & PAGE_OFFSET_MASK;
		if (frame >= s.nframes || s.frames[frame].oos == 0) {
			continue;
		}
		const u32 *now = frame_host(frame) + off / 4;
		u32 *then = (u32 *)(uintptr_t)s.snap[s.frames[frame].oos - 1] + off / 4;
		if (desc_changed(now, then, f->shape->desc_bytes / 4)) {
			counter_inc(&shadow_values[SH_resync_changes]);
			frame_wrote(frame, off, f->shape->desc_bytes);
		}
		if (s.frames[frame].oos != 0) { /* still out of sync (and a page table) */
			memcpy(then, now, f->shape->desc_bytes);
		}
	}
}

void spt_fill(const struct spt_fill *f)
{
	SPT_ASSERT(s.current != SPT_EMPTY);
	if (s.noos != 0) {
		oos_refresh(f);
	}
	if (!fill_once(f)) {
		fill_recover(f);
	}
}

bool spt_fill_known(u32 va, u32 need)
{
	if (s.noos != 0) {
		return false; /* out of sync: a table descriptor may have changed unseen */
	}
	/* current_leaf's walk, written out: through it, the slot's page costs every miss two
	 * more instructions. */
	u64 d1 = s.cur_l1[va >> lvl_entry[1]], d2;
	if ((d1 & LPAE_VALID) == 0 ||
	    ((d2 = table_at(d1)[(va >> lvl_entry[2]) % SPT_ENTRIES]) & LPAE_VALID) == 0) {
		return false;
	}
	u32 l3 = page_index(table_at(d2));
	const struct spt_page *p = &s.pages[l3];
	const struct spt_leaf_kind *k = &p->memo_kind;
	if (p->memo_epoch != s.src_epoch || ((va ^ p->memo_va) & p->memo_vmask) != 0 ||
	    (k->perms & need) == 0) {
		return false;
	}
	/* The descriptor lies in the memo's leaf run (memo_ok), in guest RAM. A leaf of the
	 * memo's kind below 4 GiB matches its key in both words, the ignored bits aside. */
	const u32 *dh = (const u32 *)memo_desc(p, va);
	u32 lo = dh[0], hi = p->memo_dshift == 3 ? dh[1] : 0, mlo = k->addr_mask;
	if ((lo & ~mlo) != (u32)k->key || (hi & ~k->hi_ignored) != (u32)(k->key >> 32)) {
		return false; /* another kind of leaf (or none), or above 4 GiB */
	}
	u32 out = (lo & mlo) | (va & k->va_low), frame = (out - s.c.ram_ipa) >> 12;
	if (out < s.c.ram_ipa || frame >= s.nframes) {
		return false; /* not RAM */
	}
	memo_frames_used(p);
	/* A leaf in place: spurious, handled with the guest's walk (spt_take_spurious). */
	return leaf_install(l3, va, frame, k->attrs);
}

/* current_leaf: the current root's descriptor slot for va, NULL if it has no level-3
 * table there. */
static inline __attribute__((always_inline)) u64 *current_leaf(u32 va)
{
	u64 d1 = s.cur_l1[va >> lvl_entry[1]], d2;
	if ((d1 & LPAE_VALID) == 0 ||
	    ((d2 = table_at(d1)[(va >> lvl_entry[2]) % SPT_ENTRIES]) & LPAE_VALID) == 0) {
		return NULL;
	}
	return &table_at(d2)[(va >> lvl_entry[3]) % SPT_ENTRIES];
}

/* leaf_ipa: the guest IPA that leaf d maps va to. */
static inline paddr_t leaf_ipa(u64 d, u32 va)
{
	/* 32-bit arithmetic: guest RAM and its host copy lie below 4 GiB (spt_init). */
	return s.c.ram_ipa + (((u32)d & (u32)LPAE_OA_MASK) - (u32)s.c.ram_host) +
	       (va & PAGE_OFFSET_MASK);
}

/* leaf_host: the host address that guest leaf d maps va to. */
static inline u8 *leaf_host(u64 d, u32 va)
{
	return (u8 *)(uintptr_t)(((u32)d & (u32)LPAE_OA_MASK) | (va & PAGE_OFFSET_MASK));
}

/* write_grant: the bits of a leaf that say the guest granted a write to it (at PL0 if pl0)
 * when it was built: AP[1] (bit 6) grants PL0 access (B3.7.1), and with the write granted,
 * PL0 may write. */
static inline u64 write_grant(bool pl0)
{
	return LPAE_VALID | SPTE_SW_WRITABLE | (pl0 ? (u64)LPAE_AP_RW_ALL << LPAE_AP_SHIFT : 0);
}

/* caught_leaf: the current root's leaf for va if a write to it (at PL0 if pl0) was refused
 * by write protection alone: a leaf read-only where the guest grants the write maps a
 * protected frame (I3). NULL otherwise. */
static inline __attribute__((always_inline)) const u64 *caught_leaf(u32 va, bool pl0)
{
	const u64 *dp = current_leaf(va);
	u64 need = write_grant(pl0) | SPTE_AP_RO;
	return dp == NULL || (*dp & need) != need ? NULL : dp;
}

u8 *spt_caught_write(u32 va, bool pl0, paddr_t *ipa)
{
	const u64 *dp = caught_leaf(va, pl0);
	if (dp == NULL) {
		return NULL;
	}
	*ipa = leaf_ipa(*dp, va);
	return leaf_host(*dp, va);
}

bool spt_filled_as(u32 va, paddr_t ipa, u64 attrs)
{
	const u64 *d = current_leaf(va);
	u32 frame = frame_of_ipa(ipa);
	return d != NULL && frame < s.nframes && *d == leaf_desc_of(frame, leaf_attrs(attrs));
}

u64 spt_mapped(u32 va)
{
	const u64 *d = current_leaf(va);
	return d == NULL ? 0 : *d;
}

bool spt_translate(u32 va, paddr_t *ipa)
{
	u64 d = spt_mapped(va);
	if ((d & LPAE_VALID) == 0 || (d & SPTE_SW_FIXED) != 0) {
		return false;
	}
	*ipa = leaf_ipa(d, va);
	return true;
}

bool spt_take_spurious(void)
{
	bool was = s.spurious;
	s.spurious = false;
	return was;
}

bool spt_write_granted(u32 va, bool pl0, paddr_t *ipa)
{
	u64 d = spt_mapped(va);
	if ((d & write_grant(pl0)) != write_grant(pl0)) {
		return false;
	}
	*ipa = leaf_ipa(d, va);
	return true;
}

/* ---- coherence with the guest's tables ---- */

bool spt_frame_protected(paddr_t ipa)
{
	u32 frame = frame_of_ipa(ipa);
	return ipa >= s.c.ram_ipa && frame < s.nframes && s.frames[frame].nsrc != 0 &&
	       s.frames[frame].oos == 0;
}

bool spt_lend_pl1_write(u32 va, paddr_t ipa)
{
	u64 *dp = current_leaf(va);
	const u64 ro_all = (u64)LPAE_AP_RO_ALL << LPAE_AP_SHIFT;
	if (dp == NULL ||
	    (*dp & (LPAE_VALID | SPTE_SW_FIXED | SPTE_AP_MASK)) != (LPAE_VALID | ro_all) ||
	    ((leaf_ipa(*dp, va) ^ ipa) & ~(paddr_t)PAGE_OFFSET_MASK) != 0 ||
	    spt_frame_protected(ipa)) {
		return false;
	}
	/* AP[2:1] = 0b00: PL1 read/write, PL0 no access (B3.7.1, the long format's AP). */
	*dp = (*dp & ~SPTE_AP_MASK) | ((u64)LPAE_AP_RW_PL1 << LPAE_AP_SHIFT) | SPTE_SW_WRITABLE |
	      SPTE_SW_LENT;
	u32 slot = (va >> lvl_entry[3]) % SPT_ENTRIES;
	spt_hw_flush_va(va, hw_asid(s.pages[page_index(dp - slot)].root));
	return true;
}

bool spt_take_back(u32 va)
{
	u64 *dp = current_leaf(va);
	if (dp == NULL || (*dp & (LPAE_VALID | SPTE_SW_LENT)) != (LPAE_VALID | SPTE_SW_LENT)) {
		return false;
	}
	u32 slot = (va >> lvl_entry[3]) % SPT_ENTRIES;
	leaf_zap(page_index(dp - slot), slot, va);
	return true;
}

/* zap_shaped: remove the shadow of [va, va + size), a range source id shaped, from its
 * root, noting whether it held the fixed page's VA (fixed_touched). */
static void zap_shaped(u32 id, u32 va, u64 size)
{
	if (holds_fixed(va, size)) {
		s.fixed_touched = true;
	}
	zap_range(s.pages[src_page(id)].root, va, size);
}

/* zap_leaf_of: remove the leaf at va that source src of page pg shaped with one descriptor
 * of a page, and its TLB entry: no table is freed and no source dropped, since every source
 * spans more than a page (attach_sources gives such a source to the level-3 page holding
 * the leaf, so no walk from the root finds it). */
static inline __attribute__((always_inline)) void zap_leaf_of(const struct spt_src *src, u32 pg,
							      u32 va)
{
	u32 slot = (va >> 12) % SPT_ENTRIES;
	u64 d = table(pg)[slot];
	/* Only a source whose range holds the fixed page's VA can hold the fixed page. */
	if (src->fixed && holds_fixed(va, PAGE_SIZE_4K)) {
		s.fixed_touched = true;
		d &= ~(u64)LPAE_VALID; /* the fixed page: never removed */
	}
	if ((d & LPAE_VALID) != 0) {
		leaf_zap(pg, slot, va);
	}
}

/* src_range: the VA range [*va, *va + *size) that source src shaped with bytes [off, off +
 * bytes) of its frame; false if it has none of them. */
static inline bool src_range(const struct spt_src *src, u32 off, u32 bytes, u32 *va, u32 *size)
{
	u32 lo = off > src->off ? off : src->off;
	u32 hi = off + bytes < (u32)src->off + src->len ? off + bytes : (u32)src->off + src->len;
	if (lo >= hi) {
		return false;
	}
	u32 first = (lo - src->off) >> src->dshift;
	u32 last = (hi - 1 - src->off) >> src->dshift;
	*va = src->va + (first << src->shift);
	*size = (last - first + 1) << src->shift;
	return true;
}

/* desc_wrote: frame_wrote for bytes [off, off + bytes) of frame, when they lie within one
 * descriptor of each source holding them and each of those shaped one page from it (a
 * level-3 run: by far the most frequent); false as soon as one does not, for
 * frame_wrote_ranges to finish (what was removed already, it does not find again). */
static inline __attribute__((always_inline)) bool desc_wrote(u32 frame, u32 off, u32 bytes)
{
	for (u32 id = s.frames[frame].srcs; id != 0;) {
		const struct spt_src *src = src_at(id);
		u32 rel = off - src->off, pg = src_page(id);
		id = src->next;
		/* Not within one descriptor (runs are aligned), or one that shaped more: */
		if (((off ^ (off + bytes - 1)) >> src->dshift) != 0 || src->shift != lvl_entry[3]) {
			return false;
		}
		if (rel < src->len) {
			zap_leaf_of(src, pg, src->va + ((rel >> src->dshift) << lvl_entry[3]));
		}
	}
	return true;
}

/* frame_wrote_ranges: frame_wrote, in general. A removal of one page unlinks no source
 * (zap_leaf_of) and is done at once; larger ones are marked, then handled one at a time
 * from the chain's head, since each may unlink sources (its own page's, or whole pages'
 * below it). */
static __attribute__((noinline)) void frame_wrote_ranges(u32 frame, u32 off, u32 bytes)
{
	bool marked = false;
	u32 va, size;
	for (u32 id = s.frames[frame].srcs; id != 0; id = src_at(id)->next) {
		struct spt_src *src = src_at(id);
		if (!src_range(src, off, bytes, &va, &size)) {
			continue;
		}
		if (size == PAGE_SIZE_4K) {
			zap_leaf_of(src, src_page(id), va);
		} else {
			src->marked = marked = true;
			src->mark_va = va;
			src->mark_size = size;
		}
	}
	for (u32 id = s.frames[frame].srcs; marked && id != 0;) {
		struct spt_src *src = src_at(id);
		if (!src->marked) {
			id = src->next;
			continue;
		}
		src->marked = false;
		zap_shaped(id, src->mark_va, src->mark_size);
		id = s.frames[frame].srcs;
	}
}

/* frame_wrote: bytes at off in frame changed: the shadow each source derived from them is
 * removed. Within one descriptor of level-3 runs, desc_wrote does it. */
static inline __attribute__((always_inline)) void frame_wrote(u32 frame, u32 off, u32 bytes)
{
	if (!desc_wrote(frame, off, bytes)) {
		frame_wrote_ranges(frame, off, bytes);
	}
}

/* frame_unshadow: every shadow built from the descriptors of frame removed, in every
 * root, so that it is a page table no more, and its leaves writable again where the guest
 * grants the write: it was written s.c.flood_writes times with no fill through it in
 * between, or its resync found that many descriptors changed (a table freed and reused as
 * data, or rewritten wholesale: as KVM's write-flooding detection). Always safe: shadows
 * are a cache. */
static void frame_unshadow(u32 frame)
{
	counter_inc(&shadow_values[SH_unshadowed]);
	for (u32 id; (id = s.frames[frame].srcs) != 0;) {
		const struct spt_src *src = src_at(id);
		/* The zap covers the source's whole range: drop_sources unlinks it. */
		zap_shaped(id, src->va, BIT64(src->cover));
		SPT_ASSERT(s.frames[frame].srcs != id);
	}
	/* Its last source gone, its leaves are writable again (src_unlink). */
}

static bool fixed_touched(void);

/* frame_written: a write to bytes at off in frame, a page table in sync, changed its
 * descriptors (all fault entries before it if faults): count it towards flooding and remove
 * what was built from them (nothing for fault entries: I2, no walk went through them, but
 * note whether they translate the fixed page's VA). True if the guest may now map the
 * fixed page's VA. */
static inline __attribute__((always_inline)) bool frame_written(u32 frame, u32 off, u32 bytes,
								bool faults)
{
	u32 va, size;
	if (s.c.flood_writes != 0 && ++s.frames[frame].flood >= s.c.flood_writes) {
		frame_unshadow(frame);
	} else if (!faults) {
		frame_wrote(frame, off, bytes);
	} else {
		for (u32 id = s.frames[frame].nfixed != 0 ? s.frames[frame].srcs : 0; id != 0;
		     id = src_at(id)->next) {
			const struct spt_src *src = src_at(id);
			if (src->fixed && src_range(src, off, bytes, &va, &size) &&
			    holds_fixed(va, size)) {
				s.fixed_touched = true;
			}
		}
	}
	return fixed_touched();
}

bool spt_guest_wrote(paddr_t ipa, u32 bytes)
{
	u32 frame = frame_of_ipa(ipa); /* s.nframes or more for an IPA below RAM */
	SPT_ASSERT(((u32)ipa & PAGE_OFFSET_MASK) + bytes <= PAGE_SIZE_4K);
	if (frame >= s.nframes || s.frames[frame].nsrc == 0 || s.frames[frame].oos != 0) {
		return fixed_touched(); /* no page table, or out of sync: compared at the resync */
	}
	return frame_written(frame, (u32)ipa & PAGE_OFFSET_MASK, bytes, false);
}

void spt_set_format(u32 desc_bytes, u32 fault_types)
{
	SPT_ASSERT(desc_bytes == 4 || desc_bytes == 8);
	s.desc_bytes = desc_bytes;
	s.fault_types = fault_types;
}

enum spt_write spt_write_words(u32 far, bool pl0, const struct spt_words *w)
{
	const u64 *dp = caught_leaf(far, pl0);
	if (dp == NULL) {
		return SPT_WRITE_NO;
	}
	u32 off = w->va & PAGE_OFFSET_MASK, bytes = 4 * w->n;
	if (((w->va ^ far) & ~PAGE_OFFSET_MASK) != 0 || off + bytes > PAGE_SIZE_4K ||
	    (off & 3) != 0) {
		return SPT_WRITE_OTHER;
	}
	u32 *h = (u32 *)(uintptr_t)(((u32)*dp & (u32)LPAE_OA_MASK) | off);
	/* Were the descriptors the words overwrite all fault entries (nothing built from
	 * them)? Each is read at its first word, whichever of its words is written. */
	bool faults = true;
	for (const u32 *d = h - ((off & (s.desc_bytes - 1)) >> 2); d < h + w->n;
	     d += s.desc_bytes / 4) {
		faults &= ((s.fault_types >> (*d & PT_TYPE_MASK)) & 1u) != 0;
	}
	for (u32 i = 0; i < w->n; i++) {
		h[i] = w->val[i];
	}
	return frame_written(frame_of_leaf(*dp), off, bytes, faults) ? SPT_WRITE_FIXED
								     : SPT_WRITE_DONE;
}

/* fixed_touched: did the guest's writes since the last call change descriptors that
 * translate the fixed page's VA (the guest may now map it)? Clears the flag. */
static bool fixed_touched(void)
{
	bool t = s.fixed_touched;
	s.fixed_touched = false;
	return t;
}

static void oos_release(u32 frame)
{
	struct spt_frame *f = &s.frames[frame];
	s.oos_frame[f->oos - 1] = 0;
	f->oos = 0;
	s.noos--;
}

static const u32 *frame_host(u32 frame)
{
	return (const u32 *)(uintptr_t)(s.c.ram_host + (paddr_t)frame * PAGE_SIZE_4K);
}

bool spt_unsync(paddr_t ipa)
{
	u32 frame = frame_of_ipa(ipa);
	SPT_ASSERT(spt_frame_protected(ipa));
	for (u32 slot = 0; slot < SPT_MAX_OOS; slot++) {
		if (s.oos_frame[slot] == 0) {
			memcpy((void *)(uintptr_t)s.snap[slot], frame_host(frame), PAGE_SIZE_4K);
			s.oos_frame[slot] = frame + 1;
			s.frames[frame].oos = (u8)(slot + 1);
			s.noos++;
			frame_set_ro(frame, false);
			counter_inc(&shadow_values[SH_oos_marks]);
			return true;
		}
	}
	return false;
}

/* resync_frames: spt_resync when something is out of sync or the fixed flag is set. */
static __attribute__((noinline)) bool resync_frames(void)
{
	for (u32 slot = 0; slot < SPT_MAX_OOS && s.noos != 0; slot++) {
		if (s.oos_frame[slot] == 0) {
			continue;
		}
		u32 frame = s.oos_frame[slot] - 1, changed = 0;
		const u32 *now = frame_host(frame), *then = (const u32 *)(uintptr_t)s.snap[slot];
		/* Descriptor by descriptor, of its sources' size (1 or 2 words: a change of
		 * format drops every root, so a frame's sources share one). */
		u32 words = 1u << (src_at(s.frames[frame].srcs)->dshift - 2);
		for (u32 w = 0; w < PAGE_SIZE_4K / 4 && s.oos_frame[slot] != 0; w += words) {
			if (!desc_changed(now + w, then + w, words)) {
				continue;
			}
			counter_inc(&shadow_values[SH_resync_changes]);
			if (s.c.flood_writes != 0 && ++changed >= s.c.flood_writes) {
				frame_unshadow(frame); /* no source left: out of sync no more */
			} else {
				frame_wrote(frame, w * 4, words * 4);
			}
		}
		if (s.oos_frame[slot] != 0) { /* still a page table */
			oos_release(frame);
			frame_set_ro(frame, true);
		}
		counter_inc(&shadow_values[SH_resyncs]);
	}
	return fixed_touched();
}

bool spt_resync(void)
{
	/* On every switch and TLB operation: most often, nothing to do. */
	return s.noos == 0 && !s.fixed_touched ? false : resync_frames();
}

/* ---- set-up and checks ---- */

bool spt_init(const struct spt_config *c)
{
	memset(&s, 0, sizeof(s));
	/* No format yet: every word written counts as a descriptor that is no fault entry
	 * (spt_write_words removes whatever was built from it). */
	s.desc_bytes = 4;
	s.c = *c;
	s.nframes = c->ram_size >> 12;
	u32 leaves = c->pool_pages * SPT_ENTRIES;
	s.pool = c->alloc(c->pool_pages * PAGE_SIZE_4K);
	s.pool_host = (uintptr_t)s.pool;
	s.pages = (struct spt_page *)(uintptr_t)c->alloc(c->pool_pages * sizeof(struct spt_page));
	u32 nsrcs = src_id(c->pool_pages, 0);
	s.srcs = (struct spt_src *)(uintptr_t)c->alloc(nsrcs * sizeof(struct spt_src));
	s.nleaves = leaves;
	s.rlink = (struct spt_rlink *)(uintptr_t)c->alloc((leaves + s.nframes) *
							  sizeof(struct spt_rlink));
	s.frames = (struct spt_frame *)(uintptr_t)c->alloc(s.nframes * sizeof(struct spt_frame));
	bool ok = s.pool && s.pages && s.srcs && s.rlink && s.frames;
	for (u32 i = 0; i < SPT_MAX_OOS && ok; i++) {
		s.snap[i] = c->alloc(PAGE_SIZE_4K);
		ok = s.snap[i] != 0;
	}
	if (!ok || c->pool_pages < 8 || c->ram_host + c->ram_size > BIT64(32) ||
	    c->flood_writes > SPT_FLOOD_MAX) {
		return false;
	}
	for (u32 pg = 0; pg < c->pool_pages; pg++) {
		s.pages[pg].next_free = pg + 1 < c->pool_pages ? pg + 1 : SPT_NO_PAGE;
	}
	for (u32 fr = 0; fr < s.nframes; fr++) {
		u32 head = rmap_head(fr);
		s.rlink[head] = (struct spt_rlink){head, head};
	}
	for (u32 lvl = 1; lvl <= 3; lvl++) {
		const struct pt_level *l = &fmt->level[lvl - 1];
		SPT_ASSERT(lvl_entry[lvl] == l->shift &&
			   lvl_span[lvl] == (lvl == 1 ? 32 : l->shift + l->index_bits));
	}
	s.free_head = 0;
	s.nfree = c->pool_pages;
	s.previous = SPT_NO_ROOT;
	s.src_epoch = 1;
	struct spt_root *e = &s.roots[SPT_EMPTY];
	e->used = true;
	e->l1 = page_alloc(1, SPT_EMPTY, 0, SPT_EMPTY);
	set_current(SPT_EMPTY);
	map_fixed(SPT_EMPTY);
	e->hw_ttbr0 = root_ttbr0(SPT_EMPTY);
	return true;
}

u32 spt_tables_used(void)
{
	return s.c.pool_pages - s.nfree;
}

/* memo_ok: I5 for level-3 page pg. */
static bool memo_ok(u32 pg)
{
	const struct spt_page *p = &s.pages[pg];
	if (p->memo_epoch != s.src_epoch) {
		return true;
	}
	/* The descriptors spt_fill_known reads for the VAs the memo is for lie in the run. */
	u32 lo_va = p->va | (p->memo_va & MASK(page_span_shift(3)) & p->memo_vmask);
	u32 hi_va = lo_va | (MASK(page_span_shift(3)) & ~p->memo_vmask);
	uintptr_t run = (uintptr_t)s.c.ram_host + (p->memo_lo - s.c.ram_ipa);
	uintptr_t first = memo_desc(p, lo_va), last = memo_desc(p, hi_va);
	if (first < run || last + BIT(p->memo_dshift) > run + p->memo_len) {
		return false;
	}
	for (u32 k = 0; k < SPT_PAGE_SRCS; k++) {
		const struct spt_src *src = page_src(pg, k);
		if (src->used && src_ipa(src) == p->memo_lo && src->len == p->memo_len) {
			return true;
		}
	}
	return false;
}

/* check_table: I1, I3, I4 and I5 for the table in pg; counts the
 * leaves that must be on reverse-map chains into *leaves. */
static const char *check_table(u32 pg, u32 r, u32 *leaves)
{
	struct spt_page *p = &s.pages[pg];
	if (p->level == 0 || p->root != r) {
		return "a table reachable from a root is free or another root's";
	}
	if (p->level == 3 && !memo_ok(pg)) {
		return "a level-3 table's fill memo names a run that is not its source";
	}
	u32 n = 0;
	for (u32 i = 0; i < SPT_ENTRIES; i++) {
		u64 d = table(pg)[i];
		if ((d & LPAE_VALID) == 0) {
			continue;
		}
		n++;
		if (p->level < 3) {
			const char *e = check_table(page_of(d), r, leaves);
			if (e != NULL) {
				return e;
			}
			continue;
		}
		bool fixed_slot = p->pinned && p->va + (i << lvl_entry[3]) == s.c.fixed_va;
		if (((d & SPTE_SW_FIXED) != 0) != fixed_slot) {
			return "the fixed page is a leaf away from its VA, or its VA holds another";
		}
		if (fixed_slot) {
			continue;
		}
		if ((d & SPTE_SW_LENT) != 0 &&
		    (d & (SPTE_SW_WRITABLE | ((u64)LPAE_AP_RW_ALL << LPAE_AP_SHIFT))) !=
			SPTE_SW_WRITABLE) {
			return "a lent leaf is not PL1 read/write, PL0 no access";
		}
		paddr_t oa = d & LPAE_OA_MASK;
		if (oa < s.c.ram_host || oa >= s.c.ram_host + s.c.ram_size) {
			return "a leaf maps memory outside the guest's RAM";
		}
		struct spt_frame *f = &s.frames[frame_of_leaf(d)];
		bool wp = f->nsrc != 0 && f->oos == 0;
		if (wp && (d & SPTE_AP_RO) == 0) {
			return "a leaf maps a write-protected page-table frame writable";
		}
		if (!wp &&
		    (d & (SPTE_AP_RO | SPTE_SW_WRITABLE)) == (SPTE_AP_RO | SPTE_SW_WRITABLE)) {
			return "a leaf denies a write the guest grants to a frame not protected";
		}
		(*leaves)++;
	}
	return n == p->nvalid ? NULL : "a table's valid-entry count is wrong";
}

const char *spt_check(void)
{
	u32 leaves = 0, chained = 0, used = 0;
	for (u32 r = 0; r <= SPT_MAX_ROOTS; r++) {
		if (s.roots[r].used) {
			const char *e = check_table(s.roots[r].l1, r, &leaves);
			if (e != NULL) {
				return e;
			}
		}
	}
	for (u32 pg = 0; pg < s.c.pool_pages; pg++) {
		used += s.pages[pg].level != 0;
	}
	if (used + s.nfree != s.c.pool_pages) {
		return "pages are neither in use nor free (a leak)";
	}
	for (u32 fr = 0; fr < s.nframes; fr++) {
		const struct spt_frame *f = &s.frames[fr];
		u32 head = rmap_head(fr), nodes = s.nleaves + s.nframes;
		if (s.rlink[head].next >= nodes || s.rlink[head].prev >= nodes ||
		    s.rlink[s.rlink[head].prev].next != head) {
			return "a reverse-map chain is broken (its head's links)";
		}
		for_each_rmap(l, fr)
		{
			if (l >= s.nleaves || s.rlink[l].next >= nodes ||
			    s.rlink[s.rlink[l].next].prev != l || ++chained > leaves) {
				return "a reverse-map chain is broken (a link, or a cycle without "
				       "its head)";
			}
			u64 d = *leaf_desc(l);
			if ((d & LPAE_VALID) == 0 || s.pages[l / SPT_ENTRIES].level != 3 ||
			    frame_of_leaf(d) != fr) {
				return "a reverse-map entry is not a leaf mapping its frame";
			}
		}
		u32 nsrc = 0, nfixed = 0;
		for (u32 id = f->srcs; id != 0; id = src_at(id)->next) {
			const struct spt_src *src = src_at(id);
			if (!src->used || src->frame != fr || s.pages[src_page(id)].level == 0) {
				return "a source chain holds a source of another frame or a free "
				       "page";
			}
			nsrc++;
			nfixed += src->fixed ? 1 : 0;
		}
		if (nsrc != f->nsrc || nfixed != f->nfixed) {
			return "a frame's source count is wrong";
		}
		if (f->oos != 0 && (f->nsrc == 0 || s.oos_frame[f->oos - 1] != fr + 1)) {
			return "an out-of-sync frame has no snapshot slot, or no sources";
		}
	}
	return chained == leaves ? NULL : "a leaf is missing from the reverse map";
}
