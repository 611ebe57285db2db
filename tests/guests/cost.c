/* The hypervisor's cost per event, in Hyp-mode instructions (exact under -icount shift=0):
 * a null hypercall round trip, an emulated console store, a lazy 4 KiB stage-2 fill
 * (run with HYP="stage2.fill=lazy stage2.page=4k"). Hypervisor only; n=<ops per phase>.
 * Each phase is bracketed by two counter snapshots; the cost of an empty bracket is
 * measured first and subtracted. Prints "COST <event> <per-op> <ops> <event-count>". */
#include "rt.h"
#include "tb/hcall.h"

#define FILL_REGION_OFFSET (64u * MiB)

static u64 s0[RT_MAX_COUNTERS] __attribute__((aligned(8)));
static u64 s1[RT_MAX_COUNTERS] __attribute__((aligned(8)));
static int i_hyp, i_null, i_mmio_write, i_fills;
static u64 bracket;

static int need(const char *name)
{
	return rt_counter_need("cost", name, "");
}

static u64 delta(int i)
{
	return s1[i] - s0[i];
}

static void report(const char *event, u32 ops, int counter)
{
	u64 hyp = delta(i_hyp) - bracket;
	u64 events = delta(counter);
	rt_printf("COST %s %llu %u %llu\n", event, (hyp + ops / 2) / ops, ops, events);
}

int main(void)
{
	u32 n = 1000;
	rt_arg_u32("n", &n);
	if (!rt_hyp_present()) {
		rt_printf("cost: this guest measures the hypervisor and needs it\n");
		return 1;
	}
	i_hyp = need("core.hyp_instructions");
	i_null = need("core.hc_null");
	i_mmio_write = need("core.mmio_write");
	i_fills = need("stage2.fills_page");

	rt_snapshot(s0);
	rt_snapshot(s1);
	bracket = delta(i_hyp);
	rt_printf("COST snapshot_bracket %llu 1 0\n", bracket);

	rt_snapshot(s0);
	for (u32 i = 0; i < n; i++) {
		rt_hvc(TB_HC_NULL, 0, 0, 0);
	}
	rt_snapshot(s1);
	report("null_hypercall", n, i_null);

	rt_snapshot(s0);
	for (u32 i = 0; i < n; i++) {
		__asm__ volatile("strb %1, [%0]" ::"r"(RT_UART), "r"(i % 64 == 63 ? '\n' : '.')
				 : "memory");
	}
	rt_snapshot(s1);
	rt_putc('\n');
	report("console_store", n, i_mmio_write);

	/* First touch of n pages no one has used: each is one lazy stage-2 fill. */
	u32 pages = n;
	if (pages * 4096u > rt_ram_size() - FILL_REGION_OFFSET - 16 * MiB) {
		pages = (rt_ram_size() - FILL_REGION_OFFSET - 16 * MiB) / 4096u;
	}
	volatile u32 *region = (volatile u32 *)(uintptr_t)(rt_ram_base() + FILL_REGION_OFFSET);
	rt_snapshot(s0);
	for (u32 i = 0; i < pages; i++) {
		region[i * 1024u] = i;
	}
	rt_snapshot(s1);
	report("stage2_fill_4k", pages, i_fills);
	return 0;
}
