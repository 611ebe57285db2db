/* Translation-table formats as data plus their descriptor semantics, and the one walker and
 * builder that all parts of the testbed use. */
#include "tb/pt.h"
#include "tb/lpae.h"
#include "tb/short_desc.h"

/* ---- short-descriptor format (B3.5.1) ---- */

static enum pt_kind sd_classify(u64 d, unsigned li)
{
	u32 type = (u32)d & SD_L1_TYPE_MASK;
	if (li == 0) {
		if (type == SD_L1_FAULT) {
			return PT_INVALID;
		}
		return type == SD_L1_PAGE_TABLE ? PT_TABLE : PT_LEAF;
	}
	return type == SD_L2_FAULT ? PT_INVALID : PT_LEAF;
}

static paddr_t sd_next_table(u64 d, unsigned li UNUSED)
{
	return (u32)d & SD_L1_TABLE_BASE;
}

static paddr_t sd_leaf_out(u64 d, unsigned li, u32 *size_shift)
{
	u32 v = (u32)d;
	if (li == 0 && (v & SD_L1_SUPERSECTION) != 0) {
		*size_shift = 24;
		return (paddr_t)(v & SD_SUPER_BASE) | ((paddr_t)BITS(v, 23, 20) << 32) |
		       ((paddr_t)BITS(v, 8, 5) << 36);
	}
	if (li == 0) {
		return v & SD_SECTION_BASE; /* a section spans its level */
	}
	if ((v & SD_L1_TYPE_MASK) == SD_L2_LARGE) {
		*size_shift = 16;
		return v & SD_L2_LARGE_BASE;
	}
	return v & SD_L2_SMALL_BASE;
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

const struct pt_format pt_short = {
    .name = "short-descriptor",
    .desc_bytes = 4,
    .nlevels = 2,
    .level = {{.number = 1, .shift = 20, .index_bits = 12, .leaf_ok = true},
	      {.number = 2, .shift = 12, .index_bits = 8, .leaf_ok = true}},
    .classify = sd_classify,
    .next_table = sd_next_table,
    .leaf_out = sd_leaf_out,
    .make_table = sd_make_table,
    .make_leaf = sd_make_leaf,
};

/* ---- long-descriptor format, both stages (B3.6.1) ---- */

static enum pt_kind lpae_classify(u64 d, unsigned li)
{
	if ((d & LPAE_VALID) == 0) {
		return PT_INVALID;
	}
	bool table_bit = (d & LPAE_TYPE_TABLE) != 0;
	if (li == 2) {
		/* Level 3: 0b11 is a page, 0b01 is reserved and faults. */
		return table_bit ? PT_LEAF : PT_INVALID;
	}
	return table_bit ? PT_TABLE : PT_LEAF;
}

static paddr_t lpae_next_table(u64 d, unsigned li UNUSED)
{
	return d & LPAE_OA_MASK;
}

static paddr_t lpae_leaf_out(u64 d, unsigned li UNUSED, u32 *size_shift)
{
	return d & LPAE_OA_MASK & ~MASK64(*size_shift); /* a leaf spans its level */
}

static u64 lpae_make_table(paddr_t next)
{
	return (next & LPAE_OA_MASK) | LPAE_VALID | LPAE_TYPE_TABLE;
}

static u64 lpae_make_leaf(paddr_t pa, unsigned li, u64 attrs)
{
	u64 type = li == 2 ? LPAE_VALID | LPAE_TYPE_TABLE : LPAE_VALID;
	return (pa & LPAE_OA_MASK) | type | attrs;
}

/* The two LPAE stages share levels and descriptor types (B3.6.1); only the meaning of the
 * attribute bits differs, and that is the callers' business (tb/lpae.h). */
// clang-format off
#define LPAE_FORMAT(label)                                              \
	{                                                               \
		.name = (label),                                        \
		.desc_bytes = 8,                                        \
		.nlevels = 3,                                           \
		.level = {{.number = 1, .shift = 30, .index_bits = 9, .leaf_ok = true}, \
			  {.number = 2, .shift = 21, .index_bits = 9, .leaf_ok = true}, \
			  {.number = 3, .shift = 12, .index_bits = 9, .leaf_ok = true}}, \
		.classify = lpae_classify,                              \
		.next_table = lpae_next_table,                          \
		.leaf_out = lpae_leaf_out,                              \
		.make_table = lpae_make_table,                          \
		.make_leaf = lpae_make_leaf,                            \
	}
// clang-format on

const struct pt_format pt_lpae_s1 = LPAE_FORMAT("LPAE stage 1");
const struct pt_format pt_lpae_s2 = LPAE_FORMAT("LPAE stage 2");

/* ---- generic walker and builder ---- */

void pt_regime_init(struct pt_regime *r, const struct pt_format *fmt, paddr_t root, u32 ia_bits)
{
	unsigned li = 0;
	while (li + 1 < fmt->nlevels && fmt->level[li].shift >= ia_bits) {
		li++;
	}
	r->fmt = fmt;
	r->root = root;
	r->ia_bits = ia_bits;
	r->start = (u8)li;
	/* All the input bits above the first level's shift, even more than a full table
	 * resolves: a 40-bit stage-2 input starts with two concatenated level-1 tables
	 * (B3.6.6). */
	r->start_bits = (u8)(ia_bits - fmt->level[li].shift);
}

/* index_bits: VA bits resolved at level index li of regime r. */
static inline u32 index_bits(const struct pt_regime *r, unsigned li)
{
	return li == r->start ? r->start_bits : r->fmt->level[li].index_bits;
}

/* mem_read / mem_write: one descriptor access through m. */
static inline bool mem_read(const struct pt_mem *m, paddr_t pa, unsigned bytes, u64 *val)
{
	if (m->direct) {
		*val = bytes == 8 ? *(const volatile u64 *)(uintptr_t)pa
				  : *(const volatile u32 *)(uintptr_t)pa;
		return true;
	}
	if (pa - m->win_base < m->win_size && pa - m->win_base + bytes <= m->win_size) {
		uintptr_t host = m->win_host + (uintptr_t)(pa - m->win_base);
		*val = bytes == 8 ? *(const volatile u64 *)host : *(const volatile u32 *)host;
		return true;
	}
	return m->read(m->ctx, pa, bytes, val);
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
	return (1u << index_bits(r, li)) * r->fmt->desc_bytes;
}

/* desc_addr: address of the descriptor for ia in the table at table (level index li). */
static inline paddr_t desc_addr(const struct pt_regime *r, unsigned li, paddr_t table, u64 ia)
{
	u32 shift = r->fmt->level[li].shift;
	/* Input addresses of 32 bits or fewer (every ARMv7 VA, our IPAs) index in 32-bit
	 * arithmetic: a variable 64-bit shift costs several instructions on a 32-bit core. */
	u32 idx = r->ia_bits <= 32 ? ((u32)ia >> shift) & MASK(index_bits(r, li))
				   : (u32)((ia >> shift) & MASK64(index_bits(r, li)));
	return table + idx * r->fmt->desc_bytes;
}

static bool in_range(const struct pt_regime *r, u64 ia)
{
	return r->ia_bits >= 64 || (ia >> r->ia_bits) == 0;
}

enum pt_status pt_walk(const struct pt_regime *r, const struct pt_mem *m, u64 ia, struct pt_walk *w)
{
	const struct pt_format *f = r->fmt;
	paddr_t table = r->root;
	w->depth = 0;
	w->status = PT_ERR_RANGE;
	w->level = f->level[pt_start_index(r)].number;
	if (!in_range(r, ia)) {
		return w->status;
	}
	for (unsigned li = pt_start_index(r); li < f->nlevels; li++) {
		paddr_t dpa = desc_addr(r, li, table, ia);
		u64 d;
		w->level = f->level[li].number;
		if (!mem_read(m, dpa, f->desc_bytes, &d)) {
			w->status = PT_FAULT_BUS;
			return w->status;
		}
		w->desc_pa[w->depth] = dpa;
		w->desc[w->depth] = d;
		w->depth++;
		enum pt_kind kind = f->classify(d, li);
		if (kind == PT_LEAF && f->level[li].leaf_ok) {
			w->leaf = d;
			w->size_shift = f->level[li].shift;
			w->out = f->leaf_out(d, li, &w->size_shift);
			w->out |= ia & MASK64(w->size_shift);
			w->status = PT_OK;
			return w->status;
		}
		if (kind != PT_TABLE || li + 1 == f->nlevels) {
			break;
		}
		table = f->next_table(d, li);
	}
	w->status = PT_FAULT_TRANSLATION;
	return w->status;
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
		enum pt_kind kind = f->classify(d, li);
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
		table = f->next_table(d, li);
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
	u32 entries = 1u << index_bits(r, li);
	for (u32 i = 0; i < entries; i++) {
		paddr_t dpa = table + (paddr_t)i * f->desc_bytes;
		u64 ia = base + ((u64)i << f->level[li].shift);
		u64 d;
		if (!mem_read(m, dpa, f->desc_bytes, &d)) {
			return PT_FAULT_BUS;
		}
		enum pt_kind kind = f->classify(d, li);
		if (kind == PT_LEAF && v->leaf != NULL) {
			u32 size_shift = f->level[li].shift;
			f->leaf_out(d, li, &size_shift);
			v->leaf(v->ctx, ia, dpa, d, size_shift);
		} else if (kind == PT_TABLE && li + 1 < f->nlevels) {
			paddr_t next = f->next_table(d, li);
			enum pt_status st = visit_table(r, m, v, li + 1, next, ia);
			if (st != PT_OK) {
				return st;
			}
			if (v->table != NULL) {
				v->table(v->ctx, next,
					 (1u << index_bits(r, li + 1)) * f->desc_bytes);
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
#define TTBCR_EAE_BIT  BIT(31)
#define TTBCR_N(t)     ((u32)BITS(t, 2, 0)) /* short-descriptor */
#define TTBCR_PD0      BIT(4)
#define TTBCR_PD1      BIT(5)
#define TTBCR_T0SZ(t)  ((u32)BITS(t, 2, 0)) /* long-descriptor */
#define TTBCR_EPD0     BIT(7)
#define TTBCR_T1SZ(t)  ((u32)BITS(t, 18, 16))
#define TTBCR_EPD1     BIT(23)
#define TTBR_LPAE_BASE MASK64(40)

/* lpae_base: table base in a 64-bit TTBR for a first table of ia_bits input (B4.1.154). */
static paddr_t lpae_base(u64 ttbr, u32 ia_bits)
{
	/* The first table holds 2^(ia_bits - shift) 8-byte entries, aligned to its size. */
	u32 shift = ia_bits > 30 ? 30 : 21;
	u32 align = ia_bits - shift + 3;
	return ttbr & TTBR_LPAE_BASE & ~MASK64(align);
}

bool pt_guest_regime(u32 ttbcr, u64 ttbr0, u64 ttbr1, u32 va, struct pt_regime *r)
{
	/* TTBCR.PD0/PD1 (short) and EPD0/EPD1 (long) disable the walks through a TTBR: a
	 * miss there is a level-1 translation fault (B4.1.153). */
	if ((ttbcr & TTBCR_EAE_BIT) == 0) {
		u32 n = TTBCR_N(ttbcr);
		if (n == 0 || (va >> (32 - n)) == 0) {
			pt_regime_init(r, &pt_short, (u32)ttbr0 & ~MASK(14 - n), 32 - n);
			return (ttbcr & TTBCR_PD0) == 0;
		}
		pt_regime_init(r, &pt_short, (u32)ttbr1 & ~MASK(14), 32);
		return (ttbcr & TTBCR_PD1) == 0;
	}
	/* Table B3-5: TTBR0 covers [0, 2^(32-T0SZ)) (up to TTBR1's region when T0SZ = 0);
	 * TTBR1 covers [2^32 - 2^(32-T1SZ), 2^32) (from TTBR0's end when T1SZ = 0). */
	u32 t0 = TTBCR_T0SZ(ttbcr), t1 = TTBCR_T1SZ(ttbcr);
	u64 start1 = t1 != 0 ? BIT64(32) - BIT64(32 - t1) : t0 != 0 ? BIT64(32 - t0) : BIT64(32);
	u64 end0 = t0 != 0 ? BIT64(32 - t0) : start1;
	if (va < end0) {
		pt_regime_init(r, &pt_lpae_s1, lpae_base(ttbr0, 32 - t0), 32 - t0);
		return (ttbcr & TTBCR_EPD0) == 0;
	}
	if (va >= start1) {
		pt_regime_init(r, &pt_lpae_s1, lpae_base(ttbr1, 32 - t1), 32 - t1);
		return (ttbcr & TTBCR_EPD1) == 0;
	}
	return false;
}
