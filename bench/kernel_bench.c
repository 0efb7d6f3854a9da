/* Batch column kernels (the batch option, proto2ffi/batch.h): bytes read per second by the
 * generated kernels at every dispatch level, next to a plain C loop over the same fields and
 * memcpy of the same bytes, in the same run on the same data.
 *
 *   kernel_bench [--quick] [--json FILE] [--markdown FILE] [--lib PATH]
 *
 * The kernels are the generated wrappers of bench/schemas/kernels.proto in a shared library
 * (libbench_kernels.so) loaded with dlopen and called through dlsym's pointers, as a foreign
 * runtime calls them; p2f_batch_set_level forces each level in turn (scalar: the runtime's
 * loop compiled without vectorisation; sse2; avx2; avx2-gather: AVX2 with the strided sums
 * read by gather instructions). Peers: "plain loop" is the obvious C loop over the same
 * member, compiled into this program with the suite's flags; "memcpy" copies the bytes the
 * kernel reads. One operation is one kernel call over n messages (or one frame).
 *
 * Bytes per call: a column of a Reading array is read as whole cache lines (a Reading is 48
 * bytes, so every line holds values), so the bytes read are n * 48 (twice that for dot); a
 * repeated field is its n values. Every result is folded into a checksum printed at the end.
 *
 * The pointer kernels (T_f_sum_ptrs and friends) run over n Readings allocated from a pool,
 * through the array of their pointers, in allocation order and shuffled; their plain loop is
 * `s += pa[i]->f`. Bytes per call: n * (48 + 8), the messages and the pointer array.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "kernels.ffi.h"
#include "proto2ffi/batch.h"

#ifndef P2F_BENCH_KERNELS_LIB
#define P2F_BENCH_KERNELS_LIB "libbench_kernels.so"
#endif

static bench_json *json;
static FILE *md;
static bench_config cfg;
static void *lib;

typedef void (*any_fn)(void);

/* dlsym's object pointer as a function pointer (POSIX guarantees the representation). */
static any_fn sym(const char *name) {
  void *p = dlsym(lib, name);
  if (p == NULL) {
    fprintf(stderr, "kernel_bench: %s not found: %s\n", name, dlerror());
    exit(1);
  }
  any_fn f;
  memcpy(&f, &p, sizeof f);
  return f;
}

typedef enum kind {
  K_SUM_F32,
  K_SUM_I32,
  K_SUM_F64,
  K_MIN_F32,
  K_COUNT_F32,
  K_DOT_F32,
  K_LUMA_SUM,
  K_LUMA_MIN,
  K_LUMA_SCALE,
  /* Over an array of pointers to the messages (the _ptrs kernels). */
  K_PSUM_F32,
  K_PSUM_I32,
  K_PMIN_F32,
  K_PCOUNT_F32
} kind;

typedef struct kctx {
  kind k;
  kb_Reading *a, *b;
  kb_Frame *frame;
  kb_Reading **pa; /* the pointer kernels' array */
  size_t n;
  any_fn fn; /* the generated kernel */
  bool plain;
  unsigned char *src, *dst; /* memcpy peer */
  size_t bytes;
} kctx;

typedef double (*sum_f_fn)(const kb_Reading *, size_t);
typedef int64_t (*sum_i_fn)(const kb_Reading *, size_t);
typedef size_t (*min_f_fn)(const kb_Reading *, size_t, float *);
typedef size_t (*count_f_fn)(const kb_Reading *, size_t, float);
typedef double (*dot_f_fn)(const kb_Reading *, const kb_Reading *, size_t);
typedef double (*psum_f_fn)(kb_Reading *const *, size_t);
typedef int64_t (*psum_i_fn)(kb_Reading *const *, size_t);
typedef size_t (*pmin_f_fn)(kb_Reading *const *, size_t, float *);
typedef size_t (*pcount_f_fn)(kb_Reading *const *, size_t, float);
typedef double (*luma_sum_fn)(const kb_Frame *);
typedef size_t (*luma_min_fn)(const kb_Frame *, float *);
typedef void (*luma_scale_fn)(kb_Frame *, float);

/* scale alternates 2 and 0.5 (both exact), so that neither call is the identity a compiler
 * could drop. */
static volatile float scale_factor = 2.0f;

/* The plain loops: what a C programmer writes without the kernels. */
static uint64_t plain(kctx *c) {
  const kb_Reading *a = c->a, *b = c->b;
  size_t n = c->n;
  switch (c->k) {
    case K_SUM_F32: {
      double s = 0;
      for (size_t i = 0; i < n; i++) s += a[i].celsius;
      return (uint64_t)s;
    }
    case K_SUM_I32: {
      int64_t s = 0;
      for (size_t i = 0; i < n; i++) s += a[i].id;
      return (uint64_t)s;
    }
    case K_SUM_F64: {
      double s = 0;
      for (size_t i = 0; i < n; i++) s += a[i].pressure;
      return (uint64_t)s;
    }
    case K_MIN_F32: {
      float m = INFINITY;
      for (size_t i = 0; i < n; i++)
        if (a[i].celsius < m) m = a[i].celsius;
      return (uint64_t)(m + 1000);
    }
    case K_COUNT_F32: {
      size_t k = 0;
      for (size_t i = 0; i < n; i++) k += a[i].celsius > 20.0f;
      return k;
    }
    case K_DOT_F32: {
      double s = 0;
      for (size_t i = 0; i < n; i++) s += (double)a[i].celsius * b[i].celsius;
      return (uint64_t)s;
    }
    case K_LUMA_SUM: {
      double s = 0;
      for (uint32_t i = 0; i < c->frame->luma_count; i++) s += c->frame->luma[i];
      return (uint64_t)s;
    }
    case K_LUMA_MIN: {
      float m = INFINITY;
      for (uint32_t i = 0; i < c->frame->luma_count; i++)
        if (c->frame->luma[i] < m) m = c->frame->luma[i];
      return (uint64_t)(m * 1000);
    }
    case K_LUMA_SCALE: {
      float f = scale_factor;
      scale_factor = 1.0f / f;
      for (uint32_t i = 0; i < c->frame->luma_count; i++) c->frame->luma[i] *= f;
      bench_escape(c->frame);
      return (uint64_t)c->frame->luma[7];
    }
    case K_PSUM_F32: {
      double s = 0;
      for (size_t i = 0; i < n; i++) s += c->pa[i]->celsius;
      return (uint64_t)s;
    }
    case K_PSUM_I32: {
      int64_t s = 0;
      for (size_t i = 0; i < n; i++) s += c->pa[i]->id;
      return (uint64_t)s;
    }
    case K_PMIN_F32: {
      float m = INFINITY;
      for (size_t i = 0; i < n; i++)
        if (c->pa[i]->celsius < m) m = c->pa[i]->celsius;
      return (uint64_t)(m + 1000);
    }
    case K_PCOUNT_F32: {
      size_t k = 0;
      for (size_t i = 0; i < n; i++) k += c->pa[i]->celsius > 20.0f;
      return k;
    }
  }
  return 0;
}

static uint64_t kernel(kctx *c) {
  float f = 0;
  switch (c->k) {
    case K_SUM_F32:
    case K_SUM_F64:
      return (uint64_t)((sum_f_fn)c->fn)(c->a, c->n);
    case K_SUM_I32:
      return (uint64_t)((sum_i_fn)c->fn)(c->a, c->n);
    case K_MIN_F32:
      return ((min_f_fn)c->fn)(c->a, c->n, &f) + (uint64_t)(f + 1000);
    case K_COUNT_F32:
      return ((count_f_fn)c->fn)(c->a, c->n, 20.0f);
    case K_DOT_F32:
      return (uint64_t)((dot_f_fn)c->fn)(c->a, c->b, c->n);
    case K_LUMA_SUM:
      return (uint64_t)((luma_sum_fn)c->fn)(c->frame);
    case K_LUMA_MIN:
      return ((luma_min_fn)c->fn)(c->frame, &f) + (uint64_t)(f * 1000);
    case K_LUMA_SCALE:
      f = scale_factor;
      scale_factor = 1.0f / f;
      ((luma_scale_fn)c->fn)(c->frame, f);
      bench_escape(c->frame);
      return (uint64_t)c->frame->luma[7];
    case K_PSUM_F32:
      return (uint64_t)((psum_f_fn)c->fn)(c->pa, c->n);
    case K_PSUM_I32:
      return (uint64_t)((psum_i_fn)c->fn)(c->pa, c->n);
    case K_PMIN_F32:
      return ((pmin_f_fn)c->fn)(c->pa, c->n, &f) + (uint64_t)(f + 1000);
    case K_PCOUNT_F32:
      return ((pcount_f_fn)c->fn)(c->pa, c->n, 20.0f);
  }
  return 0;
}

static uint64_t case_fn(void *p, uint64_t ops) {
  kctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    bench_escape(c->a);
    acc += c->plain ? plain(c) : kernel(c);
  }
  return acc;
}

static uint64_t copy_fn(void *p, uint64_t ops) {
  kctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    memcpy(c->dst, c->src, c->bytes);
    bench_escape(c->dst);
    acc += c->dst[i % c->bytes];
  }
  return acc;
}

static double gbps(size_t bytes, const bench_stats *s) { return (double)bytes / s->median; }

static void measure_case(const char *name, kind k, const char *symbol, kctx base) {
  base.k = k;
  base.fn = sym(symbol);
  char label[160];
  snprintf(label, sizeof label, "%s, n=%zu", name, base.n);
  static const int levels[] = {P2F_BATCH_AVX2, P2F_BATCH_AVX2_GATHER, P2F_BATCH_VECTOR, P2F_BATCH_SCALAR};
  bench_stats st[4];
  bool have[4];
  for (int l = 0; l < 4; l++) {
    have[l] = p2f_batch_set_level(levels[l]) == P2F_OK;
    if (!have[l]) continue;
    char peer[64];
    snprintf(peer, sizeof peer, "kernel %s", p2f_batch_level_name(levels[l]));
    st[l] = bench_measure(case_fn, &base, 0, &cfg);
    bench_json_result(json, "batch kernels", label, peer, base.bytes, 1, &st[l]);
    bench_progress("kernel_bench", "batch kernels", label, peer, &st[l]);
  }
  p2f_batch_set_level(P2F_BATCH_AUTO);
  kctx pl = base;
  pl.plain = true;
  bench_stats sp = bench_measure(case_fn, &pl, 0, &cfg);
  bench_json_result(json, "batch kernels", label, "plain loop", base.bytes, 1, &sp);
  bench_progress("kernel_bench", "batch kernels", label, "plain loop", &sp);
  kctx cp = base;
  /* Page-aligned source, destination 2 KB + 64 past a page boundary: no 4K aliasing between
   * the two streams, whatever malloc would have returned. */
  unsigned char *src_block = aligned_alloc(4096, base.bytes + 4096), *dst_block = aligned_alloc(4096, base.bytes + 8192);
  if (!src_block || !dst_block) exit(1);
  cp.src = src_block;
  cp.dst = dst_block + 2048 + 64;
  memset(cp.src, 1, base.bytes);
  memset(cp.dst, 2, base.bytes);
  bench_stats sm = bench_measure(copy_fn, &cp, 0, &cfg);
  bench_json_result(json, "batch kernels", label, "memcpy of the same bytes", base.bytes, 1, &sm);
  bench_progress("kernel_bench", "batch kernels", label, "memcpy", &sm);
  free(src_block);
  free(dst_block);
  char line[512];
  int o = snprintf(line, sizeof line, "| %s | %zu |", label, base.bytes);
  double best = 0;
  for (int l = 0; l < 4; l++) {
    if (have[l]) {
      o += snprintf(line + o, sizeof line - (size_t)o, " %.2f (%.2f–%.2f) |", gbps(base.bytes, &st[l]),
                    (double)base.bytes / st[l].p95, (double)base.bytes / st[l].p5);
      if (gbps(base.bytes, &st[l]) > best) best = gbps(base.bytes, &st[l]);
    } else {
      o += snprintf(line + o, sizeof line - (size_t)o, " n/a |");
    }
  }
  double scalar = have[3] ? gbps(base.bytes, &st[3]) : 0;
  snprintf(line + o, sizeof line - (size_t)o, " %.2f | %.2f | %.2fx | %.2fx | %.2f |\n", gbps(base.bytes, &sp),
           gbps(base.bytes, &sm), scalar > 0 ? best / scalar : 0, best / gbps(base.bytes, &sp),
           best / gbps(base.bytes, &sm));
  fputs(line, stdout);
  fflush(stdout);
  if (md) fputs(line, md);
}

static void fill_reading(kb_Reading *r, uint64_t x) {
  r->id = (int32_t)(x % 100000);
  r->celsius = (float)(x % 6000) / 100.0f - 10.0f;
  r->pressure = 950.0 + (double)(x % 10000) / 100.0;
}

static void readings(kctx *c, size_t n) {
  c->n = n;
  c->a = calloc(n, sizeof(kb_Reading));
  c->b = calloc(n, sizeof(kb_Reading));
  if (!c->a || !c->b) exit(1);
  uint64_t x = 88172645463325252u;
  for (size_t i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    kb_Reading_init(&c->a[i]);
    kb_Reading_init(&c->b[i]);
    fill_reading(&c->a[i], x);
    c->b[i].celsius = (float)((x >> 20) % 100) / 50.0f;
  }
}

/* n Readings from a pool, as a pool's user holds them: pa[i] in allocation order, or
 * shuffled (the order a program that frees and reallocates ends up with). The values are
 * those of readings(). */
static p2f_pool *pooled(kctx *c, size_t n, bool shuffle) {
  p2f_pool *pool = kb_Reading_pool_create(n);
  c->n = n;
  c->pa = calloc(n, sizeof *c->pa);
  if (!pool || !c->pa || kb_Reading_pool_alloc_batch(pool, c->pa, n) != n) exit(1);
  uint64_t x = 88172645463325252u;
  for (size_t i = 0; i < n; i++) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    fill_reading(c->pa[i], x);
  }
  for (size_t i = n; shuffle && i > 1; i--) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    size_t j = (size_t)(x % i);
    kb_Reading *t = c->pa[i - 1];
    c->pa[i - 1] = c->pa[j];
    c->pa[j] = t;
  }
  c->a = (kb_Reading *)(void *)c->pa; /* escaped by case_fn only */
  return pool;
}

int main(int argc, char **argv) {
  const char *json_path = "kernel_bench.json", *md_path = NULL, *lib_path = P2F_BENCH_KERNELS_LIB;
  bool quick = false;
  for (int i = 1; i < argc; i++) {
    if (bench_common_arg(argc, argv, &i, &quick, &json_path, &md_path)) continue;
    if (strcmp(argv[i], "--lib") == 0 && i + 1 < argc) {
      lib_path = argv[++i];
      continue;
    }
    fprintf(stderr, "usage: kernel_bench [--quick] [--json FILE] [--markdown FILE] [--lib PATH]\n");
    return 2;
  }
  lib = dlopen(lib_path, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) {
    fprintf(stderr, "kernel_bench: %s\n", dlerror());
    return 1;
  }
  cfg = bench_config_for(quick);
  if (!bench_open_outputs("kernel_bench", json_path, md_path, "batch kernels", quick, &json, &md)) return 1;
  const char *head =
      "| kernel | bytes per call | avx2 GB/s (p5–p95) | avx2-gather | sse2 | scalar | plain loop | memcpy | best / "
      "scalar | best / plain loop | best / memcpy |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  printf("kernel_bench (%s): %s; %s; best level here: %s\n", quick ? "quick" : "full", bench_cpu_model(),
         bench_compiler(), p2f_batch_level_name(p2f_batch_current_level()));
  fputs(head, stdout);
  if (md) {
    fprintf(md, "Machine: %s; %s; %s run. GB/s of bytes read (median, p5–p95 of the repetitions).\n\n",
            bench_cpu_model(), bench_compiler(), quick ? "quick" : "full");
    fputs(head, md);
  }
  const size_t sizes[] = {4096, quick ? (size_t)1 << 17 : (size_t)1 << 20};
  for (int s = 0; s < 2; s++) {
    kctx c = {0};
    readings(&c, sizes[s]);
    c.bytes = c.n * sizeof(kb_Reading);
    measure_case("Reading.celsius (float) sum", K_SUM_F32, "kb_Reading_celsius_sum", c);
    measure_case("Reading.id (int32) sum", K_SUM_I32, "kb_Reading_id_sum", c);
    measure_case("Reading.pressure (double) sum", K_SUM_F64, "kb_Reading_pressure_sum", c);
    measure_case("Reading.celsius min", K_MIN_F32, "kb_Reading_celsius_min", c);
    measure_case("Reading.celsius count_above", K_COUNT_F32, "kb_Reading_celsius_count_above", c);
    kctx d = c;
    d.bytes = 2 * c.bytes;
    measure_case("Reading.celsius dot", K_DOT_F32, "kb_Reading_celsius_dot", d);
    free(c.a);
    free(c.b);
    /* The same columns over pointers to pool slots: the bytes read are the messages' and the
     * pointer array's. */
    for (int order = 0; order < 2; order++) {
      kctx p = {0};
      p2f_pool *pool = pooled(&p, sizes[s], order == 1);
      p.bytes = p.n * (sizeof(kb_Reading) + sizeof(kb_Reading *));
      const char *how = order ? "pointers to pool slots, shuffled" : "pointers to pool slots, in order";
      char name[160];
      snprintf(name, sizeof name, "Reading.celsius (float) sum, %s", how);
      measure_case(name, K_PSUM_F32, "kb_Reading_celsius_sum_ptrs", p);
      snprintf(name, sizeof name, "Reading.id (int32) sum, %s", how);
      measure_case(name, K_PSUM_I32, "kb_Reading_id_sum_ptrs", p);
      snprintf(name, sizeof name, "Reading.celsius min, %s", how);
      measure_case(name, K_PMIN_F32, "kb_Reading_celsius_min_ptrs", p);
      snprintf(name, sizeof name, "Reading.celsius count_above, %s", how);
      measure_case(name, K_PCOUNT_F32, "kb_Reading_celsius_count_above_ptrs", p);
      free(p.pa);
      kb_Reading_pool_destroy(pool);
    }
  }
  kctx f = {0};
  f.frame = malloc(sizeof(kb_Frame));
  if (!f.frame) return 1;
  kb_Frame_init(f.frame);
  f.frame->luma_count = kb_Frame_luma_MAX_COUNT;
  for (uint32_t i = 0; i < f.frame->luma_count; i++) f.frame->luma[i] = (float)(i % 251) / 250.0f;
  f.n = f.frame->luma_count;
  f.bytes = f.n * sizeof(float);
  f.a = (kb_Reading *)(void *)f.frame; /* escaped by case_fn only */
  measure_case("Frame.luma (repeated float) sum", K_LUMA_SUM, "kb_Frame_luma_sum", f);
  measure_case("Frame.luma min", K_LUMA_MIN, "kb_Frame_luma_min", f);
  measure_case("Frame.luma scale (in place)", K_LUMA_SCALE, "kb_Frame_luma_scale", f);
  free(f.frame);
  bench_json_close(json);
  if (md) fclose(md);
  printf("kernel_bench: checksum %llu\n", (unsigned long long)bench_sink);
  return 0;
}
