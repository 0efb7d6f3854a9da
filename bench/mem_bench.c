/* Allocation and initialisation of generated messages, peers in the same run.
 *
 *   mem_bench [--quick] [--json FILE] [--markdown FILE]
 *
 * pool_bench covers the allocators for Reaction, Notification, Comment and Post; this program
 * adds the fifth size class of the suite (Message, 4040 bytes) with the same cases and names,
 * and compares where an initialised message can live:
 *
 *   alloc+free pair, exported calls   Message: T_pool_alloc's untyped core (p2f_pool_alloc/free)
 *                                     vs malloc/free vs mimalloc
 *   alloc+free pair, inline (C)       the same through proto2ffi/pool_inline.h (the peers'
 *                                     figures are those of the exported case, as in pool_bench)
 *   alloc+init+free                   Message: typed pool alloc (runs T_init) + free vs
 *                                     malloc + memset + free vs mimalloc + memset + free
 *   init: stack vs heap               every size class (and UserProfile, 688 bytes): T_init on a
 *                                     message on the stack, vs
 *                                     malloc + T_init + free, vs typed pool alloc + free
 *
 * mimalloc is loaded with dlopen(RTLD_LOCAL) by bench_alloc.h (linking it would replace
 * malloc for the whole process). The last byte of every initialised message is read and every
 * pointer passes through bench_escape, so neither the stores nor the allocation can be
 * optimised away.
 */
#define _GNU_SOURCE
#include <stdalign.h>
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

typedef void (*init_fn)(void *msg);
typedef void *(*typed_alloc_fn)(p2f_pool *pool);

typedef struct msg_case {
  const char *name;
  size_t size;
  init_fn init;
  typed_alloc_fn typed_alloc;
  p2f_pool *pool;
} msg_case;

#define MAX_MSG 5600 /* sizeof(social_Post), the largest message here */

static uint64_t pair_pool(void *p, uint64_t ops) {
  msg_case *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    void *m = p2f_pool_alloc(c->pool, NULL);
    bench_escape(m);
    acc += (uintptr_t)m;
    p2f_pool_free(c->pool, m);
  }
  return acc;
}

static uint64_t pair_pool_inline(void *p, uint64_t ops) {
  msg_case *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    void *m = p2f_pool_alloc_inline(c->pool);
    bench_escape(m);
    acc += (uintptr_t)m;
    p2f_pool_free_inline(c->pool, m);
  }
  return acc;
}

static uint64_t pair_glibc(void *p, uint64_t ops) {
  msg_case *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    void *m = malloc(c->size);
    bench_escape(m);
    acc += (uintptr_t)m;
    free(m);
  }
  return acc;
}

static uint64_t pair_mimalloc(void *p, uint64_t ops) {
  msg_case *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    void *m = mi_malloc_p(c->size);
    bench_escape(m);
    acc += (uintptr_t)m;
    mi_free_p(m);
  }
  return acc;
}

static uint64_t init_pool(void *p, uint64_t ops) {
  msg_case *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    unsigned char *m = c->typed_alloc(c->pool);
    bench_escape(m);
    acc += m[c->size - 1] + (uintptr_t)m;
    p2f_pool_free(c->pool, m);
  }
  return acc;
}

static uint64_t init_glibc(void *p, uint64_t ops) {
  msg_case *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    unsigned char *m = malloc(c->size);
    memset(m, 0, c->size);
    bench_escape(m);
    acc += m[c->size - 1] + (uintptr_t)m;
    free(m);
  }
  return acc;
}

static uint64_t init_mimalloc(void *p, uint64_t ops) {
  msg_case *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    unsigned char *m = mi_malloc_p(c->size);
    memset(m, 0, c->size);
    bench_escape(m);
    acc += m[c->size - 1] + (uintptr_t)m;
    mi_free_p(m);
  }
  return acc;
}

static uint64_t stack_init(void *p, uint64_t ops) {
  msg_case *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    alignas(16) unsigned char m[MAX_MSG];
    c->init(m);
    bench_escape(m);
    acc += m[c->size - 1] + m[0];
  }
  return acc;
}

static uint64_t heap_init(void *p, uint64_t ops) {
  msg_case *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    unsigned char *m = malloc(c->size);
    c->init(m);
    bench_escape(m);
    acc += m[c->size - 1] + m[0];
    free(m);
  }
  return acc;
}

static bench_json *json;
static FILE *md;
static bench_config cfg;

static bench_stats run(const char *group, const msg_case *c, const char *peer, bench_case_fn fn) {
  bench_stats s = bench_measure(fn, (void *)c, 0, &cfg);
  bench_json_result(json, group, c->name, peer, c->size, 1, &s);
  bench_progress("mem_bench", group, c->name, peer, &s);
  return s;
}

static void row(const char *group, const msg_case *c, const char *peers[3], const bench_stats s[3]) {
  if (md == NULL) return;
  fprintf(md, "| %s | %s | %zu |", group, c->name, c->size);
  for (int i = 0; i < 3; i++) fprintf(md, " %s: %.2f (%.2f–%.2f) |", peers[i], s[i].median, s[i].p5, s[i].p95);
  fprintf(md, " %.2fx | %.2fx |\n", s[1].median / s[0].median, s[2].median / s[0].median);
}

#define CASE(T) {#T, sizeof(social_##T), (init_fn)social_##T##_init, (typed_alloc_fn)social_##T##_pool_alloc, NULL}

int main(int argc, char **argv) {
  const char *json_path = "mem_bench.json", *md_path = NULL;
  bool quick = false;
  for (int i = 1; i < argc; i++) {
    if (bench_common_arg(argc, argv, &i, &quick, &json_path, &md_path)) continue;
    fprintf(stderr, "usage: mem_bench [--quick] [--json FILE] [--markdown FILE]\n");
    return 2;
  }
  const bench_mimalloc *mi = bench_mimalloc_require("mem_bench");
  if (mi == NULL) return 1;
  mi_malloc_p = mi->alloc;
  mi_free_p = mi->release;
  cfg = bench_config_for(quick);
  if (!bench_open_outputs("mem_bench", json_path, md_path, "memory", quick, &json, &md)) return 1;
  if (md) {
    fprintf(md, "Machine: %s; %s; pool chunks from %s; %s run.\n\n", bench_cpu_model(), bench_compiler(),
            p2f_pool_backend(), quick ? "quick" : "full");
    fprintf(md, "| case | message | bytes | first (ns/op, p5–p95) | second | third | second / first | third / first |\n"
                "|---|---|---:|---|---|---|---:|---:|\n");
  }

  msg_case cases[] = {CASE(Reaction), CASE(Notification), CASE(UserProfile), CASE(Comment), CASE(Message), CASE(Post)};
  enum { N = sizeof cases / sizeof cases[0] };
  for (int m = 0; m < N; m++) {
    msg_case *c = &cases[m];
    c->pool = p2f_pool_new(c->size, 8, 1024, 0, 0);
    if (c->pool == NULL) return 1;
    bench_stats s[3];
    if (strcmp(c->name, "Message") == 0) {
      const char *pair_peers[3] = {"proto2ffi pool", "glibc malloc", "mimalloc"};
      const char *init_peers[3] = {"proto2ffi typed pool", "glibc malloc", "mimalloc"};
      s[0] = run("alloc+free pair, exported calls", c, pair_peers[0], pair_pool);
      s[1] = run("alloc+free pair, exported calls", c, pair_peers[1], pair_glibc);
      s[2] = run("alloc+free pair, exported calls", c, pair_peers[2], pair_mimalloc);
      row("alloc+free pair, exported calls", c, pair_peers, s);
      const char *inline_peers[3] = {"proto2ffi pool inline", "glibc malloc", "mimalloc"};
      s[0] = run("alloc+free pair, inline (C)", c, inline_peers[0], pair_pool_inline);
      bench_json_result(json, "alloc+free pair, inline (C)", c->name, inline_peers[1], c->size, 1, &s[1]);
      bench_json_result(json, "alloc+free pair, inline (C)", c->name, inline_peers[2], c->size, 1, &s[2]);
      row("alloc+free pair, inline (C)", c, inline_peers, s);
      s[0] = run("alloc+init+free", c, init_peers[0], init_pool);
      s[1] = run("alloc+init+free", c, init_peers[1], init_glibc);
      s[2] = run("alloc+init+free", c, init_peers[2], init_mimalloc);
      row("alloc+init+free", c, init_peers, s);
    }
    const char *sh_peers[3] = {"stack + T_init", "malloc + T_init + free", "typed pool alloc + free"};
    s[0] = run("init: stack vs heap", c, sh_peers[0], stack_init);
    s[1] = run("init: stack vs heap", c, sh_peers[1], heap_init);
    s[2] = run("init: stack vs heap", c, sh_peers[2], init_pool);
    row("init: stack vs heap", c, sh_peers, s);
    p2f_pool_destroy(c->pool);
  }
  bench_json_close(json);
  if (md) fclose(md);
  printf("mem_bench: checksum %llu\n", (unsigned long long)bench_sink);
  return 0;
}
