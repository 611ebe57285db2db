/* The registry of memory modules: every module linked in adds itself with MM_MODULE(). */
#include "hyp/mm.h"
#include "tb/fmt.h"
#include "tb/str.h"

extern const struct mm_module *const __mm_modules_start[];
extern const struct mm_module *const __mm_modules_end[];

const struct mm_module *mm_find(const char *name, size_t len)
{
	for (const struct mm_module *const *m = __mm_modules_start; m < __mm_modules_end; m++) {
		if (strlen((*m)->name) == len && strncmp((*m)->name, name, len) == 0) {
			return *m;
		}
	}
	return NULL;
}

void mm_list(char *buf, u32 len)
{
	u32 used = 0;
	buf[0] = 0;
	for (const struct mm_module *const *m = __mm_modules_start; m < __mm_modules_end; m++) {
		int n = tb_snprintf(buf + used, len - used, "%s%s", used ? " " : "", (*m)->name);
		used += (u32)n;
		if (used >= len) {
			break;
		}
	}
}
