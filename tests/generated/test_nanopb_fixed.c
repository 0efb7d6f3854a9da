/* Generated code for nanopb's fixed_length / FT_INLINE, fixed_count, default_has,
 * skip_message and presence options (tests/schemas/nanopb: fixed, presence, presence2, skip).
 * Byte sequences follow the protobuf encoding by hand. */
#include <string.h>

#include "../support/check.h"
#include "fixed.ffi.h"
#include "presence.ffi.h"
#include "presence2.ffi.h"
#include "skip.ffi.h"

/* skip_message: the skipped messages and the enum declared in one are not generated; the
 * message nested in it and the message using that one are. */
#if defined(p2f_sk_Gone_SIZE) || defined(p2f_sk_Also_SIZE) || defined(p2f_sk_Gone_Mode_MODE_A)
#error "a skipped message is in the generated header"
#endif
#if !defined(p2f_sk_Gone_Kept_SIZE) || !defined(p2f_sk_User_SIZE) || defined(p2f_sk_User_g_TAG)
#error "skip.proto: a kept message is missing, or the ignored field is there"
#endif

static size_t encode_fixed(const p2f_fx_Fixed *m, uint8_t *out, size_t cap) {
  size_t n = 0;
  CHECK(p2f_fx_Fixed_encode(m, out, cap, &n) == P2F_OK);
  CHECK(n == p2f_fx_Fixed_encoded_size(m));
  return n;
}

/* id (12 04 ...) is required: every input below starts with it. */
#define ID 0x12, 0x04, 'i', 'd', '0', '1'

static void test_init_and_default_has(void) {
  p2f_fx_Fixed m;
  p2f_fx_Fixed_init(&m);
  /* default_has: init sets the flags; defaults and fixed_count elements are initialised. */
  CHECK(m.has_flagged == 1 && m.has_sub == 1 && m.sub.has_w == 1 && m.sub.v == 5);
  CHECK(m.pair[0].has_w == 1 && m.pair[1].has_w == 1 && m.pair[1].v == 5);
  CHECK(m.has_dkey == 0 && memcmp(m.dkey, "ab\0\0", 4) == 0);
  /* Decoding clears them again: presence says what the input held (nanopb's decoder). */
  static const uint8_t in[] = {ID};
  CHECK(p2f_fx_Fixed_decode(&m, in, sizeof in) == P2F_OK);
  CHECK(m.has_flagged == 0 && m.has_sub == 0 && m.sub.has_w == 0 && m.sub.v == 5);
  CHECK(m.pair[0].has_w == 0 && m.pair[1].has_w == 0 && m.pair[0].v == 5);
  CHECK(memcmp(m.id, "id01", 4) == 0 && memcmp(m.dkey, "ab\0\0", 4) == 0);
  /* Encoding writes every element of the fixed_count fields and all bytes of fixed ones:
   * id, triple 3 x 0, packed4 [0 0 0 0], macs 2 x 6 zero bytes, pair 2 x {}, names 2 x "". */
  static const uint8_t want[] = {ID,   0x18, 0, 0x18, 0, 0x18, 0, 0x22, 4, 0, 0, 0, 0,
                                 0x2a, 6,    0, 0,    0, 0,    0, 0,    0x2a, 6, 0, 0, 0, 0, 0, 0,
                                 0x32, 0,    0x32, 0, 0x6a, 0, 0x6a, 0};
  uint8_t out[256];
  size_t n = encode_fixed(&m, out, sizeof out);
  CHECK(n == sizeof want && memcmp(out, want, n) == 0);
  /* A freshly initialised message writes its default_has fields: flagged = 0 (50 00) and
   * sub {w: 0} (5a 02 10 00), and pair's elements {w: 0} (32 02 10 00). */
  p2f_fx_Fixed_init(&m);
  n = encode_fixed(&m, out, sizeof out);
  static const uint8_t flagged[] = {0x50, 0x00, 0x5a, 0x02, 0x10, 0x00};
  static const uint8_t pair[] = {0x32, 0x02, 0x10, 0x00, 0x32, 0x02, 0x10, 0x00};
  int found_flagged = 0, found_pair = 0;
  for (size_t i = 0; i + sizeof flagged <= n; i++) found_flagged |= memcmp(out + i, flagged, sizeof flagged) == 0;
  for (size_t i = 0; i + sizeof pair <= n; i++) found_pair |= memcmp(out + i, pair, sizeof pair) == 0;
  CHECK(found_flagged && found_pair);
}

static void test_fixed_length(void) {
  p2f_fx_Fixed m;
  uint8_t key16[2 + 16] = {0x0a, 16};
  for (int i = 0; i < 16; i++) key16[2 + i] = (uint8_t)(i + 1);
  uint8_t in[64];
  memcpy(in, (const uint8_t[]){ID}, 6);
  memcpy(in + 6, key16, sizeof key16);
  CHECK(p2f_fx_Fixed_decode(&m, in, 6 + sizeof key16) == P2F_OK);
  CHECK(m.has_key && m.key[0] == 1 && m.key[15] == 16);
  /* 15 or 17 bytes: not the field's size. */
  in[7] = 15;
  CHECK(p2f_fx_Fixed_decode(&m, in, 6 + sizeof key16 - 1) == P2F_ERR_FIXED_LENGTH);
  in[7] = 17;
  in[6 + sizeof key16] = 0;
  CHECK(p2f_fx_Fixed_decode(&m, in, 6 + sizeof key16 + 1) == P2F_ERR_FIXED_LENGTH);
  /* Empty: all zero bytes, present (nanopb's rule). */
  static const uint8_t empty[] = {ID, 0x0a, 0x00};
  CHECK(p2f_fx_Fixed_decode(&m, empty, sizeof empty) == P2F_OK);
  CHECK(m.has_key == 1 && m.key[0] == 0 && m.key[15] == 0);
  /* The required FT_INLINE field must be 4 bytes too. */
  static const uint8_t short_id[] = {0x12, 0x03, 'a', 'b', 'c'};
  CHECK(p2f_fx_Fixed_decode(&m, short_id, sizeof short_id) == P2F_ERR_FIXED_LENGTH);
  /* The oneof member digest: exactly 8 bytes. */
  static const uint8_t digest[] = {ID, 0x3a, 8, 1, 2, 3, 4, 5, 6, 7, 8};
  CHECK(p2f_fx_Fixed_decode(&m, digest, sizeof digest) == P2F_OK);
  CHECK(m.which_choice == p2f_fx_Fixed_digest_TAG && m.choice.digest[7] == 8);
  static const uint8_t digest7[] = {ID, 0x3a, 7, 1, 2, 3, 4, 5, 6, 7};
  CHECK(p2f_fx_Fixed_decode(&m, digest7, sizeof digest7) == P2F_ERR_FIXED_LENGTH);
  /* Repeated fixed_length elements: 6 bytes each. */
  static const uint8_t macs5[] = {ID, 0x2a, 5, 1, 2, 3, 4, 5};
  CHECK(p2f_fx_Fixed_decode(&m, macs5, sizeof macs5) == P2F_ERR_FIXED_LENGTH);
}

static void test_fixed_count(void) {
  p2f_fx_Fixed m;
  /* triple: three unpacked elements, with another field between them (nanopb counts on). */
  static const uint8_t three[] = {ID, 0x18, 1, 0x18, 2, 0x4a, 0x00, 0x18, 3};
  CHECK(p2f_fx_Fixed_decode(&m, three, sizeof three) == P2F_OK);
  CHECK(m.triple[0] == 1 && m.triple[1] == 2 && m.triple[2] == 3 && m.has_plain);
  static const uint8_t two[] = {ID, 0x18, 1, 0x18, 2};
  CHECK(p2f_fx_Fixed_decode(&m, two, sizeof two) == P2F_ERR_FIXED_COUNT);
  static const uint8_t four[] = {ID, 0x18, 1, 0x18, 2, 0x18, 3, 0x18, 4};
  CHECK(p2f_fx_Fixed_decode(&m, four, sizeof four) == P2F_ERR_TOO_MANY_ELEMENTS);
  /* Another fixed_count field begins before triple has its three. */
  static const uint8_t cut[] = {ID, 0x18, 1, 0x18, 2, 0x22, 4, 1, 2, 3, 4, 0x18, 3};
  CHECK(p2f_fx_Fixed_decode(&m, cut, sizeof cut) == P2F_ERR_FIXED_COUNT);
  /* packed4, packed: exactly four; its zigzag values -1 1 -2 2. */
  static const uint8_t packed[] = {ID, 0x22, 4, 1, 2, 3, 4};
  CHECK(p2f_fx_Fixed_decode(&m, packed, sizeof packed) == P2F_OK);
  CHECK(m.packed4[0] == -1 && m.packed4[1] == 1 && m.packed4[2] == -2 && m.packed4[3] == 2);
  static const uint8_t packed3[] = {ID, 0x22, 3, 1, 2, 3};
  CHECK(p2f_fx_Fixed_decode(&m, packed3, sizeof packed3) == P2F_ERR_FIXED_COUNT);
  /* A decoded message re-encodes to the same bytes (in field order). */
  static const uint8_t full[] = {ID,   0x18, 7,    0x18, 8,    0x18, 9,    0x22, 4,    2, 4, 6, 8,
                                 0x2a, 6,    'a',  'b',  'c',  'd',  'e',  'f',  0x2a, 6, 'g', 'h', 'i', 'j', 'k', 'l',
                                 0x32, 2,    0x08, 1,    0x32, 2,    0x10, 3,    0x40, 0x05, 0x6a, 2, 'h', 'i', 0x6a, 0};
  CHECK(p2f_fx_Fixed_decode(&m, full, sizeof full) == P2F_OK);
  CHECK(m.pair[0].has_v && m.pair[0].v == 1 && m.pair[1].has_w && m.pair[1].w == 3 && m.pair[1].v == 5);
  CHECK(m.names_len[0] == 2 && strcmp(m.names[0], "hi") == 0 && m.names_len[1] == 0);
  uint8_t out[256];
  size_t n = encode_fixed(&m, out, sizeof out);
  CHECK(n == sizeof full && memcmp(out, full, n) == 0);
}

static void test_presence(void) {
  uint8_t out[64];
  size_t n = 0;
  /* proto3_singular_msgs: bare has no has_ flag; empty, it is left out; else written. */
  p2f_pr_P3 p;
  p2f_pr_P3_init(&p);
  CHECK(p2f_pr_P3_encode(&p, out, sizeof out, &n) == P2F_OK && n == 0);
  p.bare.a = 2;
  CHECK(p2f_pr_P3_encode(&p, out, sizeof out, &n) == P2F_OK);
  CHECK(n == 4 && memcmp(out, (const uint8_t[]){0x1a, 0x02, 0x08, 0x02}, 4) == 0);
  /* The encoder writes bare and takes it back when its length is 0 (one walk): exact buffers
   * and one byte short, with bare set and empty, and empty where its tag and length would not
   * fit (it writes nothing there, so the encoding fits). */
  CHECK(p2f_pr_P3_encode(&p, out, 4, &n) == P2F_OK && n == 4 && p2f_pr_P3_encoded_size(&p) == 4);
  CHECK(p2f_pr_P3_encode(&p, out, 3, &n) == P2F_ERR_BUFFER_TOO_SMALL && n == 0);
  p.bare.a = 0;
  p.plain = 1;
  for (size_t cap = 2; cap <= 4; cap++) {
    memset(out, 0xee, sizeof out);
    CHECK(p2f_pr_P3_encode(&p, out, cap, &n) == P2F_OK && n == 2 && out[0] == 0x08 && out[1] == 0x01);
  }
  CHECK(p2f_pr_P3_encoded_size(&p) == 2);
  CHECK(p2f_pr_P3_encode(&p, out, 1, &n) == P2F_ERR_BUFFER_TOO_SMALL);
  p.plain = 0;
  CHECK(p2f_pr_P3_encode(&p, NULL, 0, &n) == P2F_OK && n == 0);
  /* no_unions in proto3: x and z are plain proto3 fields, y keeps has_; several at once. */
  static const uint8_t sel[] = {0x30, 0x05, 0x3a, 0x02, 0x08, 0x01, 0x42, 0x01, 'q'};
  CHECK(p2f_pr_P3_decode(&p, sel, sizeof sel) == P2F_OK);
  CHECK(p.x == 5 && p.has_y && p.y.a == 1 && p.z_len == 1);
  CHECK(p2f_pr_P3_encode(&p, out, sizeof out, &n) == P2F_OK && n == sizeof sel && memcmp(out, sel, n) == 0);
  /* proto3:false: has_ flags, so a zero value is written when set. */
  p2f_pr_Explicit e;
  p2f_pr_Explicit_init(&e);
  e.has_a = 1;
  CHECK(p2f_pr_Explicit_encode(&e, out, sizeof out, &n) == P2F_OK && n == 2 && out[0] == 0x08 && out[1] == 0);
  static const uint8_t b_empty[] = {0x12, 0x00};
  CHECK(p2f_pr_Explicit_decode(&e, b_empty, sizeof b_empty) == P2F_OK && e.has_b && !e.has_a);
  /* proto3:true in a proto2 file: no has_ flags, zeros are left out. */
  p2f_pr2_Implicit im;
  p2f_pr2_Implicit_init(&im);
  CHECK(p2f_pr2_Implicit_encode(&im, out, sizeof out, &n) == P2F_OK && n == 0);
  im.e[1] = 9; /* a fixed_length field with one non-zero byte is written whole */
  im.a = -1;
  CHECK(p2f_pr2_Implicit_encode(&im, out, sizeof out, &n) == P2F_OK && n == 11 + 5);
  CHECK(out[0] == 0x08 && out[11] == 0x2a && out[12] == 3 && out[13] == 0 && out[14] == 9 && out[15] == 0);
  /* no_unions in proto2: each member with its has_ flag. */
  p2f_pr2_U2 u;
  static const uint8_t both[] = {0x08, 0x00, 0x12, 0x01, 'y', 0x1a, 0x00};
  CHECK(p2f_pr2_U2_decode(&u, both, sizeof both) == P2F_OK && u.has_x && u.has_y && u.has_z);
  CHECK(p2f_pr2_U2_encode(&u, out, sizeof out, &n) == P2F_OK && n == sizeof both && memcmp(out, both, n) == 0);
}

int main(void) {
  test_init_and_default_has();
  test_fixed_length();
  test_fixed_count();
  test_presence();
  return CHECK_REPORT();
}
