/* Decoding of T32 (Thumb-2) load/store instructions for emulation without a syndrome.
 * Encodings: ARM ARM A6.2 (16-bit: A6.2.4 load/store single data item, A6.2.5 PUSH/POP, and
 * LDR (literal), STM, LDM of table A6-1) and A6.3 (32-bit: A6.3.5 load/store multiple, A6.3.6
 * load/store dual, exclusive, table branch, A6.3.7-A6.3.10 load word, halfword, byte and store
 * single data item). The fields filled are those decode_a32_ldst fills for the A32 equivalent. */
#include "decode_ops.h"
#include "tb/fmt.h"

#define T32_NARROW_LENGTH 2 /* bytes of a 16-bit instruction */
#define T32_WIDE_LENGTH	  4
#define T32_PC_OFFSET	  4 /* the PC reads as the instruction's address + 4 (A2.3) */
#define REG_SP		  13
#define REG_LR		  14
#define REG_PC		  15

/* 16-bit fields (A6.2). */
#define T16_OPA(hw)	   ((u32)BITS(hw, 15, 12)) /* A6.2.4 opA */
#define T16_OPB(hw)	   ((u32)BITS(hw, 11, 9))  /* A6.2.4 opB */
#define T16_OP5(hw)	   ((u32)BITS(hw, 15, 11))
#define T16_L(hw)	   (BITS(hw, 11, 11) != 0) /* load (opB 1xx; LDM; POP) */
#define T16_RT(hw)	   ((unsigned)BITS(hw, 2, 0))
#define T16_RN(hw)	   ((unsigned)BITS(hw, 5, 3))
#define T16_RM(hw)	   ((unsigned)BITS(hw, 8, 6))
#define T16_R_HIGH(hw)	   ((unsigned)BITS(hw, 10, 8)) /* Rt (SP-relative, literal), Rn (STM) */
#define T16_IMM5(hw)	   ((u32)BITS(hw, 10, 6))
#define T16_IMM8(hw)	   ((u32)BITS(hw, 7, 0))
#define T16_LIST(hw)	   ((u32)BITS(hw, 7, 0))
#define T16_EXTRA(hw)	   (BITS(hw, 8, 8) != 0)  /* PUSH M (LR), POP P (PC) */
#define T16_MISC_OP(hw)	   ((u32)BITS(hw, 10, 9)) /* A6.2.5 opcode[5:4] */
#define T16_OPA_REGISTER   0x5			  /* 0101: register offset */
#define T16_OPA_WORD	   0x6			  /* 0110: STR/LDR imm5 */
#define T16_OPA_BYTE	   0x7			  /* 0111: STRB/LDRB imm5 */
#define T16_OPA_HALF	   0x8			  /* 1000: STRH/LDRH imm5 */
#define T16_OPA_SP	   0x9			  /* 1001: STR/LDR SP-relative imm8 */
#define T16_OPA_MISC	   0xb			  /* 1011: miscellaneous (A6.2.5) */
#define T16_OPA_BLOCK	   0xc			  /* 1100: STM/LDM */
#define T16_OP5_LITERAL	   0x9			  /* 01001: LDR (literal) */
#define T16_MISC_PUSH_POP  0x2			  /* PUSH 1011 010x, POP 1011 110x */
#define T16_WORD_IMM_SCALE 4 /* imm8 of the SP-relative and literal forms, in words */

/* 32-bit fields (A6.3). */
#define T32_GROUP(hw1)		  ((u32)BITS(hw1, 15, 9))
#define T32_GROUP_SINGLE	  0x7c /* 1111100: op1 11, op2 00xxxxx (A6.3.7-A6.3.10) */
#define T32_GROUP_MULTI		  0x74 /* 1110100: op1 01, op2 00xxxxx (A6.3.5, A6.3.6) */
#define T32_COPROC(hw1)		  (BITS(hw1, 11, 10) == 3) /* op1 x1, op2 1xxxxxx (A6.3.18) */
#define T32_COPROC_OP1_HI(hw1)	  BITS(hw1, 9, 9)	   /* op1 0xxxxx: LDC/STC, MCRR/MRRC */
#define T32_COPROC_MOVE(hw1)	  (BITS(hw1, 8, 7) == 0 && BITS(hw1, 5, 5) == 0) /* op1 000x0x */
#define T32_RN(hw1)		  ((unsigned)BITS(hw1, 3, 0))
#define T32_L(hw1)		  (BITS(hw1, 4, 4) != 0)
#define T32_W(hw1)		  (BITS(hw1, 5, 5) != 0)
#define T32_SIZE(hw1)		  ((u32)BITS(hw1, 6, 5)) /* single data item: 0 byte, 1 half, 2 word */
#define T32_DUAL(hw1)		  (BITS(hw1, 6, 6) != 0) /* A6.3.6 rather than A6.3.5 */
#define T32_U(hw1)		  (BITS(hw1, 7, 7) != 0) /* U (literal, dual); imm12 form (single) */
#define T32_P(hw1)		  (BITS(hw1, 8, 8) != 0) /* P (dual) */
#define T32_S(hw1)		  (BITS(hw1, 8, 8) != 0) /* sign-extending load (single) */
#define T32_BLOCK_OP(hw1)	  ((u32)BITS(hw1, 8, 7))
#define T32_BLOCK_IA		  1 /* op 01: STM/LDM (increment after) */
#define T32_BLOCK_DB		  2 /* op 10: STMDB/LDMDB (decrement before) */
#define T32_DUAL_OP1(hw1)	  ((u32)BITS(hw1, 8, 7))
#define T32_DUAL_OP2(hw1)	  ((u32)BITS(hw1, 5, 4))
#define T32_TABLE_BRANCH_OP1	  1 /* op1 01, op2 01, op3 000x: TBB/TBH */
#define T32_TABLE_BRANCH_OP2	  1
#define T32_TABLE_BRANCH_OP3(hw2) (BITS(hw2, 7, 5) == 0)
#define T32_RT(hw2)		  ((unsigned)BITS(hw2, 15, 12))
#define T32_RT2(hw2)		  ((unsigned)BITS(hw2, 11, 8))
#define T32_RM(hw2)		  ((unsigned)BITS(hw2, 3, 0))
#define T32_IMM12(hw2)		  ((u32)BITS(hw2, 11, 0))
#define T32_IMM8(hw2)		  ((u32)BITS(hw2, 7, 0))
#define T32_IMM8_FORM(hw2)	  (BITS(hw2, 11, 11) != 0) /* 1PUW imm8 */
#define T32_IMM8_P(hw2)		  (BITS(hw2, 10, 10) != 0)
#define T32_IMM8_U(hw2)		  (BITS(hw2, 9, 9) != 0)
#define T32_IMM8_W(hw2)		  (BITS(hw2, 8, 8) != 0)
#define T32_REG_FORM(hw2)	  (BITS(hw2, 11, 6) == 0) /* 000000 imm2 Rm */
#define T32_SHIFT(hw2)		  ((u32)BITS(hw2, 5, 4))
#define T32_DUAL_IMM_SCALE	  4

/* The size field of A6.3.7-A6.3.10. */
#define SIZE_BYTE  0
#define SIZE_HALF  1
#define SIZE_WORD  2
#define SIZE_CODES 3

/* A single data item: what is moved, and the mnemonic decode_a32_ldst gives it. */
struct item {
	const char *name; /* NULL: no such instruction (UNDEFINED) */
	u8 size;
	bool load, sign;
};

/* items[load][sign][size code]. */
static const struct item items[2][2][SIZE_CODES] = {
    {{{"STRB", 1, false, false}, {"STRH", 2, false, false}, {"STR", 4, false, false}},
     {{NULL, 0, false, false}, {NULL, 0, false, false}, {NULL, 0, false, false}}},
    {{{"LDRB", 1, true, false}, {"LDRH", 2, true, false}, {"LDR", 4, true, false}},
     {{"LDRSB", 1, true, true}, {"LDRSH", 2, true, true}, {NULL, 0, false, false}}},
};

/* The register-offset forms of A6.2.4, by opB. */
static const struct item *const t16_register_items[8] = {
    &items[0][0][SIZE_WORD], &items[0][0][SIZE_HALF], &items[0][0][SIZE_BYTE],
    &items[1][1][SIZE_BYTE], &items[1][0][SIZE_WORD], &items[1][0][SIZE_HALF],
    &items[1][0][SIZE_BYTE], &items[1][1][SIZE_HALF],
};

/* One instruction being decoded. */
struct t32 {
	u16 hw1, hw2;
	bool wide;
	u32 pc; /* the instruction's address */
	decode_reg_fn reg;
	void *ctx;
	char *err;
	size_t errlen;
};

/* fail: false, with err naming the instruction (name, NULL if none) and why it is refused. */
static bool fail(const struct t32 *t, const char *name, const char *why)
{
	const char *open = name != NULL ? " (" : "", *close = name != NULL ? ")" : "";
	name = name != NULL ? name : "";
	if (t->wide) {
		tb_snprintf(t->err, t->errlen,
			    "cannot emulate T32 instruction 0x%04x 0x%04x%s%s%s: %s", t->hw1,
			    t->hw2, open, name, close, why);
	} else {
		tb_snprintf(t->err, t->errlen, "cannot emulate T32 instruction 0x%04x%s%s%s: %s",
			    t->hw1, open, name, close, why);
	}
	return false;
}

/* reg: register n as a T32 load/store reads it; the PC only as a literal base, Align(PC, 4)
 * (A8.8.64): every other form that would read the PC is refused. */
static u32 reg(const struct t32 *t, unsigned n)
{
	if (n == REG_PC) {
		return (t->pc + T32_PC_OFFSET) & ~(DECODE_WORD - 1);
	}
	return t->reg(t->ctx, n);
}

/* transfer: out as the transfer of kind for register rt at the address a gives. */
static void transfer(struct decoded_access *out, const struct item *kind,
		     const struct decode_indexed *a, unsigned rt)
{
	out->mnemonic = kind->name;
	decode_op(out, decode_address(out, a), kind->size, !kind->load, kind->sign, rt);
}

/* offset: the address base register n plus offset, without writeback. */
static struct decode_indexed offset(const struct t32 *t, unsigned n, u32 off)
{
	return (struct decode_indexed){
	    .n = n, .base = reg(t, n), .offset = off, .index = true, .add = true, .wback = false};
}

/* t16_register: STR/STRH/STRB/LDRSB/LDR/LDRH/LDRB/LDRSH (register), [Rn, Rm] (A6.2.4). */
static bool t16_register(const struct t32 *t, struct decoded_access *out)
{
	struct decode_indexed a = offset(t, T16_RN(t->hw1), reg(t, T16_RM(t->hw1)));
	transfer(out, t16_register_items[T16_OPB(t->hw1)], &a, T16_RT(t->hw1));
	return true;
}

/* t16_immediate: STR/LDR, STRB/LDRB, STRH/LDRH [Rn, #imm5 * size] and STR/LDR [SP, #imm8 * 4]
 * (A6.2.4). */
static bool t16_immediate(const struct t32 *t, struct decoded_access *out)
{
	u32 op_a = T16_OPA(t->hw1);
	bool load = T16_L(t->hw1);
	if (op_a == T16_OPA_SP) {
		struct decode_indexed a = offset(t, REG_SP, T16_IMM8(t->hw1) * T16_WORD_IMM_SCALE);
		transfer(out, &items[load][0][SIZE_WORD], &a, T16_R_HIGH(t->hw1));
		return true;
	}
	u32 size = op_a == T16_OPA_WORD ? SIZE_WORD : op_a == T16_OPA_BYTE ? SIZE_BYTE : SIZE_HALF;
	const struct item *kind = &items[load][0][size];
	struct decode_indexed a = offset(t, T16_RN(t->hw1), T16_IMM5(t->hw1) * kind->size);
	transfer(out, kind, &a, T16_RT(t->hw1));
	return true;
}

/* t16_literal: LDR Rt, [PC, #imm8 * 4] (A8.8.64 T1). */
static bool t16_literal(const struct t32 *t, struct decoded_access *out)
{
	struct decode_indexed a = offset(t, REG_PC, T16_IMM8(t->hw1) * T16_WORD_IMM_SCALE);
	transfer(out, &items[1][0][SIZE_WORD], &a, T16_R_HIGH(t->hw1));
	return true;
}

/* t16_block: STM Rn!, {list} and LDM Rn{!}, {list}, with writeback unless Rn is loaded
 * (LDM and STM encoding T1; an empty list is UNPREDICTABLE). */
static bool t16_block(const struct t32 *t, struct decoded_access *out)
{
	bool load = T16_L(t->hw1);
	unsigned n = T16_R_HIGH(t->hw1);
	u32 list = T16_LIST(t->hw1);
	out->mnemonic = load ? "LDM" : "STM";
	if (list == 0) {
		return fail(t, out->mnemonic, "empty register list (UNPREDICTABLE)");
	}
	bool wback = !load || (list & BIT(n)) == 0;
	decode_list(out, list, n, reg(t, n), true, false, wback, load);
	return true;
}

/* t16_push_pop: PUSH {list, LR} (STMDB SP!) and POP {list} (LDM SP!); a POP of the PC is a
 * branch (PUSH and POP encoding T1). */
static bool t16_push_pop(const struct t32 *t, struct decoded_access *out)
{
	bool pop = T16_L(t->hw1);
	const char *name = pop ? "POP" : "PUSH";
	u32 list = T16_LIST(t->hw1);
	if (T16_EXTRA(t->hw1)) {
		list |= BIT(pop ? REG_PC : REG_LR);
	}
	out->mnemonic = pop ? "LDM" : "STM";
	if (list == 0) {
		return fail(t, name, "empty register list (UNPREDICTABLE)");
	}
	if ((list & BIT(REG_PC)) != 0) {
		return fail(t, name, "loads the PC (a branch)");
	}
	decode_list(out, list, REG_SP, reg(t, REG_SP), pop, !pop, true, pop);
	return true;
}

/* decode_narrow: decode the 16-bit instruction hw1 (A6.2). */
static bool decode_narrow(const struct t32 *t, struct decoded_access *out)
{
	u32 op_a = T16_OPA(t->hw1);
	if (T16_OP5(t->hw1) == T16_OP5_LITERAL) {
		return t16_literal(t, out);
	}
	if (op_a == T16_OPA_REGISTER) {
		return t16_register(t, out);
	}
	if (op_a >= T16_OPA_WORD && op_a <= T16_OPA_SP) {
		return t16_immediate(t, out);
	}
	if (op_a == T16_OPA_BLOCK) {
		return t16_block(t, out);
	}
	if (op_a == T16_OPA_MISC && T16_MISC_OP(t->hw1) == T16_MISC_PUSH_POP) {
		return t16_push_pop(t, out);
	}
	return fail(t, NULL, "not a load/store instruction");
}

/* t32_block: STM, STMDB (PUSH.W), LDM (POP.W), LDMDB with or without writeback (A6.3.5;
 * LDM T2, LDMDB T1, STM T2, STMDB T1: Rn PC, SP in the list, fewer than two
 * registers, the PC stored, or writeback to a listed Rn is UNPREDICTABLE). */
static bool t32_block(const struct t32 *t, struct decoded_access *out)
{
	u32 op = T32_BLOCK_OP(t->hw1);
	bool load = T32_L(t->hw1);
	bool wback = T32_W(t->hw1);
	unsigned n = T32_RN(t->hw1);
	u32 list = t->hw2;
	if (op != T32_BLOCK_IA && op != T32_BLOCK_DB) {
		return fail(t, load ? "RFE" : "SRS",
			    "exception return or state save, not a load/store");
	}
	static const char *const names[2][2] = {{"STMDB", "STM"}, {"LDMDB", "LDM"}};
	const char *name = names[load][op == T32_BLOCK_IA];
	out->mnemonic = load ? "LDM" : "STM";
	if (n == REG_PC) {
		return fail(t, name, "base register PC (UNPREDICTABLE)");
	}
	if ((list & BIT(REG_SP)) != 0) {
		return fail(t, name, "SP in the register list (UNPREDICTABLE)");
	}
	if (__builtin_popcount(list) < 2) {
		return fail(t, name, "fewer than two registers in the list (UNPREDICTABLE)");
	}
	if ((list & BIT(REG_PC)) != 0) {
		return fail(t, name,
			    load ? "loads the PC (a branch)" : "stores the PC (UNPREDICTABLE)");
	}
	if (wback && (list & BIT(n)) != 0) {
		return fail(t, name, "writeback to a register in the list (UNPREDICTABLE)");
	}
	decode_list(out, list, n, reg(t, n), op == T32_BLOCK_IA, op == T32_BLOCK_DB, wback, load);
	return true;
}

/* t32_unpaired: the refusal of A6.3.6's encodings with P == W == 0: exclusives and TBB/TBH. */
static bool t32_unpaired(const struct t32 *t)
{
	if (T32_DUAL_OP1(t->hw1) == T32_TABLE_BRANCH_OP1 &&
	    T32_DUAL_OP2(t->hw1) == T32_TABLE_BRANCH_OP2 && T32_TABLE_BRANCH_OP3(t->hw2)) {
		return fail(t, "TBB/TBH", "table branch, not a load/store");
	}
	return fail(t, T32_L(t->hw1) ? "LDREX" : "STREX",
		    "exclusive load/store (LDREX/STREX family) to a device");
}

/* t32_dual: STRD/LDRD Rt, Rt2, [Rn, #+/-imm8 * 4] offset, pre- or post-indexed, and LDRD
 * (literal) (their encodings T1: SP or PC transferred, Rt == Rt2 loaded, a
 * stored base PC, literal writeback, or writeback to Rt or Rt2 is UNPREDICTABLE). */
static bool t32_dual(const struct t32 *t, struct decoded_access *out)
{
	bool load = T32_L(t->hw1);
	unsigned n = T32_RN(t->hw1), rt = T32_RT(t->hw2), rt2 = T32_RT2(t->hw2);
	if (!T32_P(t->hw1) && !T32_W(t->hw1)) {
		return t32_unpaired(t);
	}
	const char *name = load ? "LDRD" : "STRD";
	out->mnemonic = name;
	struct decode_indexed a = {.n = n,
				   .base = reg(t, n),
				   .offset = T32_IMM8(t->hw2) * T32_DUAL_IMM_SCALE,
				   .index = T32_P(t->hw1),
				   .add = T32_U(t->hw1),
				   .wback = T32_W(t->hw1)};
	if (n == REG_PC && !load) {
		return fail(t, name, "base register PC (UNPREDICTABLE)");
	}
	if (n == REG_PC && a.wback) {
		return fail(t, name, "literal with writeback (UNPREDICTABLE)");
	}
	if (rt == REG_SP || rt == REG_PC || rt2 == REG_SP || rt2 == REG_PC) {
		return fail(t, name, "SP or PC transferred (UNPREDICTABLE)");
	}
	if (load && rt == rt2) {
		return fail(t, name, "Rt == Rt2 (UNPREDICTABLE)");
	}
	if (a.wback && (n == rt || n == rt2)) {
		return fail(t, name, "writeback to a transferred register (UNPREDICTABLE)");
	}
	u32 addr = decode_address(out, &a);
	decode_op(out, addr, DECODE_WORD, !load, false, rt);
	decode_op(out, addr + DECODE_WORD, DECODE_WORD, !load, false, rt2);
	return true;
}

/* single_address: the address of a 32-bit single data item (A6.3.7-A6.3.10): literal (a load
 * from Rn PC), imm12, imm8 offset, pre- or post-indexed or unprivileged (1PUW; P == W == 0 is
 * UNDEFINED), or register LSL #0-3 (Rm SP or PC is UNPREDICTABLE). */
static bool single_address(const struct t32 *t, const struct item *kind, struct decode_indexed *a,
			   bool *unprivileged)
{
	u16 hw1 = t->hw1, hw2 = t->hw2;
	*a = offset(t, T32_RN(hw1), T32_IMM12(hw2));
	*unprivileged = false;
	if (a->n == REG_PC) {
		a->add = T32_U(hw1);
		return kind->load || fail(t, kind->name, "base register PC (UNDEFINED)");
	}
	if (T32_U(hw1)) {
		return true;
	}
	if (T32_IMM8_FORM(hw2)) {
		a->offset = T32_IMM8(hw2);
		a->index = T32_IMM8_P(hw2);
		a->add = T32_IMM8_U(hw2);
		a->wback = T32_IMM8_W(hw2);
		*unprivileged = a->index && a->add && !a->wback;
		return a->index || a->wback ||
		       fail(t, kind->name, "post-index without writeback (UNDEFINED)");
	}
	if (!T32_REG_FORM(hw2)) {
		return fail(t, kind->name, "UNDEFINED encoding");
	}
	unsigned m = T32_RM(hw2);
	if (m == REG_SP || m == REG_PC) {
		return fail(t, kind->name, "Rm SP or PC (UNPREDICTABLE)");
	}
	a->offset = reg(t, m) << T32_SHIFT(hw2);
	return true;
}

/* single_rt: whether the item may transfer Rt rt (the T32 encodings of A8.8: the PC loaded by LDR
 * is a branch, by a byte or halfword load a preload hint; SP or PC elsewhere, and writeback to Rt,
 * are UNPREDICTABLE), failing with the reason when not. */
static bool single_rt(const struct t32 *t, const char *name, const struct item *kind,
		      const struct decode_indexed *a, bool unprivileged, unsigned rt)
{
	if (rt == REG_PC && kind->load && kind->size == DECODE_WORD) {
		return fail(t, name, "loads the PC (a branch)");
	}
	if (rt == REG_PC && kind->load && !unprivileged && !a->wback) {
		return fail(t, "PLD/PLI", "preload hint, not a load");
	}
	if (rt == REG_PC || (rt == REG_SP && (kind->size < DECODE_WORD || unprivileged))) {
		return fail(t, name, "Rt SP or PC (UNPREDICTABLE)");
	}
	if (a->wback && a->n == rt) {
		return fail(t, name, "writeback to the transferred register (UNPREDICTABLE)");
	}
	return true;
}

/* t32_single: STR/STRB/STRH and LDR/LDRB/LDRH/LDRSB/LDRSH, their unprivileged T forms and the
 * literal loads (A6.3.7-A6.3.10). */
static bool t32_single(const struct t32 *t, struct decoded_access *out)
{
	bool load = T32_L(t->hw1), sign = T32_S(t->hw1);
	u32 size = T32_SIZE(t->hw1);
	if (!load && sign) {
		return fail(t, "VLDn/VSTn", "Advanced SIMD element or structure load/store");
	}
	if (size >= SIZE_CODES || items[load][sign][size].name == NULL) {
		return fail(t, NULL, "UNDEFINED load/store encoding");
	}
	const struct item *kind = &items[load][sign][size];
	struct decode_indexed a;
	bool unprivileged;
	if (!single_address(t, kind, &a, &unprivileged)) {
		return false;
	}
	char name[8];
	tb_snprintf(name, sizeof(name), "%s%s", kind->name, unprivileged ? "T" : "");
	unsigned rt = T32_RT(t->hw2);
	if (!single_rt(t, name, kind, &a, unprivileged, rt)) {
		return false;
	}
	transfer(out, kind, &a, rt);
	out->unprivileged = unprivileged;
	return true;
}

/* decode_wide: decode the 32-bit instruction hw1:hw2 (A6.3). */
static bool decode_wide(const struct t32 *t, struct decoded_access *out)
{
	u32 group = T32_GROUP(t->hw1);
	if (group == T32_GROUP_SINGLE) {
		return t32_single(t, out);
	}
	if (group == T32_GROUP_MULTI) {
		return T32_DUAL(t->hw1) ? t32_dual(t, out) : t32_block(t, out);
	}
	if (T32_COPROC(t->hw1) && !T32_COPROC_OP1_HI(t->hw1) && !T32_COPROC_MOVE(t->hw1)) {
		return fail(t, "VLDR/VSTR/VLDM/VSTM/LDC/STC", "coprocessor load/store");
	}
	return fail(t, NULL, "not a load/store instruction");
}

bool decode_t32_unprivileged(u16 hw1, u16 hw2)
{
	u32 size = T32_SIZE(hw1);
	return decode_t32_is_32bit(hw1) && T32_GROUP(hw1) == T32_GROUP_SINGLE &&
	       size < SIZE_CODES && items[T32_L(hw1)][T32_S(hw1)][size].name != NULL &&
	       !T32_U(hw1) && T32_RN(hw1) != REG_PC && T32_IMM8_FORM(hw2) && T32_IMM8_P(hw2) &&
	       T32_IMM8_U(hw2) && !T32_IMM8_W(hw2);
}

bool decode_t32_ldst(u16 hw1, u16 hw2, u32 pc, decode_reg_fn reg_fn, void *ctx,
		     struct decoded_access *out, char *err, size_t errlen)
{
	struct t32 t = {hw1, hw2, decode_t32_is_32bit(hw1), pc, reg_fn, ctx, err, errlen};
	decode_begin(out, t.wide ? T32_WIDE_LENGTH : T32_NARROW_LENGTH);
	if (!(t.wide ? decode_wide(&t, out) : decode_narrow(&t, out))) {
		return false;
	}
	out->span = decode_store_span(out);
	return true;
}
