/* The AVX2 level of the column kernels: batch_kernels.inc compiled for AVX2 with
 * __attribute__((target)), chosen at run time by batch.c only on a CPU that has AVX2; and
 * the gather variant, whose strided sums read 8 (or 4) values per instruction with
 * vpgatherdd / vgatherdps / vpgatherqq / vgatherqpd instead of one scalar load each. Built
 * only on x86 with GCC or clang; elsewhere both tables are all NULL. */
#include "internal/batch.h"
#include "internal/port.h"

#if P2F__X86_SIMD
#include <immintrin.h>

#define KVEC 1
#define KVW 32
#define KLEVEL avx2
#define KATTR __attribute__((target("avx2")))
#define KTABLE p2f__batch_ops_avx2
#include "batch_level.inc"

#define GATTR __attribute__((target("avx2")))

/* Gathers take 32-bit byte offsets: a block of 8 values spans 7 strides. */
#define GATHER_MAX_STRIDE ((size_t)INT32_MAX / 8)

/* The byte offsets 0, s, 2s, ..., 7s of one block. */
GATTR static __m256i block_offsets(size_t stride) {
  int s = (int)stride;
  return _mm256_setr_epi32(0, s, 2 * s, 3 * s, 4 * s, 5 * s, 6 * s, 7 * s);
}

/* The 8 lanes as doubles (lo: lanes 0-3, hi: 4-7), combined in batch.h's order. */
GATTR static double combine_pd(__m256d lo, __m256d hi) {
  double l[8];
  _mm256_storeu_pd(l, lo);
  _mm256_storeu_pd(l + 4, hi);
  return ((l[0] + l[4]) + (l[2] + l[6])) + ((l[1] + l[5]) + (l[3] + l[7]));
}

GATTR static int64_t gather_sum_i32(const char *p, size_t stride, size_t n) {
  if (stride == sizeof(int32_t) || stride > GATHER_MAX_STRIDE) return p2f__batch_sum_i32_avx2(p, stride, n);
  __m256i off = block_offsets(stride), lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i v = _mm256_i32gather_epi32((const int *)(const void *)(p + i * stride), off, 1);
    lo = _mm256_add_epi64(lo, _mm256_cvtepi32_epi64(_mm256_castsi256_si128(v)));
    hi = _mm256_add_epi64(hi, _mm256_cvtepi32_epi64(_mm256_extracti128_si256(v, 1)));
  }
  uint64_t l[8];
  _mm256_storeu_si256((__m256i *)(void *)l, lo);
  _mm256_storeu_si256((__m256i *)(void *)(l + 4), hi);
  uint64_t s = l[0] + l[1] + l[2] + l[3] + l[4] + l[5] + l[6] + l[7];
  return (int64_t)(s + (uint64_t)p2f__batch_sum_i32_avx2(p + i * stride, stride, n - i));
}

GATTR static double gather_sum_f32(const char *p, size_t stride, size_t n) {
  if (stride == sizeof(float) || stride > GATHER_MAX_STRIDE) return p2f__batch_sum_f32_avx2(p, stride, n);
  __m256i off = block_offsets(stride);
  __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 v = _mm256_i32gather_ps((const float *)(const void *)(p + i * stride), off, 1);
    lo = _mm256_add_pd(lo, _mm256_cvtps_pd(_mm256_castps256_ps128(v)));
    hi = _mm256_add_pd(hi, _mm256_cvtps_pd(_mm256_extractf128_ps(v, 1)));
  }
  /* The tail continues the lanes: value i goes to lane i % 8 as in batch_kernels.inc. */
  double l[8];
  _mm256_storeu_pd(l, lo);
  _mm256_storeu_pd(l + 4, hi);
  for (size_t k = 0; i < n; i++, k++) l[k] += (double)*(const float *)(const void *)(p + i * stride);
  return combine_pd(_mm256_loadu_pd(l), _mm256_loadu_pd(l + 4));
}

GATTR static int64_t gather_sum_i64(const char *p, size_t stride, size_t n) {
  if (stride == sizeof(int64_t) || stride > GATHER_MAX_STRIDE) return p2f__batch_sum_i64_avx2(p, stride, n);
  __m128i off = _mm256_castsi256_si128(block_offsets(stride)), off4 = _mm_set1_epi32(4 * (int)stride);
  __m128i off_hi = _mm_add_epi32(off, off4);
  __m256i lo = _mm256_setzero_si256(), hi = _mm256_setzero_si256();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const long long *b = (const long long *)(const void *)(p + i * stride);
    lo = _mm256_add_epi64(lo, _mm256_i32gather_epi64(b, off, 1));
    hi = _mm256_add_epi64(hi, _mm256_i32gather_epi64(b, off_hi, 1));
  }
  uint64_t l[8];
  _mm256_storeu_si256((__m256i *)(void *)l, lo);
  _mm256_storeu_si256((__m256i *)(void *)(l + 4), hi);
  uint64_t s = l[0] + l[1] + l[2] + l[3] + l[4] + l[5] + l[6] + l[7];
  return (int64_t)(s + (uint64_t)p2f__batch_sum_i64_avx2(p + i * stride, stride, n - i));
}

GATTR static double gather_sum_f64(const char *p, size_t stride, size_t n) {
  if (stride == sizeof(double) || stride > GATHER_MAX_STRIDE) return p2f__batch_sum_f64_avx2(p, stride, n);
  __m128i off = _mm256_castsi256_si128(block_offsets(stride)), off4 = _mm_set1_epi32(4 * (int)stride);
  __m128i off_hi = _mm_add_epi32(off, off4);
  __m256d lo = _mm256_setzero_pd(), hi = _mm256_setzero_pd();
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    const double *b = (const double *)(const void *)(p + i * stride);
    lo = _mm256_add_pd(lo, _mm256_i32gather_pd(b, off, 1));
    hi = _mm256_add_pd(hi, _mm256_i32gather_pd(b, off_hi, 1));
  }
  double l[8];
  _mm256_storeu_pd(l, lo);
  _mm256_storeu_pd(l + 4, hi);
  for (size_t k = 0; i < n; i++, k++) l[k] += *(const double *)(const void *)(p + i * stride);
  return combine_pd(_mm256_loadu_pd(l), _mm256_loadu_pd(l + 4));
}

/* The AVX2 table with the four gather sums. */
#define GSUM_i32 gather_sum_i32
#define GSUM_u32 p2f__batch_sum_u32_avx2
#define GSUM_i64 gather_sum_i64
#define GSUM_u64 p2f__batch_sum_u64_avx2
#define GSUM_f32 gather_sum_f32
#define GSUM_f64 gather_sum_f64
#define GROW(n, T, S)                                                                                   \
  .sum_##n = GSUM_##n, .min_##n = p2f__batch_min_##n##_avx2, .max_##n = p2f__batch_max_##n##_avx2,        \
  .count_above_##n = p2f__batch_count_above_##n##_avx2, .dot_##n = p2f__batch_dot_##n##_avx2,             \
  .scale_##n = p2f__batch_scale_##n##_avx2, .psum_##n = p2f__batch_psum_##n##_avx2,                        \
  .pmin_##n = p2f__batch_pmin_##n##_avx2, .pmax_##n = p2f__batch_pmax_##n##_avx2,                         \
  .pcount_above_##n = p2f__batch_pcount_above_##n##_avx2, .pdot_##n = p2f__batch_pdot_##n##_avx2,         \
  .pscale_##n = p2f__batch_pscale_##n##_avx2,
const p2f__batch_ops p2f__batch_ops_avx2_gather = {P2F_BATCH_TYPES(GROW)};
#undef GROW
#else
const p2f__batch_ops p2f__batch_ops_avx2 = {0};
const p2f__batch_ops p2f__batch_ops_avx2_gather = {0};
#endif
