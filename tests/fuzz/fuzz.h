/* Shared by the libFuzzer harnesses (tests/fuzz/fuzz_*.c): the entry point's prototype, the
 * invariant check that stops the run loudly, and little-endian field readers for inputs. */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tb/types.h"

/* LLVMFuzzerTestOneInput: libFuzzer calls this once per input; returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FUZZ_CHECK: an invariant of the code under test; a violation prints which one and where,
 * then aborts so that libFuzzer records the input as a crash. */
#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: invariant broken: %s: ", __FILE__, __LINE__,       \
				#cond);                                                            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* A cursor over the fuzz input; reads past the end yield zeros. */
struct fuzz_in {
	const uint8_t *p;
	size_t left;
};

/* fuzz_bytes: the next n bytes into out (zero-filled past the end of the input). */
static inline void fuzz_bytes(struct fuzz_in *in, void *out, size_t n)
{
	size_t take = n < in->left ? n : in->left;
	memcpy(out, in->p, take);
	memset((uint8_t *)out + take, 0, n - take);
	in->p += take;
	in->left -= take;
}

/* fuzz_le: the next n (1..8) bytes as a little-endian number. */
static inline u64 fuzz_le(struct fuzz_in *in, size_t n)
{
	uint8_t b[8];
	u64 v = 0;
	fuzz_bytes(in, b, n);
	for (size_t i = n; i-- > 0;) {
		v = (v << 8) | b[i];
	}
	return v;
}

/* be32_at: the big-endian 32-bit value at p (DTB fields). */
static inline u32 be32_at(const void *p)
{
	const uint8_t *b = p;
	return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | b[3];
}

/* le_at: the little-endian value of n (1..8) bytes at p (ELF fields). */
static inline u64 le_at(const void *p, size_t n)
{
	struct fuzz_in in = {p, n};
	return fuzz_le(&in, n);
}

#endif
