/* The shadow table store of the shadow module: a bounded pool of LPAE stage-1 tables
 * organised in cached roots, one per guest address space; the reverse map (guest frame ->
 * every shadow entry that maps it); the sources (guest page-table frame -> every shadow
 * table built from it, and the VA range each of its descriptors shaped); write protection
 * of guest page-table frames, and the out-of-sync frames of the unsync policy. Write
 * protection keeps every shadow entry what a walk of the guest's tables gives, but for
 * the frames out of sync, until they are resynced (at the guest's TLB maintenance or
 * address-space switch).
 *
 * It touches no system register: the hardware TLB maintenance it needs is asked of the
 * spt_hw_* functions (the module in the hypervisor, a recorder in the host tests), and it
 * counts into shadow_values[] (mm-shadow/shadow.h). Shadow tables are LPAE with T0SZ = 0:
 * a 4-entry level-1 table, 1 GiB level-2 tables and 2 MiB level-3 tables, whose leaves are
 * 4 KiB pages only. docs/shadow-design.md explains the design. */
#ifndef MM_SHADOW_SPT_H
#define MM_SHADOW_SPT_H

#include "tb/types.h"

#define SPT_MAX_ROOTS 32u /* cached address spaces; hardware ASIDs 1..32 */
#define SPT_MAX_OOS   16u /* out-of-sync frames at once (each has a 4 KiB snapshot) */
#define SPT_NO_ROOT   0xffu
#define SPT_FLOOD_MAX 255u /* spt_config.flood_writes: a frame counts its writes in a byte */

/* What identifies a guest address space: the shadow of one key is valid for no other. */
struct spt_key {
	u64 ttbr0; /* the guest's TTBR0 (with the LPAE ASID field) */
	u32 asid;  /* the guest's current ASID (8 bits), whichever register holds it */
	u32 dacr;  /* short format: domains are applied when entries are built */
	bool mmu;  /* SCTLR.M: off means the flat identity shadow */
};

/* The store's memory and the guest's RAM; alloc returns zeroed, 4 KiB aligned memory that
 * the store keeps for its lifetime (0 if none: spt_init fails). */
struct spt_config {
	u32 pool_pages; /* shadow table pages */
	u32 ram_ipa;	/* guest RAM: IPA, size, host address (4 KiB multiples) */
	u32 ram_size;
	paddr_t ram_host;
	u32 fixed_va;	  /* one page mapped in every root, never zapped (the trampoline) */
	paddr_t fixed_pa; /* its host page */
	u64 fixed_attrs;  /* its LPAE leaf attributes */
	u32 flood_writes; /* a table written this often with no fill through it, or found with
			   * this many descriptors changed at a resync, is unshadowed
			   * (spt_guest_wrote, spt_resync); 0: never, at most SPT_FLOOD_MAX */
	paddr_t (*alloc)(u32 bytes);
};

/* The shape of a guest walk: for each level it may read, outermost first, log2 of the VA
 * span of one entry of its table and of the whole table. */
struct spt_shape {
	u8 desc_bytes; /* 4 (short) or 8 (LPAE) */
	u8 entry_shift[3];
	u8 table_shift[3];
};

/* A kind of guest leaf, as the module's permission model judged one that a walk ended at:
 * its descriptor without the output-address bits and the bits of its high word that
 * translation ignores (key), the shadow attributes for what it grants (attrs), the
 * address bits of its low word (addr_mask; 0: none, the kind is unknown: the key keeps
 * those of the high word clear, so that no leaf above 4 GiB matches), the VA bits below its
 * size, everything it grants (perms, the module's bits) and those ignored bits
 * (hi_ignored: software use, which guests such as Linux set per page). 32 bytes, copied
 * on every fill: no memset or memcpy call. Kept with the fill memo, for the
 * store to shadow, alone, the leaves of the same kind in the same last table
 * (spt_fill_known). The judgement holds while the walk's table descriptors and the
 * translation regime do (spt_key; spt_drop_roots when the regime changes). */
struct spt_leaf_kind {
	u64 key;
	u64 attrs;
	u32 addr_mask;
	u32 va_low;
	u32 perms;
	u32 hi_ignored;
};
_Static_assert(sizeof(struct spt_leaf_kind) == 32, "copied inline");

/* A shadow leaf to install, with the guest descriptors it was derived from. */
struct spt_fill {
	u32 va;
	paddr_t ipa;		       /* guest RAM page it maps */
	u64 attrs;		       /* LPAE leaf attributes granting what the guest grants */
	u32 nsrc;		       /* guest descriptors read, outermost first (0: MMU off) */
	const struct spt_shape *shape; /* of the walk that read them */
	const paddr_t *src;	       /* where each was (guest RAM), nsrc of them */
	struct spt_leaf_kind kind;     /* of the leaf it ended at (nsrc != 0) */
};

/* spt_init: the store, empty, with no guest format yet (spt_set_format; until then
 * spt_write_words takes no descriptor for a fault entry); false if memory for it cannot be
 * allocated. */
bool spt_init(const struct spt_config *c);
/* spt_select: the root of key k, made current; built (evicting the least recently used
 * root if the cache is full) if absent. Returns the hardware TTBR0 value to run it with. */
u64 spt_select(const struct spt_key *k);
/* spt_switch: the cached root of key k made current if there is one (none is built), else
 * the empty root; the hardware TTBR0 value to run it with. */
u64 spt_switch(const struct spt_key *k);
/* spt_current: the current root's index, or SPT_NO_ROOT while the empty root runs. */
u32 spt_current(void);

/* spt_fill: install f in the current root, whose leaf for f->va must be invalid (I6: a
 * valid one would be stale); first, where f read descriptors of frames out of sync that
 * changed since their snapshot, remove what was built from the snapshot's values. May
 * evict other roots, or reset the current one when the pool is exhausted. */
void spt_fill(const struct spt_fill *f);
/* spt_fill_known: a miss at va needing the permission bit need, shadowed by the store
 * alone if the memo of the last fill through va's shadow table knows its walk: that fill's
 * table descriptors translate va too and are unchanged (the memo is void once a source
 * goes, and nothing is out of sync), and the guest's descriptor where the walk ends is a
 * leaf of the memo's kind, granting need, mapping guest RAM. False (nothing done)
 * otherwise. */
bool spt_fill_known(u32 va, u32 need);
/* spt_filled_as: is the current root's leaf for va the one spt_fill would install now for
 * a page of ipa with attrs? (For checks.) */
bool spt_filled_as(u32 va, paddr_t ipa, u64 attrs);
/* spt_take_spurious: did a fill since the last call find its leaf already what it would
 * install (a spurious abort: its TLB entry flushed, counted as shadow.spurious)? Clears it.
 * spt_fill_known returns false for one. */
bool spt_take_spurious(void);
/* spt_mapped: the current root's leaf for va, 0 if none. */
u64 spt_mapped(u32 va);
/* spt_translate: the IPA the current root's leaf maps va to; false if none. A leaf holds
 * what the guest's tables said when it was built, which a TLB entry may too (B3.10.1). */
bool spt_translate(u32 va, paddr_t *ipa);
/* spt_caught_write: was a write to va (at PL0 if pl0) refused by write protection alone:
 * the current root's leaf for va grants it (the guest's tables did when it was built) and
 * its frame is a page table in sync? The host address it writes to, the IPA in *ipa; NULL
 * otherwise. */
u8 *spt_caught_write(u32 va, bool pl0, paddr_t *ipa);
/* spt_write_granted: like spt_translate, if the guest's tables granted a write to va (at
 * PL0 if pl0) when the leaf was built, whatever write protection does to it now. */
bool spt_write_granted(u32 va, bool pl0, paddr_t *ipa);

/* Write protection: is the guest frame of ipa a page-table frame (some shadow was built
 * from it) and in sync (its shadow entries read-only)? */
bool spt_frame_protected(paddr_t ipa);
/* spt_lend_pl1_write: the current root's leaf for va, read-only to PL1 and PL0 for an entry
 * that lets PL1 write and PL0 only read (no LPAE encoding) and maps ipa (the guest's walk
 * now), made PL1 read/write and PL0 no access, for a PL1 store that cannot be emulated to
 * run as it is: *lent*. False if va has no such leaf (one out of date maps another page),
 * or its frame is a protected page table. */
bool spt_lend_pl1_write(u32 va, paddr_t ipa);
/* spt_take_back: the current root's leaf for va, if lent (PL0 touched it), removed: the next
 * fill gives back the entry's own permissions. False if it was not lent. */
bool spt_take_back(u32 va);
/* spt_guest_wrote: the guest's descriptors at [ipa, ipa+bytes) changed (a caught write,
 * emulated; nothing to do unless its frame is a page table in sync): every shadow entry
 * built from them is removed, or, at the frame's config.flood_writes-th write since a fill
 * last went through it, every shadow built from the frame (it is no page table any more:
 * shadow.unshadowed). True if the changed descriptors translate the fixed page's VA (the
 * guest may now map it). */
bool spt_guest_wrote(paddr_t ipa, u32 bytes);
/* spt_set_format: the guest's translation-table format, for spt_write_words: its
 * descriptor size (4 or 8) and the types that are fault entries at every level (bit t for
 * type t: pt_fault_types). */
void spt_set_format(u32 desc_bytes, u32 fault_types);

/* A store instruction's words, as the module decoded them: n words, one after the other
 * from va, their values in val. */
struct spt_words {
	u32 va;
	u32 n;
	const u32 *val;
};

enum spt_write {
	SPT_WRITE_NO,	 /* not a write that write protection alone refused: nothing done */
	SPT_WRITE_OTHER, /* one, but not all its words in the faulting page: nothing done */
	SPT_WRITE_DONE,	 /* done: the words written, the shadows they change removed */
	SPT_WRITE_FIXED, /* done, and the guest may now map the fixed page's VA */
};

/* spt_write_words: a write at far (at PL0 if pl0) that the hardware refused. If write
 * protection alone refused it (spt_caught_write) and w's words all fall in far's page,
 * the store writes them to guest RAM and removes what was built from the descriptors they
 * change (spt_guest_wrote: nothing, when each descriptor they overwrite was a fault entry
 * of the format spt_set_format gave, since no walk went through it). */
enum spt_write spt_write_words(u32 far, bool pl0, const struct spt_words *w);
/* spt_unsync: lift the write protection of the frame of ipa until the next spt_resync,
 * keeping a snapshot of it; false if no snapshot slot is free (emulate instead). */
bool spt_unsync(paddr_t ipa);
/* spt_resync: bring every out-of-sync frame back: the descriptors that differ from its
 * snapshot have their shadows removed (all of the frame's, and it is no page table any
 * more, from the config.flood_writes-th), and the frame is write-protected again. True if a
 * changed descriptor translates the fixed page's VA. After it no shadow entry is stale (spt.c, I6):
 * this is all that the guest's TLB maintenance asks of the store, whatever entries it names. */
bool spt_resync(void);

/* spt_drop_roots: forget every root (the guest's translation regime itself changed). */
void spt_drop_roots(void);

/* spt_check: verify every invariant of the store (rmap, sources, counts); the name of the
 * first one broken, or NULL. For tests and the hypervisor's integrity check. */
const char *spt_check(void);
/* spt_tables_used: pool pages in use (roots included). */
u32 spt_tables_used(void);

/* Provided by the user of the store. */
void spt_hw_flush_va(u32 va, u32 hw_asid); /* TLBIMVA of one shadow entry */
void spt_hw_flush_asid(u32 hw_asid);	   /* TLBIASID: a root's tables changed or it is reused */
__attribute__((noreturn)) void spt_panic(const char *what);

#define SPT_ASSERT(cond)                                                                           \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			spt_panic("shadow store invariant broken: " #cond);                        \
		}                                                                                  \
	} while (0)

#endif
