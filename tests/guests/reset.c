/* Boots, asks PSCI for SYSTEM_RESET, and on the second boot (seen through a marker in RAM
 * outside its image, which a reset does not clear) powers off with PSCI SYSTEM_OFF. */
#include "rt.h"
#include "tb/hcall.h"

#define MARKER_MAGIC 0xb0075eedu

int main(void)
{
	/* A quarter into RAM: past the image, and clear of where a boot puts the DTB (QEMU's
	 * loader at half of RAM, up to 128 MiB in; the hypervisor at its end), which a reset
	 * writes again. */
	volatile u32 *marker = (volatile u32 *)(uintptr_t)(rt_ram_base() + rt_ram_size() / 4);
	if (*marker != MARKER_MAGIC) {
		*marker = MARKER_MAGIC;
		rt_printf("reset: first boot, asking for SYSTEM_RESET\n");
		rt_hvc(PSCI_SYSTEM_RESET, 0, 0, 0);
		rt_printf("reset: SYSTEM_RESET returned\n");
		return 1;
	}
	*marker = 0;
	rt_printf("reset: second boot, SYSTEM_OFF\n");
	rt_hvc(PSCI_SYSTEM_OFF, 0, 0, 0);
	rt_printf("reset: SYSTEM_OFF returned\n");
	return 1;
}
