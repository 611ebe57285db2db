/* The Hyp-mode instruction counter. Exact under -icount shift=<N> (platform-facts.md, "PMU");
 * QEMU does not stop the guest from writing counters >= HPMN, so this is a measuring device,
 * not an isolation boundary. */
#include "hyp/pmu.h"
#include "tb/arm.h"
#include "tb/cp15.h"

void pmu_init(void)
{
	/* HDCR: HPMN partitions, HPME enables the upper counters independently of the guest's
	 * PMCR.E; no PMU traps (the guest measures itself without exits). */
	write_hdcr(HYP_PMU_HPMN | HDCR_HPME);
	write_pmselr(HYP_PMU_COUNTER);
	/* Count instructions retired in Hyp mode only: not PL1 (P), not PL0 (U), Hyp (NSH). */
	write_pmxevtyper(PMEVT_INST_RETIRED | PMEVT_P | PMEVT_U | PMEVT_NSH);
	write_pmxevcntr(0);
	write_pmselr(0);
	write_pmcntenset(BIT(HYP_PMU_COUNTER));
	isb();
}

u32 pmu_hyp_instructions(void)
{
	u32 guest_sel = read_pmselr(); /* PMSELR is shared with the guest: preserve it */
	write_pmselr(HYP_PMU_COUNTER);
	isb();
	u32 v = read_pmxevcntr();
	write_pmselr(guest_sel);
	return v;
}
