/* A bump allocator of 4 KiB pages over the hypervisor's reserved memory. Tables are only
 * ever released all at once, when the guest is rebuilt (PSCI SYSTEM_RESET). */
#include "hyp/palloc.h"
#include "hyp/console.h"
#include "tb/str.h"

#define PAGE_SIZE PAGE_SIZE_4K

static paddr_t pool_start, pool_end, pool_next;

void palloc_init(paddr_t start, paddr_t end)
{
	HYP_ASSERT(IS_ALIGNED(start, PAGE_SIZE) && IS_ALIGNED(end, PAGE_SIZE) && start < end);
	pool_start = start;
	pool_end = end;
	pool_next = start;
}

paddr_t palloc_pages(u32 n, u32 align)
{
	HYP_ASSERT(align >= PAGE_SIZE && (align & (align - 1)) == 0);
	paddr_t p = ALIGN_UP(pool_next, (paddr_t)align);
	if (p > pool_end || (paddr_t)n * PAGE_SIZE > pool_end - p) {
		return 0;
	}
	pool_next = p + (paddr_t)n * PAGE_SIZE;
	memset((void *)(uintptr_t)p, 0, (size_t)n * PAGE_SIZE);
	return p;
}

void palloc_free_all(void)
{
	pool_next = pool_start;
}

u32 palloc_used(void)
{
	return (u32)((pool_next - pool_start) / PAGE_SIZE);
}

u32 palloc_total(void)
{
	return (u32)((pool_end - pool_start) / PAGE_SIZE);
}
