/* Exceptions, system calls, the round-robin scheduler of user processes, and probes. */
#include "kernel.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/str.h"

#define MAX_RUN 64

static struct kcontext kctx;
static struct proc *runq[MAX_RUN];
static u32 nrun;
static u32 first_error;

/* Probe state: a kernel LDRT/STRT of a user address that is allowed to fault. */
static volatile bool probing;
static volatile bool probe_faulted;
static volatile u32 probe_fsr;

void user_entry_frame(struct proc *p, u32 entry, u32 a0, u32 a1, u32 a2, u32 a3)
{
	memset(&p->regs, 0, sizeof(p->regs));
	p->regs.r[0] = a0;
	p->regs.r[1] = a1;
	p->regs.r[2] = a2;
	p->regs.r[3] = a3;
	p->regs.sp_usr = USER_STACK_VA + USER_STACK_SZ;
	p->regs.pc = entry;
	p->regs.spsr = PSR_MODE_USR; /* A32, interrupts enabled (none are ever raised) */
	p->exited = false;
}

/* next_runnable: the process after the current one in round-robin order, or NULL. */
static struct proc *next_runnable(void)
{
	u32 at = 0;
	for (u32 i = 0; i < nrun; i++) {
		if (runq[i] == current) {
			at = i;
		}
	}
	for (u32 k = 1; k <= nrun; k++) {
		struct proc *p = runq[(at + k) % nrun];
		if (!p->exited) {
			return p;
		}
	}
	return NULL;
}

/* resume_regs: the trapped frame becomes next's user registers (the kernel's own LR_svc,
 * saved by an abort entry, stays). */
static void resume_regs(struct kframe *f, const struct proc *next)
{
	u32 lr_svc = f->lr_svc;
	*f = next->regs;
	f->lr_svc = lr_svc;
}

/* switch_to: save the trapped user registers of current, resume next in their place. */
static void switch_to(struct proc *next, struct kframe *f)
{
	if (next == current) {
		return;
	}
	current->regs = *f;
	current = next;
	mm_switch(next);
	resume_regs(f, next);
}

/* finish_current: current has exited with status; run another or return to the kernel. */
static void finish_current(u32 status, struct kframe *f)
{
	current->exited = true;
	current->exit_code = status;
	if (status != 0 && first_error == 0) {
		first_error = status;
	}
	struct proc *next = next_runnable();
	if (next == NULL) {
		mm_switch(NULL);
		current = NULL;
		user_leave(&kctx, first_error);
	}
	current->regs = *f;
	current = next;
	mm_switch(next);
	resume_regs(f, next);
}

u32 run_procs(struct proc **procs, u32 n)
{
	KASSERT(n > 0 && n <= MAX_RUN);
	for (u32 i = 0; i < n; i++) {
		runq[i] = procs[i];
	}
	nrun = n;
	first_error = 0;
	current = procs[0];
	mm_switch(current);
	return user_run(&kctx, &current->regs);
}

static void syscall(struct kframe *f)
{
	kstats.syscalls++;
	switch (f->r[7]) {
	case SYS_NULL:
		f->r[0] = 0;
		return;
	case SYS_YIELD: {
		struct proc *next = next_runnable();
		switch_to(next != NULL ? next : current, f);
		return;
	}
	case SYS_EXIT:
		finish_current(f->r[0], f);
		return;
	default:
		kprintf("bench: process %u: unknown system call %u\n", current->pid, f->r[7]);
		finish_current(0xbad5c, f);
		return;
	}
}

/* user_abort: a data or prefetch abort from PL0: resolve it, or end the process. */
static void user_abort(bool data, struct kframe *f)
{
	u32 fsr = data ? read_dfsr() : read_ifsr();
	u32 va = data ? read_dfar() : read_ifar();
	bool write = data && (fsr & FSR_WNR) != 0;
	u32 insn = f->pc - (data ? 8 : 4);
	if (mm_fault(current, va, write, fsr)) {
		f->pc = insn; /* retry */
		return;
	}
	kprintf("bench: process %u: %s abort at 0x%08x (FSR 0x%03x) from pc 0x%08x\n", current->pid,
		data ? "data" : "prefetch", va, fsr, insn);
	finish_current(0xfa017, f);
}

enum probe_result probe_user(u32 va, bool write, u32 *value, u32 *fsr)
{
	u32 v = 0xa5;
	probe_faulted = false;
	probing = true;
	if (write) {
		__asm__ volatile("strt %0, [%1]" ::"r"(v), "r"(va) : "memory");
	} else {
		__asm__ volatile("ldrt %0, [%1]" : "=&r"(v) : "r"(va) : "memory"); /* no Rt == Rn */
	}
	probing = false;
	if (value != NULL) {
		*value = v;
	}
	if (fsr != NULL) {
		*fsr = probe_fsr;
	}
	return probe_faulted ? PROBE_FAULT : PROBE_OK;
}

void kexception(u32 vector, struct kframe *f)
{
	bool from_user = (f->spsr & PSR_MODE_MASK) == PSR_MODE_USR;
	if (from_user && vector == VEC_SVC) {
		syscall(f);
		return;
	}
	if (from_user && (vector == VEC_DABT || vector == VEC_PABT)) {
		user_abort(vector == VEC_DABT, f);
		return;
	}
	if (!from_user && vector == VEC_DABT && probing) {
		probe_faulted = true;
		probe_fsr = read_dfsr();
		f->pc -= 4; /* skip the LDRT/STRT (LR_abt = instruction + 8) */
		return;
	}
	kpanic("unexpected %s from %s mode at pc 0x%08x: DFSR 0x%03x DFAR 0x%08x IFSR 0x%03x "
	       "IFAR 0x%08x",
	       vector_name(vector), from_user ? "user" : "kernel", f->pc, read_dfsr(), read_dfar(),
	       read_ifsr(), read_ifar());
}
