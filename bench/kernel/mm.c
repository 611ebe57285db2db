/* Memory management of the benchmark guest: the kernel's tables (TTBR1), processes with
 * their own tables and ASIDs (TTBR0), demand paging, copy-on-write, map/unmap/protect.
 *
 * Every table change is followed by the maintenance the ARM ARM requires (ARM DDI 0406C.d,
 * B3.10 "TLB maintenance requirements", B3.10.4 "Synchronization of changes of ASID and
 * TTBR"); this is a uniprocessor guest, so the non-shareable TLB operations suffice:
 *   invalid -> valid:  write; DSB (the walk must see the entry). No TLB maintenance: an
 *                      entry that faults is never held in a TLB (B3.10.2).
 *   valid -> invalid:  write; DSB; TLBIMVA (address + ASID); DSB; ISB. Only then is the
 *                      old frame free for reuse.
 *   valid -> valid, permissions only: the same sequence as valid -> invalid.
 *   valid -> valid, new output address (copy-on-write): break-before-make: the entry is
 *                      made invalid with the sequence above before the new one is written.
 *   ASID reuse:        TLBIASID when a process is destroyed, before its ASID is reused.
 *   context switch:    LPAE: one 64-bit TTBR0 write (base + ASID), ISB. Short format:
 *                      CONTEXTIDR <- reserved ASID 0; ISB; TTBR0; ISB; CONTEXTIDR <- ASID;
 *                      ISB (B3.10.4, so no walk mixes the old ASID with the new table). */
#include "kernel.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/lpae.h"
#include "tb/str.h"

#define MAX_PROCS     64
#define ASID_RESERVED 0u /* never given to a process: used during switches */

struct mm_config mmcfg = {&pt_short, 2};
struct frames kframes;
struct kstats kstats;
struct proc *current;

static struct pt_regime kregime; /* TTBR1: the kernel */
static u32 empty_ttbr0;		 /* a TTBR0 table with no entries (no process running) */
static struct proc procs[MAX_PROCS];
static u32 next_pid = 1;

/* ---- tables ---- */

/* table_alloc: a zeroed frame for a table (tables of 1 or 2 KiB get a whole frame). */
static paddr_t table_alloc(void *ctx UNUSED, u32 bytes)
{
	KASSERT(bytes <= FRAME_SIZE);
	u32 pa = frames_alloc(&kframes);
	if (pa != 0) {
		memset((void *)(uintptr_t)pa, 0, FRAME_SIZE);
	}
	return pa;
}

/* The kernel maps all RAM at its physical addresses: tables are written through PA. */
static const struct pt_mem tmem = {.direct = true, .alloc_table = table_alloc};

static void map_or_panic(const struct pt_regime *r, u32 va, u32 pa, u32 size, u32 prot,
			 u32 max_shift)
{
	enum pt_status st = pt_map(r, &tmem, va, pa, size, prot_attrs(r->fmt, prot), max_shift);
	if (st != PT_OK) {
		kpanic("map of 0x%08x -> 0x%08x (+0x%x) failed: %s", va, pa, size,
		       pt_status_str(st));
	}
}

/* section_shift: the largest leaf of the format below the 1 GiB block: 1 MiB / 2 MiB. */
static u32 section_shift(void)
{
	return mmcfg.fmt == &pt_short ? 20 : 21;
}

/* ---- TLB maintenance (B4.2.2) ---- */

void tlb_inv_va(u32 va, u32 asid)
{
	tlbi_mva((va & ~PAGE_OFFSET_MASK) | asid);
	kstats.tlbi_va++;
}

void tlb_inv_va_all_asids(u32 va)
{
	tlbi_mvaa(va & ~PAGE_OFFSET_MASK);
	kstats.tlbi_va++;
}

void tlb_inv_asid(u32 asid)
{
	tlbi_asid(asid);
	kstats.tlbi_asid++;
}

void tlb_inv_all(void)
{
	tlbi_all();
	kstats.tlbi_all++;
}

/* retire_entry: the maintenance after a valid entry of va (ASID asid) changed. */
static void retire_entry(u32 va, u32 asid)
{
	dsb();
	tlb_inv_va(va, asid);
	dsb();
	isb();
}

/* ---- the kernel's address space ---- */

u32 mm_user_top(void)
{
	return (u32)(BIT64(32) >> mmcfg.split);
}

static bool lpae(void)
{
	return mmcfg.fmt == &pt_lpae_s1;
}

void mm_init(void)
{
	KASSERT(mmcfg.split == 2 || mmcfg.split == 3);
	KASSERT(boot.ram_base >= mm_user_top());
	/* TTBR1: short format always uses a full 16 KiB first-level table (B3.5.4); LPAE with
	 * T1SZ = 0 a four-entry first level. */
	u32 root = lpae() ? table_alloc(NULL, FRAME_SIZE) : frames_alloc_run(&kframes, 4, 16 * KiB);
	KASSERT(root != 0);
	memset((void *)(uintptr_t)root, 0, lpae() ? FRAME_SIZE : 16 * KiB);
	pt_regime_init(&kregime, mmcfg.fmt, root, 32);
	map_or_panic(&kregime, boot.ram_base, boot.ram_base, boot.ram_size,
		     PERM_READ | PERM_WRITE | PERM_EXEC, section_shift());
	map_or_panic(&kregime, KERNEL_UART_VA, 0x09000000u, FRAME_SIZE,
		     PERM_READ | PERM_WRITE | PERM_DEVICE, 12);
	empty_ttbr0 = table_alloc(NULL, FRAME_SIZE);
	KASSERT(empty_ttbr0 != 0);

	if (lpae()) {
		write_prrr(BENCH_MAIR0); /* MAIR0 */
		write_ttbcr(
		    TTBCR_EAE | (mmcfg.split << LPAE_TTBCR_T0SZ_SHIFT) |
		    (RGN_WBWA << LPAE_TTBCR_IRGN0_SHIFT) | (RGN_WBWA << LPAE_TTBCR_ORGN0_SHIFT) |
		    (LPAE_SH_INNER << LPAE_TTBCR_SH0_SHIFT) | (RGN_WBWA << LPAE_TTBCR_IRGN1_SHIFT) |
		    (RGN_WBWA << LPAE_TTBCR_ORGN1_SHIFT) | (LPAE_SH_INNER << LPAE_TTBCR_SH1_SHIFT));
		write_ttbr1_64(root);
		write_ttbr0_64(empty_ttbr0);
	} else {
		write_ttbcr(mmcfg.split);
		write_ttbr1(root | SD_TTBR_RGN_WBWA | SD_TTBR_IRGN_WBWA);
		write_ttbr0(empty_ttbr0 | SD_TTBR_RGN_WBWA | SD_TTBR_IRGN_WBWA);
		write_contextidr(ASID_RESERVED);
		write_dacr(BENCH_DACR);
	}
	/* The TLB contents are unknown at reset: invalidate before enabling (B3.10.1). */
	dsb();
	tlb_inv_all();
	dsb();
	isb();
	write_sctlr((read_sctlr() | SCTLR_M | SCTLR_C | SCTLR_I | SCTLR_Z) & ~SCTLR_A);
	isb();
	console_use_va();
}

/* ---- processes ---- */

static struct vma *find_vma(struct proc *p, u32 va)
{
	for (u32 i = 0; i < p->nvma; i++) {
		if (va >= p->vma[i].start && va < p->vma[i].end) {
			return &p->vma[i];
		}
	}
	return NULL;
}

/* hold_frames / release_frames: references for every frame a leaf maps. */
static void hold_frames(u32 pa, u32 size)
{
	for (u32 a = pa; a < pa + size; a += FRAME_SIZE) {
		frames_get(&kframes, a);
	}
}

static void release_frames(u32 pa, u32 size)
{
	for (u32 a = pa; a < pa + size; a += FRAME_SIZE) {
		frames_put(&kframes, a);
	}
}

void proc_add_vma(struct proc *p, u32 start, u32 size, u32 prot, u32 fixed_pa, u32 leaf_shift)
{
	KASSERT(p->nvma < VMA_MAX);
	KASSERT(IS_ALIGNED(start | size, BIT(leaf_shift)) && start + size <= mm_user_top());
	struct vma *v = &p->vma[p->nvma++];
	*v = (struct vma){start, start + size, prot | PERM_USER, fixed_pa, leaf_shift};
	if (fixed_pa != 0) {
		map_or_panic(&p->regime, start, fixed_pa, size, v->prot, leaf_shift);
		hold_frames(fixed_pa, size);
		dsb();
	}
}

struct proc *proc_create(void)
{
	struct proc *p = NULL;
	for (u32 i = 0; i < MAX_PROCS; i++) {
		if (!procs[i].used) {
			p = &procs[i];
			memset(p, 0, sizeof(*p));
			p->asid = i + 1;
			break;
		}
	}
	if (p == NULL) {
		kpanic("no free process slot (at most %d processes)", MAX_PROCS);
	}
	u32 root = table_alloc(NULL, FRAME_SIZE);
	if (root == 0) {
		kpanic("out of memory for a page table");
	}
	p->used = true;
	p->pid = next_pid++;
	pt_regime_init(&p->regime, mmcfg.fmt, root, 32 - mmcfg.split);
	proc_add_vma(p, USER_CODE_VA, boot.user_code_size, PERM_READ | PERM_EXEC, boot.user_code_pa,
		     12);
	proc_add_vma(p, USER_STACK_VA, USER_STACK_SZ, PERM_READ | PERM_WRITE, 0, 12);
	return p;
}

/* leaf_level: the level index of a user leaf of size 1 << size_shift (page or section). */
static unsigned leaf_level(u32 size_shift)
{
	return size_shift == FRAME_SHIFT ? mmcfg.fmt->nlevels - 1u : mmcfg.fmt->nlevels - 2u;
}

/* leaf_base: the physical address a user leaf maps. */
static u32 leaf_base(u64 desc, u32 size_shift)
{
	u32 shift;
	return (u32)pt_leaf_out(mmcfg.fmt, desc, leaf_level(size_shift), &shift);
}

static void release_leaf(void *ctx UNUSED, u64 ia UNUSED, paddr_t desc_pa UNUSED, u64 desc,
			 u32 size_shift)
{
	release_frames(leaf_base(desc, size_shift), BIT(size_shift));
}

static void release_table(void *ctx UNUSED, paddr_t table, u32 bytes UNUSED)
{
	frames_put(&kframes, (u32)table);
}

void proc_destroy(struct proc *p)
{
	KASSERT(p->used);
	if (current == p) {
		current = NULL;
		mm_switch(NULL);
	}
	const struct pt_visitor v = {release_leaf, release_table, NULL};
	enum pt_status st = pt_visit(&p->regime, &tmem, &v);
	KASSERT(st == PT_OK);
	frames_put(&kframes, (u32)p->regime.root);
	/* The ASID will be reused: none of its entries may survive. */
	dsb();
	tlb_inv_asid(p->asid);
	dsb();
	isb();
	p->used = false;
}

void mm_switch(struct proc *p)
{
	u32 root = p != NULL ? (u32)p->regime.root : empty_ttbr0;
	u32 asid = p != NULL ? p->asid : ASID_RESERVED;
	if (lpae()) {
		write_ttbr0_64(root | ((u64)asid << LPAE_TTBR_ASID_SHIFT));
		isb();
	} else {
		write_contextidr(ASID_RESERVED);
		isb();
		write_ttbr0(root | SD_TTBR_RGN_WBWA | SD_TTBR_IRGN_WBWA);
		isb();
		write_contextidr(asid);
		isb();
	}
	kstats.ctx_switches++;
}

/* ---- pages ---- */

u32 mm_lookup(struct proc *p, u32 va, u32 *prot)
{
	struct pt_walk w;
	if (pt_walk(&p->regime, &tmem, va, &w) != PT_OK) {
		return 0;
	}
	if (prot != NULL) {
		*prot =
		    prot_of_leaf(p->regime.fmt, w.leaf, pt_start_index(&p->regime) + w.depth - 1);
	}
	return (u32)w.out;
}

void mm_map_page(struct proc *p, u32 va, u32 pa, u32 prot)
{
	map_or_panic(&p->regime, va, pa, FRAME_SIZE, prot | PERM_USER, 12);
	dsb();
}

void mm_unmap_page(struct proc *p, u32 va)
{
	u32 pa = mm_lookup(p, va, NULL);
	KASSERT(pa != 0);
	enum pt_status st = pt_unmap(&p->regime, &tmem, va, FRAME_SIZE);
	KASSERT(st == PT_OK);
	retire_entry(va, p->asid);
	frames_put(&kframes, pa & ~PAGE_OFFSET_MASK);
}

/* store_desc: write one descriptor of the current format in place. */
static void store_desc(paddr_t desc_pa, u64 desc)
{
	if (mmcfg.fmt->desc_bytes == 8) {
		*(volatile u64 *)(uintptr_t)desc_pa = desc;
	} else {
		*(volatile u32 *)(uintptr_t)desc_pa = (u32)desc;
	}
}

/* rewrite_leaf: replace the leaf for va with one of the same size and output, new prot. */
static void rewrite_leaf(struct proc *p, u32 va, u32 prot)
{
	struct pt_walk w;
	enum pt_status st = pt_walk(&p->regime, &tmem, va, &w);
	KASSERT(st == PT_OK);
	unsigned li = pt_start_index(&p->regime) + w.depth - 1;
	u64 leaf = p->regime.fmt->make_leaf(w.out & ~MASK64(w.size_shift), li,
					    prot_attrs(p->regime.fmt, prot | PERM_USER));
	store_desc(w.desc_pa[w.depth - 1], leaf);
}

void mm_protect_page(struct proc *p, u32 va, u32 prot)
{
	rewrite_leaf(p, va, prot);
	retire_entry(va, p->asid);
}

void mm_populate(struct proc *p, u32 start, u32 size)
{
	struct vma *v = find_vma(p, start);
	KASSERT(v != NULL && start + size <= v->end);
	u32 step = BIT(v->leaf_shift);
	for (u32 va = start; va < start + size; va += step) {
		if (mm_lookup(p, va, NULL) == 0 && !mm_fault(p, va, false, 0)) {
			kpanic("populate of 0x%08x failed", va);
		}
	}
}

/* Fault status (B3.13.3): the kind of a DFSR/IFSR value, in either format. */
enum fault_kind { FAULT_TRANSLATION, FAULT_PERMISSION, FAULT_OTHER };

static enum fault_kind fault_kind(u32 fsr)
{
	if (fsr & FSR_LPAE) {
		u32 st = fsr & FSC_TYPE_MASK;
		return st == FSC_TRANSLATION  ? FAULT_TRANSLATION
		       : st == FSC_PERMISSION ? FAULT_PERMISSION
					      : FAULT_OTHER;
	}
	u32 fs = (fsr & 0xfu) | ((fsr >> 6) & 0x10u); /* FS[4] is bit 10 */
	if (fs == 0x5 || fs == 0x7) {
		return FAULT_TRANSLATION;
	}
	if (fs == 0xd || fs == 0xf) {
		return FAULT_PERMISSION;
	}
	return FAULT_OTHER;
}

/* demand_map: a fresh zeroed page (or section) for va in v. */
static bool demand_map(struct proc *p, struct vma *v, u32 va)
{
	u32 size = BIT(v->leaf_shift);
	u32 base = ALIGN_DOWN(va, size);
	u32 pa = size == FRAME_SIZE ? frames_alloc(&kframes)
				    : frames_alloc_run(&kframes, size / FRAME_SIZE, size);
	if (pa == 0) {
		kprintf("bench: out of memory for a %u KiB page at 0x%08x\n", size / KiB, va);
		return false;
	}
	memset((void *)(uintptr_t)pa, 0, size);
	map_or_panic(&p->regime, base, pa, size, v->prot, v->leaf_shift);
	dsb();
	kstats.page_faults++;
	p->faults_demand++;
	return true;
}

/* cow_break: a write to a shared read-only page of a writable region. */
static void cow_break(struct proc *p, struct vma *v, u32 va)
{
	u32 page = ALIGN_DOWN(va, FRAME_SIZE);
	u32 old = mm_lookup(p, page, NULL);
	KASSERT(v->leaf_shift == 12 && old != 0);
	kstats.cow_faults++;
	p->faults_cow++;
	if (frames_refs(&kframes, old) == 1) {
		/* The last sharer: take the page back, writable (permissions only). */
		mm_protect_page(p, page, v->prot);
		return;
	}
	u32 copy = frames_alloc(&kframes);
	if (copy == 0) {
		kpanic("out of memory for a copy-on-write page");
	}
	memcpy((void *)(uintptr_t)copy, (const void *)(uintptr_t)old, FRAME_SIZE);
	/* New output address: break before make. */
	enum pt_status st = pt_unmap(&p->regime, &tmem, page, FRAME_SIZE);
	KASSERT(st == PT_OK);
	retire_entry(page, p->asid);
	mm_map_page(p, page, copy, v->prot);
	frames_put(&kframes, old);
}

bool mm_fault(struct proc *p, u32 va, bool write, u32 fsr)
{
	struct vma *v = find_vma(p, va);
	if (v == NULL) {
		p->faults_bad++;
		return false;
	}
	if (fsr == 0 || fault_kind(fsr) == FAULT_TRANSLATION) {
		return v->fixed_pa == 0 && demand_map(p, v, va);
	}
	if (fault_kind(fsr) == FAULT_PERMISSION && write && (v->prot & PERM_WRITE) != 0) {
		cow_break(p, v, va);
		return true;
	}
	p->faults_bad++;
	return false;
}

/* ---- fork ---- */

struct fork_ctx {
	struct proc *parent, *child;
	u32 shared;
};

/* fork_leaf: share one leaf of the parent with the child, read-only if it is writable. */
static void fork_leaf(void *ctx, u64 ia, paddr_t desc_pa, u64 desc, u32 size_shift)
{
	struct fork_ctx *fc = ctx;
	struct vma *v = find_vma(fc->parent, (u32)ia);
	KASSERT(v != NULL);
	if (v->fixed_pa != 0) {
		return; /* code: the child mapped it when it was created */
	}
	KASSERT(size_shift == 12); /* copy-on-write is per page */
	const struct pt_format *f = mmcfg.fmt;
	unsigned li = leaf_level(size_shift);
	u32 pa = leaf_base(desc, size_shift);
	u32 prot = v->prot & ~PERM_WRITE;
	if (prot_of_leaf(f, desc, li) & PERM_WRITE) {
		store_desc(desc_pa, f->make_leaf(pa, li, prot_attrs(f, prot)));
	}
	map_or_panic(&fc->child->regime, (u32)ia, pa, FRAME_SIZE, prot, 12);
	frames_get(&kframes, pa);
	fc->shared++;
}

struct proc *proc_fork(struct proc *parent)
{
	struct proc *child = proc_create();
	for (u32 i = 2; i < parent->nvma; i++) { /* 0: code, 1: stack (proc_create made them) */
		const struct vma *v = &parent->vma[i];
		proc_add_vma(child, v->start, v->end - v->start, v->prot & ~PERM_USER, v->fixed_pa,
			     v->leaf_shift);
	}
	struct fork_ctx fc = {parent, child, 0};
	const struct pt_visitor visitor = {fork_leaf, NULL, &fc};
	enum pt_status st = pt_visit(&parent->regime, &tmem, &visitor);
	KASSERT(st == PT_OK);
	/* Many of the parent's entries went from writable to read-only: one TLBIASID retires
	 * them all (B4.2.2) instead of a TLBIMVA each. */
	dsb();
	tlb_inv_asid(parent->asid);
	dsb();
	isb();
	return child;
}
