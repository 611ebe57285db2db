/* The shadow module's counters, shared by its files (docs/hypervisor.md, "Counters"). */
#ifndef MM_SHADOW_SHADOW_H
#define MM_SHADOW_SHADOW_H

#include "hyp/counters.h"
#include "tb/types.h"

#define SHADOW_COUNTERS(X)                                                                         \
	X(misses_data)	      /* aborts the shadow caused (not the guest's own), data side */      \
	X(misses_prefetch)    /* and instruction side */                                           \
	X(fills)	      /* shadow leaves installed */                                        \
	X(genuine_faults)     /* aborts delivered to the guest */                                  \
	X(spurious)	      /* aborts whose leaf was already as the guest's tables give it */    \
	X(device_accesses)    /* device accesses emulated (found by a miss; unassigned: faults) */ \
	X(pinned)	      /* abort-entry pages shadowed ahead */                               \
	X(stores_emulated)    /* PL1 stores to PL1-RW/PL0-RO pages */                              \
	X(writes_lent)	      /* such pages let PL1 write, PL0 nothing (stores not emulable) */    \
	X(lent_taken_back)    /* and given back their own permissions (PL0 touched them) */        \
	X(pt_writes_caught)   /* writes to write-protected guest page tables (derived) */          \
	X(pt_writes_emulated) /* of which emulated (sync=emulate, or no snapshot slot) */          \
	X(pt_writes_deferred) /* of which let through: their frame made out of sync */             \
	X(oos_marks)	      /* frames made out of sync (unsync; else refused decodes) */         \
	X(resyncs)	      /* out-of-sync frames brought back */                                \
	X(resync_changes)     /* out-of-sync descriptors found changed (resync, or a fill) */      \
	X(frames_protected)   /* guest frames that became page-table frames */                     \
	X(unshadowed)	      /* and stopped being one: written too often (shadow.flood) */        \
	X(rmap_inserts)	      /* reverse-map entries added (= fills: derived) */                   \
	X(rmap_removes)	      /* and removed (= zaps: derived) */                                  \
	X(zaps)		      /* shadow leaves removed */                                          \
	X(tables)	      /* shadow tables allocated */                                        \
	X(tables_freed)	      /* and freed */                                                      \
	X(roots_built)	      /* address spaces shadowed from nothing */                           \
	X(root_hits)	      /* lookups that found a cached root (write-backs too) */             \
	X(root_misses)	      /* spaces run without a cached root (built at a miss) */             \
	X(evictions)	      /* roots evicted (least recently used) */                            \
	X(pool_exhausted)     /* the pool ran dry and the current root was reset */                \
	X(tlbi_all)	      /* trapped TLB maintenance by operation */                           \
	X(tlbi_asid)                                                                               \
	X(tlbi_mva)                                                                                \
	X(tlbi_mvaa)                                                                               \
	X(wr_sctlr) /* trapped writes (HCR.TVM, HSTR) by register */                               \
	X(wr_ttbr0)                                                                                \
	X(wr_ttbr1)                                                                                \
	X(wr_ttbcr)                                                                                \
	X(wr_dacr)                                                                                 \
	X(wr_contextidr)                                                                           \
	X(wr_prrr_nmrr)                                                                            \
	X(wr_amair)                                                                                \
	X(wr_fault_regs)                                                                           \
	X(wr_vbar)                                                                                 \
	X(wr_other)                                                                                \
	X(rd_sctlr) /* trapped reads (HSTR) by register */                                         \
	X(rd_ttbr0)                                                                                \
	X(rd_ttbr1)                                                                                \
	X(rd_ttbcr)                                                                                \
	X(rd_dacr)                                                                                 \
	X(rd_contextidr)                                                                           \
	X(rd_vbar)                                                                                 \
	X(rd_other)

#define SH_ENUM_(name) SH_##name,
enum shadow_counter { SHADOW_COUNTERS(SH_ENUM_) SH_NCOUNTERS };
#undef SH_ENUM_

extern u64 shadow_values[];

#endif
