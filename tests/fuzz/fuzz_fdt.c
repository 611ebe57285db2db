/* libFuzzer harness for the DTB reader and writer (common/src/fdt.c).
 *
 * An input that starts with the DTB magic is a blob for the reader: when fdt_check accepts
 * it, the blob is copied to a buffer of exactly its totalsize (so that AddressSanitizer sees
 * any read past it) and looked up with a fixed set of paths and property names plus one
 * path, one property name and one raw node offset (any offset in the structure block) taken
 * from the bytes after totalsize.
 * Every node offset returned must be a BEGIN_NODE token of the structure block whose name
 * matches the path, and every property returned must lie in the structure block, be named
 * exactly as asked in the strings block, and agree with the string and cell helpers.
 *
 * Any other input is a program for the writer (two bytes of buffer size, then operations,
 * node and property names without '/' or '@'). A model of the contract in tb/fdt.h predicts
 * the result: the first error (FDT_ERR_STRUCTURE for a tree out of order: a property outside
 * a node or after a subnode, an end without a node, a second root, no root; FDT_ERR_NOSPACE
 * when the buffer or the strings block is full), else the blob's exact size. The writer must
 * return exactly that, never write past its buffer, and the reader must accept its blob and
 * find every property written at a node a path reaches, with the value written. */
#include "fuzz.h"
#include "tb/fdt.h"

#define TOKEN_BEGIN_NODE 1u
#define TOKEN_PROP	 3u
#define PROP_HEADER_LEN	 12u /* token, length, name offset (spec 5.4.1) */
#define HDR_OFF_STRUCT	 8u
#define HDR_OFF_STRINGS	 12u
#define HDR_SIZE_STRS	 32u
#define HDR_SIZE_STRUCT	 36u
#define QUERY_MAX	 256
#define QUERY_PAST_END	 16 /* raw node offsets asked beyond the structure block */

/* The blocks of an accepted blob, read from its header independently of fdt.c. */
struct blob {
	const u8 *base;
	u32 total;
	u32 st_off, st_len, str_off, str_len;
};

static struct blob blob_of(const u8 *base, u32 total)
{
	struct blob b = {base,
			 total,
			 be32_at(base + HDR_OFF_STRUCT),
			 be32_at(base + HDR_SIZE_STRUCT),
			 be32_at(base + HDR_OFF_STRINGS),
			 be32_at(base + HDR_SIZE_STRS)};
	return b;
}

/* in_struct: does [p, p+len) lie inside the structure block? */
static bool in_struct(const struct blob *b, const u8 *p, u64 len)
{
	const u8 *lo = b->base + b->st_off;
	return p >= lo && (u64)(p - lo) <= b->st_len && len <= b->st_len - (u64)(p - lo);
}

/* Paths and property names of QEMU's virt DTB and of the DTB the hypervisor writes. */
static const char *const paths[] = {
    "/",
    "/chosen",
    "/memory",
    "/memory@40000000",
    "/psci",
    "/pl011",
    "/cpus",
    "/cpus/cpu@0",
    "/cpus/cpu",
    "/intc/v2m",
    "/hypervisor",
    "/gpio-keys/poweroff",
    "//chosen/",
    "/chosen/",
    "chosen",
    "/nonexistent",
    "/cpus/cpu-map/socket0/cluster0/core0",
};
static const char *const props[] = {
    "reg",
    "compatible",
    "#address-cells",
    "#size-cells",
    "bootargs",
    "method",
    "device_type",
    "stdout-path",
    "enable-method",
    "memory-module",
    "interrupts",
    "status",
    "",
};

/* last_component: the last non-empty component of path, its length in *len. */
static const char *last_component(const char *path, size_t *len)
{
	size_t end = strlen(path);
	while (end > 0 && path[end - 1] == '/') {
		end--;
	}
	size_t start = end;
	while (start > 0 && path[start - 1] != '/') {
		start--;
	}
	*len = end - start;
	return path + start;
}

/* check_name: the node name at structure offset off matches the path's last component. */
static void check_name(const struct blob *b, int off, const char *path)
{
	const u8 *name = b->base + b->st_off + off + 4;
	size_t room = b->st_len - (u32)off - 4;
	size_t n = strnlen((const char *)name, room);
	FUZZ_CHECK(n < room, "node name at %d of %s runs past the structure block", off, path);
	size_t clen;
	const char *comp = last_component(path, &clen);
	if (clen == 0) {
		FUZZ_CHECK(off == 0, "%s resolved to %d, not the root", path, off);
		return;
	}
	bool exact = n == clen && memcmp(name, comp, clen) == 0;
	bool unit = n > clen && memcmp(name, comp, clen) == 0 && name[clen] == '@' &&
		    memchr(comp, '@', clen) == NULL;
	FUZZ_CHECK(exact || unit, "%s resolved to node \"%s\"", path, (const char *)name);
}

/* check_path: fdt_path_offset(path) is NOTFOUND or a BEGIN_NODE of a matching name. */
static int check_path(const struct blob *b, const char *path)
{
	int off = fdt_path_offset(b->base, path);
	if (off < 0) {
		FUZZ_CHECK(off == FDT_ERR_NOTFOUND, "%s: error %d", path, off);
		return off;
	}
	FUZZ_CHECK(path[0] == '/', "relative path %s resolved to %d", path, off);
	FUZZ_CHECK((off & 3) == 0 && (u64)off + 4 <= b->st_len, "%s: offset %d", path, off);
	FUZZ_CHECK(be32_at(b->base + b->st_off + off) == TOKEN_BEGIN_NODE,
		   "%s: offset %d is not a BEGIN_NODE token", path, off);
	check_name(b, off, path);
	return off;
}

/* check_helpers: the string and cell helpers agree with the raw property p of len bytes. */
static void check_helpers(const struct blob *b, int node, const char *name, const u8 *p, u32 len)
{
	const char *s = fdt_getprop_string(b->base, node, name);
	if (p == NULL || len == 0 || p[len - 1] != 0) {
		FUZZ_CHECK(s == NULL, "%s: an unterminated or absent string was returned", name);
	} else {
		FUZZ_CHECK(s == (const char *)p, "%s: string and property differ", name);
	}
	if (strcmp(name, "#address-cells") == 0) {
		u32 want = p != NULL && len == 4 ? be32_at(p) : 2;
		FUZZ_CHECK(fdt_addr_cells(b->base, node) == want, "#address-cells disagrees");
	}
	if (strcmp(name, "#size-cells") == 0) {
		u32 want = p != NULL && len == 4 ? be32_at(p) : 1;
		FUZZ_CHECK(fdt_size_cells(b->base, node) == want, "#size-cells disagrees");
	}
}

/* check_prop: fdt_getprop(node, name) is NULL or a value inside the structure block whose
 * PROP token names exactly name in the strings block. */
static const u8 *check_prop(const struct blob *b, int node, const char *name, u32 *len_out)
{
	u32 len = 0;
	const u8 *p = fdt_getprop(b->base, node, name, &len);
	if (p != NULL) {
		FUZZ_CHECK(in_struct(b, p - PROP_HEADER_LEN, (u64)len + PROP_HEADER_LEN),
			   "property %s (%u bytes) at %td lies outside the structure block", name,
			   len, p - b->base);
		FUZZ_CHECK(be32_at(p - PROP_HEADER_LEN) == TOKEN_PROP && be32_at(p - 8) == len,
			   "property %s: no PROP token of its length before the value", name);
		u32 nameoff = be32_at(p - 4);
		FUZZ_CHECK(nameoff < b->str_len, "property %s: name offset %u", name, nameoff);
		const char *pname = (const char *)b->base + b->str_off + nameoff;
		size_t room = b->str_len - nameoff;
		FUZZ_CHECK(strnlen(pname, room) < room && strcmp(pname, name) == 0,
			   "asked for property \"%s\", got one named \"%.*s\"", name, (int)room,
			   pname);
	}
	check_helpers(b, node, name, p, len);
	if (len_out != NULL) {
		*len_out = len;
	}
	return p;
}

/* check_reg: fdt_first_reg of node under parent agrees with the raw "reg" cells. */
static void check_reg(const struct blob *b, int parent, int node)
{
	u64 addr = 0, size = 0;
	int rc = fdt_first_reg(b->base, parent, node, &addr, &size);
	FUZZ_CHECK(rc == FDT_OK || rc == FDT_ERR_NOTFOUND || rc == FDT_ERR_STRUCTURE, "rc %d", rc);
	if (rc != FDT_OK) {
		return;
	}
	u32 len;
	const u8 *reg = check_prop(b, node, "reg", &len);
	u32 ac = fdt_addr_cells(b->base, parent), sc = fdt_size_cells(b->base, parent);
	FUZZ_CHECK(reg != NULL && ac >= 1 && ac <= 2 && sc >= 1 && sc <= 2 && len >= 4 * (ac + sc),
		   "reg accepted with %u+%u cells in %u bytes", ac, sc, len);
	u64 want_addr = ac == 2 ? ((u64)be32_at(reg) << 32) | be32_at(reg + 4) : be32_at(reg);
	const u8 *s = reg + 4 * ac;
	u64 want_size = sc == 2 ? ((u64)be32_at(s) << 32) | be32_at(s + 4) : be32_at(s);
	FUZZ_CHECK(addr == want_addr && size == want_size, "reg decoded wrongly");
}

/* check_lookups: every fixed path and property name, and the query from the input's tail. */
static void check_lookups(const struct blob *b, const char *qpath, const char *qprop, int qoff)
{
	int root = check_path(b, "/");
	for (size_t i = 0; i < ARRAY_SIZE(paths); i++) {
		int node = check_path(b, paths[i]);
		for (size_t j = 0; j < ARRAY_SIZE(props); j++) {
			check_prop(b, node, props[j], NULL);
		}
		if (node >= 0 && root >= 0) {
			check_reg(b, root, node);
		}
	}
	int node = check_path(b, qpath);
	check_prop(b, node, qprop, NULL);
	check_prop(b, qoff, qprop, NULL);
	check_prop(b, qoff, "reg", NULL);
}

/* take_string: the NUL-terminated string at the cursor (at most QUERY_MAX - 1 bytes). */
static void take_string(struct fuzz_in *in, char *out)
{
	size_t n = 0;
	while (in->left > 0 && n + 1 < QUERY_MAX) {
		char c = (char)fuzz_le(in, 1);
		if (c == 0) {
			break;
		}
		out[n++] = c;
	}
	out[n] = 0;
}

/* fuzz_reader: check and look up a blob; the bytes after its totalsize are the query. */
static void fuzz_reader(const uint8_t *data, size_t size)
{
	int rc = fdt_check(data, size);
	FUZZ_CHECK(rc == FDT_OK || rc == FDT_ERR_MAGIC || rc == FDT_ERR_TRUNCATED ||
		       rc == FDT_ERR_VERSION || rc == FDT_ERR_STRUCTURE,
		   "fdt_check returned %d", rc);
	if (rc != FDT_OK) {
		return;
	}
	u32 total = fdt_total_size(data);
	FUZZ_CHECK(total >= FDT_HEADER_LEN && total <= size, "totalsize %u of %zu", total, size);
	u8 *copy = malloc(total);
	memcpy(copy, data, total);
	FUZZ_CHECK(fdt_check(copy, total) == FDT_OK, "accepted only with trailing bytes");
	struct blob b = blob_of(copy, total);
	struct fuzz_in tail = {data + total, size - total};
	char qpath[QUERY_MAX], qprop[QUERY_MAX];
	take_string(&tail, qpath);
	take_string(&tail, qprop);
	/* Any offset in (or just past) the structure block, not only a node's: the reader
	 * checks that a BEGIN_NODE token is there, and must stay in bounds from there on. */
	int qoff = (int)(fuzz_le(&tail, 4) % ((u64)b.st_len + QUERY_PAST_END));
	check_lookups(&b, qpath, qprop, qoff);
	free(copy);
}

/* ---- writer: operations decoded from the input, and the model of what they build ---- */

#define W_MAX_OPS      200
#define W_MAX_NODES    64
#define W_MAX_PROPS    128
#define W_NAME_MAX     12
#define W_VAL_MAX      80
#define W_PATH_MAX     (W_MAX_NODES * (W_NAME_MAX + 1) + 2)
#define W_WRITER_CELLS 16 /* the most fdt_w_prop_cells takes */
#define W_CELLS_MAX    20 /* above the writer's limit, to exercise it */
#define W_STRINGS      sizeof(((struct fdt_writer *)0)->strings) /* the writer's limit */
#define W_CAP_RANGE    4096

/* Node names use no '/' or '@', so that a path names one node exactly. */
static const char name_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789,._+-#";

#define W_NO_PARENT -1 /* a root node */
#define W_UNTRACKED -2 /* beyond W_MAX_NODES: not modelled, so never expected to be found */

struct w_node {
	int parent;
	char name[W_NAME_MAX + 1];
	bool reachable; /* fdt_path_offset finds this node (and not an earlier namesake) */
};

struct w_prop {
	int node;
	char name[W_NAME_MAX + 1];
	u8 val[W_CELLS_MAX * 4];
	u32 len;
	bool findable; /* fdt_getprop returns this one */
};

struct w_model {
	struct w_node node[W_MAX_NODES];
	struct w_prop prop[W_MAX_PROPS];
	int nnodes, nprops;
	int begun; /* nodes begun, tracked or not */
	int stack[W_MAX_OPS + 1];
	int depth;
	bool has_child; /* the current node already has a subnode */
	u32 cap;
	int err;	/* the first error, which the writer must report; FDT_OK while none */
	u64 struct_end; /* offset of the next structure-block byte */
	char strings[W_STRINGS];
	u32 strings_len;
};

static void take_name(struct fuzz_in *in, char *name)
{
	u32 n = (u32)(fuzz_le(in, 1) % (W_NAME_MAX + 1));
	for (u32 i = 0; i < n; i++) {
		name[i] = name_chars[fuzz_le(in, 1) % (sizeof(name_chars) - 1)];
	}
	name[n] = 0;
}

/* model_fail: err, unless an earlier error stands. */
static void model_fail(struct w_model *m, int err)
{
	if (m->err == FDT_OK) {
		m->err = err;
	}
}

/* model_emit: bytes more of structure block, if they fit in the buffer. */
static void model_emit(struct w_model *m, u64 bytes)
{
	if (m->err != FDT_OK) {
		return;
	}
	if (m->struct_end + bytes > m->cap) {
		model_fail(m, FDT_ERR_NOSPACE);
		return;
	}
	m->struct_end += bytes;
}

/* model_string: a property name goes into the strings block once; NOSPACE past its size. */
static void model_string(struct w_model *m, const char *name)
{
	for (u32 i = 0; i < m->strings_len; i += (u32)strlen(m->strings + i) + 1) {
		if (strcmp(m->strings + i, name) == 0) {
			return;
		}
	}
	u32 n = (u32)strlen(name) + 1;
	if (n > W_STRINGS - m->strings_len) {
		model_fail(m, FDT_ERR_NOSPACE);
		return;
	}
	memcpy(m->strings + m->strings_len, name, n);
	m->strings_len += n;
}

/* model_begin: a node (a second root is an error); reachable by path if its parent is and
 * no earlier sibling has its name. */
static void model_begin(struct w_model *m, const char *name)
{
	int parent = m->depth > 0 ? m->stack[m->depth - 1] : W_NO_PARENT;
	if (parent == W_NO_PARENT && m->begun > 0) {
		model_fail(m, FDT_ERR_STRUCTURE);
	}
	model_emit(m, 4);
	model_emit(m, ALIGN_UP(strlen(name) + 1, 4));
	m->begun++;
	bool reachable = false;
	if (parent == W_NO_PARENT) {
		reachable = m->nnodes == 0;
	} else if (parent != W_UNTRACKED) {
		reachable = m->node[parent].reachable && name[0] != 0;
	}
	for (int i = 0; i < m->nnodes && reachable; i++) {
		if (m->node[i].parent == parent && strcmp(m->node[i].name, name) == 0) {
			reachable = false;
		}
	}
	int idx = W_UNTRACKED;
	if (m->nnodes < W_MAX_NODES) {
		idx = m->nnodes++;
		m->node[idx] = (struct w_node){parent, {0}, reachable};
		strcpy(m->node[idx].name, name);
	}
	m->stack[m->depth++] = idx;
	m->has_child = false;
}

/* model_end: the end of the current node; an error with no node open. */
static void model_end(struct w_model *m)
{
	if (m->depth == 0) {
		model_fail(m, FDT_ERR_STRUCTURE);
	}
	model_emit(m, 4);
	if (m->depth > 0) {
		m->depth--;
	}
	m->has_child = true; /* back in the parent, which now has a subnode */
}

/* model_prop: a property of the current node, an error outside a node or after a subnode
 * (spec 5.4.2); the reader finds the first property of a name. */
static void model_prop(struct w_model *m, const char *name, const u8 *val, u32 len)
{
	if (m->depth == 0 || m->has_child) {
		model_fail(m, FDT_ERR_STRUCTURE);
	}
	model_emit(m, 4);
	model_emit(m, 4);
	model_string(m, name);
	model_emit(m, 4);
	model_emit(m, ALIGN_UP(len, 4));
	int node = m->depth > 0 ? m->stack[m->depth - 1] : W_UNTRACKED;
	bool findable = node != W_UNTRACKED && m->node[node].reachable;
	for (int i = 0; i < m->nprops && findable; i++) {
		if (m->prop[i].node == node && strcmp(m->prop[i].name, name) == 0) {
			findable = false;
		}
	}
	if (m->nprops < W_MAX_PROPS) {
		struct w_prop *p = &m->prop[m->nprops++];
		p->node = node;
		strcpy(p->name, name);
		memcpy(p->val, val, len);
		p->len = len;
		p->findable = findable;
	}
}

/* model_finish: what fdt_w_finish must return: the first error, or the blob's size (header,
 * reservation map, structure block with FDT_END, strings) if it fits. */
static int model_finish(struct w_model *m)
{
	if (m->depth != 0 || m->begun == 0) {
		model_fail(m, FDT_ERR_STRUCTURE);
	}
	model_emit(m, 4);
	if (m->err == FDT_OK && m->strings_len > m->cap - m->struct_end) {
		return FDT_ERR_NOSPACE;
	}
	return m->err != FDT_OK ? m->err : (int)(m->struct_end + m->strings_len);
}

/* run_op: decode one writer operation from the input, apply it to the writer and the model. */
static void run_op(struct fuzz_in *in, struct fdt_writer *w, struct w_model *m)
{
	char name[W_NAME_MAX + 1];
	u8 val[W_CELLS_MAX * 4];
	u32 op = (u32)fuzz_le(in, 1) % 6;
	if (op == 1) {
		fdt_w_end_node(w);
		model_end(m);
		return;
	}
	take_name(in, name);
	if (op == 0) {
		fdt_w_begin_node(w, name);
		model_begin(m, name);
	} else if (op == 2) {
		u32 len = (u32)(fuzz_le(in, 1) % W_VAL_MAX);
		fuzz_bytes(in, val, len);
		fdt_w_prop(w, name, val, len);
		model_prop(m, name, val, len);
	} else if (op == 3) {
		u32 v = (u32)fuzz_le(in, 4);
		fdt_w_prop_u32(w, name, v);
		const u8 be[4] = {(u8)(v >> 24), (u8)(v >> 16), (u8)(v >> 8), (u8)v};
		model_prop(m, name, be, 4);
	} else if (op == 4) {
		char s[W_NAME_MAX + 1];
		take_name(in, s);
		fdt_w_prop_string(w, name, s);
		model_prop(m, name, (const u8 *)s, (u32)strlen(s) + 1);
	} else {
		u32 n = (u32)(fuzz_le(in, 1) % (W_CELLS_MAX + 1));
		u32 cells[W_CELLS_MAX];
		for (u32 i = 0; i < n; i++) {
			cells[i] = (u32)fuzz_le(in, 4);
			val[4 * i] = (u8)(cells[i] >> 24);
			val[4 * i + 1] = (u8)(cells[i] >> 16);
			val[4 * i + 2] = (u8)(cells[i] >> 8);
			val[4 * i + 3] = (u8)cells[i];
		}
		fdt_w_prop_cells(w, name, cells, n);
		if (n > W_WRITER_CELLS) {
			model_fail(m, FDT_ERR_NOSPACE);
		} else {
			model_prop(m, name, val, 4 * n);
		}
	}
}

/* node_path: the path of a reachable node. */
static void node_path(const struct w_model *m, int idx, char *out)
{
	if (m->node[idx].parent == W_NO_PARENT) {
		strcpy(out, "/");
		return;
	}
	node_path(m, m->node[idx].parent, out);
	if (strcmp(out, "/") != 0) {
		strcat(out, "/");
	}
	strcat(out, m->node[idx].name);
}

/* check_readback: the reader finds every findable property with the value written. */
static void check_readback(const struct blob *b, const struct w_model *m)
{
	char path[W_PATH_MAX];
	for (int i = 0; i < m->nprops; i++) {
		const struct w_prop *p = &m->prop[i];
		if (!p->findable) {
			continue;
		}
		node_path(m, p->node, path);
		int node = check_path(b, path);
		FUZZ_CHECK(node >= 0, "node %s written but not found", path);
		u32 len;
		const u8 *val = check_prop(b, node, p->name, &len);
		FUZZ_CHECK(val != NULL && len == p->len && memcmp(val, p->val, len) == 0,
			   "property %s of %s does not read back as written", p->name, path);
		FUZZ_CHECK(check_prop(b, node, "absent@name", NULL) == NULL,
			   "a property never written was found in %s", path);
	}
}

/* fuzz_writer: run the operations; the writer must return what the model predicts, and a
 * blob it produces must read back. */
static void fuzz_writer(const uint8_t *data, size_t size)
{
	struct fuzz_in in = {data, size};
	static struct w_model m;
	memset(&m, 0, sizeof(m));
	m.cap = (u32)(fuzz_le(&in, 2) % W_CAP_RANGE);
	m.struct_end = FDT_HEADER_LEN + 16; /* after the header and an empty reservation map */
	m.err = m.cap < m.struct_end ? FDT_ERR_NOSPACE : FDT_OK;
	u8 *buf = malloc(m.cap ? m.cap : 1); /* exactly cap bytes: overflows show */
	struct fdt_writer w;
	fdt_w_init(&w, buf, m.cap);
	for (int i = 0; i < W_MAX_OPS && in.left > 0; i++) {
		run_op(&in, &w, &m);
	}
	int rc = fdt_w_finish(&w);
	int want = model_finish(&m);
	FUZZ_CHECK(rc == want, "the writer returned %d, expected %d", rc, want);
	if (rc > 0) {
		int check = fdt_check(buf, (size_t)rc);
		FUZZ_CHECK(check == FDT_OK, "the reader rejects the writer's blob: %s",
			   fdt_strerror(check));
		struct blob b = blob_of(buf, (u32)rc);
		check_readback(&b, &m);
		check_lookups(&b, "/", "", -1);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && be32_at(data) == FDT_MAGIC) {
		fuzz_reader(data, size);
	} else {
		fuzz_writer(data, size);
	}
	return 0;
}
