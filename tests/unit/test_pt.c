/* The shared table description, walker and builder: LPAE stage 2 (what mm-stage2 builds),
 * LPAE stage 1 and short-descriptor (what guests build), and guest regime selection. */
#include "tb/lpae.h"
#include "tb/short_desc.h"
#include "testmem.h"

#define TTBCR_EAE_TEST 0x80000000u

struct fixture {
	struct testmem *m;
	struct pt_mem ops;
	struct pt_regime r;
};

static struct fixture fx_new(const struct pt_format *f, u32 ia_bits)
{
	struct fixture fx;
	fx.m = testmem_new();
	fx.ops = testmem_ops(fx.m);
	pt_regime_init(&fx.r, f, 0, ia_bits);
	u32 root_bytes = pt_table_bytes(&fx.r, pt_start_index(&fx.r));
	fx.r.root = tm_alloc(fx.m, root_bytes < 4096 ? 4096 : root_bytes);
	fx.m->tables = 0;
	return fx;
}

static u64 s2_rw(void)
{
	return lpae_s2_attrs(LPAE_S2_MEMATTR_NORMAL_WB, LPAE_S2AP_RW, LPAE_SH_INNER, false);
}

static void test_s2_page(void **state)
{
	(void)state;
	struct fixture fx = fx_new(&pt_lpae_s2, 32);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40001000, 0x44001000, 0x1000, s2_rw(), 12),
			 PT_OK);
	assert_int_equal(fx.m->tables, 2); /* a level-2 and a level-3 table */
	struct pt_walk w;
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x40001abc, &w), PT_OK);
	assert_int_equal(w.level, 3);
	assert_int_equal(w.size_shift, 12);
	assert_int_equal(w.out, 0x44001abc);
	assert_int_equal(w.depth, 3);
	assert_int_equal(lpae_s2ap(w.leaf), LPAE_S2AP_RW);
	assert_int_equal(lpae_s2_memattr(w.leaf), LPAE_S2_MEMATTR_NORMAL_WB);
	assert_int_equal(lpae_sh(w.leaf), LPAE_SH_INNER);
	assert_true(w.leaf & LPAE_AF);
	assert_false(w.leaf & LPAE_XN);
	assert_int_equal(w.leaf & 3, 3); /* level 3 page encoding */
	/* Neighbours are not mapped: translation fault at level 3. */
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x40002000, &w), PT_FAULT_TRANSLATION);
	assert_int_equal(w.level, 3);
	/* Another gigabyte: fault at level 1. */
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x80000000, &w), PT_FAULT_TRANSLATION);
	assert_int_equal(w.level, 1);
	testmem_free(fx.m);
}

static void test_s2_blocks_and_pages(void **state)
{
	(void)state;
	struct fixture fx = fx_new(&pt_lpae_s2, 32);
	/* 4 KiB below a 2 MiB boundary to 4 KiB past the next one: page, block, page. */
	u64 ipa = 0x401ff000, pa = 0x441ff000, size = 0x1000 + 0x200000 + 0x1000;
	assert_int_equal(pt_map(&fx.r, &fx.ops, ipa, pa, size, s2_rw(), 21), PT_OK);
	struct pt_walk w;
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x401ff010, &w), PT_OK);
	assert_int_equal(w.level, 3);
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x40212345, &w), PT_OK);
	assert_int_equal(w.level, 2);
	assert_int_equal(w.size_shift, 21);
	assert_int_equal(w.out, 0x44212345);
	assert_int_equal(w.leaf & 3, 1); /* block encoding */
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x40400ff0, &w), PT_OK);
	assert_int_equal(w.level, 3);
	assert_int_equal(w.out, 0x44400ff0);
	/* With a 4 KiB cap the same range is all pages. */
	struct fixture fx4 = fx_new(&pt_lpae_s2, 32);
	assert_int_equal(pt_map(&fx4.r, &fx4.ops, ipa, pa, size, s2_rw(), 12), PT_OK);
	assert_int_equal(pt_walk(&fx4.r, &fx4.ops, 0x40212345, &w), PT_OK);
	assert_int_equal(w.level, 3);
	testmem_free(fx.m);
	testmem_free(fx4.m);
}

static void test_s2_permissions_and_device(void **state)
{
	(void)state;
	struct fixture fx = fx_new(&pt_lpae_s2, 32);
	u64 ro = lpae_s2_attrs(LPAE_S2_MEMATTR_NORMAL_WB, LPAE_S2AP_RO, LPAE_SH_INNER, true);
	u64 dev = lpae_s2_attrs(LPAE_S2_MEMATTR_DEVICE, LPAE_S2AP_RW, LPAE_SH_NONE, true);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40000000, 0x40000000, 0x1000, ro, 12), PT_OK);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x09000000, 0x09000000, 0x1000, dev, 12), PT_OK);
	struct pt_walk w;
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x40000000, &w), PT_OK);
	assert_int_equal(lpae_s2ap(w.leaf), LPAE_S2AP_RO);
	assert_true(w.leaf & LPAE_XN);
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x09000018, &w), PT_OK);
	assert_int_equal(lpae_s2_memattr(w.leaf), LPAE_S2_MEMATTR_DEVICE);
	assert_int_equal(lpae_sh(w.leaf), LPAE_SH_NONE);
	assert_int_equal(w.out, 0x09000018);
	testmem_free(fx.m);
}

static void test_s2_errors(void **state)
{
	(void)state;
	struct fixture fx = fx_new(&pt_lpae_s2, 32);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40000800, 0x44000000, 0x1000, s2_rw(), 12),
			 PT_ERR_ALIGN);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40000000, 0x44000000, 0x1000, s2_rw(), 12),
			 PT_OK);
	/* The same mapping again is harmless; a different one needs break-before-make. */
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40000000, 0x44000000, 0x1000, s2_rw(), 12),
			 PT_OK);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40000000, 0x45000000, 0x1000, s2_rw(), 12),
			 PT_ERR_EXISTS);
	/* A block cannot go where a table already is. */
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40000000, 0x44000000, 0x200000, s2_rw(), 21),
			 PT_ERR_EXISTS);
	/* Unmap, then remap elsewhere. */
	assert_int_equal(pt_unmap(&fx.r, &fx.ops, 0x40000000, 0x1000), PT_OK);
	struct pt_walk w;
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x40000000, &w), PT_FAULT_TRANSLATION);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40000000, 0x45000000, 0x1000, s2_rw(), 12),
			 PT_OK);
	/* Out of the 32-bit IPA space. */
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x100000000ull, 0, 0x1000, s2_rw(), 12),
			 PT_ERR_RANGE);
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x100000000ull, &w), PT_ERR_RANGE);
	/* Unmapping part of a block would split it. */
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40400000, 0x44400000, 0x200000, s2_rw(), 21),
			 PT_OK);
	assert_int_equal(pt_unmap(&fx.r, &fx.ops, 0x40400000, 0x1000), PT_ERR_ALIGN);
	assert_int_equal(pt_unmap(&fx.r, &fx.ops, 0x40400000, 0x200000), PT_OK);
	testmem_free(fx.m);
}

static void test_s2_out_of_tables(void **state)
{
	(void)state;
	struct fixture fx = fx_new(&pt_lpae_s2, 32);
	fx.m->limit = fx.m->next + 4096; /* room for one more table only */
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40000000, 0x44000000, 0x1000, s2_rw(), 12),
			 PT_ERR_NOMEM);
	testmem_free(fx.m);
}

static void test_walk_table_outside_memory(void **state)
{
	(void)state;
	struct fixture fx = fx_new(&pt_lpae_s2, 32);
	/* A level-1 table descriptor pointing outside the fake memory. */
	tm_write(fx.m, fx.r.root + 8, 8, pt_lpae_s2.make_table(0x10000000));
	struct pt_walk w;
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x40000000, &w), PT_FAULT_BUS);
	assert_int_equal(w.level, 2);
	testmem_free(fx.m);
}

/* A 40-bit stage-2 input starts with two concatenated level-1 tables (B3.6.6): IPA bit 39
 * selects the second one instead of being dropped (found by fuzz_walk). */
static void test_s2_40bit_concatenated(void **state)
{
	(void)state;
	struct fixture fx = fx_new(&pt_lpae_s2, 40);
	assert_int_equal(pt_start_index(&fx.r), 0);
	assert_int_equal(pt_table_bytes(&fx.r, 0), 8192);
	const u64 high = 1ull << 39;
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40000000, 0x44000000, 0x1000, s2_rw(), 12),
			 PT_OK);
	assert_int_equal(pt_map(&fx.r, &fx.ops, high | 0x40000000, 0x45000000, 0x1000, s2_rw(), 12),
			 PT_OK);
	struct pt_walk w;
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x40000123, &w), PT_OK);
	assert_int_equal(w.out, 0x44000123);
	assert_int_equal(w.desc_pa[0], fx.r.root + 8 * 1);
	assert_int_equal(pt_walk(&fx.r, &fx.ops, high | 0x40000123, &w), PT_OK);
	assert_int_equal(w.out, 0x45000123);
	assert_int_equal(w.desc_pa[0], fx.r.root + 8 * (512 + 1));
	testmem_free(fx.m);
}

static void test_short_sections_and_pages(void **state)
{
	(void)state;
	struct fixture fx = fx_new(&pt_short, 32);
	u32 normal = (1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B | (3u << SD_SEC_AP_SHIFT);
	u32 ro_xn = (1u << SD_SEC_AP_SHIFT) | SD_SEC_APX | SD_SEC_XN | SD_SEC_NG;
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40000000, 0x40000000, 0x200000, normal, 20),
			 PT_OK);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x80001000, 0x40305000, 0x1000, ro_xn, 12), PT_OK);
	struct pt_walk w;
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x40123456, &w), PT_OK);
	assert_int_equal(w.level, 1);
	assert_int_equal(w.size_shift, 20);
	assert_int_equal(w.out, 0x40123456);
	assert_int_equal((u32)w.leaf & ~SD_SECTION_BASE, normal | SD_L1_SECTION);
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x80001234, &w), PT_OK);
	assert_int_equal(w.level, 2);
	assert_int_equal(w.out, 0x40305234);
	/* The section-layout attributes landed in their small-page positions. */
	u32 d = (u32)w.leaf;
	assert_true(d & SD_L2_SMALL_XN);
	assert_true(d & SD_PG_APX);
	assert_true(d & SD_PG_NG);
	assert_int_equal(BITS(d, 5, 4), 1);
	assert_int_equal(d & SD_L2_SMALL_BASE, 0x40305000);
	assert_int_equal(pt_table_bytes(&fx.r, 1), 1024);
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x80002000, &w), PT_FAULT_TRANSLATION);
	assert_int_equal(w.level, 2);
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x30000000, &w), PT_FAULT_TRANSLATION);
	assert_int_equal(w.level, 1);
	testmem_free(fx.m);
}

static void test_short_supersection_and_large_page(void **state)
{
	(void)state;
	struct fixture fx = fx_new(&pt_short, 32);
	/* Supersection at VA 0x12000000 -> PA 0x3_45000000: its 16 entries repeat. */
	u32 super =
	    0x45000000u | (3u << SD_SUPER_PA3532_SHIFT) | SD_L1_SUPERSECTION | SD_L1_SECTION;
	for (u32 i = 0; i < 16; i++) {
		tm_write(fx.m, fx.r.root + 4 * ((0x12000000u >> 20) + i), 4, super);
	}
	struct pt_walk w;
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x12abcdef, &w), PT_OK);
	assert_int_equal(w.size_shift, 24);
	assert_int_equal(w.out, 0x345abcdefull);
	/* Large page: an L2 table with 16 repeated entries. */
	paddr_t l2 = tm_alloc(fx.m, 1024);
	tm_write(fx.m, fx.r.root + 4 * (0x20000000u >> 20), 4, pt_short.make_table(l2));
	for (u32 i = 0; i < 16; i++) {
		tm_write(fx.m, l2 + 4 * (0x10 + i), 4, 0x50010000u | SD_L2_LARGE);
	}
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x2001abcd, &w), PT_OK);
	assert_int_equal(w.size_shift, 16);
	assert_int_equal(w.level, 2);
	assert_int_equal(w.out, 0x5001abcd);
	/* Unmapping a replicated leaf clears every copy. */
	assert_int_equal(pt_unmap(&fx.r, &fx.ops, 0x12000000, 0x1000000), PT_OK);
	for (u32 i = 0; i < 16; i++) {
		u64 d;
		tm_read(fx.m, fx.r.root + 4 * ((0x12000000u >> 20) + i), 4, &d);
		assert_int_equal(d, 0);
	}
	assert_int_equal(pt_unmap(&fx.r, &fx.ops, 0x20010000, 0x10000), PT_OK);
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x2001f000, &w), PT_FAULT_TRANSLATION);
	testmem_free(fx.m);
}

static void test_lpae_s1_level3_reserved_encoding(void **state)
{
	(void)state;
	struct fixture fx = fx_new(&pt_lpae_s1, 32);
	u64 attrs = LPAE_AF;
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x1000, 0x5000, 0x1000, attrs, 12), PT_OK);
	struct pt_walk w;
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x1004, &w), PT_OK);
	/* Turn the page into the reserved "block at level 3" encoding: it must fault. */
	tm_write(fx.m, w.desc_pa[2], 8, w.leaf & ~LPAE_TYPE_TABLE);
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x1004, &w), PT_FAULT_TRANSLATION);
	assert_int_equal(w.level, 3);
	testmem_free(fx.m);
}

static void test_guest_regime_short(void **state)
{
	(void)state;
	struct pt_regime r;
	assert_true(pt_guest_regime(0, 0x40004000, 0x40008000, 0xc0000000, &r));
	assert_ptr_equal(r.fmt, &pt_short);
	assert_int_equal(r.root, 0x40004000);
	assert_int_equal(r.ia_bits, 32);
	/* N=2: TTBR0 covers the low 1 GiB with a 4 KiB table; TTBR1 the rest. */
	assert_true(pt_guest_regime(2, 0x40001000 | 0x5b, 0x40008000, 0x3fffffff, &r));
	assert_int_equal(r.root, 0x40001000);
	assert_int_equal(r.ia_bits, 30);
	assert_int_equal(pt_table_bytes(&r, 0), 4096);
	assert_true(pt_guest_regime(2, 0x40001000, 0x40008000 | 0x19, 0x40000000, &r));
	assert_int_equal(r.root, 0x40008000);
	assert_int_equal(r.ia_bits, 32);
	/* TTBCR.PD0 / PD1 disable the walks through TTBR0 / TTBR1 (found by fuzz_walk). */
	const u32 pd0 = 1u << 4, pd1 = 1u << 5;
	assert_false(pt_guest_regime(2 | pd0, 0x40001000, 0x40008000, 0x3fffffff, &r));
	assert_true(pt_guest_regime(2 | pd0, 0x40001000, 0x40008000, 0x40000000, &r));
	assert_false(pt_guest_regime(2 | pd1, 0x40001000, 0x40008000, 0x40000000, &r));
	assert_true(pt_guest_regime(2 | pd1, 0x40001000, 0x40008000, 0x3fffffff, &r));
	assert_false(pt_guest_regime(pd0, 0x40004000, 0x40008000, 0xc0000000, &r));
}

static void test_guest_regime_lpae(void **state)
{
	(void)state;
	struct pt_regime r;
	u64 asid = 5ull << 48;
	/* T0SZ=0, T1SZ=0: TTBR0 everywhere. */
	assert_true(pt_guest_regime(TTBCR_EAE_TEST, asid | 0x40000020, 0, 0xffff0000, &r));
	assert_ptr_equal(r.fmt, &pt_lpae_s1);
	assert_int_equal(r.root, 0x40000020);
	assert_int_equal(pt_start_index(&r), 0);
	/* Linux LPAE split (T1SZ=2): kernel above 0xc0000000 through TTBR1. */
	u32 ttbcr = TTBCR_EAE_TEST | (2u << 16);
	assert_true(pt_guest_regime(ttbcr, 0x41000000, asid | 0x42000000, 0xc0001000, &r));
	assert_int_equal(r.root, 0x42000000);
	assert_int_equal(r.ia_bits, 30);
	assert_int_equal(pt_start_index(&r), 1); /* a 1 GiB region starts at level 2 */
	assert_int_equal(pt_guest_ia(&r, 0xc0001000), 0x1000);
	assert_true(pt_guest_regime(ttbcr, 0x41000000, 0x42000000, 0xbfffffff, &r));
	assert_int_equal(r.root, 0x41000000);
	/* T0SZ=1, T1SZ=2: a gap between 2 GiB and 3 GiB faults. */
	ttbcr = TTBCR_EAE_TEST | (2u << 16) | 1u;
	assert_false(pt_guest_regime(ttbcr, 0x41000000, 0x42000000, 0x90000000, &r));
	/* TTBCR.EPD0 / EPD1 disable the walks through TTBR0 / TTBR1 (found by fuzz_walk). */
	const u32 epd0 = 1u << 7, epd1 = 1u << 23;
	assert_false(pt_guest_regime(ttbcr | epd0, 0x41000000, 0x42000000, 0x10000000, &r));
	assert_true(pt_guest_regime(ttbcr | epd0, 0x41000000, 0x42000000, 0xc0000000, &r));
	assert_false(pt_guest_regime(ttbcr | epd1, 0x41000000, 0x42000000, 0xc0000000, &r));
	assert_true(pt_guest_regime(ttbcr | epd1, 0x41000000, 0x42000000, 0x10000000, &r));
}

/* The description's per-level tables agree: each kind with the table type and the leaf types
 * the walker reads, and leaf_ok; no last level has a table type; the descriptor
 * functions give the tables' answers. */
static void test_format_tables(void **state)
{
	(void)state;
	const struct pt_format *const fmts[] = {&pt_short, &pt_lpae_s1, &pt_lpae_s2};
	for (u32 i = 0; i < ARRAY_SIZE(fmts); i++) {
		const struct pt_format *f = fmts[i];
		assert_int_equal(f->desc_bytes, 1u << f->desc_shift);
		for (u32 li = 0; li < f->nlevels; li++) {
			const struct pt_level *l = &f->level[li];
			u32 tables = 0, leaves = 0;
			for (u32 t = 0; t < PT_TYPES; t++) {
				tables |= l->kind[t] == PT_TABLE ? BIT(t) : 0;
				leaves |= l->kind[t] == PT_LEAF ? BIT(t) : 0;
				assert_int_equal(pt_desc_kind(f, t, li), l->kind[t]);
			}
			assert_int_equal(l->leaf_types, leaves);
			assert_int_equal(l->leaf_ok, leaves != 0);
			if (tables == 0) {
				assert_int_equal(l->table_type, PT_TYPES);
			} else {
				assert_int_equal(tables, BIT(l->table_type));
				assert_true(li + 1 < f->nlevels);
			}
		}
	}
}

/* counted_read: tm_read, counted in reads. */
static u32 reads;
static bool counted_read(void *ctx, paddr_t pa, unsigned n, u64 *val)
{
	reads++;
	return tm_read(ctx, pa, n, val);
}

/* walks_agree: the walks of ia in r through memories a and b give the same result; b's walk
 * makes b_reads calls of its read callback. */
static void walks_agree(const struct pt_regime *r, const struct pt_mem *a, const struct pt_mem *b,
			u64 ia, u32 b_reads)
{
	struct pt_walk wa, wb;
	enum pt_status s = pt_walk(r, a, ia, &wa);
	assert_int_equal(wa.status, s);
	reads = 0;
	assert_int_equal(pt_walk(r, b, ia, &wb), s);
	assert_int_equal(reads, b_reads);
	assert_int_equal(wb.level, wa.level);
	assert_int_equal(wb.depth, wa.depth);
	assert_int_equal(wb.tables, wa.tables);
	for (u32 i = 0; i < wa.depth; i++) {
		assert_int_equal(wb.desc_pa[i], wa.desc_pa[i]);
		assert_int_equal(wb.desc[i], wa.desc[i]);
	}
	if (wa.status == PT_OK) {
		assert_int_equal(wb.leaf, wa.leaf);
		assert_int_equal(wb.out, wa.out);
		assert_int_equal(wb.size_shift, wa.size_shift);
	}
}

/* A window of fx's memory from its base, bytes long. */
static struct pt_mem window_mem(const struct fixture *fx, u32 bytes)
{
	struct pt_mem m = fx->ops;
	m.read = counted_read;
	assert_true(pt_mem_window(&m, TESTMEM_BASE, bytes, (uintptr_t)fx->m->bytes));
	return m;
}

/* lpae_tables: an LPAE stage-1 tree with a page at VA 0x1000 and a block at 0xc0000000. */
static struct fixture lpae_tables(void)
{
	struct fixture fx = fx_new(&pt_lpae_s1, 32);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x1000, 0x5000, 0x1000, LPAE_AF, 12), PT_OK);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0xc0000000, 0x600000, 0x200000, LPAE_AF, 21),
			 PT_OK);
	return fx;
}

/* short_tables: a short-format tree with a page at VA 0x80001000 and a section at
 * 0x40000000. */
static struct fixture short_tables(void)
{
	struct fixture fs = fx_new(&pt_short, 32);
	assert_int_equal(pt_map(&fs.r, &fs.ops, 0x80001000, 0x40305000, 0x1000, 0, 12), PT_OK);
	assert_int_equal(pt_map(&fs.r, &fs.ops, 0x40000000, 0x40000000, 0x100000, 0, 20), PT_OK);
	return fs;
}

/* Walks through the pt_mem window read nothing through the callback and give what walks
 * through it give, also for a descriptor across the window's end; a window reaching above
 * 4 GiB is refused. */
static void test_window(void **state)
{
	(void)state;
	struct fixture fx = lpae_tables();
	const u64 vas[] = {0x1234, 0x2000, 0xc0100000, 0x80000000, 0x100000000ull};
	const struct pt_mem all = window_mem(&fx, TESTMEM_SIZE);
	for (u32 i = 0; i < ARRAY_SIZE(vas); i++) {
		walks_agree(&fx.r, &fx.ops, &all, vas[i], 0);
	}
	/* The level-3 descriptor of 0x1000 half inside the window: read through the callback. */
	struct pt_walk w;
	assert_int_equal(pt_walk(&fx.r, &fx.ops, 0x1000, &w), PT_OK);
	u32 l3 = (u32)(w.desc_pa[2] - TESTMEM_BASE);
	const struct pt_mem cut = window_mem(&fx, l3 + 4);
	walks_agree(&fx.r, &fx.ops, &cut, 0x1000, 1);
	const struct pt_mem whole = window_mem(&fx, l3 + 8);
	walks_agree(&fx.r, &fx.ops, &whole, 0x1000, 0);
	/* Four-byte descriptors: the short format's level-2 entry at the window's end. */
	struct fixture fs = short_tables();
	assert_int_equal(pt_walk(&fs.r, &fs.ops, 0x80001000, &w), PT_OK);
	u32 l2 = (u32)(w.desc_pa[1] - TESTMEM_BASE);
	const struct pt_mem ends_at_l2 = window_mem(&fs, l2 + 4), cuts_l2 = window_mem(&fs, l2 + 3);
	walks_agree(&fs.r, &fs.ops, &ends_at_l2, 0x80001234, 0);
	walks_agree(&fs.r, &fs.ops, &cuts_l2, 0x80001234, 1);
	struct pt_mem high = fx.ops;
	assert_false(pt_mem_window(&high, 0xfffff000, 0x2000, (uintptr_t)fx.m->bytes));
	assert_int_equal(high.win_lim[0] | high.win_lim[1], 0);
	testmem_free(fx.m);
	testmem_free(fs.m);
}

/* pt_guest_walk walks as pt_guest_regime and pt_walk do, for both formats and TTBR splits. */
static void test_guest_walk(void **state)
{
	(void)state;
	struct fixture fx = lpae_tables(), fs = short_tables();
	const u32 epd1 = 1u << 23;
	const struct {
		u32 ttbcr;
		const struct fixture *fx;
	} cases[] = {
	    {0, &fs},
	    {1, &fs},
	    {TTBCR_EAE_TEST, &fx},
	    {TTBCR_EAE_TEST | (2u << 16), &fx},
	    {TTBCR_EAE_TEST | (2u << 16) | 1u, &fx},
	    {TTBCR_EAE_TEST | (2u << 16) | 1u | epd1, &fx},
	};
	const u32 vas[] = {0x1234, 0x40000040, 0x80001234, 0x90000000, 0xc0000010, 0xfffff000};
	for (u32 c = 0; c < ARRAY_SIZE(cases); c++) {
		u64 root = cases[c].fx->r.root;
		const struct pt_mem *ops = &cases[c].fx->ops;
		for (u32 i = 0; i < ARRAY_SIZE(vas); i++) {
			struct pt_regime ra, rb;
			struct pt_walk wb;
			bool walks = pt_guest_regime(cases[c].ttbcr, root, root, vas[i], &ra);
			assert_int_equal(
			    pt_guest_walk(cases[c].ttbcr, vas[i], root, root, ops, &rb, &wb),
			    walks);
			if (!walks) {
				continue;
			}
			assert_ptr_equal(rb.fmt, ra.fmt);
			assert_int_equal(rb.root, ra.root);
			assert_int_equal(rb.ia_bits, ra.ia_bits);
			assert_int_equal(rb.start, ra.start);
			assert_int_equal(rb.start_bits, ra.start_bits);
			struct pt_walk wa;
			pt_walk(&ra, ops, pt_guest_ia(&ra, vas[i]), &wa);
			assert_int_equal(wb.status, wa.status);
			assert_int_equal(wb.level, wa.level);
			assert_int_equal(wb.depth, wa.depth);
			assert_memory_equal(wb.desc_pa, wa.desc_pa,
					    wa.depth * sizeof(wa.desc_pa[0]));
			assert_memory_equal(wb.desc, wa.desc, wa.depth * sizeof(wa.desc[0]));
			if (wa.status == PT_OK) {
				assert_int_equal(wb.out, wa.out);
				assert_int_equal(wb.size_shift, wa.size_shift);
			}
		}
	}
	testmem_free(fx.m);
	testmem_free(fs.m);
}

struct visit_log {
	u32 leaves, tables;
	u64 first_ia, last_ia;
	u32 last_shift;
};

static void log_leaf(void *ctx, u64 ia, paddr_t desc_pa, u64 desc, u32 size_shift)
{
	struct visit_log *l = ctx;
	(void)desc_pa;
	(void)desc;
	if (l->leaves++ == 0) {
		l->first_ia = ia;
	}
	l->last_ia = ia;
	l->last_shift = size_shift;
}

static void log_table(void *ctx, paddr_t table, u32 bytes)
{
	struct visit_log *l = ctx;
	(void)table;
	assert_true(bytes == 4096 || bytes == 1024);
	l->tables++;
}

static void test_visit(void **state)
{
	(void)state;
	struct fixture fx = fx_new(&pt_lpae_s2, 32);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x40000000, 0x44000000, 0x200000, s2_rw(), 21),
			 PT_OK);
	assert_int_equal(pt_map(&fx.r, &fx.ops, 0x80003000, 0x45003000, 0x2000, s2_rw(), 12),
			 PT_OK);
	struct visit_log l = {0};
	const struct pt_visitor v = {log_leaf, log_table, &l};
	assert_int_equal(pt_visit(&fx.r, &fx.ops, &v), PT_OK);
	assert_int_equal(l.leaves, 3);
	assert_int_equal(l.first_ia, 0x40000000);
	assert_int_equal(l.last_ia, 0x80004000);
	assert_int_equal(l.last_shift, 12);
	assert_int_equal(l.tables, fx.m->tables); /* every table below the root, once */
	/* Short format with a split: a 1 GiB TTBR0 space. */
	struct fixture fs = fx_new(&pt_short, 30);
	assert_int_equal(pt_map(&fs.r, &fs.ops, 0x3ff00000, 0x40000000, 0x1000, 0, 12), PT_OK);
	struct visit_log ls = {0};
	const struct pt_visitor vs = {log_leaf, log_table, &ls};
	assert_int_equal(pt_visit(&fs.r, &fs.ops, &vs), PT_OK);
	assert_int_equal(ls.leaves, 1);
	assert_int_equal(ls.first_ia, 0x3ff00000);
	assert_int_equal(ls.tables, 1);
	testmem_free(fx.m);
	testmem_free(fs.m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_s2_page),
	    cmocka_unit_test(test_s2_blocks_and_pages),
	    cmocka_unit_test(test_s2_permissions_and_device),
	    cmocka_unit_test(test_s2_errors),
	    cmocka_unit_test(test_s2_out_of_tables),
	    cmocka_unit_test(test_walk_table_outside_memory),
	    cmocka_unit_test(test_s2_40bit_concatenated),
	    cmocka_unit_test(test_short_sections_and_pages),
	    cmocka_unit_test(test_short_supersection_and_large_page),
	    cmocka_unit_test(test_lpae_s1_level3_reserved_encoding),
	    cmocka_unit_test(test_guest_regime_short),
	    cmocka_unit_test(test_guest_regime_lpae),
	    cmocka_unit_test(test_visit),
	    cmocka_unit_test(test_format_tables),
	    cmocka_unit_test(test_window),
	    cmocka_unit_test(test_guest_walk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
