/* Benchmark harness shared by the proto2ffi benchmarks.
 *
 * Method: each case runs a warm-up repetition, then `reps` timed repetitions of `ops`
 * operations; the figure reported is the median nanoseconds per operation with p5/p95 over
 * the repetitions. Every timed result is consumed: the case functions fold what they produce
 * into bench_sink, and pointers pass through bench_escape, an empty asm statement the compiler
 * must assume reads and writes memory, so no allocation or store can be optimised away.
 */
#ifndef P2F_BENCH_UTIL_H_
#define P2F_BENCH_UTIL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

extern volatile uint64_t bench_sink;

static inline void bench_escape(void *p) { __asm__ volatile("" : : "r"(p) : "memory"); }

typedef struct bench_stats {
  double median, p5, p95, min, max; /* ns per operation */
  int reps;
  uint64_t ops;
} bench_stats;

double bench_now_ns(void);
/* CPU time of the calling thread: single-threaded cases timed with it do not count the time
 * the thread was preempted by other processes (on a shared machine). */
double bench_thread_cpu_ns(void);
/* Summarises reps samples (ns per op), sorting them in place. */
bench_stats bench_summarise(double *samples, int reps, uint64_t ops);

/* JSON output: one object per result, plus the machine it ran on. */
typedef struct bench_json bench_json;
bench_json *bench_json_open(const char *path, const char *suite, const char *mode);
/* Takes an option every benchmark program has ([--quick], --json FILE, --markdown FILE) at
 * argv[*i], moving *i past its value; returns 1 if it took one, 0 otherwise. */
int bench_common_arg(int argc, char **argv, int *i, bool *quick, const char **json_path, const char **md_path);
/* Opens a program's outputs: the JSON file (suite `suite`, mode "quick" or "full") and, when
 * md_path is not NULL, the Markdown file. On failure prints "<program>: cannot write PATH" and
 * returns 0 with nothing left open; 1 on success (*md is NULL when md_path is). */
int bench_open_outputs(const char *program, const char *json_path, const char *md_path, const char *suite, int quick,
                       bench_json **json, FILE **md);
void bench_json_result(bench_json *j, const char *group, const char *name, const char *peer, size_t bytes,
                       int threads, const bench_stats *s);
void bench_json_close(bench_json *j);

/* "CPU model, N cores" and the compiler that built the benchmark. */
const char *bench_cpu_model(void);
const char *bench_compiler(void);

/* ---- additions for the category programs of the suite (bench/run.py) ---------------------- */

/* A case: runs `ops` operations and returns a value derived from what they produced. */
typedef uint64_t (*bench_case_fn)(void *ctx, uint64_t ops);

/* Repetitions until the spread is small or a cap: at least min_reps, at most max_reps, and
 * stop once (p95 - p5) / median <= max_spread. When ops is 0, bench_measure first doubles the
 * operation count until one repetition takes at least min_rep_ns. */
typedef struct bench_config {
  int min_reps, max_reps;
  double max_spread;
  double min_rep_ns;
} bench_config;

/* The configuration of --quick (seconds in all) or of a full run (minutes). */
bench_config bench_config_for(int quick);

/* One warm-up repetition (its result consumed too), then repetitions as configured. */
bench_stats bench_measure(bench_case_fn fn, void *ctx, uint64_t ops, const bench_config *cfg);

/* One line on stderr per finished case: "[program] group / name / peer: median ns ...". */
void bench_progress(const char *program, const char *group, const char *name, const char *peer,
                    const bench_stats *s);

/* Versions known at run time: glibc (gnu_get_libc_version) and mimalloc (mi_version through
 * bench_alloc.h's loader, "absent" when it cannot be loaded); the flags the benchmarks were built
 * with (P2F_BENCH_CFLAGS at compile time). */
const char *bench_glibc_version(void);
const char *bench_mimalloc_version(void);
const char *bench_cflags(void);

#endif /* P2F_BENCH_UTIL_H_ */
