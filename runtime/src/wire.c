/* Out-of-line wire helpers: skipping unknown fields (groups included) and UTF-8 validation
 * (see proto2ffi/wire.h). */
#include "proto2ffi/wire.h"

p2f_status p2f_wire_skip(const uint8_t **p, const uint8_t *end, uint32_t field, int wire_type, int max_depth) {
  const uint8_t *s = *p;
  p2f_status st = P2F_OK;
  switch (wire_type) {
    case P2F_WIRE_VARINT: {
      uint64_t v;
      st = p2f_wire_read_varint(&s, end, &v);
      break;
    }
    case P2F_WIRE_I64:
      if (end - s < 8) return P2F_ERR_TRUNCATED;
      s += 8;
      break;
    case P2F_WIRE_I32:
      if (end - s < 4) return P2F_ERR_TRUNCATED;
      s += 4;
      break;
    case P2F_WIRE_LEN: {
      const uint8_t *data;
      size_t len;
      st = p2f_wire_read_len(&s, end, &data, &len);
      break;
    }
    case P2F_WIRE_SGROUP: {
      if (max_depth <= 0) return P2F_ERR_NESTING_TOO_DEEP;
      for (;;) {
        uint32_t inner;
        int wt;
        if (s >= end) return P2F_ERR_TRUNCATED;
        st = p2f_wire_read_tag(&s, end, &inner, &wt);
        if (st != P2F_OK) return st;
        if (wt == P2F_WIRE_EGROUP) {
          if (inner != field) return P2F_ERR_INVALID_WIRE_TYPE;
          break;
        }
        st = p2f_wire_skip(&s, end, inner, wt, max_depth - 1);
        if (st != P2F_OK) return st;
      }
      break;
    }
    default: /* an end-group tag with no open group, or 6/7 (rejected by read_tag) */
      return P2F_ERR_INVALID_WIRE_TYPE;
  }
  if (st == P2F_OK) *p = s;
  return st;
}

int p2f_utf8_valid(const uint8_t *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    uint8_t c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t n;
    uint32_t cp;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      cp = c & 0x1Fu;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      cp = c & 0x0Fu;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      cp = c & 0x07u;
    } else {
      return 0; /* continuation byte, C0/C1 (overlong) or F5..FF */
    }
    if (len - i < n) return 0;
    for (size_t k = 1; k < n; k++) {
      uint8_t b = s[i + k];
      if ((b & 0xC0) != 0x80) return 0;
      cp = cp << 6 | (b & 0x3Fu);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)) return 0; /* overlong */
    if (cp >= 0xD800 && cp <= 0xDFFF) return 0;                       /* surrogate */
    if (cp > 0x10FFFF) return 0;
    i += n;
  }
  return 1;
}
