/* Page-frame allocator with reference counts. Allocation takes the lowest free frame, so a
 * run is deterministic. Invariant violations return loudly through frames_panic. */
#include "frames.h"

void frames_panic(const char *what, u32 pa) __attribute__((noreturn));

void frames_init(struct frames *f, u32 base, u32 count, u16 *refs)
{
	f->base = base;
	f->count = count;
	f->refs = refs;
	f->nfree = count;
	f->hint = 0;
	for (u32 i = 0; i < count; i++) {
		refs[i] = 0;
	}
}

bool frames_owns(const struct frames *f, u32 pa)
{
	return pa >= f->base && (pa - f->base) >> FRAME_SHIFT < f->count;
}

/* frame_index: the frame number of pa, which must be managed and frame aligned. */
static u32 frame_index(const struct frames *f, u32 pa)
{
	if (!frames_owns(f, pa) || (pa & (FRAME_SIZE - 1)) != 0) {
		frames_panic("frame address out of range or misaligned", pa);
	}
	return (pa - f->base) >> FRAME_SHIFT;
}

void frames_reserve(struct frames *f, u32 pa, u32 size)
{
	u32 first = pa & ~(FRAME_SIZE - 1);
	for (u32 a = first; a < pa + size; a += FRAME_SIZE) {
		if (frames_owns(f, a) && f->refs[frame_index(f, a)] == 0) {
			f->refs[frame_index(f, a)] = 1;
			f->nfree--;
		}
	}
}

u32 frames_alloc(struct frames *f)
{
	for (u32 i = f->hint; i < f->count; i++) {
		if (f->refs[i] == 0) {
			f->refs[i] = 1;
			f->nfree--;
			f->hint = i + 1;
			return f->base + (i << FRAME_SHIFT);
		}
	}
	return 0;
}

u32 frames_alloc_run(struct frames *f, u32 n, u32 align)
{
	u32 step = align > FRAME_SIZE ? align >> FRAME_SHIFT : 1;
	u32 first = ((f->base + align - 1) & ~(align - 1)) - f->base;
	for (u32 i = first >> FRAME_SHIFT; i + n <= f->count; i += step) {
		u32 j = 0;
		while (j < n && f->refs[i + j] == 0) {
			j++;
		}
		if (j == n) {
			for (j = 0; j < n; j++) {
				f->refs[i + j] = 1;
			}
			f->nfree -= n;
			return f->base + (i << FRAME_SHIFT);
		}
	}
	return 0;
}

void frames_get(struct frames *f, u32 pa)
{
	u32 i = frame_index(f, pa);
	if (f->refs[i] == 0 || f->refs[i] == 0xffffu) {
		frames_panic("reference to a free or saturated frame", pa);
	}
	f->refs[i]++;
}

bool frames_put(struct frames *f, u32 pa)
{
	u32 i = frame_index(f, pa);
	if (f->refs[i] == 0) {
		frames_panic("release of a free frame", pa);
	}
	if (--f->refs[i] != 0) {
		return false;
	}
	f->nfree++;
	if (i < f->hint) {
		f->hint = i;
	}
	return true;
}

u32 frames_refs(const struct frames *f, u32 pa)
{
	return f->refs[frame_index(f, pa)];
}
