/* internal/varint_unpack.h: the varints of a packed repeated field read several elements per
 * step (varint_unpack.c), for decode.c. Not installed.
 *
 * Levels: P2F__VUNPACK_SCALAR is portable and always built (one element per step, the one- and
 * two-byte forms read without a call); P2F__VUNPACK_SSSE3 (8 elements per step) exists on x86
 * with GCC or clang (P2F__X86_SIMD) and may be used only when p2f__vunpack_level() is at least
 * that level. The vector step loads 16 bytes and takes their continuation bits; when no two
 * adjacent bytes both have one (every varint starting in the window has one or two bytes), the
 * first 8 varints are spread into 16-bit lanes by one byte shuffle chosen by which of them take
 * two bytes, combined, widened (zigzag decoded where the kind says) and stored. A window with a
 * longer varint, the last bytes of a run and the last elements before the capacity are read by
 * the scalar code. Every level stores the same elements and returns the same status.
 *
 * Every function is pure apart from the level, detected once and cached: safe from any thread.
 */
#ifndef PROTO2FFI_INTERNAL_VARINT_UNPACK_H_
#define PROTO2FFI_INTERNAL_VARINT_UNPACK_H_

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "proto2ffi/status.h"
#include "proto2ffi/wire.h"
#include "internal/port.h"

#if P2F__X86_SIMD && defined(__x86_64__)
#include <emmintrin.h>
#endif

enum { P2F__VUNPACK_SCALAR = 1, P2F__VUNPACK_SSSE3 = 2 };

/* How a varint becomes a stored element; the elements are contiguous, 8 bytes each for U64
 * and ZIGZAG64, 4 for the others (little-endian, as decode.c stores them). */
enum {
  P2F__VUNPACK_U64 = 0,      /* int64, uint64: the value */
  P2F__VUNPACK_ZIGZAG64 = 1, /* sint64 */
  P2F__VUNPACK_U32 = 2,      /* int32, uint32, open enums: the low 32 bits */
  P2F__VUNPACK_ZIGZAG32 = 3, /* sint32: zigzag of the low 32 bits */
};

/* The best level this CPU runs and this build has (P2F__VUNPACK_*). */
int p2f__vunpack_level(void);
/* The level p2f__vunpack_level() picks for a CPU with SSSE3 or without, as a pure function the
 * tests can call; P2F__VUNPACK_SCALAR in builds without the x86 code. */
int p2f__vunpack_level_for(int has_ssse3);

/* Appends the varints of the packed run data[0..n) to the array at base, which has room for
 * cap elements and holds *count (at most cap) so far; *count is updated to what was stored,
 * also on error, and no element at or past cap is written. The status is that of reading
 * element by element: P2F_ERR_TOO_MANY_ELEMENTS when bytes are left at capacity (even a partial
 * element), else P2F_ERR_TRUNCATED for an unterminated last varint, p2f_wire_read_varint's
 * status for an overlong one. p2f__vunpack uses p2f__vunpack_level(); an unknown level runs the
 * scalar code. */
p2f_status p2f__vunpack_at(unsigned char *base, uint32_t cap, uint32_t *count, const uint8_t *data, size_t n,
                           int kind, int level);
p2f_status p2f__vunpack(unsigned char *base, uint32_t cap, uint32_t *count, const uint8_t *data, size_t n,
                        int kind);

/* The varints a packed run of n bytes holds at most: the bytes without a continuation bit,
 * plus one when the last byte has one (an unterminated varint). Sixteen bytes per step on
 * x86-64, eight elsewhere. */
static inline uint64_t p2f__varint_count(const uint8_t *data, size_t n) {
  uint64_t k = 0;
  size_t i = 0;
#if P2F__X86_SIMD && defined(__x86_64__)
  /* 16 bytes per step (SSE2, part of x86-64): bytes without a continuation bit are those
   * above -1 as signed; their per-byte counts are summed by psadbw every 255 steps at most */
  while (n - i >= 16) {
    size_t steps = (n - i) / 16 < 255 ? (n - i) / 16 : 255;
    __m128i acc = _mm_setzero_si128();
    for (; steps; steps--, i += 16) {
      __m128i x = _mm_loadu_si128((const __m128i *)(const void *)(data + i));
      acc = _mm_sub_epi8(acc, _mm_cmpgt_epi8(x, _mm_set1_epi8(-1)));
    }
    acc = _mm_sad_epu8(acc, _mm_setzero_si128());
    k += (uint64_t)_mm_cvtsi128_si64(acc) + (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(acc, acc));
  }
#endif
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    memcpy(&x, data + i, 8);
    /* a 1 in bit 0 of each byte without a continuation bit, summed by the multiply */
    x = (~x >> 7) & 0x0101010101010101u;
    k += (x * 0x0101010101010101u) >> 56;
  }
  for (; i < n; i++) k += data[i] < 0x80;
  return k + (n != 0 && data[n - 1] >= 0x80);
}

#if defined(P2F__VUNPACK_TRACE) && P2F__VUNPACK_TRACE
/* Test builds only: vector steps taken since the counter was last cleared. */
extern size_t p2f__vunpack_trace_steps;
#endif

/* One varint of a packed run at *q (before qend), the one- and two-byte forms read without a
 * call: p2f_wire_read_varint's value, cursor and status. The scalar code of varint_unpack.c
 * and decode.c's per-element loops (bool, closed enums, int_size) read with it. */
static inline p2f_status p2f__packed_varint(const uint8_t **q, const uint8_t *qend, uint64_t *v) {
  const uint8_t *s = *q;
  if (*s < 0x80) {
    *v = *s;
    *q = s + 1;
    return P2F_OK;
  }
  if (qend - s >= 2 && s[1] < 0x80) {
    *v = (uint64_t)(s[0] & 0x7f) | (uint64_t)s[1] << 7;
    *q = s + 2;
    return P2F_OK;
  }
  return p2f_wire_read_varint(q, qend, v);
}

#endif /* PROTO2FFI_INTERNAL_VARINT_UNPACK_H_ */
