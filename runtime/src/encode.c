/* Table-driven canonical protobuf encoding of fixed-layout structs (see proto2ffi/codec.h).
 *
 * Sizing (field_size) and writing (write_field) make the same decisions field by field, so
 * p2f_encoded_size is exactly what p2f_encode writes. Writes are unchecked inside a field:
 * before each field the space it needs is checked (exactly for strings, bytes and packed
 * arrays, whose sizes are known; against a 15-byte bound for a scalar, the largest a tag and a
 * varint can take, with an exact check only near the end of the buffer). Submessages are not
 * sized before they are written: put_message writes the body after a one-byte length and
 * moves it when the length needs more, so encoding is one walk of the tree; a proto3 singular
 * submessage (no presence flag) is written the same way and taken back when it is empty. Tags
 * come from the field table (p2f_field_desc.tag, written by the generator).
 *
 * The field loop (encode_fields.inc) is built twice on x86-64: portable, and for BMI2, where a
 * 64-bit varint is spread over its word by one pdep; p2f_encode runs the second where pdep is
 * fast (p2f__encode_pdep). Packed varints of 32- and 64-bit types go to p2f__vpack
 * (varint_pack.c), which writes 8 or 16 elements of one or two bytes per step with SSSE3 or
 * AVX2.
 *
 * Out-of-line fields (P2F_FF_OUT) are read through their pointers by the *_out functions.
 * Nesting is counted from the top message (depth 0); sizing a message deeper than
 * P2F_DEFAULT_MAX_DEPTH gives SIZE_MAX, which every caller passes up, so a pointer cycle
 * built in C ends there instead of recursing forever. */
#include <stddef.h>
#include <string.h>

#include "proto2ffi/codec.h"
#include "proto2ffi/wire.h"
#include "internal/port.h"
#include "internal/encode.h"
#include "internal/varint_pack.h"

/* The BMI2 build of the field loop: x86-64 (pdep of 64 bits) with GCC or clang. */
#if P2F__X86_SIMD && P2F__LITTLE_ENDIAN && defined(__x86_64__)
#define ENCODE_BMI2 1
#else
#define ENCODE_BMI2 0
#endif

#if ENCODE_BMI2
#include <cpuid.h>
#include <immintrin.h>
#include <stdatomic.h>
#endif


enum { SCALAR_BOUND = 15 }; /* a 5-byte tag and a 10-byte varint */

#if defined(__GNUC__) || defined(__clang__)
#define ENCODE_NOINLINE __attribute__((noinline))
#define ENCODE_INLINE inline __attribute__((always_inline))
#else
#define ENCODE_NOINLINE
#define ENCODE_INLINE inline
#endif

/* One varint (internal/varint_pack.h has them, shared with the packed writer). */
static inline size_t varint_size(uint64_t v) { return p2f__varint_size(v); }
static inline uint8_t *put_varint(uint8_t *p, uint64_t v) { return p2f__put_varint(p, v); }
static inline uint8_t *put_varint_wide(uint8_t *p, uint64_t v) { return p2f__put_varint_wide(p, v); }

/* put_varint_wide out of line: the loops of packed elements stay small. */
ENCODE_NOINLINE static uint8_t *put_varint_long(uint8_t *p, uint64_t v) { return put_varint_wide(p, v); }

/* put_varint for packed elements, when 8 bytes are free past the largest varint: the
 * common one- and two-byte values without a branch between them (the second byte is
 * overwritten by what follows when the value takes one), longer ones by put_varint_wide. */
static inline uint8_t *put_varint_packed(uint8_t *p, uint64_t v) {
  if (v < 0x4000) return p2f__put_varint_2(p, (uint32_t)v);
  return put_varint_long(p, v);
}

static inline uint8_t *put_fixed32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
  return p + 4;
}

static inline uint8_t *put_fixed64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
  return p + 8;
}

/* Bytes of a fixed-width field on the wire (its width: the struct holds the wire's bits), or
 * 0 for varints and length-delimited fields. */
static inline size_t fixed_width(const p2f_field_desc *f) {
  unsigned wt = P2F_FIELD_WIRE_TYPE(f->wire);
  return wt == P2F_WIRE_I64 || wt == P2F_WIRE_I32 ? P2F_FIELD_WIDTH(f->wire) : 0;
}

/* The varint of an int_size field (P2F_FF_INT_SIZE): the value at its width, signed except for
 * uint32/uint64, widened to 64 bits (sign-extended), zigzag-encoded for sint32/sint64. */
static uint64_t narrow_varint(const p2f_field_desc *f, const unsigned char *src) {
  unsigned width = P2F_FIELD_WIDTH(f->wire);
  int is_unsigned = f->type == P2F_FT_UINT32 || f->type == P2F_FT_UINT64;
  uint64_t u = 0;
  int64_t s = 0;
  if (width == 8) {
    memcpy(&u, src, 8);
    s = (int64_t)u;
  } else if (width == 4) {
    uint32_t x;
    memcpy(&x, src, 4);
    u = x;
    s = (int32_t)x;
  } else if (width == 2) {
    uint16_t x;
    memcpy(&x, src, 2);
    u = x;
    s = (int16_t)x;
  } else {
    u = src[0];
    s = (int8_t)src[0];
  }
  if (is_unsigned) return u;
  return (f->wire & P2F_FIELD_ZIGZAG) ? p2f_zigzag_encode64(s) : (uint64_t)s;
}

/* The varint a varint-encoded scalar is written as: by width, then the type's conversion. */
static inline uint64_t varint_value(const p2f_field_desc *f, const unsigned char *src) {
  if (f->flags & P2F_FF_INT_SIZE) return narrow_varint(f, src);
  switch (P2F_FIELD_WIDTH(f->wire)) {
    case 8: {
      uint64_t v;
      memcpy(&v, src, 8);
      return (f->wire & P2F_FIELD_ZIGZAG) ? p2f_zigzag_encode64((int64_t)v) : v;
    }
    case 1: /* bool */
      return src[0] != 0;
    default: {
      int32_t s;
      memcpy(&s, src, 4);
      if (f->wire & P2F_FIELD_ZIGZAG) return p2f_zigzag_encode32(s);
      if (f->type == P2F_FT_UINT32) return (uint32_t)s;
      return (uint64_t)(int64_t)s; /* int32, enum: negative values are sign-extended to 10 bytes */
    }
  }
}

static inline size_t scalar_size(const p2f_field_desc *f, const unsigned char *src) {
  size_t w = fixed_width(f);
  return w ? w : varint_size(varint_value(f, src));
}

static inline uint8_t *put_scalar(uint8_t *p, const p2f_field_desc *f, const unsigned char *src) {
  switch (fixed_width(f)) {
    case 8: {
      uint64_t v;
      memcpy(&v, src, 8);
      return put_fixed64(p, v);
    }
    case 4: {
      uint32_t v;
      memcpy(&v, src, 4);
      return put_fixed32(p, v);
    }
    default:
      return put_varint(p, varint_value(f, src));
  }
}

/* How a varint field's stored value becomes its varint: the width, and for widths 4 and 8
 * the type's conversion. */
enum { VK_64, VK_ZIGZAG64, VK_SIGNED32, VK_UNSIGNED32, VK_ZIGZAG32, VK_BOOL, VK_INT_SIZE };

static inline int varint_kind(const p2f_field_desc *f) {
  if (f->flags & P2F_FF_INT_SIZE) return VK_INT_SIZE;
  switch (P2F_FIELD_WIDTH(f->wire)) {
    case 8:
      return (f->wire & P2F_FIELD_ZIGZAG) ? VK_ZIGZAG64 : VK_64;
    case 1:
      return VK_BOOL;
    default:
      if (f->wire & P2F_FIELD_ZIGZAG) return VK_ZIGZAG32;
      return f->type == P2F_FT_UINT32 ? VK_UNSIGNED32 : VK_SIGNED32;
  }
}

/* Packed arrays: one loop per element type, so the conversion is not dispatched per element.
 * P2F_PACKED_EACH(T, CONVERT, BODY) runs BODY on each element, converted to the varint u; the
 * caller has the element distance in a local `stride` (f->elem_size read once: the stores the
 * loop makes could alias *f). */
#define P2F_PACKED_VARINTS(BODY)                                                 \
  switch (varint_kind(f)) {                                                      \
    case VK_64:                                                                  \
      P2F_PACKED_EACH(uint64_t, u = x, BODY)                                     \
      break;                                                                     \
    case VK_ZIGZAG64:                                                            \
      P2F_PACKED_EACH(int64_t, u = p2f_zigzag_encode64(x), BODY)                 \
      break;                                                                     \
    case VK_ZIGZAG32:                                                            \
      P2F_PACKED_EACH(int32_t, u = p2f_zigzag_encode32(x), BODY)                 \
      break;                                                                     \
    case VK_SIGNED32:                                                            \
      P2F_PACKED_EACH(int32_t, u = (uint64_t)(int64_t)x, BODY)                   \
      break;                                                                     \
    case VK_BOOL:                                                                \
      P2F_PACKED_EACH(uint8_t, u = x != 0, BODY)                                 \
      break;                                                                     \
    case VK_INT_SIZE:                                                            \
      for (uint32_t i = 0; i < count; i++) {                                     \
        uint64_t u = narrow_varint(f, v + (size_t)i * stride);                   \
        BODY;                                                                    \
      }                                                                          \
      break;                                                                     \
    default: /* uint32 */                                                        \
      P2F_PACKED_EACH(uint32_t, u = x, BODY)                                     \
      break;                                                                     \
  }
#define P2F_PACKED_EACH(T, CONVERT, BODY)                                        \
  for (const unsigned char *e = v, *const e_end = v + (size_t)count * stride; e != e_end; e += stride) { \
    T x;                                                                         \
    uint64_t u;                                                                  \
    memcpy(&x, e, sizeof x);                                                     \
    CONVERT;                                                                     \
    BODY;                                                                        \
  }

/* The kind internal/varint_pack.h writes the elements as, when they are contiguous at their
 * natural width (every inline and out-of-line array of these types); -1 for the rest (bool,
 * int_size, other strides), written by the loops above. */
static inline int vpack_kind(const p2f_field_desc *f, size_t stride) {
  switch (varint_kind(f)) {
    case VK_64:
      return stride == 8 ? P2F__VPACK_U64 : -1;
    case VK_ZIGZAG64:
      return stride == 8 ? P2F__VPACK_ZIGZAG64 : -1;
    case VK_SIGNED32:
      return stride == 4 ? P2F__VPACK_INT32 : -1;
    case VK_UNSIGNED32:
      return stride == 4 ? P2F__VPACK_UINT32 : -1;
    case VK_ZIGZAG32:
      return stride == 4 ? P2F__VPACK_ZIGZAG32 : -1;
    default:
      return -1;
  }
}

/* The most bytes one varint element takes. */
static inline size_t max_varint(const p2f_field_desc *f) {
  switch (varint_kind(f)) {
    case VK_BOOL:
      return 1;
    case VK_UNSIGNED32:
    case VK_ZIGZAG32:
      return 5;
    default: /* 64-bit, and int32/enum (negative values take 10) */
      return 10;
  }
}

/* Payload of a packed array: the sum of its elements' sizes. */
static size_t packed_payload(const p2f_field_desc *f, const unsigned char *v, uint32_t count) {
  size_t w = fixed_width(f);
  if (w) return (size_t)count * w;
  const size_t stride = f->elem_size;
  size_t payload = 0;
  P2F_PACKED_VARINTS(payload += varint_size(u))
  return payload;
}

static uint8_t *put_packed(uint8_t *p, const p2f_field_desc *f, const unsigned char *v, uint32_t count,
                           size_t payload) {
  size_t w = fixed_width(f);
  if (w && P2F__LITTLE_ENDIAN && f->elem_size == w) { /* the array is the wire format */
    memcpy(p, v, payload);
    return p + payload;
  }
  const size_t stride = f->elem_size;
  if (w) {
    for (uint32_t i = 0; i < count; i++) p = put_scalar(p, f, v + (size_t)i * stride);
    return p;
  }
  P2F_PACKED_VARINTS(p = put_varint(p, u))
  return p;
}

static inline uint32_t load_u32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static int is_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i]) return 0;
  }
  return 1;
}

/* Whether a non-repeated field is written. */
static int present(const p2f_field_desc *f, const unsigned char *msg) {
  switch (f->label) {
    case P2F_FL_OPTIONAL:
      return msg[f->aux_offset] != 0;
    case P2F_FL_ONEOF:
      return load_u32(msg + f->aux_offset) == f->number;
    case P2F_FL_SINGULAR:
      /* fixed_length bytes: left out when all zero, as nanopb leaves them */
      if (f->flags & P2F_FF_FIXED_LENGTH) return !is_zero(msg + f->offset, f->max_length);
      if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) return load_u32(msg + f->len_offset) != 0;
      if (f->type == P2F_FT_MESSAGE) return 1; /* singular_size / write_field: left out when empty */
      /* proto3 default: 0, false, +0.0 (-0.0 has its sign bit and is written) */
      return !is_zero(msg + f->offset, P2F_FIELD_WIDTH(f->wire));
    default: /* required, and the key and value of a map entry */
      return 1;
  }
}

static size_t msg_size(const p2f_msg_desc *d, const unsigned char *msg, int depth);

static inline const unsigned char *load_ptr(const unsigned char *p) {
  const unsigned char *v;
  memcpy(&v, p, sizeof v);
  return v;
}

/* Tags: the generator stores each field's encoded tag in its descriptor (tag, tag_len); a
 * table written without one (tag_len 0) has it computed here. The tag of a packed field has
 * wire type 2, of any other the field's wire type: the only tag the encoder writes for it. */
static inline size_t tag_size(const p2f_field_desc *f) {
  if (f->tag_len) return f->tag_len;
  return varint_size((uint64_t)f->number << 3);
}

static inline uint8_t *put_tag(uint8_t *p, const p2f_field_desc *f) {
  if (f->tag_len == 1) {
    *p = f->tag[0];
    return p + 1;
  }
  if (f->tag_len) {
    memcpy(p, f->tag, f->tag_len);
    return p + f->tag_len;
  }
  unsigned wt = (f->flags & P2F_FF_PACKED) ? (unsigned)P2F_WIRE_LEN : P2F_FIELD_WIRE_TYPE(f->wire);
  return put_varint(p, (uint64_t)f->number << 3 | wt);
}

/* Bytes of the string/bytes value `index` (0 unless repeated): its length member, or the
 * whole array of a fixed_length field. */
static inline uint32_t text_len(const p2f_field_desc *f, const unsigned char *msg, uint32_t index) {
  if (f->flags & P2F_FF_FIXED_LENGTH) return f->max_length;
  return load_u32(msg + f->len_offset + (size_t)index * 4);
}

/* The elements a repeated inline field writes: its count (bounded by the array), or all of a
 * fixed_count one. */
static inline uint32_t elem_count(const p2f_field_desc *f, const unsigned char *msg) {
  if (f->flags & P2F_FF_FIXED_COUNT) return f->capacity;
  uint32_t count = load_u32(msg + f->aux_offset);
  return count > f->capacity ? f->capacity : count; /* never read past the array */
}

/* Size of one value with its tag (not packed). */
static size_t value_size(const p2f_field_desc *f, const unsigned char *msg, const unsigned char *v, uint32_t index,
                         int depth) {
  size_t n;
  if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) {
    n = text_len(f, msg, index);
  } else if (f->type == P2F_FT_MESSAGE) {
    n = msg_size(f->sub, v, depth + 1);
    if (n == SIZE_MAX) return SIZE_MAX;
  } else {
    return tag_size(f) + scalar_size(f, v);
  }
  return tag_size(f) + varint_size(n) + n;
}

/* ---- out-of-line fields: sizes ------------------------------------------------------------ */

/* An out-of-line string/bytes value: its data and length (NULL data reads as empty). */
typedef struct text_ref {
  const unsigned char *data;
  uint32_t len;
} text_ref;

static inline text_ref text_at(const unsigned char *data_member, const unsigned char *len_member) {
  text_ref t = {load_ptr(data_member), load_u32(len_member)};
  if (t.data == NULL) t.len = 0;
  return t;
}

/* The element i of an out-of-line repeated string/bytes field (p2f_str / p2f_bytes). */
static inline text_ref text_elem(const unsigned char *arr, uint32_t i) {
  const unsigned char *e = arr + (size_t)i * sizeof(p2f_str);
  return text_at(e + offsetof(p2f_str, data), e + offsetof(p2f_str, len));
}

/* Whether a non-repeated out-of-line field is written: strings and bytes as inline ones, a
 * submessage when its pointer is set or its label always writes it (NULL: empty). */
static int present_out(const p2f_field_desc *f, const unsigned char *msg) {
  switch (f->label) {
    case P2F_FL_ONEOF:
      return load_u32(msg + f->aux_offset) == f->number;
    case P2F_FL_REQUIRED:
    case P2F_FL_ALWAYS:
      return 1;
    default:
      if (f->type == P2F_FT_MESSAGE) return load_ptr(msg + f->offset) != NULL;
      if (f->label == P2F_FL_OPTIONAL) return msg[f->aux_offset] != 0;
      return text_at(msg + f->offset, msg + f->len_offset).len != 0;
  }
}

/* A submessage through its pointer, with tag and length prefix; NULL is empty. */
static size_t sub_size(const p2f_field_desc *f, const unsigned char *sub, int depth) {
  size_t n = sub != NULL ? msg_size(f->sub, sub, depth + 1) : 0;
  if (n == SIZE_MAX) return SIZE_MAX;
  return tag_size(f) + varint_size(n) + n;
}

static size_t field_size_out(const p2f_field_desc *f, const unsigned char *msg, int depth) {
  if (f->label != P2F_FL_REPEATED) {
    if (!present_out(f, msg)) return 0;
    if (f->type == P2F_FT_MESSAGE) return sub_size(f, load_ptr(msg + f->offset), depth);
    size_t len = text_at(msg + f->offset, msg + f->len_offset).len;
    return tag_size(f) + varint_size(len) + len;
  }
  uint32_t count = load_u32(msg + f->aux_offset);
  const unsigned char *arr = load_ptr(msg + f->offset);
  if (count == 0 || arr == NULL) return 0;
  if (f->flags & P2F_FF_PACKED) {
    size_t payload = packed_payload(f, arr, count);
    return tag_size(f) + varint_size(payload) + payload;
  }
  size_t total = 0;
  for (uint32_t i = 0; i < count; i++) {
    const unsigned char *e = arr + (size_t)i * f->elem_size;
    size_t n;
    if (f->type == P2F_FT_MESSAGE) {
      n = sub_size(f, e, depth);
      if (n == SIZE_MAX) return SIZE_MAX;
    } else if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) {
      size_t len = text_elem(arr, i).len;
      n = tag_size(f) + varint_size(len) + len;
    } else {
      n = tag_size(f) + scalar_size(f, e);
    }
    total += n;
  }
  return total;
}

/* ---- sizes ---------------------------------------------------------------------------------- */

static size_t field_size(const p2f_field_desc *f, const unsigned char *msg, int depth) {
  if (f->flags & P2F_FF_OUT) return field_size_out(f, msg, depth);
  const unsigned char *v = msg + f->offset;
  if (f->label == P2F_FL_REPEATED) {
    uint32_t count = elem_count(f, msg);
    if (count == 0) return 0;
    if (f->flags & P2F_FF_PACKED) {
      size_t payload = packed_payload(f, v, count);
      return tag_size(f) + varint_size(payload) + payload;
    }
    size_t total = 0;
    for (uint32_t i = 0; i < count; i++) {
      size_t n = value_size(f, msg, v + (size_t)i * f->elem_size, i, depth);
      if (n == SIZE_MAX) return SIZE_MAX;
      total += n;
    }
    return total;
  }
  if (f->label == P2F_FL_SINGULAR && f->type == P2F_FT_MESSAGE) {
    /* proto3_singular_msgs: no presence flag; written unless it encodes to nothing */
    size_t n = msg_size(f->sub, v, depth + 1);
    if (n == SIZE_MAX) return SIZE_MAX;
    return n ? tag_size(f) + varint_size(n) + n : 0;
  }
  return present(f, msg) ? value_size(f, msg, v, 0, depth) : 0;
}

static size_t msg_size(const p2f_msg_desc *d, const unsigned char *msg, int depth) {
  if (depth > P2F_DEFAULT_MAX_DEPTH) return SIZE_MAX;
  size_t total = 0;
  for (uint32_t i = 0; i < d->field_count; i++) {
    size_t n = field_size(&d->fields[i], msg, depth);
    if (n == SIZE_MAX) return SIZE_MAX;
    total += n;
  }
  return total;
}

static uint8_t *encode_msg(const p2f_msg_desc *d, const unsigned char *msg, uint8_t *p, uint8_t *end, int depth);

/* A submessage (NULL: empty) with its tag and length prefix, in one walk: the body is
 * written after room for a one-byte length and moved up when its length takes more bytes
 * (a submessage of 128 bytes or more), instead of being sized by a walk of its own first.
 * NULL when it does not fit or nests too deep. */
static uint8_t *put_message(const p2f_field_desc *f, const unsigned char *sub, uint8_t *p, uint8_t *end, int depth) {
  size_t t = tag_size(f);
  if ((size_t)(end - p) < t + 1) return NULL;
  p = put_tag(p, f);
  uint8_t *body = p + 1;
  uint8_t *q = sub != NULL ? encode_msg(f->sub, sub, body, end, depth + 1) : body;
  if (q == NULL) return NULL;
  size_t n = (size_t)(q - body), k = varint_size(n);
  if (k > 1) {
    if ((size_t)(end - q) < k - 1) return NULL;
    memmove(body + (k - 1), body, n);
  }
  put_varint(p, n);
  return p + k + n;
}

/* One value with its tag, or NULL when it does not fit. */
static uint8_t *put_value(const p2f_field_desc *f, const unsigned char *msg, const unsigned char *v, uint32_t index,
                          uint8_t *p, uint8_t *end, int depth) {
  size_t room = (size_t)(end - p);
  if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) {
    uint32_t len = text_len(f, msg, index);
    if (tag_size(f) + varint_size(len) + len > room) return NULL;
    p = put_tag(p, f);
    p = put_varint(p, len);
    memcpy(p, v, len);
    return p + len;
  }
  if (f->type == P2F_FT_MESSAGE) return put_message(f, v, p, end, depth);
  if (room < SCALAR_BOUND && tag_size(f) + scalar_size(f, v) > room) return NULL;
  p = put_tag(p, f);
  return put_scalar(p, f, v);
}

static uint8_t *write_packed(const p2f_field_desc *f, const unsigned char *v, uint32_t count, uint8_t *p,
                             uint8_t *end);
static uint8_t *write_field(const p2f_field_desc *f, const unsigned char *msg, uint8_t *p, uint8_t *end, int depth);
static p2f_status encode_failed(const p2f_msg_desc *desc, const void *msg);

/* encode_fields and put_singular_scalar (encode_fields.inc): once as portable code, and on x86
 * once more compiled for BMI2, where a varint's 7-bit groups are spread over a word by one
 * pdep instead of three shift-and-mask steps. */
#define ENC_SUFFIX(name) name
#define ENC_TARGET
#define ENCODE_TOP ENCODE_NOINLINE /* p2f_encode only chooses, and jumps */
#define ENC_PUT_VARINT put_varint_wide
#include "encode_fields.inc"
#undef ENC_SUFFIX
#undef ENC_TARGET
#undef ENCODE_TOP
#undef ENC_PUT_VARINT

#if ENCODE_BMI2
/* put_varint_wide with the groups spread by pdep (BMI2). */
__attribute__((target("bmi2"), always_inline)) static inline uint8_t *put_varint_pdep(uint8_t *p, uint64_t v) {
  if (v < 0x80) {
    *p = (uint8_t)v;
    return p + 1;
  }
  const p2f__varint_shape *shape = &p2f__varint_shapes[__builtin_clzll(v)];
  uint64_t x = _pdep_u64(v, 0x7f7f7f7f7f7f7f7fu) | shape->cont;
  return p2f__put_varint_word(p, x, v, shape->len);
}

#define ENC_SUFFIX(name) name##_bmi2
#define ENC_TARGET __attribute__((target("bmi2")))
#define ENCODE_TOP ENCODE_NOINLINE
#define ENC_PUT_VARINT put_varint_pdep
#include "encode_fields.inc"
#undef ENC_SUFFIX
#undef ENC_TARGET
#undef ENCODE_TOP
#undef ENC_PUT_VARINT

/* Whether the top message is encoded by the BMI2 code: where pdep is fast (Intel's CPUs
 * with BMI2; AMD's from family 19h, Zen 3, on; the earlier ones run it in microcode, tens of
 * cycles). 0: not yet known, 1: no, 2: yes. Racing first calls store the same value. */
static atomic_int pdep_level;

static int pdep_fast(void) {
  __builtin_cpu_init();
  if (!__builtin_cpu_supports("bmi2")) return 0;
  if (__builtin_cpu_is("intel")) return 1;
  if (!__builtin_cpu_is("amd")) return 0;
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  unsigned family = a >> 8 & 0xfu;
  if (family == 0xfu) family += a >> 20 & 0xffu;
  return family >= 0x19u;
}

int p2f__encode_pdep(void) {
  int l = atomic_load_explicit(&pdep_level, memory_order_relaxed);
  if (l == 0) {
    l = pdep_fast() ? 2 : 1;
    atomic_store_explicit(&pdep_level, l, memory_order_relaxed);
  }
  return l == 2;
}
#else
int p2f__encode_pdep(void) { return 0; }
#endif

/* count (> 0) elements at v, packed with tag and length prefix, or NULL when they do not fit. */
ENCODE_NOINLINE static uint8_t *write_packed(const p2f_field_desc *f, const unsigned char *v, uint32_t count,
                                            uint8_t *p, uint8_t *end) {
  size_t room = (size_t)(end - p);
  const size_t w = fixed_width(f);
  if (w) { /* fixed width: the payload's size is known */
    size_t payload = (size_t)count * w;
    if (tag_size(f) + varint_size(payload) + payload > room) return NULL;
    p = put_varint(put_tag(p, f), payload);
    return put_packed(p, f, v, count, payload);
  }
  size_t most = (size_t)count * max_varint(f);
  if (tag_size(f) + varint_size(most) + most + P2F__VPACK_SLACK <= room) {
    /* One pass: the varints go after room for the largest length prefix they can need,
     * and move back if the actual prefix is shorter. With 8 bytes to spare past the largest
     * payload, each varint is stored with wide stores (put_varint_packed, p2f__vpack). */
    p = put_tag(p, f);
    size_t reserved = varint_size(most);
    uint8_t *start = p + reserved, *q = start;
    const size_t stride = f->elem_size;
    int vk = count >= 8 ? vpack_kind(f, stride) : -1;
    if (vk >= 0) {
      q = p2f__vpack(q, v, count, vk); /* several elements per step (varint_pack.c) */
    } else {
      P2F_PACKED_VARINTS(q = put_varint_packed(q, u))
    }
    size_t payload = (size_t)(q - start), used = varint_size(payload);
    if (used != reserved) memmove(p + used, start, payload);
    p = put_varint(p, payload);
    return p + payload;
  }
  size_t payload = packed_payload(f, v, count);
  if (tag_size(f) + varint_size(payload) + payload > room) return NULL;
  p = put_tag(p, f);
  p = put_varint(p, payload);
  return put_packed(p, f, v, count, payload);
}

/* ---- out-of-line fields: writing ------------------------------------------------------------ */

static uint8_t *put_text(const p2f_field_desc *f, text_ref t, uint8_t *p, uint8_t *end) {
  if (tag_size(f) + varint_size(t.len) + t.len > (size_t)(end - p)) return NULL;
  p = put_tag(p, f);
  p = put_varint(p, t.len);
  if (t.len) memcpy(p, t.data, t.len);
  return p + t.len;
}


static uint8_t *write_field_out(const p2f_field_desc *f, const unsigned char *msg, uint8_t *p, uint8_t *end,
                                int depth) {
  if (f->label != P2F_FL_REPEATED) {
    if (!present_out(f, msg)) return p;
    if (f->type == P2F_FT_MESSAGE) return put_message(f, load_ptr(msg + f->offset), p, end, depth);
    return put_text(f, text_at(msg + f->offset, msg + f->len_offset), p, end);
  }
  uint32_t count = load_u32(msg + f->aux_offset);
  const unsigned char *arr = load_ptr(msg + f->offset);
  if (count == 0 || arr == NULL) return p;
  if (f->flags & P2F_FF_PACKED) return write_packed(f, arr, count, p, end);
  for (uint32_t i = 0; i < count && p; i++) {
    const unsigned char *e = arr + (size_t)i * f->elem_size;
    if (f->type == P2F_FT_MESSAGE) p = put_message(f, e, p, end, depth);
    else if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) p = put_text(f, text_elem(arr, i), p, end);
    else p = put_value(f, msg, e, i, p, end, depth);
  }
  return p;
}

/* ---- writing -------------------------------------------------------------------------------- */

ENCODE_NOINLINE static uint8_t *write_field(const p2f_field_desc *f, const unsigned char *msg, uint8_t *p,
                                           uint8_t *end, int depth) {
  const unsigned char *v = msg + f->offset;
  if (f->label == P2F_FL_REPEATED) {
    if (f->flags & P2F_FF_OUT) return write_field_out(f, msg, p, end, depth);
    uint32_t count = elem_count(f, msg);
    if (count == 0) return p;
    if (f->flags & P2F_FF_PACKED) return write_packed(f, v, count, p, end);
    for (uint32_t i = 0; i < count && p; i++) {
      p = put_value(f, msg, v + (size_t)i * f->elem_size, i, p, end, depth);
    }
    return p;
  }
  if (f->label == P2F_FL_SINGULAR && (size_t)(end - p) >= SCALAR_BOUND) {
    uint8_t *q = put_singular_scalar(f, v, p); /* scalars are never out-of-line */
    if (q) return q;
  }
  if (f->flags & P2F_FF_OUT) return write_field_out(f, msg, p, end, depth);
  if (f->label == P2F_FL_SINGULAR && f->type == P2F_FT_MESSAGE) {
    /* As in field_size, left out when it encodes to nothing: written, and taken back when
     * its length is 0, so it is not walked twice. When it does not fit, it may still be
     * empty (then it writes nothing): sizing tells. */
    uint8_t *q = put_message(f, v, p, end, depth);
    if (q != NULL) return (size_t)(q - p) == tag_size(f) + 1 ? p : q;
    size_t n = msg_size(f->sub, v, depth + 1);
    return n == 0 ? p : NULL;
  }
  return present(f, msg) ? put_value(f, msg, v, 0, p, end, depth) : p;
}

static uint8_t *encode_msg(const p2f_msg_desc *d, const unsigned char *msg, uint8_t *p, uint8_t *end, int depth) {
  if (depth > P2F_DEFAULT_MAX_DEPTH) return NULL; /* a pointer cycle: p2f_encode tells it by sizing */
  return encode_fields(d, msg, p, end, depth);
}

/* Too little room, or a tree deeper than the limit: sizing tells which. Out of line: the
 * successful call stays small. */
ENCODE_NOINLINE static p2f_status encode_failed(const p2f_msg_desc *desc, const void *msg) {
  if (msg_size(desc, (const unsigned char *)msg, 0) == SIZE_MAX) return P2F_ERR_NESTING_TOO_DEEP;
  return P2F_ERR_BUFFER_TOO_SMALL;
}

p2f_status p2f__encode_at(const p2f_msg_desc *desc, const void *msg, uint8_t *buf, size_t cap, size_t *written,
                          int pdep) {
#if ENCODE_BMI2
  if (pdep) return encode_top_bmi2(desc, msg, buf, cap, written);
#else
  (void)pdep;
#endif
  return encode_top(desc, msg, buf, cap, written);
}

#if ENCODE_BMI2
/* The first call: detects the level, then encodes. */
ENCODE_NOINLINE static p2f_status encode_first(const p2f_msg_desc *desc, const void *msg, uint8_t *buf, size_t cap,
                                              size_t *written) {
  return p2f__encode_at(desc, msg, buf, cap, written, p2f__encode_pdep());
}
#endif

/* Only chooses the build and jumps to it (each call below is a tail call). */
p2f_status p2f_encode(const p2f_msg_desc *desc, const void *msg, uint8_t *buf, size_t cap, size_t *written) {
#if ENCODE_BMI2
  int l = atomic_load_explicit(&pdep_level, memory_order_relaxed);
  if (l == 2) return encode_top_bmi2(desc, msg, buf, cap, written);
  if (l == 0) return encode_first(desc, msg, buf, cap, written);
#endif
  return encode_top(desc, msg, buf, cap, written);
}

size_t p2f_encoded_size(const p2f_msg_desc *desc, const void *msg) {
  if (desc == NULL || msg == NULL) return 0;
  return msg_size(desc, (const unsigned char *)msg, 0);
}

#undef P2F_PACKED_EACH
#undef P2F_PACKED_VARINTS
