/* varint_unpack.c's packed varint readers (internal/varint_unpack.h), every level this CPU runs,
 * against a reference that reads element by element with p2f_wire_read_varint: the stored
 * elements, *count, the status, and the bytes around the array (filled with a pattern before
 * the call: nothing at or past the count that is reached, nothing past the capacity, may
 * change). Inputs: random values of one-, two- and longer-byte mixes (also non-canonical
 * two-byte forms), a three-byte varint at every position of a run of small ones, capacities at
 * and around every element, runs cut inside their last varint, 10- and 11-byte varints. The
 * library is built here with P2F__VUNPACK_TRACE (the vector level counts its steps), so a
 * vector level that silently falls back to the scalar code fails; also built with
 * P2F__X86_SIMD=0, the portable code, where every level is scalar. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "../support/check.h"
#include "../support/rand.h"
#include "internal/varint_unpack.h"
#include "proto2ffi/wire.h"

#if P2F__X86_SIMD
#include "varint_unpack_tables.inc"
#endif

enum { MAXE = 96, GUARD = 64, PATTERN = 0xa5 };

static size_t kind_width(int kind) { return kind <= P2F__VUNPACK_ZIGZAG64 ? 8 : 4; }

/* The element decode.c stores for varint value v. */
static void ref_store(unsigned char *dst, uint64_t v, int kind) {
  switch (kind) {
    case P2F__VUNPACK_U64:
      memcpy(dst, &v, 8);
      break;
    case P2F__VUNPACK_ZIGZAG64: {
      int64_t s = (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
      memcpy(dst, &s, 8);
      break;
    }
    case P2F__VUNPACK_ZIGZAG32: {
      uint32_t u = (uint32_t)v;
      int32_t s = (int32_t)(u >> 1) ^ -(int32_t)(u & 1);
      memcpy(dst, &s, 4);
      break;
    }
    default: {
      uint32_t u = (uint32_t)v;
      memcpy(dst, &u, 4);
      break;
    }
  }
}

static p2f_status ref_run(unsigned char *base, uint32_t cap, uint32_t *count, const uint8_t *data, size_t n,
                          int kind) {
  const uint8_t *q = data, *end = data + n;
  uint32_t c = *count;
  p2f_status st = P2F_OK;
  while (q < end) {
    if (c >= cap) {
      st = P2F_ERR_TOO_MANY_ELEMENTS;
      break;
    }
    uint64_t v;
    st = p2f_wire_read_varint(&q, end, &v);
    if (st != P2F_OK) break;
    ref_store(base + (size_t)c * kind_width(kind), v, kind);
    c++;
  }
  *count = c;
  return st;
}

static unsigned char want_buf[GUARD + MAXE * 8 + GUARD], got_buf[GUARD + MAXE * 8 + GUARD];

/* Runs data at level and by the reference with capacity cap and `start` elements already
 * there; 1 when both agree on everything. */
static int check_run(const uint8_t *data, size_t n, int kind, int level, uint32_t cap, uint32_t start) {
  memset(want_buf, PATTERN, sizeof want_buf);
  memset(got_buf, PATTERN, sizeof got_buf);
  uint32_t cw = start, cg = start;
  p2f_status sw = ref_run(want_buf + GUARD, cap, &cw, data, n, kind);
  p2f_status sg = level ? p2f__vunpack_at(got_buf + GUARD, cap, &cg, data, n, kind, level)
                        : p2f__vunpack(got_buf + GUARD, cap, &cg, data, n, kind);
  if (sw != sg || cw != cg || memcmp(want_buf, got_buf, sizeof want_buf) != 0) {
    fprintf(stderr, "kind %d level %d n %zu cap %u start %u: status %d/%d count %u/%u\n", kind, level, n, cap, start,
            (int)sg, (int)sw, cg, cw);
    return 0;
  }
  return 1;
}

static size_t put_varint(uint8_t *p, uint64_t v) {
  size_t i = 0;
  while (v >= 0x80) {
    p[i++] = (uint8_t)(v | 0x80);
    v >>= 7;
  }
  p[i++] = (uint8_t)v;
  return i;
}

/* A varint of exactly len bytes (1-10), random value of that length; `noncanon` makes a
 * two-byte one 0x80|x, 0x00 (a zero high group). */
static size_t put_len(uint8_t *p, size_t len, int noncanon) {
  if (len == 2 && noncanon) {
    p[0] = (uint8_t)(0x80 | (next_rand() & 0x7f));
    p[1] = 0;
    return 2;
  }
  if (len == 1) return put_varint(p, next_rand() & 0x7f);
  uint64_t lo = 1ull << (7 * (len - 1));
  uint64_t v = len >= 10 ? next_rand() | 1ull << 63 : lo + next_rand() % (lo * 127);
  return put_varint(p, v);
}

/* mix: 0 all one byte, 1 all two, 2 one or two, 3 one to three, 4 one to ten, 5 one or two with
 * non-canonical two-byte forms, 6 mostly small with an occasional long one. */
static size_t make_run(uint8_t *p, size_t count, int mix) {
  size_t n = 0;
  for (size_t i = 0; i < count; i++) {
    uint64_t r = next_rand();
    size_t len;
    switch (mix) {
      case 0: len = 1; break;
      case 1: len = 2; break;
      case 2: case 5: len = 1 + (r & 1); break;
      case 3: len = 1 + (size_t)(r % 3); break;
      case 4: len = 1 + (size_t)(r % 10); break;
      default: len = r % 13 == 0 ? 3 + (size_t)(r >> 8) % 8 : 1 + (r & 1); break;
    }
    n += put_len(p + n, len, mix == 5 && (r >> 4 & 1));
  }
  return n;
}

static int test_level(int level) {
  static uint8_t run[MAXE * 11];
  int ok = 1;
  for (int kind = 0; kind <= P2F__VUNPACK_ZIGZAG32; kind++) {
    for (int mix = 0; mix <= 6; mix++) {
      for (size_t count = 0; count <= 80; count++) {
        size_t n = make_run(run, count, mix);
        ok &= check_run(run, n, kind, level, MAXE, 0);
        ok &= check_run(run, n, kind, level, MAXE, 3);
        /* capacity at every element: exactly hit, one short, ... */
        for (uint32_t cap = 0; cap <= count + 1 && ok; cap++) ok &= check_run(run, n, kind, level, cap, 0);
        if (count >= 1 && n >= 1) {
          /* cut inside the last varint: truncated, or at capacity */
          ok &= check_run(run, n - 1, kind, level, MAXE, 0);
          ok &= check_run(run, n - 1, kind, level, (uint32_t)count - 1, 0);
        }
        if (!ok) return 0;
      }
    }
    /* a three-byte varint at every position among 40 small ones, and every capacity near it */
    for (size_t at = 0; at < 40; at++) {
      size_t n = 0;
      for (size_t i = 0; i < 40; i++) n += put_len(run + n, i == at ? 3 : 1 + (next_rand() & 1), 0);
      ok &= check_run(run, n, kind, level, MAXE, 0);
      for (uint32_t cap = at > 2 ? (uint32_t)at - 2 : 0; cap <= at + 9; cap++) ok &= check_run(run, n, kind, level, cap, 0);
    }
    /* 10- and 11-byte varints after small ones, at every position */
    for (size_t at = 0; at < 24; at++) {
      for (int eleven = 0; eleven <= 1; eleven++) {
        size_t n = 0;
        for (size_t i = 0; i < 24; i++) {
          if (i == at && eleven) { /* ten continuation bytes and an eleventh */
            memset(run + n, 0xff, 10);
            run[n + 10] = 0x01;
            n += 11;
          } else {
            n += put_len(run + n, i == at ? 10 : 1 + (next_rand() & 1), 0);
          }
        }
        ok &= check_run(run, n, kind, level, MAXE, 0);
      }
    }
  }
  return ok;
}

#if P2F__X86_SIMD
/* Every table entry by the rules of varint_unpack_tables.inc. */
static void test_tables(void) {
  int ok = 1;
  for (unsigned m = 0; m < 256; m++) {
    unsigned p = 0, k = 0;
    for (unsigned j = 0; j < 8; j++) {
      if (j == 0 || !(m >> (j - 1) & 1)) p |= (m >> j & 1u) << k++;
    }
    ok &= vunpack_lo[m] == (p | k << 8);
  }
  for (unsigned x = 0; x < 512; x++) {
    unsigned p = 0, k = 0;
    for (unsigned j = 0; j < 8; j++) {
      if (!(x >> j & 1)) p |= (x >> (j + 1) & 1u) << k++;
    }
    ok &= vunpack_hi[x] == p;
  }
  for (unsigned f = 0; f < 256; f++) {
    unsigned pos = 0;
    for (unsigned i = 0; i < 8; i++) {
      ok &= vunpack_shuffle[f][2 * i] == pos;
      ok &= vunpack_shuffle[f][2 * i + 1] == ((f >> i & 1) ? pos + 1 : 0x80u);
      pos += 1 + (f >> i & 1);
    }
    ok &= vunpack_len[f] == pos;
  }
  CHECK(ok);
}
#endif

/* At the vector level, runs of small values go through the vector steps. */
static void test_vector_ran(int level) {
#if P2F__X86_SIMD
  uint8_t run[200];
  unsigned char out[64 * 8];
  size_t n = make_run(run, 64, 2);
  uint32_t c = 0;
  p2f__vunpack_trace_steps = 0;
  CHECK(p2f__vunpack_at(out, 64, &c, run, n, P2F__VUNPACK_ZIGZAG64, level) == P2F_OK && c == 64);
  CHECK(p2f__vunpack_trace_steps >= 6);
  p2f__vunpack_trace_steps = 0;
  c = 0;
  CHECK(p2f__vunpack_at(out, 64, &c, run, n, P2F__VUNPACK_U32, P2F__VUNPACK_SCALAR) == P2F_OK && c == 64);
  CHECK(p2f__vunpack_trace_steps == 0);
#else
  (void)level;
#endif
}

static void test_count(void) {
  static uint8_t run[MAXE * 11];
  int ok = 1;
  for (int mix = 0; mix <= 6; mix++) {
    for (size_t count = 0; count <= 80; count++) {
      size_t n = make_run(run, count, mix);
      for (size_t cut = 0; cut <= 3 && cut <= n; cut++) {
        uint64_t k = 0;
        for (size_t i = 0; i < n - cut; i++) k += run[i] < 0x80;
        if (n - cut != 0 && run[n - cut - 1] >= 0x80) k++;
        ok &= p2f__varint_count(run, n - cut) == k;
      }
      ok &= p2f__varint_count(run, n) == count;
    }
  }
  /* long runs: past 255 steps of 16 bytes (the per-byte sums' limit), every byte a stop or not */
  static uint8_t big[20000];
  for (int fill = 0; fill < 3; fill++) {
    uint64_t k = 0;
    for (size_t i = 0; i < sizeof big; i++) {
      big[i] = fill == 0 ? 0x01 : fill == 1 ? 0x81 : (uint8_t)next_rand();
      k += big[i] < 0x80;
    }
    for (size_t n = sizeof big - 33; n <= sizeof big; n++) {
      uint64_t want = k;
      for (size_t i = n; i < sizeof big; i++) want -= big[i] < 0x80;
      ok &= p2f__varint_count(big, n) == want + (big[n - 1] >= 0x80);
    }
  }
  CHECK(ok);
}

int main(void) {
#if P2F__X86_SIMD
  CHECK(p2f__vunpack_level_for(0) == P2F__VUNPACK_SCALAR);
  CHECK(p2f__vunpack_level_for(1) == P2F__VUNPACK_SSSE3);
  __builtin_cpu_init();
  int ssse3 = __builtin_cpu_supports("ssse3") != 0;
  CHECK(p2f__vunpack_level() == (ssse3 ? P2F__VUNPACK_SSSE3 : P2F__VUNPACK_SCALAR));
  printf("CPU: ssse3 %d; level %d\n", ssse3, p2f__vunpack_level());
  test_tables();
#else
  CHECK(p2f__vunpack_level_for(1) == P2F__VUNPACK_SCALAR);
  CHECK(p2f__vunpack_level() == P2F__VUNPACK_SCALAR);
  printf("portable build: level %d\n", p2f__vunpack_level());
#endif
  test_count();
  int top = p2f__vunpack_level();
  for (int level = P2F__VUNPACK_SCALAR; level <= top; level++) {
    CHECK(test_level(level));
    if (level == P2F__VUNPACK_SSSE3) test_vector_ran(level);
  }
  CHECK(test_level(0)); /* 0: p2f__vunpack, the entry decode.c calls, at the detected level */
  return CHECK_REPORT();
}
