/* Decoding of A32 load/store instructions whose data abort carries no syndrome (ISV=0:
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
	u8 wb_reg;
	u32 wb_value;
	bool unprivileged; /* LDRT/STRT/LDRBT/STRBT/LDRHT/STRHT/LDRSBT/LDRSHT: checked as PL0 */
};

/* reg_fn: value of register n (0..15) as the instruction reads it (r15 = pc + 8). */
typedef u32 (*decode_reg_fn)(void *ctx, unsigned n);

/* decode_a32_ldst: decode insn; false with the reason in err (naming the instruction) when it
 * is not a load/store the hypervisor can emulate. */
bool decode_a32_ldst(u32 insn, decode_reg_fn reg, void *ctx, struct decoded_access *out, char *err,
		     size_t errlen);

#endif
