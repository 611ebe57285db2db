/* Counter blocks: registration, printing and the Hyp-mode instruction count. */
#include "hyp/console.h"
#include "hyp/core_counters.h"
#include "hyp/pmu.h"
#include "hyp/trap.h"
#include "tb/cp15.h"
#include "tb/fmt.h"
#include "tb/str.h"

DEFINE_COUNTER_BLOCK(core, "core", CORE_COUNTERS)
DEFINE_COUNTER_BLOCK(trap, "trap", TRAP_COUNTERS)

#define MAX_BLOCKS 4
static const struct counter_block *blocks[MAX_BLOCKS];
static u32 nblocks;

void counters_register(const struct counter_block *b)
{
	HYP_ASSERT(nblocks < MAX_BLOCKS);
	blocks[nblocks++] = b;
}

/* locate: block and index of global counter i. */
static const struct counter_block *locate(u32 i, u32 *idx)
{
	for (u32 b = 0; b < nblocks; b++) {
		if (i < blocks[b]->n) {
			*idx = i;
			return blocks[b];
		}
		i -= blocks[b]->n;
	}
	return NULL;
}

u32 counters_total(void)
{
	u32 n = 0;
	for (u32 b = 0; b < nblocks; b++) {
		n += blocks[b]->n;
	}
	return n;
}

void counters_name(u32 i, char *buf, u32 len)
{
	u32 idx;
	const struct counter_block *b = locate(i, &idx);
	HYP_ASSERT(b != NULL);
	tb_snprintf(buf, len, "%s.%s", b->prefix, b->names[idx]);
}

u64 counters_value(u32 i)
{
	u32 idx;
	const struct counter_block *b = locate(i, &idx);
	HYP_ASSERT(b != NULL);
	return b->values[idx];
}

/* The Hyp instruction counter (PMU counter HYP_PMU_COUNTER, 32 bits) widened to 64 bits. */
static u32 last_hyp_count;

void counters_refresh(void)
{
	u32 now = pmu_hyp_instructions();
	trap_counters_refresh();
	for (u32 b = 0; b < nblocks; b++) {
		if (blocks[b]->refresh != NULL) {
			blocks[b]->refresh();
		}
	}
	core_values[CORE_hyp_instructions] += (u32)(now - last_hyp_count);
	last_hyp_count = now;
}

u64 counters_hyp_mark(void)
{
	counters_refresh();
	return core_values[CORE_hyp_instructions];
}

void counters_hyp_move(u64 mark, enum core_counter c)
{
	counters_refresh();
	core_values[c] += core_values[CORE_hyp_instructions] - mark;
	core_values[CORE_hyp_instructions] = mark;
}

void counters_print(void)
{
	counters_refresh();
	char name[48];
	for (u32 i = 0; i < counters_total(); i++) {
		counters_name(i, name, sizeof(name));
		hyp_printf("TBSTAT 1 %s %llu\n", name, (unsigned long long)counters_value(i));
	}
}
