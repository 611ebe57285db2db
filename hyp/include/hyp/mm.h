/* The memory-module interface: everything the core needs from a way of virtualizing memory.
 * The core calls only these; a module calls only the core services of vm.h, trap.h,
 * palloc.h and counters.h. A module registers itself with MM_MODULE(); the core finds it by
 * name (mm=<name> on the hypervisor command line) without knowing it at compile time. */
#ifndef HYP_MM_H
#define HYP_MM_H

#include "hyp/counters.h"
#include "hyp/vm.h"
#include "tb/types.h"

/* An exception class (HSR.EC) a module handles, and its handler. */
struct mm_trap {
	u32 ec;
	void (*handle)(struct vcpu *v, u32 hsr);
};

struct mm_module {
	const char *name;
	/* One line per option, for error messages and docs. */
	const char *options_help;
	/* parse_option: apply "<name>.<key>=<val>"; false if the key or value is not valid. */
	bool (*parse_option)(const char *key, size_t klen, const char *val, size_t vlen);
	/* setup: build the translation of vm's RAM from scratch (at every boot and reset, after
	 * the vCPU's registers have been reset) and OR into vm->hcr / vm->hstr the trap bits the
	 * module needs. 0 or a negative error. */
	int (*setup)(struct vm *vm);
	/* traps: the exception classes the module handles instead of the core, each with its
	 * handler, up to one whose handler is NULL (required: trap_init refuses a module
	 * without it; one that handles none gives only the NULL entry). The trap entry calls
	 * a handler directly (entry.S, a table by HSR.EC); one that does not want a trap gives
	 * it to trap_core() (trap.h). The guest resumes at v->tf->pc. */
	const struct mm_trap *traps;
	/* va_to_ipa: the IPA the guest's current stage 1 gives va for a read (or write); false if
	 * the guest's own translation faults. */
	bool (*va_to_ipa)(struct vcpu *v, u32 va, bool write, paddr_t *ipa);
	/* guest_reg: the guest-visible value of reg when the module keeps the hardware register
	 * for itself (true), or false to let the core read the hardware. May be NULL. */
	bool (*guest_reg)(struct vcpu *v, enum guest_reg reg, u64 *val);
	/* guest_wrote: the core itself wrote guest RAM [ipa, ipa+len) (a testbed call's buffer):
	 * a module that derives state from guest memory brings it up to date. May be NULL. */
	void (*guest_wrote)(paddr_t ipa, u32 len);
	/* counters: the module's counter block. */
	const struct counter_block *counters;
};

#define MM_MODULE(sym)                                                                             \
	static const struct mm_module *const mm_module_ptr_##sym                                   \
	    __attribute__((used, section(".mm_modules"))) = &(sym)

/* mm_find: the registered module called name (len chars), or NULL. */
const struct mm_module *mm_find(const char *name, size_t len);
/* mm_list: write the registered module names, space separated, into buf. */
void mm_list(char *buf, u32 len);

#endif
