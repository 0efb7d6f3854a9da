/* The generated speed tables of the codec (proto2ffi/codec.h): each message's dispatch table
 * against its field table and the documented extent, each field's encoded tag against its
 * number and wire type, each field's expected next tag against the next field's tag, each
 * field's decoding routine against the rule codec.h gives, decoding of input in any field
 * order and with unknown numbers inside and past the table, packed fields in every form
 * and with bad runs against the general path, and submessages whose length
 * prefix takes more than one byte, encoded in one pass into exact and one-byte-short
 * buffers. */
#include <stdio.h>
#include <string.h>

#include "../support/check.h"
#include "alltypes.ffi.h"
#include "legacy.ffi.h"
#include "proto2ffi/wire.h"

/* The table the documentation describes, built from the field table alone. */
static void check_dispatch(const p2f_msg_desc *d) {
  uint32_t bound = 4 * d->field_count > P2F_DISPATCH_MIN ? 4 * d->field_count : P2F_DISPATCH_MIN;
  if (bound > P2F_DISPATCH_MAX) bound = P2F_DISPATCH_MAX;
  uint32_t want_len = 0;
  for (uint32_t i = 0; i < d->field_count; i++) {
    if (d->fields[i].number <= bound) want_len = d->fields[i].number + 1;
  }
  CHECK(d->dispatch_len == want_len);
  CHECK((d->dispatch == NULL) == (want_len == 0));
  for (uint32_t n = 0; n < d->dispatch_len; n++) {
    unsigned e = d->dispatch[n];
    uint32_t found = UINT32_MAX;
    for (uint32_t i = 0; i < d->field_count; i++) {
      if (d->fields[i].number == n) found = i;
    }
    if (found == UINT32_MAX) {
      CHECK(e == 0);
    } else {
      CHECK(e == found + 1);
    }
  }
  CHECK(d->reserved_ == 0);
}

/* tag[0..tag_len) must be the one varint of number << 3 | wire type (2 when packed). */
static void check_tags(const p2f_msg_desc *d) {
  for (uint32_t i = 0; i < d->field_count; i++) {
    const p2f_field_desc *f = &d->fields[i];
    unsigned wt = (f->flags & P2F_FF_PACKED) ? P2F_WIRE_LEN : P2F_FIELD_WIRE_TYPE(f->wire);
    CHECK(f->tag_len >= 1 && f->tag_len <= 5);
    const uint8_t *p = f->tag;
    uint64_t v = 0;
    CHECK(p2f_wire_read_varint(&p, f->tag + f->tag_len, &v) == P2F_OK && p == f->tag + f->tag_len);
    CHECK(v == ((uint64_t)f->number << 3 | wt));
  }
}

/* Each field's decoding routine (p2f_field_desc.kind) as codec.h describes it, from the rest
 * of the field's descriptor: the protobuf type's routine for an inline singular or optional
 * field without a closed enum, int_size or fixed_length, with P2F_FK_HAS where it has a has_
 * flag; P2F_FK_PACKED for an inline packed repeated field without fixed_count; 0 for every
 * other field. */
static void check_kinds(const p2f_msg_desc *d) {
  for (uint32_t i = 0; i < d->field_count; i++) {
    const p2f_field_desc *f = &d->fields[i];
    unsigned want = P2F_FK_GENERAL;
    int eligible = (f->label == P2F_FL_SINGULAR || f->label == P2F_FL_OPTIONAL) &&
                   !(f->flags & (P2F_FF_OUT | P2F_FF_CLOSED_ENUM | P2F_FF_INT_SIZE | P2F_FF_FIXED_LENGTH));
    if (eligible) {
      switch (f->type) {
        case P2F_FT_INT64: case P2F_FT_UINT64: want = P2F_FK_VARINT64; break;
        case P2F_FT_INT32: case P2F_FT_UINT32: case P2F_FT_ENUM: want = P2F_FK_VARINT32; break;
        case P2F_FT_SINT64: want = P2F_FK_ZIGZAG64; break;
        case P2F_FT_SINT32: want = P2F_FK_ZIGZAG32; break;
        case P2F_FT_BOOL: want = P2F_FK_BOOL; break;
        case P2F_FT_DOUBLE: case P2F_FT_FIXED64: case P2F_FT_SFIXED64: want = P2F_FK_FIXED64; break;
        case P2F_FT_FLOAT: case P2F_FT_FIXED32: case P2F_FT_SFIXED32: want = P2F_FK_FIXED32; break;
        case P2F_FT_STRING: want = (f->flags & P2F_FF_UTF8) ? P2F_FK_STRING_UTF8 : P2F_FK_STRING; break;
        case P2F_FT_BYTES: want = P2F_FK_BYTES; break;
        case P2F_FT_MESSAGE: want = P2F_FK_MESSAGE; break;
        default: break;
      }
      if (f->label == P2F_FL_OPTIONAL && f->aux_offset != P2F_NO_OFFSET) want |= P2F_FK_HAS;
    }
    if (f->label == P2F_FL_REPEATED && (f->flags & P2F_FF_PACKED) && !(f->flags & (P2F_FF_OUT | P2F_FF_FIXED_COUNT))) {
      want = P2F_FK_PACKED;
    }
    CHECK(f->kind == want);
  }
}

/* next_tag (codec.h): the next field's tag when that is one byte, 0 when it is longer and in
 * the last field. */
static void check_next_tags(const p2f_msg_desc *d) {
  for (uint32_t i = 0; i < d->field_count; i++) {
    const p2f_field_desc *f = &d->fields[i];
    if (i + 1 < d->field_count) CHECK(f->number < f[1].number); /* the table is in number order */
    unsigned want = i + 1 < d->field_count && f[1].tag_len == 1 ? f[1].tag[0] : 0;
    CHECK(f->next_tag == want);
  }
}

static void walk(const p2f_msg_desc *d, int depth) {
  check_dispatch(d);
  check_tags(d);
  check_kinds(d);
  check_next_tags(d);
  for (uint32_t i = 0; i < d->field_count && depth < 8; i++) {
    if (d->fields[i].sub && d->fields[i].sub != d) walk(d->fields[i].sub, depth + 1);
  }
}

static void fill(p2f_test_AllTypes *m) {
  p2f_test_AllTypes_init(m);
  m->f_int32 = -7, m->f_uint64 = UINT64_MAX, m->f_sint32 = INT32_MIN, m->f_fixed64 = 1ull << 40, m->f_bool = 1;
  m->f_string_len = 32, memcpy(m->f_string, "abcdefghijklmnopqrstuvwxyz012345", 33);
  m->f_bytes_len = 32, memset(m->f_bytes, 0xab, 32);
  m->has_f_inner = 1, m->f_inner.a = 3, m->f_inner.s_len = 8, memcpy(m->f_inner.s, "12345678", 9);
  m->has_f_point = 1, m->f_point.x = -5, m->f_point.y = 6;
  m->r_int32_unpacked_count = 3, m->r_int32_unpacked[0] = 1, m->r_int32_unpacked[1] = -2, m->r_int32_unpacked[2] = 3;
  m->r_sint64_count = 4;
  for (int i = 0; i < 4; i++) m->r_sint64[i] = (int64_t)i * 1000003 - 7;
  m->r_inner_count = 2, m->r_inner[0].a = 4, m->r_inner[1].a = 5;
  m->which_choice = p2f_test_AllTypes_c_string_TAG;
  m->choice.c_string.len = 2, memcpy(m->choice.c_string.data, "hi", 3);
  m->m_int32_string_count = 1, m->m_int32_string[0].key = -8, m->m_int32_string[0].value_len = 1;
  memcpy(m->m_int32_string[0].value, "v", 2);
  m->f_max_tag = 77;
}

typedef struct record {
  uint32_t number;
  const uint8_t *start;
  size_t len;
} record;

/* Splits an encoding into its records (tag and payload). */
static size_t split(const uint8_t *buf, size_t n, record *out, size_t cap) {
  const uint8_t *p = buf, *end = buf + n;
  size_t k = 0;
  while (p < end && k < cap) {
    const uint8_t *start = p;
    uint32_t number;
    int wt;
    if (p2f_wire_read_tag(&p, end, &number, &wt) != P2F_OK) return 0;
    if (p2f_wire_skip(&p, end, number, wt, 10) != P2F_OK) return 0;
    out[k].number = number, out[k].start = start, out[k].len = (size_t)(p - start);
    k++;
  }
  return k;
}

static uint8_t *put_unknown(uint8_t *p, uint32_t number) {
  uint8_t *end = p + 16;
  p2f_wire_write_tag(&p, end, number, P2F_WIRE_VARINT);
  p2f_wire_write_varint(&p, end, 300);
  p2f_wire_write_tag(&p, end, number, P2F_WIRE_LEN);
  p2f_wire_write_varint(&p, end, 2);
  *p++ = 'x';
  *p++ = 'y';
  return p;
}

/* d without its speed tables: dispatch, tags, next tags, routines and zero ranges removed
 * (fields: room for cap descriptors), which decodes and encodes by the general path alone. */
static p2f_msg_desc plain_copy(const p2f_msg_desc *d, p2f_field_desc *fields, uint32_t cap) {
  CHECK(d->field_count <= cap);
  for (uint32_t i = 0; i < d->field_count && i < cap; i++) {
    fields[i] = d->fields[i];
    fields[i].tag_len = 0;
    fields[i].kind = P2F_FK_GENERAL;
    fields[i].next_tag = 0;
  }
  p2f_msg_desc plain = *d;
  plain.fields = fields;
  plain.dispatch = NULL;
  plain.dispatch_len = 0;
  plain.zero_ranges = NULL;
  plain.zero_count = 0;
  plain.flags &= ~(uint32_t)P2F_MF_NO_REQUIRED;
  return plain;
}

/* The records in descending number order (records of one field keep their order), unknown
 * fields in the dispatch table's gaps and past it interleaved: the same message. */
static void test_any_order(void) {
  static p2f_test_AllTypes a, b;
  static uint8_t buf[p2f_test_AllTypes_MAX_ENCODED_SIZE], shuffled[p2f_test_AllTypes_MAX_ENCODED_SIZE + 512],
      again[p2f_test_AllTypes_MAX_ENCODED_SIZE];
  static record recs[256];
  fill(&a);
  size_t n = 0;
  CHECK(p2f_test_AllTypes_encode(&a, buf, sizeof buf, &n) == P2F_OK);
  size_t k = split(buf, n, recs, 256);
  CHECK(k > 10);
  const p2f_msg_desc *d = &p2f_test_AllTypes_desc;
  /* a number in a gap of the table, one past it below the sparse fields, one above all */
  uint32_t gap = 0;
  for (uint32_t i = 1; i < d->dispatch_len && gap == 0; i++) {
    if (d->dispatch[i] == 0) gap = i;
  }
  CHECK(gap != 0 && d->dispatch_len < 999);
  uint8_t *q = shuffled;
  for (uint32_t done = 0; done < k;) {
    uint32_t top = 0; /* the largest number left */
    for (size_t i = 0; i < k; i++) {
      if (recs[i].len && recs[i].number > top) top = recs[i].number;
    }
    for (size_t i = 0; i < k; i++) {
      if (recs[i].len && recs[i].number == top) {
        memcpy(q, recs[i].start, recs[i].len);
        q += recs[i].len;
        recs[i].len = 0;
        done++;
      }
    }
    if (done % 3 == 0) q = put_unknown(q, gap);
    if (done % 4 == 0) q = put_unknown(q, 999);
    if (done % 5 == 0) q = put_unknown(q, 100000);
  }
  CHECK(p2f_test_AllTypes_decode(&b, shuffled, (size_t)(q - shuffled)) == P2F_OK);
  size_t m = 0;
  CHECK(p2f_test_AllTypes_encode(&b, again, sizeof again, &m) == P2F_OK && m == n && memcmp(again, buf, n) == 0);
  /* the same through a table that has dispatch, tags, next tags, routines and zero ranges
   * removed: identical results */
  static p2f_field_desc plain_fields[128];
  p2f_msg_desc plain = plain_copy(d, plain_fields, 128);
  CHECK(p2f_decode(&plain, &b, shuffled, (size_t)(q - shuffled)) == P2F_OK);
  CHECK(p2f_encode(&plain, &b, again, sizeof again, &m) == P2F_OK && m == n && memcmp(again, buf, n) == 0);
  CHECK(p2f_encoded_size(&plain, &b) == n);
}

/* Wrapper.all is one submessage of more than 127 bytes: its length takes two bytes, which the
 * one-pass encoder makes room for after writing it. */
static void test_long_submessage(void) {
  static p2f_test_Wrapper w, back;
  static uint8_t buf[p2f_test_Wrapper_MAX_ENCODED_SIZE + 16], inner[p2f_test_AllTypes_MAX_ENCODED_SIZE];
  p2f_test_Wrapper_init(&w);
  w.has_all = 1;
  fill(&w.all);
  size_t in = 0, n = 0, got = 0;
  CHECK(p2f_test_AllTypes_encode(&w.all, inner, sizeof inner, &in) == P2F_OK);
  CHECK(in >= 128 && in < 16384);
  CHECK(p2f_test_Wrapper_encode(&w, buf, sizeof buf, &n) == P2F_OK);
  CHECK(n == 1 + 2 + in && n == p2f_test_Wrapper_encoded_size(&w));
  CHECK(buf[0] == 0x0a && buf[1] == (uint8_t)(in | 0x80) && buf[2] == (uint8_t)(in >> 7));
  CHECK(memcmp(buf + 3, inner, in) == 0);
  CHECK(p2f_test_Wrapper_decode(&back, buf, n) == P2F_OK && memcmp(&back.all, &w.all, sizeof w.all) == 0);
  /* exact room succeeds; one byte less fails (the body fits, the longer prefix does not) */
  static uint8_t exact[p2f_test_Wrapper_MAX_ENCODED_SIZE + 16];
  memset(exact, 0xee, sizeof exact);
  CHECK(p2f_test_Wrapper_encode(&w, exact, n, &got) == P2F_OK && got == n && memcmp(exact, buf, n) == 0);
  CHECK(exact[n] == 0xee);
  CHECK(p2f_test_Wrapper_encode(&w, exact, n - 1, &got) == P2F_ERR_BUFFER_TOO_SMALL && got == 0);
  CHECK(p2f_test_Wrapper_encode(&w, exact, in + 1, &got) == P2F_ERR_BUFFER_TOO_SMALL && got == 0);
}

/* Numeric's fields are packed and numbered 1-5 (P2F_FK_PACKED, one-byte tags): decoding
 * input in every form a parser must accept, and bad input, through the generated table and
 * through its plain copy gives the same status and the same struct, and the values written. */
typedef struct packed_case {
  const char *name;
  uint8_t bytes[512];
  size_t len;
  p2f_status want;
  p2f_test_Numeric values; /* for P2F_OK: the message the bytes hold */
} packed_case;

static void put_byte(packed_case *c, uint8_t b) {
  CHECK(c->len < sizeof c->bytes);
  if (c->len < sizeof c->bytes) c->bytes[c->len++] = b;
}

static void put_var(packed_case *c, uint64_t v) {
  while (v >= 0x80) {
    put_byte(c, (uint8_t)(v | 0x80));
    v >>= 7;
  }
  put_byte(c, (uint8_t)v);
}

/* int32s values from `from` on: a run of n packed (tag 0x1a, length, varints) or n unpacked
 * (tag 0x18 each), appended to the expected values. */
static void put_int32s(packed_case *c, int packed, int32_t from, uint32_t n) {
  uint8_t run[256];
  size_t k = 0;
  for (uint32_t i = 0; i < n; i++) {
    int32_t v = (from + (int32_t)i) * ((i % 3) ? 1 : -1000003); /* 1- to 10-byte varints */
    if (c->values.int32s_count < 64) c->values.int32s[c->values.int32s_count] = v;
    c->values.int32s_count++;
    if (!packed) put_byte(c, 0x18), put_var(c, (uint64_t)(int64_t)v);
    else {
      for (uint64_t u = (uint64_t)(int64_t)v; k < sizeof run; u >>= 7) {
        run[k++] = (uint8_t)(u >= 0x80 ? (u | 0x80) : u);
        if (u < 0x80) break;
      }
    }
  }
  if (packed) {
    put_byte(c, 0x1a), put_var(c, k);
    for (size_t i = 0; i < k; i++) put_byte(c, run[i]);
  }
}

static void test_packed_forms(void) {
  static packed_case cases[9];
  static p2f_test_Numeric got, got_plain;
  static p2f_field_desc plain_fields[8];
  const p2f_msg_desc *d = &p2f_test_Numeric_desc;
  for (uint32_t i = 0; i < d->field_count; i++) CHECK(d->fields[i].kind == P2F_FK_PACKED && d->fields[i].tag_len == 1);
  p2f_msg_desc plain = plain_copy(d, plain_fields, 8);
  size_t n = 0;
  packed_case *c = &cases[n++]; /* in number order, as encoders write: every field expected */
  c->name = "in order";
  put_byte(c, 0x0a), put_var(c, 16); /* doubles 1.5, -2 */
  c->values.doubles_count = 2, c->values.doubles[0] = 1.5, c->values.doubles[1] = -2;
  for (int i = 0; i < 2; i++) {
    uint8_t b[8];
    memcpy(b, &c->values.doubles[i], 8);
    for (int j = 0; j < 8; j++) put_byte(c, b[j]);
  }
  put_int32s(c, 1, 5, 20);
  put_byte(c, 0x22), put_var(c, 3); /* sint64s 0, -1, 63 */
  put_byte(c, 0x00), put_byte(c, 0x01), put_byte(c, 0x7e);
  c->values.sint64s_count = 3, c->values.sint64s[1] = -1, c->values.sint64s[2] = 63;
  put_byte(c, 0x2a), put_var(c, 4), put_byte(c, 0x78), put_byte(c, 0x56), put_byte(c, 0x34), put_byte(c, 0x12);
  c->values.fixed32s_count = 1, c->values.fixed32s[0] = 0x12345678u;

  c = &cases[n++]; /* the expected field arrives unpacked, element by element */
  c->name = "unpacked";
  put_int32s(c, 0, -3, 7);
  put_byte(c, 0x2d), put_byte(c, 1), put_byte(c, 0), put_byte(c, 0), put_byte(c, 0); /* fixed32s 1, unpacked */
  c->values.fixed32s_count = 1, c->values.fixed32s[0] = 1;

  c = &cases[n++]; /* runs and single elements of one field appended in order */
  c->name = "mixed runs";
  put_int32s(c, 1, 1, 3);
  put_int32s(c, 0, 100, 2);
  put_int32s(c, 1, -50, 17);
  put_int32s(c, 1, 7, 0); /* an empty run */

  c = &cases[n++]; /* out of number order: found by the dispatch table */
  c->name = "reversed";
  put_byte(c, 0x2a), put_var(c, 4), put_byte(c, 9), put_byte(c, 0), put_byte(c, 0), put_byte(c, 0);
  c->values.fixed32s_count = 1, c->values.fixed32s[0] = 9;
  put_byte(c, 0x22), put_var(c, 1), put_byte(c, 0x03); /* sint64s -2 */
  c->values.sint64s_count = 1, c->values.sint64s[0] = -2;
  put_int32s(c, 1, 40, 9);

  c = &cases[n++]; /* a two-byte tag for field 3, packed: 0x9a 0x00 */
  c->name = "long tag";
  put_byte(c, 0x9a), put_byte(c, 0x00), put_var(c, 2), put_byte(c, 0x05), put_byte(c, 0x06);
  c->values.int32s_count = 2, c->values.int32s[0] = 5, c->values.int32s[1] = 6;
  put_byte(c, 0x9a), put_byte(c, 0x80), put_byte(c, 0x00), put_var(c, 1), put_byte(c, 0x07); /* three bytes */
  c->values.int32s_count = 3, c->values.int32s[2] = 7;

  c = &cases[n++]; /* more elements than the capacity of 64, over two runs */
  c->name = "over capacity";
  put_int32s(c, 1, 0, 40);
  put_int32s(c, 1, 40, 25);
  c->want = P2F_ERR_TOO_MANY_ELEMENTS;

  c = &cases[n++]; /* a run's length past the end */
  c->name = "length past end";
  put_byte(c, 0x1a), put_var(c, 9), put_byte(c, 1), put_byte(c, 2);
  c->want = P2F_ERR_LENGTH_OVERFLOW;

  c = &cases[n++]; /* a run whose last varint is cut */
  c->name = "cut varint";
  put_byte(c, 0x1a), put_var(c, 3), put_byte(c, 1), put_byte(c, 0x82), put_byte(c, 0x83);
  c->want = P2F_ERR_TRUNCATED;

  c = &cases[n++]; /* a fixed-width run that is not a whole number of elements */
  c->name = "partial fixed32";
  put_byte(c, 0x2a), put_var(c, 6), put_byte(c, 1), put_byte(c, 0), put_byte(c, 0), put_byte(c, 0), put_byte(c, 2),
      put_byte(c, 0);
  c->want = P2F_ERR_TRUNCATED;

  for (size_t i = 0; i < n; i++) {
    c = &cases[i];
    memset(&got, 0, sizeof got);
    memset(&got_plain, 0, sizeof got_plain);
    p2f_status st = p2f_decode(d, &got, c->bytes, c->len);
    p2f_status st_plain = p2f_decode(&plain, &got_plain, c->bytes, c->len);
    if (st != c->want || st_plain != c->want) {
      fprintf(stderr, "%s: status %s, plain table %s, want %s\n", c->name, p2f_status_str(st), p2f_status_str(st_plain),
              p2f_status_str(c->want));
    }
    CHECK(st == c->want && st_plain == c->want);
    CHECK(memcmp(&got, &got_plain, sizeof got) == 0);
    if (c->want == P2F_OK) CHECK(memcmp(&got, &c->values, sizeof got) == 0);
  }
}

int main(void) {
  walk(&p2f_test_AllTypes_desc, 0);
  walk(&p2f_test_Wrapper_desc, 0);
  walk(&p2f_test_Numeric_desc, 0);
  walk(&p2f_legacy_Legacy_desc, 0);
  /* AllTypes has sparse numbers (the maps at 1000-1003, f_max_tag) past its table. */
  CHECK(p2f_test_AllTypes_desc.dispatch_len > 0 &&
        p2f_test_AllTypes_desc.fields[p2f_test_AllTypes_desc.field_count - 1].number >= p2f_test_AllTypes_desc.dispatch_len);
  /* legacy has required fields; proto3 messages have none */
  CHECK(!(p2f_legacy_Legacy_desc.flags & P2F_MF_NO_REQUIRED));
  CHECK(p2f_test_AllTypes_desc.flags & P2F_MF_NO_REQUIRED);
  test_any_order();
  test_long_submessage();
  test_packed_forms();
  return CHECK_REPORT();
}
