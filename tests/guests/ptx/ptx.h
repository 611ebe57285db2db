/* The randomized stage-1 page-table exerciser (tests/guests/ptx.c): its state and the
 * interfaces between its parts. docs/testing.md describes what it does and the rules that
 * keep everything it prints determined by the architecture alone:
 *   fmt.c     descriptor formats, the window geometry, the translation registers
 *   frames.c  the frame pools: data patterns, page-table frames, quarantine
 *   tlb.c     what a TLB may still hold, and the TLB maintenance that removes it
 *   change.c  every descriptor change, with its break-before-make and staleness bookkeeping
 *   access.c  accesses at PL1 and PL0, their expected outcome, faults, the trace
 *   ops.c     the random operations
 *   store.c   the store forms that write a descriptor
 *   user.S    the user-mode trampoline */
#ifndef PTX_H
#define PTX_H

/* user.S: what ptx_user_call runs in user mode, and the result of an access that faulted. */
#define PTX_UOP_READ  0
#define PTX_UOP_WRITE 1
#define PTX_UOP_EXEC  2
#define PTX_NO_VALUE  0xdeadbeef

#ifndef __ASSEMBLER__
#include "rt.h"
#include "tb/pt.h"
#include "tb/s1.h"

/* ---- address spaces and windows ---- */
#define PTX_NAS		  4u	     /* address spaces: a TTBR0 table and an ASID each */
#define PTX_SPLIT	  2u	     /* TTBCR.N (short) / T0SZ (LPAE): TTBR0 below 1 GiB */
#define PTX_WIN_SIZE	  (4u * MiB) /* each window: the VAs the exerciser changes */
#define PTX_WIN_PAGES	  (PTX_WIN_SIZE / PAGE_SIZE_4K)
#define PTX_USER_WIN	  0x00400000u /* TTBR0: nG mappings of each address space */
#define PTX_KERN_WIN	  0xc0000000u /* TTBR1: global and nG mappings shared by all */
#define PTX_TRAMP_VA	  0xc0800000u /* the user-mode trampoline page: global, PL0 read + exec */
#define PTX_MAX_SLOTS	  4u	      /* slots per window (short: 4 x 1 MiB; LPAE: 2 x 2 MiB) */
#define PTX_FILL	  64u	      /* bytes at the start of each page: patterned, accessed */
#define PTX_LARGE	  16u	      /* short format: entries (pages) of one 64 KiB large page */
#define PTX_PAGE_SHIFT	  12u	      /* log2 sizes: 4 KiB pages */
#define PTX_LARGE_SHIFT	  16u	      /* short: 64 KiB large pages */
#define PTX_SECTION_SHIFT 20u	      /* short: 1 MiB sections */
#define PTX_BLOCK_SHIFT	  21u	      /* LPAE: 2 MiB level-2 blocks */
#define PTX_GIB_SHIFT	  30u	      /* LPAE: a level-1 entry's span */

/* ---- physical memory (offsets from the base of RAM; identity-mapped) ---- */
#define PTX_SMALL_POOL_OFF  (16u * MiB) /* 4 KiB frames: page tables and data */
#define PTX_SMALL_POOL_SIZE (2u * MiB)
#define PTX_BIG_POOL_OFF    (32u * MiB) /* sections, blocks and pages: data only */
#define PTX_BIG_POOL_SIZE   (16u * MiB)
#define PTX_NFRAMES	    (PTX_SMALL_POOL_SIZE / PAGE_SIZE_4K)
#define PTX_RAM_MIN	    (PTX_BIG_POOL_OFF + PTX_BIG_POOL_SIZE)
#define PTX_IDMAP_MAX	    (1024u * MiB) /* the identity map: RAM up to TTBR1's next GiB */

enum ptx_win { WIN_USER, WIN_KERN, WIN_COUNT };

struct ptx_state {
	bool lpae, verbose;
	bool forget; /* sabotage: TLB maintenance modelled but not done (forget=1) */
	u32 seed, steps, step;
	u32 ram, ram_size, small_pool, big_pool;
	/* translation registers as the guest wrote them */
	u32 sctlr, ttbcr, dacr, contextidr;
	u64 ttbr0, ttbr1;
	u32 root[PTX_NAS]; /* TTBR0 table of each address space */
	u32 kslots;	   /* the table holding the kernel window's slots */
	u32 cur;	   /* the current address space */
	/* what happened (all printed at the end) */
	u32 accesses, faults, tlbis, changes, switches;
	u32 sum; /* checksum of every traced value */
};
extern struct ptx_state ptx;
extern const u8 ptx_asid[PTX_NAS];

/* ---- ptx.c: randomness, failure, trace ---- */
u32 ptx_rand(void);
/* ptx_below: uniform in [0, n) (n > 0). */
u32 ptx_below(u32 n);
/* ptx_chance: true with probability percent / 100. */
bool ptx_chance(u32 percent);
/* ptx_fail: something that cannot happen did: print it with the step, exit 1. */
__attribute__((noreturn, format(printf, 1, 2))) void ptx_fail(const char *fmt, ...);
/* ptx_note: a line of the op log (printed with verbose=1 only). */
__attribute__((format(printf, 1, 2))) void ptx_note(const char *fmt, ...);
/* ptx_sum: fold a traced value into the checksum. */
void ptx_sum(u32 v);
/* ptx_mix: a 32-bit hash (a bijection). */
u32 ptx_mix(u32 x);

/* ---- fmt.c: geometry, descriptors, registers ---- */
/* A descriptor the exerciser changes: a slot (short first-level / LPAE level-2 entry of a
 * window) or a page entry (short second-level / LPAE level-3) in the table below a slot. */
struct ptx_entry {
	u32 pa;	    /* where the descriptor is */
	u8 win, as; /* its window; the owning address space (user window) */
	bool slot;  /* slot level or page level */
	u16 page;   /* the first window page it translates */
};

/* A leaf to build: what it maps and how. */
struct ptx_leaf {
	u32 pa, shift; /* output and log2 size: 12, 16 (short large page), 20, 21 */
	u8 perm;       /* short AP[2:0]; LPAE AP[2:1] */
	u8 attr;       /* memory-type variant, PTX_ATTRS of them, all Normal write-back */
	u8 domain;     /* short sections */
	bool xn, pxn, ng, af;
	u16 ignored; /* LPAE: bits [63:55], which translation ignores (B3.6.2) */
};
#define PTX_ATTRS 4u

/* A table descriptor to build. */
struct ptx_table {
	u32 pa;
	u8 domain, aptable; /* short domain; LPAE APTable */
	bool pxn, xntable;  /* short PXN / LPAE PXNTable; LPAE XNTable */
};

u32 ptx_slot_shift(void);
u32 ptx_slot_pages(void);
u32 ptx_win_slots(void);
u32 ptx_desc_bytes(void);
u32 ptx_win_base(enum ptx_win w);
u32 ptx_page_va(enum ptx_win w, u32 page);
/* ptx_win_page: is va in a window? Its window and page index. */
bool ptx_win_page(u32 va, enum ptx_win *w, u32 *page);
void ptx_slot_entry(enum ptx_win w, u32 as, u32 slot, struct ptx_entry *e);
/* ptx_page_entry: the page entry for page; false if its slot holds no table. */
bool ptx_page_entry(enum ptx_win w, u32 as, u32 page, struct ptx_entry *e);
u64 ptx_desc_read(u32 pa);
enum pt_kind ptx_kind(const struct ptx_entry *e, u64 d);
/* ptx_leaf_shift: log2 of the size a leaf descriptor maps. */
u32 ptx_leaf_shift(const struct ptx_entry *e, u64 d);
u32 ptx_leaf_pa(const struct ptx_entry *e, u64 d);
bool ptx_global(const struct ptx_entry *e, u64 d);
u32 ptx_table_pa(const struct ptx_entry *e, u64 d);
/* ptx_range: the window pages a descriptor at e translates (a large page: all 16). */
void ptx_range(const struct ptx_entry *e, u64 d, u32 *first, u32 *n);
u64 ptx_leaf_desc(const struct ptx_entry *e, const struct ptx_leaf *l);
u64 ptx_table_desc(const struct ptx_table *t);
/* ptx_mmu_init: the fixed tables (identity map, console, trampoline), MMU on. */
void ptx_mmu_init(u32 tramp_pa);
/* ptx_switch: make address space as current, as the architecture orders it (B3.10.4). */
void ptx_switch(u32 as);
void ptx_set_dacr(u32 dacr);
/* ptx_check_regs: the translation registers read back as written. */
void ptx_check_regs(void);
void ptx_s1_state(struct s1_state *st);

/* ---- frames.c ---- */
enum ptx_role { ROLE_DATA, ROLE_TABLE, ROLE_QUARANTINE };
/* A frame of the small pool. A table frame says which VAs its entries translate. */
struct ptx_frame {
	u8 role;
	u8 win, as, slot; /* table: the owner of its entries; quarantine: the slot unlinked */
	u8 stride;	  /* log2 of the VA span of one entry */
	u16 entries;	  /* entries of the table in this frame */
	u32 base_va;	  /* VA translated by the frame's first entry */
	u32 gen;	  /* generation of the data pattern */
};
void ptx_frames_init(void);
/* ptx_frame: the small-pool frame holding pa, or NULL (big pool, elsewhere). */
struct ptx_frame *ptx_frame(u32 pa);
/* ptx_table_at: frame(s) at pa become a table of entries translating from base_va. */
void ptx_table_at(u32 pa, u32 bytes, u32 base_va, u32 stride, u32 entries, enum ptx_win w, u32 as);
/* ptx_table_alloc: a random data frame, zeroed, as the table below window slot. */
u32 ptx_table_alloc(enum ptx_win w, u32 as, u32 slot);
/* ptx_quarantine: a table unlinked from a slot: no reuse before its walk record clears. */
void ptx_quarantine(u32 table, enum ptx_win w, u32 as, u32 slot);
/* ptx_release: quarantined tables whose slot record cleared become data (new pattern). */
void ptx_release(void);
/* ptx_refill: a new data pattern at the start of the page holding pa. */
void ptx_refill(u32 pa);
/* ptx_random_page: a random page of either pool (pct_table percent: a table frame). */
#define PTX_TABLE_PAGE_PCT 20u /* new pages that map a page-table frame */
u32 ptx_random_page(u32 pct_table);
/* ptx_random_block: a random pool region of 1 << shift bytes, aligned. */
u32 ptx_random_block(u32 shift);
/* ptx_movw_r0: the A32 encoding of "movw r0, #imm16". */
u32 ptx_movw_r0(u32 imm16);

/* ---- tlb.c ---- */
enum ptx_tlbi { TLBI_ALL, TLBI_ASID, TLBI_MVA, TLBI_MVAA, TLBI_KINDS };
/* ptx_tlbi: one TLB maintenance operation (IS: its Inner Shareable form), modelled. */
void ptx_tlbi(enum ptx_tlbi op, bool is, u32 arg);
/* ptx_stale: the valid descriptor old at e may be in a TLB; e now holds another. */
void ptx_stale(const struct ptx_entry *e, u64 old);
/* ptx_page_clean: can an access in address space as use page without stale entries? */
bool ptx_page_clean(enum ptx_win w, u32 as, u32 page);
/* ptx_range_clean: no TLB entry of any context may cover pages [first, first + n). */
bool ptx_range_clean(enum ptx_win w, u32 as, u32 first, u32 n);
bool ptx_record_live(enum ptx_win w, u32 as, u32 slot);
/* ptx_clean_page / ptx_clean_range: random maintenance until clean (DSB before, DSB+ISB after). */
void ptx_clean_page(enum ptx_win w, u32 as, u32 page);
void ptx_clean_range(enum ptx_win w, u32 as, u32 first, u32 n);
/* ptx_random_tlbi: one random maintenance operation on random arguments. */
void ptx_random_tlbi(void);
void ptx_tlb_init(void);

/* ---- change.c ---- */
/* ptx_change_ok: may new replace old at e now (break-before-make, staleness rules)? */
bool ptx_change_ok(const struct ptx_entry *e, u64 old, u64 new);
/* ptx_change: write new at e (through the identity map or an alias) and account for it. */
void ptx_change(const struct ptx_entry *e, u64 new);
/* ptx_changed: e went from old to new (written already): stale entries, quarantine. */
void ptx_changed(const struct ptx_entry *e, u64 old, u64 new);
/* ptx_entry_at: the window entry a descriptor at pa of a table frame is, if any. */
bool ptx_entry_at(u32 pa, struct ptx_entry *e);
/* ptx_store_value: the 32-bit value a random store to pa writes (a descriptor for tables). */
u32 ptx_store_value(u32 pa, struct ptx_entry *e, u64 *old, u64 *new, bool *is_desc);
/* ptx_random_leaf / ptx_random_table: random attributes for a new descriptor. */
void ptx_random_leaf(struct ptx_leaf *l, enum ptx_win w, u32 shift, u32 pa);
void ptx_random_table(struct ptx_table *t, u32 pa);
/* Recently created leaves, where accesses and aliases are looked for. */
struct ptx_recent {
	u32 va, pa, size;
	u32 as; /* user window: the address space */
};
void ptx_remember(u32 va, u32 pa, u32 size, u32 as);
const struct ptx_recent *ptx_recent(u32 i);
#define PTX_RECENT 32u

/* ---- store.c ---- */
/* ptx_desc_write: write new over old (ptx_change_ok) at e, through the VA *va (a second
 * mapping of e->pa, or 0: the identity map) in a random store form; the form's name, and in
 * *va the VA written through. Transient states a TLB may hold are made stale (ptx_stale). */
const char *ptx_desc_write(const struct ptx_entry *e, u32 *va, u64 old, u64 new);

/* ---- access.c ---- */
void ptx_access_init(void);
/* ptx_random_access: one random access, checked against the model and traced. */
void ptx_random_access(void);
/* ptx_alias_va: a clean VA the current context may write at PL1 that maps pa, or 0. */
u32 ptx_alias_va(u32 pa);
/* ptx_model: the expected outcome of an access in the current context. */
enum s1_fault ptx_model(u32 va, enum s1_access acc, bool pl0, struct s1_result *r);

/* ---- ops.c ---- */
void ptx_random_op(void);

/* ---- user.S ---- */
/* ptx_user_call: run op on va (value: what a write stores) in user mode; its result. */
u32 ptx_user_call(u32 op, u32 va, u32 value, u32 entry);
extern char ptx_user_page[], ptx_user_svc[], ptx_user_back[];

#endif /* __ASSEMBLER__ */
#endif
