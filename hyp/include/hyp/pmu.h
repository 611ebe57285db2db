/* The hypervisor's share of the PMU (B4.1.63 HDCR, C12): counters HPMN.. are the
 * hypervisor's; the guest sees PMCR.N = HPMN and owns counters 0..HPMN-1 and PMCCNTR. */
#ifndef HYP_PMU_H
#define HYP_PMU_H

#include "tb/types.h"

#define HYP_PMU_HPMN	4u /* guest counters 0-3 */
#define HYP_PMU_COUNTER 4u /* instructions retired in Hyp mode */

/* pmu_init: partition the counters and start the Hyp instruction counter. */
void pmu_init(void);
/* pmu_hyp_instructions: the raw 32-bit Hyp instruction count. */
u32 pmu_hyp_instructions(void);

#endif
