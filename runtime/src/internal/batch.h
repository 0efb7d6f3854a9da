/* internal/batch.h: the table of column kernels one dispatch level provides (batch.c picks
 * one; batch_scalar.c, batch_vector.c and batch_avx2.c each instantiate batch_kernels.inc
 * once per column type to fill theirs). Kernels take the first value's address `p`, the
 * stride in bytes and the count; n > 0 and p valid are checked by batch.c. */
#ifndef PROTO2FFI_INTERNAL_BATCH_H_
#define PROTO2FFI_INTERNAL_BATCH_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto2ffi/batch.h"

typedef struct p2f__batch_ops {
#define P2F__BATCH_OPS_(n, T, S)                                                \
  S (*sum_##n)(const char *p, size_t stride, size_t count);                    \
  size_t (*min_##n)(const char *p, size_t stride, size_t count, T *out);       \
  size_t (*max_##n)(const char *p, size_t stride, size_t count, T *out);       \
  size_t (*count_above_##n)(const char *p, size_t stride, size_t count, T t);  \
  S (*dot_##n)(const char *a, const char *b, size_t stride, size_t count);     \
  void (*scale_##n)(char *p, size_t stride, size_t count, T factor);             \
  /* Over an array of message pointers m (NULL entries skipped), the value at off. */ \
  S (*psum_##n)(const void *m, size_t off, size_t count, size_t *present);       \
  size_t (*pmin_##n)(const void *m, size_t off, size_t count, T *out);           \
  size_t (*pmax_##n)(const void *m, size_t off, size_t count, T *out);           \
  size_t (*pcount_above_##n)(const void *m, size_t off, size_t count, T t);      \
  S (*pdot_##n)(const void *a, const void *b, size_t off, size_t count);         \
  void (*pscale_##n)(const void *m, size_t off, size_t count, T factor);
  P2F_BATCH_TYPES(P2F__BATCH_OPS_)
#undef P2F__BATCH_OPS_
} p2f__batch_ops;

/* Entry i of an array of object pointers of any type (T *[n]), read as bytes: the array is
 * not accessed through a void * lvalue (see p2f_pool_alloc_msgs in proto2ffi/pool.h). */
static inline const char *p2f__ptr_at(const unsigned char *m, size_t i) {
  const char *q;
  memcpy(&q, m + i * sizeof q, sizeof q);
  return q;
}

/* The levels' tables; p2f__batch_ops_avx2 is all NULL in a build without AVX2 code. */
extern const p2f__batch_ops p2f__batch_ops_scalar;
extern const p2f__batch_ops p2f__batch_ops_vector;
extern const p2f__batch_ops p2f__batch_ops_avx2;
/* The AVX2 table with the gather sums (batch_avx2.c), or all NULL. */
extern const p2f__batch_ops p2f__batch_ops_avx2_gather;

#endif /* PROTO2FFI_INTERNAL_BATCH_H_ */
