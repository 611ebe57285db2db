/* Decoding of A32 load/store instructions for MMIO emulation without a syndrome.
 * Encodings: ARM ARM A5.3 (word/byte), A5.2.8 (extra load/store), A5.5 (block transfer). */
#include "decode_ops.h"
#include "tb/fmt.h"
#include "tb/str.h"

/* Common instruction fields. */
#define I_BIT(insn)	   BITS(insn, 25, 25)
#define P_BIT(insn)	   BITS(insn, 24, 24)
#define U_BIT(insn)	   BITS(insn, 23, 23)
#define B22(insn)	   BITS(insn, 22, 22) /* B (byte), I (extra), S (block) */
#define W_BIT(insn)	   BITS(insn, 21, 21)
#define L_BIT(insn)	   BITS(insn, 20, 20)
#define RN(insn)	   ((unsigned)BITS(insn, 19, 16))
#define RT(insn)	   ((unsigned)BITS(insn, 15, 12))
#define RM(insn)	   ((unsigned)BITS(insn, 3, 0))
#define COND_UNCONDITIONAL 0xf /* cond 0b1111: the unconditional space (A5.7) */
#define REG_CPSR	   16  /* decode_reg_fn index for the CPSR (carry for RRX) */
#define CPSR_C		   BIT(29)
#define DECODE_A32_LENGTH  4  /* bytes of an A32 instruction */
#define DECODE_PROBE_ERR   64 /* room for the probing decode's message (never used) */

static u32 ror32(u32 v, u32 n)
{
	n &= 31;
	return n == 0 ? v : (v >> n) | (v << (32 - n));
}

/* shifted_reg: the register offset operand of A5.3 (DecodeImmShift + Shift, A8.4.3). */
static u32 shifted_reg(u32 insn, decode_reg_fn reg, void *ctx)
{
	u32 v = reg(ctx, RM(insn));
	u32 imm5 = (u32)BITS(insn, 11, 7);
	switch (BITS(insn, 6, 5)) {
	case 0:
		return v << imm5;
	case 1:
		return imm5 == 0 ? 0 : v >> imm5;
	case 2:
		return (u32)((s32)v >> (imm5 == 0 ? 31 : imm5));
	default:
		if (imm5 == 0) { /* RRX */
			u32 c = (reg(ctx, REG_CPSR) & CPSR_C) != 0;
			return (c << 31) | (v >> 1);
		}
		return ror32(v, imm5);
	}
}

void decode_begin(struct decoded_access *out, u8 length)
{
	out->n = 0;
	out->writeback = false;
	out->wb_reg = 0;
	out->wb_value = 0;
	out->unprivileged = false;
	out->mnemonic = "?";
	out->length = length;
	out->span = 0;
}

void decode_op(struct decoded_access *out, u32 addr, u8 size, bool store, bool sign, unsigned r)
{
	struct mem_op *op = &out->op[out->n++];
	op->addr = addr;
	op->size = size;
	op->store = store;
	op->sign_extend = sign;
	op->reg = (u8)r;
}

u32 decode_address(struct decoded_access *out, const struct decode_indexed *a)
{
	u32 offset_addr = a->add ? a->base + a->offset : a->base - a->offset;
	out->writeback = a->wback;
	out->wb_reg = (u8)a->n;
	out->wb_value = offset_addr;
	return a->index ? offset_addr : a->base;
}

void decode_list(struct decoded_access *out, u32 list, unsigned n, u32 base, bool increment,
		 bool before, bool wback, bool load)
{
	u32 bytes = DECODE_WORD * (u32)__builtin_popcount(list);
	u32 lowest = increment ? base : base - bytes;
	/* IB starts a word above the base, DA ends at the base (LDMIB, LDMDA). */
	u32 start = increment == before ? lowest + DECODE_WORD : lowest;
	for (unsigned r = 0; r < 16; r++) {
		if ((list & BIT(r)) != 0) {
			decode_op(out, start + DECODE_WORD * out->n, DECODE_WORD, !load, false, r);
		}
	}
	out->writeback = wback;
	out->wb_reg = (u8)n;
	out->wb_value = increment ? base + bytes : base - bytes;
}

/* single: fill out for a one- or two-register transfer at base +/- offset with P/U/W. */
static void single(u32 insn, u32 offset, decode_reg_fn reg, void *ctx, struct decoded_access *out,
		   u8 size, bool sign, unsigned nregs)
{
	struct decode_indexed a = {.n = RN(insn),
				   .base = reg(ctx, RN(insn)),
				   .offset = offset,
				   .index = P_BIT(insn) != 0,
				   .add = U_BIT(insn) != 0,
				   .wback = !P_BIT(insn) || W_BIT(insn)};
	u32 addr = decode_address(out, &a);
	for (unsigned i = 0; i < nregs; i++) {
		decode_op(out, addr + DECODE_WORD * i, size, L_BIT(insn) == 0, sign, RT(insn) + i);
	}
	out->unprivileged = !P_BIT(insn) && W_BIT(insn);
}

/* unpredictable_writeback: writeback to the PC, or to a register the access loads
 * (UNPREDICTABLE in A8.8.62 and friends): refused rather than guessed. */
static bool unpredictable_writeback(const struct decoded_access *out)
{
	if (!out->writeback) {
		return false;
	}
	if (out->wb_reg == 15) {
		return true;
	}
	for (u32 i = 0; i < out->n; i++) {
		if (!out->op[i].store && out->op[i].reg == out->wb_reg) {
			return true;
		}
	}
	return false;
}

static bool fail(char *err, size_t errlen, u32 insn, const char *why)
{
	tb_snprintf(err, errlen, "cannot emulate instruction 0x%08x: %s", insn, why);
	return false;
}

static bool decode_word_byte(u32 insn, decode_reg_fn reg, void *ctx, struct decoded_access *out,
			     char *err, size_t errlen)
{
	if (I_BIT(insn) && BITS(insn, 4, 4)) {
		return fail(err, errlen, insn, "media instruction, not a load/store");
	}
	u32 offset = I_BIT(insn) ? shifted_reg(insn, reg, ctx) : (u32)BITS(insn, 11, 0);
	bool byte = B22(insn) != 0;
	static const char *const names[2][2] = {{"STR", "STRB"}, {"LDR", "LDRB"}};
	out->mnemonic = names[L_BIT(insn)][byte];
	if (RT(insn) == 15 && L_BIT(insn)) {
		return fail(err, errlen, insn, "LDR to the PC from a device");
	}
	single(insn, offset, reg, ctx, out, byte ? 1 : 4, false, 1);
	if (unpredictable_writeback(out)) {
		return fail(err, errlen, insn,
			    "UNPREDICTABLE writeback (to the PC or a loaded register)");
	}
	return true;
}

static bool decode_extra(u32 insn, decode_reg_fn reg, void *ctx, struct decoded_access *out,
			 char *err, size_t errlen)
{
	u32 op2 = (u32)BITS(insn, 6, 5);
	u32 offset =
	    B22(insn) ? (u32)((BITS(insn, 11, 8) << 4) | BITS(insn, 3, 0)) : reg(ctx, RM(insn));
	bool load = L_BIT(insn) != 0;
	if (op2 == 1) {
		out->mnemonic = load ? "LDRH" : "STRH";
		single(insn, offset, reg, ctx, out, 2, false, 1);
	} else if (load) {
		out->mnemonic = op2 == 2 ? "LDRSB" : "LDRSH";
		single(insn, offset, reg, ctx, out, op2 == 2 ? 1 : 2, true, 1);
	} else {
		out->mnemonic = op2 == 2 ? "LDRD" : "STRD";
		if ((RT(insn) & 1) != 0 || RT(insn) == 14) {
			return fail(err, errlen, insn, "LDRD/STRD with an odd first register");
		}
		if (!P_BIT(insn) && W_BIT(insn)) { /* no unprivileged form (A8.8.72, A8.8.210) */
			return fail(err, errlen, insn,
				    "LDRD/STRD with P = 0, W = 1 (UNPREDICTABLE)");
		}
		/* Bit 20 is 0 for both: op2 10 loads, 11 stores (A5.2.8). */
		single(insn, offset, reg, ctx, out, 4, false, 2);
		for (unsigned i = 0; i < 2; i++) {
			out->op[i].store = op2 == 3;
		}
	}
	if (RT(insn) == 15) {
		return fail(err, errlen, insn, "transfer of the PC");
	}
	if (unpredictable_writeback(out)) {
		return fail(err, errlen, insn,
			    "UNPREDICTABLE writeback (to the PC or a loaded register)");
	}
	return true;
}

static bool decode_block(u32 insn, decode_reg_fn reg, void *ctx, struct decoded_access *out,
			 char *err, size_t errlen)
{
	u32 list = (u32)BITS(insn, 15, 0);
	u32 count = (u32)__builtin_popcount(list);
	bool load = L_BIT(insn) != 0;
	out->mnemonic = load ? "LDM" : "STM";
	if (B22(insn)) {
		return fail(err, errlen, insn, "LDM/STM with user registers or exception return");
	}
	if (count == 0) {
		return fail(err, errlen, insn, "LDM/STM with an empty register list");
	}
	if (load && (list & BIT(15)) != 0) {
		return fail(err, errlen, insn, "LDM loading the PC from a device");
	}
	decode_list(out, list, RN(insn), reg(ctx, RN(insn)), U_BIT(insn) != 0, P_BIT(insn) != 0,
		    W_BIT(insn) != 0, load);
	if (unpredictable_writeback(out)) {
		return fail(err, errlen, insn,
			    "UNPREDICTABLE writeback (to the PC or a loaded register)");
	}
	return true;
}

u32 decode_store_span(const struct decoded_access *out)
{
	u32 span = 0;
	for (u32 i = 0; i < out->n; i++) {
		if (!out->op[i].store || out->op[i].addr != out->op[0].addr + span) {
			return 0;
		}
		span += out->op[i].size;
	}
	return span;
}

/* The A32 encoding classes of loads and stores (A5.1, A5.2): op1 = insn[27:25]. */
#define A32_OP1(insn)	    ((u32)BITS(insn, 27, 25))
#define A32_OP1_DATA	    0u /* data-processing and miscellaneous: the extra loads/stores */
#define A32_OP1_WORD_IMM    2u /* load/store word and unsigned byte, immediate (A5.3) */
#define A32_OP1_WORD_REG    3u /* the same, register (bit 4 = 0; 1: media) */
#define A32_OP1_BLOCK	    4u /* LDM/STM (A5.5) */
#define A32_OP1_COPROC	    6u /* coprocessor loads/stores (A5.6) */
#define A32_EXTRA_OP2(insn) ((u32)BITS(insn, 6, 5)) /* 01 halfword, 1x dual or signed */
#define A32_EXTRA_HALF	    1u

/* a32_word_byte: is insn in the load/store word and unsigned byte space (A5.3; register
 * forms with bit 4 set are media instructions, refused by decode_word_byte)? */
static bool a32_word_byte(u32 insn)
{
	return A32_OP1(insn) == A32_OP1_WORD_IMM || A32_OP1(insn) == A32_OP1_WORD_REG;
}

/* a32_extra: is insn in the extra load/store space (A5.2.8 and A5.2.9: bits 7 and 4 set,
 * op2 not 00)? */
static bool a32_extra(u32 insn)
{
	return A32_OP1(insn) == A32_OP1_DATA && BITS(insn, 7, 7) && BITS(insn, 4, 4) &&
	       A32_EXTRA_OP2(insn) != 0;
}

/* decode_any: decode_a32_ldst without the span. */
static bool decode_any(u32 insn, decode_reg_fn reg, void *ctx, struct decoded_access *out,
		       char *err, size_t errlen)
{
	decode_begin(out, DECODE_A32_LENGTH);
	if (BITS(insn, 31, 28) == COND_UNCONDITIONAL) {
		return fail(err, errlen, insn, "unconditional-space instruction (PLD, SRS, ...)");
	}
	u32 op = A32_OP1(insn);
	if (a32_word_byte(insn)) {
		return decode_word_byte(insn, reg, ctx, out, err, errlen);
	}
	if (a32_extra(insn)) {
		return decode_extra(insn, reg, ctx, out, err, errlen);
	}
	if (op == A32_OP1_BLOCK) {
		return decode_block(insn, reg, ctx, out, err, errlen);
	}
	if (op == A32_OP1_DATA && BITS(insn, 24, 23) == 3 && BITS(insn, 11, 4) == 0xf9) {
		return fail(err, errlen, insn, "exclusive load/store (LDREX/STREX) to a device");
	}
	if (op == A32_OP1_DATA && BITS(insn, 27, 23) == 2 && BITS(insn, 11, 4) == 9) {
		return fail(err, errlen, insn, "SWP/SWPB to a device");
	}
	if (op == A32_OP1_COPROC) {
		return fail(err, errlen, insn, "coprocessor load/store (VLDR/VSTR/LDC/STC)");
	}
	return fail(err, errlen, insn, "not a load/store instruction");
}

/* a32_unprivileged: decode_unprivileged of A32 insn: P = 0 and W = 1 in the load/store word
 * and unsigned byte space (A5.3: LDRT, STRT, LDRBT, STRBT) or the unprivileged extra
 * load/store space (A5.2.9: STRHT, LDRHT, LDRSBT, LDRSHT). */
static bool a32_unprivileged(u32 insn)
{
	if (BITS(insn, 31, 28) == COND_UNCONDITIONAL || P_BIT(insn) || !W_BIT(insn)) {
		return false;
	}
	if (a32_word_byte(insn)) {
		return !I_BIT(insn) || BITS(insn, 4, 4) == 0; /* not a media instruction */
	}
	/* Of the extra forms, LDRD/STRD (a store with op2 1x) have no unprivileged one. */
	return a32_extra(insn) && (A32_EXTRA_OP2(insn) == A32_EXTRA_HALF || L_BIT(insn));
}

bool decode_unprivileged(u32 insn, bool thumb)
{
	return thumb ? decode_t32_unprivileged((u16)insn, (u16)(insn >> 16))
		     : a32_unprivileged(insn);
}

bool decode_a32_ldst(u32 insn, decode_reg_fn reg, void *ctx, struct decoded_access *out, char *err,
		     size_t errlen)
{
	if (!decode_any(insn, reg, ctx, out, err, errlen)) {
		return false;
	}
	out->span = decode_store_span(out);
	return true;
}

/* A decode_reg_fn that reads the base register as zero and notes any other register read. */
struct base_probe {
	decode_reg_fn reg;
	void *ctx;
	unsigned base;
	bool base_read; /* the base was read once already */
	bool other;	/* a register other than the base was read, or the base twice */
};

static u32 probe_reg(void *ctx, unsigned n)
{
	struct base_probe *b = ctx;
	if (n == b->base && !b->base_read) {
		b->base_read = true; /* the address's base (A register offset reads it again) */
		return 0;
	}
	b->other = true;
	return b->reg(b->ctx, n);
}

/* words_run: the first of the consecutive registers of r0-r7 whose values da stores, one
 * per operation in order; DECODE_NO_RUN if they are not such a run. */
static u8 words_run(const struct decoded_access *da)
{
	u32 first = da->op[0].reg;
	for (u32 i = 0; i < da->n; i++) {
		if (da->op[i].reg != first + i || first + i > 7) {
			return DECODE_NO_RUN;
		}
	}
	return (u8)first;
}

bool decode_ldst(u32 insn, bool thumb, u32 pc, decode_reg_fn reg, void *ctx,
		 struct decoded_access *out, char *err, size_t errlen)
{
	return thumb ? decode_t32_ldst((u16)insn, (u16)(insn >> 16), pc, reg, ctx, out, err, errlen)
		     : decode_a32_ldst(insn, reg, ctx, out, err, errlen);
}

const struct decoded_access *decode_cached(struct decode_cache *c, u32 pc, bool thumb, u32 insn,
					   decode_reg_fn reg, void *ctx, u32 *bias,
					   struct decoded_access *own, char *err, size_t errlen)
{
	u32 key = decode_cache_key(pc, thumb);
	const struct decode_cached *hit = decode_cache_find(c, key, insn);
	if (hit != NULL) {
		*bias = reg(ctx, hit->base);
		return &hit->rel;
	}
	if (!decode_ldst(insn, thumb, pc, reg, ctx, own, err, errlen)) {
		return NULL;
	}
	*bias = 0;
	/* Decoded again with its base as zero, for the cache. */
	struct decode_cached *e = &c->e[decode_cache_index(key)];
	struct base_probe probe = {reg, ctx, own->wb_reg, false, false};
	char probe_err[DECODE_PROBE_ERR];
	e->valid = decode_ldst(insn, thumb, pc, probe_reg, &probe, &e->rel, probe_err,
			       sizeof(probe_err)) &&
		   probe.base_read && !probe.other;
	if (e->valid) {
		e->base = own->wb_reg;
		e->words = !e->rel.unprivileged && e->rel.span == 4 * e->rel.n ? (u8)e->rel.n : 0;
		e->words_run = words_run(&e->rel);
		e->key = key;
		e->insn = insn;
	}
	return own;
}
