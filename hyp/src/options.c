/* Parsing of the hypervisor command line. */
#include "hyp/options.h"
#include "tb/fmt.h"
#include "tb/str.h"

#define GUEST_SEPARATOR "--"

static bool key_is(const char *tok, size_t klen, const char *key)
{
	return klen == strlen(key) && strncmp(tok, key, klen) == 0;
}

/* copy_token: len chars of tok into dst as a string, truncated to fit. */
static void copy_token(char *dst, size_t cap, const char *tok, size_t len)
{
	size_t n = len < cap - 1 ? len : cap - 1;
	memcpy(dst, tok, n);
	dst[n] = 0;
}

static bool parse_image(const char *v, size_t len, struct hyp_options *o)
{
	const char *comma = memchr(v, ',', len);
	if (comma == NULL) {
		return false;
	}
	u64 pa, size;
	if (!tb_parse_u64(v, (size_t)(comma - v), false, &pa) ||
	    !tb_parse_u64(comma + 1, len - (size_t)(comma - v) - 1, false, &size)) {
		return false;
	}
	o->image_pa = pa;
	o->image_size = size;
	o->have_image = true;
	return true;
}

bool options_parse(const char *cmdline, struct hyp_options *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	o->guest_cmdline = "";
	const char *cur = cmdline != NULL ? cmdline : "";
	const char *tok;
	size_t len;
	/* Module options may come before mm=: collect "<x>.<key>=" first, filter afterwards. */
	struct opt_kv pending[OPT_MAX_MODULE_OPTS];
	const char *pending_mod[OPT_MAX_MODULE_OPTS];
	size_t pending_modlen[OPT_MAX_MODULE_OPTS];
	u32 npending = 0;

	while ((tok = tb_token(&cur, &len)) != NULL) {
		if (len == 2 && strncmp(tok, GUEST_SEPARATOR, 2) == 0) {
			while (*cur == ' ') {
				cur++;
			}
			o->guest_cmdline = cur;
			o->guest_cmdline_len = strlen(cur);
			break;
		}
		const char *eq = memchr(tok, '=', len);
		if (eq == NULL || eq == tok) {
			char shown[64];
			copy_token(shown, sizeof(shown), tok, len);
			tb_snprintf(err, errlen, "malformed option '%s': expected key=value",
				    shown);
			return false;
		}
		size_t klen = (size_t)(eq - tok);
		const char *val = eq + 1;
		size_t vlen = len - klen - 1;
		const char *dot = memchr(tok, '.', klen);
		char key[64];
		copy_token(key, sizeof(key), tok, klen);
		if (dot != NULL) {
			if (npending == OPT_MAX_MODULE_OPTS) {
				tb_snprintf(err, errlen, "too many module options (at most %d)",
					    OPT_MAX_MODULE_OPTS);
				return false;
			}
			pending_mod[npending] = tok;
			pending_modlen[npending] = (size_t)(dot - tok);
			pending[npending].key = dot + 1;
			pending[npending].klen = klen - (size_t)(dot - tok) - 1;
			pending[npending].val = val;
			pending[npending].vlen = vlen;
			npending++;
		} else if (key_is(tok, klen, "mm")) {
			o->mm_name = val;
			o->mm_len = vlen;
		} else if (key_is(tok, klen, "mem")) {
			if (!tb_parse_u64(val, vlen, true, &o->mem_bytes)) {
				tb_snprintf(err, errlen, "mem=: not a size (e.g. mem=256M)");
				return false;
			}
		} else if (key_is(tok, klen, "image")) {
			if (!parse_image(val, vlen, o)) {
				tb_snprintf(err, errlen,
					    "image=: expected image=<address>,<bytes>");
				return false;
			}
		} else {
			tb_snprintf(err, errlen,
				    "unknown option '%s' (valid: mm=, mem=, image=, "
				    "<module>.<key>=, -- <guest command line>)",
				    key);
			return false;
		}
	}
	if (o->mm_name == NULL || o->mm_len == 0) {
		tb_snprintf(err, errlen, "no memory module chosen: give mm=<module>");
		return false;
	}
	for (u32 i = 0; i < npending; i++) {
		if (pending_modlen[i] != o->mm_len ||
		    strncmp(pending_mod[i], o->mm_name, o->mm_len) != 0) {
			char mod[32];
			copy_token(mod, sizeof(mod), pending_mod[i], pending_modlen[i]);
			tb_snprintf(
			    err, errlen,
			    "option for module '%s' given, but the module chosen with mm= is "
			    "another one",
			    mod);
			return false;
		}
		o->module_opts[o->n_module_opts++] = pending[i];
	}
	return true;
}
