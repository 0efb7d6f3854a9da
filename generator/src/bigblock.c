/* Large blocks (see bigblock.h). */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* madvise and MADV_HUGEPAGE under -std=c11 */
#endif
#include "bigblock.h"

#include <stdint.h>
#include <stdlib.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

void *gen_bigblock_alloc(size_t *size, size_t *mapped) {
  *mapped = 0;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  size_t n = (*size + GEN_BIGBLOCK_MIN - 1) & ~(size_t)(GEN_BIGBLOCK_MIN - 1);
  void *raw = mmap(NULL, n + GEN_BIGBLOCK_MIN, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw != MAP_FAILED) {
    uintptr_t base = (uintptr_t)raw;
    uintptr_t aligned = (base + GEN_BIGBLOCK_MIN - 1) & ~(uintptr_t)(GEN_BIGBLOCK_MIN - 1);
    if (aligned > base) munmap(raw, (size_t)(aligned - base));
    size_t tail = (size_t)(base + n + GEN_BIGBLOCK_MIN - (aligned + n));
    if (tail) munmap((void *)(aligned + n), tail);
    (void)madvise((void *)aligned, n, MADV_HUGEPAGE);
    *size = n;
    *mapped = n;
    return (void *)aligned;
  }
#endif
  return calloc(1, *size);
}

void gen_bigblock_free(void *p, size_t mapped) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (mapped) {
    munmap(p, mapped);
    return;
  }
#endif
  (void)mapped;
  free(p);
}
