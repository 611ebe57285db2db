/* The guest machine as the core knows it: its RAM, its image, its boot state. The core owns
 * the guest memory map (IPA -> host PA); memory modules ask it, never the other way round. */
#ifndef HYP_VM_H
#define HYP_VM_H

#include "hyp/vcpu.h"
#include "tb/types.h"

struct mm_module;

struct vm {
	/* Guest RAM. The hypervisor runs with its MMU off, so every host address it manages
	 * is below 4 GiB; guest RAM IPAs are too (VTCR.T0SZ = 0). */
	u32 ram_ipa;  /* GUEST_RAM_IPA */
	u32 ram_size; /* bytes */
	u32 ram_pa;   /* host PA of the first byte of guest RAM */
	u32 vmid;
	const struct mm_module *mm;
	u32 hcr; /* trap configuration: core bits | module bits */
	u32 hstr;
	/* Boot. */
	paddr_t image_pa; /* staging copy of the guest image (host PA) */
	u32 image_size;
	const char *cmdline; /* the guest's command line */
	u32 entry_ipa;
	u32 dtb_ipa;
	u32 boots; /* 1 on first boot, +1 per PSCI SYSTEM_RESET */
};

extern struct vm hyp_vm;
extern struct vcpu hyp_vcpu;

/* vm_ipa_to_host: host pointer for [ipa, ipa+len) if it lies wholly in guest RAM, else NULL. */
void *vm_ipa_to_host(const struct vm *vm, paddr_t ipa, u32 len);
/* vm_ipa_is_ram: does ipa lie in guest RAM? */
static inline bool vm_ipa_is_ram(const struct vm *vm, paddr_t ipa)
{
	return (ipa >> 32) == 0 && (u32)ipa - vm->ram_ipa < vm->ram_size;
}
/* vm_boot: (re)load the image, write the DTB, set up the memory module, reset the vCPU. */
void vm_boot(struct vm *vm, struct vcpu *v);

#endif
