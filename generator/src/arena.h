/* Memory for the generator: checked malloc/realloc, and the arena that owns every model
 * allocation (released at once with gen_arena_free). The generator is a short-lived process,
 * but everything is still released at exit so that valgrind runs of the plugin stay clean.
 *
 * Allocation failure is fatal (gen_oom prints and exits 1): the plugin cannot produce a
 * partial answer, and protoc reports a plugin that exits non-zero. Not thread-safe: one arena
 * belongs to one thread.
 */
#ifndef P2F_GEN_ARENA_H_
#define P2F_GEN_ARENA_H_

#include <stddef.h>

typedef struct gen_arena gen_arena;

_Noreturn void gen_oom(void);
void *gen_xmalloc(size_t size); /* never NULL; the caller frees */
void *gen_xrealloc(void *p, size_t size);

gen_arena *gen_arena_new(void);
void gen_arena_free(gen_arena *a); /* every block the arena handed out */
void *gen_alloc(gen_arena *a, size_t size); /* zeroed, aligned for any scalar */
char *gen_strdup(gen_arena *a, const char *s);
char *gen_strndup(gen_arena *a, const char *s, size_t n);
char *gen_strcat3(gen_arena *a, const char *x, const char *y, const char *z);

#endif /* P2F_GEN_ARENA_H_ */
