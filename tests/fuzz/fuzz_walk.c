/* libFuzzer harness for the translation-table walker (common/src/pt.c, pt_walk over the
 * short-descriptor, LPAE stage-1 and LPAE stage-2 formats) and the stage-1 model
 * (common/src/s1.c, s1_translate), over a fake physical memory made of the input's chunks
 * (tests/fuzz/walk_input.h).
 *
 * The walker is checked against the ARM ARM's description, written out here on its own:
 * which descriptor each level reads (table base + index from the input address: B3.5.5,
 * B3.6.5), how each descriptor is classified and what output address a leaf gives (B3.5.1,
 * B3.6.1). Every read must lie inside the fake memory and return what the walk reports;
 * a refused read must be one outside it. s1_translate must pick the translation table the
 * architecture picks for its TTBCR (B3.5.4, B3.6.4), walk exactly as pt_walk does over that
 * regime (same descriptors, same output address), report a fault status the architecture
 * defines for the format at the level of the walk (B3.13.3), and never give PL0 more data
 * access than PL1 or allow a write where it refuses a read. */
#include "fuzz.h"
#include "tb/arm.h"
#include "tb/lpae.h"
#include "tb/pt.h"
#include "tb/s1.h"
#include "tb/short_desc.h"
#include "walk_input.h"

#define MAX_READS (PT_MAX_LEVELS + 1)
#define POISON	  0xa5

/* ---- the fake physical memory ---- */

struct read_rec {
	paddr_t pa;
	unsigned bytes;
	bool ok;
	u64 val;
};

struct fake_mem {
	struct walk_chunk chunk[WALK_MAX_CHUNKS];
	u32 nchunks;
	struct read_rec log[MAX_READS];
	u32 nreads;
};

/* chunk_at: the first chunk that holds [pa, pa+n) entirely, or NULL. */
static const struct walk_chunk *chunk_at(const struct fake_mem *fm, paddr_t pa, unsigned n)
{
	for (u32 i = 0; i < fm->nchunks; i++) {
		const struct walk_chunk *c = &fm->chunk[i];
		if (pa >= c->base && pa - c->base <= c->len && n <= c->len - (pa - c->base)) {
			return c;
		}
	}
	return NULL;
}

/* fm_read: pt_mem read callback; logs every access. */
static bool fm_read(void *ctx, paddr_t pa, unsigned bytes, u64 *val)
{
	struct fake_mem *fm = ctx;
	FUZZ_CHECK(fm->nreads < MAX_READS, "more than %d reads in one walk", MAX_READS);
	FUZZ_CHECK(bytes == 4 || bytes == 8, "a read of %u bytes", bytes);
	const struct walk_chunk *c = chunk_at(fm, pa, bytes);
	struct read_rec *r = &fm->log[fm->nreads++];
	*r = (struct read_rec){pa, bytes, c != NULL, 0};
	if (c == NULL) {
		return false;
	}
	r->val = le_at(c->bytes + (pa - c->base), bytes);
	*val = r->val;
	return true;
}

/* fm_write / fm_alloc: a walk never writes or allocates. */
static bool fm_write(void *ctx, paddr_t pa, unsigned bytes, u64 val)
{
	(void)ctx;
	FUZZ_CHECK(false, "walk wrote 0x%llx (%u bytes) at 0x%llx", val, bytes, pa);
	return false;
}

static paddr_t fm_alloc(void *ctx, u32 bytes)
{
	(void)ctx;
	FUZZ_CHECK(false, "walk allocated a table of %u bytes", bytes);
	return 0;
}

/* ---- the architecture's walk, as the oracle ---- */

/* The regime a walk should use: format, first table, input size (and thus first level). */
struct oracle_regime {
	bool lpae;
	paddr_t root;
	u32 ia_bits;
};

/* level_shift / level_bits: input bits resolved at ARM ARM level `level` (B3.5.5, B3.6.5). */
static u32 level_shift(bool lpae, unsigned level)
{
	static const u8 sd[] = {0, 20, 12}, ld[] = {0, 30, 21, 12};
	return lpae ? ld[level] : sd[level];
}

static u32 level_bits(bool lpae, unsigned level)
{
	return lpae ? 9 : level == 1 ? 12 : 8;
}

/* first_level: the level of the first lookup: 1, or 2 for LPAE inputs of 30 bits or fewer
 * (B3.6.6: T0SZ of 2 or more starts at level 2; stage 2 likewise picks SL0). */
static unsigned first_level(const struct oracle_regime *o)
{
	return o->lpae && o->ia_bits <= level_shift(true, 1) ? 2 : 1;
}

enum d_kind { D_FAULT, D_TABLE, D_LEAF };

/* A descriptor decoded: its kind, and for a table or leaf the address it gives. */
struct decoded {
	enum d_kind kind;
	paddr_t base;
	u32 size_shift;
};

/* decode_short: a short-descriptor entry (B3.5.1, figures B3-4 and B3-5). */
static struct decoded decode_short(u32 d, unsigned level)
{
	struct decoded r = {D_FAULT, 0, 0};
	u32 type = d & SD_L1_TYPE_MASK;
	if (type == SD_L1_FAULT) {
		return r;
	}
	if (level == 1 && type == SD_L1_PAGE_TABLE) {
		r = (struct decoded){D_TABLE, d & SD_L1_TABLE_BASE, 0};
	} else if (level == 1 && (d & SD_L1_SUPERSECTION) != 0) {
		/* PA[31:24] from [31:24], PA[35:32] from [23:20], PA[39:36] from [8:5]. */
		paddr_t pa = (d & SD_SUPER_BASE) | ((paddr_t)BITS(d, 23, 20) << 32) |
			     ((paddr_t)BITS(d, 8, 5) << 36);
		r = (struct decoded){D_LEAF, pa, 24};
	} else if (level == 1) {
		r = (struct decoded){D_LEAF, d & SD_SECTION_BASE, 20};
	} else if (type == SD_L2_LARGE) {
		r = (struct decoded){D_LEAF, d & SD_L2_LARGE_BASE, 16};
	} else {
		r = (struct decoded){D_LEAF, d & SD_L2_SMALL_BASE, 12};
	}
	return r;
}

/* decode_lpae: a long-descriptor entry (B3.6.1): invalid, table, block, or level-3 page
 * (0b01 at level 3 is reserved and faults). */
static struct decoded decode_lpae(u64 d, unsigned level)
{
	struct decoded r = {D_FAULT, 0, 0};
	bool table_bit = (d & LPAE_TYPE_TABLE) != 0;
	if ((d & LPAE_VALID) == 0 || (level == 3 && !table_bit)) {
		return r;
	}
	if (level < 3 && table_bit) {
		return (struct decoded){D_TABLE, d & LPAE_OA_MASK, 0};
	}
	u32 shift = level_shift(true, level);
	return (struct decoded){D_LEAF, d & LPAE_OA_MASK & ~MASK64(shift), shift};
}

/* check_read: read i of the walk was at pa, and was refused exactly when pa is not in the
 * fake memory. */
static void check_read(const struct fake_mem *fm, u32 i, paddr_t pa, unsigned bytes)
{
	FUZZ_CHECK(i < fm->nreads, "read %u at 0x%llx was not made", i, pa);
	const struct read_rec *r = &fm->log[i];
	FUZZ_CHECK(r->pa == pa && r->bytes == bytes,
		   "read %u at 0x%llx (%u bytes), expected 0x%llx", i, r->pa, r->bytes, pa);
	FUZZ_CHECK(r->ok == (chunk_at(fm, pa, bytes) != NULL), "read %u inconsistent", i);
}

/* check_walk: w is the walk of ia under regime o, with fm's reads, as the ARM ARM defines. */
static void check_walk(const struct oracle_regime *o, const struct fake_mem *fm, u64 ia,
		       const struct pt_walk *w)
{
	if (o->ia_bits < 64 && (ia >> o->ia_bits) != 0) {
		FUZZ_CHECK(w->status == PT_ERR_RANGE && w->depth == 0 && fm->nreads == 0,
			   "input 0x%llx beyond %u bits: status %d", ia, o->ia_bits, w->status);
		return;
	}
	unsigned bytes = o->lpae ? 8 : 4;
	unsigned level = first_level(o);
	u32 bits = o->ia_bits - level_shift(o->lpae, level);
	paddr_t table = o->root;
	for (u32 i = 0;; i++) {
		paddr_t dpa = table + bytes * ((ia >> level_shift(o->lpae, level)) & MASK64(bits));
		check_read(fm, i, dpa, bytes);
		if (!fm->log[i].ok) {
			FUZZ_CHECK(w->status == PT_FAULT_BUS && w->depth == i &&
				       fm->nreads == i + 1 && w->level == level,
				   "refused read of 0x%llx at level %u: status %d at level %u", dpa,
				   level, w->status, w->level);
			return;
		}
		FUZZ_CHECK(i < w->depth && w->desc_pa[i] == dpa && w->desc[i] == fm->log[i].val,
			   "descriptor %u: walk reports 0x%llx at 0x%llx, read 0x%llx at 0x%llx", i,
			   w->desc[i], w->desc_pa[i], fm->log[i].val, dpa);
		struct decoded d =
		    o->lpae ? decode_lpae(w->desc[i], level) : decode_short((u32)w->desc[i], level);
		if (d.kind == D_TABLE) {
			table = d.base;
			level++;
			bits = level_bits(o->lpae, level);
			continue;
		}
		FUZZ_CHECK(w->depth == i + 1 && fm->nreads == i + 1 && w->level == level,
			   "walk ended at level %u after %u reads, expected level %u", w->level,
			   fm->nreads, level);
		if (d.kind == D_FAULT) {
			FUZZ_CHECK(w->status == PT_FAULT_TRANSLATION, "fault entry: status %d",
				   w->status);
			return;
		}
		paddr_t out = d.base | (ia & MASK64(d.size_shift));
		FUZZ_CHECK(w->status == PT_OK && w->leaf == w->desc[i] &&
			       w->size_shift == d.size_shift && w->out == out,
			   "leaf 0x%llx at level %u: status %d, out 0x%llx (2^%u), expected 0x%llx "
			   "(2^%u)",
			   w->desc[i], level, w->status, w->out, w->size_shift, out, d.size_shift);
		return;
	}
}

/* ---- the direct walk: pt_walk over any of the three formats ---- */

static const struct pt_format *const formats[] = {&pt_short, &pt_lpae_s1, &pt_lpae_s2, &pt_lpae_s2};

/* walk_ia_bits: the input size of a direct walk: 25..32 bits, and up to 40 for stage 2
 * (VTCR.T0SZ from -8, B4.1.159). */
static u32 walk_ia_bits(u32 fmt, u64 sel)
{
	return fmt == WALK_FMT_LPAE_S2 ? 25 + (u32)(sel % 16) : 25 + (u32)(sel % 8);
}

/* same_walk: walks a and b read the same descriptors and end the same way. */
static void same_walk(const struct pt_walk *a, const struct pt_walk *b)
{
	FUZZ_CHECK(a->status == b->status && a->level == b->level && a->depth == b->depth &&
		       a->tables == b->tables &&
		       memcmp(a->desc_pa, b->desc_pa, a->depth * sizeof(a->desc_pa[0])) == 0 &&
		       memcmp(a->desc, b->desc, a->depth * sizeof(a->desc[0])) == 0,
		   "through the window: status %d at level %u after %u reads, through the "
		   "callback: status %d at level %u after %u",
		   b->status, b->level, b->depth, a->status, a->level, a->depth);
	FUZZ_CHECK(a->status != PT_OK ||
		       (a->leaf == b->leaf && a->out == b->out && a->size_shift == b->size_shift),
		   "through the window: out 0x%llx (2^%u), through the callback 0x%llx (2^%u)",
		   b->out, b->size_shift, a->out, a->size_shift);
}

/* fuzz_direct: pt_walk of the input's ia with a root table from ttbr0 (aligned to its size),
 * also through mw (the window) where it is not NULL. */
static void fuzz_direct(const struct walk_regs *in, struct fake_mem *fm, const struct pt_mem *m,
			const struct pt_mem *mw)
{
	u32 fmt = (u32)in->flags & WALK_FLAG_FMT_MASK;
	fmt = fmt > WALK_FMT_LPAE_S2 ? WALK_FMT_LPAE_S2 : fmt;
	struct oracle_regime o = {fmt != WALK_FMT_SHORT, 0, walk_ia_bits(fmt, in->ia_sel)};
	u32 first_bits = o.ia_bits - level_shift(o.lpae, first_level(&o));
	u64 table_bytes = (o.lpae ? 8ull : 4ull) << first_bits;
	o.root = in->ttbr0 & MASK64(o.lpae ? 40 : 32) & ~(table_bytes - 1);
	/* One bit beyond the input size, so that half of the random inputs are out of range. */
	u64 ia = in->ia & MASK64(o.ia_bits + 1);
	struct pt_regime r;
	pt_regime_init(&r, formats[fmt], o.root, o.ia_bits);
	FUZZ_CHECK(pt_table_bytes(&r, pt_start_index(&r)) == table_bytes,
		   "first table of %u-bit input: %u bytes, expected %llu", o.ia_bits,
		   pt_table_bytes(&r, pt_start_index(&r)), table_bytes);
	struct pt_walk w;
	fm->nreads = 0;
	enum pt_status s = pt_walk(&r, m, ia, &w);
	FUZZ_CHECK(s == w.status, "returned %d, recorded %d", s, w.status);
	check_walk(&o, fm, ia, &w);
	if (mw != NULL) {
		struct pt_walk ww;
		fm->nreads = 0;
		pt_walk(&r, mw, ia, &ww);
		same_walk(&w, &ww);
	}
}

/* ---- the stage-1 model ---- */

/* TTBCR fields (B4.1.153). */
#define TTBCR_SD_N(t)	  ((u32)BITS(t, 2, 0))
#define TTBCR_SD_PD0	  BIT(4)
#define TTBCR_SD_PD1	  BIT(5)
#define TTBCR_LD_T0SZ(t)  ((u32)BITS(t, 2, 0))
#define TTBCR_LD_EPD0	  BIT(7)
#define TTBCR_LD_T1SZ(t)  ((u32)BITS(t, 18, 16))
#define TTBCR_LD_EPD1	  BIT(23)
#define TTBR_SD_BASE_MASK 0xffffffffull
#define TTBR_LD_BASE_MASK MASK64(40)

/* The translation table the MMU uses for a VA, or none (a level-1 translation fault). */
struct oracle_s1 {
	bool walks; /* false: va is in no TTBR's range, or that TTBR's walks are disabled */
	struct oracle_regime o;
	u64 ia;
};

/* oracle_short: TTBR0 translates [0, 2^(32-N)) with a 2^(14-N)-byte first table, TTBR1 the
 * rest with a 16 KiB one (B3.5.4); TTBCR.PD0/PD1 disable the walks (B4.1.153). */
static struct oracle_s1 oracle_short(const struct s1_state *st, u32 va)
{
	u32 n = TTBCR_SD_N(st->ttbcr);
	bool ttbr0 = n == 0 || va < (1ull << (32 - n));
	u32 ia_bits = ttbr0 ? 32 - n : 32;
	u64 ttbr = (ttbr0 ? st->ttbr0 : st->ttbr1) & TTBR_SD_BASE_MASK;
	struct oracle_s1 r = {true, {false, ttbr & ~MASK64(ia_bits - 18), ia_bits}, va};
	r.walks = (st->ttbcr & (ttbr0 ? TTBCR_SD_PD0 : TTBCR_SD_PD1)) == 0;
	return r;
}

/* oracle_lpae: TTBR0 translates [0, 2^(32-T0SZ)), TTBR1 [2^32 - 2^(32-T1SZ), 2^32); a size
 * of 0 extends the region to the other one (B3.6.4, table B3-5); the first table holds
 * 2^(ia_bits - shift) entries and is aligned to its size (B4.1.154); TTBCR.EPD0/EPD1
 * disable the walks. */
static struct oracle_s1 oracle_lpae(const struct s1_state *st, u32 va)
{
	u32 t0 = TTBCR_LD_T0SZ(st->ttbcr), t1 = TTBCR_LD_T1SZ(st->ttbcr);
	u64 top = 1ull << 32;
	u64 end0 = t0 != 0 ? 1ull << (32 - t0) : t1 != 0 ? top - (1ull << (32 - t1)) : top;
	u64 start1 = t1 != 0 ? top - (1ull << (32 - t1)) : end0;
	struct oracle_s1 r = {false, {true, 0, 0}, 0};
	bool ttbr0 = va < end0;
	if (!ttbr0 && va < start1) {
		return r; /* between the two regions */
	}
	r.o.ia_bits = 32 - (ttbr0 ? t0 : t1);
	r.ia = va & MASK64(r.o.ia_bits);
	u32 first_bits = r.o.ia_bits - level_shift(true, first_level(&r.o));
	u64 ttbr = (ttbr0 ? st->ttbr0 : st->ttbr1) & TTBR_LD_BASE_MASK;
	r.o.root = ttbr & ~MASK64(first_bits + 3);
	r.walks = (st->ttbcr & (ttbr0 ? TTBCR_LD_EPD0 : TTBCR_LD_EPD1)) == 0;
	return r;
}

/* Short-descriptor fault status FS per fault and level (B3.13.3, table B3-23). */
static const struct {
	enum s1_fault fault;
	u32 fs[2]; /* level 1, level 2 */
} sd_status[] = {
    {S1_FAULT_TRANSLATION, {0x05, 0x07}},   {S1_FAULT_ACCESS_FLAG, {0x03, 0x06}},
    {S1_FAULT_DOMAIN, {0x09, 0x0b}},	    {S1_FAULT_PERMISSION, {0x0d, 0x0f}},
    {S1_FAULT_WALK_EXTERNAL, {0x0c, 0x0e}},
};
#define SD_FSR_FS_LOW_MASK  0xfu
#define SD_FSR_DOMAIN_SHIFT 4
#define SD_FSR_DOMAIN_MASK  0xfu

/* Long-descriptor status per fault, the level in [1:0] (B3.13.3, table B3-24). */
static const struct {
	enum s1_fault fault;
	u32 fsc;
} ld_status[] = {
    {S1_FAULT_TRANSLATION, FSC_TRANSLATION},
    {S1_FAULT_ACCESS_FLAG, FSC_ACCESS_FLAG},
    {S1_FAULT_PERMISSION, FSC_PERMISSION},
    {S1_FAULT_WALK_EXTERNAL, FSC_SYNC_EXT_PTW},
};

/* check_fsr: the reported FSR is the one the architecture defines for the fault, the format
 * and the level (and, for the short format, the domain). */
static void check_fsr(const struct s1_result *r, bool lpae)
{
	if (r->fault == S1_OK) {
		FUZZ_CHECK(r->fsr == 0, "no fault but FSR 0x%x", r->fsr);
		return;
	}
	if (lpae) {
		for (size_t i = 0; i < ARRAY_SIZE(ld_status); i++) {
			if (ld_status[i].fault == r->fault) {
				FUZZ_CHECK(r->level >= 1 && r->level <= 3 &&
					       r->fsr == (FSR_LPAE | ld_status[i].fsc | r->level),
					   "fault %d at level %u: FSR 0x%x", r->fault, r->level,
					   r->fsr);
				return;
			}
		}
		FUZZ_CHECK(false, "fault %d does not exist in the long-descriptor format",
			   r->fault);
	}
	for (size_t i = 0; i < ARRAY_SIZE(sd_status); i++) {
		if (sd_status[i].fault == r->fault) {
			FUZZ_CHECK(r->level == 1 || r->level == 2, "fault at level %u", r->level);
			u32 want =
			    sd_status[i].fs[r->level - 1] | (r->domain << SD_FSR_DOMAIN_SHIFT);
			FUZZ_CHECK(r->domain <= SD_FSR_DOMAIN_MASK && r->fsr == want,
				   "fault %d at level %u, domain %u: FSR 0x%x, expected 0x%x",
				   r->fault, r->level, r->domain, r->fsr, want);
			return;
		}
	}
	FUZZ_CHECK(false, "unknown fault %d", r->fault);
}

/* check_domain: the short-format domain is the leaf's (a section's, or for a page its
 * level-1 table entry's); supersections are in domain 0 (B3.5.1). */
static void check_domain(const struct s1_result *r)
{
	if (r->walk.depth == 0 ||
	    (r->fault != S1_OK && r->fault != S1_FAULT_ACCESS_FLAG && r->fault != S1_FAULT_DOMAIN &&
	     r->fault != S1_FAULT_PERMISSION && r->level != 2)) {
		return;
	}
	u32 l1 = (u32)r->walk.desc[0];
	bool super = r->level == 1 && (l1 & SD_L1_SUPERSECTION) != 0;
	u32 want = super ? 0 : (u32)BITS(l1, 8, 5);
	FUZZ_CHECK(r->domain == want, "domain %u, the level-1 entry 0x%x gives %u", r->domain, l1,
		   want);
}

/* translate: s1_translate of va for acc at pl0, with the fake memory's reads reset. */
static enum s1_fault translate(const struct s1_state *st, struct fake_mem *fm,
			       const struct pt_mem *m, u32 va, enum s1_access acc, bool pl0,
			       struct s1_result *r)
{
	fm->nreads = 0;
	memset(r, POISON, sizeof(*r)); /* anything s1_translate leaves unset shows */
	enum s1_fault f = s1_translate(st, m, va, acc, pl0, r);
	FUZZ_CHECK(f == r->fault, "returned %d, recorded %d", f, r->fault);
	return f;
}

/* check_against_walk: s1_translate did the walk pt_walk does over the oracle's regime. */
static void check_against_walk(const struct oracle_s1 *o, struct fake_mem *fm,
			       const struct pt_mem *m, const struct s1_result *r)
{
	if (!o->walks) {
		FUZZ_CHECK(r->fault == S1_FAULT_TRANSLATION && r->level == 1 && fm->nreads == 0,
			   "no table for the VA: fault %d at level %u after %u reads", r->fault,
			   r->level, fm->nreads);
		return;
	}
	struct pt_regime reg;
	struct pt_walk w;
	pt_regime_init(&reg, o->o.lpae ? &pt_lpae_s1 : &pt_short, o->o.root, o->o.ia_bits);
	fm->nreads = 0;
	pt_walk(&reg, m, o->ia, &w);
	check_walk(&o->o, fm, o->ia, &w);
	FUZZ_CHECK(w.depth == r->walk.depth &&
		       memcmp(w.desc_pa, r->walk.desc_pa, w.depth * sizeof(w.desc_pa[0])) == 0 &&
		       memcmp(w.desc, r->walk.desc, w.depth * sizeof(w.desc[0])) == 0,
		   "s1_translate walked %u descriptors, the architecture's regime %u",
		   r->walk.depth, w.depth);
	FUZZ_CHECK(r->level == w.level, "level %u, walk level %u", r->level, w.level);
	if (w.status == PT_FAULT_BUS) {
		FUZZ_CHECK(r->fault == S1_FAULT_WALK_EXTERNAL, "bus fault reported as %d",
			   r->fault);
	} else if (w.status == PT_FAULT_TRANSLATION) {
		FUZZ_CHECK(r->fault == S1_FAULT_TRANSLATION, "translation fault as %d", r->fault);
	} else {
		FUZZ_CHECK(w.status == PT_OK && r->fault != S1_FAULT_TRANSLATION &&
			       r->fault != S1_FAULT_WALK_EXTERNAL,
			   "walk status %d, fault %d", w.status, r->fault);
		FUZZ_CHECK(r->out == w.out && r->size_shift == w.size_shift,
			   "output 0x%llx (2^%u), the walk's 0x%llx (2^%u)", r->out, r->size_shift,
			   w.out, w.size_shift);
	}
}

/* Permission bits an allowed access needs. */
static u32 needed_perm(enum s1_access acc, bool pl0)
{
	static const u32 need[2][3] = {{S1_PERM_PL1_R, S1_PERM_PL1_W, S1_PERM_PL1_X},
				       {S1_PERM_PL0_R, S1_PERM_PL0_W, S1_PERM_PL0_X}};
	return need[pl0][acc];
}

/* check_monotonic: no AP encoding gives PL0 a data access PL1 lacks, nor write without read
 * (B3.7.1, tables B3-8 and B3-9). */
static void check_monotonic(const struct s1_state *st, struct fake_mem *fm, const struct pt_mem *m,
			    u32 va, enum s1_access acc, bool pl0)
{
	struct s1_result r;
	if (acc != S1_EXEC && pl0) {
		FUZZ_CHECK(translate(st, fm, m, va, acc, false, &r) == S1_OK,
			   "PL0 may access 0x%08x (%d) but PL1 may not (fault %d)", va, acc,
			   r.fault);
	}
	if (acc == S1_WRITE) {
		FUZZ_CHECK(translate(st, fm, m, va, S1_READ, pl0, &r) == S1_OK,
			   "0x%08x is writable but not readable (fault %d)", va, r.fault);
	}
}

/* same_translation: a and b are the same stage-1 result. */
static void same_translation(const struct s1_result *a, const struct s1_result *b)
{
	FUZZ_CHECK(a->fault == b->fault && a->fsr == b->fsr && a->level == b->level &&
		       a->domain == b->domain && a->global == b->global,
		   "through the window: fault %d (FSR 0x%x), through the callback %d (0x%x)",
		   b->fault, b->fsr, a->fault, a->fsr);
	FUZZ_CHECK(a->fault != S1_OK ||
		       (a->out == b->out && a->size_shift == b->size_shift && a->perms == b->perms),
		   "through the window: out 0x%llx perms 0x%x, through the callback 0x%llx 0x%x",
		   b->out, b->perms, a->out, a->perms);
	if (a->walk.depth != 0 || b->walk.depth != 0) {
		same_walk(&a->walk, &b->walk);
	}
}

/* fuzz_s1: s1_translate of the input's VA under its registers, also through mw (the window)
 * where it is not NULL. */
static void fuzz_s1(const struct walk_regs *in, struct fake_mem *fm, const struct pt_mem *m,
		    const struct pt_mem *mw)
{
	const struct s1_state st = {(u32)in->sctlr, (u32)in->ttbcr, in->ttbr0, in->ttbr1,
				    (u32)in->dacr};
	u32 va = (u32)in->va;
	u32 acc_sel = ((u32)in->flags >> WALK_FLAG_ACC_SHIFT) & WALK_FLAG_ACC_MASK;
	enum s1_access acc = acc_sel == S1_WRITE  ? S1_WRITE
			     : acc_sel == S1_EXEC ? S1_EXEC
						  : S1_READ;
	bool pl0 = (in->flags & WALK_FLAG_PL0) != 0;
	bool lpae = (st.ttbcr & TTBCR_EAE) != 0;
	struct s1_result r;
	enum s1_fault f = translate(&st, fm, m, va, acc, pl0, &r);
	if (mw != NULL) {
		struct s1_result rw;
		translate(&st, fm, mw, va, acc, pl0, &rw);
		same_translation(&r, &rw);
	}
	if ((st.sctlr & SCTLR_M) == 0) {
		FUZZ_CHECK(f == S1_OK && r.out == va && fm->nreads == 0, "MMU off: fault %d", f);
		return;
	}
	check_fsr(&r, lpae);
	if (!lpae) {
		check_domain(&r);
	}
	struct oracle_s1 o = lpae ? oracle_lpae(&st, va) : oracle_short(&st, va);
	check_against_walk(&o, fm, m, &r);
	if (f == S1_OK) {
		FUZZ_CHECK((r.perms & needed_perm(acc, pl0)) != 0, "allowed without permission");
		check_monotonic(&st, fm, m, va, acc, pl0);
	}
}

/* parse: the registers, then the chunks of memory (lengths cut to the bytes present). */
static void parse(const uint8_t *data, size_t size, struct walk_regs *regs, struct fake_mem *fm)
{
	struct fuzz_in in = {data, size};
#define WALK_FIELD_READ(name, bytes) regs->name = fuzz_le(&in, bytes);
	WALK_FIELDS(WALK_FIELD_READ)
#undef WALK_FIELD_READ
	fm->nchunks = 0;
	while (in.left > 0 && fm->nchunks < WALK_MAX_CHUNKS) {
		struct walk_chunk *c = &fm->chunk[fm->nchunks++];
		c->base = fuzz_le(&in, WALK_CHUNK_BASE_BYTES);
		u64 len = fuzz_le(&in, WALK_CHUNK_LEN_BYTES);
		c->len = (u32)(len < in.left ? len : in.left);
		c->bytes = in.p;
		in.p += c->len;
		in.left -= c->len;
	}
}

/* window_over: into *mw, m with a pt_mem window over the first chunk (read from a copy at
 * the alignment its addresses have); false if there is no chunk or it is above 4 GiB. */
static bool window_over(const struct fake_mem *fm, const struct pt_mem *m, struct pt_mem *mw)
{
	static u64 copy[(1u << (8 * WALK_CHUNK_LEN_BYTES)) / sizeof(u64) + 1];
	if (fm->nchunks == 0) {
		return false;
	}
	const struct walk_chunk *c = &fm->chunk[0];
	u8 *host = (u8 *)copy + (c->base & (sizeof(u64) - 1));
	memcpy(host, c->bytes, c->len);
	*mw = *m;
	return pt_mem_window(mw, c->base, c->len, (uintptr_t)host);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fake_mem fm;
	struct walk_regs regs;
	parse(data, size, &regs, &fm);
	const struct pt_mem m = {
	    .read = fm_read, .write = fm_write, .alloc_table = fm_alloc, .ctx = &fm};
	struct pt_mem mw;
	bool window = window_over(&fm, &m, &mw);
	fuzz_direct(&regs, &fm, &m, window ? &mw : NULL);
	fuzz_s1(&regs, &fm, &m, window ? &mw : NULL);
	return 0;
}
