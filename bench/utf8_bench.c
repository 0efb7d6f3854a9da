/* UTF-8 validate-and-copy (runtime/src/utf8.c, what the decoder runs on every verified string)
 * next to memcpy of the same bytes, at every validator level this CPU runs.
 *
 *   utf8_bench [--quick] [--json FILE] [--markdown FILE]
 *
 * Texts: ASCII words; mixed (the words of codec_bench's messages: about one word in twelve
 * with 2- to 4-byte sequences); multi-byte (3-byte CJK characters only). Lengths 16 to 8192
 * bytes, source and destination in L1/L2 and reused every call. Per case: one warm-up round,
 * then 21 rounds (3 with --quick) of a fixed number of calls; ns per call median and minimum
 * of rounds (the thread's CPU time), GB/s of the bytes copied, and the ratio to memcpy's time
 * in the same run (min over min and median over median). Every call's result joins a checksum
 * and the destination passes through bench_escape, so no call can be dropped.
 *
 * Before/after in one run: configure with -DP2F_UTF8_BENCH_BEFORE=/path/to/an/older/utf8.c
 * and that file is built into this program with its entry points renamed (before_*); its
 * levels are then measured too, as "before-scalar" and so on.
 */
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "internal/utf8.h"

static uint64_t state = 0x9e3779b97f4a7c15u;
static uint64_t next(void) {
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 0x2545f4914f6cdd1du;
}

enum { ASCII, MIXED, MULTI, KINDS };
static const char *const kind_name[KINDS] = {"ASCII", "mixed", "multi-byte"};

/* Exactly n bytes of text of the kind, well-formed. */
static void make_text(uint8_t *out, size_t n, int kind) {
  static const char *const ascii[] = {"the", "photo", "friends", "weekend", "really", "amazing", "new", "post",
                                      "today", "with", "and", "we", "went", "to", "see", "it", "was", "great"};
  static const char *const other[] = {"caf\xc3\xa9", "na\xc3\xafve", "\xc3\xbc" "ber", "\xf0\x9f\x99\x82",
                                      "\xe6\x97\xa5\xe6\x9c\xac", "\xe2\x82\xac" "20"};
  size_t len = 0;
  while (len < n) {
    const char *w;
    if (kind == MULTI) w = "\xe6\x97\xa5";
    else if (kind == MIXED && next() % 12 == 0) w = other[next() % 6];
    else w = ascii[next() % 18];
    size_t k = strlen(w);
    if (len + k + (kind != MULTI) > n) break;
    if (len && kind != MULTI) out[len++] = ' ';
    memcpy(out + len, w, k);
    len += k;
  }
  while (len < n) out[len++] = '.';
}

#ifndef P2F_UTF8_BENCH_BEFORE
#define P2F_UTF8_BENCH_BEFORE 0
#endif
#if P2F_UTF8_BENCH_BEFORE
int before_utf8_copy_at(uint8_t *dst, const uint8_t *src, size_t len, int level);
#endif

typedef struct bcase {
  const uint8_t *src;
  uint8_t *dst;
  size_t len;
  int level; /* P2F__UTF8_*, 0: memcpy, -1: p2f__utf8_copy (the level detected), 10 + level: before */
} bcase;

static uint64_t run(const bcase *c, uint64_t ops) {
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    int ok;
    if (c->level == 0) {
      memcpy(c->dst, c->src, c->len);
      ok = 1;
    } else if (c->level < 0) {
      ok = p2f__utf8_copy(c->dst, c->src, c->len);
#if P2F_UTF8_BENCH_BEFORE
    } else if (c->level > 10) {
      ok = before_utf8_copy_at(c->dst, c->src, c->len, c->level - 10);
#endif
    } else {
      ok = p2f__utf8_copy_at(c->dst, c->src, c->len, c->level);
    }
    bench_escape(c->dst);
    acc += (uint64_t)ok + c->dst[c->len - 1];
  }
  return acc;
}

static bench_stats measure(const bcase *c, uint64_t ops, int reps) {
  double samples[64];
  bench_sink += run(c, ops / 4 + 1);
  for (int r = 0; r < reps; r++) {
    double t0 = bench_thread_cpu_ns();
    uint64_t acc = run(c, ops);
    double t1 = bench_thread_cpu_ns();
    bench_sink += acc;
    samples[r] = (t1 - t0) / (double)ops;
  }
  return bench_summarise(samples, reps, ops);
}

static const char *level_name(int level) {
  switch (level) {
    case 0: return "memcpy";
    case -1: return "default";
    case P2F__UTF8_SCALAR: return "scalar";
    case P2F__UTF8_SSSE3: return "ssse3";
    case P2F__UTF8_AVX2: return "avx2";
    case P2F__UTF8_AVX512: return "avx512";
    case 10 + P2F__UTF8_SCALAR: return "before-scalar";
    case 10 + P2F__UTF8_SSSE3: return "before-ssse3";
    case 10 + P2F__UTF8_AVX2: return "before-avx2";
    default: return "?";
  }
}

int main(int argc, char **argv) {
  bool quick = false;
  const char *json_path = "utf8_bench.json", *md_path = NULL;
  for (int i = 1; i < argc; i++) {
    if (bench_common_arg(argc, argv, &i, &quick, &json_path, &md_path)) continue;
    fprintf(stderr, "usage: utf8_bench [--quick] [--json FILE] [--markdown FILE]\n");
    return 2;
  }
  bench_json *json;
  FILE *md;
  if (!bench_open_outputs("utf8_bench", json_path, md_path, "utf8", quick, &json, &md)) return 1;
  static const size_t sizes[] = {16, 31, 64, 256, 1800, 8192};
  const size_t nsizes = sizeof sizes / sizeof sizes[0];
  uint8_t *src = aligned_alloc(64, 8192), *dst = aligned_alloc(64, 8192 + 64);
  if (src == NULL || dst == NULL) return 1;
  const int top = p2f__utf8_level();
  const int reps = quick ? 3 : 21;
  const double bytes_per_rep = quick ? 256e3 : 8e6;
  char head[512];
  snprintf(head, sizeof head,
           "utf8_bench (%s): %s; %s; top level %s\n\n"
           "| text | bytes | validator | ns median | ns min | GB/s (min) | memcpy ns median | memcpy ns min | "
           "memcpy GB/s (min) | time / memcpy (min) | time / memcpy (median) |\n"
           "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
           quick ? "quick" : "full", bench_cpu_model(), bench_compiler(), level_name(top));
  fputs(head, stdout);
  if (md) fputs(head, md);
  for (int kind = 0; kind < KINDS; kind++) {
    for (size_t si = 0; si < nsizes; si++) {
      size_t len = sizes[si];
      make_text(src, len, kind);
      if (!p2f__utf8_copy(dst, src, len)) {
        fprintf(stderr, "utf8_bench: generated text is not UTF-8\n");
        return 1;
      }
      uint64_t ops = (uint64_t)(bytes_per_rep / (double)(len + 16)) + 16;
      bcase mc = {src, dst, len, 0};
      bench_stats copy = measure(&mc, ops, reps);
      char group[64], name[32];
      snprintf(group, sizeof group, "validate+copy, %s", kind_name[kind]);
      snprintf(name, sizeof name, "%zu bytes", len);
      bench_json_result(json, group, name, "memcpy", len, 1, &copy);
      /* The "before" file may have fewer levels; it is measured up to AVX2, the top of 327feea. */
      const int before_top = 10 + (top < P2F__UTF8_AVX2 ? top : P2F__UTF8_AVX2);
      for (int level = -1; level <= (P2F_UTF8_BENCH_BEFORE ? before_top : top); level++) {
        if (level == 0 || (level > top && level <= 10)) continue;
        bcase c = {src, dst, len, level};
        bench_stats s = measure(&c, ops, reps);
        bench_json_result(json, group, name, level_name(level), len, 1, &s);
        char line[512];
        snprintf(line, sizeof line, "| %s | %zu | %s | %.2f | %.2f | %.1f | %.2f | %.2f | %.1f | %.2fx | %.2fx |\n",
                 kind_name[kind], len, level_name(level), s.median, s.min, (double)len / s.min, copy.median, copy.min,
                 (double)len / copy.min, s.min / copy.min, s.median / copy.median);
        fputs(line, stdout);
        fflush(stdout);
        if (md) fputs(line, md);
      }
    }
  }
  bench_json_close(json);
  if (md) fclose(md);
  free(src);
  free(dst);
  printf("checksum %llu\n", (unsigned long long)bench_sink);
  return 0;
}
