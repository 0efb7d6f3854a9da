/* Which allocator does a program that links proto2ffi end up with?
 *
 *   test_host_allocator runtime   (linked with libproto2ffi, static or shared)
 *       pool chunks come from mimalloc, but the program's malloc is still the system's and
 *       no mimalloc symbol is visible in the global scope: the runtime loads libmimalloc
 *       privately (dlopen RTLD_LOCAL).
 *   test_host_allocator direct    (also linked with -lmimalloc, for contrast)
 *       linking libmimalloc directly replaces malloc for the whole process, which is what
 *       the runtime avoids.
 * Prints what it finds and checks it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "../support/check.h"
#include "proto2ffi/pool.h"

typedef bool (*in_heap_fn)(const void *p);

int main(int argc, char **argv) {
  if (argc != 2) return 2;
  bool direct = strcmp(argv[1], "direct") == 0;

  p2f_pool *pool = p2f_pool_new(64, 8, 16, 0, 0);
  void *slot = p2f_pool_alloc(pool, NULL);
  void *heap = malloc(64);
  CHECK(pool != NULL && slot != NULL && heap != NULL);

  /* The instance of libmimalloc already in the process (loaded by the runtime or linked). */
  void *lib = dlopen("libmimalloc.so.2", RTLD_NOW | RTLD_NOLOAD);
  CHECK(lib != NULL);
  in_heap_fn in_heap = NULL;
  if (lib) *(void **)(&in_heap) = dlsym(lib, "mi_is_in_heap_region");
  CHECK(in_heap != NULL);
  bool global_mi = dlsym(RTLD_DEFAULT, "mi_malloc") != NULL;
  if (in_heap) {
    bool slot_mi = in_heap(slot), heap_mi = in_heap(heap);
    printf("pool backend: %s; pool slot from mimalloc: %s; malloc() from mimalloc: %s; "
           "mimalloc in the global symbol scope: %s\n",
           p2f_pool_backend(), slot_mi ? "yes" : "no", heap_mi ? "yes" : "no", global_mi ? "yes" : "no");
    CHECK(slot_mi);
    CHECK(heap_mi == direct);
    CHECK(global_mi == direct);
  }
  free(heap);
  p2f_pool_free(pool, slot);
  p2f_pool_destroy(pool);
  if (lib) dlclose(lib);
  return CHECK_REPORT();
}
