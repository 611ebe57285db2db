/* One description of the ARMv7 translation-table formats and one walker and one builder
 * driven by it. Formats: short-descriptor (ARM ARM B3.5), LPAE stage 1 (B3.6) and LPAE stage 2
 * (B3.6, "stage 2 translation"). The guest walker, the stage-2 builder and the shadow builder
 * all use this code; only the descriptor semantics differ per format. */
#ifndef TB_PT_H
#define TB_PT_H

#include "tb/types.h"

#define PT_MAX_LEVELS 3

/* What one descriptor is, independent of its format. */
enum pt_kind {
	PT_INVALID = 0, /* fault entry (or a reserved encoding) */
	PT_TABLE,	/* points to the next-level table */
	PT_LEAF,	/* maps a block, section or page */
};

/* The type field of a descriptor: bits [1:0] in every format (B3.5.1, B3.6.1). */
#define PT_TYPE_MASK 0x3u
#define PT_TYPES     4

/* One level of a format: the VA bits it resolves, and what each descriptor type is there. The
 * walker classifies descriptors and sizes leaves from these tables alone. */
struct pt_level {
	u8 number;	   /* the ARM ARM's level number: short 1..2, LPAE 1..3 */
	u8 shift;	   /* lowest VA bit resolved here */
	u8 index_bits;	   /* VA bits resolved here for a full-size table */
	bool leaf_ok;	   /* may hold a block/section/page */
	u8 kind[PT_TYPES]; /* enum pt_kind of a descriptor, by its type field */
	u8 table_type;	   /* the type of kind PT_TABLE (PT_TYPES: none) */
	u8 leaf_types;	   /* the types of kind PT_LEAF: bit t for type t */
	u8 large_type;	   /* leaves of this type (PT_TYPES: none) map 2^large_shift bytes, */
	u8 large_shift;	   /* the others 2^shift (short-format large pages) */
	u32 big_leaf;	   /* leaves with this bit set are sized by the format's big_leaf_out */
};

struct pt_format {
	const char *name;
	u8 desc_bytes; /* 4 (short) or 8 (LPAE) */
	u8 desc_shift; /* log2(desc_bytes) */
	u8 nlevels;
	struct pt_level level[PT_MAX_LEVELS];
	u64 table_mask;	  /* the next table's address bits in a table descriptor */
	u64 oa_mask;	  /* a leaf's output address bits (those below its size aside) */
	u64 leaf_ignored; /* a leaf's bits that translation ignores (software use) */
	/* big_leaf_out: output base and *size_shift of a leaf with its level's big_leaf bit set
	 * (short-format supersections); NULL in formats without such leaves. */
	paddr_t (*big_leaf_out)(u64 desc, u32 *size_shift);
	/* Reading descriptors is the tables' business (pt_desc_kind, pt_next_table,
	 * pt_leaf_out below). make_table / make_leaf: descriptors pointing to a table / mapping pa
	 * with attrs. attrs use one layout for every leaf size: the LPAE lower/upper attribute
	 * bits, or for the short format the section layout (B3.5.1), moved to the small-page
	 * positions when the leaf is a page. Domain and PXN are the caller's bits. */
	u64 (*make_table)(paddr_t next);
	u64 (*make_leaf)(paddr_t pa, unsigned li, u64 attrs);
};

/* pt_desc_kind: what descriptor d is at level index li of format f. */
static inline enum pt_kind pt_desc_kind(const struct pt_format *f, u64 d, unsigned li)
{
	return (enum pt_kind)f->level[li].kind[d & PT_TYPE_MASK];
}

/* pt_fault_types: the descriptor types that are fault entries at every level of format f
 * (bit t for type t): no walk goes through such a descriptor. */
static inline u32 pt_fault_types(const struct pt_format *f)
{
	u32 types = BIT(PT_TYPES) - 1u;
	for (unsigned li = 0; li < f->nlevels; li++) {
		for (u32 t = 0; t < PT_TYPES; t++) {
			if (f->level[li].kind[t] != PT_INVALID) {
				types &= ~BIT(t);
			}
		}
	}
	return types;
}

/* pt_next_table: the table a PT_TABLE descriptor d of format f points to. */
static inline paddr_t pt_next_table(const struct pt_format *f, u64 d)
{
	return d & f->table_mask;
}

/* pt_leaf_out: output base of leaf d at level index li of format f; its log2 size in
 * *size_shift. */
paddr_t pt_leaf_out(const struct pt_format *f, u64 d, unsigned li, u32 *size_shift);

/* pt_leaf_addr_mask: the bits of leaf d at level index li of f that hold its output address,
 * for a leaf whose output for input ia is (d & mask) | (ia's bits below its size); 0 for a
 * leaf whose address is encoded otherwise (short-format supersections). */
u64 pt_leaf_addr_mask(const struct pt_format *f, u64 d, unsigned li);

extern const struct pt_format pt_short;	  /* short-descriptor, 4 KiB pages, 1 MiB sections */
extern const struct pt_format pt_lpae_s1; /* LPAE stage 1, 4 KiB granule */
extern const struct pt_format pt_lpae_s2; /* LPAE stage 2, 4 KiB granule */

/* Memory access for walks and builders: physical addresses in the table's address space.
 * With direct set, addresses are dereferenced as they are (the hypervisor's own tables, Hyp
 * MMU off) and read/write are not called. */
struct pt_mem {
	bool direct;
	/* read: load a descriptor of bytes (4 or 8) at pa; false if pa is not readable. */
	bool (*read)(void *ctx, paddr_t pa, unsigned bytes, u64 *val);
	/* write: store a descriptor; false if pa is not writable. */
	bool (*write)(void *ctx, paddr_t pa, unsigned bytes, u64 val);
	/* alloc_table: a zeroed table of bytes, aligned to its size; 0 if none is left. */
	paddr_t (*alloc_table)(void *ctx, u32 bytes);
	void *ctx;
	/* A window read directly, without the read callback (the hypervisor's walks of guest
	 * tables in guest RAM: one per shadow miss); set it with pt_mem_window. A descriptor
	 * of 4 << i bytes at pa, pa - win_base below win_lim[i], is at host address
	 * win_host + (pa - win_base). All zero: no window. */
	u32 win_base;
	u32 win_lim[2];
	uintptr_t win_host;
};

/* pt_mem_window: make [base, base + size) a window of m read at host address host; false
 * (and no window) unless it lies below 4 GiB. */
bool pt_mem_window(struct pt_mem *m, paddr_t base, u32 size, uintptr_t host);

/* The input range a table tree translates: ia_bits of input address, the root table.
 * Build one with pt_regime_init, which derives the first lookup level. */
struct pt_regime {
	const struct pt_format *fmt;
	paddr_t root;
	u32 ia_bits;   /* 32 for a full 4 GiB space; fewer with TTBCR.N / T0SZ; up to 40 for
			* stage 2 (VTCR.T0SZ), with a concatenated first table where needed */
	u8 start;      /* index into fmt->level[] of the first lookup */
	u8 start_bits; /* input bits resolved by the first lookup */
};

/* pt_regime_init: a regime of format fmt over ia_bits of input, rooted at root; ia_bits from
 * above the last level's shift up to the first level's span (32 short, 39 LPAE), or 40 for
 * LPAE stage 2. The root is aligned to the first table's size (pt_table_bytes), as the
 * architecture requires: the walks form descriptor addresses as table base | index. */
void pt_regime_init(struct pt_regime *r, const struct pt_format *fmt, paddr_t root, u32 ia_bits);

enum pt_status {
	PT_OK = 0,
	PT_FAULT_TRANSLATION = -1, /* an invalid descriptor on the way */
	PT_FAULT_BUS = -2,	   /* a table address that the memory callback refused */
	PT_ERR_RANGE = -3,	   /* input address outside the regime's range */
	PT_ERR_EXISTS = -4,	   /* builder: a valid descriptor is in the way */
	PT_ERR_NOMEM = -5,	   /* builder: no table left */
	PT_ERR_ALIGN = -6,	   /* builder: addresses or size not page aligned */
};

/* The result of a walk: everything an MMU would have looked at. */
struct pt_walk {
	enum pt_status status;
	unsigned level; /* ARM ARM level number of the leaf or of the faulting descriptor */
	u32 size_shift; /* log2 bytes mapped by the leaf */
	paddr_t out;	/* output address of the input address (leaf found) */
	u64 leaf;	/* the leaf descriptor */
	unsigned depth; /* descriptors read */
	paddr_t desc_pa[PT_MAX_LEVELS]; /* where each was read from */
	u64 desc[PT_MAX_LEVELS];	/* and its value */
	u64 tables; /* the OR of the table descriptors read (hierarchical attributes, B3.6.1) */
};

/* pt_index_bits: input bits resolved at level index li of regime r (the first lookup may
 * resolve fewer, or more with a concatenated stage-2 table, than a full table). */
static inline u32 pt_index_bits(const struct pt_regime *r, unsigned li)
{
	return li == r->start ? r->start_bits : r->fmt->level[li].index_bits;
}
/* pt_table_shift: log2 of the input span of a whole table at level index li of r. */
static inline u32 pt_table_shift(const struct pt_regime *r, unsigned li)
{
	return r->fmt->level[li].shift + pt_index_bits(r, li);
}
/* pt_table_bytes: size of the table at level index li for a regime (the first may be smaller). */
u32 pt_table_bytes(const struct pt_regime *r, unsigned li);
/* pt_start_index: index into fmt->level[] of the regime's first lookup level. */
static inline unsigned pt_start_index(const struct pt_regime *r)
{
	return r->start;
}
/* pt_walk: translate ia through the tables; fills *w, returns w->status. */
enum pt_status pt_walk(const struct pt_regime *r, const struct pt_mem *m, u64 ia,
		       struct pt_walk *w);
/* pt_map: map [ia, ia+size) to [pa, pa+size) with leaf attributes attrs, using the largest leaf
 * no bigger than 1 << max_leaf_shift that alignment allows. Fails (PT_ERR_EXISTS) rather than
 * overwrite a valid entry: break-before-make is the caller's job. */
enum pt_status pt_map(const struct pt_regime *r, const struct pt_mem *m, u64 ia, paddr_t pa,
		      u64 size, u64 attrs, u32 max_leaf_shift);
/* pt_unmap: invalidate the leaves covering [ia, ia+size); leaves must lie wholly inside. */
enum pt_status pt_unmap(const struct pt_regime *r, const struct pt_mem *m, u64 ia, u64 size);
/* pt_guest_regime: the stage-1 regime that translates va under the guest's TTBCR, TTBR0 and
 * TTBR1 (short-descriptor B3.5.4, long-descriptor B3.6.4). false if va is in neither TTBR's
 * range (LPAE) or TTBCR disables the walks through its TTBR (PD0/PD1, EPD0/EPD1): a
 * translation fault at level 1. */
bool pt_guest_regime(u32 ttbcr, u64 ttbr0, u64 ttbr1, u32 va, struct pt_regime *r);
/* pt_guest_walk: where pt_guest_regime gives true, that regime into *r and pt_walk of va's
 * input address in it into *w; the result of pt_guest_regime (false: *r and *w untouched).
 * The walk of a guest VA in one call, with the walker compiled for each guest format. */
bool pt_guest_walk(u32 ttbcr, u32 va, u64 ttbr0, u64 ttbr1, const struct pt_mem *m,
		   struct pt_regime *r, struct pt_walk *w);
/* pt_guest_ia: the input address the walker indexes with for va in regime r. */
static inline u64 pt_guest_ia(const struct pt_regime *r, u32 va)
{
	return va & MASK64(r->ia_bits);
}
/* Visitor of a whole table tree (pt_visit). */
struct pt_visitor {
	/* leaf: a valid leaf descriptor desc at desc_pa, mapping ia (its size 1 << size_shift). */
	void (*leaf)(void *ctx, u64 ia, paddr_t desc_pa, u64 desc, u32 size_shift);
	/* table: a table below the root, after all its entries were visited (may free it). */
	void (*table)(void *ctx, paddr_t table, u32 bytes);
	void *ctx;
};

/* pt_visit: call v->leaf for every leaf in ascending input-address order and v->table for
 * every table below the root, depth first. Either callback may be NULL. */
enum pt_status pt_visit(const struct pt_regime *r, const struct pt_mem *m,
			const struct pt_visitor *v);

/* pt_status_str: a short name for a status. */
const char *pt_status_str(enum pt_status s);

#endif
