/* Checks upb as a codec benchmark peer (upb_peer.h) on the codec benchmark's messages:
 * upb must decode the bytes our codec writes and re-encode bytes that are byte-identical, or
 * (when upb orders or packs differently) that our decoder reads back into exactly the struct
 * we started from. Also: upb rejects invalid UTF-8 in a proto3 string, truncated input and a
 * set that is not a FileDescriptorSet; a decode on a caller block stays in that block.
 *
 *   upb_peer_test FDS              the checks (ctest: bench.upb.peer)
 *   upb_peer_test FDS --measure    adds a preliminary timing of upb against our codec
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "codec_bench.h"
#include "upb_peer.h"

typedef struct tcase {
  const char *name, *full_name;
  size_t size;
  void (*make)(void *m);
  p2f_status (*decode)(void *msg, const uint8_t *buf, size_t len);
  p2f_status (*encode)(const void *msg, uint8_t *buf, size_t cap, size_t *written);
} tcase;

#define T(M, OURS_T, MAKE)                                                                                   \
  static void M##_make(void *m) { MAKE(m); }                                                               \
  static p2f_status M##_decode(void *m, const uint8_t *b, size_t n) { return OURS_T##_decode(m, b, n); } \
  static p2f_status M##_encode(const void *m, uint8_t *b, size_t cap, size_t *w) { return OURS_T##_encode(m, b, cap, w); }
T(reaction, social_Reaction, bench_make_reaction)
T(comment, social_Comment, bench_make_comment)
T(post, social_Post, bench_make_post)
T(message, social_Message, bench_make_message)
T(notification, social_Notification, bench_make_notification)
T(samples, bench_Samples, bench_make_samples)
#define C(NAME, FULL, M, OURS_T) {NAME, FULL, sizeof(OURS_T), M##_make, M##_decode, M##_encode}
static const tcase cases[] = {
    C("Reaction", "social.Reaction", reaction, social_Reaction),
    C("Comment", "social.Comment", comment, social_Comment),
    C("Post", "social.Post", post, social_Post),
    C("Message", "social.Message", message, social_Message),
    C("Notification", "social.Notification", notification, social_Notification),
    C("Samples (numeric)", "bench.Samples", samples, bench_Samples),
};
enum { NCASES = sizeof cases / sizeof cases[0], CAP = 64 * 1024 };

static int failures;
static void expect(bool ok, const char *what, const char *detail) {
  if (!ok) {
    fprintf(stderr, "FAIL: %s (%s)\n", what, detail);
    failures++;
  }
}

static _Alignas(16) unsigned char block[256 * 1024]; /* the per-message arena block */

/* upb decodes our bytes and re-encodes them; returns 1 when the re-encoding is byte-identical,
 * 2 when it differs but decodes (with our codec) to the original struct, 0 on failure. */
static int check_roundtrip(const upb_peer *p, const tcase *c, const uint8_t *bytes, size_t len, const void *src) {
  const upb_peer_msg *m = upb_peer_find(p, c->full_name);
  expect(m != NULL, "upb_peer_find", c->full_name);
  if (!m) return 0;
  upb_peer_arena *a = upb_peer_arena_new(block, sizeof block);
  void *msg = upb_peer_decode(m, bytes, len, a);
  expect(msg != NULL, "upb decodes our bytes", c->name);
  size_t used = upb_peer_arena_used(a, block);
  expect(used >= upb_peer_msg_size(m) && used < sizeof block, "a decode stays in the caller's block", c->name);
  size_t n = 0;
  const uint8_t *out = msg ? upb_peer_encode(m, msg, a, &n) : NULL;
  expect(!msg || out != NULL, "upb encodes what it decoded", c->name);
  int result = 0;
  if (out && n == len && memcmp(out, bytes, len) == 0) {
    result = 1;
  } else if (out) {
    void *back = calloc(1, c->size);
    if (back && c->decode(back, out, n) == P2F_OK && memcmp(back, src, c->size) == 0) result = 2;
    expect(result == 2, "our decoder reads upb's bytes back into the original struct", c->name);
    free(back);
  }
  printf("%-18s %5zu bytes  upb re-encode %s  (upb message %zu bytes; arena after decode %zu bytes)\n", c->name, len,
         result == 1 ? "byte-identical" : result == 2 ? "differs, same fields" : "FAILED", upb_peer_msg_size(m),
         used);
  upb_peer_arena_free(a);
  return result;
}

static void check_rejects(const upb_peer *p) {
  const upb_peer_msg *comment = upb_peer_find(p, "social.Comment");
  expect(upb_peer_find(p, "social.NoSuchMessage") == NULL, "an unknown name is not found", "social.NoSuchMessage");
  if (!comment) return;
  /* Comment.text is field 5, a proto3 string: tag 0x2a, length 2. */
  const uint8_t valid[] = {0x2a, 0x02, 0xc3, 0xa9};   /* "é" */
  const uint8_t invalid[] = {0x2a, 0x02, 0xc3, 0x28}; /* a lead byte without its continuation */
  const uint8_t truncated[] = {0x2a, 0x05, 'a', 'b'};
  upb_peer_arena *a = upb_peer_arena_new(block, sizeof block);
  bool accepts = upb_peer_decode(comment, valid, sizeof valid, a) != NULL;
  bool rejects = upb_peer_decode(comment, invalid, sizeof invalid, a) == NULL;
  expect(accepts, "upb accepts valid UTF-8", "Comment.text");
  expect(rejects, "upb rejects invalid UTF-8 (proto3 string)", "Comment.text");
  expect(upb_peer_decode(comment, truncated, sizeof truncated, a) == NULL, "upb rejects a truncated field",
         "Comment.text");
  upb_peer_arena_free(a);
  if (accepts && rejects) printf("UTF-8: upb rejects invalid UTF-8 in the proto3 string Comment.text\n");

  char err[256] = "";
  const uint8_t junk[] = {0x0a, 0x7f, 0x01};
  upb_peer *bad = upb_peer_open(junk, sizeof junk, err, sizeof err);
  expect(bad == NULL && err[0] != 0, "a set that does not parse is refused with a message", err);
  upb_peer_close(bad);
  /* A FileDescriptorSet whose one file declares message "1x": parses, but is no valid def. */
  const uint8_t badname[] = {0x0a, 0x0d, 0x0a, 0x05, 'a', '.', 'p', 'r', 'o', 0x22, 0x04, 0x0a, 0x02, '1', 'x'};
  bad = upb_peer_open(badname, sizeof badname, err, sizeof err);
  expect(bad == NULL && strstr(err, "upb_symtab_addfile failed: ") != NULL, "upb's own error reaches err", err);
  printf("invalid descriptor: %s\n", err);
  upb_peer_close(bad);
}

/* ---- preliminary measurement ---------------------------------------------------------------- */

typedef struct mcase {
  const tcase *c;
  const upb_peer_msg *m;
  const uint8_t *bytes;
  size_t len;
  void *ours;   /* our decoded struct: the decode destination and the encode source */
  void *upbmsg; /* upb's decoded message (in `keep`): the encode source */
  uint8_t *out;
} mcase;

static uint64_t ours_decode(mcase *x, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    acc += (uint64_t)x->c->decode(x->ours, x->bytes, x->len);
    bench_escape(x->ours);
  }
  return acc;
}
static uint64_t ours_encode(mcase *x, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    size_t w = 0;
    acc += (uint64_t)x->c->encode(x->ours, x->out, CAP, &w) + w;
    bench_escape(x->out);
  }
  return acc;
}
/* A fresh arena per message on the same caller block: creating and freeing it is timed. */
static uint64_t upb_decode_block(mcase *x, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    upb_peer_arena *a = upb_peer_arena_new(block, sizeof block);
    void *msg = upb_peer_decode(x->m, x->bytes, x->len, a);
    bench_escape(msg);
    acc += (uintptr_t)msg;
    upb_peer_arena_free(a);
  }
  return acc;
}
/* The same with a heap arena (upb_arena_new: one malloc and free per message). */
static uint64_t upb_decode_heap(mcase *x, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    upb_peer_arena *a = upb_peer_arena_new(NULL, 0);
    void *msg = upb_peer_decode(x->m, x->bytes, x->len, a);
    bench_escape(msg);
    acc += (uintptr_t)msg;
    upb_peer_arena_free(a);
  }
  return acc;
}
static uint64_t upb_encode_block(mcase *x, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    upb_peer_arena *a = upb_peer_arena_new(block, sizeof block);
    size_t n = 0;
    const uint8_t *out = upb_peer_encode(x->m, x->upbmsg, a, &n);
    bench_escape((void *)(uintptr_t)out);
    acc += n + out[n - 1];
    upb_peer_arena_free(a);
  }
  return acc;
}

static bench_stats time_it(uint64_t (*fn)(mcase *, uint64_t), mcase *x, uint64_t ops, int reps) {
  double samples[64];
  bench_sink += fn(x, ops / 4 + 1);
  for (int r = 0; r < reps; r++) {
    double t0 = bench_thread_cpu_ns();
    bench_sink += fn(x, ops);
    samples[r] = (bench_thread_cpu_ns() - t0) / (double)ops;
  }
  return bench_summarise(samples, reps, ops);
}

static void measure(const upb_peer *p, uint8_t *const *bytes, const size_t *lens) {
  enum { REPS = 15 };
  static _Alignas(16) unsigned char keep_block[256 * 1024];
  printf("\nPRELIMINARY (one process, thread CPU time, %d rounds; ns per message, median / min)\n", REPS);
  printf("| message | bytes | ours decode | upb decode (block) | upb decode (heap arena) | ours encode | upb encode |\n");
  printf("|---|---:|---:|---:|---:|---:|---:|\n");
  for (size_t i = 0; i < NCASES; i++) {
    mcase x = {&cases[i], upb_peer_find(p, cases[i].full_name), bytes[i], lens[i], calloc(1, cases[i].size), NULL,
               malloc(CAP)};
    upb_peer_arena *keep = upb_peer_arena_new(keep_block, sizeof keep_block);
    x.upbmsg = upb_peer_decode(x.m, x.bytes, x.len, keep);
    if (!x.m || !x.ours || !x.out || !x.upbmsg || x.c->decode(x.ours, x.bytes, x.len) != P2F_OK) {
      fprintf(stderr, "measure: cannot set up %s\n", x.c->name);
      exit(1);
    }
    uint64_t ops = (uint64_t)(4e6 / (double)(x.len + 64)) + 16;
    bench_stats s[5] = {time_it(ours_decode, &x, ops, REPS), time_it(upb_decode_block, &x, ops, REPS),
                        time_it(upb_decode_heap, &x, ops, REPS), time_it(ours_encode, &x, ops, REPS),
                        time_it(upb_encode_block, &x, ops, REPS)};
    printf("| %s | %zu |", x.c->name, x.len);
    for (int k = 0; k < 5; k++) printf(" %.1f / %.1f |", s[k].median, s[k].min);
    printf("\n");
    upb_peer_arena_free(keep);
    free(x.ours);
    free(x.out);
  }
}

int main(int argc, char **argv) {
  if (argc < 2 || (argc == 3 && strcmp(argv[2], "--measure") != 0) || argc > 3) {
    fprintf(stderr, "usage: upb_peer_test FILE_DESCRIPTOR_SET [--measure]\n");
    return 2;
  }
  char err[256] = "";
  upb_peer *p = upb_peer_open_file(argv[1], err, sizeof err);
  if (!p) {
    fprintf(stderr, "FAIL: upb_peer_open_file: %s\n", err);
    return 1;
  }
  uint8_t *bytes[NCASES];
  size_t lens[NCASES];
  int identical = 0;
  for (size_t i = 0; i < NCASES; i++) {
    void *src = calloc(1, cases[i].size);
    bytes[i] = malloc(CAP);
    if (!src || !bytes[i]) return 1;
    cases[i].make(src);
    expect(cases[i].encode(src, bytes[i], CAP, &lens[i]) == P2F_OK, "our encode", cases[i].name);
    identical += check_roundtrip(p, &cases[i], bytes[i], lens[i], src) == 1;
    free(src);
  }
  check_rejects(p);
  if (failures == 0 && argc == 3) measure(p, bytes, lens);
  for (size_t i = 0; i < NCASES; i++) free(bytes[i]);
  upb_peer_close(p);
  printf("%d of %d re-encodings byte-identical; %s\n", identical, (int)NCASES, failures ? "FAILED" : "all checks pass");
  return failures ? 1 : 0;
}
