/* Test-guest entry (Linux ARM boot protocol: SVC, MMU off, r2 = DTB) and PL1 vectors. */
	.syntax unified
	.arch armv7-a
	.arm

	.section .text.boot, "ax"
	.global _start
_start:
	cpsid	aif
	cps	#0x17				@ abort mode
	ldr	sp, =rt_abt_stack_top
	cps	#0x1b				@ undefined mode
	ldr	sp, =rt_und_stack_top
	cps	#0x12				@ IRQ mode
	ldr	sp, =rt_irq_stack_top
	cps	#0x13				@ back to SVC
	ldr	sp, =rt_svc_stack_top
	ldr	r0, =rt_vectors
	mcr	p15, 0, r0, c12, c0, 0		@ VBAR
	isb
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r3, #0
1:	cmp	r0, r1
	strlo	r3, [r0], #4
	blo	1b
	mov	r0, r2				@ rt_start(dtb)
	bl	rt_start
2:	b	2b

	.text
	.balign 32
	.global rt_vectors
rt_vectors:
	b	vec_reset
	b	vec_undef
	b	vec_svc
	b	vec_pabt
	b	vec_dabt
	b	vec_unused
	b	vec_irq
	b	vec_fiq

/* frame (struct rt_frame): r0-r12 (0-48), lr_svc (52, aborts only), pc to return to (56,
 * preset to the mode's LR), spsr (60) */
.macro SAVE_FRAME
	sub	sp, sp, #64
	stm	sp, {r0-r12}
	str	lr, [sp, #56]
	mrs	r0, spsr
	str	r0, [sp, #60]
.endm

.macro RESTORE_FRAME
	ldr	r0, [sp, #60]
	msr	spsr_fsxc, r0
	ldr	lr, [sp, #56]
	ldm	sp, {r0-r12}
	add	sp, sp, #64
	movs	pc, lr
.endm

.macro VEC name, idx
\name:
	SAVE_FRAME
	mov	r0, #\idx
	mov	r1, sp
	bl	rt_exception
	RESTORE_FRAME
.endm

/* ABORT_VEC: the handler runs in SVC mode, as in Linux: Abort mode holds the abort's LR
 * and SPSR only for a few instructions on one stack page. */
.macro ABORT_VEC name, idx
\name:
	SAVE_FRAME
	mov	r4, sp
	cps	#0x13
	str	lr, [r4, #52]			@ SVC mode's LR when the abort was taken
	mov	r5, sp
	bic	sp, sp, #7			@ AAPCS: 8-byte aligned at the call
	mov	r0, #\idx
	mov	r1, r4
	bl	rt_exception
	mov	sp, r5
	ldr	lr, [r4, #52]
	cps	#0x17
	RESTORE_FRAME
.endm
	VEC vec_reset, 0x00
	VEC vec_undef, 0x04
	VEC vec_svc, 0x08
	ABORT_VEC vec_pabt, 0x0c
	ABORT_VEC vec_dabt, 0x10
	VEC vec_unused, 0x14
	VEC vec_irq, 0x18
	VEC vec_fiq, 0x1c
