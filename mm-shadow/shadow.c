/* The shadow page-table module (first version): HCR.VM=0; the hardware walks tables that
 * the hypervisor builds from the guest's own (always LPAE format, whatever the guest uses),
 * filled one 4 KiB page at a time on misses. docs/shadow-design.md explains the design.
 *
 *   - The guest's translation registers are virtual: writes trap (HCR.TVM, B1.14.4), reads
 *     of the ones whose hardware value differs trap (HSTR.T1/T2/T3/T10/T12/T13).
 *   - Aborts reach the hypervisor through a trampoline: the hardware VBAR points at a
 *     hypervisor page at SHADOW_TRAMPOLINE_VA whose abort slots are HVC #1 / #2 and whose
 *     other slots branch to the guest's own vectors.
 *   - A miss is resolved with the stage-1 model (common/src/s1.c): a page of RAM is shadowed,
 *     a device access emulated, a genuine fault delivered with the status the guest's own
 *     tables imply.
 *   - Coherence: the guest must maintain its TLB after changing a valid entry (B3.10);
 *     every trapped TLB operation (HCR.TTLB) and every translation-register write drops
 *     all shadow entries in this version. Invalid guest entries are never shadowed.
 * Not yet (issue 4): cached roots per TTBR0/ASID, exact TLBI invalidation, the reverse map,
 * write protection with the emulate/unsync policies, guest ATS operations (not trapped:
 * they translate through the shadow), device accesses from Thumb code, big-endian guests,
 * and misses taken while the guest runs in Abort mode: the hardware abort that reports the
 * miss overwrites LR_abt/SPSR_abt, so such a miss stops the run with a message
 * (docs/shadow-design.md weighs the ways to remove it). */
#include "hyp/console.h"
#include "hyp/decode.h"
#include "hyp/mm.h"
#include "hyp/palloc.h"
#include "hyp/syndrome.h"
#include "hyp/trap.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/lpae.h"
#include "tb/pt.h"
#include "tb/s1.h"
#include "tb/str.h"

#define SHADOW_COUNTERS(X)                                                                         \
	X(misses_data)                                                                             \
	X(misses_prefetch)                                                                         \
	X(fills)                                                                                   \
	X(genuine_faults)                                                                          \
	X(device_accesses)                                                                         \
	X(zaps)                                                                                    \
	X(pool_exhausted)                                                                          \
	X(tables)                                                                                  \
	X(pinned)                                                                                  \
	X(stores_emulated)                                                                         \
	X(cp15_writes)                                                                             \
	X(cp15_reads)                                                                              \
	X(tlb_ops)
#define SH_ENUM_(name) SH_##name,
enum { SHADOW_COUNTERS(SH_ENUM_) };
DEFINE_COUNTER_BLOCK(shadow, "shadow", SHADOW_COUNTERS)

/* A VA the guest must never map: the trampoline vector page. */
#define SHADOW_TRAMPOLINE_VA 0xfffff000u
#define POOL_PAGES	     1024u /* 4 MiB of shadow tables */
#define HVC_PABT	     1u
#define HVC_DABT	     2u
/* A32 encodings of the trampoline page. */
#define INSN_HVC(imm)	  (0xe1400070u | (((imm)&0xfff0u) << 4) | ((imm)&0xfu))
#define INSN_LDR_PC_PC_18 0xe59ff018u /* ldr pc, [pc, #0x18]: the literal 0x20 bytes on */
#define TRAMPOLINE_POOL	  8u	      /* word index of the literal pool */
#define MAIR_SHADOW	  0x000004ffu /* attr 0: normal write-back, attr 1: device */
/* SCTLR bits the hardware takes from the guest; TE and EE stay 0 (the trampoline is A32 and
 * the shadow tables little-endian), V stays 0 (the trampoline is at VBAR). */
#define SCTLR_GUEST_PASSTHROUGH (SCTLR_A | SCTLR_C | BIT(11) | BIT(12))

/* The guest's translation registers as it wrote them. */
struct vregs {
	u32 sctlr, ttbcr, dacr, vbar, contextidr, prrr, nmrr, amair0, amair1;
	u64 ttbr0, ttbr1;
	u32 dfsr, ifsr, dfar, ifar; /* what the guest last wrote or was given */
	u32 lr_abt, spsr_abt;	    /* the abort-mode state of its last genuine abort */
};

static struct {
	struct vm *vm;
	struct vregs g;
	struct pt_regime regime;
	paddr_t pool;
	u32 pool_used;
	u32 trampoline; /* host PA of the trampoline page */
} sh;

/* ---- the table pool: bounded; exhausted means "drop everything and start again" ---- */

static paddr_t pool_alloc(void *ctx UNUSED, u32 bytes)
{
	HYP_ASSERT(bytes <= 4096);
	if (sh.pool_used == POOL_PAGES) {
		return 0;
	}
	paddr_t p = sh.pool + (paddr_t)sh.pool_used++ * 4096;
	memset((void *)(uintptr_t)p, 0, 4096);
	shadow_values[SH_tables]++;
	return p;
}

static const struct pt_mem shmem = {.direct = true, .alloc_table = pool_alloc};

/* s1_state: the guest's translation state for the stage-1 model. */
static struct s1_state guest_state(void)
{
	struct s1_state st = {sh.g.sctlr, sh.g.ttbcr, sh.g.ttbr0, sh.g.ttbr1, sh.g.dacr};
	return st;
}

/* guest_vectors: where the guest's exceptions go (SCTLR.V: high vectors). */
static u32 guest_vectors(void)
{
	return (sh.g.sctlr & SCTLR_V) ? VEC_HIGH : sh.g.vbar;
}

/* update_trampoline: the literal pool of the non-abort slots -> the guest's vectors. */
static void update_trampoline(void)
{
	u32 *t = (u32 *)(uintptr_t)sh.trampoline;
	/* LDR to the PC interworks (A2.3.2): bit 0 enters Thumb, as SCTLR.TE would. */
	u32 thumb = (sh.g.sctlr & SCTLR_TE) ? 1u : 0u;
	if (sh.g.sctlr & SCTLR_EE) {
		hyp_fatal("the guest set SCTLR.EE (big-endian exceptions and table walks): not "
			  "supported by this version of the shadow module");
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

/* zap: drop every shadow entry: a fresh root holding only the trampoline. */
static void zap(void)
{
	sh.pool_used = 0;
	paddr_t root = pool_alloc(NULL, 4096);
	HYP_ASSERT(root != 0);
	pt_regime_init(&sh.regime, &pt_lpae_s1, root, 32);
	enum pt_status st = pt_map(&sh.regime, &shmem, SHADOW_TRAMPOLINE_VA, sh.trampoline, 4096,
				   ((u64)LPAE_AP_RO_PL1 << LPAE_AP_SHIFT) | LPAE_AF | LPAE_NG, 12);
	HYP_ASSERT(st == PT_OK);
	write_ttbr0_64(root);
	isb();
	dsb();
	tlbi_allnsnh();
	dsb();
	isb();
	shadow_values[SH_zaps]++;
}

/* program_hardware: the registers the hardware runs with, from the guest's virtual ones. */
static void program_hardware(void)
{
	u32 sctlr = read_sctlr();
	sctlr = (sctlr & ~(SCTLR_GUEST_PASSTHROUGH | SCTLR_V)) |
		(sh.g.sctlr & SCTLR_GUEST_PASSTHROUGH) | SCTLR_M;
	write_sctlr(sctlr);
	write_vbar(SHADOW_TRAMPOLINE_VA);
	isb();
}

static int shadow_setup(struct vm *vm)
{
	sh.vm = vm;
	memset(&sh.g, 0, sizeof(sh.g));
	/* The guest's reset state, just written by the core (vcpu_reset). */
	sh.g.sctlr = read_sctlr();
	sh.g.prrr = read_prrr();
	sh.g.nmrr = read_nmrr();
	sh.pool = palloc_pages(POOL_PAGES, 4096);
	sh.trampoline = palloc_pages(1, 4096);
	if (sh.pool == 0 || sh.trampoline == 0) {
		return -1;
	}
	build_trampoline();
	write_prrr(MAIR_SHADOW); /* MAIR0 of the shadow tables */
	write_ttbcr(TTBCR_EAE);
	write_ttbr1_64(0);
	write_contextidr(0);
	zap();
	program_hardware();
	vm->hcr |= HCR_TVM | HCR_TTLB;
	vm->hstr |= BIT(1) | BIT(2) | BIT(3) | BIT(10) | BIT(12) | BIT(13);
	return 0;
}

static bool shadow_va_to_ipa(struct vcpu *v, u32 va, bool write, paddr_t *ipa);
static bool guest_mode_ok(u32 cpsr);

/* ---- misses ---- */

/* shadow_attrs: LPAE attributes granting what the guest's entry grants. */
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
	 * to both (ap above) and PL1's writes are emulated (emulate_pl1_store). */
	u64 a = ((u64)ap << LPAE_AP_SHIFT) | LPAE_AF | ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT);
	if ((perms & (S1_PERM_PL1_X | S1_PERM_PL0_X)) == 0) {
		a |= LPAE_XN;
	} else if ((perms & S1_PERM_PL1_X) == 0) {
		a |= LPAE_PXN;
	}
	return a;
}

/* fill: shadow the 4 KiB page of RAM that the guest maps va to. */
static void fill(u32 va, paddr_t ipa, u32 perms)
{
	void *host = vm_ipa_to_host(sh.vm, ALIGN_DOWN(ipa, (paddr_t)4096), 4096);
	HYP_ASSERT(host != NULL);
	if (ALIGN_DOWN(va, 4096u) == SHADOW_TRAMPOLINE_VA) {
		hyp_fatal("the guest maps VA 0x%08x, which the shadow module reserves for its "
			  "trampoline",
			  va);
	}
	u64 attrs = shadow_attrs(perms);
	enum pt_status st = pt_map(&sh.regime, &shmem, ALIGN_DOWN(va, 4096u),
				   (paddr_t)(uintptr_t)host, 4096, attrs, 12);
	if (st == PT_ERR_EXISTS) {
		/* A stale entry: the guest changed a valid entry and has not maintained its TLB
		 * yet (natively, either translation may be used, B3.10.1): take the new one,
		 * break before make. */
		enum pt_status un = pt_unmap(&sh.regime, &shmem, ALIGN_DOWN(va, 4096u), 4096);
		HYP_ASSERT(un == PT_OK);
		dsb();
		tlbi_allnsnh();
		dsb();
		isb();
		st = pt_map(&sh.regime, &shmem, ALIGN_DOWN(va, 4096u), (paddr_t)(uintptr_t)host,
			    4096, attrs, 12);
	}
	if (st == PT_ERR_NOMEM) {
		shadow_values[SH_pool_exhausted]++;
		zap();
		st = pt_map(&sh.regime, &shmem, ALIGN_DOWN(va, 4096u), (paddr_t)(uintptr_t)host,
			    4096, attrs, 12);
	}
	if (st != PT_OK) {
		hyp_fatal("shadow fill of VA 0x%08x failed: %s", va, pt_status_str(st));
	}
	dsb();
	shadow_values[SH_fills]++;
}

/* emulate_pl1_store: perform, for the guest, a PL1 store its tables allow but its shadow
 * entry (read-only: see shadow_attrs) refused; then step past the instruction. */
static void emulate_pl1_store(struct vcpu *v, const struct decoded_access *acc)
{
	struct s1_state st = guest_state();
	for (u32 i = 0; i < acc->n; i++) {
		const struct mem_op *op = &acc->op[i];
		struct s1_result r;
		u8 *host;
		if (!op->store || s1_translate(&st, &vm_guest_mem, op->addr, S1_WRITE, false, &r) ||
		    (host = vm_ipa_to_host(sh.vm, r.out, op->size)) == NULL) {
			hyp_fatal("cannot emulate %s at guest pc 0x%08x (access %u at 0x%08x)",
				  acc->mnemonic, v->tf->pc, i, op->addr);
		}
		u32 val = vcpu_reg(v, op->reg);
		memcpy(host, &val, op->size); /* little-endian guest */
	}
	if (acc->writeback) {
		vcpu_set_reg(v, acc->wb_reg, acc->wb_value);
	}
	v->tf->pc += 4;
	shadow_values[SH_stores_emulated]++;
}

/* guest_reg_cb: decode_reg_fn over the vCPU (index 16: the CPSR). */
static u32 guest_reg_cb(void *ctx, unsigned n)
{
	struct vcpu *v = ctx;
	return n == 16 ? v->tf->cpsr : vcpu_reg(v, n);
}

/* pin: shadow the page of va now if the guest maps it to RAM (reads at PL1). */
static void pin(u32 va)
{
	struct s1_state st = guest_state();
	struct s1_result r;
	if (ALIGN_DOWN(va, 4096u) != SHADOW_TRAMPOLINE_VA &&
	    s1_translate(&st, &vm_guest_mem, va, S1_READ, false, &r) == S1_OK &&
	    vm_ipa_is_ram(sh.vm, r.out) &&
	    pt_walk(&sh.regime, &shmem, va, &(struct pt_walk){0}) != PT_OK) {
		fill(va, r.out, r.perms);
		shadow_values[SH_pinned]++;
	}
}

/* pin_abort_entry: the guest is about to run its abort handler, in Abort mode, where a
 * miss could not be made invisible: shadow its vector, the vector's branch target and its
 * abort-mode stack first (the pages a handler's entry touches before it saves LR_abt). */
static void pin_abort_entry(struct vcpu *v, bool data)
{
	u32 slot = guest_vectors() + (data ? VEC_DABT : VEC_PABT);
	paddr_t ipa;
	pin(slot);
	if (shadow_va_to_ipa(v, slot, false, &ipa)) {
		const u32 *insn = vm_ipa_to_host(sh.vm, ipa, 4);
		if (insn != NULL &&
		    (*insn & 0xff000000u) == 0xea000000u) { /* B <target> (A8.8.18) */
			u32 target = slot + 8 + (u32)((s32)(*insn << 8) >> 6);
			for (u32 off = 0; off <= 128; off += 64) { /* the stub, across a page */
				pin(target + off);
			}
		}
	}
	u32 sp = vcpu_abort_mode_sp(v);
	pin(sp - 4);
	pin(sp - 256);
}

/* guest_denies: would the guest's own MMU refuse this access (a genuine fault)? */
static bool guest_denies(u32 far, bool data, bool write, bool pl0)
{
	struct s1_state st = guest_state();
	struct s1_result r;
	return s1_translate(&st, &vm_guest_mem, far, data ? (write ? S1_WRITE : S1_READ) : S1_EXEC,
			    pl0, &r) != S1_OK;
}

/* own_abort: an abort that is the guest's own whatever its tables say (alignment, debug,
 * external): the hardware entered Abort mode exactly as for the guest; give it the fault
 * status in its own format and run its vector. */
static void own_abort(struct vcpu *v, bool data, u32 hw_fsr, u32 far)
{
	u32 fsc = hw_fsr & ISS_FSC_MASK, fsr;
	bool lpae = (sh.g.ttbcr & TTBCR_EAE) != 0;
	switch (fsc) { /* long-descriptor status -> the guest's format (B3.13.3) */
	case FSC_ALIGNMENT:
		fsr = lpae ? FSR_LPAE | FSC_ALIGNMENT : 0x001u;
		break;
	case FSC_DEBUG:
		fsr = lpae ? FSR_LPAE | FSC_DEBUG : 0x002u;
		break;
	case FSC_SYNC_EXT:
		fsr = lpae ? FSR_LPAE | FSC_SYNC_EXT : FSR_SD_SYNC_EXT;
		break;
	default:
		hyp_fatal("abort with fault status 0x%02x at VA 0x%08x: not expected under shadow "
			  "tables",
			  fsc, far);
	}
	fsr |= hw_fsr & (FSR_WNR | FSR_EXT);
	if (data) {
		write_dfsr(fsr);
		sh.g.dfsr = fsr;
		sh.g.dfar = far;
	} else {
		write_ifsr(fsr);
		sh.g.ifsr = fsr;
		sh.g.ifar = far;
	}
	vcpu_abort_mode_regs(v, &sh.g.lr_abt, &sh.g.spsr_abt);
	v->tf->pc = guest_vectors() + (data ? VEC_DABT : VEC_PABT);
	shadow_values[SH_genuine_faults]++;
}

/* trampoline: an abort the guest took at its own exception level, reported by the
 * trampoline's HVC: a miss to fill, a device access, or a genuine fault to deliver. */
static void trampoline(struct vcpu *v, bool data)
{
	u32 lr, spsr;
	vcpu_abort_mode_regs(v, &lr, &spsr);
	u32 hw_fsr = data ? read_dfsr() : read_ifsr();
	u32 far = data ? read_dfar() : read_ifar();
	bool write = data && (hw_fsr & FSR_WNR) != 0;
	bool pl0 = (spsr & PSR_MODE_MASK) == PSR_MODE_USR;
	u32 fsc_type = hw_fsr & FSC_TYPE_MASK;
	if (!guest_mode_ok(spsr)) {
		hyp_fatal("abort from an impossible guest mode (SPSR_abt 0x%08x)", spsr);
	}
	if (fsc_type != FSC_TRANSLATION && fsc_type != FSC_PERMISSION) {
		own_abort(v, data, hw_fsr, far);
		return;
	}
	shadow_values[data ? SH_misses_data : SH_misses_prefetch]++;
	if ((spsr & PSR_MODE_MASK) == PSR_MODE_ABT && !guest_denies(far, data, write, pl0)) {
		/* The abort that brought us here overwrote LR_abt and SPSR_abt while the guest
		 * was using them: this miss cannot be made invisible (docs/shadow-design.md). */
		hyp_fatal("shadow miss at VA 0x%08x while the guest runs in Abort mode: its LR_abt "
			  "and SPSR_abt are lost (not supported by this version of the shadow "
			  "module)",
			  far);
	}

	/* Undo the abort entry: the guest is back at the faulting instruction, its abort-mode
	 * and fault registers as they were. */
	v->tf->pc = lr - (data ? 8 : 4);
	v->tf->cpsr = spsr;
	vcpu_enter_abort_mode(v, sh.g.lr_abt, sh.g.spsr_abt);
	write_dfsr(sh.g.dfsr);
	write_dfar(sh.g.dfar);
	write_ifsr(sh.g.ifsr);
	write_ifar(sh.g.ifar);

	struct s1_state st = guest_state();
	struct s1_result r;
	enum s1_access acc = data ? (write ? S1_WRITE : S1_READ) : S1_EXEC;
	enum s1_fault f = s1_translate(&st, &vm_guest_mem, far, acc, pl0, &r);
	bool pl1_rw_pl0_ro =
	    (r.perms & S1_PERM_PL1_W) && (r.perms & S1_PERM_PL0_R) && !(r.perms & S1_PERM_PL0_W);
	if (f == S1_OK && (hw_fsr & FSC_TYPE_MASK) == FSC_PERMISSION && !pl0 && data) {
		/* The shadow entry exists, yet refused a data access the guest's tables allow
		 * PL1: an unprivileged LDRT/STRT (checked as PL0), a PL1 store to a page that is
		 * PL1 read/write and PL0 read-only (shadowed read-only), or a stale entry. */
		u32 insn;
		char err[128];
		struct decoded_access da;
		bool decoded = (spsr & PSR_T) == 0 && guest_read_insn(v, v->tf->pc, &insn) &&
			       decode_a32_ldst(insn, guest_reg_cb, v, &da, err, sizeof(err));
		if (!decoded && write && pl1_rw_pl0_ro) {
			hyp_fatal(
			    "PL1 store at VA 0x%08x to a PL1 read/write, PL0 read-only page by "
			    "an instruction that cannot be emulated",
			    far);
		}
		if (decoded && !da.unprivileged && write && pl1_rw_pl0_ro) {
			emulate_pl1_store(v, &da);
			return;
		}
		if (decoded && da.unprivileged) {
			f = s1_translate(&st, &vm_guest_mem, far, acc, true, &r);
		}
		/* Otherwise a stale entry: refilled below. */
	}
	if (f == S1_OK && vm_ipa_is_ram(sh.vm, r.out)) {
		fill(far, r.out, r.perms);
		return;
	}
	if (f == S1_OK) {
		/* Not RAM: a device (emulated) or unassigned (an external abort): the core
		 * decodes the instruction, since there is no syndrome. */
		shadow_values[SH_device_accesses]++;
		u32 hsr = ((u32)(data ? EC_DABT_LOW : EC_PABT_LOW) << HSR_EC_SHIFT) | HSR_IL |
			  (write ? ISS_DA_WNR : 0);
		vm_emulate_unbacked(v, hsr, r.out, far);
	} else {
		shadow_values[SH_genuine_faults]++;
		guest_inject_abort(v, data, r.fsr | (write ? FSR_WNR : 0), far);
	}
	if ((v->tf->cpsr & PSR_MODE_MASK) == PSR_MODE_ABT &&
	    (spsr & PSR_MODE_MASK) != PSR_MODE_ABT) {
		/* An abort was delivered (genuine, or an external abort the core injected). */
		pin_abort_entry(v, v->tf->pc == guest_vectors() + VEC_DABT);
	}
	/* The guest's fault and abort-mode registers now hold what it was given. */
	if (data) {
		sh.g.dfsr = read_dfsr();
		sh.g.dfar = read_dfar();
	} else {
		sh.g.ifsr = read_ifsr();
		sh.g.ifar = read_ifar();
	}
	vcpu_abort_mode_regs(v, &sh.g.lr_abt, &sh.g.spsr_abt);
}

/* ---- trapped system-register accesses ---- */

/* A CP15 register by its encoding: CRn, opc1, CRm, opc2. */
#define REG(crn, op1, crm, op2) (((crn) << 12) | ((op1) << 8) | ((crm) << 4) | (op2))

/* translation_changed: the guest's translation regime changed: the shadows are stale. The
 * guest must not map the trampoline's VA (docs/shadow-design.md). */
static void translation_changed(void)
{
	struct s1_state st = guest_state();
	struct s1_result r;
	if ((sh.g.sctlr & SCTLR_M) != 0 &&
	    s1_translate(&st, &vm_guest_mem, SHADOW_TRAMPOLINE_VA, S1_READ, false, &r) == S1_OK) {
		hyp_fatal("the guest maps VA 0x%08x, which the shadow module reserves for its "
			  "trampoline",
			  SHADOW_TRAMPOLINE_VA);
	}
	zap();
	program_hardware();
	update_trampoline();
}

static bool cp15_write(u32 reg, u32 val)
{
	switch (reg) {
	case REG(1, 0, 0, 0):
		sh.g.sctlr = val;
		translation_changed();
		return true;
	case REG(1, 0, 0, 1):
		write_actlr(val);
		return true;
	case REG(1, 0, 0, 2):
		write_cpacr(val);
		return true;
	case REG(2, 0, 0, 0):
		sh.g.ttbr0 = (sh.g.ttbr0 & ~0xffffffffull) | val; /* MCR sets bits [31:0] only */
		translation_changed();
		return true;
	case REG(2, 0, 0, 1):
		sh.g.ttbr1 = (sh.g.ttbr1 & ~0xffffffffull) | val;
		translation_changed();
		return true;
	case REG(2, 0, 0, 2):
		/* Reserved bits read as zero (B4.1.153): long format keeps T0SZ, EPD0, IRGN0,
		 * ORGN0, SH0, A1, T1SZ, EPD1, IRGN1, ORGN1, SH1, EAE; short format N, EAE. */
		sh.g.ttbcr = (val & TTBCR_EAE) ? val & 0xbfc73f87u : val & (TTBCR_EAE | 7u);
		translation_changed();
		return true;
	case REG(3, 0, 0, 0):
		sh.g.dacr = val;
		translation_changed();
		return true;
	case REG(5, 0, 0, 0):
		sh.g.dfsr = val;
		write_dfsr(val);
		return true;
	case REG(5, 0, 0, 1):
		sh.g.ifsr = val;
		write_ifsr(val);
		return true;
	case REG(5, 0, 1, 0):
		write_adfsr(val);
		return true;
	case REG(5, 0, 1, 1):
		write_aifsr(val);
		return true;
	case REG(6, 0, 0, 0):
		sh.g.dfar = val;
		write_dfar(val);
		return true;
	case REG(6, 0, 0, 2):
		sh.g.ifar = val;
		write_ifar(val);
		return true;
	case REG(10, 0, 2, 0):
		sh.g.prrr = val;
		translation_changed();
		return true;
	case REG(10, 0, 2, 1):
		sh.g.nmrr = val;
		translation_changed();
		return true;
	case REG(10, 0, 3, 0):
		sh.g.amair0 = val;
		return true;
	case REG(10, 0, 3, 1):
		sh.g.amair1 = val;
		return true;
	case REG(10, 0, 0, 0): /* TLB lockdown: nothing to lock */
	case REG(10, 0, 0, 1):
		return true;
	case REG(12, 0, 0, 0):
		sh.g.vbar = val & ~0x1fu; /* bits [4:0] RES0 (B4.1.156) */
		update_trampoline();
		return true;
	case REG(13, 0, 0, 0):
		return true; /* FCSEIDR: the FCSE is not implemented, RAZ/WI */
	case REG(13, 0, 0, 1):
		sh.g.contextidr = val;
		translation_changed(); /* the ASID, in the short format */
		return true;
	case REG(13, 0, 0, 2):
		write_tpidrurw(val);
		return true;
	case REG(13, 0, 0, 3):
		write_tpidruro(val);
		return true;
	case REG(13, 0, 0, 4):
		write_tpidrprw(val);
		return true;
	default:
		return false;
	}
}

static bool cp15_read(u32 reg, u32 *val)
{
	switch (reg) {
	case REG(1, 0, 0, 0):
		*val = sh.g.sctlr;
		return true;
	case REG(1, 0, 0, 1):
		*val = read_actlr();
		return true;
	case REG(1, 0, 0, 2):
		*val = read_cpacr();
		return true;
	case REG(2, 0, 0, 0):
		*val = (u32)sh.g.ttbr0;
		return true;
	case REG(2, 0, 0, 1):
		*val = (u32)sh.g.ttbr1;
		return true;
	case REG(2, 0, 0, 2):
		*val = sh.g.ttbcr;
		return true;
	case REG(3, 0, 0, 0):
		*val = sh.g.dacr;
		return true;
	case REG(10, 0, 2, 0):
		*val = sh.g.prrr;
		return true;
	case REG(10, 0, 2, 1):
		*val = sh.g.nmrr;
		return true;
	case REG(10, 0, 3, 0):
		*val = sh.g.amair0;
		return true;
	case REG(10, 0, 3, 1):
		*val = sh.g.amair1;
		return true;
	case REG(10, 0, 0, 0): /* TLB lockdown (IMPLEMENTATION DEFINED): none, as QEMU */
	case REG(10, 0, 0, 1):
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

static void cp15_32(struct vcpu *v, u32 hsr)
{
	u32 reg = REG((u32)BITS(hsr, 13, 10), (u32)BITS(hsr, 16, 14), (u32)BITS(hsr, 4, 1),
		      (u32)BITS(hsr, 19, 17));
	u32 rt = (u32)BITS(hsr, 8, 5);
	if (!trapped_condition_passed(v, hsr)) {
		vcpu_skip_insn(v, hsr);
		return;
	}
	if ((hsr & ISS_CP_READ) != 0) {
		u32 val;
		if (!cp15_read(reg, &val)) {
			hyp_fatal("unexpected trapped CP15 read");
		}
		shadow_values[SH_cp15_reads]++;
		if (rt == 15) {
			/* MRC to APSR_nzcv: the flags take bits [31:28] (A8.8.108). */
			v->tf->cpsr = (v->tf->cpsr & ~0xf0000000u) | (val & 0xf0000000u);
		} else {
			vcpu_set_reg(v, rt, val);
		}
	} else if (BITS(hsr, 13, 10) == 8) {
		/* HCR.TTLB: any TLB maintenance drops every shadow entry (this version). */
		shadow_values[SH_tlb_ops]++;
		translation_changed();
	} else {
		if (!cp15_write(reg, vcpu_reg(v, rt))) {
			hyp_fatal("unexpected trapped CP15 write");
		}
		shadow_values[SH_cp15_writes]++;
	}
	vcpu_skip_insn(v, hsr);
}

static void cp15_64(struct vcpu *v, u32 hsr)
{
	u32 opc1 = (u32)BITS(hsr, 19, 16), crm = (u32)BITS(hsr, 4, 1);
	u32 rt = (u32)BITS(hsr, 8, 5), rt2 = (u32)BITS(hsr, 13, 10);
	if (crm != 2 || opc1 > 1) {
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
	u64 *ttbr = opc1 == 0 ? &sh.g.ttbr0 : &sh.g.ttbr1;
	if ((hsr & ISS_CP_READ) != 0) {
		vcpu_set_reg(v, rt, (u32)*ttbr);
		vcpu_set_reg(v, rt2, (u32)(*ttbr >> 32));
		shadow_values[SH_cp15_reads]++;
	} else {
		*ttbr = ((u64)vcpu_reg(v, rt2) << 32) | vcpu_reg(v, rt);
		shadow_values[SH_cp15_writes]++;
		translation_changed();
	}
	vcpu_skip_insn(v, hsr);
}

/* from_trampoline: is this HVC the trampoline's abort slot, entered by an abort? Only
 * then are LR_abt and SPSR_abt the hardware's record of where the guest was; a guest that
 * executes HVC #1/#2 itself is refused (it could otherwise choose the mode to return to). */
static bool from_trampoline(const struct vcpu *v, u32 hsr)
{
	u32 imm = hsr & 0xffffu;
	u32 slot = imm == HVC_PABT ? VEC_PABT : imm == HVC_DABT ? VEC_DABT : 0;
	return slot != 0 && v->tf->pc == SHADOW_TRAMPOLINE_VA + slot + 4 &&
	       (v->tf->cpsr & PSR_MODE_MASK) == PSR_MODE_ABT;
}

/* guest_mode_ok: a CPSR the guest may be resumed with (a PL0/PL1 mode, A32 or Thumb). */
static bool guest_mode_ok(u32 cpsr)
{
	switch (cpsr & PSR_MODE_MASK) {
	case PSR_MODE_USR:
	case PSR_MODE_FIQ:
	case PSR_MODE_IRQ:
	case PSR_MODE_SVC:
	case PSR_MODE_ABT:
	case PSR_MODE_UND:
	case PSR_MODE_SYS:
		return true;
	default:
		return false;
	}
}

static void shadow_trap(struct vcpu *v, u32 hsr)
{
	switch (hsr_ec(hsr)) {
	case EC_CP15_32:
		cp15_32(v, hsr);
		return;
	case EC_CP15_64:
		cp15_64(v, hsr);
		return;
	case EC_HVC:
		if (from_trampoline(v, hsr)) {
			trampoline(v, (hsr & 0xffffu) == HVC_DABT);
			return;
		}
		trap_core(v, hsr); /* SMCCC; any other HVC immediate is refused there */
		return;
	default:
		trap_core(v, hsr);
		return;
	}
}

static bool shadow_va_to_ipa(struct vcpu *v UNUSED, u32 va, bool write UNUSED, paddr_t *ipa)
{
	return guest_s1_translate(va, ipa); /* through shadow_guest_reg: the virtual registers */
}

static bool shadow_guest_reg(struct vcpu *v UNUSED, enum guest_reg reg, u64 *val)
{
	switch (reg) {
	case GREG_SCTLR:
		*val = sh.g.sctlr;
		return true;
	case GREG_TTBCR:
		*val = sh.g.ttbcr;
		return true;
	case GREG_TTBR0:
		*val = sh.g.ttbr0;
		return true;
	case GREG_TTBR1:
		*val = sh.g.ttbr1;
		return true;
	case GREG_DACR:
		*val = sh.g.dacr;
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

static const struct mm_module shadow_module = {
    .name = "shadow",
    .options_help = "  (no options yet)",
    .parse_option = NULL,
    .setup = shadow_setup,
    .ec_mask = BIT64(EC_CP15_32) | BIT64(EC_CP15_64) | BIT64(EC_HVC),
    .trap = shadow_trap,
    .va_to_ipa = shadow_va_to_ipa,
    .guest_reg = shadow_guest_reg,
    .counters = &shadow_block,
};
MM_MODULE(shadow_module);
