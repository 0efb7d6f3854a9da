/* proto2ffi/batch.h: column kernels over arrays of fixed-layout messages, chosen at run time
 * from what the CPU executes (AVX2, SSE2, or portable scalar code).
 *
 * A column is one numeric member of n messages laid out one after another: value i is the
 * T at (const char *)msgs + offset + i * stride (stride is the message size; a repeated
 * field's inline array is the column with offset 0 and stride sizeof(T)). Generated code
 * wraps these for every numeric field of a message with the batch option
 * (T_<field>_sum(msgs, n) and friends, docs/generated-c-api.md); they are exported so that a
 * foreign runtime can call them directly too.
 *
 *   double total = p2f_col_sum_f32(readings, offsetof(sensor_Reading, celsius),
 *                                  sizeof(sensor_Reading), n);
 *
 * Semantics, the same on every dispatch level (the tests compare the levels bit for bit):
 * - Integer sums and dot products are computed modulo 2^64 (int32/uint32 values are widened
 *   to 64 bits first, so a sum of fewer than 2^32 of them never wraps; 64-bit columns wrap on
 *   overflow, as unsigned arithmetic does, and a signed result is that value reinterpreted).
 * - float and double sums, dot products and means are computed in double: value i is added to
 *   partial sum i mod 8, and the partial sums are combined as
 *   ((s0 + s4) + (s2 + s6)) + ((s1 + s5) + (s3 + s7)). This order is fixed, so the result is
 *   reproducible, but it differs from a left-to-right sum in the last bits (and, for values of
 *   very different magnitude or cancelling values, by more). A float times a float is exact in
 *   double. NaN in, NaN out; +inf and -inf together give NaN.
 * - min and max ignore NaN values and return how many values took part (n for integers):
 *   0 for an empty column or one of NaNs only, with *out set to 0 (integers) or NaN.
 *   -0.0 counts as less than +0.0: the min of {+0.0, -0.0} is -0.0, the max +0.0.
 * - count_above counts the values strictly greater than the threshold (NaN never counts).
 * - mean is sum / n in double; NaN for n == 0.
 * - scale multiplies every value in place: floats in their own precision, integers modulo
 *   2^32 or 2^64.
 * msgs may be NULL only when n is 0. The values must be aligned for their type (they are
 * when they are members of properly aligned messages).
 *
 * Thread-safety: the kernels are pure functions of their arguments; p2f_batch_set_level
 * changes the level for every thread (meant for tests and benchmarks).
 */
#ifndef PROTO2FFI_BATCH_H_
#define PROTO2FFI_BATCH_H_

#include <stddef.h>
#include <stdint.h>

#include "proto2ffi/port.h"
#include "proto2ffi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Dispatch levels. AVX2_GATHER is AVX2 with the strided sums read by gather instructions
 * instead of scalar loads: measured in bench/batch_bench.c, not chosen automatically. */
typedef enum p2f_batch_level {
  P2F_BATCH_SCALAR = 0,      /* portable C, not vectorised */
  P2F_BATCH_VECTOR = 1,      /* the baseline vector ISA: SSE2 on x86-64 (NEON on arm64) */
  P2F_BATCH_AVX2 = 2,        /* x86 with AVX2 */
  P2F_BATCH_AVX2_GATHER = 3, /* AVX2, strided sums by vpgatherdd/vgatherdps/... */
  P2F_BATCH_AUTO = -1        /* p2f_batch_set_level: the best level the CPU has */
} p2f_batch_level;

/* The level the kernels use now: the best the CPU and the build offer unless
 * p2f_batch_set_level chose another. */
P2F_EXPORT int p2f_batch_current_level(void);
/* Whether `level` can run here (the build has it and the CPU executes it). */
P2F_EXPORT int p2f_batch_level_available(int level);
/* Forces a level (P2F_BATCH_AUTO: back to the best). P2F_ERR_INVALID_ARGUMENT when it is
 * not available. */
P2F_EXPORT p2f_status p2f_batch_set_level(int level);
/* "scalar", "sse2", "neon", "vector", "avx2", "avx2-gather"; "unknown" otherwise. */
P2F_EXPORT const char *p2f_batch_level_name(int level);

/* X(name, C type, sum type) for the six column types. */
#define P2F_BATCH_TYPES(X)        \
  X(i32, int32_t, int64_t)        \
  X(u32, uint32_t, uint64_t)      \
  X(i64, int64_t, int64_t)        \
  X(u64, uint64_t, uint64_t)      \
  X(f32, float, double)           \
  X(f64, double, double)

#define P2F_BATCH_DECLARE_(n, T, S)                                                                   \
  P2F_EXPORT S p2f_col_sum_##n(const void *msgs, size_t offset, size_t stride, size_t count);         \
  P2F_EXPORT double p2f_col_mean_##n(const void *msgs, size_t offset, size_t stride, size_t count);   \
  P2F_EXPORT size_t p2f_col_min_##n(const void *msgs, size_t offset, size_t stride, size_t count,     \
                                    T *out);                                                          \
  P2F_EXPORT size_t p2f_col_max_##n(const void *msgs, size_t offset, size_t stride, size_t count,     \
                                    T *out);                                                          \
  P2F_EXPORT size_t p2f_col_count_above_##n(const void *msgs, size_t offset, size_t stride,           \
                                            size_t count, T threshold);                               \
  P2F_EXPORT S p2f_col_dot_##n(const void *a, const void *b, size_t offset, size_t stride,            \
                               size_t count);                                                         \
  P2F_EXPORT void p2f_col_scale_##n(void *msgs, size_t offset, size_t stride, size_t count, T factor);
P2F_BATCH_TYPES(P2F_BATCH_DECLARE_)
#undef P2F_BATCH_DECLARE_

/* The same kernels over an array of n message pointers, for messages that are not laid out
 * one after another (a pool's slots, messages from several places):
 *
 *   social_Post *posts[100];                    // from social_Post_pool_alloc_batch, say
 *   double total = p2f_ptrs_sum_f32(posts, offsetof(social_Post, score), 100);
 *
 * `msgs` is an array of n object pointers of any type (T *[n]); value i is the T at
 * (const char *)msgs[i] + offset. The runtime reads the array's elements as bytes, as
 * p2f_pool_alloc_msgs does (proto2ffi/pool.h). A NULL entry holds no value: it is skipped.
 * Semantics are those above, over the values present, with the same lanes and order: entry
 * i (NULL or not) belongs to lane i mod 8, so a float or double sum over the pointers has the
 * bits of p2f_col_sum over a contiguous copy of the same messages, a NULL entry counting as a
 * message whose value is 0. In detail:
 * - sum and dot add nothing for a NULL entry (dot: for a pair with a NULL on either side);
 * - mean is the sum over the number of non-NULL entries (NaN when there is none);
 * - min and max return how many non-NULL, non-NaN values took part (0: *out is 0 or NaN);
 * - count_above counts non-NULL values above the threshold; scale skips NULL entries.
 * msgs may be NULL only when n is 0; every non-NULL entry must point to a message whose
 * value at offset is aligned for its type. */
#define P2F_BATCH_DECLARE_PTRS_(n, T, S)                                                                   \
  P2F_EXPORT S p2f_ptrs_sum_##n(const void *msgs, size_t offset, size_t count);                            \
  P2F_EXPORT double p2f_ptrs_mean_##n(const void *msgs, size_t offset, size_t count);                      \
  P2F_EXPORT size_t p2f_ptrs_min_##n(const void *msgs, size_t offset, size_t count, T *out);               \
  P2F_EXPORT size_t p2f_ptrs_max_##n(const void *msgs, size_t offset, size_t count, T *out);               \
  P2F_EXPORT size_t p2f_ptrs_count_above_##n(const void *msgs, size_t offset, size_t count, T threshold);  \
  P2F_EXPORT S p2f_ptrs_dot_##n(const void *a, const void *b, size_t offset, size_t count);                \
  P2F_EXPORT void p2f_ptrs_scale_##n(const void *msgs, size_t offset, size_t count, T factor);
P2F_BATCH_TYPES(P2F_BATCH_DECLARE_PTRS_)
#undef P2F_BATCH_DECLARE_PTRS_

/* The elements of a repeated field a kernel reads: its count, but never more than its
 * capacity (a count written directly may exceed it). */
static inline size_t p2f_batch_count(uint32_t count, size_t capacity) { return count < capacity ? count : capacity; }

#ifdef __cplusplus
}
#endif

#endif /* PROTO2FFI_BATCH_H_ */
