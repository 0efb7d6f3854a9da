/* The encoder's two builds of its field loop (internal/encode.h): the portable one and, where
 * the CPU has BMI2, the one spreading varints with pdep, which p2f_encode runs where pdep is
 * fast. Random AllTypes and Numeric messages (scalars of every type with values of every
 * varint length, negative ones included, strings, bytes, repeated and packed fields up to
 * their capacities) are encoded by both: the bytes must be the same, as long as
 * p2f_encoded_size says, the same as p2f_encode's, and the statuses into buffers one byte
 * short and of no bytes the same (P2F_ERR_BUFFER_TOO_SMALL); a decode of the bytes encodes to
 * them again. */
#include <stdio.h>
#include <string.h>

#include "../support/check.h"
#include "../support/rand.h"
#include "alltypes.ffi.h"
#include "internal/encode.h"

/* A value of a random bit length (0 to 64), negative about one time in four. */
static uint64_t rand_value(void) {
  uint64_t v = rand_bits_value();
  if (next_rand() % 4 == 0) v = (uint64_t)-(int64_t)v;
  return v;
}

static void put_value(unsigned char *dst, unsigned width, int is_bool) {
  uint64_t v = is_bool ? next_rand() & 1 : rand_value();
  if (width == 8) memcpy(dst, &v, 8);
  else if (width == 4) {
    uint32_t x = (uint32_t)v;
    memcpy(dst, &x, 4);
  } else {
    dst[0] = (unsigned char)v;
  }
}

/* Sets the inline scalar, string, bytes and repeated scalar fields of `msg` at random from its
 * field table (submessages, oneofs and maps stay as init left them). */
static void fill(const p2f_msg_desc *d, void *msg) {
  unsigned char *m = (unsigned char *)msg;
  d->init(msg);
  for (uint32_t i = 0; i < d->field_count; i++) {
    const p2f_field_desc *f = &d->fields[i];
    if (f->flags & (P2F_FF_OUT | P2F_FF_INT_SIZE | P2F_FF_FIXED_LENGTH | P2F_FF_FIXED_COUNT | P2F_FF_MAP)) continue;
    if (f->label == P2F_FL_ONEOF || f->type == P2F_FT_MESSAGE || next_rand() % 4 == 0) continue;
    unsigned width = P2F_FIELD_WIDTH(f->wire);
    int text = f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES;
    if (f->label == P2F_FL_REPEATED) {
      if (text) continue;
      uint32_t count = (uint32_t)(next_rand() % (f->capacity + 1));
      memcpy(m + f->aux_offset, &count, 4);
      for (uint32_t k = 0; k < count; k++) put_value(m + f->offset + (size_t)k * f->elem_size, width, f->type == P2F_FT_BOOL);
      continue;
    }
    if (f->label == P2F_FL_OPTIONAL) m[f->aux_offset] = 1;
    if (text) {
      uint32_t len = (uint32_t)(next_rand() % (f->max_length + 1));
      for (uint32_t k = 0; k < len; k++) m[f->offset + k] = (unsigned char)('a' + next_rand() % 26);
      if (f->type == P2F_FT_STRING) m[f->offset + len] = 0;
      memcpy(m + f->len_offset, &len, 4);
    } else {
      put_value(m + f->offset, width, f->type == P2F_FT_BOOL);
    }
  }
}

static int check_message(const p2f_msg_desc *d, void *msg, void *copy, int have_pdep) {
  static uint8_t a[65536], b[65536], c[65536];
  size_t na = 0, nb = 0, nc = 0;
  int ok = p2f__encode_at(d, msg, a, sizeof a, &na, 0) == P2F_OK;
  ok &= p2f_encode(d, msg, c, sizeof c, &nc) == P2F_OK && nc == na && memcmp(a, c, na) == 0;
  ok &= p2f_encoded_size(d, msg) == na;
  if (have_pdep) {
    ok &= p2f__encode_at(d, msg, b, sizeof b, &nb, 1) == P2F_OK && nb == na && memcmp(a, b, na) == 0;
  }
  for (int pdep = 0; pdep <= have_pdep; pdep++) {
    size_t w = 1;
    if (na > 0) ok &= p2f__encode_at(d, msg, b, na - 1, &w, pdep) == P2F_ERR_BUFFER_TOO_SMALL && w == 0;
    ok &= p2f__encode_at(d, msg, b, na, &w, pdep) == P2F_OK && w == na && memcmp(a, b, na) == 0;
    ok &= p2f__encode_at(d, msg, NULL, 0, &w, pdep) == (na ? P2F_ERR_BUFFER_TOO_SMALL : P2F_OK);
  }
  ok &= p2f_decode(d, copy, a, na) == P2F_OK;
  ok &= p2f_encode(d, copy, c, sizeof c, &nc) == P2F_OK && nc == na && memcmp(a, c, na) == 0;
  return ok;
}

int main(void) {
  int have_pdep = 0;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  __builtin_cpu_init();
  have_pdep = __builtin_cpu_supports("bmi2") != 0;
#endif
  printf("bmi2 %d; p2f_encode runs the %s code\n", have_pdep, p2f__encode_pdep() ? "BMI2" : "portable");
  CHECK(!p2f__encode_pdep() || have_pdep);
  static p2f_test_AllTypes all, all2;
  static p2f_test_Numeric num, num2;
  int ok = 1;
  for (int round = 0; round < 3000; round++) {
    fill(&p2f_test_AllTypes_desc, &all);
    ok &= check_message(&p2f_test_AllTypes_desc, &all, &all2, have_pdep);
    fill(&p2f_test_Numeric_desc, &num);
    ok &= check_message(&p2f_test_Numeric_desc, &num, &num2, have_pdep);
    if (!ok) {
      fprintf(stderr, "round %d: the builds differ\n", round);
      break;
    }
  }
  CHECK(ok);
  return CHECK_REPORT();
}
