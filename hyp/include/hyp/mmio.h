/* Emulated devices: a device answers accesses at offsets of its IPA window. */
#ifndef HYP_MMIO_H
#define HYP_MMIO_H

#include "tb/types.h"

struct mmio_device {
	const char *name;
	paddr_t base;
	u32 size;
	/* read/write: access of size bytes (1, 2, 4) at offset off. */
	u32 (*read)(u32 off, u32 size);
	void (*write)(u32 off, u32 size, u32 val);
};

extern const struct mmio_device pl011_device;
extern const struct mmio_device *const mmio_devices[];
extern const u32 mmio_ndevices;

/* mmio_find: the device whose window holds ipa, or NULL. */
static inline const struct mmio_device *mmio_find(paddr_t ipa)
{
	if ((ipa >> 32) != 0) {
		return NULL; /* every device lives below 4 GiB */
	}
	for (u32 i = 0; i < mmio_ndevices; i++) {
		const struct mmio_device *d = mmio_devices[i];
		if ((u32)ipa - (u32)d->base < d->size) {
			return d;
		}
	}
	return NULL;
}

#endif
