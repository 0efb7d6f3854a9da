/* The message options of the default pool and of the batch kernels: pool_size, pool_max and
 * batch (docs/options.md), from the message's merged settings (opt_message) or else the
 * plugin parameters, validated here. Called by options_apply for every message. */
#include "options_internal.h"

/* A pool's capacities fit int on every side (C, Dart, the runtime's counters). */
#define POOL_LIMIT 2147483647ll
/* T_pool_create_default's initial capacity when nothing sets pool_size; the Dart
 * MessagePool's default initialCapacity too. */
#define POOL_SIZE_DEFAULT 64

static const char *source_of(const gen_optset *s, gen_optkey k) {
  return opt_has(s, k) ? s->from[k]->source : "plugin parameter";
}

void opt_apply_pool(gen_model *m, gen_message *msg, const gen_optset *s) {
  gen_loc loc = model_loc(msg->file, &msg->path);
  int64_t size = opt_has(s, K_POOL_SIZE) ? s->v[K_POOL_SIZE] : m->params.pool_size;
  int64_t max = opt_has(s, K_POOL_MAX) ? s->v[K_POOL_MAX] : m->params.pool_max;
  bool size_set = opt_has(s, K_POOL_SIZE) || m->params.pool_size >= 0;
  bool max_set = opt_has(s, K_POOL_MAX) || m->params.pool_max >= 0;
  msg->batch = opt_has(s, K_BATCH) ? s->v[K_BATCH] != 0 : m->params.batch;
  msg->pool_size = POOL_SIZE_DEFAULT;
  msg->pool_max = 0;
  if (!msg->file->to_generate) return;
  if (size_set && (size < 1 || size > POOL_LIMIT)) {
    gen_error(&m->diag, loc, "pool_size %lld for message %s (from %s) is out of range: pool sizes must be between 1 and %lld",
              (long long)size, msg->full_name, source_of(s, K_POOL_SIZE), POOL_LIMIT);
    return;
  }
  if (max_set && (max < 0 || max > POOL_LIMIT)) {
    gen_error(&m->diag, loc,
              "pool_max %lld for message %s (from %s) is out of range: 0 (no limit) or between 1 and %lld",
              (long long)max, msg->full_name, source_of(s, K_POOL_MAX), POOL_LIMIT);
    return;
  }
  if (size_set) msg->pool_size = (uint64_t)size;
  if (max_set && max > 0 && (uint64_t)max < msg->pool_size) {
    gen_error(&m->diag, loc,
              "pool_max %lld for message %s (from %s) is below its pool_size %llu (from %s): the maximum is 0 "
              "(no limit) or at least the initial capacity",
              (long long)max, msg->full_name, source_of(s, K_POOL_MAX), (unsigned long long)msg->pool_size,
              size_set ? source_of(s, K_POOL_SIZE) : "the default");
    return;
  }
  if (max_set) msg->pool_max = (uint64_t)max;
}
