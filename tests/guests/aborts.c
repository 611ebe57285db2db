/* Loads, stores and instruction fetches at addresses outside RAM (unassigned on QEMU virt):
 * each must raise the guest's own data or prefetch abort with the FSR/FAR/LR/SPSR that the
 * architecture and QEMU give natively. */
#include "rt.h"
#include "tb/arm.h"
#include "tb/cp15.h"

static volatile u32 got_vector, got_fsr, got_far, got_lr, got_spsr, got_mode;

static bool on_abort(u32 vector, struct rt_frame *f)
{
	u32 spsr_abt, saved;
	/* The abort was taken in Abort mode: SPSR_abt holds the interrupted CPSR. */
	__asm__ volatile("mrs %1, cpsr\n cps #0x17\n mrs %0, spsr\n msr cpsr_c, %1"
			 : "=r"(spsr_abt), "=&r"(saved)
			 :
			 : "memory");
	got_vector = vector;
	got_lr = f->pc;
	got_spsr = f->spsr;
	got_mode = spsr_abt == f->spsr ? PSR_MODE_ABT : 0;
	if (vector == VEC_DABT) {
		got_fsr = read_dfsr();
		got_far = read_dfar();
		f->pc -= 4; /* resume after the faulting instruction (LR_abt = insn + 8) */
		return true;
	}
	if (vector == VEC_PABT) {
		got_fsr = read_ifsr();
		got_far = read_ifar();
		f->pc = f->lr_svc; /* return to rt_call_addr's caller */
		return true;
	}
	return false;
}

static void report(const char *what, u32 insn, u32 addr)
{
	rt_printf("%s at 0x%08x: vector 0x%02x, FSR 0x%03x, FAR %s, LR-%u %s, mode %s from %s\n",
		  what, addr, got_vector, got_fsr, got_far == addr ? "ok" : "WRONG",
		  got_vector == VEC_DABT ? 8 : 4,
		  got_lr - (got_vector == VEC_DABT ? 8 : 4) == insn ? "ok" : "WRONG",
		  got_mode == PSR_MODE_ABT ? "abt" : "WRONG",
		  (got_spsr & PSR_MODE_MASK) == PSR_MODE_SVC ? "svc" : "WRONG");
}

static void probe(u32 addr)
{
	u32 insn, val = 0;
	got_vector = 0;
	__asm__ volatile("adr %1, 1f\n1: ldr %0, [%2]"
			 : "+r"(val), "=&r"(insn)
			 : "r"(addr)
			 : "memory");
	report("load ", insn, addr);
	got_vector = 0;
	__asm__ volatile("adr %0, 1f\n1: str %1, [%1]" : "=&r"(insn) : "r"(addr) : "memory");
	report("store", insn, addr);
	got_vector = 0;
	__asm__ volatile("adr %0, 1f\n1: strb %1, [%1, #1]" : "=&r"(insn) : "r"(addr) : "memory");
	report("strb ", insn, addr + 1);
	got_vector = 0;
	rt_call_addr(addr);
	report("fetch", addr, addr);
}

int main(void)
{
	rt_set_handler(on_abort);
	probe(rt_ram_base() + rt_ram_size()); /* just past RAM */
	probe(0xf0000000u);		      /* far above RAM */
	return 0;
}
