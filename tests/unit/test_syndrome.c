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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_data_aborts),
	    cmocka_unit_test(test_other_classes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
