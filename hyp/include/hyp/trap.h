/* Trap dispatch and the core services that trap handlers share. */
#ifndef HYP_TRAP_H
#define HYP_TRAP_H

#include "hyp/syndrome.h"
#include "hyp/vcpu.h"
#include "tb/arm.h"
#include "tb/types.h"

/* vm_emulate_unbacked: a guest access to ipa, which is not guest RAM: emulate it (MMIO) if
 * a device lives there, otherwise give the guest the synchronous external abort that QEMU
 * virt raises for unassigned addresses. hsr is the abort's syndrome: its EC (data or
 * prefetch), WnR, S1PTW and, when ISV=1, the access itself (a module without a hardware
 * syndrome builds one with ISV=0 and the instruction is decoded). far is the guest VA.
 * True if the guest was given the external abort (it is about to run its abort vector). */
bool vm_emulate_unbacked(struct vcpu *v, u32 hsr, paddr_t ipa, u32 far);
/* guest_sync_external_fsr: the fault status of a synchronous external abort that is no
 * table walk's (QEMU virt's for an unassigned address), in the guest's current FSR format
 * (B3.13.3); without WnR. */
u32 guest_sync_external_fsr(void);
/* vm_access_aborts: does a guest data access (or a fetch if !data) to ipa, which is not
 * guest RAM, end in vm_emulate_unbacked's external abort (no device there, or a fetch)? */
bool vm_access_aborts(paddr_t ipa, bool data);
/* trapped_condition_passed: did the trapped instruction's condition pass (HSR.CV/COND)? */
static inline bool trapped_condition_passed(const struct vcpu *v, u32 hsr)
{
	return hsr_condition_passed(hsr, v->tf->cpsr);
}
/* vcpu_it_step: advance the guest's Thumb IT state past one instruction. */
void vcpu_it_step(struct vcpu *v);
/* vcpu_step: step the guest past its instruction of `bytes` bytes (advancing a Thumb IT
 * block). */
static inline void vcpu_step(struct vcpu *v, u32 bytes)
{
	v->tf->pc += bytes;
	if ((v->tf->cpsr & PSR_T) != 0) {
		vcpu_it_step(v);
	}
}
/* vcpu_skip_insn: step the guest past the trapped instruction. */
static inline void vcpu_skip_insn(struct vcpu *v, u32 hsr)
{
	vcpu_step(v, (hsr & HSR_IL) ? 4 : 2);
}
/* guest_inject_abort: take a data or prefetch abort in the guest with fsr/far, as the
 * architecture does on exception entry (B1.9.6-B1.9.8). */
void guest_inject_abort(struct vcpu *v, bool is_data, u32 fsr, u32 far);
/* vm_guest_mem: guest RAM as seen at IPAs, for walks of the guest's own tables. */
struct pt_mem;
extern struct pt_mem vm_guest_mem; /* its window: guest RAM, set by vm_boot */
/* guest_s1_translate: the IPA of guest va through the guest's own stage-1 tables as they are
 * in guest memory now (va itself when its MMU is off); false on a guest translation fault or
 * a table outside guest RAM. Permissions are not checked. */
bool guest_s1_translate(u32 va, paddr_t *ipa);
/* guest_read_insn: fetch the 32-bit A32 instruction at the guest's pc; false if it cannot. */
bool guest_read_insn(struct vcpu *v, u32 pc, u32 *insn);
/* guest_read_t32: fetch the T32 instruction at pc as hw1 | hw2 << 16 (hw2 = 0 for a 16-bit
 * one, A6.1), each halfword through the guest's translation; false if it cannot. */
bool guest_read_t32(struct vcpu *v, u32 pc, u32 *insn);
/* guest_read_code: guest_read_t32 if thumb, else guest_read_insn. */
bool guest_read_code(struct vcpu *v, u32 pc, bool thumb, u32 *insn);
/* guest_decode_access: the load/store at the guest's pc, fetched and decoded in its
 * instruction set (A32 or T32, CPSR.T) into *acc; false with the reason in err if it cannot
 * be fetched or is not one the decoders emulate. */
struct decoded_access;
bool guest_decode_access(struct vcpu *v, struct decoded_access *acc, char *err, size_t errlen);

struct mm_module;
/* trap_init: route every exception class to the module (its traps) or the core. */
void trap_init(const struct mm_module *mm);
/* trap_counters_refresh: fold the per-class trap counts into the "trap" counter block. */
void trap_counters_refresh(void);
/* trap_core: the core's handling of a trap (for modules declining one they asked for). */
void trap_core(struct vcpu *v, u32 hsr);
/* hyp_internal_trap: an exception taken in Hyp mode itself: always fatal. */
void hyp_internal_trap(struct trap_frame *tf, u32 vector);

#endif
