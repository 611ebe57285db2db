/* The guest's virtual CPU: its general registers (saved on every trap) and its banked and
 * PL1 system registers (live in hardware while the guest runs; captured on demand). */
#ifndef HYP_VCPU_H
#define HYP_VCPU_H

#include "tb/types.h"

/* Saved by the trap entry, restored by the exit path (hyp/src/entry.S); layout fixed. */
struct trap_frame {
	u32 r[13];
	u32 lr_usr; /* Hyp mode shares LR with User/System mode */
	u32 pc;	    /* ELR_hyp: the guest's return address */
	u32 cpsr;   /* SPSR_hyp: the guest's CPSR */
};

/* Banked registers of every guest mode (B1.3.2). */
struct vcpu_banked {
	u32 sp_usr;
	u32 sp_svc, lr_svc, spsr_svc;
	u32 sp_abt, lr_abt, spsr_abt;
	u32 sp_und, lr_und, spsr_und;
	u32 sp_irq, lr_irq, spsr_irq;
	u32 r8_fiq, r9_fiq, r10_fiq, r11_fiq, r12_fiq, sp_fiq, lr_fiq, spsr_fiq;
};

/* PL1 system registers the guest owns. */
struct vcpu_sysregs {
	u32 sctlr, actlr, cpacr;
	u64 ttbr0, ttbr1;
	u32 ttbcr, dacr;
	u32 dfsr, ifsr, adfsr, aifsr, dfar, ifar;
	u32 prrr, nmrr, amair0, amair1;
	u32 vbar, contextidr, tpidrurw, tpidruro, tpidrprw;
	u64 par;
	u32 cntkctl;
};

struct vcpu {
	struct trap_frame *tf; /* the current trap's frame */
	struct vcpu_banked banked;
	struct vcpu_sysregs sys;
};

/* Guest system registers whose hardware value a memory module may replace with its own
 * (a shadow module runs the guest on its own tables): read them with vcpu_guest_reg. */
enum guest_reg {
	GREG_SCTLR,
	GREG_TTBCR,
	GREG_TTBR0,
	GREG_TTBR1,
	GREG_DACR,
	GREG_VBAR,
	GREG_CONTEXTIDR,
};

/* vcpu_guest_reg: the value the guest would read from reg: the module's virtual copy when
 * it keeps one, else the hardware register. */
u64 vcpu_guest_reg(struct vcpu *v, enum guest_reg reg);

/* vcpu_reset: set the architectural reset state and the boot-protocol registers: SVC mode,
 * interrupts masked, MMU off, pc=entry, r0=0, r1=~0, r2=dtb. */
void vcpu_reset(struct vcpu *v, u32 entry, u32 dtb_ipa);
/* vcpu_capture: copy the live banked and system registers into v (for dumps). */
void vcpu_capture(struct vcpu *v);
/* vcpu_mode: the trapped guest mode (PSR_MODE_*). */
static inline u32 vcpu_mode(const struct vcpu *v)
{
	return v->tf->cpsr & 0x1fu;
}
/* vcpu_reg_banked / vcpu_set_reg_banked: registers that live outside the trap frame. */
u32 vcpu_reg_banked(const struct vcpu *v, unsigned n);
void vcpu_set_reg_banked(struct vcpu *v, unsigned n, u32 val);
/* in_frame: is register n of the trapped mode in the trap frame (r0-r7; r8-r12 unless FIQ)? */
static inline bool vcpu_reg_in_frame(const struct vcpu *v, unsigned n)
{
	return n < 8 || (n < 13 && vcpu_mode(v) != 0x11u);
}
/* vcpu_reg / vcpu_set_reg: register n (0-15) as the guest's trapped mode sees it. */
static inline u32 vcpu_reg(const struct vcpu *v, unsigned n)
{
	return vcpu_reg_in_frame(v, n) ? v->tf->r[n] : vcpu_reg_banked(v, n);
}
static inline void vcpu_set_reg(struct vcpu *v, unsigned n, u32 val)
{
	if (vcpu_reg_in_frame(v, n)) {
		v->tf->r[n] = val;
	} else {
		vcpu_set_reg_banked(v, n, val);
	}
}
/* vcpu_mode_name: "svc", "usr", ... */
const char *vcpu_mode_name(u32 mode);
/* vcpu_dump: print every register of the guest. */
void vcpu_dump(struct vcpu *v);
/* READ_BANKED / WRITE_BANKED: a banked register of a guest mode, from Hyp mode (B9.3.9
 * MRS/MSR banked register). */
#define READ_BANKED(reg)                                                                           \
	({                                                                                         \
		u32 v_;                                                                            \
		__asm__ volatile("mrs %0, " #reg : "=r"(v_));                                      \
		v_;                                                                                \
	})
#define WRITE_BANKED(reg, val) __asm__ volatile("msr " #reg ", %0" ::"r"((u32)(val)) : "memory")

/* vcpu_abort_mode_sp: read SP_abt. */
static inline u32 vcpu_abort_mode_sp(const struct vcpu *v UNUSED)
{
	return READ_BANKED(SP_abt);
}
/* vcpu_abort_mode_regs: read LR_abt and SPSR_abt. */
static inline void vcpu_abort_mode_regs(const struct vcpu *v UNUSED, u32 *lr, u32 *spsr)
{
	*lr = READ_BANKED(LR_abt);
	*spsr = READ_BANKED(SPSR_abt);
}
/* vcpu_enter_abort_mode: write LR_abt and SPSR_abt (exception entry to Abort mode). */
static inline void vcpu_enter_abort_mode(struct vcpu *v UNUSED, u32 lr, u32 spsr)
{
	WRITE_BANKED(LR_abt, lr);
	WRITE_BANKED(SPSR_abt, spsr);
}

#endif
