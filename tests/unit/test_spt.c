/* The shadow module's table store (mm-shadow/spt.c) on the host: the shadow builder, the
 * reverse map, sources and write protection, out-of-sync frames and their resync,
 * the root cache with LRU eviction and the bounded pool. Every test ends with spt_check
 * (every invariant of the store). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "../../mm-shadow/shadow.h"
#include "../../mm-shadow/spt.h"
#include "tb/lpae.h"

u64 shadow_values[SH_NCOUNTERS];

#define RAM_IPA	   0x40000000u
#define RAM_SIZE   (16u * 1024 * 1024)
#define FIXED_VA   0xfffff000u
#define ATTR_RW	   (((u64)LPAE_AP_RW_PL1 << LPAE_AP_SHIFT) | LPAE_AF)
#define ATTR_RO	   (((u64)LPAE_AP_RO_PL1 << LPAE_AP_SHIFT) | LPAE_AF)
#define AP_RO_BIT  ((u64)LPAE_AP_RO_PL1 << LPAE_AP_SHIFT)
#define FLUSH_LOG  4096
#define ASID_A	   1u
#define ASID_B	   2u
#define TTBR_A	   0x40100000ull
#define TTBR_B	   0x40200000ull
#define L3_TABLE_A 0x40300000u /* where the fills below say their guest level-3 table is */

static u8 *ram;
static struct {
	u32 va, asid; /* asid only: va = ~0 */
} flushes[FLUSH_LOG];
static u32 nflush;

void spt_hw_flush_va(u32 va, u32 hw_asid)
{
	if (nflush < FLUSH_LOG) {
		flushes[nflush].va = va;
		flushes[nflush++].asid = hw_asid;
	}
}

void spt_hw_flush_asid(u32 hw_asid)
{
	if (nflush < FLUSH_LOG) {
		flushes[nflush].va = ~0u;
		flushes[nflush++].asid = hw_asid;
	}
}

/* A child process that expects the store to stop (expect_panic) exits with this status. */
#define PANIC_STATUS 3
static bool panic_exits;

void spt_panic(const char *what)
{
	if (panic_exits) {
		_exit(PANIC_STATUS);
	}
	fail_msg("%s", what);
	abort();
}

/* low_alloc: zeroed memory below 2 GiB, so that its addresses fit LPAE descriptors. */
static paddr_t low_alloc(u32 bytes)
{
	void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
		       -1, 0);
	assert_true(p != MAP_FAILED);
	return (paddr_t)(uintptr_t)p;
}

/* setup_flood: a store of pool_pages pages over fresh RAM, unshadowing a table at its
 * flood_writes-th write (0: never). */
static void setup_flood(u32 pool_pages, u32 flood_writes)
{
	static u8 fixed_page[4096] __attribute__((aligned(4096)));
	memset(shadow_values, 0, sizeof(shadow_values));
	nflush = 0;
	ram = (u8 *)(uintptr_t)low_alloc(RAM_SIZE);
	struct spt_config c = {
	    .pool_pages = pool_pages,
	    .ram_ipa = RAM_IPA,
	    .ram_size = RAM_SIZE,
	    .ram_host = (paddr_t)(uintptr_t)ram,
	    .fixed_va = FIXED_VA,
	    .fixed_pa = (paddr_t)(uintptr_t)fixed_page,
	    .fixed_attrs = ATTR_RO,
	    .flood_writes = flood_writes,
	    .alloc = low_alloc,
	};
	assert_true(spt_init(&c));
}

/* setup: setup_flood without write flooding. */
static void setup(u32 pool_pages)
{
	setup_flood(pool_pages, 0);
}

/* The walk shapes of an LPAE guest with a 4 GiB TTBR0 range (levels 1-3), and of a
 * short-descriptor guest with TTBCR.N = 0 (levels 1-2). */
static const struct spt_shape lpae_shape = {8, {30, 21, 12}, {32, 30, 21}};
static const struct spt_shape short_shape = {4, {20, 12}, {32, 20}};

/* lpae_fill: a 4 KiB page at va -> ipa, as an LPAE guest walk of three levels would give
 * it: level-1 entry in the root at ttbr0, level-2 entry in table l2, level-3 entry in l3. */
static void lpae_fill(u32 va, u32 ipa, u64 ttbr0, u32 l2, u32 l3, u64 attrs)
{
	struct spt_fill f = {.va = va, .ipa = ipa, .attrs = attrs, .nsrc = 3};
	const paddr_t src[3] = {(u32)ttbr0 + 8 * (va >> 30), l2 + 8 * ((va >> 21) & 511),
				l3 + 8 * ((va >> 12) & 511)};
	f.shape = &lpae_shape;
	f.src = src;
	spt_fill(&f);
}

/* short_section_fill: a 4 KiB piece of a 1 MiB short-descriptor section at va. */
static void short_section_fill(u32 va, u32 ipa, u32 l1)
{
	struct spt_fill f = {.va = va, .ipa = ipa, .attrs = ATTR_RW, .nsrc = 1};
	const paddr_t src[1] = {l1 + 4 * (va >> 20)};
	f.shape = &short_shape;
	f.src = src;
	spt_fill(&f);
}

static bool mapped(u32 va)
{
	return (spt_mapped(va) & LPAE_VALID) != 0;
}

/* cached: does key k have a root (made current if so; else the empty root runs)? */
static bool cached(const struct spt_key *k)
{
	spt_switch(k);
	return spt_current() != SPT_NO_ROOT;
}

static void check(void)
{
	const char *e = spt_check();
	if (e != NULL) {
		fail_msg("%s", e);
	}
}

static void test_fill_and_fixed_page(void **state)
{
	(void)state;
	setup(64);
	u64 ttbr = spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	assert_int_equal(ttbr >> LPAE_TTBR_ASID_SHIFT, spt_current() + 1); /* own hardware ASID */
	assert_true(mapped(FIXED_VA));
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	u64 d = spt_mapped(0x1000);
	assert_true(d & LPAE_VALID);
	assert_int_equal(d & LPAE_OA_MASK, (u64)(uintptr_t)ram + 0x5000);
	paddr_t ipa;
	assert_true(spt_translate(0x1abc, &ipa));
	assert_int_equal(ipa, RAM_IPA + 0x5abc);
	assert_false(spt_translate(FIXED_VA, &ipa)); /* not guest memory */
	assert_int_equal(shadow_values[SH_fills], 1);
	check();
}

/* expect_panic: the LPAE fill of va -> ipa (test_spurious_fill's tables) stops the store
 * (spt_panic), in a child process; the store here is left as it was. */
static void expect_panic(u32 va, u32 ipa)
{
	pid_t child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		panic_exits = true;
		lpae_fill(va, ipa, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
		_exit(0);
	}
	int status;
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == PANIC_STATUS);
}

/* A fill of a page already shadowed as the fill would shadow it (an abort that did not come
 * from its leaf: a guest entering the trampoline's slot itself, or a stale TLB entry)
 * changes nothing but flushes the page's TLB entry, and says so once (spt_take_spurious);
 * one that would shadow it otherwise finds a stale leaf (I6) and stops the store. */
static void test_spurious_fill(void **state)
{
	(void)state;
	setup(64);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	assert_false(spt_take_spurious());
	u64 d = spt_mapped(0x1000);
	nflush = 0;
	for (u32 i = 1; i <= 5; i++) {
		lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
		assert_int_equal(shadow_values[SH_spurious], i);
		assert_true(spt_take_spurious());
		assert_false(spt_take_spurious());
	}
	assert_true(spt_mapped(0x1000) == d);
	assert_int_equal(shadow_values[SH_fills], 1);
	assert_int_equal(nflush, 5);
	assert_int_equal(flushes[0].va, 0x1000);
	assert_int_equal(flushes[0].asid, spt_current() + 1);
	check();
	expect_panic(0x1000, RAM_IPA + 0x7000);
	check();
}

static void test_reverse_map_and_write_protection(void **state)
{
	(void)state;
	setup(64);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	/* Two VAs on one frame, and the frame of the guest's level-3 table mapped at a third. */
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	lpae_fill(0x2000, RAM_IPA + 0x5000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	assert_true(spt_frame_protected(L3_TABLE_A));
	assert_false(spt_frame_protected(RAM_IPA + 0x5000));
	lpae_fill(0x3000, L3_TABLE_A, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	assert_true(spt_mapped(0x3000) & AP_RO_BIT); /* a page table: read-only in the shadow */
	paddr_t ipa;
	assert_true(spt_write_granted(0x3008, false, &ipa)); /* though the guest grants it */
	assert_int_equal(ipa, L3_TABLE_A + 8);
	assert_false(spt_write_granted(0x3008, true, &ipa)); /* not to PL0 */
	check();

	/* The guest rewrites the level-3 entry of 0x2000: its shadow alone goes. */
	spt_guest_wrote(L3_TABLE_A + 8 * 2, 8);
	assert_true(mapped(0x1000));
	assert_false(mapped(0x2000));
	assert_true(mapped(0x3000));
	/* Its level-2 entry (2 MiB): every leaf built through it goes. */
	spt_guest_wrote(0x40101000, 8);
	assert_false(mapped(0x1000) || mapped(0x3000));
	assert_int_equal(shadow_values[SH_fills], shadow_values[SH_zaps]);
	assert_false(spt_frame_protected(L3_TABLE_A)); /* nothing built from it any more */
	check();
}

static void test_unsync_and_resync(void **state)
{
	(void)state;
	setup(64);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	lpae_fill(0x2000, RAM_IPA + 0x6000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	lpae_fill(0x3000, L3_TABLE_A, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	assert_true(spt_unsync(L3_TABLE_A));
	assert_false(spt_mapped(0x3000) & AP_RO_BIT); /* writable while out of sync */
	assert_false(spt_frame_protected(L3_TABLE_A));
	check();
	/* The guest changes the entry of 0x2000 directly; until the resync either is valid. */
	ram[L3_TABLE_A - RAM_IPA + 8 * 2] ^= 0x10;
	assert_true(mapped(0x2000));
	spt_resync();
	assert_true(mapped(0x1000));
	assert_false(mapped(0x2000));
	assert_true(spt_mapped(0x3000) & AP_RO_BIT);
	assert_true(spt_frame_protected(L3_TABLE_A));
	assert_int_equal(shadow_values[SH_resync_changes], 1);
	check();
}

/* A write to a descriptor removes every shadow leaf built through it, in every root: a
 * section's pieces, a kernel page both address spaces map through one level-3 table;
 * nothing else goes. */
static void test_guest_writes_remove_exactly(void **state)
{
	(void)state;
	setup(128);
	u64 a = spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	lpae_fill(0xc0001000, RAM_IPA + 0x7000, TTBR_A, 0x40102000, 0x40303000, ATTR_RW);
	short_section_fill(0x00500000, RAM_IPA + 0x100000, 0x40400000);
	short_section_fill(0x005ff000, RAM_IPA + 0x1ff000, 0x40400000);
	u64 b = spt_select(&(struct spt_key){.ttbr0 = TTBR_B, .asid = ASID_B, .mmu = true});
	assert_true(a != b);
	lpae_fill(0x1000, RAM_IPA + 0x8000, TTBR_B, 0x40201000, 0x40304000, ATTR_RW);
	lpae_fill(0xc0001000, RAM_IPA + 0x7000, TTBR_B, 0x40102000, 0x40303000, ATTR_RW);

	/* The kernel's shared level-3 entry: gone from both roots, with one flush each. */
	nflush = 0;
	spt_guest_wrote(0x40303000 + 8 * 1, 8);
	assert_false(mapped(0xc0001000));
	assert_true(mapped(0x1000));
	assert_int_equal(nflush, 2);
	assert_int_equal(flushes[0].va, 0xc0001000);
	spt_switch(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	assert_false(mapped(0xc0001000));
	assert_true(mapped(0x1000) && mapped(0x00500000) && mapped(0x005ff000));
	/* The section's level-1 entry: all of its pieces. */
	spt_guest_wrote(0x40400000 + 4 * 5, 4);
	assert_false(mapped(0x00500000) || mapped(0x005ff000));
	assert_true(mapped(0x1000));
	check();
}

/* Out of sync, a fill through a descriptor that changed since the snapshot first removes
 * what was built from the snapshot's value, and the snapshot takes the new one (I6): a
 * change back is then seen by the resync (A -> B, a fill through B, B -> A). */
static void test_fill_through_a_changed_out_of_sync_descriptor(void **state)
{
	(void)state;
	const u32 l2 = 0x40101000u, other_l3 = L3_TABLE_A + 0x1000, l3_high = 0x40310000u;
	setup(64);
	u64 *l2_entry = (u64 *)(ram + (l2 - RAM_IPA)); /* level-2 entries of VAs 0..4 MiB */
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	l2_entry[0] = L3_TABLE_A | 3u;
	l2_entry[1] = l3_high | 3u;
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	lpae_fill(0x201000, RAM_IPA + 0x6000, TTBR_A, l2, l3_high, ATTR_RW);
	assert_true(spt_unsync(l2));
	l2_entry[0] = other_l3 | 3u; /* A -> B, not caught */
	assert_true(mapped(0x1000)); /* until the resync, the old translation may be used */
	lpae_fill(0x2000, RAM_IPA + 0x7000, TTBR_A, l2, other_l3, ATTR_RW);
	assert_false(mapped(0x1000)); /* built through A */
	assert_true(mapped(0x2000) && mapped(0x201000));
	assert_false(spt_frame_protected(l2)); /* still out of sync */
	assert_int_equal(shadow_values[SH_resync_changes], 1);
	check();
	l2_entry[0] = L3_TABLE_A | 3u; /* B -> A */
	spt_resync();
	assert_false(mapped(0x2000)); /* built through B */
	assert_true(mapped(0x201000));
	assert_true(spt_frame_protected(l2));
	assert_int_equal(shadow_values[SH_resync_changes], 2);
	check();
}

static void test_root_cache_lru_and_no_leak(void **state)
{
	(void)state;
	setup(256);
	u32 baseline = spt_tables_used(); /* the empty root */
	for (u32 i = 0; i < SPT_MAX_ROOTS; i++) {
		spt_select(&(struct spt_key){.ttbr0 = TTBR_A + i * 0x4000, .asid = i, .mmu = true});
		lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A + i * 0x4000, 0x40101000, L3_TABLE_A,
			  ATTR_RW);
	}
	assert_int_equal(shadow_values[SH_roots_built], SPT_MAX_ROOTS);
	/* Key 0 used again: the least recently used is key 1. */
	assert_true(cached(&(struct spt_key){.ttbr0 = TTBR_A, .asid = 0, .mmu = true}));
	spt_select(&(struct spt_key){.ttbr0 = 0x41000000, .asid = 99, .mmu = true});
	assert_int_equal(shadow_values[SH_evictions], 1);
	assert_true(cached(&(struct spt_key){.ttbr0 = TTBR_A, .asid = 0, .mmu = true}));
	assert_false(cached(&(struct spt_key){.ttbr0 = TTBR_A + 0x4000, .asid = 1, .mmu = true}));
	check();
	/* Churn: hundreds of address spaces come and go; nothing leaks. */
	for (u32 i = 0; i < 500; i++) {
		u64 ttbr0 = 0x40800000u + (i % 128) * 0x1000u;
		spt_select(&(struct spt_key){.ttbr0 = ttbr0, .asid = i % 256, .mmu = true});
		lpae_fill(0x1000 + i * 0x200000, RAM_IPA + 0x5000, ttbr0, 0x40101000, L3_TABLE_A,
			  ATTR_RW);
	}
	check();
	spt_drop_roots();
	assert_int_equal(spt_tables_used(), baseline);
	assert_int_equal(shadow_values[SH_fills], shadow_values[SH_zaps]);
	assert_int_equal(shadow_values[SH_tables], shadow_values[SH_tables_freed] + baseline);
	check();
}

static void test_pool_exhaustion(void **state)
{
	(void)state;
	setup(16);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	/* A page in each of 64 regions of 2 MiB: a level-3 table each, 16 pages in all. */
	for (u32 i = 0; i < 64; i++) {
		u32 va = 0x10000000u + i * 0x200000u;
		lpae_fill(va, RAM_IPA + 0x5000, TTBR_A, 0x40101000, L3_TABLE_A + 0x1000, ATTR_RW);
		assert_true(mapped(va));
		assert_true(spt_tables_used() <= 16);
		check();
	}
	assert_true(shadow_values[SH_pool_exhausted] > 0);
}

/* Regressions found by a second reading of the store. */
static void test_source_overflow_keeps_this_fills_sources(void **state)
{
	(void)state;
	setup(64);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	/* One level-2 entry, then four different level-3 tables for one 2 MiB range (the guest
	 * changed the entry without maintenance in between: stale shapes). */
	for (u32 t = 0; t < 4; t++) {
		lpae_fill(0x1000 * (t + 1), RAM_IPA + 0x5000, TTBR_A, 0x40101000,
			  L3_TABLE_A + t * 0x1000, ATTR_RW);
	}
	assert_true(mapped(0x4000));
	assert_true(spt_frame_protected(0x40101000)); /* the level-2 entry is still a source */
	spt_guest_wrote(0x40101000, 8);
	assert_false(mapped(0x4000));
	check();
}

static void test_no_writable_leaf_on_a_protected_frame(void **state)
{
	(void)state;
	setup(64);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	/* A data page, then the same frame becomes a guest page table. */
	lpae_fill(0x1000, L3_TABLE_A + 0x1000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	lpae_fill(0x200000, RAM_IPA + 0x5000, TTBR_A, 0x40101000, L3_TABLE_A + 0x1000, ATTR_RW);
	assert_true(spt_mapped(0x1000) & AP_RO_BIT);
	check();
	/* The level-2 entry it was read through changes: the shadows built from the frame go,
	 * and with its last source, its write protection (I3). */
	spt_guest_wrote(0x40101000 + 8, 8);
	assert_false(spt_frame_protected(L3_TABLE_A + 0x1000));
	assert_true(mapped(0x1000) && (spt_mapped(0x1000) & AP_RO_BIT) == 0);
	check();
}

/* Write flooding: a table written flood_writes times with no fill through it in between
 * is shadowed no more (every shadow built from it gone, its leaves writable again); a
 * fill through it starts the count again. */
static void test_written_table_is_unshadowed(void **state)
{
	(void)state;
	setup_flood(64, 4);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	lpae_fill(0x2000, RAM_IPA + 0x6000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	lpae_fill(0x3000, L3_TABLE_A, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW); /* its alias */
	assert_true(spt_mapped(0x3000) & AP_RO_BIT);
	for (u32 i = 0; i < 3; i++) {
		spt_guest_wrote(L3_TABLE_A + 8 * (100 + i), 8); /* entries nothing was built from */
	}
	lpae_fill(0x4000, RAM_IPA + 0x7000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	for (u32 i = 0; i < 3; i++) {
		spt_guest_wrote(L3_TABLE_A + 8 * (100 + i), 8);
	}
	assert_true(spt_frame_protected(L3_TABLE_A)); /* the fill started the count again */
	assert_true(mapped(0x1000) && mapped(0x4000));
	assert_int_equal(shadow_values[SH_unshadowed], 0);
	spt_guest_wrote(L3_TABLE_A + 8 * 103, 8);
	assert_int_equal(shadow_values[SH_unshadowed], 1);
	assert_false(spt_frame_protected(L3_TABLE_A));
	assert_false(mapped(0x1000) || mapped(0x2000) || mapped(0x4000));
	assert_false(spt_mapped(0x3000) & LPAE_VALID); /* built through the table too */
	/* Nothing is built through the level-2 entry either now; the level-1 table still
	 * shapes the 1 GiB shadow table. */
	assert_false(spt_frame_protected(0x40101000));
	assert_true(spt_frame_protected(TTBR_A));
	check();
}

/* Every table a fill reads is in use: writes to a level-2 table with fills through it in
 * between never unshadow it, whether the fills take the memo or attach their sources. */
static void test_fills_keep_upper_tables_shadowed(void **state)
{
	(void)state;
	const u32 l2 = 0x40101000u;
	setup_flood(64, 4);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	for (u32 i = 0; i < 12; i++) {
		lpae_fill(0x1000 * (i + 1), RAM_IPA + 0x5000, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
		spt_guest_wrote(l2 + 8 * 100, 8); /* an entry nothing was built from */
	}
	assert_int_equal(shadow_values[SH_unshadowed], 0);
	assert_true(spt_frame_protected(l2) && mapped(0x1000));
	check();
}

/* At a resync, write flooding counts descriptors, not words: an LPAE descriptor changed in
 * both halves is one change. */
static void test_resync_counts_descriptors(void **state)
{
	(void)state;
	setup_flood(64, 4);
	u64 *l3 = (u64 *)(ram + (L3_TABLE_A - RAM_IPA));
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	lpae_fill(0x2000, RAM_IPA + 0x6000, TTBR_A, 0x40101000, L3_TABLE_A, ATTR_RW);
	assert_true(spt_unsync(L3_TABLE_A));
	for (u32 i = 0; i < 3; i++) {
		l3[10 + i] = 0xfedcba9876543211ull; /* both words changed */
	}
	spt_resync();
	assert_int_equal(shadow_values[SH_resync_changes], 3);
	assert_int_equal(shadow_values[SH_unshadowed], 0);
	assert_true(spt_frame_protected(L3_TABLE_A) && mapped(0x1000) && mapped(0x2000));
	assert_true(spt_unsync(L3_TABLE_A));
	for (u32 i = 0; i < 4; i++) {
		l3[20 + i] = 0x0123456789abcdefull;
	}
	spt_resync(); /* the fourth changed descriptor: a table no more */
	assert_int_equal(shadow_values[SH_unshadowed], 1);
	assert_false(spt_frame_protected(L3_TABLE_A) || mapped(0x1000) || mapped(0x2000));
	check();
}

#define L2_TABLE 0x40101000u /* the guest's level-2 table of TTBR_A's first 1 GiB */

/* l2_setup: a fresh store whose root for TTBR_A is current, with VA 0x1000 shadowed
 * through the first entry of L2_TABLE (naming L3_TABLE_A); that entry, in guest RAM. */
static u64 *l2_setup(void)
{
	setup(64);
	u64 *l2_entry = (u64 *)(ram + (L2_TABLE - RAM_IPA));
	l2_entry[0] = L3_TABLE_A | 3u;
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, L2_TABLE, L3_TABLE_A, ATTR_RW);
	return l2_entry;
}

/* Out of sync, a change a fill in one root finds removes what every root built from the
 * snapshot's value of that descriptor. */
static void test_changed_out_of_sync_descriptor_in_every_root(void **state)
{
	(void)state;
	const u32 l2 = L2_TABLE, other_l3 = L3_TABLE_A + 0x1000;
	u64 *l2_entry = l2_setup();
	spt_select(&(struct spt_key){.ttbr0 = TTBR_B, .asid = ASID_B, .mmu = true});
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_B, l2, L3_TABLE_A, ATTR_RW);
	assert_true(spt_unsync(l2));
	l2_entry[0] = other_l3 | 3u;
	lpae_fill(0x2000, RAM_IPA + 0x7000, TTBR_B, l2, other_l3, ATTR_RW); /* in B */
	assert_false(mapped(0x1000));
	spt_switch(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	assert_false(mapped(0x1000)); /* A's, built from the snapshot's value, gone too */
	check();
	assert_false(spt_resync());
	assert_true(spt_frame_protected(l2));
	check();
}

/* The removal a fill makes for a changed out-of-sync descriptor takes the frame's last
 * source (its snapshot slot released on the way); the fill then makes the frame a
 * protected page table again, and the store stays consistent. */
static void test_changed_out_of_sync_descriptor_releases_its_frame(void **state)
{
	(void)state;
	const u32 l2 = L2_TABLE, other_l3 = L3_TABLE_A + 0x1000;
	u64 *l2_entry = l2_setup();
	lpae_fill(0x400000, l2, TTBR_A, 0x40102000, L3_TABLE_A + 0x2000, ATTR_RW); /* l2's alias */
	assert_true(spt_unsync(l2));
	assert_false(spt_mapped(0x400000) & AP_RO_BIT);
	l2_entry[0] = other_l3 | 3u;
	lpae_fill(0x2000, RAM_IPA + 0x7000, TTBR_A, l2, other_l3, ATTR_RW);
	assert_false(mapped(0x1000));
	assert_true(mapped(0x2000));
	assert_true(spt_frame_protected(l2)); /* released, then a page table again */
	assert_true(spt_mapped(0x400000) & AP_RO_BIT);
	check();
	assert_false(spt_resync());
	check();
}

/* The fill memo: fills through the same upper descriptors and leaf table skip the source
 * lookups; a fill through another leaf table attaches it; a source gone (a write to an upper
 * descriptor) voids the memo, and the next fill attaches its sources again. */
static void test_fill_memo(void **state)
{
	(void)state;
	const u32 l2 = 0x40101000u, other_l3 = L3_TABLE_A + 0x1000;
	setup(64);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	lpae_fill(0x2000, RAM_IPA + 0x6000, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	assert_true(spt_frame_protected(TTBR_A) && spt_frame_protected(l2) &&
		    spt_frame_protected(L3_TABLE_A));
	/* The level-2 entry now names another level-3 table (no maintenance yet). */
	lpae_fill(0x3000, RAM_IPA + 0x7000, TTBR_A, l2, other_l3, ATTR_RW);
	assert_true(spt_frame_protected(other_l3));
	check();
	spt_guest_wrote(l2, 8); /* the level-2 entry of VAs 0..2 MiB */
	assert_false(mapped(0x1000) || mapped(0x2000) || mapped(0x3000));
	assert_false(spt_frame_protected(L3_TABLE_A) || spt_frame_protected(other_l3));
	lpae_fill(0x4000, RAM_IPA + 0x8000, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	assert_true(spt_frame_protected(l2) && spt_frame_protected(L3_TABLE_A));
	assert_false(spt_frame_protected(other_l3));
	check();
}

/* A guest LPAE page descriptor of ipa with attrs, and the leaf kind spt_fill records of it
 * (PERM: the one permission bit these tests grant). */
#define PERM	     BIT(0)
#define PAGE_OA_MASK (LPAE_OA_MASK & ~(u64)0xfff)

static u64 page_d(u32 ipa, u64 attrs)
{
	return ipa | LPAE_VALID | LPAE_TYPE_TABLE | attrs;
}

/* put_desc: the guest's 8-byte descriptor at ipa is d. */
static void put_desc(u32 ipa, u64 d)
{
	memcpy(ram + (ipa - RAM_IPA), &d, 8);
}

/* known_fill: lpae_fill of va through l2 and L3_TABLE_A, whose descriptor for va it writes,
 * recording the leaf's kind. */
static void known_fill(u32 va, u32 ipa, u32 l2, u64 attrs)
{
	u64 d = page_d(ipa, attrs);
	put_desc(L3_TABLE_A + 8 * ((va >> 12) & 511), d);
	struct spt_fill f = {.va = va, .ipa = ipa, .attrs = attrs, .nsrc = 3};
	const paddr_t src[3] = {(u32)TTBR_A + 8 * (va >> 30), l2 + 8 * ((va >> 21) & 511),
				L3_TABLE_A + 8 * ((va >> 12) & 511)};
	f.shape = &lpae_shape;
	f.src = src;
	/* As shadow.c's fill records it: the bits translation ignores are no part of it. */
	f.kind = (struct spt_leaf_kind){.key = d & ~PAGE_OA_MASK & ~LPAE_LEAF_IGNORED,
					.attrs = attrs,
					.addr_mask = (u32)PAGE_OA_MASK,
					.va_low = 0xfff,
					.perms = PERM,
					.hi_ignored = (u32)(LPAE_LEAF_IGNORED >> 32)};
	spt_fill(&f);
}

/* The store shadows a miss alone when the memo of its shadow table knows the walk: a leaf
 * of the memo's kind in the same last table, granting the access, mapping RAM. */
static void test_fill_known(void **state)
{
	(void)state;
	const u32 l2 = 0x40101000u;
	setup(64);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	known_fill(0x1000, RAM_IPA + 0x5000, l2, ATTR_RW);
	put_desc(L3_TABLE_A + 8 * 2, page_d(RAM_IPA + 0x6000, ATTR_RW));
	assert_true(spt_fill_known(0x2abc, PERM));
	paddr_t ipa;
	assert_true(spt_translate(0x2abc, &ipa) && ipa == RAM_IPA + 0x6abc);
	assert_true(spt_filled_as(0x2000, RAM_IPA + 0x6000, ATTR_RW));
	/* Not the memo's kind, no leaf, a permission it does not grant, not RAM. */
	put_desc(L3_TABLE_A + 8 * 3, page_d(RAM_IPA + 0x7000, ATTR_RO));
	assert_false(spt_fill_known(0x3000, PERM));
	assert_false(spt_fill_known(0x4000, PERM));
	put_desc(L3_TABLE_A + 8 * 5, page_d(RAM_IPA + 0x8000, ATTR_RW));
	assert_false(spt_fill_known(0x5000, PERM << 1));
	put_desc(L3_TABLE_A + 8 * 6, page_d(RAM_IPA + RAM_SIZE, ATTR_RW));
	assert_false(spt_fill_known(0x6000, PERM));
	assert_false(mapped(0x3000) || mapped(0x4000) || mapped(0x5000) || mapped(0x6000));
	/* Bits translation ignores (software use, B3.6.2) do not make another kind; XN does. */
	put_desc(L3_TABLE_A + 8 * 7,
		 page_d(RAM_IPA + 0xa000, ATTR_RW) | BIT64(55) | BIT64(58) | BIT64(63));
	assert_true(spt_fill_known(0x7000, PERM));
	assert_true(spt_filled_as(0x7000, RAM_IPA + 0xa000, ATTR_RW));
	put_desc(L3_TABLE_A + 8 * 8, page_d(RAM_IPA + 0xb000, ATTR_RW) | LPAE_XN);
	assert_false(spt_fill_known(0x8000, PERM));
	/* No shadow table for the VA: nothing known. */
	assert_false(spt_fill_known(0x200000, PERM));
	/* A frame out of sync: its descriptors may have changed unseen. */
	assert_true(spt_unsync(l2));
	assert_false(spt_fill_known(0x5000, PERM));
	spt_resync();
	assert_true(spt_fill_known(0x5000, PERM));
	/* A source gone voids the memo. */
	spt_guest_wrote(l2, 8);
	assert_false(mapped(0x1000));
	put_desc(L3_TABLE_A + 8 * 1, page_d(RAM_IPA + 0x5000, ATTR_RW));
	lpae_fill(0x7000, RAM_IPA + 0x9000, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	assert_false(spt_fill_known(0x1000, PERM)); /* that fill recorded no kind */
	check();
}

/* A short-descriptor memo holds for the 1 MiB its level-1 entry translates, not for the
 * other half of the 2 MiB shadow table. */
static void test_fill_known_short_halves(void **state)
{
	(void)state;
	const u32 l1 = 0x40100000u, l2a = 0x40101000u, l2b = 0x40101400u;
	setup(64);
	spt_select(&(struct spt_key){.ttbr0 = l1, .asid = ASID_A, .mmu = true});
	const u32 d1 = RAM_IPA + 0x5000 + 2, d2 = RAM_IPA + 0x6000 + 2; /* small pages */
	memcpy(ram + (l2a + 4 * 2 - RAM_IPA), &d2, 4);
	memcpy(ram + (l2b + 4 * 2 - RAM_IPA), &d2, 4);
	struct spt_fill f = {.va = 0x1000, .ipa = RAM_IPA + 0x5000, .attrs = ATTR_RW, .nsrc = 2};
	const paddr_t src[2] = {l1, l2a + 4};
	memcpy(ram + (l2a + 4 - RAM_IPA), &d1, 4);
	f.shape = &short_shape;
	f.src = src;
	f.kind = (struct spt_leaf_kind){.key = d1 & 0xfff,
					.attrs = ATTR_RW,
					.addr_mask = 0xfffff000u,
					.va_low = 0xfff,
					.perms = PERM};
	spt_fill(&f);
	assert_true(spt_fill_known(0x2000, PERM));
	assert_false(spt_fill_known(0x102000, PERM)); /* through the other level-1 entry */
	check();
}

/* A write refused by write protection alone: the leaf grants it, its frame is a table. */
static void test_caught_write(void **state)
{
	(void)state;
	const u32 l2 = 0x40101000u, alias = 0x3000;
	setup(64);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	lpae_fill(alias, L3_TABLE_A, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	lpae_fill(0x4000, L3_TABLE_A, TTBR_A, l2, L3_TABLE_A, ATTR_RO);
	paddr_t ipa = 0;
	u8 *host = spt_caught_write(alias + 0x18, false, &ipa);
	assert_true(host == ram + (L3_TABLE_A - RAM_IPA) + 0x18 && ipa == L3_TABLE_A + 0x18);
	assert_null(spt_caught_write(alias, true, &ipa));   /* the guest grants PL1 only */
	assert_null(spt_caught_write(0x4000, false, &ipa)); /* nor a write */
	assert_null(spt_caught_write(0x1000, false, &ipa)); /* not a page table */
	assert_null(spt_caught_write(0x5000, false, &ipa)); /* no leaf */
	check();
}

/* Writes over fault entries (spt_write_words) remove nothing; they count towards flooding,
 * and tell when they may map the fixed page's VA. */
static void test_writes_over_fault_entries(void **state)
{
	(void)state;
	const u32 l2 = 0x40101000u, top = 0xffe01000u, alias = 0x3000, alias_top = 0x4000;
	const u32 zero[2] = {0, 0};
	setup_flood(64, 3);
	spt_set_format(8, BIT(0) | BIT(2));
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	lpae_fill(top, RAM_IPA + 0x6000, TTBR_A, l2 + 0x1000, L3_TABLE_A + 0x1000, ATTR_RW);
	lpae_fill(alias, L3_TABLE_A, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	lpae_fill(alias_top, L3_TABLE_A + 0x1000, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	struct spt_words w = {alias + 8 * 7, 2, zero};
	assert_int_equal(spt_write_words(w.va, false, &w), SPT_WRITE_DONE);
	assert_true(mapped(0x1000));
	w.va = alias_top + 8 * ((FIXED_VA >> 12) & 511);
	assert_int_equal(spt_write_words(w.va, false, &w), SPT_WRITE_FIXED);
	assert_true(mapped(top));
	w.va = alias + 8 * 8;
	assert_int_equal(spt_write_words(w.va, false, &w), SPT_WRITE_DONE);
	assert_true(spt_frame_protected(L3_TABLE_A));
	w.va = alias + 8 * 9; /* the third write to the table: unshadowed */
	assert_int_equal(spt_write_words(w.va, false, &w), SPT_WRITE_DONE);
	assert_false(spt_frame_protected(L3_TABLE_A) || mapped(0x1000));
	check();
}

/* The store performs a caught write of words itself: into a protected table through a leaf
 * that grants the write, in the faulting page; over fault entries it removes nothing, over
 * a descriptor something was built from it removes that. */
static void test_write_words(void **state)
{
	(void)state;
	const u32 l2 = 0x40101000u, alias = 0x3000;
	setup(64);
	spt_set_format(8, BIT(0) | BIT(2)); /* LPAE: types 0b00 and 0b10 are faults everywhere */
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	put_desc(L3_TABLE_A + 8 * 1, page_d(RAM_IPA + 0x5000, ATTR_RW));
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	lpae_fill(alias, L3_TABLE_A, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	lpae_fill(0x4000, RAM_IPA + 0x9000, TTBR_A, l2, L3_TABLE_A, ATTR_RO);
	const u32 d[2] = {0x40007003u, 0};
	/* A new descriptor over a fault entry: written, nothing removed. */
	struct spt_words w = {alias + 8 * 7, 2, d};
	assert_int_equal(spt_write_words(alias + 8 * 7, false, &w), SPT_WRITE_DONE);
	assert_memory_equal(ram + (L3_TABLE_A - RAM_IPA) + 8 * 7, d, 8);
	assert_true(mapped(0x1000));
	/* Over the descriptor of 0x1000: its shadow goes. */
	w.va = alias + 8 * 1;
	assert_int_equal(spt_write_words(alias + 8 * 1, false, &w), SPT_WRITE_DONE);
	assert_false(mapped(0x1000));
	/* Not a write protection alone refused (no grant to PL0, none at all, no table), or
	 * words outside the faulting page: nothing done. */
	w.va = alias + 8 * 9;
	assert_int_equal(spt_write_words(alias + 8 * 9, true, &w), SPT_WRITE_NO);
	assert_int_equal(spt_write_words(0x4000, false, &w), SPT_WRITE_NO);
	assert_int_equal(spt_write_words(0x5000, false, &w), SPT_WRITE_NO);
	w.va = alias + 4096 - 4;
	assert_int_equal(spt_write_words(alias + 4096 - 4, false, &w), SPT_WRITE_OTHER);
	u64 nine;
	memcpy(&nine, ram + (L3_TABLE_A - RAM_IPA) + 8 * 9, 8);
	assert_true(nine == 0);
	check();
}

/* Before the guest's format is set, a caught write is performed and takes no descriptor
 * for a fault entry. */
static void test_write_words_before_format(void **state)
{
	(void)state;
	const u32 l2 = 0x40101000u, alias = 0x3000;
	const u32 d[2] = {0, 0};
	setup(64); /* no spt_set_format */
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	lpae_fill(0x1000, RAM_IPA + 0x5000, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	lpae_fill(alias, L3_TABLE_A, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	struct spt_words w = {alias + 8 * 1, 2, d}; /* the guest's descriptor was 0 */
	assert_int_equal(spt_write_words(w.va, false, &w), SPT_WRITE_DONE);
	assert_false(mapped(0x1000));
	assert_true(mapped(alias));
	check();
}

/* A write of part of a leaf descriptor removes its shadow; one over several removes each
 * of theirs, and nothing else. */
static void test_write_words_over_leaves(void **state)
{
	(void)state;
	const u32 l2 = 0x40101000u, alias = 0x3000;
	const u32 d[4] = {0, 0, 0, 0};
	setup(64);
	spt_set_format(8, BIT(0) | BIT(2));
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	for (u32 va = 0x10000; va < 0x15000; va += 0x1000) {
		put_desc(L3_TABLE_A + 8 * (va >> 12), page_d(RAM_IPA + 0x20000 + va, ATTR_RW));
		lpae_fill(va, RAM_IPA + 0x20000 + va, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	}
	lpae_fill(alias, L3_TABLE_A, TTBR_A, l2, L3_TABLE_A, ATTR_RW);
	/* The high word of 0x10000's descriptor. */
	struct spt_words w = {alias + 8 * 0x10 + 4, 1, d};
	nflush = 0;
	assert_int_equal(spt_write_words(w.va, false, &w), SPT_WRITE_DONE);
	assert_false(mapped(0x10000));
	assert_true(nflush == 1 && flushes[0].va == 0x10000);
	assert_true(mapped(0x11000) && mapped(0x12000));
	/* The descriptors of 0x12000 and 0x13000 (an STM of four words). */
	w = (struct spt_words){alias + 8 * 0x12, 4, d};
	assert_int_equal(spt_write_words(w.va, false, &w), SPT_WRITE_DONE);
	assert_false(mapped(0x12000) || mapped(0x13000));
	assert_true(mapped(0x11000) && mapped(0x14000) && mapped(alias));
	check();
}

/* short_page_fill: a 4 KiB short-descriptor small page at va, through the level-1 table
 * l1 and the level-2 table l2. */
static void short_page_fill(u32 va, u32 ipa, u32 l1, u32 l2)
{
	struct spt_fill f = {.va = va, .ipa = ipa, .attrs = ATTR_RW, .nsrc = 2};
	const paddr_t src[2] = {l1 + 4 * (va >> 20), l2 + 4 * ((va >> 12) & 255)};
	f.shape = &short_shape;
	f.src = src;
	spt_fill(&f);
}

/* A write within one short-descriptor level-2 descriptor removes the leaf it shaped in each
 * 1 MiB half of a 2 MiB shadow table that the table maps (aliases too); a write across two
 * removes both of theirs; nothing else goes. */
static void test_short_writes_remove_their_leaves(void **state)
{
	(void)state;
	const u32 l1 = 0x40100000u, l2a = 0x40101000u, l2b = 0x40101400u;
	setup(64);
	spt_select(&(struct spt_key){.ttbr0 = l1, .asid = ASID_A, .mmu = true});
	for (u32 va = 0x3000; va < 0x6000; va += 0x1000) {
		short_page_fill(va, RAM_IPA + 0x20000 + va, l1, l2a);
		short_page_fill(0x100000 + va, RAM_IPA + 0x30000 + va, l1, l2b); /* upper half */
		short_page_fill(0x300000 + va, RAM_IPA + 0x30000 + va, l1, l2b); /* alias */
	}
	spt_guest_wrote(l2b + 4 * 3 + 2, 2); /* half of the descriptor of 0x103000 */
	assert_false(mapped(0x103000) || mapped(0x303000));
	assert_true(mapped(0x3000) && mapped(0x104000) && mapped(0x304000));
	spt_guest_wrote(l2a + 4 * 4 + 2, 4); /* across the descriptors of 0x4000 and 0x5000 */
	assert_false(mapped(0x4000) || mapped(0x5000));
	assert_true(mapped(0x3000) && mapped(0x104000) && mapped(0x105000));
	check();
}

/* A write to the descriptor of the fixed page's VA, or to part of it, says that the guest
 * may now map it, and leaves the fixed page. */
static void test_write_over_the_fixed_pages_descriptor(void **state)
{
	(void)state;
	const u32 l2 = 0x40101000u, l3 = L3_TABLE_A + 0x1000;
	setup(64);
	spt_select(&(struct spt_key){.ttbr0 = TTBR_A, .asid = ASID_A, .mmu = true});
	lpae_fill(0xffe01000u, RAM_IPA + 0x5000, TTBR_A, l2, l3, ATTR_RW);
	assert_true(spt_guest_wrote(l3 + 8 * 511 + 4, 4));
	assert_true(spt_guest_wrote(l3 + 8 * 511, 8));
	assert_false(spt_guest_wrote(l3 + 8 * 2, 8));
	assert_true(mapped(FIXED_VA) && mapped(0xffe01000u));
	assert_true(spt_guest_wrote(l3 + 8 * 510, 16)); /* across it and the one before */
	assert_true(mapped(FIXED_VA));
	check();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fill_and_fixed_page),
	    cmocka_unit_test(test_fill_memo),
	    cmocka_unit_test(test_fill_known),
	    cmocka_unit_test(test_fill_known_short_halves),
	    cmocka_unit_test(test_caught_write),
	    cmocka_unit_test(test_writes_over_fault_entries),
	    cmocka_unit_test(test_write_words),
	    cmocka_unit_test(test_write_words_over_leaves),
	    cmocka_unit_test(test_write_words_before_format),
	    cmocka_unit_test(test_short_writes_remove_their_leaves),
	    cmocka_unit_test(test_write_over_the_fixed_pages_descriptor),
	    cmocka_unit_test(test_spurious_fill),
	    cmocka_unit_test(test_reverse_map_and_write_protection),
	    cmocka_unit_test(test_unsync_and_resync),
	    cmocka_unit_test(test_guest_writes_remove_exactly),
	    cmocka_unit_test(test_fill_through_a_changed_out_of_sync_descriptor),
	    cmocka_unit_test(test_root_cache_lru_and_no_leak),
	    cmocka_unit_test(test_pool_exhaustion),
	    cmocka_unit_test(test_source_overflow_keeps_this_fills_sources),
	    cmocka_unit_test(test_no_writable_leaf_on_a_protected_frame),
	    cmocka_unit_test(test_written_table_is_unshadowed),
	    cmocka_unit_test(test_changed_out_of_sync_descriptor_in_every_root),
	    cmocka_unit_test(test_changed_out_of_sync_descriptor_releases_its_frame),
	    cmocka_unit_test(test_fills_keep_upper_tables_shadowed),
	    cmocka_unit_test(test_resync_counts_descriptors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
