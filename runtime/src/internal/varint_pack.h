/* internal/varint_pack.h: the varints of a packed repeated field, several elements per step
 * (varint_pack.c), for encode.c. Not installed.
 *
 * Levels, as internal/utf8.h's: P2F__VPACK_SCALAR is portable and always built (one element
 * per step, word stores); P2F__VPACK_SSSE3 (8 elements per step) and P2F__VPACK_AVX2 (16)
 * exist on x86 with GCC or clang (P2F__X86_SIMD) and may be used only when
 * p2f__vpack_level() is at least that level. The vector levels take a block whose every
 * varint has one or two bytes (values below 2^14) whole: the elements converted and range-
 * checked together, the two-byte words built in 16-bit lanes and gathered into place by one
 * byte shuffle chosen by which of them take two bytes. A block with a larger value, and the
 * elements after the last whole block, are written by the scalar code. Every level writes the
 * same bytes: the canonical varints, int32 values sign-extended to 10 bytes.
 *
 * Every function is pure apart from the level, detected once and cached: safe from any
 * thread.
 */
#ifndef PROTO2FFI_INTERNAL_VARINT_PACK_H_
#define PROTO2FFI_INTERNAL_VARINT_PACK_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "internal/port.h"

enum { P2F__VPACK_SCALAR = 1, P2F__VPACK_SSSE3 = 2, P2F__VPACK_AVX2 = 3 };

/* How the stored elements become varints. The elements are contiguous: 8 bytes each for
 * U64 (uint64, int64) and ZIGZAG64 (sint64), 4 bytes for the others. */
enum {
  P2F__VPACK_U64 = 0,      /* the value */
  P2F__VPACK_ZIGZAG64 = 1, /* zigzag of the int64 */
  P2F__VPACK_INT32 = 2,    /* int32 and enums: sign-extended to 64 bits (negative: 10 bytes) */
  P2F__VPACK_UINT32 = 3,   /* the value */
  P2F__VPACK_ZIGZAG32 = 4, /* zigzag of the int32 */
};

/* Bytes past the largest varints that p2f__vpack may overwrite (see below). */
#define P2F__VPACK_SLACK 8u

/* The best level this CPU runs and this build has (P2F__VPACK_*). */
int p2f__vpack_level(void);
/* The level p2f__vpack_level() picks for a CPU with these features (each 0 or 1), as a pure
 * function the tests can call; P2F__VPACK_SCALAR in builds without the x86 code. */
int p2f__vpack_level_for(int has_ssse3, int has_avx2);

/* Writes the varints of the `count` elements at v (of `kind`) from p and returns the end of
 * the last. Needs count * most + P2F__VPACK_SLACK bytes at p (most: 5 for UINT32 and
 * ZIGZAG32, 10 for the others); bytes past the returned end within those may be overwritten.
 * p2f__vpack uses p2f__vpack_level(); an unknown level runs the scalar code. */
uint8_t *p2f__vpack_at(uint8_t *p, const void *v, size_t count, int kind, int level);
uint8_t *p2f__vpack(uint8_t *p, const void *v, size_t count, int kind);

#if P2F__VPACK_TRACE
/* Test builds only: blocks written by the vector code since the counter was last cleared. */
extern size_t p2f__vpack_trace_blocks;
#endif

/* ---- one varint, for encode.c and varint_pack.c ---------------------------------------------- */

static inline size_t p2f__varint_size(uint64_t v) {
#if P2F__GNUC
  /* ceil(bits / 7) for bits = 1..64 significant bits, without a division */
  unsigned bits = 64u - (unsigned)__builtin_clzll(v | 1);
  return (size_t)((bits * 9u + 64u) >> 6);
#else
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    n++;
  }
  return n;
#endif
}

static inline uint8_t *p2f__put_varint(uint8_t *p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  *p++ = (uint8_t)v;
  return p;
}

/* A varint of 2 to 10 bytes, by the leading zero bits of its value (0 to 56): its length, and
 * the continuation bits of its first 8 bytes (0x80 in every byte but the last of the varint). */
typedef struct p2f__varint_shape {
  uint64_t cont;
  uint64_t len;
} p2f__varint_shape;

#if P2F__LITTLE_ENDIAN && P2F__GNUC
static const p2f__varint_shape p2f__varint_shapes[57] = {
    {0x8080808080808080u, 10}, /* 0 leading zero bits */
    {0x8080808080808080u, 9}, /* 1 leading zero bits */
    {0x8080808080808080u, 9}, /* 2 leading zero bits */
    {0x8080808080808080u, 9}, /* 3 leading zero bits */
    {0x8080808080808080u, 9}, /* 4 leading zero bits */
    {0x8080808080808080u, 9}, /* 5 leading zero bits */
    {0x8080808080808080u, 9}, /* 6 leading zero bits */
    {0x8080808080808080u, 9}, /* 7 leading zero bits */
    {0x0080808080808080u, 8}, /* 8 leading zero bits */
    {0x0080808080808080u, 8}, /* 9 leading zero bits */
    {0x0080808080808080u, 8}, /* 10 leading zero bits */
    {0x0080808080808080u, 8}, /* 11 leading zero bits */
    {0x0080808080808080u, 8}, /* 12 leading zero bits */
    {0x0080808080808080u, 8}, /* 13 leading zero bits */
    {0x0080808080808080u, 8}, /* 14 leading zero bits */
    {0x0000808080808080u, 7}, /* 15 leading zero bits */
    {0x0000808080808080u, 7}, /* 16 leading zero bits */
    {0x0000808080808080u, 7}, /* 17 leading zero bits */
    {0x0000808080808080u, 7}, /* 18 leading zero bits */
    {0x0000808080808080u, 7}, /* 19 leading zero bits */
    {0x0000808080808080u, 7}, /* 20 leading zero bits */
    {0x0000808080808080u, 7}, /* 21 leading zero bits */
    {0x0000008080808080u, 6}, /* 22 leading zero bits */
    {0x0000008080808080u, 6}, /* 23 leading zero bits */
    {0x0000008080808080u, 6}, /* 24 leading zero bits */
    {0x0000008080808080u, 6}, /* 25 leading zero bits */
    {0x0000008080808080u, 6}, /* 26 leading zero bits */
    {0x0000008080808080u, 6}, /* 27 leading zero bits */
    {0x0000008080808080u, 6}, /* 28 leading zero bits */
    {0x0000000080808080u, 5}, /* 29 leading zero bits */
    {0x0000000080808080u, 5}, /* 30 leading zero bits */
    {0x0000000080808080u, 5}, /* 31 leading zero bits */
    {0x0000000080808080u, 5}, /* 32 leading zero bits */
    {0x0000000080808080u, 5}, /* 33 leading zero bits */
    {0x0000000080808080u, 5}, /* 34 leading zero bits */
    {0x0000000080808080u, 5}, /* 35 leading zero bits */
    {0x0000000000808080u, 4}, /* 36 leading zero bits */
    {0x0000000000808080u, 4}, /* 37 leading zero bits */
    {0x0000000000808080u, 4}, /* 38 leading zero bits */
    {0x0000000000808080u, 4}, /* 39 leading zero bits */
    {0x0000000000808080u, 4}, /* 40 leading zero bits */
    {0x0000000000808080u, 4}, /* 41 leading zero bits */
    {0x0000000000808080u, 4}, /* 42 leading zero bits */
    {0x0000000000008080u, 3}, /* 43 leading zero bits */
    {0x0000000000008080u, 3}, /* 44 leading zero bits */
    {0x0000000000008080u, 3}, /* 45 leading zero bits */
    {0x0000000000008080u, 3}, /* 46 leading zero bits */
    {0x0000000000008080u, 3}, /* 47 leading zero bits */
    {0x0000000000008080u, 3}, /* 48 leading zero bits */
    {0x0000000000008080u, 3}, /* 49 leading zero bits */
    {0x0000000000000080u, 2}, /* 50 leading zero bits */
    {0x0000000000000080u, 2}, /* 51 leading zero bits */
    {0x0000000000000080u, 2}, /* 52 leading zero bits */
    {0x0000000000000080u, 2}, /* 53 leading zero bits */
    {0x0000000000000080u, 2}, /* 54 leading zero bits */
    {0x0000000000000080u, 2}, /* 55 leading zero bits */
    {0x0000000000000080u, 2}, /* 56 leading zero bits */
};
#endif

/* The end of a wide varint store: `x`, the first 8 bytes of the varint of `v` (7-bit groups
 * spread, continuation bits set), stored whole, then bytes 9 and 10 of the values of 2^56 and
 * above; `len` the varint's length. At least 10 bytes free. */
static inline uint8_t *p2f__put_varint_word(uint8_t *p, uint64_t x, uint64_t v, uint64_t len) {
  memcpy(p, &x, 8);
  if (v >= 1ull << 56) { /* 9 or 10 bytes */
    v >>= 56;
    if (v < 0x80) {
      p[8] = (uint8_t)v;
    } else {
      p[8] = (uint8_t)(v | 0x80);
      p[9] = (uint8_t)(v >> 7);
    }
  }
  return p + len;
}

/* p2f__put_varint for when at least 10 bytes are free: the 7-bit groups are spread over a
 * word, the continuation bits set from p2f__varint_shapes, and the word stored whole (bytes
 * past the varint are overwritten by what comes next or are past the encoding's end, never
 * past the buffer). */
static inline uint8_t *p2f__put_varint_wide(uint8_t *p, uint64_t v) {
#if P2F__LITTLE_ENDIAN && P2F__GNUC
  if (v < 0x80) {
    *p = (uint8_t)v;
    return p + 1;
  }
  const p2f__varint_shape *shape = &p2f__varint_shapes[__builtin_clzll(v)];
  uint64_t x = v & 0x00ffffffffffffffu; /* the first 8 groups: 56 bits */
  x = (x & 0x000000000fffffffu) | ((x & 0x00fffffff0000000u) << 4);
  x = (x & 0x00003fff00003fffu) | ((x & 0x0fffc0000fffc000u) << 2);
  x = (x & 0x007f007f007f007fu) | ((x & 0x3f803f803f803f80u) << 1);
  x |= shape->cont;
  return p2f__put_varint_word(p, x, v, shape->len);
#else
  return p2f__put_varint(p, v);
#endif
}

/* A value below 2^14 as its one or two varint bytes, written as one 16-bit store (when the
 * value takes one byte, the second is overwritten by what follows): at least 2 bytes free. */
static inline uint8_t *p2f__put_varint_2(uint8_t *p, uint32_t u) {
  /* u = lo + hi (the low 7 bits, the next 7): the two bytes are lo | 0x80 and hi >> 7, as a
   * little-endian word lo + 0x80 + 2 * hi, that is u + hi + 0x80 */
  uint32_t hi = u & 0x3f80u;
  unsigned two = hi != 0;
#if P2F__LITTLE_ENDIAN
  uint16_t w = (uint16_t)(u + hi + (two << 7));
  memcpy(p, &w, 2);
#else
  p[0] = (uint8_t)((u & 0x7f) | two << 7);
  p[1] = (uint8_t)(u >> 7);
#endif
  return p + 1 + two;
}

#endif /* PROTO2FFI_INTERNAL_VARINT_PACK_H_ */
