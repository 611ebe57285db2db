/* The hypervisor's check of its own memory (docs/hypervisor.md, "Integrity check"): a
 * checksum of its code and read-only data taken at boot, canary words on both sides of its
 * stack, and the page pool's guard pages (palloc.h), verified whenever the guest's run ends
 * and before the guest is rebuilt. The result is the counter core.integrity_ok. */
#ifndef HYP_INTEGRITY_H
#define HYP_INTEGRITY_H

#include "tb/types.h"

/* integrity_init: take the checksum and write the stack guards (once, at boot). */
void integrity_init(void);
/* integrity_check: verify everything; on damage print "[hyp] integrity check failed: <what>"
 * and return false. Sets core.integrity_ok to the result (it stays 0 before integrity_init,
 * when there is nothing to verify yet and the check passes). */
bool integrity_check(void);

#endif
