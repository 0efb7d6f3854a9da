/* Benchmark harness (see bench_util.h). */
#define _GNU_SOURCE
#include "bench_util.h"

#include "bench_alloc.h"

#include <gnu/libc-version.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

volatile uint64_t bench_sink;

double bench_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

double bench_thread_cpu_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static double percentile(const double *sorted, int n, double p) {
  double idx = p * (double)(n - 1);
  int lo = (int)idx;
  int hi = lo + 1 < n ? lo + 1 : lo;
  double frac = idx - (double)lo;
  return sorted[lo] * (1.0 - frac) + sorted[hi] * frac;
}

bench_stats bench_summarise(double *samples, int reps, uint64_t ops) {
  qsort(samples, (size_t)reps, sizeof *samples, cmp_double);
  bench_stats s;
  s.median = percentile(samples, reps, 0.5);
  s.p5 = percentile(samples, reps, 0.05);
  s.p95 = percentile(samples, reps, 0.95);
  s.min = samples[0];
  s.max = samples[reps - 1];
  s.reps = reps;
  s.ops = ops;
  return s;
}

const char *bench_cpu_model(void) {
  static char model[256];
  if (model[0]) return model;
  snprintf(model, sizeof model, "unknown CPU");
  FILE *f = fopen("/proc/cpuinfo", "r");
  if (f) {
    char line[512];
    while (fgets(line, sizeof line, f)) {
      if (strncmp(line, "model name", 10) == 0) {
        char *colon = strchr(line, ':');
        if (colon) {
          colon += 2;
          colon[strcspn(colon, "\n")] = '\0';
          snprintf(model, sizeof model, "%s", colon);
        }
        break;
      }
    }
    fclose(f);
  }
  size_t len = strlen(model);
  snprintf(model + len, sizeof model - len, ", %ld cores", sysconf(_SC_NPROCESSORS_ONLN));
  return model;
}

const char *bench_compiler(void) {
#if defined(__clang__)
  return "clang " __clang_version__;
#elif defined(__GNUC__)
  return "gcc " __VERSION__;
#else
  return "unknown compiler";
#endif
}

struct bench_json {
  FILE *f;
  int count;
};

static void json_string(FILE *f, const char *s) {
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') fputc('\\', f);
    if ((unsigned char)*s >= 0x20) fputc(*s, f);
  }
  fputc('"', f);
}

bench_json *bench_json_open(const char *path, const char *suite, const char *mode) {
  bench_json *j = calloc(1, sizeof *j);
  if (j == NULL) return NULL;
  j->f = fopen(path, "w");
  if (j->f == NULL) {
    free(j);
    return NULL;
  }
  struct utsname u;
  uname(&u);
  time_t now = time(NULL);
  char when[64];
  strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
  fprintf(j->f, "{\n  \"suite\": ");
  json_string(j->f, suite);
  fprintf(j->f, ",\n  \"mode\": ");
  json_string(j->f, mode);
  fprintf(j->f, ",\n  \"machine\": {\"cpu\": ");
  json_string(j->f, bench_cpu_model());
  fprintf(j->f, ", \"kernel\": ");
  json_string(j->f, u.release);
  fprintf(j->f, ", \"arch\": ");
  json_string(j->f, u.machine);
  fprintf(j->f, ", \"compiler\": ");
  json_string(j->f, bench_compiler());
  fprintf(j->f, ", \"cflags\": ");
  json_string(j->f, bench_cflags());
  fprintf(j->f, ", \"glibc\": ");
  json_string(j->f, bench_glibc_version());
  fprintf(j->f, ", \"mimalloc\": ");
  json_string(j->f, bench_mimalloc_version());
  fprintf(j->f, ", \"date\": ");
  json_string(j->f, when);
  fprintf(j->f, "},\n  \"results\": [\n");
  return j;
}

void bench_json_result(bench_json *j, const char *group, const char *name, const char *peer, size_t bytes,
                       int threads, const bench_stats *s) {
  if (j == NULL) return;
  fprintf(j->f, "%s    {\"group\": ", j->count++ ? ",\n" : "");
  json_string(j->f, group);
  fprintf(j->f, ", \"name\": ");
  json_string(j->f, name);
  fprintf(j->f, ", \"peer\": ");
  json_string(j->f, peer);
  fprintf(j->f,
          ", \"bytes\": %zu, \"threads\": %d, \"ns_per_op\": {\"median\": %.3f, \"p5\": %.3f, \"p95\": %.3f, "
          "\"min\": %.3f, \"max\": %.3f}, \"reps\": %d, \"ops_per_rep\": %llu}",
          bytes, threads, s->median, s->p5, s->p95, s->min, s->max, s->reps, (unsigned long long)s->ops);
}

void bench_json_close(bench_json *j) {
  if (j == NULL) return;
  fprintf(j->f, "\n  ]\n}\n");
  fclose(j->f);
  free(j);
}

/* ---- additions for the suite ------------------------------------------------------------- */

bench_config bench_config_for(int quick) {
  bench_config c;
  if (quick) {
    c.min_reps = 3;
    c.max_reps = 5;
    c.max_spread = 0.5;
    c.min_rep_ns = 1e6;
  } else {
    c.min_reps = 11;
    c.max_reps = 41;
    c.max_spread = 0.05;
    c.min_rep_ns = 2e7;
  }
  return c;
}

enum { BENCH_MAX_REPS = 256 };

bench_stats bench_measure(bench_case_fn fn, void *ctx, uint64_t ops, const bench_config *cfg) {
  double samples[BENCH_MAX_REPS], sorted[BENCH_MAX_REPS];
  int max_reps = cfg->max_reps < BENCH_MAX_REPS ? cfg->max_reps : BENCH_MAX_REPS;
  if (ops == 0) {
    ops = 1;
    for (;;) {
      double t0 = bench_now_ns();
      bench_sink += fn(ctx, ops);
      if (bench_now_ns() - t0 >= cfg->min_rep_ns || ops >= (UINT64_C(1) << 40)) break;
      ops *= 2;
    }
  } else {
    bench_sink += fn(ctx, ops); /* warm-up */
  }
  int reps = 0;
  while (reps < max_reps) {
    double t0 = bench_now_ns();
    uint64_t acc = fn(ctx, ops);
    double t1 = bench_now_ns();
    bench_sink += acc;
    samples[reps++] = (t1 - t0) / (double)ops;
    if (reps >= cfg->min_reps) {
      memcpy(sorted, samples, (size_t)reps * sizeof *samples);
      bench_stats s = bench_summarise(sorted, reps, ops);
      if (s.median > 0 && (s.p95 - s.p5) / s.median <= cfg->max_spread) break;
    }
  }
  return bench_summarise(samples, reps, ops);
}

void bench_progress(const char *program, const char *group, const char *name, const char *peer,
                    const bench_stats *s) {
  fprintf(stderr, "[%s] %s / %s / %s: %.3f ns/op (p5 %.3f, p95 %.3f, %d reps of %llu)\n", program, group, name, peer,
          s->median, s->p5, s->p95, s->reps, (unsigned long long)s->ops);
}

const char *bench_glibc_version(void) { return gnu_get_libc_version(); }

const char *bench_mimalloc_version(void) {
  static char version[32];
  if (version[0]) return version;
  snprintf(version, sizeof version, "absent");
  const bench_mimalloc *mi = bench_mimalloc_load();
  if (mi && mi->version) {
    int v = mi->version(); /* major * 100 + minor * 10 + patch */
    snprintf(version, sizeof version, "%d.%d.%d", v / 100, (v / 10) % 10, v % 10);
  }
  return version;
}

#ifndef P2F_BENCH_CFLAGS
#define P2F_BENCH_CFLAGS "unknown"
#endif
const char *bench_cflags(void) { return P2F_BENCH_CFLAGS; }

int bench_open_outputs(const char *program, const char *json_path, const char *md_path, const char *suite, int quick,
                       bench_json **json, FILE **md) {
  *md = NULL;
  *json = bench_json_open(json_path, suite, quick ? "quick" : "full");
  if (*json == NULL) {
    fprintf(stderr, "%s: cannot write %s\n", program, json_path);
    return 0;
  }
  if (md_path == NULL) return 1;
  *md = fopen(md_path, "w");
  if (*md == NULL) {
    fprintf(stderr, "%s: cannot write %s\n", program, md_path);
    bench_json_close(*json);
    *json = NULL;
    return 0;
  }
  return 1;
}

int bench_common_arg(int argc, char **argv, int *i, bool *quick, const char **json_path, const char **md_path) {
  const char *a = argv[*i];
  if (strcmp(a, "--quick") == 0) {
    *quick = true;
    return 1;
  }
  if (*i + 1 >= argc) return 0;
  if (strcmp(a, "--json") == 0) *json_path = argv[++*i];
  else if (strcmp(a, "--markdown") == 0) *md_path = argv[++*i];
  else return 0;
  return 1;
}
