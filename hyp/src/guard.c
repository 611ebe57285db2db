/* Canary words and the checksum of the integrity check (hyp/include/hyp/guard.h). */
#include "hyp/guard.h"

#define FNV1A_BASIS 2166136261u
#define FNV1A_PRIME 16777619u

/* canary: what the guard word at p holds. */
static u32 canary(const u32 *p)
{
	return GUARD_CANARY ^ (u32)(uintptr_t)p;
}

void guard_fill(u32 *p, u32 words)
{
	for (u32 *q = p; q < p + words; q++) {
		*q = canary(q);
	}
}

const u32 *guard_first_bad(const u32 *p, u32 words)
{
	for (const u32 *q = p; q < p + words; q++) {
		if (*q != canary(q)) {
			return q;
		}
	}
	return NULL;
}

u32 checksum_words(const u32 *p, u32 words)
{
	u32 h = FNV1A_BASIS;
	for (u32 i = 0; i < words; i++) {
		h = (h ^ p[i]) * FNV1A_PRIME;
	}
	return h;
}
