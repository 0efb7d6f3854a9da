/* proto2ffi/pool_inline.h: the single-threaded pool fast paths as inline functions, for C
 * callers that want to avoid a call into the runtime per allocation.
 *
 *   #include "proto2ffi/pool_inline.h"
 *   void *slot = p2f_pool_alloc_inline(pool);   // same contract as p2f_pool_alloc(pool, NULL)
 *   p2f_pool_free_inline(pool, slot);           // same contract as p2f_pool_free
 *
 * They pop or push the free list in place and fall back to the exported functions for
 * everything else (empty free list, thread-safe or checked pools, NULL arguments), so they
 * are interchangeable with p2f_pool_alloc/p2f_pool_free on the same pool. Cost of the fast
 * path: alloc is a load of the list head, a load of its link, a store and an increment; free
 * is two stores and a decrement; each also tests the pool's slow_only word. The high-water
 * mark of the statistics is not touched: the runtime moves it only when it takes a fresh slot
 * from a chunk, which happens only when the free list is empty and every slot taken is live,
 * so a pop can never raise it (the count is exact either way, and the same whether slots go
 * through these functions or the exported ones).
 *
 * p2f_pool_head is the leading part of every pool; it is ABI: changing it changes
 * P2F_RUNTIME_ABI. Do not write its fields directly.
 */
#ifndef PROTO2FFI_POOL_INLINE_H_
#define PROTO2FFI_POOL_INLINE_H_

#include "proto2ffi/pool.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct p2f_pool_head {
  void *free_list;         /* a free slot's first word links to the next free slot */
  unsigned char *bump;     /* fresh slots of the current chunk */
  unsigned char *bump_end;
  size_t stride;
  size_t live;
  size_t high_water;
  uint32_t slow_only;      /* non-zero: thread-safe or checked pool, use the exported calls */
} p2f_pool_head;

static inline void *p2f_pool_alloc_inline(p2f_pool *pool) {
  p2f_pool_head *h = (p2f_pool_head *)(void *)pool;
  if (pool != NULL && h->slow_only == 0 && h->free_list != NULL) {
    void *slot = h->free_list;
    h->free_list = *(void **)slot;
    h->live++;
    return slot;
  }
  return p2f_pool_alloc(pool, NULL);
}

static inline p2f_status p2f_pool_free_inline(p2f_pool *pool, void *slot) {
  p2f_pool_head *h = (p2f_pool_head *)(void *)pool;
  if (pool != NULL && slot != NULL && h->slow_only == 0) {
    *(void **)slot = h->free_list;
    h->free_list = slot;
    h->live--;
    return P2F_OK;
  }
  return p2f_pool_free(pool, slot);
}

#ifdef __cplusplus
}
#endif

#endif /* PROTO2FFI_POOL_INLINE_H_ */
