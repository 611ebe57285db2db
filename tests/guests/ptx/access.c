/* The exerciser's accesses: loads, stores and instruction fetches at PL1, unprivileged
 * LDRT/STRT, and loads, stores and fetches in user mode through the trampoline. Each one
 * is made only to a page no TLB may hold a stale entry for, its outcome is predicted by the
 * stage-1 model (common/src/s1.c) over the current tables, compared with what the MMU did
 * (a difference natively is a bug of the guest or of the model: the run stops), and traced
 * as one line, "<kind> <address space> <va> <outcome>":
 *   R1 2 c0012010 =e3004a1b      a load or a fetch, and the value (a fetch: r0 it set)
 *   W0 1 00401008 ok             a store
 *   X0 3 c0012018 F00f c0012018  a fault: FSR and FAR
 * kinds: R1 W1 X1 (PL1), Rt Wt (LDRT/STRT), R0 W0 X0 (user mode). The FSR shows only the
 * bits the architecture defines for the fault (fsr_defined). */
#include "ptx.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/short_desc.h"

enum kind { K_R1, K_W1, K_RT, K_WT, K_R0, K_W0, K_X1, K_X0, K_COUNT };

static const struct {
	const char *name;
	enum s1_access acc;
	bool pl0;
	u32 weight;
} kinds[K_COUNT] = {
    [K_R1] = {"R1", S1_READ, false, 20}, [K_W1] = {"W1", S1_WRITE, false, 18},
    [K_RT] = {"Rt", S1_READ, true, 10},	 [K_WT] = {"Wt", S1_WRITE, true, 10},
    [K_R0] = {"R0", S1_READ, true, 10},	 [K_W0] = {"W0", S1_WRITE, true, 10},
    [K_X1] = {"X1", S1_EXEC, false, 11}, [K_X0] = {"X0", S1_EXEC, true, 11},
};

#define SVC_RETURN_PSR (PSR_MODE_SVC | PSR_A | PSR_I | PSR_F)
#define TARGET_PCT     80u /* accesses near a recent mapping, the rest anywhere in a window */
#define LEAVE_PCT      40u /* accesses to a stale page given up rather than cleaned first */
#define UNMAPPED_PCT   30u /* targets that do not translate, kept rather than drawn again */
#define RETARGETS      3u

static volatile struct {
	bool armed, faulted;
	u32 vector, fsr, far;
} cap;

static const struct pt_mem direct = {.direct = true};

/* user_va: where a symbol of the trampoline page is in user mode. */
static u32 user_va(const char *sym)
{
	return PTX_TRAMP_VA + (u32)(sym - ptx_user_page);
}

/* on_exception: the trampoline's SVC, and the one fault an armed access may take. */
static bool on_exception(u32 vector, struct rt_frame *f)
{
	bool user = (f->spsr & PSR_MODE_MASK) == PSR_MODE_USR;
	if (vector == VEC_SVC && user) {
		f->pc = (u32)(uintptr_t)ptx_user_back;
		f->spsr = SVC_RETURN_PSR;
		return true;
	}
	if (!cap.armed || (vector != VEC_DABT && vector != VEC_PABT)) {
		return false;
	}
	cap.armed = false;
	cap.faulted = true;
	cap.vector = vector;
	if (vector == VEC_DABT) {
		cap.fsr = read_dfsr();
		cap.far = read_dfar();
		f->pc -= 4; /* LR_abt is the access + 8: resume after it */
	} else {
		cap.fsr = read_ifsr();
		cap.far = read_ifar();
		f->pc = user ? user_va(ptx_user_svc) : f->lr_svc; /* as if the branch returned */
	}
	return true;
}

void ptx_access_init(void)
{
	rt_set_handler(on_exception);
}

enum s1_fault ptx_model(u32 va, enum s1_access acc, bool pl0, struct s1_result *r)
{
	struct s1_state st;
	ptx_s1_state(&st);
	return s1_translate(&st, &direct, va, acc, pl0, r);
}

static u32 load_pl1(u32 va)
{
	u32 v = PTX_NO_VALUE;
	__asm__ volatile("ldr %0, [%1]" : "+&r"(v) : "r"(va) : "memory");
	return v;
}

static u32 load_unpriv(u32 va)
{
	u32 v = PTX_NO_VALUE;
	__asm__ volatile("ldrt %0, [%1]" : "+&r"(v) : "r"(va) : "memory");
	return v;
}

static void store_pl1(u32 va, u32 v)
{
	__asm__ volatile("str %0, [%1]" ::"r"(v), "r"(va) : "memory");
}

static void store_unpriv(u32 va, u32 v)
{
	__asm__ volatile("strt %0, [%1]" ::"r"(v), "r"(va) : "memory");
}

/* exec_pl1: branch to va ("movw r0, #imm16; bx lr"); r0 on return. */
static u32 exec_pl1(u32 va)
{
	register u32 r0 __asm__("r0") = PTX_NO_VALUE;
	__asm__ volatile("blx %1"
			 : "+r"(r0)
			 : "r"(va)
			 : "r1", "r2", "r3", "r12", "lr", "memory", "cc");
	return r0;
}

/* perform: the access, with the fault capture armed; the value loaded or fetched. */
static u32 perform(enum kind k, u32 va, u32 value)
{
	u32 v = PTX_NO_VALUE;
	cap.faulted = false;
	cap.armed = true;
	isb();
	switch (k) {
	case K_R1:
		v = load_pl1(va);
		break;
	case K_W1:
		store_pl1(va, value);
		break;
	case K_RT:
		v = load_unpriv(va);
		break;
	case K_WT:
		store_unpriv(va, value);
		break;
	case K_R0:
		v = ptx_user_call(PTX_UOP_READ, va, 0, PTX_TRAMP_VA);
		break;
	case K_W0:
		ptx_user_call(PTX_UOP_WRITE, va, value, PTX_TRAMP_VA);
		break;
	case K_X1:
		v = exec_pl1(va);
		break;
	default:
		v = ptx_user_call(PTX_UOP_EXEC, va, 0, PTX_TRAMP_VA);
		break;
	}
	cap.armed = false;
	return v;
}

/* sd_domain_valid: does a short-format DFSR with status fs carry the domain (table B3-23)? */
static bool sd_domain_valid(u32 fs)
{
	switch (fs) {
	case SD_FS_TRANSLATION_L2:
	case SD_FS_ACCESS_FLAG_L1:
	case SD_FS_ACCESS_FLAG_L2:
	case SD_FS_DOMAIN_L1:
	case SD_FS_DOMAIN_L2:
	case SD_FS_PERMISSION_L1:
	case SD_FS_PERMISSION_L2:
	case SD_FS_WALK_EXT_L2:
		return true;
	default:
		return false;
	}
}

/* fsr_defined: the bits of a DFSR/IFSR the architecture defines for this fault (B4.1.52,
 * B4.1.96): status, WnR and CM (data aborts), the short format's domain where table B3-23
 * says it is valid. ExT is IMPLEMENTATION DEFINED; the IFSR has no domain or WnR. */
static u32 fsr_defined(u32 fsr, bool prefetch)
{
	u32 keep = prefetch ? 0 : FSR_WNR | FSR_CM;
	if (ptx.lpae) {
		return fsr & (keep | FSR_LD_STATUS_MASK | FSR_LPAE);
	}
	u32 fs = ((fsr & FSR_SD_FS4) ? 0x10u : 0) | (fsr & FSR_SD_FS_LOW);
	keep |= FSR_SD_FS4 | FSR_SD_FS_LOW;
	if (!prefetch && sd_domain_valid(fs)) {
		keep |= FSR_SD_DOMAIN_MASK;
	}
	return fsr & keep;
}

/* in_pools: is pa in one of the exerciser's pools (all a window may map)? */
static bool in_pools(u32 pa)
{
	return pa - ptx.small_pool < PTX_SMALL_POOL_SIZE || pa - ptx.big_pool < PTX_BIG_POOL_SIZE;
}

/* holds_code: does pa hold the data pattern's code (not a page table's descriptors)? */
static bool holds_code(u32 pa)
{
	struct ptx_frame *f = ptx_frame(pa);
	return f == NULL || f->role == ROLE_DATA;
}

/* sync_code: make the instructions at pa (if any) visible to fetches through any VA: clean
 * the line to the point of unification, invalidate the instruction caches (including a
 * VIPT cache's entries from older mappings) and the branch predictors (B2.2.9). */
static void sync_code(u32 pa)
{
	if (pa != 0) {
		dcache_clean_pou(pa);
	}
	dsb();
	icache_inv_all();
	bp_inv_all();
	dsb();
	isb();
}

/* movw_imm: the immediate of "movw r0, #imm16". */
static u32 movw_imm(u32 insn)
{
	return ((insn >> 16) & MASK(4)) << 12 | (insn & MASK(12));
}

/* trace: the trace line of an access (after the step number with verbose=1), and its
 * values in the checksum. */
static void trace(enum kind k, u32 va, u32 v)
{
	ptx.accesses++;
	ptx_sum(k);
	ptx_sum(va);
	if (ptx.verbose) {
		rt_printf("%u ", ptx.step);
	}
	rt_printf("%s %u %08x ", kinds[k].name, ptx.cur, va);
	if (cap.faulted) {
		u32 fsr = fsr_defined(cap.fsr, kinds[k].acc == S1_EXEC);
		ptx.faults++;
		ptx_sum(fsr);
		ptx_sum(cap.far);
		rt_printf("F%03x %08x\n", fsr, cap.far);
	} else if (kinds[k].acc == S1_WRITE) {
		rt_printf("ok\n");
	} else {
		ptx_sum(v);
		rt_printf("=%08x\n", v);
	}
}

/* check: the outcome is the model's (mf, r) - or the run stops. */
static void check(enum kind k, u32 va, enum s1_fault mf, const struct s1_result *r, u32 v,
		  u32 stored)
{
	bool prefetch = kinds[k].acc == S1_EXEC;
	if (mf != S1_OK) {
		u32 want = fsr_defined(r->fsr | (kinds[k].acc == S1_WRITE ? FSR_WNR : 0), prefetch);
		if (!cap.faulted || cap.vector != (prefetch ? VEC_PABT : VEC_DABT) ||
		    fsr_defined(cap.fsr, prefetch) != want || cap.far != va) {
			ptx_fail("%s %08x: expected a fault with FSR %03x FAR %08x", kinds[k].name,
				 va, want, va);
		}
		return;
	}
	u32 pa = (u32)r->out;
	if (cap.faulted) {
		ptx_fail("%s %08x: expected no fault (PA %08x)", kinds[k].name, va, pa);
	}
	u32 mem = *(volatile u32 *)(uintptr_t)pa;
	u32 want = kinds[k].acc == S1_WRITE ? stored : prefetch ? movw_imm(mem) : mem;
	u32 got = kinds[k].acc == S1_WRITE ? mem : v;
	if (got != want) {
		ptx_fail("%s %08x: expected %08x (PA %08x), got %08x", kinds[k].name, va, want, pa,
			 got);
	}
}

/* random_kind: an access kind by weight. */
static enum kind random_kind(void)
{
	u32 total = 0;
	for (u32 k = 0; k < K_COUNT; k++) {
		total += kinds[k].weight;
	}
	u32 r = ptx_below(total);
	enum kind k = 0;
	while (r >= kinds[k].weight) {
		r -= kinds[k].weight;
		k++;
	}
	return k;
}

/* random_target: a page near a recent mapping or anywhere in a window; an offset in the
 * patterned start (words; doublewords for stores and fetches). */
static u32 random_target(bool pair)
{
	const struct ptx_recent *rec = ptx_recent(ptx_below(PTX_RECENT));
	u32 va;
	for (u32 i = 0; i < 3 && rec != NULL && rec->va < PTX_KERN_WIN && rec->as != ptx.cur; i++) {
		rec = ptx_recent(ptx_below(PTX_RECENT)); /* prefer the current address space's */
	}
	if (rec != NULL && ptx_chance(TARGET_PCT)) {
		va = rec->va + ptx_below(rec->size / PAGE_SIZE_4K) * PAGE_SIZE_4K;
	} else {
		va = ptx_page_va(ptx_below(WIN_COUNT), ptx_below(PTX_WIN_PAGES));
	}
	return va + (pair ? ptx_below(PTX_FILL / 8) * 8 : ptx_below(PTX_FILL / 4) * 4);
}

/* qemu_differs: short format: a level-2 translation fault below a first-level entry whose
 * domain has no access. The architecture fetches the second-level descriptor before the
 * domain check (B3.12.3), so the fault is a translation fault; QEMU 7.2 checks the domain
 * first and reports a domain fault. Such accesses are not made (docs/testing.md). */
static bool qemu_differs(enum s1_fault mf, const struct s1_result *r)
{
	u32 type = (ptx.dacr >> (r->domain * DACR_FIELD_BITS)) & MASK(DACR_FIELD_BITS);
	return !ptx.lpae && mf == S1_FAULT_TRANSLATION && r->level == 2 && type != DACR_CLIENT &&
	       type != DACR_MANAGER;
}

void ptx_random_access(void)
{
	enum kind k = random_kind();
	struct s1_result r;
	enum s1_fault mf;
	u32 va;
	for (u32 t = 0;; t++) { /* mostly addresses that translate */
		va = random_target(kinds[k].acc != S1_READ);
		mf = ptx_model(va, kinds[k].acc, kinds[k].pl0, &r);
		if (t == RETARGETS || mf != S1_FAULT_TRANSLATION || ptx_chance(UNMAPPED_PCT)) {
			break;
		}
	}
	enum ptx_win w;
	u32 page;
	if (!ptx_win_page(va, &w, &page)) {
		ptx_fail("access target %08x outside the windows", va);
	}
	if (!ptx_page_clean(w, ptx.cur, page)) {
		if (ptx_chance(LEAVE_PCT)) {
			return; /* a TLB may hold either translation: no access */
		}
		ptx_clean_page(w, ptx.cur, page);
	}
	u32 pa = (u32)r.out;
	if (qemu_differs(mf, &r)) {
		return;
	}
	if (mf == S1_OK && !in_pools(pa)) {
		ptx_fail("%08x translates to %08x, outside the pools", va, pa);
	}
	if (mf == S1_OK && kinds[k].acc == S1_EXEC && !holds_code(pa)) {
		return; /* a page table's words are no code */
	}
	struct ptx_entry e;
	u64 old = 0, new = 0;
	bool is_desc = false;
	u32 value = ptx_movw_r0(ptx_below(BIT(16)));
	if (mf == S1_OK && kinds[k].acc == S1_WRITE) {
		value = ptx_store_value(pa, &e, &old, &new, &is_desc);
	}
	if (kinds[k].acc == S1_EXEC) {
		sync_code(mf == S1_OK ? pa : 0);
	}
	u32 v = perform(k, va, value);
	dsb(); /* a descriptor stored: the walks see it */
	trace(k, va, v);
	check(k, va, mf, &r, v, value);
	if (is_desc) {
		ptx_note("store to a table: 0x%llx -> 0x%llx", old, new);
		ptx_changed(&e, old, new);
	}
}

u32 ptx_alias_va(u32 pa)
{
	u32 start = ptx_below(PTX_RECENT);
	for (u32 i = 0; i < PTX_RECENT; i++) {
		const struct ptx_recent *rec = ptx_recent(start + i);
		if (rec == NULL) {
			return 0;
		}
		u32 va = rec->va + (pa - rec->pa);
		enum ptx_win w;
		u32 page;
		struct s1_result r;
		if (pa - rec->pa >= rec->size || !ptx_win_page(va, &w, &page) ||
		    !ptx_page_clean(w, ptx.cur, page)) {
			continue;
		}
		if (ptx_model(va, S1_WRITE, false, &r) == S1_OK && r.out == pa) {
			return va;
		}
	}
	return 0;
}
