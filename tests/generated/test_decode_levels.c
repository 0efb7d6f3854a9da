/* The decoder's two builds of its field loop (internal/decode.h): the portable one and, where
 * the CPU has BMI2, the one gathering varints with pext, which p2f_decode runs where pext is
 * fast. Both decode the same inputs and must agree on the status and on every byte of the
 * struct (both structs start as the same poison), or for out-of-line messages, whose pointers
 * differ, on the status and the bytes the result encodes to.
 *
 * The inputs are random wire records for every message reachable from the roots below
 * (fields with their own wire type and with others, packed runs, unknown fields, varints of
 * every length and non-canonical ones, text over its limit and invalid UTF-8, nested
 * submessages), each also cut at random lengths and with random bytes changed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/check.h"
#include "../support/rand.h"
#include "alltypes.ffi.h"
#include "internal/decode.h"
#include "legacy.ffi.h"
#include "ooline.ffi.h"
#include "proto2ffi/arena.h"
#include "proto2ffi/wire.h"
#include "social.ffi.h"

typedef struct out {
  uint8_t *p, *end;
} out;

static void put_byte(out *o, uint8_t b) {
  if (o->p < o->end) *o->p++ = b;
}

/* v as a varint; one time in eight with zero groups added (a valid, non-canonical form), as
 * long as it stays within 10 bytes. */
static void put_varint(out *o, uint64_t v) {
  unsigned groups = 1;
  for (uint64_t x = v >> 7; x; x >>= 7) groups++;
  unsigned pad = next_rand() % 8 == 0 ? (unsigned)(next_rand() % 3) + 1 : 0;
  if (groups + pad > 9) pad = 0;
  for (unsigned i = 0; i < groups + pad; i++) {
    uint8_t b = (uint8_t)(v & 0x7f);
    v >>= 7;
    put_byte(o, i + 1 < groups + pad ? (uint8_t)(b | 0x80) : b);
  }
}

static void gen(const p2f_msg_desc *d, out *o, int depth);

/* A length-delimited payload: generated into a scratch buffer, then its length and bytes. */
static void put_len_payload(out *o, const p2f_field_desc *f, int depth, int packed) {
  uint8_t scratch[4096];
  out s = {scratch, scratch + sizeof scratch};
  if (f != NULL && f->type == P2F_FT_MESSAGE && !packed) {
    if (depth < 4) gen(f->sub, &s, depth + 1);
  } else if (packed) {
    unsigned n = (unsigned)(next_rand() % (f->capacity + 3));
    unsigned wt = P2F_FIELD_WIRE_TYPE(f->wire);
    for (unsigned i = 0; i < n; i++) {
      if (wt == P2F_WIRE_VARINT) put_varint(&s, next_rand() % 2 ? rand_bits_value() : next_rand() % 300);
      else
        for (unsigned k = 0; k < (wt == P2F_WIRE_I64 ? 8u : 4u); k++) put_byte(&s, (uint8_t)next_rand());
    }
  } else {
    uint32_t max = f != NULL && f->max_length ? f->max_length : 40;
    unsigned n = (unsigned)(next_rand() % (max + 3));
    unsigned mode = (unsigned)(next_rand() % 8);
    for (unsigned i = 0; i < n; i++) {
      uint8_t b = (uint8_t)('a' + next_rand() % 26);
      if (mode == 0) b = (uint8_t)next_rand(); /* often not UTF-8 */
      else if (mode == 1 && next_rand() % 16 == 0) b = 0xc3; /* a 2-byte lead, sometimes finished below */
      else if (mode == 1 && i > 0 && s.p[-1] == 0xc3) b = 0xa9;
      put_byte(&s, b);
    }
  }
  size_t len = (size_t)(s.p - scratch);
  put_varint(o, len);
  for (size_t i = 0; i < len; i++) put_byte(o, scratch[i]);
}

/* Random records for d: mostly its fields with their own wire type. */
static void gen(const p2f_msg_desc *d, out *o, int depth) {
  unsigned records = (unsigned)(next_rand() % 14);
  for (unsigned r = 0; r < records; r++) {
    const p2f_field_desc *f = d->field_count ? &d->fields[next_rand() % d->field_count] : NULL;
    uint64_t number = f != NULL ? f->number : 1;
    unsigned wt = f != NULL ? P2F_FIELD_WIRE_TYPE(f->wire) : P2F_WIRE_VARINT;
    int packed = 0;
    unsigned pick = (unsigned)(next_rand() % 32);
    if (f == NULL || pick == 0) { /* an unknown field, any number */
      number = 1 + next_rand() % 100000;
      const unsigned wts[4] = {P2F_WIRE_VARINT, P2F_WIRE_I64, P2F_WIRE_LEN, P2F_WIRE_I32};
      wt = wts[next_rand() % 4];
      f = NULL;
    } else if (pick == 1) { /* its number with another wire type */
      wt = (unsigned)(next_rand() % 6);
    } else if (f->label == P2F_FL_REPEATED && wt != P2F_WIRE_LEN && next_rand() % 2) {
      packed = 1;
      wt = P2F_WIRE_LEN;
    }
    put_varint(o, number << 3 | wt);
    switch (wt) {
      case P2F_WIRE_VARINT:
        put_varint(o, next_rand() % 2 ? rand_bits_value() : next_rand() % 200);
        break;
      case P2F_WIRE_I64:
      case P2F_WIRE_I32:
        for (unsigned k = 0; k < (wt == P2F_WIRE_I64 ? 8u : 4u); k++) put_byte(o, (uint8_t)next_rand());
        break;
      case P2F_WIRE_LEN:
        put_len_payload(o, f, depth, packed);
        break;
      default: /* groups: an empty one, or an end alone */
        if (wt == 3) put_varint(o, number << 3 | 4);
        break;
    }
  }
}

/* Every message reachable from d, once. */
static const p2f_msg_desc *all[256];
static size_t all_count;
static void collect(const p2f_msg_desc *d) {
  for (size_t i = 0; i < all_count; i++)
    if (all[i] == d) return;
  if (all_count == sizeof all / sizeof all[0]) return;
  all[all_count++] = d;
  for (uint32_t i = 0; i < d->field_count; i++)
    if (d->fields[i].type == P2F_FT_MESSAGE) collect(d->fields[i].sub);
}

static p2f_arena arena_a, arena_b;
static unsigned char msg_a[1 << 17], msg_b[1 << 17];
static uint8_t enc_a[1 << 17], enc_b[1 << 17];
static long compared, decoded_ok;
static int have_bmi2; /* the BMI2 build may run only where the CPU has BMI2 */

/* One input decoded by both builds: 1 when they agree. */
static int agree(const p2f_msg_desc *d, const uint8_t *buf, size_t len) {
  if (d->size > sizeof msg_a) return 1;
  memset(msg_a, 0xa5, d->size);
  memset(msg_b, 0xa5, d->size);
  int ool = (d->flags & P2F_MF_OUT_OF_LINE) != 0;
  p2f_decode_options oa = {ool ? &arena_a : NULL, 0, 0}, ob = {ool ? &arena_b : NULL, 0, 0};
  p2f_status sa = p2f__decode_at(d, msg_a, buf, len, &oa, 0);
  p2f_status sb = p2f__decode_at(d, msg_b, buf, len, &ob, have_bmi2);
  compared++;
  int ok = sa == sb;
  if (ok && sa == P2F_OK) {
    decoded_ok++;
    if (!ool) {
      ok = memcmp(msg_a, msg_b, d->size) == 0;
    } else {
      size_t na = 0, nb = 0;
      ok = p2f_encode(d, msg_a, enc_a, sizeof enc_a, &na) == P2F_OK &&
           p2f_encode(d, msg_b, enc_b, sizeof enc_b, &nb) == P2F_OK && na == nb && memcmp(enc_a, enc_b, na) == 0;
    }
  } else if (ok && !ool) {
    ok = memcmp(msg_a, msg_b, d->size) == 0; /* both initialised after a failure */
  }
  if (ool) {
    p2f_arena_reset(&arena_a);
    p2f_arena_reset(&arena_b);
  }
  if (!ok) fprintf(stderr, "%s: %zu bytes, statuses %d and %d\n", d->full_name, len, (int)sa, (int)sb);
  return ok;
}

int main(void) {
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  have_bmi2 = __builtin_cpu_supports("bmi2") != 0;
#endif
  printf("bmi2 %d; p2f_decode runs the %s code\n", have_bmi2, p2f__decode_pext() ? "BMI2" : "portable");
  CHECK(!p2f__decode_pext() || have_bmi2);
  CHECK(p2f_arena_init(&arena_a, NULL) == P2F_OK && p2f_arena_init(&arena_b, NULL) == P2F_OK);
  collect(&p2f_test_AllTypes_desc);
  collect(&p2f_test_Numeric_desc);
  collect(&p2f_legacy_Legacy_desc);
  collect(&social_Post_desc);
  collect(&social_Message_desc);
  collect(&social_Notification_desc);
  collect(&p2f_ool_Tree_desc);
  collect(&p2f_ool_Holder_desc);
  printf("%zu message types\n", all_count);
  static uint8_t buf[1 << 16], cut[1 << 16];
  int ok = 1;
  for (int round = 0; round < 3000 && ok; round++) {
    for (size_t m = 0; m < all_count && ok; m++) {
      const p2f_msg_desc *d = all[m];
      out o = {buf, buf + sizeof buf};
      gen(d, &o, 0);
      size_t len = (size_t)(o.p - buf);
      ok &= agree(d, buf, len);
      for (int k = 0; k < 3 && len > 0; k++) { /* cut short */
        size_t n = (size_t)(next_rand() % len);
        memcpy(cut, buf, n);
        ok &= agree(d, cut, n);
      }
      for (int k = 0; k < 3 && len > 0; k++) { /* bytes changed */
        memcpy(cut, buf, len);
        for (int j = 0; j < 1 + (int)(next_rand() % 3); j++) cut[next_rand() % len] = (uint8_t)next_rand();
        ok &= agree(d, cut, len);
      }
    }
  }
  printf("%ld inputs compared, %ld decoded\n", compared, decoded_ok);
  CHECK(ok);
  CHECK(decoded_ok > compared / 10); /* the inputs are not all rejected */
  p2f_arena_destroy(&arena_a);
  p2f_arena_destroy(&arena_b);
  return CHECK_REPORT();
}
