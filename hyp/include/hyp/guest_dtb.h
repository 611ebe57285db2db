/* The device tree the hypervisor gives its guest. */
#ifndef HYP_GUEST_DTB_H
#define HYP_GUEST_DTB_H

#include "tb/types.h"

struct guest_dtb_params {
	u32 ram_ipa;
	u32 ram_size;
	const char *bootargs;
	size_t bootargs_len;
	const char *mm_name;
	u32 uart_ipa;
};

/* guest_dtb_build: write the DTB into buf; its size, or a negative FDT_ERR_ value. */
int guest_dtb_build(void *buf, u32 cap, const struct guest_dtb_params *p);

#endif
