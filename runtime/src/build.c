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

size_t p2f__elem_align(const p2f_field_desc *f) {
  if (f->type == P2F_FT_MESSAGE) return f->sub->align ? f->sub->align : P2F_ARENA_DEFAULT_ALIGN;
  return f->elem_size < 8 ? f->elem_size : 8; /* scalars: 1, 4, 8; p2f_str / p2f_bytes: 8 */
}

static p2f_status set_data(p2f_arena *a, void **data, uint32_t *len, const void *src, size_t n, int nul) {
  if (a == NULL || data == NULL || len == NULL || (src == NULL && n != 0)) return P2F_ERR_INVALID_ARGUMENT;
  if (n > UINT32_MAX) return P2F_ERR_STRING_TOO_LONG;
  void *p = NULL;
  if (n != 0) {
    p = nul ? (void *)p2f_arena_strdup(a, (const char *)src, n) : p2f_arena_memdup(a, src, n);
    if (p == NULL) return p2f__arena_status(a);
  }
  *data = p;
  *len = (uint32_t)n;
  return P2F_OK;
}

p2f_status p2f_set_text(p2f_arena *a, char **data, uint32_t *len, const void *src, size_t n) {
  void *p = data ? *data : NULL;
  p2f_status st = set_data(a, data ? &p : NULL, len, src, n, 1);
  if (st == P2F_OK) *data = (char *)p;
  return st;
}

p2f_status p2f_set_bytes(p2f_arena *a, uint8_t **data, uint32_t *len, const void *src, size_t n) {
  void *p = data ? *data : NULL;
  p2f_status st = set_data(a, data ? &p : NULL, len, src, n, 0);
  if (st == P2F_OK) *data = (uint8_t *)p;
  return st;
}

void *p2f_array_add(p2f_arena *a, void **data, uint32_t *count, uint32_t *cap, size_t elem_size, size_t align) {
  if (a == NULL || data == NULL || count == NULL || cap == NULL || elem_size == 0) return NULL;
  if (*count == UINT32_MAX) return NULL;
  void *d = *data;
  uint32_t c = *cap;
  if (c != 0 && *count > c) return NULL; /* not an array this function made */
  if (p2f__array_reserve(a, &d, *count, &c, 1, elem_size, align) != P2F_OK) return NULL;
  *data = d;
  *cap = c;
  unsigned char *slot = (unsigned char *)d + (size_t)*count * elem_size;
  memset(slot, 0, elem_size);
  (*count)++;
  return slot;
}

void *p2f_msg_new(p2f_arena *a, const p2f_msg_desc *d) {
  if (a == NULL || d == NULL) return NULL;
  void *m = p2f_arena_alloc_aligned(a, d->size, d->align ? d->align : P2F_ARENA_DEFAULT_ALIGN);
  if (m != NULL) d->init(m);
  return m;
}
