/* Host-side fake physical memory for the table walker and builder tests. */
#ifndef TESTMEM_H
#define TESTMEM_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* cmocka needs the headers above first. */
#include <cmocka.h>

#include "tb/pt.h"

#define TESTMEM_BASE 0x80000000ull
#define TESTMEM_SIZE (1u << 20)

struct testmem {
	uint8_t *bytes;
	uint32_t next;	/* bump allocator offset */
	uint32_t limit; /* allocation limit (to test exhaustion) */
	uint32_t tables;
};

static bool tm_read(void *ctx, paddr_t pa, unsigned n, u64 *val)
{
	struct testmem *m = ctx;
	if (pa < TESTMEM_BASE || pa + n > TESTMEM_BASE + TESTMEM_SIZE) {
		return false;
	}
	u64 v = 0;
	memcpy(&v, m->bytes + (pa - TESTMEM_BASE), n);
	*val = v;
	return true;
}

static bool tm_write(void *ctx, paddr_t pa, unsigned n, u64 val)
{
	struct testmem *m = ctx;
	if (pa < TESTMEM_BASE || pa + n > TESTMEM_BASE + TESTMEM_SIZE) {
		return false;
	}
	memcpy(m->bytes + (pa - TESTMEM_BASE), &val, n);
	return true;
}

static paddr_t tm_alloc(void *ctx, u32 bytes)
{
	struct testmem *m = ctx;
	uint32_t at = (m->next + bytes - 1) & ~(bytes - 1);
	if (at + bytes > m->limit) {
		return 0;
	}
	m->next = at + bytes;
	m->tables++;
	memset(m->bytes + at, 0, bytes);
	return TESTMEM_BASE + at;
}

static inline struct testmem *testmem_new(void)
{
	struct testmem *m = calloc(1, sizeof(*m));
	m->bytes = calloc(1, TESTMEM_SIZE);
	m->limit = TESTMEM_SIZE;
	return m;
}

static inline void testmem_free(struct testmem *m)
{
	free(m->bytes);
	free(m);
}

static inline struct pt_mem testmem_ops(struct testmem *m)
{
	struct pt_mem ops = {.read = tm_read, .write = tm_write, .alloc_table = tm_alloc, .ctx = m};
	return ops;
}

#endif
