/* The input of fuzz_walk, shared by the harness (which decodes it) and the seed generator
 * mkseeds (which encodes it): translation registers and walk parameters, then up to
 * WALK_MAX_CHUNKS pieces of physical memory. All fields are little-endian. */
#ifndef WALK_INPUT_H
#define WALK_INPUT_H

#include "tb/types.h"

/* flags: [1:0] format of the direct walk (0 short, 1 LPAE stage 1, 2 LPAE stage 2; 3 is 2),
 * [3:2] access of the stage-1 translation (0 read, 1 write, 2 execute; 3 is read), [4] PL0.
 * ia_sel picks the direct walk's input size; ia is its input address. The others are the
 * guest's register values and the VA for s1_translate. */
#define WALK_FIELDS(X)                                                                             \
	X(flags, 1)                                                                                \
	X(ia_sel, 1)                                                                               \
	X(sctlr, 4)                                                                                \
	X(ttbcr, 4)                                                                                \
	X(dacr, 4)                                                                                 \
	X(va, 4)                                                                                   \
	X(ttbr0, 8)                                                                                \
	X(ttbr1, 8)                                                                                \
	X(ia, 8)

#define WALK_FLAG_FMT_MASK    0x3u
#define WALK_FLAG_ACC_SHIFT   2
#define WALK_FLAG_ACC_MASK    0x3u
#define WALK_FLAG_PL0	      BIT(4)
#define WALK_FMT_SHORT	      0u
#define WALK_FMT_LPAE_S1      1u
#define WALK_FMT_LPAE_S2      2u
#define WALK_MAX_CHUNKS	      6
#define WALK_CHUNK_BASE_BYTES 5 /* a 40-bit physical address */
#define WALK_CHUNK_LEN_BYTES  2

struct walk_regs {
#define WALK_FIELD_DECL(name, bytes) u64 name;
	WALK_FIELDS(WALK_FIELD_DECL)
#undef WALK_FIELD_DECL
};

/* A piece of physical memory: len bytes at base. */
struct walk_chunk {
	paddr_t base;
	u32 len;
	const u8 *bytes;
};

#endif
