/* The generated batch kernels and schema-sized pools of tests/schemas/batch: the pool sizes
 * each option route gives (annotation, .options line, plugin parameter), that
 * T_pool_create_default makes that pool and enforces its maximum, and that every generated
 * kernel computes, over an array of messages or over a repeated field, what a plain loop
 * over the same fields computes; and the _ptrs kernels over the slots of the message's pool
 * (scattered: every other slot is freed again), with a NULL entry, against a plain loop. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../support/check.h"
#include "batch.ffi.h"
#include "batch_opts.ffi.h"

static void test_pool_sizes(void) {
  CHECK(p2f_batch_Reading_POOL_SIZE == 1000 && p2f_batch_Reading_POOL_MAX == 4000); /* annotation */
  CHECK(p2f_batch_Plain_POOL_SIZE == 32 && p2f_batch_Plain_POOL_MAX == 0);          /* parameter */
  CHECK(p2f_batch_opts_Frame_POOL_SIZE == 256 && p2f_batch_opts_Frame_POOL_MAX == 0); /* .options */
  CHECK(p2f_batch_opts_Tile_POOL_SIZE == 32 && p2f_batch_opts_Tile_POOL_MAX == 100);  /* both */

  p2f_pool *pool = p2f_batch_Reading_pool_create_default();
  CHECK(pool != NULL);
  if (pool == NULL) return;
  p2f_pool_stats st;
  p2f_pool_get_stats(pool, &st);
  CHECK(st.capacity >= 1000 && st.live == 0);
  p2f_batch_Reading_pool_destroy(pool);

  /* The maximum holds: 100 tiles, then NULL. */
  p2f_pool *tiles = p2f_batch_opts_Tile_pool_create_default();
  CHECK(tiles != NULL);
  if (tiles == NULL) return;
  size_t got = 0;
  while (got < 200 && p2f_batch_opts_Tile_pool_alloc(tiles) != NULL) got++;
  CHECK(got == 100);
  p2f_batch_opts_Tile_pool_destroy(tiles);
}

enum { N = 203 };

static void test_column_kernels(void) {
  p2f_batch_Reading *a = calloc(N, sizeof *a), *b = calloc(N, sizeof *b);
  CHECK(a != NULL && b != NULL);
  if (a == NULL || b == NULL) return;
  uint32_t seed = 12345;
  for (int i = 0; i < N; i++) {
    p2f_batch_Reading_init(&a[i]);
    p2f_batch_Reading_init(&b[i]);
    seed = seed * 1103515245u + 12345u;
    a[i].id = (int32_t)(seed % 2001) - 1000;
    b[i].id = (int32_t)(seed % 77) - 30;
    a[i].celsius = (float)(int)(seed % 400) / 4.0f - 20.0f; /* quarter steps: sums are exact */
    b[i].celsius = 2.0f;
    a[i].pressure = (double)(seed % 1000) * 0.5;
    a[i].ticks = (uint64_t)seed << 20;
    a[i].delta = -(int64_t)(seed % 5000);
    a[i].flags = seed;
    a[i].offset = -(int32_t)(seed % 9);
    a[i].count = seed % 100;
    a[i].ok = 1;
  }
  a[17].celsius = NAN; /* min and max skip it; the sum is NaN */

  int64_t id_sum = 0, id_dot = 0;
  int32_t id_min = INT32_MAX, id_max = INT32_MIN;
  size_t id_above = 0;
  float c_min = INFINITY, c_max = -INFINITY;
  double p_sum = 0;
  uint64_t t_sum = 0;
  int64_t d_sum = 0;
  for (int i = 0; i < N; i++) {
    id_sum += a[i].id;
    id_dot += (int64_t)a[i].id * b[i].id;
    if (a[i].id < id_min) id_min = a[i].id;
    if (a[i].id > id_max) id_max = a[i].id;
    id_above += a[i].id > 100;
    if (i != 17 && a[i].celsius < c_min) c_min = a[i].celsius;
    if (i != 17 && a[i].celsius > c_max) c_max = a[i].celsius;
    p_sum += a[i].pressure;
    t_sum += a[i].ticks;
    d_sum += a[i].delta;
  }
  CHECK(p2f_batch_Reading_id_sum(a, N) == id_sum);
  CHECK(p2f_batch_Reading_id_dot(a, b, N) == id_dot);
  CHECK(fabs(p2f_batch_Reading_id_mean(a, N) - (double)id_sum / N) < 1e-12);
  int32_t i32 = 0;
  CHECK(p2f_batch_Reading_id_min(a, N, &i32) == N && i32 == id_min);
  CHECK(p2f_batch_Reading_id_max(a, N, &i32) == N && i32 == id_max);
  CHECK(p2f_batch_Reading_id_count_above(a, N, 100) == id_above);
  float f = 0;
  CHECK(p2f_batch_Reading_celsius_min(a, N, &f) == N - 1 && f == c_min);
  CHECK(p2f_batch_Reading_celsius_max(a, N, &f) == N - 1 && f == c_max);
  CHECK(isnan(p2f_batch_Reading_celsius_sum(a, N)));
  /* Without the NaN: every value and product is a multiple of 1/4 below 2^20, so any order of
   * summation gives the exact sum. */
  a[17].celsius = 1.0f;
  double c_sum = 0, c_dot = 0;
  for (int i = 0; i < N; i++) c_sum += a[i].celsius, c_dot += (double)a[i].celsius * b[i].celsius;
  CHECK(p2f_batch_Reading_celsius_sum(a, N) == c_sum);
  CHECK(p2f_batch_Reading_celsius_dot(a, b, N) == c_dot);
  CHECK(p2f_batch_Reading_pressure_sum(a, N) == p_sum);
  CHECK(p2f_batch_Reading_ticks_sum(a, N) == t_sum);
  CHECK(p2f_batch_Reading_delta_sum(a, N) == d_sum);
  CHECK(p2f_batch_Reading_celsius_count_above(a, N, 0.0f) > 0);
  /* The kernels read their own member only: a message with only flags set. */
  uint64_t fl = 0;
  for (int i = 0; i < N; i++) fl += a[i].flags;
  CHECK(p2f_batch_Reading_flags_sum(a, N) == fl);
  /* Empty arrays. */
  CHECK(p2f_batch_Reading_id_sum(NULL, 0) == 0 && isnan(p2f_batch_Reading_pressure_mean(NULL, 0)));
  CHECK(p2f_batch_Reading_celsius_min(NULL, 0, &f) == 0 && isnan(f));
  free(a);
  free(b);
}

static void test_repeated_kernels(void) {
  p2f_batch_Reading r;
  p2f_batch_Reading_init(&r);
  float f = 0;
  CHECK(p2f_batch_Reading_samples_sum(&r) == 0 && p2f_batch_Reading_samples_min(&r, &f) == 0 && isnan(f));
  for (int i = 0; i < 11; i++) r.samples[i] = (float)(i * 3 % 7) - 2.5f;
  r.samples_count = 11;
  double s = 0;
  float mn = INFINITY, mx = -INFINITY;
  for (int i = 0; i < 11; i++) {
    s += r.samples[i];
    if (r.samples[i] < mn) mn = r.samples[i];
    if (r.samples[i] > mx) mx = r.samples[i];
  }
  CHECK(p2f_batch_Reading_samples_sum(&r) == s);
  CHECK(p2f_batch_Reading_samples_mean(&r) == s / 11);
  CHECK(p2f_batch_Reading_samples_min(&r, &f) == 11 && f == mn);
  CHECK(p2f_batch_Reading_samples_max(&r, &f) == 11 && f == mx);
  r.samples[11] = 99.0f; /* beyond the count: not read, not scaled */
  p2f_batch_Reading_samples_scale(&r, 2.0f);
  CHECK(p2f_batch_Reading_samples_sum(&r) == 2 * s && r.samples[11] == 99.0f);

  /* A count above the capacity (5) is read as the capacity. */
  for (int i = 0; i < 5; i++) r.counts[i] = i + 1;
  r.counts_count = 1000;
  CHECK(p2f_batch_Reading_counts_sum(&r) == 15);
  p2f_batch_Reading_counts_scale(&r, -2);
  int32_t o = 0;
  CHECK(p2f_batch_Reading_counts_min(&r, &o) == 5 && o == -10);
  CHECK(p2f_batch_Reading_counts_max(&r, &o) == 5 && o == -2);
  r.big[0] = UINT64_MAX;
  r.big[1] = 3;
  r.big_count = 2;
  CHECK(p2f_batch_Reading_big_sum(&r) == 2); /* modulo 2^64 */
  CHECK(p2f_batch_Reading_samples_sum(NULL) == 0);

  p2f_batch_opts_Frame fr;
  p2f_batch_opts_Frame_init(&fr);
  fr.luma_count = 64;
  for (int i = 0; i < 64; i++) fr.luma[i] = 0.5f;
  CHECK(p2f_batch_opts_Frame_luma_sum(&fr) == 32.0);

  /* fixed_count: every one of the 4 elements, there being no count. */
  p2f_batch_opts_Fixed fx;
  p2f_batch_opts_Fixed_init(&fx);
  for (int i = 0; i < 4; i++) fx.v[i] = 10 * (i + 1);
  CHECK(p2f_batch_opts_Fixed_v_sum(&fx) == 100);
  CHECK(p2f_batch_opts_Fixed_v_mean(&fx) == 25.0);
}

static void test_pointer_kernels(void) {
  enum { M = 300 };
  p2f_pool *pool = p2f_batch_Reading_pool_create(16);
  CHECK(pool != NULL);
  if (pool == NULL) return;
  p2f_batch_Reading *slots[2 * M], *msgs[M], *other[M];
  CHECK(p2f_batch_Reading_pool_alloc_batch(pool, slots, 2 * M) == 2 * M);
  /* Keep every other slot, then refill from the free list: the kept slots are not in address
   * order and not one stride apart. */
  for (int i = 0; i < M; i++) {
    msgs[i] = slots[2 * i];
    CHECK(p2f_batch_Reading_pool_free(pool, slots[2 * i + 1]) == P2F_OK);
  }
  for (int i = 0; i < M; i++) other[i] = p2f_batch_Reading_pool_alloc(pool);
  for (int i = 0; i < M / 2; i++) {
    p2f_batch_Reading *t = msgs[i];
    msgs[i] = msgs[M - 1 - i];
    msgs[M - 1 - i] = t;
  }
  uint32_t seed = 777;
  int64_t id_sum = 0, id_dot = 0;
  int32_t id_min = INT32_MAX, id_max = INT32_MIN;
  size_t above = 0, present = 0;
  double c_sum = 0;
  uint64_t t_sum = 0;
  for (int i = 0; i < M; i++) {
    CHECK(other[i] != NULL);
    if (other[i] == NULL) return;
    seed = seed * 1103515245u + 12345u;
    msgs[i]->id = (int32_t)(seed % 2001) - 1000;
    msgs[i]->celsius = (float)(int)(seed % 400) / 4.0f - 20.0f;
    msgs[i]->ticks = (uint64_t)seed << 24;
    other[i]->id = (int32_t)(seed % 13) - 6;
  }
  p2f_batch_Reading *hole = msgs[5];
  msgs[5] = NULL; /* skipped by every kernel */
  for (int i = 0; i < M; i++) {
    if (msgs[i] == NULL) continue;
    present++;
    id_sum += msgs[i]->id;
    id_dot += (int64_t)msgs[i]->id * other[i]->id;
    if (msgs[i]->id < id_min) id_min = msgs[i]->id;
    if (msgs[i]->id > id_max) id_max = msgs[i]->id;
    above += msgs[i]->id > 100;
    c_sum += msgs[i]->celsius;
    t_sum += msgs[i]->ticks;
  }
  CHECK(p2f_batch_Reading_id_sum_ptrs(msgs, M) == id_sum);
  CHECK(p2f_batch_Reading_id_dot_ptrs(msgs, other, M) == id_dot);
  CHECK(p2f_batch_Reading_id_mean_ptrs(msgs, M) == (double)id_sum / (double)present);
  int32_t o = 0;
  CHECK(p2f_batch_Reading_id_min_ptrs(msgs, M, &o) == present && o == id_min);
  CHECK(p2f_batch_Reading_id_max_ptrs(msgs, M, &o) == present && o == id_max);
  CHECK(p2f_batch_Reading_id_count_above_ptrs(msgs, M, 100) == above);
  CHECK(p2f_batch_Reading_celsius_sum_ptrs(msgs, M) == c_sum); /* quarter steps: exact */
  CHECK(p2f_batch_Reading_ticks_sum_ptrs(msgs, M) == t_sum);
  CHECK(p2f_batch_Reading_id_sum_ptrs(NULL, 0) == 0 && isnan(p2f_batch_Reading_id_mean_ptrs(NULL, 0)));
  msgs[5] = hole;
  CHECK(p2f_batch_Reading_pool_free_batch(pool, msgs, M) == P2F_OK);
  CHECK(p2f_batch_Reading_pool_free_batch(pool, other, M) == P2F_OK);
  p2f_batch_Reading_pool_destroy(pool);
}

int main(void) {
  test_pool_sizes();
  test_column_kernels();
  /* The wrappers dispatch like the runtime: every level gives the same results. */
  for (int level = P2F_BATCH_SCALAR; level <= P2F_BATCH_AVX2_GATHER; level++) {
    if (p2f_batch_set_level(level) != P2F_OK) continue;
    test_column_kernels();
    test_repeated_kernels();
    test_pointer_kernels();
  }
  return CHECK_REPORT();
}
