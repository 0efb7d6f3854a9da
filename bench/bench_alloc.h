/* bench_alloc.h: mimalloc for the benchmarks that measure against it (pool_bench, mem_bench)
 * and for the version in every result file (bench_util.c).
 *
 * The library is loaded with dlopen(RTLD_LOCAL) and called through the pointers dlsym
 * returns: linking it would replace malloc for the whole process, the runtime's own
 * allocations and the "glibc malloc" peer included.
 *
 * Thread-safety: the first call loads the library and fills the table; make it from one
 * thread (main, before the measurements start). The table is read-only afterwards and lives
 * until the process exits.
 */
#ifndef P2F_BENCH_ALLOC_H_
#define P2F_BENCH_ALLOC_H_

#include <stddef.h>

typedef struct bench_mimalloc {
  void *(*alloc)(size_t size); /* mi_malloc */
  void (*release)(void *p);    /* mi_free */
  int (*version)(void);        /* mi_version: major * 100 + minor * 10 + patch; NULL if absent */
} bench_mimalloc;

/* libmimalloc.so.2's functions, loaded on the first call; NULL when the library cannot be
 * loaded or lacks mi_malloc or mi_free. */
const bench_mimalloc *bench_mimalloc_load(void);

/* bench_mimalloc_load, or NULL after a line on stderr saying which package to install. */
const bench_mimalloc *bench_mimalloc_require(const char *program);

#endif /* P2F_BENCH_ALLOC_H_ */
