/* Protection <-> descriptor attributes for the short-descriptor and LPAE stage-1 formats. */
#include "prot.h"
#include "tb/lpae.h"
#include "tb/short_desc.h"

/* Short-descriptor access permissions with SCTLR.AFE = 0 (B3.7.1, table B3-8), as APX:AP. */
#define SD_AP_PL1_RW  0x1u /* 0:01 */
#define SD_AP_USER_RO 0x2u /* 0:10: PL1 RW, PL0 RO */
#define SD_AP_USER_RW 0x3u /* 0:11 */
#define SD_AP_PL1_RO  0x5u /* 1:01 */
#define SD_AP_ALL_RO  0x7u /* 1:11 */

static u32 sd_ap(u32 prot)
{
	bool w = (prot & PERM_WRITE) != 0;
	if ((prot & PERM_USER) == 0) {
		return w ? SD_AP_PL1_RW : SD_AP_PL1_RO;
	}
	return w ? SD_AP_USER_RW : SD_AP_ALL_RO;
}

static u64 sd_attrs(u32 prot)
{
	u32 ap = sd_ap(prot);
	/* Section layout; the builder moves the bits for small pages. */
	u32 a = ((ap & 3u) << SD_SEC_AP_SHIFT) | ((ap & 4u) ? SD_SEC_APX : 0);
	if (prot & PERM_DEVICE) {
		a |= SD_SEC_B; /* TEX=000 C=0 B=1: shareable device */
	} else {
		a |= (1u << SD_SEC_TEX_SHIFT) | SD_SEC_C | SD_SEC_B; /* normal WB-WA */
	}
	if ((prot & PERM_EXEC) == 0) {
		a |= SD_SEC_XN;
	}
	if (prot & PERM_USER) {
		a |= SD_SEC_NG;
	}
	return a;
}

static u64 lpae_attrs(u32 prot)
{
	bool w = (prot & PERM_WRITE) != 0;
	u64 ap = (prot & PERM_USER) ? (w ? LPAE_AP_RW_ALL : LPAE_AP_RO_ALL)
				    : (w ? LPAE_AP_RW_PL1 : LPAE_AP_RO_PL1);
	u64 a = (ap << LPAE_AP_SHIFT) | LPAE_AF;
	if (prot & PERM_DEVICE) {
		a |= (u64)MAIR_IDX_DEVICE << LPAE_ATTRINDX_SHIFT;
	} else {
		a |= ((u64)MAIR_IDX_NORMAL << LPAE_ATTRINDX_SHIFT) |
		     ((u64)LPAE_SH_INNER << LPAE_SH_SHIFT);
	}
	if ((prot & PERM_EXEC) == 0) {
		a |= LPAE_XN;
	}
	if (prot & PERM_USER) {
		a |= LPAE_NG | LPAE_PXN; /* the kernel never executes user memory */
	}
	return a;
}

u64 prot_attrs(const struct pt_format *fmt, u32 prot)
{
	return fmt == &pt_short ? sd_attrs(prot) : lpae_attrs(prot);
}

/* sd_prot: decode a short leaf (section at li 0, small page at li 1). */
static u32 sd_prot(u64 desc, unsigned li)
{
	u32 d = (u32)desc;
	u32 ap, prot = PERM_READ;
	bool xn, device;
	if (li == 0) {
		ap = (u32)BITS(d, 11, 10) | ((d & SD_SEC_APX) ? 4u : 0u);
		xn = (d & SD_SEC_XN) != 0;
		device = (d & SD_SEC_C) == 0;
	} else {
		ap = (u32)BITS(d, 5, 4) | ((d & SD_PG_APX) ? 4u : 0u);
		xn = (d & SD_L2_SMALL_XN) != 0;
		device = (d & SD_PG_C) == 0;
	}
	if (ap == SD_AP_USER_RW || ap == SD_AP_USER_RO || ap == SD_AP_ALL_RO) {
		prot |= PERM_USER;
	}
	if (ap == SD_AP_PL1_RW || ap == SD_AP_USER_RW) {
		prot |= PERM_WRITE;
	}
	prot |= xn ? 0 : PERM_EXEC;
	prot |= device ? PERM_DEVICE : 0;
	return prot;
}

u32 prot_of_leaf(const struct pt_format *fmt, u64 desc, unsigned li)
{
	if (fmt == &pt_short) {
		return sd_prot(desc, li);
	}
	u32 ap = (u32)BITS(desc, 7, 6);
	u32 prot = PERM_READ;
	prot |= (ap == LPAE_AP_RW_ALL || ap == LPAE_AP_RO_ALL) ? PERM_USER : 0;
	prot |= (ap == LPAE_AP_RW_PL1 || ap == LPAE_AP_RW_ALL) ? PERM_WRITE : 0;
	prot |= (desc & LPAE_XN) ? 0 : PERM_EXEC;
	prot |= BITS(desc, 4, 2) == MAIR_IDX_DEVICE ? PERM_DEVICE : 0;
	return prot;
}
