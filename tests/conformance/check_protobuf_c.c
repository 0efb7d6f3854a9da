/* Wire conformance against protobuf-c (protoc-c output of the same schemas), both ways.
 *
 * For every message type both codecs know (map entries excepted), `--count` random messages
 * are checked in each direction:
 *
 *   theirs -> ours: a random protobuf-c message is packed by protobuf-c; the generated codec
 *     decodes the bytes, the decoded struct must equal the protobuf-c message field by field,
 *     and re-encoding it must give protobuf-c's bytes exactly;
 *   ours -> theirs: a random struct is encoded by the generated codec; protobuf-c must unpack
 *     the bytes into a message equal to the struct field by field, and its pack must give our
 *     bytes exactly. Encoding into a buffer one byte too small, and a random amount too
 *     small, must fail with P2F_ERR_BUFFER_TOO_SMALL without writing past the buffer.
 *
 * Random values stay within each field's capacity (from our tables) and avoid the cases where
 * protobuf-c's output is not canonical protobuf (see comparable() and docs/codec.md).
 *
 * Messages whose tree has out-of-line fields (P2F_MF_OUT_OF_LINE) are decoded with
 * p2f_decode_ex into an arena twice, copying and aliasing (P2F_DECODE_ALIAS), each decode
 * compared and re-encoded as above, and the place of every string and bytes value checked
 * (ool_walk.h: in the input when aliased, outside it and NUL-terminated when copied); the
 * aliased message is then deep-copied (p2f_copy), the input overwritten, and the copy must
 * still encode to the same bytes. Random structs of ours are filled through the building
 * helpers into an arena, and their p2f_copy must encode identically too.
 *
 *   check_protobuf_c [--count N] [--seed S] [--type FULL.NAME] [--expect-types N]
 *                    [--expect-out-of-line N] [--break-encode] [--break-storage]
 *                    [--allow-negative-zero] [--verbose]
 *
 * --expect-out-of-line N: fail unless exactly N of the checked types have out-of-line trees
 * (so a schema meant to be out of line cannot silently be checked inline).
 * --break-storage checks aliased data as if copied and copied data as if aliased: the run
 * must then fail (the storage check's self-test).
 *
 * Message i of a type uses the random stream (seed, type name, i), so a failure is replayed
 * with --seed S --type T. --break-encode flips one bit of every encoding of ours before the
 * comparison: the run must then fail (the check's self-test). --allow-negative-zero also
 * generates -0.0 in proto3 implicit-presence floats, where protobuf-c differs (it omits them). 
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ool_walk.h"
#include "rand_fill.h"
#include "registry.h"

static int break_encode;
static int break_storage;
static p2f_arena arena_a, arena_b; /* reset for every message */
static uint64_t ool_values[3];     /* non-empty out-of-line values checked: [OOL_ALIASED], [OOL_COPIED] */
static int verbose;
static uint64_t bytes_total; /* encoded bytes checked, both directions */
static int failures;

#define FAIL(...)                          \
  do {                                     \
    if (failures < 10) {                   \
      fprintf(stderr, "FAIL ");            \
      fprintf(stderr, __VA_ARGS__);        \
      fprintf(stderr, "\n");               \
    }                                      \
    failures++;                            \
  } while (0)

static void dump(const char *what, const uint8_t *b, size_t n) {
  if (failures > 10) return;
  fprintf(stderr, "  %s (%zu bytes): ", what, n);
  for (size_t i = 0; i < n && i < 400; i++) fprintf(stderr, "%02x", b[i]);
  fprintf(stderr, "%s\n", n > 400 ? "..." : "");
}

static void *new_ours(const p2f_msg_desc *d) {
  void *m = aligned_alloc(16, (d->size + 15) / 16 * 16);
  if (m == NULL) abort();
  d->init(m);
  return m;
}

/* The storage check of one decoded (or copied) message. */
static void check_storage(const p2f_msg_desc *od, const void *om, const uint8_t *in, size_t n, int expect,
                          const char *where, const char *what) {
  char why[600] = "";
  size_t values = 0;
  int check = break_storage ? (expect == OOL_ALIASED ? OOL_COPIED : OOL_ALIASED) : expect;
  if (!ool_storage_ok(od, om, in, n, check, why, sizeof why, &values)) {
    FAIL("%s %s: %s", where, what, why);
  }
  ool_values[expect] += values;
}

/* Re-encodes om and compares with want[0..n). */
static int reencodes(const p2f_msg_desc *od, const void *om, const uint8_t *want, size_t n, uint8_t *again) {
  size_t w = 0;
  p2f_status st = p2f_encode(od, om, again, n + 64, &w);
  if (st == P2F_OK && break_encode && w) again[w / 2] ^= 0x01;
  return st == P2F_OK && w == n && memcmp(again, want, n) == 0 && p2f_encoded_size(od, om) == n;
}

/* theirs -> ours, out-of-line tree: copying and aliasing decodes, then p2f_copy of the
 * aliased message outliving its input. */
static void check_from_theirs_out(const ProtobufCMessageDescriptor *pd, const ProtobufCMessage *pm,
                                  const p2f_msg_desc *od, const uint8_t *bytes, size_t n, uint8_t *again,
                                  const char *where) {
  uint8_t *input = malloc(n + 1);
  void *om = new_ours(od), *copy = new_ours(od);
  if (input == NULL) abort();
  memcpy(input, bytes, n);
  static const uint32_t modes[2] = {0, P2F_DECODE_ALIAS};
  for (int k = 0; k < 2; k++) {
    const char *mode = modes[k] ? "aliased" : "copied";
    p2f_arena_reset(&arena_a);
    p2f_decode_options opts = {&arena_a, modes[k], 0};
    p2f_status st = p2f_decode_ex(od, om, input, n, &opts);
    if (st != P2F_OK) {
      FAIL("%s theirs->ours (%s): decode of protobuf-c's bytes: %s", where, mode, p2f_status_str(st));
      dump("protobuf-c", bytes, n);
      continue;
    }
    char diff[256] = "";
    if (!same_message(pd, pm, od, om, diff, sizeof diff)) {
      FAIL("%s theirs->ours (%s): decoded struct differs from the protobuf-c message at %s", where, mode, diff);
      dump("protobuf-c", bytes, n);
    }
    check_storage(od, om, input, n, modes[k] ? OOL_ALIASED : OOL_COPIED, where, mode);
    if (!reencodes(od, om, bytes, n, again)) {
      FAIL("%s theirs->ours (%s): re-encoding differs from protobuf-c's", where, mode);
      dump("protobuf-c", bytes, n);
    }
  }
  /* om holds the aliased decode: copy it out, then destroy the input. */
  p2f_arena_reset(&arena_b);
  p2f_status st = p2f_copy(od, copy, om, &arena_b);
  if (st != P2F_OK) {
    FAIL("%s: p2f_copy of the aliased decode: %s", where, p2f_status_str(st));
  } else {
    check_storage(od, copy, input, n, OOL_COPIED, where, "p2f_copy of the aliased decode");
    memset(input, 0xEE, n);
    if (!reencodes(od, copy, bytes, n, again)) {
      FAIL("%s: the p2f_copy of an aliased decode does not encode to the input once the input is gone", where);
    }
  }
  free(input);
  free(om);
  free(copy);
}

/* theirs -> ours */
static void check_from_theirs(const ProtobufCMessageDescriptor *pd, const p2f_msg_desc *od, rng *r,
                              const char *where) {
  ProtobufCMessage *pm = pbc_random(pd, od, r);
  size_t n = protobuf_c_message_get_packed_size(pm);
  uint8_t *bytes = malloc(n + 1);
  uint8_t *again = malloc(n + 64);
  void *om = new_ours(od);
  if (bytes == NULL || again == NULL) abort();
  bytes_total += n;
  if (protobuf_c_message_pack(pm, bytes) != n) {
    FAIL("%s: protobuf-c pack size disagrees with get_packed_size", where);
  }
  if (ool_tree(od)) {
    check_from_theirs_out(pd, pm, od, bytes, n, again, where);
    protobuf_c_message_free_unpacked(pm, NULL);
    free(bytes);
    free(again);
    free(om);
    return;
  }
  p2f_status st = p2f_decode(od, om, bytes, n);
  size_t w = 0;
  if (st != P2F_OK) {
    FAIL("%s theirs->ours: decode of protobuf-c's bytes: %s", where, p2f_status_str(st));
    dump("protobuf-c", bytes, n);
  } else {
    char diff[256] = "";
    if (!same_message(pd, pm, od, om, diff, sizeof diff)) {
      FAIL("%s theirs->ours: decoded struct differs from the protobuf-c message at %s", where, diff);
      dump("protobuf-c", bytes, n);
    }
    st = p2f_encode(od, om, again, n + 64, &w);
    if (st == P2F_OK && break_encode && w) again[w / 2] ^= 0x01;
    if (st != P2F_OK || w != n || memcmp(again, bytes, n) != 0 || p2f_encoded_size(od, om) != n) {
      FAIL("%s theirs->ours: re-encoding differs from protobuf-c's (status %s)", where, p2f_status_str(st));
      dump("protobuf-c", bytes, n);
      dump("ours", again, w);
    }
  }
  protobuf_c_message_free_unpacked(pm, NULL);
  free(bytes);
  free(again);
  free(om);
}

/* ours -> theirs */
static void check_from_ours(const ProtobufCMessageDescriptor *pd, const p2f_msg_desc *od, rng *r,
                            const char *where) {
  void *om = new_ours(od);
  p2f_arena_reset(&arena_a);
  ours_random(od, om, r, &arena_a);
  size_t n = p2f_encoded_size(od, om);
  uint8_t *bytes = malloc(n + 1);
  if (bytes == NULL) abort();
  size_t w = 0;
  bytes_total += n;
  p2f_status st = p2f_encode(od, om, bytes, n, &w);
  if (st != P2F_OK || w != n) {
    FAIL("%s ours->theirs: encode: %s, %zu bytes of %zu", where, p2f_status_str(st), w, n);
  } else {
    /* Too small by one byte, or by a random amount: refused, nothing written past the end. */
    if (n > 0) {
      size_t cap = (size_t)(rng_next(r) % n);
      uint8_t *small = malloc(n);
      if (small == NULL) abort();
      for (int k = 0; k < 2; k++, cap = n - 1) {
        memset(small, 0xA5, n);
        size_t sw = 1;
        p2f_status sst = p2f_encode(od, om, small, cap, &sw);
        size_t untouched = cap;
        while (untouched < n && small[untouched] == 0xA5) untouched++;
        if (sst != P2F_ERR_BUFFER_TOO_SMALL || sw != 0 || untouched != n) {
          FAIL("%s: encode into %zu of %zu bytes: %s, wrote past the end: %s", where, cap, n, p2f_status_str(sst),
               untouched != n ? "yes" : "no");
        }
      }
      free(small);
    }
    if (ool_tree(od)) { /* a deep copy encodes the same */
      void *copy = new_ours(od);
      uint8_t *again = malloc(n + 64);
      if (again == NULL) abort();
      p2f_arena_reset(&arena_b);
      p2f_status cst = p2f_copy(od, copy, om, &arena_b);
      if (cst != P2F_OK || !reencodes(od, copy, bytes, n, again)) {
        FAIL("%s ours->theirs: the p2f_copy of our struct encodes differently (%s)", where, p2f_status_str(cst));
      }
      free(again);
      free(copy);
    }
    if (break_encode && w) bytes[w / 2] ^= 0x01;
    ProtobufCMessage *pm = protobuf_c_message_unpack(pd, NULL, n, bytes);
    if (pm == NULL) {
      FAIL("%s ours->theirs: protobuf-c cannot unpack our bytes", where);
      dump("ours", bytes, n);
    } else {
      char diff[256] = "";
      if (!same_message(pd, pm, od, om, diff, sizeof diff)) {
        FAIL("%s ours->theirs: protobuf-c's message differs from ours at %s", where, diff);
        dump("ours", bytes, n);
      }
      size_t pn = protobuf_c_message_get_packed_size(pm);
      uint8_t *again = malloc(pn + 1);
      if (again == NULL) abort();
      protobuf_c_message_pack(pm, again);
      if (pn != n || memcmp(again, bytes, n) != 0) {
        FAIL("%s ours->theirs: protobuf-c re-packs our bytes differently", where);
        dump("ours", bytes, n);
        dump("protobuf-c", again, pn);
      }
      free(again);
      protobuf_c_message_free_unpacked(pm, NULL);
    }
  }
  free(bytes);
  free(om);
}

static const p2f_msg_desc *ours_named(const char *name) {
  for (size_t i = 0; conf_p2f_descs[i]; i++) {
    if (strcmp(conf_p2f_descs[i]->full_name, name) == 0) return conf_p2f_descs[i];
  }
  return NULL;
}

int main(int argc, char **argv) {
  long count = 1000;
  uint64_t seed = 1;
  const char *only = NULL;
  long expect_types = -1, expect_out = -1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) count = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) only = argv[++i];
    else if (strcmp(argv[i], "--expect-types") == 0 && i + 1 < argc) expect_types = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--expect-out-of-line") == 0 && i + 1 < argc) expect_out = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--break-encode") == 0) break_encode = 1;
    else if (strcmp(argv[i], "--break-storage") == 0) break_storage = 1;
    else if (strcmp(argv[i], "--allow-negative-zero") == 0) rand_allow_negative_zero = 1;
    else if (strcmp(argv[i], "--verbose") == 0) verbose = 1;
    else {
      fprintf(stderr, "usage: %s [--count N] [--seed S] [--type NAME] [--expect-types N] [--expect-out-of-line N] [--break-encode] [--break-storage] [--allow-negative-zero] [--verbose]\n", argv[0]);
      return 2;
    }
  }
  long types = 0, skipped = 0, out_types = 0;
  if (p2f_arena_init(&arena_a, NULL) != P2F_OK || p2f_arena_init(&arena_b, NULL) != P2F_OK) return 2;
  for (size_t t = 0; conf_pbc_descs[t]; t++) {
    const ProtobufCMessageDescriptor *pd = conf_pbc_descs[t];
    if (only && strcmp(pd->name, only) != 0) continue;
    const p2f_msg_desc *od = ours_named(pd->name);
    if (od == NULL) continue; /* proto2ffi/options.proto's own messages */
    if (is_map_entry(od)) {
      skipped++;
      continue; /* exercised inside the messages that hold the map */
    }
    char why[256];
    if (!same_shape(pd, od, why, sizeof why)) {
      FAIL("%s: the two codecs disagree on the schema: %s", pd->name, why);
      continue;
    }
    types++;
    out_types += ool_tree(od);
    int before = failures;
    uint64_t bytes_before = bytes_total;
    for (long i = 0; i < count && failures - before < 3; i++) {
      char where[200];
      snprintf(where, sizeof where, "%s #%ld (seed %" PRIu64 ")", pd->name, i, seed);
      rng r = rng_for(seed, pd->name, (uint64_t)i);
      check_from_theirs(pd, od, &r, where);
      check_from_ours(pd, od, &r, where);
    }
    if (verbose) {
      printf("%-40s %8.1f bytes per message on average\n", pd->name,
             count ? (double)(bytes_total - bytes_before) / (2.0 * (double)count) : 0.0);
    }
  }
  printf("%ld message types (%ld map entries checked inside their maps), %ld random messages each way per type, "
         "seed %" PRIu64 "\n",
         types, skipped, count, seed);
  if (out_types) {
    printf("%ld types with out-of-line fields: %" PRIu64 " aliased and %" PRIu64
           " copied out-of-line values checked in place\n",
           out_types, ool_values[OOL_ALIASED], ool_values[OOL_COPIED]);
  }
  p2f_arena_destroy(&arena_a);
  p2f_arena_destroy(&arena_b);
  if (expect_out >= 0 && out_types != expect_out) {
    printf("expected %ld message types with out-of-line fields, checked %ld\n", expect_out, out_types);
    return 1;
  }
  if (expect_types >= 0 && types != expect_types) {
    printf("expected %ld message types, checked %ld\n", expect_types, types);
    return 1;
  }
  if (failures) {
    printf("%d failures (replay: --seed %" PRIu64 " --type <name>)\n", failures, seed);
    return 1;
  }
  printf("all passed\n");
  return types > 0 ? 0 : 1;
}
