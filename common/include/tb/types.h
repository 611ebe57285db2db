/* Fixed-width types and small helpers shared by the hypervisor, the guests and host tests. */
#ifndef TB_TYPES_H
#define TB_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef unsigned int u32; /* not uint32_t: newlib makes that "long", which breaks %x */
typedef unsigned long long u64;
typedef int s32;
typedef long long s64;

/* A physical (or intermediate physical) address: 40 bits under LPAE. */
typedef u64 paddr_t;

#define BIT(n)	      (1u << (n))
#define BIT64(n)      (1ull << (n))
#define MASK(width)   ((width) >= 32 ? ~0u : (BIT(width) - 1u))
#define MASK64(width) ((width) >= 64 ? ~0ull : (BIT64(width) - 1ull))
/* Extract bits [hi:lo] of v. */
#define BITS(v, hi, lo) (((v) >> (lo)) & MASK64((hi) - (lo) + 1))

#define ALIGN_UP(x, a)	 (((x) + ((a)-1)) & ~((__typeof__(x))(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)
#define ARRAY_SIZE(a)	 (sizeof(a) / sizeof((a)[0]))

#define KiB		 (1024u)
#define PAGE_SIZE_4K	 4096u
#define PAGE_OFFSET_MASK (PAGE_SIZE_4K - 1u)
#define MiB		 (1024u * 1024u)

#define UNUSED __attribute__((unused))

#endif
