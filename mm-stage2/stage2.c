/* The stage-2 memory module: the guest owns stage 1; the hypervisor maps guest RAM with LPAE
 * stage-2 tables (ARM ARM B3.6, "Stage 2 translation") tagged with the guest's VMID.
 * Options: stage2.fill=lazy|eager (map RAM on first touch or at boot),
 *          stage2.page=4k|2m (largest stage-2 mapping: 4 KiB pages or 2 MiB blocks). */
#include "hyp/console.h"
#include "hyp/mm.h"
#include "hyp/palloc.h"
#include "hyp/trap.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/lpae.h"
#include "tb/pt.h"
#include "tb/str.h"

#define STAGE2_COUNTERS(X)                                                                 \
	X(faults)                                                                          \
	X(fills_page)                                                                      \
	X(fills_block)                                                                     \
	X(fills_s1ptw)                                                                     \
	X(unbacked)                                                                        \
	X(tables)                                                                          \
	X(tlbi_allnsnh)
#define S2_ENUM_(name) S2_##name,
enum { STAGE2_COUNTERS(S2_ENUM_) };
DEFINE_COUNTER_BLOCK(stage2, "stage2", STAGE2_COUNTERS)

#define PAGE_SHIFT  12
#define BLOCK_SHIFT 21
#define VTTBR_VMID_SHIFT 48

static struct {
	bool eager;
	u32 max_shift; /* PAGE_SHIFT or BLOCK_SHIFT */
	struct pt_regime regime;
	struct vm *vm;
} s2 = {.eager = false, .max_shift = BLOCK_SHIFT};

/* Normal memory, write-back cacheable, inner shareable, read/write, executable. */
static u64 ram_attrs(void)
{
	return lpae_s2_attrs(LPAE_S2_MEMATTR_NORMAL_WB, LPAE_S2AP_RW, LPAE_SH_INNER, false);
}

/* Tables live in hypervisor memory, addressed by host PA (the Hyp MMU is off). */
static bool host_read(void *ctx UNUSED, paddr_t pa, unsigned bytes UNUSED, u64 *val)
{
	*val = *(const volatile u64 *)(uintptr_t)pa;
	return true;
}

static bool host_write(void *ctx UNUSED, paddr_t pa, unsigned bytes UNUSED, u64 val)
{
	*(volatile u64 *)(uintptr_t)pa = val;
	return true;
}

static paddr_t table_alloc(void *ctx UNUSED, u32 bytes)
{
	stage2_values[S2_tables]++;
	return palloc_pages((bytes + 4095) / 4096, 4096);
}

static const struct pt_mem s2_mem = {host_read, host_write, table_alloc, NULL};

static bool stage2_option(const char *key, size_t klen, const char *val, size_t vlen)
{
	if (klen == 4 && strncmp(key, "fill", 4) == 0) {
		if (vlen == 4 && strncmp(val, "lazy", 4) == 0) {
			s2.eager = false;
			return true;
		}
		if (vlen == 5 && strncmp(val, "eager", 5) == 0) {
			s2.eager = true;
			return true;
		}
		return false;
	}
	if (klen == 4 && strncmp(key, "page", 4) == 0) {
		if (vlen == 2 && strncmp(val, "4k", 2) == 0) {
			s2.max_shift = PAGE_SHIFT;
			return true;
		}
		if (vlen == 2 && strncmp(val, "2m", 2) == 0) {
			s2.max_shift = BLOCK_SHIFT;
			return true;
		}
		return false;
	}
	return false;
}

/* map: stage-2 map [ipa, ipa+size) of guest RAM; a failure is a hypervisor bug. */
static void map(paddr_t ipa, u64 size)
{
	paddr_t pa = s2.vm->ram_pa + (ipa - s2.vm->ram_ipa);
	enum pt_status st = pt_map(&s2.regime, &s2_mem, ipa, pa, size, ram_attrs(), s2.max_shift);
	if (st != PT_OK) {
		hyp_fatal("stage-2 map of IPA 0x%llx (+0x%llx) failed: %s",
			  (unsigned long long)ipa, (unsigned long long)size, pt_status_str(st));
	}
}

static int stage2_setup(struct vm *vm)
{
	s2.vm = vm;
	s2.regime.fmt = &pt_lpae_s2;
	s2.regime.ia_bits = 32; /* VTCR.T0SZ = 0: a 4 GiB IPA space, starting at level 1 */
	s2.regime.root = palloc_pages(1, 4096);
	if (s2.regime.root == 0) {
		return -1;
	}
	stage2_values[S2_tables]++;
	if (s2.eager) {
		map(vm->ram_ipa, vm->ram_size);
	}
	/* VTCR (B4.1.159): T0SZ=0, SL0=1 (start at level 1), table walks write-back cacheable
	 * and inner shareable. */
	write_vtcr(VTCR_RES1 | (1u << VTCR_SL0_SHIFT) | (RGN_WBWA << VTCR_IRGN0_SHIFT) |
		   (RGN_WBWA << VTCR_ORGN0_SHIFT) | (LPAE_SH_INNER << VTCR_SH0_SHIFT));
	write_vttbr(s2.regime.root | ((u64)vm->vmid << VTTBR_VMID_SHIFT));
	vm->hcr |= HCR_VM;
	/* The caller issues TLBIALLNSNH after installing HCR (VTTBR and HCR.VM changed). */
	stage2_values[S2_tlbi_allnsnh]++;
	return 0;
}

/* fill: map the page or block of RAM that holds ipa. Turning an invalid entry valid needs
 * no TLB maintenance: entries that fault are never cached (B3.10.2); the DSB makes the new
 * descriptor visible to the table walk that retries the access. */
static void fill(paddr_t ipa, bool s1ptw)
{
	u64 block = BIT64(s2.max_shift);
	paddr_t base = ALIGN_DOWN(ipa, (paddr_t)block);
	if (s2.max_shift == BLOCK_SHIFT && !vm_ipa_to_host(s2.vm, base, (u32)block)) {
		block = BIT64(PAGE_SHIFT); /* a partial block at the end of RAM */
		base = ALIGN_DOWN(ipa, (paddr_t)block);
	}
	map(base, block);
	dsb();
	stage2_values[block > BIT64(PAGE_SHIFT) ? S2_fills_block : S2_fills_page]++;
	if (s1ptw) {
		stage2_values[S2_fills_s1ptw]++;
	}
}

static enum trap_result stage2_trap(struct vcpu *v, u32 hsr)
{
	bool is_data = hsr_ec(hsr) == EC_DABT_LOW;
	u32 far = is_data ? read_hdfar() : read_hifar();
	paddr_t ipa = ((paddr_t)(read_hpfar() & HPFAR_FIPA_MASK) << HPFAR_FIPA_SHIFT) | (far & 0xfffu);
	u32 fsc = hsr & ISS_FSC_MASK;
	bool s1ptw = (hsr & ISS_DA_S1PTW) != 0; /* same bit in both abort syndromes */
	stage2_values[S2_faults]++;
	if (vm_ipa_is_ram(s2.vm, ipa)) {
		if ((fsc & FSC_TYPE_MASK) != FSC_TRANSLATION || s2.eager) {
			hyp_fatal("stage-2 fault on guest RAM at IPA 0x%llx that the module did not "
				  "expect (fill=%s)",
				  (unsigned long long)ipa, s2.eager ? "eager" : "lazy");
		}
		fill(ipa, s1ptw);
		return TRAP_HANDLED;
	}
	stage2_values[S2_unbacked]++;
	const struct guest_abort a = {
		.is_data = is_data,
		.is_write = is_data && (hsr & ISS_DA_WNR) != 0,
		.s1ptw = s1ptw,
		.va = far,
		.ipa = ipa,
		.hsr = hsr,
	};
	vm_emulate_unbacked(v, &a);
	return TRAP_HANDLED;
}

static bool stage2_va_to_ipa(struct vcpu *v UNUSED, u32 va, bool write UNUSED, paddr_t *ipa)
{
	return guest_s1_translate(va, ipa);
}

static const struct mm_module stage2_module = {
	.name = "stage2",
	.options_help = "  stage2.fill=lazy|eager  map guest RAM on first touch (default) or at boot\n"
			"  stage2.page=4k|2m       largest stage-2 mapping (default 2m)",
	.parse_option = stage2_option,
	.setup = stage2_setup,
	.ec_mask = BIT64(EC_DABT_LOW) | BIT64(EC_PABT_LOW),
	.trap = stage2_trap,
	.va_to_ipa = stage2_va_to_ipa,
	.counters = &stage2_block,
};
MM_MODULE(stage2_module);
