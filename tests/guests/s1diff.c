/* Differential check of the software stage-1 model (common/src/s1.c) against the MMU that
 * runs this guest: tables with every descriptor type, access permission, domain type,
 * execute-never and access-flag setting of both formats; each VA is accessed for real
 * (PL1 LDR/STR, PL0 LDRT/STRT, PL1 instruction fetch) and the outcome and fault status
 * compared with s1_translate. Prints one line per format; exits 1 on any mismatch. */
#include "rt.h"
#include "rt_pt.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/lpae.h"
#include "tb/s1.h"
#include "tb/short_desc.h"

#define TARGET_PA 0x40800000u /* 1 MiB of "bx lr" words every test VA maps into */
#define BX_LR	  0xe12fff1eu
#define TEST_VA	  0x80000000u

static u8 pool[64 * KiB] __attribute__((aligned(16384)));
static u32 pool_used;

static u32 alloc(u32 bytes)
{
	u32 at = (pool_used + bytes - 1) & ~(bytes - 1);
	pool_used = at + bytes;
	for (u32 i = 0; i < bytes; i++) {
		pool[at + i] = 0;
	}
	return (u32)(uintptr_t)&pool[at];
}

static void w32(u32 pa, u32 v)
{
	*(volatile u32 *)(uintptr_t)pa = v;
}

static void w64(u32 pa, u64 v)
{
	*(volatile u64 *)(uintptr_t)pa = v;
}

static const struct pt_mem direct = {.direct = true};

/* ---- accesses with fault capture ---- */
static volatile u32 got_fault, got_fsr;

static bool on_abort(u32 vector, struct rt_frame *f)
{
	got_fault = 1;
	if (vector == VEC_DABT) {
		got_fsr = read_dfsr();
		f->pc -= 4;
		return true;
	}
	if (vector == VEC_PABT) {
		got_fsr = read_ifsr();
		f->pc = f->lr_svc;
		return true;
	}
	return false;
}

static void access(u32 va, enum s1_access acc, bool pl0)
{
	u32 v = 0;
	got_fault = 0;
	got_fsr = 0;
	if (acc == S1_EXEC) {
		rt_call_addr(va);
	} else if (acc == S1_READ && !pl0) {
		__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(va) : "memory");
	} else if (acc == S1_READ) {
		__asm__ volatile("ldrt %0, [%1]" : "=&r"(v) : "r"(va) : "memory");
	} else if (!pl0) {
		__asm__ volatile("str %0, [%1]" ::"r"(BX_LR), "r"(va) : "memory");
	} else {
		__asm__ volatile("strt %0, [%1]" ::"r"(BX_LR), "r"(va) : "memory");
	}
}

static u32 mismatches, checks, faults;

static void compare(const struct s1_state *st, u32 va)
{
	static const enum s1_access accs[5] = {S1_READ, S1_WRITE, S1_READ, S1_WRITE, S1_EXEC};
	static const bool pl0s[5] = {false, false, true, true, false};
	for (u32 i = 0; i < 5; i++) {
		struct s1_result r;
		enum s1_fault model = s1_translate(st, &direct, va, accs[i], pl0s[i], &r);
		access(va, accs[i], pl0s[i]);
		/* The hardware FSR carries WnR and (for fetches) no WnR: compare without it. */
		u32 hw = got_fsr & ~FSR_WNR;
		checks++;
		faults += got_fault;
		if ((model != S1_OK) != (got_fault != 0) || (model != S1_OK && r.fsr != hw)) {
			mismatches++;
			rt_printf("  MISMATCH va 0x%08x access %u: model fault %d fsr 0x%03x, "
				  "MMU %s fsr 0x%03x\n",
				  va, i, model, r.fsr, got_fault ? "fault" : "ok", hw);
		}
	}
}

/* ---- short format ---- */
static void short_tables(u32 *nva, u32 *vas)
{
	u32 l1 = alloc(16 * KiB), n = 0;
	u32 ram = rt_ram_base();
	/* The guest's own RAM and the UART, so that it keeps running (domain 0, client). */
	for (u32 a = ram; a < ram + rt_ram_size(); a += MiB) {
		w32(l1 + 4 * (a >> 20), a | SD_L1_SECTION | (3u << SD_SEC_AP_SHIFT) |
					    (1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B);
	}
	w32(l1 + 4 * (RT_UART >> 20), RT_UART | SD_L1_SECTION | (3u << SD_SEC_AP_SHIFT) | SD_SEC_B);
	/* Sections: every AP x domains 1 (client), 2 (manager), 3 (no access), XN, PXN. */
	u32 va = TEST_VA;
	for (u32 ap = 0; ap < 8; ap++) {
		for (u32 dom = 1; dom <= 3; dom++) {
			for (u32 x = 0; x < 3; x++) {
				u32 extra = x == 1 ? SD_SEC_XN : x == 2 ? SD_L1_PXN : 0;
				w32(l1 + 4 * (va >> 20), TARGET_PA | SD_L1_SECTION | extra |
							     ((ap & 3u) << SD_SEC_AP_SHIFT) |
							     ((ap & 4u) ? SD_SEC_APX : 0) |
							     (dom << SD_DOMAIN_SHIFT) |
							     (1u << SD_SEC_TEX_SHIFT) | SD_SEC_C);
				vas[n++] = va + 0x40;
				va += MiB;
			}
		}
	}
	/* A page table (domain 1, then PXN table with domain 2): small and large pages. */
	for (u32 t = 0; t < 2; t++) {
		u32 l2 = alloc(1 * KiB);
		w32(l1 + 4 * (va >> 20), l2 | SD_L1_PAGE_TABLE | ((1u + t) << SD_DOMAIN_SHIFT) |
					     (t ? SD_L1_TABLE_PXN : 0));
		for (u32 ap = 0; ap < 8; ap++) {
			for (u32 xn = 0; xn < 2; xn++) {
				u32 idx = ap * 2 + xn;
				w32(l2 + 4 * idx, TARGET_PA | SD_L2_SMALL |
						      (xn ? SD_L2_SMALL_XN : 0) |
						      ((ap & 3u) << SD_PG_AP_SHIFT) |
						      ((ap & 4u) ? SD_PG_APX : 0) | SD_PG_C);
				vas[n++] = va + idx * 4096 + 8;
			}
		}
		for (u32 i = 0; i < 16; i++) { /* a large page at index 32, user read-only */
			w32(l2 + 4 * (32 + i), (TARGET_PA & SD_L2_LARGE_BASE) | SD_L2_LARGE |
						   (2u << SD_PG_AP_SHIFT) | SD_PG_C);
		}
		vas[n++] = va + 32 * 4096 + 0x1234;
		vas[n++] = va + 20 * 4096; /* an empty entry: level-2 translation fault */
		va += MiB;
	}
	vas[n++] = va + 0x100; /* an empty first-level entry */
	*nva = n;
	write_ttbcr(0);
	write_ttbr0(l1);
	write_dacr(0x1u | (1u << 2) | (3u << 4) | (0u << 6)); /* 0,1 client; 2 manager; 3 none */
}

/* ---- LPAE ---- */
static void lpae_tables(u32 *nva, u32 *vas)
{
	u32 l1 = alloc(4096), n = 0;
	u32 ram = rt_ram_base();
	u64 normal = LPAE_AF | ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT); /* AttrIndx 0 */
	u64 device = LPAE_AF | (1u << LPAE_ATTRINDX_SHIFT);
	u32 l2ram = alloc(4096), l2low = alloc(4096), l2test = alloc(4096);
	w64(l1 + 8 * 1, pt_lpae_s1.make_table(l2ram));
	w64(l1 + 8 * 0, pt_lpae_s1.make_table(l2low));
	for (u32 a = ram; a < ram + rt_ram_size(); a += 2 * MiB) {
		w64(l2ram + 8 * ((a >> 21) & 511), pt_lpae_s1.make_leaf(a, 1, normal));
	}
	w64(l2low + 8 * (RT_UART >> 21), pt_lpae_s1.make_leaf(RT_UART, 1, device));
	/* TEST_VA's gigabyte: blocks with every AP x AF x XN/PXN; then tables with each
	 * hierarchical attribute over a page with every AP. */
	w64(l1 + 8 * (TEST_VA >> 30), pt_lpae_s1.make_table(l2test));
	u32 idx = 0;
	for (u32 ap = 0; ap < 4; ap++) {
		for (u32 af = 0; af < 2; af++) {
			for (u32 x = 0; x < 3; x++) {
				u64 a = ((u64)ap << LPAE_AP_SHIFT) | (af ? LPAE_AF : 0) |
					(x == 1	  ? LPAE_XN
					 : x == 2 ? LPAE_PXN
						  : 0);
				w64(l2test + 8 * idx,
				    pt_lpae_s1.make_leaf(TARGET_PA & ~0x1fffffu, 1, a));
				vas[n++] = TEST_VA + idx * 2 * MiB + 0x80;
				idx++;
			}
		}
	}
	static const u64 table_attrs[5] = {0, 1ull << LPAE_APTABLE_SHIFT,
					   2ull << LPAE_APTABLE_SHIFT, LPAE_XNTABLE, LPAE_PXNTABLE};
	for (u32 t = 0; t < 5; t++) {
		u32 l3 = alloc(4096);
		w64(l2test + 8 * idx, pt_lpae_s1.make_table(l3) | table_attrs[t]);
		for (u32 ap = 0; ap < 4; ap++) {
			w64(l3 + 8 * ap, pt_lpae_s1.make_leaf(
					     TARGET_PA, 2, ((u64)ap << LPAE_AP_SHIFT) | LPAE_AF));
			vas[n++] = TEST_VA + idx * 2 * MiB + ap * 4096 + 4;
		}
		vas[n++] = TEST_VA + idx * 2 * MiB + 9 * 4096; /* level-3 translation fault */
		idx++;
	}
	vas[n++] = TEST_VA + idx * 2 * MiB; /* level-2 translation fault */
	vas[n++] = 0xc0000000u;		    /* level-1 translation fault */
	*nva = n;
	write_prrr(0x04ffu); /* MAIR0: 0 normal, 1 device */
	write_ttbcr(TTBCR_EAE | (LPAE_SH_INNER << 12) | (RGN_WBWA << 10) | (RGN_WBWA << 8));
	write_ttbr0_64(l1);
}

static void run_format(bool lpae)
{
	static u32 vas[256];
	u32 n;
	pool_used = 0;
	mismatches = checks = faults = 0;
	if (lpae) {
		lpae_tables(&n, vas);
	} else {
		short_tables(&n, vas);
	}
	rt_mmu_enable();
	struct s1_state st = {read_sctlr(), read_ttbcr(), read_ttbr0_64(), read_ttbr1_64(),
			      read_dacr()};
	for (u32 i = 0; i < n; i++) {
		compare(&st, vas[i]);
	}
	write_sctlr(read_sctlr() & ~SCTLR_M);
	isb();
	rt_printf("s1diff %s: %u VAs, %u accesses (%u faulted), %u mismatches\n",
		  lpae ? "lpae" : "short", n, checks, faults, mismatches);
}

int main(void)
{
	for (u32 a = 0; a < MiB; a += 4) {
		w32(TARGET_PA + a, BX_LR);
	}
	rt_set_handler(on_abort);
	run_format(false);
	u32 bad = mismatches;
	run_format(true);
	return bad + mismatches == 0 ? 0 : 1;
}
