/* User programs of the benchmark guest (PL0). Linked at USER_CODE_VA (bench.ld) and mapped
 * read-only and executable into every process. Arguments arrive in r0-r3; a program ends
 * with SYS_EXIT, whose r0 is its status. System calls: r7 = number, svc #0. */
	.syntax unified
	.arch armv7-a
	.arm
	.section .user.text, "ax"

#define SYS_EXIT  0
#define SYS_NULL  1
#define SYS_YIELD 2
#define PAGE      4096

.macro EXIT
	mov	r7, #SYS_EXIT
	svc	#0
.endm

/* u_exit(status) */
	.global u_exit
u_exit:
	EXIT

/* u_syscall_loop(n): n null system calls. */
	.global u_syscall_loop
u_syscall_loop:
	mov	r4, r0
	mov	r7, #SYS_NULL
1:	subs	r4, r4, #1
	blt	2f
	svc	#0
	b	1b
2:	mov	r0, #0
	EXIT

/* u_compute(n): exit status = sum of i*i for i < n (mod 2^32). */
	.global u_compute
u_compute:
	mov	r1, #0				@ i
	mov	r2, #0				@ sum
1:	cmp	r1, r0
	bhs	2f
	mla	r2, r1, r1, r2
	add	r1, r1, #1
	b	1b
2:	mov	r0, r2
	EXIT

/* u_touch(base, npages, value): write value + i to the first word of page i. */
	.global u_touch
u_touch:
	mov	r3, #0
1:	cmp	r3, r1
	bhs	2f
	add	r4, r2, r3
	str	r4, [r0, r3, lsl #12]
	add	r3, r3, #1
	b	1b
2:	mov	r0, #0
	EXIT

/* u_check(base, npages, value): status 0 if page i holds value + i, else 1 + i. */
	.global u_check
u_check:
	mov	r3, #0
1:	cmp	r3, r1
	bhs	2f
	ldr	r4, [r0, r3, lsl #12]
	add	r5, r2, r3
	cmp	r4, r5
	bne	3f
	add	r3, r3, #1
	b	1b
2:	mov	r0, #0
	EXIT
3:	add	r0, r3, #1
	EXIT

/* u_sweep(base, npages, stride, rounds): read the first word of npages pages stride bytes
 * apart, rounds times; status 0 if each reads its page number (written by u_touch with
 * value 0 and the same stride in pages), else 1. */
	.global u_sweep
u_sweep:
	mov	r5, r3				@ rounds left
1:	subs	r5, r5, #1
	blt	4f
	mov	r4, r0				@ address
	mov	r6, #0				@ page number
2:	cmp	r6, r1
	bhs	1b
	ldr	r7, [r4]
	cmp	r7, r6
	bne	5f
	add	r4, r4, r2
	add	r6, r6, #1
	b	2b
4:	mov	r0, #0
	EXIT
5:	mov	r0, #1
	EXIT

/* u_pingpong(word, rounds): store to a word of the process's own memory, then yield;
 * rounds times. */
	.global u_pingpong
u_pingpong:
	mov	r4, r0
	mov	r5, r1
1:	subs	r5, r5, #1
	blt	2f
	str	r5, [r4]
	mov	r7, #SYS_YIELD
	svc	#0
	b	1b
2:	mov	r0, #0
	EXIT
