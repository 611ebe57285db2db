/* Stage-1 permission checking and fault reporting for both translation-table formats. */
#include "tb/s1.h"
#include "tb/arm.h"
#include "tb/lpae.h"
#include "tb/short_desc.h"

/* Permission sets of the S1_PERM_* layout: read, write and execute of PL1 in bits [2:0] and of
 * PL0 in bits [5:3]. */
#define PERM_PL1_RW (S1_PERM_PL1_R | S1_PERM_PL1_W)
#define PERM_ALL_RW (PERM_PL1_RW | S1_PERM_PL0_R | S1_PERM_PL0_W)
#define PERM_ALL_R  (S1_PERM_PL1_R | S1_PERM_PL0_R)
#define PERM_R	    (S1_PERM_PL1_R | S1_PERM_PL0_R)
#define PERM_W	    (S1_PERM_PL1_W | S1_PERM_PL0_W)
#define PERM_X	    (S1_PERM_PL1_X | S1_PERM_PL0_X)
#define PERM_ALL    (PERM_R | PERM_W | PERM_X)
/* Distances between the bits of one set: a read or write bit to the execute bit of its
 * privilege level, and PL0 write to PL1 execute. */
#define R_TO_X_SHIFT	     2
#define W_TO_X_SHIFT	     1
#define PL0_W_TO_PL1_X_SHIFT 2
_Static_assert((PERM_R << R_TO_X_SHIFT) == PERM_X && (PERM_W << W_TO_X_SHIFT) == PERM_X &&
		   (S1_PERM_PL0_W >> PL0_W_TO_PL1_X_SHIFT) == S1_PERM_PL1_X,
	       "S1_PERM_* layout");

/* LPAE AP[2:1] (descriptor bits [7:6]) and APTable (table descriptor bits [62:61]) share their
 * layout: bit 1 forbids writes, bit 0 grants (AP) or, in APTable, removes PL0 access. */
#define LPAE_AP_RO	    2u
#define LPAE_AP_PL0	    1u
#define LPAE_APTABLE_HI	    (LPAE_APTABLE_SHIFT - 32)
#define SD_AP_APX	    4u /* AP[2] in the three-bit AP value */
#define SD_DOMAIN_MASK	    0xfu
#define SD_FSR_FS4	    BIT(10) /* FS[4] of a short-format FSR */
#define SD_FSR_FS_LOW	    0xfu
#define SD_FSR_FS4_SHIFT    6 /* FS[4] of a status code moved to FSR bit 10 */
#define SD_FSR_DOMAIN_SHIFT 4

/* sd_fsr: a short-format FSR: FS[4] at bit 10, FS[3:0] at [3:0], domain at [7:4]. */
static u32 sd_fsr(u32 fs, u32 domain)
{
	return ((fs << SD_FSR_FS4_SHIFT) & SD_FSR_FS4) | (fs & SD_FSR_FS_LOW) |
	       (domain << SD_FSR_DOMAIN_SHIFT);
}

/* Data permissions of a short-descriptor AP[2:0] (B3.7.1): table B3-8 with SCTLR.AFE = 0
 * (0b000 no access, 0b100 reserved); with AFE = 1, AP[0] is the access flag and AP[2:1]
 * use the simplified model of table B3-9, as the long format's AP[2:1] always do. */
static const u8 ap_perms[2][8] = {
    {0, PERM_PL1_RW, PERM_PL1_RW | S1_PERM_PL0_R, PERM_ALL_RW, 0, S1_PERM_PL1_R, PERM_ALL_R,
     PERM_ALL_R},
    {PERM_PL1_RW, PERM_PL1_RW, PERM_ALL_RW, PERM_ALL_RW, S1_PERM_PL1_R, S1_PERM_PL1_R, PERM_ALL_R,
     PERM_ALL_R},
};

/* allowed: may an access of kind acc at pl0 proceed with perms? */
static bool allowed(u32 perms, enum s1_access acc, bool pl0)
{
	return (perms & s1_perm_needed(acc, pl0)) != 0;
}

/* exec_perms: perms with execute permission added where readable, not execute-never (never:
 * the execute bits XN and PXN remove), and not writable where SCTLR.WXN / UWXN forbid
 * writable memory to be executable (B3.7.3). */
static inline u32 exec_perms(u32 perms, u32 never, u32 sctlr)
{
	if ((sctlr & SCTLR_WXN) != 0) {
		never |= (perms & PERM_W) << W_TO_X_SHIFT;
	}
	if ((sctlr & SCTLR_UWXN) != 0) {
		never |= (perms & S1_PERM_PL0_W) >> PL0_W_TO_PL1_X_SHIFT;
	}
	return perms | (((perms & PERM_R) << R_TO_X_SHIFT) & ~never);
}

/* never_mask: the execute bits that execute-never xn and privileged execute-never pxn
 * remove. */
static inline u32 never_mask(bool xn, bool pxn)
{
	return (xn ? PERM_X : 0) | (pxn ? S1_PERM_PL1_X : 0);
}

static enum s1_fault fail(struct s1_result *r, enum s1_fault f, u32 fsr)
{
	r->fault = f;
	r->fsr = fsr;
	return f;
}

/* pass: the access is allowed with perms. */
static enum s1_fault pass(struct s1_result *r, u32 perms)
{
	r->perms = perms;
	r->fault = S1_OK;
	r->fsr = 0;
	return S1_OK;
}

/* check: the permission check of perms for an access of kind acc at pl0 (lpae: the long
 * format's FSR, else the short format's in the entry's domain). */
static enum s1_fault check(struct s1_result *r, u32 perms, enum s1_access acc, bool pl0, bool lpae)
{
	if (allowed(perms, acc, pl0)) {
		return pass(r, perms);
	}
	r->perms = perms;
	return fail(
	    r, S1_FAULT_PERMISSION,
	    lpae ? FSR_LPAE | FSC_PERMISSION | r->level
		 : sd_fsr(r->level == 1 ? SD_FS_PERMISSION_L1 : SD_FS_PERMISSION_L2, r->domain));
}

static enum s1_fault short_check(const struct s1_state *st, enum s1_access acc, bool pl0,
				 struct s1_result *r)
{
	const struct pt_walk *w = &r->walk;
	bool l1 = w->level == 1;
	u32 d = (u32)w->leaf;
	u32 l1desc = (u32)w->desc[0];
	r->domain =
	    l1 && (d & SD_L1_SUPERSECTION) ? 0 : (l1desc >> SD_DOMAIN_SHIFT) & SD_DOMAIN_MASK;
	u32 ap;
	bool xn, pxn;
	if (l1) {
		ap = ((d >> SD_SEC_AP_SHIFT) & 3u) | ((d & SD_SEC_APX) ? SD_AP_APX : 0u);
		xn = (d & SD_SEC_XN) != 0;
		pxn = (d & SD_L1_PXN) != 0;
		r->global = (d & SD_SEC_NG) == 0;
	} else {
		ap = ((d >> SD_PG_AP_SHIFT) & 3u) | ((d & SD_PG_APX) ? SD_AP_APX : 0u);
		bool large = (d & SD_L1_TYPE_MASK) == SD_L2_LARGE;
		xn = (d & (large ? SD_L2_LARGE_XN : SD_L2_SMALL_XN)) != 0;
		pxn = (l1desc & SD_L1_TABLE_PXN) != 0;
		r->global = (d & SD_PG_NG) == 0;
	}
	bool afe = (st->sctlr & SCTLR_AFE) != 0;
	if (afe && (ap & 1u) == 0) {
		return fail(r, S1_FAULT_ACCESS_FLAG,
			    sd_fsr(l1 ? SD_FS_ACCESS_FLAG_L1 : SD_FS_ACCESS_FLAG_L2, r->domain));
	}
	u32 dom = (st->dacr >> (DACR_FIELD_BITS * r->domain)) & 3u;
	if (dom == DACR_NO_ACCESS || dom == 2u) {
		return fail(r, S1_FAULT_DOMAIN,
			    sd_fsr(l1 ? SD_FS_DOMAIN_L1 : SD_FS_DOMAIN_L2, r->domain));
	}
	if (dom == DACR_MANAGER) {
		/* Manager: no permission checks at all, execute-never included (B3.7.3). */
		return pass(r, PERM_ALL);
	}
	u32 perms = exec_perms(ap_perms[afe][ap], never_mask(xn, pxn), st->sctlr);
	return check(r, perms, acc, pl0, false);
}

/* The execute-never bits of a long-format leaf and, moved by XNTABLE_TO_XN_SHIFT onto them,
 * of its table descriptors (B3.6.1): in the upper word, PXN just below XN. */
#define LPAE_XN_HI	    ((u32)(LPAE_XN >> 32))
#define LPAE_PXN_HI	    ((u32)(LPAE_PXN >> 32))
#define LPAE_XN_PAIR_SHIFT  21 /* PXN's bit in the upper word */
#define XNTABLE_TO_XN_SHIFT 6
_Static_assert(LPAE_XN_HI == LPAE_PXN_HI << 1 && BIT(LPAE_XN_PAIR_SHIFT) == LPAE_PXN_HI &&
		   (LPAE_XNTABLE >> XNTABLE_TO_XN_SHIFT) == LPAE_XN &&
		   (LPAE_PXNTABLE >> XNTABLE_TO_XN_SHIFT) == LPAE_PXN,
	       "LPAE execute-never bits");

/* The execute bits removed by an execute-never pair (XN:PXN). */
static const u8 lpae_never[4] = {0, S1_PERM_PL1_X, PERM_X, PERM_X};

static enum s1_fault lpae_check(const struct s1_state *st, enum s1_access acc, bool pl0,
				struct s1_result *r)
{
	const struct pt_walk *w = &r->walk;
	u32 lo = (u32)w->leaf;
	r->domain = 0;
	r->global = (lo & (u32)LPAE_NG) == 0;
	if ((lo & (u32)LPAE_AF) == 0) {
		return fail(r, S1_FAULT_ACCESS_FLAG, FSR_LPAE | FSC_ACCESS_FLAG | w->level);
	}
	u32 hi = (u32)(w->leaf >> 32), tables = (u32)(w->tables >> 32);
	/* APTable[1] set: no write below; APTable[0] set: no PL0 access below (B3.6.1). */
	u32 aptable = (tables >> LPAE_APTABLE_HI) & (LPAE_AP_RO | LPAE_AP_PL0);
	u32 ap = (((lo >> LPAE_AP_SHIFT) & (LPAE_AP_RO | LPAE_AP_PL0)) | aptable) &
		 ~(aptable & LPAE_AP_PL0);
	u32 xn = ((hi | (tables >> XNTABLE_TO_XN_SHIFT)) >> LPAE_XN_PAIR_SHIFT) & 3u;
	/* AP[2:1] index the simplified model (table B3-9) as AP[2:0] with AFE set. */
	u32 perms = exec_perms(ap_perms[1][ap << 1], lpae_never[xn], st->sctlr);
	return check(r, perms, acc, pl0, true);
}

/* walk_fault: the fault of a walk that found no leaf: a table outside memory, or a
 * translation fault (for the short format below a level-1 table entry, in its domain). */
static enum s1_fault walk_fault(struct s1_result *r, bool lpae)
{
	const struct pt_walk *w = &r->walk;
	r->domain =
	    !lpae && w->level == 2 ? ((u32)w->desc[0] >> SD_DOMAIN_SHIFT) & SD_DOMAIN_MASK : 0;
	r->global = true;
	if (w->status == PT_FAULT_BUS) {
		return fail(r, S1_FAULT_WALK_EXTERNAL,
			    lpae ? FSR_LPAE | FSC_SYNC_EXT_PTW | w->level
				 : sd_fsr(w->level == 1 ? SD_FS_WALK_EXT_L1 : SD_FS_WALK_EXT_L2,
					  r->domain));
	}
	return fail(
	    r, S1_FAULT_TRANSLATION,
	    lpae ? FSR_LPAE | FSC_TRANSLATION | w->level
		 : sd_fsr(w->level == 1 ? SD_FS_TRANSLATION_L1 : SD_FS_TRANSLATION_L2, r->domain));
}

/* no_walk: a level-1 translation fault without a walk: va in neither TTBR's range (B3.6.4),
 * or walks disabled by TTBCR. */
static enum s1_fault no_walk(struct s1_result *r, bool lpae)
{
	r->domain = 0;
	r->global = true;
	r->level = 1;
	r->walk.depth = 0;
	return fail(r, S1_FAULT_TRANSLATION,
		    lpae ? FSR_LPAE | FSC_TRANSLATION | 1u : sd_fsr(SD_FS_TRANSLATION_L1, 0));
}

enum s1_fault s1_translate(const struct s1_state *st, const struct pt_mem *m, u32 va,
			   enum s1_access acc, bool pl0, struct s1_result *r)
{
	bool lpae = (st->ttbcr & TTBCR_EAE) != 0;
	if ((st->sctlr & SCTLR_M) == 0) {
		r->out = va;
		r->level = 0;
		r->size_shift = 12;
		r->domain = 0;
		r->global = true;
		r->walk.depth = 0;
		return pass(r, PERM_ALL);
	}
	if (!pt_guest_walk(st->ttbcr, va, st->ttbr0, st->ttbr1, m, &r->regime, &r->walk)) {
		return no_walk(r, lpae);
	}
	r->level = r->walk.level;
	if (r->walk.status != PT_OK) {
		return walk_fault(r, lpae);
	}
	r->out = r->walk.out;
	r->size_shift = r->walk.size_shift;
	return lpae ? lpae_check(st, acc, pl0, r) : short_check(st, acc, pl0, r);
}
