/* The UTF-8 validators of runtime/src/utf8.c (scalar, SSSE3, AVX2, AVX-512: those the CPU
 * runs), and
 * the variant that copies while it validates, against a reference that
 * decodes code points one by one: every 1-, 2- and 3-byte string, every 4-byte string with a
 * lead byte F0..F7 and any three following bytes of a few classes, all of them at every
 * position around the 16- and 32-byte block boundaries, random text, random mutations of
 * valid text, and valid text cut at every length; for the ASCII fast paths, every length of
 * ASCII up to 300 bytes with one non-ASCII byte of each class at every position, every valid
 * sequence and each of its unfinished prefixes at every position of ASCII text up to 160
 * bytes, and long sparse text (ASCII with a multi-byte piece about every 100 bytes); the
 * copy must also leave the bytes around the destination alone; then p2f_utf8_valid on
 * hand-picked strings; and every error kind (and the valid forms next to each) at every position
 * around the 64-byte steps of the vector validators, after a step of ASCII, after a step the
 * validators classify (dense multi-byte text) and after one ending in a sequence that crosses
 * into the step, in texts whose last step is whole or partial.
 * Which validator runs for which level is test_utf8_dispatch.c's subject. */
#include <stdio.h>
#include <string.h>

#include "../support/check.h"
#include "internal/utf8.h"
#include "proto2ffi/wire.h"

/* Reference: decode each code point from its bits; well-formed means no overlong form, no
 * surrogate, nothing above U+10FFFF, no missing continuation. */
static int reference(const uint8_t *s, size_t len) {
  size_t i = 0;
  while (i < len) {
    uint32_t c = s[i], cp, need;
    if (c < 0x80) {
      i++;
      continue;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F, need = 1;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F, need = 2;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07, need = 3;
    } else {
      return 0;
    }
    if (len - i - 1 < need) return 0;
    for (uint32_t k = 1; k <= need; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return 0;
      cp = cp << 6 | (s[i + k] & 0x3F);
    }
    static const uint32_t min[4] = {0, 0x80, 0x800, 0x10000};
    if (cp < min[need] || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
    i += need + 1;
  }
  return 1;
}

static long mismatches;

static void compare(const uint8_t *s, size_t len) {
  int want = reference(s, len);
  for (int level = P2F__UTF8_SCALAR; level <= p2f__utf8_level(); level++) {
    if (p2f__utf8_valid_at(s, len, level) != want) {
      if (mismatches++ < 10) {
        fprintf(stderr, "level %d says %d, reference %d, for %zu bytes:", level, !want, want, len);
        for (size_t i = 0; i < len; i++) fprintf(stderr, " %02x", s[i]);
        fprintf(stderr, "\n");
      }
    }
  }
  if (p2f_utf8_valid(s, len) != want) mismatches++;
  /* The copying variant: the same answer, the bytes copied whatever it is, and nothing
   * written before or after them (32 guard bytes each side). */
  static uint8_t copy[32 + 1100 + 32];
  if (len <= 1100) {
    for (int level = P2F__UTF8_SCALAR; level <= p2f__utf8_level() + 1; level++) {
      memset(copy, 0xEE, sizeof copy);
      /* One level past the top: the default entry point (p2f__utf8_copy). */
      int got = level <= p2f__utf8_level() ? p2f__utf8_copy_at(copy + 32, s, len, level)
                                           : p2f__utf8_copy(copy + 32, s, len);
      int guards = 1;
      for (size_t k = 0; k < 32; k++) guards &= copy[k] == 0xEE && copy[32 + len + k] == 0xEE;
      if (got != want || memcmp(copy + 32, s, len) != 0 || !guards) {
        if (mismatches++ < 10) fprintf(stderr, "copy at level %d differs for %zu bytes\n", level, len);
      }
    }
  }
}

/* `seq` placed at offset `at` in `total` bytes of ASCII. */
static void placed(const uint8_t *seq, size_t n, size_t at, size_t total) {
  uint8_t buf[1100];
  memset(buf, 'a', total);
  memcpy(buf + at, seq, n);
  compare(buf, total);
}

static uint64_t rng = 0x9e3779b97f4a7c15u;
static uint32_t next(void) {
  rng ^= rng << 13;
  rng ^= rng >> 7;
  rng ^= rng << 17;
  return (uint32_t)(rng >> 16);
}

/* Every error kind, and the valid forms at the edges of each byte range, at every position
 * from 3 bytes before to 4 bytes after the 64-byte step boundaries at 64 and 128 and before
 * the end, in texts of 70 to 200 bytes whose bytes before the piece are ASCII, or dense 3-byte
 * text (a classified step), or ASCII ending in a sequence that crosses the boundary at 64 just
 * before the piece. Returns the number of inputs. */
static long test_step_boundaries(void) {
  static const char *const forms[] = {
    /* valid, at the edges of the ranges */
    "\xc2\x80", "\xdf\xbf", "\xe0\xa0\x80", "\xe0\xbf\xbf", "\xe1\x80\x80", "\xec\xbf\xbf", "\xed\x80\x80",
    "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80", "\xf0\xbf\xbf\xbf", "\xf1\x80\x80\x80",
    "\xf3\xbf\xbf\xbf", "\xf4\x80\x80\x80", "\xf4\x8f\xbf\xbf",
    /* overlong */
    "\xc0\x80", "\xc0\xaf", "\xc1\xbf", "\xe0\x80\x80", "\xe0\x9f\xbf", "\xf0\x80\x80\x80", "\xf0\x8f\xbf\xbf",
    /* surrogates, too large, not UTF-8 at all */
    "\xed\xa0\x80", "\xed\xbf\xbf", "\xf4\x90\x80\x80", "\xf4\xbf\xbf\xbf", "\xf5\x80\x80\x80",
    "\xf7\xbf\xbf\xbf", "\xf8\x88\x80\x80\x80", "\xfe", "\xff",
    /* truncated (followed by ASCII, or cut by the end of the text) */
    "\xc3", "\xe2\x9c", "\xe2", "\xf0\x9f\x99", "\xf0\x9f", "\xf0", "\xe2\x9c\xc3\xa9", "\xf0\x9f\x99\xe2\x9c\x93",
    /* stray and surplus continuation bytes */
    "\x80", "\xbf", "\x80\x80", "\xc3\xa9\xa9", "\xe2\x9c\x93\x93", "\xf0\x9f\x99\x82\x82"};
  const size_t nforms = sizeof forms / sizeof forms[0];
  static const size_t totals[] = {70, 96, 127, 128, 129, 131, 150, 160, 191, 192, 193, 200};
  long cases = 0;
  for (size_t ti = 0; ti < sizeof totals / sizeof totals[0]; ti++) {
    size_t total = totals[ti];
    for (int before = 0; before < 3; before++) {
      for (size_t f = 0; f < nforms; f++) {
        size_t n = strlen(forms[f]);
        for (size_t at = 0; at + n <= total; at++) {
          int near = (at + 3 >= 64 && at <= 68) || (at + 3 >= 128 && at <= 132) || at + n + 4 >= total;
          if (!near) continue;
          uint8_t buf[256];
          memset(buf, 'a', total);
          if (before == 1) {
            /* Dense 3-byte characters up to the piece: the step before it is classified. */
            for (size_t k = 0; k + 3 <= at; k += 3) memcpy(buf + k, "\xe6\x97\xa5", 3);
          } else if (before == 2 && at >= 66) {
            /* A 4-byte character crossing the boundary at 64 ends just before the piece... */
            memcpy(buf + 62, "\xf0\x9f\x99\x82", 4);
            /* ...or, pieces further on, one crossing the boundary at 128 when it is before them. */
            if (at >= 130) memcpy(buf + 126, "\xe2\x9c\x93", 3);
          }
          memcpy(buf + at, forms[f], n);
          compare(buf, total);
          cases++;
        }
      }
    }
  }
  return cases;
}

static int utf8(const char *s) { return p2f_utf8_valid((const uint8_t *)s, strlen(s)); }

static void test_examples(void) {
  CHECK(utf8(""));
  CHECK(utf8("plain ascii"));
  CHECK(utf8("h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x99\x82"));  /* é ✓ 🙂 */
  CHECK(utf8("\xef\xbf\xbf\xf4\x8f\xbf\xbf"));                   /* U+FFFF, U+10FFFF */
  CHECK(!utf8("\x80"));                                          /* lone continuation */
  CHECK(!utf8("\xc3"));                                          /* truncated */
  CHECK(!utf8("\xe2\x9c"));                                      /* truncated */
  CHECK(!utf8("\xc0\xaf"));                                      /* overlong '/' */
  CHECK(!utf8("\xe0\x80\xaf"));                                  /* overlong, 3 bytes */
  CHECK(!utf8("\xf0\x80\x80\xaf"));                              /* overlong, 4 bytes */
  CHECK(!utf8("\xed\xa0\x80"));                                  /* surrogate U+D800 */
  CHECK(!utf8("\xf4\x90\x80\x80"));                              /* U+110000 */
  CHECK(!utf8("\xf8\x88\x80\x80\x80"));                          /* 5-byte form */
  CHECK(!utf8("\xc3\x28"));                                      /* bad continuation */
  const uint8_t nul[] = {'a', 0, 'b'};
  CHECK(p2f_utf8_valid(nul, 3)); /* NUL is a valid code point */
}

int main(void) {
  printf("validators: scalar%s%s%s\n", p2f__utf8_level() >= P2F__UTF8_SSSE3 ? ", SSSE3" : "",
         p2f__utf8_level() >= P2F__UTF8_AVX2 ? ", AVX2" : "", p2f__utf8_level() >= P2F__UTF8_AVX512 ? ", AVX-512" : "");
  long cases = 0;
  /* Every 1- and 2-byte string at every offset around the block boundaries, in 40- and
   * 70-byte inputs (one and two vector blocks plus a tail). */
  for (unsigned a = 0; a < 256; a++) {
    for (unsigned b = 0; b < 256; b++) {
      uint8_t seq[2] = {(uint8_t)a, (uint8_t)b};
      for (size_t at = 12; at <= 36; at++, cases++) placed(seq, 2, at, 40);
      placed(seq, 2, 62, 64);
      placed(seq, 2, 68, 70);
      placed(seq, 1, 69, 70);
      cases += 3;
    }
  }
  /* Every 3-byte string, ending a 64-byte input and straddling the 32-byte boundary. */
  for (unsigned v = 0; v < (1u << 24); v++) {
    uint8_t seq[3] = {(uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v};
    if (seq[0] < 0x80 && seq[1] < 0x80 && seq[2] < 0x80) continue;
    placed(seq, 3, 61, 64);
    placed(seq, 3, 31, 64);
    cases += 2;
  }
  /* 4-byte strings: lead F0..F7 and (for speed) following bytes from the boundaries of each class. */
  static const uint8_t cls[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xDF,
                                0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  const size_t ncls = sizeof cls;
  for (unsigned lead = 0xE0; lead <= 0xFF; lead++) {
    for (size_t x = 0; x < ncls; x++) {
      for (size_t y = 0; y < ncls; y++) {
        for (size_t z = 0; z < ncls; z++) {
          uint8_t seq[4] = {(uint8_t)lead, cls[x], cls[y], cls[z]};
          for (size_t at = 28; at <= 36; at++, cases++) placed(seq, 4, at, 40);
          placed(seq, 4, 60, 64);
          placed(seq, 3, 61, 64);
          cases += 2;
        }
      }
    }
  }
  /* Random text of valid pieces, then with one byte changed, then cut at every length. */
  static const char *const pieces[] = {"a", "Z", " ", "\xc3\xa9", "\xdf\xbf", "\xe0\xa0\x80", "\xe2\x9c\x93",
                                       "\xed\x9f\xbf", "\xee\x80\x80", "\xef\xbf\xbf", "\xf0\x90\x80\x80",
                                       "\xf0\x9f\x99\x82", "\xf4\x8f\xbf\xbf"};
  for (int round = 0; round < 200000; round++) {
    uint8_t buf[300];
    size_t n = 0, want = next() % 280;
    while (n < want) {
      const char *p = pieces[next() % (sizeof pieces / sizeof pieces[0])];
      size_t k = strlen(p);
      memcpy(buf + n, p, k);
      n += k;
    }
    compare(buf, n);
    if (n) {
      uint8_t saved;
      size_t at = next() % n;
      saved = buf[at];
      buf[at] = (uint8_t)next();
      compare(buf, n);
      buf[at] = saved;
      compare(buf, next() % (n + 1));
    }
    cases += 3;
  }
  /* The ASCII fast paths (whole blocks of ASCII skip the classification: 16 bytes per step
   * scalar and SSSE3, 64 AVX2, and the overlapping last block): every length of pure ASCII,
   * and one non-ASCII byte of each class at every position of every length up to 200. */
  static const uint8_t lone[] = {0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF};
  for (size_t total = 0; total <= 300; total++, cases++) placed((const uint8_t *)"", 0, 0, total);
  for (size_t total = 1; total <= 200; total++) {
    for (size_t at = 0; at < total; at++) {
      for (size_t k = 0; k < sizeof lone; k++, cases++) placed(&lone[k], 1, at, total);
    }
  }
  /* Valid sequences and each of their proper prefixes (unfinished) at every position of
   * ASCII text of every length up to 160, so that a sequence ends or is cut just before an
   * ASCII block, at a block's last three bytes, or at the end of the text. */
  static const char *const seqs[] = {"\xc3\xa9", "\xe2\x9c\x93", "\xed\x9f\xbf", "\xf0\x9f\x99\x82",
                                     "\xf4\x8f\xbf\xbf"};
  for (size_t q = 0; q < sizeof seqs / sizeof seqs[0]; q++) {
    size_t n = strlen(seqs[q]);
    for (size_t cut = 1; cut <= n; cut++) {
      for (size_t total = cut; total <= 160; total++) {
        for (size_t at = 0; at + cut <= total; at++, cases++) placed((const uint8_t *)seqs[q], cut, at, total);
      }
    }
  }
  /* Long sparse text: ASCII with a multi-byte piece about every 100 bytes, up to 1100 bytes,
   * whole, with one byte changed, and cut at a random length. */
  for (int round = 0; round < 20000; round++) {
    uint8_t buf[1100];
    size_t n = 0, want = next() % 1090;
    while (n < want) {
      const char *p = next() % 100 == 0 ? pieces[3 + next() % 10] : "e";
      size_t k = strlen(p);
      memcpy(buf + n, p, k);
      n += k;
    }
    compare(buf, n);
    if (n) {
      size_t at = next() % n;
      uint8_t saved = buf[at];
      buf[at] = (uint8_t)(next() | 0x80);
      compare(buf, n);
      buf[at] = saved;
      compare(buf, next() % (n + 1));
    }
    cases += 3;
  }
  cases += test_step_boundaries();
  CHECK(mismatches == 0);
  CHECK(p2f_utf8_valid((const uint8_t *)"caf\xc3\xa9 abcdefghijklmnopqrstuvwxyz0123456789", 41));
  CHECK(!p2f_utf8_valid((const uint8_t *)"abcdefghijklmnopqrstuvwxyz0123456789 caf\xc3", 41));
  printf("%ld inputs, %ld mismatches\n", cases, mismatches);
  test_examples();
  return CHECK_REPORT();
}
