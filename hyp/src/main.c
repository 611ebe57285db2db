/* Hypervisor start-up: read QEMU's DTB and the command line, check the guest, choose the
 * memory module, boot the guest. */
#include "hyp/console.h"
#include "hyp/core_counters.h"
#include "hyp/integrity.h"
#include "hyp/layout.h"
#include "hyp/mm.h"
#include "hyp/options.h"
#include "hyp/palloc.h"
#include "hyp/pmu.h"
#include "hyp/trap.h"
#include "hyp/vm.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/fdt.h"
#include "tb/str.h"

#define DEFAULT_GUEST_MEM (256u * MiB)

extern char __hyp_end[];
void hyp_enter_guest(struct trap_frame *tf) __attribute__((noreturn));

/* The frame the guest is first entered from (copied to the stack by hyp_enter_guest). */
static struct trap_frame boot_frame;

/* host_ram: the host RAM that QEMU's DTB describes. */
static void host_ram(const void *dtb, u64 *base, u64 *size)
{
	int mem = fdt_path_offset(dtb, "/memory");
	if (mem < 0 || fdt_first_reg(dtb, 0, mem, base, size) != FDT_OK) {
		hyp_bad_input("the DTB at 0x%08x has no usable /memory node", HOST_DTB_BASE);
	}
}

/* choose_module: the module named by mm=, with its options applied. */
static const struct mm_module *choose_module(const struct hyp_options *o)
{
	char names[128];
	const struct mm_module *mm = mm_find(o->mm_name, o->mm_len);
	if (mm == NULL) {
		char want[32];
		size_t n = o->mm_len < sizeof(want) - 1 ? o->mm_len : sizeof(want) - 1;
		memcpy(want, o->mm_name, n);
		want[n] = 0;
		mm_list(names, sizeof(names));
		hyp_bad_input("unknown memory module mm=%s (available: %s)", want, names);
	}
	for (u32 i = 0; i < o->n_module_opts; i++) {
		const struct opt_kv *kv = &o->module_opts[i];
		if (mm->parse_option == NULL ||
		    !mm->parse_option(kv->key, kv->klen, kv->val, kv->vlen)) {
			char key[48];
			size_t n = kv->klen < sizeof(key) - 1 ? kv->klen : sizeof(key) - 1;
			memcpy(key, kv->key, n);
			key[n] = 0;
			hyp_bad_input("bad option %s.%s for module %s; valid:\n%s", mm->name, key,
				      mm->name, mm->options_help);
		}
	}
	return mm;
}

/* check_layout: guest RAM and the staged image must fit in host RAM without overlapping. */
static void check_layout(const struct hyp_options *o, u64 ram_base, u64 ram_size, u32 mem)
{
	u64 ram_end = ram_base + ram_size;
	u64 guest_end = (u64)GUEST_HOST_BASE + mem;
	if (mem < GUEST_MEM_MIN || mem > GUEST_MEM_MAX || !IS_ALIGNED(mem, MiB)) {
		hyp_bad_input("mem=%llu bytes: guest RAM must be a whole number of MiB from %u to "
			      "%u MiB",
			      (unsigned long long)o->mem_bytes, GUEST_MEM_MIN / MiB,
			      GUEST_MEM_MAX / MiB);
	}
	if (guest_end > ram_end) {
		hyp_bad_input("guest RAM of %u MiB does not fit in host RAM (ends at 0x%llx, "
			      "needs 0x%llx)",
			      mem / MiB, (unsigned long long)ram_end,
			      (unsigned long long)guest_end);
	}
	if (!o->have_image) {
		hyp_bad_input("no guest image: give image=<address>,<bytes>");
	}
	if (o->image_pa < guest_end || o->image_size > ram_end ||
	    o->image_pa > ram_end - o->image_size) {
		hyp_bad_input("the staged guest image (0x%llx, %llu bytes) must lie in host RAM "
			      "above guest RAM (0x%llx..0x%llx)",
			      (unsigned long long)o->image_pa, (unsigned long long)o->image_size,
			      (unsigned long long)guest_end, (unsigned long long)ram_end);
	}
}

void hyp_main(u32 cpsr) __attribute__((noreturn));
/* hyp_main: called once from entry.S with the CPSR it was entered with. */
void hyp_main(u32 cpsr)
{
	struct hyp_options opt;
	char err[160];
	u64 ram_base, ram_size;
	const void *dtb = (const void *)(uintptr_t)HOST_DTB_BASE;

	hyp_printf("[hyp] testbed hypervisor starting\n");
	if ((cpsr & PSR_MODE_MASK) != PSR_MODE_HYP) {
		hyp_bad_input("entered in mode 0x%x, not Hyp mode: run QEMU with "
			      "-M virt,virtualization=on",
			      cpsr & PSR_MODE_MASK);
	}
	/* Hyp control state is set here, not inherited from firmware: MMU and caches off,
	 * A32 little-endian exceptions, no coprocessor traps, the physical timer and counter
	 * available to the guest as natively, no virtual counter offset. */
	write_hsctlr(read_hsctlr() &
		     ~(HSCTLR_M | HSCTLR_A | HSCTLR_C | HSCTLR_WXN | HSCTLR_EE | HSCTLR_TE));
	write_hcptr(read_hcptr() & ~(HCPTR_TCP10 | HCPTR_TCP11 | HCPTR_TASE | HCPTR_TTA));
	write_cnthctl(CNTHCTL_PL1PCTEN | CNTHCTL_PL1PCEN);
	write_cntvoff(0);
	isb();
	int rc = fdt_check(dtb, HOST_DTB_MAX);
	if (rc != FDT_OK) {
		hyp_bad_input("no valid DTB at 0x%08x: %s", HOST_DTB_BASE, fdt_strerror(rc));
	}
	host_ram(dtb, &ram_base, &ram_size);
	const char *bootargs = fdt_getprop_string(dtb, fdt_path_offset(dtb, "/chosen"), "bootargs");
	if (!options_parse(bootargs, &opt, err, sizeof(err))) {
		hyp_bad_input("hypervisor command line: %s", err);
	}
	u32 mem = opt.mem_bytes != 0 ? (u32)(opt.mem_bytes > ~0u ? ~0u : opt.mem_bytes)
				     : DEFAULT_GUEST_MEM;
	check_layout(&opt, ram_base, ram_size, mem);

	struct vm *vm = &hyp_vm;
	vm->mm = choose_module(&opt);
	vm->ram_ipa = GUEST_RAM_IPA;
	vm->ram_size = mem;
	vm->ram_pa = GUEST_HOST_BASE;
	vm->vmid = 1;
	vm->image_pa = opt.image_pa;
	vm->image_size = (u32)opt.image_size;
	/* The guest command line is the tail of QEMU's DTB, which stays untouched. */
	vm->cmdline = opt.guest_cmdline;

	palloc_init(ALIGN_UP((paddr_t)(uintptr_t)__hyp_end, (paddr_t)4096), HYP_RESERVED_END);
	pmu_init();
	integrity_init();
	counters_register(&core_block);
	counters_register(&trap_block);
	if (vm->mm->counters != NULL) {
		counters_register(vm->mm->counters);
	}
	trap_init(vm->mm);
	hyp_vcpu.tf = &boot_frame;
	vm_boot(vm, &hyp_vcpu);
	hyp_vcpu.tf = NULL;
	hyp_enter_guest(&boot_frame);
}
