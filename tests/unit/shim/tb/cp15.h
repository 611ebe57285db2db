/* Host stand-in for common/include/tb/cp15.h: system-register writes, barriers and TLB
 * operations are recorded in an event log instead of executed, so that tests can check the
 * exact maintenance sequence the benchmark guest's memory management issues. */
#ifndef TB_CP15_H
#define TB_CP15_H

#include "tb/types.h"

enum shim_event {
	EV_DSB = 1,
	EV_ISB,
	EV_TLBIALL,
	EV_TLBIMVA,
	EV_TLBIASID,
	EV_TLBIMVAA,
	EV_TTBR0,
	EV_TTBR1,
	EV_TTBCR,
	EV_CONTEXTIDR,
	EV_SCTLR,
	EV_OTHER,
};

struct shim_log {
	u32 n;
	u32 ev[4096];
	u64 arg[4096];
};
extern struct shim_log shim_log;
extern u32 shim_sctlr;
/* shim_tlbi_hook: called at every TLB operation (tests check state at that moment). */
extern void (*shim_tlbi_hook)(u32 ev, u64 arg);

static inline void shim_record(u32 ev, u64 arg)
{
	if (shim_log.n < 4096) {
		shim_log.ev[shim_log.n] = ev;
		shim_log.arg[shim_log.n] = arg;
		shim_log.n++;
	}
	if (ev >= EV_TLBIALL && ev <= EV_TLBIMVAA && shim_tlbi_hook != NULL) {
		shim_tlbi_hook(ev, arg);
	}
}

static inline void dsb(void)
{
	shim_record(EV_DSB, 0);
}
static inline void isb(void)
{
	shim_record(EV_ISB, 0);
}
static inline void tlbi_all(void)
{
	shim_record(EV_TLBIALL, 0);
}
static inline void tlbi_mva(u32 v)
{
	shim_record(EV_TLBIMVA, v);
}
static inline void tlbi_asid(u32 v)
{
	shim_record(EV_TLBIASID, v);
}
static inline void tlbi_mvaa(u32 v)
{
	shim_record(EV_TLBIMVAA, v);
}
static inline void write_ttbr0(u32 v)
{
	shim_record(EV_TTBR0, v);
}
static inline void write_ttbr0_64(u64 v)
{
	shim_record(EV_TTBR0, v);
}
static inline void write_ttbr1(u32 v)
{
	shim_record(EV_TTBR1, v);
}
static inline void write_ttbr1_64(u64 v)
{
	shim_record(EV_TTBR1, v);
}
static inline void write_ttbcr(u32 v)
{
	shim_record(EV_TTBCR, v);
}
static inline void write_contextidr(u32 v)
{
	shim_record(EV_CONTEXTIDR, v);
}
static inline void write_sctlr(u32 v)
{
	shim_sctlr = v;
	shim_record(EV_SCTLR, v);
}
static inline u32 read_sctlr(void)
{
	return shim_sctlr;
}
static inline void write_dacr(u32 v)
{
	shim_record(EV_OTHER, v);
}
static inline void write_prrr(u32 v)
{
	shim_record(EV_OTHER, v);
}

#endif
