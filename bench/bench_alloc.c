/* mimalloc loaded privately for the benchmarks (see bench_alloc.h). */
#if !defined(_POSIX_C_SOURCE) && !defined(_GNU_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif
#include "bench_alloc.h"

#include <dlfcn.h>
#include <stdio.h>

#define MIMALLOC_SONAME "libmimalloc.so.2"

const bench_mimalloc *bench_mimalloc_load(void) {
  static bench_mimalloc table;
  static int state; /* 0: not tried, 1: loaded, -1: unavailable */
  if (state == 0) {
    state = -1;
    void *lib = dlopen(MIMALLOC_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (lib != NULL) {
      /* Function pointers from dlsym: POSIX guarantees the object-to-function conversion. */
      *(void **)(&table.alloc) = dlsym(lib, "mi_malloc");
      *(void **)(&table.release) = dlsym(lib, "mi_free");
      *(void **)(&table.version) = dlsym(lib, "mi_version");
      if (table.alloc != NULL && table.release != NULL) state = 1;
    }
  }
  return state == 1 ? &table : NULL;
}

const bench_mimalloc *bench_mimalloc_require(const char *program) {
  const bench_mimalloc *mi = bench_mimalloc_load();
  if (mi == NULL) fprintf(stderr, "%s: " MIMALLOC_SONAME " not found (apt-get install libmimalloc2.0)\n", program);
  return mi;
}
