/* The public entry points of pools (see proto2ffi/pool.h). Each checks its arguments, then
 * decides once between the single-threaded core (internal/pool_core.h) and the thread-safe
 * layer (internal/pool_ts.h), which does the whole operation. */
#include <string.h>

#include "internal/chunk_alloc.h"
#include "internal/pool_core.h"
#include "internal/pool_ts.h"
#include "proto2ffi/pool_inline.h"

typedef void *(*alloc_fn)(p2f_pool *pool, p2f_status *status);
typedef p2f_status (*free_fn)(p2f_pool *pool, void *slot);

p2f_status p2f_pool_create(const p2f_pool_config *config, p2f_pool **out) {
  if (out == NULL) return P2F_ERR_INVALID_ARGUMENT;
  *out = NULL;
  if (config == NULL) return P2F_ERR_INVALID_ARGUMENT;
  return config->flags & P2F_POOL_THREAD_SAFE ? p2f__ts_create(config, out) : p2f__pool_core_create(config, out);
}

p2f_pool *p2f_pool_new(size_t slot_size, size_t align, size_t initial_capacity, size_t max_slots, uint32_t flags) {
  p2f_pool_config config = {slot_size, align, initial_capacity, max_slots, flags};
  p2f_pool *pool = NULL;
  return p2f_pool_create(&config, &pool) == P2F_OK ? pool : NULL;
}

/* alloc and free start with the fast paths of proto2ffi/pool_inline.h (a pop or a push on the
 * free list of a single-threaded, unchecked pool), so that an FFI caller pays the call and
 * those few instructions, not a second call into the core. */
void *p2f_pool_alloc(p2f_pool *pool, p2f_status *status) {
  p2f_pool_head *h = (p2f_pool_head *)(void *)pool;
  if (pool != NULL && h->slow_only == 0 && h->free_list != NULL) {
    void *slot = h->free_list;
    h->free_list = *(void **)slot;
    h->live++; /* a pop never raises the high-water mark (p2f__pool_take) */
    return slot;
  }
  if (pool == NULL) {
    if (status) *status = P2F_ERR_INVALID_ARGUMENT;
    return NULL;
  }
  return pool->ts ? p2f__ts_alloc(pool, status) : p2f__pool_core_alloc(pool, status);
}

p2f_status p2f_pool_free(p2f_pool *pool, void *slot) {
  p2f_pool_head *h = (p2f_pool_head *)(void *)pool;
  if (pool != NULL && slot != NULL && h->slow_only == 0) {
    *(void **)slot = h->free_list;
    h->free_list = slot;
    h->live--;
    return P2F_OK;
  }
  if (slot == NULL) return P2F_OK;
  if (pool == NULL) return P2F_ERR_INVALID_ARGUMENT;
  return pool->ts ? p2f__ts_free(pool, slot) : p2f__pool_core_free(pool, slot);
}

/* Allocates up to n slots into the pointer array at out (stored with memcpy, so that out may
 * be any T ** of the generated code), running init on each when given. */
static size_t alloc_into(p2f_pool *pool, unsigned char *out, size_t n, void (*init)(void *msg), p2f_status *status) {
  if (pool == NULL) {
    if (n && status) *status = P2F_ERR_INVALID_ARGUMENT;
    return 0;
  }
  alloc_fn alloc = pool->ts ? p2f__ts_alloc : p2f__pool_core_alloc;
  for (size_t i = 0; i < n; i++) {
    void *slot = alloc(pool, status);
    if (slot == NULL) return i;
    if (init != NULL) init(slot);
    memcpy(out + i * sizeof slot, &slot, sizeof slot);
  }
  return n;
}

size_t p2f_pool_alloc_batch(p2f_pool *pool, void **out, size_t n, p2f_status *status) {
  if (out == NULL && n) {
    if (status) *status = P2F_ERR_INVALID_ARGUMENT;
    return 0;
  }
  return alloc_into(pool, (unsigned char *)out, n, NULL, status);
}

size_t p2f_pool_alloc_msgs(p2f_pool *pool, void *msgs, size_t n, void (*init)(void *msg)) {
  if (msgs == NULL) return 0;
  return alloc_into(pool, msgs, n, init, NULL);
}

p2f_status p2f_pool_free_msgs(p2f_pool *pool, const void *msgs, size_t n) {
  if (msgs == NULL) return n ? P2F_ERR_INVALID_ARGUMENT : P2F_OK;
  free_fn release = pool == NULL ? NULL : pool->ts ? p2f__ts_free : p2f__pool_core_free;
  const unsigned char *in = msgs;
  p2f_status first = P2F_OK;
  for (size_t i = 0; i < n; i++) {
    void *slot;
    memcpy(&slot, in + i * sizeof slot, sizeof slot);
    if (slot == NULL) continue;
    p2f_status st = release ? release(pool, slot) : P2F_ERR_INVALID_ARGUMENT;
    if (st != P2F_OK && first == P2F_OK) first = st;
  }
  return first;
}

p2f_status p2f_pool_free_batch(p2f_pool *pool, void *const *slots, size_t n) {
  return p2f_pool_free_msgs(pool, slots, n);
}

void p2f_pool_reset(p2f_pool *pool) {
  if (pool == NULL) return;
  if (pool->ts) p2f__ts_reset(pool);
  else p2f__pool_reset_slots(pool);
}

void p2f_pool_destroy(p2f_pool *pool) {
  if (pool == NULL) return;
  if (pool->ts) p2f__ts_destroy(pool);
  else p2f__pool_core_destroy(pool);
}

void p2f_pool_get_stats(const p2f_pool *pool, p2f_pool_stats *out) {
  if (out == NULL) return;
  if (pool == NULL) memset(out, 0, sizeof *out);
  else if (pool->ts) p2f__ts_stats(pool, out);
  else p2f__pool_fill_stats(pool, pool->head.live, pool->head.high_water, out);
}

const char *p2f_pool_backend(void) { return p2f__chunk_backend(); }
