/* Human-readable decoding of the HSR (B3.13.6) and of fault status codes (B3.13.5). */
#include "hyp/syndrome.h"
#include "tb/arm.h"
#include "tb/fmt.h"

const char *hsr_ec_name(u32 ec)
{
	switch (ec) {
	case EC_UNKNOWN:
		return "UNKNOWN";
	case EC_WFI_WFE:
		return "WFI_WFE";
	case EC_CP15_32:
		return "CP15_MCR_MRC";
	case EC_CP15_64:
		return "CP15_MCRR_MRRC";
	case EC_CP14_32:
		return "CP14_MCR_MRC";
	case EC_CP14_LS:
		return "CP14_LDC_STC";
	case EC_HCPTR:
		return "HCPTR_ACCESS";
	case EC_CP10_ID:
		return "CP10_VMRS";
	case EC_JAZELLE:
		return "JAZELLE";
	case EC_BXJ:
		return "BXJ";
	case EC_CP14_64:
		return "CP14_MRRC";
	case EC_SVC_HYP:
		return "SVC_HYP";
	case EC_HVC:
		return "HVC";
	case EC_SMC:
		return "SMC";
	case EC_PABT_LOW:
		return "PABT_LOW";
	case EC_PABT_HYP:
		return "PABT_HYP";
	case EC_PC_ALIGN:
		return "PC_ALIGN";
	case EC_DABT_LOW:
		return "DABT_LOW";
	case EC_DABT_HYP:
		return "DABT_HYP";
	default:
		return "RESERVED";
	}
}

const char *fsc_name(u32 fsc)
{
	switch (fsc & FSC_TYPE_MASK) {
	case FSC_TRANSLATION:
		return "translation fault";
	case FSC_ACCESS_FLAG:
		return "access flag fault";
	case FSC_PERMISSION:
		return "permission fault";
	case FSC_SYNC_EXT:
		return fsc == FSC_SYNC_EXT ? "synchronous external abort" : "reserved";
	case FSC_SYNC_EXT_PTW:
		return "synchronous external abort on table walk";
	default:
		break;
	}
	switch (fsc) {
	case FSC_ALIGNMENT:
		return "alignment fault";
	case FSC_DEBUG:
		return "debug event";
	case FSC_ASYNC_EXT:
		return "asynchronous external abort";
	case FSC_SYNC_PARITY:
		return "synchronous parity error";
	default:
		return "reserved";
	}
}

/* fsc_level: the lookup level of a level-qualified fault status code. */
static u32 fsc_level(u32 fsc)
{
	return fsc & 3;
}

void hsr_describe(u32 hsr, char *buf, size_t len)
{
	u32 ec = hsr_ec(hsr);
	u32 iss = hsr & HSR_ISS_MASK;
	int n = tb_snprintf(buf, len, "HSR=0x%08x EC=0x%02x (%s) IL=%u", hsr, ec, hsr_ec_name(ec),
			    (hsr & HSR_IL) ? 32 : 16);
	size_t used = (size_t)n < len ? (size_t)n : len;
	char *p = buf + used;
	size_t room = len - used;
	switch (ec) {
	case EC_DABT_LOW:
	case EC_DABT_HYP:
	case EC_PABT_LOW:
	case EC_PABT_HYP: {
		u32 fsc = iss & ISS_FSC_MASK;
		bool lvl = (fsc & FSC_TYPE_MASK) <= FSC_PERMISSION ||
			   (fsc & FSC_TYPE_MASK) == FSC_SYNC_EXT_PTW;
		if (ec == EC_DABT_LOW || ec == EC_DABT_HYP) {
			if (iss & ISS_DA_ISV) {
				static const char *const sas[4] = {"byte", "halfword", "word", "?"};
				n = tb_snprintf(p, room, " ISV=1 SAS=%s SSE=%u SRT=r%u",
						sas[BITS(iss, 23, 22)], (iss & ISS_DA_SSE) != 0,
						(u32)BITS(iss, 19, 16));
			} else {
				n = tb_snprintf(p, room, " ISV=0");
			}
			used = (size_t)n < room ? (size_t)n : room;
			p += used;
			room -= used;
			n = tb_snprintf(p, room, " EA=%u CM=%u S1PTW=%u WnR=%u",
					(iss & ISS_DA_EA) != 0, (iss & ISS_DA_CM) != 0,
					(iss & ISS_DA_S1PTW) != 0, (iss & ISS_DA_WNR) != 0);
			used = (size_t)n < room ? (size_t)n : room;
			p += used;
			room -= used;
		}
		if (lvl) {
			tb_snprintf(p, room, " FSC=0x%02x (%s, level %u)", fsc, fsc_name(fsc),
				    fsc_level(fsc));
		} else {
			tb_snprintf(p, room, " FSC=0x%02x (%s)", fsc, fsc_name(fsc));
		}
		break;
	}
	case EC_CP15_32:
	case EC_CP14_32:
		tb_snprintf(p, room, " %s p%u, %u, r%u, c%u, c%u, %u",
			    (iss & ISS_CP_READ) ? "MRC" : "MCR", ec == EC_CP15_32 ? 15 : 14,
			    (u32)BITS(iss, 16, 14), (u32)BITS(iss, 8, 5), (u32)BITS(iss, 13, 10),
			    (u32)BITS(iss, 4, 1), (u32)BITS(iss, 19, 17));
		break;
	case EC_CP15_64:
	case EC_CP14_64:
		tb_snprintf(p, room, " %s p%u, %u, r%u, r%u, c%u",
			    (iss & ISS_CP_READ) ? "MRRC" : "MCRR", ec == EC_CP15_64 ? 15 : 14,
			    (u32)BITS(iss, 19, 16), (u32)BITS(iss, 8, 5), (u32)BITS(iss, 13, 10),
			    (u32)BITS(iss, 4, 1));
		break;
	case EC_HVC:
	case EC_SMC:
	case EC_SVC_HYP:
		tb_snprintf(p, room, " imm16=0x%04x", (u32)BITS(iss, 15, 0));
		break;
	case EC_WFI_WFE:
		tb_snprintf(p, room, " %s", (iss & 1) ? "WFE" : "WFI");
		break;
	default:
		tb_snprintf(p, room, " ISS=0x%07x", iss);
		break;
	}
}

/* thumb_it_advance: the CPSR after one Thumb instruction of an IT block completed (A2.5.2,
 * ITAdvance): IT[7:0] is CPSR[15:10]:CPSR[26:25]. */
u32 thumb_it_advance(u32 cpsr)
{
	u32 it = (u32)(BITS(cpsr, 15, 10) << 2) | (u32)BITS(cpsr, 26, 25);
	if ((it & 7u) == 0) {
		it = 0;
	} else {
		it = (it & 0xe0u) | ((it << 1) & 0x1fu);
	}
	cpsr &= ~PSR_IT_MASK;
	return cpsr | ((it >> 2) << 10) | ((it & 3u) << 25);
}

bool cond_flags_pass(u32 cond, u32 cpsr)
{
	bool n = (cpsr >> 31) & 1, z = (cpsr >> 30) & 1, c = (cpsr >> 29) & 1,
	     vf = (cpsr >> 28) & 1;
	bool pass;
	switch (cond >> 1) { /* A8.3, ConditionPassed */
	case 0:
		pass = z;
		break;
	case 1:
		pass = c;
		break;
	case 2:
		pass = n;
		break;
	case 3:
		pass = vf;
		break;
	case 4:
		pass = c && !z;
		break;
	case 5:
		pass = n == vf;
		break;
	case 6:
		pass = n == vf && !z;
		break;
	default:
		pass = true;
		break;
	}
	return (cond & 1u) != 0 && cond != 0xfu ? !pass : pass;
}
