/* libFuzzer harness for the load/store decoders (hyp/src/decode.c decode_a32_ldst and
 * decode_cached, hyp/src/decode_t32.c decode_t32_ldst): guest-controlled instruction
 * words, decoded with guest-controlled register values, as the hypervisor does for an
 * access that aborts without a syndrome.
 *
 * Input: one byte choosing the instruction set (bit 0: T32), a 32-bit A32 word or two T32
 * halfwords, the instruction's address, then the values of r0-r14. Checked for every
 * decoding: the T32 decoder never asks for r15 (its PC is the instruction's address + 4,
 * A6.1); an accepted access has 1 to DECODE_MAX_OPS operations of 1, 2 or 4 bytes on
 * registers r0-r15, its length is the instruction's (4 for A32; 2 or 4 for T32, by the first
 * halfword: A6.1), a writeback names a register other than the PC, and `span`, when set,
 * covers stores that follow one another from op[0].addr; a refusal says why, in a
 * NUL-terminated message; decode_unprivileged agrees with an accepted decoding. Both sets:
 * the decode cache accepts what the decoder accepts, and its decoding applied to the base
 * register's value equals the direct one. */
#include "fuzz.h"
#include "hyp/decode.h"

#define T32_FLAG 1u

struct regs {
	u32 r[15];
	u32 pc;
	bool thumb;
};

/* reg: decode_reg_fn over the input's registers (r15: the A32 PC, instruction + 8). */
static u32 reg(void *ctx, unsigned n)
{
	const struct regs *rs = ctx;
	FUZZ_CHECK(n <= 16, "register %u asked for", n);
	FUZZ_CHECK(!(rs->thumb && n == 15), "the T32 decoder asked for r15");
	return n == 15 ? rs->pc + 8 : n == 16 ? 0 : rs->r[n];
}

/* check_access: the invariants of an accepted decoding a of an instruction length bytes
 * long. */
static void check_access(const struct decoded_access *a, u32 length)
{
	FUZZ_CHECK(a->n >= 1 && a->n <= DECODE_MAX_OPS, "%u operations", a->n);
	FUZZ_CHECK(a->length == length, "length %u, expected %u", a->length, length);
	FUZZ_CHECK(a->mnemonic != NULL && a->mnemonic[0] != '\0', "no mnemonic");
	for (u32 i = 0; i < a->n; i++) {
		const struct mem_op *op = &a->op[i];
		FUZZ_CHECK(op->size == 1 || op->size == 2 || op->size == 4, "op %u of %u bytes", i,
			   op->size);
		FUZZ_CHECK(op->reg <= 15, "op %u on register %u", i, op->reg);
		FUZZ_CHECK(!(op->store && op->sign_extend), "op %u a sign-extending store", i);
	}
	FUZZ_CHECK(!a->writeback || a->wb_reg < 15, "writeback to register %u", a->wb_reg);
	if (a->span != 0) {
		u32 next = a->op[0].addr;
		for (u32 i = 0; i < a->n; i++) {
			FUZZ_CHECK(a->op[i].store && a->op[i].addr == next,
				   "span %u, but op %u is not the store after the one before",
				   a->span, i);
			next += a->op[i].size;
		}
		FUZZ_CHECK(next - a->op[0].addr == a->span, "span %u over %u bytes", a->span,
			   next - a->op[0].addr);
	}
}

/* check_refusal: a refusal's message. */
static void check_refusal(const char *err, size_t errlen)
{
	FUZZ_CHECK(memchr(err, '\0', errlen) != NULL && err[0] != '\0', "no reason given");
}

/* same_access: are a and b (b's addresses and writeback value bias more) the same? */
static bool same_access(const struct decoded_access *a, const struct decoded_access *b, u32 bias)
{
	if (a->n != b->n || a->writeback != b->writeback || a->length != b->length ||
	    a->unprivileged != b->unprivileged || a->span != b->span ||
	    (a->writeback && (a->wb_reg != b->wb_reg || a->wb_value != b->wb_value + bias))) {
		return false;
	}
	for (u32 i = 0; i < a->n; i++) {
		const struct mem_op *x = &a->op[i], *y = &b->op[i];
		if (x->addr != y->addr + bias || x->size != y->size || x->store != y->store ||
		    x->sign_extend != y->sign_extend || x->reg != y->reg) {
			return false;
		}
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	struct regs rs;
	struct decoded_access a, own;
	char err[96];
	u8 mode = (u8)fuzz_le(&in, 1);
	u32 word = (u32)fuzz_le(&in, 4);
	rs.pc = (u32)fuzz_le(&in, 4);
	fuzz_bytes(&in, rs.r, sizeof(rs.r));
	rs.thumb = (mode & T32_FLAG) != 0;
	memset(err, 0, sizeof(err));
	bool ok;
	if (rs.thumb) {
		u16 hw1 = (u16)word, hw2 = (u16)(word >> 16);
		rs.pc &= ~1u;
		if (!decode_t32_is_32bit(hw1)) {
			word = hw1; /* as the decode cache keys a 16-bit instruction */
		}
		ok = decode_t32_ldst(hw1, hw2, rs.pc, reg, &rs, &a, err, sizeof(err));
		if (ok) {
			check_access(&a, decode_t32_is_32bit(hw1) ? 4 : 2);
		}
	} else {
		rs.pc &= ~3u;
		ok = decode_a32_ldst(word, reg, &rs, &a, err, sizeof(err));
		if (ok) {
			check_access(&a, 4);
		}
	}
	if (!ok) {
		check_refusal(err, sizeof(err));
	}
	FUZZ_CHECK(!ok || a.unprivileged == decode_unprivileged(word, rs.thumb),
		   "decode_unprivileged disagrees with the decoder");
	/* The cache: a decoding kept with the base as zero, applied to the base's value. */
	static struct decode_cache cache;
	u32 bias;
	const struct decoded_access *c =
	    decode_cached(&cache, rs.pc, rs.thumb, word, reg, &rs, &bias, &own, err, sizeof(err));
	FUZZ_CHECK((c != NULL) == ok, "the cache %s what the decoder %s", c ? "accepts" : "refuses",
		   ok ? "accepts" : "refuses");
	FUZZ_CHECK(c == NULL || same_access(&a, c, bias), "the cached decoding differs");
	return 0;
}
