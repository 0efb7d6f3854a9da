/* varint_pack.c's packed varint writers (internal/varint_pack.h), every level this CPU runs,
 * against a reference written here: one varint at a time, 7 bits per byte, int32 values
 * sign-extended to 64 bits and zigzag as the protobuf encoding defines it.
 *
 * Built with its own copy of varint_pack.c compiled with P2F__VPACK_TRACE=1 (the vector code
 * counts the blocks it writes), so a vector level that silently falls back to the scalar code
 * fails here; also built with P2F__X86_SIMD=0, the portable code, where every level is scalar.
 * Inputs: random values of one and two bytes (the vector blocks), every edge of the varint
 * lengths (0, 2^7 - 1, 2^7, ..., 2^63, UINT64_MAX, INT64_MIN, negative int32 values, which
 * take 10 bytes), mixtures of the two at random positions, every count from 0 to 80, and a
 * block for each of the 256 patterns of one- and two-byte elements. Each output is compared
 * byte for byte, its end pointer checked, and the bytes past count * most + P2F__VPACK_SLACK
 * checked untouched. The one-varint writers of the header are checked the same way on
 * values of every bit length. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../support/check.h"
#include "internal/varint_pack.h"

#if P2F__X86_SIMD
#include "varint_pack_shuffle.inc"
#endif

static uint64_t rng_state = 0x9e3779b97f4a7c15u;
static uint64_t next_rand(void) {
  rng_state ^= rng_state << 13;
  rng_state ^= rng_state >> 7;
  rng_state ^= rng_state << 17;
  return rng_state;
}

/* The reference: protobuf's varint of one element. */
static size_t ref_varint(uint8_t *p, uint64_t v) {
  size_t n = 0;
  do {
    uint8_t b = (uint8_t)(v & 0x7f);
    v >>= 7;
    p[n++] = (uint8_t)(b | (v ? 0x80 : 0));
  } while (v);
  return n;
}

static uint64_t ref_value(int kind, const uint64_t *e64, const uint32_t *e32, size_t i) {
  switch (kind) {
    case P2F__VPACK_U64: return e64[i];
    case P2F__VPACK_ZIGZAG64: {
      int64_t x = (int64_t)e64[i];
      return x >= 0 ? (uint64_t)x * 2 : ((uint64_t)-(x + 1)) * 2 + 1;
    }
    case P2F__VPACK_INT32: {
      int32_t x = (int32_t)e32[i];
      return x >= 0 ? (uint64_t)x : UINT64_MAX - (uint64_t)(-(int64_t)x) + 1;
    }
    case P2F__VPACK_UINT32: return e32[i];
    default: {
      int32_t x = (int32_t)e32[i];
      return x >= 0 ? (uint64_t)x * 2 : (uint64_t)(-(int64_t)x) * 2 - 1;
    }
  }
}

static size_t most_of(int kind) { return kind == P2F__VPACK_UINT32 || kind == P2F__VPACK_ZIGZAG32 ? 5 : 10; }

enum { MAXN = 80, OUT = MAXN * 10 + P2F__VPACK_SLACK + 32 };

/* Writes e64/e32 (count elements) of `kind` at `level` and compares with the reference. */
static int check_one(int kind, int level, const uint64_t *e64, const uint32_t *e32, size_t count) {
  uint8_t want[OUT], got[OUT];
  size_t n = 0;
  for (size_t i = 0; i < count; i++) n += ref_varint(want + n, ref_value(kind, e64, e32, i));
  memset(got, 0xa5, sizeof got);
  const void *v = kind <= P2F__VPACK_ZIGZAG64 ? (const void *)e64 : (const void *)e32;
  uint8_t *end = p2f__vpack_at(got, v, count, kind, level);
  size_t limit = count * most_of(kind) + P2F__VPACK_SLACK;
  int ok = end == got + n && memcmp(got, want, n) == 0;
  for (size_t i = limit; i < sizeof got; i++) ok &= got[i] == 0xa5;
  if (!ok) {
    fprintf(stderr, "kind %d level %d count %zu: %s\n", kind, level, count,
            end != got + n ? "wrong length" : "wrong bytes or written past the limit");
  }
  return ok;
}

/* Values of one or two varint bytes as the kind stores them. */
static void small_values(int kind, uint64_t *e64, uint32_t *e32, size_t count, int allow_one) {
  for (size_t i = 0; i < count; i++) {
    uint64_t r = next_rand();
    uint32_t u = (uint32_t)(allow_one && (r >> 40 & 3) == 0 ? r % 128 : r % 16384); /* varint value */
    int neg = (int)(r >> 20 & 1);
    switch (kind) {
      case P2F__VPACK_U64: e64[i] = u; break;
      case P2F__VPACK_ZIGZAG64: e64[i] = (uint64_t)(neg ? -(int64_t)(u / 2) - 1 : (int64_t)(u / 2)); break;
      case P2F__VPACK_ZIGZAG32: e32[i] = (uint32_t)(neg ? -(int32_t)(u / 2) - 1 : (int32_t)(u / 2)); break;
      default: e32[i] = u; break;
    }
  }
}

static const uint64_t edges[] = {0,
                                 1,
                                 127,
                                 128,
                                 16383,
                                 16384,
                                 (1u << 21) - 1,
                                 1u << 21,
                                 (1u << 28) - 1,
                                 1u << 28,
                                 (1ull << 35) - 1,
                                 1ull << 35,
                                 (1ull << 42) - 1,
                                 1ull << 42,
                                 (1ull << 49) - 1,
                                 1ull << 49,
                                 (1ull << 56) - 1,
                                 1ull << 56,
                                 (1ull << 63) - 1,
                                 1ull << 63,
                                 UINT64_MAX,
                                 UINT64_MAX - 127,
                                 0xffffffffu,
                                 0x7fffffffu,
                                 0x80000000u,
                                 0xffff0000u,
                                 0xffffc000u, /* as int32: -16384 */
                                 0xffffffc0u, /* as int32: -64 */
                                 0xffffffffffffe000u,
                                 0x8000000000000001u};
enum { NEDGES = sizeof edges / sizeof edges[0] };

static void fill_edge(uint64_t *e64, uint32_t *e32, size_t i, uint64_t x) {
  e64[i] = x;
  e32[i] = (uint32_t)x;
}

static void test_level(int level) {
  static const int kinds[] = {P2F__VPACK_U64, P2F__VPACK_ZIGZAG64, P2F__VPACK_INT32, P2F__VPACK_UINT32,
                              P2F__VPACK_ZIGZAG32};
  uint64_t e64[MAXN];
  uint32_t e32[MAXN];
  int ok = 1;
  for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
    int kind = kinds[k];
    for (int round = 0; round < 40; round++) {
      for (size_t count = 0; count <= MAXN; count++) {
        small_values(kind, e64, e32, MAXN, round & 1);
        ok &= check_one(kind, level, e64, e32, count);
        /* one to three edge values at random positions (the block they fall in is scalar) */
        int edits = 1 + (int)(next_rand() % 3);
        for (int j = 0; j < edits && count; j++) {
          fill_edge(e64, e32, (size_t)(next_rand() % count), edges[next_rand() % NEDGES]);
        }
        ok &= check_one(kind, level, e64, e32, count);
      }
    }
    /* every edge value in every position of a block of 16 */
    for (size_t x = 0; x < NEDGES; x++) {
      for (size_t pos = 0; pos < 16; pos++) {
        small_values(kind, e64, e32, 16, 1);
        fill_edge(e64, e32, pos, edges[x]);
        ok &= check_one(kind, level, e64, e32, 16);
      }
    }
    /* all edges in a row, and each edge repeated */
    for (size_t x = 0; x < NEDGES; x++) fill_edge(e64, e32, x, edges[x]);
    ok &= check_one(kind, level, e64, e32, NEDGES);
    for (size_t x = 0; x < NEDGES; x++) {
      for (size_t i = 0; i < 24; i++) fill_edge(e64, e32, i, edges[x]);
      ok &= check_one(kind, level, e64, e32, 24);
    }
    /* the 256 patterns of one- and two-byte elements in a block of 8, at 8 and 16 elements */
    for (unsigned m = 0; m < 256; m++) {
      small_values(kind, e64, e32, 16, 0);
      for (size_t i = 0; i < 8; i++) {
        uint64_t u = (m >> i & 1) ? 128 + next_rand() % 16256 : next_rand() % 128; /* the varint */
        uint64_t stored = u;
        if (kind == P2F__VPACK_ZIGZAG64 || kind == P2F__VPACK_ZIGZAG32) {
          stored = (u & 1) ? (uint64_t)(-(int64_t)(u / 2) - 1) : u / 2;
        }
        fill_edge(e64, e32, i, stored);
        fill_edge(e64, e32, 8 + i, stored);
      }
      ok &= check_one(kind, level, e64, e32, 8);
      ok &= check_one(kind, level, e64, e32, 16);
    }
  }
  CHECK(ok);
}

/* At a vector level, small values go through the vector code (blocks counted), not all through
 * the scalar fallback; and a block with one large value does not. */
static void test_vector_blocks_ran(int level, size_t block) {
#if P2F__X86_SIMD && P2F__VPACK_TRACE
  uint64_t e64[64];
  uint32_t e32[64];
  small_values(P2F__VPACK_ZIGZAG64, e64, e32, 64, 1);
  uint8_t out[64 * 10 + P2F__VPACK_SLACK];
  p2f__vpack_trace_blocks = 0;
  p2f__vpack_at(out, e64, 64, P2F__VPACK_ZIGZAG64, level);
  CHECK(p2f__vpack_trace_blocks == 64 / block);
  small_values(P2F__VPACK_INT32, e64, e32, 64, 1);
  p2f__vpack_trace_blocks = 0;
  p2f__vpack_at(out, e32, 64, P2F__VPACK_INT32, level);
  CHECK(p2f__vpack_trace_blocks == 64 / block);
  e32[3] = (uint32_t)-1; /* 10 bytes: its block of 8 is written by the scalar code */
  p2f__vpack_trace_blocks = 0;
  p2f__vpack_at(out, e32, 64, P2F__VPACK_INT32, level);
  CHECK(p2f__vpack_trace_blocks == (block == 16 ? 4 : 7)); /* AVX2: the other half of 8 is vector */
  p2f__vpack_trace_blocks = 0;
  p2f__vpack_at(out, e32, 64, P2F__VPACK_INT32, P2F__VPACK_SCALAR);
  CHECK(p2f__vpack_trace_blocks == 0);
#else
  (void)level;
  (void)block;
#endif
}

/* The shuffle table: row m gathers bytes 2i and, when bit i is set, 2i+1, in order. */
static void test_shuffle_table(void) {
#if P2F__X86_SIMD
  int ok = 1;
  for (unsigned m = 0; m < 256; m++) {
    size_t n = 0;
    for (unsigned i = 0; i < 8; i++) {
      ok &= vpack_shuffle[m][n++] == 2 * i;
      if (m >> i & 1) ok &= vpack_shuffle[m][n++] == 2 * i + 1;
    }
    ok &= vpack_len[m] == n;
    for (; n < 16; n++) ok &= vpack_shuffle[m][n] == 0x80;
  }
  CHECK(ok);
#endif
}

/* The one-varint writers of the header, which encode.c uses for single fields: every length,
 * its edges, and random values of every bit length. */
static void test_single(void) {
  int ok = 1;
  for (int bits = 0; bits <= 64; bits++) {
    for (int r = 0; r < 200; r++) {
      uint64_t x = next_rand();
      uint64_t v = bits == 0 ? 0 : bits == 64 ? x : (x & ((1ull << bits) - 1)) | 1ull << (bits - 1);
      if (r == 1) v = bits == 0 ? 0 : bits == 64 ? UINT64_MAX : (1ull << bits) - 1; /* all ones */
      if (r == 2 && bits) v = 1ull << (bits - 1); /* the smallest of the length */
      uint8_t want[16], got[16 + 8];
      size_t n = ref_varint(want, v);
      memset(got, 0xa5, sizeof got);
      uint8_t *end = p2f__put_varint_wide(got, v);
      ok &= end == got + n && memcmp(got, want, n) == 0 && p2f__varint_size(v) == n;
      for (size_t i = 10; i < sizeof got; i++) ok &= got[i] == 0xa5; /* at most 10 bytes written */
      end = p2f__put_varint(got, v);
      ok &= end == got + n && memcmp(got, want, n) == 0;
    }
  }
  CHECK(ok);
}

int main(void) {
#if P2F__X86_SIMD
  CHECK(p2f__vpack_level_for(0, 0) == P2F__VPACK_SCALAR);
  CHECK(p2f__vpack_level_for(1, 0) == P2F__VPACK_SSSE3);
  CHECK(p2f__vpack_level_for(1, 1) == P2F__VPACK_AVX2);
  __builtin_cpu_init();
  int ssse3 = __builtin_cpu_supports("ssse3") != 0, avx2 = __builtin_cpu_supports("avx2") != 0;
  CHECK(p2f__vpack_level() == (avx2 ? P2F__VPACK_AVX2 : ssse3 ? P2F__VPACK_SSSE3 : P2F__VPACK_SCALAR));
  printf("CPU: ssse3 %d, avx2 %d; level %d\n", ssse3, avx2, p2f__vpack_level());
#else
  CHECK(p2f__vpack_level_for(1, 1) == P2F__VPACK_SCALAR);
  CHECK(p2f__vpack_level() == P2F__VPACK_SCALAR);
  printf("portable build: level %d\n", p2f__vpack_level());
#endif
  test_shuffle_table();
  test_single();
  int top = p2f__vpack_level();
  for (int level = P2F__VPACK_SCALAR; level <= top; level++) {
    test_level(level);
    if (level == P2F__VPACK_SSSE3) test_vector_blocks_ran(level, 8);
    if (level == P2F__VPACK_AVX2) test_vector_blocks_ran(level, 16);
  }
  /* p2f__vpack, the entry encode.c calls, at the detected level */
  uint64_t e64[40];
  uint32_t e32[40];
  small_values(P2F__VPACK_U64, e64, e32, 40, 1);
  uint8_t want[400], got[400 + P2F__VPACK_SLACK];
  size_t n = 0;
  for (size_t i = 0; i < 40; i++) n += ref_varint(want + n, e64[i]);
  CHECK(p2f__vpack(got, e64, 40, P2F__VPACK_U64) == got + n && memcmp(got, want, n) == 0);
  return CHECK_REPORT();
}
