/* proto2ffi/wire.h: bounds-checked protobuf wire primitives for the generated codecs.
 *
 * Readers take a cursor (const uint8_t **p) and the end of the input; they never read at or
 * past `end`, advance the cursor only on success, and return P2F_OK or the reason:
 * P2F_ERR_TRUNCATED (input ends inside the value), P2F_ERR_VARINT_OVERFLOW (more than 10
 * bytes), P2F_ERR_LENGTH_OVERFLOW (a length reaching past the end), P2F_ERR_INVALID_FIELD_NUMBER,
 * P2F_ERR_INVALID_WIRE_TYPE. Writers take a cursor into an output buffer and its end and return
 * P2F_ERR_BUFFER_TOO_SMALL, writing nothing, when the value does not fit.
 *
 *   const uint8_t *p = buf, *end = buf + len;
 *   uint32_t field; int wire_type;
 *   while (p < end) {
 *     p2f_status st = p2f_wire_read_tag(&p, end, &field, &wire_type);
 *     if (st != P2F_OK) return st;
 *     ...
 *   }
 *
 * Everything here is inline and pure (no allocation, no global state), safe from any thread.
 * Encoding reference: the protobuf wire format (varints little-endian base 128, zigzag for
 * sint32/sint64, little-endian fixed32/fixed64, length-delimited strings, bytes, messages and
 * packed repeated fields).
 */
#ifndef PROTO2FFI_WIRE_H_
#define PROTO2FFI_WIRE_H_

#include <string.h>

#include "proto2ffi/port.h"
#include "proto2ffi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum {
  P2F_WIRE_VARINT = 0,
  P2F_WIRE_I64 = 1,
  P2F_WIRE_LEN = 2,
  P2F_WIRE_SGROUP = 3,
  P2F_WIRE_EGROUP = 4,
  P2F_WIRE_I32 = 5,
};

#define P2F_WIRE_MAX_FIELD_NUMBER 536870911u /* 2^29 - 1 */
#define P2F_WIRE_MAX_VARINT_SIZE 10u

/* ---- zigzag ---------------------------------------------------------------------------- */

static inline uint32_t p2f_zigzag_encode32(int32_t v) {
  return ((uint32_t)v << 1) ^ (uint32_t)-(int32_t)((uint32_t)v >> 31);
}
static inline int32_t p2f_zigzag_decode32(uint32_t v) { return (int32_t)((v >> 1) ^ (uint32_t)-(int32_t)(v & 1)); }
static inline uint64_t p2f_zigzag_encode64(int64_t v) {
  return ((uint64_t)v << 1) ^ (uint64_t)-(int64_t)((uint64_t)v >> 63);
}
static inline int64_t p2f_zigzag_decode64(uint64_t v) { return (int64_t)((v >> 1) ^ (uint64_t)-(int64_t)(v & 1)); }

/* ---- reading ----------------------------------------------------------------------------- */

static inline p2f_status p2f_wire_read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out) {
  const uint8_t *s = *p;
  /* Fast path: one byte (tags and small values). */
  if (s < end && s[0] < 0x80) {
    *out = s[0];
    *p = s + 1;
    return P2F_OK;
  }
  uint64_t v = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && (defined(__GNUC__) || defined(__clang__))
  if (end - s >= (ptrdiff_t)P2F_WIRE_MAX_VARINT_SIZE) {
    /* At least 10 bytes left: the first 8 bytes as one word; the varint ends at the first
     * byte without its high bit, and its 7-bit groups are packed together without a loop. */
    uint64_t w;
    memcpy(&w, s, 8);
    uint64_t stop = ~w & 0x8080808080808080u;
    uint64_t x = (stop ? w & (stop ^ (stop - 1)) : w) & 0x7f7f7f7f7f7f7f7fu;
    x = (x & 0x007f007f007f007fu) | ((x & 0x7f007f007f007f00u) >> 1);
    x = (x & 0x00003fff00003fffu) | ((x & 0x3fff00003fff0000u) >> 2);
    x = (x & 0x000000000fffffffu) | ((x & 0x0fffffff00000000u) >> 4);
    if (stop) {
      *out = x;
      *p = s + (__builtin_ctzll(stop) >> 3) + 1;
      return P2F_OK;
    }
    x |= (uint64_t)(s[8] & 0x7f) << 56; /* 9 or 10 bytes */
    if (s[8] < 0x80) {
      *out = x;
      *p = s + 9;
      return P2F_OK;
    }
    x |= (uint64_t)(s[9] & 0x7f) << 63;
    if (s[9] < 0x80) {
      *out = x;
      *p = s + 10;
      return P2F_OK;
    }
    return P2F_ERR_VARINT_OVERFLOW;
  }
#else
  if (end - s >= (ptrdiff_t)P2F_WIRE_MAX_VARINT_SIZE) {
    /* At least 10 bytes left: no bounds check per byte. */
    for (unsigned i = 0; i < P2F_WIRE_MAX_VARINT_SIZE; i++) {
      uint8_t b = s[i];
      v |= (uint64_t)(b & 0x7f) << (7 * i);
      if (b < 0x80) {
        *out = v;
        *p = s + i + 1;
        return P2F_OK;
      }
    }
    return P2F_ERR_VARINT_OVERFLOW;
  }
#endif
  for (unsigned i = 0; i < P2F_WIRE_MAX_VARINT_SIZE; i++) {
    if (s + i >= end) return P2F_ERR_TRUNCATED;
    uint8_t b = s[i];
    v |= (uint64_t)(b & 0x7f) << (7 * i);
    if (b < 0x80) {
      *out = v;
      *p = s + i + 1;
      return P2F_OK;
    }
  }
  return P2F_ERR_VARINT_OVERFLOW;
}

static inline p2f_status p2f_wire_read_fixed32(const uint8_t **p, const uint8_t *end, uint32_t *out) {
  if (end - *p < 4) return P2F_ERR_TRUNCATED;
  const uint8_t *s = *p;
  *out = (uint32_t)s[0] | (uint32_t)s[1] << 8 | (uint32_t)s[2] << 16 | (uint32_t)s[3] << 24;
  *p = s + 4;
  return P2F_OK;
}

static inline p2f_status p2f_wire_read_fixed64(const uint8_t **p, const uint8_t *end, uint64_t *out) {
  if (end - *p < 8) return P2F_ERR_TRUNCATED;
  const uint8_t *s = *p;
  uint64_t v = 0;
  for (int i = 7; i >= 0; i--) v = v << 8 | s[i];
  *out = v;
  *p = s + 8;
  return P2F_OK;
}

/* Reads a tag: the field number must be 1..2^29-1 and the wire type 0..5. */
static inline p2f_status p2f_wire_read_tag(const uint8_t **p, const uint8_t *end, uint32_t *field, int *wire_type) {
  const uint8_t *s = *p;
  uint64_t key = 0;
  p2f_status st = p2f_wire_read_varint(&s, end, &key);
  if (st != P2F_OK) return st;
  if (key >> 3 == 0 || key >> 3 > P2F_WIRE_MAX_FIELD_NUMBER) return P2F_ERR_INVALID_FIELD_NUMBER;
  if ((key & 7) > 5) return P2F_ERR_INVALID_WIRE_TYPE;
  *field = (uint32_t)(key >> 3);
  *wire_type = (int)(key & 7);
  *p = s;
  return P2F_OK;
}

/* Reads a length prefix and checks that that many bytes follow; *data points at them and the
 * cursor moves past them. */
static inline p2f_status p2f_wire_read_len(const uint8_t **p, const uint8_t *end, const uint8_t **data, size_t *len) {
  const uint8_t *s = *p;
  uint64_t n = 0;
  p2f_status st = p2f_wire_read_varint(&s, end, &n);
  if (st != P2F_OK) return st;
  if (n > (uint64_t)(end - s)) return P2F_ERR_LENGTH_OVERFLOW;
  *data = s;
  *len = (size_t)n;
  *p = s + n;
  return P2F_OK;
}

/* Skips the value of a field whose tag was just read; groups (wire type 3) are skipped to
 * their matching end tag, nested at most max_depth deep (P2F_ERR_NESTING_TOO_DEEP beyond).
 * An end-group tag with no open group is P2F_ERR_INVALID_WIRE_TYPE. Defined in wire.c. */
P2F_EXPORT p2f_status p2f_wire_skip(const uint8_t **p, const uint8_t *end, uint32_t field, int wire_type,
                                    int max_depth);

/* Whether [s, s+len) is well-formed UTF-8: no overlong forms, no surrogates (U+D800..DFFF),
 * nothing above U+10FFFF, no truncated sequence. Defined in utf8.c. */
P2F_EXPORT int p2f_utf8_valid(const uint8_t *s, size_t len);

/* ---- writing ----------------------------------------------------------------------------- */

static inline size_t p2f_wire_varint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    n++;
  }
  return n;
}

static inline p2f_status p2f_wire_write_varint(uint8_t **p, uint8_t *end, uint64_t v) {
  size_t n = p2f_wire_varint_size(v);
  if ((size_t)(end - *p) < n) return P2F_ERR_BUFFER_TOO_SMALL;
  uint8_t *d = *p;
  while (v >= 0x80) {
    *d++ = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  *d++ = (uint8_t)v;
  *p = d;
  return P2F_OK;
}

static inline p2f_status p2f_wire_write_fixed32(uint8_t **p, uint8_t *end, uint32_t v) {
  if (end - *p < 4) return P2F_ERR_BUFFER_TOO_SMALL;
  uint8_t *d = *p;
  for (int i = 0; i < 4; i++) d[i] = (uint8_t)(v >> (8 * i));
  *p = d + 4;
  return P2F_OK;
}

static inline p2f_status p2f_wire_write_fixed64(uint8_t **p, uint8_t *end, uint64_t v) {
  if (end - *p < 8) return P2F_ERR_BUFFER_TOO_SMALL;
  uint8_t *d = *p;
  for (int i = 0; i < 8; i++) d[i] = (uint8_t)(v >> (8 * i));
  *p = d + 8;
  return P2F_OK;
}

static inline p2f_status p2f_wire_write_tag(uint8_t **p, uint8_t *end, uint32_t field, int wire_type) {
  return p2f_wire_write_varint(p, end, (uint64_t)field << 3 | (uint64_t)(unsigned)wire_type);
}

/* A length prefix and the bytes, or nothing when both do not fit. */
static inline p2f_status p2f_wire_write_bytes(uint8_t **p, uint8_t *end, const void *data, size_t len) {
  size_t n = p2f_wire_varint_size(len);
  if ((size_t)(end - *p) < n || (size_t)(end - *p) - n < len) return P2F_ERR_BUFFER_TOO_SMALL;
  (void)p2f_wire_write_varint(p, end, len);
  if (len) memcpy(*p, data, len);
  *p += len;
  return P2F_OK;
}

#ifdef __cplusplus
}
#endif

#endif /* PROTO2FFI_WIRE_H_ */
