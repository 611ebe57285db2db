/* A32 and T32 load/store decoding for syndrome-less MMIO aborts. Encodings checked against GNU as
 * (arm-none-eabi-as -march=armv7-a, -mthumb for T32, and arm-none-eabi-objdump -d). */
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

/* expect_single: acc is one transfer, named name, of size bytes of register r at addr (a store
 * or a load), without writeback. */
static void expect_single(const char *name, u32 addr, u8 size, bool store, unsigned r)
{
	assert_string_equal(acc.mnemonic, name);
	assert_int_equal(acc.n, 1);
	assert_int_equal(acc.op[0].addr, addr);
	assert_int_equal(acc.op[0].size, size);
	assert_int_equal(acc.op[0].store, store);
	assert_int_equal(acc.op[0].reg, r);
	assert_false(acc.writeback);
}

static void test_str_forms(void **state)
{
	(void)state;
	setup_regs();
	decode_ok(0xe5801000); /* str r1, [r0] */
	expect_single("STR", 0x09000000, 4, true, 1);
	assert_int_equal(acc.length, 4);
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
		assert_int_equal(a->op[i].sign_extend, b->op[i].sign_extend);
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

/* cached_in: decode_cached of insn at pc (T32 if thumb: hw1 | hw2 << 16) equals the direct
 * decoding with the same registers; whether the decoding came from the cache or went into
 * it (a second call then finds it). */
static bool cached_in(struct decode_cache *c, u32 pc, bool thumb, u32 insn)
{
	struct decoded_access own, direct;
	u32 bias = 0xdeadbeef;
	const struct decoded_access *d =
	    decode_cached(c, pc, thumb, insn, reg, NULL, &bias, &own, err, sizeof(err));
	if (d == NULL) {
		fail_msg("0x%08x: %s", insn, err);
	}
	assert_true(thumb ? decode_t32_ldst((u16)insn, (u16)(insn >> 16), pc, reg, NULL, &direct,
					    err, sizeof(err))
			  : decode_a32_ldst(insn, reg, NULL, &direct, err, sizeof(err)));
	decode_same(&direct, d, bias);
	return d != &own || decode_cache_find(c, decode_cache_key(pc, thumb), insn) != NULL;
}

/* cached: cached_in for an A32 instruction. */
static bool cached(struct decode_cache *c, u32 pc, u32 insn)
{
	return cached_in(c, pc, false, insn);
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
	assert_null(decode_cached(&c, 0x8014, false, 0xe1a00000, reg, NULL, &bias, &own, err,
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

/* T32 decodings are kept as A32 ones are, keyed apart from A32 words at the same address:
 * immediate offsets and block transfers; not a register offset, nor a literal load (the
 * T32 decoder reads the PC itself: no base register). */
static void test_cache_t32(void **state)
{
	(void)state;
	static struct decode_cache c;
	setup_regs();
	regs[2] = 0x09001000;
	regs[4] = 0x09002000;
	regs[13] = 0x08000f00;
	const u32 strd = 0xe9c4u | (0x2302u << 16); /* strd r2, r3, [r4, #8] */
	assert_true(cached_in(&c, 0xb000, true, strd));
	assert_non_null(decode_cache_find(&c, decode_cache_key(0xb000, true), strd));
	assert_null(decode_cache_find(&c, decode_cache_key(0xb000, false), strd));
	regs[4] = 0x1230;
	assert_true(cached_in(&c, 0xb000, true, strd));
	const struct decode_cached *e = decode_cache_find(&c, decode_cache_key(0xb000, true), strd);
	assert_true(e->words == 2 && e->words_run == 2 && e->rel.length == 4);
	assert_true(cached_in(&c, 0xb004, true, 0x6051u)); /* str r1, [r2, #4] */
	e = decode_cache_find(&c, decode_cache_key(0xb004, true), 0x6051u);
	assert_true(e != NULL && e->words == 1 && e->rel.length == 2);
	assert_true(cached_in(&c, 0xb008, true, 0xb506u)); /* push {r1, r2, lr} */
	regs[3] = 3;
	assert_false(cached_in(&c, 0xb00c, true, 0x50d1u)); /* str r1, [r2, r3] */
	assert_false(cached_in(&c, 0xb010, true, 0x4902u)); /* ldr r1, [pc, #8] */
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

/* ---- T32 ---- */

#define T32_PC 0x8006u /* an instruction address that is not word aligned */
#define NARROW 0xffffu /* hw2 of a 16-bit instruction: ignored */

/* t32_reg: reg for the T32 decoder, which must never ask for the PC. */
static u32 t32_reg(void *ctx, unsigned n)
{
	(void)ctx;
	if (n == 15) {
		fail_msg("the T32 decoder asked for r15");
	}
	return regs[n];
}

/* t32_ok: decode the T32 instruction hw1 (hw2) at pc into acc, failing the test if refused. */
static void t32_ok(u16 hw1, u16 hw2, u32 pc)
{
	if (!decode_t32_ldst(hw1, hw2, pc, t32_reg, NULL, &acc, err, sizeof(err))) {
		fail_msg("0x%04x 0x%04x: %s", hw1, hw2, err);
	}
	assert_int_equal(acc.length, decode_t32_is_32bit(hw1) ? 4 : 2);
}

/* setup_t32_regs: register values that make every address distinct. */
static void setup_t32_regs(void)
{
	setup_regs();
	regs[2] = 0x09001000;
	regs[3] = 3;
	regs[4] = 0x09002000;
	regs[13] = 0x08000f00;
}

/* A T32 instruction and the A32 instruction that does the same. */
struct t32_pair {
	u16 hw1, hw2;
	u32 a32;
};

/* The A32 operand of each pair reads the PC as the T32 one at T32_PC: Align(T32_PC + 4, 4). */
static const struct t32_pair t32_pairs[] = {
    /* 16-bit (A6.2.4), A32 */
    {0x6051, NARROW, 0xe5821004}, /* str r1, [r2, #4] */
    {0x6fd1, NARROW, 0xe592107c}, /* ldr r1, [r2, #124] */
    {0x77d1, NARROW, 0xe5c2101f}, /* strb r1, [r2, #31] */
    {0x7851, NARROW, 0xe5d21001}, /* ldrb r1, [r2, #1] */
    {0x87d1, NARROW, 0xe1c213be}, /* strh r1, [r2, #62] */
    {0x8851, NARROW, 0xe1d210b2}, /* ldrh r1, [r2, #2] */
    {0x91ff, NARROW, 0xe58d13fc}, /* str r1, [sp, #1020] */
    {0x9902, NARROW, 0xe59d1008}, /* ldr r1, [sp, #8] */
    {0x50d1, NARROW, 0xe7821003}, /* str r1, [r2, r3] */
    {0x52d1, NARROW, 0xe18210b3}, /* strh r1, [r2, r3] */
    {0x54d1, NARROW, 0xe7c21003}, /* strb r1, [r2, r3] */
    {0x56d1, NARROW, 0xe19210d3}, /* ldrsb r1, [r2, r3] */
    {0x58d1, NARROW, 0xe7921003}, /* ldr r1, [r2, r3] */
    {0x5ad1, NARROW, 0xe19210b3}, /* ldrh r1, [r2, r3] */
    {0x5cd1, NARROW, 0xe7d21003}, /* ldrb r1, [r2, r3] */
    {0x5ed1, NARROW, 0xe19210f3}, /* ldrsh r1, [r2, r3] */
    {0x4902, NARROW, 0xe59f1008}, /* ldr r1, [pc, #8] */
    {0xc20a, NARROW, 0xe8a2000a}, /* stmia r2!, {r1, r3} */
    {0xca0a, NARROW, 0xe8b2000a}, /* ldmia r2!, {r1, r3} */
    {0xca06, NARROW, 0xe8920006}, /* ldmia r2, {r1, r2}: r2 loaded, no writeback */
    {0xb506, NARROW, 0xe92d4006}, /* push {r1, r2, lr} */
    {0xbc06, NARROW, 0xe8bd0006}, /* pop {r1, r2} */
    /* 32-bit single data item (A6.3.7-A6.3.10) */
    {0xf8c2, 0x1fff, 0xe5821fff}, /* str.w r1, [r2, #4095] */
    {0xf8d2, 0x1fff, 0xe5921fff}, /* ldr.w r1, [r2, #4095] */
    {0xf882, 0x1fff, 0xe5c21fff}, /* strb.w r1, [r2, #4095] */
    {0xf892, 0x1fff, 0xe5d21fff}, /* ldrb.w r1, [r2, #4095] */
    {0xf842, 0x1cff, 0xe50210ff}, /* str.w r1, [r2, #-255] */
    {0xf852, 0x1fff, 0xe5b210ff}, /* ldr.w r1, [r2, #255]! */
    {0xf852, 0x1904, 0xe4121004}, /* ldr.w r1, [r2], #-4 */
    {0xf802, 0x1f04, 0xe5e21004}, /* strb.w r1, [r2, #4]! */
    {0xf932, 0x1b02, 0xe0d210f2}, /* ldrsh.w r1, [r2], #2 */
    {0xf822, 0x1d02, 0xe16210b2}, /* strh.w r1, [r2, #-2]! */
    {0xf912, 0x1c01, 0xe15210d1}, /* ldrsb.w r1, [r2, #-1] */
    {0xf842, 0x1033, 0xe7821183}, /* str.w r1, [r2, r3, lsl #3] */
    {0xf832, 0x1003, 0xe19210b3}, /* ldrh.w r1, [r2, r3] */
    {0xf802, 0x1023, 0xe7c21103}, /* strb.w r1, [r2, r3, lsl #2] */
    {0xf85f, 0x1008, 0xe51f1008}, /* ldr.w r1, [pc, #-8] */
    {0xf89f, 0x100c, 0xe5df100c}, /* ldrb.w r1, [pc, #12] */
    {0xf93f, 0x1006, 0xe15f10f6}, /* ldrsh.w r1, [pc, #-6] */
    {0xf84d, 0x1d04, 0xe52d1004}, /* str.w r1, [sp, #-4]! (push {r1}) */
    {0xf85d, 0x1b04, 0xe49d1004}, /* ldr.w r1, [sp], #4 (pop {r1}) */
    /* 32-bit dual (A6.3.6) */
    {0xe9c4, 0x2302, 0xe1c420f8}, /* strd r2, r3, [r4, #8] */
    {0xe964, 0x2302, 0xe16420f8}, /* strd r2, r3, [r4, #-8]! */
    {0xe8f4, 0x2302, 0xe0c420d8}, /* ldrd r2, r3, [r4], #8 */
    {0xe9df, 0x2304, 0xe1cf21d0}, /* ldrd r2, r3, [pc, #16] */
    /* 32-bit multiple (A6.3.5) */
    {0xe8a4, 0x0026, 0xe8a40026}, /* stmia.w r4!, {r1, r2, r5} */
    {0xe904, 0x0006, 0xe9040006}, /* stmdb r4, {r1, r2} */
    {0xe934, 0x0006, 0xe9340006}, /* ldmdb r4!, {r1, r2} */
    {0xe894, 0x0016, 0xe8940016}, /* ldmia.w r4, {r1, r2, r4} */
    {0xe92d, 0x4ff0, 0xe92d4ff0}, /* push {r4-r11, lr} (stmdb sp!) */
    {0xe8bd, 0x0ff0, 0xe8bd0ff0}, /* pop {r4-r11} (ldmia.w sp!) */
};

/* Every form with an A32 equivalent decodes as that equivalent does with the same registers. */
static void test_t32_as_a32(void **state)
{
	(void)state;
	for (u32 i = 0; i < sizeof(t32_pairs) / sizeof(t32_pairs[0]); i++) {
		const struct t32_pair *p = &t32_pairs[i];
		struct decoded_access a32;
		setup_t32_regs();
		regs[15] = (T32_PC + 4) & ~3u; /* as the A32 literal reads it */
		if (!decode_a32_ldst(p->a32, reg, NULL, &a32, err, sizeof(err))) {
			fail_msg("A32 0x%08x: %s", p->a32, err);
		}
		t32_ok(p->hw1, p->hw2, T32_PC);
		decode_same(&a32, &acc, 0);
	}
}

/* 16-bit single data items: fields, and the literal base Align(PC + 4, 4). */
static void test_t32_narrow_single(void **state)
{
	(void)state;
	setup_t32_regs();
	t32_ok(0x87d1, NARROW, T32_PC); /* strh r1, [r2, #62] */
	expect_single("STRH", 0x0900103e, 2, true, 1);
	t32_ok(0x5ed1, 0x0000, T32_PC); /* ldrsh r1, [r2, r3] */
	assert_string_equal(acc.mnemonic, "LDRSH");
	assert_int_equal(acc.op[0].addr, 0x09001003);
	assert_true(acc.op[0].sign_extend);
	assert_false(acc.op[0].store);
	t32_ok(0x9902, NARROW, T32_PC); /* ldr r1, [sp, #8] */
	assert_int_equal(acc.op[0].addr, 0x08000f08);
	t32_ok(0x4902, NARROW, 0x8002); /* ldr r1, [pc, #8]: Align(0x8006, 4) + 8 */
	assert_int_equal(acc.op[0].addr, 0x800c);
	t32_ok(0x4902, NARROW, 0x8004); /* ldr r1, [pc, #8]: 0x8008 + 8 */
	assert_int_equal(acc.op[0].addr, 0x8010);
}

/* expect_op: acc's operation i transfers register r at addr. */
static void expect_op(u32 i, u32 addr, unsigned r)
{
	assert_true(i < acc.n);
	assert_int_equal(acc.op[i].addr, addr);
	assert_int_equal(acc.op[i].reg, r);
}

/* expect_wb: acc writes value back to register r. */
static void expect_wb(unsigned r, u32 value)
{
	assert_true(acc.writeback);
	assert_int_equal(acc.wb_reg, r);
	assert_int_equal(acc.wb_value, value);
}

/* 16-bit block transfers: STM always writes back, LDM unless it loads Rn; PUSH and POP. */
static void test_t32_narrow_block(void **state)
{
	(void)state;
	setup_t32_regs();
	t32_ok(0xc20a, NARROW, T32_PC); /* stmia r2!, {r1, r3} */
	assert_string_equal(acc.mnemonic, "STM");
	assert_int_equal(acc.n, 2);
	expect_op(1, 0x09001004, 3);
	expect_wb(2, 0x09001008);
	t32_ok(0xca06, NARROW, T32_PC); /* ldmia r2, {r1, r2} */
	assert_string_equal(acc.mnemonic, "LDM");
	assert_false(acc.writeback);
	t32_ok(0xb506, NARROW, T32_PC); /* push {r1, r2, lr} */
	assert_int_equal(acc.n, 3);
	expect_op(0, 0x08000ef4, 1);
	expect_op(2, 0x08000efc, 14);
	expect_wb(13, 0x08000ef4);
	t32_ok(0xbc06, NARROW, T32_PC); /* pop {r1, r2} */
	assert_int_equal(acc.op[0].addr, 0x08000f00);
	assert_int_equal(acc.wb_value, 0x08000f08);
}

/* 32-bit single data items: imm12, imm8 forms, register LSL, literal. */
static void test_t32_wide_single(void **state)
{
	(void)state;
	setup_t32_regs();
	t32_ok(0xf9b2, 0x1ffe, T32_PC); /* ldrsh.w r1, [r2, #4094] */
	assert_string_equal(acc.mnemonic, "LDRSH");
	assert_int_equal(acc.op[0].addr, 0x09001ffe);
	assert_int_equal(acc.op[0].size, 2);
	assert_true(acc.op[0].sign_extend);
	t32_ok(0xf852, 0x1904, T32_PC); /* ldr.w r1, [r2], #-4 */
	assert_int_equal(acc.op[0].addr, 0x09001000);
	assert_true(acc.writeback);
	assert_int_equal(acc.wb_reg, 2);
	assert_int_equal(acc.wb_value, 0x09000ffc);
	t32_ok(0xf912, 0x1013, T32_PC); /* ldrsb.w r1, [r2, r3, lsl #1] */
	assert_string_equal(acc.mnemonic, "LDRSB");
	assert_int_equal(acc.op[0].addr, 0x09001006);
	assert_int_equal(acc.op[0].size, 1);
	t32_ok(0xf85f, 0x1008, 0x8002); /* ldr.w r1, [pc, #-8]: Align(0x8006, 4) - 8 */
	assert_int_equal(acc.op[0].addr, 0x7ffc);
	assert_false(acc.writeback);
}

/* decode_unprivileged knows every unprivileged form, those the decoders refuse too, and
 * nothing else (encodings from arm-none-eabi-as -march=armv7-a). */
static void test_unprivileged_forms(void **state)
{
	(void)state;
	static const u32 a32_yes[] = {
	    0xe4b01004, /* ldrt r1, [r0], #4 */
	    0xe4b11004, /* ldrt r1, [r1], #4 (UNPREDICTABLE: refused by the decoder) */
	    0xe4a01004, /* strt r1, [r0], #4 */
	    0xe4f01004, /* ldrbt r1, [r0], #4 */
	    0xe6a01102, /* strt r1, [r0], r2, lsl #2 */
	    0xe0e010b4, /* strht r1, [r0], #4 */
	    0xe0f010d4, /* ldrsbt r1, [r0], #4 */
	    0xe0f010f4, /* ldrsht r1, [r0], #4 */
	    0xe0b010b2, /* ldrht r1, [r0], r2 */
	};
	static const u32 a32_no[] = {
	    0xe4901004, /* ldr r1, [r0], #4 */
	    0xe5b01004, /* ldr r1, [r0, #4]! */
	    0xe0e020d8, /* ldrd r2, r3, [r0], #8 with W = 1 (UNPREDICTABLE, not a T form) */
	    0xf4b01004, /* the unconditional space */
	    0xe8a00006, /* stmia r0!, {r1, r2} */
	};
	static const u32 t32_yes[] = {
	    0xf852u | 0x1e04u << 16, /* ldrt r1, [r2, #4] */
	    0xf852u | 0xde00u << 16, /* ldrt sp, [r2] (UNPREDICTABLE: refused by the decoder) */
	    0xf932u | 0x1e04u << 16, /* ldrsht r1, [r2, #4] */
	    0xf842u | 0x1e04u << 16, /* strt r1, [r2, #4] */
	};
	static const u32 t32_no[] = {
	    0xf852u | 0x1c04u << 16, /* ldr.w r1, [r2, #-4] */
	    0xf8d2u | 0x1004u << 16, /* ldr.w r1, [r2, #4] */
	    0xf852u | 0x1b04u << 16, /* ldr.w r1, [r2], #4 */
	    0xf902u | 0x1e04u << 16, /* a signed store: Advanced SIMD */
	    0xf85fu | 0x1e04u << 16, /* Rn PC: a literal load */
	    0x6051u,		     /* str r1, [r2, #4] (16-bit) */
	};
	for (u32 i = 0; i < sizeof(a32_yes) / sizeof(a32_yes[0]); i++) {
		assert_true(decode_unprivileged(a32_yes[i], false));
	}
	for (u32 i = 0; i < sizeof(a32_no) / sizeof(a32_no[0]); i++) {
		assert_false(decode_unprivileged(a32_no[i], false));
	}
	for (u32 i = 0; i < sizeof(t32_yes) / sizeof(t32_yes[0]); i++) {
		assert_true(decode_unprivileged(t32_yes[i], true));
	}
	for (u32 i = 0; i < sizeof(t32_no) / sizeof(t32_no[0]); i++) {
		assert_false(decode_unprivileged(t32_no[i], true));
	}
}

/* The unprivileged forms: [Rn, #imm8], no writeback (unlike A32's post-indexed ones). */
static void test_t32_unprivileged(void **state)
{
	(void)state;
	static const struct {
		u16 hw1;
		const char *name;
		u8 size;
		bool store, sign;
	} forms[] = {
	    {0xf842, "STR", 4, true, false},   /* strt r1, [r2, #4] */
	    {0xf852, "LDR", 4, false, false},  /* ldrt r1, [r2, #4] */
	    {0xf802, "STRB", 1, true, false},  /* strbt r1, [r2, #4] */
	    {0xf812, "LDRB", 1, false, false}, /* ldrbt r1, [r2, #4] */
	    {0xf822, "STRH", 2, true, false},  /* strht r1, [r2, #4] */
	    {0xf832, "LDRH", 2, false, false}, /* ldrht r1, [r2, #4] */
	    {0xf912, "LDRSB", 1, false, true}, /* ldrsbt r1, [r2, #4] */
	    {0xf932, "LDRSH", 2, false, true}, /* ldrsht r1, [r2, #4] */
	};
	setup_t32_regs();
	for (u32 i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		t32_ok(forms[i].hw1, 0x1e04, T32_PC);
		expect_single(forms[i].name, 0x09001004, forms[i].size, forms[i].store, 1);
		assert_true(acc.unprivileged);
		assert_int_equal(acc.op[0].sign_extend, forms[i].sign);
	}
	t32_ok(0xf842, 0x1cff, T32_PC); /* str.w r1, [r2, #-255]: P=1 U=0 W=0 is not T */
	assert_false(acc.unprivileged);
}

/* LDRD/STRD: Rt2 need not be Rt + 1 in T32; the literal form. */
static void test_t32_dual(void **state)
{
	(void)state;
	setup_t32_regs();
	t32_ok(0xe9d4, 0x1500, T32_PC); /* ldrd r1, r5, [r4] */
	assert_string_equal(acc.mnemonic, "LDRD");
	assert_int_equal(acc.n, 2);
	assert_int_equal(acc.op[0].reg, 1);
	assert_int_equal(acc.op[1].reg, 5);
	assert_int_equal(acc.op[1].addr, 0x09002004);
	assert_false(acc.op[1].store);
	t32_ok(0xe964, 0x2302, T32_PC); /* strd r2, r3, [r4, #-8]! */
	assert_int_equal(acc.op[0].addr, 0x09001ff8);
	assert_true(acc.op[0].store && acc.op[1].store);
	assert_true(acc.writeback);
	assert_int_equal(acc.wb_value, 0x09001ff8);
	t32_ok(0xe9df, 0x2304, 0x8000); /* ldrd r2, r3, [pc, #16]: 0x8004 + 16 */
	assert_int_equal(acc.op[0].addr, 0x8014);
	assert_false(acc.writeback);
}

/* 32-bit block transfers: STM/STMDB/LDM/LDMDB, PUSH.W/POP.W. */
static void test_t32_wide_block(void **state)
{
	(void)state;
	setup_t32_regs();
	t32_ok(0xe904, 0x0006, T32_PC); /* stmdb r4, {r1, r2} */
	assert_string_equal(acc.mnemonic, "STM");
	assert_int_equal(acc.op[0].addr, 0x09001ff8);
	assert_int_equal(acc.op[1].addr, 0x09001ffc);
	assert_false(acc.writeback);
	t32_ok(0xe8bd, 0x0ff0, T32_PC); /* pop {r4-r11} */
	assert_string_equal(acc.mnemonic, "LDM");
	assert_int_equal(acc.n, 8);
	expect_op(7, 0x08000f1c, 11);
	expect_wb(13, 0x08000f20);
}

/* span and length for T32. */
static void test_t32_span_length(void **state)
{
	(void)state;
	setup_t32_regs();
	t32_ok(0xf8c2, 0x1fff, T32_PC); /* str.w r1, [r2, #4095] */
	assert_int_equal(acc.span, 4);
	t32_ok(0xe9c4, 0x2302, T32_PC); /* strd r2, r3, [r4, #8] */
	assert_int_equal(acc.span, 8);
	t32_ok(0xe92d, 0x4ff0, T32_PC); /* push {r4-r11, lr} */
	assert_int_equal(acc.span, 36);
	t32_ok(0x77d1, NARROW, T32_PC); /* strb r1, [r2, #31] */
	assert_int_equal(acc.span, 1);
	t32_ok(0xf852, 0x1904, T32_PC); /* ldr.w r1, [r2], #-4 */
	assert_int_equal(acc.span, 0);
	/* hw1[15:11] 0b11101, 0b11110, 0b11111 start a 32-bit instruction (A6.1). */
	assert_true(decode_t32_is_32bit(0xe800));  /* 11101 */
	assert_true(decode_t32_is_32bit(0xf000));  /* 11110 */
	assert_true(decode_t32_is_32bit(0xffff));  /* 11111 */
	assert_false(decode_t32_is_32bit(0xe7fe)); /* b . (11100) */
	assert_false(decode_t32_is_32bit(0x0000)); /* movs r0, r0 */
	assert_false(decode_t32_is_32bit(0xbd10)); /* pop {r4, pc} */
}

/* t32_refused: hw1 (hw2) is refused with a message holding name and why. */
static void t32_refused(u16 hw1, u16 hw2, const char *name, const char *why)
{
	setup_t32_regs();
	if (decode_t32_ldst(hw1, hw2, T32_PC, t32_reg, NULL, &acc, err, sizeof(err))) {
		fail_msg("0x%04x 0x%04x: decoded as %s", hw1, hw2, acc.mnemonic);
	}
	if (strstr(err, name) == NULL || strstr(err, why) == NULL) {
		fail_msg("0x%04x 0x%04x: message '%s' lacks '%s' or '%s'", hw1, hw2, err, name,
			 why);
	}
}

static void test_t32_refused(void **state)
{
	(void)state;
	/* 16-bit */
	t32_refused(0xbd10, NARROW, "POP", "branch");		   /* pop {r4, pc} */
	t32_refused(0xc900, NARROW, "LDM", "empty");		   /* ldm r1!, {} */
	t32_refused(0xb400, NARROW, "PUSH", "empty");		   /* push {} */
	t32_refused(0x1888, NARROW, "0x1888", "not a load/store"); /* adds r0, r1, r2 */
	/* exclusives, table branches, SRS/RFE */
	t32_refused(0xe852, 0x1f00, "LDREX", "exclusive");	/* ldrex r1, [r2] */
	t32_refused(0xe842, 0x1000, "STREX", "exclusive");	/* strex r0, r1, [r2] */
	t32_refused(0xe8d2, 0x1f4f, "LDREX", "exclusive");	/* ldrexb r1, [r2] */
	t32_refused(0xe8c4, 0x2370, "STREX", "exclusive");	/* strexd r0, r2, r3, [r4] */
	t32_refused(0xe8d1, 0xf002, "TBB", "table branch");	/* tbb [r1, r2] */
	t32_refused(0xe8d1, 0xf012, "TBH", "table branch");	/* tbh [r1, r2, lsl #1] */
	t32_refused(0xe82d, 0xc013, "SRS", "not a load/store"); /* srsdb sp!, #19 */
	t32_refused(0xe990, 0xc000, "RFE", "not a load/store"); /* rfeia r0 */
	/* preloads */
	t32_refused(0xf892, 0xf000, "PLD", "preload"); /* pld [r2] */
	t32_refused(0xf992, 0xf004, "PLI", "preload"); /* pli [r2, #4] */
	t32_refused(0xf812, 0xf003, "PLD", "preload"); /* pld [r2, r3] */
	t32_refused(0xf812, 0xfc04, "PLD", "preload"); /* pld [r2, #-4] */
	/* coprocessor, VFP and Advanced SIMD */
	t32_refused(0xed92, 0x0a00, "VLDR", "coprocessor");		  /* vldr s0, [r2] */
	t32_refused(0xed82, 0x0b00, "VSTR", "coprocessor");		  /* vstr d0, [r2] */
	t32_refused(0xed2d, 0x8b02, "VSTM", "coprocessor");		  /* vpush {d8} */
	t32_refused(0xed92, 0x5e00, "LDC", "coprocessor");		  /* ldc 14, cr5, [r2] */
	t32_refused(0xf922, 0x070f, "VLD", "Advanced SIMD");		  /* vld1.8 {d0}, [r2] */
	t32_refused(0xf902, 0x070f, "VST", "Advanced SIMD");		  /* vst1.8 {d0}, [r2] */
	t32_refused(0xeb01, 0x0002, "0xeb01 0x0002", "not a load/store"); /* add.w r0, r1, r2 */
	/* branches */
	t32_refused(0xf8d2, 0xf000, "LDR", "branch");	/* ldr.w pc, [r2] */
	t32_refused(0xe8bd, 0x8ff0, "LDM", "branch");	/* pop.w {r4-r11, pc} */
	t32_refused(0xe914, 0x8002, "LDMDB", "branch"); /* ldmdb r4, {r1, pc} */
	/* UNPREDICTABLE and UNDEFINED */
	t32_refused(0xf852, 0x2f04, "LDR", "writeback");	       /* ldr.w r2, [r2, #4]! */
	t32_refused(0xe9e2, 0x2302, "STRD", "writeback");	       /* strd r2, r3, [r2, #8]! */
	t32_refused(0xe9d4, 0x2200, "LDRD", "Rt == Rt2");	       /* ldrd r2, r2, [r4] */
	t32_refused(0xe9c4, 0xd302, "STRD", "SP or PC");	       /* strd sp, r3, [r4, #8] */
	t32_refused(0xe9cf, 0x2302, "STRD", "PC");		       /* strd r2, r3, [pc, #8] */
	t32_refused(0xe9ff, 0x2302, "LDRD", "literal with writeback"); /* ldrd r2, r3, [pc, #8]! */
	t32_refused(0xf8cf, 0x1004, "STR", "PC");		       /* str.w r1, [pc, #4] */
	t32_refused(0xf892, 0xd000, "LDRB", "SP");		       /* ldrb.w sp, [r2] */
	t32_refused(0xf842, 0xde04, "STRT", "SP");		       /* strt sp, [r2, #4] */
	t32_refused(0xf8c2, 0xf004, "STR", "PC");		       /* str.w pc, [r2, #4] */
	t32_refused(0xf912, 0xfd01, "LDRSB", "PC");	   /* ldrsb pc, [r2, #-1]! (objdump: pli) */
	t32_refused(0xf852, 0x100d, "LDR", "Rm SP or PC"); /* ldr.w r1, [r2, sp] */
	t32_refused(0xf852, 0x1804, "LDR", "UNDEFINED");   /* ldr.w r1, [r2], #-4 without W */
	t32_refused(0xf952, 0x1000, "0xf952", "UNDEFINED");	/* a sign-extending word load */
	t32_refused(0xe884, 0x0002, "STM", "fewer than two");	/* stmia.w r4, {r1} */
	t32_refused(0xe92d, 0x4000, "STMDB", "fewer than two"); /* stmdb sp!, {lr} */
	t32_refused(0xe8b4, 0x0030, "LDM", "writeback");	/* ldmia.w r4!, {r4, r5} */
	t32_refused(0xe8a4, 0x2006, "STM",
		    "SP in the register list");		     /* stmia.w r4!, {r1, r2, sp} */
	t32_refused(0xe8a4, 0x8006, "STM", "stores the PC"); /* stmia.w r4!, {r1, r2, pc} */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_str_forms),
	    cmocka_unit_test(test_extra_forms),
	    cmocka_unit_test(test_block_forms),
	    cmocka_unit_test(test_span),
	    cmocka_unit_test(test_cache),
	    cmocka_unit_test(test_refused),
	    cmocka_unit_test(test_cache_rm_is_rn),
	    cmocka_unit_test(test_cache_words),
	    cmocka_unit_test(test_cache_t32),
	    cmocka_unit_test(test_t32_as_a32),
	    cmocka_unit_test(test_t32_narrow_single),
	    cmocka_unit_test(test_t32_narrow_block),
	    cmocka_unit_test(test_t32_wide_single),
	    cmocka_unit_test(test_t32_unprivileged),
	    cmocka_unit_test(test_unprivileged_forms),
	    cmocka_unit_test(test_t32_dual),
	    cmocka_unit_test(test_t32_wide_block),
	    cmocka_unit_test(test_t32_span_length),
	    cmocka_unit_test(test_t32_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
