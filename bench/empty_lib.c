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

/* No argument, no result: the bare cost of an indirect call into another module. */
BENCH_EXPORT void p2f_bench_empty(void) {}

/* One pointer in, the same pointer out: the shape of init, alloc and free. */
BENCH_EXPORT void *p2f_bench_empty_ptr(void *p) { return p; }
