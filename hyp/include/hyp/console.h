/* The hypervisor's console (the real PL011) and its exits. Every hypervisor message starts
 * with "[hyp] " so that tools can tell it from guest output. */
#ifndef HYP_CONSOLE_H
#define HYP_CONSOLE_H

#include "tb/types.h"

/* Exit statuses of the run when the hypervisor, not the guest, ends it. */
#define HYP_EXIT_FATAL	  120 /* unexpected trap or internal error */
#define HYP_EXIT_BADINPUT 121 /* bad command line, image or DTB */

void console_putc(char c);
void console_write(const char *s, u32 len);
void hyp_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A function a debugger stops at by its symbol (the integrity tests): kept whole and
 * global under link-time optimisation, and called under its own name (noipa: no inlining,
 * and no clone such as .constprop or .isra that callers would call instead). */
#define HYP_STOP_POINT __attribute__((noipa, used, externally_visible))
/* hyp_exit: run the integrity check, print the counters and end the emulator with status
 * (HYP_EXIT_FATAL instead if the check failed). */
HYP_STOP_POINT __attribute__((noreturn)) void hyp_exit(int status);
/* hyp_require_integrity: run the integrity check; if it fails, end the run with
 * HYP_EXIT_FATAL. */
HYP_STOP_POINT void hyp_require_integrity(void);
/* hyp_fatal: print "[hyp] FATAL: ...", the guest's state, run the integrity check, print
 * the counters and end with HYP_EXIT_FATAL. */
HYP_STOP_POINT __attribute__((noreturn, format(printf, 1, 2))) void hyp_fatal(const char *fmt, ...);
/* hyp_bad_input: print "[hyp] error: ..." and end with HYP_EXIT_BADINPUT. */
__attribute__((noreturn, format(printf, 1, 2))) void hyp_bad_input(const char *fmt, ...);
/* HYP_ASSERT: check an invariant; a failure names it. */
#define HYP_ASSERT(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			hyp_fatal("invariant broken: %s (%s:%d)", #cond, __FILE__, __LINE__);      \
		}                                                                                  \
	} while (0)

#endif
