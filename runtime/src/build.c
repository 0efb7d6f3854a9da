/* Out-of-line storage in an arena: array growth for the decoder (internal/ool.h) and the
 * building helpers of codec.h that generated setters call. */
#include <string.h>

#include "proto2ffi/codec.h"
#include "internal/ool.h"

p2f_status p2f__arena_status(const p2f_arena *a) {
  p2f_status st = p2f_arena_last_error(a);
  return st != P2F_OK ? st : P2F_ERR_OUT_OF_MEMORY;
}

p2f_status p2f__array_reserve(p2f_arena *a, void **data, uint32_t count, uint32_t *cap, uint64_t more,
                              size_t elem_size, size_t align) {
  uint64_t need = (uint64_t)count + more;
  if (need <= *cap) return P2F_OK;
  if (need > UINT32_MAX) return P2F_ERR_TOO_MANY_ELEMENTS;
  uint64_t grown = *cap != 0 ? (uint64_t)*cap * 2 : 4;
  uint64_t ncap = grown > need ? grown : need;
  if (ncap > UINT32_MAX) ncap = UINT32_MAX;
  if (ncap > SIZE_MAX / elem_size) return P2F_ERR_OUT_OF_MEMORY;
  void *n;
  if (*cap == 0) { /* not the arena's (NULL, or set by reference): copy what it holds */
    n = p2f_arena_alloc_aligned(a, (size_t)ncap * elem_size, align);
    if (n != NULL && count != 0) memcpy(n, *data, (size_t)count * elem_size);
  } else {
    n = p2f_arena_realloc(a, *data, (size_t)*cap * elem_size, (size_t)ncap * elem_size, align);
  }
  if (n == NULL) return p2f__arena_status(a);
  *data = n;
  *cap = (uint32_t)ncap;
  return P2F_OK;
}

void *p2f_msg_new(p2f_arena *a, const p2f_msg_desc *d) {
  if (a == NULL || d == NULL) return NULL;
  void *m = p2f_arena_alloc_aligned(a, d->size, d->align ? d->align : P2F_ARENA_DEFAULT_ALIGN);
  if (m != NULL) d->init(m);
  return m;
}
