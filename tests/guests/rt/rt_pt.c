/* Table memory for test guests (rt_pt.h). */
#include "rt_pt.h"
#include "rt.h"
#include "tb/arm.h"
#include "tb/cp15.h"

#define RT_PT_POOL_SIZE (256u * KiB)
static u8 pool[RT_PT_POOL_SIZE] __attribute__((aligned(16384)));
static u32 pool_used;

static bool pt_read(void *ctx UNUSED, paddr_t pa, unsigned bytes, u64 *val)
{
	*val = bytes == 8 ? *(volatile u64 *)(uintptr_t)pa : *(volatile u32 *)(uintptr_t)pa;
	return true;
}

static bool pt_write(void *ctx UNUSED, paddr_t pa, unsigned bytes, u64 val)
{
	if (bytes == 8) {
		*(volatile u64 *)(uintptr_t)pa = val;
	} else {
		*(volatile u32 *)(uintptr_t)pa = (u32)val;
	}
	return true;
}

paddr_t rt_pt_alloc(u32 bytes)
{
	u32 at = (pool_used + bytes - 1) & ~(bytes - 1);
	if (at + bytes > RT_PT_POOL_SIZE) {
		rt_printf("guest: table pool exhausted (%u bytes)\n", RT_PT_POOL_SIZE);
		rt_exit(1);
	}
	pool_used = at + bytes;
	for (u32 i = 0; i < bytes; i++) {
		pool[at + i] = 0;
	}
	return (paddr_t)(uintptr_t)&pool[at];
}

static paddr_t pt_alloc(void *ctx UNUSED, u32 bytes)
{
	return rt_pt_alloc(bytes);
}

const struct pt_mem rt_pt_mem = {.read = pt_read, .write = pt_write, .alloc_table = pt_alloc};

void rt_tlb_flush_all(void)
{
	dsb();
	tlbi_all();
	dsb();
	isb();
}

void rt_mmu_enable(void)
{
	rt_tlb_flush_all();
	write_sctlr(read_sctlr() | SCTLR_M | SCTLR_C | SCTLR_I);
	isb();
}
