/* Table memory for test guests that build their own translation tables with the shared
 * builder (tb/pt.h): guest RAM is accessed at its physical address (the guest builds its
 * tables with its MMU off, or identity-maps them), tables come from a static pool. */
#ifndef RT_PT_H
#define RT_PT_H

#include "tb/pt.h"

extern const struct pt_mem rt_pt_mem;

/* rt_pt_alloc: a zeroed table of bytes, aligned to its size (at least 4 KiB for a root that
 * is then a whole page); stops the guest when the pool is exhausted. */
paddr_t rt_pt_alloc(u32 bytes);

/* rt_tlb_flush_all: TLBIALL between the barriers of B3.10.1: the table writes before it
 * complete first, and the maintenance before what follows. */
void rt_tlb_flush_all(void);

/* rt_mmu_enable: with the translation registers written, drop every TLB entry and turn on
 * the MMU and the caches (B3.10.4: the maintenance completes before translation starts). */
void rt_mmu_enable(void);

#endif
