/* internal/pool_ts.h: the thread-safe layer of pools (P2F_POOL_THREAD_SAFE; pool_ts.c), called
 * by the public entry points of pool.c for pools whose `ts` is set, and built on
 * internal/pool_core.h. Each function does the whole operation for such a pool: the caller
 * dispatches once and calls nothing of the core afterwards. Thread-safety as documented in
 * proto2ffi/pool.h (alloc, free and stats from any thread; create, reset and destroy alone).
 */
#ifndef PROTO2FFI_INTERNAL_POOL_TS_H_
#define PROTO2FFI_INTERNAL_POOL_TS_H_

#include "internal/pool_core.h"

/* p2f__pool_core_create, then the layer (per-thread caches, or one mutex with
 * P2F_POOL_LOCKED). */
p2f_status p2f__ts_create(const p2f_pool_config *config, p2f_pool **out);
/* The layer, then the core (p2f__pool_core_destroy). */
void p2f__ts_destroy(p2f_pool *pool);
void *p2f__ts_alloc(p2f_pool *pool, p2f_status *status);
p2f_status p2f__ts_free(p2f_pool *pool, void *slot);
/* Empties every cache and the depot, then p2f__pool_reset_slots. */
void p2f__ts_reset(p2f_pool *pool);
/* p2f__pool_fill_stats with the layer's live and high-water counts, under its locks. */
void p2f__ts_stats(const p2f_pool *pool, p2f_pool_stats *out);

#endif /* PROTO2FFI_INTERNAL_POOL_TS_H_ */
