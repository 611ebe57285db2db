/* Measurement samples and result lines (docs/benchmarks.md). */
#ifndef BENCH_MEASURE_H
#define BENCH_MEASURE_H

#include "kernel.h"

#define RESULT_FORMAT_VERSION 1
#define HYP_MAX_COUNTERS      96

struct bench_param;

struct sample {
	u32 pl1, pl0, cycles;
	struct kstats k;
	u64 hyp[HYP_MAX_COUNTERS];
};

/* measure_init: program the guest's PMU counters; learn the hypervisor's counters. */
void measure_init(void);
/* measure_take: read every counter (begin: hypervisor first; end: hypervisor last). */
void measure_take(struct sample *s, bool begin);
/* measure_overflowed: did a 32-bit PMU counter wrap since the last call? */
bool measure_overflowed(void);
/* result_line: print the RESULT line of one measured phase. */
void result_line(const char *bench, u32 rep, const struct bench_param *params, u64 ops,
		 const struct sample *a, const struct sample *b);

#endif
