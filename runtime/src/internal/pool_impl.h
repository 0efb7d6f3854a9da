/* Internal: the pool's representation, shared by pool.c (single-threaded paths, chunks,
 * checks) and pool_ts.c (the thread-safe layer). */
#ifndef PROTO2FFI_INTERNAL_POOL_IMPL_H_
#define PROTO2FFI_INTERNAL_POOL_IMPL_H_

#include <stdbool.h>

#include "proto2ffi/pool_inline.h"

#ifndef P2F_POOL_DEBUG
#define P2F_POOL_DEBUG 0
#endif

/* A free slot's first bytes hold the free-list link. */
typedef struct p2f_free_slot {
  struct p2f_free_slot *next;
} p2f_free_slot;

typedef struct p2f_chunk {
  struct p2f_chunk *next;
  unsigned char *base;
  size_t slots;
  uint64_t *in_use; /* checked builds: one bit per slot, set while the caller owns it */
} p2f_chunk;

struct p2f_pool_ts; /* pool_ts.c */

struct p2f_pool {
  /* Hot: the single-threaded alloc/free paths touch only the head, which the inline fast
   * paths of proto2ffi/pool_inline.h share (free_list, bump, bump_end, stride, live,
   * high_water, slow_only). */
  p2f_pool_head head;
  struct p2f_pool_ts *ts; /* non-NULL for P2F_POOL_THREAD_SAFE */

  /* Cold. */
  size_t slot_size;
  size_t align;
  size_t capacity;
  size_t max_slots; /* 0: no limit */
  size_t chunk_count;
  size_t bytes;
  size_t first_chunk_slots;
  p2f_chunk *chunks; /* creation order */
  p2f_chunk *last_chunk;
  p2f_chunk *bump_chunk;
  uint32_t flags;
};

/* Single-threaded operations; the thread-safe layer calls them with its lock held. */
void *p2f__pool_take(p2f_pool *pool, p2f_status *status);
void p2f__pool_put(p2f_pool *pool, void *slot);
void p2f__pool_reset_slots(p2f_pool *pool);
/* Checked builds: validates that slot is a slot of pool and currently allocated. */
p2f_status p2f__pool_check_free(p2f_pool *pool, void *slot, const char *fn);
void p2f__pool_mark_allocated(p2f_pool *pool, void *slot);

/* Thread-safe layer (pool_ts.c). */
p2f_status p2f__ts_create(p2f_pool *pool);
void p2f__ts_destroy(p2f_pool *pool);
void *p2f__ts_alloc(p2f_pool *pool, p2f_status *status);
p2f_status p2f__ts_free(p2f_pool *pool, void *slot);
void p2f__ts_reset(p2f_pool *pool);
void p2f__ts_stats(const p2f_pool *pool, p2f_pool_stats *out);

#endif /* PROTO2FFI_INTERNAL_POOL_IMPL_H_ */
