/* UTF-8 validation (p2f_utf8_valid of proto2ffi/wire.h, and the internal entry points of
 * internal/utf8.h): a portable scalar validator and, on x86 with GCC or clang, SSSE3, AVX2
 * and AVX-512 (BW and VBMI) ones chosen at run time from what the CPU runs.
 *
 * Every validator tests for ASCII first, wide and without classifying anything (words of 8
 * bytes scalar, 64 bytes per step as 16- or 32-byte vectors; the AVX-512 level shares the
 * AVX2 one's), copying the bytes with the same
 * loads when it has a destination, and moves to the full check at the first step holding a
 * byte >= 0x80: pure ASCII text costs about what memcpy of it costs (bench/utf8_bench.c). */
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
  size_t i = 0;
  for (;;) {
    i += ascii_prefix(s + i, len - i);
    if (i == len) return 1;
    size_t n = utf8_sequence(s + i, len - i);
    if (n == 0) return 0;
    i += n;
  }
}

#define HIGH_BITS 0x8080808080808080u

static inline uint64_t load64(const uint8_t *s) {
  uint64_t w;
  memcpy(&w, s, 8);
  return w;
}

static inline void store64(uint8_t *d, uint64_t w) { memcpy(d, &w, 8); }

/* Copies [src, src+len) to dst when dst is not NULL (dst gets the bytes whatever the result)
 * and says whether they are well-formed UTF-8. ASCII first, 32 bytes per step as four words
 * (or-ed, one test of the high bits; the byte order does not matter), the last 1 to 16 bytes
 * as overlapping words; at the first word with a byte >= 0x80 the rest goes to the sequence
 * by sequence validator (every byte before it is ASCII, so a sequence starts there). */
static int utf8_scalar(const uint8_t *s, size_t len, uint8_t *dst) {
  UTF8_RAN("scalar");
  size_t i = 0;
  if (len >= 8) {
    for (; len - i > 32; i += 32) {
      uint64_t a = load64(s + i), b = load64(s + i + 8), c = load64(s + i + 16), d = load64(s + i + 24);
      if (dst) {
        store64(dst + i, a);
        store64(dst + i + 8, b);
        store64(dst + i + 16, c);
        store64(dst + i + 24, d);
      }
      if ((a | b | c | d) & HIGH_BITS) goto multi;
    }
    if (len - i > 16) {
      uint64_t a = load64(s + i), b = load64(s + i + 8);
      if (dst) {
        store64(dst + i, a);
        store64(dst + i + 8, b);
      }
      if ((a | b) & HIGH_BITS) goto multi;
      i += 16;
    }
    /* 1 to 16 bytes left, len >= 8: two words ending at len, overlapping what came before. */
    size_t t = len - i > 8 ? i : len - 8;
    uint64_t a = load64(s + t), b = load64(s + len - 8);
    if (dst) {
      store64(dst + t, a);
      store64(dst + len - 8, b);
    }
    if (!((a | b) & HIGH_BITS)) return 1;
  } else {
    uint8_t any = 0;
    for (size_t k = 0; k < len; k++) any |= s[k];
    if (dst && len) memcpy(dst, s, len);
    if (any < 0x80) return 1;
    return utf8_valid_scalar(s, len);
  }
multi:
  if (dst) memcpy(dst + i, s + i, len - i);
  return utf8_valid_scalar(s + i, len - i);
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

/* The error classes of 16-byte block `in` after block `prev` (zero: well-formed so far). */
__attribute__((target("ssse3"))) static inline __m128i utf8_ssse3_block(__m128i in, __m128i prev) {
  const __m128i prev1_high = _mm_loadu_si128((const __m128i *)(const void *)prev1_high_t);
  const __m128i prev1_low = _mm_loadu_si128((const __m128i *)(const void *)prev1_low_t);
  const __m128i cur_high = _mm_loadu_si128((const __m128i *)(const void *)cur_high_t);
  const __m128i low_nibble = _mm_set1_epi8(0x0F);
  __m128i prev1 = _mm_alignr_epi8(in, prev, 15);
  __m128i b1h = _mm_shuffle_epi8(prev1_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), low_nibble));
  __m128i b1l = _mm_shuffle_epi8(prev1_low, _mm_and_si128(prev1, low_nibble));
  __m128i b2h = _mm_shuffle_epi8(cur_high, _mm_and_si128(_mm_srli_epi16(in, 4), low_nibble));
  __m128i special = _mm_and_si128(_mm_and_si128(b1h, b1l), b2h);
  __m128i prev2 = _mm_alignr_epi8(in, prev, 14), prev3 = _mm_alignr_epi8(in, prev, 13);
  __m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8(0x60));
  __m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8(0x70));
  __m128i must23 = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8(-128));
  return _mm_xor_si128(must23, special);
}

/* Non-zero where block `prev` ends inside a sequence: a lead byte in its last byte, a 3- or
 * 4-byte lead in the one before, a 4-byte lead in the one before that. An all-ASCII block
 * after `prev` is well-formed exactly when this is zero (then no pair of the two blocks can
 * be wrong), and so is the end of the text after `prev`. */
__attribute__((target("ssse3"))) static inline __m128i utf8_ssse3_unfinished(__m128i prev) {
  const __m128i max = _mm_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, (char)0xEF, (char)0xDF,
                                    (char)0xBF);
  return _mm_subs_epu8(prev, max);
}

/* Validates [s+i, s+len) (len >= 16; every byte before s+i is ASCII) 16 bytes per step and,
 * when dst is not NULL, copies it to dst+i with the same loads (dst gets the bytes whatever the
 * result). A block of ASCII only (one movemask) skips the pair classification. */
__attribute__((target("ssse3"), noinline)) static int utf8_ssse3_from(const uint8_t *s, size_t len, uint8_t *dst,
                                                                      size_t i) {
  __m128i prev = _mm_setzero_si128(), error = _mm_setzero_si128();
  for (; len - i >= 16; i += 16) {
    __m128i in = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    if (dst) _mm_storeu_si128((__m128i *)(void *)(dst + i), in);
    if (_mm_movemask_epi8(in) == 0) error = _mm_or_si128(error, utf8_ssse3_unfinished(prev));
    else error = _mm_or_si128(error, utf8_ssse3_block(in, prev));
    prev = in;
  }
  /* 0 to 15 bytes left: the 16 ending at len (overlapping what came before) are copied and
   * tested for ASCII; if they are not, the rest goes through the classification padded with
   * NULs (ASCII), where an unfinished sequence shows as TOO_SHORT. */
  __m128i last = _mm_loadu_si128((const __m128i *)(const void *)(s + len - 16));
  if (dst) _mm_storeu_si128((__m128i *)(void *)(dst + len - 16), last);
  if (_mm_movemask_epi8(last) == 0) {
    error = _mm_or_si128(error, utf8_ssse3_unfinished(prev));
  } else {
    uint8_t tail[16] = {0};
    memcpy(tail, s + i, len - i);
    error = _mm_or_si128(error, utf8_ssse3_block(_mm_loadu_si128((const __m128i *)(const void *)tail), prev));
  }
  return _mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) == 0xFFFF;
}

/* Validates [s, s+len) (len >= 32) and, when dst is not NULL, copies it to dst on the way:
 * ASCII first, 64 bytes per step as four 16-byte blocks tested with one movemask of their OR,
 * the last 1 to 64 bytes as 16-byte blocks (the last one overlapping); from the first step
 * with a byte >= 0x80 on, utf8_ssse3_from classifies. */
__attribute__((target("ssse3"))) static int utf8_ssse3(const uint8_t *s, size_t len, uint8_t *dst) {
  UTF8_RAN("ssse3");
  size_t i = 0;
  for (; len - i >= 64; i += 64) {
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 16));
    __m128i c = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 32));
    __m128i d = _mm_loadu_si128((const __m128i *)(const void *)(s + i + 48));
    if (dst) {
      _mm_storeu_si128((__m128i *)(void *)(dst + i), a);
      _mm_storeu_si128((__m128i *)(void *)(dst + i + 16), b);
      _mm_storeu_si128((__m128i *)(void *)(dst + i + 32), c);
      _mm_storeu_si128((__m128i *)(void *)(dst + i + 48), d);
    }
    if (_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(a, b), _mm_or_si128(c, d)))) return utf8_ssse3_from(s, len, dst, i);
  }
  for (; len - i > 16; i += 16) {
    __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
    if (dst) _mm_storeu_si128((__m128i *)(void *)(dst + i), a);
    if (_mm_movemask_epi8(a)) return utf8_ssse3_from(s, len, dst, i);
  }
  if (i == len) return 1;
  __m128i last = _mm_loadu_si128((const __m128i *)(const void *)(s + len - 16));
  if (dst) _mm_storeu_si128((__m128i *)(void *)(dst + len - 16), last);
  if (_mm_movemask_epi8(last)) return utf8_ssse3_from(s, len, dst, i);
  return 1;
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

/* utf8_ssse3_unfinished for a 32-byte block. */
__attribute__((target("avx2"))) static inline __m256i utf8_avx2_unfinished(__m256i prev) {
  const __m256i max = _mm256_setr_epi8(-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
                                       -1, -1, -1, -1, -1, -1, -1, -1, -1, (char)0xEF, (char)0xDF, (char)0xBF);
  return _mm256_subs_epu8(prev, max);
}

/* Validates [s+i, s+len) (len - i >= 32 or i > 0, so that the last 32 bytes exist; every byte
 * before s+i is ASCII) and, when dst is not NULL, copies it to dst+i on the way (dst gets the
 * bytes whatever the result): 64 bytes per step, where two blocks of ASCII only (one test of
 * both) skip the pair classification. */
__attribute__((target("avx2"), noinline)) static int utf8_avx2_from(const uint8_t *s, size_t len, uint8_t *dst,
                                                                    size_t i) {
  utf8_avx2_tables t;
  t.prev1_high = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)prev1_high_t));
  t.prev1_low = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)prev1_low_t));
  t.cur_high = _mm256_broadcastsi128_si256(_mm_loadu_si128((const __m128i *)(const void *)cur_high_t));
  const __m256i high = _mm256_set1_epi8(-128);
  /* ASCII before s+i: nothing unfinished, and an all-NUL block stands for it. */
  __m256i prev = _mm256_setzero_si256(), error0 = _mm256_setzero_si256(), error1 = _mm256_setzero_si256();
  for (; len - i >= 64; i += 64) { /* two blocks per step: independent work for the CPU */
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 32));
    if (dst) {
      _mm256_storeu_si256((__m256i *)(void *)(dst + i), a);
      _mm256_storeu_si256((__m256i *)(void *)(dst + i + 32), b);
    }
    if (_mm256_testz_si256(_mm256_or_si256(a, b), high)) {
      error0 = _mm256_or_si256(error0, utf8_avx2_unfinished(prev));
    } else {
      error0 = _mm256_or_si256(error0, utf8_avx2_block(&t, a, prev));
      error1 = _mm256_or_si256(error1, utf8_avx2_block(&t, b, a));
    }
    prev = b;
  }
  if (len - i >= 32) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    if (dst) _mm256_storeu_si256((__m256i *)(void *)(dst + i), a);
    if (_mm256_testz_si256(a, high)) error0 = _mm256_or_si256(error0, utf8_avx2_unfinished(prev));
    else error0 = _mm256_or_si256(error0, utf8_avx2_block(&t, a, prev));
    prev = a;
    i += 32;
  }
  /* 0 to 31 bytes left: the 32 ending at len (overlapping what came before) are copied and
   * tested for ASCII; if they are not, they are classified after the 32 bytes before them
   * when the text has those (bytes classified twice give the same classes), with the end of
   * the text inside a sequence caught as in an ASCII block after them; a shorter text goes
   * through the classification padded with NULs (ASCII), where an unfinished sequence shows
   * as TOO_SHORT. */
  __m256i last = _mm256_loadu_si256((const __m256i *)(const void *)(s + len - 32));
  if (dst) _mm256_storeu_si256((__m256i *)(void *)(dst + len - 32), last);
  if (_mm256_testz_si256(last, high)) {
    error0 = _mm256_or_si256(error0, utf8_avx2_unfinished(prev));
  } else if (len >= 64) {
    __m256i before = _mm256_loadu_si256((const __m256i *)(const void *)(s + len - 64));
    error0 = _mm256_or_si256(error0, utf8_avx2_block(&t, last, before));
    error1 = _mm256_or_si256(error1, utf8_avx2_unfinished(last));
  } else {
    uint8_t tail[32] = {0};
    memcpy(tail, s + i, len - i);
    error0 = _mm256_or_si256(error0, utf8_avx2_block(&t, _mm256_loadu_si256((const __m256i *)(const void *)tail), prev));
  }
  error0 = _mm256_or_si256(error0, error1);
  return _mm256_testz_si256(error0, error0);
}

/* The same classification, 64 bytes per block (AVX-512 BW and VBMI): the bytes one, two and
 * three before each byte come from one two-source byte permutation each (VBMI), across the
 * whole block; the pair tables are looked up per 128-bit lane as before. The last 1 to 63
 * bytes are read and written with byte masks, the bytes past the end read as NUL (ASCII), so
 * that an unfinished sequence there shows as TOO_SHORT. */
typedef struct utf8_avx512_consts {
  __m512i prev1_high, prev1_low, cur_high, back1, back2, back3, low_nibble, high, max_before;
} utf8_avx512_consts;

#define UTF8_AVX512_TARGET "avx512f,avx512bw,avx512vbmi"

__attribute__((target(UTF8_AVX512_TARGET))) static inline __m512i utf8_avx512_block(const utf8_avx512_consts *k,
                                                                                     __m512i in, __m512i prev) {
  __m512i prev1 = _mm512_permutex2var_epi8(prev, k->back1, in);
  __m512i b1h = _mm512_shuffle_epi8(k->prev1_high, _mm512_and_si512(_mm512_srli_epi16(prev1, 4), k->low_nibble));
  __m512i b1l = _mm512_shuffle_epi8(k->prev1_low, _mm512_and_si512(prev1, k->low_nibble));
  __m512i b2h = _mm512_shuffle_epi8(k->cur_high, _mm512_and_si512(_mm512_srli_epi16(in, 4), k->low_nibble));
  __m512i special = _mm512_ternarylogic_epi32(b1h, b1l, b2h, 0x80); /* a & b & c */
  __m512i prev2 = _mm512_permutex2var_epi8(prev, k->back2, in);
  __m512i prev3 = _mm512_permutex2var_epi8(prev, k->back3, in);
  __m512i third = _mm512_subs_epu8(prev2, _mm512_set1_epi8(0x60));
  __m512i fourth = _mm512_subs_epu8(prev3, _mm512_set1_epi8(0x70));
  /* ((third | fourth) & 0x80) ^ special */
  return _mm512_ternarylogic_epi32(_mm512_or_si512(third, fourth), k->high, special, 0x6A);
}

/* utf8_avx2_from with 64-byte blocks: validates [s+i, s+len) (i < len; every byte before s+i
 * is ASCII) and, when dst is not NULL, copies it to dst+i on the way (dst gets the bytes
 * whatever the result). A step of ASCII only (one test) is checked for a sequence left open by
 * the step before, any other is classified after it. */
__attribute__((target(UTF8_AVX512_TARGET), noinline)) static int utf8_avx512_from(const uint8_t *s, size_t len,
                                                                                   uint8_t *dst, size_t i) {
  utf8_avx512_consts k;
  k.prev1_high = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)prev1_high_t));
  k.prev1_low = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)prev1_low_t));
  k.cur_high = _mm512_broadcast_i32x4(_mm_loadu_si128((const __m128i *)(const void *)cur_high_t));
  /* Byte j of the permutation (prev, in) -> index 64 - d + j: prev's last bytes, then in's. */
  const __m512i iota = _mm512_set_epi8(63, 62, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47, 46, 45,
                                       44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 31, 30, 29, 28, 27, 26,
                                       25, 24, 23, 22, 21, 20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6,
                                       5, 4, 3, 2, 1, 0);
  k.back1 = _mm512_add_epi8(iota, _mm512_set1_epi8(63));
  k.back2 = _mm512_add_epi8(iota, _mm512_set1_epi8(62));
  k.back3 = _mm512_add_epi8(iota, _mm512_set1_epi8(61));
  k.low_nibble = _mm512_set1_epi8(0x0F);
  k.high = _mm512_set1_epi8(-128);
  /* utf8_ssse3_unfinished for a 64-byte block: its last three bytes against EF, DF, BF. */
  k.max_before = _mm512_mask_blend_epi8(0xE000000000000000u, _mm512_set1_epi8(-1),
                                         _mm512_set_epi8((char)0xBF, (char)0xDF, (char)0xEF, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                                         0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
  /* ASCII before s+i: nothing unfinished, and an all-NUL block stands for it. */
  __m512i prev = _mm512_setzero_si512(), error = _mm512_setzero_si512();
  for (; len - i >= 64; i += 64) {
    __m512i in = _mm512_loadu_si512((const void *)(s + i));
    if (dst) _mm512_storeu_si512((void *)(dst + i), in);
    if (_mm512_test_epi8_mask(in, k.high) == 0) error = _mm512_or_si512(error, _mm512_subs_epu8(prev, k.max_before));
    else error = _mm512_or_si512(error, utf8_avx512_block(&k, in, prev));
    prev = in;
  }
  if (i == len) {
    error = _mm512_or_si512(error, _mm512_subs_epu8(prev, k.max_before));
  } else {
    __mmask64 m = (__mmask64)(~0ull >> (64 - (len - i)));
    __m512i in = _mm512_maskz_loadu_epi8(m, (const void *)(s + i));
    if (dst) _mm512_mask_storeu_epi8((void *)(dst + i), m, in);
    error = _mm512_or_si512(error, utf8_avx512_block(&k, in, prev));
  }
  return _mm512_test_epi8_mask(error, error) == 0;
}
/* Validates [s, s+len) (len >= 32) and, when dst is not NULL, copies it to dst on the way.
 * ASCII first, at memory speed: 64 bytes per step copied and tested with one instruction,
 * the last 1 to 64 bytes as overlapping 32-byte blocks; from the first block with a byte >=
 * 0x80 on, utf8_avx2_from classifies. */
__attribute__((target("avx2"))) static inline int utf8_avx2_copy(const uint8_t *s, size_t len, uint8_t *dst,
                                                                      int wide) {
  const __m256i high = _mm256_set1_epi8(-128);
  size_t i = 0;
  for (; len - i >= 64; i += 64) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 32));
    _mm256_storeu_si256((__m256i *)(void *)(dst + i), a);
    _mm256_storeu_si256((__m256i *)(void *)(dst + i + 32), b);
    if (!_mm256_testz_si256(_mm256_or_si256(a, b), high)) return wide ? utf8_avx512_from(s, len, dst, i) : utf8_avx2_from(s, len, dst, i);
  }
  if (len - i > 32) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    _mm256_storeu_si256((__m256i *)(void *)(dst + i), a);
    if (!_mm256_testz_si256(a, high)) return wide ? utf8_avx512_from(s, len, dst, i) : utf8_avx2_from(s, len, dst, i);
    i += 32;
  }
  if (i == len) return 1;
  __m256i last = _mm256_loadu_si256((const __m256i *)(const void *)(s + len - 32));
  _mm256_storeu_si256((__m256i *)(void *)(dst + len - 32), last);
  if (!_mm256_testz_si256(last, high)) return wide ? utf8_avx512_from(s, len, dst, i) : utf8_avx2_from(s, len, dst, i);
  return 1;
}

/* The same without a destination. */
__attribute__((target("avx2"))) static inline int utf8_avx2_valid(const uint8_t *s, size_t len, int wide) {
  const __m256i high = _mm256_set1_epi8(-128);
  size_t i = 0;
  for (; len - i >= 64; i += 64) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    __m256i b = _mm256_loadu_si256((const __m256i *)(const void *)(s + i + 32));
    if (!_mm256_testz_si256(_mm256_or_si256(a, b), high)) return wide ? utf8_avx512_from(s, len, NULL, i) : utf8_avx2_from(s, len, NULL, i);
  }
  if (len - i > 32) {
    __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)(s + i));
    if (!_mm256_testz_si256(a, high)) return wide ? utf8_avx512_from(s, len, NULL, i) : utf8_avx2_from(s, len, NULL, i);
    i += 32;
  }
  if (i == len) return 1;
  __m256i last = _mm256_loadu_si256((const __m256i *)(const void *)(s + len - 32));
  if (!_mm256_testz_si256(last, high)) return wide ? utf8_avx512_from(s, len, NULL, i) : utf8_avx2_from(s, len, NULL, i);
  return 1;
}

__attribute__((target("avx2"))) static int utf8_avx2(const uint8_t *s, size_t len, uint8_t *dst) {
  UTF8_RAN("avx2");
  return dst ? utf8_avx2_copy(s, len, dst, 0) : utf8_avx2_valid(s, len, 0);
}

/* The AVX2 ASCII prefix, then the 64-byte classification from the first byte >= 0x80. */
__attribute__((target(UTF8_AVX512_TARGET))) static int utf8_avx512(const uint8_t *s, size_t len, uint8_t *dst) {
  UTF8_RAN("avx512");
  return dst ? utf8_avx2_copy(s, len, dst, 1) : utf8_avx2_valid(s, len, 1);
}
#endif

int p2f__utf8_level_for(int has_ssse3, int has_avx2, int has_avx512) {
#if P2F__X86_SIMD
  return has_avx512 && has_avx2 ? P2F__UTF8_AVX512 : has_avx2 ? P2F__UTF8_AVX2 : has_ssse3 ? P2F__UTF8_SSSE3
                                                                                          : P2F__UTF8_SCALAR;
#else
  (void)has_ssse3;
  (void)has_avx2;
  (void)has_avx512;
  return P2F__UTF8_SCALAR;
#endif
}

#if P2F__X86_SIMD
/* 0: not yet known. Racing first calls store the same value. */
static atomic_int detected_level;
#endif

int p2f__utf8_level(void) {
#if P2F__X86_SIMD
  int l = atomic_load_explicit(&detected_level, memory_order_relaxed);
  if (l == 0) {
    __builtin_cpu_init();
    l = p2f__utf8_level_for(__builtin_cpu_supports("ssse3") != 0, __builtin_cpu_supports("avx2") != 0,
                            __builtin_cpu_supports("avx512bw") != 0 && __builtin_cpu_supports("avx512vbmi") != 0);
    atomic_store_explicit(&detected_level, l, memory_order_relaxed);
  }
  return l;
#else
  return P2F__UTF8_SCALAR;
#endif
}

int p2f__utf8_valid_at(const uint8_t *s, size_t len, int level) {
  return p2f__utf8_copy_at(NULL, s, len, level);
}

int p2f__utf8_copy_at(uint8_t *dst, const uint8_t *src, size_t len, int level) {
#if P2F__X86_SIMD
  if (len >= SIMD_MIN_LEN && level == P2F__UTF8_AVX512) return utf8_avx512(src, len, dst);
  if (len >= SIMD_MIN_LEN && level == P2F__UTF8_AVX2) return utf8_avx2(src, len, dst);
  if (len >= SIMD_MIN_LEN && level == P2F__UTF8_SSSE3) return utf8_ssse3(src, len, dst);
#else
  (void)level;
#endif
  return utf8_scalar(src, len, dst);
}

int p2f__utf8_copy(uint8_t *dst, const uint8_t *src, size_t len) {
  /* Short text needs no level: the scalar code is what every level runs on it. */
  if (len < SIMD_MIN_LEN) return utf8_scalar(src, len, dst);
#if P2F__X86_SIMD
  int l = atomic_load_explicit(&detected_level, memory_order_relaxed);
  if (l == P2F__UTF8_AVX512) return utf8_avx512(src, len, dst);
  if (l == P2F__UTF8_AVX2) return utf8_avx2(src, len, dst);
  if (l == 0) l = p2f__utf8_level();
  return p2f__utf8_copy_at(dst, src, len, l);
#else
  return utf8_scalar(src, len, dst);
#endif
}

int p2f_utf8_valid(const uint8_t *s, size_t len) { return p2f__utf8_copy(NULL, s, len); }
