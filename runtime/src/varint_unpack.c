/* Packed varints read several elements per step (internal/varint_unpack.h): a portable scalar
 * reader and, on x86 with GCC or clang, an SSSE3 one chosen at run time.
 *
 * The vector step takes the continuation bits m of 16 bytes (one movemask). When no two
 * adjacent bytes both have one, every varint starting in the window has one or two bytes, and
 * its first 8 varints (8 to 16 bytes) lie wholly in it. Which of them take two bytes is read
 * from m by two tables (varint_unpack_tables.inc: the varints starting in bytes 0-7, then in
 * bytes 8-15, shifted past the first ones); that 8-bit pattern selects the byte shuffle that
 * puts varint i in 16-bit lane i, and the window's length, 8 + its popcount. A lane's value is
 * lo & 0x7f | hi << 7 (a one-byte varint's hi is the shuffle's zero), so a non-canonical
 * 0x80 0x00 is 0 as in the scalar code. The lanes are then zigzag decoded and widened to the
 * elements. A step stores exactly 8 elements, so it runs only with room for 8; a window with a
 * longer varint sends the elements up to that varint's end to the scalar code. */
#include "internal/varint_unpack.h"

#include <stdatomic.h>
#include <string.h>

#include "proto2ffi/wire.h"

#if P2F__X86_SIMD
#include <immintrin.h>
#endif

#if defined(P2F__VUNPACK_TRACE) && P2F__VUNPACK_TRACE
size_t p2f__vunpack_trace_steps;
#define VUNPACK_STEP() (p2f__vunpack_trace_steps++)
#else
#define VUNPACK_STEP() ((void)0)
#endif

#if P2F__GNUC
#define VUNPACK_INLINE __attribute__((always_inline)) inline
#else
#define VUNPACK_INLINE inline
#endif

#if P2F__X86_SIMD
#include "varint_unpack_tables.inc"

/* The 8 varints of window x with continuation bits m (no two adjacent) as elements of kind at
 * e; returns their length in bytes. */
__attribute__((target("ssse3"))) static VUNPACK_INLINE unsigned vunpack_8(unsigned char *e, __m128i x, unsigned m,
                                                                         int kind) {
  const __m128i zero = _mm_setzero_si128();
  const unsigned lo = vunpack_lo[m & 0xffu];
  const unsigned f = (lo | (unsigned)vunpack_hi[(m >> 7) & 0x1ffu] << (lo >> 8)) & 0xffu;
  const __m128i w = _mm_shuffle_epi8(x, _mm_loadu_si128((const __m128i *)(const void *)vunpack_shuffle[f]));
  /* the high byte has no continuation bit: shifted right by 1 its 7 bits land at 7-13 */
  __m128i v = _mm_or_si128(_mm_and_si128(w, _mm_set1_epi16(0x7f)),
                           _mm_and_si128(_mm_srli_epi16(w, 1), _mm_set1_epi16(0x3f80)));
  __m128i sign = zero;
  if (kind == P2F__VUNPACK_ZIGZAG64 || kind == P2F__VUNPACK_ZIGZAG32) {
    /* (v >> 1) ^ -(v & 1) in 16 bits: values below 2^14 give int16 results */
    v = _mm_xor_si128(_mm_srli_epi16(v, 1), _mm_sub_epi16(zero, _mm_and_si128(v, _mm_set1_epi16(1))));
    sign = _mm_srai_epi16(v, 15);
  }
  const __m128i a = _mm_unpacklo_epi16(v, sign), b = _mm_unpackhi_epi16(v, sign);
  if (kind <= P2F__VUNPACK_ZIGZAG64) {
    const __m128i sa = kind == P2F__VUNPACK_ZIGZAG64 ? _mm_srai_epi32(a, 31) : zero;
    const __m128i sb = kind == P2F__VUNPACK_ZIGZAG64 ? _mm_srai_epi32(b, 31) : zero;
    _mm_storeu_si128((__m128i *)(void *)e, _mm_unpacklo_epi32(a, sa));
    _mm_storeu_si128((__m128i *)(void *)(e + 16), _mm_unpackhi_epi32(a, sa));
    _mm_storeu_si128((__m128i *)(void *)(e + 32), _mm_unpacklo_epi32(b, sb));
    _mm_storeu_si128((__m128i *)(void *)(e + 48), _mm_unpackhi_epi32(b, sb));
  } else {
    _mm_storeu_si128((__m128i *)(void *)e, a);
    _mm_storeu_si128((__m128i *)(void *)(e + 16), b);
  }
  VUNPACK_STEP();
  return vunpack_len[f];
}

/* Vector steps from *qp while there is room for 8 elements of kind at dst; returns the
 * elements stored. *qp is moved past them; *skip is set to where the vector steps may start
 * again (past a longer varint's second continuation byte). Steps load 16 bytes at *qp; the
 * last fewer than 16 bytes of a run of at least 16 (lo its start) are loaded from the run's
 * end and shifted down, zeros after them: a step there stores 8 elements when they end within
 * the run, else the run's last varints through a local copy (no element past them is
 * written), and a cut last varint is left to the scalar code. */
__attribute__((target("ssse3"))) static VUNPACK_INLINE size_t vunpack_steps(unsigned char *dst, size_t room,
                                                                           const uint8_t **qp, const uint8_t *lo,
                                                                           const uint8_t *qend, int kind,
                                                                           const uint8_t **skip) {
  const uint8_t *q = *qp;
  const size_t width = kind <= P2F__VUNPACK_ZIGZAG64 ? 8u : 4u;
  size_t k = 0;
  *skip = qend; /* unless a longer varint is found: no more vector steps in this run */
  while (room - k >= 8) {
    size_t r = (size_t)(qend - q);
    __m128i x;
    unsigned m;
    if (r >= 16) {
      x = _mm_loadu_si128((const __m128i *)(const void *)q);
      m = (unsigned)_mm_movemask_epi8(x);
    } else {
      if (r == 0 || qend - lo < 16) break;
      const __m128i idx = _mm_add_epi8(_mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15),
                                       _mm_set1_epi8((char)(16 - r)));
      /* indices past 15 get the high bit: pshufb writes zeros there */
      x = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(qend - 16)),
                           _mm_or_si128(idx, _mm_cmpgt_epi8(idx, _mm_set1_epi8(15))));
      m = (unsigned)_mm_movemask_epi8(x);
      if (m >> (r - 1) & 1) break; /* the last varint is cut */
    }
    const unsigned bad = m & (m >> 1) & 0x7fffu; /* bytes i and i + 1 both continue */
    if (bad) {
      *skip = q + __builtin_ctz(bad) + 2;
      break;
    }
    if (r >= 16) {
      q += vunpack_8(dst + k * width, x, m, kind);
      k += 8;
      continue;
    }
    /* the run's end: r bytes, r - popcount(m) varints */
    size_t left = r - (size_t)(vunpack_len[m & 0xffu] - 8u) - (size_t)(vunpack_len[m >> 8] - 8u);
    if (left >= 8) {
      q += vunpack_8(dst + k * width, x, m, kind);
      k += 8;
      continue;
    }
    unsigned char tmp[64];
    vunpack_8(tmp, x, m, kind);
    memcpy(dst + k * width, tmp, left * width);
    k += left;
    q = qend;
    break;
  }
  *qp = q;
  return k;
}

/* vunpack_steps compiled once per kind, out of the scalar loops (their registers stay
 * theirs). */
#define VUNPACK_STEPS_OF(NAME, KIND)                                                                   \
  __attribute__((target("ssse3"), noinline)) static size_t NAME(unsigned char *dst, size_t room,       \
                                                                const uint8_t **qp, const uint8_t *lo, \
                                                                const uint8_t *qend, const uint8_t **skip) { \
    return vunpack_steps(dst, room, qp, lo, qend, KIND, skip);                                         \
  }
VUNPACK_STEPS_OF(vunpack_steps_u64, P2F__VUNPACK_U64)
VUNPACK_STEPS_OF(vunpack_steps_zigzag64, P2F__VUNPACK_ZIGZAG64)
VUNPACK_STEPS_OF(vunpack_steps_zigzag32, P2F__VUNPACK_ZIGZAG32)
VUNPACK_STEPS_OF(vunpack_steps_u32, P2F__VUNPACK_U32)
#undef VUNPACK_STEPS_OF
#endif

/* One element by the scalar code, the one- and two-byte forms first; breaks out of the loop
 * with st set on error. */
#define VUNPACK_ONE(STORE)                              \
  uint64_t v;                                           \
  st = p2f__packed_varint(&q, qend, &v);                \
  if (st != P2F_OK) break;                              \
  unsigned char *dst = base + (size_t)c * W;            \
  STORE;                                                \
  c++

#if P2F__X86_SIMD
#define VUNPACK_VECTOR(STEPS)                                                    \
  if (vec && q >= skip && n >= 16 && cap - c >= 8) {                             \
    c += (uint32_t)STEPS(base + (size_t)c * W, cap - c, &q, data, qend, &skip); \
    continue;                                                                    \
  }
#else
#define VUNPACK_VECTOR(STEPS)
#endif

/* STEPS: the kind's vunpack_steps_* */
#define VUNPACK_LOOP(STEPS, STORE)    \
  while (q < qend) {                  \
    if (c >= cap) {                   \
      st = P2F_ERR_TOO_MANY_ELEMENTS; \
      break;                          \
    }                                 \
    VUNPACK_VECTOR(STEPS)             \
    VUNPACK_ONE(STORE);               \
  }

static VUNPACK_INLINE p2f_status vunpack_run(unsigned char *base, uint32_t cap, uint32_t *count, const uint8_t *data,
                                             size_t n, int kind, int vec) {
  const uint8_t *q = data, *qend = data + n, *skip = data;
  uint32_t c = *count;
  p2f_status st = P2F_OK;
  (void)vec;
  (void)skip;
  switch (kind) {
    case P2F__VUNPACK_U64: {
      enum { W = 8 };
      VUNPACK_LOOP(vunpack_steps_u64, memcpy(dst, &v, 8))
      break;
    }
    case P2F__VUNPACK_ZIGZAG64: {
      enum { W = 8 };
      VUNPACK_LOOP(vunpack_steps_zigzag64, int64_t s = p2f_zigzag_decode64(v); memcpy(dst, &s, 8))
      break;
    }
    case P2F__VUNPACK_ZIGZAG32: {
      enum { W = 4 };
      VUNPACK_LOOP(vunpack_steps_zigzag32, int32_t s = p2f_zigzag_decode32((uint32_t)v); memcpy(dst, &s, 4))
      break;
    }
    default: { /* U32 */
      enum { W = 4 };
      VUNPACK_LOOP(vunpack_steps_u32, uint32_t u = (uint32_t)v; memcpy(dst, &u, 4))
      break;
    }
  }
  *count = c;
  return st;
}

#undef VUNPACK_LOOP
#undef VUNPACK_VECTOR
#undef VUNPACK_ONE

#if P2F__GNUC
__attribute__((noinline))
#endif
static p2f_status vunpack_scalar(unsigned char *base, uint32_t cap, uint32_t *count, const uint8_t *data, size_t n,
                                 int kind) {
  return vunpack_run(base, cap, count, data, n, kind, 0);
}

#if P2F__X86_SIMD
__attribute__((target("ssse3"), noinline)) static p2f_status vunpack_ssse3(unsigned char *base, uint32_t cap,
                                                                          uint32_t *count, const uint8_t *data,
                                                                          size_t n, int kind) {
  return vunpack_run(base, cap, count, data, n, kind, 1);
}
#endif

int p2f__vunpack_level_for(int has_ssse3) {
#if P2F__X86_SIMD
  return has_ssse3 ? P2F__VUNPACK_SSSE3 : P2F__VUNPACK_SCALAR;
#else
  (void)has_ssse3;
  return P2F__VUNPACK_SCALAR;
#endif
}

#if P2F__X86_SIMD
/* 0: not yet known. Racing first calls store the same value. */
static atomic_int vunpack_level_cache;
#endif

int p2f__vunpack_level(void) {
#if P2F__X86_SIMD
  int l = atomic_load_explicit(&vunpack_level_cache, memory_order_relaxed);
  if (l == 0) {
    __builtin_cpu_init();
    l = p2f__vunpack_level_for(__builtin_cpu_supports("ssse3") != 0);
    atomic_store_explicit(&vunpack_level_cache, l, memory_order_relaxed);
  }
  return l;
#else
  return P2F__VUNPACK_SCALAR;
#endif
}

p2f_status p2f__vunpack_at(unsigned char *base, uint32_t cap, uint32_t *count, const uint8_t *data, size_t n,
                           int kind, int level) {
#if P2F__X86_SIMD
  if (level == P2F__VUNPACK_SSSE3) return vunpack_ssse3(base, cap, count, data, n, kind);
#else
  (void)level;
#endif
  return vunpack_scalar(base, cap, count, data, n, kind);
}

p2f_status p2f__vunpack(unsigned char *base, uint32_t cap, uint32_t *count, const uint8_t *data, size_t n, int kind) {
#if P2F__X86_SIMD
  if (n >= 16) {
    int l = atomic_load_explicit(&vunpack_level_cache, memory_order_relaxed);
    if (l == P2F__VUNPACK_SSSE3) return vunpack_ssse3(base, cap, count, data, n, kind);
    if (l == 0) return p2f__vunpack_at(base, cap, count, data, n, kind, p2f__vunpack_level());
  }
#endif
  return vunpack_scalar(base, cap, count, data, n, kind);
}
