/* Building blocks shared by the A32 (decode.c) and T32 (decode_t32.c) load/store decoders:
 * both fill struct decoded_access the same way for the same operation. */
#ifndef HYP_DECODE_OPS_H
#define HYP_DECODE_OPS_H

#include "hyp/decode.h"

#define DECODE_WORD 4u /* bytes of a word transfer */

/* An offset address of the ARM ARM pseudocode (LDR (immediate) and friends): offset_addr = add ?
 * base + offset : base - offset; address = index ? offset_addr : base; wback writes
 * offset_addr to Rn. */
struct decode_indexed {
	unsigned n; /* Rn */
	u32 base;   /* its value as the instruction reads it */
	u32 offset;
	bool index, add, wback;
};

/* decode_begin: out as an instruction of length bytes that transfers nothing yet. Only the
 * header: each operation is written whole as decode_op adds it (on the path of every caught
 * page-table write, zeroing 16 operations costs more than decoding). */
void decode_begin(struct decoded_access *out, u8 length);

/* decode_op: append to out the transfer of size bytes of register r at addr. */
void decode_op(struct decoded_access *out, u32 addr, u8 size, bool store, bool sign, unsigned r);

/* decode_address: the address a accesses; its offset_addr noted in out as the writeback. */
u32 decode_address(struct decoded_access *out, const struct decode_indexed *a);

/* decode_list: the block transfer of the registers in list, the lowest at the lowest address,
 * from base up (increment: IA, IB) or down (DA, DB), the base stepped before the first word
 * (IB, DB) or after it (IA, DA) (LDM, STM and their DA, DB, IB forms); wback writes the final base
 * to Rn n. */
void decode_list(struct decoded_access *out, u32 list, unsigned n, u32 base, bool increment,
		 bool before, bool wback, bool load);

/* decode_store_span: decoded_access.span of out. */
u32 decode_store_span(const struct decoded_access *out);

#endif
