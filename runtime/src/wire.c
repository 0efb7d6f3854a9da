/* The out-of-line wire helper of proto2ffi/wire.h: skipping a field's value (groups
 * included). UTF-8 validation, declared in wire.h too, is in utf8.c. */
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
