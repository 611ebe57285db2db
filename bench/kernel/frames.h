/* The page-frame allocator of the benchmark guest: 4 KiB frames with reference counts (for
 * copy-on-write sharing). Pure bookkeeping over caller-provided arrays: tested on the host. */
#ifndef BENCH_FRAMES_H
#define BENCH_FRAMES_H

#include "tb/types.h"

#define FRAME_SHIFT 12
#define FRAME_SIZE  (1u << FRAME_SHIFT)

struct frames {
	u32 base;  /* physical address of frame 0 */
	u32 count; /* frames managed */
	u16 *refs; /* per frame: 0 = free */
	u32 nfree;
	u32 hint; /* lowest index that may be free */
};

/* frames_init: manage count frames from base; refs must hold count entries. */
void frames_init(struct frames *f, u32 base, u32 count, u16 *refs);
/* frames_reserve: mark [pa, pa+size) as used (kernel image, DTB, ...) */
void frames_reserve(struct frames *f, u32 pa, u32 size);
/* frames_alloc: the lowest free frame, with one reference; 0 when none is left. */
u32 frames_alloc(struct frames *f);
/* frames_alloc_run: n contiguous free frames aligned to align bytes, one reference each. */
u32 frames_alloc_run(struct frames *f, u32 n, u32 align);
/* frames_get: one more reference to the frame at pa. */
void frames_get(struct frames *f, u32 pa);
/* frames_put: drop a reference; true if the frame became free. */
bool frames_put(struct frames *f, u32 pa);
/* frames_refs: references to the frame at pa (0: free). */
u32 frames_refs(const struct frames *f, u32 pa);
/* frames_owns: is pa inside the managed range? */
bool frames_owns(const struct frames *f, u32 pa);

#endif
