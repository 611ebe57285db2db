/* A small printf used by freestanding code: %[-0][width][l|ll](d|u|x|X|s|c|p|%). */
#ifndef TB_FMT_H
#define TB_FMT_H

#include "tb/types.h"
#include <stdarg.h>

typedef void (*tb_putc_fn)(void *ctx, char c);

/* tb_vformat: format to out, returns the number of characters produced. */
int tb_vformat(tb_putc_fn out, void *ctx, const char *fmt, va_list ap);
/* tb_snprintf: format into buf (always NUL-terminated when size > 0). */
int tb_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
