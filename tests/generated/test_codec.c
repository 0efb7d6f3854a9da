/* The generated wire codec (T_decode / T_encode / T_encoded_size) on the all-types schema:
 * byte sequences derived by hand from the protobuf encoding rules, protobuf's merge
 * semantics, round trips, and one test per class of bad input with its exact status. */
#include <string.h>

#include "../support/check.h"
#include "../support/defined.h"
#include "alltypes.ffi.h"
#include "legacy.ffi.h"

#define BYTES(...) ((const uint8_t[]){__VA_ARGS__}), sizeof((const uint8_t[]){__VA_ARGS__})

static int encodes_as(const p2f_test_AllTypes *m, const uint8_t *want, size_t n) {
  uint8_t buf[256];
  size_t written = 0;
  if (p2f_test_AllTypes_encode(m, buf, sizeof buf, &written) != P2F_OK) return 0;
  return written == n && (n == 0 || memcmp(buf, want, n) == 0) && p2f_test_AllTypes_encoded_size(m) == n;
}

static void test_known_bytes(void) {
  p2f_common_Point pt;
  p2f_common_Point_init(&pt);
  pt.x = -1; /* sint32: zigzag 1 */
  pt.y = 2;  /* zigzag 4 */
  uint8_t buf[16];
  size_t n = 0;
  CHECK(p2f_common_Point_encode(&pt, buf, sizeof buf, &n) == P2F_OK && n == 4 && memcmp(buf, "\x08\x01\x10\x04", 4) == 0);

  p2f_test_AllTypes m;
  p2f_test_AllTypes_init(&m);
  CHECK(encodes_as(&m, NULL, 0)); /* proto3 defaults are not written */
  m.f_int32 = 150;                /* field 3 varint: 18 96 01 */
  CHECK(encodes_as(&m, BYTES(0x18, 0x96, 0x01)));
  m.f_int32 = -1; /* negative int32: ten-byte varint */
  CHECK(encodes_as(&m, BYTES(0x18, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01)));
  p2f_test_AllTypes_init(&m);
  m.f_string_len = 7; /* field 14, length-delimited: 72 07 "testing" */
  memcpy(m.f_string, "testing", 8);
  CHECK(encodes_as(&m, BYTES(0x72, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g')));
  p2f_test_AllTypes_init(&m);
  m.r_int32_count = 3; /* field 33 packed: tag 266 = 8a 02, length 3, 01 02 03 */
  m.r_int32[0] = 1, m.r_int32[1] = 2, m.r_int32[2] = 3;
  CHECK(encodes_as(&m, BYTES(0x8a, 0x02, 0x03, 0x01, 0x02, 0x03)));
  p2f_test_AllTypes_init(&m);
  m.r_int32_unpacked_count = 2; /* field 46, [packed = false]: f0 02 01 f0 02 02 */
  m.r_int32_unpacked[0] = 1, m.r_int32_unpacked[1] = 2;
  CHECK(encodes_as(&m, BYTES(0xf0, 0x02, 0x01, 0xf0, 0x02, 0x02)));
  p2f_test_AllTypes_init(&m);
  m.f_double = -0.0; /* -0.0 differs from the default bit for bit: written */
  CHECK(encodes_as(&m, BYTES(0x09, 0, 0, 0, 0, 0, 0, 0, 0x80)));
  p2f_test_AllTypes_init(&m);
  m.has_o_int32 = 1; /* explicit presence: a set 0 is written */
  CHECK(encodes_as(&m, BYTES(0xe0, 0x03, 0x00)));
  p2f_test_AllTypes_init(&m);
  m.f_max_tag = 1; /* field 536870911: tag f8 ff ff ff 0f */
  CHECK(encodes_as(&m, BYTES(0xf8, 0xff, 0xff, 0xff, 0x0f, 0x01)));
}

static void test_decode_semantics(void) {
  p2f_test_AllTypes m;
  /* Packed and unpacked both accepted, whatever the schema says; repeated fields append. */
  CHECK(p2f_test_AllTypes_decode(&m, BYTES(0x88, 0x02, 0x07, 0x8a, 0x02, 0x02, 0x08, 0x09)) == P2F_OK);
  CHECK(m.r_int32_count == 3 && m.r_int32[0] == 7 && m.r_int32[1] == 8 && m.r_int32[2] == 9);
  /* A scalar seen twice keeps the last value. */
  CHECK(p2f_test_AllTypes_decode(&m, BYTES(0x18, 0x01, 0x18, 0x02)) == P2F_OK && m.f_int32 == 2);
  /* A submessage seen twice is merged (o_inner = 65: a = 5, then s = "x"). */
  CHECK(p2f_test_AllTypes_decode(&m, BYTES(0x8a, 0x04, 0x02, 0x08, 0x05, 0x8a, 0x04, 0x03, 0x12, 0x01, 'x')) == P2F_OK);
  CHECK(m.has_o_inner && m.o_inner.a == 5 && m.o_inner.s_len == 1 && m.o_inner.s[0] == 'x');
  /* Unknown fields are skipped, groups included: field 99 varint, field 98 group { 1: 1 }. */
  CHECK(p2f_test_AllTypes_decode(&m, BYTES(0x98, 0x06, 0x05, 0x93, 0x06, 0x08, 0x01, 0x94, 0x06, 0x18, 0x03)) == P2F_OK);
  CHECK(m.f_int32 == 3);
  /* A repeated key in a map replaces the earlier entry (m_string_int32 = 1000). */
  CHECK(p2f_test_AllTypes_decode(&m, BYTES(0xc2, 0x3e, 0x05, 0x0a, 0x01, 'k', 0x10, 0x01, 0xc2, 0x3e, 0x05, 0x0a,
                                           0x01, 'k', 0x10, 0x02)) == P2F_OK);
  CHECK(m.m_string_int32_count == 1 && m.m_string_int32[0].value == 2);
  /* Proto3 open enums keep unknown values. */
  CHECK(p2f_test_AllTypes_decode(&m, BYTES(0x80, 0x01, 0x2a)) == P2F_OK && m.f_color == 42);

  /* proto2: an unknown value of a closed enum is dropped; a missing required field fails. */
  p2f_legacy_Legacy l;
  CHECK(p2f_legacy_Legacy_decode(&l, BYTES(0x08, 0x01, 0x12, 0x01, 'n', 0x90, 0x02, 0x09)) == P2F_OK);
  CHECK(l.d_level == p2f_legacy_Level_LEVEL_HIGH && !l.has_d_level); /* 9 is not a Level: default kept */
  CHECK(p2f_legacy_Legacy_decode(&l, BYTES(0x08, 0x01)) == P2F_ERR_MISSING_REQUIRED);
}

static void fill(p2f_test_AllTypes *m) {
  p2f_test_AllTypes_init(m);
  m->f_double = 3.5, m->f_float = -1.25f, m->f_int32 = -7, m->f_int64 = INT64_MIN, m->f_uint32 = UINT32_MAX;
  m->f_uint64 = UINT64_MAX, m->f_sint32 = INT32_MIN, m->f_sint64 = -3, m->f_fixed32 = 9, m->f_fixed64 = 1ull << 40;
  m->f_sfixed32 = -9, m->f_sfixed64 = -(1ll << 40), m->f_bool = 1;
  m->f_string_len = 6, memcpy(m->f_string, "h\xc3\xa9llo", 7);
  m->f_bytes_len = 3, memcpy(m->f_bytes, "\x00\xff\x01", 3);
  m->f_color = p2f_common_Color_COLOR_BLUE; /* -3: negative enum */
  m->has_f_point = 1, m->f_point.x = -5, m->f_point.y = 6;
  m->r_string_count = 2, m->r_string_len[0] = 2, memcpy(m->r_string[0], "ab", 3), m->r_string_len[1] = 0;
  m->r_sint64_count = 2, m->r_sint64[0] = -1, m->r_sint64[1] = INT64_MAX;
  m->r_double_count = 1, m->r_double[0] = 2.5;
  m->r_inner_count = 1, m->r_inner[0].a = 4;
  m->has_o_string = 1; /* present and empty */
  m->which_choice = p2f_test_AllTypes_c_string_TAG;
  m->choice.c_string.len = 2, memcpy(m->choice.c_string.data, "hi", 3);
  m->m_int32_string_count = 1, m->m_int32_string[0].key = -8, m->m_int32_string[0].value_len = 1;
  memcpy(m->m_int32_string[0].value, "v", 2);
  m->f_max_tag = 77;
}

static void test_round_trip(void) {
  static p2f_test_AllTypes a, b;
  static uint8_t buf[p2f_test_AllTypes_MAX_ENCODED_SIZE];
  fill(&a);
  size_t n = 0;
  CHECK(p2f_test_AllTypes_encode(&a, buf, sizeof buf, &n) == P2F_OK);
  CHECK(n == p2f_test_AllTypes_encoded_size(&a) && n <= p2f_test_AllTypes_MAX_ENCODED_SIZE);
  CHECK(p2f_test_AllTypes_decode(&b, buf, n) == P2F_OK);
  CHECK(memcmp(&a, &b, sizeof a) == 0);
  /* Every prefix is either a complete message or an error; none reads past its end. */
  for (size_t k = 0; k < n; k++) {
    p2f_status st = p2f_test_AllTypes_decode(&b, buf, k);
    CHECK(st == P2F_OK || st == P2F_ERR_TRUNCATED || st == P2F_ERR_LENGTH_OVERFLOW);
  }
  /* Output buffers one byte short fail, for every field boundary too. */
  size_t w = 0;
  CHECK(p2f_test_AllTypes_encode(&a, buf, n - 1, &w) == P2F_ERR_BUFFER_TOO_SMALL && w == 0);
  CHECK(p2f_test_AllTypes_encode(&a, NULL, 0, &w) == P2F_ERR_BUFFER_TOO_SMALL);
}

static void test_bad_input(void) {
  static p2f_test_AllTypes m, fresh;
  p2f_test_AllTypes_init(&fresh);
  struct {
    const uint8_t *bytes;
    size_t n;
    p2f_status want;
    const char *what;
  } cases[] = {
      {BYTES(0x18), P2F_ERR_TRUNCATED, "tag without its value"},
      {BYTES(0x18, 0x96), P2F_ERR_TRUNCATED, "varint cut short"},
      {BYTES(0x09, 1, 2, 3), P2F_ERR_TRUNCATED, "fixed64 cut short"},
      {BYTES(0x18, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01), P2F_ERR_VARINT_OVERFLOW, "11-byte varint"},
      {BYTES(0x72, 0x05, 'a', 'b'), P2F_ERR_LENGTH_OVERFLOW, "length past the end"},
      {BYTES(0x72, 0x21, 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a',
             'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'),
       P2F_ERR_STRING_TOO_LONG, "33-byte string in a 32-byte field"},
      {BYTES(0x8a, 0x02, 0x05, 1, 2, 3, 4, 5), P2F_ERR_TOO_MANY_ELEMENTS, "5 packed elements, capacity 4"},
      {BYTES(0xf0, 0x02, 1, 0xf0, 0x02, 2, 0xf0, 0x02, 3, 0xf0, 0x02, 4, 0xf0, 0x02, 5), P2F_ERR_TOO_MANY_ELEMENTS,
       "5 unpacked elements, capacity 4"},
      {BYTES(0x72, 0x02, 0xc3, 0x28), P2F_ERR_INVALID_UTF8, "invalid UTF-8 in a proto3 string"},
      {BYTES(0x1d, 1, 2, 3, 4), P2F_ERR_WIRE_TYPE_MISMATCH, "int32 field sent as fixed32"},
      {BYTES(0x00, 0x01), P2F_ERR_INVALID_FIELD_NUMBER, "field number 0"},
      {BYTES(0x1f), P2F_ERR_INVALID_WIRE_TYPE, "wire type 7"},
      {BYTES(0x1c), P2F_ERR_WIRE_TYPE_MISMATCH, "end-group wire type on a known int32 field"},
      {BYTES(0x9c, 0x06), P2F_ERR_INVALID_WIRE_TYPE, "end group of unknown field 99 with no group open"},
  };
  const p2f_decode_options zero_fill = {NULL, P2F_DECODE_ZERO_FILL, 0};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    memset(&m, 0x5A, sizeof m);
    p2f_status st = p2f_test_AllTypes_decode(&m, cases[i].bytes, cases[i].n);
    if (st != cases[i].want) fprintf(stderr, "case '%s': got %s\n", cases[i].what, p2f_status_name(st));
    CHECK(st == cases[i].want);
    CHECK(defined_equal(&p2f_test_AllTypes_desc, &m, &fresh)); /* re-initialised after the failure */
    /* With zero fill, every byte: as T_init left it. */
    memset(&m, 0x5A, sizeof m);
    CHECK(p2f_decode_ex(&p2f_test_AllTypes_desc, &m, cases[i].bytes, cases[i].n, &zero_fill) == cases[i].want);
    CHECK(memcmp(&m, &fresh, sizeof m) == 0);
  }
  /* Nesting: groups of unknown field 99 (start 9b 06, end 9c 06), 120 deep, exceed the limit
   * (P2F_DEFAULT_MAX_DEPTH, 100); 10 deep are skipped. */
  uint8_t deep[480];
  for (int i = 0; i < 120; i++) {
    deep[2 * i] = 0x9b, deep[2 * i + 1] = 0x06;
    deep[478 - 2 * i] = 0x9c, deep[479 - 2 * i] = 0x06;
  }
  CHECK(p2f_test_AllTypes_decode(&m, deep, 480) == P2F_ERR_NESTING_TOO_DEEP);
  CHECK(p2f_test_AllTypes_decode(&m, deep + 220, 40) == P2F_OK);
  CHECK(p2f_test_AllTypes_decode(NULL, deep, 1) == P2F_ERR_INVALID_ARGUMENT);
  CHECK(p2f_test_AllTypes_decode(&m, NULL, 0) == P2F_OK);
}

static void test_table(void) {
  const p2f_message_info *info = p2f_file_find(alltypes_proto_file_info(), "p2f.test.AllTypes");
  CHECK(info && info->decode && info->encode && info->encoded_size);
  if (!info) return;
  static p2f_test_AllTypes a, b;
  static uint8_t buf[p2f_test_AllTypes_MAX_ENCODED_SIZE];
  fill(&a);
  size_t n = 0;
  CHECK(info->encode(&a, buf, sizeof buf, &n) == P2F_OK && n == info->encoded_size(&a));
  CHECK(info->decode(&b, buf, n) == P2F_OK && memcmp(&a, &b, sizeof a) == 0);
}

int main(void) {
  test_known_bytes();
  test_decode_semantics();
  test_round_trip();
  test_bad_input();
  test_table();
  return CHECK_REPORT();
}
