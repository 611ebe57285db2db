/* The benchmark guest's kernel: a small OS with its own address spaces, used to compare
 * native execution, stage-2 translation and shadow paging on the work a real kernel does. */
#ifndef BENCH_KERNEL_H
#define BENCH_KERNEL_H

#include <stdarg.h>

#include "frames.h"
#include "prot.h"
#include "tb/pt.h"
#include "tb/types.h"

/* ---- address-space layout ---- */
/* TTBCR split (TTBCR.N or T0SZ = KSPLIT_DEFAULT): TTBR0 (per process, ASID-tagged) covers
 * [0, USER_TOP); TTBR1 (the kernel's, global) covers [USER_TOP, 4 GiB), where the kernel runs
 * at its physical addresses (RAM is at 0x40000000). */
#define USER_CODE_VA   0x00010000u
#define USER_DATA_VA   0x10000000u
#define USER_STACK_VA  0x1ff00000u /* 1 MiB, demand-paged; the stack grows down from its top */
#define USER_STACK_SZ  (1u * MiB)
#define KERNEL_UART_VA 0xfff00000u /* the PL011, mapped as device memory in TTBR1 */

/* ---- console and exit ---- */
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
void kputs(const char *s);
__attribute__((noreturn)) void kexit(int status);
__attribute__((noreturn, format(printf, 1, 2))) void kpanic(const char *fmt, ...);
#define KASSERT(cond)                                                                              \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			kpanic("invariant broken: %s (%s:%d)", #cond, __FILE__, __LINE__);         \
		}                                                                                  \
	} while (0)
void console_use_va(void);

/* ---- boot information ---- */
struct bootinfo {
	const void *dtb;
	u32 ram_base, ram_size;
	const char *cmdline;
	bool hypervisor;
	char mode[16];			  /* "native" or the hypervisor's memory module */
	u32 user_code_pa, user_code_size; /* the user programs' frames in the image */
};
extern struct bootinfo boot;

/* ---- exceptions ---- */
struct kframe {
	u32 r[13];
	u32 sp_usr, lr_usr;
	u32 pc; /* the exception mode's LR on entry; where the exception returns */
	u32 spsr;
	u32 lr_svc; /* aborts: SVC mode's LR when the abort was taken (start.S ABORT_VEC) */
};

struct kcontext {
	u32 sp;
};

u32 user_run(struct kcontext *k, const struct kframe *f);
__attribute__((noreturn)) void user_leave(struct kcontext *k, u32 value);
void kexception(u32 vector, struct kframe *f);

/* Expected faults: a kernel probe of a user address that may fault. */
enum probe_result { PROBE_OK = 0, PROBE_FAULT = 1 };
/* probe_user: read (or write 0xa5) the user VA as PL0 would (LDRT/STRT); *fsr = DFSR. */
enum probe_result probe_user(u32 va, bool write, u32 *value, u32 *fsr);

/* ---- memory management ---- */
struct mm_config {
	const struct pt_format *fmt; /* &pt_short or &pt_lpae_s1 */
	u32 split;		     /* TTBCR.N / T0SZ: user space is 4 GiB >> split */
};
extern struct mm_config mmcfg;
extern struct frames kframes;

#define VMA_MAX 8
struct vma {
	u32 start, end; /* [start, end) */
	u32 prot;	/* PROT_* the process may have */
	u32 fixed_pa;	/* nonzero: maps [fixed_pa, ...) eagerly (code), else demand-zero */
	u32 leaf_shift; /* 12 for pages, or the section/block shift for large mappings */
};

struct proc {
	bool used;
	u32 pid;
	u32 asid;
	struct pt_regime regime; /* TTBR0 tables */
	struct vma vma[VMA_MAX];
	u32 nvma;
	struct kframe regs; /* user registers while not running */
	bool exited;
	u32 exit_code;
	/* statistics of this process (for self-checks) */
	u32 faults_demand, faults_cow, faults_bad;
};

void mm_init(void);
u32 mm_user_top(void);
struct proc *proc_create(void);
void proc_destroy(struct proc *p);
/* proc_add_vma: a region; code regions (fixed_pa) are mapped at once. */
void proc_add_vma(struct proc *p, u32 start, u32 size, u32 prot, u32 fixed_pa, u32 leaf_shift);
/* proc_fork: a copy of p whose writable private pages are shared copy-on-write. */
struct proc *proc_fork(struct proc *p);
/* mm_switch: run p's address space (TTBR0 + ASID), with the architected sequence. */
void mm_switch(struct proc *p);
/* mm_map_page / mm_unmap_page / mm_protect_page: one 4 KiB user page of p, with the TLB
 * maintenance the architecture requires. */
void mm_map_page(struct proc *p, u32 va, u32 pa, u32 prot);
void mm_unmap_page(struct proc *p, u32 va);
void mm_protect_page(struct proc *p, u32 va, u32 prot);
/* mm_populate: map every page (or section) of [start, start+size) of p now. */
void mm_populate(struct proc *p, u32 start, u32 size);
/* mm_lookup: the physical address p maps va to (0 if unmapped) and its protection. */
u32 mm_lookup(struct proc *p, u32 va, u32 *prot);
/* mm_fault: resolve a fault of p at va; false if it is a genuine error. */
bool mm_fault(struct proc *p, u32 va, bool write, u32 fsr);
/* TLB maintenance (B4.2.2): the current core only (a uniprocessor guest). */
void tlb_inv_va(u32 va, u32 asid);
void tlb_inv_asid(u32 asid);
void tlb_inv_all(void);
void tlb_inv_va_all_asids(u32 va);

/* ---- processes and scheduling ---- */
#define SYS_EXIT  0
#define SYS_NULL  1
#define SYS_YIELD 2
extern struct proc *current;
/* run_procs: run the n processes, round robin on SYS_YIELD, until all have exited; 0 if
 * all exited with status 0, else the first nonzero status (or fault). */
u32 run_procs(struct proc **procs, u32 n);
/* user_entry_frame: registers to start a process at entry(a0, a1, a2, a3). */
void user_entry_frame(struct proc *p, u32 entry, u32 a0, u32 a1, u32 a2, u32 a3);

/* ---- counters of the kernel (reported with each measurement) ---- */
struct kstats {
	u64 page_faults, cow_faults, tlbi_va, tlbi_asid, tlbi_all, ctx_switches, syscalls;
};
extern struct kstats kstats;

#endif
