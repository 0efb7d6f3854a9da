/* Level k runs validator k: which UTF-8 validator of runtime/src/utf8.c runs for each level,
 * and which level the CPU's features give.
 *
 * Built with its own copy of utf8.c compiled with P2F__UTF8_TRACE=1, where every validator
 * writes its own name into p2f__utf8_trace as it starts; the names expected here are written
 * out by this test, so a level constant that means one thing in utf8.c and another in
 * internal/utf8.h (the SSSE3 level once did: a macro in the source shadowed the header's
 * enum, and level 1 ran SSSE3 while level 2 ran the scalar code) fails here, although every
 * validator still gives the right answers that test_utf8.c compares. Also built with
 * P2F__X86_SIMD=0, the portable code of non-x86 machines, where every level is scalar. */
#include <stdio.h>
#include <string.h>

#include "../support/check.h"
#include "internal/utf8.h"
#include "proto2ffi/wire.h"

static const char *name_of(int level) {
  switch (level) {
    case P2F__UTF8_SCALAR: return "scalar";
    case P2F__UTF8_SSSE3: return "ssse3";
    case P2F__UTF8_AVX2: return "avx2";
    case P2F__UTF8_AVX512: return "avx512";
    default: return "?";
  }
}

/* What ran for one call; "none" when nothing recorded a name. */
static const char *ran(void) { return p2f__utf8_trace ? p2f__utf8_trace : "none"; }

static int ran_is(const char *want, const char *what, int level, size_t len) {
  if (strcmp(ran(), want) == 0) return 1;
  fprintf(stderr, "%s at level %d, %zu bytes: %s ran, expected %s\n", what, level, len, ran(), want);
  return 0;
}

/* The level the features give: the best validator this build has that the CPU runs. */
static void test_level_for_features(void) {
#if P2F__X86_SIMD
  CHECK(p2f__utf8_level_for(0, 0, 0) == P2F__UTF8_SCALAR);
  CHECK(p2f__utf8_level_for(1, 0, 0) == P2F__UTF8_SSSE3);
  CHECK(p2f__utf8_level_for(1, 1, 0) == P2F__UTF8_AVX2);
  CHECK(p2f__utf8_level_for(1, 1, 1) == P2F__UTF8_AVX512);
  /* AVX-512 without AVX2 is no CPU, but the 512-bit level uses the AVX2 code too. */
  CHECK(p2f__utf8_level_for(1, 0, 1) == P2F__UTF8_SSSE3);
  __builtin_cpu_init();
  int ssse3 = __builtin_cpu_supports("ssse3") != 0, avx2 = __builtin_cpu_supports("avx2") != 0;
  int avx512 = __builtin_cpu_supports("avx512bw") != 0 && __builtin_cpu_supports("avx512vbmi") != 0;
  int want = avx512 && avx2 ? P2F__UTF8_AVX512 : avx2 ? P2F__UTF8_AVX2 : ssse3 ? P2F__UTF8_SSSE3 : P2F__UTF8_SCALAR;
  printf("CPU: ssse3 %d, avx2 %d, avx512bw+vbmi %d; level %d (%s)\n", ssse3, avx2, avx512, p2f__utf8_level(),
         name_of(p2f__utf8_level()));
#else
  CHECK(p2f__utf8_level_for(0, 0, 0) == P2F__UTF8_SCALAR);
  CHECK(p2f__utf8_level_for(1, 0, 0) == P2F__UTF8_SCALAR);
  CHECK(p2f__utf8_level_for(1, 1, 0) == P2F__UTF8_SCALAR);
  CHECK(p2f__utf8_level_for(1, 1, 1) == P2F__UTF8_SCALAR);
  int want = P2F__UTF8_SCALAR;
  printf("portable build: level %d (%s)\n", p2f__utf8_level(), name_of(p2f__utf8_level()));
#endif
  CHECK(p2f__utf8_level() == want);
}

/* valid_at and copy_at at `level` on `len` bytes (well-formed, then with a stray continuation
 * byte at the end) run the validator named `want`, and still answer right. */
static void check_runs(int level, size_t len, const char *want) {
  uint8_t text[96], copy[96];
  memset(text, 'a', sizeof text);
  if (len >= 3) memcpy(text, "\xc3\xa9", 2); /* not next to the last byte */
  for (int bad = 0; bad <= 1; bad++) {
    if (bad) text[len - 1] = 0x80;
    p2f__utf8_trace = NULL;
    CHECK(p2f__utf8_valid_at(text, len, level) == !bad);
    CHECK(ran_is(want, "valid_at", level, len));
    p2f__utf8_trace = NULL;
    memset(copy, 0xEE, sizeof copy);
    CHECK(p2f__utf8_copy_at(copy, text, len, level) == !bad);
    CHECK(memcmp(copy, text, len) == 0 && copy[len] == 0xEE);
    CHECK(ran_is(want, "copy_at", level, len));
  }
}

static void test_each_level(void) {
  int top = p2f__utf8_level();
  CHECK(top >= P2F__UTF8_SCALAR && top <= P2F__UTF8_AVX512);
  for (int level = P2F__UTF8_SCALAR; level <= top; level++) {
    /* 32 bytes and more: the level's own validator. */
    check_runs(level, 32, name_of(level));
    check_runs(level, 64, name_of(level));
    check_runs(level, 95, name_of(level));
    /* Shorter: the scalar one, at every level. */
    check_runs(level, 31, "scalar");
    check_runs(level, 3, "scalar");
  }
}

/* The entry points without a level use the detected one: p2f_utf8_valid (public),
 * p2f__utf8_copy and its older name p2f_utf8_copy (decode.c). */
static void test_default_entry_points(void) {
  uint8_t text[64], copy[64];
  memset(text, 'z', sizeof text);
  const char *want = name_of(p2f__utf8_level());
  p2f__utf8_trace = NULL;
  CHECK(p2f_utf8_valid(text, sizeof text));
  CHECK(ran_is(want, "p2f_utf8_valid", p2f__utf8_level(), sizeof text));
  p2f__utf8_trace = NULL;
  CHECK(p2f__utf8_copy(copy, text, sizeof text) && memcmp(copy, text, sizeof text) == 0);
  CHECK(ran_is(want, "p2f__utf8_copy", p2f__utf8_level(), sizeof text));
  p2f__utf8_trace = NULL;
  memset(copy, 0, sizeof copy);
  CHECK(p2f_utf8_copy(copy, text, sizeof text) && memcmp(copy, text, sizeof text) == 0);
  CHECK(ran_is(want, "p2f_utf8_copy", p2f__utf8_level(), sizeof text));
}

int main(void) {
  test_level_for_features();
  test_each_level();
  test_default_entry_points();
  return CHECK_REPORT();
}
