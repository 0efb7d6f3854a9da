/* The baseline of the FFI benchmark: exported functions that do nothing, in a shared library
 * of their own, loaded and called exactly like the generated code (dlopen, dlsym, a call
 * through the pointer). */
#include <stddef.h>

#if defined(__GNUC__)
#define BENCH_EXPORT __attribute__((visibility("default")))
#else
#define BENCH_EXPORT
#endif

BENCH_EXPORT void p2f_bench_empty(void);
BENCH_EXPORT void *p2f_bench_empty_ptr(void *p);
BENCH_EXPORT void *p2f_bench_empty_ptr2(void *p, void *q);

/* No argument, no result: the bare cost of an indirect call into another module. */
BENCH_EXPORT void p2f_bench_empty(void) {}

/* One pointer in, the same pointer out: the shape of init, alloc and free. */
BENCH_EXPORT void *p2f_bench_empty_ptr(void *p) { return p; }

/* Two pointers in, the first out: the shape of p2f_pool_alloc(pool, status) and
 * p2f_pool_free(pool, slot). */
BENCH_EXPORT void *p2f_bench_empty_ptr2(void *p, void *q) {
  (void)q;
  return p;
}
