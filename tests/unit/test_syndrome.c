/* HSR decoding as printed in every fatal-error report. */
#include "hyp/syndrome.h"
#include "testmem.h"

static char buf[200];

static void expect(u32 hsr, const char *needle)
{
	hsr_describe(hsr, buf, sizeof(buf));
	if (strstr(buf, needle) == NULL) {
		fail_msg("0x%08x decoded as '%s', lacks '%s'", hsr, buf, needle);
	}
}

static void test_data_aborts(void **state)
{
	(void)state;
	/* strb to an unmapped IPA (platform-facts.md): ISV=1, byte, r3... */
	expect(0x93070046, "EC=0x24 (DABT_LOW)");
	expect(0x93070046, "ISV=1 SAS=byte SSE=0 SRT=r7");
	expect(0x93070046, "WnR=1");
	expect(0x93070046, "FSC=0x06 (translation fault, level 2)");
	expect(0x90000005, "ISV=0");
	expect(0x90000005, "IL=16");
	expect(0x92800087, "S1PTW=1");
	expect(0x9200000f, "permission fault, level 3");
	expect(0x82000010, "EC=0x20 (PABT_LOW)");
	expect(0x82000010, "synchronous external abort");
	expect(0x82000015, "on table walk, level 1");
	expect(0x96000021, "alignment fault");
}

static void test_other_classes(void **state)
{
	(void)state;
	expect(0x4a000001, "EC=0x12 (HVC) IL=32 imm16=0x0001");
	expect(0x4e000000, "SMC");
	expect(0x07e00000, "WFI");
	expect(0x07e00001, "WFE");
	/* mcr p15, 0, r1, c2, c0, 0 (TTBR0 write) and mrc of the same */
	expect(0x0e000000 | (1u << 24) | (0xeu << 20) | (2u << 10) | (1u << 5),
	       "MCR p15, 0, r1, c2, c0, 0");
	expect(0x0e000001 | (2u << 10), "MRC p15");
	expect(0x12000000 | (1u << 10) | (2u << 5) | (2u << 1), "MCRR p15, 0, r2, r1, c2");
	expect(0x00000000, "UNKNOWN");
	expect(0xfc000000, "RESERVED");
	assert_string_equal(hsr_ec_name(0x24), "DABT_LOW");
	assert_string_equal(fsc_name(0x0d), "permission fault");
	/* A short buffer is truncated, never overrun. */
	char small[8];
	hsr_describe(0x93070046, small, sizeof(small));
	assert_int_equal(strlen(small), 7);
}

static void test_condition_passed(void **state)
{
	(void)state;
	const u32 smc = 0x4e000000u, cv = 1u << 24;
	const u32 Z = 1u << 30, C = 1u << 29, N = 1u << 31, V = 1u << 28;
	assert_true(hsr_condition_passed(smc, 0));		       /* CV=0: passed */
	assert_true(hsr_condition_passed(smc | cv | (0x0u << 20), Z)); /* EQ */
	assert_false(hsr_condition_passed(smc | cv | (0x0u << 20), 0));
	assert_true(hsr_condition_passed(smc | cv | (0x1u << 20), 0)); /* NE */
	assert_true(hsr_condition_passed(smc | cv | (0x8u << 20), C)); /* HI */
	assert_false(hsr_condition_passed(smc | cv | (0x8u << 20), C | Z));
	assert_true(hsr_condition_passed(smc | cv | (0xau << 20), N | V)); /* GE */
	assert_true(hsr_condition_passed(smc | cv | (0xbu << 20), N));	   /* LT */
	assert_false(hsr_condition_passed(smc | cv | (0xcu << 20), Z));	   /* GT */
	assert_true(hsr_condition_passed(smc | cv | (0xeu << 20), 0));	   /* AL */
}

static u32 it_of(u32 cpsr)
{
	return (((cpsr >> 10) & 0x3fu) << 2) | ((cpsr >> 25) & 3u);
}

static void test_it_advance(void **state)
{
	(void)state;
	/* ITE EQ: firstcond 0000, mask 1100: IT = 0b00001100 (IT[7:2] in CPSR[15:10]). */
	u32 it = 0x0cu;
	u32 cpsr = (1u << 5) | ((it >> 2) << 10) | ((it & 3u) << 25);
	u32 next = thumb_it_advance(cpsr);
	assert_int_equal(it_of(next), 0x18u); /* IT[4:0] shifted: the else slot is next */
	u32 last = thumb_it_advance(next);
	assert_int_equal(it_of(last), 0); /* the block is over */
	assert_int_equal(last, 1u << 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_data_aborts),
	    cmocka_unit_test(test_other_classes),
	    cmocka_unit_test(test_condition_passed),
	    cmocka_unit_test(test_it_advance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
