/* Trap dispatch by HSR.EC, abort injection and emulation of accesses to non-RAM IPAs. */
#include "hyp/trap.h"
#include "hyp/console.h"
#include "hyp/core_counters.h"
#include "hyp/decode.h"
#include "hyp/mm.h"
#include "hyp/mmio.h"
#include "hyp/smccc.h"
#include "hyp/syndrome.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/fmt.h"
#include "tb/lpae.h"
#include "tb/pt.h"
#include "tb/s1.h"
#include "tb/str.h"

/* class_of: the trap counter ("trap.<class>") of an exception class. */
static u8 class_of(u32 ec)
{
	switch (ec) {
	case EC_UNKNOWN:
		return TRAP_unknown;
	case EC_WFI_WFE:
		return TRAP_wfi_wfe;
	case EC_CP15_32:
		return TRAP_cp15_32;
	case EC_CP15_64:
		return TRAP_cp15_64;
	case EC_CP14_32:
	case EC_CP14_LS:
	case EC_CP14_64:
		return TRAP_cp14;
	case EC_HCPTR:
		return TRAP_hcptr;
	case EC_HVC:
		return TRAP_hvc;
	case EC_SMC:
		return TRAP_smc;
	case EC_PABT_LOW:
		return TRAP_pabt;
	case EC_DABT_LOW:
		return TRAP_dabt;
	default:
		return TRAP_other;
	}
}

typedef void (*trap_fn)(struct vcpu *v, u32 hsr);

static void trap_unexpected(struct vcpu *v UNUSED, u32 hsr UNUSED)
{
	hyp_fatal("unexpected trap from the guest");
}

static void trap_wfi(struct vcpu *v UNUSED, u32 hsr UNUSED)
{
	hyp_fatal("the guest executed WFI, but this hypervisor gives it no interrupt source: "
		  "it would wait forever");
}

/* core_route: the core's own handler of an exception class. */
static trap_fn core_route(u32 ec)
{
	switch (ec) {
	case EC_HVC:
		return smccc_hvc;
	case EC_SMC:
		return smccc_call;
	case EC_WFI_WFE:
		return trap_wfi;
	default:
		return trap_unexpected;
	}
}

void trap_core(struct vcpu *v, u32 hsr)
{
	core_route(hsr_ec(hsr))(v, hsr);
}

/* How each exception class is handled, fixed at boot (trap_init), and how often it was.
 * The trap entry in entry.S indexes this table by HSR.EC: keep the layout it assumes. */
struct trap_route {
	trap_fn handle;
	u32 class; /* its "trap.<class>" counter */
	u64 count;
};
struct trap_route trap_routes[EC_COUNT];
_Static_assert(sizeof(struct trap_route) == 16, "entry.S: ROUTE_SHIFT");
_Static_assert(offsetof(struct trap_route, count) == 8, "entry.S: ROUTE_COUNT");
_Static_assert(offsetof(struct vcpu, tf) == 0, "entry.S: hyp_vcpu.tf");

void trap_init(const struct mm_module *mm)
{
	for (u32 ec = 0; ec < EC_COUNT; ec++) {
		trap_routes[ec].handle = core_route(ec);
		trap_routes[ec].class = class_of(ec);
	}
	if (mm->traps == NULL) {
		hyp_fatal("memory module %s: no table of trap handlers (mm_module.traps)",
			  mm->name);
	}
	for (const struct mm_trap *t = mm->traps; t->handle != NULL; t++) {
		if (t->ec >= EC_COUNT) {
			hyp_fatal(
			    "memory module %s: a handler for exception class 0x%x, which does "
			    "not exist",
			    mm->name, t->ec);
		}
		trap_routes[t->ec].handle = t->handle;
	}
}

void trap_counters_refresh(void)
{
	memset(trap_values, 0, TRAP_NCOUNTERS * sizeof(trap_values[0]));
	for (u32 ec = 0; ec < EC_COUNT; ec++) {
		trap_values[trap_routes[ec].class] += trap_routes[ec].count;
	}
}

void hyp_internal_trap(struct trap_frame *tf, u32 vector)
{
	char desc[160];
	u32 hsr = read_hsr();
	hsr_describe(hsr, desc, sizeof(desc));
	hyp_vcpu.tf = NULL; /* this frame is the hypervisor's, not the guest's */
	hyp_printf("[hyp] exception in Hyp mode itself (vector 0x%02x) at pc=0x%08x\n", vector,
		   tf->pc);
	hyp_printf("[hyp]   syndrome: %s HDFAR=0x%08x HIFAR=0x%08x\n", desc, read_hdfar(),
		   read_hifar());
	hyp_fatal("hypervisor bug: exception taken in Hyp mode");
}

void vcpu_it_step(struct vcpu *v)
{
	if ((v->tf->cpsr & PSR_IT_MASK) != 0) {
		v->tf->cpsr = thumb_it_advance(v->tf->cpsr);
	}
}

__attribute__((noinline)) void guest_inject_abort(struct vcpu *v, bool is_data, u32 fsr, u32 far)
{
	struct trap_frame *tf = v->tf;
	u32 sctlr = (u32)vcpu_guest_reg(v, GREG_SCTLR);
	u32 vbase = (sctlr & SCTLR_V) ? VEC_HIGH : (u32)vcpu_guest_reg(v, GREG_VBAR);
	/* B1.9.7/B1.9.8: LR_abt = aborted instruction + 8 (data) / + 4 (prefetch), in both
	 * instruction sets; SPSR_abt = CPSR; Abort mode, IRQs and async aborts masked, FIQ
	 * unchanged, state from SCTLR.TE, endianness from SCTLR.EE, IT and J cleared. */
	vcpu_enter_abort_mode(v, tf->pc + (is_data ? 8 : 4), tf->cpsr);
	if (is_data) {
		write_dfsr(fsr);
		write_dfar(far);
		core_count(CORE_inject_dabt);
	} else {
		write_ifsr(fsr);
		write_ifar(far);
		core_count(CORE_inject_pabt);
	}
	u32 cpsr = tf->cpsr & ~(PSR_MODE_MASK | PSR_T | PSR_E | PSR_IT_MASK | PSR_J);
	cpsr |= PSR_MODE_ABT | PSR_I | PSR_A;
	cpsr |= (sctlr & SCTLR_TE) ? PSR_T : 0;
	cpsr |= (sctlr & SCTLR_EE) ? PSR_E : 0;
	tf->cpsr = cpsr;
	tf->pc = vbase + (is_data ? VEC_DABT : VEC_PABT);
}

/* guest_uses_lpae: are the guest's fault status registers in long-descriptor format? */
static bool guest_uses_lpae(void)
{
	return (vcpu_guest_reg(&hyp_vcpu, GREG_TTBCR) & TTBCR_EAE) != 0;
}

/* guest_s1_state: the guest's translation registers, as it sees them, for the s1 model. */
static struct s1_state guest_s1_state(void)
{
	struct vcpu *v = &hyp_vcpu;
	struct s1_state st = {(u32)vcpu_guest_reg(v, GREG_SCTLR),
			      (u32)vcpu_guest_reg(v, GREG_TTBCR), vcpu_guest_reg(v, GREG_TTBR0),
			      vcpu_guest_reg(v, GREG_TTBR1), (u32)vcpu_guest_reg(v, GREG_DACR)};
	return st;
}

/* ipa_read: pt_mem read callback over guest RAM. */
static bool ipa_read(void *ctx, paddr_t ipa, unsigned bytes, u64 *val);

struct pt_mem vm_guest_mem = {.read = ipa_read, .ctx = &hyp_vm};

static bool ipa_read(void *ctx, paddr_t ipa, unsigned bytes, u64 *val)
{
	const void *p = vm_ipa_to_host(ctx, ipa, bytes);
	if (p == NULL) {
		return false;
	}
	*val = bytes == 8 ? *(const u64 *)p : *(const u32 *)p;
	return true;
}

u32 guest_sync_external_fsr(void)
{
	return guest_uses_lpae() ? FSR_LPAE | FSR_LD_SYNC_EXT : FSR_SD_SYNC_EXT;
}

/* external_abort_fsr: the FSR QEMU virt gives an access to unassigned address space: a
 * synchronous external abort with ExT=0 (QEMU: decode errors are not "external" in the
 * ExT sense), in the guest's current FSR format (B3.13.3, B3.13.5). */
static __attribute__((noinline, cold)) u32 external_abort_fsr(u32 hsr, u32 far)
{
	bool lpae = guest_uses_lpae();
	u32 fsr;
	if ((hsr & ISS_DA_S1PTW) != 0) {
		/* The guest's walk left its RAM: the s1 model walks the same way and reports the
		 * level (and, short format, the domain) of the descriptor it could not read. */
		struct s1_state st = guest_s1_state();
		struct s1_result r;
		if (s1_translate(&st, &vm_guest_mem, far, S1_READ, false, &r) ==
		    S1_FAULT_WALK_EXTERNAL) {
			fsr = r.fsr;
		} else {
			fsr = lpae ? FSR_LPAE | FSC_SYNC_EXT_PTW | 1u : FSR_SD_SYNC_EXT_PTW_L1;
		}
	} else {
		fsr = guest_sync_external_fsr();
	}
	if (hsr_ec(hsr) == EC_DABT_LOW && (hsr & ISS_DA_WNR) != 0) {
		fsr |= FSR_WNR;
	}
	return fsr;
}

bool guest_s1_translate(u32 va, paddr_t *ipa)
{
	struct s1_state st = guest_s1_state();
	struct s1_result r;
	enum s1_fault f = s1_translate(&st, &vm_guest_mem, va, S1_READ, false, &r);
	/* Permissions are not the question here: only whether the tables map va. */
	if (f != S1_OK && f != S1_FAULT_PERMISSION && f != S1_FAULT_DOMAIN &&
	    f != S1_FAULT_ACCESS_FLAG) {
		return false;
	}
	*ipa = r.out;
	return true;
}

/* guest_code_at: the host address of the aligned instruction unit of `bytes` bytes (4: A32,
 * 2: a T32 halfword) at guest va, through the guest's own translation; NULL if none. */
static const void *guest_code_at(struct vcpu *v, u32 va, u32 bytes)
{
	paddr_t ipa;
	if (!hyp_vm.mm->va_to_ipa(v, va, false, &ipa) || (ipa & (bytes - 1)) != 0) {
		return NULL;
	}
	return vm_ipa_to_host(&hyp_vm, ipa, bytes);
}

bool guest_read_insn(struct vcpu *v, u32 pc, u32 *insn)
{
	const u32 *p = guest_code_at(v, pc, 4);
	if (p != NULL) {
		*insn = *p;
	}
	return p != NULL;
}

/* guest_read_half: the halfword of a T32 instruction at guest va; false if it cannot. */
static bool guest_read_half(struct vcpu *v, u32 va, u16 *half)
{
	const u16 *p = guest_code_at(v, va, 2);
	if (p != NULL) {
		*half = *p;
	}
	return p != NULL;
}

/* reg_cb: decode_reg_fn over the vCPU (index 16 = CPSR). */
static u32 reg_cb(void *ctx, unsigned n)
{
	struct vcpu *v = ctx;
	return n == 16 ? v->tf->cpsr : vcpu_reg(v, n);
}

bool guest_read_t32(struct vcpu *v, u32 pc, u32 *insn)
{
	/* A6.1: a T32 instruction is one halfword, or two (each may lie in another page). */
	u16 hw1, hw2 = 0;
	if (!guest_read_half(v, pc, &hw1) ||
	    (decode_t32_is_32bit(hw1) && !guest_read_half(v, pc + 2, &hw2))) {
		return false;
	}
	*insn = hw1 | ((u32)hw2 << 16);
	return true;
}

bool guest_read_code(struct vcpu *v, u32 pc, bool thumb, u32 *insn)
{
	return thumb ? guest_read_t32(v, pc, insn) : guest_read_insn(v, pc, insn);
}

bool guest_decode_access(struct vcpu *v, struct decoded_access *acc, char *err, size_t errlen)
{
	u32 pc = v->tf->pc, insn;
	bool thumb = (v->tf->cpsr & PSR_T) != 0;
	if (!guest_read_code(v, pc, thumb, &insn)) {
		tb_snprintf(err, errlen, "cannot fetch the %s instruction at 0x%08x",
			    thumb ? "T32" : "A32", pc);
		return false;
	}
	return decode_ldst(insn, thumb, pc, reg_cb, v, acc, err, errlen);
}

/* mmio_do: one access to device d at offset off; loads write the destination register. */
static void mmio_do(struct vcpu *v, const struct mmio_device *d, u32 off, const struct mem_op *op)
{
	u32 width_mask = MASK(op->size * 8);
	if (op->store) {
		d->write(off, op->size,
			 psr_data_order(vcpu_reg(v, op->reg), op->size, v->tf->cpsr) & width_mask);
		core_count(CORE_mmio_write);
		return;
	}
	if (op->reg == 15) {
		hyp_fatal("a load to the PC from device %s cannot be emulated", d->name);
	}
	u32 val = psr_data_order(d->read(off, op->size) & width_mask, op->size, v->tf->cpsr);
	if (op->sign_extend && (val & BIT(op->size * 8 - 1)) != 0) {
		val |= ~width_mask;
	}
	vcpu_set_reg(v, op->reg, val);
	core_count(CORE_mmio_read);
}

/* emulate_from_syndrome: an access the HSR fully describes (ISV=1, B3.13.6): the hot path
 * of device emulation, kept free of the decoder's state. */
static void emulate_from_syndrome(struct vcpu *v, const struct mmio_device *d, u32 hsr, paddr_t ipa,
				  u32 far)
{
	u32 size = 1u << BITS(hsr, 23, 22);
	u32 reg = (u32)BITS(hsr, 19, 16);
	u32 off = (u32)ipa - (u32)d->base;
	if ((hsr & ISS_DA_WNR) != 0) {
		d->write(off, size,
			 psr_data_order(vcpu_reg(v, reg), size, v->tf->cpsr) & MASK(size * 8));
		core_count(CORE_mmio_write);
		return;
	}
	const struct mem_op op = {
	    .addr = far,
	    .size = (u8)size,
	    .store = false,
	    .sign_extend = (hsr & ISS_DA_SSE) != 0,
	    .reg = (u8)reg,
	};
	mmio_do(v, d, off, &op);
}

/* emulate_decoded: an access without syndrome (ISV=0): decode the instruction (A32 or
 * T32), perform it, and step past it. */
static __attribute__((noinline, cold)) void
emulate_decoded(struct vcpu *v, const struct mmio_device *d, paddr_t fault_ipa, u32 far)
{
	char err[128];
	struct decoded_access acc;
	if (!guest_decode_access(v, &acc, err, sizeof(err))) {
		hyp_fatal("%s at guest pc 0x%08x (device %s, IPA 0x%08llx)", err, v->tf->pc,
			  d->name, (unsigned long long)fault_ipa);
	}
	core_count(CORE_mmio_decoded);
	paddr_t page_ipa = ALIGN_DOWN(fault_ipa, (paddr_t)PAGE_SIZE_4K);
	for (u32 i = 0; i < acc.n; i++) {
		const struct mem_op *op = &acc.op[i];
		paddr_t ipa = page_ipa + (op->addr & PAGE_OFFSET_MASK);
		if ((op->addr & ~PAGE_OFFSET_MASK) != (far & ~PAGE_OFFSET_MASK) || ipa < d->base ||
		    ipa + op->size > d->base + d->size) {
			hyp_fatal("%s at guest pc 0x%08x: access %u at 0x%08x leaves device %s",
				  acc.mnemonic, v->tf->pc, i, op->addr, d->name);
		}
		mmio_do(v, d, (u32)(ipa - d->base), op);
	}
	if (acc.writeback) {
		vcpu_set_reg(v, acc.wb_reg, acc.wb_value);
	}
	vcpu_step(v, acc.length);
}

/* emulate_slow: every case but a device access with a full syndrome; true if the guest was
 * given an external abort instead. */
static __attribute__((noinline)) bool emulate_slow(struct vcpu *v, const struct mmio_device *d,
						   u32 hsr, paddr_t ipa, u32 far)
{
	if (hsr_ec(hsr) == EC_DABT_LOW && (hsr & ISS_DA_CM) != 0) {
		/* Cache maintenance by address on a device or unassigned IPA: nothing is cached
		 * there; skip the operation (it never aborts natively). */
		vcpu_skip_insn(v, hsr);
		return false;
	}
	if (d == NULL || hsr_ec(hsr) != EC_DABT_LOW || (hsr & ISS_DA_S1PTW) != 0) {
		guest_inject_abort(v, hsr_ec(hsr) == EC_DABT_LOW, external_abort_fsr(hsr, far),
				   far);
		return true;
	}
	if ((hsr & ISS_DA_ISV) != 0) {
		emulate_from_syndrome(v, d, hsr, ipa, far);
		vcpu_skip_insn(v, hsr);
	} else {
		emulate_decoded(v, d, ipa, far);
	}
	return false;
}

bool vm_access_aborts(paddr_t ipa, bool data)
{
	return !data || mmio_find(ipa) == NULL;
}

bool vm_emulate_unbacked(struct vcpu *v, u32 hsr, paddr_t ipa, u32 far)
{
	const struct mmio_device *d = mmio_find(ipa);
	/* The hot paths: a little-endian data access (not a table walk) to a device, fully
	 * described by the syndrome: a store hands one register value to the device, a word
	 * load (no sign extension to do) takes one. */
	const u32 fast_mask = (0x3fu << HSR_EC_SHIFT) | ISS_DA_ISV | ISS_DA_S1PTW | ISS_DA_WNR;
	const u32 fast_store = ((u32)EC_DABT_LOW << HSR_EC_SHIFT) | ISS_DA_ISV | ISS_DA_WNR;
	const u32 fast_load = ((u32)EC_DABT_LOW << HSR_EC_SHIFT) | ISS_DA_ISV;
	static const u32 width_mask[4] = {0xffu, 0xffffu, 0xffffffffu, 0xffffffffu};
	bool little = (v->tf->cpsr & PSR_E) == 0;
	if (d != NULL && (hsr & fast_mask) == fast_store && little) {
		u32 sas = (u32)BITS(hsr, 23, 22);
		d->write((u32)ipa - (u32)d->base, 1u << sas,
			 vcpu_reg(v, (u32)BITS(hsr, 19, 16)) & width_mask[sas]);
		core_count(CORE_mmio_write);
		vcpu_skip_insn(v, hsr);
		return false;
	}
	if (d != NULL && (hsr & fast_mask) == fast_load && BITS(hsr, 23, 22) == 2 &&
	    BITS(hsr, 19, 16) != 15 && little) {
		vcpu_set_reg(v, (u32)BITS(hsr, 19, 16), d->read((u32)ipa - (u32)d->base, 4));
		core_count(CORE_mmio_read);
		vcpu_skip_insn(v, hsr);
		return false;
	}
	return emulate_slow(v, d, hsr, ipa, far);
}
