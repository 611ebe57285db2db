/* ARMv7-A architectural constants: processor modes, PSR bits, the HSR (B3.13.6) and the
 * system-register bits this project uses. Pure definitions, usable on the host too. */
#ifndef TB_ARM_H
#define TB_ARM_H

#include "tb/types.h"

/* CPSR/SPSR (B1.3.3). */
#define PSR_MODE_MASK 0x1fu
#define PSR_MODE_USR  0x10u
#define PSR_MODE_FIQ  0x11u
#define PSR_MODE_IRQ  0x12u
#define PSR_MODE_SVC  0x13u
#define PSR_MODE_MON  0x16u
#define PSR_MODE_ABT  0x17u
#define PSR_MODE_HYP  0x1au
#define PSR_MODE_UND  0x1bu
#define PSR_MODE_SYS  0x1fu
#define PSR_T	      BIT(5)
#define PSR_F	      BIT(6)
#define PSR_I	      BIT(7)
#define PSR_A	      BIT(8)
#define PSR_E	      BIT(9)
#define PSR_IT_MASK   0x0600fc00u /* IT[7:2] at [15:10], IT[1:0] at [26:25] */
#define PSR_J	      BIT(24)

/* psr_data_order: the size bytes of register value val as a data access moves them to or
 * from memory under CPSR cpsr: as they are, or byte-reversed when CPSR.E is set (big-endian
 * data, SETEND; A2.4.3). It is its own inverse. */
static inline u32 psr_data_order(u32 val, u32 size, u32 cpsr)
{
	if ((cpsr & PSR_E) == 0 || size == 1) {
		return val;
	}
	return size == 2 ? __builtin_bswap16((u16)val) : __builtin_bswap32(val);
}

/* HSR (B3.13.6): EC[31:26], IL[25], ISS[24:0]. */
#define HSR_EC_SHIFT 26
#define HSR_IL	     BIT(25)
#define HSR_ISS_MASK 0x01ffffffu
static inline u32 hsr_ec(u32 hsr)
{
	return hsr >> HSR_EC_SHIFT;
}

enum hsr_ec {
	EC_UNKNOWN = 0x00,
	EC_WFI_WFE = 0x01,
	EC_CP15_32 = 0x03,
	EC_CP15_64 = 0x04,
	EC_CP14_32 = 0x05,
	EC_CP14_LS = 0x06,
	EC_HCPTR = 0x07,
	EC_CP10_ID = 0x08,
	EC_JAZELLE = 0x09,
	EC_BXJ = 0x0a,
	EC_CP14_64 = 0x0c,
	EC_SVC_HYP = 0x11,
	EC_HVC = 0x12,
	EC_SMC = 0x13,
	EC_PABT_LOW = 0x20,
	EC_PABT_HYP = 0x21,
	EC_PC_ALIGN = 0x22,
	EC_DABT_LOW = 0x24,
	EC_DABT_HYP = 0x25,
	EC_COUNT = 0x40,
};

/* ISS of data aborts (EC 0x24/0x25). */
#define ISS_DA_ISV	 BIT(24)
#define ISS_DA_SAS_SHIFT 22 /* 0 byte, 1 halfword, 2 word */
#define ISS_DA_SSE	 BIT(21)
#define ISS_DA_SRT_SHIFT 16
#define ISS_DA_EA	 BIT(9)
#define ISS_DA_CM	 BIT(8)
#define ISS_DA_S1PTW	 BIT(7)
#define ISS_DA_WNR	 BIT(6)
#define ISS_FSC_MASK	 0x3fu
/* Fault status codes of HSR ISS / long-descriptor FSR (B3.13.5 table B3-23). */
#define FSC_TYPE_MASK	 0x3cu
#define FSC_TRANSLATION	 0x04u /* | level */
#define FSC_ACCESS_FLAG	 0x08u
#define FSC_PERMISSION	 0x0cu
#define FSC_SYNC_EXT	 0x10u
#define FSC_SYNC_EXT_PTW 0x14u /* | level */
#define FSC_ALIGNMENT	 0x21u
#define FSC_DEBUG	 0x22u
#define FSC_ASYNC_EXT	 0x11u
#define FSC_SYNC_PARITY	 0x18u

/* ISS of MCR/MRC traps (EC 0x03/0x05). */
#define ISS_CP_READ BIT(0)
/* Condition fields of trapped instructions (ISS[24:20]). */
#define ISS_CV	       BIT(24)
#define ISS_COND_SHIFT 20
#define ISS_COND_MASK  (0xfu << ISS_COND_SHIFT)
#define COND_AL	       0xeu /* condition field: always (A8.3) */

/* HPFAR holds IPA[39:12] in bits [31:4]. */
#define HPFAR_FIPA_SHIFT     8
#define HPFAR_FIPA_MASK	     0xfffffff0u
#define HPFAR_IPA_HIGH_SHIFT 24 /* HPFAR[31:24] = IPA[39:32] */

/* Fault status in the guest's DFSR/IFSR (B3.13.3). Short-descriptor format:
 * FS[4] at bit 10, FS[3:0] at [3:0]; long-descriptor format: LPAE bit 9, status [5:0]. */
#define FSR_WNR		       BIT(11)
#define FSR_EXT		       BIT(12) /* IMPLEMENTATION DEFINED classification */
#define FSR_CM		       BIT(13)
#define FSR_LPAE	       BIT(9)
#define FSR_SD_FS_LOW	       0x00fu /* FS[3:0] */
#define FSR_SD_FS4	       BIT(10)
#define FSR_SD_DOMAIN_MASK     0x0f0u
#define FSR_LD_STATUS_MASK     0x03fu
#define FSR_SD_ALIGNMENT       0x001u
#define FSR_SD_DEBUG	       0x002u
#define FSR_SD_SYNC_EXT	       0x008u
#define FSR_SD_SYNC_EXT_PTW_L1 0x00cu
#define FSR_SD_SYNC_EXT_PTW_L2 0x00eu
#define FSR_SD_DOMAIN_SHIFT    4
#define FSR_LD_SYNC_EXT	       0x010u

/* HCR (B4.1.65). */
#define HCR_VM	 BIT(0)
#define HCR_SWIO BIT(1)
#define HCR_PTW	 BIT(2)
#define HCR_FMO	 BIT(3)
#define HCR_IMO	 BIT(4)
#define HCR_AMO	 BIT(5)
#define HCR_TWI	 BIT(13)
#define HCR_TWE	 BIT(14)
#define HCR_TID3 BIT(18)
#define HCR_TSC	 BIT(19)
#define HCR_TAC	 BIT(21)
#define HCR_TTLB BIT(25)
#define HCR_TVM	 BIT(26)
#define HCR_TGE	 BIT(27)

/* HSCTLR (B4.1.67), HCPTR (B4.1.64), CNTHCTL (B4.1.26). */
#define HSCTLR_M	 BIT(0)
#define HSCTLR_A	 BIT(1)
#define HSCTLR_C	 BIT(2)
#define HSCTLR_WXN	 BIT(19)
#define HSCTLR_EE	 BIT(25)
#define HSCTLR_TE	 BIT(30)
#define HCPTR_TCP10	 BIT(10)
#define HCPTR_TCP11	 BIT(11)
#define HCPTR_TASE	 BIT(15)
#define HCPTR_TTA	 BIT(20)
#define CNTHCTL_PL1PCTEN BIT(0)
#define CNTHCTL_PL1PCEN	 BIT(1)

/* HDCR (B4.1.63). */
#define HDCR_HPMN_MASK 0x1fu
#define HDCR_TPMCR     BIT(5)
#define HDCR_TPM       BIT(6)
#define HDCR_HPME      BIT(7)

/* VTCR (B4.1.159). */
#define VTCR_T0SZ_SHIFT	 0
#define VTCR_S		 BIT(4)
#define VTCR_SL0_SHIFT	 6
#define VTCR_IRGN0_SHIFT 8
#define VTCR_ORGN0_SHIFT 10
#define VTCR_SH0_SHIFT	 12
#define VTCR_RES1	 BIT(31)
#define RGN_NC		 0u
#define RGN_WBWA	 1u

/* SCTLR (B4.1.130). */
#define SCTLR_M	   BIT(0)
#define SCTLR_A	   BIT(1)
#define SCTLR_C	   BIT(2)
#define SCTLR_Z	   BIT(11)
#define SCTLR_I	   BIT(12)
#define SCTLR_V	   BIT(13)
#define SCTLR_WXN  BIT(19) /* write permission implies execute-never */
#define SCTLR_UWXN BIT(20) /* unprivileged write permission implies PL1 execute-never */
#define SCTLR_EE   BIT(25)
#define SCTLR_TRE  BIT(28) /* TEX remap */
#define SCTLR_AFE  BIT(29) /* access flag enable */
#define SCTLR_TE   BIT(30)

/* TTBCR (B4.1.153): short-descriptor N at [2:0]; the long-descriptor fields. */
#define TTBCR_A1	BIT(22) /* long format: the ASID is TTBR1's */
#define TTBCR_EAE	BIT(31)
#define TTBCR_SD_N_MASK 0x7u
/* Long format: the bits that read as zero whatever is written ([21:19], [15:14], [6:3];
 * bit 30 is IMPLEMENTATION DEFINED, and the Cortex-A15 that QEMU models keeps it). */
#define TTBCR_LD_RAZ	       (0x00380000u | 0x0000c000u | 0x00000078u)
#define LPAE_TTBCR_T0SZ_SHIFT  0
#define LPAE_TTBCR_IRGN0_SHIFT 8
#define LPAE_TTBCR_ORGN0_SHIFT 10
#define LPAE_TTBCR_SH0_SHIFT   12
#define LPAE_TTBCR_T1SZ_SHIFT  16
#define LPAE_TTBCR_IRGN1_SHIFT 24
#define LPAE_TTBCR_ORGN1_SHIFT 26
#define LPAE_TTBCR_SH1_SHIFT   28
/* TTBR0/1 (B4.1.154-155): short-descriptor walk attributes (write-back write-allocate:
 * RGN=01, IRGN=01 with IRGN[0] at bit 6). The long-descriptor ASID field: tb/lpae.h. */
#define SD_TTBR_RGN_WBWA  (1u << 3)
#define SD_TTBR_IRGN_WBWA (1u << 6)

/* PMU event filter (PMXEVTYPER, B4.1.116). */
#define PMEVT_P		   BIT(31) /* do not count at PL1 */
#define PMEVT_U		   BIT(30) /* do not count at PL0 */
#define PMEVT_NSH	   BIT(27) /* count in Hyp mode */
#define PMEVT_INST_RETIRED 0x08u
#define PMCR_E		   BIT(0)

/* Exception vector offsets (B1.8.1). */
#define VEC_UNDEF 0x04u
#define VEC_SVC	  0x08u
#define VEC_PABT  0x0cu
#define VEC_DABT  0x10u
#define VEC_HIGH  0xffff0000u

/* vector_name: what the exception at a vector offset is. */
static inline const char *vector_name(u32 offset)
{
	static const char *const names[8] = {"reset",
					     "undefined instruction",
					     "supervisor call",
					     "prefetch abort",
					     "data abort",
					     "unused vector",
					     "IRQ",
					     "FIQ"};
	return names[(offset / 4) & 7];
}

#endif
