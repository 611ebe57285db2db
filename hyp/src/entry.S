/* Hypervisor entry: the reset path from QEMU, the Hyp vector table and the trap frame.
 * Runs in Hyp mode with the Hyp MMU off (all accesses strongly ordered). */
	.syntax unified
	.arch armv7ve
	.arch_extension virt
	.arm

#define PSR_MODE_MASK 0x1f
#define PSR_MODE_HYP  0x1a
#define FRAME_SIZE    64   /* struct trap_frame: r0-r12, lr_usr, pc, cpsr */
#define FRAME_PC      56

	.section .text.boot, "ax"
	.global _start
_start:
	/* Vectors first: an UNDEF before HVBAR is set would loop forever at address 0
	 * (platform-facts.md, "HYP mode"). */
	ldr	r0, =hyp_vectors
	mcr	p15, 4, r0, c12, c0, 0		@ HVBAR
	isb
	ldr	sp, =hyp_stack_top
	ldr	r0, =__bss_start
	ldr	r1, =__bss_end
	mov	r2, #0
1:	cmp	r0, r1
	strlo	r2, [r0], #4
	blo	1b
	mrs	r0, cpsr
	bl	hyp_main			@ hyp_main(cpsr): does not return
2:	b	2b

	.text
/* Hyp vector table (B1.8.1, "Hyp mode vector table"): 32-byte aligned. */
	.balign 32
	.global hyp_vectors
hyp_vectors:
	b	vec_reset			@ 0x00 (unused)
	b	vec_undef			@ 0x04 UNDEF in Hyp mode
	b	vec_hvc_hyp			@ 0x08 HVC/SVC in Hyp mode
	b	vec_pabt			@ 0x0c prefetch abort in Hyp mode
	b	vec_dabt			@ 0x10 data abort in Hyp mode
	b	vec_trap			@ 0x14 Hyp trap: every trap from the guest
	b	vec_irq				@ 0x18
	b	vec_fiq				@ 0x1c

/* SAVE_FRAME: push a struct trap_frame; leaves sp pointing at it. */
.macro SAVE_FRAME
	sub	sp, sp, #FRAME_SIZE
	stm	sp, {r0-r12, lr}
	mrs	r0, ELR_hyp
	mrs	r1, spsr
	strd	r0, r1, [sp, #FRAME_PC]
.endm

/* Every trap from the guest. The hot path of every benchmark, so in assembly: save the
 * frame, count the trap in its route, call the route's handler (hyp/src/trap.c,
 * struct trap_route, set up by trap_init) as handler(&hyp_vcpu, HSR) with hyp_vcpu.tf set
 * to the frame, then return to the guest. All guest registers are in the frame, so r4-r7
 * are free here. */
#define ROUTE_SHIFT 4	/* sizeof(struct trap_route) == 16 */
#define ROUTE_COUNT 8	/* offsetof(struct trap_route, count) */
vec_trap:
	SAVE_FRAME
	mrc	p15, 4, r1, c5, c2, 0		@ HSR
	ldr	r3, =trap_routes
	lsr	r2, r1, #26			@ HSR.EC
	add	r3, r3, r2, lsl #ROUTE_SHIFT
	ldrd	r4, r5, [r3, #ROUTE_COUNT]
	adds	r4, r4, #1
	adc	r5, r5, #0
	strd	r4, r5, [r3, #ROUTE_COUNT]
	ldr	r0, =hyp_vcpu
	str	sp, [r0]			@ hyp_vcpu.tf = frame
	ldr	r3, [r3]			@ route->handle
	blx	r3
	.global hyp_resume
hyp_resume:
	ldrd	r0, r1, [sp, #FRAME_PC]
	msr	ELR_hyp, r0
	msr	spsr_fsxc, r1
	ldm	sp, {r0-r12, lr}
	add	sp, sp, #FRAME_SIZE
	eret

/* Exceptions taken in Hyp mode itself are hypervisor bugs: report and stop. */
.macro INTERNAL name, vector
\name:
	SAVE_FRAME
	mov	r0, sp
	mov	r1, #\vector
	bl	hyp_internal_trap
3:	b	3b
.endm
	INTERNAL vec_reset, 0x00
	INTERNAL vec_undef, 0x04
	INTERNAL vec_hvc_hyp, 0x08
	INTERNAL vec_pabt, 0x0c
	INTERNAL vec_dabt, 0x10
	INTERNAL vec_irq, 0x18
	INTERNAL vec_fiq, 0x1c

/* hyp_enter_guest(frame): first entry into the guest from a frame built in C; the frame is
 * copied to the top of the (now empty) Hyp stack, where every later trap frame will be. */
	.global hyp_enter_guest
hyp_enter_guest:
	ldr	sp, =hyp_stack_top
	sub	sp, sp, #FRAME_SIZE
	mov	r1, sp
	ldm	r0!, {r2-r9}
	stm	r1!, {r2-r9}
	ldm	r0!, {r2-r9}
	stm	r1!, {r2-r9}
	b	hyp_resume

/* hyp_semihost_exit(status): SYS_EXIT_EXTENDED (0x20) with ADP_Stopped_ApplicationExit;
 * QEMU handles it before any trap, and it works from Hyp mode (platform-facts.md). */
	.global hyp_semihost_exit
hyp_semihost_exit:
	sub	sp, sp, #8
	ldr	r1, =0x20026
	str	r1, [sp]
	str	r0, [sp, #4]
	mov	r1, sp
	mov	r0, #0x20
	svc	#0x123456
4:	b	4b
