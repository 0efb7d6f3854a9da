/* Generator speed: the plugin run on saved CodeGeneratorRequests, and the compile time of
 * what it generated.
 *
 *   gen_bench [--quick] [--json FILE] [--markdown FILE]
 *
 * The requests were saved at build time by a plugin that writes its stdin to a file
 * (bench/gen/dump_request.sh), for examples/social/social.proto and for a synthetic schema of
 * 1,000 messages (bench/gen/gen_schema.py). One operation is one process: the plugin reading
 * the request from a file and writing its response to /dev/null, started with posix_spawn;
 * a non-zero exit status stops the benchmark. Peers in the same run:
 *
 *   plugin run         protoc-gen-c-ffi vs protobuf-c's protoc-gen-c on the same request
 *   compile (cc -O2)   `cc -O2 -c` of the generated .c vs of an empty .c file (the cost of
 *                      starting the compiler); the synthetic schema only in full runs (it
 *                      takes tens of seconds)
 *
 * Paths are compiled in by CMake (P2F_GEN_* definitions).
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_util.h"

extern char **environ;

typedef struct proc {
  const char *const *argv;
  const char *in; /* stdin file, or NULL */
} proc;

static uint64_t run_proc(void *p, uint64_t ops) {
  const proc *c = p;
  uint64_t acc = 0;
  for (uint64_t i = 0; i < ops; i++) {
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (c->in) posix_spawn_file_actions_addopen(&fa, 0, c->in, O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    pid_t pid;
    int err = posix_spawn(&pid, c->argv[0], &fa, NULL, (char *const *)c->argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    int status = 0;
    if (err != 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      fprintf(stderr, "gen_bench: %s failed (%s)\n", c->argv[0], err ? strerror(err) : "non-zero exit");
      exit(1);
    }
    acc += (uint64_t)pid;
  }
  return acc;
}

static bench_json *json;
static FILE *md;

/* name NULL: measured, not written (a peer written later under each name it serves). */
static bench_stats run(const char *group, const char *name, const char *peer, const proc *c, const bench_config *cfg) {
  bench_stats s = bench_measure(run_proc, (void *)c, 1, cfg);
  if (name) bench_json_result(json, group, name, peer, 0, 1, &s);
  bench_progress("gen_bench", group, name ? name : "-", peer, &s);
  return s;
}

static void row(const char *group, const char *name, const char *p0, const bench_stats *a, const char *p1,
                const bench_stats *b) {
  if (md) {
    fprintf(md, "| %s | %s | %s: %.1f ms (%.1f–%.1f) | %s: %.1f ms (%.1f–%.1f) | %.2fx |\n", group, name, p0,
            a->median / 1e6, a->p5 / 1e6, a->p95 / 1e6, p1, b->median / 1e6, b->p5 / 1e6, b->p95 / 1e6,
            b->median / a->median);
  }
}

int main(int argc, char **argv) {
  const char *json_path = "gen_bench.json", *md_path = NULL;
  bool quick = false;
  for (int i = 1; i < argc; i++) {
    if (bench_common_arg(argc, argv, &i, &quick, &json_path, &md_path)) continue;
    fprintf(stderr, "usage: gen_bench [--quick] [--json FILE] [--markdown FILE]\n");
    return 2;
  }
  if (!bench_open_outputs("gen_bench", json_path, md_path, "generator", quick, &json, &md)) return 1;
  if (md) {
    fprintf(md, "Machine: %s; %s; %s run. Milliseconds per process, median (p5–p95).\n\n", bench_cpu_model(),
            bench_compiler(), quick ? "quick" : "full");
    fprintf(md, "| case | schema | ours | peer | peer / ours |\n|---|---|---|---|---:|\n");
  }
  bench_config cfg = {quick ? 3 : 7, quick ? 3 : 21, 0.05, 0};
  bench_config slow = {3, 3, 1.0, 0};

  static const struct {
    const char *name, *request;
  } schemas[] = {{"social (13 messages)", P2F_GEN_SOCIAL_REQ}, {"synthetic (1000 messages)", P2F_GEN_SYNTH_REQ}};
  for (int k = 0; k < 2; k++) {
    const char *ours_argv[] = {P2F_GEN_PLUGIN, NULL};
    const char *peer_argv[] = {P2F_GEN_PEER_PLUGIN, NULL};
    proc ours = {ours_argv, schemas[k].request}, peer = {peer_argv, schemas[k].request};
    bench_stats a = run("plugin run", schemas[k].name, "protoc-gen-c-ffi", &ours, &cfg);
    if (P2F_GEN_PEER_PLUGIN[0]) {
      bench_stats b = run("plugin run", schemas[k].name, "protoc-gen-c (protobuf-c)", &peer, &cfg);
      row("plugin run", schemas[k].name, "protoc-gen-c-ffi", &a, "protoc-gen-c", &b);
    }
  }

  static const struct {
    const char *name, *source;
    bool slow;
  } units[] = {{"social (13 messages)", P2F_GEN_SOCIAL_C, false}, {"synthetic (1000 messages)", P2F_GEN_SYNTH_C, true}};
  const char *empty_argv[] = {P2F_GEN_CC, "-O2", "-c", "-x", "c", "/dev/null", "-o", "/dev/null", NULL};
  proc empty = {empty_argv, NULL};
  bench_stats e = run("compile (cc -O2 -c)", NULL, "empty .c file", &empty, &cfg);
  for (int k = 0; k < 2; k++) {
    if (units[k].slow && quick) continue;
    const char *cc_argv[] = {P2F_GEN_CC, "-O2", "-c", "-I" P2F_GEN_RUNTIME_INCLUDE, units[k].source, "-o", "/dev/null",
                             NULL};
    proc cc = {cc_argv, NULL};
    bench_stats a = run("compile (cc -O2 -c)", units[k].name, "generated .c", &cc, units[k].slow ? &slow : &cfg);
    bench_json_result(json, "compile (cc -O2 -c)", units[k].name, "empty .c file", 0, 1, &e);
    row("compile (cc -O2 -c)", units[k].name, "generated .c", &a, "empty .c file", &e);
  }
  bench_json_close(json);
  if (md) fclose(md);
  printf("gen_bench: checksum %llu\n", (unsigned long long)bench_sink);
  return 0;
}
