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

/* span: the bytes stored from the first address when every operation stores the next. */
static void test_span(void **state)
{
	(void)state;
	setup_regs();
	decode_ok(0xe5801000); /* str r1, [r0] */
	assert_int_equal(acc.span, 4);
	decode_ok(0xe1c020f8); /* strd r2, r3, [r0, #8] */
	assert_int_equal(acc.span, 8);
	decode_ok(0xe880000e); /* stm r0, {r1, r2, r3} */
	assert_int_equal(acc.span, 12);
	decode_ok(0xe900000e); /* stmdb r0, {r1, r2, r3}: ascending from r0 - 12 */
	assert_int_equal(acc.span, 12);
	decode_ok(0xe5c01000); /* strb r1, [r0] */
	assert_int_equal(acc.span, 1);
	decode_ok(0xe5901000); /* ldr r1, [r0] */
	assert_int_equal(acc.span, 0);
	decode_ok(0xe1c020d8); /* ldrd r2, r3, [r0, #8] */
	assert_int_equal(acc.span, 0);
}

/* decode_same: a and b are the same decoding once b's addresses are bias more. */
static void decode_same(const struct decoded_access *a, const struct decoded_access *b, u32 bias)
{
	assert_string_equal(a->mnemonic, b->mnemonic);
	assert_int_equal(a->n, b->n);
	for (u32 i = 0; i < a->n; i++) {
		assert_int_equal(a->op[i].addr, b->op[i].addr + bias);
		assert_int_equal(a->op[i].size, b->op[i].size);
		assert_int_equal(a->op[i].store, b->op[i].store);
		assert_int_equal(a->op[i].reg, b->op[i].reg);
	}
	assert_int_equal(a->writeback, b->writeback);
	if (a->writeback) {
		assert_int_equal(a->wb_reg, b->wb_reg);
		assert_int_equal(a->wb_value, b->wb_value + bias);
	}
	assert_int_equal(a->unprivileged, b->unprivileged);
	assert_int_equal(a->span, b->span);
}

/* cached: decode_a32_cached of insn at pc equals decode_a32_ldst with the same registers;
 * returns whether the decoding came from (or went into) the cache. */
static bool cached(struct decode_cache *c, u32 pc, u32 insn)
{
	struct decoded_access own, direct;
	u32 bias = 0xdeadbeef;
	const struct decoded_access *d =
	    decode_a32_cached(c, pc, insn, reg, NULL, &bias, &own, err, sizeof(err));
	if (d == NULL) {
		fail_msg("0x%08x: %s", insn, err);
	}
	assert_true(decode_a32_ldst(insn, reg, NULL, &direct, err, sizeof(err)));
	decode_same(&direct, d, bias);
	return d != &own;
}

static void test_cache(void **state)
{
	(void)state;
	static struct decode_cache c;
	setup_regs();
	/* Immediate offsets, block transfers and PC-relative forms are kept, and hold for any
	 * base register value. */
	assert_true(cached(&c, 0x8000, 0xe1c020f8)); /* strd r2, r3, [r0, #8] */
	assert_non_null(decode_cache_find(&c, 0x8000, 0xe1c020f8));
	regs[0] = 0x12345678;
	assert_true(cached(&c, 0x8000, 0xe1c020f8));
	assert_true(cached(&c, 0x8004, 0xe5201004)); /* str r1, [r0, #-4]! */
	regs[0] = 0x10;
	assert_true(cached(&c, 0x8004, 0xe5201004));
	assert_true(cached(&c, 0x8008, 0xe92d000e)); /* push {r1, r2, r3} */
	assert_true(cached(&c, 0x800c, 0xe58f1010)); /* str r1, [pc, #16] */
	/* Another instruction at the same address: decoded afresh. */
	assert_null(decode_cache_find(&c, 0x8000, 0xe5801000));
	assert_true(cached(&c, 0x8000, 0xe5801000)); /* str r1, [r0] */
	assert_null(decode_cache_find(&c, 0x8000, 0xe1c020f8));
	/* A register offset depends on another register: decoded, never kept. */
	regs[2] = 3;
	assert_false(cached(&c, 0x8010, 0xe7801102)); /* str r1, [r0, r2, lsl #2] */
	assert_null(decode_cache_find(&c, 0x8010, 0xe7801102));
	/* A refused instruction is reported, and leaves no entry. */
	u32 bias;
	struct decoded_access own;
	assert_null(decode_a32_cached(&c, 0x8014, 0xe1a00000, reg, NULL, &bias, &own, err,
				      sizeof(err))); /* mov r0, r0 */
	assert_null(decode_cache_find(&c, 0x8014, 0xe1a00000));
}

/* A register offset whose Rm is the base register reads no other register, yet the
 * address is not the base plus a constant: decoded right, and not kept. */
static void test_cache_rm_is_rn(void **state)
{
	(void)state;
	static struct decode_cache c;
	setup_regs();
	regs[0] = 0x1000;
	assert_false(cached(&c, 0x9000, 0xe7801000)); /* str r1, [r0, r0]: 0x2000 */
	assert_false(cached(&c, 0x9004, 0xe18010b0)); /* strh r1, [r0, r0]: 0x2000 */
	assert_false(cached(&c, 0x9008, 0xe7801080)); /* str r1, [r0, r0, lsl #1]: 0x3000 */
}

/* entry: the cache's entry for insn at pc, after decoding it through the cache. */
static const struct decode_cached *entry(struct decode_cache *c, u32 pc, u32 insn)
{
	assert_true(cached(c, pc, insn));
	const struct decode_cached *e = decode_cache_find(c, pc, insn);
	assert_non_null(e);
	return e;
}

/* An entry says whether it is a privileged store of words, and whether their values are a
 * run of r0-r7 (read in place by the shadow module's caught writes). */
static void test_cache_words(void **state)
{
	(void)state;
	static struct decode_cache c;
	setup_regs();
	const struct decode_cached *e = entry(&c, 0xa000, 0xe1c020f8); /* strd r2, r3, [r0, #8] */
	assert_true(e->words == 2 && e->words_run == 2);
	e = entry(&c, 0xa004, 0xe5801000); /* str r1, [r0] */
	assert_true(e->words == 1 && e->words_run == 1);
	e = entry(&c, 0xa008, 0xe92d000e); /* push {r1, r2, r3} */
	assert_true(e->words == 3 && e->words_run == 1);
	e = entry(&c, 0xa00c, 0xe880000a); /* stm r0, {r1, r3}: not a run */
	assert_true(e->words == 2 && e->words_run == DECODE_NO_RUN);
	e = entry(&c, 0xa010, 0xe5809000); /* str r9, [r0]: banked in FIQ mode */
	assert_true(e->words == 1 && e->words_run == DECODE_NO_RUN);
	e = entry(&c, 0xa014, 0xe5c01000); /* strb r1, [r0]: not words */
	assert_int_equal(e->words, 0);
	e = entry(&c, 0xa018, 0xe4a01004); /* strt r1, [r0], #4: checked as PL0 */
	assert_int_equal(e->words, 0);
	e = entry(&c, 0xa01c, 0xe5901000); /* ldr r1, [r0]: a load */
	assert_int_equal(e->words, 0);
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
	    cmocka_unit_test(test_str_forms),	   cmocka_unit_test(test_extra_forms),
	    cmocka_unit_test(test_block_forms),	   cmocka_unit_test(test_span),
	    cmocka_unit_test(test_cache),	   cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_cache_rm_is_rn), cmocka_unit_test(test_cache_words),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
