/* Short-descriptor translation table fields, ARM ARM B3.5.1. */
#ifndef TB_SHORT_DESC_H
#define TB_SHORT_DESC_H

#include "tb/types.h"

/* First-level descriptor types, bits[1:0] (with the PXN extension, 0b11 is a PXN section). */
#define SD_L1_TYPE_MASK	      0x3u
#define SD_L1_FAULT	      0x0u
#define SD_L1_PAGE_TABLE      0x1u
#define SD_L1_SECTION	      0x2u
#define SD_L1_SUPERSECTION    BIT(18)
#define SD_L1_PXN	      BIT(0) /* section / supersection */
#define SD_L1_TABLE_PXN	      BIT(2)
#define SD_L1_TABLE_BASE      0xfffffc00u
#define SD_SECTION_BASE	      0xfff00000u
#define SD_SUPER_BASE	      0xff000000u
#define SD_SUPER_PA3532_SHIFT 20 /* bits [23:20] hold PA[35:32] */
#define SD_SUPER_PA3936_SHIFT 5	 /* bits [8:5] hold PA[39:36] */
/* Section fields. */
#define SD_SEC_B	 BIT(2)
#define SD_SEC_C	 BIT(3)
#define SD_SEC_XN	 BIT(4)
#define SD_DOMAIN_SHIFT	 5  /* [8:5], sections and page tables */
#define SD_SEC_AP_SHIFT	 10 /* AP[1:0] at [11:10] */
#define SD_SEC_TEX_SHIFT 12
#define SD_SEC_APX	 BIT(15)
#define SD_SEC_S	 BIT(16)
#define SD_SEC_NG	 BIT(17)
#define SD_SEC_NS	 BIT(19)

/* Second-level descriptor types. */
#define SD_L2_FAULT	   0x0u
#define SD_L2_LARGE	   0x1u
#define SD_L2_SMALL	   0x2u /* bit 0 is XN for small pages */
#define SD_L2_SMALL_XN	   BIT(0)
#define SD_L2_LARGE_XN	   BIT(15)
#define SD_L2_SMALL_BASE   0xfffff000u
#define SD_L2_LARGE_BASE   0xffff0000u
#define SD_PG_B		   BIT(2)
#define SD_PG_C		   BIT(3)
#define SD_PG_AP_SHIFT	   4 /* AP[1:0] at [5:4] */
#define SD_SMALL_TEX_SHIFT 6
#define SD_LARGE_TEX_SHIFT 12
#define SD_PG_APX	   BIT(9)
#define SD_PG_S		   BIT(10)
#define SD_PG_NG	   BIT(11)

/* Short-descriptor fault status codes FS[4:0] (B3.13.3, table B3-23). */
#define SD_FS_TRANSLATION_L1 0x05u
#define SD_FS_TRANSLATION_L2 0x07u
#define SD_FS_ACCESS_FLAG_L1 0x03u
#define SD_FS_ACCESS_FLAG_L2 0x06u
#define SD_FS_DOMAIN_L1	     0x09u
#define SD_FS_DOMAIN_L2	     0x0bu
#define SD_FS_PERMISSION_L1  0x0du
#define SD_FS_PERMISSION_L2  0x0fu
#define SD_FS_WALK_EXT_L1    0x0cu
#define SD_FS_WALK_EXT_L2    0x0eu

/* DACR domain fields (B4.1.43). */
#define DACR_NO_ACCESS	0u
#define DACR_CLIENT	1u
#define DACR_MANAGER	3u
#define DACR_FIELD_BITS 2u /* domain n at [2n+1:2n] */

#endif
