/* Which strings decoding verifies as UTF-8 (tests/schemas/utf8): the schema's syntax (proto3
 * yes, proto2 no) and the utf8_validation option from each route (field, map field, message,
 * enclosing message and file annotations; .options field, message and file lines; the plugin
 * parameter). Each string field, map key and value, and nested string gets an encoding holding
 * only that string, once well-formed (always P2F_OK, the text stored) and once with an
 * overlong form (P2F_ERR_INVALID_UTF8 exactly where verified, else P2F_OK with the bytes kept).
 *
 * Built three times from the same schemas: without parameters (P2F_UTF8_PARAM 0), with
 * utf8_validation=verify (1) and with utf8_validation=none (2); the table below says what each
 * field must do in each build, from the precedence rules of docs/options.md. */
#include <stdio.h>
#include <string.h>

#include "../support/check.h"
#include "u2.ffi.h"
#include "u2line.ffi.h"
#include "u2v.ffi.h"
#include "u3.ffi.h"

#ifndef P2F_UTF8_PARAM
#error "P2F_UTF8_PARAM must be 0, 1 or 2"
#endif

/* What a field does in this build: V verified, N not; P: as the parameter says, else proto3
 * (verified); Q: as the parameter says, else proto2 (not verified). */
enum { N, V, P, Q };

static int verified(int rule) {
  if (rule == V || rule == N) return rule == V;
  if (P2F_UTF8_PARAM == 1) return 1;
  if (P2F_UTF8_PARAM == 2) return 0;
  return rule == P;
}

static size_t put_len(uint8_t *out, uint32_t number, const uint8_t *data, size_t n) {
  size_t k = 0;
  out[k++] = (uint8_t)(number << 3 | 2);
  out[k++] = (uint8_t)n;
  memcpy(out + k, data, n);
  return k + n;
}

static const uint8_t good[] = "caf\xc3\xa9";
static const uint8_t bad[] = "ab\xc0\xaf"; /* overlong '/' */

/* The encoding of one string: field `number` of the message, or inside field `outer` (a
 * submessage or a map entry; `key` says the string is the entry's key, with a good value,
 * else its value with a good key). */
static size_t encode(uint8_t *out, uint32_t outer, int key, uint32_t number, const uint8_t *s) {
  size_t n = strlen((const char *)s);
  if (outer == 0) return put_len(out, number, s, n);
  uint8_t inner[64];
  size_t k = 0;
  if (key >= 0) { /* map entry */
    k += put_len(inner + k, 1, key ? s : good, key ? n : 5);
    k += put_len(inner + k, 2, key ? good : s, key ? 5 : n);
  } else {
    k = put_len(inner, number, s, n);
  }
  return put_len(out, outer, inner, k);
}

static _Alignas(16) unsigned char msg[8192];

static void check_field(const p2f_msg_desc *d, const char *name, uint32_t outer, int key, uint32_t number,
                        int rule) {
  uint8_t buf[128];
  size_t n = encode(buf, outer, key, number, good);
  p2f_status st = p2f_decode(d, msg, buf, n);
  if (st != P2F_OK) {
    fprintf(stderr, "%s: well-formed text gave %s\n", name, p2f_status_str(st));
    CHECK(0);
  }
  n = encode(buf, outer, key, number, bad);
  st = p2f_decode(d, msg, buf, n);
  p2f_status want = verified(rule) ? P2F_ERR_INVALID_UTF8 : P2F_OK;
  if (st != want) {
    fprintf(stderr, "%s: invalid UTF-8 gave %s, expected %s\n", name, p2f_status_str(st), p2f_status_str(want));
    CHECK(0);
  } else {
    CHECK(1);
  }
}

int main(void) {
  printf("plugin parameter: %s\n", P2F_UTF8_PARAM == 0 ? "none given" : P2F_UTF8_PARAM == 1 ? "utf8_validation=verify"
                                                                                          : "utf8_validation=none");
  /* proto3 */
  check_field(&p2f_u8_P3_desc, "P3.plain", 0, -1, 1, P);
  check_field(&p2f_u8_P3_desc, "P3.off (field annotation NONE)", 0, -1, 2, N);
  check_field(&p2f_u8_P3_desc, "P3.line_off (.options field line)", 0, -1, 3, N);
  check_field(&p2f_u8_P3_desc, "P3.list", 0, -1, 4, P);
  check_field(&p2f_u8_P3_desc, "P3.tags key (map field annotation NONE)", 5, 1, 0, N);
  check_field(&p2f_u8_P3_desc, "P3.tags value (map field annotation NONE)", 5, 0, 0, N);
  check_field(&p2f_u8_P3_desc, "P3.choice (oneof)", 0, -1, 6, P);
  check_field(&p2f_u8_P3_desc, "P3.blob (bytes)", 0, -1, 8, N);
  check_field(&p2f_u8_P3_desc, "P3.opt (proto3 optional)", 0, -1, 9, P);
  check_field(&p2f_u8_P3Off_desc, "P3Off.a (message annotation NONE)", 0, -1, 1, N);
  check_field(&p2f_u8_P3Off_desc, "P3Off.b (field VERIFY over message NONE)", 0, -1, 2, V);
  check_field(&p2f_u8_P3Off_desc, "P3Off.inner.c (enclosing message NONE)", 3, -1, 1, N);
  check_field(&p2f_u8_P3LineOff_desc, "P3LineOff.a (.options message line)", 0, -1, 1, N);
  /* proto2 */
  check_field(&p2f_u8two_P2_desc, "P2.plain", 0, -1, 1, Q);
  check_field(&p2f_u8two_P2_desc, "P2.on (field annotation VERIFY)", 0, -1, 2, V);
  check_field(&p2f_u8two_P2_desc, "P2.list", 0, -1, 3, Q);
  check_field(&p2f_u8file_P2V_desc, "P2V.a (file annotation VERIFY)", 0, -1, 1, V);
  check_field(&p2f_u8file_P2V_desc, "P2V.b (field NONE over file VERIFY)", 0, -1, 2, N);
  check_field(&p2f_u8file_P2VOff_desc, "P2VOff.a (message NONE over file VERIFY)", 0, -1, 1, N);
  check_field(&p2f_u8line_P2L_desc, "P2L.a (.options file line)", 0, -1, 1, V);
  /* Not verified: the bytes are stored as they came, NUL after them; verified: the error
   * leaves the message initialised. */
  {
    uint8_t buf[64];
    size_t n = encode(buf, 0, -1, 1, bad);
    p2f_u8two_P2 m;
    if (!verified(Q)) {
      CHECK(p2f_u8two_P2_decode(&m, buf, n) == P2F_OK);
      CHECK(m.plain_len == 4 && memcmp(m.plain, bad, 4) == 0 && m.plain[4] == 0);
    } else {
      CHECK(p2f_u8two_P2_decode(&m, buf, n) == P2F_ERR_INVALID_UTF8);
      CHECK(m.plain_len == 0 && m.plain[0] == 0);
    }
  }
  return CHECK_REPORT();
}
