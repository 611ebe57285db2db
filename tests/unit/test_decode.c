/* A32 load/store decoding for syndrome-less MMIO aborts. Encodings checked against GNU as. */
#include "hyp/decode.h"
#include "testmem.h"

static u32 regs[17];

static u32 reg(void *ctx, unsigned n)
{
	(void)ctx;
	return regs[n];
}

static struct decoded_access acc;
static char err[128];

static void decode_ok(u32 insn)
{
	if (!decode_a32_ldst(insn, reg, NULL, &acc, err, sizeof(err))) {
		fail_msg("0x%08x: %s", insn, err);
	}
}

static void setup_regs(void)
{
	for (u32 i = 0; i < 16; i++) {
		regs[i] = 0x100 * i;
	}
	regs[0] = 0x09000000;
	regs[16] = 0;
}

static void test_str_forms(void **state)
{
	(void)state;
	setup_regs();
	decode_ok(0xe5801000); /* str r1, [r0] */
	assert_string_equal(acc.mnemonic, "STR");
	assert_int_equal(acc.n, 1);
	assert_int_equal(acc.op[0].addr, 0x09000000);
	assert_int_equal(acc.op[0].size, 4);
	assert_true(acc.op[0].store);
	assert_int_equal(acc.op[0].reg, 1);
	assert_false(acc.writeback);
	decode_ok(0xe4801004); /* str r1, [r0], #4 */
	assert_int_equal(acc.op[0].addr, 0x09000000);
	assert_true(acc.writeback);
	assert_int_equal(acc.wb_reg, 0);
	assert_int_equal(acc.wb_value, 0x09000004);
	decode_ok(0xe5601008); /* strb r1, [r0, #-8]! */
	assert_string_equal(acc.mnemonic, "STRB");
	assert_int_equal(acc.op[0].addr, 0x08fffff8);
	assert_int_equal(acc.op[0].size, 1);
	assert_true(acc.writeback);
	assert_int_equal(acc.wb_value, 0x08fffff8);
	regs[2] = 3;
	decode_ok(0xe7801102); /* str r1, [r0, r2, lsl #2] */
	assert_int_equal(acc.op[0].addr, 0x0900000c);
	assert_false(acc.unprivileged);
	decode_ok(0xe4a01000); /* strt r1, [r0] */
	assert_true(acc.unprivileged);
	assert_true(acc.op[0].store);
	decode_ok(0xe4101004); /* ldr r1, [r0], #-4 */
	assert_false(acc.unprivileged);
	assert_string_equal(acc.mnemonic, "LDR");
	assert_false(acc.op[0].store);
	assert_int_equal(acc.wb_value, 0x08fffffc);
	regs[16] = 1u << 29; /* C set */
	regs[2] = 0x10;
	decode_ok(0xe7901062); /* ldr r1, [r0, r2, rrx] */
	assert_int_equal(acc.op[0].addr, 0x09000000 + 0x80000008);
}

static void test_extra_forms(void **state)
{
	(void)state;
	setup_regs();
	decode_ok(0xe1c020b4); /* strh r2, [r0, #4] */
	assert_string_equal(acc.mnemonic, "STRH");
	assert_int_equal(acc.op[0].size, 2);
	assert_int_equal(acc.op[0].addr, 0x09000004);
	decode_ok(0xe1c020f0); /* strd r2, r3, [r0] */
	assert_string_equal(acc.mnemonic, "STRD");
	assert_int_equal(acc.n, 2);
	assert_int_equal(acc.op[1].addr, 0x09000004);
	assert_int_equal(acc.op[1].reg, 3);
	assert_true(acc.op[0].store && acc.op[1].store);
	decode_ok(0xe1c020d0); /* ldrd r2, r3, [r0] */
	assert_string_equal(acc.mnemonic, "LDRD");
	assert_false(acc.op[0].store || acc.op[1].store);
	decode_ok(0xe1d010d1); /* ldrsb r1, [r0, #1] */
	assert_string_equal(acc.mnemonic, "LDRSB");
	assert_true(acc.op[0].sign_extend);
	assert_int_equal(acc.op[0].size, 1);
	decode_ok(0xe0d010f2); /* ldrsh r1, [r0], #2 */
	assert_true(acc.writeback);
	assert_int_equal(acc.wb_value, 0x09000002);
	assert_false(decode_a32_ldst(0xe1c030f0, reg, NULL, &acc, err, sizeof(err))); /* strd r3 */
	assert_non_null(strstr(err, "odd"));
}

static void test_block_forms(void **state)
{
	(void)state;
	setup_regs();
	decode_ok(0xe8a0000c); /* stmia r0!, {r2, r3} */
	assert_string_equal(acc.mnemonic, "STM");
	assert_int_equal(acc.n, 2);
	assert_int_equal(acc.op[0].addr, 0x09000000);
	assert_int_equal(acc.op[0].reg, 2);
	assert_int_equal(acc.op[1].addr, 0x09000004);
	assert_true(acc.writeback);
	assert_int_equal(acc.wb_value, 0x09000008);
	decode_ok(0xe9000010); /* stmdb r0, {r4} */
	assert_int_equal(acc.op[0].addr, 0x08fffffc);
	assert_false(acc.writeback);
	decode_ok(0xe99000f0); /* ldmib r0, {r4-r7} */
	assert_string_equal(acc.mnemonic, "LDM");
	assert_int_equal(acc.op[0].addr, 0x09000004);
	assert_int_equal(acc.op[3].addr, 0x09000010);
	decode_ok(0xe8300030); /* ldmda r0!, {r4, r5} */
	assert_int_equal(acc.op[0].addr, 0x08fffffc);
	assert_int_equal(acc.op[1].addr, 0x09000000);
	assert_int_equal(acc.wb_value, 0x08fffff8);
}

static void expect_refused(u32 insn, const char *needle)
{
	assert_false(decode_a32_ldst(insn, reg, NULL, &acc, err, sizeof(err)));
	if (strstr(err, needle) == NULL) {
		fail_msg("0x%08x: message '%s' lacks '%s'", insn, err, needle);
	}
}

static void test_refused(void **state)
{
	(void)state;
	setup_regs();
	expect_refused(0xe1901f9f, "LDREX");		       /* ldrex r1, [r0] */
	expect_refused(0xe1802f91, "LDREX/STREX");	       /* strex r2, r1, [r0] */
	expect_refused(0xe1001091, "SWP");		       /* swp r1, r1, [r0] */
	expect_refused(0xe8d0000c, "user registers");	       /* ldm r0, {r2, r3}^ */
	expect_refused(0xe8908000, "PC");		       /* ldm r0, {pc} */
	expect_refused(0xe590f000, "PC");		       /* ldr pc, [r0] */
	expect_refused(0xed801a00, "coprocessor");	       /* vstr s2, [r0] */
	expect_refused(0xe0810002, "not a load/store");	       /* add r0, r1, r2 */
	expect_refused(0xf5d0f000, "unconditional");	       /* pld [r0] */
	expect_refused(0xe8800000, "empty");		       /* stm r0, {} */
	expect_refused(0xe8b00003, "UNPREDICTABLE writeback"); /* ldm r0!, {r0, r1} */
	expect_refused(0xe4bf1004, "UNPREDICTABLE writeback"); /* ldrt r1, [pc], #4 */
	expect_refused(0xe5b00004, "UNPREDICTABLE writeback"); /* ldr r0, [r0, #4]! */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_str_forms),
	    cmocka_unit_test(test_extra_forms),
	    cmocka_unit_test(test_block_forms),
	    cmocka_unit_test(test_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
