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
#ifndef WIN32_LEAN_AND_MEAN
#define WIN32_LEAN_AND_MEAN
#endif
#include <windows.h>
#else
#include <pthread.h>
#endif

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

/* ---- platform: locks, aligned cache memory, a hook at thread exit ------------------------- */

/* Windows: slim reader/writer locks, taken exclusively (statically initialisable, nothing to
 * destroy, a short spin before sleeping), and a fiber-local storage slot whose callback runs
 * when a thread that stored a value in it exits. Elsewhere: pthread mutexes and a pthread key
 * with a destructor. */
#if defined(_WIN32)
typedef SRWLOCK ts_lock;
#define TS_LOCK_INITIALIZER SRWLOCK_INIT
static bool ts_lock_init(ts_lock *l) {
  InitializeSRWLock(l);
  return true;
}
static void ts_lock_destroy(ts_lock *l) { (void)l; }
static inline void ts_acquire(ts_lock *l) { AcquireSRWLockExclusive(l); }
static inline void ts_release(ts_lock *l) { ReleaseSRWLockExclusive(l); }
static void *cache_memory(size_t bytes) { return _aligned_malloc(bytes, CACHE_LINE); }
static void cache_memory_free(void *p) { _aligned_free(p); }
#else
typedef pthread_mutex_t ts_lock;
#define TS_LOCK_INITIALIZER PTHREAD_MUTEX_INITIALIZER
/* Critical sections are a pointer swap and a short copy: where glibc offers it, an adaptive
 * mutex spins briefly before sleeping instead of paying a futex round trip. On the 2-core
 * test machine it made no difference beyond the noise; it costs nothing. */
static bool ts_lock_init(ts_lock *l) {
  pthread_mutexattr_t attr;
  pthread_mutexattr_init(&attr);
#if defined(__GLIBC__) && defined(PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP)
  pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ADAPTIVE_NP);
#endif
  int rc = pthread_mutex_init(l, &attr);
  pthread_mutexattr_destroy(&attr);
  return rc == 0;
}
static void ts_lock_destroy(ts_lock *l) { pthread_mutex_destroy(l); }
static inline void ts_acquire(ts_lock *l) { pthread_mutex_lock(l); }
static inline void ts_release(ts_lock *l) { pthread_mutex_unlock(l); }
static void *cache_memory(size_t bytes) { return aligned_alloc(CACHE_LINE, bytes); }
static void cache_memory_free(void *p) { free(p); }
#endif

typedef struct p2f_tcache {
  p2f_pool *pool;             /* NULL once the pool is destroyed (orphaned) */
  struct p2f_tcache *next;    /* in the pool's list of caches (registry lock) */
  struct p2f_tcache **pprev;
  _Atomic uint32_t count;     /* written by the owner thread only; read by stats */
  void *slots[CACHE_CAP];
} p2f_tcache;

typedef struct p2f_pool_ts {
  ts_lock lock;            /* guards the single-threaded pool state */
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
static ts_lock registry = TS_LOCK_INITIALIZER;
static P2F__THREAD_LOCAL tls_entry table[TABLE_SIZE] P2F__TLS_FAST;
static P2F__THREAD_LOCAL bool exit_registered P2F__TLS_FAST;

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
  ts_acquire(&ts->lock);
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
  ts_release(&ts->lock);
}

/* Registry lock held: returns a cache's slots to its pool (if it still exists) as full
 * magazines where it can (no slot memory touched) and the remainder to the base pool, unlinks
 * the cache and frees it. */
static void retire_cache(p2f_tcache *cache) {
  p2f_pool *pool = cache->pool;
  if (pool != NULL) {
    while (atomic_load_explicit(&cache->count, memory_order_relaxed) >= CACHE_MOVE) drain_to_depot(pool, cache);
    ts_acquire(&pool->ts->lock);
    drain_locked(pool, cache, CACHE_CAP);
    ts_release(&pool->ts->lock);
    *cache->pprev = cache->next;
    if (cache->next) cache->next->pprev = cache->pprev;
  }
  cache_memory_free(cache);
}

/* At the exit of a thread that attached a cache: arg is its table. */
static void thread_exit(void *arg) {
  tls_entry *t = arg;
  ts_acquire(&registry);
  for (int i = 0; i < TABLE_SIZE; i++) {
    if (t[i].cache) retire_cache(t[i].cache);
    t[i].id = 0;
    t[i].cache = NULL;
  }
  ts_release(&registry);
}

/* hook_thread_exit(t), registry lock held: makes thread_exit(t) run when the calling thread
 * exits; false when it could not be arranged (the caches then stay until their pool is
 * destroyed or reset). */
#if defined(_WIN32)
/* The slot is allocated by the first thread that needs it and never freed: the runtime must
 * stay loaded while threads that used thread-safe pools run (as with the pthread key's
 * destructor elsewhere). Fiber-local storage callbacks also run when the process exits, in
 * the exiting thread, after every other thread was stopped wherever it was, possibly holding
 * the registry or a pool lock; the callback then returns at once (the memory goes with the
 * process) instead of waiting for a lock that would never be released. */
typedef BOOLEAN(WINAPI *shutdown_query_fn)(void);
static DWORD exit_slot = FLS_OUT_OF_INDEXES;
static shutdown_query_fn dll_shutdown_in_progress;

static void WINAPI thread_exit_fls(void *arg) {
  if (arg == NULL || (dll_shutdown_in_progress != NULL && dll_shutdown_in_progress())) return;
  thread_exit(arg);
}

static bool hook_thread_exit(tls_entry *t) {
  if (exit_slot == FLS_OUT_OF_INDEXES) {
    /* ntdll's RtlDllShutdownInProgress: true once the process has begun to exit. The
     * conversion goes through the generic function pointer type, as GetProcAddress returns. */
    HMODULE ntdll = GetModuleHandleW(L"ntdll.dll");
    FARPROC query = ntdll ? GetProcAddress(ntdll, "RtlDllShutdownInProgress") : NULL;
    dll_shutdown_in_progress = (shutdown_query_fn)(void (*)(void))query;
    exit_slot = FlsAlloc(thread_exit_fls);
    if (exit_slot == FLS_OUT_OF_INDEXES) return false;
  }
  return FlsSetValue(exit_slot, t) != 0;
}
#else
static pthread_key_t exit_key;
static pthread_once_t exit_key_once = PTHREAD_ONCE_INIT;
static bool exit_key_made;

static void make_exit_key(void) { exit_key_made = pthread_key_create(&exit_key, thread_exit) == 0; }

static bool hook_thread_exit(tls_entry *t) {
  pthread_once(&exit_key_once, make_exit_key);
  /* Any non-NULL value makes the destructor run at thread exit. */
  return exit_key_made && pthread_setspecific(exit_key, t) == 0;
}
#endif

/* ---- the calling thread's cache for a pool ------------------------------------------------- */

/* Slow path: registers a new cache for pool in this thread's table, evicting (and retiring)
 * the entry in the last position when the table is full. */
static p2f_tcache *attach(p2f_pool *pool, p2f_status *status) {
  size_t bytes = (sizeof(p2f_tcache) + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE;
  p2f_tcache *cache = cache_memory(bytes);
  if (cache != NULL) memset(cache, 0, bytes);
  if (cache == NULL) {
    if (status) *status = P2F_ERR_OUT_OF_MEMORY;
    return NULL;
  }
  ts_acquire(&registry);
  if (!exit_registered) exit_registered = hook_thread_exit(table);
  if (table[TABLE_SIZE - 1].cache) retire_cache(table[TABLE_SIZE - 1].cache);
  memmove(&table[1], &table[0], (TABLE_SIZE - 1) * sizeof table[0]);
  cache->pool = pool;
  cache->next = pool->ts->caches;
  cache->pprev = &pool->ts->caches;
  if (cache->next) cache->next->pprev = &cache->next;
  pool->ts->caches = cache;
  table[0].id = pool->ts->id;
  table[0].cache = cache;
  ts_release(&registry);
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
  if (!ts_lock_init(&ts->lock)) {
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
    ts_acquire(&ts->lock);
    void *slot = p2f__pool_core_alloc(pool, status);
    if (slot) {
      ts->out++;
      if (ts->out > ts->out_high) ts->out_high = ts->out;
    }
    ts_release(&ts->lock);
    return slot;
  }
  p2f_tcache *cache = cache_for(pool, status);
  if (cache == NULL) return NULL;
  uint32_t count = atomic_load_explicit(&cache->count, memory_order_relaxed);
  if (count == 0) {
    p2f_status why = P2F_OK;
    ts_acquire(&ts->lock);
    count = refill_locked(pool, cache, CACHE_MOVE, &why);
    ts_release(&ts->lock);
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
    ts_acquire(&ts->lock);
    p2f_status st = p2f__pool_core_free(pool, slot);
    if (st == P2F_OK) ts->out--;
    ts_release(&ts->lock);
    return st;
  }
  p2f_status st = P2F_OK;
  p2f_tcache *cache = cache_for(pool, &st);
  if (cache == NULL) {
    /* No cache could be made (out of memory): return the slot straight to the pool. */
    ts_acquire(&ts->lock);
    p2f__pool_put(pool, slot);
    ts->out--;
    ts_release(&ts->lock);
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
  ts_acquire(&registry);
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
  ts_release(&registry);
  p2f__pool_reset_slots(pool);
}

void p2f__ts_destroy(p2f_pool *pool) {
  p2f_pool_ts *ts = pool->ts;
  ts_acquire(&registry);
  /* The calling thread's own cache is freed now; other threads' caches are orphaned and
   * freed by their threads (at exit or when the table entry is reused). */
  for (int i = 0; i < TABLE_SIZE; i++) {
    if (table[i].cache && table[i].id == ts->id) {
      p2f_tcache *c = table[i].cache;
      *c->pprev = c->next;
      if (c->next) c->next->pprev = c->pprev;
      cache_memory_free(c);
      table[i].id = 0;
      table[i].cache = NULL;
    }
  }
  for (p2f_tcache *c = ts->caches; c; c = c->next) c->pool = NULL;
  ts_release(&registry);
  for (int list = 0; list < 2; list++) {
    magazine *m = list ? ts->empty : ts->full;
    while (m) {
      magazine *next = m->next;
      free(m);
      m = next;
    }
  }
  ts_lock_destroy(&ts->lock);
  free(ts);
  pool->ts = NULL;
  p2f__pool_core_destroy(pool);
}

void p2f__ts_stats(const p2f_pool *pool, p2f_pool_stats *out) {
  p2f_pool_ts *ts = pool->ts;
  ts_acquire(&registry);
  ts_acquire(&ts->lock);
  size_t cached = 0;
  for (p2f_tcache *c = ts->caches; c; c = c->next) cached += atomic_load_explicit(&c->count, memory_order_relaxed);
  p2f__pool_fill_stats(pool, ts->out - cached - ts->depot_slots, ts->out_high, out);
  ts_release(&ts->lock);
  ts_release(&registry);
}
