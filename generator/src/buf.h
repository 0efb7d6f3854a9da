/* Growable arrays: a byte string (always NUL-terminated; from 2 MiB on in a big block, see
 * bigblock.h) and a pointer vector. A zero-initialised value is empty and ready; the owner
 * releases it with *_free. */
#ifndef P2F_GEN_BUF_H_
#define P2F_GEN_BUF_H_

#include <stdarg.h>
#include <stddef.h>

typedef struct gen_buf {
  char *data; /* NULL until something is appended */
  size_t len;
  size_t cap;
  size_t mapped; /* internal: non-zero when data is a big block (bigblock.h) */
} gen_buf;

void gen_buf_append(gen_buf *b, const char *s, size_t n);
void gen_buf_puts(gen_buf *b, const char *s);
void gen_buf_putc(gen_buf *b, char c);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
void gen_buf_printf(gen_buf *b, const char *fmt, ...);
void gen_buf_free(gen_buf *b);
/* Returns the text as a malloc block the caller frees, and empties b. */
char *gen_buf_take(gen_buf *b);

typedef struct gen_vec {
  void **items;
  size_t len;
  size_t cap;
} gen_vec;

void gen_vec_push(gen_vec *v, void *item);
void gen_vec_free(gen_vec *v); /* the array, not the items */

#endif /* P2F_GEN_BUF_H_ */
