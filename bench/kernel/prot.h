/* Protection of a mapping, independent of the table format, and its encoding as leaf
 * attributes for the shared builder (common/include/tb/pt.h). Tested on the host. */
#ifndef BENCH_PROT_H
#define BENCH_PROT_H

#include "tb/pt.h"

enum prot {
	PERM_READ = 1u << 0,
	PERM_WRITE = 1u << 1,
	PERM_EXEC = 1u << 2,
	PERM_USER = 1u << 3,   /* accessible at PL0 (and not global: tagged with the ASID) */
	PERM_DEVICE = 1u << 4, /* device memory (else normal write-back) */
};

/* MAIR0 for LPAE stage 1: attribute 0 normal write-back, 1 device. */
#define BENCH_MAIR0	0x000004ffu
#define MAIR_IDX_NORMAL 0u
#define MAIR_IDX_DEVICE 1u
/* Domains for the short format: everything is in domain 0, a client. */
#define BENCH_DACR 0x1u

/* prot_attrs: leaf attributes of fmt for prot (ARM ARM B3.5.1 and B3.6.1). PL1 always has
 * at least the user's access; user mappings are non-global; kernel mappings global. */
u64 prot_attrs(const struct pt_format *fmt, u32 prot);
/* prot_of_leaf: the protection a leaf descriptor at level index li grants (inverse of
 * prot_attrs for the combinations prot_attrs produces). */
u32 prot_of_leaf(const struct pt_format *fmt, u64 desc, unsigned li);

#endif
