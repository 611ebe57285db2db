/* The forms in which the exerciser writes a descriptor it changes: every store a kernel
 * might use, so that a hypervisor that catches the write and emulates it (decoding the
 * instruction) is checked against the hardware. Each change draws one form (ptx_rand: the
 * same in every mode):
 *   one store:   STR and STRD with every addressing mode (immediate and register offsets,
 *                pre- and post-indexed writeback), values in high registers, Thumb-2 STR
 *                and STRD (which a hypervisor cannot decode);
 *   one STM:     the descriptor and its neighbours, rewritten with the values they hold
 *                (read just before), in runs of low registers, split or high registers,
 *                every addressing mode, with writeback; for LPAE, the descriptor's two
 *                words in one STM (A3.5.3: each word is single-copy atomic, not the pair);
 *   several:     byte-, halfword- or (LPAE) word-wise stores of the descriptor's pieces,
 *                a DSB after each, so that table walks see them in program order.
 * After every store the base register is checked: it holds its writeback value, or its old
 * one, and no register whose value was stored has changed.
 *
 * A form that writes the descriptor in more than one single-copy atomic access leaves it in
 * transient states, which a walk may see and a TLB may keep (B3.10). Such a form is used
 * only when every transient is invalid or differs from the old or the new descriptor in
 * nothing but bits that may change in place (LPAE permissions, XN, PXN, the domain, the
 * access flag, ignored bits: never the type, output or table address, memory type or nG),
 * and every step of every order the stores may be seen in obeys the change rules
 * (change.c); a random order of pieces that does not is replaced by the one that keeps the
 * descriptor invalid longest, and a form that still does not by the single store. A valid
 * transient may be held by a TLB: its pages go stale as the old descriptor's do. Nothing accesses
 * memory through the descriptor meanwhile: a multi-access form through a second mapping whose walk
 * reads the descriptor goes through the identity map instead. */
#include "ptx.h"
#include "tb/cp15.h"
#include "tb/lpae.h"
#include "tb/short_desc.h"

#define MAX_WORDS      4u /* words of one STM: the descriptor and its neighbours */
#define MAX_PIECES     8u /* bytes of an LPAE descriptor */
#define MAX_TRANSIENTS MAX_PIECES
#define WORD_BYTES     4u
#define BYTE_BITS      8u
#define SD_DOMAIN_BITS 4u
#define AP_BITS	       2u
/* The bits of a valid descriptor that may change in place (change.c: the same shape, and
 * every memory type Normal write-back): permissions, execute-never, domain, access flag,
 * ignored. Short-format AP[2:0] (split across bytes in page entries) is not: a transient
 * could hold the reserved 0b100. */
#define LPAE_LEAF_FREE                                                                             \
	(((u64)MASK(AP_BITS) << LPAE_AP_SHIFT) | LPAE_AF | LPAE_PXN | LPAE_XN | LPAE_LEAF_IGNORED)
#define LPAE_TABLE_FREE	 (((u64)MASK(AP_BITS) << LPAE_APTABLE_SHIFT) | LPAE_XNTABLE | LPAE_PXNTABLE)
#define SD_DOMAIN_FIELD	 (MASK(SD_DOMAIN_BITS) << SD_DOMAIN_SHIFT)
#define SD_SECTION_FREE	 (SD_L1_PXN | SD_SEC_XN | SD_DOMAIN_FIELD)
#define SD_TABLE_FREE	 (SD_L1_TABLE_PXN | SD_DOMAIN_FIELD)
#define SD_SMALL_FREE	 SD_L2_SMALL_XN
#define SD_LARGE_FREE	 SD_L2_LARGE_XN
#define WB_IMM		 8u  /* the immediate of the immediate-offset writeback forms */
#define WB_IMM_STR	 "8" /* the same, in the instructions */
#define WB_IMM_STRD_DOWN "-8"

/* A descriptor write, as planned for one form. */
struct job {
	const char *name; /* the form's */
	u32 va;		  /* the descriptor: through the identity map or a second mapping */
	u32 start;	  /* the first word an STM stores (the descriptor's, or a neighbour's) */
	u32 words[MAX_WORDS];
	u32 n;		      /* words from start (one STM) */
	u32 piece;	      /* piece forms: bytes per store */
	u8 order[MAX_PIECES]; /* piece forms: the pieces, in store order */
	u32 npieces;
	u64 new;
};

/* The order of a piece form's stores. */
enum order {
	ORD_NONE,  /* not a piece form */
	ORD_UP,	   /* every piece, from the lowest address */
	ORD_DOWN,  /* every piece, from the highest address */
	ORD_RANDOM /* the pieces that change, in a random order (a safe one if that is not) */
};

struct form {
	const char *name;
	void (*store)(const struct job *j);
	u8 words;   /* STM forms: words stored (the descriptor's and neighbours') */
	u8 piece;   /* piece forms: bytes per store */
	u8 order;   /* enum order */
	bool pair;  /* LPAE: the descriptor's two words by one instruction, in either order */
	bool thumb; /* a T32 instruction */
};

/* check_regs: after j's store the base register is want (its writeback value, or what it
 * held) and no stored register changed (diff: the OR of their changes). */
static void check_regs(const struct job *j, u32 base, u32 want, u32 diff)
{
	if (base != want) {
		ptx_fail("%s to 0x%08x: the base register is 0x%08x after it, expected 0x%08x",
			 j->name, j->va, base, want);
	}
	if (diff != 0) {
		ptx_fail("%s to 0x%08x: a stored register changed (bits 0x%08x)", j->name, j->va,
			 diff);
	}
}

/* lo, hi: the low and high words of a descriptor. */
static u32 lo(u64 d)
{
	return (u32)d;
}

static u32 hi(u64 d)
{
	return (u32)(d >> 32);
}

/* ---- LPAE: single-copy atomic doubleword stores (A3.5.3) ---- */

/* strd_imm: "strd rT, rT2, [rN]". */
static void strd_imm(const struct job *j)
{
	u32 b = j->va;
	u64 d = j->new;
	__asm__ volatile("strd %1, %H1, [%0]" : "+r"(b), "+r"(d) : : "memory");
	check_regs(j, b, j->va, lo(d ^ j->new) | hi(d ^ j->new));
}

/* strd_pre_wb: "strd rT, rT2, [rN, #8]!". */
static void strd_pre_wb(const struct job *j)
{
	u32 b = j->va - WB_IMM;
	u64 d = j->new;
	__asm__ volatile("strd %1, %H1, [%0, #" WB_IMM_STR "]!" : "+r"(b), "+r"(d) : : "memory");
	check_regs(j, b, j->va, lo(d ^ j->new) | hi(d ^ j->new));
}

/* strd_post_wb: "strd rT, rT2, [rN], #-8". */
static void strd_post_wb(const struct job *j)
{
	u32 b = j->va;
	u64 d = j->new;
	__asm__ volatile("strd %1, %H1, [%0], #" WB_IMM_STRD_DOWN : "+r"(b), "+r"(d) : : "memory");
	check_regs(j, b, j->va - WB_IMM, lo(d ^ j->new) | hi(d ^ j->new));
}

/* strd_reg: the table's page as the base, the offset in a register. */
static void strd_reg(const struct job *j)
{
	u32 b = j->va & ~PAGE_OFFSET_MASK, i = j->va & PAGE_OFFSET_MASK;
	u64 d = j->new;
	__asm__ volatile("strd %2, %H2, [%0, %1]" : "+r"(b), "+r"(i), "+r"(d) : : "memory");
	check_regs(j, b, j->va & ~PAGE_OFFSET_MASK,
		   (i ^ (j->va & PAGE_OFFSET_MASK)) | lo(d ^ j->new) | hi(d ^ j->new));
}

/* strd_reg_post_wb: post-indexed by a negative register offset, back to the page. */
static void strd_reg_post_wb(const struct job *j)
{
	u32 b = j->va, i = j->va & PAGE_OFFSET_MASK;
	u64 d = j->new;
	__asm__ volatile("strd %2, %H2, [%0], -%1" : "+r"(b), "+r"(i), "+r"(d) : : "memory");
	check_regs(j, b, j->va & ~PAGE_OFFSET_MASK,
		   (i ^ (j->va & PAGE_OFFSET_MASK)) | lo(d ^ j->new) | hi(d ^ j->new));
}

/* ---- STM: the descriptor's words (and neighbours'), from j->start ---- */

/* STM2, STM3: a form, fn, that stores j's words with one STM (op, then wb: "!" for
 * writeback, or "") from base register rb, set to j->start + before, holding j->start +
 * after afterwards; the words in registers ra, rc (and rd). */
#define STM2(fn, op, wb, rb, ra, rc, before, after)                                                \
	static void fn(const struct job *j)                                                        \
	{                                                                                          \
		register u32 b __asm__(rb) = j->start + (u32)(before);                             \
		register u32 a __asm__(ra) = j->words[0];                                          \
		register u32 c __asm__(rc) = j->words[1];                                          \
		__asm__ volatile(op " " rb wb ", {" ra ", " rc "}"                                 \
				 : "+r"(b), "+r"(a), "+r"(c)                                       \
				 :                                                                 \
				 : "memory");                                                      \
		check_regs(j, b, j->start + (u32)(after), (a ^ j->words[0]) | (c ^ j->words[1]));  \
	}
#define STM3(fn, op, wb, rb, ra, rc, rd, before, after)                                            \
	static void fn(const struct job *j)                                                        \
	{                                                                                          \
		register u32 b __asm__(rb) = j->start + (u32)(before);                             \
		register u32 a __asm__(ra) = j->words[0];                                          \
		register u32 c __asm__(rc) = j->words[1];                                          \
		register u32 d __asm__(rd) = j->words[2];                                          \
		__asm__ volatile(op " " rb wb ", {" ra ", " rc ", " rd "}"                         \
				 : "+r"(b), "+r"(a), "+r"(c), "+r"(d)                              \
				 :                                                                 \
				 : "memory");                                                      \
		check_regs(j, b, j->start + (u32)(after),                                          \
			   (a ^ j->words[0]) | (c ^ j->words[1]) | (d ^ j->words[2]));             \
	}

/* Runs of low registers, split and high registers; increment after and before, decrement
 * after and before. */
STM2(stm_run2, "stm", "", "r0", "r2", "r3", 0, 0)
STM2(stm_split2, "stm", "", "r1", "r4", "r6", 0, 0)
STM2(stmib_high2, "stmib", "", "r10", "r8", "r9", -WORD_BYTES, -WORD_BYTES)
STM2(stmdb_wb2, "stmdb", "!", "r2", "r0", "r1", 2 * WORD_BYTES, 0)
STM2(stmda2, "stmda", "", "r5", "r2", "r3", WORD_BYTES, WORD_BYTES)
STM3(stm_run3, "stm", "", "r0", "r1", "r2", "r3", 0, 0)
STM3(stmib3, "stmib", "", "r0", "r4", "r5", "r6", -WORD_BYTES, -WORD_BYTES)
STM3(stmdb_wb3, "stmdb", "!", "r3", "r0", "r1", "r2", 3 * WORD_BYTES, 0)
STM3(stm_high3, "stm", "", "r0", "r8", "r10", "r12", 0, 0)

/* stm_run4: "stm r4, {r0, r1, r2, r3}": two LPAE descriptors. */
static void stm_run4(const struct job *j)
{
	register u32 b __asm__("r4") = j->start;
	register u32 a __asm__("r0") = j->words[0];
	register u32 c __asm__("r1") = j->words[1];
	register u32 d __asm__("r2") = j->words[2];
	register u32 f __asm__("r3") = j->words[3];
	__asm__ volatile("stm r4, {r0, r1, r2, r3}"
			 : "+r"(b), "+r"(a), "+r"(c), "+r"(d), "+r"(f)
			 :
			 : "memory");
	check_regs(j, b, j->start,
		   (a ^ j->words[0]) | (c ^ j->words[1]) | (d ^ j->words[2]) | (f ^ j->words[3]));
}

/* ---- short format: single word stores ---- */

/* str_imm: "str rT, [rN]". */
static void str_imm(const struct job *j)
{
	u32 b = j->va, v = lo(j->new);
	__asm__ volatile("str %1, [%0]" : "+r"(b), "+r"(v) : : "memory");
	check_regs(j, b, j->va, v ^ lo(j->new));
}

/* str_pre_wb: "str rT, [rN, #-8]!". */
static void str_pre_wb(const struct job *j)
{
	u32 b = j->va + WB_IMM, v = lo(j->new);
	__asm__ volatile("str %1, [%0, #-" WB_IMM_STR "]!" : "+r"(b), "+r"(v) : : "memory");
	check_regs(j, b, j->va, v ^ lo(j->new));
}

/* str_post_wb: "str rT, [rN], #8". */
static void str_post_wb(const struct job *j)
{
	u32 b = j->va, v = lo(j->new);
	__asm__ volatile("str %1, [%0], #" WB_IMM_STR : "+r"(b), "+r"(v) : : "memory");
	check_regs(j, b, j->va + WB_IMM, v ^ lo(j->new));
}

/* str_reg: the table's page as the base, the byte offset in a register. */
static void str_reg(const struct job *j)
{
	u32 b = j->va & ~PAGE_OFFSET_MASK, i = j->va & PAGE_OFFSET_MASK, v = lo(j->new);
	__asm__ volatile("str %2, [%0, %1]" : "+r"(b), "+r"(i), "+r"(v) : : "memory");
	check_regs(j, b, j->va & ~PAGE_OFFSET_MASK,
		   (i ^ (j->va & PAGE_OFFSET_MASK)) | (v ^ lo(j->new)));
}

/* str_reg_lsl: "str rT, [table, index, lsl #2]", as C's table[index] compiles. */
static void str_reg_lsl(const struct job *j)
{
	u32 b = j->va & ~PAGE_OFFSET_MASK, i = (j->va & PAGE_OFFSET_MASK) / WORD_BYTES;
	u32 v = lo(j->new);
	__asm__ volatile("str %2, [%0, %1, lsl #2]" : "+r"(b), "+r"(i), "+r"(v) : : "memory");
	check_regs(j, b, j->va & ~PAGE_OFFSET_MASK,
		   (i ^ ((j->va & PAGE_OFFSET_MASK) / WORD_BYTES)) | (v ^ lo(j->new)));
}

/* str_high: "str r12, [r10]". */
static void str_high(const struct job *j)
{
	register u32 b __asm__("r10") = j->va;
	register u32 v __asm__("r12") = lo(j->new);
	__asm__ volatile("str r12, [r10]" : "+r"(b), "+r"(v) : : "memory");
	check_regs(j, b, j->va, v ^ lo(j->new));
}

/* str_high_wb: "str r8, [r9, #8]!". */
static void str_high_wb(const struct job *j)
{
	register u32 b __asm__("r9") = j->va - WB_IMM;
	register u32 v __asm__("r8") = lo(j->new);
	__asm__ volatile("str r8, [r9, #" WB_IMM_STR "]!" : "+r"(b), "+r"(v) : : "memory");
	check_regs(j, b, j->va, v ^ lo(j->new));
}

/* ---- Thumb-2 (T32), which the shadow module cannot decode ---- */

/* thumb_str_narrow: "str rT, [rN]" (16-bit T1); the base register after it. */
__attribute__((target("thumb"), noinline)) static u32 thumb_str_narrow(u32 b, u32 *v)
{
	u32 val = *v;
	__asm__ volatile("str %1, [%0]" : "+l"(b), "+l"(val) : : "memory");
	*v = val;
	return b;
}

/* thumb_str_wb: "str rT, [rN, #-8]!" (32-bit T4). */
__attribute__((target("thumb"), noinline)) static u32 thumb_str_wb(u32 b, u32 *v)
{
	u32 val = *v;
	__asm__ volatile("str %1, [%0, #-" WB_IMM_STR "]!" : "+r"(b), "+r"(val) : : "memory");
	*v = val;
	return b;
}

/* thumb_strd: "strd rT, rT2, [rN]" (T32: any two registers). */
__attribute__((target("thumb"), noinline)) static u32 thumb_strd(u32 b, u32 *v)
{
	u32 a = v[0], c = v[1];
	__asm__ volatile("strd %1, %2, [%0]" : "+r"(b), "+r"(a), "+r"(c) : : "memory");
	v[0] = a;
	v[1] = c;
	return b;
}

/* thumb_strd_wb: "strd rT, rT2, [rN, #8]!". */
__attribute__((target("thumb"), noinline)) static u32 thumb_strd_wb(u32 b, u32 *v)
{
	u32 a = v[0], c = v[1];
	__asm__ volatile("strd %1, %2, [%0, #" WB_IMM_STR "]!"
			 : "+r"(b), "+r"(a), "+r"(c)
			 :
			 : "memory");
	v[0] = a;
	v[1] = c;
	return b;
}

/* t_str, t_str_wb, t_strd, t_strd_wb: the Thumb forms, called from A32 (BLX). */
static void t_str(const struct job *j)
{
	u32 v = lo(j->new);
	check_regs(j, thumb_str_narrow(j->va, &v), j->va, v ^ lo(j->new));
}

static void t_str_wb(const struct job *j)
{
	u32 v = lo(j->new);
	check_regs(j, thumb_str_wb(j->va + WB_IMM, &v), j->va, v ^ lo(j->new));
}

static void t_strd(const struct job *j)
{
	u32 v[2] = {lo(j->new), hi(j->new)};
	check_regs(j, thumb_strd(j->va, v), j->va, (v[0] ^ lo(j->new)) | (v[1] ^ hi(j->new)));
}

static void t_strd_wb(const struct job *j)
{
	u32 v[2] = {lo(j->new), hi(j->new)};
	check_regs(j, thumb_strd_wb(j->va - WB_IMM, v), j->va,
		   (v[0] ^ lo(j->new)) | (v[1] ^ hi(j->new)));
}

/* ---- pieces: one store each, in j->order, a DSB after each ---- */

/* store_piece: the bytes bytes of the descriptor at offset off: STRB (register offset),
 * STRH or STR (immediate offset). */
static void store_piece(const struct job *j, u32 off, u32 bytes)
{
	u32 b = j->va, i = off, v = (u32)(j->new >> (BYTE_BITS * off)) & MASK(BYTE_BITS * bytes);
	u32 want_v = v;
	if (bytes == 1) {
		__asm__ volatile("strb %2, [%0, %1]" : "+r"(b), "+r"(i), "+r"(v) : : "memory");
	} else if (bytes == 2) {
		b += off;
		__asm__ volatile("strh %1, [%0]" : "+r"(b), "+r"(v) : : "memory");
		b -= off;
	} else if (off == 0) {
		__asm__ volatile("str %1, [%0]" : "+r"(b), "+r"(v) : : "memory");
	} else {
		__asm__ volatile("str %1, [%0, #4]" : "+r"(b), "+r"(v) : : "memory");
	}
	check_regs(j, b, j->va, (i ^ off) | (v ^ want_v));
	dsb(); /* each piece complete before the next: walks see them in order (A3.8.3) */
}

/* pieces: j's pieces, in j->order. */
static void pieces(const struct job *j)
{
	for (u32 k = 0; k < j->npieces; k++) {
		store_piece(j, j->order[k] * j->piece, j->piece);
	}
}

/* The forms of each format; the first is the plain store, used when a drawn one is not
 * safe for a change. */
static const struct form lpae_forms[] = {
    {"STRD", strd_imm, 0, 0, ORD_NONE, false, false},
    {"STRD pre-indexed writeback", strd_pre_wb, 0, 0, ORD_NONE, false, false},
    {"STRD post-indexed writeback", strd_post_wb, 0, 0, ORD_NONE, false, false},
    {"STRD register offset", strd_reg, 0, 0, ORD_NONE, false, false},
    {"STRD post-indexed register writeback", strd_reg_post_wb, 0, 0, ORD_NONE, false, false},
    {"STM {r2,r3}", stm_run2, 2, 0, ORD_NONE, true, false},
    {"STM {r4,r6}", stm_split2, 2, 0, ORD_NONE, true, false},
    {"STMIB {r8,r9}", stmib_high2, 2, 0, ORD_NONE, true, false},
    {"STMDB writeback {r0,r1}", stmdb_wb2, 2, 0, ORD_NONE, true, false},
    {"STM two descriptors {r0-r3}", stm_run4, 4, 0, ORD_NONE, true, false},
    {"STR low word, STR high word", pieces, 0, 4, ORD_UP, false, false},
    {"STR high word, STR low word", pieces, 0, 4, ORD_DOWN, false, false},
    {"STRH pieces", pieces, 0, 2, ORD_RANDOM, false, false},
    {"STRB pieces", pieces, 0, 1, ORD_RANDOM, false, false},
    {"Thumb STRD", t_strd, 0, 0, ORD_NONE, false, true},
    {"Thumb STRD pre-indexed writeback", t_strd_wb, 0, 0, ORD_NONE, false, true},
};

static const struct form short_forms[] = {
    {"STR", str_imm, 0, 0, ORD_NONE, false, false},
    {"STR pre-indexed writeback", str_pre_wb, 0, 0, ORD_NONE, false, false},
    {"STR post-indexed writeback", str_post_wb, 0, 0, ORD_NONE, false, false},
    {"STR register offset", str_reg, 0, 0, ORD_NONE, false, false},
    {"STR register offset LSL #2", str_reg_lsl, 0, 0, ORD_NONE, false, false},
    {"STR r12, [r10]", str_high, 0, 0, ORD_NONE, false, false},
    {"STR r8, [r9, #8]!", str_high_wb, 0, 0, ORD_NONE, false, false},
    {"STM {r2,r3}", stm_run2, 2, 0, ORD_NONE, false, false},
    {"STM {r4,r6}", stm_split2, 2, 0, ORD_NONE, false, false},
    {"STMDA {r2,r3}", stmda2, 2, 0, ORD_NONE, false, false},
    {"STM {r1-r3}", stm_run3, 3, 0, ORD_NONE, false, false},
    {"STMIB {r4-r6}", stmib3, 3, 0, ORD_NONE, false, false},
    {"STMDB writeback {r0-r2}", stmdb_wb3, 3, 0, ORD_NONE, false, false},
    {"STM {r8,r10,r12}", stm_high3, 3, 0, ORD_NONE, false, false},
    {"STRH pieces", pieces, 0, 2, ORD_RANDOM, false, false},
    {"STRB pieces", pieces, 0, 1, ORD_RANDOM, false, false},
    {"Thumb STR", t_str, 0, 0, ORD_NONE, false, true},
    {"Thumb STR pre-indexed writeback", t_str_wb, 0, 0, ORD_NONE, false, true},
};

/* free_bits: the bits of the valid descriptor d at e that may change in place. */
static u64 free_bits(const struct ptx_entry *e, u64 d)
{
	bool table = ptx_kind(e, d) == PT_TABLE;
	if (ptx.lpae) {
		return table ? LPAE_TABLE_FREE : LPAE_LEAF_FREE;
	}
	if (e->slot) {
		return table ? SD_TABLE_FREE : SD_SECTION_FREE;
	}
	return ptx_leaf_shift(e, d) == PTX_LARGE_SHIFT ? SD_LARGE_FREE : SD_SMALL_FREE;
}

/* like: is the valid descriptor t at e d (valid) but for bits that may change in place? */
static bool like(const struct ptx_entry *e, u64 t, u64 d)
{
	enum pt_kind k = ptx_kind(e, d);
	if (k == PT_INVALID || ptx_kind(e, t) != k ||
	    (k == PT_LEAF && ptx_leaf_shift(e, t) != ptx_leaf_shift(e, d))) {
		return false;
	}
	return ((t ^ d) & ~free_bits(e, d)) == 0;
}

/* step_ok: may the descriptor at e go from a to b (b transient or final: like one end)? */
static bool step_ok(const struct ptx_entry *e, u64 old, u64 new, u64 a, u64 b)
{
	bool shaped = ptx_kind(e, b) == PT_INVALID || like(e, b, old) || like(e, b, new);
	return shaped && ptx_change_ok(e, a, b);
}

/* mix: old with the bytes of new that mask (bit n: byte n) selects. */
static u64 mix(u64 old, u64 new, u32 mask)
{
	u64 m = 0;
	for (u32 i = 0; i < MAX_PIECES; i++) {
		if ((mask & BIT(i)) != 0) {
			m |= (u64)MASK(BYTE_BITS) << (BYTE_BITS * i);
		}
	}
	return (old & ~m) | (new &m);
}

/* piece_mask: the bytes of piece p of bytes bytes. */
static u32 piece_mask(u32 p, u32 bytes)
{
	return MASK(bytes) << (p * bytes);
}

/* transients: the states other than old and new that j's stores may leave at e, in an
 * order they may be seen in, and whether every step of it obeys the rules. */
static bool transients(const struct ptx_entry *e, const struct form *f, const struct job *j,
		       u64 old, u64 new, u64 *t, u32 *nt)
{
	*nt = 0;
	if (f->pair) { /* either word first: two sequences, old -> t -> new */
		t[0] = mix(old, new, piece_mask(0, WORD_BYTES));
		t[1] = mix(old, new, piece_mask(1, WORD_BYTES));
		*nt = 2;
		for (u32 i = 0; i < 2; i++) {
			if (!step_ok(e, old, new, old, t[i]) || !step_ok(e, old, new, t[i], new)) {
				return false;
			}
		}
		return true;
	}
	u32 mask = 0;
	u64 prev = old;
	for (u32 k = 0; f->piece != 0 && k + 1 < j->npieces; k++) {
		mask |= piece_mask(j->order[k], f->piece);
		t[*nt] = mix(old, new, mask);
		if (!step_ok(e, old, new, prev, t[*nt])) {
			return false;
		}
		prev = t[(*nt)++];
	}
	return step_ok(e, old, new, prev, new);
}

/* piece_order: j's pieces for form f: every piece, up or down; or those that change (one,
 * unchanged, if none does) in a random order, or, if canonical, in the order that keeps
 * the descriptor invalid longest: the type field's piece (0) last if new is valid, first
 * if not. */
static void piece_order(const struct ptx_entry *e, const struct form *f, struct job *j, u64 old,
			u64 new, bool canonical)
{
	u32 n = ptx_desc_bytes() / f->piece;
	j->piece = f->piece;
	j->npieces = 0;
	for (u32 p = 0; p < n; p++) {
		u32 at = f->order == ORD_DOWN ? n - 1 - p : p;
		if (f->order != ORD_RANDOM || mix(old, new, piece_mask(at, f->piece)) != old) {
			j->order[j->npieces++] = (u8)at;
		}
	}
	if (j->npieces == 0) {
		j->order[j->npieces++] = 0;
	}
	bool reverse = canonical && ptx_kind(e, new) != PT_INVALID;
	for (u32 k = j->npieces - 1; f->order == ORD_RANDOM && !canonical && k > 0; k--) {
		u32 r = ptx_below(k + 1);
		u8 x = j->order[k];
		j->order[k] = j->order[r];
		j->order[r] = x;
	}
	for (u32 k = 0; f->order == ORD_RANDOM && reverse && k < j->npieces / 2; k++) {
		u8 x = j->order[k];
		j->order[k] = j->order[j->npieces - 1 - k];
		j->order[j->npieces - 1 - k] = x;
	}
}

/* neighbours: j's words for an STM of f->words words holding the descriptor at e, which
 * is at va, in a random place among them: the others are written with the values they hold.
 * False if they would leave the descriptor's page (through a second mapping, which may map
 * that page alone) or the small pool (the identity map). */
static bool neighbours(const struct ptx_entry *e, const struct form *f, struct job *j, u32 va)
{
	u32 db = ptx_desc_bytes(), places = f->words * WORD_BYTES / db;
	u32 before = ptx_below(places) * db, bytes = f->words * WORD_BYTES;
	u32 first = e->pa - before, last = first + bytes - 1;
	bool alias = va != e->pa;
	if (alias ? ((first ^ e->pa) | (last ^ e->pa)) > PAGE_OFFSET_MASK
		  : ptx_frame(first) == NULL || ptx_frame(last) == NULL) {
		return false;
	}
	j->start = va - before;
	j->n = f->words;
	for (u32 i = 0; i < j->n; i++) {
		j->words[i] = *(volatile u32 *)(uintptr_t)(first + WORD_BYTES * i);
	}
	for (u32 i = 0; i < db / WORD_BYTES; i++) {
		j->words[before / WORD_BYTES + i] = (u32)(j->new >> (BYTE_BITS * WORD_BYTES * i));
	}
	return true;
}

/* walk_reads: does the current context's walk of va read the descriptor at pa? */
static bool walk_reads(u32 va, u32 pa)
{
	struct s1_result r;
	ptx_model(va, S1_WRITE, false, &r);
	for (u32 i = 0; i < r.walk.depth; i++) {
		if (r.walk.desc_pa[i] == pa) {
			return true;
		}
	}
	return false;
}

/* plan: j for writing new over old at e with form f, through alias (0: the identity map);
 * the transient states it may leave in t; false if f cannot do this change safely. */
static bool plan(const struct ptx_entry *e, const struct form *f, u32 alias, u64 old, u64 new,
		 struct job *j, u64 *t, u32 *nt)
{
	bool several = f->words != 0 || f->piece != 0 || f->pair;
	j->name = f->name;
	j->new = new;
	j->va = alias != 0 && !(several && walk_reads(alias, e->pa)) ? alias : e->pa;
	j->start = j->va;
	j->n = ptx_desc_bytes() / WORD_BYTES;
	j->words[0] = lo(new);
	j->words[1] = hi(new);
	if (f->words != 0 && !neighbours(e, f, j, j->va)) {
		return false;
	}
	if (f->piece == 0) {
		return transients(e, f, j, old, new, t, nt);
	}
	piece_order(e, f, j, old, new, false);
	if (transients(e, f, j, old, new, t, nt)) {
		return true;
	}
	piece_order(e, f, j, old, new, true);
	return transients(e, f, j, old, new, t, nt);
}

const char *ptx_desc_write(const struct ptx_entry *e, u32 *va, u64 old, u64 new)
{
	u32 alias = *va;
	const struct form *forms = ptx.lpae ? lpae_forms : short_forms;
	u32 n = ptx.lpae ? ARRAY_SIZE(lpae_forms) : ARRAY_SIZE(short_forms);
	const struct form *f = &forms[ptx_below(n)];
	struct job j;
	u64 t[MAX_TRANSIENTS];
	u32 nt;
	if (!plan(e, f, alias, old, new, &j, t, &nt)) {
		ptx_note("%s cannot make this change safely: %s instead", f->name, forms[0].name);
		f = &forms[0];
		if (!plan(e, f, alias, old, new, &j, t, &nt)) {
			ptx_fail("descriptor at 0x%08x: 0x%llx -> 0x%llx: no form can write it",
				 e->pa, old, new);
		}
	}
	f->store(&j);
	for (u32 i = 0; i < nt; i++) {
		if (t[i] != old && t[i] != new) {
			ptx_stale(e, t[i]); /* a walk may have seen it: a TLB may hold it */
		}
	}
	*va = j.va;
	return f->name;
}
