/* The exerciser's user mode (PL0): one page of code, mapped at PTX_TRAMP_VA (global,
 * read-only and executable at PL0), entered by an exception return and left by SVC, whose
 * handler (access.c) resumes SVC mode at ptx_user_back. */
#include "ptx.h"

	.syntax unified
	.arch armv7-a
	.arm

#define PSR_USR_MASKED	0x1d0			@ user mode, A, I and F masked

	.section .text.ptx_user, "ax"
	.balign 4096
/* In user mode: r0 = what (PTX_UOP_*), r1 = the address, r2 = the value to store;
 * the result in r3 (PTX_NO_VALUE if the access faulted). */
	.global ptx_user_page
ptx_user_page:
	cmp	r0, #PTX_UOP_EXEC
	beq	1f
	cmp	r0, #PTX_UOP_WRITE
	streq	r2, [r1]
	ldrne	r3, [r1]
	.global ptx_user_svc
ptx_user_svc:					@ a fault in a fetch resumes here too
	svc	#0
1:	blx	r1				@ "movw r0, #imm16; bx lr"
	mov	r3, r0
	b	ptx_user_svc
	.balign 4096				@ nothing else on the page

	.text
/* u32 ptx_user_call(u32 what, u32 va, u32 value, u32 entry): run the trampoline (at its
 * user-mode address entry) in user mode; its r3. */
	.global ptx_user_call
ptx_user_call:
	push	{r4-r12, lr}			@ an even count: SP stays 8-byte aligned
	mov	r12, r3
	ldr	r3, =PTX_NO_VALUE
	mov	r4, #PSR_USR_MASKED
	msr	spsr_fsxc, r4
	movs	pc, r12
	.global ptx_user_back
ptx_user_back:					@ from the SVC handler, in SVC mode
	mov	r0, r3
	pop	{r4-r12, pc}
	.ltorg
