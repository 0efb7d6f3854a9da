/* Batch throughput on generated messages: feed generation, post updates, comment processing.
 * docs/benchmarks.md defines each workload; in short (one operation = one item):
 *
 *   feed generation     100,000 candidates (compact records built before the timing) become
 *                       social_NewsFeedItem messages: T_init, ids copied, relevance from the
 *                       candidate's affinity, engagement = log1p(likes + 2 comments + 3 shares),
 *                       recency = exp(-age / 6 h), final = 0.5 relevance + 0.03 engagement +
 *                       0.2 recency; then the 100,000 items are sorted by final score
 *                       (descending, ties by post id) with qsort.
 *                       Peers: the same without the sort; memcpy of the 56 bytes per item written.
 *   post updates        50,000 updates (post index, like/share/view deltas, time) applied to an
 *                       array of 50,000 social_Post (280 MB): three counters added, updated_at
 *                       set, 32 bytes of the post read or written per update. Peers: the stream
 *                       in random post order (as generated) and sorted by post; memcpy of 32
 *                       bytes per update.
 *   comment processing  200,000 social_Comment from a typed pool (texts of 16 to 400 bytes,
 *                       ASCII with some two- and three-byte UTF-8): validate the text as UTF-8,
 *                       count its words, add the comment and its words to its post's totals
 *                       (4096 posts), count replies (parent_comment_id != 0). Bytes per item: the 20
 *                       header bytes read plus the mean text length. Peer: memcpy of the same
 *                       bytes.
 *
 *   batch_bench [--quick] [--json FILE] [--markdown FILE]
 *
 * Inputs are built before the timing and are identical in both modes; --quick runs fewer
 * repetitions. Every result is folded into a checksum printed at the end.
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "proto2ffi/pool.h"
#include "social.ffi.h"

static uint64_t rng_state = 0x2545F4914F6CDD1Du;
static uint64_t rng(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

static bench_json *json;
static FILE *md;
static bench_config cfg;

static bench_stats run(const char *group, const char *name, const char *peer, size_t bytes, uint64_t ops,
                       bench_case_fn fn, void *ctx) {
  bench_stats s = bench_measure(fn, ctx, ops, &cfg);
  bench_json_result(json, group, name, peer, bytes, 1, &s);
  bench_progress("batch_bench", group, name, peer, &s);
  return s;
}

static void md_row(const char *group, const char *name, size_t bytes, const char *p0, const bench_stats *a,
                   const char *p1, const bench_stats *b, const char *p2, const bench_stats *c) {
  if (md == NULL) return;
  fprintf(md, "| %s | %s | %zu | %s: %.2f (%.2f–%.2f) | %s: %.2f (%.2f–%.2f) | %s: %.2f (%.2f–%.2f) | %.1f M/s | %.2f |\n",
          group, name, bytes, p0, a->median, a->p5, a->p95, p1, b->median, b->p5, b->p95, p2, c->median, c->p5,
          c->p95, 1e3 / a->median, (double)bytes / a->median);
}

/* ---- memcpy ceiling ----------------------------------------------------------------------- */

typedef struct copy_ctx {
  unsigned char *src, *dst;
  size_t bytes_per_op;
} copy_ctx;

static uint64_t copy_case(void *p, uint64_t ops) {
  copy_ctx *c = p;
  size_t n = c->bytes_per_op * ops;
  memcpy(c->dst, c->src, n);
  bench_escape(c->dst);
  return c->dst[n - 1];
}

static bench_stats copy_peer(const char *group, const char *name, size_t bytes_per_op, uint64_t ops) {
  copy_ctx c = {malloc(bytes_per_op * ops), malloc(bytes_per_op * ops), bytes_per_op};
  if (!c.src || !c.dst) exit(1);
  memset(c.src, 3, bytes_per_op * ops);
  memset(c.dst, 4, bytes_per_op * ops);
  bench_stats s = run(group, name, "memcpy of the same bytes", bytes_per_op, ops, copy_case, &c);
  free(c.src);
  free(c.dst);
  return s;
}

/* ---- feed generation ------------------------------------------------------------------------ */

typedef struct candidate {
  uint64_t post_id, author_id, likes, comments, shares, created_at;
  double affinity;
} candidate;

typedef struct feed_ctx {
  candidate *in;
  social_NewsFeedItem *items;
  uint64_t now;
  bool sort;
} feed_ctx;

static int by_score_desc(const void *a, const void *b) {
  const social_NewsFeedItem *x = a, *y = b;
  if (x->final_score != y->final_score) return x->final_score < y->final_score ? 1 : -1;
  return (x->post_id > y->post_id) - (x->post_id < y->post_id);
}

static uint64_t feed_case(void *p, uint64_t ops) {
  feed_ctx *c = p;
  for (uint64_t i = 0; i < ops; i++) {
    const candidate *in = &c->in[i];
    social_NewsFeedItem *it = &c->items[i];
    social_NewsFeedItem_init(it);
    it->post_id = in->post_id;
    it->author_id = in->author_id;
    it->relevance_score = in->affinity;
    it->engagement_score = log1p((double)(in->likes + 2 * in->comments + 3 * in->shares));
    it->recency_score = exp(-(double)(c->now - in->created_at) / (6.0 * 3600.0));
    it->final_score = 0.5 * it->relevance_score + 0.03 * it->engagement_score + 0.2 * it->recency_score;
    it->shown_at = c->now;
  }
  if (c->sort) qsort(c->items, ops, sizeof *c->items, by_score_desc);
  bench_escape(c->items);
  uint64_t acc = 0;
  for (int k = 0; k < 10; k++) acc += c->items[k].post_id + (uint64_t)(c->items[k].final_score * 1e6);
  return acc;
}

static void feed_generation(void) {
  const uint64_t n = 100000;
  feed_ctx c = {malloc(n * sizeof(candidate)), malloc(n * sizeof(social_NewsFeedItem)), 1700000000, true};
  if (!c.in || !c.items) exit(1);
  for (uint64_t i = 0; i < n; i++) {
    c.in[i] = (candidate){1000000 + i, rng() % 50000, rng() % 5000, rng() % 300, rng() % 100,
                          c.now - rng() % (7 * 24 * 3600), (double)(rng() % 1000000) / 1e6};
  }
  const char *g = "feed generation (100K)", *m = "NewsFeedItem";
  bench_stats a = run(g, m, "score + sort", sizeof(social_NewsFeedItem), n, feed_case, &c);
  c.sort = false;
  bench_stats b = run(g, m, "score only", sizeof(social_NewsFeedItem), n, feed_case, &c);
  bench_stats d = copy_peer(g, m, sizeof(social_NewsFeedItem), n);
  md_row(g, m, sizeof(social_NewsFeedItem), "score + sort", &a, "score only", &b, "memcpy", &d);
  free(c.in);
  free(c.items);
}

/* ---- post updates ------------------------------------------------------------------------ */

typedef struct update {
  uint32_t index, likes, shares, views;
  uint64_t at;
} update;

typedef struct posts_ctx {
  social_Post *posts;
  update *updates;
} posts_ctx;

static uint64_t posts_case(void *p, uint64_t ops) {
  posts_ctx *c = p;
  for (uint64_t i = 0; i < ops; i++) {
    const update *u = &c->updates[i];
    social_Post *q = &c->posts[u->index];
    q->like_count += u->likes;
    q->share_count += u->shares;
    q->view_count += u->views;
    q->updated_at = u->at;
  }
  bench_escape(c->posts);
  return c->posts[c->updates[ops - 1].index].like_count;
}

static int by_index(const void *a, const void *b) {
  const update *x = a, *y = b;
  return (x->index > y->index) - (x->index < y->index);
}

static void post_updates(void) {
  const uint64_t n = 50000;
  posts_ctx c = {malloc(n * sizeof(social_Post)), malloc(n * sizeof(update))};
  if (!c.posts || !c.updates) exit(1);
  for (uint64_t i = 0; i < n; i++) {
    social_Post_init(&c.posts[i]);
    c.posts[i].post_id = i;
    c.posts[i].created_at = 1700000000;
    c.updates[i] = (update){(uint32_t)(rng() % n), (uint32_t)(rng() % 10), (uint32_t)(rng() % 3),
                            (uint32_t)(rng() % 100), 1700000000 + i};
  }
  const char *g = "post updates (50K)", *m = "Post";
  bench_stats a = run(g, m, "random post order", 32, n, posts_case, &c);
  qsort(c.updates, n, sizeof *c.updates, by_index);
  bench_stats b = run(g, m, "sorted by post", 32, n, posts_case, &c);
  bench_stats d = copy_peer(g, m, 32, n);
  md_row(g, m, 32, "random post order", &a, "sorted by post", &b, "memcpy", &d);
  free(c.posts);
  free(c.updates);
}

/* ---- comment processing -------------------------------------------------------------------- */

enum { POSTS = 4096 };

typedef struct post_totals {
  uint64_t comments, words, replies, invalid;
} post_totals;

typedef struct comments_ctx {
  social_Comment **comments;
  post_totals *totals;
} comments_ctx;

/* Length of the valid UTF-8 sequence at s (1-4), or 0 when it is not valid (overlong forms,
 * surrogates and values above U+10FFFF rejected). */
static size_t utf8_seq(const unsigned char *s, size_t left) {
  unsigned char b = s[0];
  if (b < 0x80) return 1;
  size_t n = (b & 0xE0) == 0xC0 ? 2 : (b & 0xF0) == 0xE0 ? 3 : (b & 0xF8) == 0xF0 ? 4 : 0;
  if (n == 0 || n > left) return 0;
  uint32_t cp = b & (0x7Fu >> n);
  for (size_t k = 1; k < n; k++) {
    if ((s[k] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[k] & 0x3Fu);
  }
  static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return n;
}

static uint64_t comments_case(void *p, uint64_t ops) {
  comments_ctx *c = p;
  memset(c->totals, 0, POSTS * sizeof *c->totals);
  for (uint64_t i = 0; i < ops; i++) {
    const social_Comment *m = c->comments[i];
    post_totals *t = &c->totals[m->post_id % POSTS];
    const unsigned char *s = (const unsigned char *)m->text;
    size_t len = m->text_len, words = 0;
    bool valid = true, in_word = false;
    for (size_t k = 0; k < len;) {
      size_t step = utf8_seq(s + k, len - k);
      if (step == 0) {
        valid = false;
        break;
      }
      bool space = s[k] == ' ';
      words += !space && !in_word;
      in_word = !space;
      k += step;
    }
    t->comments++;
    t->words += words;
    t->replies += m->parent_comment_id != 0;
    t->invalid += !valid;
  }
  bench_escape(c->totals);
  uint64_t acc = 0;
  for (int k = 0; k < POSTS; k++) acc += c->totals[k].words * 3 + c->totals[k].replies + c->totals[k].invalid;
  return acc;
}

static void comment_processing(void) {
  const uint64_t n = 200000;
  static const char *const words[] = {"great", "post", "thanks", "for", "sharing", "naïve", "café", "très",
                                      "bien", "数据", "the", "a", "really", "love", "this", "ok"};
  p2f_pool *pool = social_Comment_pool_create(n);
  comments_ctx c = {malloc(n * sizeof(social_Comment *)), calloc(POSTS, sizeof(post_totals))};
  if (!pool || !c.comments || !c.totals) exit(1);
  uint64_t text_bytes = 0;
  for (uint64_t i = 0; i < n; i++) {
    social_Comment *m = social_Comment_pool_alloc(pool);
    if (m == NULL) exit(1);
    m->comment_id = i;
    m->post_id = rng() % 100000;
    m->author_id = rng() % 50000;
    m->parent_comment_id = rng() % 4 == 0 ? rng() % n + 1 : 0;
    size_t want = 16 + rng() % 385, len = 0;
    while (len < want) {
      const char *w = words[rng() % (sizeof words / sizeof words[0])];
      size_t wl = strlen(w);
      if (len + wl + 1 > social_Comment_text_MAX_LENGTH) break;
      memcpy(m->text + len, w, wl);
      len += wl;
      m->text[len++] = ' ';
    }
    if (i % 1000 == 999) m->text[len / 2] = (char)0xFF; /* one comment in 1000 is not UTF-8 */
    m->text_len = (uint32_t)len;
    text_bytes += len;
    c.comments[i] = m;
  }
  size_t bytes = 20 + (size_t)(text_bytes / n); /* post_id, parent_comment_id, text_len, the text */
  const char *g = "comment processing (200K)", *m = "Comment";
  bench_stats a = run(g, m, "validate + count + aggregate", bytes, n, comments_case, &c);
  bench_stats d = copy_peer(g, m, bytes, n);
  if (md) {
    fprintf(md, "| %s | %s | %zu | %.2f (%.2f–%.2f) | memcpy: %.2f (%.2f–%.2f) | | %.1f M/s | %.2f |\n", g, m,
            bytes, a.median, a.p5, a.p95, d.median, d.p5, d.p95, 1e3 / a.median, (double)bytes / a.median);
  }
  free(c.comments);
  free(c.totals);
  social_Comment_pool_destroy(pool);
}

int main(int argc, char **argv) {
  const char *json_path = "batch_bench.json", *md_path = NULL;
  bool quick = false;
  for (int i = 1; i < argc; i++) {
    if (bench_common_arg(argc, argv, &i, &quick, &json_path, &md_path)) continue;
    fprintf(stderr, "usage: batch_bench [--quick] [--json FILE] [--markdown FILE]\n");
    return 2;
  }
  cfg = bench_config_for(quick);
  if (!bench_open_outputs("batch_bench", json_path, md_path, "batch", quick, &json, &md)) return 1;
  if (md) {
    fprintf(md, "Machine: %s; %s; %s run. ns per item.\n\n", bench_cpu_model(), bench_compiler(),
            quick ? "quick" : "full");
    fprintf(md, "| workload | message | bytes per item | first | second | third | items/s (first) | GB/s (first) |\n"
                "|---|---|---:|---|---|---|---:|---:|\n");
  }
  feed_generation();
  post_updates();
  comment_processing();
  bench_json_close(json);
  if (md) fclose(md);
  printf("batch_bench: checksum %llu\n", (unsigned long long)bench_sink);
  return 0;
}
