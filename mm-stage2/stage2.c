/* The stage-2 memory module: the guest owns stage 1; the hypervisor maps guest RAM with LPAE
 * stage-2 tables (ARM ARM B3.6, "Stage 2 translation") tagged with the guest's VMID.
 * Options: stage2.fill=lazy|eager (map RAM on first touch or at boot),
 *          stage2.page=4k|2m (largest stage-2 mapping: 4 KiB pages or 2 MiB blocks). */
#include "hyp/console.h"
#include "hyp/layout.h"
#include "hyp/mm.h"
#include "hyp/palloc.h"
#include "hyp/trap.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/lpae.h"
#include "tb/pt.h"
#include "tb/str.h"

/* Every stage-2 fault (trap.dabt + trap.pabt) is a page fill, a block fill, or an access
 * to non-RAM that the core counts as device emulation or an injected abort. */
#define STAGE2_COUNTERS(X)                                                                         \
	X(fills_page)                                                                              \
	X(fills_block)                                                                             \
	X(fills_s1ptw)                                                                             \
	X(tables)                                                                                  \
	X(tlbi_allnsnh)
#define S2_ENUM_(name) S2_##name,
enum { STAGE2_COUNTERS(S2_ENUM_) };
DEFINE_COUNTER_BLOCK(stage2, "stage2", STAGE2_COUNTERS)

#define PAGE_SHIFT	 12
#define BLOCK_SHIFT	 21
#define VTTBR_VMID_SHIFT 48

#define BLOCK_SIZE  (1u << BLOCK_SHIFT)
#define MAX_REGIONS (GUEST_MEM_MAX >> BLOCK_SHIFT)
/* The first GiB of IPA space holds devices and never RAM. */
#define DEVICE_GIB_END	   (1u << 30)
#define FSC_TRANSLATION_L1 (FSC_TRANSLATION | 1u)
_Static_assert(GUEST_RAM_IPA >= DEVICE_GIB_END, "guest RAM starts above the device GiB");

static struct {
	bool eager;
	u32 max_shift; /* PAGE_SHIFT or BLOCK_SHIFT */
	struct pt_regime regime;
	u64 attrs; /* leaf attributes of guest RAM */
	struct vm *vm;
	/* For each 2 MiB region of guest RAM mapped with pages, its level-3 table (host PA),
	 * or 0: a lazy page fill then writes one descriptor instead of walking three levels. */
	u32 l3_table[MAX_REGIONS];
} s2 = {.eager = false, .max_shift = BLOCK_SHIFT};

/* Normal memory, write-back cacheable, inner shareable, read/write, executable. */
static u64 ram_attrs(void)
{
	return lpae_s2_attrs(LPAE_S2_MEMATTR_NORMAL_WB, LPAE_S2AP_RW, LPAE_SH_INNER, false);
}

static paddr_t table_alloc(void *ctx UNUSED, u32 bytes)
{
	counter_inc(&stage2_values[S2_tables]);
	return palloc_pages((bytes + 4095) / 4096, 4096);
}

/* Tables live in hypervisor memory, addressed by host PA (the Hyp MMU is off). */
static const struct pt_mem s2_mem = {.direct = true, .alloc_table = table_alloc};

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
static void map(u32 ipa, u32 size)
{
	u32 pa = s2.vm->ram_pa + (ipa - s2.vm->ram_ipa);
	enum pt_status st = pt_map(&s2.regime, &s2_mem, ipa, pa, size, s2.attrs, s2.max_shift);
	if (st != PT_OK) {
		hyp_fatal("stage-2 map of IPA 0x%08x (+0x%x) failed: %s", ipa, size,
			  pt_status_str(st));
	}
}

static int stage2_setup(struct vm *vm)
{
	s2.vm = vm;
	s2.attrs = ram_attrs();
	memset(s2.l3_table, 0, sizeof(s2.l3_table));
	/* VTCR.T0SZ = 0: a 4 GiB IPA space, starting at level 1. */
	pt_regime_init(&s2.regime, &pt_lpae_s2, palloc_pages(1, 4096), 32);
	if (s2.regime.root == 0) {
		return -1;
	}
	counter_inc(&stage2_values[S2_tables]);
	/* The device GiB's level-1 entry points to an empty level-2 table: a genuine fault
	 * there is then a level-2 translation fault, and a level-1 one can only be QEMU's
	 * truncated report of an IPA above 4 GiB (odd_fault). */
	paddr_t device_table = palloc_pages(1, 4096);
	if (device_table == 0) {
		return -1;
	}
	*(volatile u64 *)(uintptr_t)s2.regime.root = pt_lpae_s2.make_table(device_table);
	counter_inc(&stage2_values[S2_tables]);
	if (s2.eager) {
		map(vm->ram_ipa, vm->ram_size);
	}
	/* VTCR (B4.1.159): T0SZ=0, SL0=1 (start at level 1). The walks are non-cacheable: the
	 * hypervisor writes descriptors with its MMU off (strongly ordered), and a cacheable
	 * walk could keep reading a stale line on hardware (A3.5.7). */
	write_vtcr(VTCR_RES1 | (1u << VTCR_SL0_SHIFT) | (RGN_NC << VTCR_IRGN0_SHIFT) |
		   (RGN_NC << VTCR_ORGN0_SHIFT) | (LPAE_SH_INNER << VTCR_SH0_SHIFT));
	write_vttbr(s2.regime.root | ((u64)vm->vmid << VTTBR_VMID_SHIFT));
	vm->hcr |= HCR_VM;
	/* The caller issues TLBIALLNSNH after installing HCR (VTTBR and HCR.VM changed). */
	counter_inc(&stage2_values[S2_tlbi_allnsnh]);
	return 0;
}

/* first_page_of_region: map the page at ipa with the generic builder (which creates the
 * level-3 table) and remember that table for the region's later fills. */
static __attribute__((noinline)) void first_page_of_region(u32 ipa, u32 region)
{
	struct pt_walk w;
	map(ALIGN_DOWN(ipa, 4096u), 4096);
	pt_walk(&s2.regime, &s2_mem, ipa, &w);
	HYP_ASSERT(w.status == PT_OK && w.level == 3);
	s2.l3_table[region] = (u32)ALIGN_DOWN(w.desc_pa[2], (paddr_t)4096);
}

/* fill_page: map the 4 KiB page of RAM at ipa, through the region's level-3 table. */
static void fill_page(u32 ipa)
{
	u32 region = (ipa - s2.vm->ram_ipa) >> BLOCK_SHIFT;
	u32 table = s2.l3_table[region];
	if (table == 0) {
		first_page_of_region(ipa, region);
		return;
	}
	volatile u64 *desc = (volatile u64 *)(uintptr_t)(table + ((ipa >> PAGE_SHIFT) & 511u) * 8u);
	HYP_ASSERT((*desc & LPAE_VALID) == 0); /* checked by stage2_trap */
	*desc = pt_lpae_s2.make_leaf(s2.vm->ram_pa + (ALIGN_DOWN(ipa, 4096u) - s2.vm->ram_ipa), 2,
				     s2.attrs);
}

/* fill: map the page or block of RAM that holds ipa. Turning an invalid entry valid needs
 * no TLB maintenance: entries that fault are never cached (B3.10.2); the DSB makes the new
 * descriptor visible to the table walk that retries the access. */
static void fill(u32 ipa, bool s1ptw)
{
	u32 base = ALIGN_DOWN(ipa, BLOCK_SIZE);
	if (s2.max_shift == BLOCK_SHIFT && base - s2.vm->ram_ipa <= s2.vm->ram_size - BLOCK_SIZE) {
		map(base, BLOCK_SIZE);
		counter_inc(&stage2_values[S2_fills_block]);
	} else {
		fill_page(ipa); /* 4 KiB pages, or a partial block at the end of RAM */
		counter_inc(&stage2_values[S2_fills_page]);
	}
	dsb();
	if (s1ptw) {
		counter_inc(&stage2_values[S2_fills_s1ptw]);
	}
}

/* mapped: does stage 2 already map the IPA (a fault there is not a missing entry)? */
static __attribute__((noinline)) bool mapped(u32 ipa)
{
	if (s2.max_shift == PAGE_SHIFT ||
	    ipa - s2.vm->ram_ipa >= ALIGN_DOWN(s2.vm->ram_size, BLOCK_SIZE)) {
		u32 table = s2.l3_table[(ipa - s2.vm->ram_ipa) >> BLOCK_SHIFT];
		if (table != 0) {
			u64 d =
			    *(volatile u64 *)(uintptr_t)(table + ((ipa >> PAGE_SHIFT) & 511u) * 8u);
			return (d & LPAE_VALID) != 0;
		}
	}
	struct pt_walk w;
	return pt_walk(&s2.regime, &s2_mem, ipa, &w) == PT_OK;
}

/* IPA_ABOVE_4G: an IPA known only to lie above 4 GiB (QEMU lost its bits [39:32]): never
 * RAM, never a device. */
#define IPA_ABOVE_4G(ipa) (BIT64(32) | (ipa))

/* odd_fault: a stage-2 fault that is neither a missing entry of guest RAM nor an access to
 * a non-RAM IPA. QEMU 7.2 reports HPFAR without IPA[39:32] when the guest's stage 1
 * produced an IPA above 4 GiB (beyond the stage-2 input range, VTCR.T0SZ = 0): the fault
 * then seems to hit mapped RAM, or to be a level-1 fault in the device GiB (impossible
 * otherwise: see stage2_setup). Such an IPA is never RAM or a device: a data or instruction
 * access gets its true IPA from the guest's own tables, a stage-1 table walk the external
 * abort on the walk. */
static __attribute__((noinline)) void odd_fault(struct vcpu *v, u32 hsr, u32 ipa, u32 far)
{
	paddr_t real;
	if ((hsr & ISS_DA_S1PTW) != 0) {
		vm_emulate_unbacked(v, hsr, IPA_ABOVE_4G(ipa), far);
		return;
	}
	if (guest_s1_translate(far, &real) && (real >> 32) != 0) {
		vm_emulate_unbacked(v, hsr, real, far);
		return;
	}
	hyp_fatal("stage-2 fault (FSC 0x%02x) at IPA 0x%08x that the module did not expect "
		  "(fill=%s)",
		  hsr & ISS_FSC_MASK, ipa, s2.eager ? "eager" : "lazy");
}

static void stage2_trap(struct vcpu *v, u32 hsr)
{
	bool is_data = hsr_ec(hsr) == EC_DABT_LOW;
	u32 far = is_data ? read_hdfar() : read_hifar();
	/* HPFAR[31:4] holds IPA[39:12] (B4.1.71). A guest's LPAE stage 1 can produce IPAs above
	 * 4 GiB, outside the 32-bit stage-2 input range (VTCR.T0SZ = 0): never RAM. */
	u32 hpfar = read_hpfar();
	u32 ipa = ((hpfar & HPFAR_FIPA_MASK) << HPFAR_FIPA_SHIFT) | (far & PAGE_OFFSET_MASK);
	bool s1ptw = (hsr & ISS_DA_S1PTW) != 0; /* same bit in both abort syndromes */
	if ((hpfar >> HPFAR_IPA_HIGH_SHIFT) != 0) {
		vm_emulate_unbacked(v, hsr, ((paddr_t)(hpfar >> HPFAR_IPA_HIGH_SHIFT) << 32) | ipa,
				    far);
		return;
	}
	if (ipa < DEVICE_GIB_END) {
		/* A device (the hot path of device emulation), unassigned, or a level-1 fault:
		 * an IPA above 4 GiB that QEMU truncated. */
		if ((hsr & ISS_FSC_MASK) == FSC_TRANSLATION_L1) {
			odd_fault(v, hsr, ipa, far);
			return;
		}
		vm_emulate_unbacked(v, hsr, ipa, far);
		return;
	}
	if (ipa - s2.vm->ram_ipa < s2.vm->ram_size) {
		if ((hsr & FSC_TYPE_MASK) != FSC_TRANSLATION || s2.eager || mapped(ipa)) {
			odd_fault(v, hsr, ipa, far);
			return;
		}
		fill(ipa, s1ptw);
		return;
	}
	vm_emulate_unbacked(v, hsr, ipa, far);
}

static bool stage2_va_to_ipa(struct vcpu *v UNUSED, u32 va, bool write UNUSED, paddr_t *ipa)
{
	return guest_s1_translate(va, ipa);
}

static const struct mm_trap stage2_traps[] = {
    {EC_DABT_LOW, stage2_trap},
    {EC_PABT_LOW, stage2_trap},
    {0, NULL},
};

static const struct mm_module stage2_module = {
    .name = "stage2",
    .options_help = "  stage2.fill=lazy|eager  map guest RAM on first touch (default) or at boot\n"
		    "  stage2.page=4k|2m       largest stage-2 mapping (default 2m)",
    .parse_option = stage2_option,
    .setup = stage2_setup,
    .traps = stage2_traps,
    .va_to_ipa = stage2_va_to_ipa,
    .counters = &stage2_block,
};
MM_MODULE(stage2_module);
