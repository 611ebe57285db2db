/* The guest machine: its memory map and its (re)boot. */
#include "hyp/vm.h"
#include "hyp/console.h"
#include "hyp/core_counters.h"
#include "hyp/guest_dtb.h"
#include "hyp/layout.h"
#include "hyp/loader.h"
#include "hyp/mm.h"
#include "hyp/palloc.h"
#include "hyp/trap.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/fdt.h"
#include "tb/pt.h"
#include "tb/str.h"

struct vm hyp_vm;
struct vcpu hyp_vcpu;

void *vm_ipa_to_host(const struct vm *vm, paddr_t ipa, u32 len)
{
	if (!vm_ipa_is_ram(vm, ipa) || len > vm->ram_size ||
	    (u32)ipa - vm->ram_ipa > vm->ram_size - len) {
		return NULL;
	}
	return (void *)(uintptr_t)(vm->ram_pa + ((u32)ipa - vm->ram_ipa));
}

/* Core trap configuration (B4.1.65): SMC traps (PSCI over SMC, HCR.TSC), WFI traps (the
 * guest has no interrupt source, HCR.TWI). Modules add their own bits. */
#define HCR_CORE (HCR_TSC | HCR_TWI)

void vm_boot(struct vm *vm, struct vcpu *v)
{
	const struct load_target target = {vm->ram_ipa, vm->ram_size - GUEST_DTB_MAX};
	struct image_info info;
	char err[160];
	const u8 *image = (const u8 *)(uintptr_t)vm->image_pa;
	/* Instructions spent (re)building the guest are counted apart from trap handling. */
	u64 mark = counters_hyp_mark();
	vm->boots++;
	core_count(CORE_boots);
	if (!loader_check(image, vm->image_size, &target, &info, err, sizeof(err))) {
		hyp_bad_input("%s", err);
	}
	loader_place(image, vm->image_size, &target, vm_ipa_to_host(vm, vm->ram_ipa, vm->ram_size),
		     &info);
	vm->entry_ipa = info.entry_ipa;
	vm->dtb_ipa = vm->ram_ipa + vm->ram_size - GUEST_DTB_MAX;
	const struct guest_dtb_params dp = {
	    .ram_ipa = vm->ram_ipa,
	    .ram_size = vm->ram_size,
	    .bootargs = vm->cmdline,
	    .bootargs_len = strlen(vm->cmdline),
	    .mm_name = vm->mm->name,
	    .uart_ipa = PL011_IPA,
	};
	int dtb =
	    guest_dtb_build(vm_ipa_to_host(vm, vm->dtb_ipa, GUEST_DTB_MAX), GUEST_DTB_MAX, &dp);
	if (dtb < 0) {
		hyp_bad_input("cannot build the guest DTB: %s (command line too long?)",
			      fdt_strerror(dtb));
	}

	/* The vCPU first, so that the module sets up from the guest's reset state. */
	vcpu_reset(v, vm->entry_ipa, vm->dtb_ipa);
	/* Walks of the guest's tables read guest RAM directly. */
	if (!pt_mem_window(&vm_guest_mem, vm->ram_ipa, vm->ram_size, vm->ram_pa)) {
		hyp_fatal("guest RAM at IPA 0x%08x (%u MiB) reaches above 4 GiB", vm->ram_ipa,
			  vm->ram_size / MiB);
	}
	/* Rebuild the guest's translation from nothing: a reset forgets every mapping. */
	palloc_free_all();
	vm->hcr = HCR_CORE;
	vm->hstr = 0;
	int rc = vm->mm->setup(vm);
	if (rc != 0) {
		hyp_fatal("memory module %s failed to set up the guest (%d)", vm->mm->name, rc);
	}
	write_hcr(vm->hcr);
	write_hstr(vm->hstr);
	isb();
	/* Entries of the previous boot (or of the firmware) must not survive (B3.10.4). */
	dsb();
	tlbi_allnsnh();
	dsb();
	isb();
	hyp_printf("[hyp] boot %u: %s guest, entry 0x%08x, DTB at 0x%08x, %u MiB RAM, mm=%s\n",
		   vm->boots, info.is_elf ? "ELF" : "raw", vm->entry_ipa, vm->dtb_ipa,
		   vm->ram_size / MiB, vm->mm->name);
	counters_hyp_move(mark, CORE_hyp_boot_instructions);
}
