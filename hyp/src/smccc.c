/* HVC and trapped SMC: PSCI 1.0 (the subset a single-vCPU guest needs) and the testbed ABI. */
#include "hyp/smccc.h"
#include "hyp/console.h"
#include "hyp/core_counters.h"
#include "hyp/mm.h"
#include "hyp/trap.h"
#include "hyp/vm.h"
#include "tb/arm.h"
#include "tb/hcall.h"
#include "tb/str.h"

/* psci_supported: PSCI_FEATURES answers 0 for these, NOT_SUPPORTED for everything else. */
static bool psci_supported(u32 fid)
{
	return fid == PSCI_VERSION || fid == PSCI_FEATURES || fid == PSCI_SYSTEM_OFF ||
	       fid == PSCI_SYSTEM_RESET;
}

/* counters_out: the guest buffer [ipa, ipa+len) for n entries of size each, aligned to
 * align bytes, or NULL. */
static void *counters_out(u32 ipa, u32 len, u32 n, u32 size, u32 align)
{
	if (len < n * size || (ipa & (align - 1)) != 0) {
		return NULL;
	}
	return vm_ipa_to_host(&hyp_vm, ipa, n * size);
}

/* counters_written: the core wrote n counter records of size bytes at guest ipa: the
 * memory module learns of it (mm_module.guest_wrote). */
static void counters_written(u32 ipa, u32 n, u32 size)
{
	if (hyp_vm.mm->guest_wrote != NULL) {
		hyp_vm.mm->guest_wrote(ipa, n * size);
	}
}

static s32 hc_describe(u32 ipa, u32 len)
{
	u32 n = counters_total();
	char *out = counters_out(ipa, len, n, TB_COUNTER_NAME_LEN, 1);
	if (out == NULL) {
		return SMCCC_INVALID_PARAMETER;
	}
	for (u32 i = 0; i < n; i++) {
		memset(out + i * TB_COUNTER_NAME_LEN, 0, TB_COUNTER_NAME_LEN);
		counters_name(i, out + i * TB_COUNTER_NAME_LEN, TB_COUNTER_NAME_LEN);
	}
	counters_written(ipa, n, TB_COUNTER_NAME_LEN);
	return (s32)n;
}

static s32 hc_snapshot(u32 ipa, u32 len)
{
	u32 n = counters_total();
	u64 *out = counters_out(ipa, len, n, sizeof(u64), sizeof(u64));
	if (out == NULL) {
		return SMCCC_INVALID_PARAMETER;
	}
	counters_refresh();
	for (u32 i = 0; i < n; i++) {
		out[i] = counters_value(i);
	}
	counters_written(ipa, n, sizeof(u64));
	return (s32)n;
}

static void psci_call(struct vcpu *v, u32 fid)
{
	u32 *r = v->tf->r;
	switch (fid) {
	case PSCI_VERSION:
		core_count(CORE_psci_version);
		r[0] = PSCI_VERSION_1_0;
		return;
	case PSCI_FEATURES:
		core_count(CORE_psci_features);
		r[0] = psci_supported(r[1]) ? (u32)PSCI_RET_SUCCESS : (u32)PSCI_RET_NOT_SUPPORTED;
		return;
	case PSCI_SYSTEM_OFF:
		core_count(CORE_psci_system_off);
		hyp_printf("[hyp] guest called PSCI SYSTEM_OFF\n");
		hyp_exit(0);
	case PSCI_SYSTEM_RESET:
		core_count(CORE_psci_system_reset);
		hyp_printf("[hyp] guest called PSCI SYSTEM_RESET: rebooting it\n");
		hyp_require_integrity(); /* before the rebuild frees the page pool */
		vm_boot(&hyp_vm, v);
		return;
	default:
		core_count(CORE_psci_unsupported);
		r[0] = (u32)PSCI_RET_NOT_SUPPORTED;
		return;
	}
}

#define HVC_IMM16(hsr) ((hsr)&0xffffu)

void smccc_hvc(struct vcpu *v, u32 hsr)
{
	u32 *r = v->tf->r;
	/* The hot path of the null-hypercall benchmark: nothing but count and answer. */
	if (r[0] == TB_HC_NULL && HVC_IMM16(hsr) == 0) {
		core_count(CORE_hc_null);
		r[0] = 0;
		return;
	}
	smccc_call(v, hsr);
}

void smccc_call(struct vcpu *v, u32 hsr)
{
	u32 *r = v->tf->r;
	u32 fid = r[0];
	if (hsr_ec(hsr) == EC_SMC) {
		vcpu_skip_insn(v, hsr); /* a trapped SMC returns to itself (B1.14.4) */
		if (!trapped_condition_passed(v, hsr)) {
			return; /* it may trap although its condition failed: it does nothing */
		}
	} else if (HVC_IMM16(hsr) != 0) {
		hyp_fatal("HVC #%u: the SMC Calling Convention uses HVC #0 only", HVC_IMM16(hsr));
	}
	switch (fid) {
	case TB_HC_NULL:
		core_count(CORE_hc_null);
		r[0] = 0;
		return;
	case TB_HC_EXIT:
		core_count(CORE_hc_exit);
		hyp_exit((int)r[1]);
	case TB_HC_DESCRIBE:
		core_count(CORE_hc_describe);
		r[0] = (u32)hc_describe(r[1], r[2]);
		return;
	case TB_HC_SNAPSHOT:
		core_count(CORE_hc_snapshot);
		r[0] = (u32)hc_snapshot(r[1], r[2]);
		return;
	case TB_HC_REVISION:
		core_count(CORE_hc_revision);
		r[0] = TB_ABI_MAJOR;
		r[1] = TB_ABI_MINOR;
		return;
	default:
		break;
	}
	if (SMCCC_OWNER(fid) == SMCCC_OWNER_STANDARD && !SMCCC_IS_SMC64(fid)) {
		psci_call(v, fid);
		return;
	}
	core_count(CORE_hc_unknown);
	r[0] = (u32)SMCCC_NOT_SUPPORTED;
}
