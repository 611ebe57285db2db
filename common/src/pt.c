/* Translation-table formats as data plus their descriptor semantics, and the one walker and
 * builder that all parts of the testbed use. */
#include "tb/pt.h"
#include "tb/lpae.h"
#include "tb/short_desc.h"

/* PT_LEVEL: a level resolving index_bits of input from bit shift up, with the descriptor
 * kinds of the four type-field values (0b00, 0b01, 0b10, 0b11); its leaves map 2^shift
 * bytes, those of type large 2^large_shift. */
#define PT_LEVEL(num, sh, bits, k0, k1, k2, k3, large, large_sh, big)                              \
	{                                                                                          \
		.number = (num), .shift = (sh), .index_bits = (bits),                              \
		.leaf_ok = PT_LEAF_TYPES(k0, k1, k2, k3) != 0, .kind = {(k0), (k1), (k2), (k3)},   \
		.table_type = (k0) == PT_TABLE	 ? 0                                               \
			      : (k1) == PT_TABLE ? 1                                               \
			      : (k2) == PT_TABLE ? 2                                               \
			      : (k3) == PT_TABLE ? 3                                               \
						 : PT_TYPES,                                       \
		.leaf_types = PT_LEAF_TYPES(k0, k1, k2, k3), .large_type = (large),                \
		.large_shift = (large_sh), .big_leaf = (big),                                      \
	}
/* PT_LEAF_TYPES: the set of the types of kind PT_LEAF, bit t for type t. */
#define PT_LEAF_TYPES(k0, k1, k2, k3)                                                              \
	(((k0) == PT_LEAF) | ((k1) == PT_LEAF) << 1 | ((k2) == PT_LEAF) << 2 |                     \
	 ((k3) == PT_LEAF) << 3)

/* ---- short-descriptor format (B3.5.1) ---- */

/* Section and supersection sizes, large and small pages (B3.5.1). */
#define SD_SECTION_SHIFT      20
#define SD_SUPERSECTION_SHIFT 24
#define SD_LARGE_SHIFT	      16
#define SD_SMALL_SHIFT	      12

/* sd_super_out: a supersection's output base, PA[39:32] from its extended base fields. */
static paddr_t sd_super_out(u64 d, u32 *size_shift)
{
	u32 v = (u32)d;
	*size_shift = SD_SUPERSECTION_SHIFT;
	return (paddr_t)(v & SD_SUPER_BASE) | ((paddr_t)BITS(v, 23, 20) << 32) |
	       ((paddr_t)BITS(v, 8, 5) << 36);
}

static u64 sd_make_table(paddr_t next)
{
	return ((u32)next & SD_L1_TABLE_BASE) | SD_L1_PAGE_TABLE;
}

/* sd_page_attrs: section-layout attributes moved to their small-page positions. */
static u32 sd_page_attrs(u32 a)
{
	u32 p = a & (SD_SEC_B | SD_SEC_C); /* same bits in both layouts */
	p |= (u32)BITS(a, 14, 12) << SD_SMALL_TEX_SHIFT;
	p |= (u32)BITS(a, 11, 10) << SD_PG_AP_SHIFT;
	p |= (a & SD_SEC_APX) ? SD_PG_APX : 0;
	p |= (a & SD_SEC_S) ? SD_PG_S : 0;
	p |= (a & SD_SEC_NG) ? SD_PG_NG : 0;
	p |= (a & SD_SEC_XN) ? SD_L2_SMALL_XN : 0;
	return p;
}

static u64 sd_make_leaf(paddr_t pa, unsigned li, u64 attrs)
{
	if (li == 0) {
		return ((u32)pa & SD_SECTION_BASE) | SD_L1_SECTION | (u32)attrs;
	}
	return ((u32)pa & SD_L2_SMALL_BASE) | SD_L2_SMALL | sd_page_attrs((u32)attrs);
}

/* Level 1: fault, page table, section, and section with PXN (0b11); bit 18 of a section
 * makes it a supersection. Level 2: fault, large page, small page (bit 0 is its XN). */
// clang-format off
const struct pt_format pt_short = {
    .name = "short-descriptor",
    .desc_bytes = 4,
    .desc_shift = 2,
    .nlevels = 2,
    .level = {PT_LEVEL(1, SD_SECTION_SHIFT, 12, PT_INVALID, PT_TABLE, PT_LEAF, PT_LEAF,
		       PT_TYPES, 0, SD_L1_SUPERSECTION),
	      PT_LEVEL(2, SD_SMALL_SHIFT, 8, PT_INVALID, PT_LEAF, PT_LEAF, PT_LEAF, SD_L2_LARGE,
		       SD_LARGE_SHIFT, 0)},
    .table_mask = SD_L1_TABLE_BASE,
    .oa_mask = MASK64(32), /* 32-bit output addresses, supersections aside */
    .leaf_ignored = 0,
    .big_leaf_out = sd_super_out,
    .make_table = sd_make_table,
    .make_leaf = sd_make_leaf,
};
// clang-format on

/* ---- long-descriptor format, both stages (B3.6.1) ---- */

static u64 lpae_make_table(paddr_t next)
{
	return (next & LPAE_OA_MASK) | LPAE_VALID | LPAE_TYPE_TABLE;
}

static u64 lpae_make_leaf(paddr_t pa, unsigned li, u64 attrs)
{
	u64 type = li == 2 ? LPAE_VALID | LPAE_TYPE_TABLE : LPAE_VALID;
	return (pa & LPAE_OA_MASK) | type | attrs;
}

/* LPAE_LEVEL: levels 1 and 2 hold blocks (0b01) and tables (0b11); level 3 pages (0b11),
 * where 0b01 is reserved and faults. Bit 0 clear is invalid (B3.6.1). */
#define LPAE_LEVEL(num, sh, last)                                                                  \
	PT_LEVEL(num, sh, 9, PT_INVALID, (last) ? PT_INVALID : PT_LEAF, PT_INVALID,                \
		 (last) ? PT_LEAF : PT_TABLE, PT_TYPES, 0, 0)

/* The two LPAE stages share levels and descriptor types (B3.6.1); only the meaning of the
 * attribute bits differs, and that is the callers' business (tb/lpae.h). */
// clang-format off
#define LPAE_FORMAT(label)                                              \
	{                                                               \
		.name = (label),                                        \
		.desc_bytes = 8,                                        \
		.desc_shift = 3,                                        \
		.nlevels = 3,                                           \
		.level = {LPAE_LEVEL(1, 30, false), LPAE_LEVEL(2, 21, false), \
			  LPAE_LEVEL(3, 12, true)},                     \
		.table_mask = LPAE_OA_MASK,                             \
		.oa_mask = LPAE_OA_MASK,                                \
		.leaf_ignored = LPAE_LEAF_IGNORED,                      \
		.big_leaf_out = NULL,                                   \
		.make_table = lpae_make_table,                          \
		.make_leaf = lpae_make_leaf,                            \
	}
// clang-format on

const struct pt_format pt_lpae_s1 = LPAE_FORMAT("LPAE stage 1");
const struct pt_format pt_lpae_s2 = LPAE_FORMAT("LPAE stage 2");

/* ---- generic walker and builder ---- */

/* leaf_shift: log2 of the size of leaf d at level l (not a big leaf). */
static inline u32 leaf_shift(const struct pt_level *l, u64 d)
{
	return (d & PT_TYPE_MASK) == l->large_type ? l->large_shift : l->shift;
}

/* leaf_base: output base of leaf d at level l of format f, its log2 size in *size_shift. */
static inline paddr_t leaf_base(const struct pt_format *f, const struct pt_level *l, u64 d,
				u32 *size_shift)
{
	if (((u32)d & l->big_leaf) != 0) {
		return f->big_leaf_out(d, size_shift);
	}
	*size_shift = leaf_shift(l, d);
	return d & f->oa_mask & ~(paddr_t)(BIT(*size_shift) - 1u); /* leaves are below 4 GiB */
}

u64 pt_leaf_addr_mask(const struct pt_format *f, u64 d, unsigned li)
{
	const struct pt_level *l = &f->level[li];
	return ((u32)d & l->big_leaf) != 0 ? 0 : f->oa_mask & ~MASK64(leaf_shift(l, d));
}

paddr_t pt_leaf_out(const struct pt_format *f, u64 d, unsigned li, u32 *size_shift)
{
	return leaf_base(f, &f->level[li], d, size_shift);
}

/* regime_set: fill r for a first lookup at level index start. */
static inline void regime_set(struct pt_regime *r, const struct pt_format *fmt, paddr_t root,
			      u32 ia_bits, unsigned start)
{
	r->fmt = fmt;
	r->root = root;
	r->ia_bits = ia_bits;
	r->start = (u8)start;
	/* All the input bits above the first level's shift, even more than a full table
	 * resolves: a 40-bit stage-2 input starts with two concatenated level-1 tables
	 * (B3.6.6). */
	r->start_bits = (u8)(ia_bits - fmt->level[start].shift);
}

void pt_regime_init(struct pt_regime *r, const struct pt_format *fmt, paddr_t root, u32 ia_bits)
{
	unsigned li = 0;
	while (li + 1 < fmt->nlevels && fmt->level[li].shift >= ia_bits) {
		li++;
	}
	regime_set(r, fmt, root, ia_bits, li);
}

bool pt_mem_window(struct pt_mem *m, paddr_t base, u32 size, uintptr_t host)
{
	m->win_base = 0;
	m->win_lim[0] = m->win_lim[1] = 0;
	m->win_host = 0;
	if (base + size > BIT64(32)) {
		return false;
	}
	m->win_base = (u32)base;
	for (unsigned i = 0; i < ARRAY_SIZE(m->win_lim); i++) {
		u32 bytes = 4u << i;
		m->win_lim[i] = size >= bytes ? size - bytes + 1u : 0;
	}
	m->win_host = host;
	return true;
}

/* A walk's view of the pt_mem window: a descriptor at pa below 4 GiB with
 * (u32)pa - base < lim is read at host + ((u32)pa - base). Direct memory is a window at 0
 * over the 32-bit space. The walks index in 32-bit halves: 64-bit values take register
 * pairs on a 32-bit core. */
struct window {
	u32 base;
	u32 lim;
	uintptr_t host;
};

/* window_of: the window of m for descriptors of bytes. */
static inline struct window window_of(const struct pt_mem *m, unsigned bytes)
{
	if (m->direct) {
		return (struct window){0, ~0u - bytes + 1u, 0};
	}
	return (struct window){m->win_base, m->win_lim[bytes == 8], m->win_host};
}

/* read_outside: a descriptor outside the window: direct, or through the read callback. */
static __attribute__((noinline)) bool read_outside(const struct pt_mem *m, paddr_t pa,
						   unsigned bytes, u64 *val)
{
	if (m->direct) {
		*val = bytes == 8 ? *(const volatile u64 *)(uintptr_t)pa
				  : *(const volatile u32 *)(uintptr_t)pa;
		return true;
	}
	return m->read(m->ctx, pa, bytes, val);
}

/* in_window: does win hold the descriptor at hi:lo? */
static inline bool in_window(const struct window *win, u32 lo, u32 hi)
{
	return __builtin_expect(hi == 0 && lo - win->base < win->lim, 1); /* guest RAM, mostly */
}

/* window_word: word i of the descriptor at lo, which win holds. */
static inline u32 window_word(const struct window *win, u32 lo, unsigned i)
{
	return ((const volatile u32 *)(win->host + (lo - win->base)))[i];
}

/* mem_read / mem_write: one descriptor access through m. */
static inline bool mem_read(const struct pt_mem *m, paddr_t pa, unsigned bytes, u64 *val)
{
	struct window win = window_of(m, bytes);
	if (in_window(&win, (u32)pa, (u32)(pa >> 32))) {
		*val = bytes == 8 ? *(const volatile u64 *)(win.host + ((u32)pa - win.base))
				  : window_word(&win, (u32)pa, 0);
		return true;
	}
	return read_outside(m, pa, bytes, val);
}

static inline bool mem_write(const struct pt_mem *m, paddr_t pa, unsigned bytes, u64 val)
{
	if (m->direct) {
		if (bytes == 8) {
			*(volatile u64 *)(uintptr_t)pa = val;
		} else {
			*(volatile u32 *)(uintptr_t)pa = (u32)val;
		}
		return true;
	}
	return m->write(m->ctx, pa, bytes, val);
}

u32 pt_table_bytes(const struct pt_regime *r, unsigned li)
{
	return (1u << pt_index_bits(r, li)) * r->fmt->desc_bytes;
}

/* desc_addr: address of the descriptor for ia in the table at table (level index li). */
static inline paddr_t desc_addr(const struct pt_regime *r, unsigned li, paddr_t table, u64 ia)
{
	u32 shift = r->fmt->level[li].shift;
	/* Input addresses of 32 bits or fewer (every ARMv7 VA, our IPAs) index in 32-bit
	 * arithmetic: a variable 64-bit shift costs several instructions on a 32-bit core. */
	u32 idx = r->ia_bits <= 32 ? ((u32)ia >> shift) & MASK(pt_index_bits(r, li))
				   : (u32)((ia >> shift) & MASK64(pt_index_bits(r, li)));
	return table + idx * r->fmt->desc_bytes;
}

static bool in_range(const struct pt_regime *r, u64 ia)
{
	return (ia & ~MASK64(r->ia_bits)) == 0;
}

/* first_index: the index of ia in the first table, whose level resolves from bit shift (below
 * 32) up to the top of the range: ia is in range, so no mask. */
static inline u32 first_index(u64 ia, u32 shift)
{
	return (u32)(ia >> shift);
}

/* walk_end: record the end of a walk at level number level after depth descriptors, the
 * table descriptors among them ORed in tables. */
static inline enum pt_status walk_end(struct pt_walk *w, enum pt_status s, unsigned level,
				      u32 depth, u64 tables)
{
	w->status = s;
	w->level = level;
	w->depth = depth;
	w->tables = tables;
	return s;
}

/* walk_leaf: record leaf d at level l, the walk's depth-th descriptor, as the end of the walk
 * of ia. */
static inline enum pt_status walk_leaf(const struct pt_format *f, const struct pt_level *l,
				       struct pt_walk *w, u64 d, u64 ia, u32 depth, u64 tables)
{
	u32 shift;
	paddr_t base = leaf_base(f, l, d, &shift);
	w->leaf = d;
	w->size_shift = shift;
	w->out = base | ((u32)ia & (BIT(shift) - 1u)); /* leaves are below 4 GiB */
	return walk_end(w, PT_OK, l->number, depth, tables);
}

/* A walk between two lookups: the 64-bit values in 32-bit halves. */
struct walk_at {
	u32 table_lo, table_hi;	  /* the table of the next lookup */
	u32 tables_lo, tables_hi; /* the table descriptors read, ORed */
	enum pt_status status;	  /* how the walk ended, once it has */
};

/* walk_level: the lookup at level index li for ia, in a walk of format f from level index
 * start (nothing to do before start or past the last level); false once the walk has ended,
 * recorded in *w and at->status. */
static inline __attribute__((always_inline)) bool
walk_level(const struct pt_format *f, unsigned li, unsigned start, const struct window *win,
	   const struct pt_mem *m, u64 ia, struct pt_walk *w, struct walk_at *at)
{
	if (li < start || li >= f->nlevels) {
		return true;
	}
	const unsigned bytes = f->desc_bytes;
	const struct pt_level *l = &f->level[li];
	const u32 depth = li - start;
	u32 idx = li == start ? first_index(ia, l->shift)
			      : ((u32)ia >> l->shift) & (BIT(l->index_bits) - 1u);
	/* Tables are aligned to their size: the index fills the address's low bits (B3.5.5,
	 * B3.6.5). */
	u32 pa_lo = at->table_lo | (idx * bytes), pa_hi = at->table_hi;
	u32 d_lo, d_hi;
	if (in_window(win, pa_lo, pa_hi)) {
		d_lo = window_word(win, pa_lo, 0);
		d_hi = bytes == 8 ? window_word(win, pa_lo, 1) : 0;
	} else if (read_outside(m, (u64)pa_hi << 32 | pa_lo, bytes, &w->desc[depth])) {
		d_lo = (u32)w->desc[depth];
		d_hi = (u32)(w->desc[depth] >> 32);
	} else {
		at->status = walk_end(w, PT_FAULT_BUS, l->number, depth,
				      (u64)at->tables_hi << 32 | at->tables_lo);
		return false;
	}
	w->desc_pa[depth] = (u64)pa_hi << 32 | pa_lo;
	w->desc[depth] = (u64)d_hi << 32 | d_lo;
	u32 type = d_lo & PT_TYPE_MASK;
	if (type == l->table_type) {
		at->table_lo = d_lo & (u32)f->table_mask;
		at->table_hi = d_hi & (u32)(f->table_mask >> 32);
		at->tables_lo |= d_lo;
		at->tables_hi |= d_hi;
		return true;
	}
	u64 tables = (u64)at->tables_hi << 32 | at->tables_lo;
	if ((l->leaf_types & BIT(type)) != 0) {
		at->status = walk_leaf(f, l, w, (u64)d_hi << 32 | d_lo, ia, depth + 1, tables);
	} else {
		at->status = walk_end(w, PT_FAULT_TRANSLATION, l->number, depth + 1, tables);
	}
	return false;
}

/* walk_fmt: the walk of ia over tables of format f from root, first lookup at level index
 * start, inputs in ia_mask. Where f and start are constants, the compiler takes the
 * description's values at compile time: straight code for that format. */
static inline __attribute__((always_inline)) enum pt_status
walk_fmt(const struct pt_format *f, unsigned start, paddr_t root, u64 ia_mask,
	 const struct pt_mem *m, u64 ia, struct pt_walk *w)
{
	if ((ia & ~ia_mask) != 0) {
		return walk_end(w, PT_ERR_RANGE, f->level[start].number, 0, 0);
	}
	const struct window win = window_of(m, f->desc_bytes);
	struct walk_at at = {(u32)root, (u32)(root >> 32), 0, 0, PT_OK};
	_Static_assert(PT_MAX_LEVELS == 3, "walk_fmt looks up three levels at most");
	if (walk_level(f, 0, start, &win, m, ia, w, &at) &&
	    walk_level(f, 1, start, &win, m, ia, w, &at) &&
	    walk_level(f, 2, start, &win, m, ia, w, &at)) {
		/* A table type at the last level (no format has one) faults there. */
		return walk_end(w, PT_FAULT_TRANSLATION, f->level[f->nlevels - 1].number,
				f->nlevels - start, (u64)at.tables_hi << 32 | at.tables_lo);
	}
	return at.status;
}

enum pt_status pt_walk(const struct pt_regime *r, const struct pt_mem *m, u64 ia, struct pt_walk *w)
{
	return walk_fmt(r->fmt, r->start, r->root, MASK64(r->ia_bits), m, ia, w);
}

/* leaf_index: the shallowest level index whose leaf fits ia/pa alignment, size and the cap.
 * Level spans are below 2^32, so alignment only needs the low 32 bits. */
static int leaf_index(const struct pt_regime *r, u64 ia, paddr_t pa, u64 size, u32 max_shift)
{
	u32 low = (u32)ia | (u32)pa;
	for (unsigned li = pt_start_index(r); li < r->fmt->nlevels; li++) {
		const struct pt_level *l = &r->fmt->level[li];
		u32 span = BIT(l->shift);
		if (l->leaf_ok && l->shift <= max_shift && (low & (span - 1)) == 0 &&
		    size >= span) {
			return (int)li;
		}
	}
	return -1;
}

/* install_leaf: write leaf at level index target for ia, creating tables on the way. */
static enum pt_status install_leaf(const struct pt_regime *r, const struct pt_mem *m, u64 ia,
				   unsigned target, u64 leaf)
{
	const struct pt_format *f = r->fmt;
	paddr_t table = r->root;
	for (unsigned li = pt_start_index(r);; li++) {
		paddr_t dpa = desc_addr(r, li, table, ia);
		u64 d;
		if (!mem_read(m, dpa, f->desc_bytes, &d)) {
			return PT_FAULT_BUS;
		}
		enum pt_kind kind = pt_desc_kind(f, d, li);
		if (li == target) {
			if (kind != PT_INVALID && d != leaf) {
				return PT_ERR_EXISTS;
			}
			return mem_write(m, dpa, f->desc_bytes, leaf) ? PT_OK : PT_FAULT_BUS;
		}
		if (kind == PT_INVALID) {
			/* Tables below the first level are always full size. */
			u32 bytes = (1u << f->level[li + 1].index_bits) * f->desc_bytes;
			paddr_t next = m->alloc_table(m->ctx, bytes);
			if (next == 0) {
				return PT_ERR_NOMEM;
			}
			d = f->make_table(next);
			if (!mem_write(m, dpa, f->desc_bytes, d)) {
				return PT_FAULT_BUS;
			}
		} else if (kind != PT_TABLE) {
			return PT_ERR_EXISTS;
		}
		table = pt_next_table(f, d);
	}
}

enum pt_status pt_map(const struct pt_regime *r, const struct pt_mem *m, u64 ia, paddr_t pa,
		      u64 size, u64 attrs, u32 max_leaf_shift)
{
	const u32 page = BIT(r->fmt->level[r->fmt->nlevels - 1].shift);
	if ((((u32)ia | (u32)pa | (u32)size) & (page - 1)) != 0) {
		return PT_ERR_ALIGN;
	}
	if (!in_range(r, ia) || (size != 0 && !in_range(r, ia + size - 1))) {
		return PT_ERR_RANGE;
	}
	while (size != 0) {
		int li = leaf_index(r, ia, pa, size, max_leaf_shift);
		if (li < 0) {
			return PT_ERR_ALIGN;
		}
		u64 leaf = r->fmt->make_leaf(pa, (unsigned)li, attrs);
		enum pt_status s = install_leaf(r, m, ia, (unsigned)li, leaf);
		if (s != PT_OK) {
			return s;
		}
		u32 span = BIT(r->fmt->level[li].shift);
		ia += span;
		pa += span;
		size -= span;
	}
	return PT_OK;
}

enum pt_status pt_unmap(const struct pt_regime *r, const struct pt_mem *m, u64 ia, u64 size)
{
	const struct pt_format *f = r->fmt;
	u64 end = ia + size;
	while (ia < end) {
		struct pt_walk w;
		enum pt_status s = pt_walk(r, m, ia, &w);
		if (s == PT_FAULT_TRANSLATION) {
			/* Nothing mapped here: skip to the end of the faulting entry's span. */
			unsigned li = pt_start_index(r) + w.depth - 1;
			if (w.depth == 0) {
				li = pt_start_index(r);
			}
			ia = ALIGN_DOWN(ia, BIT64(f->level[li].shift)) + BIT64(f->level[li].shift);
			continue;
		}
		if (s != PT_OK) {
			return s;
		}
		u64 span = BIT64(w.size_shift);
		if (!IS_ALIGNED(ia, span) || ia + span > end) {
			return PT_ERR_ALIGN; /* would have to split a block */
		}
		/* A leaf bigger than its level's span (short-format supersections and large
		 * pages) is stored as identical copies in consecutive entries: clear all of them.
		 */
		unsigned li = pt_start_index(r) + w.depth - 1;
		u32 copies = 1u << (w.size_shift - f->level[li].shift);
		paddr_t first = ALIGN_DOWN(w.desc_pa[w.depth - 1], (paddr_t)copies * f->desc_bytes);
		for (u32 i = 0; i < copies; i++) {
			if (!mem_write(m, first + (paddr_t)i * f->desc_bytes, f->desc_bytes, 0)) {
				return PT_FAULT_BUS;
			}
		}
		ia += span;
	}
	return PT_OK;
}

/* visit_table: the entries of the table at level index li covering input from base. */
static enum pt_status visit_table(const struct pt_regime *r, const struct pt_mem *m,
				  const struct pt_visitor *v, unsigned li, paddr_t table, u64 base)
{
	const struct pt_format *f = r->fmt;
	u32 entries = 1u << pt_index_bits(r, li);
	for (u32 i = 0; i < entries; i++) {
		paddr_t dpa = table + (paddr_t)i * f->desc_bytes;
		u64 ia = base + ((u64)i << f->level[li].shift);
		u64 d;
		if (!mem_read(m, dpa, f->desc_bytes, &d)) {
			return PT_FAULT_BUS;
		}
		enum pt_kind kind = pt_desc_kind(f, d, li);
		if (kind == PT_LEAF && v->leaf != NULL) {
			u32 size_shift = f->level[li].shift;
			pt_leaf_out(f, d, li, &size_shift);
			v->leaf(v->ctx, ia, dpa, d, size_shift);
		} else if (kind == PT_TABLE && li + 1 < f->nlevels) {
			paddr_t next = pt_next_table(f, d);
			enum pt_status st = visit_table(r, m, v, li + 1, next, ia);
			if (st != PT_OK) {
				return st;
			}
			if (v->table != NULL) {
				v->table(v->ctx, next,
					 (1u << pt_index_bits(r, li + 1)) * f->desc_bytes);
			}
		}
	}
	return PT_OK;
}

enum pt_status pt_visit(const struct pt_regime *r, const struct pt_mem *m,
			const struct pt_visitor *v)
{
	return visit_table(r, m, v, pt_start_index(r), r->root, 0);
}

const char *pt_status_str(enum pt_status s)
{
	switch (s) {
	case PT_OK:
		return "ok";
	case PT_FAULT_TRANSLATION:
		return "translation fault";
	case PT_FAULT_BUS:
		return "table outside memory";
	case PT_ERR_RANGE:
		return "address out of range";
	case PT_ERR_EXISTS:
		return "a valid entry is in the way";
	case PT_ERR_NOMEM:
		return "out of table memory";
	case PT_ERR_ALIGN:
		return "misaligned";
	default:
		return "unknown";
	}
}

/* TTBCR fields (B4.1.153). */
#define TTBCR_EAE_BIT	BIT(31)
#define TTBCR_N(t)	((u32)BITS(t, 2, 0)) /* short-descriptor */
#define TTBCR_PD0	BIT(4)
#define TTBCR_PD1	BIT(5)
#define TTBCR_T0SZ(t)	((u32)BITS(t, 2, 0)) /* long-descriptor */
#define TTBCR_EPD0	BIT(7)
#define TTBCR_T1SZ(t)	((u32)BITS(t, 18, 16))
#define TTBCR_EPD1	BIT(23)
#define TTBR_LPAE_BASE	MASK64(40)
#define TTBR_SHORT_BASE MASK64(32) /* the 32-bit TTBR of the short format */

/* The regime a guest VA is translated in: its format, TTBR value and input size, or none. */
struct guest_choice {
	bool found; /* false: va is in neither TTBR's range (long format) */
	bool walks; /* false: TTBCR disables the walks through that TTBR */
	u32 ia_bits;
	u64 ttbr;
};

/* short_choice: the short-descriptor choice (TTBCR.EAE = 0). B3.5.4: TTBR0 covers
 * [0, 2^(32-N)), TTBR1 the rest (nothing of it if N = 0); PD0/PD1 disable the walks. */
static inline struct guest_choice short_choice(u32 ttbcr, u64 ttbr0, u64 ttbr1, u32 va)
{
	u32 n = TTBCR_N(ttbcr);
	if (n == 0 || (va >> (32 - n)) == 0) {
		return (struct guest_choice){true, (ttbcr & TTBCR_PD0) == 0, 32 - n, ttbr0};
	}
	return (struct guest_choice){true, (ttbcr & TTBCR_PD1) == 0, 32, ttbr1};
}

/* lpae_choice: the long-descriptor choice (TTBCR.EAE = 1). Table B3-5: TTBR0 covers
 * [0, 2^(32-T0SZ)) (up to TTBR1's region when T0SZ = 0); TTBR1 covers
 * [2^32 - 2^(32-T1SZ), 2^32), the VAs whose top T1SZ bits are all set (from TTBR0's end when
 * T1SZ = 0); EPD0/EPD1 disable the walks. */
static inline struct guest_choice lpae_choice(u32 ttbcr, u64 ttbr0, u64 ttbr1, u32 va)
{
	u32 t0 = TTBCR_T0SZ(ttbcr), t1 = TTBCR_T1SZ(ttbcr);
	bool above0 = t0 != 0 && (va >> (32 - t0)) != 0;
	bool in1 = t1 != 0 ? (~va >> (32 - t1)) == 0 : above0;
	if (t0 != 0 ? !above0 : !in1) {
		return (struct guest_choice){true, (ttbcr & TTBCR_EPD0) == 0, 32 - t0, ttbr0};
	}
	return (struct guest_choice){in1, (ttbcr & TTBCR_EPD1) == 0, 32 - t1, ttbr1};
}

/* guest_regime: the regime of choice c in format f, first lookup at level index start (level
 * 1, or for LPAE inputs of 30 bits or fewer level 2: B3.6.6), into *r. The first table is
 * aligned to its size (B4.1.154). */
static inline __attribute__((always_inline)) void guest_regime(struct pt_regime *r,
							       const struct pt_format *f,
							       unsigned start, u64 base_mask,
							       const struct guest_choice *c)
{
	u32 first_bytes = BIT(c->ia_bits - f->level[start].shift + f->desc_shift);
	regime_set(r, f, c->ttbr & base_mask & ~(paddr_t)(first_bytes - 1u), c->ia_bits, start);
}

/* guest_start: the level index of the first lookup for c in f. */
static inline unsigned guest_start(const struct pt_format *f, const struct guest_choice *c)
{
	return f->level[0].shift >= c->ia_bits ? 1 : 0;
}

bool pt_guest_regime(u32 ttbcr, u64 ttbr0, u64 ttbr1, u32 va, struct pt_regime *r)
{
	/* TTBCR.PD0/PD1 (short) and EPD0/EPD1 (long) disable the walks through a TTBR: a
	 * miss there is a level-1 translation fault (B4.1.153). */
	bool lpae = (ttbcr & TTBCR_EAE_BIT) != 0;
	const struct pt_format *f = lpae ? &pt_lpae_s1 : &pt_short;
	struct guest_choice c =
	    lpae ? lpae_choice(ttbcr, ttbr0, ttbr1, va) : short_choice(ttbcr, ttbr0, ttbr1, va);
	if (c.found) {
		guest_regime(r, f, guest_start(f, &c), lpae ? TTBR_LPAE_BASE : TTBR_SHORT_BASE, &c);
	}
	return c.found && c.walks;
}

/* guest_walk: the regime of c in format f with its first lookup at level index start into *r,
 * and the walk of va in it into *w: the walker compiled for f and start. */
static inline __attribute__((always_inline)) void
guest_walk(const struct pt_format *f, unsigned start, u64 base_mask, const struct guest_choice *c,
	   u32 va, const struct pt_mem *m, struct pt_regime *r, struct pt_walk *w)
{
	guest_regime(r, f, start, base_mask, c);
	u32 ia_mask = ~0u >> (32 - c->ia_bits);
	walk_fmt(f, start, r->root, ia_mask, m, va & ia_mask, w);
}

bool pt_guest_walk(u32 ttbcr, u32 va, u64 ttbr0, u64 ttbr1, const struct pt_mem *m,
		   struct pt_regime *r, struct pt_walk *w)
{
	if ((ttbcr & TTBCR_EAE_BIT) == 0) {
		struct guest_choice c = short_choice(ttbcr, ttbr0, ttbr1, va);
		if (!c.walks) {
			guest_regime(r, &pt_short, 0, TTBR_SHORT_BASE, &c);
			return false;
		}
		guest_walk(&pt_short, 0, TTBR_SHORT_BASE, &c, va, m, r, w);
		return true;
	}
	struct guest_choice c = lpae_choice(ttbcr, ttbr0, ttbr1, va);
	if (!c.found || !c.walks) {
		return pt_guest_regime(ttbcr, ttbr0, ttbr1, va, r);
	}
	if (guest_start(&pt_lpae_s1, &c) == 0) {
		guest_walk(&pt_lpae_s1, 0, TTBR_LPAE_BASE, &c, va, m, r, w);
	} else {
		guest_walk(&pt_lpae_s1, 1, TTBR_LPAE_BASE, &c, va, m, r, w);
	}
	return true;
}
