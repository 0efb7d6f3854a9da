/* FFI call overhead: the generated code as a shared library, called the way an FFI binding
 * calls it, against an empty function called the same way.
 *
 *   ffi_bench [--quick] [--json FILE] [--markdown FILE] [--lib PATH] [--empty-lib PATH]
 *
 * Both libraries (libbench_social.so, built from examples/social/social.proto, and
 * libbench_empty.so) are loaded with dlopen; every function is called through the pointer
 * dlsym returned, so no call can be inlined, folded into a constant or resolved at link
 * time. Every result is folded into a checksum that is printed at the end.
 *
 * Cases (peer: the empty function of the same shape, called the same number of times):
 *   size query, alignment query   T_size() / T_align()
 *   init                          T_init(&msg) on a caller-owned message (Reaction, Post)
 *   pool alloc+free               T_pool_alloc(pool) then T_pool_free(pool, msg): two calls
 *   pool at the call limit        the runtime's p2f_pool_alloc + p2f_pool_free (no T_init) with
 *                                 the slot size of every message codec_bench measures, against
 *                                 an empty (pointer, pointer) -> pointer function called twice
 *   decode                        T_decode(&msg, buf, len) of an encoded Reaction, one field read
 *   roundtrip                     two pool allocations, the caller fills the first, encode,
 *                                 decode into the second, the caller reads it back, two frees:
 *                                 six calls (Reaction; Post with 200 bytes of content)
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "social.ffi.h"

#ifndef P2F_BENCH_SOCIAL_LIB
#define P2F_BENCH_SOCIAL_LIB "libbench_social.so"
#endif
#ifndef P2F_BENCH_EMPTY_LIB
#define P2F_BENCH_EMPTY_LIB "libbench_empty.so"
#endif

typedef size_t (*size_fn)(void);
typedef void (*init_fn)(void *msg);
typedef p2f_pool *(*pool_create_fn)(size_t initial_capacity);
typedef void *(*pool_alloc_fn)(p2f_pool *pool);
typedef p2f_status (*pool_free_fn)(p2f_pool *pool, void *msg);
typedef void (*pool_destroy_fn)(p2f_pool *pool);
typedef p2f_status (*decode_fn)(void *msg, const uint8_t *buf, size_t len);
typedef p2f_status (*encode_fn)(const void *msg, uint8_t *buf, size_t cap, size_t *written);
typedef void (*empty_fn)(void);
typedef void *(*empty_ptr_fn)(void *p);

/* The exported functions of one message, looked up with dlsym. */
typedef struct msg_api {
  const char *name;
  size_fn size, align;
  init_fn init;
  pool_create_fn pool_create;
  pool_alloc_fn pool_alloc;
  pool_free_fn pool_free;
  pool_destroy_fn pool_destroy;
  decode_fn decode;
  encode_fn encode;
} msg_api;

typedef struct ctx {
  msg_api *api;
  empty_fn empty;
  empty_ptr_fn empty_ptr;
  void *(*empty_ptr2)(void *p, void *q);
  /* The runtime's own exported pool calls (found through the social library's dependencies). */
  p2f_pool *(*raw_new)(size_t slot_size, size_t align, size_t initial, size_t max_slots, uint32_t flags);
  void *(*raw_alloc)(p2f_pool *pool, p2f_status *status);
  p2f_status (*raw_free)(p2f_pool *pool, void *slot);
  p2f_pool *pool;
  void *msg; /* a caller-owned message of the right size */
  uint8_t buf[8192];
  size_t len;
} ctx;

static void *must_sym(void *lib, const char *prefix, const char *suffix) {
  char name[128];
  snprintf(name, sizeof name, "%s%s", prefix, suffix);
  void *p = dlsym(lib, name);
  if (p == NULL) {
    fprintf(stderr, "ffi_bench: symbol %s not found\n", name);
    exit(1);
  }
  return p;
}

static msg_api load_api(void *lib, const char *name) {
  char prefix[64];
  snprintf(prefix, sizeof prefix, "social_%s_", name);
  msg_api a;
  a.name = name;
  *(void **)&a.size = must_sym(lib, prefix, "size");
  *(void **)&a.align = must_sym(lib, prefix, "align");
  *(void **)&a.init = must_sym(lib, prefix, "init");
  *(void **)&a.pool_create = must_sym(lib, prefix, "pool_create");
  *(void **)&a.pool_alloc = must_sym(lib, prefix, "pool_alloc");
  *(void **)&a.pool_free = must_sym(lib, prefix, "pool_free");
  *(void **)&a.pool_destroy = must_sym(lib, prefix, "pool_destroy");
  *(void **)&a.decode = must_sym(lib, prefix, "decode");
  *(void **)&a.encode = must_sym(lib, prefix, "encode");
  return a;
}

/* ---- cases ------------------------------------------------------------------------------- */

static uint64_t c_size(void *p, uint64_t ops) {
  ctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) acc += c->api->size();
  return acc;
}

static uint64_t c_align(void *p, uint64_t ops) {
  ctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) acc += c->api->align();
  return acc;
}

static uint64_t c_empty(void *p, uint64_t ops) {
  ctx *c = p;
  for (uint64_t i = 0; i < ops; i++) c->empty();
  return ops;
}

static uint64_t c_init(void *p, uint64_t ops) {
  ctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    c->api->init(c->msg);
    bench_escape(c->msg);
    acc += *(const uint64_t *)c->msg;
  }
  return acc;
}

static uint64_t c_empty_ptr(void *p, uint64_t ops) {
  ctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    void *r = c->empty_ptr(c->msg);
    bench_escape(r);
    acc += (uintptr_t)r;
  }
  return acc;
}

static uint64_t c_pool_pair(void *p, uint64_t ops) {
  ctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    void *m = c->api->pool_alloc(c->pool);
    bench_escape(m);
    acc += (uintptr_t)m;
    acc += (uint64_t)c->api->pool_free(c->pool, m);
  }
  return acc;
}

static uint64_t c_empty_pair(void *p, uint64_t ops) {
  ctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    void *m = c->empty_ptr(c->pool);
    bench_escape(m);
    acc += (uintptr_t)m;
    acc += (uintptr_t)c->empty_ptr(m);
  }
  return acc;
}

static uint64_t c_raw_pair(void *p, uint64_t ops) {
  ctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    void *m = c->raw_alloc(c->pool, NULL);
    bench_escape(m);
    acc += (uintptr_t)m;
    acc += (uint64_t)c->raw_free(c->pool, m);
  }
  return acc;
}

static uint64_t c_empty_pair2(void *p, uint64_t ops) {
  ctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    void *m = c->empty_ptr2(c->pool, NULL);
    bench_escape(m);
    acc += (uintptr_t)m;
    acc += (uintptr_t)c->empty_ptr2(c->pool, m);
  }
  return acc;
}

static uint64_t c_decode(void *p, uint64_t ops) {
  ctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    acc += (uint64_t)c->api->decode(c->msg, c->buf, c->len);
    bench_escape(c->msg);
    acc += ((const social_Reaction *)c->msg)->created_at;
  }
  return acc;
}

static const char post_text[] =
    "Benchmarks measure what their loops do: this post carries two hundred bytes of text so "
    "that its roundtrip encodes and decodes a string as well as the counters around it, ok.";

static void fill(const char *name, void *m, uint64_t i) {
  if (strcmp(name, "Reaction") == 0) {
    social_Reaction *r = m;
    r->reaction_id = i;
    r->user_id = 1000 + i;
    r->target_id = 77;
    r->reaction_type = social_ReactionType_REACTION_LOVE;
    r->created_at = 1700000000 + i;
  } else {
    social_Post *q = m;
    q->post_id = i;
    q->author_id = 42;
    q->post_type = social_PostType_POST_TYPE_TEXT;
    q->content_len = (uint32_t)(sizeof post_text - 1);
    memcpy(q->content, post_text, sizeof post_text - 1);
    q->like_count = i * 3;
    q->view_count = i * 7;
    q->created_at = 1700000000 + i;
  }
}

static uint64_t read_back(const char *name, const void *m) {
  if (strcmp(name, "Reaction") == 0) {
    const social_Reaction *r = m;
    return r->reaction_id + r->user_id + r->target_id + (uint64_t)r->reaction_type + r->created_at;
  }
  const social_Post *q = m;
  return q->post_id + q->like_count + q->view_count + q->created_at + q->content_len +
         (unsigned char)q->content[q->content_len - 1];
}

static uint64_t c_roundtrip(void *p, uint64_t ops) {
  ctx *c = p;
  const char *name = c->api->name;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    void *a = c->api->pool_alloc(c->pool);
    void *b = c->api->pool_alloc(c->pool);
    fill(name, a, i);
    size_t n = 0;
    acc += (uint64_t)c->api->encode(a, c->buf, sizeof c->buf, &n);
    acc += (uint64_t)c->api->decode(b, c->buf, n);
    bench_escape(b);
    acc += read_back(name, b) + n;
    acc += (uint64_t)c->api->pool_free(c->pool, a);
    acc += (uint64_t)c->api->pool_free(c->pool, b);
  }
  return acc;
}

static uint64_t c_empty_six(void *p, uint64_t ops) {
  ctx *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    void *a = c->empty_ptr(c->pool);
    void *b = c->empty_ptr(a);
    acc += (uintptr_t)c->empty_ptr(b);
    acc += (uintptr_t)c->empty_ptr(a);
    acc += (uintptr_t)c->empty_ptr(b);
    acc += (uintptr_t)c->empty_ptr(a);
  }
  return acc;
}

/* ---- reporting --------------------------------------------------------------------------- */

static bench_json *json;
static FILE *md;
static bench_config cfg;

static bench_stats run(const char *group, const char *name, const char *peer, size_t bytes, bench_case_fn fn,
                       ctx *c) {
  bench_stats s = bench_measure(fn, c, 0, &cfg);
  bench_json_result(json, group, name, peer, bytes, 1, &s);
  bench_progress("ffi_bench", group, name, peer, &s);
  return s;
}

/* The generated function's result is written by run(); its peer, the empty function of the
 * same shape, is measured right after it (so both see the same state of the machine) and
 * written under the same group and message, so every group of the JSON has its own baseline. */
static void row(const char *group, const char *name, const bench_stats *ours, bench_case_fn empty_case,
                const char *empty_name, ctx *c) {
  bench_stats empty = run(group, name, empty_name, 0, empty_case, c);
  if (md) {
    fprintf(md, "| %s | %s | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.2fx |\n", group, name, ours->median, ours->p5,
            ours->p95, empty.median, empty.p5, empty.p95, ours->median / empty.median);
  }
}

int main(int argc, char **argv) {
  const char *json_path = "ffi_bench.json", *md_path = NULL;
  const char *lib_path = P2F_BENCH_SOCIAL_LIB, *empty_path = P2F_BENCH_EMPTY_LIB;
  bool quick = false;
  for (int i = 1; i < argc; i++) {
    if (bench_common_arg(argc, argv, &i, &quick, &json_path, &md_path)) continue;
    if (strcmp(argv[i], "--lib") == 0 && i + 1 < argc) lib_path = argv[++i];
    else if (strcmp(argv[i], "--empty-lib") == 0 && i + 1 < argc) empty_path = argv[++i];
    else {
      fprintf(stderr, "usage: ffi_bench [--quick] [--json FILE] [--markdown FILE] [--lib PATH] [--empty-lib PATH]\n");
      return 2;
    }
  }
  void *lib = dlopen(lib_path, RTLD_NOW | RTLD_LOCAL);
  void *elib = dlopen(empty_path, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL || elib == NULL) {
    fprintf(stderr, "ffi_bench: %s\n", dlerror());
    return 1;
  }
  cfg = bench_config_for(quick);
  if (!bench_open_outputs("ffi_bench", json_path, md_path, "ffi", quick, &json, &md)) return 1;
  if (md) {
    fprintf(md, "Machine: %s; %s; %s run. Every call goes through a dlsym pointer.\n\n", bench_cpu_model(),
            bench_compiler(), quick ? "quick" : "full");
    fprintf(md, "| case | message | generated ns/op median (p5–p95) | empty function, same calls | ratio |\n"
                "|---|---|---:|---:|---:|\n");
  }

  msg_api apis[2] = {load_api(lib, "Reaction"), load_api(lib, "Post")};
  ctx *c = calloc(1, sizeof *c);
  void *msg = aligned_alloc(64, 8192);
  if (c == NULL || msg == NULL) return 1;
  *(void **)&c->empty = must_sym(elib, "p2f_bench_empty", "");
  *(void **)&c->empty_ptr = must_sym(elib, "p2f_bench_empty_ptr", "");
  c->msg = msg;

  c->api = &apis[0];
  const char *n0 = "empty function", *n1 = "empty function (pointer)", *n2 = "empty function x2",
             *n6 = "empty function x6";

  for (int m = 0; m < 2; m++) {
    msg_api *a = &apis[m];
    c->api = a;
    c->pool = a->pool_create(64);
    size_t size = a->size();
    bench_stats s = run("size query", a->name, "generated, dlsym", 0, c_size, c);
    row("size query", a->name, &s, c_empty, n0, c);
    s = run("alignment query", a->name, "generated, dlsym", 0, c_align, c);
    row("alignment query", a->name, &s, c_empty, n0, c);
    s = run("init", a->name, "generated, dlsym", size, c_init, c);
    row("init", a->name, &s, c_empty_ptr, n1, c);
    s = run("pool alloc+free", a->name, "generated, dlsym", size, c_pool_pair, c);
    row("pool alloc+free", a->name, &s, c_empty_pair, n2, c);
    if (m == 0) {
      a->init(c->msg);
      fill(a->name, c->msg, 123456789);
      if (a->encode(c->msg, c->buf, sizeof c->buf, &c->len) != P2F_OK) {
        fprintf(stderr, "ffi_bench: encode failed\n");
        return 1;
      }
      s = run("decode", a->name, "generated, dlsym", c->len, c_decode, c);
      row("decode", a->name, &s, c_empty_ptr, n1, c);
    }
    s = run("roundtrip", a->name, "generated, dlsym", size, c_roundtrip, c);
    row("roundtrip", a->name, &s, c_empty_six, n6, c);
    a->pool_destroy(c->pool);
  }
  /* The pool at the call limit: the runtime's exported p2f_pool_alloc + p2f_pool_free (the
   * bare pair, no T_init) against two empty exported calls of the same shape, with the slot
   * size of every message codec_bench measures. */
  *(void **)&c->empty_ptr2 = must_sym(elib, "p2f_bench_empty_ptr2", "");
  *(void **)&c->raw_new = must_sym(lib, "p2f_pool_new", "");
  *(void **)&c->raw_alloc = must_sym(lib, "p2f_pool_alloc", "");
  *(void **)&c->raw_free = must_sym(lib, "p2f_pool_free", "");
  const char *pool_msgs[] = {"Reaction", "Notification", "Comment", "Message", "Post"};
  for (int m = 0; m < 5; m++) {
    msg_api a = load_api(lib, pool_msgs[m]);
    c->api = &a;
    c->pool = c->raw_new(a.size(), a.align(), 64, 0, 0);
    if (c->pool == NULL) return 1;
    bench_stats s = run("pool alloc+free at the call limit", a.name, "p2f_pool_alloc + p2f_pool_free, dlsym", a.size(),
                        c_raw_pair, c);
    row("pool alloc+free at the call limit", a.name, &s, c_empty_pair2, "empty function (2 pointers) x2", c);
    a.pool_destroy(c->pool);
  }
  bench_json_close(json);
  if (md) fclose(md);
  free(msg);
  free(c);
  printf("ffi_bench: checksum %llu\n", (unsigned long long)bench_sink);
  return 0;
}
