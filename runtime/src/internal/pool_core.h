/* internal/pool_core.h: the pool's representation and its single-threaded operations
 * (pool_core.c), the layer under both the public entry points (pool.c) and the thread-safe
 * layer (pool_ts.c, internal/pool_ts.h). It calls nothing above it.
 *
 * Nothing here locks: a pool without P2F_POOL_THREAD_SAFE is used by one thread at a time,
 * and pool_ts.c calls these functions with the pool's lock held.
 */
#ifndef PROTO2FFI_INTERNAL_POOL_CORE_H_
#define PROTO2FFI_INTERNAL_POOL_CORE_H_

#include <stdbool.h>

#include "internal/port.h"
#include "proto2ffi/pool_inline.h"

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

struct p2f_pool_ts; /* the thread-safe layer's state (pool_ts.c); the core never reads it */

struct p2f_pool {
  /* Hot: the single-threaded alloc/free paths touch only the head, which the inline fast
   * paths of proto2ffi/pool_inline.h share (free_list, bump, bump_end, stride, live,
   * high_water, slow_only). */
  p2f_pool_head head;
  struct p2f_pool_ts *ts; /* non-NULL for P2F_POOL_THREAD_SAFE: set and cleared by pool_ts.c */

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

/* Checks config by the rules of p2f_pool_create (config is not NULL) and makes a pool with
 * its first chunk and no thread-safe layer. *out is written only on success. */
p2f_status p2f__pool_core_create(const p2f_pool_config *config, p2f_pool **out);
/* Frees the chunks and the pool (whose thread-safe layer, if any, is gone already). */
void p2f__pool_core_destroy(p2f_pool *pool);

/* A slot for a caller (in checked builds: marked as the caller's), or NULL with *status set
 * (status may be NULL). */
void *p2f__pool_core_alloc(p2f_pool *pool, p2f_status *status);
/* Returns a caller's slot; checked builds first reject a foreign pointer or a double free
 * (logged, nothing freed). */
p2f_status p2f__pool_core_free(p2f_pool *pool, void *slot);

/* Raw slot moves with no checks, for pool_ts.c's per-thread caches: take pops the free list
 * or the current chunk's fresh slots (adding a chunk when needed), put pushes the free list.
 * Both keep head.live and head.high_water. */
void *p2f__pool_take(p2f_pool *pool, p2f_status *status);
void p2f__pool_put(p2f_pool *pool, void *slot);

/* Every slot free again, the chunks kept; live and high_water start over. */
void p2f__pool_reset_slots(p2f_pool *pool);

/* Writes every field of *out once: the configuration and chunk figures from the pool, live
 * and high_water as given (the thread-safe layer counts its own). */
void p2f__pool_fill_stats(const p2f_pool *pool, size_t live, size_t high_water, p2f_pool_stats *out);

#endif /* PROTO2FFI_INTERNAL_POOL_CORE_H_ */
