/* Generator utilities: an arena that owns every model allocation, growable strings, and a
 * growable pointer vector. The generator is a short-lived process, but everything is still
 * released at exit so that valgrind runs of the plugin stay clean.
 *
 * Allocation failure is fatal (gen_oom prints and exits 1): the plugin cannot produce a
 * partial answer, and protoc reports a plugin that exits non-zero.
 */
#ifndef P2F_GEN_UTIL_H_
#define P2F_GEN_UTIL_H_

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct gen_arena gen_arena;

gen_arena *gen_arena_new(void);
void gen_arena_free(gen_arena *a);
void *gen_alloc(gen_arena *a, size_t size); /* zeroed, aligned for any scalar */
char *gen_strdup(gen_arena *a, const char *s);
char *gen_strndup(gen_arena *a, const char *s, size_t n);
char *gen_strcat3(gen_arena *a, const char *x, const char *y, const char *z);
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
char *gen_strf(gen_arena *a, const char *fmt, ...);
char *gen_u64(gen_arena *a, uint64_t v);
char *gen_i64(gen_arena *a, int64_t v);

_Noreturn void gen_oom(void);
void *gen_xmalloc(size_t size);
void *gen_xrealloc(void *p, size_t size);

/* A growable byte string, always NUL-terminated. */
typedef struct gen_buf {
  char *data;
  size_t len;
  size_t cap;
  size_t mapped; /* internal: non-zero when data is a large mapped block */
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

/* A growable vector of pointers. */
typedef struct gen_vec {
  void **items;
  size_t len;
  size_t cap;
} gen_vec;

void gen_vec_push(gen_vec *v, void *item);
void gen_vec_free(gen_vec *v);

/* Glob match as nanopb's .options files use it: '*' any run (dots included), '?' one char. */
bool gen_glob_match(const char *pattern, const char *text);

#endif /* P2F_GEN_UTIL_H_ */
