/* Flattened device tree reader and writer (devicetree specification v0.4, chapter 5). */
#include "tb/fdt.h"
#include "tb/str.h"

#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP	       4u
#define FDT_END	       9u

/* Header field offsets (spec 5.2). */
#define HDR_MAGIC	0
#define HDR_TOTALSIZE	4
#define HDR_OFF_STRUCT	8
#define HDR_OFF_STRINGS 12
#define HDR_OFF_RSVMAP	16
#define HDR_VERSION	20
#define HDR_LAST_COMP	24
#define HDR_BOOT_CPUID	28
#define HDR_SIZE_STRS	32
#define HDR_SIZE_STRUCT 36

static u32 be32(const void *p)
{
	const u8 *b = p;
	return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | b[3];
}

static void put_be32(void *p, u32 v)
{
	u8 *b = p;
	b[0] = (u8)(v >> 24);
	b[1] = (u8)(v >> 16);
	b[2] = (u8)(v >> 8);
	b[3] = (u8)v;
}

static u32 hdr(const void *fdt, u32 field)
{
	return be32((const u8 *)fdt + field);
}

u32 fdt_total_size(const void *fdt)
{
	return hdr(fdt, HDR_TOTALSIZE);
}

/* Bounds of the structure and strings blocks; valid after fdt_check. */
struct fdt_view {
	const u8 *base;
	u32 st_off, st_len, str_off, str_len;
};

static void view(const void *fdt, struct fdt_view *v)
{
	v->base = fdt;
	v->st_off = hdr(fdt, HDR_OFF_STRUCT);
	v->st_len = hdr(fdt, HDR_SIZE_STRUCT);
	v->str_off = hdr(fdt, HDR_OFF_STRINGS);
	v->str_len = hdr(fdt, HDR_SIZE_STRS);
}

#define FDT_NO_TOKEN 0u /* past the end of the structure block */

/* token_at: the token at structure offset off, or FDT_NO_TOKEN past the block's end. */
static u32 token_at(const struct fdt_view *v, u32 off)
{
	if (off + 4 > v->st_len) {
		return FDT_NO_TOKEN;
	}
	return be32(v->base + v->st_off + off);
}

/* skip_name: offset just past the NUL-padded name at off; 0 if unterminated. */
static u32 skip_name(const struct fdt_view *v, u32 off)
{
	const u8 *s = v->base + v->st_off;
	while (off < v->st_len && s[off] != 0) {
		off++;
	}
	if (off >= v->st_len) {
		return 0;
	}
	return ALIGN_UP(off + 1, 4u);
}

/* next_token: offset of the token after the one at off (which has type tok), 0 if malformed. */
static u32 next_token(const struct fdt_view *v, u32 off, u32 tok)
{
	switch (tok) {
	case FDT_BEGIN_NODE:
		return skip_name(v, off + 4);
	case FDT_PROP: {
		if (off + 12 > v->st_len) {
			return 0;
		}
		u32 len = be32(v->base + v->st_off + off + 4);
		u32 nameoff = be32(v->base + v->st_off + off + 8);
		if (len > v->st_len - off - 12 || nameoff >= v->str_len) {
			return 0;
		}
		return off + 12 + ALIGN_UP(len, 4u);
	}
	case FDT_END_NODE:
	case FDT_NOP:
		return off + 4;
	default:
		return 0;
	}
}

int fdt_check(const void *fdt, size_t size)
{
	if (size < FDT_HEADER_LEN) {
		return FDT_ERR_TRUNCATED;
	}
	if (hdr(fdt, HDR_MAGIC) != FDT_MAGIC) {
		return FDT_ERR_MAGIC;
	}
	/* Version 17 is the first with size_dt_struct, which every walk here relies on. */
	if (hdr(fdt, HDR_VERSION) < 17 || hdr(fdt, HDR_LAST_COMP) > 17) {
		return FDT_ERR_VERSION;
	}
	u32 total = hdr(fdt, HDR_TOTALSIZE);
	struct fdt_view v;
	view(fdt, &v);
	if (total > size || total < FDT_HEADER_LEN || v.st_off > total ||
	    v.st_len > total - v.st_off || v.str_off > total || v.str_len > total - v.str_off ||
	    (v.st_off & 3) != 0) {
		return FDT_ERR_TRUNCATED;
	}
	/* Walk the whole token stream once so that later lookups can trust it. */
	int depth = 0;
	u32 off = 0;
	for (;;) {
		u32 tok = token_at(&v, off);
		if (tok == FDT_END) {
			return depth == 0 && off > 0 ? FDT_OK : FDT_ERR_STRUCTURE;
		}
		if (tok == FDT_NO_TOKEN) {
			return FDT_ERR_STRUCTURE; /* no FDT_END before the block ends */
		}
		if (tok == FDT_BEGIN_NODE) {
			depth++;
		} else if (tok == FDT_END_NODE) {
			if (--depth < 0) {
				return FDT_ERR_STRUCTURE;
			}
		} else if (tok == FDT_PROP && depth == 0) {
			return FDT_ERR_STRUCTURE;
		}
		u32 next = next_token(&v, off, tok);
		if (next == 0 || next <= off) {
			return FDT_ERR_STRUCTURE;
		}
		off = next;
	}
}

/* name_matches: does the node name (NUL-terminated) match a path component of len chars? */
static bool name_matches(const char *name, const char *comp, size_t len)
{
	if (strncmp(name, comp, len) != 0) {
		return false;
	}
	return name[len] == 0 || (name[len] == '@' && memchr(comp, '@', len) == NULL);
}

/* find_child: offset of the child of the node at parent named comp, or FDT_ERR_NOTFOUND. */
static int find_child(const struct fdt_view *v, u32 parent, const char *comp, size_t len)
{
	u32 off = next_token(v, parent, FDT_BEGIN_NODE);
	int depth = 0;
	while (off != 0) {
		u32 tok = token_at(v, off);
		if (tok == FDT_END || tok == FDT_NO_TOKEN) {
			break;
		}
		if (tok == FDT_BEGIN_NODE) {
			if (depth == 0 &&
			    name_matches((const char *)v->base + v->st_off + off + 4, comp, len)) {
				return (int)off;
			}
			depth++;
		} else if (tok == FDT_END_NODE) {
			if (depth-- == 0) {
				break;
			}
		}
		off = next_token(v, off, tok);
	}
	return FDT_ERR_NOTFOUND;
}

int fdt_path_offset(const void *fdt, const char *path)
{
	struct fdt_view v;
	view(fdt, &v);
	if (path[0] != '/' || token_at(&v, 0) != FDT_BEGIN_NODE) {
		return FDT_ERR_NOTFOUND;
	}
	int node = 0;
	const char *p = path + 1;
	while (*p != 0) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (len > 0) {
			node = find_child(&v, (u32)node, p, len);
			if (node < 0) {
				return node;
			}
		}
		p += len;
		if (*p == '/') {
			p++;
		}
	}
	return node;
}

const void *fdt_getprop(const void *fdt, int node_off, const char *name, u32 *len)
{
	struct fdt_view v;
	view(fdt, &v);
	if (node_off < 0 || token_at(&v, (u32)node_off) != FDT_BEGIN_NODE) {
		return NULL;
	}
	u32 off = next_token(&v, (u32)node_off, FDT_BEGIN_NODE);
	while (off != 0) {
		u32 tok = token_at(&v, off);
		/* Bounds first: node_off need not be a node that fdt_check walked through. */
		u32 next = next_token(&v, off, tok);
		if (next == 0) {
			break;
		}
		if (tok == FDT_PROP) {
			const u8 *p = v.base + v.st_off + off;
			u32 plen = be32(p + 4);
			const char *pname = (const char *)v.base + v.str_off + be32(p + 8);
			u32 room = v.str_len - be32(p + 8);
			/* The whole name and its NUL, inside the strings block: a name cut
			 * short by the block's end is no match. */
			size_t n = strlen(name);
			if (n < room && memcmp(pname, name, n + 1) == 0) {
				if (len != NULL) {
					*len = plen;
				}
				return p + 12;
			}
		} else if (tok != FDT_NOP) {
			break; /* properties precede subnodes */
		}
		off = next;
	}
	return NULL;
}

const char *fdt_getprop_string(const void *fdt, int node_off, const char *name)
{
	u32 len;
	const char *s = fdt_getprop(fdt, node_off, name, &len);
	if (s == NULL || len == 0 || s[len - 1] != 0) {
		return NULL;
	}
	return s;
}

u64 fdt_read_cells(const void *p, u32 ncells)
{
	const u8 *b = p;
	return ncells == 2 ? ((u64)be32(b) << 32) | be32(b + 4) : be32(b);
}

static u32 cells_prop(const void *fdt, int node_off, const char *name, u32 dflt)
{
	u32 len;
	const void *p = fdt_getprop(fdt, node_off, name, &len);
	return p != NULL && len == 4 ? be32(p) : dflt;
}

u32 fdt_addr_cells(const void *fdt, int node_off)
{
	return cells_prop(fdt, node_off, "#address-cells", 2);
}

u32 fdt_size_cells(const void *fdt, int node_off)
{
	return cells_prop(fdt, node_off, "#size-cells", 1);
}

int fdt_first_reg(const void *fdt, int parent_off, int node_off, u64 *addr, u64 *size)
{
	u32 ac = fdt_addr_cells(fdt, parent_off);
	u32 sc = fdt_size_cells(fdt, parent_off);
	u32 len;
	const u8 *reg = fdt_getprop(fdt, node_off, "reg", &len);
	if (reg == NULL) {
		return FDT_ERR_NOTFOUND;
	}
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || len < 4 * (ac + sc)) {
		return FDT_ERR_STRUCTURE;
	}
	*addr = fdt_read_cells(reg, ac);
	*size = fdt_read_cells(reg + 4 * ac, sc);
	return FDT_OK;
}

const char *fdt_strerror(int err)
{
	switch (err) {
	case FDT_OK:
		return "ok";
	case FDT_ERR_MAGIC:
		return "bad magic (not a DTB)";
	case FDT_ERR_TRUNCATED:
		return "truncated or inconsistent block offsets";
	case FDT_ERR_VERSION:
		return "unsupported DTB version";
	case FDT_ERR_STRUCTURE:
		return "malformed structure block";
	case FDT_ERR_NOTFOUND:
		return "not found";
	case FDT_ERR_NOSPACE:
		return "no space left in the output buffer";
	default:
		return "unknown error";
	}
}

/* ---- writer ---- */

/* The structure block follows the header and an empty memory reservation map (one 16-byte
 * terminating entry, spec 5.3). */
#define W_STRUCT_OFF (FDT_HEADER_LEN + 16)

/* w_fail: record err unless an earlier error is already recorded (the first one sticks). */
static void w_fail(struct fdt_writer *w, int err)
{
	if (w->err == FDT_OK) {
		w->err = err;
	}
}

void fdt_w_init(struct fdt_writer *w, void *buf, u32 cap)
{
	w->buf = buf;
	w->cap = cap;
	w->off = W_STRUCT_OFF;
	w->depth = 0;
	w->has_subnode = false;
	w->err = cap < w->off ? FDT_ERR_NOSPACE : FDT_OK;
	w->strings_len = 0;
}

/* emit: append len bytes (zero-padded to 4) to the structure block. */
static void emit(struct fdt_writer *w, const void *data, u32 len)
{
	u32 padded = ALIGN_UP(len, 4u);
	if (w->err != FDT_OK) {
		return;
	}
	if (padded > w->cap - w->off) {
		w_fail(w, FDT_ERR_NOSPACE);
		return;
	}
	memcpy(w->buf + w->off, data, len);
	memset(w->buf + w->off + len, 0, padded - len);
	w->off += padded;
}

static void emit_u32(struct fdt_writer *w, u32 v)
{
	u8 b[4];
	put_be32(b, v);
	emit(w, b, 4);
}

/* string_offset: offset of name in the strings block, adding it if new. */
static u32 string_offset(struct fdt_writer *w, const char *name)
{
	u32 n = (u32)strlen(name) + 1;
	for (u32 i = 0; i < w->strings_len; i += (u32)strlen(w->strings + i) + 1) {
		if (strcmp(w->strings + i, name) == 0) {
			return i;
		}
	}
	if (n > sizeof(w->strings) - w->strings_len) {
		w_fail(w, FDT_ERR_NOSPACE);
		return 0;
	}
	memcpy(w->strings + w->strings_len, name, n);
	w->strings_len += n;
	return w->strings_len - n;
}

void fdt_w_begin_node(struct fdt_writer *w, const char *name)
{
	if (w->depth == 0 && w->off != W_STRUCT_OFF) {
		w_fail(w, FDT_ERR_STRUCTURE); /* a second root node */
	}
	emit_u32(w, FDT_BEGIN_NODE);
	emit(w, name, (u32)strlen(name) + 1);
	w->depth++;
	w->has_subnode = false;
}

void fdt_w_end_node(struct fdt_writer *w)
{
	if (w->depth == 0) {
		w_fail(w, FDT_ERR_STRUCTURE);
	}
	emit_u32(w, FDT_END_NODE);
	w->depth--;
	w->has_subnode = true; /* back in the parent, which has this subnode */
}

void fdt_w_prop(struct fdt_writer *w, const char *name, const void *val, u32 len)
{
	/* A property belongs to a node and precedes its subnodes (spec 5.4.2): the reader
	 * stops looking at the first subnode. */
	if (w->depth == 0 || w->has_subnode) {
		w_fail(w, FDT_ERR_STRUCTURE);
	}
	emit_u32(w, FDT_PROP);
	emit_u32(w, len);
	emit_u32(w, string_offset(w, name));
	emit(w, val, len);
}

void fdt_w_prop_u32(struct fdt_writer *w, const char *name, u32 v)
{
	fdt_w_prop_cells(w, name, &v, 1);
}

void fdt_w_prop_cells(struct fdt_writer *w, const char *name, const u32 *cells, u32 n)
{
	u8 be[16 * 4];
	if (n > 16) {
		w_fail(w, FDT_ERR_NOSPACE);
		return;
	}
	for (u32 i = 0; i < n; i++) {
		put_be32(be + 4 * i, cells[i]);
	}
	fdt_w_prop(w, name, be, 4 * n);
}

void fdt_w_prop_string(struct fdt_writer *w, const char *name, const char *s)
{
	fdt_w_prop(w, name, s, (u32)strlen(s) + 1);
}

int fdt_w_finish(struct fdt_writer *w)
{
	/* Every node ended, and a root node at all (fdt_check wants one). */
	if (w->depth != 0 || w->off == W_STRUCT_OFF) {
		w_fail(w, FDT_ERR_STRUCTURE);
	}
	emit_u32(w, FDT_END);
	if (w->err != FDT_OK) {
		return w->err;
	}
	u32 st_off = W_STRUCT_OFF;
	u32 st_len = w->off - st_off;
	if (w->strings_len > w->cap - w->off) {
		return FDT_ERR_NOSPACE;
	}
	memcpy(w->buf + w->off, w->strings, w->strings_len);
	u32 total = w->off + w->strings_len;
	memset(w->buf, 0, W_STRUCT_OFF);
	put_be32(w->buf + HDR_MAGIC, FDT_MAGIC);
	put_be32(w->buf + HDR_TOTALSIZE, total);
	put_be32(w->buf + HDR_OFF_STRUCT, st_off);
	put_be32(w->buf + HDR_OFF_STRINGS, w->off);
	put_be32(w->buf + HDR_OFF_RSVMAP, FDT_HEADER_LEN);
	put_be32(w->buf + HDR_VERSION, 17);
	put_be32(w->buf + HDR_LAST_COMP, 16);
	put_be32(w->buf + HDR_BOOT_CPUID, 0);
	put_be32(w->buf + HDR_SIZE_STRS, w->strings_len);
	put_be32(w->buf + HDR_SIZE_STRUCT, st_len);
	return (int)total;
}
