/* Sequential against random access over arrays of generated messages, with memcpy of the
 * same number of bytes as the ceiling.
 *
 *   access_bench [--quick] [--json FILE] [--markdown FILE]
 *
 * Arrays: 2^20 Reactions (40 bytes each, 40 MiB) and 8192 Posts (5600 bytes each, 44 MiB),
 * both larger than the caches, filled before any timing. The random order is a permutation of
 * the indices computed before the timing, so every element is visited exactly once per pass
 * in both orders; one operation is one element visited, and a repetition is whole passes
 * (ops_per_rep in the JSON is the number of elements actually visited).
 *
 * Groups, for each message:
 *   read one 8-byte field      created_at of every element: 8 bytes read per operation
 *   read every byte            every 8-byte word of every element: sizeof(T) bytes per operation
 * peers: sequential order, random order, and memcpy of the same number of bytes per
 * operation (8 or sizeof(T)) between two buffers of the same total size, which is what the
 * memory system can move at best. "bytes" in the JSON is the bytes read per operation, so
 * bytes / ns is the rate at which the program really consumed data.
 */
#define _GNU_SOURCE
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "social.ffi.h"

typedef struct array_case {
  const char *name;
  size_t size;   /* bytes per element */
  size_t count;  /* elements */
  size_t field;  /* offset of created_at */
  unsigned char *data;
  uint32_t *perm;
  unsigned char *src, *dst; /* memcpy ceiling buffers */
  size_t copy_bytes;        /* per pass */
} array_case;

static uint64_t field_at(const array_case *c, size_t i) {
  uint64_t v;
  memcpy(&v, c->data + i * c->size + c->field, sizeof v);
  return v;
}

static uint64_t words_at(const array_case *c, size_t i) {
  const unsigned char *p = c->data + i * c->size;
  uint64_t acc = 0;
  for (size_t w = 0; w + 8 <= c->size; w += 8) {
    uint64_t v;
    memcpy(&v, p + w, sizeof v);
    acc += v;
  }
  return acc;
}

static uint64_t field_seq(void *p, uint64_t ops) {
  array_case *c = p;
  uint64_t acc = 0;
  for (uint64_t done = 0; done < ops; done += c->count)
    for (size_t i = 0; i < c->count; i++) acc += field_at(c, i);
  return acc;
}

static uint64_t field_rand(void *p, uint64_t ops) {
  array_case *c = p;
  uint64_t acc = 0;
  for (uint64_t done = 0; done < ops; done += c->count)
    for (size_t i = 0; i < c->count; i++) acc += field_at(c, c->perm[i]);
  return acc;
}

static uint64_t all_seq(void *p, uint64_t ops) {
  array_case *c = p;
  uint64_t acc = 0;
  for (uint64_t done = 0; done < ops; done += c->count)
    for (size_t i = 0; i < c->count; i++) acc += words_at(c, i);
  return acc;
}

static uint64_t all_rand(void *p, uint64_t ops) {
  array_case *c = p;
  uint64_t acc = 0;
  for (uint64_t done = 0; done < ops; done += c->count)
    for (size_t i = 0; i < c->count; i++) acc += words_at(c, c->perm[i]);
  return acc;
}

static uint64_t copy_pass(void *p, uint64_t ops) {
  array_case *c = p;
  uint64_t acc = 0;
  for (uint64_t done = 0; done < ops; done += c->count) {
    memcpy(c->dst, c->src, c->copy_bytes);
    bench_escape(c->dst);
    acc += c->dst[c->copy_bytes - 1];
  }
  return acc;
}

static uint64_t rng_state = 0x9E3779B97F4A7C15u;
static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static bench_json *json;
static FILE *md;
static bench_config cfg;

static bench_stats run(const char *group, const array_case *c, const char *peer, size_t bytes, bench_case_fn fn) {
  bench_stats s = bench_measure(fn, (void *)c, c->count, &cfg);
  bench_json_result(json, group, c->name, peer, bytes, 1, &s);
  bench_progress("access_bench", group, c->name, peer, &s);
  return s;
}

static void group(const char *name, array_case *c, size_t bytes, bench_case_fn seq, bench_case_fn rnd) {
  c->copy_bytes = bytes * c->count;
  bench_stats a = run(name, c, "sequential", bytes, seq);
  bench_stats b = run(name, c, "random order", bytes, rnd);
  bench_stats m = run(name, c, "memcpy of the same bytes", bytes, copy_pass);
  if (md) {
    fprintf(md, "| %s | %s | %zu | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.2f (%.2f–%.2f) | %.2fx | %.2f | %.2f |\n",
            name, c->name, bytes, a.median, a.p5, a.p95, b.median, b.p5, b.p95, m.median, m.p5, m.p95,
            b.median / a.median, (double)bytes / a.median, (double)bytes / m.median);
  }
}

int main(int argc, char **argv) {
  const char *json_path = "access_bench.json", *md_path = NULL;
  bool quick = false;
  for (int i = 1; i < argc; i++) {
    if (bench_common_arg(argc, argv, &i, &quick, &json_path, &md_path)) continue;
    fprintf(stderr, "usage: access_bench [--quick] [--json FILE] [--markdown FILE]\n");
    return 2;
  }
  cfg = bench_config_for(quick);
  if (!bench_open_outputs("access_bench", json_path, md_path, "access", quick, &json, &md)) return 1;
  if (md) {
    fprintf(md, "Machine: %s; %s; %s run. ns per element visited.\n\n", bench_cpu_model(), bench_compiler(),
            quick ? "quick" : "full");
    fprintf(md, "| case | message | bytes read | sequential | random order | memcpy of the same bytes | random / "
                "sequential | sequential GB/s | memcpy GB/s |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
  }
  array_case cases[2] = {
      {"Reaction", sizeof(social_Reaction), (size_t)1 << 20, offsetof(social_Reaction, created_at), 0, 0, 0, 0, 0},
      {"Post", sizeof(social_Post), 8192, offsetof(social_Post, created_at), 0, 0, 0, 0, 0},
  };
  for (int k = 0; k < 2; k++) {
    array_case *c = &cases[k];
    size_t total = c->size * c->count;
    c->data = aligned_alloc(64, total);
    c->perm = malloc(c->count * sizeof *c->perm);
    c->src = aligned_alloc(64, total);
    c->dst = aligned_alloc(64, total);
    if (!c->data || !c->perm || !c->src || !c->dst) {
      fprintf(stderr, "access_bench: out of memory\n");
      return 1;
    }
    for (size_t i = 0; i < total; i++) c->data[i] = (unsigned char)rng();
    memset(c->src, 1, total);
    memset(c->dst, 2, total);
    for (size_t i = 0; i < c->count; i++) c->perm[i] = (uint32_t)i;
    for (size_t i = c->count - 1; i > 0; i--) {
      size_t j = (size_t)(rng() % (i + 1));
      uint32_t t = c->perm[i];
      c->perm[i] = c->perm[j];
      c->perm[j] = t;
    }
    group("read one 8-byte field", c, 8, field_seq, field_rand);
    group("read every byte", c, c->size, all_seq, all_rand);
    free(c->data);
    free(c->perm);
    free(c->src);
    free(c->dst);
  }
  bench_json_close(json);
  if (md) fclose(md);
  printf("access_bench: checksum %llu\n", (unsigned long long)bench_sink);
  return 0;
}
