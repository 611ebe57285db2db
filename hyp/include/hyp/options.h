/* The hypervisor's command line (/chosen/bootargs of the DTB QEMU gives it):
 *   mm=<module> mem=<size> image=<pa>,<bytes> [<module>.<key>=<value> ...] [-- <guest cmdline>]
 * Pure parsing: no side effects, so it is tested on the host. */
#ifndef HYP_OPTIONS_H
#define HYP_OPTIONS_H

#include "tb/types.h"

#define OPT_MAX_MODULE_OPTS 16

struct opt_kv {
	const char *key; /* after "<module>." */
	size_t klen;
	const char *val;
	size_t vlen;
};

struct hyp_options {
	const char *mm_name;
	size_t mm_len;
	u64 mem_bytes;
	paddr_t image_pa;
	u64 image_size;
	bool have_image;
	const char *guest_cmdline; /* "" when none */
	size_t guest_cmdline_len;
	u32 n_module_opts;
	struct opt_kv module_opts[OPT_MAX_MODULE_OPTS];
};

/* options_parse: parse cmdline into o; on bad input false with a message in err. Module
 * options are kept for every "<mm>.key=value" whose prefix equals the chosen mm= name. */
bool options_parse(const char *cmdline, struct hyp_options *o, char *err, size_t errlen);

#endif
