/* The guest's vCPU state: reset, register access by trapped mode, capture and dump. */
#include "hyp/vcpu.h"
#include "hyp/console.h"
#include "hyp/mm.h"
#include "tb/arm.h"
#include "tb/cp15.h"
#include "tb/str.h"

/* Reset values of the PL1 registers whose reset value is not 0, read once at boot before
 * the guest can change them (QEMU's cortex-a15 values). */
static u32 reset_sctlr, reset_prrr, reset_nmrr, reset_actlr;
static bool reset_values_known;

static void learn_reset_values(void)
{
	if (!reset_values_known) {
		reset_sctlr = read_sctlr();
		reset_prrr = read_prrr();
		reset_nmrr = read_nmrr();
		reset_actlr = read_actlr();
		reset_values_known = true;
	}
}

/* load_banked: write every banked register of v into the hardware. */
static void load_banked(const struct vcpu_banked *b)
{
	WRITE_BANKED(SP_usr, b->sp_usr);
	WRITE_BANKED(SP_svc, b->sp_svc);
	WRITE_BANKED(LR_svc, b->lr_svc);
	WRITE_BANKED(SPSR_svc, b->spsr_svc);
	WRITE_BANKED(SP_abt, b->sp_abt);
	WRITE_BANKED(LR_abt, b->lr_abt);
	WRITE_BANKED(SPSR_abt, b->spsr_abt);
	WRITE_BANKED(SP_und, b->sp_und);
	WRITE_BANKED(LR_und, b->lr_und);
	WRITE_BANKED(SPSR_und, b->spsr_und);
	WRITE_BANKED(SP_irq, b->sp_irq);
	WRITE_BANKED(LR_irq, b->lr_irq);
	WRITE_BANKED(SPSR_irq, b->spsr_irq);
	WRITE_BANKED(r8_fiq, b->r8_fiq);
	WRITE_BANKED(r9_fiq, b->r9_fiq);
	WRITE_BANKED(r10_fiq, b->r10_fiq);
	WRITE_BANKED(r11_fiq, b->r11_fiq);
	WRITE_BANKED(r12_fiq, b->r12_fiq);
	WRITE_BANKED(SP_fiq, b->sp_fiq);
	WRITE_BANKED(LR_fiq, b->lr_fiq);
	WRITE_BANKED(SPSR_fiq, b->spsr_fiq);
}

/* load_sysregs: write the guest's PL1 system registers into the hardware. */
static void load_sysregs(const struct vcpu_sysregs *s)
{
	write_sctlr(s->sctlr);
	write_actlr(s->actlr);
	write_cpacr(s->cpacr);
	write_ttbcr(s->ttbcr);
	write_ttbr0_64(s->ttbr0);
	write_ttbr1_64(s->ttbr1);
	write_dacr(s->dacr);
	write_dfsr(s->dfsr);
	write_ifsr(s->ifsr);
	write_adfsr(s->adfsr);
	write_aifsr(s->aifsr);
	write_dfar(s->dfar);
	write_ifar(s->ifar);
	write_prrr(s->prrr);
	write_nmrr(s->nmrr);
	write_amair0(s->amair0);
	write_amair1(s->amair1);
	write_vbar(s->vbar);
	write_contextidr(s->contextidr);
	write_tpidrurw(s->tpidrurw);
	write_tpidruro(s->tpidruro);
	write_tpidrprw(s->tpidrprw);
	write_par64(s->par);
	write_cntkctl(s->cntkctl);
	isb();
}

void vcpu_reset(struct vcpu *v, u32 entry, u32 dtb_ipa)
{
	learn_reset_values();
	memset(&v->banked, 0, sizeof(v->banked));
	memset(&v->sys, 0, sizeof(v->sys));
	v->sys.sctlr = reset_sctlr;
	v->sys.actlr = reset_actlr;
	v->sys.prrr = reset_prrr;
	v->sys.nmrr = reset_nmrr;
	load_banked(&v->banked);
	load_sysregs(&v->sys);
	/* The guest's virtual ID registers read as the real CPU's. */
	write_vpidr(read_midr());
	write_vmpidr(read_mpidr());
	HYP_ASSERT(v->tf != NULL);
	memset(v->tf, 0, sizeof(*v->tf));
	/* Linux ARM boot protocol (Documentation/arm/booting.rst): SVC, IRQ/FIQ masked,
	 * MMU off, r0 = 0, r1 = machine type (~0: "use the DTB"), r2 = DTB address. */
	v->tf->cpsr = PSR_MODE_SVC | PSR_A | PSR_I | PSR_F;
	v->tf->pc = entry;
	v->tf->r[0] = 0;
	v->tf->r[1] = ~0u;
	v->tf->r[2] = dtb_ipa;
}

void vcpu_capture(struct vcpu *v)
{
	struct vcpu_banked *b = &v->banked;
	b->sp_usr = READ_BANKED(SP_usr);
	b->sp_svc = READ_BANKED(SP_svc);
	b->lr_svc = READ_BANKED(LR_svc);
	b->spsr_svc = READ_BANKED(SPSR_svc);
	b->sp_abt = READ_BANKED(SP_abt);
	b->lr_abt = READ_BANKED(LR_abt);
	b->spsr_abt = READ_BANKED(SPSR_abt);
	b->sp_und = READ_BANKED(SP_und);
	b->lr_und = READ_BANKED(LR_und);
	b->spsr_und = READ_BANKED(SPSR_und);
	b->sp_irq = READ_BANKED(SP_irq);
	b->lr_irq = READ_BANKED(LR_irq);
	b->spsr_irq = READ_BANKED(SPSR_irq);
	b->r8_fiq = READ_BANKED(r8_fiq);
	b->r9_fiq = READ_BANKED(r9_fiq);
	b->r10_fiq = READ_BANKED(r10_fiq);
	b->r11_fiq = READ_BANKED(r11_fiq);
	b->r12_fiq = READ_BANKED(r12_fiq);
	b->sp_fiq = READ_BANKED(SP_fiq);
	b->lr_fiq = READ_BANKED(LR_fiq);
	b->spsr_fiq = READ_BANKED(SPSR_fiq);
	struct vcpu_sysregs *s = &v->sys;
	s->sctlr = (u32)vcpu_guest_reg(v, GREG_SCTLR);
	s->actlr = read_actlr();
	s->cpacr = read_cpacr();
	s->ttbr0 = vcpu_guest_reg(v, GREG_TTBR0);
	s->ttbr1 = vcpu_guest_reg(v, GREG_TTBR1);
	s->ttbcr = (u32)vcpu_guest_reg(v, GREG_TTBCR);
	s->dacr = (u32)vcpu_guest_reg(v, GREG_DACR);
	s->dfsr = read_dfsr();
	s->ifsr = read_ifsr();
	s->adfsr = read_adfsr();
	s->aifsr = read_aifsr();
	s->dfar = read_dfar();
	s->ifar = read_ifar();
	s->prrr = read_prrr();
	s->nmrr = read_nmrr();
	s->amair0 = read_amair0();
	s->amair1 = read_amair1();
	s->vbar = (u32)vcpu_guest_reg(v, GREG_VBAR);
	s->contextidr = (u32)vcpu_guest_reg(v, GREG_CONTEXTIDR);
	s->tpidrurw = read_tpidrurw();
	s->tpidruro = read_tpidruro();
	s->tpidrprw = read_tpidrprw();
	s->par = read_par64();
	s->cntkctl = read_cntkctl();
}

/* banked_sp_lr: read SP (n=13) or LR (n=14) of guest mode. */
static u32 banked_sp_lr(const struct vcpu *v, u32 mode, unsigned n)
{
	switch (mode) {
	case PSR_MODE_USR:
	case PSR_MODE_SYS:
		return n == 13 ? READ_BANKED(SP_usr) : v->tf->lr_usr;
	case PSR_MODE_SVC:
		return n == 13 ? READ_BANKED(SP_svc) : READ_BANKED(LR_svc);
	case PSR_MODE_ABT:
		return n == 13 ? READ_BANKED(SP_abt) : READ_BANKED(LR_abt);
	case PSR_MODE_UND:
		return n == 13 ? READ_BANKED(SP_und) : READ_BANKED(LR_und);
	case PSR_MODE_IRQ:
		return n == 13 ? READ_BANKED(SP_irq) : READ_BANKED(LR_irq);
	case PSR_MODE_FIQ:
		return n == 13 ? READ_BANKED(SP_fiq) : READ_BANKED(LR_fiq);
	default:
		hyp_fatal("guest in impossible mode 0x%x", mode);
	}
}

static void set_banked_sp_lr(struct vcpu *v, u32 mode, unsigned n, u32 val)
{
	switch (mode) {
	case PSR_MODE_USR:
	case PSR_MODE_SYS:
		if (n == 13) {
			WRITE_BANKED(SP_usr, val);
		} else {
			v->tf->lr_usr = val;
		}
		break;
	case PSR_MODE_SVC:
		if (n == 13) {
			WRITE_BANKED(SP_svc, val);
		} else {
			WRITE_BANKED(LR_svc, val);
		}
		break;
	case PSR_MODE_ABT:
		if (n == 13) {
			WRITE_BANKED(SP_abt, val);
		} else {
			WRITE_BANKED(LR_abt, val);
		}
		break;
	case PSR_MODE_UND:
		if (n == 13) {
			WRITE_BANKED(SP_und, val);
		} else {
			WRITE_BANKED(LR_und, val);
		}
		break;
	case PSR_MODE_IRQ:
		if (n == 13) {
			WRITE_BANKED(SP_irq, val);
		} else {
			WRITE_BANKED(LR_irq, val);
		}
		break;
	case PSR_MODE_FIQ:
		if (n == 13) {
			WRITE_BANKED(SP_fiq, val);
		} else {
			WRITE_BANKED(LR_fiq, val);
		}
		break;
	default:
		hyp_fatal("guest in impossible mode 0x%x", mode);
	}
}

/* fiq_high_reg: r8-r12 of FIQ mode are banked too. */
static bool fiq_banked(const struct vcpu *v, unsigned n)
{
	return vcpu_mode(v) == PSR_MODE_FIQ && n >= 8 && n <= 12;
}

static u32 read_fiq_reg(unsigned n)
{
	switch (n) {
	case 8:
		return READ_BANKED(r8_fiq);
	case 9:
		return READ_BANKED(r9_fiq);
	case 10:
		return READ_BANKED(r10_fiq);
	case 11:
		return READ_BANKED(r11_fiq);
	default:
		return READ_BANKED(r12_fiq);
	}
}

static void write_fiq_reg(unsigned n, u32 val)
{
	switch (n) {
	case 8:
		WRITE_BANKED(r8_fiq, val);
		break;
	case 9:
		WRITE_BANKED(r9_fiq, val);
		break;
	case 10:
		WRITE_BANKED(r10_fiq, val);
		break;
	case 11:
		WRITE_BANKED(r11_fiq, val);
		break;
	default:
		WRITE_BANKED(r12_fiq, val);
		break;
	}
}

u32 vcpu_reg_banked(const struct vcpu *v, unsigned n)
{
	HYP_ASSERT(n < 16);
	if (n == 15) {
		/* An A32 instruction reads the PC as its own address + 8 (A2.3). */
		return v->tf->pc + 8;
	}
	if (n >= 13) {
		return banked_sp_lr(v, vcpu_mode(v), n);
	}
	if (fiq_banked(v, n)) {
		return read_fiq_reg(n);
	}
	return v->tf->r[n];
}

void vcpu_set_reg_banked(struct vcpu *v, unsigned n, u32 val)
{
	HYP_ASSERT(n < 15);
	if (n >= 13) {
		set_banked_sp_lr(v, vcpu_mode(v), n, val);
	} else if (fiq_banked(v, n)) {
		write_fiq_reg(n, val);
	} else {
		v->tf->r[n] = val;
	}
}

u64 vcpu_guest_reg(struct vcpu *v, enum guest_reg reg)
{
	u64 val;
	if (hyp_vm.mm->guest_reg != NULL && hyp_vm.mm->guest_reg(v, reg, &val)) {
		return val;
	}
	switch (reg) {
	case GREG_SCTLR:
		return read_sctlr();
	case GREG_TTBCR:
		return read_ttbcr();
	case GREG_TTBR0:
		return read_ttbr0_64();
	case GREG_TTBR1:
		return read_ttbr1_64();
	case GREG_DACR:
		return read_dacr();
	case GREG_VBAR:
		return read_vbar();
	case GREG_CONTEXTIDR:
		return read_contextidr();
	}
	hyp_fatal("unknown guest register %d", (int)reg);
}

const char *vcpu_mode_name(u32 mode)
{
	switch (mode) {
	case PSR_MODE_USR:
		return "usr";
	case PSR_MODE_FIQ:
		return "fiq";
	case PSR_MODE_IRQ:
		return "irq";
	case PSR_MODE_SVC:
		return "svc";
	case PSR_MODE_ABT:
		return "abt";
	case PSR_MODE_UND:
		return "und";
	case PSR_MODE_SYS:
		return "sys";
	case PSR_MODE_HYP:
		return "hyp";
	default:
		return "???";
	}
}

void vcpu_dump(struct vcpu *v)
{
	const struct trap_frame *tf = v->tf;
	vcpu_capture(v);
	hyp_printf("[hyp]   guest pc=0x%08x cpsr=0x%08x mode=%s%s\n", tf->pc, tf->cpsr,
		   vcpu_mode_name(tf->cpsr & PSR_MODE_MASK), (tf->cpsr & PSR_T) ? " (Thumb)" : "");
	for (unsigned i = 0; i < 13; i += 4) {
		hyp_printf("[hyp]  ");
		for (unsigned j = i; j < i + 4 && j < 13; j++) {
			hyp_printf(" r%-2u=0x%08x", j, tf->r[j]);
		}
		hyp_printf("\n");
	}
	const struct vcpu_banked *b = &v->banked;
	hyp_printf("[hyp]   usr: sp=0x%08x lr=0x%08x\n", b->sp_usr, tf->lr_usr);
	hyp_printf("[hyp]   svc: sp=0x%08x lr=0x%08x spsr=0x%08x\n", b->sp_svc, b->lr_svc,
		   b->spsr_svc);
	hyp_printf("[hyp]   abt: sp=0x%08x lr=0x%08x spsr=0x%08x\n", b->sp_abt, b->lr_abt,
		   b->spsr_abt);
	hyp_printf("[hyp]   und: sp=0x%08x lr=0x%08x spsr=0x%08x\n", b->sp_und, b->lr_und,
		   b->spsr_und);
	hyp_printf("[hyp]   irq: sp=0x%08x lr=0x%08x spsr=0x%08x\n", b->sp_irq, b->lr_irq,
		   b->spsr_irq);
	hyp_printf("[hyp]   fiq: sp=0x%08x lr=0x%08x spsr=0x%08x r8-r12=%08x %08x %08x %08x %08x\n",
		   b->sp_fiq, b->lr_fiq, b->spsr_fiq, b->r8_fiq, b->r9_fiq, b->r10_fiq, b->r11_fiq,
		   b->r12_fiq);
	const struct vcpu_sysregs *s = &v->sys;
	hyp_printf("[hyp]   sctlr=0x%08x ttbcr=0x%08x ttbr0=0x%llx ttbr1=0x%llx dacr=0x%08x\n",
		   s->sctlr, s->ttbcr, (unsigned long long)s->ttbr0, (unsigned long long)s->ttbr1,
		   s->dacr);
	hyp_printf("[hyp]   vbar=0x%08x contextidr=0x%08x dfsr=0x%08x dfar=0x%08x ifsr=0x%08x "
		   "ifar=0x%08x\n",
		   s->vbar, s->contextidr, s->dfsr, s->dfar, s->ifsr, s->ifar);
}
