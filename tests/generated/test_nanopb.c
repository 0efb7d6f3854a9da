/* Generated code for the nanopb-annotated schemas of tests/schemas/nanopb: fields left out
 * with type:FT_IGNORE, integers narrowed or widened with int_size. Byte sequences follow the
 * protobuf encoding by hand. */
#include <limits.h>
#include <string.h>

#include "../support/check.h"
#include "ignore.ffi.h"
#include "intsize.ffi.h"

/* Ignored fields have no member and no tag macro; the fields around them do. */
#if !defined(p2f_np_Ignored_kept_TAG) || !defined(p2f_np_Ignored_a_TAG) || !defined(p2f_np_Ignored_nums_TAG)
#error "a kept field lost its tag macro"
#endif
#if defined(p2f_np_Ignored_dropped_TAG) || defined(p2f_np_Ignored_dropped_by_line_TAG) || \
    defined(p2f_np_Ignored_gone_TAG) || defined(p2f_np_Ignored_b_TAG) || defined(p2f_np_Ignored_c_TAG) || \
    defined(p2f_np_Ignored_dropped_map_TAG)
#error "an ignored field is in the generated header"
#endif

static void test_ignored_fields(void) {
  /* kept=1 (08 01), dropped=2 (10 02), text="hi" (1a 02), dropped_by_line="x" (22 01),
   * gone="y" (32 01, the oneof's ignored member), b=7 (38 07), c="z" (42 01),
   * dropped_map {"k": 1} (4a 05 0a 01 6b 10 01), nums [4] (50 04). */
  static const uint8_t in[] = {0x08, 0x01, 0x10, 0x02, 0x1a, 0x02, 'h', 'i', 0x22, 0x01, 'x', 0x32, 0x01, 'y',
                               0x38, 0x07, 0x42, 0x01, 'z', 0x4a, 0x05, 0x0a, 0x01, 'k',  0x10, 0x01, 0x50, 0x04};
  p2f_np_Ignored msg;
  CHECK(p2f_np_Ignored_decode(&msg, in, sizeof in) == P2F_OK);
  CHECK(msg.has_kept && msg.kept == 1);
  CHECK(msg.has_text && msg.text_len == 2 && strcmp(msg.text, "hi") == 0);
  CHECK(msg.which_choice == 0); /* only `gone` was on the wire: skipped */
  CHECK(msg.nums_count == 1 && msg.nums[0] == 4);
  /* Encoding writes the kept fields only. */
  static const uint8_t want[] = {0x08, 0x01, 0x1a, 0x02, 'h', 'i', 0x50, 0x04};
  uint8_t out[64];
  size_t n = 0;
  CHECK(p2f_np_Ignored_encode(&msg, out, sizeof out, &n) == P2F_OK);
  CHECK(n == sizeof want && memcmp(out, want, n) == 0);
  /* The oneof's remaining member still works: a = 5 (28 05). */
  static const uint8_t with_a[] = {0x32, 0x01, 'y', 0x28, 0x05};
  CHECK(p2f_np_Ignored_decode(&msg, with_a, sizeof with_a) == P2F_OK);
  CHECK(msg.which_choice == p2f_np_Ignored_a_TAG && msg.choice.a == 5);
  /* An ignored field is still checked as protobuf: a truncated one is an error. */
  static const uint8_t bad[] = {0x22, 0x05, 'x'};
  CHECK(p2f_np_Ignored_decode(&msg, bad, sizeof bad) == P2F_ERR_LENGTH_OVERFLOW);
}

/* ---- int_size ---------------------------------------------------------------------------- */

/* The members have nanopb's widths. */
_Static_assert(sizeof(((p2f_np_Sized *)0)->i8) == 1 && sizeof(((p2f_np_Sized *)0)->u16) == 2 &&
                   sizeof(((p2f_np_Sized *)0)->s32) == 4 && sizeof(((p2f_np_Sized *)0)->i64) == 8 &&
                   sizeof(((p2f_np_Sized *)0)->packed8[0]) == 1 && sizeof(((p2f_np_Sized *)0)->list16[0]) == 2 &&
                   sizeof(((p2f_np_Sized *)0)->pick.o8) == 1 && sizeof(((p2f_np_Sized *)0)->plain) == 4 &&
                   sizeof(((p2f_np_AllSmall *)0)->b[0]) == 2 && sizeof(((p2f_np_AllSmall *)0)->d) == 8,
               "int_size widths");

static size_t put_varint(uint8_t *p, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    p[n++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  p[n++] = (uint8_t)v;
  return n;
}

/* Field `number` as a varint of value v (a whole message of one field). */
static size_t one_varint(uint8_t *buf, uint32_t number, uint64_t v) {
  size_t n = put_varint(buf, (uint64_t)number << 3);
  return n + put_varint(buf + n, v);
}

static uint64_t zz(int64_t v) { return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63); }

static void test_int_size_round_trip(void) {
  p2f_np_Sized m, back;
  p2f_np_Sized_init(&m);
  CHECK(m.dflt == -100); /* the proto2 default at 8 bits */
  m.has_i8 = m.has_u8 = m.has_s8 = m.has_i16 = m.has_u16 = m.has_s16 = 1;
  m.has_i32 = m.has_u32 = m.has_s32 = m.has_i64 = m.has_u64 = m.has_s64 = 1;
  m.i8 = INT8_MIN;
  m.u8 = UINT8_MAX;
  m.s8 = INT8_MIN;
  m.i16 = INT16_MIN;
  m.u16 = UINT16_MAX;
  m.s16 = INT16_MAX;
  m.i32 = INT32_MIN;
  m.u32 = UINT32_MAX;
  m.s32 = INT32_MIN;
  m.i64 = (int64_t)1 << 40; /* an int32 field at 64 bits holds more, as in nanopb */
  m.u64 = (uint64_t)5000000000u;
  m.s64 = -((int64_t)1 << 40);
  m.packed8_count = 3;
  m.packed8[0] = 0;
  m.packed8[1] = 255;
  m.packed8[2] = 7;
  m.list16_count = 2;
  m.list16[0] = INT16_MIN;
  m.list16[1] = INT16_MAX;
  m.which_pick = p2f_np_Sized_o8_TAG;
  m.pick.o8 = -1;
  uint8_t buf[p2f_np_Sized_MAX_ENCODED_SIZE];
  size_t n = 0;
  CHECK(p2f_np_Sized_encode(&m, buf, sizeof buf, &n) == P2F_OK);
  CHECK(p2f_np_Sized_encoded_size(&m) == n);
  CHECK(p2f_np_Sized_decode(&back, buf, n) == P2F_OK);
  CHECK(back.i8 == INT8_MIN && back.u8 == UINT8_MAX && back.s8 == INT8_MIN);
  CHECK(back.i16 == INT16_MIN && back.u16 == UINT16_MAX && back.s16 == INT16_MAX);
  CHECK(back.i32 == INT32_MIN && back.u32 == UINT32_MAX && back.s32 == INT32_MIN);
  CHECK(back.i64 == (int64_t)1 << 40 && back.u64 == 5000000000u && back.s64 == -((int64_t)1 << 40));
  CHECK(back.packed8_count == 3 && back.packed8[1] == 255 && back.packed8[2] == 7);
  CHECK(back.list16_count == 2 && back.list16[0] == INT16_MIN && back.list16[1] == INT16_MAX);
  CHECK(back.which_pick == p2f_np_Sized_o8_TAG && back.pick.o8 == -1);
  CHECK(memcmp(&m, &back, sizeof m) == 0);

  /* The wire form is the type's: an int32 at 8 bits still sign-extends to ten bytes, a sint32
   * zigzags, a uint32 at 8 bits is its unsigned value. */
  p2f_np_Sized_init(&m);
  m.has_dflt = 0;
  m.has_i8 = 1;
  m.i8 = -1;
  static const uint8_t i8_minus1[] = {0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  CHECK(p2f_np_Sized_encode(&m, buf, sizeof buf, &n) == P2F_OK && n == sizeof i8_minus1 &&
        memcmp(buf, i8_minus1, n) == 0);
  p2f_np_Sized_init(&m);
  m.has_s8 = 1;
  m.s8 = -1;
  m.has_u8 = 1;
  m.u8 = 200;
  static const uint8_t small[] = {0x10, 0xc8, 0x01, 0x18, 0x01};
  CHECK(p2f_np_Sized_encode(&m, buf, sizeof buf, &n) == P2F_OK && n == sizeof small && memcmp(buf, small, n) == 0);
}

static void test_int_size_out_of_range(void) {
  const struct {
    uint32_t number;
    uint64_t v;
    p2f_status want;
  } cases[] = {
      {1, 127, P2F_OK},
      {1, 128, P2F_ERR_INTEGER_RANGE},
      {1, (uint64_t)-128, P2F_OK},
      {1, (uint64_t)-129, P2F_ERR_INTEGER_RANGE},
      {2, 255, P2F_OK},
      {2, 256, P2F_ERR_INTEGER_RANGE},
      {3, zz(-128), P2F_OK},
      {3, zz(128), P2F_ERR_INTEGER_RANGE},
      {4, (uint64_t)-32769, P2F_ERR_INTEGER_RANGE},
      {5, 65536, P2F_ERR_INTEGER_RANGE},
      {6, zz(32768), P2F_ERR_INTEGER_RANGE},
      {7, (uint64_t)INT32_MAX + 1, P2F_ERR_INTEGER_RANGE},
      {8, (uint64_t)UINT32_MAX + 1, P2F_ERR_INTEGER_RANGE},
      {8, UINT32_MAX, P2F_OK},
      {9, zz((int64_t)INT32_MIN - 1), P2F_ERR_INTEGER_RANGE},
      {10, UINT64_MAX, P2F_OK}, /* 64 bits hold any varint */
      {14, zz(40000), P2F_ERR_INTEGER_RANGE}, /* one unpacked element */
      {15, 200, P2F_ERR_INTEGER_RANGE},       /* a oneof member */
      {16, 65535, P2F_OK},
      {17, 1000, P2F_ERR_INTEGER_RANGE},
      {18, (uint64_t)1 << 33, P2F_OK}, /* int32 at its own width: protobuf's truncation */
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    uint8_t buf[24];
    size_t n = one_varint(buf, cases[i].number, cases[i].v);
    p2f_np_Sized m;
    p2f_status st = p2f_np_Sized_decode(&m, buf, n);
    if (st != cases[i].want) {
      fprintf(stderr, "case %zu (field %u): %s, expected %s\n", i, cases[i].number, p2f_status_name(st),
              p2f_status_name(cases[i].want));
    }
    CHECK(st == cases[i].want);
    if (st != P2F_OK) CHECK(m.dflt == -100 && !m.has_i8); /* re-initialised */
  }
  /* A packed run with one element too large for 8 bits. */
  static const uint8_t packed[] = {0x6a, 0x03, 0x01, 0x80, 0x02};
  p2f_np_Sized m;
  CHECK(p2f_np_Sized_decode(&m, packed, sizeof packed) == P2F_ERR_INTEGER_RANGE);
  static const uint8_t packed_ok[] = {0x6a, 0x03, 0x01, 0xff, 0x01};
  CHECK(p2f_np_Sized_decode(&m, packed_ok, sizeof packed_ok) == P2F_OK && m.packed8_count == 2 &&
        m.packed8[1] == 255);
  CHECK(strcmp(p2f_status_name(P2F_ERR_INTEGER_RANGE), "ERR_INTEGER_RANGE") == 0);
}

int main(void) {
  test_ignored_fields();
  test_int_size_round_trip();
  test_int_size_out_of_range();
  return CHECK_REPORT();
}
