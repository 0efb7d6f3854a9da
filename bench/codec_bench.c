/* Codec benchmark: the generated wire codec against protobuf-c, nanopb and upb, decoding and
 * encoding the identical bytes in the same run, with memcpy of those bytes as the ceiling
 * (docs/codec.md has the table and the method).
 *
 *   codec_bench [--quick] [--json FILE] [--markdown FILE] [--only MESSAGE]
 *
 * Messages: social Reaction, Comment, Post, Message, Notification (codec_bench_msgs.c fills
 * them realistically), Post again with its content made ASCII (the text the memcpy target
 * speaks of) and bench.Samples, a numeric-heavy message. Each is encoded once by our
 * codec; those bytes are what every peer decodes, and before any timing each peer must decode
 * them and re-encode exactly the same bytes (else the run fails).
 *
 * Peers, each called through a shared library of its generated code:
 *   proto2ffi   T_decode (into a preallocated struct, which decoding initialises first) and
 *               T_encode (into a preallocated buffer)
 *   protobuf-c  t__unpack + t__free_unpacked (its normal use: it allocates the message), and
 *               t__pack into a preallocated buffer
 *   nanopb      pb_decode into a preallocated fixed-size struct (capacities as ours, from a
 *               generated .options file) and pb_encode into a preallocated buffer
 *   upb         upb_decode into an arena made per message on a reused caller block (strings
 *               point into the input), upb_encode into such an arena (upb_peer.h: layouts
 *               built at run time from a FileDescriptorSet)
 *   memcpy      of the encoded bytes into a preallocated buffer
 * and, as more rows of ours, the out-of-line form (the same schemas without capacities, so
 * every string, bytes and repeated field is a pointer into an arena, generated with the
 * package prefix ool_): p2f_decode_ex into an arena reset before each decode and starting on
 * a reused caller block like upb's, copying and aliasing (P2F_DECODE_ALIAS), and p2f_encode of
 * such a decoded message. Its memory table gives, per decoded message, the struct's bytes plus
 * the arena's, next to the encoded size and the inline struct's size.
 * Time is the thread's CPU time (every case is single-threaded), so preemption by other
 * processes on a shared machine is not counted; median, p5 and p95 over the repetitions.
 * Every result is consumed: the decoded struct or message passes through bench_escape and a
 * byte of it or the status joins the checksum, and so does the last byte encoded.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "codec_bench.h"
#include "numeric.pb-c.h"
#include "social.pb-c.h"
#ifdef P2F_BENCH_NANOPB
#include <pb_decode.h>
#include <pb_encode.h>

#include "numeric.pb.h"
#include "social.pb.h"
#endif
#ifdef P2F_BENCH_UPB
#include "upb_peer.h"
#endif

typedef struct msg_case {
  const char *name;
  uint8_t *bytes; /* the canonical encoding every peer decodes */
  size_t len;
  uint8_t *out, *copy; /* encode and memcpy destinations */
  size_t out_cap;
  void *ours_src, *ours_dst;
  p2f_status (*ours_decode)(void *msg, const uint8_t *buf, size_t len);
  p2f_status (*ours_encode)(const void *msg, uint8_t *buf, size_t cap, size_t *written);
  const p2f_msg_desc *ours_desc; /* for p2f_decode_ex with P2F_DECODE_ZERO_FILL */
  ProtobufCMessage *pbc_src;
  ProtobufCMessage *(*pbc_unpack)(const uint8_t *buf, size_t len);
  void (*pbc_free)(ProtobufCMessage *msg);
  size_t (*pbc_pack)(const ProtobufCMessage *msg, uint8_t *out);
#ifdef P2F_BENCH_NANOPB
  const pb_msgdesc_t *nanopb_fields;
  void *nanopb_src, *nanopb_dst;
#endif
  const char *full_name; /* "social.Post" */
#ifdef P2F_BENCH_UPB
  const upb_peer_msg *upb_m;
  void *upb_src; /* upb's decode of `bytes`, in a long-lived arena: the encode source */
#endif
} msg_case;

/* Typed entry points adapted to the case table (one direct call each, for every peer). */
#define WRAP(M, OURS_T, PBC_FN, PBC_T)                                                                              \
  static p2f_status M##_ours_decode(void *m, const uint8_t *b, size_t n) { return OURS_T##_decode(m, b, n); }      \
  static p2f_status M##_ours_encode(const void *m, uint8_t *b, size_t cap, size_t *w) {                            \
    return OURS_T##_encode(m, b, cap, w);                                                                          \
  }                                                                                                                \
  static ProtobufCMessage *M##_pbc_unpack(const uint8_t *b, size_t n) {                                            \
    return (ProtobufCMessage *)PBC_FN##__unpack(NULL, n, b);                                                       \
  }                                                                                                                \
  static void M##_pbc_free(ProtobufCMessage *m) { PBC_FN##__free_unpacked((PBC_T *)(void *)m, NULL); }             \
  static size_t M##_pbc_pack(const ProtobufCMessage *m, uint8_t *o) { return PBC_FN##__pack((const PBC_T *)(const void *)m, o); }

WRAP(reaction, social_Reaction, social__reaction, Social__Reaction)
WRAP(comment, social_Comment, social__comment, Social__Comment)
WRAP(post, social_Post, social__post, Social__Post)
WRAP(message, social_Message, social__message, Social__Message)
WRAP(notification, social_Notification, social__notification, Social__Notification)
WRAP(samples, bench_Samples, bench__samples, Bench__Samples)

static bool quick;
static bench_json *json;
static FILE *md;

/* ---- timed loops --------------------------------------------------------------------------- */

typedef uint64_t (*case_fn)(msg_case *c, uint64_t ops);

static uint64_t decode_ours(msg_case *c, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    p2f_status st = c->ours_decode(c->ours_dst, c->bytes, c->len);
    bench_escape(c->ours_dst);
    acc += (uint64_t)(int64_t)st + ((const uint8_t *)c->ours_dst)[0];
  }
  return acc;
}

/* The same decode with P2F_DECODE_ZERO_FILL: every byte of the struct set first (T_init), as
 * decoding did before it defined only the bytes it fills. */
static uint64_t decode_ours_zero_fill(msg_case *c, uint64_t ops) {
  const p2f_decode_options zf = {NULL, P2F_DECODE_ZERO_FILL, 0};
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    p2f_status st = p2f_decode_ex(c->ours_desc, c->ours_dst, c->bytes, c->len, &zf);
    bench_escape(c->ours_dst);
    acc += (uint64_t)(int64_t)st + ((const uint8_t *)c->ours_dst)[0];
  }
  return acc;
}

static uint64_t decode_pbc(msg_case *c, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    ProtobufCMessage *m = c->pbc_unpack(c->bytes, c->len);
    bench_escape(m);
    acc += (uintptr_t)m;
    c->pbc_free(m);
  }
  return acc;
}

static uint64_t decode_memcpy(msg_case *c, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    memcpy(c->copy, c->bytes, c->len);
    bench_escape(c->copy);
    acc += c->copy[c->len - 1];
  }
  return acc;
}

static uint64_t encode_ours(msg_case *c, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    size_t w = 0;
    p2f_status st = c->ours_encode(c->ours_src, c->out, c->out_cap, &w);
    bench_escape(c->out);
    acc += (uint64_t)(int64_t)st + w + c->out[w - 1];
  }
  return acc;
}

static uint64_t encode_pbc(msg_case *c, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    size_t w = c->pbc_pack(c->pbc_src, c->out);
    bench_escape(c->out);
    acc += w + c->out[w - 1];
  }
  return acc;
}

#ifdef P2F_BENCH_NANOPB
static uint64_t decode_nanopb(msg_case *c, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    pb_istream_t s = pb_istream_from_buffer(c->bytes, c->len);
    bool ok = pb_decode(&s, c->nanopb_fields, c->nanopb_dst);
    bench_escape(c->nanopb_dst);
    acc += ok + ((const uint8_t *)c->nanopb_dst)[0];
  }
  return acc;
}

static uint64_t encode_nanopb(msg_case *c, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    pb_ostream_t s = pb_ostream_from_buffer(c->out, c->out_cap);
    bool ok = pb_encode(&s, c->nanopb_fields, c->nanopb_src);
    bench_escape(c->out);
    acc += ok + s.bytes_written + c->out[s.bytes_written - 1];
  }
  return acc;
}
#endif

#ifdef P2F_BENCH_UPB
static upb_peer *upb;
static _Alignas(16) unsigned char upb_block[256 * 1024]; /* every timed upb arena starts on it */

static uint64_t decode_upb(msg_case *c, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    upb_peer_arena *a = upb_peer_arena_new(upb_block, sizeof upb_block);
    void *m = upb_peer_decode(c->upb_m, c->bytes, c->len, a);
    bench_escape(m);
    acc += (uintptr_t)m;
    upb_peer_arena_free(a);
  }
  return acc;
}

static uint64_t encode_upb(msg_case *c, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    upb_peer_arena *a = upb_peer_arena_new(upb_block, sizeof upb_block);
    size_t n = 0;
    const uint8_t *out = upb_peer_encode(c->upb_m, c->upb_src, a, &n);
    bench_escape((void *)(uintptr_t)out);
    acc += n + out[n - 1];
    upb_peer_arena_free(a);
  }
  return acc;
}
#endif

static bench_stats measure(case_fn fn, msg_case *c, uint64_t ops, int reps) {
  double samples[64];
  bench_sink += fn(c, ops / 4 + 1); /* warm-up: caches, page faults, allocator state */
  for (int r = 0; r < reps; r++) {
    double t0 = bench_thread_cpu_ns();
    uint64_t acc = fn(c, ops);
    double t1 = bench_thread_cpu_ns();
    bench_sink += acc;
    samples[r] = (t1 - t0) / (double)ops;
  }
  return bench_summarise(samples, reps, ops);
}

/* ---- the out-of-line form ------------------------------------------------------------------- */

extern const p2f_msg_desc ool_social_Reaction_desc, ool_social_Comment_desc, ool_social_Post_desc,
    ool_social_Message_desc, ool_social_Notification_desc, ool_bench_Samples_desc;

/* The out-of-line case being measured (measure() takes the msg_case; these ride along). */
typedef struct ool_case {
  const p2f_msg_desc *d;
  void *dst, *src; /* decode destination; encode source (a copying decode, in src_arena) */
  p2f_arena arena, src_arena;
  uint32_t mode;   /* 0 (copy) or P2F_DECODE_ALIAS */
} ool_case;
static ool_case ool_cur;
static _Alignas(16) unsigned char ool_block[256 * 1024]; /* every timed arena starts on it */

static uint64_t decode_ool(msg_case *c, uint64_t ops) {
  const p2f_decode_options o = {&ool_cur.arena, ool_cur.mode, 0};
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    p2f_arena_reset(&ool_cur.arena);
    p2f_status st = p2f_decode_ex(ool_cur.d, ool_cur.dst, c->bytes, c->len, &o);
    bench_escape(ool_cur.dst);
    acc += (uint64_t)(int64_t)st + ((const uint8_t *)ool_cur.dst)[0];
  }
  return acc;
}

static uint64_t encode_ool(msg_case *c, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    size_t w = 0;
    p2f_status st = p2f_encode(ool_cur.d, ool_cur.src, c->out, c->out_cap, &w);
    bench_escape(c->out);
    acc += (uint64_t)(int64_t)st + w + c->out[w - 1];
  }
  return acc;
}

/* ---- the same bytes for everyone ------------------------------------------------------------ */

static void *xalloc(size_t n) {
  void *p = aligned_alloc(64, (n + 63) / 64 * 64);
  if (p == NULL) {
    fprintf(stderr, "codec_bench: out of memory\n");
    exit(1);
  }
  memset(p, 0, (n + 63) / 64 * 64);
  return p;
}

static void check(bool ok, const msg_case *c, const char *what) {
  if (!ok) {
    fprintf(stderr, "codec_bench: %s: %s\n", c->name, what);
    exit(1);
  }
}

/* Encodes our message, then requires every peer to decode those bytes and re-encode them
 * identically; leaves each peer's decoded message as its encode source. */
static void prepare(msg_case *c, size_t ours_size) {
  c->out_cap = 64 * 1024;
  c->out = xalloc(c->out_cap);
  c->copy = xalloc(c->out_cap);
  c->bytes = xalloc(c->out_cap);
  check(c->ours_encode(c->ours_src, c->bytes, c->out_cap, &c->len) == P2F_OK && c->len > 0, c, "our encode failed");
  size_t w = 0;
  check(c->ours_decode(c->ours_dst, c->bytes, c->len) == P2F_OK, c, "our decode failed");
  check(c->ours_encode(c->ours_dst, c->out, c->out_cap, &w) == P2F_OK && w == c->len &&
            memcmp(c->out, c->bytes, w) == 0 && memcmp(c->ours_src, c->ours_dst, ours_size) == 0,
        c, "our decode/encode does not round-trip");
  c->pbc_src = c->pbc_unpack(c->bytes, c->len);
  check(c->pbc_src != NULL, c, "protobuf-c cannot unpack the bytes");
  memset(c->out, 0, c->out_cap);
  w = c->pbc_pack(c->pbc_src, c->out);
  check(w == c->len && memcmp(c->out, c->bytes, w) == 0, c, "protobuf-c re-packs different bytes");
#ifdef P2F_BENCH_NANOPB
  pb_istream_t is = pb_istream_from_buffer(c->bytes, c->len);
  check(pb_decode(&is, c->nanopb_fields, c->nanopb_src), c, "nanopb cannot decode the bytes");
  memset(c->out, 0, c->out_cap);
  pb_ostream_t os = pb_ostream_from_buffer(c->out, c->out_cap);
  check(pb_encode(&os, c->nanopb_fields, c->nanopb_src) && os.bytes_written == c->len &&
            memcmp(c->out, c->bytes, c->len) == 0,
        c, "nanopb re-encodes different bytes");
#endif
#ifdef P2F_BENCH_UPB
  static _Alignas(16) unsigned char keep[8][64 * 1024]; /* upb's decoded messages, one block each */
  static size_t nkeep;
  c->upb_m = upb_peer_find(upb, c->full_name);
  check(c->upb_m != NULL && nkeep < 8, c, "upb does not know the message");
  upb_peer_arena *ka = upb_peer_arena_new(keep[nkeep], sizeof keep[0]);
  nkeep++;
  c->upb_src = upb_peer_decode(c->upb_m, c->bytes, c->len, ka);
  check(c->upb_src != NULL, c, "upb cannot decode the bytes");
  size_t un = 0;
  const uint8_t *uout = upb_peer_encode(c->upb_m, c->upb_src, ka, &un);
  check(uout != NULL && un == c->len && memcmp(uout, c->bytes, un) == 0, c, "upb re-encodes different bytes");
#endif
}

/* Bytes one decode of c in the given mode uses: the arena's allocations (the struct is
 * counted by the caller). Checks the decode re-encodes to c's bytes. */
static size_t ool_decode_bytes(msg_case *c, uint32_t mode) {
  const p2f_decode_options o = {&ool_cur.arena, mode, 0};
  p2f_arena_reset(&ool_cur.arena);
  check(p2f_decode_ex(ool_cur.d, ool_cur.dst, c->bytes, c->len, &o) == P2F_OK, c, "out-of-line decode failed");
  p2f_arena_stats st;
  p2f_arena_get_stats(&ool_cur.arena, &st);
  size_t w = 0;
  memset(c->out, 0, c->out_cap);
  check(p2f_encode(ool_cur.d, ool_cur.dst, c->out, c->out_cap, &w) == P2F_OK && w == c->len &&
            memcmp(c->out, c->bytes, w) == 0,
        c, "the out-of-line form re-encodes different bytes");
  return st.allocated;
}

/* Sets ool_cur up for c: arenas, the encode source (a copying decode of c's bytes). */
static void ool_release(void) {
  if (ool_cur.d == NULL) return;
  p2f_arena_destroy(&ool_cur.arena);
  p2f_arena_destroy(&ool_cur.src_arena);
  free(ool_cur.dst);
  free(ool_cur.src);
  ool_cur.d = NULL;
}

static void ool_prepare(msg_case *c, const p2f_msg_desc *d) {
  ool_release();
  ool_cur.d = d;
  ool_cur.dst = xalloc(d->size);
  ool_cur.src = xalloc(d->size);
  const p2f_arena_config cfg = {ool_block, sizeof ool_block, 0, 0, 0};
  check(p2f_arena_init(&ool_cur.arena, &cfg) == P2F_OK && p2f_arena_init(&ool_cur.src_arena, NULL) == P2F_OK, c,
        "arena init");
  const p2f_decode_options o = {&ool_cur.src_arena, 0, 0};
  check(p2f_decode_ex(d, ool_cur.src, c->bytes, c->len, &o) == P2F_OK, c, "out-of-line decode failed");
}

/* What each codec does with a proto3 string that is not UTF-8: c's encoding (a Comment) with
 * two bytes of its text replaced by an overlong form. Printed before the table; ours must
 * reject it (docs/codec.md, "UTF-8"). */
static void utf8_probe(msg_case *c, const char *text, size_t text_len) {
  uint8_t *bad = xalloc(c->len);
  memcpy(bad, c->bytes, c->len);
  size_t at = c->len;
  for (size_t i = 0; text_len >= 8 && i + 8 <= c->len; i++) {
    if (memcmp(bad + i, text, 8) == 0) {
      at = i;
      break;
    }
  }
  check(at < c->len, c, "text not found in its encoding");
  bad[at + 2] = 0xC0;
  bad[at + 3] = 0xAF;
  bool ours = c->ours_decode(c->ours_dst, bad, c->len) == P2F_OK;
  check(!ours, c, "our decode accepted invalid UTF-8 in a proto3 string");
  ProtobufCMessage *pm = c->pbc_unpack(bad, c->len);
  bool pbc = pm != NULL;
  if (pm) c->pbc_free(pm);
  printf("invalid UTF-8 in a proto3 string (%s): proto2ffi %s, protobuf-c %s", c->name, ours ? "accepts" : "rejects",
         pbc ? "accepts" : "rejects");
#ifdef P2F_BENCH_NANOPB
  pb_istream_t is = pb_istream_from_buffer(bad, c->len);
  printf(", nanopb %s", pb_decode(&is, c->nanopb_fields, c->nanopb_dst) ? "accepts" : "rejects");
#endif
#ifdef P2F_BENCH_UPB
  upb_peer_arena *a = upb_peer_arena_new(upb_block, sizeof upb_block);
  printf(", upb %s", upb_peer_decode(c->upb_m, bad, c->len, a) ? "accepts" : "rejects");
  upb_peer_arena_free(a);
#endif
  printf("\n");
  free(bad);
}

/* ---- reporting -------------------------------------------------------------------------------- */

static double mb_per_s(size_t bytes, double ns) { return ns > 0 ? (double)bytes / ns * 1e3 : 0; }

/* A peer's cell, "median (p5–p95) min", or n/a; and its ratio to ours on the minimum of
 * rounds (the figure that repeats on a shared machine; medians move between runs). */
static void cell(char *out, size_t n, const bench_stats *s) {
  if (s) snprintf(out, n, "%.1f (%.1f–%.1f) %.1f", s->median, s->p5, s->p95, s->min);
  else snprintf(out, n, "n/a");
}

static void ratio(char *out, size_t n, const bench_stats *peer, const bench_stats *ours) {
  if (peer) snprintf(out, n, "%.2fx", peer->min / ours->min);
  else snprintf(out, n, "n/a");
}

static void row(const char *op, const msg_case *c, const bench_stats *ours, const bench_stats *pbc,
                const bench_stats *nanopb, const bench_stats *upbs, const bench_stats *copy) {
  bench_json_result(json, op, c->name, "proto2ffi", c->len, 1, ours);
  bench_json_result(json, op, c->name, "protobuf-c", c->len, 1, pbc);
  if (nanopb) bench_json_result(json, op, c->name, "nanopb", c->len, 1, nanopb);
  if (upbs) bench_json_result(json, op, c->name, "upb", c->len, 1, upbs);
  bench_json_result(json, op, c->name, "memcpy", c->len, 1, copy);
  char o[80], pb[80], nb[80], ub[80], pbr[16], nbr[16], ubr[16];
  cell(o, sizeof o, ours);
  cell(pb, sizeof pb, pbc);
  cell(nb, sizeof nb, nanopb);
  cell(ub, sizeof ub, upbs);
  ratio(pbr, sizeof pbr, pbc, ours);
  ratio(nbr, sizeof nbr, nanopb, ours);
  ratio(ubr, sizeof ubr, upbs, ours);
  char line[1024];
  snprintf(line, sizeof line, "| %s | %s | %zu | %s | %.0f | %s | %s | %s | %.1f | %s | %s | %s | %.0f%% |\n", c->name,
           op, c->len, o, mb_per_s(c->len, ours->median), pb, nb, ub, copy->min, pbr, nbr, ubr,
           100.0 * copy->min / ours->min);
  fputs(line, stdout);
  fflush(stdout);
  if (md) fputs(line, md);
}

static void header(void) {
  const char *h =
      "| message | op | bytes | proto2ffi ns median (p5–p95) min | proto2ffi MB/s | protobuf-c ns | nanopb ns | upb ns | "
      "memcpy ns (min) | protobuf-c / ours | nanopb / ours | upb / ours | ours / memcpy throughput |\n"
      "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  fputs(h, stdout);
  if (md) fputs(h, md);
}

/* ---- main ---------------------------------------------------------------------------------------- */

#ifdef P2F_BENCH_NANOPB
#define NANOPB_CASE(T) , T##_fields, xalloc(sizeof(T)), xalloc(sizeof(T))
#else
#define NANOPB_CASE(T)
#endif
#ifdef P2F_BENCH_UPB
#define UPB_CASE , NULL, NULL
#else
#define UPB_CASE
#endif
#define CASE(NAME, FULL, M, OURS_T, NANOPB_T)                                                                  \
  {NAME, NULL, 0, NULL, NULL, 0, xalloc(sizeof(OURS_T)), xalloc(sizeof(OURS_T)), M##_ours_decode, M##_ours_encode, \
   &OURS_T##_desc, NULL, M##_pbc_unpack, M##_pbc_free, M##_pbc_pack NANOPB_CASE(NANOPB_T), FULL UPB_CASE}

int main(int argc, char **argv) {
  const char *json_path = "codec_bench.json";
  const char *md_path = NULL;
  const char *only = NULL; /* one message (for profiling) */
  for (int i = 1; i < argc; i++) {
    if (bench_common_arg(argc, argv, &i, &quick, &json_path, &md_path)) continue;
    if (strcmp(argv[i], "--only") == 0 && i + 1 < argc) only = argv[++i];
    else {
      fprintf(stderr, "usage: codec_bench [--quick] [--json FILE] [--markdown FILE] [--only MESSAGE]\n");
      return 2;
    }
  }
  msg_case cases[] = {
      CASE("Reaction", "social.Reaction", reaction, social_Reaction, nanopb_social_Reaction),
      CASE("Comment", "social.Comment", comment, social_Comment, nanopb_social_Comment),
      CASE("Post", "social.Post", post, social_Post, nanopb_social_Post),
      CASE("Post (ASCII)", "social.Post", post, social_Post, nanopb_social_Post),
      CASE("Message", "social.Message", message, social_Message, nanopb_social_Message),
      CASE("Notification", "social.Notification", notification, social_Notification, nanopb_social_Notification),
      CASE("Samples (numeric)", "bench.Samples", samples, bench_Samples, nanopb_bench_Samples),
  };
  bench_make_reaction(cases[0].ours_src);
  bench_make_comment(cases[1].ours_src);
  bench_make_post(cases[2].ours_src);
  bench_make_post_ascii(cases[3].ours_src);
  bench_make_message(cases[4].ours_src);
  bench_make_notification(cases[5].ours_src);
  bench_make_samples(cases[6].ours_src);
  const size_t sizes[] = {sizeof(social_Reaction), sizeof(social_Comment), sizeof(social_Post), sizeof(social_Post),
                          sizeof(social_Message), sizeof(social_Notification), sizeof(bench_Samples)};
  const size_t ncases = sizeof cases / sizeof cases[0];
  const p2f_msg_desc *const ool_descs[] = {&ool_social_Reaction_desc,     &ool_social_Comment_desc, &ool_social_Post_desc,
                                           &ool_social_Post_desc,         &ool_social_Message_desc,
                                           &ool_social_Notification_desc, &ool_bench_Samples_desc};
  _Static_assert(sizeof ool_descs / sizeof ool_descs[0] == sizeof cases / sizeof cases[0], "one per case");
  size_t ool_mem[8][2] = {{0}};
#ifdef P2F_BENCH_UPB
  char err[256] = "";
  upb = upb_peer_open_file(P2F_BENCH_UPB_FDS, err, sizeof err);
  if (upb == NULL) {
    fprintf(stderr, "codec_bench: upb: %s\n", err);
    return 1;
  }
#endif
  for (size_t i = 0; i < ncases; i++) prepare(&cases[i], sizes[i]);

  if (!bench_open_outputs("codec_bench", json_path, md_path, "codec", quick, &json, &md)) return 1;
#if defined(P2F_BENCH_NANOPB) && defined(P2F_BENCH_UPB)
  const char *peers = "protobuf-c, nanopb, upb";
#elif defined(P2F_BENCH_NANOPB)
  const char *peers = "protobuf-c, nanopb (upb not built)";
#elif defined(P2F_BENCH_UPB)
  const char *peers = "protobuf-c, upb (nanopb not built)";
#else
  const char *peers = "protobuf-c (nanopb and upb not built)";
#endif
  printf("codec_bench (%s): %s; %s; peers %s\n", quick ? "quick" : "full", bench_cpu_model(), bench_compiler(), peers);
  const social_Comment *comment = cases[1].ours_src;
  utf8_probe(&cases[1], comment->text, comment->text_len);
  if (md) fprintf(md, "Machine: %s; %s; %s run.\n\n", bench_cpu_model(), bench_compiler(), quick ? "quick" : "full");
  header();

  const int reps = quick ? 3 : 21;
  bench_stats zero_fill[8], decoded[8];
  bool measured[8] = {false};
  const double bytes_per_rep = quick ? 256e3 : 16e6;
  for (size_t i = 0; i < ncases; i++) {
    msg_case *c = &cases[i];
    if (only && strncmp(c->name, only, strlen(only)) != 0) continue;
    measured[i] = true;
    uint64_t ops = (uint64_t)(bytes_per_rep / (double)(c->len + 64)) + 16;
    bench_stats ours = measure(decode_ours, c, ops, reps);
    bench_stats pbc = measure(decode_pbc, c, ops, reps);
    bench_stats copy = measure(decode_memcpy, c, ops, reps);
    bench_stats *nanopb = NULL, *upbs = NULL;
#ifdef P2F_BENCH_NANOPB
    bench_stats nb = measure(decode_nanopb, c, ops, reps);
    nanopb = &nb;
#endif
#ifdef P2F_BENCH_UPB
    bench_stats ub = measure(decode_upb, c, ops, reps);
    upbs = &ub;
#endif
    row("decode", c, &ours, &pbc, nanopb, upbs, &copy);
    ool_prepare(c, ool_descs[i]);
    ool_mem[i][0] = ool_decode_bytes(c, 0);
    ool_mem[i][1] = ool_decode_bytes(c, P2F_DECODE_ALIAS);
    ool_cur.mode = 0;
    bench_stats ool_copy = measure(decode_ool, c, ops, reps);
    row("decode out-of-line", c, &ool_copy, &pbc, nanopb, upbs, &copy);
    ool_cur.mode = P2F_DECODE_ALIAS;
    bench_stats ool_alias = measure(decode_ool, c, ops, reps);
    row("decode out-of-line alias", c, &ool_alias, &pbc, nanopb, upbs, &copy);
    /* Zero fill against the default decode measured again right before it, alternating twice
     * (the second pair is kept): the two differ only in how the struct is initialised. */
    for (int k = 0; k < 2; k++) {
      decoded[i] = measure(decode_ours, c, ops, reps);
      zero_fill[i] = measure(decode_ours_zero_fill, c, ops, reps);
    }
    bench_json_result(json, "decode, zero fill", c->name, "proto2ffi", c->len, 1, &zero_fill[i]);
    ours = measure(encode_ours, c, ops, reps);
    pbc = measure(encode_pbc, c, ops, reps);
#ifdef P2F_BENCH_NANOPB
    nb = measure(encode_nanopb, c, ops, reps);
#endif
#ifdef P2F_BENCH_UPB
    ub = measure(encode_upb, c, ops, reps);
#endif
    row("encode", c, &ours, &pbc, nanopb, upbs, &copy);
    bench_stats ool_enc = measure(encode_ool, c, ops, reps);
    row("encode out-of-line", c, &ool_enc, &pbc, nanopb, upbs, &copy);
  }
  /* Memory per decoded message: the inline struct, and the out-of-line struct plus what one
   * decode allocates in its arena, copying and aliasing; the target is at most the fixed
   * struct plus 1.5 times the encoded size for a copying decode. */
  const char *mh = "\n| message | encoded B | inline struct B | out-of-line struct B | + arena, copy | + arena, alias | "
                   "copy total / (struct + 1.5 x encoded) |\n|---|---:|---:|---:|---:|---:|---:|\n";
  fputs(mh, stdout);
  if (md) fputs(mh, md);
  for (size_t i = 0; i < ncases; i++) {
    if (!measured[i]) continue;
    const size_t st = ool_descs[i]->size;
    char line[256];
    snprintf(line, sizeof line, "| %s | %zu | %zu | %zu | %zu | %zu | %.2f |\n", cases[i].name, cases[i].len, sizes[i], st,
             ool_mem[i][0], ool_mem[i][1], (double)(st + ool_mem[i][0]) / ((double)st + 1.5 * (double)cases[i].len));
    fputs(line, stdout);
    if (md) fputs(line, md);
  }
  /* Decoding with P2F_DECODE_ZERO_FILL next to the default decode, same run, measured
   * alternately. */
  const char *zh = "\n| message | decode ns median / min | with P2F_DECODE_ZERO_FILL ns median / min | zero fill / default (min) |\n"
                   "|---|---:|---:|---:|\n";
  fputs(zh, stdout);
  if (md) fputs(zh, md);
  for (size_t i = 0; i < ncases; i++) {
    if (!measured[i]) continue;
    char line[256];
    snprintf(line, sizeof line, "| %s | %.1f / %.1f | %.1f / %.1f | %.2fx |\n", cases[i].name, decoded[i].median,
             decoded[i].min, zero_fill[i].median, zero_fill[i].min, zero_fill[i].min / decoded[i].min);
    fputs(line, stdout);
    if (md) fputs(line, md);
  }
  bench_json_close(json);
  if (md) fclose(md);
  for (size_t i = 0; i < ncases; i++) cases[i].pbc_free(cases[i].pbc_src);
  ool_release();
#ifdef P2F_BENCH_UPB
  upb_peer_close(upb);
#endif
  printf("checksum %llu\n", (unsigned long long)bench_sink);
  return 0;
}
