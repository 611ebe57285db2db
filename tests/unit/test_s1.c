/* Stage-1 permission checks and fault status for both formats (common/src/s1.c). */
#include "tb/arm.h"
#include "tb/lpae.h"
#include "tb/s1.h"
#include "tb/short_desc.h"
#include "testmem.h"

#define SCTLR_AFE BIT(29)
#define SCTLR_WXN BIT(19)
#define ROOT	  (TESTMEM_BASE)
#define L2TABLE	  (TESTMEM_BASE + 0x8000)

static struct testmem *m;
static struct pt_mem ops;

static int setup(void **state)
{
	(void)state;
	m = testmem_new();
	ops = testmem_ops(m);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	testmem_free(m);
	return 0;
}

static void put32(paddr_t pa, u32 v)
{
	tm_write(m, pa, 4, v);
}

static void put64(paddr_t pa, u64 v)
{
	tm_write(m, pa, 8, v);
}

/* A short-format section at va with AP (APX:AP), domain, extra bits. */
static void section(u32 va, u32 ap, u32 domain, u32 extra)
{
	put32(ROOT + 4 * (va >> 20),
	      (va & SD_SECTION_BASE) | SD_L1_SECTION | ((ap & 3u) << SD_SEC_AP_SHIFT) |
		  ((ap & 4u) ? SD_SEC_APX : 0) | (domain << SD_DOMAIN_SHIFT) | extra);
}

static struct s1_state short_state(u32 dacr)
{
	struct s1_state st = {
	    .sctlr = SCTLR_M, .ttbcr = 0, .ttbr0 = ROOT, .ttbr1 = 0, .dacr = dacr};
	return st;
}

static enum s1_fault check(const struct s1_state *st, u32 va, enum s1_access acc, bool pl0,
			   struct s1_result *r)
{
	return s1_translate(st, &ops, va, acc, pl0, r);
}

static void test_mmu_off(void **state)
{
	(void)state;
	struct s1_state st = {0};
	struct s1_result r;
	assert_int_equal(check(&st, 0x12345678, S1_WRITE, true, &r), S1_OK);
	assert_int_equal(r.out, 0x12345678);
}

static void test_short_ap_table(void **state)
{
	(void)state;
	struct s1_state st = short_state(0x1); /* domain 0 client */
	struct s1_result r;
	/* AP -> {PL1 read, PL1 write, PL0 read, PL0 write} (table B3-8). */
	static const u8 want[8][4] = {
	    {0, 0, 0, 0}, {1, 1, 0, 0}, {1, 1, 1, 0}, {1, 1, 1, 1},
	    {0, 0, 0, 0}, {1, 0, 0, 0}, {1, 0, 1, 0}, {1, 0, 1, 0},
	};
	for (u32 ap = 0; ap < 8; ap++) {
		u32 va = 0x40000000 + (ap << 20);
		section(va, ap, 0, 0);
		const enum s1_access acc[4] = {S1_READ, S1_WRITE, S1_READ, S1_WRITE};
		const bool pl0[4] = {false, false, true, true};
		for (u32 i = 0; i < 4; i++) {
			enum s1_fault f = check(&st, va + 0x10, acc[i], pl0[i], &r);
			if ((f == S1_OK) != (want[ap][i] != 0)) {
				fail_msg("AP %u case %u: fault %d", ap, i, f);
			}
			if (f != S1_OK) {
				assert_int_equal(f, S1_FAULT_PERMISSION);
				assert_int_equal(r.fsr, 0x00d); /* permission, section, domain 0 */
			} else {
				assert_int_equal(r.out, va + 0x10);
			}
		}
	}
}

static void test_short_domains_and_xn(void **state)
{
	(void)state;
	struct s1_result r;
	section(0x40000000, 1, 5, SD_SEC_XN); /* PL1-only, domain 5, XN */
	struct s1_state st = short_state(0);  /* every domain: no access */
	assert_int_equal(check(&st, 0x40000000, S1_READ, false, &r), S1_FAULT_DOMAIN);
	assert_int_equal(r.fsr, 0x009 | (5u << 4));
	st.dacr = 3u << 10; /* domain 5 manager */
	assert_int_equal(check(&st, 0x40000000, S1_WRITE, true, &r), S1_OK);
	assert_int_equal(check(&st, 0x40000000, S1_EXEC, false, &r), S1_OK); /* XN ignored */
	st.dacr = 1u << 10;						     /* domain 5 client */
	assert_int_equal(check(&st, 0x40000000, S1_WRITE, true, &r), S1_FAULT_PERMISSION);
	assert_int_equal(r.fsr, 0x00d | (5u << 4));
	assert_int_equal(check(&st, 0x40000000, S1_EXEC, false, &r), S1_FAULT_PERMISSION);
	/* PXN section: PL1 may not execute, PL0 may. */
	section(0x40100000, 3, 5, SD_L1_PXN);
	assert_int_equal(check(&st, 0x40100000, S1_EXEC, false, &r), S1_FAULT_PERMISSION);
	assert_int_equal(check(&st, 0x40100000, S1_EXEC, true, &r), S1_OK);
	/* WXN: writable memory is never executable. */
	st.sctlr |= SCTLR_WXN;
	assert_int_equal(check(&st, 0x40100000, S1_EXEC, true, &r), S1_FAULT_PERMISSION);
}

static void test_short_pages_and_faults(void **state)
{
	(void)state;
	struct s1_state st = short_state(0x1u << 6); /* domain 3 client */
	struct s1_result r;
	put32(ROOT + 4 * (0x80000000u >> 20),
	      (u32)L2TABLE | SD_L1_PAGE_TABLE | (3u << SD_DOMAIN_SHIFT));
	/* Small page at 0x80001000: user RW, nG. */
	put32(L2TABLE + 4 * 1, 0x40005000u | SD_L2_SMALL | (3u << SD_PG_AP_SHIFT) | SD_PG_NG);
	assert_int_equal(check(&st, 0x80001234, S1_WRITE, true, &r), S1_OK);
	assert_int_equal(r.out, 0x40005234);
	assert_false(r.global);
	assert_int_equal(r.domain, 3);
	/* Unmapped page in a mapped table: level-2 translation fault with the domain. */
	assert_int_equal(check(&st, 0x80002000, S1_READ, false, &r), S1_FAULT_TRANSLATION);
	assert_int_equal(r.fsr, 0x007 | (3u << 4));
	/* Unmapped section: level 1, domain 0. */
	assert_int_equal(check(&st, 0x90000000, S1_READ, false, &r), S1_FAULT_TRANSLATION);
	assert_int_equal(r.fsr, 0x005);
	/* Page permission fault. */
	put32(L2TABLE + 4 * 2, 0x40006000u | SD_L2_SMALL | (2u << SD_PG_AP_SHIFT));
	assert_int_equal(check(&st, 0x80002000, S1_WRITE, true, &r), S1_FAULT_PERMISSION);
	assert_int_equal(r.fsr, 0x00f | (3u << 4));
	/* With SCTLR.AFE, AP[0] is the access flag. */
	st.sctlr |= SCTLR_AFE;
	assert_int_equal(check(&st, 0x80002000, S1_READ, false, &r), S1_FAULT_ACCESS_FLAG);
	assert_int_equal(r.fsr, 0x006 | (3u << 4));
	/* A table outside memory: external abort on the walk, level 2, with the domain. */
	st.sctlr &= ~SCTLR_AFE;
	put32(ROOT + 4 * (0xa0000000u >> 20),
	      0x10000000u | SD_L1_PAGE_TABLE | (3u << SD_DOMAIN_SHIFT));
	assert_int_equal(check(&st, 0xa0000000, S1_READ, false, &r), S1_FAULT_WALK_EXTERNAL);
	assert_int_equal(r.fsr, 0x00e | (3u << 4));
	assert_int_equal(r.domain, 3); /* as in the FSR (found by fuzz_walk) */
}

static struct s1_state lpae_state(void)
{
	struct s1_state st = {.sctlr = SCTLR_M, .ttbcr = TTBCR_EAE, .ttbr0 = ROOT};
	return st;
}

static void test_lpae(void **state)
{
	(void)state;
	struct s1_state st = lpae_state();
	struct s1_result r;
	paddr_t l2 = TESTMEM_BASE + 0x1000, l3 = TESTMEM_BASE + 0x2000;
	put64(ROOT + 8 * 1, pt_lpae_s1.make_table(l2)); /* 0x40000000.. */
	put64(l2 + 8 * 1, pt_lpae_s1.make_table(l3));	/* 0x40200000.. */
	/* Page 0x40201000: user RO, AF. Block 0x40400000: PL1 RW, AF clear. */
	put64(l3 + 8 * 1, pt_lpae_s1.make_leaf(0x50001000, 2,
					       ((u64)LPAE_AP_RO_ALL << LPAE_AP_SHIFT) | LPAE_AF));
	put64(l2 + 8 * 2,
	      pt_lpae_s1.make_leaf(0x50400000, 1, (u64)LPAE_AP_RW_PL1 << LPAE_AP_SHIFT));
	assert_int_equal(check(&st, 0x40201010, S1_READ, true, &r), S1_OK);
	assert_int_equal(r.out, 0x50001010);
	assert_int_equal(check(&st, 0x40201010, S1_WRITE, false, &r), S1_FAULT_PERMISSION);
	assert_int_equal(r.fsr, FSR_LPAE | FSC_PERMISSION | 3);
	assert_int_equal(check(&st, 0x40400000, S1_READ, false, &r), S1_FAULT_ACCESS_FLAG);
	assert_int_equal(r.fsr, FSR_LPAE | FSC_ACCESS_FLAG | 2);
	assert_int_equal(check(&st, 0x40202000, S1_READ, false, &r), S1_FAULT_TRANSLATION);
	assert_int_equal(r.fsr, FSR_LPAE | FSC_TRANSLATION | 3);
	assert_int_equal(check(&st, 0xc0000000, S1_READ, false, &r), S1_FAULT_TRANSLATION);
	assert_int_equal(r.fsr, FSR_LPAE | FSC_TRANSLATION | 1);
	/* APTable[0] on the level-1 entry: nothing below is accessible at PL0. */
	put64(ROOT + 8 * 1, pt_lpae_s1.make_table(l2) | (1ull << LPAE_APTABLE_SHIFT));
	assert_int_equal(check(&st, 0x40201010, S1_READ, true, &r), S1_FAULT_PERMISSION);
	assert_int_equal(check(&st, 0x40201010, S1_READ, false, &r), S1_OK);
	/* XNTable: nothing below executes. */
	put64(ROOT + 8 * 1, pt_lpae_s1.make_table(l2) | LPAE_XNTABLE);
	assert_int_equal(check(&st, 0x40201010, S1_EXEC, true, &r), S1_FAULT_PERMISSION);
	/* A gap between TTBR0 (T0SZ=1: 2 GiB) and TTBR1 (T1SZ=2: top 1 GiB) faults. */
	st.ttbcr = TTBCR_EAE | 1u | (2u << 16);
	assert_int_equal(check(&st, 0x90000000, S1_READ, false, &r), S1_FAULT_TRANSLATION);
	assert_int_equal(r.level, 1);
}

/* TTBCR.PD0/PD1 (short) and EPD0/EPD1 (LPAE) disable the walks through a TTBR: a level-1
 * translation fault in the format's FSR, without reading a table (found by fuzz_walk). */
static void test_walks_disabled(void **state)
{
	(void)state;
	struct s1_state st = short_state(0x1);
	struct s1_result r;
	section(0x40000000, 3, 0, 0);
	assert_int_equal(check(&st, 0x40000000, S1_READ, false, &r), S1_OK);
	st.ttbcr = 1u << 4; /* PD0 */
	assert_int_equal(check(&st, 0x40000000, S1_READ, false, &r), S1_FAULT_TRANSLATION);
	assert_int_equal(r.fsr, 0x005);
	assert_int_equal(r.level, 1);
	assert_int_equal(r.walk.depth, 0);
	st.ttbcr = 1u | (1u << 5); /* N=1, PD1: TTBR0 below 2 GiB still walks */
	assert_int_equal(check(&st, 0x40000000, S1_READ, false, &r), S1_OK);
	assert_int_equal(check(&st, 0x80000000, S1_READ, false, &r), S1_FAULT_TRANSLATION);
	assert_int_equal(r.fsr, 0x005);
	st = lpae_state();
	put64(ROOT + 8 * 1, pt_lpae_s1.make_leaf(0x40000000, 0,
						 ((u64)LPAE_AP_RW_ALL << LPAE_AP_SHIFT) | LPAE_AF));
	assert_int_equal(check(&st, 0x40000000, S1_READ, false, &r), S1_OK);
	st.ttbcr |= 1u << 7; /* EPD0 */
	assert_int_equal(check(&st, 0x40000000, S1_READ, false, &r), S1_FAULT_TRANSLATION);
	assert_int_equal(r.fsr, FSR_LPAE | FSC_TRANSLATION | 1);
	assert_int_equal(r.walk.depth, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_mmu_off, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_short_ap_table, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_short_domains_and_xn, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_short_pages_and_faults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_lpae, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_walks_disabled, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
