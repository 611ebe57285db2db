/* Benchmark-guest entry (Linux ARM boot protocol: SVC, MMU off, r2 = DTB), PL1 exception
 * vectors, and the switches between the kernel and user mode (PL0). Modes are entered and
 * left by exception return (movs pc / ldm ^) so that the PMU attributes instructions to the
 * right privilege level (platform-facts.md, "PMU"). */
	.syntax unified
	.arch armv7-a
	.arm

#define MODE_USR 0x10
#define MODE_SVC 0x13
#define MODE_ABT 0x17
#define MODE_UND 0x1b
#define MODE_IRQ 0x12
#define MODE_SYS 0x1f
#define PSR_I    0x80
#define PSR_F    0x40
#define PSR_A    0x100

/* EXCEPTION_STACKS: empty stacks for Abort, Undefined and IRQ modes; ends in SVC mode. */
.macro EXCEPTION_STACKS
	cps	#MODE_ABT
	ldr	sp, =abt_stack_top
	cps	#MODE_UND
	ldr	sp, =und_stack_top
	cps	#MODE_IRQ
	ldr	sp, =irq_stack_top
	cps	#MODE_SVC
.endm

	.section .text.boot, "ax"
	.global _start
_start:
	cpsid	aif
	EXCEPTION_STACKS
	ldr	sp, =svc_stack_top
	ldr	r0, =kvectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR
	isb
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r3, #0
1:	cmp	r0, r1
	strlo	r3, [r0], #4
	blo	1b
	mov	r0, r2
	bl	kmain				@ kmain(dtb): does not return
2:	b	2b

	.text
/* PL1 vector table (B1.8.1). */
	.balign 32
	.global kvectors
kvectors:
	b	vec_reset
	b	vec_undef
	b	vec_svc
	b	vec_pabt
	b	vec_dabt
	b	vec_unused
	b	vec_irq
	b	vec_fiq

/* Exception frame (struct kframe): r0-r12, sp_usr, lr_usr, pc (the mode's LR), spsr,
 * lr_svc. The user-bank SP and LR are saved too, so that a handler can switch processes. */
#define KFRAME_SIZE 72	/* 18 words: the C handler's stack stays 8-aligned */
#define KFRAME_LR_SVC 68

.macro SAVE_KFRAME
	sub	sp, sp, #KFRAME_SIZE
	stm	sp, {r0-r12}
	add	r0, sp, #52
	stm	r0, {sp, lr}^			@ user-bank SP and LR
	str	lr, [sp, #60]
	mrs	r0, spsr
	str	r0, [sp, #64]
.endm

/* RESTORE_KFRAME: back to where the exception came from, with what the frame says. */
.macro RESTORE_KFRAME
	ldr	r0, [sp, #64]
	msr	spsr_fsxc, r0
	ldr	lr, [sp, #60]
	add	r0, sp, #52
	ldm	r0, {sp, lr}^
	nop				@ no banked register access right after LDM ^ (A8.8.59)
	ldm	sp, {r0-r12}
	add	sp, sp, #KFRAME_SIZE
	movs	pc, lr
.endm

/* VEC: the handler runs in the exception's own mode. */
.macro VEC name, idx
\name:
	SAVE_KFRAME
	mov	r0, #\idx
	mov	r1, sp
	bl	kexception
	RESTORE_KFRAME
.endm

/* ABORT_VEC: as Linux does, save the abort state on the abort stack and run the handler
 * in SVC mode: Abort mode is left at once, so that LR_abt and SPSR_abt are live only for a
 * few instructions on one stack page. (Nested aborts push further frames on the abort
 * stack. LR_svc, live if the abort came from SVC mode, is kept in the frame.) */
.macro ABORT_VEC name, idx
\name:
	SAVE_KFRAME
	mov	r4, sp				@ the frame
	cps	#MODE_SVC
	str	lr, [r4, #KFRAME_LR_SVC]
	mov	r5, sp
	bic	sp, sp, #7			@ AAPCS: 8-byte aligned at the call
	mov	r0, #\idx
	mov	r1, r4
	bl	kexception
	mov	sp, r5
	ldr	lr, [r4, #KFRAME_LR_SVC]
	cps	#MODE_ABT
	RESTORE_KFRAME
.endm
	VEC vec_reset, 0
	VEC vec_undef, 4
	VEC vec_svc, 8
	ABORT_VEC vec_pabt, 12
	ABORT_VEC vec_dabt, 16
	VEC vec_unused, 20
	VEC vec_irq, 24
	VEC vec_fiq, 28

/* u32 user_run(struct kcontext *k, const struct kframe *f): enter user mode with the
 * registers of f; returns the value given to user_leave(k, value). */
	.global user_run
user_run:
	push	{r4-r12, lr}			@ an even number of words (AAPCS stack alignment)
	str	sp, [r0]			@ k->sp: where user_leave comes back to
	add	r2, r1, #52
	ldm	r2, {sp, lr}^			@ user SP and LR
	nop
	ldr	r2, [r1, #64]
	msr	spsr_fsxc, r2
	ldr	lr, [r1, #60]
	ldm	r1, {r0-r12}
	movs	pc, lr

/* void user_leave(struct kcontext *k, u32 value): from any PL1 mode, back to user_run's
 * caller in SVC mode, discarding the exception frames in between. */
	.global user_leave
user_leave:
	EXCEPTION_STACKS			@ drop any exception frames left in these modes
	ldr	sp, [r0]
	mov	r0, r1
	pop	{r4-r12, pc}
