/* Canary words and a checksum that reveal corruption of the hypervisor's own memory. Pure
 * functions over word ranges (tested on the host, tests/unit/test_palloc.c). */
#ifndef HYP_GUARD_H
#define HYP_GUARD_H

#include "tb/types.h"

/* The word at address a of a guard region holds GUARD_CANARY ^ a: a copy of one guard moved
 * elsewhere, or a run of zeros or of a repeated value, does not pass for another. */
#define GUARD_CANARY 0x7b3a9e55u

/* guard_fill: write the canary of every word of [p, p + words). */
void guard_fill(u32 *p, u32 words);
/* guard_first_bad: the first word of [p, p + words) that lost its canary, or NULL. */
const u32 *guard_first_bad(const u32 *p, u32 words);
/* checksum_words: FNV-1a (32-bit offset basis and prime) over [p, p + words), one word per
 * step: any change of a single word changes the result (each step is a bijection). */
u32 checksum_words(const u32 *p, u32 words);

#endif
