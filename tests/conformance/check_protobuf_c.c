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
 *   check_protobuf_c [--count N] [--seed S] [--type FULL.NAME] [--expect-types N]
 *                    [--break-encode] [--allow-negative-zero] [--verbose]
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

#include "rand_fill.h"
#include "registry.h"

static int break_encode;
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
  ours_random(od, om, r);
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
  long expect_types = -1;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--count") == 0 && i + 1 < argc) count = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--seed") == 0 && i + 1 < argc) seed = strtoull(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--type") == 0 && i + 1 < argc) only = argv[++i];
    else if (strcmp(argv[i], "--expect-types") == 0 && i + 1 < argc) expect_types = strtol(argv[++i], NULL, 10);
    else if (strcmp(argv[i], "--break-encode") == 0) break_encode = 1;
    else if (strcmp(argv[i], "--allow-negative-zero") == 0) rand_allow_negative_zero = 1;
    else if (strcmp(argv[i], "--verbose") == 0) verbose = 1;
    else {
      fprintf(stderr, "usage: %s [--count N] [--seed S] [--type NAME] [--expect-types N] [--break-encode] [--allow-negative-zero] [--verbose]\n", argv[0]);
      return 2;
    }
  }
  long types = 0, skipped = 0;
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
