/* Pool benchmark: proto2ffi pools against glibc malloc and mimalloc, measured in the same run
 * on the same sizes (docs/pools.md has the table and the method).
 *
 *   pool_bench [--quick] [--json FILE] [--markdown FILE]
 *
 * Peers: the pool is called through libproto2ffi.so and the generated typed pools through a
 * shared library built from social.proto; glibc malloc through libc.so; mimalloc is loaded
 * with dlopen(RTLD_LOCAL) by bench_alloc.h (linking it would replace malloc itself) and called
 * through the pointers dlsym returns. Every loop calls its allocator directly, so each pair of calls
 * costs one call into a shared library per function for every peer.
 *
 * Cases, for Reaction, Notification, Comment, Post and Message (every message codec_bench
 * measures):
 *   pair        alloc then free at once, repeated (the free list / tcache steady state), once
 *               through the exported p2f_pool_alloc/free (what an FFI caller such as Dart pays)
 *               and once through the inline fast paths of proto2ffi/pool_inline.h (C callers)
 *   burst       1000 allocations, then 1000 frees (both call paths)
 *   alloc+init  typed pool alloc (returns an initialised message) vs malloc + memset
 * and, for the thread-safe pool against malloc and mimalloc, pairs on 1 and 2 threads.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bench_alloc.h"
#include "bench_util.h"
#include "proto2ffi/pool.h"
#include "proto2ffi/pool_inline.h"
#include "social.ffi.h"

typedef void *(*mi_malloc_fn)(size_t);
typedef void (*mi_free_fn)(void *);
static mi_malloc_fn mi_malloc_p;
static mi_free_fn mi_free_p;

static bool quick;
static bench_json *json;
static FILE *md;

enum { BURST = 1000 };

/* ---- cases ------------------------------------------------------------------------------- */

typedef struct case_ctx {
  size_t size;
  p2f_pool *pool;
  int which; /* message for the typed cases: 0 Reaction, 1 Notification, 2 Comment, 3 Post, 4 Message */
} case_ctx;

typedef uint64_t (*case_fn)(case_ctx *c, uint64_t ops);

/* The same loop for every peer: the pool and the size are read into locals once, so the
 * memory clobber of bench_escape (which makes every allocator's state go through memory, as
 * it does when other code runs between the calls) costs no reload of the case; each pointer
 * is escaped and added to the result between its alloc and its free. */
#define PAIR_LOOP(ALLOC, FREE)             \
  p2f_pool *pool = c->pool;                \
  size_t size = c->size;                   \
  (void)pool;                              \
  (void)size;                              \
  uint64_t acc = 0;                        \
  for (uint64_t i = 0; i < ops; i++) {     \
    void *p = ALLOC;                       \
    bench_escape(p);                       \
    acc += (uintptr_t)p;                   \
    FREE;                                  \
  }                                        \
  return acc

static uint64_t pair_pool(case_ctx *c, uint64_t ops) { PAIR_LOOP(p2f_pool_alloc(pool, NULL), p2f_pool_free(pool, p)); }
static uint64_t pair_pool_inline(case_ctx *c, uint64_t ops) {
  PAIR_LOOP(p2f_pool_alloc_inline(pool), p2f_pool_free_inline(pool, p));
}
static uint64_t pair_glibc(case_ctx *c, uint64_t ops) { PAIR_LOOP(malloc(size), free(p)); }
static uint64_t pair_mimalloc(case_ctx *c, uint64_t ops) { PAIR_LOOP(mi_malloc_p(size), mi_free_p(p)); }

#define BURST_LOOP(ALLOC, FREE)                                 \
  p2f_pool *pool = c->pool; /* locals, as in PAIR_LOOP */       \
  size_t size = c->size;                                        \
  (void)pool;                                                   \
  (void)size;                                                   \
  void *ptrs[BURST];                                            \
  uint64_t acc = 0;                                             \
  for (uint64_t i = 0; i < ops; i += BURST) {                   \
    for (int k = 0; k < BURST; k++) {                           \
      ptrs[k] = ALLOC;                                          \
      bench_escape(ptrs[k]);                                    \
    }                                                           \
    acc += (uintptr_t)ptrs[i % BURST];                          \
    for (int k = 0; k < BURST; k++) {                           \
      void *p = ptrs[k];                                        \
      FREE;                                                     \
    }                                                           \
  }                                                             \
  return acc

static uint64_t burst_pool(case_ctx *c, uint64_t ops) { BURST_LOOP(p2f_pool_alloc(pool, NULL), p2f_pool_free(pool, p)); }
static uint64_t burst_pool_inline(case_ctx *c, uint64_t ops) {
  BURST_LOOP(p2f_pool_alloc_inline(pool), p2f_pool_free_inline(pool, p));
}
static uint64_t burst_glibc(case_ctx *c, uint64_t ops) { BURST_LOOP(malloc(size), free(p)); }
static uint64_t burst_mimalloc(case_ctx *c, uint64_t ops) { BURST_LOOP(mi_malloc_p(size), mi_free_p(p)); }

/* alloc+init: the typed pool returns an initialised message; the peers pay for the same
 * initialisation with memset. One field is read back so the stores are consumed. */
#define INIT_LOOP(ALLOC, FREE)                           \
  uint64_t acc = 0;                                      \
  for (uint64_t i = 0; i < ops; i++) {                   \
    unsigned char *p = ALLOC;                            \
    bench_escape(p);                                     \
    acc += p[c->size - 1] + (uintptr_t)p;                \
    FREE;                                                \
  }                                                      \
  return acc

static void *typed_alloc(case_ctx *c) {
  switch (c->which) {
    case 0: return social_Reaction_pool_alloc(c->pool);
    case 1: return social_Notification_pool_alloc(c->pool);
    case 2: return social_Comment_pool_alloc(c->pool);
    case 3: return social_Post_pool_alloc(c->pool);
    default: return social_Message_pool_alloc(c->pool);
  }
}

static void *zeroed(void *p, size_t n) { return p ? memset(p, 0, n) : p; }

static uint64_t init_pool(case_ctx *c, uint64_t ops) { INIT_LOOP(typed_alloc(c), p2f_pool_free(c->pool, p)); }
static uint64_t init_glibc(case_ctx *c, uint64_t ops) { INIT_LOOP(zeroed(malloc(c->size), c->size), free(p)); }
static uint64_t init_mimalloc(case_ctx *c, uint64_t ops) {
  INIT_LOOP(zeroed(mi_malloc_p(c->size), c->size), mi_free_p(p));
}

static bench_stats measure(case_fn fn, case_ctx *c, uint64_t ops, int reps) {
  double samples[64];
  bench_sink += fn(c, ops); /* warm-up: chunks, tcache and page faults out of the timing */
  for (int r = 0; r < reps; r++) {
    double t0 = bench_now_ns();
    uint64_t acc = fn(c, ops);
    double t1 = bench_now_ns();
    bench_sink += acc;
    samples[r] = (t1 - t0) / (double)ops;
  }
  return bench_summarise(samples, reps, ops);
}

/* ---- threads ------------------------------------------------------------------------------ */

typedef struct thread_job {
  case_fn fn;
  case_ctx ctx;
  uint64_t ops;
  pthread_barrier_t *start;
  double elapsed;
  uint64_t result;
} thread_job;

static void *thread_main(void *arg) {
  thread_job *job = arg;
  job->result = job->fn(&job->ctx, job->ops / 10); /* warm-up, per thread */
  pthread_barrier_wait(job->start);
  double t0 = bench_now_ns();
  job->result += job->fn(&job->ctx, job->ops);
  job->elapsed = bench_now_ns() - t0;
  return NULL;
}

/* ns per pair per thread: the slowest thread's time over its pairs. */
static bench_stats measure_threads(case_fn fn, case_ctx *c, int threads, uint64_t ops, int reps) {
  double samples[64];
  for (int r = 0; r < reps; r++) {
    pthread_t t[8];
    thread_job jobs[8];
    pthread_barrier_t start;
    pthread_barrier_init(&start, NULL, (unsigned)threads);
    for (int i = 0; i < threads; i++) {
      jobs[i] = (thread_job){fn, *c, ops, &start, 0, 0};
      pthread_create(&t[i], NULL, thread_main, &jobs[i]);
    }
    double worst = 0;
    for (int i = 0; i < threads; i++) {
      pthread_join(t[i], NULL);
      bench_sink += jobs[i].result;
      if (jobs[i].elapsed > worst) worst = jobs[i].elapsed;
    }
    pthread_barrier_destroy(&start);
    samples[r] = worst / (double)ops;
  }
  return bench_summarise(samples, reps, ops);
}

/* ---- reporting ------------------------------------------------------------------------------ */

static void row(const char *group, const char *name, size_t size, int threads, const bench_stats *ours,
                const bench_stats *glibc, const bench_stats *mi, const char *ours_peer) {
  bench_json_result(json, group, name, ours_peer, size, threads, ours);
  bench_json_result(json, group, name, "glibc malloc", size, threads, glibc);
  bench_json_result(json, group, name, "mimalloc", size, threads, mi);
  char line[512];
  snprintf(line, sizeof line,
           "| %s | %s | %zu | %d | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.2fx | %.2fx |\n", group,
           name, size, threads, ours->median, ours->p5, ours->p95, glibc->median, glibc->p5, glibc->p95, mi->median,
           mi->p5, mi->p95, glibc->median / ours->median, mi->median / ours->median);
  fputs(line, stdout);
  fflush(stdout);
  if (md) fputs(line, md);
}

static void header(void) {
  const char *h =
      "| case | message | bytes | threads | proto2ffi ns/op median (p5–p95) | glibc malloc | mimalloc | "
      "glibc / ours | mimalloc / ours |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n";
  fputs(h, stdout);
  if (md) fputs(h, md);
}

/* --count-pairs MESSAGE: only the four pair loops of one message, COUNT_OPS pairs each after
 * COUNT_WARM warm-up pairs, no timing. For instruction counts: under
 *   valgrind --tool=callgrind pool_bench --count-pairs Reaction
 * the inclusive count of pair_pool, pair_pool_inline, pair_glibc and pair_mimalloc divided by
 * COUNT_OPS + COUNT_WARM is the instructions per pair, loop included (docs/benchmarks.md). */
enum { COUNT_OPS = 100000, COUNT_WARM = 1000 };

static int count_pairs(const char *name) {
  static const char *const names[] = {"Reaction", "Notification", "Comment", "Post", "Message"};
  static const size_t sizes[] = {sizeof(social_Reaction), sizeof(social_Notification), sizeof(social_Comment),
                                 sizeof(social_Post), sizeof(social_Message)};
  int m = 0;
  while (m < 5 && strcmp(names[m], name) != 0) m++;
  if (m == 5) {
    fprintf(stderr, "pool_bench: unknown message %s\n", name);
    return 2;
  }
  const bench_mimalloc *mi = bench_mimalloc_require("pool_bench");
  if (mi == NULL) return 1;
  mi_malloc_p = mi->alloc;
  mi_free_p = mi->release;
  case_ctx c = {sizes[m], p2f_pool_new(sizes[m], 8, BURST, 0, 0), m};
  case_fn fns[] = {pair_pool, pair_pool_inline, pair_glibc, pair_mimalloc};
  for (int f = 0; f < 4; f++) {
    bench_sink += fns[f](&c, COUNT_WARM);
    bench_sink += fns[f](&c, COUNT_OPS);
  }
  p2f_pool_destroy(c.pool);
  printf("%s: %d pairs per function (after %d warm-up pairs); checksum %llu\n", name, COUNT_OPS, COUNT_WARM,
         (unsigned long long)bench_sink);
  return 0;
}

int main(int argc, char **argv) {
  const char *json_path = "pool_bench.json";
  const char *md_path = NULL;
  const char *count_msg = NULL;
  for (int i = 1; i < argc; i++) {
    if (bench_common_arg(argc, argv, &i, &quick, &json_path, &md_path)) continue;
    if (strcmp(argv[i], "--count-pairs") == 0 && i + 1 < argc) {
      count_msg = argv[++i];
      continue;
    }
    fprintf(stderr, "usage: pool_bench [--quick] [--json FILE] [--markdown FILE] [--count-pairs MESSAGE]\n");
    return 2;
  }
  if (count_msg != NULL) return count_pairs(count_msg);
  const bench_mimalloc *mi = bench_mimalloc_require("pool_bench");
  if (mi == NULL) return 1;
  mi_malloc_p = mi->alloc;
  mi_free_p = mi->release;
  if (!bench_open_outputs("pool_bench", json_path, md_path, "pools", quick, &json, &md)) return 1;
  printf("pool_bench (%s): %s; %s; pool chunks from %s\n", quick ? "quick" : "full", bench_cpu_model(),
         bench_compiler(), p2f_pool_backend());
  if (md) {
    fprintf(md, "Machine: %s; %s; pool chunks from %s; %s run.\n\n", bench_cpu_model(), bench_compiler(),
            p2f_pool_backend(), quick ? "quick" : "full");
  }
  header();

  const int reps = quick ? 3 : 21;
  const uint64_t ops = quick ? 20000 : 1000000;
  struct {
    const char *name;
    size_t size;
  } msgs[] = {{"Reaction", sizeof(social_Reaction)},
              {"Notification", sizeof(social_Notification)},
              {"Comment", sizeof(social_Comment)},
              {"Post", sizeof(social_Post)},
              {"Message", sizeof(social_Message)}};
  p2f_pool *(*creators[])(size_t) = {social_Reaction_pool_create, social_Notification_pool_create,
                                     social_Comment_pool_create, social_Post_pool_create,
                                     social_Message_pool_create};

  for (int m = 0; m < 5; m++) {
    case_ctx c = {msgs[m].size, creators[m](BURST), m};
    bench_stats a = measure(pair_pool, &c, ops, reps);
    bench_stats ai = measure(pair_pool_inline, &c, ops, reps);
    bench_stats b = measure(pair_glibc, &c, ops, reps);
    bench_stats d = measure(pair_mimalloc, &c, ops, reps);
    row("alloc+free pair, exported calls", msgs[m].name, c.size, 1, &a, &b, &d, "proto2ffi pool");
    row("alloc+free pair, inline (C)", msgs[m].name, c.size, 1, &ai, &b, &d, "proto2ffi pool inline");
    /* glibc returns memory to the system after each burst of large blocks (microseconds per
     * operation), so large bursts run fewer operations per repetition. */
    uint64_t burst_ops = c.size > 1000 ? ops / 20 : ops;
    a = measure(burst_pool, &c, burst_ops, reps);
    ai = measure(burst_pool_inline, &c, burst_ops, reps);
    b = measure(burst_glibc, &c, burst_ops, reps);
    d = measure(burst_mimalloc, &c, burst_ops, reps);
    row("burst of 1000, exported calls", msgs[m].name, c.size, 1, &a, &b, &d, "proto2ffi pool");
    row("burst of 1000, inline (C)", msgs[m].name, c.size, 1, &ai, &b, &d, "proto2ffi pool inline");
    uint64_t init_ops = c.size > 1000 ? ops / 4 : ops;
    a = measure(init_pool, &c, init_ops, reps);
    b = measure(init_glibc, &c, init_ops, reps);
    d = measure(init_mimalloc, &c, init_ops, reps);
    row("alloc+init+free", msgs[m].name, c.size, 1, &a, &b, &d, "proto2ffi typed pool");
    p2f_pool_destroy(c.pool);
  }

  /* Thread-safe pools against the thread-caching peers, 1 and 2 threads. */
  for (int m = 0; m < 4; m += 3) {
    for (int threads = 1; threads <= 2; threads++) {
      case_ctx c = {msgs[m].size, p2f_pool_new(msgs[m].size, 8, BURST, 0, P2F_POOL_THREAD_SAFE), m};
      case_ctx locked = {msgs[m].size, p2f_pool_new(msgs[m].size, 8, BURST, 0, P2F_POOL_THREAD_SAFE | P2F_POOL_LOCKED), m};
      bench_stats a = measure_threads(pair_pool, &c, threads, ops, reps);
      bench_stats l = measure_threads(pair_pool, &locked, threads, ops, reps);
      bench_stats b = measure_threads(pair_glibc, &c, threads, ops, reps);
      bench_stats d = measure_threads(pair_mimalloc, &c, threads, ops, reps);
      row("thread-safe pair", msgs[m].name, c.size, threads, &a, &b, &d, "proto2ffi thread-safe pool");
      row("locked pool pair", msgs[m].name, c.size, threads, &l, &b, &d, "proto2ffi locked pool");
      uint64_t burst_ops = c.size > 1000 ? ops / 20 : ops;
      a = measure_threads(burst_pool, &c, threads, burst_ops, reps);
      b = measure_threads(burst_glibc, &c, threads, burst_ops, reps);
      d = measure_threads(burst_mimalloc, &c, threads, burst_ops, reps);
      row("thread-safe burst", msgs[m].name, c.size, threads, &a, &b, &d, "proto2ffi thread-safe pool");
      p2f_pool_destroy(c.pool);
      p2f_pool_destroy(locked.pool);
    }
  }
  bench_json_close(json);
  if (md) fclose(md);
  printf("checksum %llu\n", (unsigned long long)bench_sink);
  return 0;
}
