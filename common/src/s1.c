/* Stage-1 permission checking and fault reporting for both translation-table formats. */
#include "tb/s1.h"
#include "tb/arm.h"
#include "tb/lpae.h"
#include "tb/short_desc.h"

/* sd_fsr: a short-format FSR: FS[4] at bit 10, FS[3:0] at [3:0], domain at [7:4]. */
static u32 sd_fsr(u32 fs, u32 domain)
{
	return ((fs & 0x10u) << 6) | (fs & 0xfu) | (domain << 4);
}

/* ap_perms: the permissions of a short-descriptor AP[2:0] (B3.7.1, table B3-8, AFE=0; with
 * AFE=1 AP[0] is the access flag and AP[2:1] use the simplified model, table B3-9). */
static u32 sd_ap_perms(u32 ap, bool afe)
{
	if (afe) {
		switch (ap >> 1) {
		case 0:
			return S1_PERM_PL1_R | S1_PERM_PL1_W;
		case 1:
			return S1_PERM_PL1_R | S1_PERM_PL1_W | S1_PERM_PL0_R | S1_PERM_PL0_W;
		case 2:
			return S1_PERM_PL1_R;
		default:
			return S1_PERM_PL1_R | S1_PERM_PL0_R;
		}
	}
	switch (ap) {
	case 1:
		return S1_PERM_PL1_R | S1_PERM_PL1_W;
	case 2:
		return S1_PERM_PL1_R | S1_PERM_PL1_W | S1_PERM_PL0_R;
	case 3:
		return S1_PERM_PL1_R | S1_PERM_PL1_W | S1_PERM_PL0_R | S1_PERM_PL0_W;
	case 5:
		return S1_PERM_PL1_R;
	case 6:
	case 7:
		return S1_PERM_PL1_R | S1_PERM_PL0_R;
	default:
		return 0; /* 0b000 no access, 0b100 reserved */
	}
}

/* lpae_ap_perms: AP[2:1] of the long format (B3.7.1, table B3-9). */
static u32 lpae_ap_perms(u32 ap)
{
	return sd_ap_perms(ap << 1, true);
}

/* allowed: may an access of kind acc at pl0 proceed with perms? */
static bool allowed(u32 perms, enum s1_access acc, bool pl0)
{
	static const u32 need[2][3] = {
	    {S1_PERM_PL1_R, S1_PERM_PL1_W, S1_PERM_PL1_X},
	    {S1_PERM_PL0_R, S1_PERM_PL0_W, S1_PERM_PL0_X},
	};
	return (perms & need[pl0][acc]) != 0;
}

/* exec_perms: execute permission: readable, not XN (nor PXN at PL1), and not writable
 * where SCTLR.WXN / UWXN forbid writable memory to be executable (B3.7.3). */
static u32 exec_perms(u32 perms, bool xn, bool pxn, u32 sctlr)
{
	bool wxn = (sctlr & SCTLR_WXN) != 0;
	bool uwxn = (sctlr & SCTLR_UWXN) != 0;
	if (!xn && !pxn && (perms & S1_PERM_PL1_R) && !(wxn && (perms & S1_PERM_PL1_W)) &&
	    !(uwxn && (perms & S1_PERM_PL0_W))) {
		perms |= S1_PERM_PL1_X;
	}
	if (!xn && (perms & S1_PERM_PL0_R) && !(wxn && (perms & S1_PERM_PL0_W))) {
		perms |= S1_PERM_PL0_X;
	}
	return perms;
}

static enum s1_fault fail(struct s1_result *r, enum s1_fault f, u32 fsr)
{
	r->fault = f;
	r->fsr = fsr;
	return f;
}

static enum s1_fault short_check(const struct s1_state *st, enum s1_access acc, bool pl0,
				 struct s1_result *r)
{
	const struct pt_walk *w = &r->walk;
	bool l1 = w->level == 1;
	u32 d = (u32)w->leaf;
	u32 l1desc = (u32)w->desc[0];
	r->domain = l1 && (d & SD_L1_SUPERSECTION) ? 0 : (u32)BITS(l1desc, 8, 5);
	u32 ap, xn, pxn;
	if (l1) {
		ap = (u32)BITS(d, 11, 10) | ((d & SD_SEC_APX) ? 4u : 0u);
		xn = (d & SD_SEC_XN) != 0;
		pxn = (d & SD_L1_PXN) != 0;
		r->global = (d & SD_SEC_NG) == 0;
	} else if ((d & SD_L1_TYPE_MASK) == SD_L2_LARGE) {
		ap = (u32)BITS(d, 5, 4) | ((d & SD_PG_APX) ? 4u : 0u);
		xn = (d & SD_L2_LARGE_XN) != 0;
		pxn = (l1desc & SD_L1_TABLE_PXN) != 0;
		r->global = (d & SD_PG_NG) == 0;
	} else {
		ap = (u32)BITS(d, 5, 4) | ((d & SD_PG_APX) ? 4u : 0u);
		xn = (d & SD_L2_SMALL_XN) != 0;
		pxn = (l1desc & SD_L1_TABLE_PXN) != 0;
		r->global = (d & SD_PG_NG) == 0;
	}
	bool afe = (st->sctlr & SCTLR_AFE) != 0;
	if (afe && (ap & 1u) == 0) {
		return fail(r, S1_FAULT_ACCESS_FLAG,
			    sd_fsr(l1 ? SD_FS_ACCESS_FLAG_L1 : SD_FS_ACCESS_FLAG_L2, r->domain));
	}
	u32 dom = (st->dacr >> (2 * r->domain)) & 3u;
	if (dom == DACR_NO_ACCESS || dom == 2u) {
		return fail(r, S1_FAULT_DOMAIN,
			    sd_fsr(l1 ? SD_FS_DOMAIN_L1 : SD_FS_DOMAIN_L2, r->domain));
	}
	if (dom == DACR_MANAGER) {
		/* Manager: no permission checks at all, execute-never included (B3.7.3). */
		r->perms = 0x3fu;
		return S1_OK;
	}
	r->perms = exec_perms(sd_ap_perms(ap, afe), xn, pxn, st->sctlr);
	if (!allowed(r->perms, acc, pl0)) {
		return fail(r, S1_FAULT_PERMISSION,
			    sd_fsr(l1 ? SD_FS_PERMISSION_L1 : SD_FS_PERMISSION_L2, r->domain));
	}
	return S1_OK;
}

static enum s1_fault lpae_check(const struct s1_state *st, enum s1_access acc, bool pl0,
				struct s1_result *r)
{
	const struct pt_walk *w = &r->walk;
	u64 d = w->leaf;
	/* Hierarchical attributes of the table descriptors on the way (B3.6.1). */
	u64 aptable = 0;
	bool xntable = false, pxntable = false;
	for (unsigned i = 0; i + 1 < w->depth; i++) {
		aptable |= BITS(w->desc[i], 62, 61);
		xntable |= (w->desc[i] & LPAE_XNTABLE) != 0;
		pxntable |= (w->desc[i] & LPAE_PXNTABLE) != 0;
	}
	r->global = (d & LPAE_NG) == 0;
	if ((d & LPAE_AF) == 0) {
		return fail(r, S1_FAULT_ACCESS_FLAG, FSR_LPAE | FSC_ACCESS_FLAG | w->level);
	}
	u32 ap = (u32)BITS(d, 7, 6);
	/* APTable[0] set: no PL0 access below; APTable[1] set: no write below. */
	if (aptable & 1u) {
		ap &= ~1u;
	}
	if (aptable & 2u) {
		ap |= 2u;
	}
	r->perms = exec_perms(lpae_ap_perms(ap), (d & LPAE_XN) || xntable,
			      (d & LPAE_PXN) || pxntable, st->sctlr);
	if (!allowed(r->perms, acc, pl0)) {
		return fail(r, S1_FAULT_PERMISSION, FSR_LPAE | FSC_PERMISSION | w->level);
	}
	return S1_OK;
}

enum s1_fault s1_translate(const struct s1_state *st, const struct pt_mem *m, u32 va,
			   enum s1_access acc, bool pl0, struct s1_result *r)
{
	struct pt_regime *reg = &r->regime;
	bool lpae = (st->ttbcr & TTBCR_EAE) != 0;
	r->fault = S1_OK;
	r->fsr = 0;
	r->domain = 0;
	r->global = true;
	r->walk.depth = 0;
	if ((st->sctlr & SCTLR_M) == 0) {
		r->out = va;
		r->level = 0;
		r->size_shift = 12;
		r->perms = 0x3fu;
		return S1_OK;
	}
	if (!pt_guest_regime(st->ttbcr, st->ttbr0, st->ttbr1, va, reg)) {
		/* No walk: va in neither TTBR's range (B3.6.4), or walks disabled by TTBCR. */
		r->level = 1;
		return fail(r, S1_FAULT_TRANSLATION,
			    lpae ? FSR_LPAE | FSC_TRANSLATION | 1u
				 : sd_fsr(SD_FS_TRANSLATION_L1, 0));
	}
	enum pt_status s = pt_walk(reg, m, pt_guest_ia(reg, va), &r->walk);
	r->level = r->walk.level;
	if (s != PT_OK && !lpae && r->level == 2) {
		/* A fault below a level-1 table entry is in that entry's domain. */
		r->domain = (u32)BITS(r->walk.desc[0], 8, 5);
	}
	if (s == PT_FAULT_BUS) {
		return fail(r, S1_FAULT_WALK_EXTERNAL,
			    lpae ? FSR_LPAE | FSC_SYNC_EXT_PTW | r->level
				 : sd_fsr(r->level == 1 ? SD_FS_WALK_EXT_L1 : SD_FS_WALK_EXT_L2,
					  r->domain));
	}
	if (s != PT_OK) {
		return fail(
		    r, S1_FAULT_TRANSLATION,
		    lpae ? FSR_LPAE | FSC_TRANSLATION | r->level
			 : sd_fsr(r->level == 1 ? SD_FS_TRANSLATION_L1 : SD_FS_TRANSLATION_L2,
				  r->domain));
	}
	r->out = r->walk.out;
	r->size_shift = r->walk.size_shift;
	return lpae ? lpae_check(st, acc, pl0, r) : short_check(st, acc, pl0, r);
}
