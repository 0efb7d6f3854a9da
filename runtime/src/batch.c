/* The column kernels of proto2ffi/batch.h: argument checks, the mean, and the dispatch to
 * the level's table (internal/batch.h). The level is detected once, on first use, from what
 * the CPU executes (AVX2 where __builtin_cpu_supports says so, else the baseline vector
 * level); p2f_batch_set_level replaces it. */
#include <math.h>
#include <stdatomic.h>

#include "internal/batch.h"
#include "internal/port.h"

/* Level + 1; 0: not yet detected. Racing first calls store the same value. */
static atomic_int current_level;

static int best_level(void) {
#if P2F__X86_SIMD
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2") && p2f__batch_ops_avx2.sum_i32 != NULL) return P2F_BATCH_AVX2;
#endif
  return P2F_BATCH_VECTOR;
}

int p2f_batch_level_available(int level) {
  switch (level) {
    case P2F_BATCH_SCALAR:
    case P2F_BATCH_VECTOR:
      return 1;
    case P2F_BATCH_AVX2:
    case P2F_BATCH_AVX2_GATHER:
      return best_level() == P2F_BATCH_AVX2;
    default:
      return 0;
  }
}

int p2f_batch_current_level(void) {
  int l = atomic_load_explicit(&current_level, memory_order_relaxed);
  if (l == 0) {
    l = best_level() + 1;
    atomic_store_explicit(&current_level, l, memory_order_relaxed);
  }
  return l - 1;
}

p2f_status p2f_batch_set_level(int level) {
  if (level == P2F_BATCH_AUTO) level = best_level();
  if (!p2f_batch_level_available(level)) return P2F_ERR_INVALID_ARGUMENT;
  atomic_store_explicit(&current_level, level + 1, memory_order_relaxed);
  return P2F_OK;
}

const char *p2f_batch_level_name(int level) {
  switch (level) {
    case P2F_BATCH_SCALAR:
      return "scalar";
    case P2F_BATCH_VECTOR:
#if defined(__x86_64__) || defined(_M_X64)
      return "sse2";
#elif defined(__aarch64__) || defined(_M_ARM64)
      return "neon";
#else
      return "vector";
#endif
    case P2F_BATCH_AVX2:
      return "avx2";
    case P2F_BATCH_AVX2_GATHER:
      return "avx2-gather";
    default:
      return "unknown";
  }
}

static const p2f__batch_ops *ops(void) {
  switch (p2f_batch_current_level()) {
    case P2F_BATCH_SCALAR:
      return &p2f__batch_ops_scalar;
    case P2F_BATCH_AVX2:
      return &p2f__batch_ops_avx2;
    case P2F_BATCH_AVX2_GATHER:
      return &p2f__batch_ops_avx2_gather;
    default:
      return &p2f__batch_ops_vector;
  }
}

#define P2F__COL_DEFINE_(n, T, S)                                                                 \
  S p2f_col_sum_##n(const void *msgs, size_t offset, size_t stride, size_t count) {               \
    if (msgs == NULL || count == 0) return 0;                                                     \
    return ops()->sum_##n((const char *)msgs + offset, stride, count);                           \
  }                                                                                               \
  double p2f_col_mean_##n(const void *msgs, size_t offset, size_t stride, size_t count) {         \
    if (msgs == NULL || count == 0) return NAN;                                                   \
    return (double)ops()->sum_##n((const char *)msgs + offset, stride, count) / (double)count;   \
  }                                                                                               \
  size_t p2f_col_min_##n(const void *msgs, size_t offset, size_t stride, size_t count, T *out) {  \
    if (out == NULL) return 0;                                                                    \
    if (msgs == NULL || count == 0) {                                                             \
      *out = P2F__COL_NONE_##n;                                                                   \
      return 0;                                                                                   \
    }                                                                                             \
    return ops()->min_##n((const char *)msgs + offset, stride, count, out);                      \
  }                                                                                               \
  size_t p2f_col_max_##n(const void *msgs, size_t offset, size_t stride, size_t count, T *out) {  \
    if (out == NULL) return 0;                                                                    \
    if (msgs == NULL || count == 0) {                                                             \
      *out = P2F__COL_NONE_##n;                                                                   \
      return 0;                                                                                   \
    }                                                                                             \
    return ops()->max_##n((const char *)msgs + offset, stride, count, out);                      \
  }                                                                                               \
  size_t p2f_col_count_above_##n(const void *msgs, size_t offset, size_t stride, size_t count,    \
                                 T threshold) {                                                   \
    if (msgs == NULL || count == 0) return 0;                                                     \
    return ops()->count_above_##n((const char *)msgs + offset, stride, count, threshold);        \
  }                                                                                               \
  S p2f_col_dot_##n(const void *a, const void *b, size_t offset, size_t stride, size_t count) {   \
    if (a == NULL || b == NULL || count == 0) return 0;                                           \
    return ops()->dot_##n((const char *)a + offset, (const char *)b + offset, stride, count);    \
  }                                                                                               \
  void p2f_col_scale_##n(void *msgs, size_t offset, size_t stride, size_t count, T factor) {      \
    if (msgs == NULL || count == 0) return;                                                       \
    ops()->scale_##n((char *)msgs + offset, stride, count, factor);                              \
  }

#define P2F__PTRS_DEFINE_(n, T, S)                                                                 \
  S p2f_ptrs_sum_##n(const void *msgs, size_t offset, size_t count) {                              \
    if (msgs == NULL || count == 0) return 0;                                                      \
    size_t present;                                                                                \
    return ops()->psum_##n(msgs, offset, count, &present);                                         \
  }                                                                                                \
  double p2f_ptrs_mean_##n(const void *msgs, size_t offset, size_t count) {                        \
    if (msgs == NULL || count == 0) return NAN;                                                    \
    size_t present = 0;                                                                            \
    S sum = ops()->psum_##n(msgs, offset, count, &present);                                        \
    return present ? (double)sum / (double)present : NAN;                                          \
  }                                                                                                \
  size_t p2f_ptrs_min_##n(const void *msgs, size_t offset, size_t count, T *out) {                 \
    if (out == NULL) return 0;                                                                     \
    if (msgs == NULL || count == 0) {                                                              \
      *out = P2F__COL_NONE_##n;                                                                    \
      return 0;                                                                                    \
    }                                                                                              \
    return ops()->pmin_##n(msgs, offset, count, out);                                              \
  }                                                                                                \
  size_t p2f_ptrs_max_##n(const void *msgs, size_t offset, size_t count, T *out) {                 \
    if (out == NULL) return 0;                                                                     \
    if (msgs == NULL || count == 0) {                                                              \
      *out = P2F__COL_NONE_##n;                                                                    \
      return 0;                                                                                    \
    }                                                                                              \
    return ops()->pmax_##n(msgs, offset, count, out);                                              \
  }                                                                                                \
  size_t p2f_ptrs_count_above_##n(const void *msgs, size_t offset, size_t count, T threshold) {    \
    if (msgs == NULL || count == 0) return 0;                                                      \
    return ops()->pcount_above_##n(msgs, offset, count, threshold);                                \
  }                                                                                                \
  S p2f_ptrs_dot_##n(const void *a, const void *b, size_t offset, size_t count) {                  \
    if (a == NULL || b == NULL || count == 0) return 0;                                            \
    return ops()->pdot_##n(a, b, offset, count);                                                   \
  }                                                                                                \
  void p2f_ptrs_scale_##n(const void *msgs, size_t offset, size_t count, T factor) {               \
    if (msgs == NULL || count == 0) return;                                                        \
    ops()->pscale_##n(msgs, offset, count, factor);                                                \
  }

/* What min and max store for a column without values. */
#define P2F__COL_NONE_i32 0
#define P2F__COL_NONE_u32 0
#define P2F__COL_NONE_i64 0
#define P2F__COL_NONE_u64 0
#define P2F__COL_NONE_f32 NAN
#define P2F__COL_NONE_f64 NAN

P2F_BATCH_TYPES(P2F__COL_DEFINE_)
P2F_BATCH_TYPES(P2F__PTRS_DEFINE_)
