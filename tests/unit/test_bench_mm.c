/* The benchmark guest's memory management (bench/kernel/mm.c), run on the host over a fake
 * RAM mapped at the guest's physical address, with system registers and TLB operations
 * recorded (shim/tb/cp15.h): demand paging, fork, copy-on-write, unmap and protect, the
 * maintenance each issues, and that nothing leaks. */
#include "testmem.h"
#include <stdio.h>
#include <sys/mman.h>

#include "kernel.h"
#include "tb/arm.h"
#include "tb/cp15.h"

struct shim_log shim_log;
u32 shim_sctlr;
void (*shim_tlbi_hook)(u32 ev, u64 arg);
struct bootinfo boot;

#define RAM_BASE		0x40000000u
#define RAM_SIZE		(32u * MiB)
#define FSR_TRANSLATION_PAGE_SD 0x007u
#define FSR_PERMISSION_PAGE_SD	0x00fu
#define FSR_TRANSLATION_L3_LD	(FSR_LPAE | 0x07u)
#define FSR_PERMISSION_L3_LD	(FSR_LPAE | 0x0fu)

void kprintf(const char *fmt, ...)
{
	(void)fmt;
}
void kvprintf(const char *fmt, va_list ap)
{
	(void)fmt;
	(void)ap;
}
void kputs(const char *s)
{
	(void)s;
}
void console_use_va(void)
{
}
void kexit(int status)
{
	fail_msg("kexit(%d)", status);
	abort();
}
void kpanic(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fail_msg("kpanic");
	abort();
}
void frames_panic(const char *what, u32 pa) __attribute__((noreturn));
void frames_panic(const char *what, u32 pa)
{
	fail_msg("frames: %s 0x%08x", what, pa);
	abort();
}

static u16 *refs;
static u32 free_at_start;

static u32 count(u32 ev)
{
	u32 n = 0;
	for (u32 i = 0; i < shim_log.n; i++) {
		n += shim_log.ev[i] == ev;
	}
	return n;
}

static int setup(const struct pt_format *fmt)
{
	static bool mapped;
	if (!mapped) {
		void *ram = mmap((void *)(uintptr_t)RAM_BASE, RAM_SIZE, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (ram != (void *)(uintptr_t)RAM_BASE) {
			return -1;
		}
		refs = calloc(RAM_SIZE / FRAME_SIZE, sizeof(u16));
		mapped = true;
	}
	memset((void *)(uintptr_t)RAM_BASE, 0, RAM_SIZE);
	memset(&shim_log, 0, sizeof(shim_log));
	memset(&kstats, 0, sizeof(kstats));
	shim_tlbi_hook = NULL;
	boot.ram_base = RAM_BASE;
	boot.ram_size = RAM_SIZE;
	frames_init(&kframes, RAM_BASE, RAM_SIZE / FRAME_SIZE, refs);
	frames_reserve(&kframes, RAM_BASE, 1 * MiB); /* "the kernel image" */
	boot.user_code_pa = RAM_BASE + 0x10000;	     /* one page of "user code" in it */
	boot.user_code_size = FRAME_SIZE;
	mmcfg.fmt = fmt;
	mmcfg.split = 2;
	mm_init();
	free_at_start = kframes.nfree;
	return 0;
}

static int setup_short(void **state)
{
	(void)state;
	return setup(&pt_short);
}

static int setup_lpae(void **state)
{
	(void)state;
	return setup(&pt_lpae_s1);
}

static u32 fsr_translation(void)
{
	return mmcfg.fmt == &pt_short ? FSR_TRANSLATION_PAGE_SD : FSR_TRANSLATION_L3_LD;
}

static u32 fsr_permission(void)
{
	return mmcfg.fmt == &pt_short ? FSR_PERMISSION_PAGE_SD : FSR_PERMISSION_L3_LD;
}

static void test_init_and_process(void **state)
{
	(void)state;
	assert_true(shim_sctlr & SCTLR_M);
	assert_int_equal(count(EV_TLBIALL), 1); /* before the MMU goes on */
	struct proc *p = proc_create();
	u32 prot;
	assert_int_equal(mm_lookup(p, USER_CODE_VA + 0x10, &prot), boot.user_code_pa + 0x10);
	assert_int_equal(prot, PERM_READ | PERM_EXEC | PERM_USER);
	assert_int_equal(frames_refs(&kframes, boot.user_code_pa), 2); /* image + mapping */
	assert_int_equal(mm_lookup(p, USER_STACK_VA, NULL), 0);	       /* demand paged */
	proc_destroy(p);
	assert_int_equal(kframes.nfree, free_at_start);
	assert_int_equal(count(EV_TLBIASID), 1); /* the ASID is retired before reuse */
}

static void test_demand_paging(void **state)
{
	(void)state;
	struct proc *p = proc_create();
	proc_add_vma(p, USER_DATA_VA, 16 * FRAME_SIZE, PERM_READ | PERM_WRITE, 0, FRAME_SHIFT);
	u32 tlbi_before = count(EV_TLBIMVA);
	assert_true(mm_fault(p, USER_DATA_VA + 0x1234, true, fsr_translation()));
	u32 prot, pa = mm_lookup(p, USER_DATA_VA + 0x1234, &prot);
	assert_int_not_equal(pa, 0);
	assert_int_equal(prot, PERM_READ | PERM_WRITE | PERM_USER);
	assert_int_equal(*(u32 *)(uintptr_t)(pa & ~0xfffu), 0); /* zero filled */
	assert_int_equal(kstats.page_faults, 1);
	assert_int_equal(count(EV_TLBIMVA), tlbi_before); /* invalid -> valid: no TLBI */
	/* Outside every region: a genuine fault. */
	assert_false(mm_fault(p, 0x30000000, false, fsr_translation()));
	assert_int_equal(p->faults_bad, 1);
	/* A write to the (read-only, fixed) code is not resolvable either. */
	assert_false(mm_fault(p, USER_CODE_VA, true, fsr_permission()));
	proc_destroy(p);
	assert_int_equal(kframes.nfree, free_at_start);
}

static u32 watched_pa;
static u32 refs_at_tlbi;

static void watch(u32 ev, u64 arg)
{
	(void)arg;
	if (ev == EV_TLBIMVA && watched_pa != 0) {
		refs_at_tlbi = frames_refs(&kframes, watched_pa);
	}
}

static void test_unmap_frees_after_the_tlbi(void **state)
{
	(void)state;
	struct proc *p = proc_create();
	proc_add_vma(p, USER_DATA_VA, FRAME_SIZE, PERM_READ | PERM_WRITE, 0, FRAME_SHIFT);
	u32 frame = frames_alloc(&kframes);
	mm_map_page(p, USER_DATA_VA, frame, PERM_READ | PERM_WRITE);
	watched_pa = frame;
	shim_tlbi_hook = watch;
	u32 start = shim_log.n;
	mm_unmap_page(p, USER_DATA_VA);
	shim_tlbi_hook = NULL;
	watched_pa = 0;
	assert_int_equal(refs_at_tlbi, 1);		   /* still held at the TLBIMVA */
	assert_int_equal(frames_refs(&kframes, frame), 0); /* freed afterwards */
	/* DSB; TLBIMVA(va | ASID); DSB; ISB */
	assert_int_equal(shim_log.n - start, 4);
	assert_int_equal(shim_log.ev[start], EV_DSB);
	assert_int_equal(shim_log.ev[start + 1], EV_TLBIMVA);
	assert_int_equal(shim_log.arg[start + 1], USER_DATA_VA | p->asid);
	assert_int_equal(shim_log.ev[start + 2], EV_DSB);
	assert_int_equal(shim_log.ev[start + 3], EV_ISB);
	assert_int_equal(mm_lookup(p, USER_DATA_VA, NULL), 0);
	proc_destroy(p);
	assert_int_equal(kframes.nfree, free_at_start);
}

static void test_fork_and_copy_on_write(void **state)
{
	(void)state;
	struct proc *parent = proc_create();
	proc_add_vma(parent, USER_DATA_VA, 4 * FRAME_SIZE, PERM_READ | PERM_WRITE, 0, FRAME_SHIFT);
	for (u32 i = 0; i < 4; i++) {
		assert_true(
		    mm_fault(parent, USER_DATA_VA + i * FRAME_SIZE, true, fsr_translation()));
		*(u32 *)(uintptr_t)mm_lookup(parent, USER_DATA_VA + i * FRAME_SIZE, NULL) = 100 + i;
	}
	u32 asid_flushes = count(EV_TLBIASID);
	struct proc *child = proc_fork(parent);
	assert_int_equal(count(EV_TLBIASID), asid_flushes + 1); /* one for all the parent's */
	assert_int_equal(shim_log.arg[shim_log.n - 3], parent->asid);
	u32 shared = mm_lookup(parent, USER_DATA_VA, NULL), prot;
	assert_int_equal(mm_lookup(child, USER_DATA_VA, &prot), shared);
	assert_int_equal(prot, PERM_READ | PERM_USER);
	mm_lookup(parent, USER_DATA_VA, &prot);
	assert_int_equal(prot, PERM_READ | PERM_USER);
	assert_int_equal(frames_refs(&kframes, shared), 2);

	/* The child writes: it gets a copy (break-before-make on its entry). */
	u32 tlbi = count(EV_TLBIMVA);
	assert_true(mm_fault(child, USER_DATA_VA + 8, true, fsr_permission()));
	u32 copy = mm_lookup(child, USER_DATA_VA, &prot);
	assert_int_not_equal(copy, shared);
	assert_int_equal(prot, PERM_READ | PERM_WRITE | PERM_USER);
	assert_int_equal(*(u32 *)(uintptr_t)copy, 100);
	assert_int_equal(count(EV_TLBIMVA), tlbi + 1);
	assert_int_equal(frames_refs(&kframes, shared), 1);
	assert_int_equal(kstats.cow_faults, 1);

	/* The parent writes the same page: the last sharer takes it back without a copy. */
	u32 free_before = kframes.nfree;
	assert_true(mm_fault(parent, USER_DATA_VA, true, fsr_permission()));
	assert_int_equal(mm_lookup(parent, USER_DATA_VA, &prot), shared);
	assert_int_equal(prot, PERM_READ | PERM_WRITE | PERM_USER);
	assert_int_equal(kframes.nfree, free_before);
	/* A read-only region is not copy-on-write: a write to it is a genuine fault. */
	proc_add_vma(child, 0x20000000 - 2 * MiB, FRAME_SIZE, PERM_READ, 0, FRAME_SHIFT);
	assert_true(mm_fault(child, 0x20000000 - 2 * MiB, false, fsr_translation()));
	assert_false(mm_fault(child, 0x20000000 - 2 * MiB, true, fsr_permission()));

	proc_destroy(child);
	proc_destroy(parent);
	assert_int_equal(kframes.nfree, free_at_start);
}

static void test_protect(void **state)
{
	(void)state;
	struct proc *p = proc_create();
	proc_add_vma(p, USER_DATA_VA, FRAME_SIZE, PERM_READ | PERM_WRITE, 0, FRAME_SHIFT);
	mm_populate(p, USER_DATA_VA, FRAME_SIZE);
	u32 pa = mm_lookup(p, USER_DATA_VA, NULL), prot;
	mm_protect_page(p, USER_DATA_VA, PERM_READ);
	assert_int_equal(mm_lookup(p, USER_DATA_VA, &prot), pa);
	assert_int_equal(prot, PERM_READ | PERM_USER);
	assert_int_equal(shim_log.ev[shim_log.n - 3], EV_TLBIMVA);
	mm_protect_page(p, USER_DATA_VA, PERM_READ | PERM_WRITE);
	mm_lookup(p, USER_DATA_VA, &prot);
	assert_int_equal(prot, PERM_READ | PERM_WRITE | PERM_USER);
	proc_destroy(p);
	assert_int_equal(kframes.nfree, free_at_start);
}

static void test_switch_sequence(void **state)
{
	(void)state;
	struct proc *p = proc_create();
	u32 start = shim_log.n;
	mm_switch(p);
	if (mmcfg.fmt == &pt_short) {
		/* B3.10.4: reserved ASID, ISB, TTBR0, ISB, new ASID, ISB. */
		const u32 want[] = {EV_CONTEXTIDR, EV_ISB, EV_TTBR0, EV_ISB, EV_CONTEXTIDR, EV_ISB};
		assert_int_equal(shim_log.n - start, 6);
		for (u32 i = 0; i < 6; i++) {
			assert_int_equal(shim_log.ev[start + i], want[i]);
		}
		assert_int_equal(shim_log.arg[start], 0);
		assert_int_equal(shim_log.arg[start + 4], p->asid);
	} else {
		/* LPAE: base and ASID in one TTBR0 write. */
		assert_int_equal(shim_log.n - start, 2);
		assert_int_equal(shim_log.ev[start], EV_TTBR0);
		assert_int_equal(shim_log.arg[start], p->regime.root | ((u64)p->asid << 48));
	}
	mm_switch(NULL);
	proc_destroy(p);
}

static void test_large_mappings(void **state)
{
	(void)state;
	u32 shift = mmcfg.fmt == &pt_short ? 20 : 21;
	struct proc *p = proc_create();
	proc_add_vma(p, USER_DATA_VA, 2 * BIT(shift), PERM_READ | PERM_WRITE, 0, shift);
	mm_populate(p, USER_DATA_VA, 2 * BIT(shift));
	u32 a = mm_lookup(p, USER_DATA_VA, NULL),
	    b = mm_lookup(p, USER_DATA_VA + BIT(shift) - 4, NULL);
	assert_int_equal(b - a, BIT(shift) - 4); /* one contiguous section */
	assert_int_equal(a & (BIT(shift) - 1), 0);
	assert_int_equal(kstats.page_faults, 2);
	proc_destroy(p);
	assert_int_equal(kframes.nfree, free_at_start);
}

#define FOR_BOTH(t) cmocka_unit_test_setup(t, setup_short), cmocka_unit_test_setup(t, setup_lpae)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    FOR_BOTH(test_init_and_process),
	    FOR_BOTH(test_demand_paging),
	    FOR_BOTH(test_unmap_frees_after_the_tlbi),
	    FOR_BOTH(test_fork_and_copy_on_write),
	    FOR_BOTH(test_protect),
	    FOR_BOTH(test_switch_sequence),
	    FOR_BOTH(test_large_mappings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
