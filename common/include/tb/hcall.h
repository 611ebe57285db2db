/* The hypercall ABI of the testbed (SMC Calling Convention, ARM DEN 0028, SMC32 fast calls),
 * shared by the hypervisor and every guest. Arguments in r1-r3, result in r0.
 *
 *   PSCI (OEN 4, standard secure service)   see PSCI_* below; conduit HVC, or SMC trapped
 *   Testbed (OEN 6, vendor-specific hypervisor service):
 *     TB_HC_NULL          -> r0 = 0. The cheapest round trip; counted by the hypervisor.
 *     TB_HC_EXIT  r1=st   ends the run; the emulator exits with status st & 0xff.
 *     TB_HC_DESCRIBE r1=IPA r2=bytes -> r0 = number of counters n (or error); writes n names,
 *                         TB_COUNTER_NAME_LEN bytes each, NUL-padded, at guest physical r1.
 *     TB_HC_SNAPSHOT r1=IPA r2=bytes -> r0 = n (or error); writes n little-endian u64 counter
 *                         values, in DESCRIBE's order, at guest physical r1.
 *     TB_HC_REVISION      -> r0 = TB_ABI_MAJOR, r1 = TB_ABI_MINOR (SMCCC "revision" query)
 *   Any other function ID answers SMCCC_NOT_SUPPORTED in r0.
 *
 * A guest finds out that it runs under the testbed hypervisor from its DTB: the node
 * /hypervisor with compatible TB_DT_COMPATIBLE (natively, HVC with these IDs is undefined). */
#ifndef TB_HCALL_H
#define TB_HCALL_H

#define SMCCC_NOT_SUPPORTED (-1)
/* Function ID fields: bit 31 fast call, bit 30 SMC64, bits [29:24] the owning service. */
#define SMCCC_OWNER(fid)	(((fid) >> 24) & 0x3fu)
#define SMCCC_IS_SMC64(fid)	(((fid) >> 30) & 1u)
#define SMCCC_OWNER_STANDARD	4u /* PSCI */
#define SMCCC_INVALID_PARAMETER (-3)

#define TB_HC_NULL     0x86000000u
#define TB_HC_EXIT     0x86000001u
#define TB_HC_DESCRIBE 0x86000002u
#define TB_HC_SNAPSHOT 0x86000003u
#define TB_HC_REVISION 0x8600ff03u

#define TB_ABI_MAJOR 1
#define TB_ABI_MINOR 0

#define TB_COUNTER_NAME_LEN 32

#define TB_DT_COMPATIBLE "testbed,hypervisor"

/* PSCI 1.0 (ARM DEN 0022D), SMC32 function IDs. */
#define PSCI_VERSION	       0x84000000u
#define PSCI_CPU_SUSPEND       0x84000001u
#define PSCI_CPU_OFF	       0x84000002u
#define PSCI_CPU_ON	       0x84000003u
#define PSCI_SYSTEM_OFF	       0x84000008u
#define PSCI_SYSTEM_RESET      0x84000009u
#define PSCI_FEATURES	       0x8400000au
#define PSCI_RET_SUCCESS       0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_VERSION_1_0       0x00010000u

#endif
