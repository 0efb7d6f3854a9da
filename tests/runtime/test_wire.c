/* Unit tests of the wire primitives (proto2ffi/wire.h and runtime/src/wire.c; UTF-8
 * validation, declared in wire.h too, is tested by test_utf8.c). Expected bytes are the protobuf
 * encoding documentation's examples (150 -> 96 01; zigzag 0, -1, 1, -2 -> 0, 1, 2, 3; the
 * 10-byte encoding of -1) and values derived by hand from the format, not from the code. */
#include <string.h>

#include "../support/check.h"
#include "proto2ffi/wire.h"

static int encodes_to(uint64_t v, const char *bytes, size_t n) {
  uint8_t buf[16];
  uint8_t *p = buf;
  if (p2f_wire_write_varint(&p, buf + sizeof buf, v) != P2F_OK) return 0;
  return (size_t)(p - buf) == n && memcmp(buf, bytes, n) == 0 && p2f_wire_varint_size(v) == n;
}

static void test_varint(void) {
  CHECK(encodes_to(0, "\x00", 1));
  CHECK(encodes_to(1, "\x01", 1));
  CHECK(encodes_to(127, "\x7f", 1));
  CHECK(encodes_to(128, "\x80\x01", 2));
  CHECK(encodes_to(150, "\x96\x01", 2));
  CHECK(encodes_to(16384, "\x80\x80\x01", 3));
  CHECK(encodes_to(UINT64_MAX, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10));
  /* int32 -1 is sign-extended to 64 bits on the wire: ten bytes. */
  CHECK(encodes_to((uint64_t)(int64_t)-1, "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01", 10));

  const uint8_t ok[] = {0x96, 0x01, 0xAA};
  const uint8_t *p = ok;
  uint64_t v = 0;
  CHECK(p2f_wire_read_varint(&p, ok + 3, &v) == P2F_OK && v == 150 && p == ok + 2);

  /* Truncated: the input ends while the continuation bit is set; the cursor stays. */
  p = ok;
  CHECK(p2f_wire_read_varint(&p, ok + 1, &v) == P2F_ERR_TRUNCATED && p == ok);
  CHECK(p2f_wire_read_varint(&p, ok, &v) == P2F_ERR_TRUNCATED);

  /* Eleven bytes: longer than any varint. */
  const uint8_t eleven[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01};
  p = eleven;
  CHECK(p2f_wire_read_varint(&p, eleven + sizeof eleven, &v) == P2F_ERR_VARINT_OVERFLOW && p == eleven);
  /* Ten bytes is fine (non-canonical padding included). */
  const uint8_t ten[] = {0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  p = ten;
  CHECK(p2f_wire_read_varint(&p, ten + sizeof ten, &v) == P2F_OK && v == 1 && p == ten + 10);

  /* Writing into a buffer one byte too small writes nothing. */
  uint8_t out[2] = {0x55, 0x55};
  uint8_t *w = out;
  CHECK(p2f_wire_write_varint(&w, out + 1, 150) == P2F_ERR_BUFFER_TOO_SMALL && w == out && out[0] == 0x55);
}

static void test_zigzag(void) {
  CHECK(p2f_zigzag_encode32(0) == 0 && p2f_zigzag_encode32(-1) == 1);
  CHECK(p2f_zigzag_encode32(1) == 2 && p2f_zigzag_encode32(-2) == 3);
  CHECK(p2f_zigzag_encode32(INT32_MAX) == 0xFFFFFFFEu && p2f_zigzag_encode32(INT32_MIN) == 0xFFFFFFFFu);
  CHECK(p2f_zigzag_encode64(INT64_MAX) == UINT64_MAX - 1 && p2f_zigzag_encode64(INT64_MIN) == UINT64_MAX);
  const int32_t v32[] = {0, 1, -1, 2, -2, 1000, -1000, INT32_MAX, INT32_MIN};
  for (size_t i = 0; i < sizeof v32 / sizeof v32[0]; i++) CHECK(p2f_zigzag_decode32(p2f_zigzag_encode32(v32[i])) == v32[i]);
  const int64_t v64[] = {0, 1, -1, INT64_MAX, INT64_MIN, -4294967296LL};
  for (size_t i = 0; i < sizeof v64 / sizeof v64[0]; i++) CHECK(p2f_zigzag_decode64(p2f_zigzag_encode64(v64[i])) == v64[i]);
}

static void test_fixed(void) {
  uint8_t buf[12];
  uint8_t *w = buf;
  CHECK(p2f_wire_write_fixed32(&w, buf + 12, 0x01020304u) == P2F_OK);
  CHECK(p2f_wire_write_fixed64(&w, buf + 12, 0x1122334455667788ull) == P2F_OK);
  CHECK(memcmp(buf, "\x04\x03\x02\x01\x88\x77\x66\x55\x44\x33\x22\x11", 12) == 0); /* little-endian */
  const uint8_t *p = buf;
  uint32_t a = 0;
  uint64_t b = 0;
  CHECK(p2f_wire_read_fixed32(&p, buf + 12, &a) == P2F_OK && a == 0x01020304u);
  CHECK(p2f_wire_read_fixed64(&p, buf + 12, &b) == P2F_OK && b == 0x1122334455667788ull);
  p = buf;
  CHECK(p2f_wire_read_fixed64(&p, buf + 7, &b) == P2F_ERR_TRUNCATED && p == buf);
  CHECK(p2f_wire_read_fixed32(&p, buf + 3, &a) == P2F_ERR_TRUNCATED);
  w = buf;
  CHECK(p2f_wire_write_fixed64(&w, buf + 7, 1) == P2F_ERR_BUFFER_TOO_SMALL && w == buf);
}

static void test_tags_and_lengths(void) {
  /* Field 1, varint 150: 08 96 01 (the documentation's first example). */
  const uint8_t msg[] = {0x08, 0x96, 0x01};
  const uint8_t *p = msg;
  uint32_t field = 0;
  int wt = -1;
  CHECK(p2f_wire_read_tag(&p, msg + 3, &field, &wt) == P2F_OK && field == 1 && wt == P2F_WIRE_VARINT);
  /* Field 2, string "testing": 12 07 74 65 73 74 69 6e 67. */
  const uint8_t str[] = {0x12, 0x07, 't', 'e', 's', 't', 'i', 'n', 'g'};
  p = str;
  CHECK(p2f_wire_read_tag(&p, str + sizeof str, &field, &wt) == P2F_OK && field == 2 && wt == P2F_WIRE_LEN);
  const uint8_t *data = NULL;
  size_t len = 0;
  CHECK(p2f_wire_read_len(&p, str + sizeof str, &data, &len) == P2F_OK && len == 7 && memcmp(data, "testing", 7) == 0);
  CHECK(p == str + sizeof str);
  p = str + 1;
  CHECK(p2f_wire_read_len(&p, str + 8, &data, &len) == P2F_ERR_LENGTH_OVERFLOW && p == str + 1);

  const uint8_t zero_field[] = {0x00}; /* field 0 */
  p = zero_field;
  CHECK(p2f_wire_read_tag(&p, zero_field + 1, &field, &wt) == P2F_ERR_INVALID_FIELD_NUMBER);
  const uint8_t wt6[] = {0x0e}; /* field 1, wire type 6 */
  p = wt6;
  CHECK(p2f_wire_read_tag(&p, wt6 + 1, &field, &wt) == P2F_ERR_INVALID_WIRE_TYPE);
  /* The largest field number, 2^29 - 1, wire type 0: varint of 0xFFFFFFF8 = f8 ff ff ff 0f. */
  const uint8_t max_field[] = {0xf8, 0xff, 0xff, 0xff, 0x0f};
  p = max_field;
  CHECK(p2f_wire_read_tag(&p, max_field + 5, &field, &wt) == P2F_OK && field == P2F_WIRE_MAX_FIELD_NUMBER);
  const uint8_t over_field[] = {0x80, 0x80, 0x80, 0x80, 0x10}; /* field 2^29 */
  p = over_field;
  CHECK(p2f_wire_read_tag(&p, over_field + 5, &field, &wt) == P2F_ERR_INVALID_FIELD_NUMBER);

  uint8_t out[16];
  uint8_t *w = out;
  CHECK(p2f_wire_write_tag(&w, out + 16, 2, P2F_WIRE_LEN) == P2F_OK);
  CHECK(p2f_wire_write_bytes(&w, out + 16, "testing", 7) == P2F_OK);
  CHECK((size_t)(w - out) == sizeof str && memcmp(out, str, sizeof str) == 0);
  w = out;
  CHECK(p2f_wire_write_bytes(&w, out + 7, "testing", 7) == P2F_ERR_BUFFER_TOO_SMALL && w == out);
}

static void test_skip(void) {
  /* Each kind of value, then a marker byte the cursor must land on. */
  const uint8_t varint[] = {0x96, 0x01, 0xEE};
  const uint8_t i64[] = {1, 2, 3, 4, 5, 6, 7, 8, 0xEE};
  const uint8_t i32[] = {1, 2, 3, 4, 0xEE};
  const uint8_t len[] = {0x02, 'h', 'i', 0xEE};
  /* group 5 { field 1 varint 1, group 6 { field 2 fixed32 } } end 5: 08 01 33 15 00 00 00 00 34 2c */
  const uint8_t group[] = {0x08, 0x01, 0x33, 0x15, 0, 0, 0, 0, 0x34, 0x2c, 0xEE};
  struct {
    const uint8_t *buf;
    size_t n;
    int wt;
  } cases[] = {{varint, sizeof varint, 0}, {i64, sizeof i64, 1}, {i32, sizeof i32, 5}, {len, sizeof len, 2},
               {group, sizeof group, 3}};
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const uint8_t *p = cases[i].buf;
    CHECK(p2f_wire_skip(&p, cases[i].buf + cases[i].n, 5, cases[i].wt, 8) == P2F_OK && *p == 0xEE);
    p = cases[i].buf; /* without the marker and the last byte: truncated */
    p2f_status st = p2f_wire_skip(&p, cases[i].buf + cases[i].n - 2, 5, cases[i].wt, 8);
    CHECK(st == P2F_ERR_TRUNCATED || st == P2F_ERR_LENGTH_OVERFLOW);
    CHECK(p == cases[i].buf);
  }
  const uint8_t *p = group;
  CHECK(p2f_wire_skip(&p, group + sizeof group, 5, 3, 1) == P2F_ERR_NESTING_TOO_DEEP); /* nested group needs depth 2 */
  p = group;
  CHECK(p2f_wire_skip(&p, group + sizeof group, 7, 3, 8) == P2F_ERR_INVALID_WIRE_TYPE); /* ends with 5, not 7 */
  p = varint;
  CHECK(p2f_wire_skip(&p, varint + 3, 5, P2F_WIRE_EGROUP, 8) == P2F_ERR_INVALID_WIRE_TYPE); /* unmatched end */
}

int main(void) {
  test_varint();
  test_zigzag();
  test_fixed();
  test_tags_and_lengths();
  test_skip();
  return CHECK_REPORT();
}
