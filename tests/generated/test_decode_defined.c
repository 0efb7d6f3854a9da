/* Which bytes decoding defines (proto2ffi/codec.h, "Defined bytes"), on the all-types,
 * legacy and social schemas:
 *  - decoding into memory full of one pattern and into memory full of another gives the same
 *    defined bytes, equal to those of the struct that was encoded;
 *  - without P2F_DECODE_ZERO_FILL, the capacity decoding does not define (string and bytes
 *    capacity after the value, array elements past the count, per-element lengths past it)
 *    still holds the pattern, in messages decoding initialises sparsely (T_init writes zeros
 *    only, more than P2F_SPARSE_INIT_BYTES per field); other messages are set by T_init;
 *  - with P2F_DECODE_ZERO_FILL, the whole struct is the same whatever it held before, and
 *    every capacity byte is zero;
 *  - a message whose T_init writes defaults (legacy.proto) is set by T_init either way;
 *  - every prefix of each encoding (successes and failures) has the same defined bytes
 *    whatever the struct held, and a failure leaves them as T_init does.
 * The inputs are encodings of filled structs: scalars, strings (one filling its capacity, one
 * empty but present), bytes, repeated scalars, strings, bytes and submessages, a oneof on a
 * string and on a submessage, maps; in tests/schemas/defined (initialised sparsely), the
 * all-types schema and Reaction (small: zeroed whole), legacy.proto (defaults: T_init). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/check.h"
#include "../support/defined.h"
#include "alltypes.ffi.h"
#include "defined.ffi.h"
#include "legacy.ffi.h"
#include "social.ffi.h"

static void fill_alltypes(p2f_test_AllTypes *m, int variant) {
  p2f_test_AllTypes_init(m);
  m->f_double = 3.5, m->f_int32 = -7, m->f_uint64 = UINT64_MAX, m->f_sint32 = INT32_MIN, m->f_bool = 1;
  m->f_string_len = 6, memcpy(m->f_string, "h\xc3\xa9llo", 7);
  m->f_bytes_len = 3, memcpy(m->f_bytes, "\x00\xff\x01", 3);
  m->f_color = p2f_common_Color_COLOR_BLUE;
  m->has_f_point = 1, m->f_point.x = -5, m->f_point.y = 6;
  m->r_string_count = 2, m->r_string_len[0] = 2, memcpy(m->r_string[0], "ab", 3), m->r_string_len[1] = 0;
  m->r_sint64_count = 2, m->r_sint64[0] = -1, m->r_sint64[1] = INT64_MAX;
  m->r_inner_count = 1, m->r_inner[0].a = 4;
  m->has_o_string = 1; /* present and empty */
  if (variant == 0) {
    m->which_choice = p2f_test_AllTypes_c_string_TAG;
    m->choice.c_string.len = 2, memcpy(m->choice.c_string.data, "hi", 3);
  } else {
    memset(m->f_string, 'x', sizeof m->f_string - 1); /* the whole capacity */
    m->f_string_len = (uint32_t)(sizeof m->f_string - 1);
    m->f_string[m->f_string_len] = 0;
    m->m_string_int32_count = 2;
    m->m_string_int32[0].key_len = 1, memcpy(m->m_string_int32[0].key, "k", 2), m->m_string_int32[0].value = 3;
    m->m_string_int32[1].key_len = 2, memcpy(m->m_string_int32[1].key, "kk", 3), m->m_string_int32[1].value = 4;
  }
  m->m_int32_string_count = 1, m->m_int32_string[0].key = -8, m->m_int32_string[0].value_len = 1;
  memcpy(m->m_int32_string[0].value, "v", 2);
}

static void fill_big(p2f_defined_Big *m, int variant) {
  p2f_defined_Big_init(m);
  m->s_len = 3, memcpy(m->s, "abc", 4);
  m->b_len = 2, memcpy(m->b, "\x01\x02", 2);
  m->r_count = 3, m->r[0] = 1, m->r[1] = -2, m->r[2] = 300;
  m->rs_count = 2, m->rs_len[0] = 1, memcpy(m->rs[0], "x", 2), m->rs_len[1] = 0;
  m->items_count = 2, m->items[0].name_len = 2, memcpy(m->items[0].name, "it", 3), m->items[1].v = 5;
  if (variant == 0) {
    m->which_o = p2f_defined_Big_os_TAG, m->o.os.len = 2, memcpy(m->o.os.data, "os", 3);
  } else if (variant == 1) {
    m->which_o = p2f_defined_Big_oi_TAG, m->o.oi.name_len = 1, memcpy(m->o.oi.name, "q", 2), m->o.oi.v = 8;
  } else {
    m->which_o = p2f_defined_Big_on_TAG, m->o.on_ = -1;
  }
  m->m_count = 1, m->m[0].key_len = 1, memcpy(m->m[0].key, "k", 2), m->m[0].value_len = 2;
  memcpy(m->m[0].value, "vv", 3);
  m->has_one = 1, m->one.name_len = 3, memcpy(m->one.name, "one", 4);
  m->has_opt = 1; /* present and empty */
  m->rb_count = 1, m->rb_len[0] = 1, m->rb[0][0] = 0xFF;
}

static void fill_post(social_Post *m) {
  social_Post_init(m);
  m->post_id = 77, m->author_id = 3, m->like_count = 10;
  m->content_len = 11, memcpy(m->content, "hello world", 12);
  m->media_url_len = 5, memcpy(m->media_url, "https", 6);
}

/* A copy of m's bytes per test: memory full of `pattern`, of d's size and alignment. */
static unsigned char *patterned(size_t size, unsigned char pattern) {
  unsigned char *p = aligned_alloc(64, (size + 63) / 64 * 64);
  if (p == NULL) abort();
  memset(p, pattern, size);
  return p;
}

/* The checks above for one encoding of message d (whose T_init is init, struct size size),
 * whose source struct is src. */
static void check_encoding(const p2f_msg_desc *d, size_t size, const void *src, const uint8_t *buf, size_t n) {
  const p2f_decode_options zf = {NULL, P2F_DECODE_ZERO_FILL, 0};
  unsigned char *a = patterned(size, 0xAB), *b = patterned(size, 0x3C), *za = patterned(size, 0xAB),
                *zb = patterned(size, 0x00), *fresh = patterned(size, 0x77);
  d->init(fresh);
  CHECK(p2f_decode(d, a, buf, n) == P2F_OK);
  CHECK(p2f_decode(d, b, buf, n) == P2F_OK);
  CHECK(defined_equal(d, a, b));
  CHECK(defined_equal(d, a, src));
  int sparse = defined_sparse(d);
  if (sparse) {
    CHECK(capacity_untouched(d, a, 0xAB));
    CHECK(capacity_untouched(d, b, 0x3C));
  } else {
    CHECK(memcmp(a, b, size) == 0); /* T_init first: nothing of the old bytes is left */
  }
  CHECK(p2f_decode_ex(d, za, buf, n, &zf) == P2F_OK);
  CHECK(p2f_decode_ex(d, zb, buf, n, &zf) == P2F_OK);
  CHECK(memcmp(za, zb, size) == 0);
  CHECK(defined_equal(d, za, src));
  CHECK(capacity_untouched(d, za, 0x00));
  /* Every prefix: the same defined bytes whatever the memory held; on failure, T_init's. */
  for (size_t k = 0; k < n; k++) {
    memset(a, 0xAB, size);
    memset(b, 0x3C, size);
    p2f_status sa = p2f_decode(d, a, buf, k), sb = p2f_decode(d, b, buf, k);
    CHECK(sa == sb);
    CHECK(defined_equal(d, a, b));
    if (sa != P2F_OK) CHECK(defined_equal(d, a, fresh));
    memset(za, 0xAB, size);
    memset(zb, 0x00, size);
    CHECK(p2f_decode_ex(d, za, buf, k, &zf) == sa);
    p2f_decode_ex(d, zb, buf, k, &zf);
    CHECK(memcmp(za, zb, size) == 0);
  }
  free(a), free(b), free(za), free(zb), free(fresh);
}

static uint8_t buf[65536];

/* p2f_msg_desc.zero_ranges: present exactly where decode initialises sparsely, sorted, apart
 * (neither overlapping nor adjacent), inside the struct; and decoding nothing through them
 * zeroes exactly their bytes, the same bytes as through a copy of the table without them (the
 * decoder's walk over the field table). */
static void check_zero_ranges(const p2f_msg_desc *d) {
  CHECK((d->zero_ranges != NULL) == defined_sparse(d));
  CHECK((d->zero_ranges != NULL) == (d->zero_count != 0));
  uint64_t last_end = 0;
  for (uint32_t i = 0; i < d->zero_count; i++) {
    uint32_t off = d->zero_ranges[2 * i], len = d->zero_ranges[2 * i + 1];
    CHECK(len > 0 && (uint64_t)off + len <= d->size);
    CHECK(i == 0 || off > last_end);
    last_end = (uint64_t)off + len;
  }
  if (d->zero_ranges == NULL) return;
  static unsigned char a[65536], b[65536];
  CHECK(d->size <= sizeof a);
  if (d->size > sizeof a) return;
  p2f_msg_desc walked = *d;
  walked.zero_ranges = NULL;
  walked.zero_count = 0;
  memset(a, 0xa5, d->size);
  memset(b, 0xa5, d->size);
  CHECK(p2f_decode(d, a, NULL, 0) == P2F_OK);
  CHECK(p2f_decode(&walked, b, NULL, 0) == P2F_OK);
  CHECK(memcmp(a, b, d->size) == 0);
  size_t in = 0;
  for (uint32_t i = 0; i < d->zero_count; i++) {
    uint32_t off = d->zero_ranges[2 * i], len = d->zero_ranges[2 * i + 1];
    for (uint32_t k = 0; k < len; k++) CHECK(a[off + k] == 0);
    in += len;
  }
  size_t untouched = 0;
  for (uint32_t k = 0; k < d->size; k++) untouched += a[k] == 0xa5;
  CHECK(untouched == d->size - in); /* the 0xa5 bytes are exactly those outside the ranges */
}

int main(void) {
  check_zero_ranges(&p2f_defined_Big_desc);
  check_zero_ranges(&p2f_defined_Item_desc);
  check_zero_ranges(&social_Post_desc);
  check_zero_ranges(&social_Message_desc);
  check_zero_ranges(&social_Comment_desc);
  check_zero_ranges(&social_TimelineCache_desc);
  check_zero_ranges(&social_Reaction_desc); /* zeroed whole: no ranges */
  check_zero_ranges(&p2f_test_Wrapper_desc);
  check_zero_ranges(&p2f_test_Numeric_desc);
  check_zero_ranges(&p2f_test_AllTypes_desc);
  static p2f_test_AllTypes at;
  for (int variant = 0; variant < 2; variant++) {
    fill_alltypes(&at, variant);
    size_t n = 0;
    CHECK(p2f_test_AllTypes_encode(&at, buf, sizeof buf, &n) == P2F_OK);
    CHECK(!defined_sparse(&p2f_test_AllTypes_desc)); /* 1400 bytes, 59 fields */
    check_encoding(&p2f_test_AllTypes_desc, sizeof at, &at, buf, n);
  }
  /* A oneof switching from a string to a submessage: the union holds what the current member
   * defines. */
  {
    static p2f_test_AllTypes x;
    fill_alltypes(&x, 0);
    size_t n1 = 0, n2 = 0;
    CHECK(p2f_test_AllTypes_encode(&x, buf, sizeof buf, &n1) == P2F_OK);
    p2f_test_AllTypes_init(&x);
    x.which_choice = p2f_test_AllTypes_c_label_TAG;
    x.choice.c_label.text_len = 3, memcpy(x.choice.c_label.text, "lbl", 4);
    CHECK(p2f_test_AllTypes_encode(&x, buf + n1, sizeof buf - n1, &n2) == P2F_OK);
    /* The concatenation merges: everything of the first, the oneof ending on c_label. */
    static p2f_test_AllTypes want;
    fill_alltypes(&want, 0);
    want.which_choice = p2f_test_AllTypes_c_label_TAG;
    memset(&want.choice, 0, sizeof want.choice);
    want.choice.c_label.text_len = 3, memcpy(want.choice.c_label.text, "lbl", 4);
    check_encoding(&p2f_test_AllTypes_desc, sizeof want, &want, buf, n1 + n2);
  }
  static p2f_defined_Big big;
  CHECK(defined_sparse(&p2f_defined_Big_desc) && defined_sparse(&p2f_defined_Item_desc));
  for (int variant = 0; variant < 3; variant++) {
    fill_big(&big, variant);
    size_t bn = 0;
    CHECK(p2f_defined_Big_encode(&big, buf, sizeof buf, &bn) == P2F_OK);
    check_encoding(&p2f_defined_Big_desc, sizeof big, &big, buf, bn);
  }
  /* The oneof switching string -> submessage -> scalar in one input. */
  {
    size_t n1 = 0, n2 = 0, n3 = 0;
    fill_big(&big, 0);
    CHECK(p2f_defined_Big_encode(&big, buf, sizeof buf, &n1) == P2F_OK);
    p2f_defined_Big_init(&big);
    big.which_o = p2f_defined_Big_oi_TAG, big.o.oi.v = 3;
    CHECK(p2f_defined_Big_encode(&big, buf + n1, sizeof buf - n1, &n2) == P2F_OK);
    p2f_defined_Big_init(&big);
    big.which_o = p2f_defined_Big_on_TAG, big.o.on_ = 42;
    CHECK(p2f_defined_Big_encode(&big, buf + n1 + n2, sizeof buf - n1 - n2, &n3) == P2F_OK);
    static p2f_defined_Big want;
    fill_big(&want, 2);
    want.o.on_ = 42;
    check_encoding(&p2f_defined_Big_desc, sizeof want, &want, buf, n1 + n2 + n3);
    /* Ending on the submessage, which sets only v: its name must read as empty, not as the
     * string member that held the union before. */
    fill_big(&want, 0);
    want.which_o = p2f_defined_Big_oi_TAG;
    memset(&want.o, 0, sizeof want.o);
    want.o.oi.v = 3;
    check_encoding(&p2f_defined_Big_desc, sizeof want, &want, buf, n1 + n2);
  }
  static p2f_legacy_Legacy lg;
  p2f_legacy_Legacy_init(&lg);
  lg.id = 5;
  lg.name_len = 2, memcpy(lg.name, "ok", 3);
  size_t n = 0;
  CHECK(p2f_legacy_Legacy_encode(&lg, buf, sizeof buf, &n) == P2F_OK);
  CHECK((p2f_legacy_Legacy_desc.flags & P2F_MF_ZERO_INIT) == 0); /* defaults: T_init every time */
  check_encoding(&p2f_legacy_Legacy_desc, sizeof lg, &lg, buf, n);
  static social_Post post;
  fill_post(&post);
  CHECK(social_Post_encode(&post, buf, sizeof buf, &n) == P2F_OK);
  CHECK(defined_sparse(&social_Post_desc));
  check_encoding(&social_Post_desc, sizeof post, &post, buf, n);
  /* A small message (Reaction, 40 bytes, 5 fields) is zeroed whole: every byte defined. */
  static social_Reaction r;
  social_Reaction_init(&r);
  r.reaction_id = 7, r.created_at = 1718000000000u;
  CHECK(!defined_sparse(&social_Reaction_desc));
  CHECK(social_Reaction_encode(&r, buf, sizeof buf, &n) == P2F_OK);
  check_encoding(&social_Reaction_desc, sizeof r, &r, buf, n);
  return CHECK_REPORT();
}
