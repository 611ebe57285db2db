/* LPAE (long-descriptor) descriptor fields, ARM ARM B3.6.1-B3.6.2. */
#ifndef TB_LPAE_H
#define TB_LPAE_H

#include "tb/types.h"

#define LPAE_VALID	BIT64(0)
#define LPAE_TYPE_TABLE BIT64(1) /* levels 1-2: table (else block); level 3: must be set */
#define LPAE_OA_MASK	0x000000fffffff000ull /* output address bits [39:12] */

/* TTBR0/TTBR1 (64-bit form): the ASID field (B4.1.154). */
#define LPAE_TTBR_ASID_SHIFT 48

/* Lower attributes, stage 1. */
#define LPAE_ATTRINDX_SHIFT 2 /* [4:2] index into MAIR0/1 */
#define LPAE_NS		    BIT64(5)
#define LPAE_AP_SHIFT	    6 /* [7:6] AP[2:1] */
#define LPAE_AP_RW_PL1	    0u
#define LPAE_AP_RW_ALL	    1u
#define LPAE_AP_RO_PL1	    2u
#define LPAE_AP_RO_ALL	    3u
#define LPAE_NG		    BIT64(11)
/* Lower attributes, both stages. */
#define LPAE_SH_SHIFT 8 /* [9:8] */
#define LPAE_SH_NONE  0u
#define LPAE_SH_OUTER 2u
#define LPAE_SH_INNER 3u
#define LPAE_AF	      BIT64(10)
/* Lower attributes, stage 2. */
#define LPAE_S2_MEMATTR_SHIFT	  2 /* [5:2] */
#define LPAE_S2_MEMATTR_MASK	  0xfull
#define LPAE_S2_MEMATTR_DEVICE	  0x1u /* Device memory */
#define LPAE_S2_MEMATTR_NORMAL_WB 0xfu /* Normal, outer and inner write-back cacheable */
#define LPAE_S2AP_SHIFT		  6    /* [7:6] HAP */
#define LPAE_S2AP_NONE		  0u
#define LPAE_S2AP_RO		  1u
#define LPAE_S2AP_WO		  2u
#define LPAE_S2AP_RW		  3u
/* Upper attributes. */
#define LPAE_CONTIG BIT64(52)
#define LPAE_PXN    BIT64(53)
#define LPAE_XN	    BIT64(54)
/* The bits of a block or page descriptor that translation ignores: [58:55] reserved for
 * software use, [63:59] IGNORED (B3.6.2). */
#define LPAE_LEAF_IGNORED_SHIFT 55
#define LPAE_LEAF_IGNORED	(~MASK64(LPAE_LEAF_IGNORED_SHIFT))
/* Table descriptor attributes (stage 1 only). */
#define LPAE_PXNTABLE	   BIT64(59)
#define LPAE_XNTABLE	   BIT64(60)
#define LPAE_APTABLE_SHIFT 61
#define LPAE_NSTABLE	   BIT64(63)

/* lpae_s2_attrs: leaf attributes for a stage-2 mapping (B3.6.2 "stage 2 memory attributes"). */
static inline u64 lpae_s2_attrs(u32 memattr, u32 s2ap, u32 sh, bool xn)
{
	return ((u64)memattr << LPAE_S2_MEMATTR_SHIFT) | ((u64)s2ap << LPAE_S2AP_SHIFT) |
	       ((u64)sh << LPAE_SH_SHIFT) | LPAE_AF | (xn ? LPAE_XN : 0);
}

/* Field readers. */
static inline u32 lpae_s2ap(u64 d)
{
	return (u32)BITS(d, 7, 6);
}
static inline u32 lpae_s2_memattr(u64 d)
{
	return (u32)BITS(d, 5, 2);
}
static inline u32 lpae_sh(u64 d)
{
	return (u32)BITS(d, 9, 8);
}

#endif
