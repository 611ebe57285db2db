/* Guest image checking and placement: a raw image (Linux boot protocol, loaded at
 * GUEST_RAW_LOAD_IPA) or an ELF32 ARM executable placed at its physical addresses.
 * The same code runs in the hypervisor and in the host tool `imgcheck`. */
#ifndef HYP_LOADER_H
#define HYP_LOADER_H

#include "tb/types.h"

struct image_info {
	bool is_elf;
	u32 entry_ipa;
	u32 lowest_ipa;	 /* first byte written */
	u32 highest_ipa; /* last byte written + 1 */
};

/* The guest RAM a loader may use: [ram_ipa, ram_ipa + usable). */
struct load_target {
	u32 ram_ipa;
	u32 usable;
};

/* loader_check: validate the image against the target; false with a message naming the
 * problem in err. Reads only [img, img+size). */
bool loader_check(const u8 *img, u32 size, const struct load_target *t, struct image_info *info,
		  char *err, size_t errlen);
/* loader_place: copy a checked image into guest RAM (ram_host maps ram_ipa), zeroing the parts
 * of ELF segments that have no file data. */
void loader_place(const u8 *img, u32 size, const struct load_target *t, u8 *ram_host,
		  const struct image_info *info);

#endif
