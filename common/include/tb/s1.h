/* Stage-1 translation as the MMU performs it for a PL1&0 access: the table walk (through
 * the shared description, tb/pt.h) plus the access-permission, domain, execute-never and
 * access-flag checks, and the fault status the guest would see. Both formats: short
 * descriptor (B3.5, B3.7 with SCTLR.AFE = 0 or 1, no TEX remap dependence) and LPAE (B3.6).
 * Used wherever software must do what the guest's own MMU would do (the shadow module). */
#ifndef TB_S1_H
#define TB_S1_H

#include "tb/pt.h"

enum s1_access {
	S1_READ,
	S1_WRITE,
	S1_EXEC,
};

/* The guest's translation state (its register values, not the hardware's). */
struct s1_state {
	u32 sctlr;
	u32 ttbcr;
	u64 ttbr0, ttbr1;
	u32 dacr;
};

enum s1_fault {
	S1_OK = 0,
	S1_FAULT_TRANSLATION,
	S1_FAULT_ACCESS_FLAG,
	S1_FAULT_DOMAIN,
	S1_FAULT_PERMISSION,
	S1_FAULT_WALK_EXTERNAL, /* a table outside memory (pt_mem refused the read) */
};

/* What an access may do, after domains and hierarchical table attributes. */
#define S1_PERM_PL1_R BIT(0)
#define S1_PERM_PL1_W BIT(1)
#define S1_PERM_PL1_X BIT(2)
#define S1_PERM_PL0_R BIT(3)
#define S1_PERM_PL0_W BIT(4)
#define S1_PERM_PL0_X BIT(5)
#define S1_PERM_SETS  (S1_PERM_PL0_X << 1) /* the number of sets: every S1_PERM_* value */

/* s1_perm_needed: the S1_PERM_* bit that an access of kind acc at PL0 (pl0) or PL1 needs. */
static inline u32 s1_perm_needed(enum s1_access acc, bool pl0)
{
	_Static_assert(S1_PERM_PL1_R == BIT(S1_READ) && S1_PERM_PL1_W == BIT(S1_WRITE) &&
			   S1_PERM_PL1_X == BIT(S1_EXEC) && S1_PERM_PL0_R == S1_PERM_PL1_R << 3,
		       "S1_PERM_* by access kind, PL0's three bits above PL1's");
	return BIT((u32)acc + (pl0 ? 3u : 0u));
}

struct s1_result {
	enum s1_fault fault;
	u32 fsr;		 /* the DFSR/IFSR value (without WnR) for a fault */
	u32 level;		 /* ARM ARM level of the leaf, or of the fault */
	u32 domain;		 /* short format: the domain of the entry */
	paddr_t out;		 /* the output address (IPA) of va */
	u32 size_shift;		 /* log2 of the leaf's size */
	u32 perms;		 /* S1_PERM_*: everything the leaf allows */
	bool global;		 /* nG clear */
	struct pt_regime regime; /* the regime va was walked in (MMU on) */
	struct pt_walk walk;
};

/* s1_translate: translate va for an access of kind acc at PL0 (pl0) or PL1, as the MMU
 * with state st would; fills *r and returns r->fault. With the MMU off (SCTLR.M = 0) the
 * output is va itself, with every permission. */
enum s1_fault s1_translate(const struct s1_state *st, const struct pt_mem *m, u32 va,
			   enum s1_access acc, bool pl0, struct s1_result *r);

#endif
