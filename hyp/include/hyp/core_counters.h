/* The core's own counters: hypercalls, PSCI, device emulation, injected aborts. */
#ifndef HYP_CORE_COUNTERS_H
#define HYP_CORE_COUNTERS_H

#include "hyp/counters.h"

#define CORE_COUNTERS(X)                                                                           \
	X(hyp_instructions)                                                                        \
	X(hyp_boot_instructions)                                                                   \
	X(boots)                                                                                   \
	X(hc_null)                                                                                 \
	X(hc_exit)                                                                                 \
	X(hc_describe)                                                                             \
	X(hc_snapshot)                                                                             \
	X(hc_revision)                                                                             \
	X(hc_unknown)                                                                              \
	X(psci_version)                                                                            \
	X(psci_features)                                                                           \
	X(psci_system_off)                                                                         \
	X(psci_system_reset)                                                                       \
	X(psci_unsupported)                                                                        \
	X(mmio_read)                                                                               \
	X(mmio_write)                                                                              \
	X(mmio_decoded)                                                                            \
	X(inject_dabt)                                                                             \
	X(inject_pabt)                                                                             \
	X(integrity_ok)                                                                            \
	X(integrity_instructions)

#define CORE_ENUM_(name) CORE_##name,
enum core_counter { CORE_COUNTERS(CORE_ENUM_) CORE_NCOUNTERS };

extern u64 core_values[];
extern const struct counter_block core_block;

static inline void core_count(enum core_counter c)
{
	counter_inc(&core_values[c]);
}

/* counters_hyp_mark: the Hyp instruction count now, to count the work that follows apart
 * from trap handling (boot, the integrity check). */
u64 counters_hyp_mark(void);
/* counters_hyp_move: move the Hyp instructions executed since mark from
 * core.hyp_instructions to counter c. */
void counters_hyp_move(u64 mark, enum core_counter c);

/* Traps by exception class: "trap.<class>". */
#define TRAP_COUNTERS(X)                                                                           \
	X(unknown)                                                                                 \
	X(wfi_wfe)                                                                                 \
	X(cp15_32)                                                                                 \
	X(cp15_64)                                                                                 \
	X(cp14)                                                                                    \
	X(hcptr)                                                                                   \
	X(hvc)                                                                                     \
	X(smc)                                                                                     \
	X(pabt)                                                                                    \
	X(dabt)                                                                                    \
	X(other)
#define TRAP_ENUM_(name) TRAP_##name,
enum trap_counter { TRAP_COUNTERS(TRAP_ENUM_) TRAP_NCOUNTERS };

extern u64 trap_values[];
extern const struct counter_block trap_block;

#endif
