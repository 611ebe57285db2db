/* The integrity check of the hypervisor's own memory (hyp/include/hyp/integrity.h). Its
 * instructions are counted in core.integrity_instructions, not in core.hyp_instructions. */
#include "hyp/integrity.h"
#include "hyp/console.h"
#include "hyp/core_counters.h"
#include "hyp/guard.h"
#include "hyp/palloc.h"
#include "tb/fmt.h"
#include "tb/hyp_marker.h"

/* hyp/hyp.ld: code and read-only data; the guards below and above the stack. */
extern const u32 __hyp_ro_start[], __hyp_ro_end[];
extern u32 __hyp_stack_guard_lo[], __hyp_stack_bottom[], __hyp_stack_guard_hi[];

/* The marker a hostile guest searches for (tb/hyp_marker.h): the XOR is folded at compile
 * time, so only the plain text is in this image. */
__attribute__((used, aligned(16))) const u32 hyp_marker[TB_HYP_MARKER_WORDS] = {
    TB_HYP_MARKER_OBF0 ^ TB_HYP_MARKER_KEY,
    TB_HYP_MARKER_OBF1 ^ TB_HYP_MARKER_KEY,
    TB_HYP_MARKER_OBF2 ^ TB_HYP_MARKER_KEY,
    TB_HYP_MARKER_OBF3 ^ TB_HYP_MARKER_KEY,
};

static u32 ro_checksum; /* of [__hyp_ro_start, __hyp_ro_end), taken at boot */
static bool initialised;

/* ro_words: the size of the checksummed range, in words. */
static u32 ro_words(void)
{
	return (u32)(__hyp_ro_end - __hyp_ro_start);
}

/* guard_words: the size of each stack guard, in words. */
static u32 guard_words(void)
{
	return (u32)(__hyp_stack_bottom - __hyp_stack_guard_lo);
}

void integrity_init(void)
{
	u64 mark = counters_hyp_mark();
	ro_checksum = checksum_words(__hyp_ro_start, ro_words());
	guard_fill(__hyp_stack_guard_lo, guard_words());
	guard_fill(__hyp_stack_guard_hi, guard_words());
	core_values[CORE_integrity_ok] = 1;
	initialised = true;
	counters_hyp_move(mark, CORE_integrity_instructions);
}

/* stack_guard_ok: is the guard of guard_words() words at g intact? Else say so in what. */
static bool stack_guard_ok(const u32 *g, const char *side, char *what, u32 len)
{
	const u32 *bad = guard_first_bad(g, guard_words());
	if (bad != NULL) {
		tb_snprintf(what, len,
			    "Hyp stack guard %s the stack: word at 0x%08x overwritten "
			    "(0x%08x)",
			    side, (u32)(uintptr_t)bad, *bad);
		return false;
	}
	return true;
}

/* verify: every check in turn; the first damage found is described in what. */
static bool verify(char *what, u32 len)
{
	u32 sum = checksum_words(__hyp_ro_start, ro_words());
	if (sum != ro_checksum) {
		tb_snprintf(what, len,
			    "code and read-only data (0x%08x..0x%08x) changed: "
			    "checksum 0x%08x, 0x%08x at boot",
			    (u32)(uintptr_t)__hyp_ro_start, (u32)(uintptr_t)__hyp_ro_end, sum,
			    ro_checksum);
		return false;
	}
	return stack_guard_ok(__hyp_stack_guard_lo, "below", what, len) &&
	       stack_guard_ok(__hyp_stack_guard_hi, "above", what, len) && palloc_check(what, len);
}

bool integrity_check(void)
{
	char what[160];
	if (!initialised) {
		return true; /* a failure during boot, before there is anything to verify */
	}
	u64 mark = counters_hyp_mark();
	bool ok = verify(what, sizeof(what));
	core_values[CORE_integrity_ok] = ok ? 1 : 0;
	counters_hyp_move(mark, CORE_integrity_instructions);
	if (!ok) {
		hyp_printf("[hyp] integrity check failed: %s\n", what);
	}
	return ok;
}
