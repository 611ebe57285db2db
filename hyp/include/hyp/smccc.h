/* HVC and trapped SMC calls: PSCI and the testbed ABI (tb/hcall.h). */
#ifndef HYP_SMCCC_H
#define HYP_SMCCC_H

#include "hyp/vcpu.h"

/* smccc_call: handle the call in the guest's r0-r3 (HVC or trapped SMC). */
void smccc_call(struct vcpu *v, u32 hsr);
/* smccc_hvc: an HVC trap: the null call's fast path, else smccc_call. */
void smccc_hvc(struct vcpu *v, u32 hsr);

#endif
