/* A small, freestanding printf core. */
#include "tb/fmt.h"
#include "tb/str.h"

struct spec {
	bool left, zero;
	int width;
	int longs;
};

static int emit_padded(tb_putc_fn out, void *ctx, const struct spec *sp, const char *s, int len)
{
	int n = 0;
	int pad = sp->width > len ? sp->width - len : 0;
	if (!sp->left) {
		for (; pad > 0; pad--, n++) {
			out(ctx, sp->zero ? '0' : ' ');
		}
	}
	for (int i = 0; i < len; i++, n++) {
		out(ctx, s[i]);
	}
	for (; pad > 0; pad--, n++) {
		out(ctx, ' ');
	}
	return n;
}

/* number: render v in base into buf (right-aligned); returns the first character. */
static char *number(char *end, u64 v, u32 base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;
	do {
		*--p = digits[v % base];
		v /= base;
	} while (v != 0);
	return p;
}

int tb_vformat(tb_putc_fn out, void *ctx, const char *fmt, va_list ap)
{
	int n = 0;
	for (; *fmt != 0; fmt++) {
		if (*fmt != '%') {
			out(ctx, *fmt);
			n++;
			continue;
		}
		struct spec sp = {0};
		fmt++;
		for (; *fmt == '-' || *fmt == '0'; fmt++) {
			if (*fmt == '-') {
				sp.left = true;
			} else {
				sp.zero = true;
			}
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++) {
			sp.width = sp.width * 10 + (*fmt - '0');
		}
		for (; *fmt == 'l' || *fmt == 'z'; fmt++) {
			sp.longs += *fmt == 'l' ? 1 : 0;
		}
		char buf[24];
		char *end = buf + sizeof(buf);
		u64 v;
		switch (*fmt) {
		case 'd': {
			s64 sv = sp.longs >= 2 ? va_arg(ap, long long) : va_arg(ap, int);
			char *p = number(end, sv < 0 ? (u64)-sv : (u64)sv, 10, false);
			if (sv < 0) {
				*--p = '-';
			}
			n += emit_padded(out, ctx, &sp, p, (int)(end - p));
			break;
		}
		case 'u':
		case 'x':
		case 'X':
			v = sp.longs >= 2   ? va_arg(ap, unsigned long long)
			    : sp.longs == 1 ? va_arg(ap, unsigned long)
					    : va_arg(ap, unsigned int);
			{
				char *p = number(end, v, *fmt == 'u' ? 10 : 16, *fmt == 'X');
				n += emit_padded(out, ctx, &sp, p, (int)(end - p));
			}
			break;
		case 'p': {
			char *p = number(end, (uintptr_t)va_arg(ap, void *), 16, false);
			*--p = 'x';
			*--p = '0';
			n += emit_padded(out, ctx, &sp, p, (int)(end - p));
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			if (s == NULL) {
				s = "(null)";
			}
			n += emit_padded(out, ctx, &sp, s, (int)strlen(s));
			break;
		}
		case 'c':
			buf[0] = (char)va_arg(ap, int);
			n += emit_padded(out, ctx, &sp, buf, 1);
			break;
		case '%':
			out(ctx, '%');
			n++;
			break;
		default:
			/* Unknown conversion: print it verbatim so the mistake is visible. */
			out(ctx, '%');
			out(ctx, *fmt);
			n += 2;
			if (*fmt == 0) {
				return n;
			}
			break;
		}
	}
	return n;
}

struct bufctx {
	char *buf;
	size_t size, len;
};

static void buf_putc(void *ctx, char c)
{
	struct bufctx *b = ctx;
	if (b->len + 1 < b->size) {
		b->buf[b->len] = c;
	}
	b->len++;
}

int tb_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	struct bufctx b = {buf, size, 0};
	va_list ap;
	va_start(ap, fmt);
	int n = tb_vformat(buf_putc, &b, fmt, ap);
	va_end(ap);
	if (size > 0) {
		buf[b.len < size ? b.len : size - 1] = 0;
	}
	return n;
}
