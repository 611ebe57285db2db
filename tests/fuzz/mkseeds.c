/* mkseeds: the generated part of the fuzz seed corpora (tests/fuzz/mkcorpus.sh runs it).
 * usage: mkseeds <corpus dir>
 * Writes into <dir>/walk: translation tables built with the testbed's own builder (pt_map) for
 * each format, with the registers and addresses that reach their sections, pages, blocks
 * and faults; and <dir>/fdt/guest.dtb: the DTB the hypervisor gives a guest. */
#include "hyp/guest_dtb.h"
#include "hyp/layout.h"
#include "tb/arm.h"
#include "tb/fdt.h"
#include "tb/lpae.h"
#include "tb/short_desc.h"
#include "testmem.h"
#include "walk_input.h"

#include <stdio.h>

#define SD_RW_ALL	 (3u << SD_SEC_AP_SHIFT) /* AP[1:0] = 0b11: read/write at PL0 and PL1 */
#define SD_PAGE_RW_ALL	 (3u << SD_PG_AP_SHIFT)
#define DACR_ALL_CLIENT	 0x55555555u
#define LPAE_S1_RW_ALL	 (((u64)LPAE_AP_RW_ALL << LPAE_AP_SHIFT) | LPAE_AF)
#define LPAE_S1_RO_ALL	 (((u64)LPAE_AP_RO_ALL << LPAE_AP_SHIFT) | LPAE_AF)
#define TTBCR_T1SZ_SHIFT 16
#define CHUNK_GAP	 64u /* zero bytes that end a chunk of memory */
#define CHUNK_PAD	 32u /* zero bytes kept on either side of a chunk */
#define ACC_READ	 0u
#define ACC_WRITE	 (1u << WALK_FLAG_ACC_SHIFT)
#define IA_SEL(bits)	 ((bits)-25u) /* fuzz_walk: ia_bits = 25 + ia_sel */
#define FULL_SECTION_MAX 20u
#define PAGE_SHIFT	 12u
#define L2_BLOCK_SHIFT	 21u
#define L1_BLOCK_SHIFT	 30u

static const char *corpus;

/* put_le: n bytes of v, little-endian. */
static void put_le(FILE *f, u64 v, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		fputc((int)((v >> (8 * i)) & 0xff), f);
	}
}

/* put_chunks: the non-zero parts of the fake memory, as fuzz_walk chunks. */
static void put_chunks(FILE *f, const struct testmem *m)
{
	u32 nchunks = 0;
	u32 at = 0;
	while (at < m->next && nchunks < WALK_MAX_CHUNKS) {
		while (at < m->next && m->bytes[at] == 0) {
			at++;
		}
		if (at >= m->next) {
			break;
		}
		u32 start = at & ~7u, end = start, zeros = 0;
		for (at = start; at < m->next && zeros < CHUNK_GAP; at++) {
			zeros = m->bytes[at] == 0 ? zeros + 1 : 0;
			end = m->bytes[at] != 0 ? ALIGN_UP(at + 1, 8u) : end;
		}
		/* Some invalid entries around the valid ones, for translation faults. */
		start = start > CHUNK_PAD ? start - CHUNK_PAD : 0;
		end = end + CHUNK_PAD < m->next ? end + CHUNK_PAD : m->next;
		at = end;
		put_le(f, TESTMEM_BASE + start, WALK_CHUNK_BASE_BYTES);
		put_le(f, end - start, WALK_CHUNK_LEN_BYTES);
		fwrite(m->bytes + start, 1, end - start, f);
		nchunks++;
	}
}

/* write_walk: one fuzz_walk input: the registers, then the memory. */
static void write_walk(const char *name, const struct walk_regs *regs, const struct testmem *m)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/walk/%s", corpus, name);
	FILE *f = fopen(path, "wb");
	if (f == NULL) {
		perror(path);
		exit(1);
	}
#define WALK_FIELD_WRITE(field, bytes) put_le(f, regs->field, bytes);
	WALK_FIELDS(WALK_FIELD_WRITE)
#undef WALK_FIELD_WRITE
	put_chunks(f, m);
	if (fclose(f) != 0) {
		perror(path);
		exit(1);
	}
}

/* A seed's name and the address it translates. */
struct named_va {
	const char *name;
	u32 va;
};

/* s1_regs: the registers of a seed with the stage-1 MMU on; the direct walk of the fmt in
 * flags covers ia_bits from ttbr0. */
static struct walk_regs s1_regs(u32 flags, u32 ia_bits, u32 ttbcr, u32 dacr, paddr_t ttbr0,
				paddr_t ttbr1)
{
	struct walk_regs r = {.flags = flags,
			      .ia_sel = IA_SEL(ia_bits),
			      .sctlr = SCTLR_M,
			      .ttbcr = ttbcr,
			      .dacr = dacr,
			      .ttbr0 = ttbr0,
			      .ttbr1 = ttbr1};
	return r;
}

/* write_vas: one seed per address, used as s1_translate's VA and as the direct walk's IA. */
static void write_vas(struct walk_regs regs, const struct testmem *m, const struct named_va *vas,
		      size_t n)
{
	for (size_t i = 0; i < n; i++) {
		regs.va = regs.ia = vas[i].va;
		write_walk(vas[i].name, &regs, m);
	}
}

/* map: pt_map that must succeed. */
static void map(const struct pt_regime *r, struct testmem *m, u64 ia, paddr_t pa, u64 size,
		u64 attrs, u32 max_shift)
{
	struct pt_mem ops = testmem_ops(m);
	enum pt_status s = pt_map(r, &ops, ia, pa, size, attrs, max_shift);
	if (s != PT_OK) {
		fprintf(stderr, "mkseeds: pt_map 0x%llx: %s\n", ia, pt_status_str(s));
		exit(1);
	}
}

/* new_regime: a regime of fmt over ia_bits with a fresh root table in m. */
static struct pt_regime new_regime(struct testmem *m, const struct pt_format *fmt, u32 ia_bits)
{
	struct pt_regime r;
	pt_regime_init(&r, fmt, 0, ia_bits);
	u32 bytes = pt_table_bytes(&r, pt_start_index(&r));
	pt_regime_init(&r, fmt, tm_alloc(m, bytes < PAGE_SIZE_4K ? PAGE_SIZE_4K : bytes), ia_bits);
	return r;
}

/* put32: a descriptor written by hand (encodings pt_map does not make). */
static void put32(struct testmem *m, paddr_t pa, u32 v)
{
	tm_write(m, pa, 4, v);
}

/* short_seeds: sections, small and large pages, a supersection and a fault (TTBCR.N = 0),
 * then a TTBR0/TTBR1 split (N = 1). */
static void short_seeds(void)
{
	struct testmem *m = testmem_new();
	struct pt_regime r = new_regime(m, &pt_short, 32);
	map(&r, m, 0x40000000, 0x40000000, 2 * MiB, SD_RW_ALL, FULL_SECTION_MAX);
	map(&r, m, 0x80001000, 0x40005000, 2 * PAGE_SIZE_4K, SD_RW_ALL, PAGE_SHIFT);
	struct pt_walk w;
	struct pt_mem ops = testmem_ops(m);
	pt_walk(&r, &ops, 0x80001000, &w);
	paddr_t l2 = (u32)w.desc[0] & SD_L1_TABLE_BASE; /* the level-2 table of 0x80000000 */
	for (u32 i = 16; i < 32; i++) {
		put32(m, l2 + 4 * i, 0x40100000u | SD_L2_LARGE | SD_PAGE_RW_ALL); /* 0x80010000 */
	}
	for (u32 i = 0; i < 16; i++) {
		put32(m, r.root + 4 * ((0xa0000000u >> 20) + i),
		      0x41000000u | SD_L1_SUPERSECTION | SD_L1_SECTION | SD_RW_ALL);
	}
	const struct named_va vas[] = {{"short-section", 0x40000123},
				       {"short-page", 0x80001234},
				       {"short-large", 0x80012345},
				       {"short-super", 0xa0123456},
				       {"short-fault", 0x80100000}};
	write_vas(s1_regs(WALK_FMT_SHORT | ACC_READ, 32, 0, DACR_ALL_CLIENT, r.root, 0), m, vas,
		  ARRAY_SIZE(vas));
	testmem_free(m);

	m = testmem_new();
	struct pt_regime r0 = new_regime(m, &pt_short, 31);
	struct pt_regime r1 = new_regime(m, &pt_short, 32);
	map(&r0, m, 0x00100000, 0x40100000, MiB, SD_RW_ALL, FULL_SECTION_MAX);
	map(&r1, m, 0xc0000000, 0x40000000, PAGE_SIZE_4K, SD_RW_ALL, PAGE_SHIFT);
	const struct named_va split[] = {{"short-split-ttbr1", 0xc0000010},
					 {"short-split-ttbr0", 0x00100010}};
	/* TTBCR.N = 1: TTBR0 below 2 GiB. */
	write_vas(s1_regs(WALK_FMT_SHORT | ACC_WRITE, 31, 1, DACR_ALL_CLIENT, r0.root, r1.root), m,
		  split, ARRAY_SIZE(split));
	testmem_free(m);
}

/* lpae_s1_seeds: 1 GiB and 2 MiB blocks and pages under TTBR0 alone, then a split with a
 * gap between the TTBR0 and TTBR1 regions (T0SZ = 1, T1SZ = 2). */
static void lpae_s1_seeds(void)
{
	struct testmem *m = testmem_new();
	struct pt_regime r = new_regime(m, &pt_lpae_s1, 32);
	map(&r, m, 0x40000000, 0x40000000, 2 * MiB, LPAE_S1_RW_ALL, L2_BLOCK_SHIFT);
	map(&r, m, 0x80001000, 0x50001000, 2 * PAGE_SIZE_4K, LPAE_S1_RO_ALL, PAGE_SHIFT);
	map(&r, m, 0xc0000000, 0xc0000000, 1u << L1_BLOCK_SHIFT, LPAE_S1_RW_ALL, L1_BLOCK_SHIFT);
	const struct named_va vas[] = {{"lpae-block2m", 0x40012345},
				       {"lpae-page", 0x80001abc},
				       {"lpae-block1g", 0xc1234567},
				       {"lpae-fault", 0x80003000}};
	write_vas(s1_regs(WALK_FMT_LPAE_S1 | ACC_READ, 32, TTBCR_EAE, 0, r.root, 0), m, vas,
		  ARRAY_SIZE(vas));
	testmem_free(m);

	m = testmem_new();
	struct pt_regime r0 = new_regime(m, &pt_lpae_s1, 31);
	struct pt_regime r1 = new_regime(m, &pt_lpae_s1, 30);
	map(&r0, m, 0x00200000, 0x40200000, PAGE_SIZE_4K, LPAE_S1_RW_ALL, PAGE_SHIFT);
	map(&r1, m, 0x00201000, 0x40201000, PAGE_SIZE_4K, LPAE_S1_RW_ALL, PAGE_SHIFT);
	u32 ttbcr = TTBCR_EAE | 1u | (2u << TTBCR_T1SZ_SHIFT);
	const struct named_va split[] = {{"lpae-split-ttbr1", 0xc0201abc},
					 {"lpae-split-ttbr0", 0x00200abc},
					 {"lpae-split-gap", 0x90000000}};
	write_vas(s1_regs(WALK_FMT_LPAE_S1 | ACC_WRITE, 31, ttbcr, 0, r0.root, r1.root), m, split,
		  ARRAY_SIZE(split));
	testmem_free(m);
}

/* lpae_s2_seeds: stage-2 pages and blocks over a 32-bit IPA space, and a 40-bit one that
 * starts with two concatenated level-1 tables (the stage-1 MMU is off in these). */
static void lpae_s2_seeds(void)
{
	const u64 rw = lpae_s2_attrs(LPAE_S2_MEMATTR_NORMAL_WB, LPAE_S2AP_RW, LPAE_SH_INNER, false);
	struct testmem *m = testmem_new();
	struct pt_regime r = new_regime(m, &pt_lpae_s2, 32);
	map(&r, m, 0x401ff000, 0x441ff000, 2 * MiB + 2 * PAGE_SIZE_4K, rw, L2_BLOCK_SHIFT);
	/* SCTLR.M clear: s1_translate is the identity; the direct walk is the point. */
	struct walk_regs regs = {
	    .flags = WALK_FMT_LPAE_S2, .ia_sel = IA_SEL(32), .ttbr0 = r.root, .ia = 0x401ff010};
	write_walk("s2-page", &regs, m);
	regs.ia = 0x40212345;
	write_walk("s2-block", &regs, m);
	testmem_free(m);

	m = testmem_new();
	r = new_regime(m, &pt_lpae_s2, 40);
	map(&r, m, 0x8040000000ull, 0x40000000, PAGE_SIZE_4K, rw, PAGE_SHIFT);
	regs = (struct walk_regs){.flags = WALK_FMT_LPAE_S2,
				  .ia_sel = IA_SEL(40),
				  .ttbr0 = r.root,
				  .ia = 0x8040000abcull};
	write_walk("s2-40bit", &regs, m);
	testmem_free(m);
}

/* guest_dtb_seed: the DTB vm_boot builds for a guest. */
static void guest_dtb_seed(void)
{
	static u8 buf[GUEST_DTB_MAX];
	const char args[] = "bench=all reps=3";
	const struct guest_dtb_params p = {GUEST_RAM_IPA,    64u * MiB, args,
					   sizeof(args) - 1, "shadow",	PL011_IPA};
	int size = guest_dtb_build(buf, sizeof(buf), &p);
	char path[512];
	snprintf(path, sizeof(path), "%s/fdt/guest.dtb", corpus);
	FILE *f = fopen(path, "wb");
	if (size < 0 || f == NULL || fwrite(buf, 1, (size_t)size, f) != (size_t)size ||
	    fclose(f) != 0) {
		fprintf(stderr, "mkseeds: cannot write %s (%s)\n", path,
			size < 0 ? fdt_strerror(size) : "I/O error");
		exit(1);
	}
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds <corpus dir>\n");
		return 2;
	}
	corpus = argv[1];
	short_seeds();
	lpae_s1_seeds();
	lpae_s2_seeds();
	guest_dtb_seed();
	return 0;
}
