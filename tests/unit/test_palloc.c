/* The page allocator's guard pages and the integrity check's canaries and checksum
 * (hyp/src/palloc.c, hyp/src/guard.c), on a pool of host memory: every kind of damage a
 * stray write or a table overrun could do is found and named. */
#include "hyp/console.h"
#include "hyp/guard.h"
#include "hyp/palloc.h"
#include "testmem.h"

#define PAGE	   4096u
#define POOL_PAGES 64u

static u8 *pool;
static char what[160];

/* hyp_fatal: palloc's invariant checks must not fire in these tests. */
void hyp_fatal(const char *fmt, ...)
{
	fail_msg("hyp_fatal called: %s", fmt);
	abort();
}

/* setup: a fresh pool of POOL_PAGES pages filled with junk. */
static int setup(void **state)
{
	(void)state;
	pool = aligned_alloc(8 * PAGE, POOL_PAGES * PAGE); /* alignment gaps are predictable */
	memset(pool, 0xa5, POOL_PAGES * PAGE);
	palloc_init((paddr_t)(uintptr_t)pool, (paddr_t)(uintptr_t)pool + POOL_PAGES * PAGE);
	what[0] = 0;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	free(pool);
	return 0;
}

/* word_at: the word offset bytes from p. */
static u32 *word_at(paddr_t p, u32 offset)
{
	return (u32 *)(uintptr_t)(p + offset);
}

/* expect_damage: palloc_check must fail, saying needle. */
static void expect_damage(const char *needle)
{
	assert_false(palloc_check(what, sizeof(what)));
	if (strstr(what, needle) == NULL) {
		fail_msg("'%s' does not say '%s'", what, needle);
	}
}

static void test_allocations_are_bracketed(void **state)
{
	(void)state;
	paddr_t a = palloc_pages(1, PAGE), b = palloc_pages(3, PAGE);
	assert_true(a != 0 && b != 0);
	assert_true(a % PAGE == 0 && b % PAGE == 0);
	assert_int_equal(b, a + 2 * PAGE); /* one guard page between them */
	for (u32 i = 0; i < 3 * PAGE / 4; i++) {
		assert_int_equal(*word_at(b, 4 * i), 0); /* zeroed */
	}
	/* guard, a, guard, b (3 pages), last guard */
	assert_int_equal(palloc_used(), 7);
	assert_true(palloc_check(what, sizeof(what)));
}

static void test_overrun_is_found(void **state)
{
	(void)state;
	paddr_t a = palloc_pages(2, PAGE);
	palloc_pages(1, PAGE);
	*word_at(a, 2 * PAGE + 16) = 0; /* just past a: its guard's canaries */
	expect_damage("canary word at");
}

static void test_underrun_is_found(void **state)
{
	(void)state;
	palloc_pages(1, PAGE);
	paddr_t b = palloc_pages(1, PAGE);
	*word_at(b, 0) = 1;	     /* b's own page: fine */
	*word_at(b - 4, 0) = 0x1234; /* the last word of the guard before b */
	expect_damage("canary word at");
}

static void test_header_damage_is_found(void **state)
{
	(void)state;
	paddr_t a = palloc_pages(1, PAGE);
	*word_at(a - PAGE, 4) += 1; /* the guard's link to the next guard */
	expect_damage("header overwritten");
}

static void test_damage_before_an_allocation_is_remembered(void **state)
{
	(void)state;
	paddr_t a = palloc_pages(1, PAGE);
	*word_at(a + PAGE, 0) ^= 1; /* the last guard's tag, rewritten by the next allocation */
	palloc_pages(1, PAGE);
	expect_damage("header overwritten");
}

static void test_alignment_gaps_are_guarded(void **state)
{
	(void)state;
	paddr_t small = palloc_pages(1, PAGE);
	paddr_t big = palloc_pages(2, 8 * PAGE);
	assert_true(big % (8 * PAGE) == 0);
	assert_int_equal(big, small + 7 * PAGE); /* guard, 4 gap pages, guard */
	assert_true(palloc_check(what, sizeof(what)));
	/* The gap's pages are guards too. */
	*word_at(big - 4 * PAGE, 100) = 0;
	expect_damage("canary word at");
}

static void test_exhaustion_and_reset(void **state)
{
	(void)state;
	/* The first guard is taken; n pages need a last guard after them. */
	assert_int_equal(palloc_pages(POOL_PAGES - 1, PAGE), 0);
	paddr_t all = palloc_pages(POOL_PAGES - 2, PAGE);
	assert_true(all != 0);
	assert_int_equal(palloc_pages(1, PAGE), 0);
	assert_true(palloc_check(what, sizeof(what)));
	palloc_free_all();
	assert_int_equal(palloc_used(), 1);
	assert_true(palloc_check(what, sizeof(what)));
	assert_int_equal(palloc_pages(1, PAGE), all);
}

static void test_canaries_and_checksum(void **state)
{
	(void)state;
	u32 words[64];
	guard_fill(words, 64);
	assert_null(guard_first_bad(words, 64));
	u32 copy[64];
	memcpy(copy, words, sizeof(copy));
	assert_ptr_equal(guard_first_bad(copy, 64), &copy[0]); /* moved: not valid elsewhere */
	words[17] ^= 0x100;
	assert_ptr_equal(guard_first_bad(words, 64), &words[17]);
	u32 sum = checksum_words(words, 64);
	for (u32 i = 0; i < 64; i++) {
		words[i] ^= 1;
		assert_true(checksum_words(words, 64) != sum); /* any single word */
		words[i] ^= 1;
	}
	assert_int_equal(checksum_words(words, 64), sum);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_allocations_are_bracketed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_overrun_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_underrun_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_header_damage_is_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_damage_before_an_allocation_is_remembered, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(test_alignment_gaps_are_guarded, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_exhaustion_and_reset, setup, teardown),
	    cmocka_unit_test(test_canaries_and_checksum),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
