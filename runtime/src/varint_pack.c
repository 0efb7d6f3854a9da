/* Packed varints several elements per step (internal/varint_pack.h): a portable scalar writer
 * and, on x86 with GCC or clang, SSSE3 and AVX2 ones chosen at run time.
 *
 * The vector code takes 8 (SSSE3) or 16 (AVX2) elements at a time: it converts them (zigzag),
 * checks that all are below 2^14 (one or two varint bytes), narrows them to 16-bit lanes, and
 * makes each lane the little-endian pair of varint bytes (u + (u & 0x3f80) puts bits 7..13 in
 * the high byte; 0x80 is added to the low byte when the high one is needed). Which lanes need
 * two bytes is an 8-bit mask; its row of varint_pack_shuffle.inc gathers the bytes into place
 * with one pshufb, stored as 16 bytes (8 to 16 of them the varints). A block with a larger
 * value goes to the scalar code, element by element. */
#include "internal/varint_pack.h"

#include <stdatomic.h>
#include <string.h>

#if P2F__X86_SIMD
#include <immintrin.h>
#endif

#if P2F__VPACK_TRACE
size_t p2f__vpack_trace_blocks;
#define VPACK_BLOCK() (p2f__vpack_trace_blocks++)
#else
#define VPACK_BLOCK() ((void)0)
#endif

#if P2F__GNUC
#define VPACK_NOINLINE __attribute__((noinline))
#else
#define VPACK_NOINLINE
#endif

/* ---- scalar ------------------------------------------------------------------------------------ */

VPACK_NOINLINE static uint8_t *vpack_put_long(uint8_t *p, uint64_t v) { return p2f__put_varint_wide(p, v); }

/* One element, when 8 bytes are free past its largest varint: the common one- and two-byte
 * values without a branch between them (the second byte is overwritten by what follows when
 * the value takes one), longer ones by p2f__put_varint_wide. */
static inline uint8_t *put_small(uint8_t *p, uint64_t v) {
  if (v < 0x4000) return p2f__put_varint_2(p, (uint32_t)v);
  return vpack_put_long(p, v);
}

static inline uint64_t zigzag64(int64_t x) { return ((uint64_t)x << 1) ^ (uint64_t)(x >> 63); }
static inline uint32_t zigzag32(int32_t x) { return ((uint32_t)x << 1) ^ (uint32_t)(x >> 31); }

static uint8_t *vpack_scalar(uint8_t *p, const unsigned char *e, size_t count, int kind) {
  switch (kind) {
    case P2F__VPACK_U64:
      for (size_t i = 0; i < count; i++, e += 8) {
        uint64_t x;
        memcpy(&x, e, 8);
        p = put_small(p, x);
      }
      return p;
    case P2F__VPACK_ZIGZAG64:
      for (size_t i = 0; i < count; i++, e += 8) {
        int64_t x;
        memcpy(&x, e, 8);
        p = put_small(p, zigzag64(x));
      }
      return p;
    case P2F__VPACK_INT32:
      for (size_t i = 0; i < count; i++, e += 4) {
        int32_t x;
        memcpy(&x, e, 4);
        p = put_small(p, (uint64_t)(int64_t)x);
      }
      return p;
    case P2F__VPACK_UINT32:
      for (size_t i = 0; i < count; i++, e += 4) {
        uint32_t x;
        memcpy(&x, e, 4);
        p = put_small(p, x);
      }
      return p;
    default: /* ZIGZAG32 */
      for (size_t i = 0; i < count; i++, e += 4) {
        int32_t x;
        memcpy(&x, e, 4);
        p = put_small(p, zigzag32(x));
      }
      return p;
  }
}

/* ---- x86 vectors --------------------------------------------------------------------------------- */

#if P2F__X86_SIMD
#include "varint_pack_shuffle.inc"

/* The 8 x 16-bit values u (each below 2^14) as varints at q; returns their end. */
__attribute__((target("ssse3"))) static inline uint8_t *emit8(uint8_t *q, __m128i u) {
  const __m128i hi = _mm_and_si128(u, _mm_set1_epi16(0x3f80));
  const __m128i one = _mm_cmpeq_epi16(hi, _mm_setzero_si128()); /* lanes of one byte */
  const __m128i w = _mm_add_epi16(_mm_add_epi16(u, hi), _mm_andnot_si128(one, _mm_set1_epi16(0x80)));
  unsigned m = ~(unsigned)_mm_movemask_epi8(_mm_packs_epi16(one, one)) & 0xffu; /* two-byte lanes */
  const __m128i s = _mm_loadu_si128((const __m128i *)(const void *)vpack_shuffle[m]);
  _mm_storeu_si128((__m128i *)(void *)q, _mm_shuffle_epi8(w, s));
  return q + vpack_len[m];
}

/* zigzag of the two int64 lanes: (x << 1) ^ (x >> 63), the arithmetic shift made from the
 * high dwords' signs. */
__attribute__((target("ssse3"))) static inline __m128i zigzag64_x2(__m128i x) {
  return _mm_xor_si128(_mm_add_epi64(x, x), _mm_shuffle_epi32(_mm_srai_epi32(x, 31), _MM_SHUFFLE(3, 3, 1, 1)));
}

__attribute__((target("ssse3"))) static inline int below_2_14(__m128i t) {
  return _mm_movemask_epi8(_mm_cmpeq_epi8(t, _mm_setzero_si128())) == 0xffff;
}

/* 8 elements at e of a 64-bit kind as 16-bit lanes in *u; 0 when one is 2^14 or above. */
__attribute__((target("ssse3"))) static inline int load8_64(const unsigned char *e, int zigzag, __m128i *u) {
  __m128i a = _mm_loadu_si128((const __m128i *)(const void *)e);
  __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(e + 16));
  __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(e + 32));
  __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(e + 48));
  if (zigzag) {
    a = zigzag64_x2(a);
    b = zigzag64_x2(b);
    c = zigzag64_x2(c);
    d = zigzag64_x2(d);
  }
  const __m128i big = _mm_set1_epi64x(~(long long)0x3fff);
  if (!below_2_14(_mm_and_si128(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d)), big))) return 0;
  /* every lane's high dword is 0 and its low one below 2^14: signed packing keeps them */
  *u = _mm_packs_epi32(_mm_packs_epi32(a, b), _mm_packs_epi32(c, d));
  return 1;
}

/* The same for a 32-bit kind. */
__attribute__((target("ssse3"))) static inline int load8_32(const unsigned char *e, int zigzag, __m128i *u) {
  __m128i a = _mm_loadu_si128((const __m128i *)(const void *)e);
  __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(e + 16));
  if (zigzag) {
    a = _mm_xor_si128(_mm_add_epi32(a, a), _mm_srai_epi32(a, 31));
    b = _mm_xor_si128(_mm_add_epi32(b, b), _mm_srai_epi32(b, 31));
  }
  /* negative int32 values have high bits set, so they fail here (they take 10 bytes) */
  if (!below_2_14(_mm_and_si128(_mm_or_si128(a, b), _mm_set1_epi32(~0x3fff)))) return 0;
  *u = _mm_packs_epi32(a, b);
  return 1;
}

/* One block of 8 at e: by vector when its values allow, else by the scalar code. */
__attribute__((target("ssse3"))) static inline uint8_t *block8(uint8_t *q, const unsigned char *e, int kind) {
  __m128i u;
  int wide = kind <= P2F__VPACK_ZIGZAG64;
  int ok = wide ? load8_64(e, kind == P2F__VPACK_ZIGZAG64, &u) : load8_32(e, kind == P2F__VPACK_ZIGZAG32, &u);
  if (!ok) return vpack_scalar(q, e, 8, kind);
  VPACK_BLOCK();
  return emit8(q, u);
}

__attribute__((target("ssse3"), noinline)) static uint8_t *vpack_ssse3(uint8_t *q, const unsigned char *e,
                                                                      size_t count, int kind) {
  const size_t width = kind <= P2F__VPACK_ZIGZAG64 ? 8 : 4;
  for (; count >= 8; count -= 8, e += 8 * width) q = block8(q, e, kind);
  return vpack_scalar(q, e, count, kind);
}

/* The 16 x 16-bit values u (each below 2^14, in element order) as varints at q. */
__attribute__((target("avx2"))) static inline uint8_t *emit16(uint8_t *q, __m256i u) {
  const __m256i hi = _mm256_and_si256(u, _mm256_set1_epi16(0x3f80));
  const __m256i one = _mm256_cmpeq_epi16(hi, _mm256_setzero_si256());
  const __m256i w = _mm256_add_epi16(_mm256_add_epi16(u, hi), _mm256_andnot_si256(one, _mm256_set1_epi16(0x80)));
  /* per 128-bit half: bytes 0-7 the lanes' one-byte flags; bits 0-7 and 16-23 of the mask */
  unsigned m = ~(unsigned)_mm256_movemask_epi8(_mm256_packs_epi16(one, one));
  unsigned m0 = m & 0xffu, m1 = m >> 16 & 0xffu;
  const __m128i s0 = _mm_loadu_si128((const __m128i *)(const void *)vpack_shuffle[m0]);
  const __m128i s1 = _mm_loadu_si128((const __m128i *)(const void *)vpack_shuffle[m1]);
  _mm_storeu_si128((__m128i *)(void *)q, _mm_shuffle_epi8(_mm256_castsi256_si128(w), s0));
  q += vpack_len[m0];
  _mm_storeu_si128((__m128i *)(void *)q, _mm_shuffle_epi8(_mm256_extracti128_si256(w, 1), s1));
  return q + vpack_len[m1];
}

__attribute__((target("avx2"))) static inline __m256i zigzag64_x4(__m256i x) {
  return _mm256_xor_si256(_mm256_add_epi64(x, x),
                          _mm256_shuffle_epi32(_mm256_srai_epi32(x, 31), _MM_SHUFFLE(3, 3, 1, 1)));
}

__attribute__((target("avx2"))) static inline int load16_64(const unsigned char *e, int zigzag, __m256i *u) {
  __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)e);
  __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(e + 32));
  __m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(e + 64));
  __m256i d = _mm256_loadu_si256((const __m256i *)(const void *)(e + 96));
  if (zigzag) {
    a = zigzag64_x4(a);
    b = zigzag64_x4(b);
    c = zigzag64_x4(c);
    d = zigzag64_x4(d);
  }
  const __m256i big = _mm256_set1_epi64x(~(long long)0x3fff);
  if (!_mm256_testz_si256(_mm256_or_si256(_mm256_or_si256(a, b), _mm256_or_si256(c, d)), big)) return 0;
  /* packing works within 128-bit halves: the dwords come out as a01 b01 c01 d01 | a23 b23 c23
   * d23 (pairs of 16-bit values) and are put back in element order */
  __m256i x = _mm256_packs_epi32(_mm256_packs_epi32(a, b), _mm256_packs_epi32(c, d));
  *u = _mm256_permutevar8x32_epi32(x, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
  return 1;
}

__attribute__((target("avx2"))) static inline int load16_32(const unsigned char *e, int zigzag, __m256i *u) {
  __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)e);
  __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(e + 32));
  if (zigzag) {
    a = _mm256_xor_si256(_mm256_add_epi32(a, a), _mm256_srai_epi32(a, 31));
    b = _mm256_xor_si256(_mm256_add_epi32(b, b), _mm256_srai_epi32(b, 31));
  }
  if (!_mm256_testz_si256(_mm256_or_si256(a, b), _mm256_set1_epi32(~0x3fff))) return 0;
  /* a0-3 b0-3 | a4-7 b4-7 as 64-bit quarters, put back as a0-7 b0-7 */
  *u = _mm256_permute4x64_epi64(_mm256_packs_epi32(a, b), _MM_SHUFFLE(3, 1, 2, 0));
  return 1;
}

__attribute__((target("avx2"), noinline)) static uint8_t *vpack_avx2(uint8_t *q, const unsigned char *e,
                                                                    size_t count, int kind) {
  const int wide = kind <= P2F__VPACK_ZIGZAG64;
  const int zigzag = kind == P2F__VPACK_ZIGZAG64 || kind == P2F__VPACK_ZIGZAG32;
  const size_t width = wide ? 8 : 4;
  for (; count >= 16; count -= 16, e += 16 * width) {
    __m256i u;
    if (wide ? load16_64(e, zigzag, &u) : load16_32(e, zigzag, &u)) {
      VPACK_BLOCK();
      q = emit16(q, u);
    } else {
      /* halves of 8: a large value often sits in one of them only */
      q = block8(q, e, kind);
      q = block8(q, e + 8 * width, kind);
    }
  }
  if (count >= 8) {
    q = block8(q, e, kind);
    count -= 8;
    e += 8 * width;
  }
  return vpack_scalar(q, e, count, kind);
}
#endif

/* ---- levels ---------------------------------------------------------------------------------------- */

int p2f__vpack_level_for(int has_ssse3, int has_avx2) {
#if P2F__X86_SIMD
  return has_avx2 ? P2F__VPACK_AVX2 : has_ssse3 ? P2F__VPACK_SSSE3 : P2F__VPACK_SCALAR;
#else
  (void)has_ssse3;
  (void)has_avx2;
  return P2F__VPACK_SCALAR;
#endif
}

#if P2F__X86_SIMD
/* 0: not yet known. Racing first calls store the same value. */
static atomic_int vpack_level_cache;
#endif

int p2f__vpack_level(void) {
#if P2F__X86_SIMD
  int l = atomic_load_explicit(&vpack_level_cache, memory_order_relaxed);
  if (l == 0) {
    __builtin_cpu_init();
    l = p2f__vpack_level_for(__builtin_cpu_supports("ssse3") != 0, __builtin_cpu_supports("avx2") != 0);
    atomic_store_explicit(&vpack_level_cache, l, memory_order_relaxed);
  }
  return l;
#else
  return P2F__VPACK_SCALAR;
#endif
}

uint8_t *p2f__vpack_at(uint8_t *p, const void *v, size_t count, int kind, int level) {
  const unsigned char *e = (const unsigned char *)v;
#if P2F__X86_SIMD
  if (level == P2F__VPACK_AVX2) return vpack_avx2(p, e, count, kind);
  if (level == P2F__VPACK_SSSE3) return vpack_ssse3(p, e, count, kind);
#else
  (void)level;
#endif
  return vpack_scalar(p, e, count, kind);
}

uint8_t *p2f__vpack(uint8_t *p, const void *v, size_t count, int kind) {
#if P2F__X86_SIMD
  if (count >= 8) {
    int l = atomic_load_explicit(&vpack_level_cache, memory_order_relaxed);
    if (l == P2F__VPACK_AVX2) return vpack_avx2(p, (const unsigned char *)v, count, kind);
    if (l == 0) l = p2f__vpack_level();
    return p2f__vpack_at(p, v, count, kind, l);
  }
#endif
  return vpack_scalar(p, (const unsigned char *)v, count, kind);
}
