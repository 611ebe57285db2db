/* Freestanding string functions (for the hypervisor and guests) and parsing helpers. */
#include "tb/str.h"

#ifdef TB_FREESTANDING
void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;
	if ((((uintptr_t)d | (uintptr_t)s | n) & 15) == 0) {
		/* Four words a step: whole pages (snapshots, copies on write) are the big users. */
		for (size_t i = 0; i < n; i += 16) {
			u32 *dw = (u32 *)(d + i);
			const u32 *sw = (const u32 *)(s + i);
			u32 a = sw[0], b = sw[1], c = sw[2], e = sw[3];
			dw[0] = a;
			dw[1] = b;
			dw[2] = c;
			dw[3] = e;
		}
		return dst;
	}
	if ((((uintptr_t)d | (uintptr_t)s | n) & 3) == 0) {
		for (size_t i = 0; i < n; i += 4) {
			*(u32 *)(d + i) = *(const u32 *)(s + i);
		}
		return dst;
	}
	for (size_t i = 0; i < n; i++) {
		d[i] = s[i];
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;
	if (d <= s || d >= s + n) {
		for (size_t i = 0; i < n; i++) {
			d[i] = s[i];
		}
	} else {
		for (size_t i = n; i > 0; i--) {
			d[i - 1] = s[i - 1];
		}
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	u32 w = (u8)c * 0x01010101u;
	if ((((uintptr_t)d | n) & 15) == 0) {
		/* Four words a step: whole tables and pages are the big users. */
		for (size_t i = 0; i < n; i += 16) {
			u32 *dw = (u32 *)(d + i);
			dw[0] = w;
			dw[1] = w;
			dw[2] = w;
			dw[3] = w;
		}
		return dst;
	}
	if ((((uintptr_t)d | n) & 3) == 0) {
		for (size_t i = 0; i < n; i += 4) {
			*(u32 *)(d + i) = w;
		}
		return dst;
	}
	for (size_t i = 0; i < n; i++) {
		d[i] = (u8)c;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;
	for (size_t i = 0; i < n; i++) {
		if (x[i] != y[i]) {
			return x[i] - y[i];
		}
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == (u8)c) {
			return (void *)(p + i);
		}
	}
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n] != 0) {
		n++;
	}
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (a[i] != b[i] || a[i] == 0) {
			return (u8)a[i] - (u8)b[i];
		}
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c) {
			return (char *)s;
		}
		if (*s == 0) {
			return NULL;
		}
	}
}
#endif

bool tb_parse_u64(const char *s, size_t len, bool allow_suffix, u64 *out)
{
	u64 v = 0;
	u32 base = 10;
	size_t i = 0;
	u64 scale = 1;
	if (len == 0) {
		return false;
	}
	if (allow_suffix) {
		char c = s[len - 1];
		scale = c == 'K' || c == 'k'   ? KiB
			: c == 'M' || c == 'm' ? MiB
			: c == 'G' || c == 'g' ? 1024ull * MiB
					       : 1;
		if (scale != 1) {
			len--;
		}
	}
	if (len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	}
	if (i == len) {
		return false;
	}
	for (; i < len; i++) {
		char c = s[i];
		u32 d;
		if (c >= '0' && c <= '9') {
			d = (u32)(c - '0');
		} else if (base == 16 && c >= 'a' && c <= 'f') {
			d = (u32)(c - 'a' + 10);
		} else if (base == 16 && c >= 'A' && c <= 'F') {
			d = (u32)(c - 'A' + 10);
		} else {
			return false;
		}
		if (v > (~0ull - d) / base) {
			return false;
		}
		v = v * base + d;
	}
	if (v > ~0ull / scale) {
		return false;
	}
	*out = v * scale;
	return true;
}

const char *tb_token(const char **cursor, size_t *len)
{
	const char *p = *cursor;
	while (*p == ' ' || *p == '\t' || *p == '\n') {
		p++;
	}
	if (*p == 0) {
		*cursor = p;
		return NULL;
	}
	const char *start = p;
	while (*p != 0 && *p != ' ' && *p != '\t' && *p != '\n') {
		p++;
	}
	*len = (size_t)(p - start);
	*cursor = p;
	return start;
}
