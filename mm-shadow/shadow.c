/* The shadow page-table module: HCR.VM=0; the hardware walks tables that the hypervisor
 * builds from the guest's own (always LPAE format, whatever the guest uses), filled one
 * 4 KiB page at a time on misses. docs/shadow-design.md explains the design.
 *
 *   - The guest's translation registers are virtual: writes trap (HCR.TVM, B1.14.4), reads
 *     of the ones whose hardware value differs trap (HSTR.T1/T2/T3/T10/T12/T13).
 *   - Aborts reach the hypervisor through a trampoline: the hardware VBAR points at a
 *     hypervisor page at SHADOW_TRAMPOLINE_VA whose abort slots are HVC #1 / #2 and whose
 *     other slots branch to the guest's own vectors.
 *   - A miss is resolved with the stage-1 model (common/src/s1.c): a page of RAM is shadowed,
 *     a device access emulated, a genuine fault delivered with the status the guest's own
 *     tables imply.
 *   - The store (spt.c) caches one shadow root per address space (guest TTBR0, ASID, DACR,
 *     SCTLR.M), each with its own hardware ASID, in a bounded pool with LRU eviction; it
 *     keeps the reverse map and the sources that make write protection of the guest's
 *     tables work.
 *   - Coherence: writes to guest page tables are caught and emulated (shadow.sync=emulate)
 *     or let through until the next TLB maintenance or address-space switch, when the
 *     frame is compared with its snapshot (shadow.sync=unsync). Trapped TLB maintenance
 *     (HCR.TTLB) brings the out-of-sync frames back, which removes every stale shadow
 *     entry: the others are what a walk gives now (spt.c, I6).
 * Not handled (docs/shadow-design.md): guest ATS operations (not trapped: they translate
 * through the shadow), big-endian guests, and misses taken while the guest runs in Abort
 * mode: the hardware abort that reports the miss overwrites LR_abt/SPSR_abt, so such a miss
 * stops the run with a message, unless the access aborts natively too (its tables refuse
 * it, or it reaches neither RAM nor a device): that nested abort is delivered at once. */
#include "shadow.h"
#include "hyp/console.h"
#include "hyp/decode.h"
#include "hyp/mm.h"
#include "hyp/palloc.h"
#include "hyp/syndrome.h"
#include "hyp/trap.h"
#include "spt.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/lpae.h"
#include "tb/pt.h"
#include "tb/s1.h"
#include "tb/str.h"

/* shadow_counters_refresh: the derived counters. Every shadow leaf is on exactly one
 * reverse-map chain (spt.c, I1): a leaf installed is one reverse-map insert, a leaf removed
 * one remove, so the hot paths count each once; a caught page-table write is emulated or
 * let through. */
static void shadow_counters_refresh(void)
{
	shadow_values[SH_rmap_inserts] = shadow_values[SH_fills];
	shadow_values[SH_rmap_removes] = shadow_values[SH_zaps];
	shadow_values[SH_pt_writes_caught] =
	    shadow_values[SH_pt_writes_emulated] + shadow_values[SH_pt_writes_deferred];
}

DEFINE_COUNTER_BLOCK_DERIVED(shadow, "shadow", SHADOW_COUNTERS, shadow_counters_refresh)

/* A VA the guest must never map: the trampoline vector page. */
#define SHADOW_TRAMPOLINE_VA 0xfffff000u
#define POOL_PAGES_DEFAULT   1024u /* 4 MiB of shadow tables */
#define POOL_PAGES_MIN	     16u
#define POOL_PAGES_MAX	     16384u
#define CHECK_EVERY_MAX	     1000000u
#define FLOOD_DEFAULT	     4u /* writes to a table with no fill through it: unshadowed */
#define FLOOD_MAX	     SPT_FLOOD_MAX
#define HVC_PABT	     1u
#define HVC_DABT	     2u
/* A32 encodings of the trampoline page. */
#define INSN_HVC(imm)	  (0xe1400070u | (((imm)&0xfff0u) << 4) | ((imm)&0xfu))
#define INSN_LDR_PC_PC_18 0xe59ff018u /* ldr pc, [pc, #0x18]: the literal 0x20 bytes on */
#define INSN_B_MASK	  0xff000000u /* B <label>, condition AL (A8.8.18, encoding A1) */
#define INSN_B_AL	  0xea000000u
/* T32 B (A8.8.18): encoding T2 (16 bits, imm11) and T4 (32 bits, S:I1:I2:imm10:imm11). */
#define T16_B_MASK     0xf800u
#define T16_B	       0xe000u
#define T32_B_HW1_MASK 0xf800u
#define T32_B_HW1      0xf000u
#define T32_B_HW2_MASK 0xd000u
#define T32_B_HW2      0x9000u
/* LDR pc, [pc, #+/-imm12] (A8.8.64, literal): A1 with condition AL, and T32 LDR.W (T2);
 * U (add) in A32 bit 23, in T32 hw1 bit 7. */
#define INSN_LDR_PC_LIT_MASK	0xff7ff000u
#define INSN_LDR_PC_LIT		0xe51ff000u
#define INSN_LDR_U		BIT(23)
#define T32_LDR_PC_LIT_HW1_MASK 0xff7fu
#define T32_LDR_PC_LIT_HW1	0xf85fu
#define T32_LDR_PC_LIT_HW2_MASK 0xf000u
#define T32_LDR_PC_LIT_HW2	0xf000u
#define T32_LDR_U		BIT(7)
#define TRAMPOLINE_POOL		8u	    /* word index of the literal pool */
#define MAIR_SHADOW		0x000004ffu /* attr 0: normal write-back, attr 1: device */
/* SCTLR bits the hardware takes from the guest; TE and EE stay 0 (the trampoline is A32 and
 * the shadow tables little-endian), V stays 0 (the trampoline is at VBAR). */
#define SCTLR_GUEST_PASSTHROUGH (SCTLR_A | SCTLR_C | BIT(11) | BIT(12))
/* SCTLR bits that change how the guest's tables are read: TEX remap, access flag. */
#define SCTLR_TRANSLATION (SCTLR_TRE | SCTLR_AFE | SCTLR_WXN | SCTLR_UWXN)
#define ASID_MASK	  0xffu
/* The modes a guest can run in (not Hyp or Monitor), a bit for each 5-bit mode number, and
 * those a miss is taken from without ado: every one but Abort mode. */
#define GUEST_MODES                                                                                \
	(BIT(PSR_MODE_USR) | BIT(PSR_MODE_FIQ) | BIT(PSR_MODE_IRQ) | BIT(PSR_MODE_SVC) |           \
	 BIT(PSR_MODE_ABT) | BIT(PSR_MODE_UND) | BIT(PSR_MODE_SYS))
#define MISS_MODES (GUEST_MODES & ~BIT(PSR_MODE_ABT))

enum sync_policy {
	SYNC_EMULATE, /* caught page-table writes are emulated at once */
	SYNC_UNSYNC,  /* the frame goes out of sync until the next maintenance or switch */
};

/* The guest's translation registers as it wrote them. */
struct vregs {
	struct s1_state s1; /* SCTLR, TTBCR, TTBR0/1, DACR: what the stage-1 model reads */
	u32 vbar, contextidr, prrr, nmrr;
	u32 dfsr, ifsr, dfar, ifar; /* what the guest last wrote or was given */
	u32 lr_abt, spsr_abt;	    /* the abort-mode state of its last genuine abort */
};

/* A regime's walk shape, for the store (walk_shape). */
struct shape_memo {
	const struct pt_format *fmt; /* NULL: unused */
	u8 start, start_bits;
	struct spt_shape shape;
};

static struct {
	struct vm *vm;
	struct vregs g;
	struct shape_memo shapes[2];
	u32 next_shape;
	struct decode_cache decodes; /* the loads and stores caught (decode_guest) */
	struct spt_key key; /* the address space the guest runs in (guest_key), kept current */
	u32 trampoline;	    /* host PA of the trampoline page */
	/* Options. */
	enum sync_policy sync;
	u32 pool_pages;
	u32 check_every; /* verify the store's invariants after every n-th trap (0: never) */
	u32 flood;	 /* spt_config.flood_writes */
	u32 check_countdown;
} sh = {.sync = SYNC_EMULATE, .pool_pages = POOL_PAGES_DEFAULT, .flood = FLOOD_DEFAULT};

/* ---- what the store asks of the hypervisor ---- */

/* The descriptor write completes before the TLB maintenance (B3.10.1); every trap path
 * ends with a DSB (shadow_trap_done), which completes the maintenance before the guest runs. */
void spt_hw_flush_va(u32 va, u32 hw_asid)
{
	dsb();
	tlbi_mva((va & ~PAGE_OFFSET_MASK) | hw_asid); /* Hyp mode: the PL1&0 regime, B4.2.2 */
}

void spt_hw_flush_asid(u32 hw_asid)
{
	dsb();
	tlbi_asid(hw_asid);
}

void spt_panic(const char *what)
{
	hyp_fatal("%s", what);
}

static paddr_t store_alloc(u32 bytes)
{
	return palloc_pages(ALIGN_UP(bytes, PAGE_SIZE_4K) / PAGE_SIZE_4K, PAGE_SIZE_4K);
}

/* option_u32: the decimal val (vlen chars) into *out if it is in [min, max]. */
static bool option_u32(const char *val, size_t vlen, u32 min, u32 max, u32 *out)
{
	u64 n;
	if (!tb_parse_u64(val, vlen, false, &n) || n < min || n > max) {
		return false;
	}
	*out = (u32)n;
	return true;
}

static bool shadow_option(const char *key, size_t klen, const char *val, size_t vlen)
{
	if (klen == 4 && strncmp(key, "sync", 4) == 0) {
		if (vlen == 7 && strncmp(val, "emulate", 7) == 0) {
			sh.sync = SYNC_EMULATE;
			return true;
		}
		if (vlen == 6 && strncmp(val, "unsync", 6) == 0) {
			sh.sync = SYNC_UNSYNC;
			return true;
		}
		return false;
	}
	if (klen == 4 && strncmp(key, "pool", 4) == 0) {
		return option_u32(val, vlen, POOL_PAGES_MIN, POOL_PAGES_MAX, &sh.pool_pages);
	}
	if (klen == 5 && strncmp(key, "flood", 5) == 0) {
		return option_u32(val, vlen, 0, FLOOD_MAX, &sh.flood);
	}
	if (klen == 5 && strncmp(key, "check", 5) == 0) {
		return option_u32(val, vlen, 0, CHECK_EVERY_MAX, &sh.check_every);
	}
	return false;
}

/* ---- the guest's translation state ---- */

/* guest_state: the guest's translation state for the stage-1 model. */
static const struct s1_state *guest_state(void)
{
	return &sh.g.s1;
}

static bool guest_lpae(void)
{
	return (sh.g.s1.ttbcr & TTBCR_EAE) != 0;
}

/* guest_asid: the current ASID: CONTEXTIDR (short), or the TTBR that TTBCR.A1 names. */
static u32 guest_asid(void)
{
	if (!guest_lpae()) {
		return sh.g.contextidr & ASID_MASK;
	}
	u64 ttbr = (sh.g.s1.ttbcr & TTBCR_A1) ? sh.g.s1.ttbr1 : sh.g.s1.ttbr0;
	return (u32)(ttbr >> LPAE_TTBR_ASID_SHIFT) & ASID_MASK;
}

/* guest_key: the address space the guest runs in; every MMU-off state is the flat one. */
static inline void guest_key(struct spt_key *k)
{
	k->mmu = (sh.g.s1.sctlr & SCTLR_M) != 0;
	k->ttbr0 = k->mmu ? sh.g.s1.ttbr0 : 0;
	k->asid = k->mmu ? guest_asid() : 0;
	k->dacr = k->mmu && !guest_lpae() ? sh.g.s1.dacr : 0;
}

/* guest_vectors: where the guest's exceptions go (SCTLR.V: high vectors). */
static u32 guest_vectors(void)
{
	return (sh.g.s1.sctlr & SCTLR_V) ? VEC_HIGH : sh.g.vbar;
}

/* update_trampoline: the literal pool of the non-abort slots -> the guest's vectors. */
static void update_trampoline(void)
{
	u32 *t = (u32 *)(uintptr_t)sh.trampoline;
	/* LDR to the PC interworks (A2.3.2): bit 0 enters Thumb, as SCTLR.TE would. */
	u32 thumb = (sh.g.s1.sctlr & SCTLR_TE) ? 1u : 0u;
	if (sh.g.s1.sctlr & SCTLR_EE) {
		hyp_fatal("the guest set SCTLR.EE (big-endian exceptions and table walks): not "
			  "supported by the shadow module");
	}
	for (u32 i = 0; i < 8; i++) {
		t[TRAMPOLINE_POOL + i] = (guest_vectors() + 4 * i) | thumb;
	}
	dsb();
}

static void build_trampoline(void)
{
	u32 *t = (u32 *)(uintptr_t)sh.trampoline;
	for (u32 i = 0; i < 8; i++) {
		t[i] = INSN_LDR_PC_PC_18;
	}
	t[VEC_PABT / 4] = INSN_HVC(HVC_PABT);
	t[VEC_DABT / 4] = INSN_HVC(HVC_DABT);
	update_trampoline();
}

/* check_reserved_va: the guest must not map the trampoline's VA (docs/shadow-design.md). */
static void check_reserved_va(void)
{
	struct s1_result r;
	if ((sh.g.s1.sctlr & SCTLR_M) != 0 &&
	    s1_translate(guest_state(), &vm_guest_mem, SHADOW_TRAMPOLINE_VA, S1_READ, false, &r) ==
		S1_OK) {
		hyp_fatal("the guest maps VA 0x%08x, which the shadow module reserves for its "
			  "trampoline",
			  SHADOW_TRAMPOLINE_VA);
	}
}

/* run_key: switch_space with sh.key already the guest's current key. */
static void run_key(void)
{
	if (spt_resync()) { /* out-of-sync frames (any policy: see pt_write), if any */
		check_reserved_va();
	}
	write_ttbr0_64(spt_switch(&sh.key));
	isb();
}

/* switch_space: run the root of the guest's current address space if it is cached, else
 * the empty root: the root is built at the first miss (a guest switching in two writes,
 * CONTEXTIDR then TTBR0, never builds the space in between). */
static void switch_space(void)
{
	guest_key(&sh.key);
	run_key();
}

/* build_space: the empty root runs and the guest missed: build its space's root. */
static void build_space(void)
{
	struct spt_key k;
	guest_key(&k);
	check_reserved_va();
	write_ttbr0_64(spt_select(&k));
	isb();
}

/* program_hardware: the registers the hardware runs with, from the guest's virtual ones. */
static void program_hardware(void)
{
	u32 sctlr = read_sctlr();
	sctlr = (sctlr & ~(SCTLR_GUEST_PASSTHROUGH | SCTLR_V)) |
		(sh.g.s1.sctlr & SCTLR_GUEST_PASSTHROUGH) | SCTLR_M;
	write_sctlr(sctlr);
	write_vbar(SHADOW_TRAMPOLINE_VA);
	isb();
}

/* format_set: what caught writes need of the guest's translation-table format (TTBCR.EAE):
 * its descriptor size and the types that are fault entries at every level. */
static void format_set(void)
{
	const struct pt_format *f = guest_lpae() ? &pt_lpae_s1 : &pt_short;
	spt_set_format(f->desc_bytes, pt_fault_types(f));
}

/* regime_changed: what every address space's translation depends on changed (TTBR1,
 * TTBCR, TEX remap, the access flag): no shadow is valid any more. */
static void regime_changed(void)
{
	format_set();
	check_reserved_va();
	spt_drop_roots();
	switch_space();
}

/* shadow_attrs: LPAE attributes granting what the guest's entry grants (perms: S1_PERM_*);
 * tabulated by attrs_init in leaf_attrs. */
static u64 shadow_attrs(u32 perms)
{
	bool pl0r = perms & S1_PERM_PL0_R, pl0w = perms & S1_PERM_PL0_W;
	bool pl1w = perms & S1_PERM_PL1_W;
	u32 ap;
	if (pl0r) {
		ap = pl0w ? LPAE_AP_RW_ALL : LPAE_AP_RO_ALL;
	} else {
		ap = pl1w ? LPAE_AP_RW_PL1 : LPAE_AP_RO_PL1;
	}
	/* PL1 read/write with PL0 read-only has no LPAE encoding: the shadow grants read-only
	 * to both (ap above) and PL1's writes are emulated (emulate_stores). Every shadow
	 * entry is non-global: each root has its own hardware ASID. */
	u64 a =
	    ((u64)ap << LPAE_AP_SHIFT) | LPAE_AF | LPAE_NG | ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT);
	if ((perms & (S1_PERM_PL1_X | S1_PERM_PL0_X)) == 0) {
		a |= LPAE_XN;
	} else if ((perms & S1_PERM_PL1_X) == 0) {
		a |= LPAE_PXN;
	}
	return a;
}

static u64 leaf_attrs[S1_PERM_SETS];

/* attrs_init: leaf_attrs[perms] = shadow_attrs(perms) for every permission set. */
static void attrs_init(void)
{
	for (u32 perms = 0; perms < S1_PERM_SETS; perms++) {
		leaf_attrs[perms] = shadow_attrs(perms);
	}
}

static int shadow_setup(struct vm *vm)
{
	sh.vm = vm;
	memset(&sh.g, 0, sizeof(sh.g));
	/* The guest's reset state, just written by the core (vcpu_reset). */
	sh.g.s1.sctlr = read_sctlr();
	sh.g.prrr = read_prrr();
	sh.g.nmrr = read_nmrr();
	sh.trampoline = palloc_pages(1, PAGE_SIZE_4K);
	if (sh.trampoline == 0) {
		return -1;
	}
	build_trampoline();
	attrs_init();
	struct spt_config c = {
	    .pool_pages = sh.pool_pages,
	    .flood_writes = sh.flood,
	    .ram_ipa = vm->ram_ipa,
	    .ram_size = vm->ram_size,
	    .ram_host = vm->ram_pa,
	    .fixed_va = SHADOW_TRAMPOLINE_VA,
	    .fixed_pa = sh.trampoline,
	    .fixed_attrs = ((u64)LPAE_AP_RO_PL1 << LPAE_AP_SHIFT) | LPAE_AF | LPAE_NG |
			   ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT),
	    .alloc = store_alloc,
	};
	if (!spt_init(&c)) {
		return -1;
	}
	format_set(); /* the reset's format (TTBCR.EAE = 0), into the store spt_init emptied */
	sh.check_countdown = sh.check_every;
	write_prrr(MAIR_SHADOW); /* MAIR0 of the shadow tables */
	write_ttbcr(TTBCR_EAE);
	write_ttbr1_64(0);
	write_contextidr(0);
	program_hardware();
	switch_space();
	vm->hcr |= HCR_TVM | HCR_TTLB;
	vm->hstr |= BIT(1) | BIT(2) | BIT(3) | BIT(10) | BIT(12) | BIT(13);
	return 0;
}

static bool shadow_va_to_ipa(struct vcpu *v, u32 va, bool write, paddr_t *ipa);
static bool guest_mode_ok(u32 cpsr);

/* ---- misses ---- */

/* walk_shape: the shape of walks in regime reg, for the store (kept for the last two
 * regimes asked: TTBR0's and TTBR1's). */
static const struct spt_shape *walk_shape(const struct pt_regime *reg)
{
	for (u32 i = 0; i < ARRAY_SIZE(sh.shapes); i++) {
		const struct shape_memo *m = &sh.shapes[i];
		if (m->fmt == reg->fmt && m->start == reg->start &&
		    m->start_bits == reg->start_bits) {
			return &m->shape;
		}
	}
	struct shape_memo *m = &sh.shapes[sh.next_shape++ % ARRAY_SIZE(sh.shapes)];
	m->fmt = reg->fmt;
	m->start = reg->start;
	m->start_bits = reg->start_bits;
	m->shape.desc_bytes = reg->fmt->desc_bytes;
	for (u32 li = reg->start; li < reg->fmt->nlevels; li++) {
		m->shape.entry_shift[li - reg->start] = reg->fmt->level[li].shift;
		m->shape.table_shift[li - reg->start] = (u8)pt_table_shift(reg, li);
	}
	return &m->shape;
}

/* fill: shadow the 4 KiB page of RAM that the guest maps va to (r: its translation), with
 * the guest descriptors the walk read as the shadow's sources. */
static void fill(u32 va, const struct s1_result *r)
{
	if (ALIGN_DOWN(va, PAGE_SIZE_4K) == SHADOW_TRAMPOLINE_VA) {
		hyp_fatal("the guest maps VA 0x%08x, which the shadow module reserves for its "
			  "trampoline",
			  va);
	}
	bool mmu = (sh.g.s1.sctlr & SCTLR_M) != 0;
	struct spt_fill f; /* assigned field by field: no zeroing of the unused sources */
	f.va = va;
	f.ipa = ALIGN_DOWN(r->out, (paddr_t)PAGE_SIZE_4K);
	f.attrs = leaf_attrs[r->perms % S1_PERM_SETS];
	f.nsrc = mmu ? r->walk.depth : 0;
	f.shape = mmu ? walk_shape(&r->regime) : NULL;
	f.src = r->walk.desc_pa;
	f.kind = (struct spt_leaf_kind){0}; /* unknown: perms 0 */
	if (mmu) {
		const struct pt_format *fmt = r->regime.fmt;
		u64 mask =
		    pt_leaf_addr_mask(fmt, r->walk.leaf, r->regime.start + r->walk.depth - 1);
		u32 hi_ignored = (u32)(fmt->leaf_ignored >> 32);
		if (mask != 0) {
			f.kind = (struct spt_leaf_kind){
			    .key = r->walk.leaf & ~mask & ~((u64)hi_ignored << 32),
			    .attrs = f.attrs,
			    .addr_mask = (u32)mask,
			    .va_low = MASK(r->size_shift),
			    .perms = r->perms,
			    .hi_ignored = hi_ignored,
			};
		}
	}
	spt_fill(&f); /* the DSB that completes it ends the trap (shadow_trap_done) */
}

/* fill_miss: fill for a miss at va (access acc, at PL0 if pl0). A fill that found its leaf
 * in place (spt_take_spurious: the abort came from a stale TLB entry, flushed, or from a
 * guest that entered the trampoline's slot itself) resumes the guest, if the hardware now
 * allows the access (a fetch checked as a read): were it still refused, the guest would
 * abort there forever, and the run stops. */
static void fill_miss(u32 va, const struct s1_result *r, enum s1_access acc, bool pl0)
{
	fill(va, r);
	if (spt_take_spurious() && !ats1c_allows(va, acc == S1_WRITE, pl0)) {
		hyp_fatal("the hardware refuses an access at VA 0x%08x (%s, PL%u) that its shadow "
			  "leaf, what the guest's tables give, allows",
			  va,
			  acc == S1_WRITE  ? "write"
			  : acc == S1_READ ? "read"
					   : "fetch",
			  pl0 ? 0u : 1u);
	}
}

/* known_check: with shadow.check set, the leaf that the store installed alone for a miss
 * at far (spt_fill_known) is the one the guest's walk gives. */
static __attribute__((noinline)) void known_check(u32 far, enum s1_access acc, bool pl0)
{
	struct s1_result r;
	enum s1_fault f = s1_translate(guest_state(), &vm_guest_mem, far, acc, pl0, &r);
	if (f != S1_OK || !spt_filled_as(far, ALIGN_DOWN(r.out, (paddr_t)PAGE_SIZE_4K),
					 leaf_attrs[r.perms % S1_PERM_SETS])) {
		hyp_fatal("shadow store: the leaf it installed from the fill memo for VA 0x%08x "
			  "(spt_fill_known) is not what the guest's walk gives (fault %u, IPA "
			  "0x%08llx, perms 0x%x)",
			  far, (u32)f, r.out, r.perms);
	}
}

/* guest_reg_cb: decode_reg_fn over the vCPU (index 16: the CPSR). */
static u32 guest_reg_cb(void *ctx, unsigned n)
{
	struct vcpu *v = ctx;
	return n == 16 ? v->tf->cpsr : vcpu_reg(v, n);
}

/* guest_insn: the A32 instruction at the guest's pc: read through the shadow leaf it was
 * just fetched through, which an ATS1CPR from Hyp mode finds (the PL1&0 stage 1 that the
 * hardware runs, B4.2.6; the guest's PAR is kept), else through a guest walk. False if
 * neither can read it. */
static inline bool guest_insn(struct vcpu *v, u32 *insn)
{
	u32 pc = v->tf->pc;
	u32 at = ats1cpr_par_kept(pc);
	if ((at & (u32)PAR_F) == 0) {
		/* The shadow maps guest RAM (below 4 GiB, read directly: PA[39:32] are zero)
		 * and the trampoline. */
		*insn =
		    *(const u32 *)(uintptr_t)((at & (u32)PAR_PA_MASK) | (pc & PAGE_OFFSET_MASK));
		return true;
	}
	return guest_read_insn(v, pc, insn);
}

/* guest_t32: the T32 instruction at the guest's pc, as hw1 | hw2 << 16 (hw2 = 0 for a 16-bit
 * one): read as guest_insn does when it lies in pc's page, else through the guest's walk. */
static __attribute__((noinline)) bool guest_t32(struct vcpu *v, u32 *insn)
{
	u32 pc = v->tf->pc, at = ats1cpr_par_kept(pc);
	if ((at & (u32)PAR_F) == 0 && (pc & PAGE_OFFSET_MASK) <= PAGE_SIZE_4K - 4) {
		const u16 *hw =
		    (const u16 *)(uintptr_t)((at & (u32)PAR_PA_MASK) | (pc & PAGE_OFFSET_MASK));
		*insn = hw[0] | (decode_t32_is_32bit(hw[0]) ? (u32)hw[1] << 16 : 0u);
		return true;
	}
	return guest_read_t32(v, pc, insn);
}

/* guest_code: the instruction at the guest's pc in its instruction set (spsr.T), as the
 * decode cache keys it. */
static inline bool guest_code(struct vcpu *v, u32 spsr, u32 *insn)
{
	return (spsr & PSR_T) == 0 ? guest_insn(v, insn) : guest_t32(v, insn);
}

/* A guest load or store, decoded (decode_guest): the addresses and the writeback value of
 * its operations are bias more than da holds (a decoding kept in the cache). */
struct ldst {
	const struct decoded_access *da;
	u32 bias;
	struct decoded_access own; /* da, when the decoding is not the cache's */
};

/* decode_guest: the load/store at the guest's pc (in its instruction set, spsr.T) into *l,
 * through the decode cache; false for what the decoders refuse. */
static bool decode_guest(struct vcpu *v, u32 spsr, struct ldst *l)
{
	u32 insn;
	char err[128];
	l->da = guest_code(v, spsr, &insn)
		    ? decode_cached(&sh.decodes, v->tf->pc, (spsr & PSR_T) != 0, insn, guest_reg_cb,
				    v, &l->bias, &l->own, err, sizeof(err))
		    : NULL;
	return l->da != NULL;
}

/* store_value: the low size bytes of val stored at host, the lowest first. */
static void store_value(u8 *host, u32 val, u32 size)
{
	if (size == 4 && ((uintptr_t)host & 3) == 0) {
		*(u32 *)host = val; /* the most frequent: a descriptor word */
	} else {
		memcpy(host, &val, size); /* Hyp's accesses are aligned (its MMU is off) */
	}
}

/* A store's bytes that fall in one page, as memory holds them: the byte at addr is val's
 * lowest. */
struct piece {
	u32 addr, size, val;
	bool rest; /* the rest of the operation of the piece before (across a page) */
};
#define MAX_PIECES (2 * DECODE_MAX_OPS) /* an operation crosses one boundary at most */

/* store_pieces: the stores of l (each of its operations is one) as pieces within a page
 * each, in order; their number. An unaligned operation across a page boundary (SCTLR.A
 * clear) is two: its bytes in each page. */
static u32 store_pieces(struct vcpu *v, const struct ldst *l, struct piece p[MAX_PIECES])
{
	const struct decoded_access *da = l->da;
	u32 n = 0;
	for (u32 i = 0; i < da->n; i++) {
		const struct mem_op *op = &da->op[i];
		u32 addr = op->addr + l->bias;
		u32 val = psr_data_order(vcpu_reg(v, op->reg), op->size, v->tf->cpsr);
		u32 in_page = PAGE_SIZE_4K - (addr & PAGE_OFFSET_MASK);
		if (!op->store) {
			hyp_fatal("cannot emulate %s at guest pc 0x%08x: a load among its stores",
				  da->mnemonic, v->tf->pc);
		}
		if (op->size <= in_page) {
			p[n++] = (struct piece){addr, op->size, val, false};
		} else {
			p[n++] = (struct piece){addr, in_page, val, false};
			p[n++] = (struct piece){addr + in_page, op->size - in_page,
						val >> (8 * in_page), true};
		}
	}
	return n;
}

static void deliver_abort(struct vcpu *v, bool data, u32 fsr, u32 far);

/* emulate_across: emulate_stores without the step: each store in the page of the faulting
 * write, or translated through the shadow, or the guest's walk. False if one of them
 * faults in the guest's tables or reaches an unassigned address: the operations before it
 * are made, as QEMU makes them (B1.9.8 allows an aborted STM or STRD to have written any
 * of its words; an operation across a page boundary is made whole or not at all), and
 * the guest takes that abort. */
static __attribute__((noinline)) bool emulate_across(struct vcpu *v, const struct ldst *l, bool pl0,
						     u32 far, paddr_t far_ipa, u8 *far_at)
{
	bool unpriv = pl0 || l->da->unprivileged;
	struct piece p[MAX_PIECES];
	paddr_t ipa[MAX_PIECES];
	u8 *host[MAX_PIECES];
	u32 n = store_pieces(v, l, p), done = 0, fsr = 0;
	paddr_t far_page = ALIGN_DOWN(far_ipa, (paddr_t)PAGE_SIZE_4K);
	u8 *far_host = far_at - (far & PAGE_OFFSET_MASK);
	/* Every address is translated before anything is stored: a store may change the very
	 * descriptor that maps the next one (a table that maps itself), and the instruction
	 * is translated as a whole. (QEMU walks again for each word, so a later word whose
	 * descriptor an earlier one made valid does not fault there; with no DSB between
	 * them, the architecture allows either.) */
	for (; done < n; done++) {
		u32 i = done, addr = p[i].addr;
		struct s1_result r;
		if (((addr ^ far) & ~PAGE_OFFSET_MASK) == 0) {
			/* The page of the faulting write. */
			ipa[i] = far_page | (addr & PAGE_OFFSET_MASK);
			host[i] = far_host + (addr & PAGE_OFFSET_MASK);
			continue;
		}
		if (i > 0 && ((addr ^ p[i - 1].addr) & ~PAGE_OFFSET_MASK) == 0) {
			/* The page of the previous piece (STRD, STM): the same translation. */
			ipa[i] = ALIGN_DOWN(ipa[i - 1], (paddr_t)PAGE_SIZE_4K) |
				 (addr & PAGE_OFFSET_MASK);
		} else if (!spt_write_granted(addr, unpriv, &ipa[i])) {
			/* Not shadowed, or a page whose writes PL1 alone may do (AP = 0b010). */
			if (s1_translate(guest_state(), &vm_guest_mem, addr, S1_WRITE, unpriv,
					 &r) != S1_OK) {
				fsr = r.fsr | FSR_WNR;
				break;
			}
			ipa[i] = r.out;
		}
		if ((host[i] = vm_ipa_to_host(sh.vm, ipa[i], p[i].size)) == NULL) {
			if (vm_access_aborts(ipa[i], true)) {
				/* Unassigned: its external abort, as the hardware gives it. */
				fsr = guest_sync_external_fsr() | FSR_WNR;
				break;
			}
			hyp_fatal("cannot emulate %s at guest pc 0x%08x: its store at 0x%08x is "
				  "to a device (emulated alone, never with stores to RAM)",
				  l->da->mnemonic, v->tf->pc, addr);
		}
	}
	/* The pieces translated: all of them, unless piece `done` faulted (fsr); then the
	 * operations before its own. */
	u32 fault_at = done;
	if (fsr != 0 && p[done].rest) {
		done--;
	}
	for (u32 i = 0; i < done; i++) {
		store_value(host[i], p[i].val, p[i].size);
	}
	/* The shadow store learns of each run of bytes written in one frame once. */
	bool fixed = false;
	for (u32 i = 0, first = 0; i < done; i++) {
		bool run_ends = i + 1 == done || ipa[i + 1] != ipa[i] + p[i].size ||
				(ipa[i + 1] & PAGE_OFFSET_MASK) == 0;
		if (run_ends) {
			fixed |=
			    spt_guest_wrote(ipa[first], (u32)(ipa[i] - ipa[first]) + p[i].size);
			first = i + 1;
		}
	}
	if (fixed) {
		check_reserved_va();
	}
	if (fsr != 0) {
		deliver_abort(v, true, fsr, p[fault_at].addr);
		return false;
	}
	return true;
}

/* write_back: the base register update of the load/store da (bias more than it says). */
static inline void write_back(struct vcpu *v, const struct decoded_access *da, u32 bias)
{
	if (da->writeback) {
		vcpu_set_reg(v, da->wb_reg, da->wb_value + bias);
	}
}

/* step_past: the guest past the load/store da (bias more than it says), emulated, in
 * either instruction set. */
static inline void step_past(struct vcpu *v, const struct decoded_access *da, u32 bias)
{
	write_back(v, da, bias);
	vcpu_step(v, da->length);
}

/* emulate_stores: perform, for the guest, the stores of l that its own tables allow (at
 * PL0 if pl0) but its shadow refused (a protected page table, or a page PL1 may write and
 * PL0 only read); the store tells the shadow store what changed. Then step past it. The
 * write that faulted, at far, is known to be allowed to far_ipa, at host address far_at.
 * False if another of its stores faulted in the guest's tables, or reached an unassigned
 * address, instead (the abort delivered). */
static bool emulate_stores(struct vcpu *v, const struct ldst *l, bool pl0, u32 far, paddr_t far_ipa,
			   u8 *far_at)
{
	if (far_at == NULL) {
		hyp_fatal("shadow module: a store at VA 0x%08x (IPA 0x%08llx) to emulate, which is "
			  "not guest RAM",
			  far, far_ipa);
	}
	if (!emulate_across(v, l, pl0, far, far_ipa, far_at)) {
		return false;
	}
	step_past(v, l->da, l->bias);
	return true;
}

/* pt_write: the guest wrote at far to one of its page tables (ipa), which the shadow
 * protects. */
static void pt_write(struct vcpu *v, u32 spsr, bool pl0, u32 far, paddr_t ipa, u8 *host,
		     const struct ldst *decoded)
{
	struct ldst l;
	if (sh.sync == SYNC_UNSYNC && spt_unsync(ipa)) {
		counter_inc(&shadow_values[SH_pt_writes_deferred]);
		return; /* the guest retries the store on a writable shadow */
	}
	if (decoded != NULL || decode_guest(v, spsr, &l)) {
		/* Emulated, even when another of its words faults (its abort delivered). */
		emulate_stores(v, decoded != NULL ? decoded : &l, pl0, far, ipa, host);
		counter_inc(&shadow_values[SH_pt_writes_emulated]);
		return;
	}
	/* An instruction the decoders refuse: out of sync until the next
	 * maintenance, whatever the policy (the frame is compared then). With every snapshot
	 * slot taken, the frames out of sync come back first, as at a TLB operation. */
	counter_inc(&shadow_values[SH_pt_writes_deferred]);
	if (spt_unsync(ipa)) {
		return;
	}
	if (spt_resync()) {
		check_reserved_va();
	}
	if (spt_frame_protected(ipa) && !spt_unsync(ipa)) {
		hyp_fatal("write to a guest page table (IPA 0x%08llx) at pc 0x%08x by an "
			  "instruction that cannot be emulated, and no out-of-sync slot is free "
			  "after a resync",
			  ipa, v->tf->pc);
	}
}

/* pin: shadow the page of va now if the guest maps it to RAM (reads at PL1) and it is not
 * shadowed yet; true if it filled it. */
static bool pin(u32 va)
{
	struct s1_result r;
	if (ALIGN_DOWN(va, PAGE_SIZE_4K) != SHADOW_TRAMPOLINE_VA && spt_mapped(va) == 0 &&
	    s1_translate(guest_state(), &vm_guest_mem, va, S1_READ, false, &r) == S1_OK &&
	    vm_ipa_is_ram(sh.vm, r.out)) {
		fill(va, &r);
		counter_inc(&shadow_values[SH_pinned]);
		return true;
	}
	return false;
}

#define ABORT_ENTRY_PAGES 7u

/* vector_branch: the target of the unconditional branch that the word at vector slot
 * holds, in the instruction set the vector runs in (T32 if thumb: SCTLR.TE); false if it
 * holds none (A8.8.18: A1; T2 and T4, whose halfwords are the word's low and high). */
static bool vector_branch(u32 slot, u32 word, bool thumb, u32 *target)
{
	u32 hw1 = (u16)word, hw2 = word >> 16;
	if (!thumb) {
		*target = slot + 8 + (u32)((s32)(word << 8) >> 6);
		return (word & INSN_B_MASK) == INSN_B_AL;
	}
	if ((hw1 & T16_B_MASK) == T16_B) {
		*target = slot + 4 + (u32)((s32)(hw1 << 21) >> 20); /* imm11:'0' */
		return true;
	}
	if ((hw1 & T32_B_HW1_MASK) != T32_B_HW1 || (hw2 & T32_B_HW2_MASK) != T32_B_HW2) {
		return false;
	}
	u32 sign = BITS(hw1, 10, 10), i1 = ~(BITS(hw2, 13, 13) ^ sign) & 1u;
	u32 i2 = ~(BITS(hw2, 11, 11) ^ sign) & 1u;
	u32 imm = (sign << 24) | (i1 << 23) | (i2 << 22) | (BITS(hw1, 9, 0) << 12) |
		  (BITS(hw2, 10, 0) << 1);
	*target = slot + 4 + (u32)((s32)(imm << 7) >> 7); /* SignExtend(S:I1:I2:imm10:imm11:'0') */
	return true;
}

/* vector_literal: the address of the word that the LDR pc, [pc, #imm] at vector slot loads
 * (A8.8.64: the PC reads as slot + 8 in A32, Align(slot + 4, 4) in T32 if thumb); false
 * if the word there holds no such instruction. */
static bool vector_literal(u32 slot, u32 word, bool thumb, u32 *lit)
{
	u32 hw1 = (u16)word, hw2 = word >> 16, imm, base;
	bool add;
	if (!thumb) {
		if ((word & INSN_LDR_PC_LIT_MASK) != INSN_LDR_PC_LIT) {
			return false;
		}
		imm = BITS(word, 11, 0);
		add = (word & INSN_LDR_U) != 0;
		base = slot + 8;
	} else {
		if ((hw1 & T32_LDR_PC_LIT_HW1_MASK) != T32_LDR_PC_LIT_HW1 ||
		    (hw2 & T32_LDR_PC_LIT_HW2_MASK) != T32_LDR_PC_LIT_HW2) {
			return false;
		}
		imm = BITS(hw2, 11, 0);
		add = (hw1 & T32_LDR_U) != 0;
		base = ALIGN_DOWN(slot + 4, 4u);
	}
	*lit = add ? base + imm : base - imm;
	return true;
}

/* guest_word: the aligned word at va (its page pinned first); false if it is not RAM or
 * not aligned (an UNPREDICTABLE literal, read by nothing then). */
static bool guest_word(struct vcpu *v, u32 va, u32 *word)
{
	pin(va);
	return guest_read_insn(v, va, word);
}

/* abort_entry_pages: the VAs whose pages a handler's entry touches before it saves LR_abt:
 * its vector, the vector's branch target (the stub, across a page) or the literal a
 * literal-pool vector loads and its target, and its abort-mode stack. Their number. */
static u32 abort_entry_pages(struct vcpu *v, bool data, u32 va[ABORT_ENTRY_PAGES])
{
	u32 slot = guest_vectors() + (data ? VEC_DABT : VEC_PABT), n = 0, sp;
	bool thumb = (sh.g.s1.sctlr & SCTLR_TE) != 0;
	u32 word, lit, target;
	va[n++] = slot;
	if (guest_word(v, slot, &word)) {
		bool found = vector_branch(slot, word, thumb, &target);
		if (!found && vector_literal(slot, word, thumb, &lit)) {
			va[n++] = lit;
			found = guest_word(v, lit, &target);
			target &= ~1u; /* the interworking bit (A2.3.2): the fetch address */
		}
		for (u32 off = 0; found && off <= 128; off += 64) {
			va[n++] = target + off;
		}
	}
	sp = vcpu_abort_mode_sp(v);
	va[n++] = sp - 4;
	va[n++] = sp - 256;
	return n;
}

/* pin_abort_entry: the guest is about to run its abort handler, in Abort mode, where a
 * miss could not be made invisible: shadow the pages its entry touches first. A pin that
 * needs a table when the pool is full can empty the current root, the pins before it with
 * it (the store's recovery): while a pass fills anything, another checks them all. */
static void pin_abort_entry(struct vcpu *v, bool data)
{
	u32 va[ABORT_ENTRY_PAGES];
	u32 n = abort_entry_pages(v, data, va);
	bool filled = true;
	/* Bounded: a pass after a recovery pins these pages into a root that holds them
	 * alone. A pool too small even for that leaves one unpinned, and its miss in Abort
	 * mode stops the run with a message. */
	for (u32 pass = 0; filled && pass < 3; pass++) {
		filled = false;
		for (u32 i = 0; i < n; i++) {
			filled |= pin(va[i]);
		}
	}
}

/* native_abort: would this access abort on the guest's own hardware: its MMU refuses it (a
 * genuine fault), or it reaches neither RAM nor a device (an external abort)? If so, *fsr
 * is that abort's status in the guest's format, WnR set for a write. */
static bool native_abort(u32 far, bool data, bool write, bool pl0, u32 *fsr)
{
	struct s1_result r;
	u32 wnr = write ? FSR_WNR : 0;
	if (s1_translate(guest_state(), &vm_guest_mem, far,
			 data ? (write ? S1_WRITE : S1_READ) : S1_EXEC, pl0, &r) != S1_OK) {
		*fsr = r.fsr | wnr;
		return true;
	}
	*fsr = guest_sync_external_fsr() | wnr;
	return !vm_ipa_is_ram(sh.vm, r.out) && vm_access_aborts(r.out, data);
}

/* abort_delivered: an abort was just delivered to the guest (it is about to run its
 * vector in Abort mode): shadow what its handler's entry touches, keep its fault and
 * abort-mode registers as it was given them (a later miss puts them back), and count it as
 * a genuine fault. */
static void abort_delivered(struct vcpu *v, bool data)
{
	pin_abort_entry(v, data);
	if (data) {
		sh.g.dfsr = read_dfsr();
		sh.g.dfar = read_dfar();
	} else {
		sh.g.ifsr = read_ifsr();
		sh.g.ifar = read_ifar();
	}
	vcpu_abort_mode_regs(v, &sh.g.lr_abt, &sh.g.spsr_abt);
	counter_inc(&shadow_values[SH_genuine_faults]);
}

/* deliver_abort: give the guest, at the instruction the trap frame holds, the abort its own
 * tables or hardware imply (status fsr in its format, address far), as its hardware takes
 * it (guest_inject_abort), its handler's entry pinned; counted as a genuine fault. */
static void deliver_abort(struct vcpu *v, bool data, u32 fsr, u32 far)
{
	guest_inject_abort(v, data, fsr, far);
	abort_delivered(v, data);
}

/* aborted_pc: the address of the instruction an abort whose LR_abt is lr was taken on, in
 * either instruction set (B1.9.7: a prefetch abort's LR is it + 4; B1.9.8: a data
 * abort's, it + 8). */
static inline u32 aborted_pc(u32 lr, bool data)
{
	return lr - (data ? 8 : 4);
}

/* take_afresh: the abort the hardware took at the trampoline (lr, spsr: its LR_abt and
 * SPSR_abt) given to the guest as its own hardware takes it, with status fsr. */
static void take_afresh(struct vcpu *v, bool data, u32 fsr, u32 far, u32 lr, u32 spsr)
{
	v->tf->pc = aborted_pc(lr, data);
	v->tf->cpsr = spsr;
	deliver_abort(v, data, fsr, far);
}

/* own_abort: an abort that is the guest's own whatever its tables say (alignment, debug,
 * external), which the hardware took at the trampoline (lr, spsr: its LR_abt and
 * SPSR_abt): given to the guest as its own hardware would, in its own fault-status format
 * and instruction set (SCTLR.TE, which the hardware's SCTLR does not hold). */
static void own_abort(struct vcpu *v, bool data, u32 hw_fsr, u32 far, u32 lr, u32 spsr)
{
	u32 fsc = hw_fsr & ISS_FSC_MASK, fsr;
	bool lpae = (sh.g.s1.ttbcr & TTBCR_EAE) != 0;
	switch (fsc) { /* long-descriptor status -> the guest's format (B3.13.3) */
	case FSC_ALIGNMENT:
		fsr = lpae ? FSR_LPAE | FSC_ALIGNMENT : FSR_SD_ALIGNMENT;
		break;
	case FSC_DEBUG:
		fsr = lpae ? FSR_LPAE | FSC_DEBUG : FSR_SD_DEBUG;
		break;
	case FSC_SYNC_EXT:
		fsr = guest_sync_external_fsr();
		break;
	default:
		hyp_fatal("abort with fault status 0x%02x at VA 0x%08x: not expected under shadow "
			  "tables",
			  fsc, far);
	}
	fsr |= hw_fsr & (FSR_WNR | FSR_EXT | FSR_CM); /* the same bits in both formats */
	take_afresh(v, data, fsr, far, lr, spsr);
}

/* caught_write_slow: caught_write of a write to ipa (host address host) that is not a PL1
 * store the decode cache knows, all in far's page. */
static __attribute__((noinline)) bool caught_write_slow(struct vcpu *v, u32 spsr, bool pl0, u32 far,
							paddr_t ipa, u8 *host)
{
	struct ldst l;
	if (sh.sync == SYNC_UNSYNC || pl0) {
		pt_write(v, spsr, pl0, far, ipa, host, NULL);
		return true;
	}
	if (!decode_guest(v, spsr, &l) || l.da->unprivileged) {
		return false;
	}
	pt_write(v, spsr, pl0, far, ipa, host, &l);
	return true;
}

/* caught_write: a write to a protected guest page table, known from the shadow leaf alone
 * (it holds what the guest's tables granted): true if handled. LDRT and STRT take the slow
 * path, which checks them as PL0. */
static __attribute__((noinline)) bool caught_write(struct vcpu *v, u32 spsr, bool pl0, u32 far)
{
	paddr_t ipa;
	u32 insn;
	const struct decode_cached *e;
	/* The most frequent: a little-endian PL1 store of words, which trapped before, all in
	 * one page: the store writes them (spt_write_words). */
	bool thumb = (spsr & PSR_T) != 0;
	if (sh.sync == SYNC_EMULATE && !pl0 && (spsr & PSR_E) == 0 && guest_code(v, spsr, &insn) &&
	    (e = decode_cache_find(&sh.decodes, decode_cache_key(v->tf->pc, thumb), insn)) !=
		NULL &&
	    e->words != 0) {
		const struct decoded_access *da = &e->rel;
		u32 bias = vcpu_reg(v, e->base), val[DECODE_MAX_OPS];
		const u32 *vals = val;
		if (e->words_run != DECODE_NO_RUN) {
			/* A run of r0-r7 (STR, STRD, STM): read where the trap saved them. */
			vals = &v->tf->r[e->words_run];
		} else {
			for (u32 i = 0; i < e->words; i++) {
				val[i] = vcpu_reg(v, da->op[i].reg);
			}
		}
		const struct spt_words w = {da->op[0].addr + bias, e->words, vals};
		enum spt_write done = spt_write_words(far, pl0, &w);
		if (done == SPT_WRITE_NO) {
			return false;
		}
		if (done != SPT_WRITE_OTHER) {
			if (done == SPT_WRITE_FIXED) {
				check_reserved_va(); /* the guest may now map the trampoline's VA */
			}
			write_back(v, da, bias);
			if (thumb) {
				vcpu_step(v, da->length); /* its IT block advanced */
			} else {
				v->tf->pc += 4; /* vcpu_step's A32 case, kept inline on this path */
			}
			counter_inc(&shadow_values[SH_pt_writes_emulated]);
			return true;
		}
	}
	u8 *host = spt_caught_write(far, pl0, &ipa);
	if (host == NULL) {
		return false;
	}
	return caught_write_slow(v, spsr, pl0, far, ipa, host);
}

/* pl1_rw_pl0_ro: the short format's "PL1 read/write, PL0 read-only" (no LPAE encoding). */
static bool pl1_rw_pl0_ro(u32 perms)
{
	return (perms & S1_PERM_PL1_W) && (perms & S1_PERM_PL0_R) && !(perms & S1_PERM_PL0_W);
}

/* refused_write: a data write the hardware refused (permission) though the guest's tables
 * allow it: a protected page table, or a PL1 store to a PL1-RW
 * PL0-RO page. True if handled. */
static bool refused_write(struct vcpu *v, u32 spsr, bool pl0, u32 far, const struct s1_result *r,
			  const struct ldst *da)
{
	u8 *host = vm_ipa_to_host(sh.vm, r->out, 1);
	if (host != NULL && spt_frame_protected(r->out)) {
		pt_write(v, spsr, pl0, far, r->out, host, da);
		return true;
	}
	if (!pl0 && host != NULL && pl1_rw_pl0_ro(r->perms)) {
		if (da == NULL) {
			/* Not a store the decoders know (STREX, SWP, VSTR, STC, SRS...): the
			 * page is lent to PL1 and the guest runs it itself. A leaf out of date
			 * (its frame out of sync) is not: the fill that follows removes it,
			 * and the guest's next try lends the new one. */
			if (!spt_lend_pl1_write(far, r->out)) {
				return false;
			}
			counter_inc(&shadow_values[SH_writes_lent]);
			return true;
		}
		emulate_stores(v, da, false, far, r->out, host); /* its abort, if one faults */
		counter_inc(&shadow_values[SH_stores_emulated]);
		return true;
	}
	/* A leaf built from a descriptor of an out-of-sync frame that changed since: the fill
	 * removes it first (spt_fill, I6). */
	return false;
}

/* count_miss: an abort the shadow caused (its own tables, not the guest's, refused the
 * access), now resolved: a data or prefetch miss. */
static inline void count_miss(bool data)
{
	counter_inc(&shadow_values[data ? SH_misses_data : SH_misses_prefetch]);
}

/* A miss the trampoline reported, as the guest took it. */
struct miss {
	u32 far, spsr;
	bool data, write, perm; /* data side, a write, a permission fault (else translation) */
	bool pl0;		/* from PL0 */
	enum s1_access acc;
};

/* unprivileged_at: is the guest's instruction at pc (in the instruction set of spsr.T) one of
 * the unprivileged load/store forms, whose accesses are checked as PL0 (B3.7.1)? Read
 * through the guest's walk: known from its encoding, whether or not the decoders accept it
 * (decode_unprivileged). */
static bool unprivileged_at(struct vcpu *v, u32 pc, u32 spsr)
{
	bool thumb = (spsr & PSR_T) != 0;
	u32 insn;
	return guest_read_code(v, pc, thumb, &insn) && decode_unprivileged(insn, thumb);
}

/* miss_outcome: miss m after its undo, whose translation f (in *r) is not a page of RAM to
 * shadow for a translation fault: an LDRT/STRT, PL0 at a page lent to PL1, a write the
 * shadow refused, a leaf out of sync with the guest's changed entry, a device access or a
 * genuine fault. */
static __attribute__((noinline)) void miss_outcome(struct vcpu *v, const struct miss *m,
						   enum s1_fault f, struct s1_result *r)
{
	bool data = m->data, write = m->write, hw_perm = m->perm, pl0 = m->pl0;
	u32 spsr = m->spsr, far = m->far;
	struct ldst da;
	bool decoded = false;
	if (f == S1_OK && hw_perm && data && !pl0) {
		/* PL1 code refused what its tables allow PL1: an LDRT/STRT (checked as PL0)?
		 * Known from its decoding, or, for a form the decoders refuse (UNPREDICTABLE,
		 * which QEMU runs), from its encoding; any other abort is spurious (fill_miss). */
		decoded = decode_guest(v, spsr, &da);
		if (decoded ? da.da->unprivileged : unprivileged_at(v, v->tf->pc, spsr)) {
			pl0 = true;
			f = s1_translate(guest_state(), &vm_guest_mem, far, m->acc, true, r);
		}
	}
	if (f != S1_OK) {
		/* The guest's own fault (not a miss). */
		deliver_abort(v, data, r->fsr | (write ? FSR_WNR : 0), far);
		return;
	}
	if (hw_perm && pl0 && spt_take_back(far)) {
		/* PL0 at a page lent to PL1 (refused_write): refilled below as the guest's
		 * entry says. */
		counter_inc(&shadow_values[SH_lent_taken_back]);
	}
	if (hw_perm && write && refused_write(v, spsr, pl0, far, r, decoded ? &da : NULL)) {
		count_miss(data);
		return;
	}
	if (vm_ipa_is_ram(sh.vm, r->out)) {
		count_miss(data);
		fill_miss(far, r, m->acc, pl0);
		return;
	}
	/* Not RAM: a device (emulated) or unassigned (an external abort, the guest's own): the
	 * core decodes the instruction, since there is no syndrome. */
	u32 hsr = ((u32)(data ? EC_DABT_LOW : EC_PABT_LOW) << HSR_EC_SHIFT) | HSR_IL |
		  (write ? ISS_DA_WNR : 0);
	if (vm_emulate_unbacked(v, hsr, r->out, far)) {
		abort_delivered(v, data); /* unassigned: the core gave the external abort */
	} else {
		count_miss(data);
		counter_inc(&shadow_values[SH_device_accesses]);
	}
}

/* miss_walk: miss m, undone, that the store could not shadow alone: resolved by the
 * guest's walk. */
static __attribute__((noinline)) void miss_walk(struct vcpu *v, const struct miss *m)
{
	if (spt_current() == SPT_NO_ROOT) {
		build_space();
	}
	struct s1_result r;
	enum s1_fault f = s1_translate(guest_state(), &vm_guest_mem, m->far, m->acc, m->pl0, &r);
	if (f == S1_OK && !m->perm && vm_ipa_is_ram(sh.vm, r.out)) {
		count_miss(m->data);
		fill_miss(m->far, &r, m->acc, m->pl0); /* a page of RAM not shadowed yet */
		return;
	}
	miss_outcome(v, m, f, &r);
}

/* abort_unusual: an abort (status hw_fsr, LR_abt lr) whose status is not a translation or
 * permission fault, taken from a mode that is not expected, or taken in Abort mode: true if it was
 * the guest's own (delivered); a miss otherwise. */
static __attribute__((noinline)) bool abort_unusual(struct vcpu *v, bool data, u32 hw_fsr, u32 far,
						    u32 lr, u32 spsr)
{
	u32 fsc_type = hw_fsr & FSC_TYPE_MASK;
	bool write = data && (hw_fsr & FSR_WNR) != 0;
	if (!guest_mode_ok(spsr)) {
		hyp_fatal("abort from an impossible guest mode (SPSR_abt 0x%08x)", spsr);
	}
	if (fsc_type != FSC_TRANSLATION && fsc_type != FSC_PERMISSION) {
		own_abort(v, data, hw_fsr, far, lr, spsr);
		return true;
	}
	if ((spsr & PSR_MODE_MASK) == PSR_MODE_ABT) {
		/* The abort that brought us here overwrote LR_abt and SPSR_abt while the guest
		 * was using them: invisible only when its own hardware aborts here too, and
		 * then taken now, as there (a nested abort; the access is not retried, since
		 * LR_abt, which it may use, is lost). Else it cannot be hidden
		 * (docs/shadow-design.md, "Limits"). */
		u32 fsr, pc = aborted_pc(lr, data);
		if (!native_abort(far, data, write, data && unprivileged_at(v, pc, spsr), &fsr)) {
			hyp_fatal(
			    "shadow miss at VA 0x%08x while the guest runs in Abort mode: its "
			    "LR_abt and SPSR_abt are lost (not supported by the shadow module)",
			    far);
		}
		take_afresh(v, data, fsr | (hw_fsr & FSR_CM), far, lr, spsr);
		return true;
	}
	return false;
}

/* trampoline: an abort the guest took at its own exception level (a data abort if data),
 * reported by the trampoline's HVC: a miss to fill, a device access, or a genuine fault to
 * deliver. Compiled once per kind (into shadow_hvc, and trampoline_pabt). */
static inline __attribute__((always_inline)) void trampoline(struct vcpu *v, bool data)
{
	u32 lr, spsr;
	vcpu_abort_mode_regs(v, &lr, &spsr);
	u32 hw_fsr = data ? read_dfsr() : read_ifsr();
	u32 far = data ? read_dfar() : read_ifar();
	u32 fsc_type = hw_fsr & FSC_TYPE_MASK, mode = spsr & PSR_MODE_MASK;
	if ((fsc_type != FSC_TRANSLATION && fsc_type != FSC_PERMISSION) ||
	    ((MISS_MODES >> mode) & 1u) == 0) {
		if (abort_unusual(v, data, hw_fsr, far, lr, spsr)) {
			return;
		}
	}
	bool write = data && (hw_fsr & FSR_WNR) != 0;
	bool pl0 = mode == PSR_MODE_USR;
	enum s1_access acc = data ? (write ? S1_WRITE : S1_READ) : S1_EXEC;

	/* Undo the abort entry: the guest is back at the faulting instruction, its abort-mode
	 * and fault registers as they were. */
	v->tf->pc = aborted_pc(lr, data);
	v->tf->cpsr = spsr;
	vcpu_enter_abort_mode(v, sh.g.lr_abt, sh.g.spsr_abt);
	if (data) { /* an abort sets its own kind's registers only (B1.9.7, B1.9.8) */
		write_dfsr(sh.g.dfsr);
		write_dfar(sh.g.dfar);
	} else {
		write_ifsr(sh.g.ifsr);
		write_ifar(sh.g.ifar);
	}

	if (fsc_type == FSC_TRANSLATION) {
		if (spt_fill_known(far, s1_perm_needed(acc, pl0))) {
			count_miss(data);
			if (sh.check_every != 0) {
				known_check(far, acc, pl0);
			}
			return; /* the most frequent: a page next to one shadowed before */
		}
	} else if (write && caught_write(v, spsr, pl0, far)) {
		count_miss(data);
		return; /* a write to a protected page table */
	}
	const struct miss m = {far, spsr, data, write, fsc_type == FSC_PERMISSION, pl0, acc};
	miss_walk(v, &m);
}

static __attribute__((noinline)) void trampoline_pabt(struct vcpu *v)
{
	trampoline(v, false);
}

/* ---- trapped system-register accesses ---- */

/* A CP15 register by its encoding: CRn, opc1, CRm, opc2. */
#define REG(crn, op1, crm, op2) (((crn) << 12) | ((op1) << 8) | ((crm) << 4) | (op2))

/* REG_CRN / REG_CRM: the fields of a REG() value. */
#define REG_CRN(reg)	 ((reg) >> 12)
#define REG_CRM(reg)	 (((reg) >> 4) & 0xfu)
#define REG_TLB_LOCKDOWN REG(10, 0, 0, 0)

/* canonical_reg: the register QEMU's cortex-a15 implements at a trapped encoding, where
 * one register answers at many: DACR at every c3 encoding, the RAZ/WI TLB lockdown
 * registers at every opc1/opc2 of c10 with CRm 0, 1, 4 or 8. HSTR.T3/T10 trap them all. */
static u32 canonical_reg(u32 reg)
{
	u32 crm = REG_CRM(reg);
	if (REG_CRN(reg) == 3) {
		return REG(3, 0, 0, 0);
	}
	if (REG_CRN(reg) == 10 && (crm == 0 || crm == 1 || crm == 4 || crm == 8)) {
		return REG_TLB_LOCKDOWN;
	}
	return reg;
}

/* set_ttbr0: a write to TTBR0: another address space (every context switch). */
static inline __attribute__((always_inline)) void set_ttbr0(u64 val)
{
	sh.g.s1.ttbr0 = val;
	counter_inc(&shadow_values[SH_wr_ttbr0]);
	if (sh.key.mmu) { /* the key's TTBR0 and, LPAE with TTBCR.A1 = 0, its ASID */
		sh.key.ttbr0 = val;
		sh.key.asid = guest_asid();
	}
	run_key();
}

/* set_ttbr: a write to TTBR0 or TTBR1 (shared by all address spaces: every shadow is
 * stale, unless the value is the same). */
static void set_ttbr(bool ttbr1, u64 val)
{
	if (!ttbr1) {
		set_ttbr0(val);
		return;
	}
	counter_inc(&shadow_values[SH_wr_ttbr1]);
	if (val != sh.g.s1.ttbr1) {
		sh.g.s1.ttbr1 = val;
		regime_changed();
	}
}

/* set_sctlr: a write to SCTLR: the MMU switched on or off is another address space; the
 * bits that change how tables are read make every shadow stale. */
static void set_sctlr(u32 val)
{
	u32 old = sh.g.s1.sctlr;
	sh.g.s1.sctlr = val;
	program_hardware();
	update_trampoline();
	if (((old ^ val) & SCTLR_TRANSLATION) != 0) {
		regime_changed();
	} else if (((old ^ val) & SCTLR_M) != 0) {
		if ((val & SCTLR_M) != 0) {
			check_reserved_va();
		}
		switch_space();
	}
}

static bool cp15_write(u32 reg, u32 val)
{
	switch (reg) {
	case REG(1, 0, 0, 0):
		counter_inc(&shadow_values[SH_wr_sctlr]);
		set_sctlr(val);
		return true;
	case REG(1, 0, 0, 1):
		write_actlr(val);
		counter_inc(&shadow_values[SH_wr_other]);
		return true;
	case REG(1, 0, 0, 2):
		write_cpacr(val);
		counter_inc(&shadow_values[SH_wr_other]);
		return true;
	case REG(2, 0, 0, 0):
		set_ttbr(false, (sh.g.s1.ttbr0 & ~0xffffffffull) | val); /* MCR: bits [31:0] only */
		return true;
	case REG(2, 0, 0, 1):
		set_ttbr(true, (sh.g.s1.ttbr1 & ~0xffffffffull) | val);
		return true;
	case REG(2, 0, 0, 2):
		/* Reserved bits read as zero (B4.1.153): long format keeps T0SZ, EPD0, IRGN0,
		 * ORGN0, SH0, A1, T1SZ, EPD1, IRGN1, ORGN1, SH1, bit 30, EAE; short format N,
		 * EAE (PD0/PD1 need the Security Extensions, which virt's CPU lacks). */
		sh.g.s1.ttbcr =
		    (val & TTBCR_EAE) ? val & ~TTBCR_LD_RAZ : val & (TTBCR_EAE | TTBCR_SD_N_MASK);
		counter_inc(&shadow_values[SH_wr_ttbcr]);
		regime_changed();
		return true;
	case REG(3, 0, 0, 0):
		sh.g.s1.dacr = val;
		counter_inc(&shadow_values[SH_wr_dacr]);
		switch_space(); /* domains are applied when entries are built: a key field */
		return true;
	case REG(5, 0, 0, 0):
		sh.g.dfsr = val;
		write_dfsr(val);
		counter_inc(&shadow_values[SH_wr_fault_regs]);
		return true;
	case REG(5, 0, 0, 1):
		sh.g.ifsr = val;
		write_ifsr(val);
		counter_inc(&shadow_values[SH_wr_fault_regs]);
		return true;
	case REG(5, 0, 1, 0):
		write_adfsr(val);
		counter_inc(&shadow_values[SH_wr_fault_regs]);
		return true;
	case REG(5, 0, 1, 1):
		write_aifsr(val);
		counter_inc(&shadow_values[SH_wr_fault_regs]);
		return true;
	case REG(6, 0, 0, 0):
		sh.g.dfar = val;
		write_dfar(val);
		counter_inc(&shadow_values[SH_wr_fault_regs]);
		return true;
	case REG(6, 0, 0, 2):
		sh.g.ifar = val;
		write_ifar(val);
		counter_inc(&shadow_values[SH_wr_fault_regs]);
		return true;
	case REG(10, 0, 2, 0):
		sh.g.prrr = val;
		counter_inc(&shadow_values[SH_wr_prrr_nmrr]);
		regime_changed();
		return true;
	case REG(10, 0, 2, 1):
		sh.g.nmrr = val;
		counter_inc(&shadow_values[SH_wr_prrr_nmrr]);
		regime_changed();
		return true;
	case REG(10, 0, 3, 0):
	case REG(10, 0, 3, 1):
		/* AMAIR0/1: IMPLEMENTATION DEFINED (B4.1.5); RAZ/WI on QEMU's Cortex-A15 */
		counter_inc(&shadow_values[SH_wr_amair]);
		return true;
	case REG_TLB_LOCKDOWN: /* nothing to lock */
		counter_inc(&shadow_values[SH_wr_other]);
		return true;
	case REG(12, 0, 0, 0):
		sh.g.vbar = val & ~0x1fu; /* bits [4:0] RES0 (B4.1.156) */
		counter_inc(&shadow_values[SH_wr_vbar]);
		update_trampoline();
		return true;
	case REG(13, 0, 0, 0):
		counter_inc(&shadow_values[SH_wr_other]);
		return true; /* FCSEIDR: the FCSE is not implemented, RAZ/WI */
	case REG(13, 0, 0, 1):
		sh.g.contextidr = val;
		counter_inc(&shadow_values[SH_wr_contextidr]);
		if (!guest_lpae()) {
			switch_space(); /* the ASID, in the short format */
		}
		return true;
	case REG(13, 0, 0, 2):
		write_tpidrurw(val);
		counter_inc(&shadow_values[SH_wr_other]);
		return true;
	case REG(13, 0, 0, 3):
		write_tpidruro(val);
		counter_inc(&shadow_values[SH_wr_other]);
		return true;
	case REG(13, 0, 0, 4):
		write_tpidrprw(val);
		counter_inc(&shadow_values[SH_wr_other]);
		return true;
	default:
		return false;
	}
}

/* read_counter: the counter of a trapped read of reg. */
static enum shadow_counter read_counter(u32 reg)
{
	switch (reg) {
	case REG(1, 0, 0, 0):
		return SH_rd_sctlr;
	case REG(2, 0, 0, 0):
		return SH_rd_ttbr0;
	case REG(2, 0, 0, 1):
		return SH_rd_ttbr1;
	case REG(2, 0, 0, 2):
		return SH_rd_ttbcr;
	case REG(3, 0, 0, 0):
		return SH_rd_dacr;
	case REG(12, 0, 0, 0):
		return SH_rd_vbar;
	case REG(13, 0, 0, 1):
		return SH_rd_contextidr;
	default:
		return SH_rd_other;
	}
}

static bool cp15_read(u32 reg, u32 *val)
{
	switch (reg) {
	case REG(1, 0, 0, 0):
		*val = sh.g.s1.sctlr;
		return true;
	case REG(1, 0, 0, 1):
		*val = read_actlr();
		return true;
	case REG(1, 0, 0, 2):
		*val = read_cpacr();
		return true;
	case REG(2, 0, 0, 0):
		*val = (u32)sh.g.s1.ttbr0;
		return true;
	case REG(2, 0, 0, 1):
		*val = (u32)sh.g.s1.ttbr1;
		return true;
	case REG(2, 0, 0, 2):
		*val = sh.g.s1.ttbcr;
		return true;
	case REG(3, 0, 0, 0):
		*val = sh.g.s1.dacr;
		return true;
	case REG(10, 0, 2, 0):
		*val = sh.g.prrr;
		return true;
	case REG(10, 0, 2, 1):
		*val = sh.g.nmrr;
		return true;
	case REG(10, 0, 3, 0):
	case REG(10, 0, 3, 1):
		*val = 0; /* AMAIR0/1: RAZ/WI, as QEMU's Cortex-A15 (cp15_write) */
		return true;
	case REG_TLB_LOCKDOWN: /* IMPLEMENTATION DEFINED: RAZ, as QEMU */
		*val = 0;
		return true;
	case REG(12, 0, 0, 0):
		*val = sh.g.vbar;
		return true;
	case REG(12, 0, 1, 0):
		*val = read_isr();
		return true;
	case REG(13, 0, 0, 0):
		*val = 0;
		return true;
	case REG(13, 0, 0, 1):
		*val = sh.g.contextidr;
		return true;
	case REG(13, 0, 0, 2):
		*val = read_tpidrurw();
		return true;
	case REG(13, 0, 0, 3):
		*val = read_tpidruro();
		return true;
	case REG(13, 0, 0, 4):
		*val = read_tpidrprw();
		return true;
	default:
		return false;
	}
}

/* tlb_op: a trapped TLB maintenance operation (CRn = 8, B4.2.2). What it must remove from
 * the shadow is what may be stale there, and only frames out of sync can make an entry
 * stale: write protection keeps every other shadow entry what a walk of the guest's
 * tables gives now (spt.c, I6). So every operation brings the out-of-sync frames back
 * (any policy: see pt_write), whichever entries, ASID or VA it names, and does no more. */
static void tlb_op(u32 crm, u32 opc1, u32 opc2)
{
	static const u8 tlbi_counter[4] = {
	    SH_tlbi_all,  /* TLBIALL, ITLBIALL, DTLBIALL, TLBIALLIS */
	    SH_tlbi_mva,  /* TLBIMVA and its I, D, IS forms */
	    SH_tlbi_asid, /* TLBIASID and its I, D, IS forms */
	    SH_tlbi_mvaa, /* TLBIMVAA, TLBIMVAAIS */
	};
	bool is_or_unified = crm == 3 || crm == 7; /* inner shareable, unified */
	if (opc1 != 0 || (crm != 3 && crm != 5 && crm != 6 && crm != 7) ||
	    (opc2 == 3 && !is_or_unified) || opc2 > 3) {
		hyp_fatal("unexpected trapped TLB operation c8, %u, c%u, %u", opc1, crm, opc2);
	}
	bool touched = spt_resync();
	counter_inc(&shadow_values[tlbi_counter[opc2]]);
	if (touched) {
		check_reserved_va();
	}
}

/* The fields of an MCR/MRC syndrome (B3.13.6, EC 0x03): opc2 [19:17], opc1 [16:14],
 * CRn [13:10], Rt [8:5], CRm [4:1]. */
#define CP32_OPC2(hsr) ((u32)BITS(hsr, 19, 17))
#define CP32_OPC1(hsr) ((u32)BITS(hsr, 16, 14))
#define CP32_CRN(hsr)  ((u32)BITS(hsr, 13, 10))
#define CP32_RT(hsr)   ((u32)BITS(hsr, 8, 5))
#define CP32_CRM(hsr)  ((u32)BITS(hsr, 4, 1))
#define CP32_CRN_MASK  (0xfu << 10)
#define CP32_TLB_WRITE (8u << 10) /* MCR to CRn = c8: TLB maintenance */

/* tlb_trap: a trapped MCR to c8 (HCR.TTLB): the most frequent CP15 trap. */
static __attribute__((noinline)) void tlb_trap(struct vcpu *v, u32 hsr)
{
	if (trapped_condition_passed(v, hsr)) {
		tlb_op(CP32_CRM(hsr), CP32_OPC1(hsr), CP32_OPC2(hsr));
	}
	vcpu_skip_insn(v, hsr);
}

static __attribute__((noinline)) void cp15_32(struct vcpu *v, u32 hsr)
{
	u32 crn = CP32_CRN(hsr), opc1 = CP32_OPC1(hsr), crm = CP32_CRM(hsr), opc2 = CP32_OPC2(hsr);
	u32 rt = CP32_RT(hsr);
	if (!trapped_condition_passed(v, hsr)) {
		vcpu_skip_insn(v, hsr);
		return;
	}
	u32 reg = canonical_reg(REG(crn, opc1, crm, opc2));
	if ((hsr & ISS_CP_READ) != 0) {
		u32 val;
		if (!cp15_read(reg, &val)) {
			hyp_fatal("unexpected trapped CP15 read");
		}
		counter_inc(&shadow_values[read_counter(reg)]);
		if (rt == 15) {
			/* MRC to APSR_nzcv: the flags take bits [31:28] (A8.8.108). */
			v->tf->cpsr = (v->tf->cpsr & ~0xf0000000u) | (val & 0xf0000000u);
		} else {
			vcpu_set_reg(v, rt, val);
		}
	} else if (!cp15_write(reg, vcpu_reg(v, rt))) {
		hyp_fatal("unexpected trapped CP15 write");
	}
	vcpu_skip_insn(v, hsr);
}

/* CP64_* : the fields of an MCRR/MRRC syndrome (B3.13.6, EC 0x04) that name the register:
 * opc1 [19:16] and CRm [4:1]; the only 64-bit registers trapped are TTBR0 (opc1 0) and
 * TTBR1 (opc1 1), CRm c2. */
#define CP64_REG_MASK ((0xfu << 16) | (0xfu << 1))
#define CP64_TTBR0    (2u << 1)
#define CP64_TTBR1    ((1u << 16) | (2u << 1))
#define CP64_RT(hsr)  ((u32)BITS(hsr, 8, 5))
#define CP64_RT2(hsr) ((u32)BITS(hsr, 13, 10))

/* cp15_64_any: every trapped MCRR/MRRC (cp15_64 takes the most frequent first). */
static __attribute__((noinline)) void cp15_64_any(struct vcpu *v, u32 hsr)
{
	u32 reg = hsr & CP64_REG_MASK, rt = CP64_RT(hsr), rt2 = CP64_RT2(hsr);
	if (reg != CP64_TTBR0 && reg != CP64_TTBR1) {
		hyp_fatal("unexpected trapped 64-bit CP15 access");
	}
	if (!trapped_condition_passed(v, hsr)) {
		vcpu_skip_insn(v, hsr);
		return;
	}
	if (rt == 15 || rt2 == 15 || ((hsr & ISS_CP_READ) != 0 && rt == rt2)) {
		hyp_fatal("UNPREDICTABLE MCRR/MRRC register operands (A8.8.109): the guest is "
			  "stopped");
	}
	if ((hsr & ISS_CP_READ) == 0) {
		set_ttbr(reg == CP64_TTBR1, ((u64)vcpu_reg(v, rt2) << 32) | vcpu_reg(v, rt));
	} else {
		u64 ttbr = reg == CP64_TTBR0 ? sh.g.s1.ttbr0 : sh.g.s1.ttbr1;
		vcpu_set_reg(v, rt, (u32)ttbr);
		vcpu_set_reg(v, rt2, (u32)(ttbr >> 32));
		counter_inc(&shadow_values[reg == CP64_TTBR0 ? SH_rd_ttbr0 : SH_rd_ttbr1]);
	}
	vcpu_skip_insn(v, hsr);
}

/* The most frequent MCRR (every context switch): an unconditional (CV = 1, AL) write to
 * TTBR0 from two of r0-r7, which are in the trap frame in every mode (Rt and Rt2 bit 3
 * clear: CP64_RT_HIGH, CP64_RT2_HIGH). */
#define CP64_RT_HIGH  (8u << 5)
#define CP64_RT2_HIGH (8u << 10)
#define CP64_FAST_MASK                                                                             \
	(HSR_IL | CP64_REG_MASK | ISS_CP_READ | ISS_CV | ISS_COND_MASK | CP64_RT_HIGH |            \
	 CP64_RT2_HIGH)
#define CP64_FAST (HSR_IL | CP64_TTBR0 | ISS_CV | ((u32)COND_AL << ISS_COND_SHIFT))

static __attribute__((noinline)) void cp15_64(struct vcpu *v, u32 hsr)
{
	if ((hsr & CP64_FAST_MASK) != CP64_FAST) {
		cp15_64_any(v, hsr);
		return;
	}
	const struct trap_frame *tf = v->tf;
	set_ttbr0(((u64)tf->r[CP64_RT2(hsr)] << 32) | tf->r[CP64_RT(hsr)]);
	vcpu_skip_insn(v, CP64_FAST); /* hsr's HSR.IL, checked above, as a constant */
}

/* The syndrome of the trampoline's HVC #imm (an A32 instruction: 32 bits). */
#define HSR_TRAMPOLINE(imm) (((u32)EC_HVC << HSR_EC_SHIFT) | HSR_IL | (imm))

/* from_trampoline: was this HVC the one in the trampoline's vector slot `slot`, entered by
 * an abort? Only then are LR_abt and SPSR_abt the hardware's record of where the guest
 * was; a guest that executes HVC #1/#2 itself is refused (it could otherwise choose the
 * mode to return to). */
static bool from_trampoline(const struct vcpu *v, u32 slot)
{
	return v->tf->pc == SHADOW_TRAMPOLINE_VA + slot + 4 &&
	       (v->tf->cpsr & PSR_MODE_MASK) == PSR_MODE_ABT;
}

/* guest_mode_ok: a CPSR the guest may be resumed with (a PL0/PL1 mode, A32 or Thumb). */
static bool guest_mode_ok(u32 cpsr)
{
	return ((GUEST_MODES >> (cpsr & PSR_MODE_MASK)) & 1u) != 0;
}

/* check_store: the periodic verification of the store's invariants (shadow.check). */
static __attribute__((noinline)) void check_store(void)
{
	const char *broken = spt_check();
	sh.check_countdown = sh.check_every;
	if (broken != NULL) {
		hyp_fatal("%s", broken);
	}
}

/* shadow_trap_done: the end of every trap the module handles. */
static inline __attribute__((always_inline)) void shadow_trap_done(void)
{
	dsb(); /* the TLB maintenance of this trap is complete before the guest runs */
	if (sh.check_every != 0 && --sh.check_countdown == 0) {
		check_store();
	}
}

/* shadow_hvc: the trampoline's HVCs (the guest's aborts); any other goes to the core
 * (SMCCC; any other HVC is refused there). */
static void shadow_hvc(struct vcpu *v, u32 hsr)
{
	if (hsr == HSR_TRAMPOLINE(HVC_DABT) && from_trampoline(v, VEC_DABT)) {
		trampoline(v, true); /* the most frequent trap: misses (compiled in here) */
	} else if (hsr == HSR_TRAMPOLINE(HVC_PABT) && from_trampoline(v, VEC_PABT)) {
		trampoline_pabt(v);
	} else {
		trap_core(v, hsr);
		return;
	}
	shadow_trap_done();
}

/* shadow_cp15_32: a trapped MCR/MRC: TLB maintenance (HCR.TTLB), or a translation register
 * (HCR.TVM, HSTR). */
static void shadow_cp15_32(struct vcpu *v, u32 hsr)
{
	if ((hsr & (CP32_CRN_MASK | ISS_CP_READ)) == CP32_TLB_WRITE) {
		tlb_trap(v, hsr);
	} else {
		cp15_32(v, hsr);
	}
	shadow_trap_done();
}

/* shadow_cp15_64: a trapped MCRR/MRRC (TTBR0/TTBR1). */
static void shadow_cp15_64(struct vcpu *v, u32 hsr)
{
	cp15_64(v, hsr);
	shadow_trap_done();
}

static bool shadow_va_to_ipa(struct vcpu *v UNUSED, u32 va, bool write UNUSED, paddr_t *ipa)
{
	return guest_s1_translate(va, ipa); /* through shadow_guest_reg: the virtual registers */
}

static bool shadow_guest_reg(struct vcpu *v UNUSED, enum guest_reg reg, u64 *val)
{
	switch (reg) {
	case GREG_SCTLR:
		*val = sh.g.s1.sctlr;
		return true;
	case GREG_TTBCR:
		*val = sh.g.s1.ttbcr;
		return true;
	case GREG_TTBR0:
		*val = sh.g.s1.ttbr0;
		return true;
	case GREG_TTBR1:
		*val = sh.g.s1.ttbr1;
		return true;
	case GREG_DACR:
		*val = sh.g.s1.dacr;
		return true;
	case GREG_VBAR:
		*val = sh.g.vbar;
		return true;
	case GREG_CONTEXTIDR:
		*val = sh.g.contextidr;
		return true;
	}
	return false;
}

/* shadow_guest_wrote: the core wrote guest RAM [ipa, ipa+len): like a caught write, the
 * shadows of the protected frames' descriptors go (frames out of sync: their resync). */
static void shadow_guest_wrote(paddr_t ipa, u32 len)
{
	bool fixed = false;
	while (len != 0) {
		u32 chunk = PAGE_SIZE_4K - (u32)(ipa & PAGE_OFFSET_MASK);
		chunk = chunk < len ? chunk : len;
		fixed |= spt_guest_wrote(ipa, chunk);
		ipa += chunk;
		len -= chunk;
	}
	dsb(); /* the removals' TLB maintenance complete before the guest runs */
	if (fixed) {
		check_reserved_va();
	}
}

static const struct mm_trap shadow_traps[] = {
    {EC_CP15_32, shadow_cp15_32},
    {EC_CP15_64, shadow_cp15_64},
    {EC_HVC, shadow_hvc},
    {0, NULL},
};

static const struct mm_module shadow_module = {
    .name = "shadow",
    .options_help =
	"  shadow.sync=emulate|unsync  caught page-table writes: emulated at once (default), or\n"
	"                              the frame left out of sync until the next TLB operation\n"
	"                              or address-space switch\n"
	"  shadow.pool=<pages>         shadow-table pool, 4 KiB pages (16..16384, default 1024)\n"
	"  shadow.flood=<n>            a guest table written n times with no fill through it (or\n"
	"                              found n descriptors changed at a resync) is shadowed no\n"
	"                              more (0..255, default 4; 0: never)\n"
	"  shadow.check=<n>            verify the shadow store's invariants after every n-th\n"
	"                              trap (default 0: never; 1: after every trap, slow)",
    .parse_option = shadow_option,
    .setup = shadow_setup,
    .traps = shadow_traps,
    .va_to_ipa = shadow_va_to_ipa,
    .guest_reg = shadow_guest_reg,
    .guest_wrote = shadow_guest_wrote,
    .counters = &shadow_block,
};
MM_MODULE(shadow_module);
