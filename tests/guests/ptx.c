/* ptx: a randomized stage-1 page-table exerciser. From `seed=<n> fmt=short|lpae steps=<n>`
 * (and `verbose=1` for a log of every operation) it builds its own translation tables, four
 * address spaces with their own ASIDs over a TTBR0/TTBR1 split, and runs a long random
 * sequence of table changes, TLB maintenance, address-space switches and accesses at PL1
 * and PL0, printing every access's outcome and a final checksum. Everything it prints is
 * determined by the architecture: it never touches a page a TLB may hold a stale entry for,
 * and it checks each outcome against the stage-1 model, stopping with status 1 at the first
 * difference. Its parts are in tests/guests/ptx/ (ptx.h); docs/testing.md describes it. */
#include "ptx/ptx.h"
#include "tb/fmt.h"
#include "tb/str.h"

#define DEFAULT_SEED  1u
#define DEFAULT_STEPS 1000u
#define MAX_STEPS     1000000u
#define SPLITMIX_INC  0x9e3779b9u

struct ptx_state ptx;
static u32 rng_state;

u32 ptx_mix(u32 x)
{
	x ^= x >> 16;
	x *= 0x7feb352du;
	x ^= x >> 15;
	x *= 0x846ca68bu;
	x ^= x >> 16;
	return x;
}

u32 ptx_rand(void)
{
	rng_state += SPLITMIX_INC;
	return ptx_mix(rng_state);
}

u32 ptx_below(u32 n)
{
	return (u32)(((u64)ptx_rand() * n) >> 32);
}

bool ptx_chance(u32 percent)
{
	return ptx_below(100) < percent;
}

void ptx_sum(u32 v)
{
	ptx.sum = ptx_mix(ptx.sum ^ v) + v;
}

static void out_putc(void *ctx UNUSED, char c)
{
	rt_putc(c);
}

/* vline: the rest of a line, formatted. */
static void vline(const char *fmt, va_list ap)
{
	tb_vformat(out_putc, NULL, fmt, ap);
	rt_printf("\n");
}

void ptx_fail(const char *fmt, ...)
{
	va_list ap;
	rt_printf("ptx: FAIL at step %u: ", ptx.step);
	va_start(ap, fmt);
	vline(fmt, ap);
	va_end(ap);
	rt_exit(1);
}

void ptx_note(const char *fmt, ...)
{
	va_list ap;
	if (ptx.verbose) {
		rt_printf("%u # ", ptx.step);
		va_start(ap, fmt);
		vline(fmt, ap);
		va_end(ap);
	}
}

/* arg_present: does the command line have key=...? */
static bool arg_present(const char *key)
{
	const char *cur = rt_bootargs(), *tok;
	size_t n, klen = strlen(key);
	while ((tok = tb_token(&cur, &n)) != NULL) {
		if (n > klen && strncmp(tok, key, klen) == 0 && tok[klen] == '=') {
			return true;
		}
	}
	return false;
}

/* number_arg: key=<number> into *v (default def); false if present but malformed. */
static bool number_arg(const char *key, u32 def, u32 *v)
{
	*v = def;
	return !arg_present(key) || rt_arg_u32(key, v);
}

/* parse_args: seed, fmt, steps, verbose from the command line; false if malformed. */
static bool parse_args(void)
{
	u32 verbose, forget;
	bool ok = number_arg("seed", DEFAULT_SEED, &ptx.seed) &&
		  number_arg("steps", DEFAULT_STEPS, &ptx.steps) &&
		  number_arg("verbose", 0, &verbose) && number_arg("forget", 0, &forget);
	ptx.verbose = verbose != 0;
	ptx.forget = forget != 0;
	ptx.lpae = rt_arg_is("fmt", "lpae");
	return ok && ptx.steps <= MAX_STEPS &&
	       (ptx.lpae || rt_arg_is("fmt", "short") || !arg_present("fmt"));
}

int main(void)
{
	if (!parse_args()) {
		rt_printf("ptx: usage: seed=<n> fmt=short|lpae steps=<n up to %u> [verbose=1] "
			  "[forget=1]\n",
			  MAX_STEPS);
		return 2;
	}
	ptx.ram = rt_ram_base();
	ptx.ram_size = rt_ram_size();
	if (ptx.ram_size < PTX_RAM_MIN) {
		rt_printf("ptx: needs at least %u MiB of RAM, has %u MiB\n", PTX_RAM_MIN / MiB,
			  ptx.ram_size / MiB);
		return 2;
	}
	ptx.small_pool = ptx.ram + PTX_SMALL_POOL_OFF;
	ptx.big_pool = ptx.ram + PTX_BIG_POOL_OFF;
	rng_state = ptx_mix(ptx.seed) ^ (ptx.lpae ? SPLITMIX_INC : 0);
	rt_printf("ptx: seed=%u fmt=%s steps=%u\n", ptx.seed, ptx.lpae ? "lpae" : "short",
		  ptx.steps);
	ptx_frames_init();
	ptx_tlb_init();
	ptx_access_init();
	ptx_mmu_init((u32)(uintptr_t)ptx_user_page);
	ptx_check_regs();
	for (ptx.step = 0; ptx.step < ptx.steps; ptx.step++) {
		ptx_random_op();
	}
	ptx_check_regs();
	rt_printf("ptx: done seed=%u fmt=%s steps=%u accesses=%u faults=%u changes=%u tlbi=%u "
		  "switches=%u sum=%08x\n",
		  ptx.seed, ptx.lpae ? "lpae" : "short", ptx.steps, ptx.accesses, ptx.faults,
		  ptx.changes, ptx.tlbis, ptx.switches, ptx.sum);
	return 0;
}
