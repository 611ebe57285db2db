/* CP15 system-register accessors for ARMv7-A code running on the target (hypervisor, guests). */
#ifndef TB_CP15_H
#define TB_CP15_H

#include "tb/types.h"

#define CP15_REG32(name, op1, crn, crm, op2)                                                       \
	static inline u32 read_##name(void)                                                        \
	{                                                                                          \
		u32 v;                                                                             \
		__asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2                \
				 : "=r"(v)                                                         \
				 :                                                                 \
				 : "memory");                                                      \
		return v;                                                                          \
	}                                                                                          \
	static inline void write_##name(u32 v)                                                     \
	{                                                                                          \
		__asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 ::"r"(v)       \
				 : "memory");                                                      \
	}

#define CP15_REG64(name, op1, crm)                                                                 \
	static inline u64 read_##name(void)                                                        \
	{                                                                                          \
		u64 v;                                                                             \
		__asm__ volatile("mrrc p15, " #op1 ", %Q0, %R0, " #crm : "=r"(v) : : "memory");    \
		return v;                                                                          \
	}                                                                                          \
	static inline void write_##name(u64 v)                                                     \
	{                                                                                          \
		__asm__ volatile("mcrr p15, " #op1 ", %Q0, %R0, " #crm ::"r"(v) : "memory");       \
	}

/* PL1 registers (B4.1). */
CP15_REG32(midr, 0, c0, c0, 0)
CP15_REG32(mpidr, 0, c0, c0, 5)
CP15_REG32(sctlr, 0, c1, c0, 0)
CP15_REG32(actlr, 0, c1, c0, 1)
CP15_REG32(cpacr, 0, c1, c0, 2)
CP15_REG32(ttbr0, 0, c2, c0, 0)
CP15_REG32(ttbr1, 0, c2, c0, 1)
CP15_REG32(ttbcr, 0, c2, c0, 2)
CP15_REG32(dacr, 0, c3, c0, 0)
CP15_REG32(dfsr, 0, c5, c0, 0)
CP15_REG32(ifsr, 0, c5, c0, 1)
CP15_REG32(adfsr, 0, c5, c1, 0)
CP15_REG32(aifsr, 0, c5, c1, 1)
CP15_REG32(dfar, 0, c6, c0, 0)
CP15_REG32(ifar, 0, c6, c0, 2)
CP15_REG32(prrr, 0, c10, c2, 0) /* also MAIR0 when TTBCR.EAE=1 */
CP15_REG32(nmrr, 0, c10, c2, 1) /* also MAIR1 */
CP15_REG32(amair0, 0, c10, c3, 0)
CP15_REG32(amair1, 0, c10, c3, 1)
CP15_REG32(vbar, 0, c12, c0, 0)
CP15_REG32(isr, 0, c12, c1, 0)
CP15_REG32(contextidr, 0, c13, c0, 1)
CP15_REG32(tpidrurw, 0, c13, c0, 2)
CP15_REG32(tpidruro, 0, c13, c0, 3)
CP15_REG32(tpidrprw, 0, c13, c0, 4)
CP15_REG32(cntfrq, 0, c14, c0, 0)
CP15_REG32(cntkctl, 0, c14, c1, 0)
CP15_REG32(par32, 0, c7, c4, 0)
CP15_REG64(ttbr0_64, 0, c2)
CP15_REG64(ttbr1_64, 1, c2)
CP15_REG64(par64, 0, c7)
/* PAR in its 64-bit format (B4.1.113, after a translation in a long-descriptor regime): F,
 * set for a fault, and PA[39:12]. */
#define PAR_F	    BIT64(0)
#define PAR_PA_MASK (MASK64(40) & ~MASK64(12))
/* Address translation operations (B4.2.4), write-only. */
CP15_REG32(ats1cpr, 0, c7, c8, 0)
CP15_REG32(ats1cpw, 0, c7, c8, 1)

/* ats1cpr_par_kept: PAR[31:0] (64-bit format) that an ATS1CPR of va gives, PAR itself left
 * as it was: in one asm block, so nothing is spilled between (B4.2.4: the result is
 * visible after an ISB). */
static inline u32 ats1cpr_par_kept(u32 va)
{
	u32 lo, hi, at, at_hi;
	__asm__ volatile("mrrc p15, 0, %0, %1, c7\n\t"
			 "mcr p15, 0, %4, c7, c8, 0\n\t"
			 "isb\n\t"
			 "mrrc p15, 0, %2, %3, c7\n\t"
			 "mcrr p15, 0, %0, %1, c7"
			 : "=&r"(lo), "=&r"(hi), "=&r"(at), "=&r"(at_hi)
			 : "r"(va)
			 : "memory");
	return at;
}
/* ATS1C_PAR_KEPT(opc2, va): PAR[31:0] that the stage-1 address translation operation
 * c7, c8, opc2 (0 ATS1CPR, 1 ATS1CPW, 2 ATS1CUR, 3 ATS1CUW: B4.2.4) gives for va, PAR itself
 * left as it was. */
#define ATS1C_PAR_KEPT(opc2, va)                                                                   \
	({                                                                                         \
		u32 lo_, hi_, at_, at_hi_;                                                         \
		__asm__ volatile("mrrc p15, 0, %0, %1, c7\n\t"                                     \
				 "mcr p15, 0, %4, c7, c8, " #opc2 "\n\t"                           \
				 "isb\n\t"                                                         \
				 "mrrc p15, 0, %2, %3, c7\n\t"                                     \
				 "mcrr p15, 0, %0, %1, c7"                                         \
				 : "=&r"(lo_), "=&r"(hi_), "=&r"(at_), "=&r"(at_hi_)               \
				 : "r"(va)                                                         \
				 : "memory");                                                      \
		at_;                                                                               \
	})

/* ats1c_allows: does the current PL1&0 stage-1 translation let va be read (written if
 * write) at PL1 (PL0 if pl0)? PAR kept. */
static inline bool ats1c_allows(u32 va, bool write, bool pl0)
{
	u32 par = pl0 ? (write ? ATS1C_PAR_KEPT(3, va) : ATS1C_PAR_KEPT(2, va))
		      : (write ? ATS1C_PAR_KEPT(1, va) : ATS1C_PAR_KEPT(0, va));
	return (par & (u32)PAR_F) == 0;
}
/* PMU (B4.1.116-). */
CP15_REG32(pmcr, 0, c9, c12, 0)
CP15_REG32(pmcntenset, 0, c9, c12, 1)
CP15_REG32(pmcntenclr, 0, c9, c12, 2)
CP15_REG32(pmovsr, 0, c9, c12, 3)
CP15_REG32(pmselr, 0, c9, c12, 5)
CP15_REG32(pmccntr, 0, c9, c13, 0)
CP15_REG32(pmxevtyper, 0, c9, c13, 1)
CP15_REG32(pmxevcntr, 0, c9, c13, 2)
CP15_REG32(pmuserenr, 0, c9, c14, 0)
/* Hyp registers (B4.1). */
CP15_REG32(vpidr, 4, c0, c0, 0)
CP15_REG32(vmpidr, 4, c0, c0, 5)
CP15_REG32(hsctlr, 4, c1, c0, 0)
CP15_REG32(hcr, 4, c1, c1, 0)
CP15_REG32(hdcr, 4, c1, c1, 1)
CP15_REG32(hcptr, 4, c1, c1, 2)
CP15_REG32(hstr, 4, c1, c1, 3)
CP15_REG32(vtcr, 4, c2, c1, 2)
CP15_REG32(hsr, 4, c5, c2, 0)
CP15_REG32(hdfar, 4, c6, c0, 0)
CP15_REG32(hifar, 4, c6, c0, 2)
CP15_REG32(hpfar, 4, c6, c0, 4)
CP15_REG32(hvbar, 4, c12, c0, 0)
CP15_REG32(cnthctl, 4, c14, c1, 0)
CP15_REG64(vttbr, 6, c2)
CP15_REG64(cntvoff, 4, c14)

static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}
static inline void dsb(void)
{
	__asm__ volatile("dsb" ::: "memory");
}
/* TLBIALLNSNH: invalidate all non-secure non-Hyp TLB entries, i.e. every guest stage-1 and
 * stage-2 entry of every VMID (B4.2.3). Needed after any stage-2 or HCR.VM change. */
static inline void tlbi_allnsnh(void)
{
	__asm__ volatile("mcr p15, 4, %0, c8, c7, 4" ::"r"(0) : "memory");
}
/* PL1 TLB maintenance of the current core (B4.2.2). */
/* TLBIALL: every entry of the PL1&0 regime (of the current VMID). */
static inline void tlbi_all(void)
{
	__asm__ volatile("mcr p15, 0, %0, c8, c7, 0" ::"r"(0) : "memory");
}
/* TLBIMVA: the entries of one page; mva_asid = VA[31:12] | ASID[7:0]. */
static inline void tlbi_mva(u32 mva_asid)
{
	__asm__ volatile("mcr p15, 0, %0, c8, c7, 1" ::"r"(mva_asid) : "memory");
}
/* TLBIASID: every non-global entry of one ASID. */
static inline void tlbi_asid(u32 asid)
{
	__asm__ volatile("mcr p15, 0, %0, c8, c7, 2" ::"r"(asid) : "memory");
}
/* TLBIMVAA: the entries of one page, for every ASID. */
static inline void tlbi_mvaa(u32 mva)
{
	__asm__ volatile("mcr p15, 0, %0, c8, c7, 3" ::"r"(mva) : "memory");
}

/* CP15_OP / CP15_OP0: a write-only PL1 maintenance operation, with a register operand /
 * with the operand ignored (written as 0). */
#define CP15_OP(name, crn, crm, op2)                                                               \
	static inline void name(u32 v)                                                             \
	{                                                                                          \
		__asm__ volatile("mcr p15, 0, %0, " #crn ", " #crm ", " #op2 ::"r"(v) : "memory"); \
	}
#define CP15_OP0(name, crn, crm, op2)                                                              \
	static inline void name(void)                                                              \
	{                                                                                          \
		__asm__ volatile("mcr p15, 0, %0, " #crn ", " #crm ", " #op2 ::"r"(0) : "memory"); \
	}
/* The Inner Shareable forms of the four (B4.2.2): TLBIALLIS, TLBIMVAIS, TLBIASIDIS,
 * TLBIMVAAIS; on a uniprocessor they do what the local forms do. */
CP15_OP0(tlbi_allis, c8, c3, 0)
CP15_OP(tlbi_mvais, c8, c3, 1)
CP15_OP(tlbi_asidis, c8, c3, 2)
CP15_OP(tlbi_mvaais, c8, c3, 3)
/* Cache and branch-predictor maintenance (B4.2.1): ICIALLU (every instruction cache line,
 * to the point of unification), BPIALL (every branch predictor entry), DCCMVAU (clean the
 * data cache line holding a VA to the point of unification). */
CP15_OP0(icache_inv_all, c7, c5, 0)
CP15_OP0(bp_inv_all, c7, c5, 6)
CP15_OP(dcache_clean_pou, c7, c11, 1)

#endif
