/* The small runtime of the test guests: console, exit, DTB queries, hypercalls, exceptions.
 * A test guest defines `int main(void)`; its return value is its exit status. */
#ifndef RT_H
#define RT_H

#include "tb/types.h"

#define RT_UART 0x09000000u

struct rt_frame {
	u32 r[13];
	u32 lr_svc; /* aborts: SVC mode's LR when the abort was taken (may be changed) */
	u32 pc;	    /* where the exception returns to; starts as the exception mode's LR */
	u32 spsr;
};

/* rt_handler: return true if the exception was handled (frame->pc says where to resume). */
typedef bool (*rt_handler)(u32 vector, struct rt_frame *f);

void rt_putc(char c);
void rt_puts(const char *s);
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void rt_exit(int status);

/* rt_hyp_present: does the DTB say we run under the testbed hypervisor? */
bool rt_hyp_present(void);
const char *rt_bootargs(void);
/* rt_arg_u32: the value of key=<number> in the command line. */
bool rt_arg_u32(const char *key, u32 *val);
/* rt_arg_is: is key=<value> in the command line? */
bool rt_arg_is(const char *key, const char *value);
u32 rt_ram_base(void);
u32 rt_ram_size(void);
const void *rt_dtb(void);

/* rt_call: an SMC Calling Convention call through HVC #0 (or SMC #0) with r0-r3 = r[0..3];
 * r[] receives r0-r3 after it. */
void rt_call(bool smc, u32 r[4]);
u32 rt_hvc(u32 fid, u32 a1, u32 a2, u32 a3);
u32 rt_smc(u32 fid, u32 a1, u32 a2, u32 a3);
void rt_set_handler(rt_handler h);
/* rt_call_addr: branch-with-link to addr (for fetch tests); returns when the handler resumes
 * at the saved return address (see rt_lr_svc). */
void rt_call_addr(u32 addr);
/* rt_lr_svc: the SVC-mode link register (read from another mode). */
u32 rt_lr_svc(void);

/* Hypervisor counters (tb/hcall.h DESCRIBE / SNAPSHOT); only under the hypervisor. */
#define RT_MAX_COUNTERS 128
/* rt_counter_index: index of the counter called name, or -1 (names fetched once). */
int rt_counter_index(const char *name);
/* rt_counter_need: index of the counter called name; without it, prints
 * "<guest>: the hypervisor has no counter <name><hint>" and exits with status 1. */
int rt_counter_need(const char *guest, const char *name, const char *hint);
/* rt_snapshot: all counter values into out[RT_MAX_COUNTERS]; the number of counters. */
u32 rt_snapshot(u64 *out);

int main(void);

#endif
