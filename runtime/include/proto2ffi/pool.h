/* proto2ffi/pool.h: fixed-size slot pools.
 *
 * A pool hands out slots of one size and alignment from large chunks, keeps freed slots on
 * an intrusive free list, and never returns memory to the system before p2f_pool_reset (which
 * keeps the chunks) or p2f_pool_destroy. Allocation and free are a few instructions when the
 * free list is not empty; nothing fragments the heap because chunks are only ever added.
 *
 *   p2f_pool_config cfg = {.slot_size = sizeof(social_Post), .align = _Alignof(social_Post),
 *                          .initial_capacity = 1024};
 *   p2f_pool *pool;
 *   if (p2f_pool_create(&cfg, &pool) != P2F_OK) abort();
 *   p2f_status st;
 *   social_Post *post = p2f_pool_alloc(pool, &st);   // NULL + st on exhaustion/OOM
 *   ...
 *   p2f_pool_free(pool, post);
 *   p2f_pool_destroy(pool);
 *
 * Generated code wraps this per message (social_Post_pool_create/alloc/free/destroy), and
 * those wrappers return initialised messages; p2f_pool_alloc itself does NOT zero the slot.
 *
 * Ownership: the pool owns every chunk; a slot belongs to the pool it came from and must be
 * returned to that pool (or dropped by reset/destroy). Pointers into a pool are invalid after
 * p2f_pool_reset or p2f_pool_destroy.
 *
 * Thread-safety: a pool created without P2F_POOL_THREAD_SAFE must be used by one thread at a
 * time. With P2F_POOL_THREAD_SAFE, alloc, free, the batch calls and stats may be called from
 * any number of threads at once, and a slot may be freed by a thread other than the one that
 * allocated it; create, reset and destroy must not run concurrently with any other call on
 * the same pool.
 *
 * Checked builds (CMake option P2F_POOL_DEBUG, on in Debug builds): p2f_pool_free detects a
 * pointer that is not a slot of the pool and a slot freed twice, reports it through the log
 * handler (proto2ffi/log.h) and returns P2F_ERR_POOL_FOREIGN_POINTER / P2F_ERR_POOL_DOUBLE_FREE
 * without touching the free list; freed slots are filled with 0xDD. Release builds trust the
 * caller: freeing a foreign pointer or a slot twice there is undefined behaviour.
 */
#ifndef PROTO2FFI_POOL_H_
#define PROTO2FFI_POOL_H_

#include "proto2ffi/port.h"
#include "proto2ffi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct p2f_pool p2f_pool;

enum {
  /* Usable from several threads at once (per-thread caches over a shared free list). */
  P2F_POOL_THREAD_SAFE = 1u << 0,
  /* With P2F_POOL_THREAD_SAFE: one mutex around every call and no per-thread caches. Slower
   * under contention (see docs/pools.md); kept for comparison and for hosts where thread-local
   * caches are unwanted. */
  P2F_POOL_LOCKED = 1u << 1,
};

typedef struct p2f_pool_config {
  size_t slot_size;        /* bytes per slot, >= 1 */
  size_t align;            /* power of two, 1..4096; 0 means alignof(max_align_t) */
  size_t initial_capacity; /* slots in the first chunk; 0 picks a chunk of about 64 KiB */
  size_t max_slots;        /* hard maximum number of slots; 0 for no limit */
  uint32_t flags;          /* P2F_POOL_* */
} p2f_pool_config;

typedef struct p2f_pool_stats {
  size_t slot_size;   /* as configured */
  size_t slot_stride; /* bytes between slots: slot_size rounded up for alignment and the free list */
  size_t live;        /* slots allocated and not yet freed */
  size_t capacity;    /* slots in all chunks */
  size_t chunks;      /* chunks obtained from the backing allocator */
  size_t high_water;  /* the most slots live at once since create or reset (see below) */
  size_t bytes;       /* bytes obtained from the backing allocator for chunks */
} p2f_pool_stats;

/* Creates a pool. Returns P2F_ERR_INVALID_ARGUMENT for a NULL argument, a zero slot size, an
 * alignment that is not a power of two or above 4096, or a maximum below the initial
 * capacity; P2F_ERR_OUT_OF_MEMORY when the first chunk cannot be obtained. */
P2F_EXPORT p2f_status p2f_pool_create(const p2f_pool_config *config, p2f_pool **out);

/* p2f_pool_create with the fields as arguments; NULL on any error. Used by generated code. */
P2F_EXPORT p2f_pool *p2f_pool_new(size_t slot_size, size_t align, size_t initial_capacity, size_t max_slots,
                                  uint32_t flags);

/* Returns a slot aligned as configured, with unspecified contents, or NULL when the pool is
 * at max_slots (P2F_ERR_POOL_EXHAUSTED) or a new chunk cannot be obtained
 * (P2F_ERR_OUT_OF_MEMORY). `status` may be NULL; it is written only on failure. */
P2F_EXPORT void *p2f_pool_alloc(p2f_pool *pool, p2f_status *status);

/* Returns a slot to the pool. NULL is accepted and ignored. See the header comment for
 * what checked builds detect. */
P2F_EXPORT p2f_status p2f_pool_free(p2f_pool *pool, void *slot);

/* Allocates up to n slots into out[]; returns how many were allocated (fewer than n only on
 * exhaustion or out of memory, with *status set when status is not NULL). */
P2F_EXPORT size_t p2f_pool_alloc_batch(p2f_pool *pool, void **out, size_t n, p2f_status *status);

/* Frees n slots (NULL entries are skipped). Returns the first error a checked build found,
 * after trying every slot, or P2F_OK. */
P2F_EXPORT p2f_status p2f_pool_free_batch(p2f_pool *pool, void *const *slots, size_t n);

/* The bodies of every generated T_pool_alloc_batch and T_pool_free_batch, kept here so that
 * a schema's generated .c holds one call per message instead of one loop per message.
 * `msgs` is an array of n object pointers of any type (T *[n]); the runtime reads and writes
 * its elements as bytes, so it relies only on every object pointer sharing void *'s size and
 * representation (as POSIX and every supported ABI require).
 * alloc_msgs: allocates up to n slots, runs init on each and stores it in msgs[i]; returns
 * how many it stored (0 when msgs is NULL). free_msgs: frees msgs[0..n) (NULL entries are
 * skipped) and returns the first error after trying every one; msgs NULL with n > 0 is
 * P2F_ERR_INVALID_ARGUMENT. */
P2F_EXPORT size_t p2f_pool_alloc_msgs(p2f_pool *pool, void *msgs, size_t n, void (*init)(void *msg));
P2F_EXPORT p2f_status p2f_pool_free_msgs(p2f_pool *pool, const void *msgs, size_t n);

/* Returns every slot to the pool at once, keeping the chunks: afterwards live == 0 and the
 * high-water mark starts over. */
P2F_EXPORT void p2f_pool_reset(p2f_pool *pool);

/* Releases every chunk and the pool itself. NULL is accepted. */
P2F_EXPORT void p2f_pool_destroy(p2f_pool *pool);

/* Fills *out. For a thread-safe pool the figures are exact when no other thread is inside the
 * pool; high_water there counts slots handed to threads' caches as in use (an upper bound). */
P2F_EXPORT void p2f_pool_get_stats(const p2f_pool *pool, p2f_pool_stats *out);

/* The allocator chunks come from: "mimalloc" or "system" (fixed when the runtime is built). */
P2F_EXPORT const char *p2f_pool_backend(void);

#ifdef __cplusplus
}
#endif

#endif /* PROTO2FFI_POOL_H_ */
