/* Flattened device tree (DTB, devicetree specification v0.4 ch. 5): a bounds-checked reader
 * and a sequential writer. Used by the hypervisor (read QEMU's DTB, write the guest's), by the
 * guests (read their own) and by host tests. */
#ifndef TB_FDT_H
#define TB_FDT_H

#include "tb/types.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_HEADER_LEN 40u

enum fdt_err {
	FDT_OK = 0,
	FDT_ERR_MAGIC = -1,	/* no DTB magic */
	FDT_ERR_TRUNCATED = -2, /* a block or token runs past the end */
	FDT_ERR_VERSION = -3,	/* older than version 17 */
	FDT_ERR_STRUCTURE = -4, /* malformed token stream */
	FDT_ERR_NOTFOUND = -5,
	FDT_ERR_NOSPACE = -6, /* writer: buffer too small */
};

/* fdt_check: 0 if fdt (at most size bytes readable) is a well-formed DTB, else an FDT_ERR_. */
int fdt_check(const void *fdt, size_t size);
/* fdt_total_size: the header's totalsize field (call fdt_check first). */
u32 fdt_total_size(const void *fdt);
/* fdt_path_offset: offset of the node at path ("/", "/chosen", "/memory"); a component
 * without '@' also matches a node name with a unit address. FDT_ERR_NOTFOUND if absent. */
int fdt_path_offset(const void *fdt, const char *path);
/* fdt_getprop: property value of the node at node_off, its length in *len; NULL if absent. */
const void *fdt_getprop(const void *fdt, int node_off, const char *name, u32 *len);
/* fdt_getprop_string: the property as a NUL-terminated string, NULL if absent or unterminated. */
const char *fdt_getprop_string(const void *fdt, int node_off, const char *name);
/* fdt_read_cells: the value of ncells (1 or 2) big-endian cells at p. */
u64 fdt_read_cells(const void *p, u32 ncells);
/* fdt_addr_cells / fdt_size_cells: #address-cells / #size-cells of node_off (2 / 1 if absent). */
u32 fdt_addr_cells(const void *fdt, int node_off);
u32 fdt_size_cells(const void *fdt, int node_off);
/* fdt_first_reg: first (address, size) pair of node's "reg" property, using the parent's cells. */
int fdt_first_reg(const void *fdt, int parent_off, int node_off, u64 *addr, u64 *size);
/* fdt_strerror: a message for an FDT_ERR_ value. */
const char *fdt_strerror(int err);

/* Sequential writer: begin_node/prop/end_node in tree order (exactly one root node; a
 * node's properties before its subnodes), then finish. The first error sticks and is returned by
 * fdt_w_finish: FDT_ERR_NOSPACE, or FDT_ERR_STRUCTURE for a tree out of order. */
struct fdt_writer {
	u8 *buf;
	u32 cap;
	u32 off; /* next free byte of the structure block */
	int depth;
	bool has_subnode; /* the current node has a subnode: no more properties */
	int err;
	char strings[512];
	u32 strings_len;
};

void fdt_w_init(struct fdt_writer *w, void *buf, u32 cap);
void fdt_w_begin_node(struct fdt_writer *w, const char *name);
void fdt_w_end_node(struct fdt_writer *w);
void fdt_w_prop(struct fdt_writer *w, const char *name, const void *val, u32 len);
void fdt_w_prop_u32(struct fdt_writer *w, const char *name, u32 v);
void fdt_w_prop_cells(struct fdt_writer *w, const char *name, const u32 *cells, u32 n);
void fdt_w_prop_string(struct fdt_writer *w, const char *name, const char *s);
/* fdt_w_finish: lays out the header, reserve map and strings; returns the total size or an
 * FDT_ERR_ value. */
int fdt_w_finish(struct fdt_writer *w);

#endif
