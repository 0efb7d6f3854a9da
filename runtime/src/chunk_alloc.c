/* Chunk memory for pools: mimalloc loaded privately, or the system allocator
 * (see internal/chunk_alloc.h). */
#if !defined(_WIN32) && !defined(_POSIX_C_SOURCE)
#define _POSIX_C_SOURCE 200809L
#endif

#include "internal/chunk_alloc.h"
#include "internal/port.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#if P2F__WITH_MIMALLOC && !defined(_WIN32)
#include <dlfcn.h>
#include <pthread.h>

typedef void *(*mi_malloc_aligned_fn)(size_t size, size_t alignment);
typedef void (*mi_free_fn)(void *p);

static mi_malloc_aligned_fn mi_alloc;
static mi_free_fn mi_release;
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

/* Function pointers from dlsym: POSIX guarantees the object-to-function conversion. */
static void load_mimalloc(void) {
  const char *choice = getenv("P2F_ALLOCATOR");
  if (choice != NULL && strcmp(choice, "system") == 0) return;
  void *lib = dlopen(P2F__MIMALLOC_SONAME, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) return;
  void *a = dlsym(lib, "mi_malloc_aligned");
  void *f = dlsym(lib, "mi_free");
  if (a == NULL || f == NULL) return;
  *(void **)(&mi_alloc) = a;
  *(void **)(&mi_release) = f;
}

static int have_mimalloc(void) {
  pthread_once(&load_once, load_mimalloc);
  return mi_alloc != NULL;
}
/* Debian's mimalloc 2.0.9 can return a block that is not aligned as asked for some sizes
 * (mi_malloc_aligned(512, 256) does). The result is checked; a misaligned block is released
 * and the request retried at a size (at least 4 KiB) that takes mimalloc's page-aligned path;
 * if that is misaligned too, the chunk allocation fails (NULL) rather than break the pool's
 * alignment promise. */
static void *mi_alloc_checked(size_t size, size_t align) {
  void *p = mi_alloc(size, align);
  if (p == NULL || ((uintptr_t)p & (align - 1)) == 0) return p;
  mi_release(p);
  p = mi_alloc(size < 4096 ? 4096 : size, align);
  if (p != NULL && ((uintptr_t)p & (align - 1)) != 0) {
    mi_release(p);
    return NULL;
  }
  return p;
}
#else
static int have_mimalloc(void) { return 0; }
#endif

void *p2f__chunk_alloc(size_t size, size_t align) {
#if P2F__WITH_MIMALLOC && !defined(_WIN32)
  if (have_mimalloc()) return mi_alloc_checked(size, align);
#endif
#if defined(_WIN32)
  return _aligned_malloc(size, align);
#else
  if (align < sizeof(void *)) align = sizeof(void *);
  return aligned_alloc(align, size);
#endif
}

void p2f__chunk_free(void *p) {
  if (p == NULL) return;
#if P2F__WITH_MIMALLOC && !defined(_WIN32)
  if (have_mimalloc()) {
    mi_release(p);
    return;
  }
#endif
#if defined(_WIN32)
  _aligned_free(p);
#else
  free(p);
#endif
}

const char *p2f__chunk_backend(void) { return have_mimalloc() ? "mimalloc" : "system"; }
