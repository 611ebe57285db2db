/* The hypervisor's page allocator: 4 KiB pages from the pool between the end of the image and
 * HYP_RESERVED_END, for translation tables and module data. Each allocation lies between
 * two guard pages that the integrity check verifies (palloc_check). */
#ifndef HYP_PALLOC_H
#define HYP_PALLOC_H

#include "tb/types.h"

void palloc_init(paddr_t start, paddr_t end);
/* palloc_pages: n contiguous zeroed pages aligned to align bytes; 0 when exhausted. */
paddr_t palloc_pages(u32 n, u32 align);
/* palloc_free_all: return every page (the guest is being rebuilt from scratch). */
void palloc_free_all(void);
/* palloc_used / palloc_total: pages in use (guard pages included) / in the pool. */
u32 palloc_used(void);
u32 palloc_total(void);
/* palloc_check: are all guard pages intact? If not, false and what was found in what. */
bool palloc_check(char *what, u32 len);

#endif
