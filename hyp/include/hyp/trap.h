/* Trap dispatch and the core services that trap handlers share. */
#ifndef HYP_TRAP_H
#define HYP_TRAP_H

#include "hyp/vcpu.h"
#include "tb/types.h"

/* A guest access to an IPA that is not guest RAM, as a memory module found it. */
struct guest_abort {
	bool is_data;    /* data abort (else prefetch) */
	bool is_write;
	bool s1ptw;      /* raised by the guest's own table walk */
	u32 va;          /* the guest's virtual address (DFAR/IFAR value) */
	paddr_t ipa;     /* the address after the guest's stage 1 */
	u32 hsr;         /* the syndrome as trapped (ISV etc.); 0 if none */
};

/* vm_emulate_unbacked: emulate the access (MMIO) if a device lives at a->ipa, otherwise give
 * the guest the synchronous external abort that QEMU virt raises for unassigned addresses. */
void vm_emulate_unbacked(struct vcpu *v, const struct guest_abort *a);
/* vcpu_skip_insn: step the guest past the trapped instruction. */
void vcpu_skip_insn(struct vcpu *v, u32 hsr);
/* guest_inject_abort: take a data or prefetch abort in the guest with fsr/far, as the
 * architecture does on exception entry (B1.9.6-B1.9.8). */
void guest_inject_abort(struct vcpu *v, bool is_data, u32 fsr, u32 far);
/* guest_s1_translate: the IPA of guest va through the guest's own stage-1 tables as they are
 * in guest memory now (va itself when its MMU is off); false on a guest translation fault or
 * a table outside guest RAM. Permissions are not checked. */
bool guest_s1_translate(u32 va, paddr_t *ipa);
/* guest_read_insn: fetch the 32-bit A32 instruction at the guest's pc; false if it cannot. */
bool guest_read_insn(struct vcpu *v, u32 pc, u32 *insn);

/* hyp_trap: the C entry of every trap from the guest (called from entry.S). */
void hyp_trap(struct trap_frame *tf, u32 hsr);
/* hyp_internal_trap: an exception taken in Hyp mode itself: always fatal. */
void hyp_internal_trap(struct trap_frame *tf, u32 vector);

#endif
