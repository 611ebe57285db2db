/* String helpers available to freestanding code (hypervisor, guests) and host code alike. */
#ifndef TB_STR_H
#define TB_STR_H

#include "tb/types.h"

#ifdef TB_FREESTANDING
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
#else
#include <string.h>
#endif

/* tb_parse_u64: parse a decimal or 0x-prefixed hexadecimal number of exactly len characters,
 * with an optional K/M/G suffix (binary units) when allow_suffix. Returns false on junk. */
bool tb_parse_u64(const char *s, size_t len, bool allow_suffix, u64 *out);

/* tb_token: the next space-separated token of *cursor, its length in *len; NULL at the end. */
const char *tb_token(const char **cursor, size_t *len);

#endif
