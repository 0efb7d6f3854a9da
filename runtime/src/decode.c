/* Table-driven protobuf decoding into fixed-layout structs (see proto2ffi/codec.h): the
 * inline fields in decode_plain / decode_field, the out-of-line ones (P2F_FF_OUT, data in an
 * arena) in decode_out. */
#include <limits.h>
#include <string.h>

#include "proto2ffi/codec.h"
#include "proto2ffi/wire.h"
#include "internal/port.h"
#include "internal/ool.h"
#include "internal/utf8.h"
#include "internal/decode.h"
#include "internal/encode.h"
#include "internal/varint_unpack.h"

#if defined(__GNUC__) || defined(__clang__)
#define DECODE_NOINLINE __attribute__((noinline))
#define DECODE_INLINE static inline __attribute__((always_inline))
#else
#define DECODE_NOINLINE
#define DECODE_INLINE static inline
#endif

/* The BMI2 build of the field loop (decode_fields.inc): x86-64 (pext of 64 bits) with GCC or
 * clang. */
#if P2F__X86_SIMD && P2F__LITTLE_ENDIAN && P2F__GNUC && defined(__x86_64__)
#define DECODE_BMI2 1
#include <immintrin.h>
#include <stdatomic.h>
#else
#define DECODE_BMI2 0
#endif

/* What one decode call was given. */
typedef struct dec {
  p2f_arena *arena; /* NULL: inline fields only */
  uint32_t flags;   /* P2F_DECODE_* */
  int max_depth;
  int pext; /* 1: the BMI2 build of the field loop decodes (submessages of the general path too) */
} dec;

#if P2F__LITTLE_ENDIAN && P2F__GNUC
/* The value of the varint in the low bytes of w whose last byte is the lowest set bit of
 * stop (stop: the high bits of the bytes that end one, non-zero): the 7-bit groups packed
 * together without a loop. */
DECODE_INLINE uint64_t varint_pack(uint64_t w, uint64_t stop) {
  uint64_t x = w & (stop ^ (stop - 1)) & 0x7f7f7f7f7f7f7f7fu;
  x = (x & 0x007f007f007f007fu) | ((x & 0x7f007f007f007f00u) >> 1);
  x = (x & 0x00003fff00003fffu) | ((x & 0x3fff00003fff0000u) >> 2);
  return (x & 0x000000000fffffffu) | ((x & 0x0fffffff00000000u) >> 4);
}
#endif

/* The field numbered `number` past d's dispatch table (codec.h), or NULL: a binary search.
 * Fields usually arrive in order, so the one after the last match (*hint) is tried first. */
DECODE_NOINLINE static const p2f_field_desc *search_field(const p2f_msg_desc *d, uint32_t number, uint32_t *hint) {
  uint32_t h = *hint;
  if (h < d->field_count && d->fields[h].number == number) {
    *hint = h + 1;
    return &d->fields[h];
  }
  uint32_t lo = 0, hi = d->field_count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (d->fields[mid].number == number) {
      *hint = mid + 1;
      return &d->fields[mid];
    }
    if (d->fields[mid].number < number) lo = mid + 1;
    else hi = mid;
  }
  return NULL;
}

static int enum_known(const p2f_field_desc *f, int32_t v) {
  uint32_t lo = 0, hi = f->enum_value_count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    if (f->enum_values[mid] == v) return 1;
    if (f->enum_values[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return 0;
}

/* Stores the low `width` bytes of v (constant-size copies, no call). */
static inline void store(unsigned char *dst, uint64_t v, size_t width) {
  if (width == 8) {
    memcpy(dst, &v, 8);
  } else if (width == 4) {
    uint32_t u = (uint32_t)v;
    memcpy(dst, &u, 4);
  } else if (width == 2) {
    uint16_t u = (uint16_t)v;
    memcpy(dst, &u, 2);
  } else {
    *dst = (unsigned char)v;
  }
}

/* A varint of an int_size field (P2F_FF_INT_SIZE) as the value to store: zigzag undone, then
 * checked against the width when it is narrower than 8 bytes (signed except for uint32 and
 * uint64). */
static p2f_status narrow_value(const p2f_field_desc *f, uint64_t *v) {
  unsigned width = P2F_FIELD_WIDTH(f->wire);
  if (f->wire & P2F_FIELD_ZIGZAG) *v = (uint64_t)p2f_zigzag_decode64(*v);
  if (width >= 8) return P2F_OK;
  unsigned bits = 8u * width;
  if (f->type == P2F_FT_UINT32 || f->type == P2F_FT_UINT64) return *v >> bits ? P2F_ERR_INTEGER_RANGE : P2F_OK;
  int64_t s = (int64_t)*v, lim = (int64_t)1 << (bits - 1);
  return s < -lim || s >= lim ? P2F_ERR_INTEGER_RANGE : P2F_OK;
}

/* Reads one scalar of f's wire type into *out as the bits the struct holds (zigzag undone,
 * bool 0/1, int32/uint32/enum in the low 32 bits, float/double bits). Returns P2F_OK, an
 * error, or 1 when the value is a closed enum's unknown number (to be dropped). */
static inline int read_scalar(const p2f_field_desc *f, const uint8_t **p, const uint8_t *end, uint64_t *out) {
  uint64_t v = 0;
  uint32_t v32 = 0;
  p2f_status st;
  switch (P2F_FIELD_WIRE_TYPE(f->wire)) {
    case P2F_WIRE_I64:
      return p2f_wire_read_fixed64(p, end, out);
    case P2F_WIRE_I32:
      st = p2f_wire_read_fixed32(p, end, &v32);
      *out = v32;
      return st;
    default:
      break;
  }
  st = p2f_wire_read_varint(p, end, &v);
  if (st != P2F_OK) return st;
  unsigned width = P2F_FIELD_WIDTH(f->wire);
  if (f->flags & P2F_FF_INT_SIZE) {
    *out = v;
    return narrow_value(f, out);
  }
  if (f->wire & P2F_FIELD_ZIGZAG) {
    v = width == 8 ? (uint64_t)p2f_zigzag_decode64(v) : (uint32_t)p2f_zigzag_decode32((uint32_t)v);
  } else if (width == 1) {
    v = v != 0; /* bool */
  } else if ((f->flags & P2F_FF_CLOSED_ENUM) && !enum_known(f, (int32_t)(uint32_t)v)) {
    return 1;
  }
  /* 64-bit types whole; 32-bit ones keep the low 32 bits (store) */
  *out = v;
  return P2F_OK;
}

/* A submessage's fields, by the build of the field loop c says. */
static p2f_status decode_sub(const p2f_msg_desc *d, unsigned char *msg, const uint8_t *p, const uint8_t *end,
                             int depth, const dec *c);


/* The varint_unpack.c kind of f's packed varints, or -1 for those read here (bool, closed
 * enums, nanopb's int_size, an element size other than the wire width). */
static int packed_kind(const p2f_field_desc *f) {
  if (f->flags & (P2F_FF_INT_SIZE | P2F_FF_CLOSED_ENUM)) return -1;
  unsigned width = P2F_FIELD_WIDTH(f->wire);
  if (f->elem_size != width || !P2F__LITTLE_ENDIAN) return -1;
  int zigzag = (f->wire & P2F_FIELD_ZIGZAG) != 0;
  if (width == 8) return zigzag ? P2F__VUNPACK_ZIGZAG64 : P2F__VUNPACK_U64;
  if (width == 4) return zigzag ? P2F__VUNPACK_ZIGZAG32 : P2F__VUNPACK_U32;
  return -1;
}

/* A packed run of n bytes appended to f's array at base, which has room for cap elements
 * (*count elements so far; *count is updated even on error, to what was stored).
 * Fixed-width elements are copied whole when the array has the wire's layout
 * (little-endian, no padding); varints by p2f__vunpack (varint_unpack.c, several per step)
 * for the types packed_kind names, else in a loop per type here. The statuses are those
 * of reading element by element: P2F_ERR_TOO_MANY_ELEMENTS when an element (even a partial
 * one) is left at capacity, else P2F_ERR_TRUNCATED for a partial one. */
static p2f_status decode_packed(const p2f_field_desc *f, unsigned char *base, uint32_t cap, const uint8_t *data,
                                size_t n, uint32_t *count) {
  uint32_t c = *count;
  unsigned wt = P2F_FIELD_WIRE_TYPE(f->wire);
  size_t w = wt == P2F_WIRE_I64 || wt == P2F_WIRE_I32 ? P2F_FIELD_WIDTH(f->wire) : 0;
  if (w) {
    size_t whole = n / w, room = cap - c;
    size_t take = whole < room ? whole : room;
    if (P2F__LITTLE_ENDIAN && f->elem_size == w) {
      memcpy(base + (size_t)c * w, data, take * w);
    } else {
      for (size_t i = 0; i < take; i++) {
        const uint8_t *q = data + i * w;
        uint64_t v = 0;
        read_scalar(f, &q, data + n, &v);
        store(base + (size_t)(c + i) * f->elem_size, v, w);
      }
    }
    *count = c + (uint32_t)take;
    if (whole > room || (n % w && whole == room)) return P2F_ERR_TOO_MANY_ELEMENTS;
    return n % w ? P2F_ERR_TRUNCATED : P2F_OK;
  }
  int kind = packed_kind(f);
  if (kind >= 0) return p2f__vunpack(base, cap, count, data, n, kind);
  const uint8_t *q = data, *qend = data + n;
  p2f_status st = P2F_OK;
  const size_t stride = f->elem_size; /* a local: stores through dst could alias *f */
#define P2F_PACKED_LOOP(STORE)                          \
  while (q < qend) {                                    \
    if (c >= cap) {                                     \
      st = P2F_ERR_TOO_MANY_ELEMENTS;                   \
      break;                                            \
    }                                                   \
    uint64_t v;                                         \
    st = p2f__packed_varint(&q, qend, &v);              \
    if (st != P2F_OK) break;                            \
    unsigned char *dst = base + (size_t)c * stride;     \
    STORE;                                              \
  }
  /* One loop per conversion: the width, then zigzag or the closed-enum check. */
  unsigned width = P2F_FIELD_WIDTH(f->wire);
  int zigzag = (f->wire & P2F_FIELD_ZIGZAG) != 0;
  if (f->flags & P2F_FF_INT_SIZE) {
    P2F_PACKED_LOOP(st = narrow_value(f, &v); if (st != P2F_OK) break; store(dst, v, width); c++)
  } else if (width == 8 && zigzag) {
    P2F_PACKED_LOOP(int64_t s = p2f_zigzag_decode64(v); memcpy(dst, &s, 8); c++)
  } else if (width == 8) { /* int64, uint64 */
    P2F_PACKED_LOOP(memcpy(dst, &v, 8); c++)
  } else if (width == 1) { /* bool */
    P2F_PACKED_LOOP(*dst = v != 0; c++)
  } else if (zigzag) { /* sint32 */
    P2F_PACKED_LOOP(int32_t s = p2f_zigzag_decode32((uint32_t)v); memcpy(dst, &s, 4); c++)
  } else if (f->flags & P2F_FF_CLOSED_ENUM) {
    P2F_PACKED_LOOP(int32_t e = (int32_t)(uint32_t)v; if (!enum_known(f, e)) continue; memcpy(dst, &e, 4); c++)
  } else { /* int32, uint32, open enums: the low 32 bits */
    P2F_PACKED_LOOP(uint32_t u = (uint32_t)v; memcpy(dst, &u, 4); c++)
  }
#undef P2F_PACKED_LOOP
  *count = c;
  return st;
}

static void init_defined(const p2f_msg_desc *d, unsigned char *msg);

/* Clears the has_ flags d's init set (P2F_MF_DEFAULT_HAS), in msg and in its inline
 * submessages, so that after decoding they say what the input held. */
static void clear_default_has(const p2f_msg_desc *d, unsigned char *msg) {
  for (uint32_t i = 0; i < d->field_count; i++) {
    const p2f_field_desc *f = &d->fields[i];
    if (f->flags & P2F_FF_OUT) continue;
    if (f->label == P2F_FL_OPTIONAL && f->aux_offset != P2F_NO_OFFSET) msg[f->aux_offset] = 0;
    if (f->type != P2F_FT_MESSAGE || !(f->sub->flags & P2F_MF_DEFAULT_HAS) || f->label == P2F_FL_ONEOF) continue;
    if (f->label != P2F_FL_REPEATED) {
      clear_default_has(f->sub, msg + f->offset);
    } else if (f->flags & P2F_FF_FIXED_COUNT) {
      for (uint32_t k = 0; k < f->capacity; k++) clear_default_has(f->sub, msg + f->offset + (size_t)k * f->elem_size);
    }
  }
}

/* d's init, then what decoding changes of it: the has_ flags of default_has cleared. */
static inline void init_msg(const p2f_msg_desc *d, unsigned char *msg) {
  d->init(msg);
  if (d->flags & P2F_MF_DEFAULT_HAS) clear_default_has(d, msg);
}

/* Whether decoding sets only the defined bytes of d (init_defined) rather than all of them
 * (d->init): d's init writes zeros only, its tree has no out-of-line field, and its struct is
 * larger than P2F_SPARSE_INIT_BYTES per field (smaller ones are zeroed whole faster than
 * their fields are walked). codec.h, "Defined bytes", states the same rule. */
static inline int sparse_init(const p2f_msg_desc *d) {
  return (d->flags & (P2F_MF_ZERO_INIT | P2F_MF_OUT_OF_LINE)) == P2F_MF_ZERO_INIT &&
         d->size > (uint64_t)P2F_SPARSE_INIT_BYTES * d->field_count;
}

/* Zeroes n bytes at p and no others: up to 64 bytes by constant-size stores (overlapping
 * where n is not a multiple of their size), more by memset. */
DECODE_INLINE void zero_bytes(unsigned char *p, uint32_t n) {
  static const unsigned char z[16] = {0};
  if (n >= 8) {
    if (n <= 16) {
      memcpy(p, z, 8);
      memcpy(p + n - 8, z, 8);
    } else if (n <= 32) {
      memcpy(p, z, 16);
      memcpy(p + n - 16, z, 16);
    } else if (n <= 64) {
      memcpy(p, z, 16);
      memcpy(p + 16, z, 16);
      memcpy(p + n - 32, z, 16);
      memcpy(p + n - 16, z, 16);
    } else {
      memset(p, 0, n);
    }
  } else if (n >= 4) {
    memcpy(p, z, 4);
    memcpy(p + n - 4, z, 4);
  } else if (n) {
    p[0] = 0;
    p[n / 2] = 0;
    p[n - 1] = 0;
  }
}

/* The generator's list of the bytes init_defined zeroes (p2f_msg_desc.zero_ranges), applied. */
DECODE_INLINE void zero_ranges(const p2f_msg_desc *d, unsigned char *msg) {
  const uint32_t *r = d->zero_ranges;
  for (uint32_t i = 0, n = d->zero_count; i < n; i++) zero_bytes(msg + r[2 * i], r[2 * i + 1]);
}

/* Initialises what decoding defines of message d at msg (codec.h, "Defined bytes"): with
 * P2F_DECODE_ZERO_FILL or when sparse_init says no, d->init (every byte); else
 * init_defined. */
static inline void dec_init(const p2f_msg_desc *d, unsigned char *msg, const dec *c) {
  if ((c->flags & P2F_DECODE_ZERO_FILL) || !sparse_init(d)) {
    init_msg(d, msg);
  } else if (d->zero_ranges != NULL) { /* applied here: no call on the common path */
    zero_ranges(d, msg);
  } else {
    init_defined(d, msg);
  }
}

/* Zeroes the bytes of d's struct that decoding defines, and no others: scalars, presence
 * flags, oneof tags, counts, lengths, the first byte (the NUL) of each string, and inline
 * submessages the same way (or whole, as sparse_init says). Only where sparse_init(d). The
 * generator's list of the same bytes (p2f_msg_desc.zero_ranges) where there is one, else a
 * walk over the field table. */
static void init_defined(const p2f_msg_desc *d, unsigned char *msg) {
  static const uint32_t zero = 0;
  if (d->zero_ranges != NULL) { /* the generator's list of the same bytes */
    zero_ranges(d, msg);
    return;
  }
  for (uint32_t i = 0; i < d->field_count; i++) {
    const p2f_field_desc *f = &d->fields[i];
    if (f->flags & P2F_FF_FIXED_COUNT) { /* every element is defined */
      for (uint32_t k = 0; k < f->capacity; k++) {
        unsigned char *e = msg + f->offset + (size_t)k * f->elem_size;
        if (f->type != P2F_FT_MESSAGE) memset(e, 0, f->elem_size);
        else if (sparse_init(f->sub)) init_defined(f->sub, e);
        else init_msg(f->sub, e);
      }
      continue;
    }
    if (f->label == P2F_FL_REPEATED || f->label == P2F_FL_ONEOF) { /* count / which_ */
      memcpy(msg + f->aux_offset, &zero, 4);
      continue;
    }
    if (f->aux_offset != P2F_NO_OFFSET) msg[f->aux_offset] = 0; /* has_ */
    switch (f->type) {
      case P2F_FT_STRING:
        msg[f->offset] = 0;
        /* fall through */
      case P2F_FT_BYTES:
        if (f->flags & P2F_FF_FIXED_LENGTH) memset(msg + f->offset, 0, f->max_length); /* all defined */
        else memcpy(msg + f->len_offset, &zero, 4);
        break;
      case P2F_FT_MESSAGE:
        if (sparse_init(f->sub)) init_defined(f->sub, msg + f->offset);
        else init_msg(f->sub, msg + f->offset);
        break;
      default: { /* constant-size stores: no call */
        static const uint64_t zero8 = 0;
        if (f->elem_size == 8) memcpy(msg + f->offset, &zero8, 8);
        else if (f->elem_size == 4) memcpy(msg + f->offset, &zero, 4);
        else if (f->elem_size == 1) msg[f->offset] = 0;
        else memset(msg + f->offset, 0, f->elem_size);
        break;
      }
    }
  }
}

/* The oneof's union when another member takes over: cleared whole with
 * P2F_DECODE_ZERO_FILL, else only what the new member defines (a string's length and NUL, a
 * submessage as dec_init does; a scalar is stored next). */
static void switch_oneof(const p2f_field_desc *f, unsigned char *msg, const dec *c) {
  uint32_t which;
  memcpy(&which, msg + f->aux_offset, 4);
  if (which == f->number) return;
  uint32_t start = f->len_offset != P2F_NO_OFFSET && f->len_offset < f->offset ? f->len_offset : f->offset;
  memcpy(msg + f->aux_offset, &f->number, 4);
  if ((c->flags & P2F_DECODE_ZERO_FILL) || (f->flags & P2F_FF_OUT)) {
    memset(msg + start, 0, f->capacity);
    if (f->type == P2F_FT_MESSAGE && !(f->flags & P2F_FF_OUT)) init_msg(f->sub, msg + start);
    return;
  }
  if (f->type == P2F_FT_MESSAGE) {
    dec_init(f->sub, msg + start, c);
  } else if ((f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) && !(f->flags & P2F_FF_FIXED_LENGTH)) {
    static const uint32_t zero = 0;
    memcpy(msg + f->len_offset, &zero, 4);
    if (f->type == P2F_FT_STRING) msg[f->offset] = 0;
  }
}

static void set_flag(unsigned char *msg, uint32_t offset) {
  if (offset != P2F_NO_OFFSET) msg[offset] = 1;
}

/* Bytes of a string/bytes value into its storage: length, data, and a NUL after strings. */
static p2f_status store_text(const p2f_field_desc *f, unsigned char *len_dst, unsigned char *data_dst,
                             const uint8_t *data, size_t n) {
  if (n > f->max_length) return P2F_ERR_STRING_TOO_LONG;
  if (f->flags & P2F_FF_UTF8) {
    if (!p2f_utf8_copy(data_dst, data, n)) return P2F_ERR_INVALID_UTF8; /* message re-initialised */
  } else if (n) {
    memcpy(data_dst, data, n);
  }
  uint32_t len = (uint32_t)n;
  memcpy(len_dst, &len, 4);
  if (f->type == P2F_FT_STRING) data_dst[n] = 0;
  return P2F_OK;
}

/* A value of a fixed_length bytes field (P2F_FF_FIXED_LENGTH): exactly max_length bytes, or
 * none, which zeroes them (nanopb's rule). */
static p2f_status store_fixed(const p2f_field_desc *f, unsigned char *dst, const uint8_t *data, size_t n) {
  if (n == 0) {
    memset(dst, 0, f->max_length);
    return P2F_OK;
  }
  if (n != f->max_length) return P2F_ERR_FIXED_LENGTH;
  memcpy(dst, data, n);
  return P2F_OK;
}

/* Map entries: an entry whose key equals an earlier one's replaces it. Keys are field 1 of
 * the entry; equal keys have equal bytes in the struct (numbers are stored whole, strings
 * compare length and data). */
static int same_key(const p2f_msg_desc *entry, const unsigned char *a, const unsigned char *b) {
  const p2f_field_desc *k = &entry->fields[0];
  if (k->type == P2F_FT_STRING) {
    uint32_t la, lb;
    memcpy(&la, a + k->len_offset, 4);
    memcpy(&lb, b + k->len_offset, 4);
    if (la != lb) return 0;
    if (!(k->flags & P2F_FF_OUT)) return memcmp(a + k->offset, b + k->offset, la) == 0;
    const char *pa, *pb;
    memcpy(&pa, a + k->offset, sizeof pa);
    memcpy(&pb, b + k->offset, sizeof pb);
    return la == 0 || memcmp(pa, pb, la) == 0;
  }
  return memcmp(a + k->offset, b + k->offset, P2F_FIELD_WIDTH(k->wire)) == 0;
}

/* ---- out-of-line fields ------------------------------------------------------------------ */

static inline void *dec_load_ptr(const unsigned char *p) {
  void *v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline void dec_store_ptr(unsigned char *p, const void *v) { memcpy(p, &v, sizeof v); }

static inline uint32_t dec_load_u32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static inline void dec_store_u32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }

/* The out-of-line storage of a string/bytes value: NULL when empty; else aliased into the
 * input or copied into the arena (strings with a NUL after them), UTF-8 verified for proto3
 * strings either way. */
static p2f_status out_text(const p2f_field_desc *f, const dec *c, const uint8_t *data, size_t n, void **out) {
  if (n > f->max_length || n > UINT32_MAX) return P2F_ERR_STRING_TOO_LONG;
  *out = NULL;
  if (n == 0) return P2F_OK;
  int utf8 = (f->flags & P2F_FF_UTF8) != 0;
  if (c->flags & P2F_DECODE_ALIAS) {
    if (utf8 && !p2f_utf8_valid(data, n)) return P2F_ERR_INVALID_UTF8;
    *out = (void *)(uintptr_t)data;
    return P2F_OK;
  }
  size_t nul = f->type == P2F_FT_STRING;
  unsigned char *dst = (unsigned char *)p2f_arena_alloc_aligned_inline(c->arena, n + nul, 1);
  if (dst == NULL) return p2f__arena_status(c->arena);
  if (utf8) {
    if (!p2f_utf8_copy(dst, data, n)) return P2F_ERR_INVALID_UTF8;
  } else {
    memcpy(dst, data, n);
  }
  if (nul) dst[n] = 0;
  *out = dst;
  return P2F_OK;
}

/* f's array with room for `more` elements after its `count`, grown in the arena as needed;
 * NULL with *st on failure. */
static unsigned char *out_reserve(const p2f_field_desc *f, unsigned char *msg, const dec *c, uint32_t count,
                                  uint64_t more, p2f_status *st) {
  void *data = dec_load_ptr(msg + f->offset);
  uint32_t cap = dec_load_u32(msg + f->capacity);
  if ((uint64_t)count + more <= cap) return (unsigned char *)data;
  *st = p2f__array_reserve(c->arena, &data, count, &cap, more, f->elem_size, p2f__elem_align(f));
  if (*st != P2F_OK) return NULL;
  dec_store_ptr(msg + f->offset, data);
  dec_store_u32(msg + f->capacity, cap);
  return (unsigned char *)data;
}

/* Elements a packed run of n bytes can hold at most: whole fixed-width ones (and a partial
 * one), or the varints ended in it (and an unterminated one). */
static uint64_t packed_elements(const p2f_field_desc *f, const uint8_t *data, size_t n) {
  unsigned wt = P2F_FIELD_WIRE_TYPE(f->wire);
  if (wt == P2F_WIRE_I64 || wt == P2F_WIRE_I32) {
    size_t w = P2F_FIELD_WIDTH(f->wire);
    return (n + w - 1) / w;
  }
  return p2f__varint_count(data, n);
}

/* An out-of-line field's value (see codec.h for the shapes). */
static p2f_status decode_out(const p2f_field_desc *f, unsigned char *msg, int wt, const uint8_t **p,
                             const uint8_t *end, int depth, const dec *c) {
  int want = (int)P2F_FIELD_WIRE_TYPE(f->wire);
  const uint8_t *data;
  size_t n;
  p2f_status st;
  if (f->label == P2F_FL_REPEATED) {
    uint32_t count = dec_load_u32(msg + f->aux_offset);
    if (wt == P2F_WIRE_LEN && want != P2F_WIRE_LEN) { /* packed: reserved for the whole run */
      st = p2f_wire_read_len(p, end, &data, &n);
      if (st != P2F_OK) return st;
      unsigned char *base = out_reserve(f, msg, c, count, packed_elements(f, data, n), &st);
      if (base == NULL) return st;
      st = decode_packed(f, base, dec_load_u32(msg + f->capacity), data, n, &count);
      dec_store_u32(msg + f->aux_offset, count);
      return st;
    }
    if (wt != want) return P2F_ERR_WIRE_TYPE_MISMATCH;
    unsigned char *base = out_reserve(f, msg, c, count, 1, &st);
    if (base == NULL) return st;
    unsigned char *elem = base + (size_t)count * f->elem_size;
    if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) {
      st = p2f_wire_read_len(p, end, &data, &n);
      if (st != P2F_OK) return st;
      void *text;
      st = out_text(f, c, data, n, &text);
      if (st != P2F_OK) return st;
      p2f_str s = {(char *)text, (uint32_t)n, 0}; /* p2f_bytes has the same layout */
      memcpy(elem, &s, sizeof s);
      count++;
    } else if (f->type == P2F_FT_MESSAGE) {
      st = p2f_wire_read_len(p, end, &data, &n);
      if (st != P2F_OK) return st;
      init_msg(f->sub, elem);
      st = decode_sub(f->sub, elem, data, data + n, depth + 1, c);
      if (st != P2F_OK) return st;
      uint32_t slot = count;
      if (f->flags & P2F_FF_MAP) {
        for (uint32_t i = 0; i < count; i++) {
          unsigned char *other = base + (size_t)i * f->elem_size;
          if (same_key(f->sub, other, elem)) {
            memcpy(other, elem, f->elem_size);
            slot = i;
            break;
          }
        }
      }
      if (slot == count) count++;
    } else {
      uint64_t v = 0;
      int r = read_scalar(f, p, end, &v);
      if (r < 0) return (p2f_status)r;
      if (r == 0) {
        store(elem, v, P2F_FIELD_WIDTH(f->wire));
        count++;
      }
    }
    dec_store_u32(msg + f->aux_offset, count);
    return P2F_OK;
  }
  if (wt != want) return P2F_ERR_WIRE_TYPE_MISMATCH;
  st = p2f_wire_read_len(p, end, &data, &n);
  if (st != P2F_OK) return st;
  if (f->type == P2F_FT_MESSAGE) {
    if (f->label == P2F_FL_ONEOF) switch_oneof(f, msg, c);
    /* A submessage seen twice is merged: decode into the one already there. */
    unsigned char *sub = (unsigned char *)dec_load_ptr(msg + f->offset);
    if (sub == NULL) {
      sub = (unsigned char *)p2f_msg_new(c->arena, f->sub);
      if (sub == NULL) return p2f__arena_status(c->arena);
      dec_store_ptr(msg + f->offset, sub);
    }
    st = decode_sub(f->sub, sub, data, data + n, depth + 1, c);
    if (st != P2F_OK) return st;
  } else {
    void *text;
    st = out_text(f, c, data, n, &text);
    if (st != P2F_OK) return st;
    if (f->label == P2F_FL_ONEOF) switch_oneof(f, msg, c);
    dec_store_ptr(msg + f->offset, text);
    dec_store_u32(msg + f->len_offset, (uint32_t)n);
  }
  if (f->label == P2F_FL_OPTIONAL || f->label == P2F_FL_REQUIRED || f->label == P2F_FL_ALWAYS) {
    set_flag(msg, f->aux_offset);
  }
  return P2F_OK;
}

/* ---- inline fields, and the dispatch ----------------------------------------------------------- */

/* fixed: the element count of a fixed_count field (P2F_FF_FIXED_COUNT), kept by decode_into
 * as the struct has no count member for it. */
DECODE_NOINLINE static p2f_status decode_field(const p2f_field_desc *f, unsigned char *msg, int wt,
                                               const uint8_t **p, const uint8_t *end, int depth, const dec *c,
                                               uint32_t *fixed) {
  if (f->flags & P2F_FF_OUT) return decode_out(f, msg, wt, p, end, depth, c);
  int want = (int)P2F_FIELD_WIRE_TYPE(f->wire);
  if (f->label == P2F_FL_REPEATED) {
    uint32_t count;
    uint32_t *count_at = (f->flags & P2F_FF_FIXED_COUNT) ? fixed : NULL;
    if (count_at) count = *count_at;
    else memcpy(&count, msg + f->aux_offset, 4);
    if (wt == P2F_WIRE_LEN && want != P2F_WIRE_LEN) {
      /* Packed: a run of scalars. */
      const uint8_t *data;
      size_t n;
      p2f_status st = p2f_wire_read_len(p, end, &data, &n);
      if (st != P2F_OK) return st;
      st = decode_packed(f, msg + f->offset, f->capacity, data, n, &count);
      if (count_at) *count_at = count;
      else memcpy(msg + f->aux_offset, &count, 4);
      return st;
    }
    if (wt != want) return P2F_ERR_WIRE_TYPE_MISMATCH;
    if (count >= f->capacity) return P2F_ERR_TOO_MANY_ELEMENTS;
    unsigned char *elem = msg + f->offset + (size_t)count * f->elem_size;
    if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) {
      const uint8_t *data;
      size_t n;
      p2f_status st = p2f_wire_read_len(p, end, &data, &n);
      if (st != P2F_OK) return st;
      if (f->flags & P2F_FF_FIXED_LENGTH) st = store_fixed(f, elem, data, n);
      else st = store_text(f, msg + f->len_offset + (size_t)count * 4, elem, data, n);
      if (st != P2F_OK) return st;
      count++;
    } else if (f->type == P2F_FT_MESSAGE) {
      const uint8_t *data;
      size_t n;
      p2f_status st = p2f_wire_read_len(p, end, &data, &n);
      if (st != P2F_OK) return st;
      dec_init(f->sub, elem, c);
      st = decode_sub(f->sub, elem, data, data + n, depth + 1, c);
      if (st != P2F_OK) return st;
      uint32_t slot = count;
      if (f->flags & P2F_FF_MAP) {
        for (uint32_t i = 0; i < count; i++) {
          unsigned char *other = msg + f->offset + (size_t)i * f->elem_size;
          if (same_key(f->sub, other, elem)) {
            memcpy(other, elem, f->elem_size);
            if (c->flags & P2F_DECODE_ZERO_FILL) init_msg(f->sub, elem); /* past the count: defined only then */
            slot = i;
            break;
          }
        }
      }
      if (slot == count) count++;
    } else {
      uint64_t v = 0;
      int r = read_scalar(f, p, end, &v);
      if (r < 0) return (p2f_status)r;
      if (r == 0) {
        store(elem, v, P2F_FIELD_WIDTH(f->wire));
        count++;
      }
    }
    if (count_at) *count_at = count;
    else memcpy(msg + f->aux_offset, &count, 4);
    return P2F_OK;
  }

  if (wt != want) return P2F_ERR_WIRE_TYPE_MISMATCH;
  if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) {
    const uint8_t *data;
    size_t n;
    p2f_status st = p2f_wire_read_len(p, end, &data, &n);
    if (st != P2F_OK) return st;
    int fixed_length = (f->flags & P2F_FF_FIXED_LENGTH) != 0;
    if (fixed_length && n != 0 && n != f->max_length) return P2F_ERR_FIXED_LENGTH;
    if (n > f->max_length) return P2F_ERR_STRING_TOO_LONG;
    if (f->label == P2F_FL_ONEOF) switch_oneof(f, msg, c);
    st = fixed_length ? store_fixed(f, msg + f->offset, data, n) : store_text(f, msg + f->len_offset, msg + f->offset, data, n);
    if (st != P2F_OK) return st;
  } else if (f->type == P2F_FT_MESSAGE) {
    const uint8_t *data;
    size_t n;
    p2f_status st = p2f_wire_read_len(p, end, &data, &n);
    if (st != P2F_OK) return st;
    if (f->label == P2F_FL_ONEOF) switch_oneof(f, msg, c);
    /* A submessage seen twice is merged: decode into what is there. */
    st = decode_sub(f->sub, msg + f->offset, data, data + n, depth + 1, c);
    if (st != P2F_OK) return st;
  } else {
    uint64_t v = 0;
    int r = read_scalar(f, p, end, &v);
    if (r < 0) return (p2f_status)r;
    if (r == 1) return P2F_OK; /* unknown closed-enum value: dropped */
    if (f->label == P2F_FL_ONEOF) switch_oneof(f, msg, c);
    store(msg + f->offset, v, P2F_FIELD_WIDTH(f->wire));
  }
  if (f->label == P2F_FL_OPTIONAL || f->label == P2F_FL_REQUIRED || f->label == P2F_FL_ALWAYS) {
    set_flag(msg, f->aux_offset);
  }
  return P2F_OK;
}

/* The common case, a singular or optional scalar, string or bytes field with its expected
 * wire type, without going through decode_field. Returns P2F_OK, an error, or NOT_PLAIN to
 * take the general path. */
enum { NOT_PLAIN = 2 };

static inline int decode_plain(const p2f_field_desc *f, unsigned char *msg, int wt, const uint8_t **p,
                               const uint8_t *end) {
  unsigned wire = f->wire;
  if ((unsigned)wt != P2F_FIELD_WIRE_TYPE(wire)) return NOT_PLAIN;
  unsigned char *dst = msg + f->offset;
  p2f_status st;
  if (wt == P2F_WIRE_VARINT) {
    /* closed enums drop unknown values, int_size values are range-checked (decode_field) */
    if (f->flags & (P2F_FF_CLOSED_ENUM | P2F_FF_INT_SIZE)) return NOT_PLAIN;
    uint64_t v;
    st = p2f_wire_read_varint(p, end, &v);
    if (st != P2F_OK) return st;
    switch (wire) {
      case P2F_FIELD_WIRE(P2F_WIRE_VARINT, 8, 0):
        memcpy(dst, &v, 8);
        break;
      case P2F_FIELD_WIRE(P2F_WIRE_VARINT, 8, 1): {
        int64_t s = p2f_zigzag_decode64(v);
        memcpy(dst, &s, 8);
        break;
      }
      case P2F_FIELD_WIRE(P2F_WIRE_VARINT, 4, 1): {
        int32_t s = p2f_zigzag_decode32((uint32_t)v);
        memcpy(dst, &s, 4);
        break;
      }
      case P2F_FIELD_WIRE(P2F_WIRE_VARINT, 1, 0): /* bool */
        *dst = v != 0;
        break;
      default: { /* int32, uint32, enum: the low 32 bits */
        uint32_t u = (uint32_t)v;
        memcpy(dst, &u, 4);
        break;
      }
    }
  } else if (wt == P2F_WIRE_I64) {
    uint64_t v;
    st = p2f_wire_read_fixed64(p, end, &v);
    if (st != P2F_OK) return st;
    memcpy(dst, &v, 8);
  } else if (wt == P2F_WIRE_I32) {
    uint32_t u;
    st = p2f_wire_read_fixed32(p, end, &u);
    if (st != P2F_OK) return st;
    memcpy(dst, &u, 4);
  } else {
    if (f->type == P2F_FT_MESSAGE || (f->flags & (P2F_FF_OUT | P2F_FF_FIXED_LENGTH))) return NOT_PLAIN;
    const uint8_t *data;
    size_t n;
    st = p2f_wire_read_len(p, end, &data, &n);
    if (st != P2F_OK) return st;
    st = store_text(f, msg + f->len_offset, dst, data, n);
    if (st != P2F_OK) return st;
  }
  if (f->label == P2F_FL_OPTIONAL) msg[f->aux_offset] = 1;
  return P2F_OK;
}

/* What decode_into keeps across fields for the general path (decode_slow), in memory so
 * that the loop's registers stay free for the common fields. */
typedef struct dec_state {
  const p2f_msg_desc *d;
  const dec *c;
  int depth;
  uint32_t hint; /* search_field's */
  /* The fixed_count field being filled and its elements so far (codec.h, "Fixed sizes"). */
  uint32_t fixed_n;
  const p2f_field_desc *fixed_f;
  /* Required fields seen, one bit per field index (messages have at most a few); set up only
   * when the message has any (P2F_MF_NO_REQUIRED not set). */
  uint64_t seen[8];
} dec_state;

/* One field whose tag (number, wt) was just read, f its descriptor when decode_into found it
 * in the dispatch table (else NULL: searched here), by the general path: the wire type
 * checked, unknown fields skipped, fixed_count fields counted, required fields recorded. */
DECODE_NOINLINE static p2f_status decode_slow(dec_state *s, unsigned char *msg, const p2f_field_desc *f,
                                              uint32_t number, int wt, const uint8_t **p, const uint8_t *end) {
  const p2f_msg_desc *d = s->d;
  const dec *c = s->c;
  int depth = s->depth;
  if (number == 0) return P2F_ERR_INVALID_FIELD_NUMBER;
  if (wt > 5) return P2F_ERR_INVALID_WIRE_TYPE;
  if (f == NULL && number >= (d->dispatch != NULL ? d->dispatch_len : 0)) f = search_field(d, number, &s->hint);
  if (f == NULL) return p2f_wire_skip(p, end, number, wt, c->max_depth - depth);
  if (f->label <= P2F_FL_OPTIONAL) {
    int r = decode_plain(f, msg, wt, p, end);
    if (r != NOT_PLAIN) return (p2f_status)r;
  }
  if ((f->flags & P2F_FF_FIXED_COUNT) && f != s->fixed_f) {
    if (s->fixed_f != NULL && s->fixed_n != s->fixed_f->capacity) return P2F_ERR_FIXED_COUNT;
    s->fixed_f = f;
    s->fixed_n = 0;
  }
  p2f_status st = decode_field(f, msg, wt, p, end, depth, c, &s->fixed_n);
  if (st != P2F_OK) return st;
  if (f->label == P2F_FL_REQUIRED && !(d->flags & P2F_MF_NO_REQUIRED)) { /* seen[] set up only then */
    size_t index = (size_t)(f - d->fields);
    if (index < 512) s->seen[index / 64] |= (uint64_t)1 << (index % 64);
  }
  return P2F_OK;
}

/* A tag of three or more bytes (or one cut short by the end of the input). */
DECODE_NOINLINE static p2f_status read_long_tag(const uint8_t **p, const uint8_t *end, uint32_t *number, int *wt) {
  return p2f_wire_read_tag(p, end, number, wt);
}

/* What decode_into compares a field's first byte with to know it is the field it expects
 * when there is no one-byte tag to expect (no byte equals it). */
#define P2F_NO_TAG 0x100u


/* The field loop (decode_fields.inc): once as portable code, and on x86-64 once more compiled
 * for BMI2, where a varint's 7-bit groups are gathered by one pext instead of three
 * shift-and-mask steps. */
#define DEC_NAME(name) name
#define DEC_TARGET
#define DEC_PACK varint_pack
#include "decode_fields.inc"
#undef DEC_NAME
#undef DEC_TARGET
#undef DEC_PACK

#if DECODE_BMI2
/* varint_pack by pext (BMI2). */
__attribute__((target("bmi2"), always_inline)) static inline uint64_t varint_pext(uint64_t w, uint64_t stop) {
  return _pext_u64(w, (stop ^ (stop - 1)) & 0x7f7f7f7f7f7f7f7fu);
}
#define DEC_NAME(name) name##_bmi2
#define DEC_TARGET __attribute__((target("bmi2")))
#define DEC_PACK varint_pext
#include "decode_fields.inc"
#undef DEC_NAME
#undef DEC_TARGET
#undef DEC_PACK

/* Whether the BMI2 build decodes: where pext is fast, which is where pdep is (encode.c's
 * rule, p2f__encode_pdep). 0: not yet known, 1: no, 2: yes. Racing first calls store the
 * same value. */
static atomic_int pext_level;

static int dec_pext(void) {
  int l = atomic_load_explicit(&pext_level, memory_order_relaxed);
  if (l == 0) {
    l = p2f__encode_pdep() ? 2 : 1;
    atomic_store_explicit(&pext_level, l, memory_order_relaxed);
  }
  return l == 2;
}
#else
static int dec_pext(void) { return 0; }
#endif

static p2f_status decode_sub(const p2f_msg_desc *d, unsigned char *msg, const uint8_t *p, const uint8_t *end,
                             int depth, const dec *c) {
#if DECODE_BMI2
  if (c->pext) return decode_into_bmi2(d, msg, p, end, depth, c);
#endif
  return decode_into(d, msg, p, end, depth, c);
}

int p2f__decode_pext(void) { return dec_pext(); }
p2f_status p2f__decode_at(const p2f_msg_desc *desc, void *msg, const uint8_t *buf, size_t len,
                          const p2f_decode_options *opts, int pext) {
  if (desc == NULL || msg == NULL || (buf == NULL && len != 0)) return P2F_ERR_INVALID_ARGUMENT;
  dec c = {NULL, 0, P2F_DEFAULT_MAX_DEPTH, DECODE_BMI2 && pext};
  if (opts != NULL) {
    c.arena = opts->arena;
    c.flags = opts->flags;
    if (opts->max_depth != 0) c.max_depth = opts->max_depth < INT_MAX ? (int)opts->max_depth : INT_MAX;
  }
  dec_init(desc, (unsigned char *)msg, &c);
  if ((desc->flags & P2F_MF_OUT_OF_LINE) && c.arena == NULL) return P2F_ERR_INVALID_ARGUMENT;
  p2f_arena_marker mark;
  if (c.arena != NULL) mark = p2f_arena_mark(c.arena);
  const uint8_t *end = len ? buf + len : buf; /* no arithmetic on a NULL buf */
  p2f_status st = decode_sub(desc, msg, buf, end, 0, &c);
  if (st != P2F_OK) {
    dec_init(desc, (unsigned char *)msg, &c); /* always a valid message */
    if (c.arena != NULL) p2f_arena_rewind(c.arena, &mark); /* holding nothing of this decode */
  }
  return st;
}

p2f_status p2f_decode_ex(const p2f_msg_desc *desc, void *msg, const uint8_t *buf, size_t len,
                         const p2f_decode_options *opts) {
  return p2f__decode_at(desc, msg, buf, len, opts, dec_pext());
}

/* p2f_decode_ex with NULL options, without reading them: an inline-only message (out-of-line
 * ones and bad arguments take p2f_decode_ex, for its statuses). */
p2f_status p2f_decode(const p2f_msg_desc *desc, void *msg, const uint8_t *buf, size_t len) {
  static const dec defaults = {NULL, 0, P2F_DEFAULT_MAX_DEPTH, 0};
  if (desc == NULL || msg == NULL || (buf == NULL && len != 0) || (desc->flags & P2F_MF_OUT_OF_LINE)) {
    return p2f_decode_ex(desc, msg, buf, len, NULL);
  }
  unsigned char *m = (unsigned char *)msg;
  dec_init(desc, m, &defaults);
  const uint8_t *end = len ? buf + len : buf; /* no arithmetic on a NULL buf */
  p2f_status st;
#if DECODE_BMI2
  static const dec defaults_pext = {NULL, 0, P2F_DEFAULT_MAX_DEPTH, 1};
  if (dec_pext()) st = decode_into_bmi2(desc, m, buf, end, 0, &defaults_pext);
  else
#endif
    st = decode_into(desc, m, buf, end, 0, &defaults);
  if (st != P2F_OK) dec_init(desc, m, &defaults); /* always a valid message */
  return st;
}
