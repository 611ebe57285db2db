/* Software event counters of the hypervisor, grouped in named blocks that the core and each
 * memory module define. All are printed at the end of a run and snapshot by the guest. */
#ifndef HYP_COUNTERS_H
#define HYP_COUNTERS_H

#include "tb/types.h"

struct counter_block {
	const char *prefix; /* "core", "trap", "stage2", ... */
	u32 n;
	const char *const *names; /* n names */
	u64 *values;		  /* n values */
	/* refresh: bring counters derived from others up to date (NULL: none), before every
	 * read of the block (snapshot, print). */
	void (*refresh)(void);
};

/* Declare a block from an X-macro list X(name) in one .c file:
 *   #define MY_COUNTERS(X) X(foo) X(bar)
 *   #define MY_ENUM(name) MY_##name,
 *   enum { MY_COUNTERS(MY_ENUM) };
 *   DEFINE_COUNTER_BLOCK(my, "my", MY_COUNTERS)   -> u64 my_values[], my_block */
#define COUNTER_NAME_(name) #name,
#define DEFINE_COUNTER_BLOCK(sym, prefix_str, LIST)                                                \
	DEFINE_COUNTER_BLOCK_DERIVED(sym, prefix_str, LIST, NULL)
/* The same, with a refresh function for derived counters. */
#define DEFINE_COUNTER_BLOCK_DERIVED(sym, prefix_str, LIST, refresh_fn)                            \
	static const char *const sym##_names[] = {LIST(COUNTER_NAME_)};                            \
	u64 sym##_values[ARRAY_SIZE(sym##_names)];                                                 \
	const struct counter_block sym##_block = {prefix_str, ARRAY_SIZE(sym##_names),             \
						  sym##_names, sym##_values, refresh_fn};

/* counter_inc: one more event in counter c. On the A32 hypervisor, one 64-bit load and
 * store (LDRD/STRD of the 8-byte aligned value arrays) where the tuning of the hot paths
 * (Makefile, HYP_TUNE) would use two of each: every hot path counts its event. */
static inline void counter_inc(u64 *c)
{
#if defined(__arm__) && !defined(__thumb__)
	u64 v;
	__asm__("ldrd	%Q0, %R0, %1\n\t"
		"adds	%Q0, %Q0, #1\n\t"
		"adc	%R0, %R0, #0\n\t"
		"strd	%Q0, %R0, %1"
		: "=&r"(v), "+m"(*c)
		:
		: "cc");
#else
	(*c)++;
#endif
}

/* counters_register: add a block to the set printed and snapshot (core first, then module). */
void counters_register(const struct counter_block *b);
/* counters_total: total number of counters (core, traps, the running module). */
u32 counters_total(void);
/* counters_name: full name ("core.hvc") of counter i into buf. */
void counters_name(u32 i, char *buf, u32 len);
/* counters_value: current value of counter i. */
u64 counters_value(u32 i);
/* counters_print: one machine-readable line per counter (docs/hypervisor.md). */
void counters_print(void);
/* counters_refresh: update counters sampled from hardware (the Hyp instruction count). */
void counters_refresh(void);

#endif
