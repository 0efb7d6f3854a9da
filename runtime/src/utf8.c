/* UTF-8 validation (p2f_utf8_valid of proto2ffi/wire.h, and the internal entry points of
 * internal/utf8.h): a portable scalar validator and, on x86 with GCC or clang, SSSE3 and
 * AVX2 ones chosen at run time from what the CPU runs. */
#include "internal/utf8.h"

#include <stdatomic.h>
#include <string.h>

#include "internal/port.h"
#include "proto2ffi/wire.h"

#if P2F__X86_SIMD
#include <immintrin.h>
#endif

/* Inputs shorter than this go to the scalar validator whatever the level: it is as fast on
 * them, without the vector code's padded last block. */
#define SIMD_MIN_LEN 32u

#if P2F__UTF8_TRACE
const char *p2f__utf8_trace;
#define UTF8_RAN(name) (p2f__utf8_trace = (name))
#else
#define UTF8_RAN(name) ((void)0)
#endif

/* One multi-byte sequence starting at s[0] (>= 0x80), with `avail` bytes available: its
 * length, or 0 when it is not well-formed (the byte ranges of the Unicode standard's table of
 * well-formed UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF). */
static size_t utf8_sequence(const uint8_t *s, size_t avail) {
  uint8_t c = s[0];
  if (c >= 0xC2 && c <= 0xDF) {
    return avail >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
  }
  if (c >= 0xE0 && c <= 0xEF) {
    if (avail < 3 || (s[2] & 0xC0) != 0x80) return 0;
    uint8_t lo = c == 0xE0 ? 0xA0 : 0x80, hi = c == 0xED ? 0x9F : 0xBF;
    return s[1] >= lo && s[1] <= hi ? 3 : 0;
  }
  if (c >= 0xF0 && c <= 0xF4) {
    if (avail < 4 || (s[2] & 0xC0) != 0x80 || (s[3] & 0xC0) != 0x80) return 0;
    uint8_t lo = c == 0xF0 ? 0x90 : 0x80, hi = c == 0xF4 ? 0x8F : 0xBF;
    return s[1] >= lo && s[1] <= hi ? 4 : 0;
  }
  return 0; /* a continuation byte, C0/C1 (overlong) or F5..FF */
}

/* Offset of the first byte >= 0x80 in [s, s+len), or len, 8 bytes at a time. */
static size_t ascii_prefix(const uint8_t *s, size_t len) {
  size_t i = 0;
#if P2F__LITTLE_ENDIAN && P2F__GNUC
  for (; len - i >= 8; i += 8) {
    uint64_t w;
    memcpy(&w, s + i, 8);
    w &= 0x8080808080808080u;
    if (w) return i + (size_t)__builtin_ctzll(w) / 8;
  }
#endif
  while (i < len && s[i] < 0x80) i++;
  return i;
}

static int utf8_valid_scalar(const uint8_t *s, size_t len) {
  UTF8_RAN("scalar");
  size_t i = 0;
  for (;;) {
    i += ascii_prefix(s + i, len - i);
    if (i == len) return 1;
    size_t n = utf8_sequence(s + i, len - i);
    if (n == 0) return 0;
    i += n;
  }
}

#if P2F__X86_SIMD
/* Branch-free validation of 16 bytes per step (SSSE3), after the method of Keiser and Lemire
 * ("Validating UTF-8 in less than one instruction per byte", 2021). Every error shows in the
 * pair (previous byte, current byte): three table lookups, by the previous byte's high and
 * low nibble and the current byte's high nibble, each give the error classes that nibble
 * allows; a byte pair is wrong when one class is allowed by all three. A continuation byte
 * after a continuation byte (class TWO_CONTS) is right exactly when it is the third or fourth
 * byte of a sequence, which the bytes two and three back tell. */
enum {
  TOO_SHORT = 1 << 0,  /* lead byte, then not a continuation */
  TOO_LONG = 1 << 1,   /* ASCII, then a continuation */
  OVERLONG_3 = 1 << 2, /* E0, then 80..9F */
  TOO_LARGE = 1 << 3,  /* F4, then 90..BF; F5..FF, then 90..BF */
  SURROGATE = 1 << 4,  /* ED, then A0..BF */
  OVERLONG_2 = 1 << 5, /* C0 or C1, then a continuation */
  TOO_LARGE_1000 = 1 << 6, /* F5..FF, then 80..8F */
  OVERLONG_4 = 1 << 6, /* F0, then 80..8F (shares the bit: the lead bytes differ) */
  TWO_CONTS = 1 << 7,  /* a continuation, then a continuation */
  CARRY = TOO_SHORT | TOO_LONG | TWO_CONTS
};

static const uint8_t prev1_high_t[16] = {
  TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TOO_LONG, TWO_CONTS, TWO_CONTS, TWO_CONTS,
  TWO_CONTS, TOO_SHORT | OVERLONG_2, TOO_SHORT, TOO_SHORT | OVERLONG_3 | SURROGATE,
  TOO_SHORT | TOO_LARGE | TOO_LARGE_1000 | OVERLONG_4};
static const uint8_t prev1_low_t[16] = {
  CARRY | OVERLONG_3 | OVERLONG_2 | OVERLONG_4, CARRY | OVERLONG_2, CARRY, CARRY, CARRY | TOO_LARGE,
  CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
  CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
  CARRY | TOO_LARGE | TOO_LARGE_1000, CARRY | TOO_LARGE | TOO_LARGE_1000,
  CARRY | TOO_LARGE | TOO_LARGE_1000 | SURROGATE, CARRY | TOO_LARGE | TOO_LARGE_1000,
  CARRY | TOO_LARGE | TOO_LARGE_1000};
static const uint8_t cur_high_t[16] = {
  TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT,
  TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE_1000 | OVERLONG_4,
  TOO_LONG | OVERLONG_2 | TWO_CONTS | OVERLONG_3 | TOO_LARGE,
  TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE,
  TOO_LONG | OVERLONG_2 | TWO_CONTS | SURROGATE | TOO_LARGE, TOO_SHORT, TOO_SHORT, TOO_SHORT, TOO_SHORT};

__attribute__((target("ssse3"))) static int utf8_valid_ssse3(const uint8_t *s, size_t len) {
  UTF8_RAN("ssse3");
  const __m128i prev1_high = _mm_loadu_si128((const __m128i *)(const void *)prev1_high_t);
  const __m128i prev1_low = _mm_loadu_si128((const __m128i *)(const void *)prev1_low_t);
  const __m128i cur_high = _mm_loadu_si128((const __m128i *)(const void *)cur_high_t);
  const __m128i low_nibble = _mm_set1_epi8(0x0F);
  __m128i prev = _mm_setzero_si128(), error = _mm_setzero_si128();
  size_t i = 0;
  for (;;) {
    __m128i in;
    int last = len - i < 16;
    if (!last) {
      in = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    } else { /* the rest, padded with NULs (ASCII): an unfinished sequence shows as TOO_SHORT */
      uint8_t tail[16] = {0};
      memcpy(tail, s + i, len - i);
      in = _mm_loadu_si128((const __m128i *)(const void *)tail);
    }
    __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
    __m128i b1h = _mm_shuffle_epi8(prev1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), low_nibble));
    __m128i b1l = _mm_shuffle_epi8(prev1_low, _mm_and_si128(prev1, low_nibble));
    __m128i b2h = _mm_shuffle_epi8(cur_high, _mm_and_si128(_mm_srli_epi16(in, 4), low_nibble));
    __m128i special = _mm_and_si128(_mm_and_si128(b1h, b1l), b2h);
    __m128i prev2 = _mm_alignr_epi8(in, prev, 14), prev3 = _mm_alignr_epi8(in, prev, 13);
    __m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8(0x60));
    __m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8(0x70));
    __m128i must23 = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8(-128));
    error = _mm_or_si128(error, _mm_xor_si128(must23, special));
    prev = in;
    if (last) break;
    i += 16;
  }
  return _mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) == 0xFFFF;
}
/* The same, 32 bytes per step (AVX2). The shuffles work within 128-bit lanes: the bytes
 * before each lane come from the lane below (or the previous block). */
typedef struct utf8_avx2_tables {
  __m256i prev1_high, prev1_low, cur_high;
} utf8_avx2_tables;

/* The error classes of block `in` after block `prev` (zero: well-formed so far). */
__attribute__((target("avx2"))) static inline __m256i utf8_avx2_block(const utf8_avx2_tables *t, __m256i in,
                                                                        __m256i prev) {
  const __m256i low_nibble = _mm256_set1_epi8(0x0F);
  __m256i before = _mm256_permute2x128_si256(prev, in, 0x21);
  __m256i prev1 = _mm256_alignr_epi8(in, before, 15);
  __m256i b1h = _mm256_shuffle_epi8(t->prev1_high, _mm256_and_si256(_mm256_srli_epi16(prev1, 4), low_nibble));
  __m256i b1l = _mm256_shuffle_epi8(t->prev1_low, _mm256_and_si256(prev1, low_nibble));
  __m256i b2h = _mm256_shuffle_epi8(t->cur_high, _mm256_and_si256(_mm256_srli_epi16(in, 4), low_nibble));
  __m256i special = _mm256_and_si256(_mm256_and_si256(b1h, b1l), b2h);
  __m256i prev2 = _mm256_alignr_epi8(in, before, 14), prev3 = _mm256_alignr_epi8(in, before, 13);
  __m256i third = _mm256_subs_epu8(prev2, _mm256_set1_epi8(0x60));
  __m256i fourth = _mm256_subs_epu8(prev3, _mm256_set1_epi8(0x70));
  __m256i must23 = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8(-128));
  return _mm256_xor_si256(must23, special);
}

/* Validates [s, s+len) (len >= 32) and, when dst is not NULL, copies it to dst on the way
 * (dst gets the bytes whatever the result). */
__attribute__((target("avx2"))) static int utf8_avx2(const uint8_t *s, size_t len, uint8_t *dst) {
  UTF8_RAN("avx2");
  utf8_avx2_tables t;
  t.prev1_high = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)prev1_high_t));
  t.prev1_low = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)prev1_low_t));
  t.cur_high = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)cur_high_t));
  __m256i prev = _mm256_setzero_si256(), error0 = _mm256_setzero_si256(), error1 = _mm256_setzero_si256();
  size_t i = 0;
  for (; len - i >= 64; i += 64) { /* two blocks per step: independent work for the CPU */
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 32));
    if (dst) {
      _mm256_storeu_si256((__m256i *)(void *)(dst + i), a);
      _mm256_storeu_si256((__m256i *)(void *)(dst + i + 32), b);
    }
    error0 = _mm256_or_si256(error0, utf8_avx2_block(&t, a, prev));
    error1 = _mm256_or_si256(error1, utf8_avx2_block(&t, b, a));
    prev = b;
  }
  for (; len - i >= 32; i += 32) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    if (dst) _mm256_storeu_si256((__m256i *)(void *)(dst + i), a);
    error0 = _mm256_or_si256(error0, utf8_avx2_block(&t, a, prev));
    prev = a;
  }
  /* The rest, padded with NULs (ASCII): an unfinished sequence shows as TOO_SHORT. When
   * nothing is left, the all-NUL block still checks the end of the last one. */
  uint8_t tail[32] = {0};
  memcpy(tail, s + i, len - i);
  if (dst) memcpy(dst + i, s + i, len - i);
  __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)tail);
  error0 = _mm256_or_si256(error0, utf8_avx2_block(&t, a, prev));
  error0 = _mm256_or_si256(error0, error1);
  return _mm256_testz_si256(error0, error0);
}
#endif

int p2f__utf8_level_for(int has_ssse3, int has_avx2) {
#if P2F__X86_SIMD
  return has_avx2 ? P2F__UTF8_AVX2 : has_ssse3 ? P2F__UTF8_SSSE3 : P2F__UTF8_SCALAR;
#else
  (void)has_ssse3;
  (void)has_avx2;
  return P2F__UTF8_SCALAR;
#endif
}

int p2f__utf8_level(void) {
#if P2F__X86_SIMD
  /* 0: not yet known. Racing first calls store the same value. */
  static atomic_int level;
  int l = atomic_load_explicit(&level, memory_order_relaxed);
  if (l == 0) {
    __builtin_cpu_init();
    l = p2f__utf8_level_for(__builtin_cpu_supports("ssse3") != 0, __builtin_cpu_supports("avx2") != 0);
    atomic_store_explicit(&level, l, memory_order_relaxed);
  }
  return l;
#else
  return P2F__UTF8_SCALAR;
#endif
}

int p2f__utf8_valid_at(const uint8_t *s, size_t len, int level) {
#if P2F__X86_SIMD
  if (len >= SIMD_MIN_LEN && level == P2F__UTF8_AVX2) return utf8_avx2(s, len, NULL);
  if (len >= SIMD_MIN_LEN && level == P2F__UTF8_SSSE3) return utf8_valid_ssse3(s, len);
#else
  (void)level;
#endif
  return utf8_valid_scalar(s, len);
}

int p2f__utf8_copy_at(uint8_t *dst, const uint8_t *src, size_t len, int level) {
#if P2F__X86_SIMD
  if (len >= SIMD_MIN_LEN && level == P2F__UTF8_AVX2) return utf8_avx2(src, len, dst);
#endif
  if (len) memcpy(dst, src, len);
  return p2f__utf8_valid_at(src, len, level);
}

int p2f__utf8_copy(uint8_t *dst, const uint8_t *src, size_t len) {
  return p2f__utf8_copy_at(dst, src, len, p2f__utf8_level());
}

int p2f_utf8_valid(const uint8_t *s, size_t len) { return p2f__utf8_valid_at(s, len, p2f__utf8_level()); }
