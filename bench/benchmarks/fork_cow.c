/* fork-cow: copy an address space with copy-on-write, then write every page in the copy. */
#include "bench.h"

#define PARENT_TAG 100u
#define CHILD_TAG  500u

static void run(struct bench_run *r)
{
	u32 pages = param(r, "pages");
	struct proc *parent = proc_create();
	proc_add_vma(parent, USER_DATA_VA, pages * FRAME_SIZE, PERM_READ | PERM_WRITE, 0,
		     FRAME_SHIFT);
	if (run_user(parent, u_touch, USER_DATA_VA, pages, PARENT_TAG, 0) != 0) {
		bench_fail(r, "the parent could not fill its pages");
	}
	u64 cow = kstats.cow_faults;
	measure_begin(r);
	struct proc *child = proc_fork(parent);
	u32 status = run_user(child, u_touch, USER_DATA_VA, pages, CHILD_TAG, 0);
	measure_end(r, pages);
	if (status != 0 || kstats.cow_faults - cow != pages) {
		bench_fail(r, "status %u, %llu copy-on-write faults for %u pages", status,
			   kstats.cow_faults - cow, pages);
	}
	if (run_user(parent, u_check, USER_DATA_VA, pages, PARENT_TAG, 0) != 0) {
		bench_fail(r, "the child's writes reached the parent");
	}
	if (run_user(child, u_check, USER_DATA_VA, pages, CHILD_TAG, 0) != 0) {
		bench_fail(r, "the child lost its writes");
	}
	proc_destroy(child);
	proc_destroy(parent);
}

static struct benchmark fork_cow = {
    .name = "fork-cow",
    .summary = "fork with copy-on-write, then the child writes every page",
    .params = {{"pages", 32, 1, 30000}},
    .run = run,
};
BENCHMARK(fork_cow);
