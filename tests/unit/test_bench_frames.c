/* The benchmark guest's frame allocator and its protection encoding. */
#include "frames.h"
#include "prot.h"
#include "tb/lpae.h"
#include "tb/short_desc.h"
#include "testmem.h"

#include <stdio.h>

void frames_panic(const char *what, u32 pa) __attribute__((noreturn));
void frames_panic(const char *what, u32 pa)
{
	mock_assert(0, what, __FILE__, (int)pa);
	abort();
}

#define BASE 0x40000000u
static u16 refs[64];

static void test_alloc_lowest_first_and_refcounts(void **state)
{
	(void)state;
	struct frames f;
	frames_init(&f, BASE, 64, refs);
	frames_reserve(&f, BASE, 3 * FRAME_SIZE + 1); /* 4 frames */
	assert_int_equal(f.nfree, 60);
	u32 a = frames_alloc(&f), b = frames_alloc(&f);
	assert_int_equal(a, BASE + 4 * FRAME_SIZE);
	assert_int_equal(b, BASE + 5 * FRAME_SIZE);
	frames_get(&f, a);
	assert_int_equal(frames_refs(&f, a), 2);
	assert_false(frames_put(&f, a)); /* still shared */
	assert_true(frames_put(&f, a));	 /* now free */
	assert_int_equal(frames_refs(&f, a), 0);
	assert_int_equal(frames_alloc(&f), a); /* the lowest free frame again */
	assert_int_equal(f.nfree, 58);
}

static void test_runs_and_exhaustion(void **state)
{
	(void)state;
	struct frames f;
	frames_init(&f, BASE, 64, refs);
	frames_alloc(&f);
	u32 run = frames_alloc_run(&f, 16, 16 * FRAME_SIZE);
	assert_int_equal(run, BASE + 16 * FRAME_SIZE); /* aligned, skipping frame 0's block */
	for (u32 i = 0; i < 16; i++) {
		assert_int_equal(frames_refs(&f, run + i * FRAME_SIZE), 1);
	}
	assert_int_equal(frames_alloc_run(&f, 64, FRAME_SIZE), 0);
	while (frames_alloc(&f) != 0) {
	}
	assert_int_equal(f.nfree, 0);
}

static void test_misuse_is_loud(void **state)
{
	(void)state;
	struct frames f;
	frames_init(&f, BASE, 64, refs);
	expect_assert_failure(frames_put(&f, BASE));		       /* free frame */
	expect_assert_failure(frames_get(&f, BASE + 100));	       /* misaligned */
	expect_assert_failure(frames_get(&f, BASE + 64 * FRAME_SIZE)); /* outside */
}

static void test_prot_roundtrip(void **state)
{
	(void)state;
	const u32 cases[] = {
	    PERM_READ | PERM_WRITE | PERM_EXEC,	  PERM_READ,
	    PERM_READ | PERM_WRITE | PERM_DEVICE, PERM_READ | PERM_USER,
	    PERM_READ | PERM_WRITE | PERM_USER,	  PERM_READ | PERM_EXEC | PERM_USER,
	};
	const struct pt_format *fmts[] = {&pt_short, &pt_lpae_s1};
	for (u32 f = 0; f < 2; f++) {
		for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
			for (unsigned li = fmts[f]->nlevels - 2u; li < fmts[f]->nlevels; li++) {
				bool page = li + 1u == fmts[f]->nlevels;
				u32 pa = page ? 0x40123000u : 0x40200000u;
				u64 d = fmts[f]->make_leaf(pa, li, prot_attrs(fmts[f], cases[i]));
				u32 got = prot_of_leaf(fmts[f], d, li);
				if (got != cases[i]) {
					fail_msg("%s level %u: prot 0x%x came back as 0x%x",
						 fmts[f]->name, li, cases[i], got);
				}
			}
		}
	}
}

static void test_prot_bits(void **state)
{
	(void)state;
	/* Short small page, user read/write: AP=11, nG, XN, normal write-back (TEX=001 C B). */
	u64 d = pt_short.make_leaf(0x40005000, 1,
				   prot_attrs(&pt_short, PERM_READ | PERM_WRITE | PERM_USER));
	assert_int_equal(BITS(d, 5, 4), 3);
	assert_true(d & SD_PG_NG);
	assert_true(d & SD_L2_SMALL_XN);
	assert_int_equal(BITS(d, 8, 6), 1);
	assert_false(d & SD_PG_APX);
	/* LPAE kernel RWX: AP=00, global, executable, AF. */
	u64 k = pt_lpae_s1.make_leaf(0x40200000, 1,
				     prot_attrs(&pt_lpae_s1, PERM_READ | PERM_WRITE | PERM_EXEC));
	assert_int_equal(BITS(k, 7, 6), LPAE_AP_RW_PL1);
	assert_false(k & (LPAE_NG | LPAE_XN | LPAE_PXN));
	assert_true(k & LPAE_AF);
	/* LPAE user code: read-only to all, the kernel may not execute it (PXN). */
	u64 u = pt_lpae_s1.make_leaf(0x10000, 2,
				     prot_attrs(&pt_lpae_s1, PERM_READ | PERM_EXEC | PERM_USER));
	assert_int_equal(BITS(u, 7, 6), LPAE_AP_RO_ALL);
	assert_true(u & LPAE_PXN);
	assert_false(u & LPAE_XN);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_alloc_lowest_first_and_refcounts),
	    cmocka_unit_test(test_runs_and_exhaustion),
	    cmocka_unit_test(test_misuse_is_loud),
	    cmocka_unit_test(test_prot_roundtrip),
	    cmocka_unit_test(test_prot_bits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
