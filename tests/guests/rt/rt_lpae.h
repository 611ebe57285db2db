/* The LPAE attributes the test guests that build their own long-descriptor tables share. */
#ifndef RT_LPAE_H
#define RT_LPAE_H

#include "tb/lpae.h"

#define RT_MAIR0       0x04ffu /* attr 0: normal write-back; attr 1: device */
#define RT_ATTR_DEVICE (1u << LPAE_ATTRINDX_SHIFT)
/* Normal memory, PL1 read/write, inner shareable, accessed. */
#define RT_LPAE_NORMAL                                                                             \
	(((u64)LPAE_AP_RW_PL1 << LPAE_AP_SHIFT) | ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT) | LPAE_AF)

#endif
