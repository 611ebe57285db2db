/* The exerciser's physical memory: two identity-mapped pools. The small pool's 4 KiB frames
 * take turns as data and as page tables; the big pool holds data only and is where most
 * sections, blocks and large pages point. The first PTX_FILL bytes of every page hold a
 * seed-dependent pattern of "movw r0, #imm16; bx lr" pairs: reads return values that tell
 * frames apart, and any pair can be executed. */
#include "ptx.h"

#define A32_MOVW_R0	0xe3000000u /* movw r0, #imm16: imm4 at [19:16], imm12 at [11:0] */
#define A32_BX_LR	0xe12fff1eu
#define MOVW_IMM4_SHIFT 16
#define IMM16_MASK	0xffffu
#define PTX_FIND_TRIES	8u

static struct ptx_frame frames[PTX_NFRAMES];

static u32 frame_pa(u32 i)
{
	return ptx.small_pool + i * PAGE_SIZE_4K;
}

struct ptx_frame *ptx_frame(u32 pa)
{
	if (pa - ptx.small_pool >= PTX_SMALL_POOL_SIZE) {
		return NULL;
	}
	return &frames[(pa - ptx.small_pool) / PAGE_SIZE_4K];
}

u32 ptx_movw_r0(u32 imm16)
{
	return A32_MOVW_R0 | ((imm16 >> 12) << MOVW_IMM4_SHIFT) | (imm16 & MASK(12));
}

/* fill: a new pattern (from salt) at the start of the page holding pa. */
static void fill(u32 pa, u32 salt)
{
	u32 page = pa & ~PAGE_OFFSET_MASK;
	for (u32 o = 0; o < PTX_FILL; o += 8) {
		*(volatile u32 *)(uintptr_t)(page + o) =
		    ptx_movw_r0(ptx_mix(salt ^ o) & IMM16_MASK);
		*(volatile u32 *)(uintptr_t)(page + o + 4) = A32_BX_LR;
	}
}

void ptx_refill(u32 pa)
{
	fill(pa, ptx_rand());
}

void ptx_frames_init(void)
{
	for (u32 i = 0; i < PTX_NFRAMES; i++) {
		frames[i].role = ROLE_DATA;
		ptx_refill(frame_pa(i));
	}
	for (u32 o = 0; o < PTX_BIG_POOL_SIZE; o += PAGE_SIZE_4K) {
		ptx_refill(ptx.big_pool + o);
	}
}

void ptx_table_at(u32 pa, u32 bytes, u32 base_va, u32 stride, u32 entries, enum ptx_win w, u32 as)
{
	u32 per_frame = PAGE_SIZE_4K / ptx_desc_bytes();
	for (u32 o = 0; o < bytes; o += PAGE_SIZE_4K) {
		struct ptx_frame *f = ptx_frame(pa + o);
		if (f == NULL) {
			ptx_fail("table at 0x%08x is outside the small pool", pa + o);
		}
		u32 first = o / ptx_desc_bytes();
		f->role = ROLE_TABLE;
		f->win = (u8)w;
		f->as = (u8)as;
		f->stride = (u8)stride;
		f->entries = (u16)(entries - first < per_frame ? entries - first : per_frame);
		f->base_va = base_va + (first << stride);
	}
}

/* find_data_frame: a random frame in the data role, or -1. */
static int find_data_frame(void)
{
	for (u32 t = 0; t < PTX_FIND_TRIES; t++) {
		u32 i = ptx_below(PTX_NFRAMES);
		if (frames[i].role == ROLE_DATA) {
			return (int)i;
		}
	}
	for (u32 i = 0; i < PTX_NFRAMES; i++) {
		if (frames[i].role == ROLE_DATA) {
			return (int)i;
		}
	}
	return -1;
}

u32 ptx_table_alloc(enum ptx_win w, u32 as, u32 slot)
{
	int i = find_data_frame();
	if (i < 0) {
		ptx_fail("no free frame for a page table");
	}
	u32 pa = frame_pa((u32)i);
	u32 bytes = ptx_slot_pages() * ptx_desc_bytes();
	for (u32 o = 0; o < bytes; o += 4) {
		*(volatile u32 *)(uintptr_t)(pa + o) = 0;
	}
	ptx_table_at(pa, bytes, ptx_win_base(w) + (slot << ptx_slot_shift()), PTX_PAGE_SHIFT,
		     ptx_slot_pages(), w, as);
	return pa;
}

void ptx_quarantine(u32 table, enum ptx_win w, u32 as, u32 slot)
{
	struct ptx_frame *f = ptx_frame(table);
	if (f == NULL || f->role != ROLE_TABLE) {
		ptx_fail("unlinked table 0x%08x was not a table frame", table);
	}
	f->role = ROLE_QUARANTINE;
	f->win = (u8)w;
	f->as = (u8)as;
	f->slot = (u8)slot;
}

void ptx_release(void)
{
	for (u32 i = 0; i < PTX_NFRAMES; i++) {
		struct ptx_frame *f = &frames[i];
		if (f->role == ROLE_QUARANTINE && !ptx_record_live(f->win, f->as, f->slot)) {
			f->role = ROLE_DATA;
			ptx_refill(frame_pa(i));
			ptx_note("frame 0x%08x: table -> data", frame_pa(i));
		}
	}
}

u32 ptx_random_page(u32 pct_table)
{
	if (ptx_chance(pct_table)) {
		u32 start = ptx_below(PTX_NFRAMES);
		for (u32 k = 0; k < PTX_NFRAMES; k++) {
			u32 i = (start + k) % PTX_NFRAMES;
			if (frames[i].role == ROLE_TABLE) {
				return frame_pa(i);
			}
		}
	}
	if (ptx_chance(50)) {
		return frame_pa(ptx_below(PTX_NFRAMES));
	}
	return ptx.big_pool + ptx_below(PTX_BIG_POOL_SIZE / PAGE_SIZE_4K) * PAGE_SIZE_4K;
}

u32 ptx_random_block(u32 shift)
{
	u32 size = BIT(shift);
	u32 nsmall = PTX_SMALL_POOL_SIZE / size, nbig = PTX_BIG_POOL_SIZE / size;
	u32 k = ptx_below(nsmall + nbig);
	return k < nsmall ? ptx.small_pool + k * size : ptx.big_pool + (k - nsmall) * size;
}
