/* The column kernels of proto2ffi/batch.h against a reference written from the header's
 * contract (sequential loops; float sums in the documented 8-lane order, checked in turn
 * against a long double sum), on random data and on edge cases: empty and one-element
 * columns, NaN, infinities, signed zeros, the types' extremes, contiguous columns and
 * strided ones (a member of a struct array); and the kernels over arrays of message
 * pointers (p2f_ptrs_*) on the same rows reached through shuffled pointer arrays with NULL
 * entries, against their own sequential reference and against the contiguous kernels on a
 * copy. Every available dispatch level is forced in turn and must give the reference's bits. */
#include <float.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proto2ffi/batch.h"

static int failures;
static const char *level_name = "?";

#define CHECK(cond, ...)                                                          \
  do {                                                                            \
    if (!(cond)) {                                                                \
      failures++;                                                                 \
      if (failures < 30) {                                                        \
        fprintf(stderr, "%s:%d [%s] check failed: %s: ", __FILE__, __LINE__, level_name, #cond); \
        fprintf(stderr, __VA_ARGS__);                                             \
        fputc('\n', stderr);                                                      \
      }                                                                           \
    }                                                                             \
  } while (0)

typedef struct row {
  uint8_t tag;
  int32_t i32;
  uint32_t u32;
  int64_t i64;
  uint64_t u64;
  float f32;
  double f64;
} row;

static uint64_t rng = 0x9E3779B97F4A7C15u;
static uint64_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return rng;
}

/* Equal, or both NaN; zeros by sign. */
static int same_f64(double a, double b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  return memcmp(&a, &b, sizeof a) == 0;
}
static int same_f32(float a, float b) {
  if (isnan(a) || isnan(b)) return isnan(a) && isnan(b);
  return memcmp(&a, &b, sizeof a) == 0;
}

/* ---- reference ------------------------------------------------------------------------ */

static double lanes8(const double *v, size_t n) {
  double s[8] = {0};
  for (size_t i = 0; i < n; i++) s[i % 8] += v[i];
  return ((s[0] + s[4]) + (s[2] + s[6])) + ((s[1] + s[5]) + (s[3] + s[7]));
}

/* min (sign -1) or max (+1) of doubles per the contract; returns the count of non-NaN. */
static size_t ref_extreme_f(const double *v, size_t n, int sign, double *out) {
  size_t c = 0;
  double m = NAN;
  for (size_t i = 0; i < n; i++) {
    if (isnan(v[i])) continue;
    if (c++ == 0) {
      m = v[i];
      continue;
    }
    if (sign < 0 ? v[i] < m : v[i] > m) m = v[i];
    else if (v[i] == 0 && m == 0) {
      /* -0.0 below +0.0 */
      if (sign < 0 && signbit(v[i])) m = v[i];
      if (sign > 0 && !signbit(v[i])) m = v[i];
    }
  }
  *out = m;
  return c;
}

/* ---- data -------------------------------------------------------------------------------- */

enum { MAXN = 1100 };
static row rows_a[MAXN], rows_b[MAXN];
static int32_t ca_i32[MAXN], cb_i32[MAXN];
static uint32_t ca_u32[MAXN], cb_u32[MAXN];
static int64_t ca_i64[MAXN], cb_i64[MAXN];
static uint64_t ca_u64[MAXN], cb_u64[MAXN];
static float ca_f32[MAXN], cb_f32[MAXN];
static double ca_f64[MAXN], cb_f64[MAXN];

static float special_f32(uint64_t r) {
  static const float s[] = {0.0f, -0.0f, 1.0f, -1.0f, FLT_MAX, -FLT_MAX, FLT_MIN, 1e-45f, 3.5f, -2.25f};
  switch (r % 14) {
    case 10: return NAN;
    case 11: return INFINITY;
    case 12: return -INFINITY;
    case 13: return (float)((double)(int64_t)next() / 9.2e18 * 1e6);
    default: return s[r % 14];
  }
}

/* mode 0: random moderate values; 1: random with specials and extremes; 2: zeros of both signs. */
static void fill(row *r, size_t n, int mode) {
  for (size_t i = 0; i < n; i++) {
    uint64_t x = next();
    r[i].tag = (uint8_t)x;
    if (mode == 0) {
      r[i].i32 = (int32_t)(x % 2000001) - 1000000;
      r[i].u32 = (uint32_t)(x >> 20) % 3000000u;
      r[i].i64 = (int64_t)(x % 2000000000001ull) - 1000000000000ll;
      r[i].u64 = x >> 3;
      r[i].f32 = (float)((double)(int64_t)next() / 9.2e18 * 1000.0);
      r[i].f64 = (double)(int64_t)next() / 9.2e18 * 1e9;
    } else if (mode == 1) {
      static const int32_t e32[] = {INT32_MIN, INT32_MAX, 0, -1, 1};
      static const int64_t e64[] = {INT64_MIN, INT64_MAX, 0, -1, 1};
      r[i].i32 = x % 3 ? e32[x % 5] : (int32_t)x;
      r[i].u32 = x % 3 ? (uint32_t)(x % 2 ? UINT32_MAX : 0) : (uint32_t)x;
      r[i].i64 = x % 3 ? e64[(x >> 8) % 5] : (int64_t)x;
      r[i].u64 = x % 3 ? (x % 2 ? UINT64_MAX : 0) : x;
      r[i].f32 = special_f32(x >> 5);
      r[i].f64 = x % 7 == 0 ? DBL_MAX : x % 7 == 1 ? -DBL_MAX : x % 7 == 2 ? 5e-324 : (double)special_f32(x >> 9);
    } else {
      r[i].i32 = (int32_t)(x % 3);
      r[i].u32 = (uint32_t)(x % 3);
      r[i].i64 = (int64_t)(x % 3);
      r[i].u64 = x % 3;
      r[i].f32 = x % 2 ? 0.0f : -0.0f;
      r[i].f64 = x % 2 ? -0.0 : 0.0;
      if (x % 5 == 0) r[i].f32 = 1.0f;
      if (x % 5 == 1) r[i].f64 = NAN;
    }
  }
}

static void to_columns(size_t n) {
  for (size_t i = 0; i < n; i++) {
    ca_i32[i] = rows_a[i].i32, cb_i32[i] = rows_b[i].i32;
    ca_u32[i] = rows_a[i].u32, cb_u32[i] = rows_b[i].u32;
    ca_i64[i] = rows_a[i].i64, cb_i64[i] = rows_b[i].i64;
    ca_u64[i] = rows_a[i].u64, cb_u64[i] = rows_b[i].u64;
    ca_f32[i] = rows_a[i].f32, cb_f32[i] = rows_b[i].f32;
    ca_f64[i] = rows_a[i].f64, cb_f64[i] = rows_b[i].f64;
  }
}

/* ---- checks per type ------------------------------------------------------------------------- */

/* Integer columns: reference in uint64_t arithmetic (modulo 2^64). W is the widening type. */
#define CHECK_INT(n_, T, W, SUMT, LO, HI, FMT)                                                          \
  static void check_##n_(size_t n, const void *a, const void *b, size_t off, size_t stride) {           \
    uint64_t sum = 0, dot = 0;                                                                         \
    T mn = HI, mx = LO, t = 0;                                                                         \
    size_t above = 0;                                                                                  \
    const T *first = n ? (const T *)(const void *)((const char *)a + off) : NULL;                      \
    if (n) t = *(const T *)(const void *)((const char *)a + off + (n / 2) * stride);                   \
    for (size_t i = 0; i < n; i++) {                                                                   \
      T x = *(const T *)(const void *)((const char *)a + off + i * stride);                            \
      T y = *(const T *)(const void *)((const char *)b + off + i * stride);                            \
      sum += (uint64_t)(W)x;                                                                           \
      dot += (uint64_t)(W)x * (uint64_t)(W)y;                                                          \
      if (x < mn) mn = x;                                                                              \
      if (x > mx) mx = x;                                                                              \
      above += x > t;                                                                                  \
    }                                                                                                  \
    (void)first;                                                                                       \
    SUMT got = p2f_col_sum_##n_(a, off, stride, n);                                                    \
    CHECK((uint64_t)got == sum, #n_ " sum n=%zu stride=%zu", n, stride);                               \
    CHECK((uint64_t)p2f_col_dot_##n_(a, b, off, stride, n) == dot, #n_ " dot n=%zu", n);               \
    double mean = p2f_col_mean_##n_(a, off, stride, n);                                                \
    CHECK(n ? same_f64(mean, (double)(SUMT)sum / (double)n) : isnan(mean), #n_ " mean n=%zu", n);       \
    T o = (T)1;                                                                                        \
    size_t c = p2f_col_min_##n_(a, off, stride, n, &o);                                                \
    CHECK(c == n && (n ? o == mn : o == 0), #n_ " min n=%zu got %" FMT " want %" FMT, n, o, mn);       \
    o = (T)1;                                                                                          \
    c = p2f_col_max_##n_(a, off, stride, n, &o);                                                       \
    CHECK(c == n && (n ? o == mx : o == 0), #n_ " max n=%zu got %" FMT " want %" FMT, n, o, mx);       \
    CHECK(p2f_col_count_above_##n_(a, off, stride, n, t) == above, #n_ " count_above n=%zu", n);       \
  }

CHECK_INT(i32, int32_t, int64_t, int64_t, INT32_MIN, INT32_MAX, PRId32)
CHECK_INT(u32, uint32_t, uint64_t, uint64_t, 0, UINT32_MAX, PRIu32)
CHECK_INT(i64, int64_t, int64_t, int64_t, INT64_MIN, INT64_MAX, PRId64)
CHECK_INT(u64, uint64_t, uint64_t, uint64_t, 0, UINT64_MAX, PRIu64)

#define CHECK_FLOAT(n_, T, SAME)                                                                       \
  static void check_##n_(size_t n, const void *a, const void *b, size_t off, size_t stride) {          \
    static double v[MAXN], w[MAXN];                                                                   \
    long double exact = 0, mag = 0;                                                                   \
    T t = 0;                                                                                          \
    size_t above = 0;                                                                                 \
    if (n) t = *(const T *)(const void *)((const char *)a + off + (n / 2) * stride);                  \
    for (size_t i = 0; i < n; i++) {                                                                  \
      T x = *(const T *)(const void *)((const char *)a + off + i * stride);                           \
      T y = *(const T *)(const void *)((const char *)b + off + i * stride);                           \
      v[i] = (double)x;                                                                               \
      w[i] = (double)x * (double)y;                                                                   \
      exact += (long double)x;                                                                        \
      mag += fabsl((long double)x);                                                                   \
      above += x > t;                                                                                 \
    }                                                                                                 \
    double sum = lanes8(v, n);                                                                        \
    double got = p2f_col_sum_##n_(a, off, stride, n);                                                 \
    CHECK(same_f64(got, sum), #n_ " sum n=%zu stride=%zu got %.17g want %.17g", n, stride, got, sum); \
    /* The lane order is a valid summation: within n ulps of the exact sum's magnitude. */             \
    if (isfinite(sum) && isfinite((double)mag))                                                       \
      CHECK(fabsl((long double)sum - exact) <= (long double)n * DBL_EPSILON * mag + 1e-300L,           \
            #n_ " sum accuracy n=%zu", n);                                                            \
    double dot = lanes8(w, n);                                                                        \
    CHECK(same_f64(p2f_col_dot_##n_(a, b, off, stride, n), dot), #n_ " dot n=%zu", n);                \
    double mean = p2f_col_mean_##n_(a, off, stride, n);                                               \
    CHECK(n ? same_f64(mean, sum / (double)n) : isnan(mean), #n_ " mean n=%zu", n);                   \
    double want;                                                                                      \
    size_t wc = ref_extreme_f(v, n, -1, &want);                                                       \
    T o = (T)1;                                                                                       \
    size_t c = p2f_col_min_##n_(a, off, stride, n, &o);                                               \
    CHECK(c == wc && SAME(o, (T)want), #n_ " min n=%zu got %g want %g (%zu vs %zu)", n, (double)o,    \
          want, c, wc);                                                                               \
    wc = ref_extreme_f(v, n, 1, &want);                                                               \
    o = (T)1;                                                                                         \
    c = p2f_col_max_##n_(a, off, stride, n, &o);                                                      \
    CHECK(c == wc && SAME(o, (T)want), #n_ " max n=%zu got %g want %g (%zu vs %zu)", n, (double)o,    \
          want, c, wc);                                                                               \
    CHECK(p2f_col_count_above_##n_(a, off, stride, n, t) == above, #n_ " count_above n=%zu", n);      \
  }

CHECK_FLOAT(f32, float, same_f32)
CHECK_FLOAT(f64, double, same_f64)

static void check_all(size_t n) {
  to_columns(n);
  size_t s = sizeof(row);
  check_i32(n, rows_a, rows_b, offsetof(row, i32), s);
  check_u32(n, rows_a, rows_b, offsetof(row, u32), s);
  check_i64(n, rows_a, rows_b, offsetof(row, i64), s);
  check_u64(n, rows_a, rows_b, offsetof(row, u64), s);
  check_f32(n, rows_a, rows_b, offsetof(row, f32), s);
  check_f64(n, rows_a, rows_b, offsetof(row, f64), s);
  check_i32(n, ca_i32, cb_i32, 0, sizeof(int32_t));
  check_u32(n, ca_u32, cb_u32, 0, sizeof(uint32_t));
  check_i64(n, ca_i64, cb_i64, 0, sizeof(int64_t));
  check_u64(n, ca_u64, cb_u64, 0, sizeof(uint64_t));
  check_f32(n, ca_f32, cb_f32, 0, sizeof(float));
  check_f64(n, ca_f64, cb_f64, 0, sizeof(double));
}

/* scale against elementwise multiplication, strided (only the member changes) and contiguous. */
static void check_scale(size_t n) {
  static row before[MAXN];
  memcpy(before, rows_a, n * sizeof(row));
  p2f_col_scale_i32(rows_a, offsetof(row, i32), sizeof(row), n, -3);
  p2f_col_scale_u32(rows_a, offsetof(row, u32), sizeof(row), n, 7u);
  p2f_col_scale_i64(rows_a, offsetof(row, i64), sizeof(row), n, INT64_C(-5));
  p2f_col_scale_u64(rows_a, offsetof(row, u64), sizeof(row), n, UINT64_C(3));
  p2f_col_scale_f32(rows_a, offsetof(row, f32), sizeof(row), n, 0.5f);
  p2f_col_scale_f64(rows_a, offsetof(row, f64), sizeof(row), n, -1.5);
  for (size_t i = 0; i < n; i++) {
    CHECK(rows_a[i].tag == before[i].tag, "scale touched another member at %zu", i);
    CHECK(rows_a[i].i32 == (int32_t)((uint32_t)before[i].i32 * (uint32_t)-3), "scale i32 at %zu", i);
    CHECK(rows_a[i].u32 == before[i].u32 * 7u, "scale u32 at %zu", i);
    CHECK(rows_a[i].i64 == (int64_t)((uint64_t)before[i].i64 * (uint64_t)INT64_C(-5)), "scale i64 at %zu", i);
    CHECK(rows_a[i].u64 == before[i].u64 * 3u, "scale u64 at %zu", i);
    CHECK(same_f32(rows_a[i].f32, before[i].f32 * 0.5f), "scale f32 at %zu", i);
    CHECK(same_f64(rows_a[i].f64, before[i].f64 * -1.5), "scale f64 at %zu", i);
  }
  for (size_t i = 0; i < n; i++) ca_f32[i] = before[i].f32, ca_i32[i] = before[i].i32;
  p2f_col_scale_f32(ca_f32, 0, sizeof(float), n, 3.0f);
  p2f_col_scale_i32(ca_i32, 0, sizeof(int32_t), n, 2);
  for (size_t i = 0; i < n; i++) {
    CHECK(same_f32(ca_f32[i], before[i].f32 * 3.0f), "contiguous scale f32 at %zu", i);
    CHECK(ca_i32[i] == (int32_t)((uint32_t)before[i].i32 * 2u), "contiguous scale i32 at %zu", i);
  }
  memcpy(rows_a, before, n * sizeof(row));
}

static void check_fixed_cases(void) {
  /* Hand-computed values, independent of any reference code. */
  float zeros[3] = {0.0f, -0.0f, 0.0f}, f;
  CHECK(p2f_col_min_f32(zeros, 0, sizeof(float), 3, &f) == 3 && f == 0 && signbit(f), "min of zeros is -0.0");
  CHECK(p2f_col_max_f32(zeros, 0, sizeof(float), 3, &f) == 3 && f == 0 && !signbit(f), "max of zeros is +0.0");
  float nans[2] = {NAN, NAN};
  CHECK(p2f_col_min_f32(nans, 0, sizeof(float), 2, &f) == 0 && isnan(f), "min of NaNs");
  float mixed[4] = {NAN, 2.0f, -INFINITY, 1.0f};
  CHECK(p2f_col_min_f32(mixed, 0, sizeof(float), 4, &f) == 3 && f == -INFINITY, "min skips NaN");
  CHECK(p2f_col_max_f32(mixed, 0, sizeof(float), 4, &f) == 3 && f == 2.0f, "max skips NaN");
  CHECK(isnan(p2f_col_sum_f32(mixed, 0, sizeof(float), 4)), "NaN in the sum");
  double infs[2] = {INFINITY, -INFINITY};
  CHECK(isnan(p2f_col_sum_f64(infs, 0, sizeof(double), 2)), "inf + -inf");
  CHECK(p2f_col_count_above_f32(mixed, 0, sizeof(float), 4, 0.5f) == 2, "count_above skips NaN");
  int32_t big[3] = {INT32_MAX, INT32_MAX, INT32_MAX};
  CHECK(p2f_col_sum_i32(big, 0, 4, 3) == 3 * (int64_t)INT32_MAX, "i32 sums in 64 bits");
  uint64_t wrap[2] = {UINT64_MAX, 2};
  CHECK(p2f_col_sum_u64(wrap, 0, 8, 2) == 1, "u64 sum wraps");
  int32_t one = -7, o = 0;
  CHECK(p2f_col_min_i32(&one, 0, 4, 1, &o) == 1 && o == -7, "one element");
  CHECK(p2f_col_min_i32(NULL, 0, 4, 0, &o) == 0 && o == 0, "empty min");
  CHECK(p2f_col_sum_i32(NULL, 0, 4, 0) == 0 && isnan(p2f_col_mean_i32(NULL, 0, 4, 0)), "empty sum and mean");
  CHECK(p2f_col_min_i32(&one, 0, 4, 1, NULL) == 0, "NULL out");
  /* 1e16 + 1 + 1 + ... : the lane order keeps the ones when they share a lane with each other. */
  double d[16] = {1e16};
  for (int i = 1; i < 16; i++) d[i] = 1.0;
  CHECK(p2f_col_sum_f64(d, 0, 8, 16) == 1e16 + 14.0, "lane order: got %.17g", p2f_col_sum_f64(d, 0, 8, 16));
}

/* ---- kernels over pointer arrays ---------------------------------------------------------- */

/* pa[i], pb[i]: pointers to rows of rows_a / rows_b in a shuffled order, NULL where
 * the mode asks for holes; copy_a / copy_b: the rows they point to, in pointer order, a NULL
 * entry's row with every value 0 (what the pointer kernels must agree with). */
static const row *pa[MAXN], *pb[MAXN];
static row copy_a[MAXN], copy_b[MAXN];

static void make_pointers(size_t n, int holes) {
  static size_t perm[MAXN];
  for (size_t i = 0; i < n; i++) perm[i] = i;
  for (size_t i = n; i > 1; i--) {
    size_t j = (size_t)(next() % i), t = perm[i - 1];
    perm[i - 1] = perm[j];
    perm[j] = t;
  }
  for (size_t i = 0; i < n; i++) {
    pa[i] = &rows_a[perm[i]];
    pb[i] = &rows_b[perm[(i * 7 + 3) % n]];
    if (holes && next() % 5 == 0) pa[i] = NULL;
    if (holes && next() % 9 == 0) pb[i] = NULL;
    static const row zero;
    copy_a[i] = pa[i] ? *pa[i] : zero;
    copy_b[i] = pb[i] ? *pb[i] : zero;
  }
}

#define CHECK_PTRS_INT(n_, T, W, SUMT, LO, HI, member)                                                 \
  static void check_ptrs_##n_(size_t n) {                                                             \
    const size_t off = offsetof(row, member);                                                         \
    uint64_t sum = 0, dot = 0;                                                                        \
    size_t present = 0, above = 0;                                                                    \
    T mn = HI, mx = LO, t = n ? copy_a[n / 2].member : 0;                                            \
    for (size_t i = 0; i < n; i++) {                                                                  \
      if (pa[i] && pb[i]) dot += (uint64_t)(W)pa[i]->member * (uint64_t)(W)pb[i]->member;             \
      if (!pa[i]) continue;                                                                           \
      T x = pa[i]->member;                                                                            \
      present++;                                                                                      \
      sum += (uint64_t)(W)x;                                                                          \
      if (x < mn) mn = x;                                                                             \
      if (x > mx) mx = x;                                                                             \
      above += x > t;                                                                                 \
    }                                                                                                 \
    SUMT got = p2f_ptrs_sum_##n_(pa, off, n);                                                         \
    CHECK((uint64_t)got == sum, "ptrs " #n_ " sum n=%zu", n);                                         \
    CHECK(got == p2f_col_sum_##n_(copy_a, off, sizeof(row), n), "ptrs " #n_ " sum vs copy n=%zu", n); \
    CHECK((uint64_t)p2f_ptrs_dot_##n_(pa, pb, off, n) == dot, "ptrs " #n_ " dot n=%zu", n);           \
    double mean = p2f_ptrs_mean_##n_(pa, off, n);                                                     \
    CHECK(present ? same_f64(mean, (double)(SUMT)sum / (double)present) : isnan(mean),                \
          "ptrs " #n_ " mean n=%zu", n);                                                              \
    T o = (T)1;                                                                                       \
    size_t c = p2f_ptrs_min_##n_(pa, off, n, &o);                                                     \
    CHECK(c == present && (present ? o == mn : o == 0), "ptrs " #n_ " min n=%zu", n);                \
    o = (T)1;                                                                                         \
    c = p2f_ptrs_max_##n_(pa, off, n, &o);                                                            \
    CHECK(c == present && (present ? o == mx : o == 0), "ptrs " #n_ " max n=%zu", n);                \
    CHECK(p2f_ptrs_count_above_##n_(pa, off, n, t) == above, "ptrs " #n_ " count_above n=%zu", n);    \
  }

CHECK_PTRS_INT(i32, int32_t, int64_t, int64_t, INT32_MIN, INT32_MAX, i32)
CHECK_PTRS_INT(u32, uint32_t, uint64_t, uint64_t, 0, UINT32_MAX, u32)
CHECK_PTRS_INT(i64, int64_t, int64_t, int64_t, INT64_MIN, INT64_MAX, i64)
CHECK_PTRS_INT(u64, uint64_t, uint64_t, uint64_t, 0, UINT64_MAX, u64)

#define CHECK_PTRS_FLOAT(n_, T, SAME, member)                                                           \
  static void check_ptrs_##n_(size_t n) {                                                             \
    const size_t off = offsetof(row, member);                                                         \
    static double v[MAXN], w[MAXN], pv[MAXN];                                                         \
    size_t present = 0, above = 0;                                                                    \
    T t = n ? copy_a[n / 2].member : 0;                                                              \
    for (size_t i = 0; i < n; i++) {                                                                  \
      /* Entry i keeps lane i % 8 whether or not it is NULL: a hole adds 0. */                         \
      v[i] = pa[i] ? (double)pa[i]->member : 0.0;                                                     \
      w[i] = pa[i] && pb[i] ? (double)pa[i]->member * (double)pb[i]->member : 0.0;                    \
      if (pa[i]) {                                                                                    \
        pv[present++] = (double)pa[i]->member;                                                        \
        above += pa[i]->member > t;                                                                   \
      }                                                                                               \
    }                                                                                                 \
    double sum = lanes8(v, n);                                                                        \
    double got = p2f_ptrs_sum_##n_(pa, off, n);                                                       \
    CHECK(same_f64(got, sum), "ptrs " #n_ " sum n=%zu got %.17g want %.17g", n, got, sum);            \
    CHECK(same_f64(got, p2f_col_sum_##n_(copy_a, off, sizeof(row), n)), "ptrs " #n_ " sum vs copy n=%zu", n); \
    CHECK(same_f64(p2f_ptrs_dot_##n_(pa, pb, off, n), lanes8(w, n)), "ptrs " #n_ " dot n=%zu", n);    \
    double mean = p2f_ptrs_mean_##n_(pa, off, n);                                                     \
    CHECK(present ? same_f64(mean, sum / (double)present) : isnan(mean), "ptrs " #n_ " mean n=%zu", n); \
    double want;                                                                                      \
    size_t wc = ref_extreme_f(pv, present, -1, &want);                                                \
    T o = (T)1;                                                                                       \
    size_t c = p2f_ptrs_min_##n_(pa, off, n, &o);                                                     \
    CHECK(c == wc && SAME(o, (T)want), "ptrs " #n_ " min n=%zu got %g want %g (%zu vs %zu)", n,      \
          (double)o, want, c, wc);                                                                    \
    wc = ref_extreme_f(pv, present, 1, &want);                                                        \
    o = (T)1;                                                                                         \
    c = p2f_ptrs_max_##n_(pa, off, n, &o);                                                            \
    CHECK(c == wc && SAME(o, (T)want), "ptrs " #n_ " max n=%zu got %g want %g (%zu vs %zu)", n,      \
          (double)o, want, c, wc);                                                                    \
    CHECK(p2f_ptrs_count_above_##n_(pa, off, n, t) == above, "ptrs " #n_ " count_above n=%zu", n);    \
  }

CHECK_PTRS_FLOAT(f32, float, same_f32, f32)
CHECK_PTRS_FLOAT(f64, double, same_f64, f64)

/* scale through the pointers: every row pointed to changes once, others not at all. A row
 * appears at most once in pa (a permutation), so each is scaled at most once. */
static void check_ptrs_scale(size_t n) {
  static row before[MAXN];
  memcpy(before, rows_a, n * sizeof(row));
  p2f_ptrs_scale_i32(pa, offsetof(row, i32), n, -3);
  p2f_ptrs_scale_u64(pa, offsetof(row, u64), n, UINT64_C(3));
  p2f_ptrs_scale_f32(pa, offsetof(row, f32), n, 0.5f);
  p2f_ptrs_scale_f64(pa, offsetof(row, f64), n, -1.5);
  static unsigned char pointed[MAXN];
  memset(pointed, 0, sizeof pointed);
  for (size_t i = 0; i < n; i++)
    if (pa[i]) pointed[pa[i] - rows_a] = 1;
  for (size_t i = 0; i < n; i++) {
    const row *b = &before[i], *r = &rows_a[i];
    CHECK(r->tag == b->tag && r->u32 == b->u32 && r->i64 == b->i64, "ptrs scale touched another member at %zu", i);
    if (pointed[i]) {
      CHECK(r->i32 == (int32_t)((uint32_t)b->i32 * (uint32_t)-3), "ptrs scale i32 at %zu", i);
      CHECK(r->u64 == b->u64 * 3u, "ptrs scale u64 at %zu", i);
      CHECK(same_f32(r->f32, b->f32 * 0.5f), "ptrs scale f32 at %zu", i);
      CHECK(same_f64(r->f64, b->f64 * -1.5), "ptrs scale f64 at %zu", i);
    } else {
      CHECK(memcmp(r, b, sizeof *r) == 0, "ptrs scale changed a row no pointer names at %zu", i);
    }
  }
  memcpy(rows_a, before, n * sizeof(row));
}

static void check_ptrs(size_t n, int holes) {
  make_pointers(n, holes);
  check_ptrs_i32(n);
  check_ptrs_u32(n);
  check_ptrs_i64(n);
  check_ptrs_u64(n);
  check_ptrs_f32(n);
  check_ptrs_f64(n);
  check_ptrs_scale(n);
}

static void check_ptrs_fixed_cases(void) {
  /* Hand-computed values over separately allocated messages. */
  row *r[4];
  for (int i = 0; i < 4; i++) {
    r[i] = calloc(1, sizeof(row));
    CHECK(r[i] != NULL, "calloc");
    if (r[i] == NULL) return;
  }
  r[0]->f32 = NAN, r[1]->f32 = 2.0f, r[2]->f32 = -INFINITY, r[3]->f32 = -0.0f;
  r[0]->i32 = INT32_MAX, r[1]->i32 = INT32_MAX, r[2]->i32 = INT32_MAX, r[3]->i32 = -1;
  const row *all[4] = {r[0], r[1], r[2], r[3]}, *holes[5] = {NULL, r[1], NULL, r[3], NULL};
  float f = 1.0f;
  CHECK(p2f_ptrs_min_f32(all, offsetof(row, f32), 4, &f) == 3 && f == -INFINITY, "ptrs min skips NaN");
  CHECK(p2f_ptrs_max_f32(all, offsetof(row, f32), 4, &f) == 3 && f == 2.0f, "ptrs max skips NaN");
  CHECK(isnan(p2f_ptrs_sum_f32(all, offsetof(row, f32), 4)), "ptrs NaN in the sum");
  CHECK(p2f_ptrs_sum_i32(all, offsetof(row, i32), 4) == 3 * (int64_t)INT32_MAX - 1, "ptrs i32 sums in 64 bits");
  CHECK(p2f_ptrs_sum_f32(holes, offsetof(row, f32), 5) == 2.0f, "ptrs sum skips NULL");
  CHECK(p2f_ptrs_mean_i32(holes, offsetof(row, i32), 5) == ((double)INT32_MAX - 1.0) / 2.0, "ptrs mean over present");
  CHECK(p2f_ptrs_min_f32(holes, offsetof(row, f32), 5, &f) == 2 && f == 0 && signbit(f), "ptrs min -0.0");
  r[1]->f32 = 0.0f;
  CHECK(p2f_ptrs_max_f32(holes, offsetof(row, f32), 5, &f) == 2 && f == 0 && !signbit(f), "ptrs max +0.0");
  CHECK(p2f_ptrs_count_above_i32(holes, offsetof(row, i32), 5, 0) == 1, "ptrs count_above skips NULL");
  const row *none[3] = {NULL, NULL, NULL};
  int32_t o = 5;
  CHECK(p2f_ptrs_min_i32(none, offsetof(row, i32), 3, &o) == 0 && o == 0, "ptrs min of NULLs");
  CHECK(p2f_ptrs_min_f32(none, offsetof(row, f32), 3, &f) == 0 && isnan(f), "ptrs min of NULLs (float)");
  CHECK(isnan(p2f_ptrs_mean_f64(none, offsetof(row, f64), 3)), "ptrs mean of NULLs");
  CHECK(p2f_ptrs_sum_i32(NULL, 0, 0) == 0 && isnan(p2f_ptrs_mean_i32(NULL, 0, 0)), "ptrs empty");
  CHECK(p2f_ptrs_min_i32(all, offsetof(row, i32), 1, &o) == 1 && o == INT32_MAX, "ptrs one element");
  CHECK(p2f_ptrs_min_i32(all, offsetof(row, i32), 4, NULL) == 0, "ptrs NULL out");
  CHECK(p2f_ptrs_dot_i32(all, holes, offsetof(row, i32), 4) == (int64_t)INT32_MAX * INT32_MAX + 1, "ptrs dot pairs: r1 * r1 + r3 * r3");
  p2f_ptrs_scale_i32(none, offsetof(row, i32), 3, 2); /* nothing to touch */
  for (int i = 0; i < 4; i++) free(r[i]);
}

int main(void) {
  static const size_t sizes[] = {0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 31, 33, 64, 100, 257, 1000, 1099};
  int levels = 0;
  for (int level = P2F_BATCH_SCALAR; level <= P2F_BATCH_AVX2_GATHER; level++) {
    if (!p2f_batch_level_available(level)) {
      printf("level %s: not available here\n", p2f_batch_level_name(level));
      continue;
    }
    CHECK(p2f_batch_set_level(level) == P2F_OK, "set level %d", level);
    CHECK(p2f_batch_current_level() == level, "level %d in use", level);
    level_name = p2f_batch_level_name(level);
    levels++;
    rng = 0x9E3779B97F4A7C15u;
    check_fixed_cases();
    check_ptrs_fixed_cases();
    for (int mode = 0; mode < 3; mode++) {
      for (size_t k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        fill(rows_a, sizes[k], mode);
        fill(rows_b, sizes[k], mode);
        check_all(sizes[k]);
        check_scale(sizes[k]);
        check_ptrs(sizes[k], 0);
        check_ptrs(sizes[k], 1);
      }
    }
    printf("level %s: checked\n", level_name);
  }
  CHECK(p2f_batch_set_level(99) == P2F_ERR_INVALID_ARGUMENT, "unknown level refused");
  CHECK(p2f_batch_set_level(P2F_BATCH_AUTO) == P2F_OK, "auto");
  printf("%d levels, auto: %s, %d failures\n", levels, p2f_batch_level_name(p2f_batch_current_level()), failures);
  return failures != 0 || levels < 2;
}
