/* Human-readable decoding of the HSR and fault status codes (B3.13.6, B3.13.5). */
#ifndef HYP_SYNDROME_H
#define HYP_SYNDROME_H

#include "tb/arm.h"
#include "tb/types.h"

/* hsr_ec_name: a short name of an exception class ("DABT_LOW", ...). */
const char *hsr_ec_name(u32 ec);
/* fsc_name: the meaning of a long-descriptor fault status code (HSR ISS[5:0]). */
const char *fsc_name(u32 fsc);
/* cond_flags_pass: A8.3 ConditionPassed of condition field cond under cpsr's flags. */
bool cond_flags_pass(u32 cond, u32 cpsr);
/* hsr_condition_passed: did a trapped instruction's condition (HSR CV/COND) pass under
 * cpsr's flags? CV = 0 means it did; most trapped instructions have CV = 1, COND = AL
 * (B3.13.6), decided here without the flags. */
static inline bool hsr_condition_passed(u32 hsr, u32 cpsr)
{
	const u32 cv_al = ISS_CV | ((u32)COND_AL << ISS_COND_SHIFT);
	return (hsr & (ISS_CV | ISS_COND_MASK)) == cv_al || (hsr & ISS_CV) == 0 ||
	       cond_flags_pass((hsr & ISS_COND_MASK) >> ISS_COND_SHIFT, cpsr);
}
/* thumb_it_advance: cpsr after one instruction of a Thumb IT block (A2.5.2 ITAdvance). */
u32 thumb_it_advance(u32 cpsr);
/* hsr_describe: the whole syndrome decoded into buf, one line. */
void hsr_describe(u32 hsr, char *buf, size_t len);

#endif
