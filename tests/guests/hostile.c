/* A hostile guest: it tries to reach memory that is not its own, to break the hypervisor's
 * bookkeeping and to make it misbehave (tests/integration/test_hostile.py,
 * docs/testing.md "Hostile guests"). Cases, case=<name> (fmt=short|lpae where it says so):
 *   escape    stage-1 tables (fmt) that map hypervisor objects (hyp_*=<host PA> arguments),
 *             the whole host RAM range page by page, device memory and addresses above
 *             4 GiB; reads, writes and fetches through them
 *   loops     tables (fmt) that point into themselves
 *   ttbr      TTBR0 and TTBR1 (fmt) pointing outside RAM and into device space, MMU on
 *   tramp-map / tramp-late   a mapping of VA 0xfffff000 (the shadow module's trampoline)
 *             made before / after the MMU is on, then written
 *   tramp-peek  reads, writes and fetches of VA 0xfffff000 where the guest maps nothing
 *   vectors   rewrites its vector page, moves VBAR, uses high vectors
 *   tlbflood  n=<ops> TLB maintenance operations of every kind (fmt) and translation
 *             register writes, each after a change of a mapping that it must make visible
 *   cp15      every MRC/MRRC encoding of CP15 and CP14, writes back what it read, c15 writes,
 *             accesses to the other coprocessors
 *   smccc     HVC and SMC calls with garbage function IDs and arguments in every owner
 *             range (seed=<n>), hostile buffers for the testbed calls, SMC immediates
 *   hvcimm    HVC #imm=<n>: refused by the hypervisor
 *   exhaust   touches one page in each of thousands of 2 MiB regions (fmt), twice
 *   scan      searches all of guest RAM for the marker
 *   hcwrite   has the testbed SNAPSHOT call write over a live table of its own (fmt): the
 *             hypervisor's write must unmap what it unmaps, as a write of the guest's would
 *   stalewr   a PL1 store through a stale shadow of a PL1-RW PL0-RO page
 *   align     its first abort an alignment fault; thumbexc: one with SCTLR.TE set;
 *             thumbvec: one with a T32 vector branching (B.W) to another page (fmt)
 *   stmcross  an STM from a page of its own tables into a page it does not map (fmt)
 *   thumb-ldrt  a T32 LDRT of RAM mapped for PL1 only (fmt=lpae)
 *   thumb-str010  a T32 store at PL1 to a page PL1 may write and PL0 only read (fmt=short)
 *   tramp-forge  a branch to VA 0xfffff010 from Abort mode, set up as a data abort would
 *                (n=N: N times in a row); tramp-forge-perm: one of a write permission
 *                fault at a page mapped for PL1 only, at a BX (fmt=lpae)
 *   abtregs   LR_abt and SPSR_abt written, then a page touched for the first time
 *   pinlost   an abort taken with the shadow pool full (shadow.pool=16) and the Abort-mode
 *             stack in a 2 MiB region not touched before (fmt=short)
 *   nestabt   an abort taken from SVC mode, one taken from Abort mode, then a first touch
 *             of a page: DFSR and DFAR must still be the second abort's (fmt=: translation
 *             faults; none: MMU off, external aborts at unassigned addresses)
 *   xpage010  an unaligned PL1 STR across the boundary from a page PL1 may write and PL0 only
 *             read (short AP=0b010) into a read/write page (fmt=short)
 *   strex010  LDREX/STREX at PL1 of a word in such a page (fmt=short)
 *   lendalias  such a page at two VAs, both written with STREX, read as PL0, one then moved
 *             to another page with TLBIMVA (fmt=short)
 *   lendstale  a read-only alias moved to such a page without TLB maintenance, then written
 *             with STREX: never to the first page (fmt=short)
 *   ttbcr30   TTBCR bit 30 (IMPLEMENTATION DEFINED, long format) written and read back
 *   setend010  a big-endian (SETEND BE) PL1 STR to such a page (fmt=short)
 *   setenddev  big-endian word accesses to the UART: a store of 'Q' << 24, a load of its
 *             flag register
 *   stmext    an STM from a page of its own tables into a page that maps an unassigned
 *             address (fmt=); stmext010: from an AP=0b010 page (fmt=short)
 *   ldrt-nt   STREX to an AP=0b010 page, then an A32 LDRT there whose base is its
 *             destination (UNPREDICTABLE; QEMU loads) (fmt=short)
 *   lend      STREX to an AP=0b010 page, PL0 code run from it, STREX again, then the page
 *             made a level-2 table that STREX and STR change, and an LDRT of it (fmt=short)
 *   afdomain  SCTLR.AFE set, a page whose access flag is clear read in a manager and in a
 *             no-access domain; afclear: the flag cleared and set again (fmt=short)
 *   tre       TEX remap: RAM mapped as device memory, stored to, read unaligned (fmt=short)
 *   setendpt  a big-endian (SETEND BE) STR of a descriptor to a live table (fmt=)
 *   refused010  SWP, SWPB, STREXB/H/D, STM (user registers), SRS, VSTR, VSTM at PL1 to an
 *             AP=0b010 page, each read back as PL0 (fmt=short); refusedpt: the same stores of a
 *             descriptor to a live table through a read/write alias (fmt=)
 *   thumbit-pt  T32 STR.W and STRD of descriptors to a live table in an IT block, conditions
 *             passed and failed (fmt=)
 *   xpagept   unaligned A32 and T32 STRs across a page boundary into a live table, and out of
 *             it into an unmapped page (fmt=)
 *   smc-t32   a T32 store to a live table, run twice, then replaced in place by another (fmt=)
 *   domains   sections, a supersection, small and large pages in three domains, each domain
 *             made manager, no access, reserved and client by DACR writes after the pages were
 *             used; PL1 and PL0 (LDRT/STRT) reads, writes and fetches (fmt=short)
 *   domainprio  which fault comes first: a no-access domain over a level-2 fault entry, and
 *             SCTLR.AFE with the access flag clear in manager and no-access domains (fmt=short)
 *   bigleaves  a supersection, a section and a large page replaced by sections, a level-2
 *             table and small pages with the TLB maintenance required, then put back
 *             (fmt=short)
 *   ttbcrsplit  the TTBR0/TTBR1 split moved (TTBCR.N; T0SZ, EPD1), TTBR1 rewritten, PD0/PD1
 *             written, with shadows built under the previous regime (fmt=)
 *   aptoggle  pages of every AP[2:0] value used at PL1 and PL0, then SCTLR.AFE and TEX remap
 *             (PRRR, NMRR) turned on and off (fmt=short)
 *   asidglobal  global and non-global pages moved under two ASIDs of one TTBR0, each followed
 *             by just the maintenance required: TLBIMVA of an idle ASID, TLBIASID, TLBIMVAA,
 *             TLBIALL (fmt=)
 *   churn     rounds= rounds (seed=) in 40 address spaces: pages repointed (also through a
 *             table's mapping of itself), leaf and TTBR0 tables replaced and freed as data,
 *             ASIDs reused, a shared global page; every page probed after maintenance (fmt=)
 *   oosmany   more leaf tables changed without maintenance than the shadow module has
 *             snapshots: old or new page before maintenance, the new one after (fmt=)
 *   modemiss  in FIQ, IRQ, UND, SYS and SVC mode: fetch and load misses, then a load and a
 *             fetch that abort, FSR, FAR, LR_abt and SPSR_abt checked (fmt=)
 *   t32xpage  a 32-bit T32 instruction at the last halfword of a page, the next page mapped
 *             and then unmapped (fmt=)
 *   ldrvec    an "ldr pc, [pc, #0x18]" data-abort vector to a handler page never touched
 *             at its VA, then an alignment fault (fmt=)
 *   fiqregs   FIQ mode's r8-r12 in UART accesses and in stores to a page the shadow module
 *             writes for the guest (fmt=short: AP=0b010; fmt=lpae: a live table)
 *   bkpt      BKPT in A32 and T32 (fmt=; none: MMU off): IFSR, LR_abt, SPSR_abt
 *   xnfetch   fetches from XN pages, shadowed and fresh, and (fmt=lpae) a PXN page (fmt=)
 *   stmpart   STM and STRD from the last word of such a page into an unmapped page: the
 *             second word's abort, the first word stored as natively (fmt=)
 *   ldrt-abtlr  an LDRT from Abort mode whose base is LR_abt, at a fresh page mapped for PL1
 *             only, after an abort delivered elsewhere: DFAR is that page (fmt=short)
 *   excret    MOVS pc, lr and RFE (frame in a fresh page) to A32 and T32 code in SYS mode
 *             at pages never touched at their VAs (fmt=)
 *   exclmiss  LDREX, then a first load, store or fetch of another page or an abort, then
 *             STREX; and one LDREX/STREX, not retried, at a live table and (short) an
 *             AP=0b010 page: the STREX succeeds (fmt=)
 *   cmaint    DCIMVAC, DCCMVAC, DCCMVAU, DCCIMVAC, ICIMVAU, BPIMVA, PLD, PLDW, PLI at unmapped,
 *             fresh, read-only, PL1-only, device, unassigned and live-table pages (fmt=)
 *   temodes   SCTLR.TE with T32 vectors: misses, aborts and UNDEFs from FIQ, IRQ, UND, SYS and
 *             SVC mode in A32 and T32 code (fmt=)
 *   hier      LPAE APTable, XNTable, PXNTable, NSTable and ignored bits at levels 1 and 2
 *             changed over built shadows, a 2 MiB block and a level-1 table swapped with a
 *             table and a 1 GiB block, a contiguous run with software bits moved, AttrIndx with
 *             MAIR0/1 rewritten, AMAIR0/1 written and read back (fmt=lpae)
 *   a1asid    TTBCR.A1 toggled; 64-bit TTBR0/TTBR1 writes of the ASID alone, the table
 *             alone, both; a 32-bit TTBR0 write; a non-global page moved under each ASID in
 *             force with just the maintenance needed (fmt=lpae)
 *   mmuoff    SCTLR.M toggled with roots cached, the tables changed with the MMU off (STR,
 *             STRD, STRB), TTBR0/TTBCR written just before SCTLR.M; the UART, unassigned
 *             addresses and an alignment fault with the MMU off; TTBCR.EAE switched with the
 *             MMU off (fmt=)
 *   l1share   an LPAE level-1 table in the last 32 bytes of a page whose other words are
 *             data the guest writes in many forms (fmt=lpae)
 * Every access is checked against what the guest knows: its own translation (the stage-1
 * model, common/src/s1.c, reading only guest RAM) says whether it must reach guest RAM (and
 * read what the identity mapping reads there), the emulated UART (known register values),
 * or abort with a known fault status. Every page the guest can read is searched for the
 * hypervisor's marker (tb/hyp_marker.h). The guest prints one summary line per case and
 * exits 0 only if nothing differed. */
#include "rt.h"
#include "rt_pt.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/fmt.h"
#include "tb/hcall.h"
#include "tb/hyp_marker.h"
#include "tb/lpae.h"
#include "tb/pt.h"
#include "tb/s1.h"
#include "tb/short_desc.h"
#include "tb/str.h"

#define PAGE		  4096u
#define SECTION		  (1u * MiB)
#define BLOCK		  (2u * MiB)
#define SUPERSECTION	  (16u * MiB)
#define TRAMPOLINE_VA	  0xfffff000u /* the shadow module's reserved VA */
#define POISON		  0x0badf00du /* a register a faulting load must leave alone */
#define MAX_MISMATCH_LOGS 8

/* ---- exceptions: every abort and UNDEF the guest provokes is recorded and survived ---- */

struct outcome {
	bool aborted;
	bool undef;
	bool reset_vector; /* a fetch ended at the guest's own reset vector */
	u32 fsr, far;
	u32 value;
};

static volatile struct outcome got;
/* Whether an exception is expected: the only state a probe changes between the access and
 * its check (disarm), so never the first word of a page (a probe of the page holding it
 * reads there what the check reads): guard comes first, and the pair cannot cross a page. */
static volatile struct {
	u32 guard;
	bool on;
} armed __attribute__((aligned(8)));

/* on_exception: record a provoked exception and resume after the instruction (a fetch
 * resumes at its caller, rt_call_addr's return address). */
static bool on_exception(u32 vector, struct rt_frame *f)
{
	if (!armed.on) {
		return false;
	}
	switch (vector) {
	case VEC_DABT:
		got.aborted = true;
		got.fsr = read_dfsr();
		got.far = read_dfar();
		f->pc -= 4; /* LR_abt = instruction + 8 */
		return true;
	case VEC_PABT:
		got.aborted = true;
		got.fsr = read_ifsr();
		got.far = read_ifar();
		f->pc = f->lr_svc;
		return true;
	case VEC_SVC:
		if ((f->spsr & PSR_MODE_MASK) != PSR_MODE_USR) {
			return false;
		}
		f->pc = f->r[3]; /* user_call's return from User mode */
		f->spsr = f->r[2];
		return true;
	case VEC_UNDEF:
		got.undef = true; /* LR_und is the next A32 instruction already */
		return true;
	case 0:
		/* Only a jump through a vector table gets here, in SVC mode: LR (the frame's pc)
		 * is still the return address of the call that made the jump. */
		got.reset_vector = true;
		return true;
	default:
		return false;
	}
}

/* arm: expect an exception from the next access. */
static void arm(void)
{
	got.aborted = false;
	got.undef = false;
	got.reset_vector = false;
	got.fsr = 0;
	got.far = 0;
	armed.on = true;
}

/* disarm: stop expecting exceptions; what the access provoked. */
static struct outcome disarm(void)
{
	armed.on = false;
	struct outcome o = {got.aborted, got.undef, got.reset_vector, got.fsr, got.far, 0};
	return o;
}

/* probe_read / probe_write / probe_exec: one load, store or fetch (a call) at va. */
static struct outcome probe_read(u32 va)
{
	u32 v = POISON;
	arm();
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(va) : "memory");
	struct outcome o = disarm();
	o.value = v;
	return o;
}

static struct outcome probe_write(u32 va, u32 v)
{
	arm();
	__asm__ volatile("str %1, [%0]" ::"r"(va), "r"(v) : "memory");
	return disarm();
}

static struct outcome probe_exec(u32 va)
{
	arm();
	rt_call_addr(va);
	return disarm();
}

/* ---- instructions made at run time (the encodings a sweep needs) ---- */

#define INSN_BX_LR   0xe12fff1eu
#define INSN_MRC     0xee100010u /* MRC p<cp>, <opc1>, r0, c<n>, c<m>, <opc2> */
#define INSN_MCR     0xee000010u
#define INSN_L_BIT   BIT(20)	 /* MRC/MRRC: 1, MCR/MCRR: 0 */
#define INSN_MRRC    0xec510000u /* MRRC p<cp>, <opc1>, r0, r1, c<m> */
#define INSN_MCRR    0xec410000u
#define INSN_HVC     0xe1400070u /* HVC #imm16: imm16[15:4] at [19:8], imm16[3:0] at [3:0] */
#define INSN_SMC     0xe1600070u /* SMC #imm4 */
#define CP_OPC1(x)   ((x) << 21)
#define CP_CRN(x)    ((x) << 16)
#define CP_NUM(x)    ((x) << 8)
#define CP_OPC2(x)   ((x) << 5)
#define CPRR_OPC1(x) ((x) << 4)

static u32 thunk[2] __attribute__((aligned(8)));

/* What a run-time instruction leaves in r0 and r1. */
struct r0r1 {
	u32 r0, r1;
};

#define CACHE_LINE 32u /* the smallest line of the ARMv7 cores this runs on (CTR) */

/* sync_code: make instructions just written at [va, va + bytes) visible to fetches (B2.2.9:
 * clean the data cache to the point of unification, invalidate the instruction cache). */
static void sync_code(u32 va, u32 bytes)
{
	for (u32 line = va & ~(CACHE_LINE - 1); line < va + bytes; line += CACHE_LINE) {
		__asm__ volatile("mcr p15, 0, %0, c7, c11, 1" ::"r"(line) : "memory"); /* DCCMVAU */
	}
	__asm__ volatile("dsb\n"
			 "mcr p15, 0, %0, c7, c5, 0\n" /* ICIALLU */
			 "dsb\n"
			 "isb" ::"r"(0)
			 : "memory");
}

/* run_insn: execute insn with r0-r3 = a, returning r0 and r1 after it (an UNDEF is
 * recorded in got.undef when armed). */
static struct r0r1 run_insn(u32 insn, u32 a0, u32 a1, u32 a2, u32 a3)
{
	thunk[0] = insn;
	thunk[1] = INSN_BX_LR;
	sync_code((u32)(uintptr_t)thunk, sizeof(thunk));
	register u32 r0 __asm__("r0") = a0;
	register u32 r1 __asm__("r1") = a1;
	register u32 r2 __asm__("r2") = a2;
	register u32 r3 __asm__("r3") = a3;
	__asm__ volatile("blx %4"
			 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
			 : "r"(thunk)
			 : "r12", "lr", "memory", "cc");
	struct r0r1 out = {r0, r1};
	return out;
}

/* ---- the guest's view of memory ---- */

/* in_ram: does [pa, pa + bytes) lie in guest RAM? */
static bool in_ram(paddr_t pa, u32 bytes)
{
	return pa >= rt_ram_base() && pa + bytes <= (paddr_t)rt_ram_base() + rt_ram_size();
}

/* ram_read / ram_write: pt_mem access to guest RAM only (what a walk may read; stores
 * to tables the builder or a case writes). */
static bool ram_read(void *ctx UNUSED, paddr_t pa, unsigned bytes, u64 *val)
{
	if (!in_ram(pa, bytes)) {
		return false; /* the walk leaves RAM: an external abort on the walk */
	}
	*val = bytes == 8 ? *(volatile u64 *)(uintptr_t)pa : *(volatile u32 *)(uintptr_t)pa;
	return true;
}

static bool ram_write(void *ctx UNUSED, paddr_t pa, unsigned bytes, u64 val)
{
	if (!in_ram(pa, bytes)) {
		return false;
	}
	if (bytes == 8) {
		*(volatile u64 *)(uintptr_t)pa = val;
	} else {
		*(volatile u32 *)(uintptr_t)pa = (u32)val;
	}
	return true;
}

/* Table memory: a bump pool, reset whenever a case builds a new address space. */
#define POOL_SIZE (160u * KiB)
static u8 pool[POOL_SIZE] __attribute__((aligned(16384)));
static u32 pool_used;

/* pool_alloc: a zeroed table of bytes, aligned to its size; 0 when the pool is full. */
static paddr_t pool_alloc(void *ctx UNUSED, u32 bytes)
{
	u32 at = (pool_used + bytes - 1) & ~(bytes - 1);
	if (at + bytes > POOL_SIZE) {
		return 0;
	}
	pool_used = at + bytes;
	memset(&pool[at], 0, bytes);
	return (paddr_t)(uintptr_t)&pool[at];
}

static const struct pt_mem mem = {.read = ram_read, .write = ram_write, .alloc_table = pool_alloc};

/* ---- address spaces in both formats ---- */

#define DOMAIN_RAM	    1u
#define DACR_CLIENTS	    0x5u /* domains 0 and 1: clients */
#define MAIR_NORMAL_IDX	    0u
#define MAIR_DEVICE_IDX	    1u
#define MAIR0_NORMAL_DEVICE 0x04ffu /* attr 0 normal write-back, attr 1 device */
#define TTBCR_SH0_SHIFT	    12
#define TTBCR_ORGN0_SHIFT   10
#define TTBCR_IRGN0_SHIFT   8
#define TTBCR_LPAE_WALKS                                                                           \
	(TTBCR_EAE | (LPAE_SH_INNER << TTBCR_SH0_SHIFT) | (RGN_WBWA << TTBCR_ORGN0_SHIFT) |        \
	 (RGN_WBWA << TTBCR_IRGN0_SHIFT))
#define TTBCR_T0SZ_SHIFT 0
#define TTBCR_T1SZ_SHIFT 16
#define TTBR_ASID_SHIFT	 48

/* Leaf attributes: normal RAM, device, and RAM without global (nG) for ASID tests. */
struct attrs {
	u64 ram, device, ram_ng;
	u32 block_shift;
};

static const struct attrs short_attrs = {
    /* TEX=001 C B: normal write-back; AP=11; RAM in domain 1 (see case loops). */
    .ram = (1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B | (3u << SD_SEC_AP_SHIFT) |
	   (DOMAIN_RAM << SD_DOMAIN_SHIFT),
    .device = SD_SEC_B | (3u << SD_SEC_AP_SHIFT),
    .ram_ng = (1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B | (3u << SD_SEC_AP_SHIFT) |
	      (DOMAIN_RAM << SD_DOMAIN_SHIFT) | SD_SEC_NG,
    .block_shift = 20,
};

static const struct attrs lpae_attrs = {
    .ram = (MAIR_NORMAL_IDX << LPAE_ATTRINDX_SHIFT) | ((u64)LPAE_AP_RW_PL1 << LPAE_AP_SHIFT) |
	   ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT) | LPAE_AF,
    .device =
	(MAIR_DEVICE_IDX << LPAE_ATTRINDX_SHIFT) | ((u64)LPAE_AP_RW_PL1 << LPAE_AP_SHIFT) | LPAE_AF,
    .ram_ng = (MAIR_NORMAL_IDX << LPAE_ATTRINDX_SHIFT) | ((u64)LPAE_AP_RW_PL1 << LPAE_AP_SHIFT) |
	      ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT) | LPAE_AF | LPAE_NG,
    .block_shift = 21,
};

static struct {
	bool lpae;
	const struct attrs *a;
	struct pt_regime r;
} sp;

/* space_new: an empty address space (a fresh table pool) in the format of fmt=. */
static void space_new(void)
{
	sp.lpae = rt_arg_is("fmt", "lpae");
	sp.a = sp.lpae ? &lpae_attrs : &short_attrs;
	pool_used = 0;
	pt_regime_init(&sp.r, sp.lpae ? &pt_lpae_s1 : &pt_short, 0, 32);
	u32 bytes = pt_table_bytes(&sp.r, pt_start_index(&sp.r));
	sp.r.root = pool_alloc(NULL, bytes < PAGE ? PAGE : bytes);
}

/* map: map [va, va + size) to pa with leaf attributes attrs, leaves up to 1 << shift. */
static void map(u32 va, paddr_t pa, u32 size, u64 attrs, u32 shift)
{
	enum pt_status st = pt_map(&sp.r, &mem, va, pa, size, attrs, shift);
	if (st != PT_OK) {
		rt_printf("hostile: mapping 0x%08x -> 0x%llx failed: %s\n", va,
			  (unsigned long long)pa, pt_status_str(st));
		rt_exit(2);
	}
}

/* map_ram_and_uart: the identity mappings every case runs on. */
static void map_ram_and_uart(void)
{
	u32 block = BIT(sp.a->block_shift);
	map(rt_ram_base(), rt_ram_base(), rt_ram_size(), sp.a->ram, sp.a->block_shift);
	map(RT_UART & ~(block - 1), RT_UART & ~(block - 1), block, sp.a->device, sp.a->block_shift);
}

/* mmu_on_split: run on the current space through TTBR0, with the given TTBCR split
 * fields (N, or T0SZ/T1SZ); mmu_on: no split. */
static void mmu_on_split(u32 ttbcr_split)
{
	if (sp.lpae) {
		write_prrr(MAIR0_NORMAL_DEVICE);
		write_ttbcr(TTBCR_LPAE_WALKS | ttbcr_split);
		write_ttbr0_64(sp.r.root);
	} else {
		write_ttbcr(ttbcr_split);
		write_ttbr0((u32)sp.r.root);
		write_dacr(DACR_CLIENTS);
	}
	rt_tlb_flush_all();
	write_sctlr(read_sctlr() | SCTLR_M | SCTLR_C | SCTLR_I);
	isb();
}

static void mmu_on(void)
{
	mmu_on_split(0);
}

/* mmu_off: back to flat physical addressing, nothing left in the TLB. */
static void mmu_off(void)
{
	write_sctlr(read_sctlr() & ~SCTLR_M);
	isb();
	rt_tlb_flush_all();
}

/* install_table_at: make the entry of level index li that translates va a table
 * descriptor pointing at table (any address: the point is to point it where no table
 * should be). The entries above it must exist. */
static void install_table_at(u32 va, unsigned li, paddr_t table)
{
	struct pt_walk w;
	pt_walk(&sp.r, &mem, va, &w);
	unsigned depth = li - pt_start_index(&sp.r);
	if (w.depth < depth + 1) {
		rt_printf("hostile: no level-%u entry for 0x%08x\n", li + 1, va);
		rt_exit(2);
	}
	u64 d = sp.r.fmt->make_table(table);
	if (sp.lpae) {
		/* Bits [11:2] of a table descriptor are ignored (B3.6.1), but are a page's
		 * attributes when the same descriptor is read at level 3: make those a readable,
		 * writable page with its access flag set. */
		d |= sp.a->ram & MASK64(12);
	} else {
		d |= DOMAIN_RAM << SD_DOMAIN_SHIFT;
	}
	ram_write(NULL, w.desc_pa[depth], sp.r.fmt->desc_bytes, d);
}

/* ---- what the guest expects, and the record of what it got ---- */

enum expect_kind { EXP_RAM, EXP_UART, EXP_ABORT };

struct expect {
	enum expect_kind kind;
	u32 fsr;    /* EXP_ABORT: the fault status */
	paddr_t pa; /* EXP_RAM / EXP_UART: where the access lands */
};

/* guest_state: the translation registers as the guest reads them. */
static struct s1_state guest_state(void)
{
	struct s1_state st = {read_sctlr(), read_ttbcr(), read_ttbr0_64(), read_ttbr1_64(),
			      read_dacr()};
	return st;
}

/* external_fsr: the FSR of a synchronous external abort (QEMU virt: unassigned address). */
static u32 external_fsr(void)
{
	return (read_ttbcr() & TTBCR_EAE) ? FSR_LPAE | FSR_LD_SYNC_EXT : FSR_SD_SYNC_EXT;
}

/* predict_in: where an access of kind acc to va ends under translation state st. */
static struct expect predict_in(const struct s1_state *st, u32 va, enum s1_access acc)
{
	struct s1_result r;
	u32 wnr = acc == S1_WRITE ? FSR_WNR : 0;
	struct expect e = {EXP_ABORT, 0, 0};
	if (s1_translate(st, &mem, va, acc, false, &r) != S1_OK) {
		e.fsr = r.fsr | wnr;
		return e;
	}
	e.pa = r.out;
	if (in_ram(r.out, 4)) {
		e.kind = EXP_RAM;
	} else if (acc != S1_EXEC && (r.out >> 12) == (RT_UART >> 12)) {
		e.kind = EXP_UART;
	} else {
		e.fsr = external_fsr() | wnr;
	}
	return e;
}

/* predict: where an access of kind acc to va must end, by the guest's own tables. */
static struct expect predict(u32 va, enum s1_access acc)
{
	struct s1_state st = guest_state();
	return predict_in(&st, va, acc);
}

/* PL011 identification registers (ARM DDI 0183, 3.3.14-3.3.15) and the idle flags. */
#define UART_FR	       0x018u
#define UART_FR_IDLE   0x90u /* TXFE | RXFE: nothing to send, nothing received */
#define UART_PERIPHID0 0xfe0u
static const u8 pl011_id[8] = {0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/* uart_known: the value a PL011 register at pa reads, if the guest knows it. */
static bool uart_known(paddr_t pa, u32 *val)
{
	u32 off = (u32)pa & PAGE_OFFSET_MASK;
	if (off == UART_FR) {
		*val = UART_FR_IDLE;
		return true;
	}
	if (off >= UART_PERIPHID0 && off < UART_PERIPHID0 + 32 && (off & 3) == 0) {
		*val = pl011_id[(off - UART_PERIPHID0) / 4];
		return true;
	}
	return false;
}

static struct {
	u32 probes, reads_ok, aborts, mismatches, marker_hits, pages_scanned, aliased;
	u32 logged;
	char log[MAX_MISMATCH_LOGS][112];
} stats;

/* stats_reset: forget the counts of an earlier phase. */
static void stats_reset(void)
{
	memset(&stats, 0, sizeof(stats));
}

/* mismatch: count one access that did not do what the guest knows it must. The first few
 * are kept to be printed later (the console may be unreachable while it happens). */
static void mismatch(const char *what, u32 va, const struct expect *e, const struct outcome *o)
{
	stats.mismatches++;
	if (stats.logged < MAX_MISMATCH_LOGS) {
		tb_snprintf(stats.log[stats.logged++], sizeof(stats.log[0]),
			    "%s 0x%08x: expected %s fsr 0x%03x pa 0x%llx, got %s fsr 0x%03x far "
			    "0x%08x value 0x%08x",
			    what, va,
			    e->kind == EXP_RAM	  ? "ram"
			    : e->kind == EXP_UART ? "uart"
						  : "abort",
			    e->fsr, (unsigned long long)e->pa, o->aborted ? "abort" : "data",
			    o->fsr, o->far, o->value);
	}
}

/* stats_flush: print the mismatches kept. */
static void stats_flush(void)
{
	for (u32 i = 0; i < stats.logged; i++) {
		rt_printf("hostile: MISMATCH %s\n", stats.log[i]);
	}
	stats.logged = 0;
}

/* outcome_ok: did the access of kind acc at va do what e says (a read: the value too)? */
static bool outcome_ok(u32 va, enum s1_access acc, const struct expect *e, const struct outcome *o)
{
	u32 known;
	switch (e->kind) {
	case EXP_RAM:
		return !o->aborted &&
		       (acc != S1_READ || o->value == *(volatile u32 *)(uintptr_t)e->pa);
	case EXP_UART:
		return !o->aborted && (!uart_known(e->pa, &known) || o->value == known);
	default:
		return o->aborted && o->fsr == e->fsr && o->far == va;
	}
}

/* judge: count an access of kind acc at va: as predicted under the guest's translation,
 * or as predicted under alt (a known alias, counted apart; NULL: none), or a mismatch. */
static void judge(const char *what, u32 va, enum s1_access acc, const struct outcome *o,
		  const struct s1_state *alt)
{
	struct expect e = predict(va, acc);
	/* Checked before any count changes: the word read may be one of those counts (a page
	 * of the guest's own image, read through the probed mapping). */
	bool ok = outcome_ok(va, acc, &e, o);
	stats.probes++;
	if (ok) {
		return;
	}
	if (alt != NULL) {
		struct expect ea = predict_in(alt, va, acc);
		if (outcome_ok(va, acc, &ea, o)) {
			stats.aliased++;
			return;
		}
	}
	mismatch(what, va, &e, o);
}

/* ---- the marker search ---- */

/* The key is read at run time, so the compiler cannot fold the marker into this image. */
static volatile u32 marker_key = TB_HYP_MARKER_KEY;

/* page_has_marker: does the page at va hold the hypervisor's marker (16-byte aligned)? */
static bool page_has_marker(u32 va)
{
	const volatile u32 *p = (const volatile u32 *)(uintptr_t)va;
	u32 key = marker_key;
	for (u32 i = 0; i < PAGE / 4; i += TB_HYP_MARKER_WORDS) {
		if ((p[i] ^ key) == TB_HYP_MARKER_OBF0 && (p[i + 1] ^ key) == TB_HYP_MARKER_OBF1 &&
		    (p[i + 2] ^ key) == TB_HYP_MARKER_OBF2 &&
		    (p[i + 3] ^ key) == TB_HYP_MARKER_OBF3) {
			return true;
		}
	}
	return false;
}

/* scan_if_readable: after a read of va that did not abort, search its page. */
static void scan_if_readable(u32 va, const struct outcome *o)
{
	if (o->aborted) {
		return;
	}
	stats.pages_scanned++;
	if (page_has_marker(va & ~PAGE_OFFSET_MASK)) {
		stats.marker_hits++;
		rt_printf("hostile: HYPERVISOR MARKER found through VA 0x%08x\n", va);
	}
}

/* must_abort: does an access abort both under the guest's translation and under alt (so
 * that a store or a fetch cannot hit anything)? */
static bool must_abort(u32 va, enum s1_access acc, const struct s1_state *alt)
{
	return predict(va, acc).kind == EXP_ABORT &&
	       (alt == NULL || predict_in(alt, va, acc).kind == EXP_ABORT);
}

/* probe_va_alt: read va (and search its page); write and fetch it too where the guest's
 * tables say that must abort; alt as for judge. */
static void probe_va_alt(u32 va, bool write, bool exec, const struct s1_state *alt)
{
	struct outcome o = probe_read(va);
	judge("read", va, S1_READ, &o, alt); /* before the counts below change (judge) */
	if (o.aborted) {
		stats.aborts++;
	} else {
		stats.reads_ok++;
	}
	scan_if_readable(va, &o);
	if (write && must_abort(va, S1_WRITE, alt)) {
		o = probe_write(va, POISON);
		judge("write", va, S1_WRITE, &o, alt);
	}
	if (exec && must_abort(va, S1_EXEC, alt)) {
		o = probe_exec(va);
		judge("fetch", va, S1_EXEC, &o, alt);
	}
}

/* probe_va: probe_va_alt without an alias. */
static void probe_va(u32 va, bool write, bool exec)
{
	probe_va_alt(va, write, exec, NULL);
}

/* summary: print the case's result line; 0 if nothing differed. */
static int summary(const char *name)
{
	stats_flush();
	rt_printf("hostile %s: %u probes, %u reads, %u aborts, %u pages searched, %u mismatches, "
		  "%u marker hits, %u aliased walks\n",
		  name, stats.probes, stats.reads_ok, stats.aborts, stats.pages_scanned,
		  stats.mismatches, stats.marker_hits, stats.aliased);
	return stats.mismatches == 0 && stats.marker_hits == 0 ? 0 : 1;
}

/* ---- case escape ---- */

/* Physical ranges probed every stride bytes (QEMU virt's memory map, hw/arm/virt.c). */
struct range {
	const char *name;
	u32 base, size, stride;
};

static const struct range device_ranges[] = {
    {"flash", 0x00000000u, 0x08000000u, 4 * MiB},
    {"gic", 0x08000000u, 0x00050000u, PAGE}, /* GICD, GICC, GICH (Hyp's), GICV */
    {"uart", 0x09000000u, PAGE, PAGE},
    {"rtc, fw_cfg, gpio", 0x09010000u, 0x00040000u, PAGE},
    {"virtio-mmio", 0x0a000000u, 0x00004000u, 0x200u},
    {"platform bus", 0x0c000000u, 0x02000000u, 1 * MiB},
    {"pcie mmio", 0x10000000u, 0x2eff0000u, 16 * MiB},
    {"pcie pio, ecam", 0x3eff0000u, 0x01010000u, 64 * KiB},
};

/* Above 4 GiB, reached through windows of the guest's VA space: aliases of the low map
 * (modulo 4 GiB), QEMU virt's high regions, the top of the 40-bit space. */
static const paddr_t high_targets[] = {
    0x100000000ull, 0x109000000ull,  0x140000000ull,  0x140100000ull,  0x144000000ull,
    0x108000000ull, 0x4000000000ull, 0x4010000000ull, 0x8000000000ull, 0xfffffff000ull,
};

#define WINDOW_VA  0xe0000000u /* VA windows [0xe0000000, 0xf0000000), 16 MiB each */
#define WINDOW_END 0xf0000000u
#define TOP_END	   0xfff00000u /* the last MiB (the trampoline's) stays unmapped */
#define HOST_SCAN  0x48000000u /* host RAM probed page by page: [0x40000000, HOST_SCAN) */

/* map_window: map window i to the block holding pa (a supersection in the short format:
 * PA bits above 32 need one). */
static u32 map_window(u32 i, paddr_t pa)
{
	u32 va = WINDOW_VA + i * SUPERSECTION;
	if (sp.lpae) {
		map(va, pa & ~(paddr_t)(BLOCK - 1), BLOCK, sp.a->device, 21);
		return va + ((u32)pa & (BLOCK - 1));
	}
	paddr_t base = pa & ~(paddr_t)(SUPERSECTION - 1);
	u32 ss = ((u32)base & SD_SUPER_BASE) | SD_L1_SUPERSECTION | SD_L1_SECTION |
		 ((u32)BITS(base, 35, 32) << SD_SUPER_PA3532_SHIFT) |
		 ((u32)BITS(base, 39, 36) << SD_SUPER_PA3936_SHIFT) | (3u << SD_SEC_AP_SHIFT) |
		 SD_SEC_B;
	for (u32 k = 0; k < SUPERSECTION / SECTION; k++) { /* 16 identical entries */
		ram_write(NULL, sp.r.root + 4 * ((va >> 20) + k), 4, ss);
	}
	return va + ((u32)pa & (SUPERSECTION - 1));
}

/* escape_space: identity maps of all 4 GiB below the windows and above them up to the
 * trampoline's MiB: RAM as normal memory, everything else as device memory. */
static void escape_space(void)
{
	space_new();
	u32 shift = sp.a->block_shift, ram = rt_ram_base(), ram_end = ram + rt_ram_size();
	map(0, 0, ram, sp.a->device, shift);
	map(ram, ram, rt_ram_size(), sp.a->ram, shift);
	map(ram_end, ram_end, WINDOW_VA - ram_end, sp.a->device, shift);
	map(WINDOW_END, WINDOW_END, TOP_END - WINDOW_END, sp.a->device, shift);
}

/* probe_range: every stride bytes of r (identity mapped). */
static void probe_range(const struct range *r)
{
	u32 before = stats.mismatches;
	for (u32 off = 0; off < r->size; off += r->stride) {
		u32 pa = r->base + off;
		if ((pa >> 12) == (RT_UART >> 12)) {
			probe_va(pa + UART_FR, false, true);
			for (u32 reg = UART_PERIPHID0; reg < UART_PERIPHID0 + 32; reg += 4) {
				probe_va(pa + reg, false, false);
			}
			continue;
		}
		probe_va(pa, true, off % (1 * MiB) == 0);
	}
	rt_printf("hostile escape: %s%s\n", r->name, stats.mismatches == before ? "" : " DIFFERS");
}

/* Hypervisor objects named on the command line (host physical addresses, from the
 * hypervisor's symbols): the guest cannot know where they are otherwise. */
static const char *const hyp_objects[] = {"hyp_text", "hyp_marker",	"hyp_data", "hyp_stack",
					  "hyp_pool", "host_guest_ram", "stage"};

/* probe_hyp_objects: the first pages of each object named on the command line. */
static void probe_hyp_objects(void)
{
	for (u32 i = 0; i < ARRAY_SIZE(hyp_objects); i++) {
		u32 pa;
		if (!rt_arg_u32(hyp_objects[i], &pa)) {
			continue;
		}
		u32 before = stats.mismatches;
		for (u32 off = 0; off < 4 * PAGE; off += PAGE) {
			probe_va((pa & ~PAGE_OFFSET_MASK) + off, true, off == 0);
		}
		rt_printf("hostile escape: %s at 0x%08x is %s%s\n", hyp_objects[i], pa,
			  in_ram(pa, 4) ? "an IPA in guest RAM" : "outside guest RAM",
			  stats.mismatches == before ? "" : " DIFFERS");
	}
}

/* probe_host_ram: page by page from the base of host RAM (QEMU's DTB, the hypervisor, its
 * pool, guest RAM, the staged image), whatever the guest's own RAM is. */
static void probe_host_ram(void)
{
	u32 before = stats.mismatches;
	for (u32 pa = rt_ram_base(); pa < HOST_SCAN; pa += PAGE) {
		probe_va(pa, !in_ram(pa, 4), (pa & (SECTION - 1)) == 0 && !in_ram(pa, 4));
	}
	rt_printf("hostile escape: host RAM range 0x%08x..0x%08x page by page%s\n", rt_ram_base(),
		  HOST_SCAN, stats.mismatches == before ? "" : " DIFFERS");
	before = stats.mismatches;
	for (u64 pa = HOST_SCAN; pa < WINDOW_VA; pa += 16 * MiB) {
		probe_va((u32)pa, true, true);
	}
	for (u64 pa = WINDOW_END; pa < TOP_END; pa += 16 * MiB) {
		probe_va((u32)pa, true, true);
	}
	rt_printf("hostile escape: above, every 16 MiB%s\n",
		  stats.mismatches == before ? "" : " DIFFERS");
}

/* probe_windows: addresses above 4 GiB, then the low range the windows hide. */
static void probe_windows(void)
{
	u32 va[ARRAY_SIZE(high_targets)];
	u32 before = stats.mismatches;
	for (u32 i = 0; i < ARRAY_SIZE(high_targets); i++) {
		va[i] = map_window(i, high_targets[i]);
	}
	rt_tlb_flush_all();
	for (u32 i = 0; i < ARRAY_SIZE(high_targets); i++) {
		probe_va(va[i], true, true);
		probe_va(va[i] + 0x18, true, false);
	}
	rt_printf("hostile escape: above 4 GiB%s\n", stats.mismatches == before ? "" : " DIFFERS");
}

/* case_escape: every probe of the escape case, MMU on (fmt=). */
static int case_escape(void)
{
	escape_space();
	mmu_on();
	stats_reset();
	probe_hyp_objects();
	for (u32 i = 0; i < ARRAY_SIZE(device_ranges); i++) {
		probe_range(&device_ranges[i]);
	}
	probe_host_ram();
	probe_windows();
	mmu_off();
	return summary("escape");
}

/* ---- case loops ---- */

#define LOOP_VA	   0xc0000000u /* short: 3 MiB of loops; LPAE: the GiB of the root's loop */
#define LOOP_L2_VA 0x7fc00000u /* LPAE: a level-2 entry pointing back at the root */
#define LOOP_L3_VA 0x7fe00000u /* LPAE: a level-2 entry pointing at its own table */
#define SCRATCH	   (8u * MiB)  /* guest RAM from here on is free for any case */

/* write_through: store through va (which the guest's tables send to its RAM) and check the
 * store landed where its tables say, then put the old value back. */
static void write_through(u32 va, u32 tag)
{
	struct expect e = predict(va, S1_WRITE);
	if (e.kind != EXP_RAM) {
		rt_printf("hostile: 0x%08x is not writable RAM (status 0x%03x)\n", va, e.fsr);
		rt_exit(2);
	}
	volatile u32 *identity = (volatile u32 *)(uintptr_t)e.pa;
	u32 old = *identity;
	struct outcome o = probe_write(va, tag);
	stats.probes++;
	if (o.aborted || *identity != tag) {
		o.value = *identity;
		mismatch("write", va, &e, &o);
	}
	*identity = old;
}

/* probe_pages: count pages from va, read (and searched) each. */
static void probe_pages(u32 va, u32 count)
{
	for (u32 i = 0; i < count; i++) {
		probe_va(va + i * PAGE, false, false);
	}
}

/* loops_short: the short-descriptor loops, probed and written through. */
static void loops_short(void)
{
	paddr_t root = sp.r.root;
	/* Level-1 entries used as level-2 ones: sections read as small pages, page-table
	 * entries as large pages. The first KiB of the root describes the device MiBs, the
	 * KiB at RAM's index the RAM sections (readable: their AP and domain bits land on a
	 * small page's AP as PL1 read/write), the third KiB the loop entries themselves. */
	install_table_at(LOOP_VA, 0, root);
	install_table_at(LOOP_VA + SECTION, 0, root + 4 * (rt_ram_base() >> 20));
	install_table_at(LOOP_VA + 2 * SECTION, 0, root + 4 * (LOOP_VA >> 20));
	rt_tlb_flush_all();
	probe_pages(LOOP_VA, 3 * SECTION / PAGE);
	write_through(LOOP_VA + SECTION + (SCRATCH / SECTION) * PAGE + 0x40, 0x100b5001u);
}

/* lpae_table_of: the table that holds the level-(li + 1) entry of va. */
static paddr_t lpae_table_of(u32 va, unsigned li)
{
	struct pt_walk w;
	pt_walk(&sp.r, &mem, va, &w);
	return ALIGN_DOWN(w.desc_pa[li], (paddr_t)PAGE);
}

/* loops_lpae: the LPAE loops, probed and written through. */
static void loops_lpae(void)
{
	paddr_t root = sp.r.root;
	/* The root as a level-2 table of the last GiB (its table entries then give level-3
	 * tables that are level-2 ones, whose block entries are reserved at level 3); a
	 * level-2 entry pointing back at the root as a level-3 table (its table entries are
	 * pages there); a level-2 entry pointing at its own table. */
	install_table_at(LOOP_VA, 0, root);
	install_table_at(LOOP_L2_VA, 1, root);
	install_table_at(LOOP_L3_VA, 1, lpae_table_of(LOOP_L3_VA, 1));
	rt_tlb_flush_all();
	for (u32 i = 0; i < 4; i++) {
		probe_pages(LOOP_VA + i * BLOCK, BLOCK / PAGE);
	}
	probe_pages(LOOP_L2_VA, BLOCK / PAGE);
	probe_pages(LOOP_L3_VA, BLOCK / PAGE);
	/* The root seen as a level-3 table through the level-2 loop: entry 3 (VA 0xc0000000's
	 * level-1 entry) maps the root page itself; offset 0x800 is past the 4 level-1
	 * entries, an invalid level-2 entry of the root-as-level-2 view (bit 0 clear). */
	write_through(LOOP_L2_VA + 3 * PAGE + 0x800, 0x100b5000u);
}

/* case_loops: tables pointing into themselves (fmt=). */
static int case_loops(void)
{
	space_new();
	map_ram_and_uart();
	mmu_on();
	stats_reset();
	if (sp.lpae) {
		loops_lpae();
	} else {
		loops_short();
	}
	mmu_off();
	return summary("loops");
}

/* ---- case ttbr ---- */

/* Table bases outside guest RAM or in device space (16 KiB aligned: any TTBR takes them). */
static const u32 bogus_tables[] = {
    0x00000000u, /* flash */
    0x08000000u, /* GIC distributor */
    0x08030000u, /* GIC virtual interface control: the hypervisor's */
    0x09000000u, /* the UART (emulated for data accesses, never for walks) */
    0x0a000000u, /* virtio-mmio */
    0x3f000000u, /* PCIe ECAM */
    0x44000000u, /* the host address of guest RAM */
    0xfffec000u, /* the top of the address space */
};
static const u64 bogus_high_tables[] = {0x100000000ull, 0x109000000ull, 0x140000000ull,
					0xfffffff000ull};

/* Probed through a bogus TTBR1 (VA >= 2 GiB) and a bogus TTBR0 (VA < 1 GiB). */
static const u32 ttbr1_vas[] = {0x80000000u, 0x80001000u, 0xc0123000u, 0xffff0000u, 0xffffe000u};
static const u32 ttbr0_vas[] = {0x00000000u, 0x00001000u, 0x09000000u, 0x20000000u, 0x3ffff000u};

/* Splits of TTBCR: TTBR0 below 2 GiB (TTBR1 above), and TTBR0 below 1 GiB. */
#define SPLIT_2G_SHORT 1u
#define SPLIT_1G_SHORT 2u
#define SPLIT_2G_LPAE  ((1u << TTBCR_T0SZ_SHIFT) | (1u << TTBCR_T1SZ_SHIFT))
#define SPLIT_1G_LPAE  (2u << TTBCR_T0SZ_SHIFT)

/* set_ttbr: TTBR1 (one) or TTBR0 = base: a 32-bit MCR in the short format, MCRR in LPAE. */
static void set_ttbr(bool one, u64 base)
{
	if (sp.lpae && one) {
		write_ttbr1_64(base);
	} else if (sp.lpae) {
		write_ttbr0_64(base);
	} else if (one) {
		write_ttbr1((u32)base);
	} else {
		write_ttbr0((u32)base);
	}
	rt_tlb_flush_all();
}

/* ttbr_round: point TTBR0 or TTBR1 at each bogus base in turn, with the MMU on, and
 * probe the VAs it translates. For TTBR0 the console (VA 0x09000000) is unreachable:
 * nothing is printed until it is restored. */
static void ttbr_round(bool one, u32 n_vas, const u32 *vas, u32 hyp_pool)
{
	u64 bases[ARRAY_SIZE(bogus_tables) + ARRAY_SIZE(bogus_high_tables) + 2];
	u32 n = 0;
	for (u32 i = 0; i < ARRAY_SIZE(bogus_tables); i++) {
		bases[n++] = bogus_tables[i];
	}
	bases[n++] = ALIGN_UP(rt_ram_base() + rt_ram_size(), 16 * KiB);
	if (hyp_pool != 0) {
		bases[n++] = ALIGN_DOWN(hyp_pool, 16 * KiB);
	}
	for (u32 i = 0; sp.lpae && i < ARRAY_SIZE(bogus_high_tables); i++) {
		bases[n++] = bogus_high_tables[i];
	}
	for (u32 b = 0; b < n; b++) {
		set_ttbr(one, bases[b]);
		/* QEMU 7.2 under stage 2 drops bits [39:32] of a table address above 4 GiB
		 * and walks guest RAM at the low bits, with no stage-2 fault for the hypervisor
		 * to see (docs/hypervisor.md): accepted as an alias of the guest's own RAM. */
		struct s1_state alias = guest_state();
		if (one) {
			alias.ttbr1 = (u32)alias.ttbr1;
		} else {
			alias.ttbr0 = (u32)alias.ttbr0;
		}
		for (u32 i = 0; i < n_vas; i++) {
			probe_va_alt(vas[i], true, true, (bases[b] >> 32) != 0 ? &alias : NULL);
		}
	}
	set_ttbr(one, one ? 0 : sp.r.root);
}

/* plant_alias_table: at the base of guest RAM (free: the image starts 64 KiB higher), a
 * table whose first entry is a block mapping RAM: what a walk aliased to the low 32 bits
 * of a table address 0x1_4000_0000 finds, so that such a walk visibly succeeds. */
static void plant_alias_table(void)
{
	volatile u64 *t = (volatile u64 *)(uintptr_t)rt_ram_base();
	t[0] = sp.r.fmt->make_leaf(rt_ram_base(), 0, sp.a->ram);
	t[1] = 0;
	dsb();
}

/* case_ttbr: TTBR1, then TTBR0, at bogus tables with the MMU on (fmt=). */
static int case_ttbr(void)
{
	u32 hyp_pool = 0;
	rt_arg_u32("hyp_pool", &hyp_pool);
	space_new();
	map_ram_and_uart();
	stats_reset();
	if (sp.lpae) {
		plant_alias_table();
	}
	/* TTBR1 bogus: TTBR0 (the good tables) covers everything below 2 GiB. */
	mmu_on_split(sp.lpae ? SPLIT_2G_LPAE : SPLIT_2G_SHORT);
	ttbr_round(true, ARRAY_SIZE(ttbr1_vas), ttbr1_vas, hyp_pool);
	mmu_off();
	/* TTBR0 bogus: TTBR1 holds the good tables and covers everything from 1 GiB. */
	write_ttbr1_64(sp.r.root);
	mmu_on_split(sp.lpae ? SPLIT_1G_LPAE : SPLIT_1G_SHORT);
	ttbr_round(false, ARRAY_SIZE(ttbr0_vas), ttbr0_vas, hyp_pool);
	mmu_off();
	write_ttbcr(sp.lpae ? TTBCR_LPAE_WALKS : 0);
	write_ttbr1_64(0);
	return summary("ttbr");
}

/* ---- cases tramp-map, tramp-late, tramp-peek ---- */

/* map_trampoline_va: map VA 0xfffff000 (what the shadow module must refuse) to a RAM page. */
static u32 map_trampoline_va(void)
{
	u32 page = rt_ram_base() + SCRATCH + 5 * PAGE;
	map(TRAMPOLINE_VA, page, PAGE, sp.a->ram, 12);
	dsb();
	isb();
	return page;
}

/* tramp_write: store through VA 0xfffff000 and read the page back through RAM. */
static int tramp_write(const char *name, u32 page)
{
	volatile u32 *p = (volatile u32 *)(uintptr_t)(page + 0x10);
	*p = 0;
	*(volatile u32 *)(TRAMPOLINE_VA + 0x10) = 0x7a4b0001u;
	bool ok = *p == 0x7a4b0001u;
	mmu_off();
	rt_printf("hostile %s: the guest's own page at 0x%08x %s\n", name, TRAMPOLINE_VA,
		  ok ? "took the store" : "did NOT take the store");
	return ok ? 0 : 1;
}

/* case_tramp_map: VA 0xfffff000 mapped, then the MMU turned on, then a store. */
static int case_tramp_map(void)
{
	space_new();
	map_ram_and_uart();
	u32 page = map_trampoline_va();
	mmu_on();
	return tramp_write("tramp-map", page);
}

/* case_tramp_late: the MMU on, then VA 0xfffff000 mapped, then a store. */
static int case_tramp_late(void)
{
	space_new();
	map_ram_and_uart();
	mmu_on();
	u32 page = map_trampoline_va(); /* invalid -> valid: no TLB maintenance needed */
	return tramp_write("tramp-late", page);
}

/* tramp_probe: the trampoline page (its first slot, its literal pool) where the guest maps
 * nothing. A fetch there that is not refused runs to the guest's reset vector: the
 * SPSR_svc it returns with must be sane. */
static void tramp_probe(void)
{
	u32 cpsr;
	__asm__ volatile("mrs %0, cpsr\n msr spsr_fsxc, %0" : "=r"(cpsr)::"memory");
	probe_va(TRAMPOLINE_VA, true, true); /* the fetch last: got says where it went */
	if (got.reset_vector) {
		rt_printf("hostile: the fetch at 0x%08x ran the guest's reset vector\n",
			  TRAMPOLINE_VA);
	}
	probe_va(TRAMPOLINE_VA + 0x20, true, false);
}

/* case_tramp_peek: VA 0xfffff000 unmapped, MMU off and on. */
static int case_tramp_peek(void)
{
	stats_reset();
	tramp_probe(); /* MMU off: an unassigned physical address */
	space_new();
	map_ram_and_uart();
	mmu_on();
	tramp_probe(); /* MMU on: a translation fault */
	mmu_off();
	return summary("tramp-peek");
}

/* ---- case vectors ---- */

#define INSN_LDR_PC_PC_18 0xe59ff018u /* ldr pc, [pc, #0x18]: the literal 0x20 bytes on */
#define INSN_ADD_R0_IMM	  0xe2800000u /* add r0, r0, #imm8 */
#define INSN_MOVS_PC_LR	  0xe1b0f00eu
#define INSN_UDF	  0xe7f000f0u
#define INSN_B		  0xea000000u
#define STUB_OFFSET	  0x40u /* the UNDEF handler stub, after the vectors and literals */
#define HIGH_VECTORS	  0xffff0000u

extern const u32 rt_vectors[8];

/* rt_vector_target: where rt's vector slot i branches (each is "b <handler>", A8.8.18). */
static u32 rt_vector_target(u32 i)
{
	u32 insn = rt_vectors[i];
	return (u32)(uintptr_t)&rt_vectors[i] + 8 + (u32)((s32)(insn << 8) >> 6);
}

/* make_vectors: a vector page at page whose slots reach rt's handlers through literals,
 * except UNDEF, which runs a stub adding inc to r0 and returning. */
static void make_vectors(u32 page, u32 inc)
{
	volatile u32 *v = (volatile u32 *)(uintptr_t)page;
	for (u32 i = 0; i < 8; i++) {
		v[i] = INSN_LDR_PC_PC_18;
		v[8 + i] = rt_vector_target(i);
	}
	v[VEC_UNDEF / 4] = INSN_B | (((STUB_OFFSET - VEC_UNDEF - 8) >> 2) & 0xffffffu);
	v[STUB_OFFSET / 4] = INSN_ADD_R0_IMM | inc;
	v[STUB_OFFSET / 4 + 1] = INSN_MOVS_PC_LR;
	sync_code(page, STUB_OFFSET + 8);
}

/* undef_adds: what the UNDEF handler now adds to r0. */
static u32 undef_adds(void)
{
	arm(); /* rt's own handler (the last check) only records the UNDEF */
	u32 r0 = run_insn(INSN_UDF, 0, 0, 0, 0).r0;
	disarm();
	return r0;
}

static u32 vector_checks, vector_wrong;

/* expect_adds: check that the installed UNDEF handler adds want to r0. */
static void expect_adds(const char *what, u32 want)
{
	u32 got_inc = undef_adds();
	vector_checks++;
	if (got_inc != want) {
		vector_wrong++;
		rt_printf("hostile vectors: %s: the UNDEF handler added %u, not %u\n", what,
			  got_inc, want);
	}
}

/* case_vectors: vector pages written, moved and raised to 0xffff0000. */
static int case_vectors(void)
{
	u32 v1 = rt_ram_base() + SCRATCH, v2 = v1 + PAGE;
	make_vectors(v1, 1);
	make_vectors(v2, 3);
	write_vbar(v1);
	isb();
	expect_adds("a new vector page", 1);
	make_vectors(v1, 2); /* rewritten in place */
	expect_adds("the vector page rewritten", 2);
	write_vbar(v2);
	isb();
	expect_adds("VBAR moved", 3);
	write_vbar(v1);
	isb();
	expect_adds("VBAR moved back", 2);
	/* High vectors: SCTLR.V with the MMU on, 0xffff0000 mapped to the second page. */
	space_new();
	map_ram_and_uart();
	map(HIGH_VECTORS, v2, PAGE, sp.a->ram, 12);
	mmu_on();
	write_sctlr(read_sctlr() | SCTLR_V);
	isb();
	expect_adds("high vectors", 3);
	/* An abort through the high vectors: they reach rt's handler (its pages are touched
	 * first: a shadow miss in the guest's Abort-mode entry is a documented limit of the
	 * shadow module, docs/shadow-design.md). */
	(void)*(volatile u32 *)(uintptr_t)rt_vector_target(VEC_DABT / 4);
	struct outcome o = probe_read(0x70000000u);
	vector_checks++;
	if (!o.aborted) {
		vector_wrong++;
		rt_printf("hostile vectors: no abort through the high vectors\n");
	}
	write_sctlr(read_sctlr() & ~SCTLR_V);
	mmu_off();
	write_vbar((u32)(uintptr_t)rt_vectors);
	isb();
	expect_adds("rt's vectors again", 0);
	rt_printf("hostile vectors: %u checks, %u wrong\n", vector_checks, vector_wrong);
	return vector_wrong == 0 ? 0 : 1;
}

/* ---- case tlbflood ---- */

#define ALIAS_VA   0x80000000u
#define ASID_A	   1u
#define ASID_B	   2u
#define TAG_PAGE_A 0xa11a5a00u
#define TAG_PAGE_B 0xa11a5b00u

/* alias_desc_pa: where the descriptor that maps ALIAS_VA last in the guest's tables is. */
static paddr_t alias_desc_pa(void)
{
	struct pt_walk w;
	pt_walk(&sp.r, &mem, ALIAS_VA, &w);
	return w.desc_pa[w.depth - 1];
}

/* The 14 PL1 TLB maintenance operations (B4.2.2). */
enum tlbi_arg { ARG_NONE, ARG_MVA, ARG_ASID, ARG_MVAA };
struct tlbi_kind {
	const char *name;
	enum tlbi_arg arg;
	bool data; /* does it cover data accesses (unified or data TLB)? */
};
static const struct tlbi_kind tlbi_kinds[] = {
    {"TLBIALL", ARG_NONE, true},    {"TLBIMVA", ARG_MVA, true},	    {"TLBIASID", ARG_ASID, true},
    {"TLBIMVAA", ARG_MVAA, true},   {"ITLBIALL", ARG_NONE, false},  {"ITLBIMVA", ARG_MVA, false},
    {"ITLBIASID", ARG_ASID, false}, {"DTLBIALL", ARG_NONE, true},   {"DTLBIMVA", ARG_MVA, true},
    {"DTLBIASID", ARG_ASID, true},  {"TLBIALLIS", ARG_NONE, true},  {"TLBIMVAIS", ARG_MVA, true},
    {"TLBIASIDIS", ARG_ASID, true}, {"TLBIMVAAIS", ARG_MVAA, true},
};

/* tlbi_do: TLB maintenance operation k of tlbi_kinds with argument a. */
static void tlbi_do(u32 k, u32 a)
{
	switch (k) {
	case 0:
		__asm__ volatile("mcr p15, 0, %0, c8, c7, 0" ::"r"(a) : "memory");
		break;
	case 1:
		__asm__ volatile("mcr p15, 0, %0, c8, c7, 1" ::"r"(a) : "memory");
		break;
	case 2:
		__asm__ volatile("mcr p15, 0, %0, c8, c7, 2" ::"r"(a) : "memory");
		break;
	case 3:
		__asm__ volatile("mcr p15, 0, %0, c8, c7, 3" ::"r"(a) : "memory");
		break;
	case 4:
		__asm__ volatile("mcr p15, 0, %0, c8, c5, 0" ::"r"(a) : "memory");
		break;
	case 5:
		__asm__ volatile("mcr p15, 0, %0, c8, c5, 1" ::"r"(a) : "memory");
		break;
	case 6:
		__asm__ volatile("mcr p15, 0, %0, c8, c5, 2" ::"r"(a) : "memory");
		break;
	case 7:
		__asm__ volatile("mcr p15, 0, %0, c8, c6, 0" ::"r"(a) : "memory");
		break;
	case 8:
		__asm__ volatile("mcr p15, 0, %0, c8, c6, 1" ::"r"(a) : "memory");
		break;
	case 9:
		__asm__ volatile("mcr p15, 0, %0, c8, c6, 2" ::"r"(a) : "memory");
		break;
	case 10:
		__asm__ volatile("mcr p15, 0, %0, c8, c3, 0" ::"r"(a) : "memory");
		break;
	case 11:
		__asm__ volatile("mcr p15, 0, %0, c8, c3, 1" ::"r"(a) : "memory");
		break;
	case 12:
		__asm__ volatile("mcr p15, 0, %0, c8, c3, 2" ::"r"(a) : "memory");
		break;
	default:
		__asm__ volatile("mcr p15, 0, %0, c8, c3, 3" ::"r"(a) : "memory");
		break;
	}
}

static struct {
	u32 asid;
	paddr_t alias_desc; /* where the alias page's leaf descriptor is */
	u32 reg_writes;
} fl;

/* set_asid: make asid current (CONTEXTIDR in the short format, TTBR0 in LPAE). */
static void set_asid(u32 asid)
{
	fl.asid = asid;
	if (sp.lpae) {
		write_ttbr0_64(sp.r.root | ((u64)asid << TTBR_ASID_SHIFT));
	} else {
		write_contextidr(asid);
	}
	isb();
}

/* point_alias: make the alias page (not global) map page pa, as seen by the next walk. */
static void point_alias(paddr_t pa)
{
	u64 d = sp.r.fmt->make_leaf(pa, sp.lpae ? 2 : 1, sp.a->ram_ng);
	ram_write(NULL, fl.alias_desc, sp.r.fmt->desc_bytes, d);
	dsb();
}

/* register_write: one of the translation-register writes, each with the value it keeps. */
static void register_write(u32 i)
{
	fl.reg_writes++;
	switch (i % 5) {
	case 0:
		set_asid(fl.asid == ASID_A ? ASID_B : ASID_A);
		break;
	case 1:
		if (sp.lpae) {
			write_ttbr0_64(sp.r.root | ((u64)fl.asid << TTBR_ASID_SHIFT));
		} else {
			write_ttbr0((u32)sp.r.root);
		}
		break;
	case 2:
		write_ttbr1_64(0);
		break;
	case 3:
		write_ttbcr(read_ttbcr());
		break;
	default:
		write_contextidr(read_contextidr());
		break;
	}
	isb();
}

/* case_tlbflood: n= TLB operations, each after repointing the alias page (fmt=). */
static int case_tlbflood(void)
{
	u32 n = 10000, wrong = 0;
	rt_arg_u32("n", &n);
	u32 page_a = rt_ram_base() + SCRATCH + 16 * PAGE, page_b = page_a + PAGE;
	*(volatile u32 *)(uintptr_t)page_a = TAG_PAGE_A;
	*(volatile u32 *)(uintptr_t)page_b = TAG_PAGE_B;
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, page_a, PAGE, sp.a->ram_ng, 12);
	fl.alias_desc = alias_desc_pa();
	fl.reg_writes = 0;
	mmu_on();
	set_asid(ASID_A);
	for (u32 i = 0; i < n; i++) {
		u32 k = i % ARRAY_SIZE(tlbi_kinds);
		bool to_b = (i & 1) == 0;
		point_alias(to_b ? page_b : page_a);
		u32 a = tlbi_kinds[k].arg == ARG_MVA	? ALIAS_VA | fl.asid
			: tlbi_kinds[k].arg == ARG_ASID ? fl.asid
			: tlbi_kinds[k].arg == ARG_MVAA ? ALIAS_VA
							: 0;
		tlbi_do(k, a);
		dsb();
		isb();
		u32 v = *(volatile u32 *)ALIAS_VA;
		u32 want = to_b ? TAG_PAGE_B : TAG_PAGE_A, stale = to_b ? TAG_PAGE_A : TAG_PAGE_B;
		if (v != want && (tlbi_kinds[k].data || v != stale)) {
			if (wrong++ < MAX_MISMATCH_LOGS) {
				rt_printf(
				    "hostile tlbflood: after %s (op %u) the alias reads 0x%08x, "
				    "not 0x%08x\n",
				    tlbi_kinds[k].name, i, v, want);
			}
		}
		if (i % 3 == 2) {
			register_write(i / 3);
		}
	}
	mmu_off();
	rt_printf("hostile tlbflood: %u maintenance operations of %u kinds, %u register writes, "
		  "%u wrong translations\n",
		  n, (u32)ARRAY_SIZE(tlbi_kinds), fl.reg_writes, wrong);
	return wrong == 0 ? 0 : 1;
}

/* ---- case cp15 ---- */

#define CP_DEBUG  14u
#define CP_SYSTEM 15u
#define CRN_PMU	  9u
#define CRN_TIMER 14u
#define CRN_IMPL  15u
#define CRM_PMU	  12u /* c9, c12..c14: the event counters */
#define MAX_SAVED 1024u

/* FNV-1a over words: a digest of what a sweep saw, compared between memory modules. */
static u32 digest(u32 h, u32 w)
{
	return (h ^ w) * 16777619u;
}

/* volatile_reg: a register whose value changes by itself (counters, timers). */
static bool volatile_reg(u32 cp, u32 crn, u32 crm)
{
	return cp == CP_SYSTEM && (crn == CRN_TIMER || (crn == CRN_PMU && crm >= CRM_PMU));
}

/* mrc_insn: MRC p<cp>, opc1, r0, c<crn>, c<crm>, opc2. */
static u32 mrc_insn(u32 cp, u32 opc1, u32 crn, u32 crm, u32 opc2)
{
	return INSN_MRC | CP_OPC1(opc1) | CP_CRN(crn) | CP_NUM(cp) | CP_OPC2(opc2) | crm;
}

static struct {
	bool dump;    /* dump=1: print every readable register */
	u32 skip_crn; /* skip=<mask>: CP15 CRn values (bit n) left out of the sweeps */
	u32 readable, undefined, undef_digest, value_digest, writes, write_undefs;
	u32 saved_insn[MAX_SAVED], saved_val[MAX_SAVED], nsaved;
} cp;

/* try_insn: run a coprocessor instruction; true unless it was UNDEFINED. */
static bool try_insn(u32 insn, u32 a0, u32 a1, struct r0r1 *out)
{
	arm();
	*out = run_insn(insn, a0, a1, 0, 0);
	return !disarm().undef;
}

/* try_read: run a read (MRC, MRRC), counting it as readable or UNDEFINED. */
static bool try_read(u32 insn, struct r0r1 *out)
{
	if (!try_insn(insn, 0, 0, out)) {
		cp.undefined++;
		cp.undef_digest = digest(cp.undef_digest, insn);
		return false;
	}
	cp.readable++;
	return true;
}

/* try_write: run a write (MCR, MCRR) of a0 (and a1), counting it and whether it was
 * UNDEFINED. */
static void try_write(u32 insn, u32 a0, u32 a1)
{
	struct r0r1 r;
	cp.writes++;
	if (!try_insn(insn, a0, a1, &r)) {
		cp.write_undefs++;
		cp.undef_digest = digest(cp.undef_digest, insn);
	}
}

/* sweep_mrc: every MRC encoding of coprocessor cp (opc1 and opc2 limited to the given
 * masks); readable ones of CP15 are kept to be written back. */
static void sweep_mrc(u32 cp_num, u32 opc1_max, u32 opc2_max)
{
	for (u32 opc1 = 0; opc1 <= opc1_max; opc1++) {
		for (u32 crn = 0; crn < 16; crn++) {
			if (cp_num == CP_SYSTEM && (cp.skip_crn & BIT(crn)) != 0) {
				continue;
			}
			for (u32 crm = 0; crm < 16; crm++) {
				for (u32 opc2 = 0; opc2 <= opc2_max; opc2++) {
					u32 insn = mrc_insn(cp_num, opc1, crn, crm, opc2);
					struct r0r1 r;
					if (!try_read(insn, &r)) {
						continue;
					}
					if (cp.dump) {
						rt_printf(
						    "hostile cp15: readable p%u, %u, c%u, c%u, "
						    "%u = 0x%08x\n",
						    cp_num, opc1, crn, crm, opc2, r.r0);
					}
					if (!volatile_reg(cp_num, crn, crm)) {
						cp.value_digest =
						    digest(digest(cp.value_digest, insn), r.r0);
					}
					if (cp_num == CP_SYSTEM && cp.nsaved < MAX_SAVED) {
						cp.saved_insn[cp.nsaved] = insn;
						cp.saved_val[cp.nsaved++] = r.r0;
					}
				}
			}
		}
	}
}

/* write_back: MCR of every readable CP15 register with the value it read (the same state,
 * through the write path: trapped, emulated or passed through), except counters and timers
 * (PMCNTENCLR written back would stop the hypervisor's own counter, which QEMU does not
 * protect: docs/hypervisor.md). */
static void write_back(void)
{
	for (u32 i = 0; i < cp.nsaved; i++) {
		u32 insn = cp.saved_insn[i] & ~INSN_L_BIT; /* MCR */
		if (volatile_reg(CP_SYSTEM, BITS(insn, 19, 16), BITS(insn, 3, 0))) {
			continue; /* counters and timers: a write is not "the same state" */
		}
		try_write(insn, cp.saved_val[i], 0);
	}
}

/* c15_writes: MCR of 0 to every implementation-defined (c15) encoding. */
static void c15_writes(void)
{
	for (u32 opc1 = 0; opc1 < 8; opc1++) {
		for (u32 crm = 0; crm < 16; crm++) {
			for (u32 opc2 = 0; opc2 < 8; opc2++) {
				try_write(INSN_MCR | CP_OPC1(opc1) | CP_CRN(CRN_IMPL) |
					      CP_NUM(CP_SYSTEM) | CP_OPC2(opc2) | crm,
					  0, 0);
			}
		}
	}
}

/* sweep_mrrc: every MRRC encoding of CP15 (r0, r1), readable ones written back by MCRR. */
static void sweep_mrrc(void)
{
	for (u32 opc1 = 0; opc1 < 16; opc1++) {
		for (u32 crm = 0; crm < 16; crm++) {
			u32 insn = INSN_MRRC | CP_NUM(CP_SYSTEM) | CPRR_OPC1(opc1) | crm;
			struct r0r1 r;
			if (!try_read(insn, &r)) {
				continue;
			}
			if (crm != CRN_TIMER) {
				cp.value_digest = digest(digest(cp.value_digest, r.r0), r.r1);
			}
			try_write(INSN_MCRR | CP_NUM(CP_SYSTEM) | CPRR_OPC1(opc1) | crm, r.r0,
				  r.r1);
		}
	}
}

/* case_cp15: the coprocessor sweeps, with digests to compare between modules. */
static int case_cp15(void)
{
	cp.dump = rt_arg_is("dump", "1");
	rt_arg_u32("skip", &cp.skip_crn);
	sweep_mrc(CP_SYSTEM, 7, 7);
	write_back();
	c15_writes();
	sweep_mrrc();
	u32 after_cp15 = cp.value_digest;
	sweep_mrc(CP_DEBUG, 7, 7);
	for (u32 other = 0; other < CP_DEBUG; other++) { /* the rest: opc1 and opc2 0..1 */
		sweep_mrc(other, 1, 1);
	}
	rt_printf("hostile cp15: %u readable, %u undefined, %u writes (%u undefined)\n",
		  cp.readable, cp.undefined, cp.writes, cp.write_undefs);
	rt_printf("hostile cp15: digests: undefined 0x%08x, cp15 values 0x%08x, all values "
		  "0x%08x\n",
		  cp.undef_digest, after_cp15, cp.value_digest);
	return 0;
}

/* ---- case smccc ---- */

#define SMCCC_FAST    BIT(31)
#define SMCCC_SMC64   BIT(30)
#define OWNER_SHIFT   24
#define OWNERS	      64u
#define NOT_SUPPORTED ((u32)SMCCC_NOT_SUPPORTED)
#define INVALID_PARAM ((u32)SMCCC_INVALID_PARAMETER)

/* rng: a linear congruential generator (Numerical Recipes): the same garbage on every
 * run of a seed. */
static u32 rng_state;
static u32 rng(void)
{
	rng_state = rng_state * 1664525u + 1013904223u;
	return rng_state;
}

/* known_fid: a function the hypervisor implements (tb/hcall.h). */
static bool known_fid(u32 fid)
{
	static const u32 known[] = {TB_HC_NULL,	    TB_HC_EXIT,	     TB_HC_DESCRIBE,
				    TB_HC_SNAPSHOT, TB_HC_REVISION,  PSCI_VERSION,
				    PSCI_FEATURES,  PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET};
	for (u32 i = 0; i < ARRAY_SIZE(known); i++) {
		if (known[i] == fid) {
			return true;
		}
	}
	return false;
}

static struct {
	u32 calls, wrong;
} sc;

/* call_expect: one call through HVC #0 or SMC #0; r0 must be want, r1-r3 unchanged. */
static void call_expect(bool smc, u32 fid, u32 a1, u32 a2, u32 a3, u32 want)
{
	u32 r[4] = {fid, a1, a2, a3};
	rt_call(smc, r);
	sc.calls++;
	if (r[0] != want || r[1] != a1 || r[2] != a2 || r[3] != a3) {
		if (sc.wrong++ < MAX_MISMATCH_LOGS) {
			rt_printf("hostile smccc: %s 0x%08x (0x%08x, 0x%08x, 0x%08x) -> r0 0x%08x "
				  "(want 0x%08x) r1-r3 0x%08x 0x%08x 0x%08x\n",
				  smc ? "SMC" : "HVC", fid, a1, a2, a3, r[0], want, r[1], r[2],
				  r[3]);
		}
	}
}

/* garbage_calls: function IDs of every owner, fast and yielding, SMC32 and SMC64, with
 * random function numbers (and reserved bits) and random arguments. */
static void garbage_calls(void)
{
	for (u32 owner = 0; owner < OWNERS; owner++) {
		for (u32 k = 0; k < 8; k++) {
			u32 fid = (k & 1 ? SMCCC_FAST : 0) | (k & 2 ? SMCCC_SMC64 : 0) |
				  (owner << OWNER_SHIFT) | (rng() & (k & 4 ? 0xffffffu : 0xffffu));
			if (known_fid(fid)) {
				continue;
			}
			u32 a1 = rng(), a2 = rng(), a3 = rng();
			call_expect(false, fid, a1, a2, a3, NOT_SUPPORTED);
			call_expect(true, fid, a1, a2, a3, NOT_SUPPORTED);
		}
	}
	for (u32 i = 0; i < 64; i++) { /* PSCI_FEATURES of garbage */
		u32 f = rng();
		if (!known_fid(f) || (f >> OWNER_SHIFT) != (PSCI_VERSION >> OWNER_SHIFT)) {
			call_expect(i & 1, PSCI_FEATURES, f, 0, 0, NOT_SUPPORTED);
		}
	}
}

/* hostile_buffers: DESCRIBE and SNAPSHOT with buffers whose entries would not all fit in
 * guest RAM (outside it, straddling its ends, wrapping around the address space, too small
 * for even one entry) answer INVALID_PARAMETER. The length is a capacity: only the bytes the
 * entries need must be RAM. */
static void hostile_buffers(void)
{
	const u32 base = rt_ram_base(), end = base + rt_ram_size();
	const struct {
		u32 ipa, len;
	} bad[] = {
	    {base - 8, 4096},
	    {end - 8, 4096},
	    {end, 4096},
	    {base, 0},
	    {base, 8},
	    {end - 24, 0xfffffff8u},
	    {0, 4096},
	    {RT_UART, 4096},
	    {0xfffffff8u, 4096},
	    {0xfffffff0u, 0x40000020u},
	    {base - 16, 0x7fffffffu},
	    {0x44000000u, 4096},
	};
	for (u32 i = 0; i < ARRAY_SIZE(bad); i++) {
		if (bad[i].ipa == 0x44000000u && in_ram(bad[i].ipa, 4096)) {
			continue; /* the host address of guest RAM: an IPA in RAM above 64 MiB */
		}
		call_expect(false, TB_HC_DESCRIBE, bad[i].ipa, bad[i].len, 0, INVALID_PARAM);
		call_expect(true, TB_HC_SNAPSHOT, bad[i].ipa, bad[i].len, 0, INVALID_PARAM);
	}
	/* SNAPSHOT's buffer must be 8-byte aligned. */
	call_expect(false, TB_HC_SNAPSHOT, base + SCRATCH + 4, 4096, 0, INVALID_PARAM);
}

/* smc_immediates: SMC #imm for every imm4: the immediate is not part of the convention. */
static void smc_immediates(void)
{
	for (u32 imm = 0; imm < 16; imm++) {
		struct r0r1 r = run_insn(INSN_SMC | imm, TB_HC_NULL, 0, 0, 0);
		sc.calls++;
		if (r.r0 != 0) {
			sc.wrong++;
			rt_printf("hostile smccc: SMC #%u NULL -> 0x%08x\n", imm, r.r0);
		}
	}
}

/* case_smccc: garbage calls, hostile buffers, SMC immediates, then sane calls. */
static int case_smccc(void)
{
	rng_state = 1;
	rt_arg_u32("seed", &rng_state);
	garbage_calls();
	hostile_buffers();
	smc_immediates();
	/* The calls still work afterwards. */
	call_expect(false, PSCI_VERSION, 0, 0, 0, PSCI_VERSION_1_0);
	call_expect(true, TB_HC_NULL, 0, 0, 0, 0);
	if (rt_counter_index("core.hc_unknown") < 0) {
		sc.wrong++;
		rt_printf("hostile smccc: DESCRIBE no longer works\n");
	}
	rt_printf("hostile smccc: %u calls, %u answered wrongly\n", sc.calls, sc.wrong);
	return sc.wrong == 0 ? 0 : 1;
}

/* ---- case hvcimm ---- */

/* case_hvcimm: HVC #imm=; it must not return. */
static int case_hvcimm(void)
{
	u32 imm = 1;
	rt_arg_u32("imm", &imm);
	rt_printf("hostile hvcimm: HVC #%u\n", imm);
	struct r0r1 r =
	    run_insn(INSN_HVC | ((imm & 0xfff0u) << 4) | (imm & 0xfu), TB_HC_NULL, 0, 0, 0);
	rt_printf("hostile hvcimm: HVC #%u was answered (r0 0x%08x) instead of refused\n", imm,
		  r.r0);
	return 3;
}

/* ---- case exhaust ---- */

#define TAG_EXHAUST 0xe0000000u

/* exhaust_region_ok: may 2 MiB region r be remapped (not RAM, the UART or the top)? */
static bool exhaust_region_ok(u32 r)
{
	u32 va = r * BLOCK;
	return !(va + BLOCK > rt_ram_base() && va < rt_ram_base() + rt_ram_size()) &&
	       va != (RT_UART & ~(BLOCK - 1)) && va != ALIGN_DOWN(TRAMPOLINE_VA, BLOCK);
}

/* exhaust_slot: the RAM address that region r's touched word lands on. */
static u32 exhaust_slot(u32 r)
{
	return rt_ram_base() + SCRATCH + (r % 4) * BLOCK + (r * 64) % BLOCK;
}

/* case_exhaust: one word in each remappable 2 MiB region, written then read twice. */
static int case_exhaust(void)
{
	u32 regions = 0, wrong = 0;
	space_new();
	map_ram_and_uart();
	for (u32 r = 0; r < (u32)(BIT64(32) / BLOCK); r++) {
		if (exhaust_region_ok(r)) {
			u32 base = rt_ram_base() + SCRATCH + (r % 4) * BLOCK;
			map(r * BLOCK, base, BLOCK, sp.a->ram, sp.a->block_shift);
			regions++;
		}
	}
	mmu_on();
	for (u32 pass = 0; pass < 2; pass++) {
		for (u32 r = 0; r < (u32)(BIT64(32) / BLOCK); r++) {
			if (!exhaust_region_ok(r)) {
				continue;
			}
			volatile u32 *p = (volatile u32 *)(uintptr_t)(r * BLOCK + (r * 64) % BLOCK);
			if (pass == 0) {
				*p = TAG_EXHAUST | r;
			}
			if (*p != (TAG_EXHAUST | r) ||
			    *(volatile u32 *)(uintptr_t)exhaust_slot(r) != (TAG_EXHAUST | r)) {
				wrong++;
			}
		}
	}
	mmu_off();
	rt_printf("hostile exhaust: %u regions of 2 MiB touched twice, %u wrong values\n", regions,
		  wrong);
	return wrong == 0 ? 0 : 1;
}

/* ---- case scan ---- */

/* case_scan: search all of guest RAM (MMU off) for the marker; natively, with the
 * hypervisor's image loaded into RAM, this finds it (the test's positive control). */
static int case_scan(void)
{
	stats_reset();
	for (u32 pa = rt_ram_base(); pa - rt_ram_base() < rt_ram_size(); pa += PAGE) {
		struct outcome o = {0};
		scan_if_readable(pa, &o);
	}
	rt_printf("hostile scan: %u pages of guest RAM searched, %u marker hits\n",
		  stats.pages_scanned, stats.marker_hits);
	return stats.marker_hits == 0 ? 0 : 1;
}

/* ---- case hcwrite ---- */

/* case_hcwrite: the hypervisor's own writes to guest RAM are seen like the guest's: an alias
 * page is read (shadowed: its level-3 table protected), then the testbed SNAPSHOT call
 * writes the counters over that table so that the alias's descriptor receives
 * core.hc_exit (0 while the guest runs); after TLBIALL the alias must fault, as natively
 * and under stage 2. */
static int case_hcwrite(void)
{
	u32 page_a = rt_ram_base() + SCRATCH + 16 * PAGE;
	*(volatile u32 *)(uintptr_t)page_a = TAG_PAGE_A;
	int idx = rt_counter_index("core.hc_exit");
	u32 va = ALIAS_VA + 64 * PAGE;
	space_new();
	map_ram_and_uart();
	map(va, page_a, PAGE, sp.a->ram_ng, 12);
	struct pt_walk w;
	pt_walk(&sp.r, &mem, va, &w);
	paddr_t desc = w.desc_pa[w.depth - 1];
	mmu_on();
	struct outcome before = probe_read(va);
	u32 buf = (u32)desc - 8u * (u32)idx;
	s32 n = (s32)rt_hvc(TB_HC_SNAPSHOT, buf, PAGE, 0);
	u32 now_desc = *(volatile u32 *)(uintptr_t)desc;
	rt_tlb_flush_all();
	struct outcome after = probe_read(va);
	mmu_off();
	rt_printf("hostile hcwrite: %d counters written at 0x%08x, descriptor now 0x%08x; "
		  "before: %s 0x%08x; after TLBIALL: %s fsr 0x%03x\n",
		  (int)n, buf, now_desc, before.aborted ? "abort" : "read", before.value,
		  after.aborted ? "abort" : "read", after.fsr);
	bool ok = !before.aborted && before.value == TAG_PAGE_A && now_desc == 0 && after.aborted;
	rt_printf("hostile hcwrite: %s\n", ok ? "ok" : "WRONG (a stale translation)");
	return ok ? 0 : 1;
}

/* ---- case stalewr ---- */

/* case_stalewr: a PL1 store through a stale shadow of a page PL1 may write and PL0 only read
 * (short AP=0b010, shadowed read-only, PL1's stores emulated), whose descriptor now maps the
 * UART (written without TLB maintenance, the table out of sync: run with
 * shadow.sync=unsync). Architecturally the store reaches page A (the old translation, which
 * a TLB may hold) or the UART (the new one): the guest reports where, and the test checks
 * that page A took it or the UART printed it. It once went to host address 0. */
static int case_stalewr(void)
{
	u32 page_a = rt_ram_base() + SCRATCH + 16 * PAGE;
	*(volatile u32 *)(uintptr_t)page_a = TAG_PAGE_A;
	u64 pl1rw_pl0ro = (1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B | (2u << SD_SEC_AP_SHIFT) |
			  (DOMAIN_RAM << SD_DOMAIN_SHIFT);
	u64 dev_pl1rw_pl0ro = SD_SEC_B | (2u << SD_SEC_AP_SHIFT) | (DOMAIN_RAM << SD_DOMAIN_SHIFT);
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, page_a, PAGE, pl1rw_pl0ro, 12);
	paddr_t desc = alias_desc_pa();
	mmu_on();
	struct outcome before = probe_read(ALIAS_VA);
	*(volatile u32 *)(uintptr_t)desc = (u32)sp.r.fmt->make_leaf(RT_UART, 1, dev_pl1rw_pl0ro);
	dsb();
	struct outcome o = probe_write(ALIAS_VA, 'Q');
	u32 a_now = *(volatile u32 *)(uintptr_t)page_a;
	mmu_off();
	rt_printf("\nhostile stalewr: read %s, store %s, page A %s\n",
		  before.aborted || before.value != TAG_PAGE_A ? "wrong" : "ok",
		  o.aborted ? "aborted" : "done",
		  a_now == 'Q'		? "took it"
		  : a_now == TAG_PAGE_A ? "unchanged"
					: "corrupted");
	return before.aborted || o.aborted ? 1 : 0;
}

/* ---- cases of review 7: what the guest sees natively, which the shadow module must keep ---- */

#define UNALIGNED_OFFSET 2u /* an LDM from here takes an alignment fault (A3.2.1) */

/* probe_ldm: LDM of one word from va: word alignment required whatever SCTLR.A says. */
static struct outcome probe_ldm(u32 va)
{
	u32 v = POISON;
	arm();
	__asm__ volatile("ldm %1, {%0}" : "+r"(v) : "r"(va) : "memory");
	struct outcome o = disarm();
	o.value = v;
	return o;
}

/* case_align: the guest's first abort is an alignment fault (MMU off, short format): its
 * handler's entry (vector, Abort-mode stack) runs on pages nothing has touched yet. */
static int case_align(void)
{
	u32 va = rt_ram_base() + SCRATCH + UNALIGNED_OFFSET;
	struct outcome o = probe_ldm(va);
	bool ok = o.aborted && o.fsr == FSR_SD_ALIGNMENT && o.far == va;
	rt_printf("hostile align: %s, fsr 0x%03x, far %s\n",
		  o.aborted ? "alignment fault" : "no abort", o.fsr, o.far == va ? "ok" : "WRONG");
	return ok ? 0 : 1;
}

/* A vector page whose data-abort slot tells the instruction set it runs in: as A32 the
 * slot is "mov r2, #1" and the next one "subs pc, lr, #4"; as T32 the same word is
 * "movs r0, #1; b.n" to a "subs pc, lr, #4" at THUMB_HANDLER (0x12 + 4 + 0x740). */
#define INSN_MOV_R2_1	     0xe3a02001u
#define INSN_SUBS_PC_LR_4    0xe25ef004u
#define T32_SUBS_PC_LR_4_HW1 0xf3deu /* T1 encoding, first halfword */
#define T32_SUBS_PC_LR_4_HW2 0x8f04u
#define THUMB_HANDLER	     0x756u
#define RAN_THUMB	     1u /* r0 set: the T32 reading ran */
#define RAN_A32		     2u /* r2 set: the A32 reading ran */

/* make_state_vectors: the vector page above at page (its other slots unused). */
static void make_state_vectors(u32 page)
{
	volatile u32 *v = (volatile u32 *)(uintptr_t)page;
	volatile u16 *t = (volatile u16 *)(uintptr_t)(page + THUMB_HANDLER);
	v[VEC_DABT / 4] = INSN_MOV_R2_1;
	v[VEC_DABT / 4 + 1] = INSN_SUBS_PC_LR_4;
	t[0] = T32_SUBS_PC_LR_4_HW1;
	t[1] = T32_SUBS_PC_LR_4_HW2;
	sync_code(page, THUMB_HANDLER + 4);
}

/* abort_state: take an alignment fault at va through the state vectors; which reading of
 * the data-abort slot ran (RAN_THUMB, RAN_A32, or 0 if none). */
static u32 abort_state(u32 va)
{
	register u32 r0 __asm__("r0") = 0;
	register u32 r2 __asm__("r2") = 0;
	register u32 r3 __asm__("r3") = va;
	__asm__ volatile("ldm r3, {r1}" : "+r"(r0), "+r"(r2) : "r"(r3) : "r1", "memory", "cc");
	return (r0 != 0 ? RAN_THUMB : 0) | (r2 != 0 ? RAN_A32 : 0);
}

/* case_thumbexc: SCTLR.TE set (exceptions taken to T32, B1.8.3) and an alignment fault:
 * the abort vector must run as T32. */
static int case_thumbexc(void)
{
	u32 page = rt_ram_base() + SCRATCH, old_vbar = read_vbar();
	make_state_vectors(page);
	write_vbar(page);
	write_sctlr(read_sctlr() | SCTLR_TE);
	isb();
	u32 ran = abort_state(rt_ram_base() + SCRATCH + PAGE + UNALIGNED_OFFSET);
	write_sctlr(read_sctlr() & ~SCTLR_TE);
	write_vbar(old_vbar);
	isb();
	rt_printf("hostile thumbexc: the abort handler ran as %s\n", ran == RAN_THUMB ? "T32"
								     : ran == RAN_A32 ? "A32"
										      : "neither");
	return ran == RAN_THUMB ? 0 : 1;
}

/* A T32 vector page whose data-abort slot is a B.W (T4, A8.8.18), as the vectors of Linux's
 * Thumb-2 kernels are, to a handler FAR_HANDLER_PAGES on: "movs r0, #1; subs pc, lr, #4". */
#define T32_MOVS_R0_1	  0x2001u
#define T32_BW_HW1	  0xf000u /* 11110 S=0 imm10 */
#define T32_BW_HW2	  0xb800u /* 10 J1=1 1 J2=1 imm11 (I1 = I2 = 0: forward, < 16 MiB) */
#define T32_BW_IMM11_BITS 11u
#define T32_BW_IMM10_MASK 0x3ffu
#define T32_BW_IMM11_MASK 0x7ffu
#define T32_PC_AHEAD	  4u /* a T32 branch's offset counts from its address + 4 */
#define FAR_HANDLER_PAGES 5u

/* make_far_vectors: at page, the vector page above; its handler written through alias (the
 * guest's other VA of the handler's page), so its own VA is first fetched by the handler. */
static void make_far_vectors(u32 page, u32 alias)
{
	volatile u16 *t = (volatile u16 *)(uintptr_t)(page + VEC_DABT);
	volatile u16 *h = (volatile u16 *)(uintptr_t)alias;
	u32 off = (FAR_HANDLER_PAGES * PAGE - (VEC_DABT + T32_PC_AHEAD)) >> 1;
	t[0] = (u16)(T32_BW_HW1 | ((off >> T32_BW_IMM11_BITS) & T32_BW_IMM10_MASK));
	t[1] = (u16)(T32_BW_HW2 | (off & T32_BW_IMM11_MASK));
	h[0] = T32_MOVS_R0_1;
	h[1] = T32_SUBS_PC_LR_4_HW1;
	h[2] = T32_SUBS_PC_LR_4_HW2;
	sync_code(page + VEC_DABT, 4);
	sync_code(alias, 6);
}

/* case_thumbvec: SCTLR.TE set, a T32 data-abort vector that branches (B.W) to a handler in
 * a page the guest never touched at its VA, then an alignment fault (fmt=: MMU on). Linux's
 * Thumb-2 kernels have such vectors (a B.W to the stubs page). */
static int case_thumbvec(void)
{
	u32 page = rt_ram_base() + SCRATCH, old_vbar = read_vbar();
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, page + FAR_HANDLER_PAGES * PAGE, PAGE, sp.a->ram, 12);
	mmu_on();
	make_far_vectors(page, ALIAS_VA);
	write_vbar(page);
	write_sctlr(read_sctlr() | SCTLR_TE);
	isb();
	u32 ran = abort_state(page + PAGE + UNALIGNED_OFFSET);
	write_sctlr(read_sctlr() & ~SCTLR_TE);
	write_vbar(old_vbar);
	isb();
	mmu_off();
	rt_printf("hostile thumbvec: the far T32 handler %s\n",
		  ran == RAN_THUMB ? "ran" : "did NOT run");
	return ran == RAN_THUMB ? 0 : 1;
}

/* probe_stm2: STM of a then b at va (the second word 4 bytes on). */
static struct outcome probe_stm2(u32 va, u32 a, u32 b)
{
	register u32 r1 __asm__("r1") = a;
	register u32 r2 __asm__("r2") = b;
	arm();
	__asm__ volatile("stm %0, {%1, %2}" ::"r"(va), "r"(r1), "r"(r2) : "memory");
	return disarm();
}

/* space_table_alias: a space (space_new, map_ram_and_uart) where ALIAS_VA maps the leaf
 * table of its own MiB (made by a mapping of ALIAS_VA + 2 pages); that table's address. */
static paddr_t space_table_alias(void)
{
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA + 2 * PAGE, rt_ram_base() + SCRATCH, PAGE, sp.a->ram, 12);
	struct pt_walk w;
	pt_walk(&sp.r, &mem, ALIAS_VA + 2 * PAGE, &w);
	paddr_t table = ALIGN_DOWN(w.desc_pa[w.depth - 1], (paddr_t)PAGE);
	map(ALIAS_VA, table, PAGE, sp.a->ram, 12);
	return table;
}

/* case_stmcross: an STM whose first word goes to a page of one of the guest's own tables
 * (write-protected under shadow tables) and whose second word goes to the next page, which
 * the guest does not map: the guest must take the translation fault of the second word
 * (fmt=). */
static int case_stmcross(void)
{
	paddr_t table = space_table_alias();
	mmu_on();
	struct outcome first = probe_read(ALIAS_VA); /* the table's frame now shapes a shadow */
	u32 last = *(volatile u32 *)(uintptr_t)(table + PAGE - 4);
	struct expect e = predict(ALIAS_VA + PAGE, S1_WRITE);
	struct outcome o = probe_stm2(ALIAS_VA + PAGE - 4, last, POISON);
	mmu_off();
	bool ok = !first.aborted && e.kind == EXP_ABORT && o.aborted && o.fsr == e.fsr &&
		  o.far == ALIAS_VA + PAGE;
	rt_printf("hostile stmcross: %s, fsr 0x%03x (expected 0x%03x), far 0x%08x\n",
		  o.aborted ? "abort" : "no abort", o.fsr, e.fsr, o.far);
	return ok ? 0 : 1;
}

/* forge_trampoline_entry(far, fsr): what an abort would leave (DFAR, DFSR, Abort mode,
 * LR_abt = here + 8, SPSR_abt = the caller's SVC-mode CPSR), then a branch to VA 0xfffff010,
 * the shadow module's data-abort slot. Natively (nothing mapped there) the fetch aborts and
 * on_forge_abort resumes at the label; either way it returns to its caller in SVC mode. */
void forge_trampoline_entry(u32 far, u32 fsr);
__asm__(".text\n"
	".balign 4\n"
	".global forge_trampoline_entry\n"
	"forge_trampoline_entry:\n"
	"	mcr	p15, 0, r0, c6, c0, 0\n" /* DFAR */
	"	mcr	p15, 0, r1, c5, c0, 0\n" /* DFSR */
	"	isb\n"
	"	mrs	r2, cpsr\n"
	"	adr	r3, 1f\n"
	"	add	r3, r3, #8\n" /* a data abort's LR: the instruction + 8 */
	"	cps	#0x17\n"
	"	msr	spsr_fsxc, r2\n"
	"	mov	lr, r3\n"
	"	movw	r12, #0xf010\n"
	"	movt	r12, #0xffff\n"
	"	bx	r12\n"
	"1:	bx	lr\n");

#define FORGED_FSR 0x007u /* a translation fault in both formats (short FS 0b00111, long L3) */

static volatile u32 forge_vector; /* the abort that followed a forged entry, 0 if none */

/* on_forge_abort: the abort that followed a forged trampoline entry (natively the fetch at
 * 0xfffff010, in Abort mode), its vector noted: resume at the label of
 * forge_trampoline_entry (r3 - 8) in its caller's mode (r2). */
static bool on_forge_abort(u32 vector, struct rt_frame *f)
{
	if (vector != VEC_PABT && vector != VEC_DABT) {
		return false;
	}
	forge_vector = vector;
	f->pc = f->r[3] - 8;
	f->spsr = f->r[2];
	return true;
}

/* case_tramp_forge: the guest enters the shadow module's trampoline slot itself, from Abort
 * mode, as a data abort at a VA it has touched would (MMU off); n=N: N times in a row (each
 * time natively a prefetch abort the guest resumes from). */
static int case_tramp_forge(void)
{
	u32 far = (u32)(uintptr_t)&forge_trampoline_entry; /* a page in use: shadowed */
	u32 cpsr, n = 1;
	rt_arg_u32("n", &n);
	forge_vector = 0;
	rt_set_handler(on_forge_abort);
	for (u32 i = 0; i < n; i++) {
		forge_trampoline_entry(far, FORGED_FSR);
	}
	rt_set_handler(on_exception);
	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	bool svc = (cpsr & PSR_MODE_MASK) == PSR_MODE_SVC;
	rt_printf("hostile tramp-forge: back in %s mode (the fetch %s)\n", svc ? "SVC" : "another",
		  forge_vector == VEC_PABT   ? "aborted"
		  : forge_vector == VEC_DABT ? "gave a DATA ABORT"
					     : "did not abort");
	return svc && forge_vector != VEC_DABT ? 0 : 1;
}

/* FORGED_PERM_WRITE_FSR: a write's permission fault at level 3 in both formats (short FS
 * 0b01111, long 0b001111; WnR). */
#define FORGED_PERM_WRITE_FSR (BIT(11) | 0x00fu)

/* case_tramp_forge_perm: with the MMU on (fmt=lpae), the guest forges at the trampoline's
 * data-abort slot a write permission fault at a page it maps for PL1 only (RW, shadowed),
 * reported at an instruction that is no load or store (the label's BX). Natively the branch
 * to VA 0xfffff010, which the guest does not map, takes a prefetch abort; a forged entry may
 * get an exception return at most (docs/shadow-design.md), never a data abort. */
static int case_tramp_forge_perm(void)
{
	u32 va = rt_ram_base() + SCRATCH + 3 * PAGE;
	space_new();
	map_ram_and_uart();
	mmu_on();
	*(volatile u32 *)(uintptr_t)va = 0; /* shadowed, writable at PL1 */
	forge_vector = 0;
	rt_set_handler(on_forge_abort);
	forge_trampoline_entry(va, FORGED_PERM_WRITE_FSR);
	rt_set_handler(on_exception);
	mmu_off();
	bool dabt = forge_vector == VEC_DABT;
	rt_printf("hostile tramp-forge-perm: %s (the forged entry gave %s)\n",
		  dabt ? "a DATA ABORT" : "no data abort",
		  forge_vector == VEC_PABT ? "a prefetch abort"
		  : dabt		   ? "a data abort"
					   : "no abort");
	return dabt ? 1 : 0;
}

#define ABT_LR_TAG   0x1234abcdu
#define ABT_SPSR_TAG (BIT(30) | BIT(29) | PSR_A | PSR_I | PSR_F | PSR_MODE_SVC) /* Z, C */
#define FRESH_PAGE   40u /* a page of the scratch area no case touches before */

/* abt_regs_write: LR_abt and SPSR_abt set from SVC mode (through Abort mode). */
static void abt_regs_write(u32 lr, u32 spsr)
{
	__asm__ volatile("mrs	r12, cpsr\n"
			 "cps	#0x17\n"
			 "mov	lr, %0\n"
			 "msr	spsr_fsxc, %1\n"
			 "msr	cpsr_c, r12\n" ::"r"(lr),
			 "r"(spsr)
			 : "r12", "lr", "memory");
}

/* abt_regs_read: LR_abt and SPSR_abt, read from SVC mode (through Abort mode). */
static void abt_regs_read(u32 *lr, u32 *spsr)
{
	u32 l, s;
	__asm__ volatile("mrs	r12, cpsr\n"
			 "cps	#0x17\n"
			 "mov	%0, lr\n"
			 "mrs	%1, spsr\n"
			 "msr	cpsr_c, r12\n"
			 : "=&r"(l), "=&r"(s)
			 :
			 : "r12", "lr", "memory");
	*lr = l;
	*spsr = s;
}

/* case_abtregs: LR_abt and SPSR_abt, which the guest may use as it likes outside an abort
 * handler, hold what it wrote across the first touch of a page (MMU off). */
static int case_abtregs(void)
{
	u32 lr, spsr;
	abt_regs_write(ABT_LR_TAG, ABT_SPSR_TAG);
	(void)*(volatile u32 *)(uintptr_t)(rt_ram_base() + SCRATCH + FRESH_PAGE * PAGE);
	abt_regs_read(&lr, &spsr);
	bool ok = lr == ABT_LR_TAG && spsr == ABT_SPSR_TAG;
	rt_printf("hostile abtregs: LR_abt 0x%08x, SPSR_abt 0x%08x after a first touch: %s\n", lr,
		  spsr, ok ? "kept" : "CHANGED");
	return ok ? 0 : 1;
}

/* thumb_ldrt(va): LDRT r0, [r0] in T32 (a load checked as PL0, A8.8.92), r0 returned. */
u32 thumb_ldrt(u32 va);
__asm__(".text\n"
	".balign 4\n"
	".global thumb_ldrt\n"
	".type thumb_ldrt, %function\n"
	".thumb\n"
	".thumb_func\n"
	"thumb_ldrt:\n"
	"	ldrt	r0, [r0]\n" /* a 32-bit encoding (T1): the abort handler steps 4 bytes */
	"	bx	lr\n"
	".arm\n");

/* case_thumb_ldrt: PL1 T32 code loads with LDRT from RAM that the guest maps for PL1 only
 * (fmt=lpae: AP[2:1] = 0b00): the guest must take the permission fault of a PL0 access. */
static int case_thumb_ldrt(void)
{
	u32 va = rt_ram_base() + SCRATCH + 3 * PAGE;
	struct s1_result r;
	space_new();
	map_ram_and_uart();
	mmu_on();
	struct s1_state st = guest_state();
	enum s1_fault want = s1_translate(&st, &mem, va, S1_READ, true, &r);
	(void)*(volatile u32 *)(uintptr_t)va; /* shadowed for PL1 first */
	arm();
	u32 v = thumb_ldrt(va);
	struct outcome o = disarm();
	mmu_off();
	bool ok = want == S1_FAULT_PERMISSION && o.aborted && o.fsr == r.fsr && o.far == va;
	rt_printf("hostile thumb-ldrt: %s, fsr 0x%03x (expected 0x%03x), far %s, r0 0x%08x\n",
		  o.aborted ? "abort" : "no abort", o.fsr, r.fsr, o.far == va ? "ok" : "WRONG", v);
	return ok ? 0 : 1;
}

/* thumb_str(va, v): STR r1, [r0] in T32 (a 16-bit encoding). */
void thumb_str(u32 va, u32 v);
__asm__(".text\n"
	".balign 4\n"
	".global thumb_str\n"
	".type thumb_str, %function\n"
	".thumb\n"
	".thumb_func\n"
	"thumb_str:\n"
	"	str	r1, [r0]\n"
	"	bx	lr\n"
	".arm\n");

#define TAG_THUMB_STORE 0x7b5701a0u

/* case_thumb_str010: PL1 T32 code stores to a page it maps PL1 read/write, PL0 read-only
 * (short AP = 0b010): the store must land (fmt=short). */
static int case_thumb_str010(void)
{
	u32 page = rt_ram_base() + SCRATCH + 16 * PAGE;
	u64 pl1rw_pl0ro = (1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B | (2u << SD_SEC_AP_SHIFT) |
			  (DOMAIN_RAM << SD_DOMAIN_SHIFT);
	*(volatile u32 *)(uintptr_t)page = 0;
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, page, PAGE, pl1rw_pl0ro, 12);
	mmu_on();
	arm();
	thumb_str(ALIAS_VA, TAG_THUMB_STORE);
	struct outcome o = disarm();
	mmu_off();
	bool ok = !o.aborted && *(volatile u32 *)(uintptr_t)page == TAG_THUMB_STORE;
	rt_printf("hostile thumb-str010: the store %s\n", ok ? "landed" : "did NOT land");
	return ok ? 0 : 1;
}

#define PIN_FILL_REGIONS 8u  /* 2 MiB regions touched: with shadow.pool=16, the pool is full */
#define PIN_STACK_REGION 15u /* the region of RAM (of 16 in 32 MiB) the Abort-mode stack is in */
#define PIN_FAULT_VA	 0x70000000u /* mapped by nothing */

/* abt_sp_swap: SP_abt set to new_sp; the old one returned. */
static u32 abt_sp_swap(u32 new_sp)
{
	u32 old;
	__asm__ volatile("mrs	r12, cpsr\n"
			 "cps	#0x17\n"
			 "mov	%0, sp\n"
			 "mov	sp, %1\n"
			 "msr	cpsr_c, r12\n"
			 : "=&r"(old)
			 : "r"(new_sp)
			 : "r12", "memory");
	return old;
}

/* case_pinlost: an abort delivered while the table pool is full (run under shadow with
 * shadow.pool=16), with the Abort-mode stack in a 2 MiB region nothing has touched: the
 * handler's entry runs as natively (fmt=short). */
static int case_pinlost(void)
{
	u32 stack = rt_ram_base() + PIN_STACK_REGION * BLOCK + BLOCK / 2;
	space_new();
	map_ram_and_uart();
	mmu_on();
	u32 old_sp = abt_sp_swap(stack);
	for (u32 i = 1; i <= PIN_FILL_REGIONS; i++) {
		(void)*(volatile u32 *)(uintptr_t)(rt_ram_base() + i * BLOCK);
	}
	struct outcome o = probe_read(PIN_FAULT_VA);
	abt_sp_swap(old_sp);
	mmu_off();
	rt_printf("hostile pinlost: %s at 0x%08x\n", o.aborted ? "abort" : "no abort", o.far);
	return o.aborted && o.far == PIN_FAULT_VA ? 0 : 1;
}

#define NEST_FIRST_VA  0x70000000u /* mapped by nothing: the abort taken from SVC mode */
#define NEST_SECOND_VA 0x70400000u /* mapped by nothing: the one taken from Abort mode */
#define NEST_FIRST_PA  0x09100000u /* unassigned in QEMU virt (MMU off): external aborts */
#define NEST_SECOND_PA 0x09200000u
#define NEST_FRESH     (FRESH_PAGE + 1u)

/* probe_read_abt: probe_read of va made from Abort mode, as an abort handler that faults
 * itself would (its abort nests: LR_abt and SPSR_abt are overwritten, B1.9.8); with an
 * LDRT (checked as PL0) if unprivileged, as a handler that copies from user memory. */
static struct outcome probe_read_abt(u32 va, bool unprivileged)
{
	u32 v = POISON;
	arm();
	__asm__ volatile("mrs	r12, cpsr\n"
			 "cps	#0x17\n"
			 "cmp	%2, #0\n"
			 "bne	1f\n"
			 "ldr	%0, [%1]\n"
			 "b	2f\n"
			 "1:	ldrt	%0, [%1]\n"
			 "2:	msr	cpsr_c, r12\n"
			 : "+r"(v)
			 : "r"(va), "r"(unprivileged)
			 : "r12", "cc", "memory");
	struct outcome o = disarm();
	o.value = v;
	return o;
}

/* case_nestabt: an abort taken from SVC mode, then one taken from Abort mode, then a page
 * touched for the first time: DFSR and DFAR still report the second abort. With fmt=,
 * translation faults at VAs the guest does not map; without, MMU off, external aborts at
 * unassigned addresses. */
static int case_nestabt(void)
{
	bool mmu = rt_arg_is("fmt", "short") || rt_arg_is("fmt", "lpae");
	u32 first_va = mmu ? NEST_FIRST_VA : NEST_FIRST_PA;
	u32 second_va = mmu ? NEST_SECOND_VA : NEST_SECOND_PA;
	if (mmu) {
		space_new();
		map_ram_and_uart();
		mmu_on();
	}
	struct outcome first = probe_read(first_va);
	struct outcome second = probe_read_abt(second_va, false);
	(void)*(volatile u32 *)(uintptr_t)(rt_ram_base() + SCRATCH + NEST_FRESH * PAGE);
	u32 dfsr = read_dfsr(), dfar = read_dfar();
	if (mmu) {
		mmu_off();
	}
	bool ok = first.aborted && second.aborted && second.far == second_va && dfar == second_va &&
		  dfsr == second.fsr;
	rt_printf("hostile nestabt: after a first touch, DFSR 0x%03x (0x%03x), DFAR 0x%08x: %s\n",
		  dfsr, second.fsr, dfar, ok ? "the nested abort's" : "WRONG");
	return ok ? 0 : 1;
}

/* ---- cases of review 8 ---- */

/* TEX=001 C B: normal write-back; AP=0b010: PL1 read/write, PL0 read-only; domain 1. */
#define SD_PL1RW_PL0RO                                                                             \
	((1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B | (2u << SD_SEC_AP_SHIFT) |                \
	 (DOMAIN_RAM << SD_DOMAIN_SHIFT))

/* AP=0b001: PL1 read/write, PL0 no access; otherwise as SD_PL1RW_PL0RO. */
#define SD_PL1RW                                                                                   \
	((1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B | (1u << SD_SEC_AP_SHIFT) |                \
	 (DOMAIN_RAM << SD_DOMAIN_SHIFT))

/* space_010: a short-format space (space_new, map_ram_and_uart) that maps ALIAS_VA to page
 * PL1 read/write, PL0 read-only; the MMU still off. */
static void space_010(u32 page)
{
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, page, PAGE, SD_PL1RW_PL0RO, 12);
}

#define XPAGE_TAG  0x44332211u /* stored across the boundary: 0x2211 below it, 0x4433 above */
#define XPAGE_SKEW 2u	       /* the word starts this far below the boundary */

/* case_xpage010: PL1 stores a word (SCTLR.A = 0: an unaligned STR is allowed, A3.2.1) across
 * the boundary between a page it maps PL1 read/write, PL0 read-only (short AP = 0b010) and
 * the next page, read/write: both halves must land (fmt=short). */
static int case_xpage010(void)
{
	u32 page = rt_ram_base() + SCRATCH + 16 * PAGE;
	volatile u16 *below = (volatile u16 *)(uintptr_t)(page + PAGE - XPAGE_SKEW);
	volatile u16 *above = (volatile u16 *)(uintptr_t)(page + PAGE);
	*below = 0;
	*above = 0;
	space_010(page);
	map(ALIAS_VA + PAGE, page + PAGE, PAGE, sp.a->ram, 12);
	mmu_on();
	u32 sctlr = read_sctlr();
	write_sctlr(sctlr & ~SCTLR_A);
	isb();
	struct outcome o = probe_write(ALIAS_VA + PAGE - XPAGE_SKEW, XPAGE_TAG);
	write_sctlr(sctlr);
	mmu_off();
	bool ok = !o.aborted && *below == (u16)XPAGE_TAG && *above == (u16)(XPAGE_TAG >> 16);
	rt_printf("hostile xpage010: %s, below 0x%04x, above 0x%04x: %s\n",
		  o.aborted ? "abort" : "no abort", *below, *above, ok ? "landed" : "WRONG");
	return ok ? 0 : 1;
}

#define STREX_TAG   0x57e3c010u
#define STREX_TRIES 100u /* a STREX may fail spuriously (A3.4.5): retried, up to this */

/* strex_word: LDREX then STREX of v at va until the STREX succeeds (up to STREX_TRIES
 * times); the attempts made. */
static u32 strex_word(u32 va, u32 v)
{
	u32 tries = 0, status = 1, old;
	while (status != 0 && tries < STREX_TRIES) {
		tries++;
		__asm__ volatile("ldrex	%0, [%2]\n"
				 "strex	%1, %3, [%2]\n"
				 : "=&r"(old), "=&r"(status)
				 : "r"(va), "r"(v)
				 : "memory");
	}
	return status == 0 ? tries : 0;
}

/* ldrt_word: LDRT of the word at va (a load checked as PL0, A8.8.92), into a register
 * other than the base (the same one, with the writeback of its A32 encoding, is
 * UNPREDICTABLE: case ldrt-nt). */
static u32 ldrt_word(u32 va)
{
	u32 v;
	__asm__ volatile("ldrt	%0, [%1]" : "=&r"(v) : "r"(va) : "memory");
	return v;
}

/* case_strex010: PL1 updates a word with LDREX/STREX (as an atomic operation does) in a page
 * it maps PL1 read/write, PL0 read-only (short AP = 0b010), reads it as PL0 (LDRT), then
 * updates it again: both stores must land and the PL0 read see the first (fmt=short). */
static int case_strex010(void)
{
	u32 page = rt_ram_base() + SCRATCH + 16 * PAGE;
	*(volatile u32 *)(uintptr_t)page = 0;
	space_010(page);
	mmu_on();
	arm();
	u32 tries = strex_word(ALIAS_VA, STREX_TAG);
	u32 seen = ldrt_word(ALIAS_VA);
	u32 again = strex_word(ALIAS_VA, ~STREX_TAG);
	struct outcome o = disarm();
	mmu_off();
	bool ok = !o.aborted && tries != 0 && again != 0 && seen == STREX_TAG &&
		  *(volatile u32 *)(uintptr_t)page == ~STREX_TAG;
	rt_printf("hostile strex010: the exclusive stores %s, PL0 read 0x%08x\n",
		  ok ? "landed" : "did NOT land", seen);
	return ok ? 0 : 1;
}

/* case_ttbcr30: TTBCR bit 30, IMPLEMENTATION DEFINED in the long format (B4.1.153), which
 * QEMU's cortex-a15 keeps: the guest reads back what it wrote (MMU off). */
static int case_ttbcr30(void)
{
	u32 wrote = TTBCR_EAE | BIT(30);
	write_ttbcr(wrote);
	isb();
	u32 got_ttbcr = read_ttbcr();
	write_ttbcr(0);
	isb();
	rt_printf("hostile ttbcr30: wrote 0x%08x, read 0x%08x\n", wrote, got_ttbcr);
	return got_ttbcr == wrote ? 0 : 1;
}

#define SETEND_TAG 0x11223344u

/* store_be: STR of v at va with big-endian data accesses (SETEND BE, A8.8.150: CPSR.E, which
 * any mode may set), then little-endian again. */
static void store_be(u32 va, u32 v)
{
	__asm__ volatile("setend	be\n"
			 "str	%1, [%0]\n"
			 "setend	le\n" ::"r"(va),
			 "r"(v)
			 : "memory");
}

/* case_setend010: PL1 stores a word big-endian (CPSR.E set) to a page it maps PL1
 * read/write, PL0 read-only (short AP = 0b010): memory must hold its bytes most significant
 * first (fmt=short). */
static int case_setend010(void)
{
	u32 page = rt_ram_base() + SCRATCH + 16 * PAGE;
	*(volatile u32 *)(uintptr_t)page = 0;
	space_010(page);
	mmu_on();
	arm();
	store_be(ALIAS_VA, SETEND_TAG);
	struct outcome o = disarm();
	mmu_off();
	u32 now = *(volatile u32 *)(uintptr_t)page;
	bool ok = !o.aborted && now == __builtin_bswap32(SETEND_TAG);
	rt_printf("hostile setend010: memory holds 0x%08x (little-endian view): %s\n", now,
		  ok ? "big-endian" : "WRONG byte order");
	return ok ? 0 : 1;
}

#define UART_DR		0x000u /* PL011 data register (UART_FR: above) */
#define SETEND_DEV_CHAR 'Q'

/* load_be: a word loaded from va big-endian (CPSR.E set), CPSR.E cleared again. */
static u32 load_be(u32 va)
{
	u32 v;
	__asm__ volatile("setend	be\n"
			 "ldr	%0, [%1]\n"
			 "setend	le\n"
			 : "=r"(v)
			 : "r"(va)
			 : "memory");
	return v;
}

/* case_setenddev: big-endian (CPSR.E set) word accesses to a device (the UART, MMU off): a
 * store of a word whose most significant byte is a character prints that character (the
 * device gets the bytes in memory order), and a load of the flag register reads it
 * byte-reversed (A2.4.3). */
static int case_setenddev(void)
{
	store_be(RT_UART + UART_DR, (u32)SETEND_DEV_CHAR << 24);
	u32 fr = *(volatile u32 *)(uintptr_t)(RT_UART + UART_FR);
	u32 fr_be = load_be(RT_UART + UART_FR);
	bool ok = fr_be == __builtin_bswap32(fr);
	rt_printf("\nhostile setenddev: flag register 0x%08x, big-endian 0x%08x: %s\n", fr, fr_be,
		  ok ? "byte-reversed" : "WRONG");
	return ok ? 0 : 1;
}

/* ---- cases of review 8b ---- */

#define EXT_PA 0x09100000u /* unassigned in QEMU virt: an access there is an external abort */

/* stm_into_ext: an STM of two words at va, the second the first of the next page, which the
 * guest maps (normal memory) to EXT_PA: it must take the external abort of the second word,
 * as the stage-1 model predicts (FSR, FAR). True if it did; o: what it got. */
static bool stm_into_ext(u32 va, struct outcome *o)
{
	struct expect e = predict(va + 4, S1_WRITE);
	*o = probe_stm2(va, *(volatile u32 *)(uintptr_t)va, POISON);
	return e.kind == EXP_ABORT && o->aborted && o->fsr == e.fsr && o->far == va + 4;
}

/* case_stmext: as stmcross, an STM from a page of the guest's own tables into the next page,
 * but that one maps an unassigned address: the external abort of the second word (fmt=). */
static int case_stmext(void)
{
	(void)space_table_alias();
	map(ALIAS_VA + PAGE, EXT_PA, PAGE, sp.a->ram, 12);
	mmu_on();
	(void)probe_read(ALIAS_VA); /* the table's frame now shapes a shadow */
	struct outcome o;
	bool ok = stm_into_ext(ALIAS_VA + PAGE - 4, &o);
	mmu_off();
	rt_printf("hostile stmext: %s, fsr 0x%03x, far 0x%08x\n", o.aborted ? "abort" : "no abort",
		  o.fsr, o.far);
	return ok ? 0 : 1;
}

/* case_stmext010: the same STM from a page PL1 may write and PL0 only read (short AP =
 * 0b010) into a page that maps an unassigned address (fmt=short). */
static int case_stmext010(void)
{
	space_010(rt_ram_base() + SCRATCH + 16 * PAGE);
	map(ALIAS_VA + PAGE, EXT_PA, PAGE, sp.a->ram, 12);
	mmu_on();
	struct outcome o;
	bool ok = stm_into_ext(ALIAS_VA + PAGE - 4, &o);
	mmu_off();
	rt_printf("hostile stmext010: %s, fsr 0x%03x, far 0x%08x\n",
		  o.aborted ? "abort" : "no abort", o.fsr, o.far);
	return ok ? 0 : 1;
}

#define AF_DOMAIN	    2u /* the DACR field af_probe sets (the page is in domain 0) */
#define AF_TAG		    0xaf0c1ea7u
#define SD_FSR_DOMAIN_SHIFT 4 /* a short-format FSR's domain field (B4.1.52) */

/* TEX=001 C B; AP[2:1] = 0b01 (read/write at PL1 and PL0 with SCTLR.AFE set, B3.7.1);
 * AP[0], the access flag, clear; domain AF_DOMAIN. */
#define SD_AF_CLEAR                                                                                \
	((1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B | (2u << SD_SEC_AP_SHIFT) |                \
	 (AF_DOMAIN << SD_DOMAIN_SHIFT))

/* af_probe: a read of va with domain AF_DOMAIN's DACR field set to dom. */
static struct outcome af_probe(u32 va, u32 dom)
{
	write_dacr(DACR_CLIENTS | (dom << (DACR_FIELD_BITS * AF_DOMAIN)));
	isb();
	return probe_read(va);
}

/* af_expect: the stage-1 model's outcome of a read of va matches o (an abort with its status,
 * or a read of tag). */
static bool af_expect(u32 va, const struct outcome *o, u32 tag)
{
	struct expect e = predict(va, S1_READ);
	return e.kind == EXP_ABORT ? o->aborted && o->fsr == e.fsr : !o->aborted && o->value == tag;
}

/* case_afdomain: SCTLR.AFE set (short format: AP[0] is the access flag) and a page whose
 * flag is clear, read while the DACR field of domain AF_DOMAIN is made a manager, then no
 * access: the access flag fault both times (fmt=short). The page's table is in domain 0
 * (pt_map), a client throughout, so this checks the flag alone under DACR writes; which of
 * the access flag and domain faults comes first is domainprio's question. */
static int case_afdomain(void)
{
	u32 page = rt_ram_base() + SCRATCH + 16 * PAGE;
	*(volatile u32 *)(uintptr_t)page = AF_TAG;
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, page, PAGE, SD_AF_CLEAR, 12);
	mmu_on();
	write_sctlr(read_sctlr() | SCTLR_AFE);
	isb();
	struct outcome mgr = af_probe(ALIAS_VA, DACR_MANAGER);
	bool ok = af_expect(ALIAS_VA, &mgr, AF_TAG);
	struct outcome none = af_probe(ALIAS_VA, DACR_NO_ACCESS);
	ok = ok && af_expect(ALIAS_VA, &none, AF_TAG);
	write_dacr(DACR_CLIENTS);
	write_sctlr(read_sctlr() & ~SCTLR_AFE);
	mmu_off();
	rt_printf("hostile afdomain: manager %s 0x%03x, no access %s 0x%03x\n",
		  mgr.aborted ? "abort" : "read", mgr.fsr, none.aborted ? "abort" : "read",
		  none.fsr);
	return ok ? 0 : 1;
}

/* case_afclear: SCTLR.AFE set; a page read (its flag set), then its flag cleared and set
 * again in its descriptor, each time with TLBIALL: the read between takes the access flag
 * fault, the one after reads the page (fmt=short; under shadow, both sync policies). */
static int case_afclear(void)
{
	u32 page = rt_ram_base() + SCRATCH + 16 * PAGE;
	*(volatile u32 *)(uintptr_t)page = AF_TAG;
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, page, PAGE, SD_AF_CLEAR | BIT(SD_SEC_AP_SHIFT), 12);
	volatile u32 *desc = (volatile u32 *)(uintptr_t)alias_desc_pa();
	mmu_on();
	write_sctlr(read_sctlr() | SCTLR_AFE);
	isb();
	struct outcome set = af_probe(ALIAS_VA, DACR_CLIENT);
	*desc &= ~BIT(SD_PG_AP_SHIFT); /* AP[0] of a small page */
	rt_tlb_flush_all();
	struct outcome cleared = af_probe(ALIAS_VA, DACR_CLIENT);
	bool ok = cleared.aborted && af_expect(ALIAS_VA, &cleared, AF_TAG);
	*desc |= BIT(SD_PG_AP_SHIFT);
	rt_tlb_flush_all();
	struct outcome again = af_probe(ALIAS_VA, DACR_CLIENT);
	write_dacr(DACR_CLIENTS);
	write_sctlr(read_sctlr() & ~SCTLR_AFE);
	mmu_off();
	ok = ok && !set.aborted && set.value == AF_TAG && !again.aborted && again.value == AF_TAG;
	rt_printf("hostile afclear: %s, cleared %s 0x%03x, set again %s\n",
		  set.aborted ? "abort" : "read", cleared.aborted ? "abort" : "read", cleared.fsr,
		  again.aborted ? "abort" : "read");
	return ok ? 0 : 1;
}

/* TEX remap (SCTLR.TRE, B3.8.3): TEX[0]:C:B indexes PRRR and NMRR. Index 1 (B: the UART's,
 * and a page of RAM) device, index 7 (TEX=001 C B: RAM) normal write-back. */
#define PRRR_TR_SHIFT(n) (2u * (n))
#define PRRR_TR_DEVICE	 1u
#define PRRR_TR_NORMAL	 2u
#define NMRR_IR_SHIFT(n) (2u * (n))
#define NMRR_OR_SHIFT(n) (2u * (n) + 16u)
#define NMRR_WB_WA	 1u
#define TRE_PRRR	 ((PRRR_TR_DEVICE << PRRR_TR_SHIFT(1)) | (PRRR_TR_NORMAL << PRRR_TR_SHIFT(7)))
#define TRE_NMRR	 ((NMRR_WB_WA << NMRR_IR_SHIFT(7)) | (NMRR_WB_WA << NMRR_OR_SHIFT(7)))
#define TRE_TAG		 0x7e4e3a90u
#define TRE_SKEW	 1u /* an unaligned word (SCTLR.A clear) */

/* case_tre: TEX remap on, RAM mapped as device memory (index 1) at ALIAS_VA: a store and
 * an unaligned load through it (QEMU 7.2 checks no alignment of device memory), PRRR and
 * NMRR read back (fmt=short). */
static int case_tre(void)
{
	u32 page = rt_ram_base() + SCRATCH + 16 * PAGE, sctlr = read_sctlr();
	*(volatile u32 *)(uintptr_t)page = 0;
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, page, PAGE, sp.a->device | (DOMAIN_RAM << SD_DOMAIN_SHIFT), 12);
	write_prrr(TRE_PRRR);
	write_nmrr(TRE_NMRR);
	write_sctlr((sctlr | SCTLR_TRE) & ~SCTLR_A);
	mmu_on();
	struct outcome st = probe_write(ALIAS_VA, TRE_TAG);
	struct outcome ld = probe_read(ALIAS_VA + TRE_SKEW);
	u32 prrr = read_prrr(), nmrr = read_nmrr();
	mmu_off();
	write_sctlr(sctlr);
	isb();
	bool ok = !st.aborted && !ld.aborted && ld.value == TRE_TAG >> 8 && prrr == TRE_PRRR &&
		  nmrr == TRE_NMRR && *(volatile u32 *)(uintptr_t)page == TRE_TAG;
	rt_printf("hostile tre: store %s, unaligned load %s 0x%08x, PRRR 0x%08x NMRR 0x%08x\n",
		  st.aborted ? "abort" : "done", ld.aborted ? "abort" : "read", ld.value, prrr,
		  nmrr);
	return ok ? 0 : 1;
}

#define TAG_BE_PAGE 0xbe0bbe0bu

/* case_setendpt: a big-endian (SETEND BE) PL1 STR of a descriptor to a live table of the
 * guest's (its bytes as the walk reads them: reversed in the register), then TLBIALL: the
 * VA maps the new page (fmt=; under shadow, both sync policies). */
static int case_setendpt(void)
{
	u32 page_a = rt_ram_base() + SCRATCH + 16 * PAGE, page_be = page_a + PAGE;
	*(volatile u32 *)(uintptr_t)page_a = TAG_PAGE_A;
	*(volatile u32 *)(uintptr_t)page_be = TAG_BE_PAGE;
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, page_a, PAGE, sp.a->ram, 12);
	struct pt_walk w;
	pt_walk(&sp.r, &mem, ALIAS_VA, &w);
	u32 desc = (u32)w.desc_pa[w.depth - 1]; /* the low word, in both formats */
	unsigned li = pt_start_index(&sp.r) + w.depth - 1;
	mmu_on();
	struct outcome before = probe_read(ALIAS_VA);
	arm();
	store_be(desc, __builtin_bswap32((u32)sp.r.fmt->make_leaf(page_be, li, sp.a->ram)));
	struct outcome o = disarm();
	rt_tlb_flush_all();
	struct outcome after = probe_read(ALIAS_VA);
	mmu_off();
	bool ok = !o.aborted && before.value == TAG_PAGE_A && after.value == TAG_BE_PAGE;
	rt_printf("hostile setendpt: before 0x%08x, after 0x%08x\n", before.value, after.value);
	return ok ? 0 : 1;
}

/* user_call(va): a branch with link to va in User mode (PL0); the code there ends with an
 * SVC, which on_exception turns into a return to the caller, in its mode (r2), at the label
 * (r3); r0 as the code left it. */
u32 user_call(u32 va);
__asm__(".text\n"
	".balign 4\n"
	".global user_call\n"
	".type user_call, %function\n"
	"user_call:\n"
	"	mov	r1, lr\n"
	"	mrs	r2, cpsr\n"
	"	adr	r3, 1f\n"
	"	cps	#0x10\n"
	"	blx	r0\n"
	"1:	bx	r1\n");

#define INSN_MOV_R0_USER 0xe3a0005au /* mov r0, #0x5a */
#define INSN_SVC_0	 0xef000000u
#define USER_R0		 0x5au
#define LEND_CODE	 0x800u /* offsets in the lent page, above the level-2 table it becomes */
#define LEND_DATA	 0xc00u
#define LEND_TABLE_VA	 (ALIAS_VA + SECTION) /* translated through the lent page */
#define TAG_LEND_B	 0x1e4db00bu
#define TAG_LEND_C	 0x1e4dc00cu

/* lend_point: the lent page's first level-2 descriptor (through its PL1 read/write alias,
 * with STREX if exclusive, else STR) made to map pa, then TLBIALL; what LEND_TABLE_VA
 * reads then. */
static u32 lend_point(paddr_t pa, bool exclusive)
{
	u32 d = (u32)sp.r.fmt->make_leaf(pa, 1, sp.a->ram);
	if (exclusive) {
		(void)strex_word(ALIAS_VA, d);
	} else {
		*(volatile u32 *)(uintptr_t)ALIAS_VA = d;
	}
	rt_tlb_flush_all();
	return probe_read(LEND_TABLE_VA).value;
}

/* case_lend: a page PL1 may write and PL0 only read (short AP = 0b010), where PL1 stores
 * with STREX (which the shadow module cannot emulate: it lends the page to PL1), PL0 runs
 * code (User mode), PL1 stores with STREX again, then the page becomes a level-2 table of
 * the guest's (LEND_TABLE_VA) that STREX and STR change, and PL0 reads it (LDRT): every
 * value as natively (fmt=short; under shadow, both sync policies, with shadow.check=1). */
static int case_lend(void)
{
	u32 page = rt_ram_base() + SCRATCH + 20 * PAGE, b = page + PAGE, c = page + 2 * PAGE;
	memset((void *)(uintptr_t)page, 0, PAGE);
	*(volatile u32 *)(uintptr_t)b = TAG_LEND_B;
	*(volatile u32 *)(uintptr_t)c = TAG_LEND_C;
	volatile u32 *code = (volatile u32 *)(uintptr_t)(page + LEND_CODE);
	code[0] = INSN_MOV_R0_USER;
	code[1] = INSN_SVC_0;
	sync_code(page + LEND_CODE, 8);
	space_010(page);
	mmu_on();
	arm();
	bool first = strex_word(ALIAS_VA + LEND_DATA, STREX_TAG) != 0;
	u32 r0 = user_call(ALIAS_VA + LEND_CODE);
	bool again = strex_word(ALIAS_VA + LEND_DATA, ~STREX_TAG) != 0;
	u32 l1 = (u32)sp.r.root + 4u * (LEND_TABLE_VA >> 20);
	*(volatile u32 *)(uintptr_t)l1 = page | SD_L1_PAGE_TABLE | (DOMAIN_RAM << SD_DOMAIN_SHIFT);
	u32 via_b = lend_point(b, false);
	u32 via_c = lend_point(c, true);
	u32 via_b2 = lend_point(b, false);
	u32 seen = ldrt_word(ALIAS_VA + LEND_DATA);
	struct outcome o = disarm();
	mmu_off();
	bool ok = !o.aborted && first && again && r0 == USER_R0 && via_b == TAG_LEND_B &&
		  via_c == TAG_LEND_C && via_b2 == TAG_LEND_B && seen == ~STREX_TAG;
	rt_printf("hostile lend: PL0 ran 0x%02x; through the table 0x%08x 0x%08x 0x%08x; PL0 "
		  "read 0x%08x: %s\n",
		  r0, via_b, via_c, via_b2, seen, ok ? "as natively" : "WRONG");
	return ok ? 0 : 1;
}

/* case_ldrt_nt: PL1 stores with STREX to a page it maps PL1 read/write, PL0 read-only
 * (short AP = 0b010; lent to PL1 under shadow), then loads the word with an A32 LDRT whose
 * base is its destination ("ldrt r, [r]": the writeback makes it UNPREDICTABLE, A8.8.92,
 * and QEMU 7.2 loads the word): the word must be read, or at worst the load refused as an
 * undefined instruction, never the run stopped (fmt=short). */
static int case_ldrt_nt(void)
{
	u32 page = rt_ram_base() + SCRATCH + 16 * PAGE, v = ALIAS_VA;
	*(volatile u32 *)(uintptr_t)page = 0;
	space_010(page);
	map(ALIAS_VA + PAGE, page + PAGE, PAGE, SD_PL1RW, 12);
	mmu_on();
	arm();
	bool stored = strex_word(ALIAS_VA, STREX_TAG) != 0;
	__asm__ volatile("ldrt	%0, [%0]" : "+r"(v) : : "memory");
	struct outcome o = disarm();
	/* The same form at a page mapped for PL1 only: checked as PL0, it aborts. */
	u32 w = ALIAS_VA + PAGE, pl1_only = w;
	arm();
	__asm__ volatile("ldrt	%0, [%0]" : "+r"(w) : : "memory");
	struct outcome o1 = disarm();
	mmu_off();
	rt_printf("hostile ldrt-nt: %s 0x%08x; PL1-only page: %s, fsr 0x%03x\n",
		  o.aborted ? "abort"
		  : o.undef ? "undef"
			    : "read",
		  v, o1.aborted ? "abort" : "no abort", o1.fsr);
	return stored && !o.aborted && (o.undef || v == STREX_TAG) && o1.aborted &&
		       o1.far == pl1_only
		   ? 0
		   : 1;
}

/* space_pl1_pair: a short-format space (space_new, map_ram_and_uart) where ALIAS_VA and the
 * page after it map two pages for PL1 only (AP = 0b001), the MMU on and the first page read
 * by PL1 (shadowed under shadow), the second never touched. */
static void space_pl1_pair(void)
{
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, rt_ram_base() + SCRATCH + 16 * PAGE, 2 * PAGE, SD_PL1RW, 12);
	mmu_on();
	(void)*(volatile u32 *)(uintptr_t)ALIAS_VA;
}

/* case_ldrt_abt: LDRTs made from Abort mode at two pages mapped for PL1 only (short AP =
 * 0b001), one PL1 read before (shadowed under shadow), one not: checked as PL0 (B3.7.1),
 * each aborts with a permission fault, taken from Abort mode as the guest's own hardware
 * takes it (fmt=short). */
static int case_ldrt_abt(void)
{
	space_pl1_pair();
	struct outcome read = probe_read_abt(ALIAS_VA, true);
	struct outcome fresh = probe_read_abt(ALIAS_VA + PAGE, true);
	u32 dfar = read_dfar();
	mmu_off();
	bool ok = read.aborted && read.far == ALIAS_VA && fresh.aborted &&
		  fresh.far == ALIAS_VA + PAGE && fresh.fsr == read.fsr && dfar == ALIAS_VA + PAGE;
	rt_printf("hostile ldrt-abt: PL1 read before: %s, fsr 0x%03x; not: %s, fsr 0x%03x: %s\n",
		  read.aborted ? "abort" : "no abort", read.fsr,
		  fresh.aborted ? "abort" : "no abort", fresh.fsr, ok ? "as natively" : "WRONG");
	return ok ? 0 : 1;
}

/* probe_ldrt_lr_abt: an LDRT of va made from Abort mode with LR_abt as its base ("mov lr,
 * va; ldrt r0, [lr]", as a handler that keeps a user pointer in its LR would): the abort it
 * takes nests (LR_abt overwritten afterwards, B1.9.8), its DFAR is va. */
static struct outcome probe_ldrt_lr_abt(u32 va)
{
	u32 v = POISON;
	arm();
	__asm__ volatile("mrs	r12, cpsr\n"
			 "cps	#0x17\n"
			 "mov	lr, %1\n"
			 "ldrt	%0, [lr]\n"
			 "msr	cpsr_c, r12\n"
			 : "+r"(v)
			 : "r"(va)
			 : "r12", "lr", "cc", "memory");
	struct outcome o = disarm();
	o.value = v;
	return o;
}

/* case_ldrt_abtlr: case_ldrt_abt's fresh page read by an LDRT whose base is LR_abt, after an
 * abort delivered at another address (fmt=short): natively the LDRT aborts with DFAR the
 * fresh page. A shadow module that fills the page (for PL1) and makes the guest retry the
 * LDRT with LR_abt put back as its last abort left it would read elsewhere. */
static int case_ldrt_abtlr(void)
{
	space_pl1_pair();
	struct outcome read = probe_ldrt_lr_abt(ALIAS_VA);
	struct outcome fresh = probe_ldrt_lr_abt(ALIAS_VA + PAGE);
	mmu_off();
	bool ok = read.aborted && read.far == ALIAS_VA && fresh.aborted &&
		  fresh.far == ALIAS_VA + PAGE && fresh.fsr == read.fsr;
	rt_printf("hostile ldrt-abtlr: shadowed: %s, far 0x%08x; fresh: %s, fsr 0x%03x, far "
		  "0x%08x, r0 0x%08x: %s\n",
		  read.aborted ? "abort" : "no abort", read.far,
		  fresh.aborted ? "abort" : "no abort", fresh.fsr, fresh.far, fresh.value,
		  ok ? "as natively" : "WRONG");
	return ok ? 0 : 1;
}

/* ---- cases of review 8c ---- */

/* Stores the shadow module's decoders refuse (store_by). SWP and SWPB need SCTLR.SW (B4.1.130);
 * the VFP ones CPACR cp10/cp11 access and FPEXC.EN (fpu_on). */
enum store_kind {
	BY_STR,
	BY_SWP,
	BY_SWPB,
	BY_STREXB,
	BY_STREXH,
	BY_STREXD,
	BY_STM_USER,
	BY_SRS,
	BY_VSTR,
	BY_VSTM,
	BY_KINDS
};
static const char *const store_kind_name[BY_KINDS] = {"str",	"swp",	"swpb", "strexb", "strexh",
						      "strexd", "stm^", "srs",	"vstr",	  "vstm"};

#define SCTLR_SW      BIT(10)	   /* SWP and SWPB enabled (B4.1.130) */
#define CPACR_CP10_11 (0xfu << 20) /* cp10 and cp11: full access (B4.1.40) */
#define FPEXC_EN      BIT(30)

/* fpu_on: VFP instructions allowed at PL1 (CPACR, then FPEXC.EN). */
static void fpu_on(void)
{
	__asm__ volatile("mcr	p15, 0, %0, c1, c0, 2\n"
			 "isb\n"
			 ".fpu	vfpv3\n"
			 "vmsr	fpexc, %1\n" ::"r"(read_cpacr() | CPACR_CP10_11),
			 "r"(FPEXC_EN)
			 : "memory");
}

/* strex_sized: LDREX/STREX of the size bytes (1, 2 or 8: then hi is the second word) of v
 * at va, retried until it succeeds (STREX_TRIES at most); true if it did. */
static bool strex_sized(u32 va, u32 size, u32 v, u32 hi)
{
	u32 status = 1;
	for (u32 tries = 0; status != 0 && tries < STREX_TRIES; tries++) {
		register u32 lo_r __asm__("r2") = v;
		register u32 hi_r __asm__("r3") = hi;
		if (size == 1) {
			__asm__ volatile("ldrexb r12, [%1]\n"
					 "strexb %0, %2, [%1]"
					 : "=&r"(status)
					 : "r"(va), "r"(lo_r)
					 : "r12", "memory");
		} else if (size == 2) {
			__asm__ volatile("ldrexh r12, [%1]\n"
					 "strexh %0, %2, [%1]"
					 : "=&r"(status)
					 : "r"(va), "r"(lo_r)
					 : "r12", "memory");
		} else {
			__asm__ volatile("ldrexd r4, r5, [%1]\n"
					 "strexd %0, %2, %3, [%1]"
					 : "=&r"(status)
					 : "r"(va), "r"(lo_r), "r"(hi_r)
					 : "r4", "r5", "memory");
		}
	}
	return status == 0;
}

/* swp_insn: SWP r12, r1, [r0] (A8.8.229), or SWPB if byte, with r0 = va and r1 = v (as words:
 * the assembler deprecates the mnemonics). */
static void swp_insn(bool byte, u32 va, u32 v)
{
	register u32 r0 __asm__("r0") = va;
	register u32 r1 __asm__("r1") = v;
	if (byte) {
		__asm__ volatile(".inst	0xe140c091" ::"r"(r0), "r"(r1) : "r12", "memory");
	} else {
		__asm__ volatile(".inst	0xe100c091" ::"r"(r0), "r"(r1) : "r12", "memory");
	}
}

/* srs_to: SRSDB of LR and SPSR (Supervisor mode's, set to v and hi, then put back) to the
 * Abort-mode stack, its SP set to va + 8: [va] = v, [va + 4] = hi. */
static void srs_to(u32 va, u32 v, u32 hi)
{
	u32 old_sp = abt_sp_swap(va + 8);
	__asm__ volatile("mrs	r12, spsr\n"
			 "msr	spsr_fsxc, %1\n"
			 "mov	lr, %0\n"
			 "srsdb	sp, #0x17\n"
			 "msr	spsr_fsxc, r12\n" ::"r"(v),
			 "r"(hi)
			 : "r12", "lr", "memory");
	(void)abt_sp_swap(old_sp);
}

/* store_by: [va] = v and [va + 4] = hi (hi: only kinds that store two words, or their other
 * bytes) by the instructions of kind; false if an exclusive store kept failing. */
static bool store_by(enum store_kind kind, u32 va, u32 v, u32 hi)
{
	register u32 r1 __asm__("r1") = v;
	bool ok = true;
	switch (kind) {
	case BY_STR:
		*(volatile u32 *)(uintptr_t)va = v;
		break;
	case BY_SWP:
		swp_insn(false, va, v);
		break;
	case BY_SWPB:
		for (u32 i = 0; i < 4; i++) {
			swp_insn(true, va + i, v >> (8 * i));
		}
		break;
	case BY_STREXB:
		for (u32 i = 0; i < 4; i++) {
			ok &= strex_sized(va + i, 1, v >> (8 * i), 0);
		}
		break;
	case BY_STREXH:
		ok = strex_sized(va, 2, v, 0) && strex_sized(va + 2, 2, v >> 16, 0);
		break;
	case BY_STREXD:
		ok = strex_sized(va, 8, v, hi);
		break;
	case BY_STM_USER:
		__asm__ volatile("stmia	%0, {%1}^" ::"r"(va), "r"(r1) : "memory");
		break;
	case BY_SRS:
		srs_to(va, v, hi);
		break;
	case BY_VSTR:
		__asm__ volatile(".fpu	vfpv3\n"
				 "vmov	s0, %0\n"
				 "vstr	s0, [%1]" ::"r"(v),
				 "r"(va)
				 : "s0", "memory");
		break;
	default:
		__asm__ volatile(".fpu	vfpv3\n"
				 "vmov	s0, s1, %0, %1\n"
				 "vstmia	%2, {s0, s1}" ::"r"(v),
				 "r"(hi), "r"(va)
				 : "s0", "s1", "memory");
		break;
	}
	return ok;
}

#define TAG_REFUSED 0x7ef05ed0u

/* refused_on: SCTLR.SW set and the FPU on, for store_by. */
static void refused_on(void)
{
	write_sctlr(read_sctlr() | SCTLR_SW);
	isb();
	fpu_on();
}

/* case_refused010: each kind of store_by at PL1 to a page PL1 may write and PL0 only read
 * (short AP = 0b010), each followed by a read as PL0 (LDRT): each store must land and the PL0
 * read see it (fmt=short). */
static int case_refused010(void)
{
	u32 page = rt_ram_base() + SCRATCH + 16 * PAGE, wrong = 0;
	volatile u32 *w = (volatile u32 *)(uintptr_t)page;
	w[0] = w[1] = 0;
	space_010(page);
	refused_on();
	mmu_on();
	arm();
	for (u32 k = 0; k < BY_KINDS; k++) {
		u32 tag = TAG_REFUSED + k;
		bool ok = store_by(k, ALIAS_VA, tag, k) && ldrt_word(ALIAS_VA) == tag;
		if (!ok || w[0] != tag) {
			rt_printf("hostile refused010: %s: memory 0x%08x, WRONG\n",
				  store_kind_name[k], w[0]);
			wrong++;
		}
	}
	struct outcome o = disarm();
	mmu_off();
	rt_printf("hostile refused010: %u kinds of store, %u wrong, %s\n", BY_KINDS, wrong,
		  o.aborted ? "an abort" : "no abort");
	return wrong == 0 && !o.aborted ? 0 : 1;
}

/* case_refusedpt: each kind of store_by writes a descriptor of a live table of the guest's
 * through a read/write alias (space_table_alias), mapping its VA to page A and page B in turn,
 * then TLBIALL: the VA reads the page just mapped (fmt=; under shadow, both sync policies). */
static int case_refusedpt(void)
{
	u32 page_a = rt_ram_base() + SCRATCH, page_b = page_a + PAGE, wrong = 0;
	u32 va = ALIAS_VA + 2 * PAGE;
	*(volatile u32 *)(uintptr_t)page_a = TAG_PAGE_A;
	*(volatile u32 *)(uintptr_t)page_b = TAG_PAGE_B;
	paddr_t table = space_table_alias();
	struct pt_walk w;
	pt_walk(&sp.r, &mem, va, &w);
	unsigned li = pt_start_index(&sp.r) + w.depth - 1;
	u32 alias = ALIAS_VA + (u32)(w.desc_pa[w.depth - 1] - table);
	refused_on();
	mmu_on();
	arm();
	for (u32 k = 0; k < BY_KINDS; k++) {
		u32 to = k % 2 == 0 ? page_b : page_a;
		u64 d = sp.r.fmt->make_leaf(to, li, sp.a->ram);
		u32 hi = sp.lpae ? (u32)(d >> 32) : *(volatile u32 *)(uintptr_t)(alias + 4);
		bool ok = store_by(k, alias, (u32)d, hi);
		rt_tlb_flush_all();
		u32 seen = probe_read(va).value;
		arm();
		if (!ok || seen != *(volatile u32 *)(uintptr_t)to) {
			rt_printf("hostile refusedpt: %s: read 0x%08x, WRONG\n", store_kind_name[k],
				  seen);
			wrong++;
		}
	}
	struct outcome o = disarm();
	mmu_off();
	rt_printf("hostile refusedpt: %u kinds of store, %u wrong, %s\n", BY_KINDS, wrong,
		  o.aborted ? "an abort" : "no abort");
	return wrong == 0 && !o.aborted ? 0 : 1;
}

/* thumb_it_stores(pass_va, v, fail_va, pass): in a T32 IT block (ITETE NE, the condition
 * pass != 0), STR.W v at pass_va or STRD v and the word after fail_va (unchanged) at
 * fail_va, then the block's two ADDs: 1 returned if the condition passed, 2 if it failed. */
u32 thumb_it_stores(u32 pass_va, u32 v, u32 fail_va, u32 pass);
__asm__(".text\n"
	".balign 4\n"
	".global thumb_it_stores\n"
	".type thumb_it_stores, %function\n"
	".syntax unified\n"
	".thumb\n"
	".thumb_func\n"
	"thumb_it_stores:\n"
	"	push	{r4, r5}\n"
	"	ldr	r5, [r2, #4]\n"
	"	mov	r4, r1\n"
	"	cmp	r3, #0\n"
	"	mov.w	r3, #0\n"
	"	itete	ne\n"
	"	strne.w	r1, [r0]\n"
	"	strdeq	r4, r5, [r2]\n"
	"	addne	r3, r3, #1\n"
	"	addeq	r3, r3, #2\n"
	"	mov	r0, r3\n"
	"	pop	{r4, r5}\n"
	"	bx	lr\n"
	".arm\n");

#define THUMBIT_ROUNDS 4u /* the condition passes, fails, passes, fails */

/* desc_alias: the VA, through ALIAS_VA (space_table_alias: table), of the descriptor that
 * maps va; li: its level index. */
static u32 desc_alias(u32 va, paddr_t table, unsigned *li)
{
	struct pt_walk w;
	pt_walk(&sp.r, &mem, va, &w);
	*li = pt_start_index(&sp.r) + w.depth - 1;
	return ALIAS_VA + (u32)(w.desc_pa[w.depth - 1] - table);
}

/* case_thumbit_pt: T32 stores of descriptors to a live table of the guest's, through a
 * read/write alias, in an IT block: a STR.W in its first slot (condition passed, or failed)
 * and a STRD in its second (failed, or passed), each round from both VAs mapping page A:
 * after TLBIALL the one VA stored to reads page B, the other page A, and the IT block's
 * other instructions ran as their conditions say (fmt=). */
static int case_thumbit_pt(void)
{
	u32 page_a = rt_ram_base() + SCRATCH, page_b = page_a + PAGE, wrong = 0;
	u32 va[2] = {ALIAS_VA + 2 * PAGE, ALIAS_VA + 3 * PAGE}, alias[2];
	unsigned li;
	*(volatile u32 *)(uintptr_t)page_a = TAG_PAGE_A;
	*(volatile u32 *)(uintptr_t)page_b = TAG_PAGE_B;
	paddr_t table = space_table_alias();
	map(va[1], page_a, PAGE, sp.a->ram, 12);
	for (u32 i = 0; i < 2; i++) {
		alias[i] = desc_alias(va[i], table, &li);
	}
	u32 to_a = (u32)sp.r.fmt->make_leaf(page_a, li, sp.a->ram);
	u32 to_b = (u32)sp.r.fmt->make_leaf(page_b, li, sp.a->ram);
	mmu_on();
	arm();
	for (u32 r = 0; r < THUMBIT_ROUNDS; r++) {
		bool pass = r % 2 == 0;
		*(volatile u32 *)(uintptr_t)alias[0] = to_a;
		*(volatile u32 *)(uintptr_t)alias[1] = to_a;
		rt_tlb_flush_all();
		u32 ran = thumb_it_stores(alias[0], to_b, alias[1], pass);
		rt_tlb_flush_all();
		u32 got0 = probe_read(va[0]).value, got1 = probe_read(va[1]).value;
		arm();
		if (ran != (pass ? 1u : 2u) || got0 != (pass ? TAG_PAGE_B : TAG_PAGE_A) ||
		    got1 != (pass ? TAG_PAGE_A : TAG_PAGE_B)) {
			rt_printf(
			    "hostile thumbit-pt: round %u: ran %u, read 0x%08x 0x%08x: WRONG\n", r,
			    ran, got0, got1);
			wrong++;
		}
	}
	struct outcome o = disarm();
	mmu_off();
	rt_printf("hostile thumbit-pt: %u rounds, %u wrong, %s\n", THUMBIT_ROUNDS, wrong,
		  o.aborted ? "an abort" : "no abort");
	return wrong == 0 && !o.aborted ? 0 : 1;
}

/* thumb_str_w(va, v): STR.W r1, [r0] in T32. */
void thumb_str_w(u32 va, u32 v);
__asm__(".text\n"
	".balign 4\n"
	".global thumb_str_w\n"
	".type thumb_str_w, %function\n"
	".syntax unified\n"
	".thumb\n"
	".thumb_func\n"
	"thumb_str_w:\n"
	"	str.w	r1, [r0]\n"
	"	bx	lr\n"
	".arm\n");

#define XPT_SKEW 2u /* the unaligned word starts this far below a page boundary */
#define XPT_LOW	 0x5a5au
#define TAG_XPT	 0x7e3a0fe1u

/* str_a32_t32: an unaligned STR of v at va, in A32 or (thumb) T32 (STR.W); what it did. */
static struct outcome str_a32_t32(bool thumb, u32 va, u32 v)
{
	arm();
	if (thumb) {
		thumb_str_w(va, v);
	} else {
		__asm__ volatile("str	%1, [%0]" ::"r"(va), "r"(v) : "memory");
	}
	return disarm();
}

/* xpt_round: an unaligned STR (A32, or T32 if thumb) whose upper half is the low half of the
 * first descriptor of a live table (at ALIAS_VA: it maps ALIAS_VA itself, to the table), made
 * to map the next frame (tag), the lower half the end of the page below; TLBIALL; the
 * descriptor put back. True if ALIAS_VA read the tag and the page below holds its half. */
static bool xpt_round(bool thumb, paddr_t table, u32 tag)
{
	volatile u32 *d = (volatile u32 *)(uintptr_t)table;
	u32 old = *d, moved = old + PAGE;
	*(volatile u32 *)(uintptr_t)(table + PAGE) = tag;
	struct outcome o = str_a32_t32(thumb, ALIAS_VA - XPT_SKEW, (moved << 16) | XPT_LOW);
	rt_tlb_flush_all();
	u32 seen = probe_read(ALIAS_VA).value;
	u16 below = *(volatile u16 *)(uintptr_t)(ALIAS_VA - XPT_SKEW);
	*d = old;
	rt_tlb_flush_all();
	if (o.aborted || seen != tag || below != XPT_LOW) {
		rt_printf("hostile xpagept: %s: %s, read 0x%08x, below 0x%04x: WRONG\n",
			  thumb ? "T32" : "A32", o.aborted ? "abort" : "no abort", seen, below);
		return false;
	}
	return true;
}

/* case_xpagept: unaligned stores (SCTLR.A clear) across a page boundary into a live table of
 * the guest's, through a read/write alias: from a read/write page (A32, T32), from another
 * table of the guest's (fmt=lpae: its level-2 table), and from the table into the next page,
 * which the guest does not map: that one takes the translation fault at the boundary, with
 * nothing stored (fmt=). */
static int case_xpagept(void)
{
	u32 below = rt_ram_base() + SCRATCH + 16 * PAGE;
	paddr_t table = space_table_alias();
	map(ALIAS_VA - PAGE, sp.lpae ? table - PAGE : below, PAGE, sp.a->ram, 12);
	mmu_on();
	u32 sctlr = read_sctlr();
	write_sctlr(sctlr & ~SCTLR_A);
	isb();
	(void)probe_read(ALIAS_VA); /* the table's frame now shapes a shadow */
	bool ok = xpt_round(false, table, TAG_XPT) && xpt_round(true, table, ~TAG_XPT);
	u32 last = *(volatile u32 *)(uintptr_t)(table + PAGE - 4);
	struct expect e = predict(ALIAS_VA + PAGE, S1_WRITE);
	struct outcome o = str_a32_t32(false, ALIAS_VA + PAGE - XPT_SKEW, POISON);
	bool kept = *(volatile u32 *)(uintptr_t)(table + PAGE - 4) == last;
	write_sctlr(sctlr);
	mmu_off();
	rt_printf("hostile xpagept: into the table %s; out of it: %s, fsr 0x%03x (expected "
		  "0x%03x), far 0x%08x, %s\n",
		  ok ? "as natively" : "WRONG", o.aborted ? "abort" : "no abort", o.fsr, e.fsr,
		  o.far, kept ? "nothing stored" : "STORED");
	return ok && e.kind == EXP_ABORT && o.aborted && o.fsr == e.fsr &&
		       o.far == ALIAS_VA + PAGE && kept
		   ? 0
		   : 1;
}

/* T32 instructions written at run time (A6.2.4): STR r1, [r0]; STRH r1, [r0]; BX LR. */
#define T16_STR_R1_R0  0x6001u
#define T16_STRH_R1_R0 0x8001u
#define T16_BX_LR      0x4770u
#define SMC_RUNS       2u /* the first decodes the store, the second finds it in the cache */

static u16 smc_code[2] __attribute__((aligned(4)));

/* smc_run: smc_code (T32) made to hold store then BX LR, run SMC_RUNS times with r0 = va,
 * r1 = v. */
static void smc_run(u16 store, u32 va, u32 v)
{
	smc_code[0] = (u16)store;
	smc_code[1] = T16_BX_LR;
	sync_code((u32)(uintptr_t)smc_code, sizeof(smc_code));
	for (u32 i = 0; i < SMC_RUNS; i++) {
		register u32 r0 __asm__("r0") = va;
		register u32 r1 __asm__("r1") = v;
		__asm__ volatile("blx	%2"
				 : "+r"(r0), "+r"(r1)
				 : "r"((u32)(uintptr_t)smc_code | 1u)
				 : "r2", "r3", "r12", "lr", "memory", "cc");
	}
}

/* case_smc_t32: a T32 STR of a descriptor to a live table of the guest's, through a
 * read/write alias, run twice (decoded, then cached), then replaced in place (with the cache
 * maintenance B2.2.9 requires) by a STRH of the same register, whose upper half is garbage:
 * only the low half may land (fmt=). */
static int case_smc_t32(void)
{
	u32 page_a = rt_ram_base() + SCRATCH, page_b = page_a + PAGE, va = ALIAS_VA + 2 * PAGE;
	unsigned li;
	*(volatile u32 *)(uintptr_t)page_a = TAG_PAGE_A;
	*(volatile u32 *)(uintptr_t)page_b = TAG_PAGE_B;
	paddr_t table = space_table_alias();
	map(va, page_a, PAGE, sp.a->ram, 12);
	u32 alias = desc_alias(va, table, &li);
	u32 to_a = (u32)sp.r.fmt->make_leaf(page_a, li, sp.a->ram);
	u32 to_b = (u32)sp.r.fmt->make_leaf(page_b, li, sp.a->ram);
	mmu_on();
	arm();
	(void)probe_read(va);
	arm();
	smc_run(T16_STR_R1_R0, alias, to_b);
	rt_tlb_flush_all();
	u32 first = probe_read(va).value;
	arm();
	smc_run(T16_STRH_R1_R0, alias, (POISON << 16) | (to_a & 0xffffu));
	rt_tlb_flush_all();
	u32 second = probe_read(va).value, desc = *(volatile u32 *)(uintptr_t)alias;
	struct outcome o = disarm();
	mmu_off();
	bool ok = !o.aborted && first == TAG_PAGE_B && second == TAG_PAGE_A && desc == to_a;
	rt_printf("hostile smc-t32: STR 0x%08x, then STRH 0x%08x: %s\n", first, second,
		  ok ? "as natively" : "WRONG");
	return ok ? 0 : 1;
}

#define LEND_ALIAS_2 (ALIAS_VA + 2 * PAGE) /* a second VA of the lent page */
#define TAG_OTHER    0x0743e2a6u	   /* what the page the first alias moves to holds */

/* case_lendalias: a page PL1 may write and PL0 only read (short AP = 0b010) at two VAs, each
 * written with STREX (under shadow: each leaf lent to PL1); the first VA then read as PL0,
 * moved to another page (PL0 read/write) with the TLB maintenance the architecture
 * requires, and read as PL0 again; the second VA read as PL0 last: every read sees its
 * page's word (fmt=short). */
static int case_lendalias(void)
{
	u32 page = rt_ram_base() + SCRATCH + 16 * PAGE, other = page + 2 * PAGE;
	*(volatile u32 *)(uintptr_t)page = 0;
	*(volatile u32 *)(uintptr_t)other = TAG_OTHER;
	space_010(page);
	map(LEND_ALIAS_2, page, PAGE, SD_PL1RW_PL0RO, 12);
	volatile u32 *desc = (volatile u32 *)(uintptr_t)alias_desc_pa();
	mmu_on();
	arm();
	bool stored =
	    strex_word(ALIAS_VA, STREX_TAG) != 0 && strex_word(LEND_ALIAS_2, ~STREX_TAG) != 0;
	u32 first = ldrt_word(ALIAS_VA);
	*desc = (u32)sp.r.fmt->make_leaf(other, 1, sp.a->ram);
	dsb();
	tlbi_mva(ALIAS_VA);
	dsb();
	isb();
	u32 moved = ldrt_word(ALIAS_VA), second = ldrt_word(LEND_ALIAS_2);
	struct outcome o = disarm();
	mmu_off();
	bool ok = stored && !o.aborted && first == ~STREX_TAG && moved == TAG_OTHER &&
		  second == ~STREX_TAG;
	rt_printf("hostile lendalias: PL0 read 0x%08x, moved 0x%08x, other VA 0x%08x: %s\n", first,
		  moved, second, ok ? "as natively" : "WRONG");
	return ok ? 0 : 1;
}

#define TAG_STALE_A 0x5a1ea000u /* what the page the alias first maps holds */
#define TAG_STALE_B 0x5a1eb000u /* what the page it is moved to holds */

/* case_lendstale: an alias read-only to all (APX = 1, AP = 0b11) is read, then moved without
 * TLB maintenance to another page that PL1 may write and PL0 only read (AP = 0b010), and
 * written with STREX: the old translation refuses the write and the new one maps the other
 * page (B3.10.1: either may be used), so the first page must keep its word; the store lands
 * in the other page or aborts (fmt=short; under shadow, shadow.sync=unsync: the table is out
 * of sync, its leaf out of date). */
static int case_lendstale(void)
{
	u32 page_a = rt_ram_base() + SCRATCH + 16 * PAGE, page_b = page_a + 2 * PAGE;
	*(volatile u32 *)(uintptr_t)page_a = TAG_STALE_A;
	*(volatile u32 *)(uintptr_t)page_b = TAG_STALE_B;
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, page_a, PAGE, SD_PL1RW_PL0RO | SD_SEC_APX | (3u << SD_SEC_AP_SHIFT), 12);
	volatile u32 *desc = (volatile u32 *)(uintptr_t)alias_desc_pa();
	mmu_on();
	struct outcome before = probe_read(ALIAS_VA);
	*desc = (u32)sp.r.fmt->make_leaf(page_b, 1, SD_PL1RW_PL0RO);
	dsb();
	arm();
	bool stored = strex_word(ALIAS_VA, STREX_TAG) != 0;
	struct outcome o = disarm();
	mmu_off();
	u32 a = *(volatile u32 *)(uintptr_t)page_a, b = *(volatile u32 *)(uintptr_t)page_b;
	bool ok = !before.aborted && before.value == TAG_STALE_A && a == TAG_STALE_A &&
		  (o.aborted ? b == TAG_STALE_B : stored && b == STREX_TAG);
	rt_printf("hostile lendstale: first page %s, the store %s: %s\n",
		  a == TAG_STALE_A ? "kept" : "WRITTEN",
		  o.aborted	   ? "aborted"
		  : b == STREX_TAG ? "landed in the other"
				   : "lost",
		  ok ? "allowed" : "WRONG");
	return ok ? 0 : 1;
}

/* ---- cases of review 9a: domains, translation-regime changes, big leaves ---- */

#define R9_VA	     0xa0000000u		/* short: the mappings the cases change */
#define R9_SEC_VA    R9_VA			/* two sections: read/write, read-only XN */
#define R9_SUPER_VA  (R9_VA + SUPERSECTION)	/* a supersection, read-only */
#define R9_PT_VA     (R9_VA + 2 * SUPERSECTION) /* a level-1 page-table entry */
#define R9_SEC_OFF   (9u * MiB)			/* RAM offsets: the sections' 1 MiB */
#define R9_LARGE_OFF (10u * MiB)		/* the large pages' (64 KiB aligned) */
#define R9_PG_OFF    (SCRATCH + 64 * PAGE)	/* the small pages' */
#define R9_DOM_SEC   3u				/* the sections' domain */
#define R9_DOM_PG    4u				/* the page-table entry's domain */
#define R9_LARGE     (64u * KiB)
#define R9_COPIES    16u /* a supersection or large page is 16 identical entries (B3.5.1) */
#define R9_PROBES    12u
#define R9_L1_SHIFT  20u /* a level-1 entry maps 1 MiB */

/* Short-format leaf attributes: TEX=001 C B (normal write-back) with AP[2:0] = ap. */
#define R9_SEC_ATTRS(ap)                                                                           \
	((1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B | (((ap)&3u) << SD_SEC_AP_SHIFT) |         \
	 (((ap)&4u) ? SD_SEC_APX : 0u))
#define R9_PG_ATTRS(ap)                                                                            \
	((1u << SD_SMALL_TEX_SHIFT) | SD_PG_C | SD_PG_B | (((ap)&3u) << SD_PG_AP_SHIFT) |          \
	 (((ap)&4u) ? SD_PG_APX : 0u))
#define R9_LARGE_ATTRS(ap)                                                                         \
	((1u << SD_LARGE_TEX_SHIFT) | SD_PG_C | SD_PG_B | (((ap)&3u) << SD_PG_AP_SHIFT) |          \
	 (((ap)&4u) ? SD_PG_APX : 0u))
#define R9_AP_RW    3u /* AP[2:0] = 0b011: read/write at PL1 and PL0 */
#define R9_AP_RO    7u /* 0b111: read-only at both (v6K) */
#define R9_AP_AF0   2u /* 0b010 with SCTLR.AFE set: AP[0], the access flag, clear */
#define R9_AP_PL0RO 2u /* 0b010 with SCTLR.AFE clear: PL1 read/write, PL0 read-only */

/* r9_l1: the guest's level-1 entry of va (short format, current space). */
static volatile u32 *r9_l1(u32 va)
{
	return (volatile u32 *)(uintptr_t)(sp.r.root + (va >> R9_L1_SHIFT) * 4u);
}

/* r9_l2_table: a new level-2 table (1 KiB, zeroed) installed at va's level-1 entry in
 * domain dom. */
static volatile u32 *r9_l2_table(u32 va, u32 dom)
{
	paddr_t t = pool_alloc(NULL, KiB);
	if (t == 0) {
		rt_printf("hostile: table pool exhausted\n");
		rt_exit(2);
	}
	*r9_l1(va) = (u32)sp.r.fmt->make_table(t) | (dom << SD_DOMAIN_SHIFT);
	return (volatile u32 *)(uintptr_t)t;
}

/* r9_super: a supersection at va (16 entries) mapping pa (below 4 GiB) with attrs. */
static void r9_super(u32 va, u32 pa, u32 attrs)
{
	for (u32 i = 0; i < R9_COPIES; i++) {
		r9_l1(va)[i] = (pa & SD_SUPER_BASE) | SD_L1_SUPERSECTION | SD_L1_SECTION | attrs;
	}
}

/* r9_large: a large page at index i of level-2 table t (16 entries) mapping pa. */
static void r9_large(volatile u32 *t, u32 i, u32 pa, u32 attrs)
{
	for (u32 k = 0; k < R9_COPIES; k++) {
		t[i + k] = (pa & SD_L2_LARGE_BASE) | SD_L2_LARGE | attrs;
	}
}

/* r9_plant: a "bx lr" at physical address pa, so that a fetch there returns. */
static void r9_plant(u32 pa)
{
	*(volatile u32 *)(uintptr_t)pa = INSN_BX_LR;
	sync_code(pa, 4);
}

/* r9_probe: a read of va, a store of what it read where it reads (or of POISON where the
 * guest's tables refuse the read: the store must abort too), a fetch where the guest's
 * tables refuse it or lead to a planted "bx lr"; each judged. */
static void r9_probe(u32 va)
{
	struct outcome o = probe_read(va);
	judge("read", va, S1_READ, &o, NULL);
	u32 v = o.aborted ? POISON : o.value;
	if (!o.aborted || must_abort(va, S1_WRITE, NULL)) {
		o = probe_write(va, v);
		judge("write", va, S1_WRITE, &o, NULL);
	}
	struct expect e = predict(va, S1_EXEC);
	if (e.kind == EXP_ABORT ||
	    (e.kind == EXP_RAM && *(volatile u32 *)(uintptr_t)e.pa == INSN_BX_LR)) {
		o = probe_exec(va);
		judge("fetch", va, S1_EXEC, &o, NULL);
	}
}

/* r9_judge_pl0: an unprivileged access of kind acc at va (LDRT or STRT) that did o: what
 * the guest's tables give PL0 (predict_in's outcome, checked as PL0)? */
static void r9_judge_pl0(u32 va, enum s1_access acc, const struct outcome *o)
{
	struct s1_state st = guest_state();
	struct s1_result r;
	struct expect e = {EXP_ABORT, 0, 0};
	if (s1_translate(&st, &mem, va, acc, true, &r) != S1_OK) {
		e.fsr = r.fsr | (acc == S1_WRITE ? FSR_WNR : 0);
	} else {
		e.kind = EXP_RAM; /* the probed mappings are all RAM */
		e.pa = r.out;
	}
	if (!outcome_ok(va, acc, &e, o)) {
		mismatch(acc == S1_WRITE ? "strt" : "ldrt", va, &e, o);
	}
	stats.probes++;
}

/* r9_probe_pl0: an LDRT of va, then an STRT of what it read (or of POISON), each judged as
 * PL0's access. */
static void r9_probe_pl0(u32 va)
{
	u32 v = POISON;
	arm();
	__asm__ volatile("ldrt	%0, [%1]" : "+r"(v) : "r"(va) : "memory");
	struct outcome o = disarm();
	o.value = v;
	r9_judge_pl0(va, S1_READ, &o);
	arm();
	__asm__ volatile("strt	%1, [%0]" ::"r"(va), "r"(o.aborted ? POISON : v) : "memory");
	o = disarm();
	r9_judge_pl0(va, S1_WRITE, &o);
}

static u32 r9_vas[R9_PROBES], r9_nvas;

/* r9_probe_all: r9_probe and r9_probe_pl0 of every VA the case planted. */
static void r9_probe_all(void)
{
	for (u32 i = 0; i < r9_nvas; i++) {
		r9_probe(r9_vas[i]);
		r9_probe_pl0(r9_vas[i]);
	}
}

/* r9_add: probe va, whose word is at pa (planted). */
static void r9_add(u32 va, u32 pa)
{
	r9_plant(pa);
	r9_vas[r9_nvas++] = va;
}

/* r9_space: the short-format space of the domains case (MMU off): two sections (read/write;
 * read-only XN) in domain R9_DOM_SEC, a read-only supersection (domain 0, B3.5.1), and a
 * page table in domain R9_DOM_PG with a read/write small page, a read-only XN small page,
 * a PL1 read/write PL0 read-only one, a read/write large page and a read-only large page. */
static void r9_space(void)
{
	u32 ram = rt_ram_base(), sec = ram + R9_SEC_OFF, lg = ram + R9_LARGE_OFF;
	u32 pg = ram + R9_PG_OFF;
	space_new();
	map_ram_and_uart();
	u32 dom = R9_DOM_SEC << SD_DOMAIN_SHIFT;
	*r9_l1(R9_SEC_VA) = sec | SD_L1_SECTION | R9_SEC_ATTRS(R9_AP_RW) | dom;
	*r9_l1(R9_SEC_VA + SECTION) =
	    sec | SD_L1_SECTION | R9_SEC_ATTRS(R9_AP_RO) | SD_SEC_XN | dom;
	r9_super(R9_SUPER_VA, ram + SUPERSECTION, R9_SEC_ATTRS(R9_AP_RO));
	volatile u32 *t = r9_l2_table(R9_PT_VA, R9_DOM_PG);
	t[0] = pg | SD_L2_SMALL | R9_PG_ATTRS(R9_AP_RW);
	t[1] = (pg + PAGE) | SD_L2_SMALL | R9_PG_ATTRS(R9_AP_RO) | SD_L2_SMALL_XN;
	t[2] = (pg + 2 * PAGE) | SD_L2_SMALL | R9_PG_ATTRS(R9_AP_PL0RO);
	r9_large(t, R9_COPIES, lg, R9_LARGE_ATTRS(R9_AP_RW));
	r9_large(t, 2 * R9_COPIES, lg + R9_LARGE, R9_LARGE_ATTRS(R9_AP_RO));
	r9_nvas = 0;
	r9_add(R9_SEC_VA + 0x340, sec + 0x340);
	r9_add(R9_SEC_VA + SECTION + 0x5000, sec + 0x5000);
	r9_add(R9_SUPER_VA + 0x123400, ram + SUPERSECTION + 0x123400);
	r9_add(R9_SUPER_VA + 0xabc000, ram + SUPERSECTION + 0xabc000);
	r9_add(R9_PT_VA + 0x10, pg + 0x10);
	r9_add(R9_PT_VA + PAGE + 0x20, pg + PAGE + 0x20);
	r9_add(R9_PT_VA + 2 * PAGE + 0x24, pg + 2 * PAGE + 0x24);
	r9_add(R9_PT_VA + R9_COPIES * PAGE + 0x7030, lg + 0x7030);
	r9_add(R9_PT_VA + 2 * R9_COPIES * PAGE + 0x3040, lg + R9_LARGE + 0x3040);
}

#define R9_DACR_BASE                                                                               \
	(DACR_CLIENTS | (DACR_CLIENT << (DACR_FIELD_BITS * R9_DOM_SEC)) |                          \
	 (DACR_CLIENT << (DACR_FIELD_BITS * R9_DOM_PG)))

/* r9_dacr: DACR_BASE with domain dom's field set to field. */
static u32 r9_dacr(u32 dom, u32 field)
{
	u32 shift = DACR_FIELD_BITS * dom;
	return (R9_DACR_BASE & ~(3u << shift)) | (field << shift);
}

/* case_domains: every mapping read, written and fetched in client domains (shadows built),
 * then each of the three domains in play (the sections', the page table's, and domain 0,
 * the supersection's and the UART's) made a manager, no-access, reserved (0b10) and client
 * again, by DACR writes alone (no TLB maintenance is needed, B3.7.3), everything probed
 * after each: the manager domain bypasses the permissions (read-only and XN pages written
 * and run), the no-access one gives domain faults whose FSR carries the entry's domain
 * (fmt=short). */
static int case_domains(void)
{
	static const u32 doms[] = {R9_DOM_SEC, R9_DOM_PG, 0};
	static const u32 fields[] = {DACR_MANAGER, DACR_NO_ACCESS, 2u, DACR_CLIENT};
	stats_reset();
	r9_space();
	mmu_on();
	write_dacr(R9_DACR_BASE);
	isb();
	r9_probe_all();
	for (u32 d = 0; d < ARRAY_SIZE(doms); d++) {
		for (u32 f = 0; f < ARRAY_SIZE(fields); f++) {
			write_dacr(r9_dacr(doms[d], fields[f]));
			isb();
			r9_probe_all();
		}
	}
	write_dacr(DACR_CLIENTS);
	mmu_off();
	return summary("domains");
}

/* r9_report: print the outcome of a read: its abort status, or "read". */
static void r9_report(const char *what, const struct outcome *o)
{
	if (o->aborted) {
		rt_printf(" %s abort 0x%03x;", what, o->fsr);
	} else {
		rt_printf(" %s read;", what);
	}
}

#define R9_DOM_PRIO 5u /* the domain of the priority case's entries */

/* case_domainprio: which fault comes first. A page table in a no-access domain whose
 * level-2 entry is a fault: QEMU 7.2 checks the domain before it reads the level-2 entry
 * (a page domain fault, FSR 0x00b), where ARM ARM B3.12.3 puts the translation fault first.
 * With SCTLR.AFE set, a page and a section whose access flag (AP[0]) is clear, in a manager
 * and in a no-access domain: QEMU 7.2 checks the domain first, gives the domain fault in a
 * no-access domain and no access flag fault at all in a manager one, where the architecture
 * checks the access flag before the domain, in every domain. Either order passes, and the
 * case says which it saw: natively and under stage 2 QEMU's, under shadow the
 * architecture's, which the stage-1 model follows (fmt=short). */
static int case_domainprio(void)
{
	u32 ram = rt_ram_base(), pg = ram + R9_PG_OFF, sec = ram + R9_SEC_OFF;
	*(volatile u32 *)(uintptr_t)(pg + PAGE) = AF_TAG;
	*(volatile u32 *)(uintptr_t)sec = AF_TAG;
	space_new();
	map_ram_and_uart();
	volatile u32 *t = r9_l2_table(R9_PT_VA, R9_DOM_PRIO);
	t[1] = (pg + PAGE) | SD_L2_SMALL | R9_PG_ATTRS(R9_AP_AF0);
	*r9_l1(R9_SEC_VA) =
	    sec | SD_L1_SECTION | R9_SEC_ATTRS(R9_AP_AF0) | (R9_DOM_PRIO << SD_DOMAIN_SHIFT);
	mmu_on();
	u32 none = r9_dacr(R9_DOM_PRIO, DACR_NO_ACCESS), mgr = r9_dacr(R9_DOM_PRIO, DACR_MANAGER);
	write_dacr(r9_dacr(R9_DOM_PRIO, DACR_CLIENT));
	isb();
	struct outcome warm = probe_read(R9_PT_VA + PAGE); /* the level-1 entry shadowed */
	write_dacr(none);
	isb();
	struct outcome l2fault = probe_read(R9_PT_VA);
	write_sctlr(read_sctlr() | SCTLR_AFE);
	isb();
	struct outcome pg_none = probe_read(R9_PT_VA + PAGE);
	struct outcome sec_none = probe_read(R9_SEC_VA);
	write_dacr(mgr);
	isb();
	struct outcome pg_mgr = probe_read(R9_PT_VA + PAGE);
	struct outcome sec_mgr = probe_read(R9_SEC_VA);
	write_sctlr(read_sctlr() & ~SCTLR_AFE);
	write_dacr(DACR_CLIENTS);
	mmu_off();
	u32 dom_fsr = R9_DOM_PRIO << SD_FSR_DOMAIN_SHIFT;
	bool qemu = !warm.aborted && l2fault.aborted &&
		    l2fault.fsr == (SD_FS_DOMAIN_L2 | dom_fsr) && pg_none.aborted &&
		    pg_none.fsr == (SD_FS_DOMAIN_L2 | dom_fsr) && sec_none.aborted &&
		    sec_none.fsr == (SD_FS_DOMAIN_L1 | dom_fsr) && !pg_mgr.aborted &&
		    pg_mgr.value == AF_TAG && !sec_mgr.aborted && sec_mgr.value == AF_TAG;
	bool arch = !warm.aborted && l2fault.aborted &&
		    l2fault.fsr == (SD_FS_TRANSLATION_L2 | dom_fsr) && pg_none.aborted &&
		    pg_none.fsr == (SD_FS_ACCESS_FLAG_L2 | dom_fsr) && sec_none.aborted &&
		    sec_none.fsr == (SD_FS_ACCESS_FLAG_L1 | dom_fsr) && pg_mgr.aborted &&
		    pg_mgr.fsr == (SD_FS_ACCESS_FLAG_L2 | dom_fsr) && sec_mgr.aborted &&
		    sec_mgr.fsr == (SD_FS_ACCESS_FLAG_L1 | dom_fsr);
	rt_printf("hostile domainprio:");
	r9_report("no-access L2 fault entry", &l2fault);
	r9_report("AF clear: no-access page", &pg_none);
	r9_report("no-access section", &sec_none);
	r9_report("manager page", &pg_mgr);
	r9_report("manager section", &sec_mgr);
	rt_printf(" %s\n", qemu	  ? "in QEMU 7.2's order"
			   : arch ? "in the architecture's order"
				  : "in NEITHER order");
	return qemu || arch ? 0 : 1;
}

#define R9_BIG_SUPER_OFF SUPERSECTION	       /* the supersection's RAM (16 MiB) */
#define R9_BIG_PG_OFF	 (SCRATCH + 96 * PAGE) /* the small pages that replace leaves */
#define R9_BIG_PAGES	 8u		       /* of them */

/* r9_big_space: the bigleaves case's space (MMU off): a read/write section in domain
 * R9_DOM_SEC, a read/write supersection (domain 0) and, in a page table in domain
 * R9_DOM_PG, a read/write large page; the VAs it probes. */
static void r9_big_space(void)
{
	u32 ram = rt_ram_base();
	space_new();
	map_ram_and_uart();
	*r9_l1(R9_SEC_VA) = (ram + R9_SEC_OFF) | SD_L1_SECTION | R9_SEC_ATTRS(R9_AP_RW) |
			    (R9_DOM_SEC << SD_DOMAIN_SHIFT);
	r9_super(R9_SUPER_VA, ram + R9_BIG_SUPER_OFF, R9_SEC_ATTRS(R9_AP_RW));
	volatile u32 *t = r9_l2_table(R9_PT_VA, R9_DOM_PG);
	r9_large(t, R9_COPIES, ram + R9_LARGE_OFF, R9_LARGE_ATTRS(R9_AP_RW));
	r9_nvas = 0;
	r9_add(R9_SEC_VA + 0x100, ram + R9_SEC_OFF + 0x100);
	r9_add(R9_SEC_VA + 0x45600, ram + R9_SEC_OFF + 0x45600);
	r9_add(R9_SUPER_VA + 0x100, ram + R9_BIG_SUPER_OFF + 0x100);
	r9_add(R9_SUPER_VA + 0x5a1200, ram + R9_BIG_SUPER_OFF + 0x5a1200);
	r9_add(R9_SUPER_VA + 0xe01200, ram + R9_BIG_SUPER_OFF + 0xe01200);
	r9_add(R9_PT_VA + R9_COPIES * PAGE + 0x10, ram + R9_LARGE_OFF + 0x10);
	r9_add(R9_PT_VA + R9_COPIES * PAGE + 0x7030, ram + R9_LARGE_OFF + 0x7030);
	r9_add(R9_PT_VA + R9_COPIES * PAGE + 0xf040, ram + R9_LARGE_OFF + 0xf040);
	for (u32 i = 0; i < R9_BIG_PAGES; i++) { /* distinct words in the replacement pages */
		u32 pg = ram + R9_BIG_PG_OFF + i * PAGE;
		for (u32 off = 0; off < PAGE; off += 4) {
			*(volatile u32 *)(uintptr_t)(pg + off) = pg + off;
		}
	}
}

/* r9_tlbi_each: TLBIMVAA of every step-th VA of [va, va + size) (the leaves are global). */
static void r9_tlbi_each(u32 va, u32 size, u32 step)
{
	dsb();
	for (u32 off = 0; off < size; off += step) {
		tlbi_mvaa(va + off);
	}
	dsb();
	isb();
}

/* r9_split_super: the supersection replaced by 16 sections in domain dom, mapping its
 * 16 MiB in reverse order, with a TLBIMVAA per MiB. */
static void r9_split_super(u32 dom)
{
	u32 base = rt_ram_base() + R9_BIG_SUPER_OFF;
	for (u32 i = 0; i < R9_COPIES; i++) {
		r9_l1(R9_SUPER_VA)[i] = (base + (R9_COPIES - 1 - i) * SECTION) | SD_L1_SECTION |
					R9_SEC_ATTRS(R9_AP_RW) | (dom << SD_DOMAIN_SHIFT);
	}
	r9_tlbi_each(R9_SUPER_VA, SUPERSECTION, SECTION);
	/* More than B4.2.2 needs: QEMU 7.2 drops its translated code for the page named alone
	 * (tb_jmp_cache_clear_page), so natively a probed VA that held code before runs it
	 * again unless its own page is named too. */
	for (u32 i = 0; i < r9_nvas; i++) {
		tlbi_mvaa(r9_vas[i]);
	}
	dsb();
	isb();
}

/* r9_section_to_table: the section replaced by a level-2 table (in the section's domain) of
 * small pages over R9_BIG_PAGES pages, with one TLBIMVAA (one entry held the section). */
static void r9_section_to_table(void)
{
	u32 pg = rt_ram_base() + R9_BIG_PG_OFF;
	volatile u32 *t = r9_l2_table(R9_SEC_VA, R9_DOM_SEC);
	for (u32 i = 0; i < SECTION / PAGE; i++) {
		t[i] = (pg + (i % R9_BIG_PAGES) * PAGE) | SD_L2_SMALL | R9_PG_ATTRS(R9_AP_RW);
	}
	r9_tlbi_each(R9_SEC_VA, PAGE, PAGE);
}

/* r9_large_to_small: the large page replaced by 16 small pages (read-only, in reverse
 * order over the replacement pages), with a TLBIMVAA per page. */
static void r9_large_to_small(void)
{
	u32 pg = rt_ram_base() + R9_BIG_PG_OFF;
	volatile u32 *t = (volatile u32 *)(uintptr_t)(*r9_l1(R9_PT_VA) & SD_L1_TABLE_BASE);
	for (u32 i = 0; i < R9_COPIES; i++) {
		t[R9_COPIES + i] = (pg + ((R9_COPIES - 1 - i) % R9_BIG_PAGES) * PAGE) |
				   SD_L2_SMALL | R9_PG_ATTRS(R9_AP_RO);
	}
	r9_tlbi_each(R9_PT_VA + R9_COPIES * PAGE, R9_LARGE, PAGE);
}

/* case_bigleaves: shadows built from a supersection, a section and a large page, then each
 * replaced with the TLB maintenance the architecture requires: the supersection by 16
 * sections (first in a no-access domain, then a client one), the section by a level-2
 * table, the large page by 16 small pages; then all put back (TLBIALL); every probed VA
 * judged after each step (fmt=short). */
static int case_bigleaves(void)
{
	stats_reset();
	r9_big_space();
	mmu_on();
	write_dacr(r9_dacr(R9_DOM_SEC, DACR_NO_ACCESS));
	isb();
	r9_probe_all();
	r9_split_super(R9_DOM_SEC); /* domain faults where the supersection read */
	r9_probe_all();
	write_dacr(R9_DACR_BASE);
	isb();
	r9_probe_all();
	r9_section_to_table();
	r9_probe_all();
	r9_large_to_small();
	r9_probe_all();
	u32 ram = rt_ram_base();
	*r9_l1(R9_SEC_VA) = (ram + R9_SEC_OFF) | SD_L1_SECTION | R9_SEC_ATTRS(R9_AP_RW) |
			    (R9_DOM_SEC << SD_DOMAIN_SHIFT);
	r9_super(R9_SUPER_VA, ram + R9_BIG_SUPER_OFF, R9_SEC_ATTRS(R9_AP_RW));
	volatile u32 *t = (volatile u32 *)(uintptr_t)(*r9_l1(R9_PT_VA) & SD_L1_TABLE_BASE);
	r9_large(t, R9_COPIES, ram + R9_LARGE_OFF, R9_LARGE_ATTRS(R9_AP_RW));
	dsb();
	rt_tlb_flush_all();
	r9_probe_all();
	write_dacr(DACR_CLIENTS);
	mmu_off();
	return summary("bigleaves");
}

#define R9_TREES      3u		     /* TTBR0's, and two for TTBR1 */
#define R9_SPLIT_OFF  (SCRATCH + 128 * PAGE) /* a page per tree and VA */
#define R9_TTBCR_PD0  BIT(4)		     /* short format, with the Security Extensions */
#define R9_TTBCR_PD1  BIT(5)
#define R9_TTBCR_EPD1 BIT(23) /* long format: no walks through TTBR1 */
static const u32 r9_split_vas[] = {0x01000000u, 0x30000000u, 0x50000000u, 0x90000000u, 0xb0000000u};

/* r9_tree: a new root (fmt=) mapping RAM, the UART and every r9_split_vas entry to a page
 * of tree t's; sp.r is left on it. */
static paddr_t r9_tree(u32 t)
{
	if (t == 0) {
		space_new();
	} else {
		u32 bytes = pt_table_bytes(&sp.r, pt_start_index(&sp.r));
		sp.r.root = pool_alloc(NULL, bytes < PAGE ? PAGE : bytes);
	}
	map_ram_and_uart();
	for (u32 i = 0; i < ARRAY_SIZE(r9_split_vas); i++) {
		u32 pg = rt_ram_base() + R9_SPLIT_OFF + (t * ARRAY_SIZE(r9_split_vas) + i) * PAGE;
		*(volatile u32 *)(uintptr_t)pg = pg ^ TAG_PAGE_A;
		map(r9_split_vas[i], pg, PAGE, sp.a->ram, 12);
	}
	return sp.r.root;
}

/* r9_split_ttbr0: TTBCR set to ttbcr, then TTBR0 to ttbr0 unless 0 (LPAE: the order keeps
 * the code, at 1 GiB, mapped through TTBR1 when T0SZ becomes 2). */
static void r9_split_ttbr0(u32 ttbcr, paddr_t ttbr0)
{
	write_ttbcr(ttbcr);
	isb();
	if (ttbr0 != 0) {
		write_ttbr0_64(ttbr0);
		isb();
	}
}

/* r9_split_judge: the TLB invalidated (B3.10.2: TTBCR and TTBR changes need it), every
 * r9_split_vas entry read and judged. */
static void r9_split_judge(void)
{
	rt_tlb_flush_all();
	for (u32 i = 0; i < ARRAY_SIZE(r9_split_vas); i++) {
		struct outcome o = probe_read(r9_split_vas[i]);
		judge("read", r9_split_vas[i], S1_READ, &o, NULL);
	}
}

/* r9_split_probe: TTBCR set to ttbcr, then r9_split_judge. */
static void r9_split_probe(u32 ttbcr)
{
	r9_split_ttbr0(ttbcr, 0);
	r9_split_judge();
}

/* r9_split_short: TTBCR.N 0, 1, 2, 3, 7 with shadows built under the previous split, TTBR1
 * rewritten, PD0/PD1 written (RAZ/WI without the Security Extensions, B4.1.153). */
static u32 r9_split_short(const paddr_t *root)
{
	static const u32 splits[] = {0, 1, 2, 3, 7};
	for (u32 i = 0; i < ARRAY_SIZE(splits); i++) {
		r9_split_probe(splits[i]);
	}
	write_ttbr1((u32)root[2]);
	r9_split_probe(2);
	r9_split_probe(2 | R9_TTBCR_PD0 | R9_TTBCR_PD1);
	u32 ttbcr = read_ttbcr();
	r9_split_probe(0);
	return ttbcr;
}

/* r9_split_lpae: T0SZ 0, 1, then 2 (TTBR0 then names the level-2 table of the first GiB:
 * the walk starts at level 2, B3.6.5), TTBR1 rewritten, EPD1 set, then back to T0SZ 0. */
static u32 r9_split_lpae(const paddr_t *root)
{
	r9_split_probe(TTBCR_LPAE_WALKS);
	r9_split_probe(TTBCR_LPAE_WALKS | (1u << TTBCR_T0SZ_SHIFT));
	struct pt_walk w;
	sp.r.root = root[0];
	pt_walk(&sp.r, &mem, r9_split_vas[1], &w);
	r9_split_ttbr0(TTBCR_LPAE_WALKS | (2u << TTBCR_T0SZ_SHIFT),
		       ALIGN_DOWN(w.desc_pa[1], (paddr_t)PAGE));
	r9_split_judge();
	write_ttbr1_64(root[2]);
	r9_split_judge();
	write_ttbr0_64(root[0]); /* first: T0SZ = 2 reads it for VAs below 1 GiB only */
	isb();
	r9_split_probe(TTBCR_LPAE_WALKS | (1u << TTBCR_T0SZ_SHIFT) | R9_TTBCR_EPD1);
	u32 ttbcr = read_ttbcr();
	r9_split_probe(TTBCR_LPAE_WALKS);
	return ttbcr;
}

/* case_ttbcrsplit: three trees mapping the same VAs to pages of their own; TTBR0 names the
 * first, TTBR1 the second, and the TTBR0/TTBR1 split moves (short: TTBCR.N; LPAE: T0SZ,
 * and EPD1) with shadows built under the previous one, TTBR1 is rewritten to the third;
 * every VA judged after each change and the TLBIALL it needs; TTBCR read back (fmt=). */
static int case_ttbcrsplit(void)
{
	paddr_t root[R9_TREES];
	stats_reset();
	for (u32 t = 0; t < R9_TREES; t++) {
		root[t] = r9_tree(t);
	}
	sp.r.root = root[0];
	mmu_on();
	if (sp.lpae) {
		write_ttbr1_64(root[1]);
	} else {
		write_ttbr1((u32)root[1]);
	}
	u32 ttbcr = sp.lpae ? r9_split_lpae(root) : r9_split_short(root);
	mmu_off();
	write_ttbcr(0);
	write_ttbr1_64(0);
	rt_printf("hostile ttbcrsplit: TTBCR read back 0x%08x\n", ttbcr);
	return summary("ttbcrsplit");
}

#define R9_GLOBAL_VA (ALIAS_VA + SECTION) /* a global page; ALIAS_VA is a non-global one */
#define R9_ASID_IDLE 7u			  /* an ASID nothing runs with */

static struct {
	paddr_t g_desc, ng_desc; /* where the two pages' descriptors are */
	u32 page_a, page_b;
} ag;

/* r9_point: make the page whose descriptor is at desc map pa (global unless ng). */
static void r9_point(paddr_t desc, u32 pa, bool ng)
{
	u64 d = sp.r.fmt->make_leaf(pa, sp.lpae ? 2 : 1, ng ? sp.a->ram_ng : sp.a->ram);
	ram_write(NULL, desc, sp.r.fmt->desc_bytes, d);
	dsb();
}

/* r9_read_both: both pages read and judged under the current ASID. */
static void r9_read_both(void)
{
	dsb();
	isb();
	struct outcome o = probe_read(ALIAS_VA);
	judge("read", ALIAS_VA, S1_READ, &o, NULL);
	o = probe_read(R9_GLOBAL_VA);
	judge("read", R9_GLOBAL_VA, S1_READ, &o, NULL);
}

/* case_asidglobal: one TTBR0 with two ASIDs, a global and a non-global page, each moved
 * between two pages followed by exactly the maintenance B4.2.2 makes enough: TLBIMVA naming
 * an idle ASID (it removes global entries of the VA), TLBIASID of the ASID switched to
 * next, TLBIMVAA, TLBIALL; then the two pages' nG bits swapped. Every read judged (fmt=). */
static int case_asidglobal(void)
{
	stats_reset();
	ag.page_a = rt_ram_base() + SCRATCH + 16 * PAGE;
	ag.page_b = ag.page_a + PAGE;
	*(volatile u32 *)(uintptr_t)ag.page_a = TAG_PAGE_A;
	*(volatile u32 *)(uintptr_t)ag.page_b = TAG_PAGE_B;
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, ag.page_a, PAGE, sp.a->ram_ng, 12);
	map(R9_GLOBAL_VA, ag.page_a, PAGE, sp.a->ram, 12);
	ag.ng_desc = alias_desc_pa();
	struct pt_walk w;
	pt_walk(&sp.r, &mem, R9_GLOBAL_VA, &w);
	ag.g_desc = w.desc_pa[w.depth - 1];
	mmu_on();
	set_asid(ASID_A);
	r9_read_both();
	set_asid(ASID_B);
	r9_read_both();
	r9_point(ag.g_desc, ag.page_b, false);
	tlbi_mva(R9_GLOBAL_VA | R9_ASID_IDLE);
	r9_read_both();
	r9_point(ag.ng_desc, ag.page_b, true);
	tlbi_asid(ASID_A);
	set_asid(ASID_A);
	r9_read_both();
	tlbi_asid(ASID_B);
	set_asid(ASID_B);
	r9_read_both();
	r9_point(ag.g_desc, ag.page_a, false);
	tlbi_mvaa(R9_GLOBAL_VA);
	r9_read_both();
	r9_point(ag.ng_desc, ag.page_a, true);
	tlbi_mva(ALIAS_VA | ASID_B);
	r9_read_both();
	r9_point(ag.ng_desc, ag.page_b, false);
	r9_point(ag.g_desc, ag.page_b, true);
	rt_tlb_flush_all();
	r9_read_both();
	set_asid(ASID_A);
	r9_read_both();
	mmu_off();
	set_asid(0);
	return summary("asidglobal");
}

#define R9_AP_VALUES 8u /* AP[2:0] */

/* r9_sctlr: SCTLR with bits set and clear changed, then the TLBIALL such a change needs
 * (B3.7.1, B3.8.3). */
static void r9_sctlr(u32 set, u32 clear)
{
	write_sctlr((read_sctlr() | set) & ~clear);
	isb();
	rt_tlb_flush_all();
}

/* case_aptoggle: eight small pages, one for each AP[2:0] value, used at PL1 and PL0, then
 * SCTLR.AFE set (AP[0] becomes the access flag), TEX remap turned on with PRRR and NMRR
 * written, AFE cleared, TEX remap off, every page probed after each change; PRRR, NMRR and
 * SCTLR's bits read back (fmt=short). */
static int case_aptoggle(void)
{
	u32 pg = rt_ram_base() + R9_PG_OFF, sctlr = read_sctlr();
	stats_reset();
	space_new();
	map_ram_and_uart();
	volatile u32 *t = r9_l2_table(R9_PT_VA, DOMAIN_RAM);
	r9_nvas = 0;
	for (u32 ap = 0; ap < R9_AP_VALUES; ap++) {
		t[ap] = (pg + ap * PAGE) | SD_L2_SMALL | R9_PG_ATTRS(ap);
		r9_add(R9_PT_VA + ap * PAGE + 4 * ap, pg + ap * PAGE + 4 * ap);
	}
	mmu_on();
	r9_probe_all();
	r9_sctlr(SCTLR_AFE, 0);
	r9_probe_all();
	write_prrr(TRE_PRRR);
	write_nmrr(TRE_NMRR);
	r9_sctlr(SCTLR_TRE, 0);
	r9_probe_all();
	u32 prrr = read_prrr(), nmrr = read_nmrr(), bits = read_sctlr() & (SCTLR_TRE | SCTLR_AFE);
	r9_sctlr(0, SCTLR_AFE);
	r9_probe_all();
	r9_sctlr(0, SCTLR_TRE);
	r9_probe_all();
	mmu_off();
	write_sctlr(sctlr);
	isb();
	bool regs = prrr == TRE_PRRR && nmrr == TRE_NMRR && bits == (SCTLR_TRE | SCTLR_AFE);
	rt_printf("hostile aptoggle: PRRR 0x%08x NMRR 0x%08x, SCTLR TRE/AFE 0x%08x: %s\n", prrr,
		  nmrr, bits, regs ? "as written" : "NOT as written");
	return summary("aptoggle") | (regs ? 0 : 1);
}

/* ---- cases of review 9b: address-space churn, pool pressure, the two sync policies ---- */

#define CH_SPACES      40u /* more address spaces than the shadow module caches roots (32) */
#define CH_FRAMES      96u /* table frames, taking turns as tables and as data */
#define CH_DATA	       32u /* data pages the user windows map */
#define CH_AREA	       (SCRATCH + 4u * MiB) /* the table frames, then the data pages */
#define CH_UW	       0x00400000u	    /* each space's user window, translated by TTBR0 */
#define CH_SHARED      0x00600000u	    /* a window every space maps through one shared table */
#define CH_UW_DATA     2u		    /* window pages 0 and 1 map data pages */
#define CH_UW_SELF     2u   /* window page 2 maps the window's own leaf table (recursive) */
#define CH_UW_T0       3u   /* window page 3 maps the space's TTBR0 table */
#define CH_UW_PROBED   5u   /* pages probed (page 4 maps nothing) */
#define CH_ASIDS       200u /* ASIDs 1..CH_ASIDS, handed out in turn and reused */
#define CH_TAG	       0xc4000000u
#define CH_SCRIBBLE    0x5c000000u /* what a freed table frame is overwritten with (fault entries) */
#define CH_SCRIBBLES   64u	   /* words of it: more than shadow.flood caught writes */
#define CH_LEAF_SLOTS  4u	   /* short format: a 1 KiB level-2 table at one of four offsets */
#define CH_SPLIT_SHORT 2u	   /* TTBCR.N = 2: TTBR0 translates [0, 1 GiB) with a 4 KiB table */

static struct {
	paddr_t t0[CH_SPACES];	 /* each space's TTBR0 table (one frame) */
	paddr_t leaf[CH_SPACES]; /* its window's leaf table (short: 1 KiB inside a frame) */
	u32 asid[CH_SPACES];
	paddr_t shared;		 /* the shared window's leaf table */
	paddr_t free[CH_FRAMES]; /* free table frames, a FIFO */
	u32 free_head, nfree;
	u32 next_asid;
	u32 cur;
	u32 ops[8];
} ch;

/* ch_rand: a random number below n. */
static u32 ch_rand(u32 n)
{
	return (rng() >> 8) % n;
}

/* ch_data: data page k. */
static paddr_t ch_data(u32 k)
{
	return rt_ram_base() + CH_AREA + (CH_FRAMES + k) * PAGE;
}

/* ch_frame_take / ch_frame_give: a free table frame (the one freed longest ago) / a frame
 * freed, after it was overwritten with data. */
static paddr_t ch_frame_take(void)
{
	if (ch.nfree == 0) {
		rt_printf("hostile churn: out of table frames\n");
		rt_exit(2);
	}
	paddr_t f = ch.free[ch.free_head];
	ch.free_head = (ch.free_head + 1) % CH_FRAMES;
	ch.nfree--;
	memset((void *)(uintptr_t)f, 0, PAGE);
	dsb();
	return f;
}

static void ch_frame_give(paddr_t f)
{
	volatile u32 *w = (volatile u32 *)(uintptr_t)f;
	for (u32 i = 0; i < CH_SCRIBBLES; i++) {
		w[i * 7] = CH_SCRIBBLE | (i << 4); /* data: bits [1:0] clear, fault entries */
	}
	dsb();
	ch.free[(ch.free_head + ch.nfree) % CH_FRAMES] = f;
	ch.nfree++;
}

/* ch_desc_write: descriptor d at pa (a table of the guest's format), seen by later walks. */
static void ch_desc_write(paddr_t pa, u64 d)
{
	ram_write(NULL, pa, sp.r.fmt->desc_bytes, d);
	dsb();
}

/* ch_t0_entry / ch_leaf_entry: where the entry that translates va is in TTBR0 table t0 / in
 * leaf table leaf (short: TTBR0 level 1 of 1 MiB entries, level 2; LPAE with T0SZ = 2:
 * level 2 of 2 MiB entries, level 3). */
static paddr_t ch_t0_entry(paddr_t t0, u32 va)
{
	return t0 + (va >> (sp.lpae ? 21 : 20)) * sp.r.fmt->desc_bytes;
}

static paddr_t ch_leaf_entry(paddr_t leaf, u32 va)
{
	u32 mask = sp.lpae ? 0x1ffu : 0xffu;
	return leaf + ((va >> 12) & mask) * sp.r.fmt->desc_bytes;
}

/* ch_page: a leaf descriptor mapping pa, PL1 read/write, not global unless global. */
static u64 ch_page(paddr_t pa, bool global)
{
	return sp.r.fmt->make_leaf(pa, sp.lpae ? 2 : 1, global ? sp.a->ram : sp.a->ram_ng);
}

/* ch_link: a table descriptor to leaf table leaf, as a TTBR0 table entry. */
static u64 ch_link(paddr_t leaf)
{
	u64 d = sp.r.fmt->make_table(leaf);
	return sp.lpae ? d : d | (DOMAIN_RAM << SD_DOMAIN_SHIFT);
}

/* ch_leaf_fill: space s's window in leaf table leaf: two data pages, the table itself, the
 * space's TTBR0 table. */
static void ch_leaf_fill(u32 s, paddr_t leaf)
{
	for (u32 p = 0; p < CH_UW_DATA; p++) {
		ch_desc_write(ch_leaf_entry(leaf, CH_UW + p * PAGE),
			      ch_page(ch_data(ch_rand(CH_DATA)), false));
	}
	ch_desc_write(ch_leaf_entry(leaf, CH_UW + CH_UW_SELF * PAGE),
		      ch_page(leaf & ~(paddr_t)PAGE_OFFSET_MASK, false));
	ch_desc_write(ch_leaf_entry(leaf, CH_UW + CH_UW_T0 * PAGE), ch_page(ch.t0[s], false));
}

/* ch_leaf_new: a new leaf table for space s (short: at a random 1 KiB slot of a frame). */
static paddr_t ch_leaf_new(u32 s)
{
	paddr_t leaf = ch_frame_take();
	if (!sp.lpae) {
		leaf += ch_rand(CH_LEAF_SLOTS) * (PAGE / CH_LEAF_SLOTS);
	}
	ch_leaf_fill(s, leaf);
	return leaf;
}

/* ch_t0_fill: space s's TTBR0 table: the UART (as every space maps it), its window, the
 * shared window. */
static void ch_t0_fill(u32 s)
{
	u32 uart = RT_UART & ~(BIT(sp.a->block_shift) - 1);
	ch_desc_write(ch_t0_entry(ch.t0[s], uart),
		      sp.r.fmt->make_leaf(uart, sp.lpae ? 1 : 0, sp.a->device));
	ch_desc_write(ch_t0_entry(ch.t0[s], CH_UW), ch_link(ch.leaf[s]));
	ch_desc_write(ch_t0_entry(ch.t0[s], CH_SHARED), ch_link(ch.shared));
}

/* ch_switch: run space s's TTBR0 table with its ASID, through the reserved ASID 0 (B3.10.4). */
static void ch_switch(u32 s)
{
	ch.cur = s;
	if (sp.lpae) {
		write_ttbr0_64(ch.t0[s]);
		isb();
		write_ttbr0_64(ch.t0[s] | ((u64)ch.asid[s] << TTBR_ASID_SHIFT));
	} else {
		write_contextidr(0);
		isb();
		write_ttbr0((u32)ch.t0[s]);
		isb();
		write_contextidr(ch.asid[s]);
	}
	isb();
}

/* ch_asid_new: space s gets the next ASID, cleaned of what its earlier user left (the current
 * ASID is the reserved one meanwhile: a TLB may load nothing for it). */
static void ch_asid_new(u32 s)
{
	ch.asid[s] = ch.next_asid;
	ch.next_asid = ch.next_asid % CH_ASIDS + 1;
	if (sp.lpae) {
		write_ttbr0_64(read_ttbr0_64() & ~((u64)0xff << TTBR_ASID_SHIFT));
	} else {
		write_contextidr(0);
	}
	isb();
	tlbi_asid(ch.asid[s]);
	dsb();
	isb();
}

/* ch_maintain: the maintenance that makes a change to space s's page at va visible: one of
 * TLBIMVA, TLBIASID, TLBIALL, TLBIMVAA (each covers it). */
static void ch_maintain(u32 s, u32 va)
{
	switch (ch_rand(4)) {
	case 0:
		tlbi_mva((va & ~PAGE_OFFSET_MASK) | ch.asid[s]);
		break;
	case 1:
		tlbi_asid(ch.asid[s]);
		break;
	case 2:
		tlbi_all();
		break;
	default:
		tlbi_mvaa(va & ~PAGE_OFFSET_MASK);
		break;
	}
	dsb();
	isb();
}

/* ch_probe: read every page of the current space's windows, write a data page, check both. */
static void ch_probe(u32 round)
{
	for (u32 p = 0; p <= CH_UW_PROBED; p++) {
		u32 va = p < CH_UW_PROBED ? CH_UW + p * PAGE : CH_SHARED;
		struct outcome o = probe_read(va + 8 * p);
		judge("read", va + 8 * p, S1_READ, &o, NULL);
		stats.reads_ok += o.aborted ? 0 : 1;
		stats.aborts += o.aborted ? 1 : 0;
	}
	u32 va = CH_UW + ch_rand(CH_UW_DATA) * PAGE + 4 * ch_rand(PAGE / 4 - 1) + 4;
	u32 v = CH_TAG | (ch.cur << 16) | (round & 0xffffu);
	struct expect e = predict(va, S1_WRITE);
	struct outcome o = probe_write(va, v);
	judge("write", va, S1_WRITE, &o, NULL);
	if (e.kind == EXP_RAM && *(volatile u32 *)(uintptr_t)e.pa != v) {
		struct outcome seen = o;
		seen.value = *(volatile u32 *)(uintptr_t)e.pa;
		mismatch("write landed", va, &e, &seen);
	}
}

/* ch_remap: repoint one data page of the current space, through the identity map or through
 * the window's own mapping of its table (recursive), then maintain. */
static void ch_remap(bool recursive)
{
	u32 s = ch.cur, va = CH_UW + ch_rand(CH_UW_DATA) * PAGE;
	u64 d = ch_page(ch_data(ch_rand(CH_DATA)), false);
	paddr_t at = ch_leaf_entry(ch.leaf[s], va);
	if (recursive) {
		u32 self = CH_UW + CH_UW_SELF * PAGE + ((u32)at & PAGE_OFFSET_MASK);
		*(volatile u32 *)(uintptr_t)self = (u32)d;
		if (sp.lpae) {
			*(volatile u32 *)(uintptr_t)(self + 4) = (u32)(d >> 32);
		}
		dsb();
	} else {
		ch_desc_write(at, d);
	}
	ch_maintain(s, va);
}

/* ch_new_leaf: the current space's window gets a new leaf table; the old one is unlinked,
 * cleaned from every TLB, and freed as data. */
static void ch_new_leaf(void)
{
	u32 s = ch.cur;
	paddr_t old = ch.leaf[s];
	ch_desc_write(ch_t0_entry(ch.t0[s], CH_UW), 0);
	tlbi_all();
	dsb();
	isb();
	ch_frame_give(old & ~(paddr_t)PAGE_OFFSET_MASK);
	ch.leaf[s] = ch_leaf_new(s);
	ch_desc_write(ch_t0_entry(ch.t0[s], CH_UW), ch_link(ch.leaf[s])); /* over a fault entry */
	isb();
}

/* ch_new_t0: the current space gets a new TTBR0 table, with its ASID again (cleaned first)
 * or another; the old table is freed as data once no TLB may hold anything of it. */
static void ch_new_t0(bool same_asid)
{
	u32 s = ch.cur;
	paddr_t old = ch.t0[s];
	ch.t0[s] = ch_frame_take();
	ch_t0_fill(s);
	/* its window's page 3 maps the TTBR0 table: repointed, with the rest of the window */
	ch_desc_write(ch_leaf_entry(ch.leaf[s], CH_UW + CH_UW_T0 * PAGE), ch_page(ch.t0[s], false));
	if (same_asid) {
		ch.next_asid = ch.asid[s];
	}
	ch_asid_new(s);
	ch_switch(s);
	tlbi_all();
	dsb();
	isb();
	ch_frame_give(old);
}

/* ch_other: a data page of another space repointed, and that space's ASID maintained. */
static void ch_other(void)
{
	u32 s = ch_rand(CH_SPACES), va = CH_UW + ch_rand(CH_UW_DATA) * PAGE;
	ch_desc_write(ch_leaf_entry(ch.leaf[s], va), ch_page(ch_data(ch_rand(CH_DATA)), false));
	tlbi_asid(ch.asid[s]);
	dsb();
	isb();
}

/* ch_shared: the shared window's page repointed (a global entry), maintained. */
static void ch_shared(void)
{
	ch_desc_write(ch_leaf_entry(ch.shared, CH_SHARED),
		      ch_page(ch_data(ch_rand(CH_DATA)), true));
	if (ch_rand(2) == 0) {
		tlbi_mvaa(CH_SHARED);
	} else {
		tlbi_mva(CH_SHARED | ch.asid[ch.cur]); /* global entries whatever the ASID */
	}
	dsb();
	isb();
}

/* ch_build: every space, its tables and ASID; the kernel (TTBR1: RAM and the UART). */
static void ch_build(void)
{
	space_new();
	map_ram_and_uart();
	memset(&ch, 0, sizeof(ch));
	for (u32 f = 0; f < CH_FRAMES; f++) {
		ch.free[f] = rt_ram_base() + CH_AREA + f * PAGE;
	}
	ch.nfree = CH_FRAMES;
	ch.next_asid = 1;
	for (u32 k = 0; k < CH_DATA; k++) {
		for (u32 w = 0; w < PAGE / 4; w += 8) {
			*(volatile u32 *)(uintptr_t)(ch_data(k) + 4 * w) = CH_TAG | (k << 16) | w;
		}
	}
	ch.shared = ch_frame_take();
	ch_desc_write(ch_leaf_entry(ch.shared, CH_SHARED), ch_page(ch_data(0), true));
	for (u32 s = 0; s < CH_SPACES; s++) {
		ch.t0[s] = ch_frame_take();
		ch.leaf[s] = ch_leaf_new(s);
		ch_t0_fill(s);
		ch.asid[s] = ch.next_asid++;
	}
}

/* ch_mmu_on: TTBR0 for [0, 1 GiB) (the spaces), TTBR1 for the rest (the kernel). */
static void ch_mmu_on(void)
{
	if (sp.lpae) {
		write_prrr(MAIR0_NORMAL_DEVICE);
		write_ttbcr(TTBCR_LPAE_WALKS | SPLIT_1G_LPAE);
		write_ttbr1_64(sp.r.root);
	} else {
		write_ttbcr(CH_SPLIT_SHORT);
		write_ttbr1((u32)sp.r.root);
		write_dacr(DACR_CLIENTS);
	}
	ch_switch(0);
	rt_tlb_flush_all();
	write_sctlr(read_sctlr() | SCTLR_M | SCTLR_C | SCTLR_I);
	isb();
}

/* case_churn: rounds= rounds (fmt=), each in a random space of 40: every window page probed
 * (after all maintenance the architecture requires, so exactly as the guest's tables say),
 * then one change: a data page repointed (through the identity map or the table's own
 * mapping of itself), the window's leaf table replaced (the old one freed and overwritten
 * as data, to come back later as a table), the TTBR0 table replaced (same ASID, cleaned, or
 * the next), another space's page repointed, the shared global page repointed. Run under
 * shadow with a tiny pool (roots evicted at every switch) and either policy. */
static int case_churn(void)
{
	u32 rounds = 600, seed = 9;
	rt_arg_u32("rounds", &rounds);
	rt_arg_u32("seed", &seed);
	rng_state = seed;
	stats_reset();
	ch_build();
	ch_mmu_on();
	for (u32 i = 0; i < rounds; i++) {
		ch_switch(ch_rand(CH_SPACES));
		ch_probe(i);
		u32 op = ch_rand(8);
		ch.ops[op]++;
		switch (op) {
		case 0:
		case 1:
			ch_remap(op == 1);
			break;
		case 2:
			ch_new_leaf();
			break;
		case 3:
		case 4:
			ch_new_t0(op == 3);
			break;
		case 5:
			ch_other();
			break;
		case 6:
			ch_shared();
			break;
		default:
			break; /* the next switch alone */
		}
	}
	mmu_off();
	rt_printf("hostile churn: %u rounds in %u spaces: %u remaps (%u recursive), %u new leaf "
		  "tables, %u new TTBR0 tables (%u with their ASID), %u others, %u shared\n",
		  rounds, CH_SPACES, ch.ops[0] + ch.ops[1], ch.ops[1], ch.ops[2],
		  ch.ops[3] + ch.ops[4], ch.ops[3], ch.ops[5], ch.ops[6]);
	return summary("churn");
}

#define OM_BASE	      0x10000000u /* the windows: one page each, 2 MiB apart (own leaf tables) */
#define OM_WINDOWS_SD 72u	  /* short format: four level-2 tables per frame, 18 frames */
#define OM_WINDOWS_LD 20u	  /* LPAE: a level-3 table each, 20 frames */
#define OM_PAGES      (SCRATCH + 6u * MiB) /* data pages: three per window (A, B, C) */
#define OM_TAG	      0x0a500000u

static struct {
	u32 n;
	u32 stale, fresh, wrong;
	paddr_t desc[OM_WINDOWS_SD];
} om;

/* om_page: data page k (0, 1, 2: A, B, C) of window i. */
static paddr_t om_page(u32 i, u32 k)
{
	return rt_ram_base() + OM_PAGES + (3 * i + k) * PAGE;
}

static u32 om_word(paddr_t pa)
{
	return *(volatile u32 *)(uintptr_t)pa;
}

/* om_point: window i's descriptor to data page k, no TLB maintenance; it must read back. */
static void om_point(u32 i, u32 k)
{
	u64 d = sp.r.fmt->make_leaf(om_page(i, k), sp.lpae ? 2 : 1, sp.a->ram);
	ram_write(NULL, om.desc[i], sp.r.fmt->desc_bytes, d);
	dsb();
	u64 back = 0;
	ram_read(NULL, om.desc[i], sp.r.fmt->desc_bytes, &back);
	if (back != d) {
		om.wrong++;
		rt_printf("hostile oosmany: descriptor of window %u reads 0x%llx, written 0x%llx\n",
			  i, (unsigned long long)back, (unsigned long long)d);
	}
}

/* om_read: window i read; it must see page now, or page old while stale_ok (the architecture
 * lets a TLB keep the old translation until maintenance). */
static void om_read(u32 i, u32 now, u32 old, bool stale_ok)
{
	struct outcome o = probe_read(OM_BASE + i * BLOCK);
	if (!o.aborted && o.value == om_word(om_page(i, now))) {
		om.fresh++;
	} else if (stale_ok && !o.aborted && o.value == om_word(om_page(i, old))) {
		om.stale++;
	} else if (om.wrong++ < MAX_MISMATCH_LOGS) {
		rt_printf("hostile oosmany: window %u %s 0x%08x (page %u holds 0x%08x, page %u "
			  "0x%08x)%s\n",
			  i, o.aborted ? "aborted, fsr" : "read", o.aborted ? o.fsr : o.value, now,
			  om_word(om_page(i, now)), old, om_word(om_page(i, old)),
			  stale_ok ? "" : " after maintenance");
	}
}

/* om_write: window i written (no maintenance since it moved from old to now): exactly one of
 * the two pages takes the word. */
static void om_write(u32 i, u32 now, u32 old)
{
	u32 v = OM_TAG | 0xf000u | i;
	u32 before_now = om_word(om_page(i, now)), before_old = om_word(om_page(i, old));
	struct outcome o = probe_write(OM_BASE + i * BLOCK, v);
	bool in_now = om_word(om_page(i, now)) == v, in_old = om_word(om_page(i, old)) == v;
	if (o.aborted || in_now == in_old) {
		if (om.wrong++ < MAX_MISMATCH_LOGS) {
			rt_printf("hostile oosmany: store to window %u: %s, new page 0x%08x -> "
				  "0x%08x, old page 0x%08x -> 0x%08x\n",
				  i, o.aborted ? "aborted" : "done", before_now,
				  om_word(om_page(i, now)), before_old, om_word(om_page(i, old)));
		}
	}
	/* Both pages get their tags back, for the reads that follow. */
	*(volatile u32 *)(uintptr_t)om_page(i, now) = before_now;
	*(volatile u32 *)(uintptr_t)om_page(i, old) = before_old;
	dsb();
}

/* case_oosmany: more page-table frames changed at once than the shadow module has snapshots
 * (16; fmt=, under shadow.sync=unsync): every window (one page each, its own leaf table)
 * read, then all repointed from page A to page B without maintenance, each read (A or B)
 * and written (A or B, exactly one); one TLBIMVA (its window must then read B); TLBIALL
 * (all read B); all repointed to C, an unchanged TTBR0 written again and each cleaned with
 * TLBIMVAA (all read C). */
static int case_oosmany(void)
{
	space_new();
	map_ram_and_uart();
	om.n = sp.lpae ? OM_WINDOWS_LD : OM_WINDOWS_SD;
	om.stale = om.fresh = om.wrong = 0;
	for (u32 i = 0; i < om.n; i++) {
		for (u32 k = 0; k < 3; k++) {
			*(volatile u32 *)(uintptr_t)om_page(i, k) = OM_TAG | (k << 12) | i;
		}
		map(OM_BASE + i * BLOCK, om_page(i, 0), PAGE, sp.a->ram, 12);
		struct pt_walk w;
		pt_walk(&sp.r, &mem, OM_BASE + i * BLOCK, &w);
		om.desc[i] = w.desc_pa[w.depth - 1];
	}
	mmu_on();
	for (u32 i = 0; i < om.n; i++) {
		om_read(i, 0, 0, false);
	}
	for (u32 i = 0; i < om.n; i++) {
		om_point(i, 1);
	}
	for (u32 i = 0; i < om.n; i++) {
		om_read(i, 1, 0, true);
		om_write(i, 1, 0);
	}
	tlbi_mva(OM_BASE);
	dsb();
	isb();
	om_read(0, 1, 0, false);
	for (u32 i = 1; i < om.n; i++) {
		om_read(i, 1, 0, true);
	}
	tlbi_all();
	dsb();
	isb();
	for (u32 i = 0; i < om.n; i++) {
		om_read(i, 1, 1, false);
	}
	for (u32 i = 0; i < om.n; i++) {
		om_point(i, 2);
	}
	write_ttbr0_64(read_ttbr0_64());
	isb();
	for (u32 i = 0; i < om.n; i++) {
		tlbi_mvaa(OM_BASE + i * BLOCK);
	}
	dsb();
	isb();
	for (u32 i = 0; i < om.n; i++) {
		om_read(i, 2, 2, false);
	}
	mmu_off();
	rt_printf("hostile oosmany: %u windows, %u reads of the new page, %u of the old (allowed "
		  "before maintenance), %u wrong\n",
		  om.n, om.fresh, om.stale, om.wrong);
	rt_printf("hostile oosmany: %s\n", om.wrong == 0 ? "as the architecture allows" : "WRONG");
	return om.wrong == 0 ? 0 : 1;
}

/* ---- cases of review 9: the exception model around misses and the trampoline ---- */

/* What the last recorded abort left: its vector, fault status and address, LR_abt and
 * SPSR_abt (on_record). */
static volatile struct {
	u32 vector, fsr, far, lr, spsr;
} seen;

/* on_record: record a data or prefetch abort with its LR_abt and SPSR_abt, then resume at
 * r4 (mode_call's return) in A32 state, in the aborted mode. */
static bool on_record(u32 vector, struct rt_frame *f)
{
	if (vector != VEC_DABT && vector != VEC_PABT) {
		return false;
	}
	seen.vector = vector;
	seen.fsr = vector == VEC_DABT ? read_dfsr() : read_ifsr();
	seen.far = vector == VEC_DABT ? read_dfar() : read_ifar();
	seen.lr = f->pc;
	seen.spsr = f->spsr;
	f->pc = f->r[4];
	f->spsr &= ~(PSR_T | PSR_IT_MASK);
	return true;
}

/* seen_reset: no abort recorded yet. */
static void seen_reset(void)
{
	seen.vector = 0;
	seen.fsr = 0;
	seen.far = 0;
	seen.lr = 0;
	seen.spsr = 0;
}

/* mode_call(cpsr_c, fn, arg): from SVC mode, switch to the mode (and I, F bits) of cpsr_c,
 * branch with link and exchange to fn with r0 = arg, come back to SVC mode; r0 returned.
 * fn runs on no stack. An abort that on_record recorded resumes at the return. */
u32 mode_call(u32 cpsr_c, u32 fn, u32 arg);
__asm__(".text\n"
	".balign 4\n"
	".global mode_call\n"
	".type mode_call, %function\n"
	"mode_call:\n"
	"	push	{r4, r5, r6, lr}\n"
	"	mrs	r5, cpsr\n"
	"	adr	r4, 1f\n"
	"	msr	cpsr_c, r0\n"
	"	mov	r0, r2\n"
	"	blx	r1\n"
	"1:	msr	cpsr_c, r5\n"
	"	pop	{r4, r5, r6, pc}\n");

#define INSN_LDR_R0_R0 0xe5900000u /* ldr r0, [r0] */
#define MODE_CODE_VA   0x90000000u /* one fresh alias of the code page per mode */
#define MODE_DATA_VA   0x90100000u /* one fresh alias of the data page per mode */
#define MODE_HOLE_VA   0x70000000u /* mapped by nothing */
#define MODE_TAG       0x30de5eedu
#define MODE_PAGES     (SCRATCH + 20 * PAGE) /* the code page, then the data page */
#define PSR_ENTRY_BITS (PSR_MODE_MASK | PSR_T | PSR_I | PSR_F | PSR_A | PSR_E | PSR_IT_MASK)

static const u8 probe_modes[] = {PSR_MODE_FIQ, PSR_MODE_IRQ, PSR_MODE_UND, PSR_MODE_SYS,
				 PSR_MODE_SVC};

/* abort_as_expected: the recorded abort is of vector vec at far with LR_abt lr, the status
 * the guest's tables give for an access acc there, taken from cpsr_c's mode, I and F. */
static bool abort_as_expected(const char *what, u32 cpsr_c, u32 vec, u32 far, u32 lr,
			      enum s1_access acc)
{
	struct expect e = predict(far, acc);
	u32 mask = PSR_MODE_MASK | PSR_T | PSR_I | PSR_F;
	bool ok = seen.vector == vec && seen.far == far && seen.lr == lr && e.kind == EXP_ABORT &&
		  seen.fsr == e.fsr && (seen.spsr & mask) == (cpsr_c & mask);
	rt_printf("hostile modemiss: mode 0x%02x %s: vector 0x%02x FSR 0x%03x (0x%03x) FAR "
		  "0x%08x LR 0x%08x (0x%08x) SPSR 0x%08x: %s\n",
		  cpsr_c & PSR_MODE_MASK, what, seen.vector, seen.fsr, e.fsr, seen.far, seen.lr, lr,
		  seen.spsr, ok ? "as natively" : "WRONG");
	return ok;
}

/* fresh_round: in the mode of cpsr_c, a call of entry (code at a page never touched at its
 * VA, which loads from data, another) with no exception and MODE_TAG read: 0; else 1,
 * reported under case name. */
static u32 fresh_round(const char *name, u32 cpsr_c, u32 entry, u32 data)
{
	seen_reset();
	u32 v = mode_call(cpsr_c, entry, data);
	if (seen.vector != 0 || v != MODE_TAG) {
		rt_printf("hostile %s: mode 0x%02x: fresh fetch and load read 0x%08x, exception "
			  "0x%02x: WRONG\n",
			  name, cpsr_c & PSR_MODE_MASK, v, seen.vector);
		return 1;
	}
	return 0;
}

/* mode_round: in the mode of cpsr_c, a first fetch and a first load of fresh pages (code
 * at code, data at data), a load that aborts, a fetch that aborts; the number wrong. */
static u32 mode_round(u32 cpsr_c, u32 code, u32 data)
{
	u32 wrong = fresh_round("modemiss", cpsr_c, code, data);
	seen_reset();
	(void)mode_call(cpsr_c, code, MODE_HOLE_VA);
	wrong += !abort_as_expected("load", cpsr_c, VEC_DABT, MODE_HOLE_VA, code + 8, S1_READ);
	seen_reset();
	(void)mode_call(cpsr_c, MODE_HOLE_VA + PAGE, 0);
	wrong += !abort_as_expected("fetch", cpsr_c, VEC_PABT, MODE_HOLE_VA + PAGE,
				    MODE_HOLE_VA + PAGE + 4, S1_EXEC);
	return wrong;
}

/* case_modemiss: in FIQ, IRQ, UND, SYS and SVC mode, code run and data read from pages the
 * guest never touched at those VAs (shadow misses in that mode), then a load and a fetch
 * that abort: FSR, FAR, LR_abt and SPSR_abt as natively (fmt=). */
static int case_modemiss(void)
{
	u32 code = rt_ram_base() + MODE_PAGES, data = code + PAGE, wrong = 0;
	volatile u32 *c = (volatile u32 *)(uintptr_t)code;
	c[0] = INSN_LDR_R0_R0;
	c[1] = INSN_BX_LR;
	sync_code(code, 8);
	*(volatile u32 *)(uintptr_t)data = MODE_TAG;
	space_new();
	map_ram_and_uart();
	for (u32 i = 0; i < ARRAY_SIZE(probe_modes); i++) {
		map(MODE_CODE_VA + i * PAGE, code, PAGE, sp.a->ram, 12);
		map(MODE_DATA_VA + i * PAGE, data, PAGE, sp.a->ram, 12);
	}
	mmu_on();
	rt_set_handler(on_record);
	for (u32 i = 0; i < ARRAY_SIZE(probe_modes); i++) {
		wrong += mode_round(probe_modes[i] | PSR_I | PSR_F, MODE_CODE_VA + i * PAGE,
				    MODE_DATA_VA + i * PAGE);
	}
	rt_set_handler(on_exception);
	mmu_off();
	rt_printf("hostile modemiss: %u modes, %u wrong\n", (u32)ARRAY_SIZE(probe_modes), wrong);
	return wrong == 0 ? 0 : 1;
}

/* A T32 MOVW r0, #0x1234 (T3) whose second halfword is the first of the next page, then
 * BX LR. */
#define T32_MOVW_R0_HW1 0xf241u
#define T32_MOVW_R0_HW2 0x2034u
#define T32_MOVW_VALUE	0x1234u
#define T16_BX_LR_HW	0x4770u
#define XT_VA		0x90200000u /* the two pages mapped */
#define XT_HOLE_VA	0x90400000u /* the first page mapped, the next one not */
#define XT_PAGES	(SCRATCH + 24 * PAGE)

/* case_t32xpage: a 32-bit T32 instruction at the last halfword of a page: with the next
 * page mapped (both pages fresh: two fetch misses) it runs; with the next page unmapped it
 * takes the prefetch abort of the second halfword (fmt=). */
static int case_t32xpage(void)
{
	u32 p1 = rt_ram_base() + XT_PAGES, p2 = p1 + PAGE;
	*(volatile u16 *)(uintptr_t)(p1 + PAGE - 2) = T32_MOVW_R0_HW1;
	*(volatile u16 *)(uintptr_t)p2 = T32_MOVW_R0_HW2;
	*(volatile u16 *)(uintptr_t)(p2 + 2) = T16_BX_LR_HW;
	sync_code(p1 + PAGE - 2, 6);
	space_new();
	map_ram_and_uart();
	map(XT_VA, p1, 2 * PAGE, sp.a->ram, 12);
	map(XT_HOLE_VA, p1, PAGE, sp.a->ram, 12);
	mmu_on();
	rt_set_handler(on_record);
	seen_reset();
	u32 v = mode_call(PSR_MODE_SVC | PSR_I | PSR_F, (XT_VA + PAGE - 2) | 1u, 0);
	bool ran = seen.vector == 0 && v == T32_MOVW_VALUE;
	rt_printf("hostile t32xpage: across two fresh pages: r0 0x%08x, abort 0x%02x: %s\n", v,
		  seen.vector, ran ? "ran" : "WRONG");
	seen_reset();
	u32 insn = XT_HOLE_VA + PAGE - 2;
	(void)mode_call(PSR_MODE_SVC | PSR_I | PSR_F, insn | 1u, 0);
	struct expect e = predict(XT_HOLE_VA + PAGE, S1_EXEC);
	bool ok = seen.vector == VEC_PABT && seen.fsr == e.fsr && seen.far == XT_HOLE_VA + PAGE &&
		  seen.lr == insn + 4 && (seen.spsr & PSR_T) != 0 &&
		  (seen.spsr & PSR_MODE_MASK) == PSR_MODE_SVC;
	rt_printf("hostile t32xpage: into an unmapped page: vector 0x%02x IFSR 0x%03x (0x%03x) "
		  "IFAR 0x%08x LR 0x%08x SPSR 0x%08x: %s\n",
		  seen.vector, seen.fsr, e.fsr, seen.far, seen.lr, seen.spsr,
		  ok ? "as natively" : "WRONG");
	rt_set_handler(on_exception);
	mmu_off();
	return ran && ok ? 0 : 1;
}

/* LDR.W pc, [pc, #+LDRVEC_T32_IMM] (A8.8.64, T2): its literal is where the A32 vector's is,
 * 0x20 bytes after the slot (the PC reads as Align(slot + 4, 4)). */
#define T32_LDR_W_PC_LIT_HW1 0xf8dfu
#define T32_LDR_W_PC_HW2     0xf000u /* Rt = pc */
#define LDRVEC_T32_IMM	     0x1cu
#define LDRVEC_LITERAL	     (VEC_DABT / 4 + 8u) /* word index in the vector page */

/* case_ldrvec: the data-abort vector is "ldr pc, [pc, #0x18]" (the literal-pool vectors of
 * many kernels and boot loaders) to a handler in a page the guest never touched at its VA
 * ("mov r2, #1; subs pc, lr, #4", written through another VA), then an alignment fault
 * (fmt=: MMU on): the handler runs. With isa=t32, SCTLR.TE set, the vector is a T32
 * LDR.W pc and the handler T32 ("movs r0, #1; subs pc, lr, #4"), its literal's bit 0 set. */
static int case_ldrvec(void)
{
	bool thumb = rt_arg_is("isa", "t32");
	u32 page = rt_ram_base() + SCRATCH, old_vbar = read_vbar();
	u32 handler = page + FAR_HANDLER_PAGES * PAGE;
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, handler, PAGE, sp.a->ram, 12);
	mmu_on();
	volatile u32 *v = (volatile u32 *)(uintptr_t)page;
	if (thumb) {
		volatile u16 *t = (volatile u16 *)(uintptr_t)(page + VEC_DABT);
		volatile u16 *h = (volatile u16 *)(uintptr_t)ALIAS_VA;
		t[0] = T32_LDR_W_PC_LIT_HW1;
		t[1] = T32_LDR_W_PC_HW2 | LDRVEC_T32_IMM;
		v[LDRVEC_LITERAL] = handler | 1u; /* interworking: T32 (A2.3.2) */
		h[0] = T32_MOVS_R0_1;
		h[1] = T32_SUBS_PC_LR_4_HW1;
		h[2] = T32_SUBS_PC_LR_4_HW2;
	} else {
		volatile u32 *h = (volatile u32 *)(uintptr_t)ALIAS_VA;
		v[VEC_DABT / 4] = INSN_LDR_PC_PC_18;
		v[LDRVEC_LITERAL] = handler;
		h[0] = INSN_MOV_R2_1;
		h[1] = INSN_SUBS_PC_LR_4;
	}
	sync_code(page + VEC_DABT, 4);
	sync_code(ALIAS_VA, 8);
	write_vbar(page);
	write_sctlr(read_sctlr() | (thumb ? SCTLR_TE : 0));
	isb();
	u32 ran = abort_state(page + PAGE + UNALIGNED_OFFSET);
	write_sctlr(read_sctlr() & ~SCTLR_TE);
	write_vbar(old_vbar);
	isb();
	mmu_off();
	u32 expected = thumb ? RAN_THUMB : RAN_A32;
	rt_printf("hostile ldrvec: the %s handler the vector loads %s\n", thumb ? "T32" : "A32",
		  ran == expected ? "ran" : "did NOT run");
	return ran == expected ? 0 : 1;
}

/* fiq_run(uart, page, junk, out): usr r8-r12 set to junk + 8..12; then in FIQ mode, with its
 * own r8-r12: r8 = uart, r9 = 'F' stored to the UART's data register, r10 = its flag
 * register, r11 = page: STR r10, [r11], #4, then r12 = ~r10 and STM r11, {r8-r12}; back in
 * SVC mode, out[] = r10_fiq, r11_fiq, then usr r8-r12. */
void fiq_run(u32 uart, u32 page, u32 junk, u32 *out);
__asm__(".text\n"
	".balign 4\n"
	".global fiq_run\n"
	".type fiq_run, %function\n"
	"fiq_run:\n"
	"	push	{r4-r11}\n"
	"	mrs	r5, cpsr\n"
	"	add	r8, r2, #8\n"
	"	add	r9, r2, #9\n"
	"	add	r10, r2, #10\n"
	"	add	r11, r2, #11\n"
	"	add	r12, r2, #12\n"
	"	msr	cpsr_c, #0xd1\n" /* FIQ mode, IRQ and FIQ masked */
	"	mov	r8, r0\n"
	"	mov	r9, #'F'\n"
	"	str	r9, [r8]\n"
	"	ldr	r10, [r8, #0x18]\n"
	"	mov	r11, r1\n"
	"	str	r10, [r11], #4\n"
	"	mvn	r12, r10\n"
	"	stm	r11, {r8-r12}\n"
	"	mov	r0, r10\n"
	"	mov	r1, r11\n"
	"	msr	cpsr_c, r5\n"
	"	stm	r3, {r0, r1, r8-r12}\n"
	"	pop	{r4-r11}\n"
	"	bx	lr\n");

#define FIQ_JUNK  0x5a5a5a00u
#define FIQ_WORDS 6u /* the STR's word, then the STM's five */
#define FIQ_OUTS  7u

/* case_fiqregs: FIQ mode's banked r8-r12 in accesses the shadow module performs for the
 * guest: a store to and a load from the UART (device accesses, decoded), a post-indexed
 * STR and an STM of r8-r12 to a page PL1 may write and PL0 only read (fmt=short: emulated
 * stores) or to a live table of the guest's (fmt=lpae: caught writes, of fault entries). */
static int case_fiqregs(void)
{
	u32 page, out[FIQ_OUTS], wrong = 0;
	if (rt_arg_is("fmt", "short")) {
		u32 pa = rt_ram_base() + SCRATCH + 16 * PAGE;
		space_new();
		map_ram_and_uart();
		map(ALIAS_VA, pa, PAGE, SD_PL1RW_PL0RO, 12);
		page = ALIAS_VA;
	} else {
		(void)space_table_alias();
		page = ALIAS_VA + PAGE - FIQ_WORDS * 4;
	}
	mmu_on();
	(void)*(volatile u32 *)(uintptr_t)ALIAS_VA; /* shadowed (LPAE: its table now live) */
	fiq_run(RT_UART, page, FIQ_JUNK, out);
	const u32 want_words[FIQ_WORDS] = {UART_FR_IDLE, RT_UART,  'F',
					   UART_FR_IDLE, page + 4, ~(u32)UART_FR_IDLE};
	volatile u32 *w = (volatile u32 *)(uintptr_t)page;
	for (u32 i = 0; i < FIQ_WORDS; i++) {
		if (w[i] != want_words[i]) {
			rt_printf("hostile fiqregs: word %u holds 0x%08x, not 0x%08x\n", i, w[i],
				  want_words[i]);
			wrong++;
		}
	}
	const u32 want_out[FIQ_OUTS] = {UART_FR_IDLE,  page + 4,      FIQ_JUNK + 8, FIQ_JUNK + 9,
					FIQ_JUNK + 10, FIQ_JUNK + 11, FIQ_JUNK + 12};
	for (u32 i = 0; i < FIQ_OUTS; i++) {
		if (out[i] != want_out[i]) {
			rt_printf("hostile fiqregs: register %u (r10_fiq, r11_fiq, usr r8-r12) "
				  "0x%08x, not 0x%08x\n",
				  i, out[i], want_out[i]);
			wrong++;
		}
	}
	mmu_off();
	rt_printf("\nhostile fiqregs: flag register 0x%08x, base 0x%08x, %u wrong\n", out[0],
		  out[1] - page, wrong);
	return wrong == 0 ? 0 : 1;
}

#define INSN_BKPT_0 0xe1200070u /* BKPT #0 (A1) */
#define T16_BKPT_0  0xbe00u
#define IFAR_TAG    0x1f4a7a65u
#define BKPT_PAGE   (SCRATCH + 28 * PAGE)
#define BKPT_VA	    0x90600000u /* a fresh alias of BKPT_PAGE */

/* bkpt_round: BKPT at va (T32 if thumb), IFAR set to IFAR_TAG first: the prefetch abort's
 * IFSR (debug event, the guest's format), LR_abt (the instruction + 4) and SPSR_abt; the
 * IFAR seen printed (UNKNOWN, B3.13.2: QEMU gives 0). */
static bool bkpt_round(u32 va, bool thumb)
{
	u32 debug = (read_ttbcr() & TTBCR_EAE) ? FSR_LPAE | FSC_DEBUG : FSR_SD_DEBUG;
	write_ifar(IFAR_TAG);
	isb();
	seen_reset();
	(void)mode_call(PSR_MODE_SVC | PSR_I | PSR_F, va | (thumb ? 1u : 0u), 0);
	bool ok = seen.vector == VEC_PABT && seen.fsr == debug && seen.lr == va + 4 &&
		  ((seen.spsr & PSR_T) != 0) == thumb;
	rt_printf("hostile bkpt: %s: vector 0x%02x IFSR 0x%03x (0x%03x) IFAR 0x%08x LR 0x%08x "
		  "(0x%08x) SPSR 0x%08x: %s\n",
		  thumb ? "T32" : "A32", seen.vector, seen.fsr, debug, seen.far, seen.lr, va + 4,
		  seen.spsr, ok ? "as natively" : "WRONG");
	return ok;
}

/* case_bkpt: BKPT in A32 and in T32, from pages shadowed and fresh (fmt=; none: MMU off). */
static int case_bkpt(void)
{
	u32 pa = rt_ram_base() + BKPT_PAGE, base = pa, wrong = 0;
	*(volatile u32 *)(uintptr_t)pa = INSN_BKPT_0;
	*(volatile u16 *)(uintptr_t)(pa + 4) = T16_BKPT_0;
	sync_code(pa, 8);
	bool mmu = rt_arg_is("fmt", "short") || rt_arg_is("fmt", "lpae");
	if (mmu) {
		space_new();
		map_ram_and_uart();
		map(BKPT_VA, pa, PAGE, sp.a->ram, 12);
		mmu_on();
		base = BKPT_VA;
	}
	rt_set_handler(on_record);
	wrong += !bkpt_round(base, false);
	wrong += !bkpt_round(base + 4, true);
	rt_set_handler(on_exception);
	if (mmu) {
		mmu_off();
	}
	rt_printf("hostile bkpt: %u wrong\n", wrong);
	return wrong == 0 ? 0 : 1;
}

#define XN_VA 0x90800000u /* aliases of a page of RAM */

/* xn_round: a fetch at va that the guest's tables refuse: IFSR, IFAR, LR_abt as natively. */
static bool xn_round(const char *what, u32 va)
{
	struct expect e = predict(va, S1_EXEC);
	seen_reset();
	(void)mode_call(PSR_MODE_SVC | PSR_I | PSR_F, va, MODE_HOLE_VA);
	bool ok = e.kind == EXP_ABORT && seen.vector == VEC_PABT && seen.fsr == e.fsr &&
		  seen.far == va && seen.lr == va + 4;
	rt_printf("hostile xnfetch: %s: vector 0x%02x IFSR 0x%03x (0x%03x) IFAR 0x%08x LR "
		  "0x%08x: %s\n",
		  what, seen.vector, seen.fsr, e.fsr, seen.far, seen.lr,
		  ok ? "as natively" : "WRONG");
	return ok;
}

/* case_xnfetch: fetches the guest's tables refuse: an XN page (short: in domain 1), read
 * first (shadowed) and fresh, and (lpae) a PXN page read first (fmt=). */
static int case_xnfetch(void)
{
	u32 code = rt_ram_base() + MODE_PAGES, wrong = 0;
	space_new();
	map_ram_and_uart();
	u64 xn = sp.lpae ? LPAE_XN : SD_SEC_XN;
	map(XN_VA, code, PAGE, sp.a->ram | xn, 12);
	map(XN_VA + 3 * PAGE, code, PAGE, sp.a->ram | xn, 12);
	if (sp.lpae) {
		map(XN_VA + PAGE, code, PAGE, sp.a->ram | LPAE_PXN, 12);
	}
	mmu_on();
	rt_set_handler(on_record);
	(void)*(volatile u32 *)(uintptr_t)XN_VA;
	wrong += !xn_round("XN", XN_VA);
	wrong += !xn_round("XN, fresh", XN_VA + 3 * PAGE);
	if (sp.lpae) {
		(void)*(volatile u32 *)(uintptr_t)(XN_VA + PAGE);
		wrong += !xn_round("PXN", XN_VA + PAGE);
	}
	rt_set_handler(on_exception);
	mmu_off();
	rt_printf("hostile xnfetch: %u wrong\n", wrong);
	return wrong == 0 ? 0 : 1;
}

#define STMPART_TAG 0x57a9e000u /* even: a fault entry's word in either format */

/* strd_at(va, a, b): STRD of a then b at va. */
static struct outcome strd_at(u32 va, u32 a, u32 b)
{
	register u32 r2 __asm__("r2") = a;
	register u32 r3 __asm__("r3") = b;
	arm();
	__asm__ volatile("strd %1, %2, [%0]" ::"r"(va), "r"(r2), "r"(r3) : "memory");
	return disarm();
}

/* stmpart_round: a two-word store (STM, or STRD if dual) at the last word of the page at
 * ALIAS_VA (host address last), into the next page, which the guest does not map: the
 * abort of the second word, and what the first word's location holds after it. */
static u32 stmpart_round(bool dual, u32 tag, volatile u32 *last)
{
	u32 va = ALIAS_VA + PAGE - 4, before = *last;
	struct expect e = predict(ALIAS_VA + PAGE, S1_WRITE);
	struct outcome o = dual ? strd_at(va, tag, POISON) : probe_stm2(va, tag, POISON);
	u32 after = *last;
	bool ok = e.kind == EXP_ABORT && o.aborted && o.fsr == e.fsr && o.far == ALIAS_VA + PAGE &&
		  after == tag;
	rt_printf("hostile stmpart: %s: abort %s, fsr 0x%03x (0x%03x), far 0x%08x; first word "
		  "0x%08x -> 0x%08x: %s\n",
		  dual ? "STRD" : "STM", o.aborted ? "yes" : "no", o.fsr, e.fsr, o.far, before,
		  after,
		  ok		 ? "stored, as natively"
		  : after == tag ? "WRONG"
				 : "NOT stored (natively it is)");
	return ok ? 0 : 1;
}

/* case_stmpart: STM and STRD whose first word goes to the last word of a page the shadow
 * module writes for the guest (fmt=short: a page PL1 may write and PL0 only read; fmt=lpae:
 * a live table of its own, a fault entry's high word) and whose second word goes to the
 * next page, which the guest does not map: the translation fault of the second word, and
 * the first word stored, as QEMU does natively (one access per word). */
static int case_stmpart(void)
{
	volatile u32 *last;
	u32 wrong = 0;
	if (rt_arg_is("fmt", "short")) {
		u32 pa = rt_ram_base() + SCRATCH + 16 * PAGE;
		space_new();
		map_ram_and_uart();
		map(ALIAS_VA, pa, PAGE, SD_PL1RW_PL0RO, 12);
		last = (volatile u32 *)(uintptr_t)(pa + PAGE - 4);
	} else {
		paddr_t table = space_table_alias();
		last = (volatile u32 *)(uintptr_t)(table + PAGE - 4);
	}
	mmu_on();
	(void)*(volatile u32 *)(uintptr_t)ALIAS_VA; /* shadowed (LPAE: its table now live) */
	wrong += stmpart_round(false, STMPART_TAG, last);
	wrong += stmpart_round(true, STMPART_TAG + 2 * PAGE, last);
	mmu_off();
	rt_printf("hostile stmpart: %u wrong\n", wrong);
	return wrong == 0 ? 0 : 1;
}

/* eret_call(rfe, target, arg, frame): an exception return from SVC mode to target in the
 * mode frame[1] gives (a CPSR), with r0 = arg: MOVS pc, lr with SPSR_svc = frame[1], or
 * (rfe) RFEIA frame (frame[0] = target). target returns with BX LR (the mode's LR set
 * first); back in SVC mode, r0 returned. The mode must be SYS. */
u32 eret_call(u32 rfe, u32 target, u32 arg, const u32 *frame);
__asm__(".text\n"
	".balign 4\n"
	".global eret_call\n"
	".type eret_call, %function\n"
	"eret_call:\n"
	"	push	{r4, r5, r6, lr}\n"
	"	mrs	r5, cpsr\n"
	"	adr	r4, 2f\n"
	"	cps	#0x1f\n"
	"	mov	lr, r4\n"
	"	cps	#0x13\n"
	"	mov	r6, r0\n"
	"	mov	r0, r2\n"
	"	cmp	r6, #0\n"
	"	bne	1f\n"
	"	ldr	r12, [r3, #4]\n"
	"	msr	spsr_cxsf, r12\n"
	"	mov	lr, r1\n"
	"	movs	pc, lr\n"
	"1:	rfeia	r3\n"
	"2:	msr	cpsr_c, r5\n"
	"	pop	{r4, r5, r6, pc}\n");

#define T16_LDR_R0_R0 0x6800u
#define T32_BLOB      8u	  /* the T32 blob's offset in the code page */
#define EXC_CODE_VA   0x90c00000u /* fresh aliases: code, data, exception-return frames */
#define EXC_DATA_VA   0x90d00000u
#define EXC_FRAME_VA  0x90e00000u
#define EXC_ROUNDS    4u /* MOVS to A32, MOVS to T32, RFE to A32, RFE to T32 */
#define EXC_FRAMES    (SCRATCH + 30 * PAGE)

/* case_excret: exception returns (MOVS pc, lr and RFE, its frame in a fresh page) to A32 and
 * T32 code in SYS mode, each at a page never touched at its VA, which loads from another
 * (fmt=). */
static int case_excret(void)
{
	u32 code = rt_ram_base() + MODE_PAGES, data = code + PAGE, wrong = 0;
	u32 frames = rt_ram_base() + EXC_FRAMES;
	volatile u32 *c = (volatile u32 *)(uintptr_t)code;
	volatile u16 *t = (volatile u16 *)(uintptr_t)(code + T32_BLOB);
	c[0] = INSN_LDR_R0_R0;
	c[1] = INSN_BX_LR;
	t[0] = T16_LDR_R0_R0;
	t[1] = T16_BX_LR_HW;
	sync_code(code, T32_BLOB + 4);
	*(volatile u32 *)(uintptr_t)data = MODE_TAG;
	space_new();
	map_ram_and_uart();
	for (u32 i = 0; i < EXC_ROUNDS; i++) {
		map(EXC_CODE_VA + i * PAGE, code, PAGE, sp.a->ram, 12);
		map(EXC_DATA_VA + i * PAGE, data, PAGE, sp.a->ram, 12);
		map(EXC_FRAME_VA + i * PAGE, frames + i * PAGE, PAGE, sp.a->ram, 12);
	}
	mmu_on();
	u32 cpsr;
	__asm__ volatile("mrs %0, cpsr" : "=r"(cpsr));
	for (u32 i = 0; i < EXC_ROUNDS; i++) {
		bool rfe = i >= 2, thumb = (i & 1u) != 0;
		u32 target = EXC_CODE_VA + i * PAGE + (thumb ? T32_BLOB : 0);
		volatile u32 *f = (volatile u32 *)(uintptr_t)(frames + i * PAGE);
		f[0] = target;
		f[1] = (cpsr & ~(PSR_MODE_MASK | PSR_T)) | PSR_MODE_SYS | PSR_I | PSR_F |
		       (thumb ? PSR_T : 0);
		u32 v = eret_call(rfe, target, EXC_DATA_VA + i * PAGE,
				  (const u32 *)(uintptr_t)(EXC_FRAME_VA + i * PAGE));
		bool ok = v == MODE_TAG;
		wrong += !ok;
		rt_printf("hostile excret: %s to %s code: read 0x%08x: %s\n", rfe ? "RFE" : "MOVS",
			  thumb ? "T32" : "A32", v, ok ? "as natively" : "WRONG");
	}
	mmu_off();
	rt_printf("hostile excret: %u wrong\n", wrong);
	return wrong == 0 ? 0 : 1;
}

/* ---- cases of review 9e: instruction classes whose aborts the module must get right ---- */

#define R9E_DATA    (SCRATCH + 40 * PAGE) /* the exclusive word's page, then another page */
#define R9E_VA	    0x91000000u		  /* fresh aliases: one pair of pages per round */
#define R9E_HOLE_VA 0x70000000u		  /* mapped by nothing */
#define EXCL_TAG    0xe8c1a5e0u

/* The events between an LDREX and its STREX in case exclmiss. */
enum excl_between {
	EXCL_NOTHING,	  /* the control */
	EXCL_LOAD_FRESH,  /* a load from a page never touched at its VA */
	EXCL_STORE_FRESH, /* a store to one */
	EXCL_FETCH_FRESH, /* a call to code in one */
	EXCL_ABORT,	  /* a load that aborts (the guest's handler runs and returns) */
	EXCL_KINDS
};
static const char *const excl_name[EXCL_KINDS] = {"nothing", "load miss", "store miss",
						  "fetch miss", "abort"};

/* The events themselves, called between the LDREX and the STREX with r4 = the page they
 * touch and r2 = the value: nothing, a load, a store. */
void excl_none(void);
void excl_load(void);
void excl_store(void);
__asm__(".text\n"
	".balign 4\n"
	".global excl_none, excl_load, excl_store\n"
	"excl_none:\n"
	"	bx	lr\n"
	"excl_load:\n"
	"	ldr	r12, [r4]\n"
	"	bx	lr\n"
	"excl_store:\n"
	"	str	r2, [r4, #8]\n"
	"	bx	lr\n");

/* excl_pair: LDREX of x, then the event kind (at other: a page of RAM holding code that
 * returns, or R9E_HOLE_VA), then STREX of v to x; the STREX's status. */
static u32 excl_pair(u32 x, u32 other, enum excl_between kind, u32 v)
{
	static void (*const event[EXCL_KINDS])(void) = {excl_none, excl_load, excl_store, NULL,
							excl_load};
	register u32 r0 __asm__("r0") = x;
	register u32 r1 __asm__("r1") =
	    kind == EXCL_FETCH_FRESH ? other : (u32)(uintptr_t)event[kind];
	register u32 r2 __asm__("r2") = v;
	register u32 r3 __asm__("r3") = 1;
	register u32 r4 __asm__("r4") = other;
	__asm__ volatile("ldrex	r12, [r0]\n"
			 "blx	r1\n"
			 "strex	r3, r2, [r0]"
			 : "+r"(r3), "+r"(r1)
			 : "r"(r0), "r"(r2), "r"(r4)
			 : "r12", "lr", "memory");
	return r3;
}

#define EXCL_010_VA (ALIAS_VA + 4 * PAGE) /* short format: a page PL1 may write, PL0 only read */

/* excl_once: one LDREX and STREX (no retry) of the word x holds back to x, which the shadow
 * module must first make writable (what): the status 0 and the word unchanged, as natively. */
static bool excl_once(const char *what, u32 x)
{
	u32 before = *(volatile u32 *)(uintptr_t)x;
	u32 status = excl_pair(x, 0, EXCL_NOTHING, before);
	u32 now = *(volatile u32 *)(uintptr_t)x;
	bool ok = status == 0 && now == before;
	rt_printf("hostile exclmiss: %s: STREX status %u, word 0x%08x -> 0x%08x: %s\n", what,
		  status, before, now, ok ? "as natively" : "WRONG");
	return ok;
}

/* excl_refused: excl_once at a live table of the guest's own (ALIAS_VA) and (short) at a page
 * PL1 may write and PL0 only read; the number wrong. */
static u32 excl_refused(void)
{
	u32 wrong = 0;
	(void)probe_read(ALIAS_VA + 2 * PAGE); /* the table now shapes a shadow */
	wrong += !excl_once("live table", ALIAS_VA + PAGE - 8);
	if (!sp.lpae) {
		wrong += !excl_once("PL1-RW PL0-RO page", EXCL_010_VA);
	}
	return wrong;
}

/* case_exclmiss: LDREX and STREX of a word with, between them, nothing, a first load, store
 * or fetch of another page (a shadow miss), or a load that aborts: the STREX's status and
 * the word as natively, where QEMU's local monitor stays set; then one LDREX and STREX, not
 * retried, at pages the shadow module must make writable (fmt=). */
static int case_exclmiss(void)
{
	u32 data = rt_ram_base() + R9E_DATA, other = data + PAGE, wrong = 0;
	volatile u32 *o = (volatile u32 *)(uintptr_t)other;
	o[0] = INSN_BX_LR;
	sync_code(other, 4);
	(void)space_table_alias(); /* ALIAS_VA: the leaf table of its own MiB */
	if (!sp.lpae) {
		map(EXCL_010_VA, data + 2 * PAGE, PAGE, SD_PL1RW_PL0RO, 12);
	}
	for (u32 k = 0; k < EXCL_KINDS; k++) {
		map(R9E_VA + 2 * k * PAGE, data, PAGE, sp.a->ram, 12);
		map(R9E_VA + (2 * k + 1) * PAGE, other, PAGE, sp.a->ram, 12);
	}
	mmu_on();
	for (u32 k = 0; k < EXCL_KINDS; k++) {
		u32 x = R9E_VA + 2 * k * PAGE, tag = EXCL_TAG + k;
		(void)*(volatile u32 *)(uintptr_t)x; /* the word's own page shadowed */
		u32 at = k == EXCL_ABORT ? R9E_HOLE_VA : x + PAGE;
		arm();
		u32 status = excl_pair(x, at, (enum excl_between)k, tag);
		struct outcome ab = disarm();
		u32 now = *(volatile u32 *)(uintptr_t)data;
		bool ok = status == 0 && now == tag && ab.aborted == (k == EXCL_ABORT);
		wrong += !ok;
		rt_printf(
		    "hostile exclmiss: %s between: STREX status %u, word 0x%08x, abort %s: %s\n",
		    excl_name[k], status, now, ab.aborted ? "yes" : "no",
		    ok ? "as natively" : "WRONG");
	}
	wrong += excl_refused();
	mmu_off();
	rt_printf("hostile exclmiss: %u wrong\n", wrong);
	return wrong == 0 ? 0 : 1;
}

/* Cache and branch-predictor maintenance by VA (B4.2.1: MCR p15, 0, <Rt>, c7, <CRm>, <opc2>)
 * and the preload hints. */
struct maint_op {
	const char *name;
	u32 insn; /* with Rt (or Rn) = r0 */
};
#define MCR_C7(crm, opc2) (INSN_MCR | CP_NUM(15u) | CP_CRN(7u) | ((crm) << 0) | CP_OPC2(opc2))
#define INSN_PLD_R0	  0xf5d0f000u /* PLD [r0] (A1, U = 1) */
#define INSN_PLDW_R0	  0xf590f000u /* PLDW [r0] (A1, R = 0) */
#define INSN_PLI_R0	  0xf4d0f000u /* PLI [r0] (A1, U = 1) */
static const struct maint_op maint_ops[] = {
    {"DCIMVAC", MCR_C7(6u, 1u)},   {"DCCMVAC", MCR_C7(10u, 1u)}, {"DCCMVAU", MCR_C7(11u, 1u)},
    {"DCCIMVAC", MCR_C7(14u, 1u)}, {"ICIMVAU", MCR_C7(5u, 1u)},	 {"BPIMVA", MCR_C7(5u, 7u)},
    {"PLD", INSN_PLD_R0},	   {"PLDW", INSN_PLDW_R0},	 {"PLI", INSN_PLI_R0},
};
#define MAINT_PREFETCH_FIRST 6u /* the hints: allowed at PL0 too (A8.8.126) */

/* The pages maintenance and hints are aimed at (case cmaint). */
enum maint_target {
	MT_HOLE,     /* mapped by nothing */
	MT_FRESH,    /* RAM never touched at its VA */
	MT_RO,	     /* RAM, read-only */
	MT_PL1,	     /* RAM, PL1 only (LPAE's RAM mapping; short AP = 0b001) */
	MT_DEVICE,   /* the UART */
	MT_UNASSIGN, /* an unassigned address */
	MT_TABLE,    /* a live table of the guest's own */
	MT_KINDS
};
static const char *const mt_name[MT_KINDS] = {"unmapped", "fresh",	"read-only", "PL1-only",
					      "device",	  "unassigned", "live table"};
#define MT_VA 0x92000000u /* the targets' VAs, a page each (MT_HOLE: mapped by nothing) */

/* maint_attrs: leaf attributes of RAM read-only (ro) or for PL1 alone. */
static u64 maint_attrs(bool ro)
{
	if (sp.lpae) {
		u64 ap = (u64)(ro ? LPAE_AP_RO_PL1 : LPAE_AP_RW_PL1) << LPAE_AP_SHIFT;
		return (sp.a->ram & ~((u64)3u << LPAE_AP_SHIFT)) | ap;
	}
	return ro ? sp.a->ram | SD_SEC_APX : SD_PL1RW;
}

/* maint_space: the targets mapped at MT_VA + kind * PAGE; the MMU still off. */
static void maint_space(void)
{
	u32 ram = rt_ram_base() + R9E_DATA;
	(void)space_table_alias(); /* ALIAS_VA: the leaf table of its own MiB */
	map(MT_VA + MT_FRESH * PAGE, ram, PAGE, sp.a->ram, 12);
	map(MT_VA + MT_RO * PAGE, ram, PAGE, maint_attrs(true), 12);
	map(MT_VA + MT_PL1 * PAGE, ram, PAGE, maint_attrs(false), 12);
	map(MT_VA + MT_DEVICE * PAGE, RT_UART, PAGE, sp.a->device, 12);
	map(MT_VA + MT_UNASSIGN * PAGE, EXT_PA, PAGE, sp.a->ram, 12);
}

/* maint_va: the VA of target t (the live table: ALIAS_VA). */
static u32 maint_va(enum maint_target t)
{
	return t == MT_HOLE ? R9E_HOLE_VA : t == MT_TABLE ? ALIAS_VA : MT_VA + t * PAGE;
}

/* case_cmaint: every cache and branch-predictor maintenance operation by VA and every
 * preload hint at PL1, aimed at each target (fmt=), the table made live first: none aborts
 * or is UNDEFINED, as natively (QEMU 7.2 makes them all NOPs); and the guest's table and
 * data read back unchanged. */
static int case_cmaint(void)
{
	u32 wrong = 0, n = 0;
	maint_space();
	mmu_on();
	(void)probe_read(ALIAS_VA + 2 * PAGE); /* the table now shapes a shadow */
	u32 before = *(volatile u32 *)(uintptr_t)(rt_ram_base() + R9E_DATA);
	for (u32 t = 0; t < MT_KINDS; t++) {
		for (u32 i = 0; i < ARRAY_SIZE(maint_ops); i++) {
			arm();
			(void)run_insn(maint_ops[i].insn, maint_va((enum maint_target)t), 0, 0, 0);
			struct outcome o = disarm();
			n++;
			if (o.aborted || o.undef) {
				wrong++;
				rt_printf("hostile cmaint: %s at the %s page: %s, fsr 0x%03x, far "
					  "0x%08x: WRONG (natively nothing)\n",
					  maint_ops[i].name, mt_name[t],
					  o.aborted ? "abort" : "UNDEFINED", o.fsr, o.far);
			}
		}
	}
	struct outcome after = probe_read(ALIAS_VA + 2 * PAGE);
	u32 now = *(volatile u32 *)(uintptr_t)(rt_ram_base() + R9E_DATA);
	if (after.aborted || now != before) {
		wrong++;
		rt_printf("hostile cmaint: afterwards the mapped page %s, data 0x%08x -> 0x%08x: "
			  "WRONG\n",
			  after.aborted ? "aborts" : "reads", before, now);
	}
	mmu_off();
	rt_printf("hostile cmaint: %u operations, %u wrong\n", n, wrong);
	return wrong == 0 ? 0 : 1;
}

#define T16_UDF		0xde00u		      /* UDF #0 (T1) */
#define TE_VEC_PAGE	(SCRATCH + 44 * PAGE) /* the T32 vector page */
#define TE_CODE_PAGE	(SCRATCH + 45 * PAGE) /* the code, then the data page */
#define TE_CODE_VA	0x93000000u	      /* fresh aliases, a pair of pages per round */
#define TE_T32_CODE	0x10u		      /* the T32 code's offset in the code page */
#define TE_UDF_OFF	8u		      /* each set's UDF, this far on */
#define TE_LIT_OFFSET	0x1cu /* a slot's LDR.W pc, [pc, #0x1c] loads the word 0x20 bytes on */
#define TE_VEC_LITERALS 8u    /* word index of the literals */

/* on_te_record: on_record, and an UNDEF recorded the same way (LR_und, SPSR_und). */
static bool on_te_record(u32 vector, struct rt_frame *f)
{
	if (vector != VEC_UNDEF) {
		return on_record(vector, f);
	}
	seen.vector = vector;
	seen.lr = f->pc;
	seen.spsr = f->spsr;
	f->pc = f->r[4];
	f->spsr &= ~(PSR_T | PSR_IT_MASK);
	return true;
}

/* make_t32_vectors: a vector page at page whose every slot is a T32 LDR.W pc of a literal,
 * rt's A32 handler (bit 0 clear: the load interworks to A32, A2.3.2). */
static void make_t32_vectors(u32 page)
{
	volatile u32 *v = (volatile u32 *)(uintptr_t)page;
	volatile u16 *t = (volatile u16 *)(uintptr_t)page;
	for (u32 i = 0; i < 8; i++) {
		t[2 * i] = T32_LDR_W_PC_LIT_HW1;
		t[2 * i + 1] = T32_LDR_W_PC_HW2 | TE_LIT_OFFSET;
		v[TE_VEC_LITERALS + i] = rt_vector_target(i);
	}
	sync_code(page, 4 * (TE_VEC_LITERALS + 8));
}

/* te_seen: the recorded exception is of vector vec with LR lr, and (aborts) at far with the
 * status the guest's tables give an access acc there, taken from cpsr_c's mode, I and F in
 * the instruction set thumb says. */
static bool te_seen(const char *what, u32 cpsr_c, bool thumb, u32 vec, u32 far, u32 lr,
		    enum s1_access acc)
{
	u32 mask = PSR_MODE_MASK | PSR_T | PSR_I | PSR_F;
	u32 want_spsr = (cpsr_c & mask) | (thumb ? PSR_T : 0);
	bool ok = seen.vector == vec && seen.lr == lr && (seen.spsr & mask) == want_spsr;
	u32 efsr = 0;
	if (vec != VEC_UNDEF) {
		struct expect e = predict(far, acc);
		efsr = e.fsr;
		ok = ok && seen.far == far && e.kind == EXP_ABORT && seen.fsr == e.fsr;
	}
	rt_printf("hostile temodes: mode 0x%02x %s %s: vector 0x%02x FSR 0x%03x (0x%03x) FAR "
		  "0x%08x LR 0x%08x (0x%08x) SPSR 0x%08x: %s\n",
		  cpsr_c & PSR_MODE_MASK, thumb ? "T32" : "A32", what, seen.vector, seen.fsr, efsr,
		  seen.far, seen.lr, lr, seen.spsr, ok ? "as natively" : "WRONG");
	return ok;
}

/* te_round: with SCTLR.TE set, in the mode of cpsr_c and the instruction set thumb says: a
 * first fetch and load of fresh pages (code, data), a load and a fetch that abort, an
 * UNDEF; the number wrong. */
static u32 te_round(u32 cpsr_c, bool thumb, u32 code, u32 data)
{
	u32 entry = code + (thumb ? TE_T32_CODE | 1u : 0), at = entry & ~1u;
	u32 wrong = fresh_round("temodes", cpsr_c, entry, data);
	seen_reset();
	(void)mode_call(cpsr_c, entry, R9E_HOLE_VA);
	wrong += !te_seen("load", cpsr_c, thumb, VEC_DABT, R9E_HOLE_VA, at + 8, S1_READ);
	seen_reset();
	(void)mode_call(cpsr_c, (R9E_HOLE_VA + PAGE) | (thumb ? 1u : 0u), 0);
	wrong += !te_seen("fetch", cpsr_c, thumb, VEC_PABT, R9E_HOLE_VA + PAGE,
			  R9E_HOLE_VA + PAGE + 4, S1_EXEC);
	seen_reset();
	(void)mode_call(cpsr_c, entry + TE_UDF_OFF, 0);
	wrong += !te_seen("undef", cpsr_c, thumb, VEC_UNDEF, 0, at + TE_UDF_OFF + (thumb ? 2 : 4),
			  S1_READ);
	return wrong;
}

/* case_temodes: SCTLR.TE set, T32 vectors (LDR.W pc to rt's A32 handlers); in FIQ, IRQ, UND,
 * SYS and SVC mode, A32 and T32 code: misses of fetches and loads, a load and a fetch that
 * abort, an UNDEF: vector, FSR, FAR, LR and SPSR as natively (fmt=). */
static int case_temodes(void)
{
	u32 vec = rt_ram_base() + TE_VEC_PAGE, code = rt_ram_base() + TE_CODE_PAGE;
	u32 data = code + PAGE, old_vbar = read_vbar(), wrong = 0, rounds = 0;
	volatile u32 *c = (volatile u32 *)(uintptr_t)code;
	volatile u16 *t = (volatile u16 *)(uintptr_t)(code + TE_T32_CODE);
	c[0] = INSN_LDR_R0_R0;
	c[1] = INSN_BX_LR;
	c[TE_UDF_OFF / 4] = INSN_UDF;
	t[0] = T16_LDR_R0_R0;
	t[1] = T16_BX_LR_HW;
	t[TE_UDF_OFF / 2] = T16_UDF;
	sync_code(code, TE_T32_CODE + TE_UDF_OFF + 2);
	*(volatile u32 *)(uintptr_t)data = MODE_TAG;
	make_t32_vectors(vec);
	space_new();
	map_ram_and_uart();
	for (u32 i = 0; i < 2 * ARRAY_SIZE(probe_modes); i++) {
		map(TE_CODE_VA + 2 * i * PAGE, code, PAGE, sp.a->ram, 12);
		map(TE_CODE_VA + (2 * i + 1) * PAGE, data, PAGE, sp.a->ram, 12);
	}
	mmu_on();
	rt_set_handler(on_te_record);
	write_vbar(vec);
	write_sctlr(read_sctlr() | SCTLR_TE);
	isb();
	for (u32 i = 0; i < 2 * ARRAY_SIZE(probe_modes); i++) {
		u32 va = TE_CODE_VA + 2 * i * PAGE;
		wrong += te_round(probe_modes[i / 2] | PSR_I | PSR_F, (i & 1u) != 0, va, va + PAGE);
		rounds++;
	}
	write_sctlr(read_sctlr() & ~SCTLR_TE);
	write_vbar(old_vbar);
	isb();
	rt_set_handler(on_exception);
	mmu_off();
	rt_printf("hostile temodes: %u rounds, %u wrong\n", rounds, wrong);
	return wrong == 0 ? 0 : 1;
}

/* ---- cases of review 9d: the long-descriptor regime, the MMU off ---- */

#define R9D_VA	       0x80000000u		      /* GiB 2: a level-1 table descriptor */
#define R9D_L3_VA      (R9D_VA + 4u * BLOCK)	      /* its level-2 index 4: a level-3 table */
#define R9D_BLK_VA     (R9D_VA + 5u * BLOCK)	      /* its level-2 index 5: a 2 MiB block */
#define R9D_PG_OFF     (SCRATCH + 256u * PAGE)	      /* the level-3 pages' frames */
#define R9D_ALT_OFF    (SCRATCH + 272u * PAGE)	      /* the frames of the block's replacement */
#define R9D_CONT_OFF   (SCRATCH + 320u * PAGE)	      /* 2 x 64 KiB: the contiguous runs */
#define R9D_BLK_OFF    (12u * MiB)		      /* the 2 MiB block's RAM */
#define R9D_PAGES      4u			      /* level-3 pages of distinct permissions */
#define R9D_CONT_FIRST 16u			      /* the contiguous run's first level-3 index */
#define R9D_CONT_SPAN  (16u * PAGE)		      /* what a contiguous run of 16 pages maps */
#define R9D_SOFT_BITS  (0xfull << 55 | 0x1full << 59) /* software use and IGNORED (B3.6.2) */
#define R9D_TBL_IGN    (0x7full << 52) /* bits [58:52] of a table descriptor: IGNORED */
#define R9D_APT(v)     ((u64)(v) << LPAE_APTABLE_SHIFT)
#define R9D_MAIR_A     0xeeaa44ffu /* MAIR0: four kinds of Normal memory */
#define R9D_MAIR_B     0xff44aaeeu /* MAIR1, then swapped with MAIR0 */

/* r9d_lpae_only: is the case (name) run with fmt=lpae, as it must be? Says so if not. */
static bool r9d_lpae_only(const char *name)
{
	if (!rt_arg_is("fmt", "lpae")) {
		rt_printf("hostile %s: needs fmt=lpae\n", name);
		return false;
	}
	return true;
}

static struct {
	paddr_t l1_desc, l2_desc, blk_desc; /* GiB 2's level-1 entry, level-2 entries 4, 5 */
	paddr_t l2_table, l3_table;
	u64 l1_val, l2_val, blk_val;
} hr;

/* r9d_lpae_desc: the LPAE descriptor at pa written whole (STRD), or only its upper word
 * (STR) when the lower one stays: the store forms a kernel changing attributes uses. */
static void r9d_lpae_desc(paddr_t pa, u64 d, bool hi_only)
{
	if (hi_only) {
		*(volatile u32 *)(uintptr_t)(pa + 4) = (u32)(d >> 32);
	} else {
		ram_write(NULL, pa, 8, d);
	}
	dsb();
}

/* r9d_tlbi_probed: TLBIMVAA of every VA the case probes (all a changed table descriptor
 * translates that the case uses), or TLBIALL if all. */
static void r9d_tlbi_probed(bool all)
{
	if (all) {
		rt_tlb_flush_all();
		return;
	}
	dsb();
	for (u32 i = 0; i < r9_nvas; i++) {
		tlbi_mvaa(r9_vas[i]);
	}
	dsb();
	isb();
}

/* r9d_page: a level-3 page descriptor of pa with AP[2:1] ap and extra attributes. */
static u64 r9d_page(u32 pa, u32 ap, u64 extra)
{
	return sp.r.fmt->make_leaf(pa, 2,
				   (lpae_attrs.ram & ~((u64)3 << LPAE_AP_SHIFT)) |
				       ((u64)ap << LPAE_AP_SHIFT) | extra);
}

/* r9d_block: a level-1 (li 0) or level-2 (li 1) block descriptor of pa with AP[2:1] ap. */
static u64 r9d_block(u32 pa, unsigned li, u32 ap)
{
	return sp.r.fmt->make_leaf(
	    pa, li, (lpae_attrs.ram & ~((u64)3 << LPAE_AP_SHIFT)) | ((u64)ap << LPAE_AP_SHIFT));
}

/* r9d_hier_space: the LPAE space of case hier (MMU off): in GiB 2, a level-1 table entry
 * whose level-2 table holds a level-3 table (four pages: read/write, read-only, PL1 only,
 * XN; then a contiguous run of 16 pages with software bits set) and a 2 MiB block (GiB 3
 * holds the trampoline's VA, which a block there would map). */
static void r9d_hier_space(void)
{
	static const u32 aps[R9D_PAGES] = {LPAE_AP_RW_ALL, LPAE_AP_RO_ALL, LPAE_AP_RW_PL1,
					   LPAE_AP_RW_ALL};
	u32 ram = rt_ram_base();
	space_new();
	map_ram_and_uart();
	hr.l2_table = pool_alloc(NULL, PAGE);
	hr.l3_table = pool_alloc(NULL, PAGE);
	hr.l1_desc = sp.r.root + 8u * (R9D_VA >> 30);
	hr.l2_desc = hr.l2_table + 8u * ((R9D_L3_VA >> 21) & 511u);
	hr.blk_desc = hr.l2_table + 8u * ((R9D_BLK_VA >> 21) & 511u);
	hr.l1_val = sp.r.fmt->make_table(hr.l2_table);
	hr.l2_val = sp.r.fmt->make_table(hr.l3_table);
	hr.blk_val = r9d_block(ram + R9D_BLK_OFF, 1, LPAE_AP_RW_ALL);
	ram_write(NULL, hr.l1_desc, 8, hr.l1_val);
	ram_write(NULL, hr.l2_desc, 8, hr.l2_val);
	ram_write(NULL, hr.blk_desc, 8, hr.blk_val);
	r9_nvas = 0;
	for (u32 i = 0; i < R9D_PAGES; i++) {
		u32 pa = ram + R9D_PG_OFF + i * PAGE;
		ram_write(NULL, hr.l3_table + 8u * i, 8,
			  r9d_page(pa, aps[i], i == R9D_PAGES - 1 ? LPAE_XN : 0));
		r9_add(R9D_L3_VA + i * PAGE + 16u * (i + 1), pa + 16u * (i + 1));
	}
	for (u32 k = 0; k < R9D_CONT_SPAN / PAGE; k++) {
		ram_write(NULL, hr.l3_table + 8u * (R9D_CONT_FIRST + k), 8,
			  r9d_page(ram + R9D_CONT_OFF + k * PAGE, LPAE_AP_RW_ALL,
				   LPAE_CONTIG | R9D_SOFT_BITS));
	}
	r9_add(R9D_L3_VA + R9D_CONT_FIRST * PAGE + 0x24, ram + R9D_CONT_OFF + 0x24);
	r9_add(R9D_L3_VA + (R9D_CONT_FIRST + 9) * PAGE + 0x28,
	       ram + R9D_CONT_OFF + 9 * PAGE + 0x28);
	r9_add(R9D_BLK_VA + 0x12340, ram + R9D_BLK_OFF + 0x12340);
	for (u32 k = 0; k < R9D_CONT_SPAN / PAGE; k++) { /* the second run: its words planted */
		r9_plant(ram + R9D_CONT_OFF + R9D_CONT_SPAN + k * PAGE + 0x24);
		r9_plant(ram + R9D_CONT_OFF + R9D_CONT_SPAN + k * PAGE + 0x28);
	}
	for (u32 i = 0; i < R9D_PAGES; i++) {
		r9_plant(ram + R9D_ALT_OFF + i * PAGE + 0x340);
	}
}

/* Table attributes applied to one table descriptor at a time (B3.6.1): APTable's three
 * restrictions, XNTable, PXNTable, NSTable (ignored in Non-secure state), the ignored bits,
 * and two combinations. */
static const u64 r9d_table_attrs[] = {
    R9D_APT(1),
    R9D_APT(2),
    R9D_APT(3),
    LPAE_XNTABLE,
    LPAE_PXNTABLE,
    LPAE_NSTABLE,
    R9D_TBL_IGN,
    R9D_APT(2) | LPAE_PXNTABLE,
    R9D_APT(1) | LPAE_XNTABLE,
};

/* r9d_table_attr_round: each of r9d_table_attrs on the table descriptor at desc (value
 * val), each written as a kernel would (upper word alone, or the whole descriptor), with
 * the maintenance it needs (TLBIMVAA of every VA used, or TLBIALL), every VA probed; then
 * val again. */
static void r9d_table_attr_round(paddr_t desc, u64 val)
{
	for (u32 i = 0; i < ARRAY_SIZE(r9d_table_attrs); i++) {
		r9d_lpae_desc(desc, val | r9d_table_attrs[i], (i & 1u) == 0);
		r9d_tlbi_probed((i & 2u) != 0);
		r9_probe_all();
	}
	r9d_lpae_desc(desc, val, false);
	r9d_tlbi_probed(true);
}

/* r9d_block_swap: the 2 MiB block replaced by a level-3 table of four pages (break before
 * make, TLBIMVAA of its probed VA), probed, then put back the same way. */
static void r9d_block_swap(void)
{
	paddr_t t = pool_alloc(NULL, PAGE);
	u32 alt = rt_ram_base() + R9D_ALT_OFF;
	for (u32 i = 0; i < R9D_PAGES; i++) { /* the probed VA's page 0x12 is the table's 2 */
		ram_write(NULL, t + 8u * (0x12u + i - 2u), 8,
			  r9d_page(alt + i * PAGE, LPAE_AP_RW_ALL, 0));
	}
	u32 va = R9D_BLK_VA + 0x12340;
	r9d_lpae_desc(hr.blk_desc, 0, false);
	r9_tlbi_each(va, PAGE, PAGE);
	r9d_lpae_desc(hr.blk_desc, sp.r.fmt->make_table(t), false);
	r9_probe(va);
	r9_probe_pl0(va);
	r9_probe(R9D_BLK_VA + 0x13340); /* the next page: alt + 3 pages */
	r9d_lpae_desc(hr.blk_desc, 0, false);
	r9_tlbi_each(va, 2 * PAGE, PAGE);
	r9d_lpae_desc(hr.blk_desc, hr.blk_val, false);
	r9_probe_all();
}

/* r9d_gib_swap: GiB 2's level-1 table entry replaced by a 1 GiB block of RAM's base (read/
 * write at both levels: every probed VA now lands in the scratch RAM below; past RAM's end,
 * an external abort), probed, then the table put back; each change break before make with
 * TLBIALL. */
static void r9d_gib_swap(void)
{
	r9d_lpae_desc(hr.l1_desc, 0, false);
	rt_tlb_flush_all();
	r9d_lpae_desc(hr.l1_desc, r9d_block(rt_ram_base(), 0, LPAE_AP_RW_ALL), false);
	r9_probe_all();
	r9_probe(R9D_VA + rt_ram_size() + 0x100);
	r9d_lpae_desc(hr.l1_desc, 0, false);
	rt_tlb_flush_all();
	r9d_lpae_desc(hr.l1_desc, hr.l1_val, false);
	r9_probe_all();
}

/* r9d_cont_move: the contiguous run moved to the next 64 KiB (its 16 entries broken
 * first, B3.6.2's rule for the contiguous hint, TLBIMVAA of each page), probed. */
static void r9d_cont_move(void)
{
	u32 base = R9D_L3_VA + R9D_CONT_FIRST * PAGE;
	u32 pa = rt_ram_base() + R9D_CONT_OFF + R9D_CONT_SPAN;
	for (u32 k = 0; k < R9D_CONT_SPAN / PAGE; k++) {
		r9d_lpae_desc(hr.l3_table + 8u * (R9D_CONT_FIRST + k), 0, false);
	}
	r9_tlbi_each(base, R9D_CONT_SPAN, PAGE);
	for (u32 k = 0; k < R9D_CONT_SPAN / PAGE; k++) {
		r9d_lpae_desc(hr.l3_table + 8u * (R9D_CONT_FIRST + k),
			      r9d_page(pa + k * PAGE, LPAE_AP_RW_ALL, LPAE_CONTIG | R9D_SOFT_BITS),
			      false);
	}
	r9_probe_all();
}

/* r9d_attrindx: every level-3 page given AttrIndx 4-7 (MAIR1), MAIR0 and MAIR1 then
 * swapped, AMAIR0/1 written; probed after each change. True if MAIR0/1 read back as
 * written and AMAIR0/1 as zero: IMPLEMENTATION DEFINED registers, RAZ/WI in QEMU 7.2's
 * cortex-a15 (natively and under stage 2). */
static bool r9d_attrindx(void)
{
	for (u32 i = 0; i < R9D_PAGES; i++) {
		u64 d = *(volatile u64 *)(uintptr_t)(hr.l3_table + 8u * i);
		d = (d & ~((u64)7 << LPAE_ATTRINDX_SHIFT)) | ((u64)(4u + i) << LPAE_ATTRINDX_SHIFT);
		r9d_lpae_desc(hr.l3_table + 8u * i, d, false);
	}
	write_nmrr(R9D_MAIR_B);
	r9d_tlbi_probed(true);
	r9_probe_all();
	write_prrr(R9D_MAIR_B);
	write_nmrr(R9D_MAIR_A);
	write_amair0(R9D_MAIR_A);
	write_amair1(R9D_MAIR_B);
	r9d_tlbi_probed(true);
	r9_probe_all();
	bool ok = read_prrr() == R9D_MAIR_B && read_nmrr() == R9D_MAIR_A && read_amair0() == 0 &&
		  read_amair1() == 0;
	rt_printf("hostile hier: MAIR0 0x%08x MAIR1 0x%08x AMAIR0 0x%08x AMAIR1 0x%08x: %s\n",
		  read_prrr(), read_nmrr(), read_amair0(), read_amair1(),
		  ok ? "as natively" : "NOT as natively");
	return ok;
}

/* case_hier: LPAE hierarchical attributes changed over built shadows: APTable, XNTable,
 * PXNTable, NSTable and ignored bits at level 1 and at level 2, a 2 MiB block replaced by
 * a table and back, a level-1 table by a 1 GiB block and back, a contiguous run with
 * software bits moved, AttrIndx with MAIR0/MAIR1 rewritten; every VA read, written and
 * fetched at PL1 and (LDRT/STRT) PL0, judged by the model (fmt=lpae). */
static int case_hier(void)
{
	if (!r9d_lpae_only("hier")) {
		return 2;
	}
	stats_reset();
	r9d_hier_space();
	mmu_on();
	r9_probe_all();
	r9d_table_attr_round(hr.l1_desc, hr.l1_val);
	r9d_table_attr_round(hr.l2_desc, hr.l2_val);
	r9d_lpae_desc(hr.l1_desc, hr.l1_val | R9D_APT(1) | LPAE_PXNTABLE, true);
	r9d_lpae_desc(hr.l2_desc, hr.l2_val | R9D_APT(2) | LPAE_XNTABLE, true);
	r9d_tlbi_probed(false);
	r9_probe_all();
	r9d_lpae_desc(hr.l1_desc, hr.l1_val, false);
	r9d_lpae_desc(hr.l2_desc, hr.l2_val, false);
	r9d_tlbi_probed(true);
	r9d_block_swap();
	r9d_gib_swap();
	r9d_cont_move();
	bool regs = r9d_attrindx();
	mmu_off();
	write_prrr(MAIR0_NORMAL_DEVICE);
	write_nmrr(0);
	return summary("hier") | (regs ? 0 : 1);
}

#define R9D_LOW_VA 0x30000000u /* TTBR0's region (T0SZ = 1): a global page */
#define R9D_ASID0  1u
#define R9D_ASID1  5u
#define R9D_ASID1B 6u
#define R9D_ASID0B 9u
#define R9D_ASID0C 2u
#define R9D_T0SZ_1 (1u << TTBCR_T0SZ_SHIFT) /* TTBR0: [0, 2 GiB); TTBR1: the rest */
#define R9D_A1_OFF (SCRATCH + 352u * PAGE)  /* the pages the case's VAs map */

static struct {
	paddr_t root0, root0b, root1; /* TTBR0's two trees, TTBR1's */
	paddr_t ng_desc;	      /* TTBR1's non-global page at ALIAS_VA */
	u32 page_a, page_b;
	u32 checks, wrong;
} a1;

/* r9d_ttbr: TTBR0 or TTBR1 written whole (MCRR) with root and asid. */
static void r9d_ttbr(bool one, paddr_t root, u32 asid)
{
	u64 v = root | ((u64)asid << TTBR_ASID_SHIFT);
	if (one) {
		write_ttbr1_64(v);
	} else {
		write_ttbr0_64(v);
	}
	isb();
}

/* r9d_a1_read: the three VAs read and judged. */
static void r9d_a1_read(void)
{
	static const u32 vas[] = {ALIAS_VA, R9_GLOBAL_VA, R9D_LOW_VA};
	dsb();
	isb();
	for (u32 i = 0; i < ARRAY_SIZE(vas); i++) {
		struct outcome o = probe_read(vas[i]);
		judge("read", vas[i], S1_READ, &o, NULL);
	}
}

/* r9d_a1_tree: a TTBR0 tree (RAM, the UART, R9D_LOW_VA to page pg) for the case. */
static paddr_t r9d_a1_tree(u32 pg)
{
	sp.r.root = pool_alloc(NULL, PAGE);
	map_ram_and_uart();
	map(R9D_LOW_VA, pg, PAGE, sp.a->ram, 12);
	return sp.r.root;
}

/* r9d_a1_expect: a translation register read back: count it, print it if not want. */
static void r9d_a1_expect(const char *what, u64 val, u64 want)
{
	a1.checks++;
	if (val != want) {
		a1.wrong++;
		rt_printf("hostile a1asid: %s read 0x%016llx, wrote 0x%016llx\n", what,
			  (unsigned long long)val, (unsigned long long)want);
	}
}

/* r9d_a1_setup: three trees in TTBR0's and TTBR1's regions; ALIAS_VA (non-global) and
 * R9_GLOBAL_VA in TTBR1's, each mapping page A at first. */
static void r9d_a1_setup(void)
{
	u32 ram = rt_ram_base();
	a1.page_a = ram + R9D_A1_OFF;
	a1.page_b = a1.page_a + PAGE;
	for (u32 i = 0; i < 4; i++) {
		*(volatile u32 *)(uintptr_t)(a1.page_a + i * PAGE) = TAG_PAGE_A + i;
	}
	space_new();
	a1.root0 = sp.r.root;
	map_ram_and_uart();
	map(R9D_LOW_VA, a1.page_a + 2 * PAGE, PAGE, sp.a->ram, 12);
	a1.root0b = r9d_a1_tree(a1.page_a + 3 * PAGE);
	sp.r.root = pool_alloc(NULL, PAGE);
	a1.root1 = sp.r.root;
	map(ALIAS_VA, a1.page_a, PAGE, sp.a->ram_ng, 12);
	map(R9_GLOBAL_VA, a1.page_a, PAGE, sp.a->ram, 12);
	a1.ng_desc = alias_desc_pa();
}

/* case_a1asid: TTBCR.A1 (the ASID taken from TTBR1) toggled, 64-bit TTBR0 and TTBR1 writes
 * that change the ASID only, the table only or both, a 32-bit TTBR0 write, a non-global
 * page moved under each ASID in force with exactly the maintenance needed (TLBIMVA,
 * TLBIASID, TLBIMVAA, TLBIALL); every read judged, the registers read back (fmt=lpae). */
static int case_a1asid(void)
{
	if (!r9d_lpae_only("a1asid")) {
		return 2;
	}
	stats_reset();
	r9d_a1_setup();
	u32 walks = TTBCR_LPAE_WALKS | R9D_T0SZ_1;
	r9d_ttbr(true, a1.root1, R9D_ASID1);
	sp.r.root = a1.root0;
	mmu_on_split(R9D_T0SZ_1);
	r9d_ttbr(false, a1.root0, R9D_ASID0);
	r9d_a1_read();
	r9_point(a1.ng_desc, a1.page_b, true); /* under ASID 1 (TTBR0's) */
	tlbi_mva(ALIAS_VA | R9D_ASID0);
	r9d_a1_read();
	write_ttbcr(walks | TTBCR_A1); /* the ASID is now TTBR1's: 5 */
	isb();
	rt_tlb_flush_all();
	r9d_a1_read();
	r9d_a1_expect("TTBCR", read_ttbcr(), walks | TTBCR_A1);
	r9_point(a1.ng_desc, a1.page_a, true);
	tlbi_mva(ALIAS_VA | R9D_ASID1);
	r9d_a1_read();
	r9d_ttbr(true, a1.root1, R9D_ASID1B); /* TTBR1's ASID alone */
	r9d_a1_read();
	r9_point(a1.ng_desc, a1.page_b, true);
	tlbi_asid(R9D_ASID1B);
	r9d_a1_read();
	tlbi_asid(R9D_ASID1); /* its entries of page A are stale */
	r9d_ttbr(true, a1.root1, R9D_ASID1);
	r9d_a1_read();
	r9d_ttbr(false, a1.root0, R9D_ASID0B); /* TTBR0's ASID field alone: not the ASID */
	r9d_a1_read();
	r9_point(a1.ng_desc, a1.page_a, true);
	tlbi_mva(ALIAS_VA | R9D_ASID1);
	r9d_a1_read();
	r9d_ttbr(false, a1.root0b, R9D_ASID0B); /* TTBR0's table alone */
	tlbi_mvaa(R9D_LOW_VA);
	r9d_a1_read();
	r9d_a1_expect("TTBR0", read_ttbr0_64(), a1.root0b | ((u64)R9D_ASID0B << TTBR_ASID_SHIFT));
	write_ttbcr(walks); /* the ASID is TTBR0's again: 9 */
	isb();
	rt_tlb_flush_all();
	r9d_a1_read();
	tlbi_asid(R9D_ASID0);		      /* its entries of page B are stale */
	r9d_ttbr(false, a1.root0, R9D_ASID0); /* both */
	tlbi_mvaa(R9D_LOW_VA);
	r9d_a1_read();
	r9d_ttbr(false, a1.root0, R9D_ASID0C); /* the ASID alone, to one never used */
	r9d_a1_read();
	r9_point(a1.ng_desc, a1.page_b, true);
	tlbi_mva(ALIAS_VA | R9D_ASID0C);
	r9d_a1_read();
	tlbi_asid(R9D_ASID0);
	r9d_ttbr(false, a1.root0, R9D_ASID0);
	r9d_a1_read();
	write_ttbr0((u32)a1.root0b); /* MCR: bits [31:0] alone, the ASID kept */
	isb();
	tlbi_mvaa(R9D_LOW_VA);
	r9d_a1_read();
	r9d_a1_expect("TTBR0", read_ttbr0_64(), a1.root0b | ((u64)R9D_ASID0 << TTBR_ASID_SHIFT));
	r9d_a1_expect("TTBR1", read_ttbr1_64(), a1.root1 | ((u64)R9D_ASID1 << TTBR_ASID_SHIFT));
	mmu_off();
	write_ttbcr(0);
	write_ttbr1_64(0);
	write_ttbr0_64(0);
	rt_printf("hostile a1asid: %u registers read back, %u wrong\n", a1.checks, a1.wrong);
	return summary("a1asid") | (a1.wrong == 0 ? 0 : 1);
}

#define R9D_NEW_VA     0x90000000u /* a new mapping per round, written with the MMU off */
#define R9D_OFF_ROUNDS 24u
#define R9D_OFF_PAGES  (SCRATCH + 384u * PAGE) /* the pages the alias takes in turn */
#define R9D_UNASSIGNED 0x09200000u	       /* nothing there on QEMU virt (case nestabt) */

/* r9d_sctlr_m: SCTLR.M set or cleared alone, and the ISB that makes it take effect. */
static void r9d_sctlr_m(bool on)
{
	write_sctlr(on ? read_sctlr() | SCTLR_M : read_sctlr() & ~SCTLR_M);
	isb();
}

/* r9d_desc_bytes: the descriptor d written at pa byte by byte (STRB; with the MMU off no
 * walk can see the halves). */
static void r9d_desc_bytes(paddr_t pa, u64 d)
{
	for (u32 i = 0; i < sp.r.fmt->desc_bytes; i++) {
		*(volatile u8 *)(uintptr_t)(pa + i) = (u8)(d >> (8 * i));
	}
	dsb();
}

/* r9d_align_probe: an LDM from an odd address of RAM: the alignment fault, in the format
 * TTBCR.EAE names (B3.13.3). */
static void r9d_align_probe(void)
{
	u32 va = rt_ram_base() + R9D_OFF_PAGES + 1u;
	struct expect e = {EXP_ABORT, 0, 0};
	e.fsr = (read_ttbcr() & TTBCR_EAE) ? FSR_LPAE | FSC_ALIGNMENT : FSR_SD_ALIGNMENT;
	struct outcome o = probe_ldm(va);
	stats.probes++;
	if (!outcome_ok(va, S1_READ, &e, &o)) {
		mismatch("ldm", va, &e, &o);
	}
}

/* r9d_off_probe: with the MMU off: the UART's flag register read, and a read, a write and a
 * fetch at an unassigned address and just past RAM (external aborts in the format
 * TTBCR.EAE names), an alignment fault; judged. */
static void r9d_off_probe(void)
{
	r9d_align_probe();
	const u32 vas[] = {R9D_UNASSIGNED, rt_ram_base() + rt_ram_size()};
	struct outcome o = probe_read(RT_UART + UART_FR);
	judge("read", RT_UART + UART_FR, S1_READ, &o, NULL);
	for (u32 i = 0; i < ARRAY_SIZE(vas); i++) {
		u32 va = vas[i];
		o = probe_read(va);
		judge("read", va, S1_READ, &o, NULL);
		o = probe_write(va, POISON);
		judge("write", va, S1_WRITE, &o, NULL);
		o = probe_exec(va);
		judge("fetch", va, S1_EXEC, &o, NULL);
	}
}

/* r9d_off_round: round i: the MMU off (roots cached), the alias repointed and a new page
 * mapped by writes made with the MMU off (whole, or byte by byte), TTBR0 and TTBCR written
 * again just before SCTLR.M on every third round, the exact maintenance (TLBIMVA of the
 * alias), the MMU on; the alias and the new page read and judged. */
static void r9d_off_round(u32 i, paddr_t alias_desc)
{
	u32 ram = rt_ram_base();
	r9d_sctlr_m(false);
	if (i % 4 == 0) {
		r9d_off_probe();
	}
	u64 d =
	    sp.r.fmt->make_leaf(ram + R9D_OFF_PAGES + (i % 3) * PAGE, sp.lpae ? 2 : 1, sp.a->ram);
	if (i % 2 == 0) {
		ram_write(NULL, alias_desc, sp.r.fmt->desc_bytes, d);
		dsb();
	} else {
		r9d_desc_bytes(alias_desc, d);
	}
	u32 nva = R9D_NEW_VA + (i / 2) * BLOCK + (i % 2) * PAGE;
	map(nva, ram + R9D_OFF_PAGES + (3 + i % 2) * PAGE, PAGE, sp.a->ram, 12);
	dsb();
	tlbi_mva(ALIAS_VA);
	dsb();
	if (i % 3 == 0) {
		if (sp.lpae) {
			write_ttbcr(TTBCR_LPAE_WALKS);
			write_ttbr0_64(sp.r.root);
		} else {
			write_ttbcr(0);
			write_ttbr0((u32)sp.r.root);
		}
	}
	r9d_sctlr_m(true);
	struct outcome o = probe_read(ALIAS_VA);
	judge("read", ALIAS_VA, S1_READ, &o, NULL);
	o = probe_read(nva);
	judge("read", nva, S1_READ, &o, NULL);
}

static struct {
	bool lpae;
	paddr_t root, alias_desc;
} r9d_fmts[2];

/* r9d_fmt_space: an address space in format lpae (RAM, the UART, the alias to page pg)
 * without resetting the table pool, recorded in r9d_fmts[lpae]. */
static void r9d_fmt_space(bool lpae, u32 pg)
{
	sp.lpae = lpae;
	sp.a = lpae ? &lpae_attrs : &short_attrs;
	pt_regime_init(&sp.r, lpae ? &pt_lpae_s1 : &pt_short, 0, 32);
	u32 bytes = pt_table_bytes(&sp.r, pt_start_index(&sp.r));
	sp.r.root = pool_alloc(NULL, bytes < PAGE ? PAGE : bytes);
	map_ram_and_uart();
	map(ALIAS_VA, pg, PAGE, sp.a->ram, 12);
	r9d_fmts[lpae].lpae = lpae;
	r9d_fmts[lpae].root = sp.r.root;
	r9d_fmts[lpae].alias_desc = alias_desc_pa();
}

/* r9d_eae_round: with the MMU off, TTBCR.EAE set to lpae and TTBR0 to that format's tree,
 * the unassigned addresses and the UART probed, TLBIALL, the MMU on: the alias read. */
static void r9d_eae_round(bool lpae)
{
	r9d_sctlr_m(false);
	if (lpae) {
		write_prrr(MAIR0_NORMAL_DEVICE);
		write_ttbcr(TTBCR_LPAE_WALKS);
		write_ttbr0_64(r9d_fmts[1].root);
	} else {
		write_ttbcr(0);
		write_ttbr0((u32)r9d_fmts[0].root);
		write_dacr(DACR_CLIENTS);
	}
	isb();
	r9d_off_probe();
	rt_tlb_flush_all();
	r9d_sctlr_m(true);
	struct outcome o = probe_read(ALIAS_VA);
	judge("read", ALIAS_VA, S1_READ, &o, NULL);
}

/* case_mmuoff: the guest on the flat shadow: SCTLR.M toggled with roots cached, its tables
 * changed with the MMU off (the alias repointed, new pages and tables), then on: the new
 * tables must be seen; the UART and unassigned addresses with the MMU off; TTBCR.EAE
 * switched with the MMU off between a short and a long-format tree, the external aborts
 * in the format it names (fmt=). */
static int case_mmuoff(void)
{
	u32 ram = rt_ram_base();
	stats_reset();
	for (u32 k = 0; k < 5; k++) {
		*(volatile u32 *)(uintptr_t)(ram + R9D_OFF_PAGES + k * PAGE) = TAG_PAGE_A + k;
	}
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, ram + R9D_OFF_PAGES + 4 * PAGE, PAGE, sp.a->ram, 12);
	paddr_t alias_desc = alias_desc_pa();
	mmu_on();
	struct outcome o = probe_read(ALIAS_VA);
	judge("read", ALIAS_VA, S1_READ, &o, NULL);
	for (u32 i = 0; i < R9D_OFF_ROUNDS; i++) {
		r9d_off_round(i, alias_desc);
	}
	u32 first = stats.probes;
	r9d_sctlr_m(false);
	r9d_fmt_space(false, ram + R9D_OFF_PAGES);
	r9d_fmt_space(true, ram + R9D_OFF_PAGES + PAGE);
	for (u32 k = 0; k < 8; k++) {
		r9d_eae_round((k & 1u) != 0);
	}
	mmu_off();
	write_ttbcr(0);
	write_prrr(MAIR0_NORMAL_DEVICE);
	rt_printf("hostile mmuoff: %u probes over %u rounds, then %u across formats\n", first,
		  R9D_OFF_ROUNDS, stats.probes - first);
	return summary("mmuoff");
}

#define R9D_SHARE_OFF  (SCRATCH + 400u * PAGE) /* the page the level-1 table shares */
#define R9D_ROOT_AT    (PAGE - 32u)	       /* the table's place in it: its last 32 bytes */
#define R9D_SHARE_RNDS 16u
#define R9D_SHARE_WORD 0x5a000000u

/* r9d_stm4: STM of four words at va (the last two may be a descriptor). */
static void r9d_stm4(u32 va, u32 a, u32 b, u32 c, u32 d)
{
	register u32 r2 __asm__("r2") = a;
	register u32 r3 __asm__("r3") = b;
	register u32 r4 __asm__("r4") = c;
	register u32 r5 __asm__("r5") = d;
	__asm__ volatile("stm %0, {r2-r5}" ::"r"(va), "r"(r2), "r"(r3), "r"(r4), "r"(r5)
			 : "memory");
}

/* r9d_share_stores: round i's stores to the data words of the table's page, at PL1 in
 * several forms (STR, STRB, STRH, STRD, STREX, an STM whose last two words rewrite
 * the table's first descriptor with its value); the number of words read back wrong. */
static u32 r9d_share_stores(u32 page, u32 i)
{
	volatile u32 *w = (volatile u32 *)(uintptr_t)page;
	u32 base = R9D_SHARE_WORD + (i << 8), wrong = 0;
	w[i] = base;
	*(volatile u8 *)(uintptr_t)(page + 0x100 + i) = (u8)i;
	*(volatile u16 *)(uintptr_t)(page + 0x200 + 2 * i) = (u16)(base >> 16);
	*(volatile u64 *)(uintptr_t)(page + 0x300 + 8 * i) = ((u64)base << 32) | ~base;
	strex_word(page + 0x400 + 4 * i, base + 1);
	u64 d0 = *(volatile u64 *)(uintptr_t)(page + R9D_ROOT_AT);
	r9d_stm4(page + R9D_ROOT_AT - 8, base + 3, base + 4, (u32)d0, (u32)(d0 >> 32));
	dsb();
	wrong += w[i] != base;
	wrong += *(volatile u8 *)(uintptr_t)(page + 0x100 + i) != (u8)i;
	wrong += *(volatile u16 *)(uintptr_t)(page + 0x200 + 2 * i) != (u16)(base >> 16);
	wrong += *(volatile u64 *)(uintptr_t)(page + 0x300 + 8 * i) != (((u64)base << 32) | ~base);
	wrong += w[(0x400 >> 2) + i] != base + 1;
	wrong += w[(R9D_ROOT_AT - 8) / 4] != base + 3 || w[(R9D_ROOT_AT - 4) / 4] != base + 4;
	wrong += *(volatile u64 *)(uintptr_t)(page + R9D_ROOT_AT) != d0;
	return wrong;
}

/* case_l1share: the LPAE level-1 table (T0SZ = 0: 32 bytes) in the last 32 bytes of a page
 * whose other words are the guest's data, written at PL1 in many forms while GiB 2's entry
 * of that table is switched between a table (an alias page) and a 1 GiB block, with TLBIALL
 * (fmt=lpae): every store lands, every read of the alias judged. */
static int case_l1share(void)
{
	if (!r9d_lpae_only("l1share")) {
		return 2;
	}
	u32 page = rt_ram_base() + R9D_SHARE_OFF, pa = rt_ram_base() + R9D_PG_OFF;
	stats_reset();
	space_new();
	map_ram_and_uart();
	map(ALIAS_VA, pa, PAGE, sp.a->ram, 12);
	r9_plant(pa + 0x30);
	memset((void *)(uintptr_t)page, 0, PAGE);
	for (u32 k = 0; k < 4; k++) {
		*(volatile u64 *)(uintptr_t)(page + R9D_ROOT_AT + 8 * k) =
		    *(volatile u64 *)(uintptr_t)(sp.r.root + 8 * k);
	}
	sp.r.root = page + R9D_ROOT_AT;
	paddr_t gib2 = sp.r.root + 8u * (ALIAS_VA >> 30);
	u64 table = *(volatile u64 *)(uintptr_t)gib2;
	mmu_on();
	u32 wrong = 0;
	for (u32 i = 0; i < R9D_SHARE_RNDS; i++) {
		r9_probe(ALIAS_VA + 0x30);
		wrong += r9d_share_stores(page, i);
		if (i % 2 == 1) {
			bool block = (i & 2u) != 0;
			r9d_lpae_desc(gib2, 0, false);
			rt_tlb_flush_all();
			r9d_lpae_desc(gib2,
				      block ? r9d_block(rt_ram_base(), 0, LPAE_AP_RW_PL1) : table,
				      false);
			rt_tlb_flush_all();
		}
	}
	mmu_off();
	rt_printf("hostile l1share: %u rounds of stores next to the level-1 table, %u wrong\n",
		  R9D_SHARE_RNDS, wrong);
	return summary("l1share") | (wrong == 0 ? 0 : 1);
}

/* ---- dispatch ---- */

struct hostile_case {
	const char *name;
	int (*run)(void);
};

static const struct hostile_case cases[] = {
    {"escape", case_escape},
    {"loops", case_loops},
    {"ttbr", case_ttbr},
    {"tramp-map", case_tramp_map},
    {"tramp-late", case_tramp_late},
    {"tramp-peek", case_tramp_peek},
    {"vectors", case_vectors},
    {"tlbflood", case_tlbflood},
    {"cp15", case_cp15},
    {"smccc", case_smccc},
    {"hvcimm", case_hvcimm},
    {"exhaust", case_exhaust},
    {"scan", case_scan},
    {"hcwrite", case_hcwrite},
    {"stalewr", case_stalewr},
    {"align", case_align},
    {"thumbexc", case_thumbexc},
    {"thumbvec", case_thumbvec},
    {"stmcross", case_stmcross},
    {"tramp-forge", case_tramp_forge},
    {"tramp-forge-perm", case_tramp_forge_perm},
    {"abtregs", case_abtregs},
    {"thumb-ldrt", case_thumb_ldrt},
    {"thumb-str010", case_thumb_str010},
    {"pinlost", case_pinlost},
    {"nestabt", case_nestabt},
    {"lendalias", case_lendalias},
    {"lendstale", case_lendstale},
    {"xpage010", case_xpage010},
    {"strex010", case_strex010},
    {"ttbcr30", case_ttbcr30},
    {"setend010", case_setend010},
    {"setenddev", case_setenddev},
    {"stmext", case_stmext},
    {"stmext010", case_stmext010},
    {"afdomain", case_afdomain},
    {"lend", case_lend},
    {"ldrt-nt", case_ldrt_nt},
    {"afclear", case_afclear},
    {"tre", case_tre},
    {"setendpt", case_setendpt},
    {"refused010", case_refused010},
    {"refusedpt", case_refusedpt},
    {"thumbit-pt", case_thumbit_pt},
    {"xpagept", case_xpagept},
    {"smc-t32", case_smc_t32},
    {"ldrt-abt", case_ldrt_abt},
    {"ldrt-abtlr", case_ldrt_abtlr},
    {"domains", case_domains},
    {"domainprio", case_domainprio},
    {"bigleaves", case_bigleaves},
    {"ttbcrsplit", case_ttbcrsplit},
    {"asidglobal", case_asidglobal},
    {"aptoggle", case_aptoggle},
    {"churn", case_churn},
    {"oosmany", case_oosmany},
    {"modemiss", case_modemiss},
    {"t32xpage", case_t32xpage},
    {"ldrvec", case_ldrvec},
    {"fiqregs", case_fiqregs},
    {"bkpt", case_bkpt},
    {"xnfetch", case_xnfetch},
    {"stmpart", case_stmpart},
    {"excret", case_excret},
    {"exclmiss", case_exclmiss},
    {"cmaint", case_cmaint},
    {"temodes", case_temodes},
    {"hier", case_hier},
    {"a1asid", case_a1asid},
    {"mmuoff", case_mmuoff},
    {"l1share", case_l1share},
};

/* main: run the case named by case=. */
int main(void)
{
	rt_set_handler(on_exception);
	for (u32 i = 0; i < ARRAY_SIZE(cases); i++) {
		if (rt_arg_is("case", cases[i].name)) {
			return cases[i].run();
		}
	}
	rt_printf("hostile: give case=<name> (see tests/guests/hostile.c)\n");
	return 2;
}
