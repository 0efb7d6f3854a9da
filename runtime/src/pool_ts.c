/* The thread-safe layer of pools (P2F_POOL_THREAD_SAFE; see internal/pool_ts.h), built on the
 * single-threaded core of internal/pool_core.h and calling nothing else of the pools.
 *
 * Design, chosen by measurement (docs/pools.md): each thread keeps, per pool, a small cache
 * of up to CACHE_CAP free slots. alloc pops the calling thread's
 * cache and free pushes onto it, with no atomic read-modify-write and no lock; only when a
 * cache is empty (alloc) or full (free) does the thread lock the pool's mutex and move half a
 * cache from or to a depot of full magazines: arrays of slot pointers, so the lock is held
 * for a pointer swap and a 1 KiB copy and never touches slot memory (which, for large
 * messages, would mean cache misses while other threads wait). Only when the depot is empty
 * does a thread take fresh slots from the single-threaded pool underneath. A slot freed by
 * another thread simply lands in that thread's cache. The alternative of one mutex around the single-threaded pool is kept
 * as the P2F_POOL_LOCKED mode for comparison and for platforms without thread-local storage.
 *
 * Caches are found through a thread-local table of (pool id, cache) pairs; pool ids are never
 * reused, so an entry left behind by a destroyed pool can never match a new one. A registry
 * lock (taken only on slow paths: first use of a pool in a thread, eviction from the table,
 * thread exit, reset, destroy, stats) links caches to their pools so that destroy can orphan
 * the caches of other threads and a thread's exit can hand its slots back.
 *
 * Checked builds (P2F__POOL_DEBUG) take the pool lock on every alloc and free so that the
 * per-slot ownership bits stay exact.
 */
#if !defined(_WIN32) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* PTHREAD_MUTEX_ADAPTIVE_NP on glibc */
#endif

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "internal/pool_core.h"
#include "internal/pool_ts.h"
#include "internal/port.h"

#if defined(_WIN32)
#error "the thread-safe pool needs pthreads; a Windows port (SRWLOCK + FlsAlloc) is not written yet"
#endif
#include <pthread.h>

#define CACHE_CAP 256u /* per thread per pool; measured against 64 in docs/pools.md */
#define CACHE_MOVE (CACHE_CAP / 2u) /* slots per magazine */
#define TABLE_SIZE 8

typedef struct magazine {
  struct magazine *next;
  void *slots[CACHE_MOVE];
} magazine;

/* Caches are written on every operation by their thread: each starts on its own cache line
 * (and rounds up to whole lines) so that two threads' caches never share one. */
#define CACHE_LINE 64u

typedef struct p2f_tcache {
  p2f_pool *pool;             /* NULL once the pool is destroyed (orphaned) */
  struct p2f_tcache *next;    /* in the pool's list of caches (registry lock) */
  struct p2f_tcache **pprev;
  _Atomic uint32_t count;     /* written by the owner thread only; read by stats */
  void *slots[CACHE_CAP];
} p2f_tcache;

typedef struct p2f_pool_ts {
  pthread_mutex_t lock;    /* guards the single-threaded pool state */
  uint64_t id;
  p2f_tcache *caches;      /* registry lock */
  size_t out;              /* slots outside the base pool (in caches, the depot, or with callers) */
  magazine *full;          /* the depot: magazines of free slots */
  magazine *empty;         /* spare magazines */
  size_t depot_slots;
  size_t out_high;
  bool locked_mode;        /* P2F_POOL_LOCKED: no caches, the mutex around every call */
} p2f_pool_ts;

typedef struct tls_entry {
  uint64_t id;
  p2f_tcache *cache;
} tls_entry;

static _Atomic uint64_t next_pool_id = 1;
static pthread_mutex_t registry = PTHREAD_MUTEX_INITIALIZER;
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static _Thread_local tls_entry table[TABLE_SIZE] P2F__TLS_FAST;
static _Thread_local bool exit_registered P2F__TLS_FAST;

/* ---- moving slots between a cache and the shared pool ---------------------------------- */

/* Pool lock held. Fills an empty cache with a magazine from the depot, or else with up to n
 * fresh slots from the base pool; returns how many slots it moved. */
static uint32_t refill_locked(p2f_pool *pool, p2f_tcache *cache, uint32_t n, p2f_status *status) {
  p2f_pool_ts *ts = pool->ts;
  magazine *m = ts->full;
  if (m != NULL) {
    ts->full = m->next;
    memcpy(cache->slots, m->slots, sizeof m->slots);
    m->next = ts->empty;
    ts->empty = m;
    ts->depot_slots -= CACHE_MOVE;
    atomic_store_explicit(&cache->count, CACHE_MOVE, memory_order_relaxed);
    return CACHE_MOVE;
  }
  uint32_t count = atomic_load_explicit(&cache->count, memory_order_relaxed);
  uint32_t moved = 0;
  while (moved < n) {
    void *slot = p2f__pool_take(pool, status);
    if (slot == NULL) break;
    cache->slots[count++] = slot;
    moved++;
  }
  atomic_store_explicit(&cache->count, count, memory_order_relaxed);
  pool->ts->out += moved;
  if (pool->ts->out > pool->ts->out_high) pool->ts->out_high = pool->ts->out;
  return moved;
}

/* Pool lock held. Returns the last n slots of cache to the shared pool. */
static void drain_locked(p2f_pool *pool, p2f_tcache *cache, uint32_t n) {
  uint32_t count = atomic_load_explicit(&cache->count, memory_order_relaxed);
  if (n > count) n = count;
  for (uint32_t i = 0; i < n; i++) p2f__pool_put(pool, cache->slots[--count]);
  atomic_store_explicit(&cache->count, count, memory_order_relaxed);
  pool->ts->out -= n;
}

/* Moves the top CACHE_MOVE slots of a full cache into a magazine of the depot. */
static void drain_to_depot(p2f_pool *pool, p2f_tcache *cache) {
  p2f_pool_ts *ts = pool->ts;
  uint32_t count = atomic_load_explicit(&cache->count, memory_order_relaxed);
  pthread_mutex_lock(&ts->lock);
  magazine *m = ts->empty;
  if (m != NULL) {
    ts->empty = m->next;
  } else {
    m = malloc(sizeof *m);
  }
  if (m == NULL) {
    /* No memory for a magazine: hand the slots back one by one instead. */
    drain_locked(pool, cache, CACHE_MOVE);
  } else {
    count -= CACHE_MOVE;
    memcpy(m->slots, &cache->slots[count], sizeof m->slots);
    m->next = ts->full;
    ts->full = m;
    ts->depot_slots += CACHE_MOVE;
    atomic_store_explicit(&cache->count, count, memory_order_relaxed);
  }
  pthread_mutex_unlock(&ts->lock);
}

/* Registry lock held: returns a cache's slots to its pool (if it still exists) as full
 * magazines where it can (no slot memory touched) and the remainder to the base pool, unlinks
 * the cache and frees it. */
static void retire_cache(p2f_tcache *cache) {
  p2f_pool *pool = cache->pool;
  if (pool != NULL) {
    while (atomic_load_explicit(&cache->count, memory_order_relaxed) >= CACHE_MOVE) drain_to_depot(pool, cache);
    pthread_mutex_lock(&pool->ts->lock);
    drain_locked(pool, cache, CACHE_CAP);
    pthread_mutex_unlock(&pool->ts->lock);
    *cache->pprev = cache->next;
    if (cache->next) cache->next->pprev = cache->pprev;
  }
  free(cache);
}

static void thread_exit(void *arg) {
  (void)arg;
  pthread_mutex_lock(&registry);
  for (int i = 0; i < TABLE_SIZE; i++) {
    if (table[i].cache) retire_cache(table[i].cache);
    table[i].id = 0;
    table[i].cache = NULL;
  }
  pthread_mutex_unlock(&registry);
}

static void make_exit_key(void) { (void)pthread_key_create(&exit_key, thread_exit); }

/* ---- the calling thread's cache for a pool ------------------------------------------------- */

/* Slow path: registers a new cache for pool in this thread's table, evicting (and retiring)
 * the entry in the last position when the table is full. */
static p2f_tcache *attach(p2f_pool *pool, p2f_status *status) {
  if (!exit_registered) {
    pthread_once(&exit_key_once, make_exit_key);
    /* Any non-NULL value makes the destructor run at thread exit. */
    if (pthread_setspecific(exit_key, table) == 0) exit_registered = true;
  }
  size_t bytes = (sizeof(p2f_tcache) + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
  p2f_tcache *cache = aligned_alloc(CACHE_LINE, bytes);
  if (cache != NULL) memset(cache, 0, bytes);
  if (cache == NULL) {
    if (status) *status = P2F_ERR_OUT_OF_MEMORY;
    return NULL;
  }
  pthread_mutex_lock(&registry);
  if (table[TABLE_SIZE - 1].cache) retire_cache(table[TABLE_SIZE - 1].cache);
  memmove(&table[1], &table[0], (TABLE_SIZE - 1) * sizeof table[0]);
  cache->pool = pool;
  cache->next = pool->ts->caches;
  cache->pprev = &pool->ts->caches;
  if (cache->next) cache->next->pprev = &cache->next;
  pool->ts->caches = cache;
  table[0].id = pool->ts->id;
  table[0].cache = cache;
  pthread_mutex_unlock(&registry);
  return cache;
}

/* Fast path: the first table entry is the most recently attached pool. */
static inline p2f_tcache *cache_for(p2f_pool *pool, p2f_status *status) {
  uint64_t id = pool->ts->id;
  if (table[0].id == id) return table[0].cache;
  for (int i = 1; i < TABLE_SIZE; i++) {
    if (table[i].id == id) return table[i].cache;
  }
  return attach(pool, status);
}

/* ---- entry points ------------------------------------------------------------------------ */

p2f_status p2f__ts_create(const p2f_pool_config *config, p2f_pool **out) {
  p2f_pool *pool = NULL;
  p2f_status st = p2f__pool_core_create(config, &pool);
  if (st != P2F_OK) return st;
  p2f_pool_ts *ts = calloc(1, sizeof *ts);
  if (ts == NULL) {
    p2f__pool_core_destroy(pool);
    return P2F_ERR_OUT_OF_MEMORY;
  }
  /* Critical sections are a pointer swap and a short copy: where glibc offers it, an
   * adaptive mutex spins briefly before sleeping instead of paying a futex round trip. On the
   * 2-core test machine it made no difference beyond the noise; it costs nothing. */
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
#if defined(__GLIBC__) && defined(PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP)
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
#endif
  int rc = pthread_mutex_init(&ts->lock, &attr);
  pthread_mutexattr_destroy(&attr);
  if (rc != 0) {
    free(ts);
    p2f__pool_core_destroy(pool);
    return P2F_ERR_OUT_OF_MEMORY;
  }
  ts->id = atomic_fetch_add(&next_pool_id, 1);
  ts->locked_mode = (pool->flags & P2F_POOL_LOCKED) != 0;
  pool->ts = ts;
  *out = pool;
  return P2F_OK;
}

void *p2f__ts_alloc(p2f_pool *pool, p2f_status *status) {
  p2f_pool_ts *ts = pool->ts;
  if (ts->locked_mode || P2F__POOL_DEBUG) {
    pthread_mutex_lock(&ts->lock);
    void *slot = p2f__pool_core_alloc(pool, status);
    if (slot) {
      ts->out++;
      if (ts->out > ts->out_high) ts->out_high = ts->out;
    }
    pthread_mutex_unlock(&ts->lock);
    return slot;
  }
  p2f_tcache *cache = cache_for(pool, status);
  if (cache == NULL) return NULL;
  uint32_t count = atomic_load_explicit(&cache->count, memory_order_relaxed);
  if (count == 0) {
    p2f_status why = P2F_OK;
    pthread_mutex_lock(&ts->lock);
    count = refill_locked(pool, cache, CACHE_MOVE, &why);
    pthread_mutex_unlock(&ts->lock);
    if (count == 0) {
      if (status) *status = why; /* written only on failure */
      return NULL;
    }
  }
  void *slot = cache->slots[count - 1];
  atomic_store_explicit(&cache->count, count - 1, memory_order_relaxed);
  return slot;
}

p2f_status p2f__ts_free(p2f_pool *pool, void *slot) {
  p2f_pool_ts *ts = pool->ts;
  if (ts->locked_mode || P2F__POOL_DEBUG) {
    pthread_mutex_lock(&ts->lock);
    p2f_status st = p2f__pool_core_free(pool, slot);
    if (st == P2F_OK) ts->out--;
    pthread_mutex_unlock(&ts->lock);
    return st;
  }
  p2f_status st = P2F_OK;
  p2f_tcache *cache = cache_for(pool, &st);
  if (cache == NULL) {
    /* No cache could be made (out of memory): return the slot straight to the pool. */
    pthread_mutex_lock(&ts->lock);
    p2f__pool_put(pool, slot);
    ts->out--;
    pthread_mutex_unlock(&ts->lock);
    return P2F_OK;
  }
  uint32_t count = atomic_load_explicit(&cache->count, memory_order_relaxed);
  if (count == CACHE_CAP) {
    drain_to_depot(pool, cache);
    count = atomic_load_explicit(&cache->count, memory_order_relaxed);
  }
  cache->slots[count] = slot;
  atomic_store_explicit(&cache->count, count + 1, memory_order_relaxed);
  return P2F_OK;
}

void p2f__ts_reset(p2f_pool *pool) {
  pthread_mutex_lock(&registry);
  for (p2f_tcache *c = pool->ts->caches; c; c = c->next) atomic_store_explicit(&c->count, 0, memory_order_relaxed);
  while (pool->ts->full) {
    magazine *m = pool->ts->full;
    pool->ts->full = m->next;
    m->next = pool->ts->empty;
    pool->ts->empty = m;
  }
  pool->ts->depot_slots = 0;
  pool->ts->out = 0;
  pool->ts->out_high = 0;
  pthread_mutex_unlock(&registry);
  p2f__pool_reset_slots(pool);
}

void p2f__ts_destroy(p2f_pool *pool) {
  p2f_pool_ts *ts = pool->ts;
  pthread_mutex_lock(&registry);
  /* The calling thread's own cache is freed now; other threads' caches are orphaned and
   * freed by their threads (at exit or when the table entry is reused). */
  for (int i = 0; i < TABLE_SIZE; i++) {
    if (table[i].cache && table[i].id == ts->id) {
      p2f_tcache *c = table[i].cache;
      *c->pprev = c->next;
      if (c->next) c->next->pprev = c->pprev;
      free(c);
      table[i].id = 0;
      table[i].cache = NULL;
    }
  }
  for (p2f_tcache *c = ts->caches; c; c = c->next) c->pool = NULL;
  pthread_mutex_unlock(&registry);
  for (int list = 0; list < 2; list++) {
    magazine *m = list ? ts->empty : ts->full;
    while (m) {
      magazine *next = m->next;
      free(m);
      m = next;
    }
  }
  pthread_mutex_destroy(&ts->lock);
  free(ts);
  pool->ts = NULL;
  p2f__pool_core_destroy(pool);
}

void p2f__ts_stats(const p2f_pool *pool, p2f_pool_stats *out) {
  p2f_pool_ts *ts = pool->ts;
  pthread_mutex_lock(&registry);
  pthread_mutex_lock(&ts->lock);
  size_t cached = 0;
  for (p2f_tcache *c = ts->caches; c; c = c->next) cached += atomic_load_explicit(&c->count, memory_order_relaxed);
  p2f__pool_fill_stats(pool, ts->out - cached - ts->depot_slots, ts->out_high, out);
  pthread_mutex_unlock(&ts->lock);
  pthread_mutex_unlock(&registry);
}
