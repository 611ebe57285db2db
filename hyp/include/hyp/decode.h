/* Decoding of A32 and T32 load/store instructions whose data abort carries no syndrome (ISV=0:
 * writeback forms, LDRD/STRD, LDM/STM; B3.13.6 "ISS encoding for Data Abort"). Pure: register
 * values come from a callback, so it is tested on the host. */
#ifndef HYP_DECODE_H
#define HYP_DECODE_H

#include "tb/types.h"

#define DECODE_MAX_OPS 16

struct mem_op {
	u32 addr;
	u8 size; /* bytes: 1, 2 or 4 */
	bool store;
	bool sign_extend;
	u8 reg; /* register stored or loaded */
};

struct decoded_access {
	const char *mnemonic;
	u32 n;
	struct mem_op op[DECODE_MAX_OPS];
	bool writeback;
	u8 wb_reg; /* the base: the register the addresses come from (Rn, SP; 15:
		    * PC-relative), written back if writeback */
	u32 wb_value;
	bool unprivileged; /* LDRT/STRT/LDRBT/STRBT/LDRHT/STRHT/LDRSBT/LDRSHT: checked as PL0 */
	u32 span;  /* bytes stored from op[0].addr up when every operation stores right after
		    * the one before (STR, STRD, STM); 0 otherwise */
	u8 length; /* bytes of the instruction (4 for A32, 2 or 4 for T32): the caller steps
		    * past it */
};

/* reg_fn: value of register n (0..15) as the instruction reads it (A32: r15 = pc + 8; the T32
 * decoder never asks for r15). */
typedef u32 (*decode_reg_fn)(void *ctx, unsigned n);

/* decode_a32_ldst: decode insn; false with the reason in err (naming the instruction) when it
 * is not a load/store the hypervisor can emulate. */
bool decode_a32_ldst(u32 insn, decode_reg_fn reg, void *ctx, struct decoded_access *out, char *err,
		     size_t errlen);

/* decode_t32_is_32bit: whether the T32 instruction whose first halfword is hw1 is 32 bits
 * long (hw1[15:11] is 0b11101, 0b11110 or 0b11111; A6.1); else it is 16 bits. */
#define DECODE_T32_WIDE_SHIFT 11
#define DECODE_T32_WIDE_FIRST 0x1d /* 0b11101, the lowest hw1[15:11] of a 32-bit instruction */
static inline bool decode_t32_is_32bit(u16 hw1)
{
	return (unsigned)(hw1 >> DECODE_T32_WIDE_SHIFT) >= DECODE_T32_WIDE_FIRST;
}

/* decode_t32_ldst: decode_a32_ldst for the T32 instruction hw1 (and hw2 when it is 32 bits
 * long; ignored otherwise) at address pc: the PC reads as pc + 4 (Align(pc + 4, 4) in the
 * literal forms, A8.8.64), reg is never asked for it. */
bool decode_t32_ldst(u16 hw1, u16 hw2, u32 pc, decode_reg_fn reg, void *ctx,
		     struct decoded_access *out, char *err, size_t errlen);

/* decode_ldst: decode_a32_ldst of insn, or decode_t32_ldst of hw1 | hw2 << 16 (hw2 = 0 for
 * a 16-bit instruction) if thumb, fetched from pc. */
bool decode_ldst(u32 insn, bool thumb, u32 pc, decode_reg_fn reg, void *ctx,
		 struct decoded_access *out, char *err, size_t errlen);

/* decode_t32_unprivileged: is hw1 (hw2) one of the T32 unprivileged forms (LDRT, STRT and
 * their byte, halfword and signed forms: A6.3.7-A6.3.10, 1110 in hw2[11:8]), whether or not
 * decode_t32_ldst accepts it? */
bool decode_t32_unprivileged(u16 hw1, u16 hw2);

/* decode_unprivileged: is insn (A32, or T32 as hw1 | hw2 << 16 if thumb) one of the
 * unprivileged load/store forms, checked as PL0 (B3.7.1), whether or not the decoders
 * accept it: an UNPREDICTABLE one (its base written back and loaded, its Rt SP or PC) is one
 * a CPU may run all the same. */
bool decode_unprivileged(u32 insn, bool thumb);

/* A cache of decodings by instruction address and instruction set, for the instructions
 * that trap again and again (stores to write-protected page tables). An entry is an
 * instruction's decoding with its base register as zero: it holds for any base value when
 * decoding read the base, and no other register (immediate offsets, A32 PC-relative
 * offsets, block transfers), so it is kept only then. A T32 instruction is keyed as
 * hw1 | hw2 << 16 (hw2 = 0 for a 16-bit one). */
#define DECODE_CACHE_ENTRIES 8
#define DECODE_NO_RUN	     0xffu

struct decode_cache {
	struct decode_cached {
		bool valid;
		u8 base; /* the base register (Rn) */
		/* A privileged store of words, one after the other from op[0].addr (STR,
		 * STRD, STM of words): how many, else 0; and when they are the values of
		 * consecutive registers of r0-r7 (no mode banks them), the first of them,
		 * else DECODE_NO_RUN. */
		u8 words;
		u8 words_run;
		u32 key, insn;		   /* decode_cache_key of its address, and the word */
		struct decoded_access rel; /* addresses and writeback value relative to base */
	} e[DECODE_CACHE_ENTRIES];
};

/* decode_cache_key: the key of an instruction at pc, T32 if thumb (the interworking
 * address: bit 0 set for T32). */
static inline u32 decode_cache_key(u32 pc, bool thumb)
{
	return pc | (thumb ? 1u : 0u);
}

/* decode_cache_index: the entry of a cache that the instruction of key may hold. */
static inline u32 decode_cache_index(u32 key)
{
	return (key >> 2) % DECODE_CACHE_ENTRIES;
}

/* decode_cache_find: the entry of c for insn at key (decode_cache_key), NULL if c has none. */
static inline const struct decode_cached *decode_cache_find(const struct decode_cache *c, u32 key,
							    u32 insn)
{
	const struct decode_cached *e = &c->e[decode_cache_index(key)];
	return e->valid && e->key == key && e->insn == insn ? e : NULL;
}

/* decode_cached: decode_a32_ldst of insn, or decode_t32_ldst if thumb (hw1 | hw2 << 16),
 * fetched from pc, through cache c: the decoding, in c or else in *own, whose addresses and
 * writeback value are *bias more than it holds; NULL (with err) if the instruction is
 * refused. */
const struct decoded_access *decode_cached(struct decode_cache *c, u32 pc, bool thumb, u32 insn,
					   decode_reg_fn reg, void *ctx, u32 *bias,
					   struct decoded_access *own, char *err, size_t errlen);

#endif
