/* A bump allocator of 4 KiB pages over the hypervisor's reserved memory. Tables are only
 * ever released all at once, when the guest is rebuilt (PSCI SYSTEM_RESET).
 *
 * Every allocation is bracketed by guard pages, so that a table or pool overrun (or a stray
 * write into the pool from anywhere) is found by the integrity check: the used part of the
 * pool is always
 *     G A G A ... A G
 * where each guard page G holds a header (a tag, and the distance in pages to the next
 * guard, 0 for the last one) and canary words (hyp/guard.h). A gap that an alignment leaves
 * becomes guard pages too. palloc_check walks the chain. */
#include "hyp/palloc.h"
#include "hyp/console.h"
#include "hyp/guard.h"
#include "tb/fmt.h"
#include "tb/str.h"

#define PAGE_SIZE PAGE_SIZE_4K
#define GUARD_TAG 0x47415244u /* "GARD": the header tag, mixed with the address and link */

struct guard_page {
	u32 tag;  /* guard_tag(address, next) */
	u32 next; /* pages from this guard to the next one; 0: the last guard */
	u32 canary[PAGE_SIZE / 4 - 2];
};
_Static_assert(sizeof(struct guard_page) == PAGE_SIZE, "one page");

static paddr_t pool_start, pool_end, pool_next;
/* A guard whose header was already damaged when an allocation rewrote it (0: none). */
static paddr_t damaged_guard;

/* guard_at: the guard page at host address g. */
static struct guard_page *guard_at(paddr_t g)
{
	return (struct guard_page *)(uintptr_t)g;
}

/* guard_tag: the header tag of the guard at g linking to the guard next pages on. */
static u32 guard_tag(paddr_t g, u32 next)
{
	return GUARD_TAG ^ (u32)g ^ ((next << 16) | (next >> 16));
}

/* guard_new: make the page at g a guard whose next guard is next pages on. */
static void guard_new(paddr_t g, u32 next)
{
	struct guard_page *gp = guard_at(g);
	gp->tag = guard_tag(g, next);
	gp->next = next;
	guard_fill(gp->canary, ARRAY_SIZE(gp->canary));
}

/* guard_relink: point the guard at g to a guard next pages on, keeping its canaries (a
 * damage found in its header is remembered for palloc_check). */
static void guard_relink(paddr_t g, u32 next)
{
	struct guard_page *gp = guard_at(g);
	if (gp->tag != guard_tag(g, gp->next) && damaged_guard == 0) {
		damaged_guard = g;
	}
	gp->tag = guard_tag(g, next);
	gp->next = next;
}

void palloc_init(paddr_t start, paddr_t end)
{
	HYP_ASSERT(IS_ALIGNED(start, PAGE_SIZE) && IS_ALIGNED(end, PAGE_SIZE) &&
		   end - start > PAGE_SIZE);
	pool_start = start;
	pool_end = end;
	damaged_guard = 0;
	palloc_free_all();
}

paddr_t palloc_pages(u32 n, u32 align)
{
	HYP_ASSERT(align >= PAGE_SIZE && (align & (align - 1)) == 0 && n > 0);
	paddr_t p = ALIGN_UP(pool_next, (paddr_t)align);
	/* n pages, then the new last guard. */
	if (p > pool_end || (paddr_t)(n + 1) * PAGE_SIZE > pool_end - p) {
		return 0;
	}
	paddr_t g = pool_next - PAGE_SIZE; /* the last guard so far */
	if (g + PAGE_SIZE == p) {
		guard_relink(g, n + 1);
	} else {
		guard_relink(g, 1);
		for (g += PAGE_SIZE; g + PAGE_SIZE < p; g += PAGE_SIZE) {
			guard_new(g, 1); /* the alignment gap */
		}
		guard_new(g, n + 1);
	}
	guard_new(p + (paddr_t)n * PAGE_SIZE, 0);
	pool_next = p + (paddr_t)(n + 1) * PAGE_SIZE;
	memset((void *)(uintptr_t)p, 0, (size_t)n * PAGE_SIZE);
	return p;
}

void palloc_free_all(void)
{
	guard_new(pool_start, 0);
	pool_next = pool_start + PAGE_SIZE;
}

u32 palloc_used(void)
{
	return (u32)((pool_next - pool_start) / PAGE_SIZE);
}

u32 palloc_total(void)
{
	return (u32)((pool_end - pool_start) / PAGE_SIZE);
}

bool palloc_check(char *what, u32 len)
{
	if (damaged_guard != 0) {
		tb_snprintf(what, len, "page pool guard at 0x%08llx: header overwritten",
			    (unsigned long long)damaged_guard);
		return false;
	}
	for (paddr_t g = pool_start;;) {
		const struct guard_page *gp = guard_at(g);
		const u32 *bad = guard_first_bad(gp->canary, ARRAY_SIZE(gp->canary));
		if (gp->tag != guard_tag(g, gp->next)) {
			tb_snprintf(what, len, "page pool guard at 0x%08llx: header overwritten",
				    (unsigned long long)g);
			return false;
		}
		if (bad != NULL) {
			tb_snprintf(what, len,
				    "page pool guard at 0x%08llx: canary word at 0x%08llx "
				    "overwritten (0x%08x)",
				    (unsigned long long)g, (unsigned long long)(uintptr_t)bad,
				    *bad);
			return false;
		}
		if (gp->next == 0 && g + PAGE_SIZE != pool_next) {
			tb_snprintf(what, len, "page pool guard chain ends early at 0x%08llx",
				    (unsigned long long)g);
			return false;
		}
		if (gp->next == 0) {
			return true;
		}
		g += (paddr_t)gp->next * PAGE_SIZE;
		if (g >= pool_next) {
			tb_snprintf(what, len,
				    "page pool guard chain leaves the used pool at 0x%08llx",
				    (unsigned long long)g);
			return false;
		}
	}
}
