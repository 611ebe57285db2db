/* The benchmark framework: a benchmark is a struct benchmark registered with BENCHMARK();
 * its run() sets up, brackets the measured operations with measure_begin / measure_end,
 * and checks its own results (bench_fail on any mismatch). docs/benchmarks.md explains it. */
#ifndef BENCH_BENCH_H
#define BENCH_BENCH_H

#include "kernel.h"

#define BENCH_MAX_PARAMS 6

struct bench_param {
	const char *name;
	u32 value; /* the default (small configuration) until the command line changes it */
	u32 min, max;
};

struct bench_run;

struct benchmark {
	const char *name;
	const char *summary;
	struct bench_param params[BENCH_MAX_PARAMS];
	bool needs_hypervisor; /* skipped natively (e.g. hypercalls) */
	/* run: one repetition; returns through measure_end exactly once unless it fails. */
	void (*run)(struct bench_run *r);
};

#define BENCHMARK(sym)                                                                             \
	static struct benchmark *const benchmark_ptr_##sym                                         \
	    __attribute__((used, section(".benchmarks"))) = &(sym)

/* param: the value of the benchmark's parameter called name. */
u32 param(const struct bench_run *r, const char *name);
/* measure_begin / measure_end: the measured phase, ops operations long. */
void measure_begin(struct bench_run *r);
void measure_end(struct bench_run *r, u64 ops);
/* bench_fail: the benchmark's result is wrong: say why, loudly; the run will exit nonzero. */
void bench_fail(struct bench_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
bool bench_failed(const struct bench_run *r);

/* User programs (bench/user/user.S), at their user VAs. */
extern char u_exit[], u_syscall_loop[], u_compute[], u_touch[], u_check[], u_sweep[], u_pingpong[];

/* run_user: run one process from entry with four arguments; its exit status. */
u32 run_user(struct proc *p, const char *entry, u32 a0, u32 a1, u32 a2, u32 a3);

#endif
