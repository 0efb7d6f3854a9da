/* Multi-threaded stress test of the thread-safe pool (run under TSan in the suite): threads
 * allocate, stamp each slot with (owner, serial), hand half of their slots to the next thread,
 * and free both their own and the received ones. Whoever frees a slot checks that the stamp
 * is still the one written at allocation: a slot handed to two holders at once would carry
 * the later holder's stamp. At the end every allocation has been freed and the pool reports
 * no live slot. (Fresh slots are never read before being stamped: their contents are
 * unspecified.) Then the hook at thread exit: the slots a thread freed into its cache go back to
 * the pool when the thread exits. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../support/check.h"
#include "proto2ffi/pool.h"

enum { THREADS = 4, ROUNDS = 2000, BATCH = 48, SLOT = 64 };
#define LIVE 0x4c4956454c495645ull /* "LIVELIVE" */
#define DEAD 0x4445414444454144ull

typedef struct stamp {
  uint64_t state;
  uint64_t owner;
  uint64_t serial;
} stamp;

/* A mailbox per thread: slots other threads pass to it (the test's own synchronisation). */
typedef struct held {
  stamp *slot;
  uint64_t owner;
  uint64_t serial;
} held;

typedef struct mailbox {
  pthread_mutex_t lock;
  held *items;
  size_t len, cap;
} mailbox;

static p2f_pool *pool;
static mailbox boxes[THREADS];
static atomic_size_t total_allocs, total_frees, bad_stamps, alloc_failures;
static atomic_int finished;

static int stamp_ok(const held *h) {
  return h->slot->state == LIVE && h->slot->owner == h->owner && h->slot->serial == h->serial;
}

static void post(mailbox *box, held slot) {
  pthread_mutex_lock(&box->lock);
  if (box->len == box->cap) {
    box->cap = box->cap ? box->cap * 2 : 256;
    box->items = realloc(box->items, box->cap * sizeof *box->items);
  }
  box->items[box->len++] = slot;
  pthread_mutex_unlock(&box->lock);
}

static size_t drain(mailbox *box, uint64_t me) {
  pthread_mutex_lock(&box->lock);
  size_t n = box->len;
  for (size_t i = 0; i < n; i++) {
    held *h = &box->items[i];
    if (!stamp_ok(h) || h->owner == me) atomic_fetch_add(&bad_stamps, 1);
    h->slot->state = DEAD;
    p2f_pool_free(pool, h->slot);
  }
  box->len = 0;
  pthread_mutex_unlock(&box->lock);
  return n;
}

static void *worker(void *arg) {
  uint64_t me = (uint64_t)(uintptr_t)arg;
  mailbox *next = &boxes[(me + 1) % THREADS];
  held mine[BATCH];
  uint64_t serial = 0;
  size_t frees = 0, allocs = 0;
  for (int round = 0; round < ROUNDS; round++) {
    size_t n = 0;
    for (; n < BATCH; n++) {
      stamp *s = p2f_pool_alloc(pool, NULL);
      if (s == NULL) {
        atomic_fetch_add(&alloc_failures, 1);
        break;
      }
      s->state = LIVE;
      s->owner = me;
      s->serial = ++serial;
      mine[n] = (held){s, me, serial};
    }
    allocs += n;
    for (size_t i = 0; i < n; i++) {
      if (i % 2) {
        post(next, mine[i]); /* freed by the next thread */
      } else {
        if (!stamp_ok(&mine[i])) atomic_fetch_add(&bad_stamps, 1);
        mine[i].slot->state = DEAD;
        p2f_pool_free(pool, mine[i].slot);
        frees++;
      }
    }
    frees += drain(&boxes[me], me);
  }
  atomic_fetch_add(&finished, 1);
  /* Keep draining until every thread has stopped posting. */
  while (atomic_load(&finished) < THREADS) frees += drain(&boxes[me], me);
  frees += drain(&boxes[me], me);
  atomic_fetch_add(&total_allocs, allocs);
  atomic_fetch_add(&total_frees, frees);
  return NULL;
}

static void run(uint32_t flags) {
  pool = p2f_pool_new(SLOT, 16, 64, 0, P2F_POOL_THREAD_SAFE | flags);
  CHECK(pool != NULL);
  if (pool == NULL) return;
  atomic_store(&total_allocs, 0);
  atomic_store(&total_frees, 0);
  atomic_store(&bad_stamps, 0);
  atomic_store(&alloc_failures, 0);
  atomic_store(&finished, 0);
  pthread_t t[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&t[i], NULL, worker, (void *)(uintptr_t)i);
  for (int i = 0; i < THREADS; i++) pthread_join(t[i], NULL);
  size_t allocs = atomic_load(&total_allocs), frees = atomic_load(&total_frees);
  printf("flags %u: %zu allocations, %zu frees, %zu bad stamps\n", flags, allocs, frees, atomic_load(&bad_stamps));
  CHECK(allocs == (size_t)THREADS * ROUNDS * BATCH);
  CHECK(frees == allocs);
  CHECK(atomic_load(&bad_stamps) == 0);
  CHECK(atomic_load(&alloc_failures) == 0);
  p2f_pool_stats stats;
  p2f_pool_get_stats(pool, &stats);
  CHECK(stats.live == 0);
  /* Slots are reused, never leaked: chunks grow by doubling, so capacity stays below twice
   * the peak of slots in use (callers' and caches') plus the first chunk. */
  printf("capacity %zu, high water %zu\n", stats.capacity, stats.high_water);
  CHECK(stats.capacity >= (size_t)BATCH);
  CHECK(stats.capacity <= 2 * stats.high_water + 64);
  p2f_pool_destroy(pool);
}

/* A thread takes every slot of a bounded pool and frees them, which leaves them in its cache;
 * once it has exited, the main thread can take every slot again only if the exit hook handed
 * the cache back. */
enum { BOUND = 64 };

static void *fill_and_exit(void *arg) {
  void *slots[BOUND];
  size_t n = 0;
  while (n < BOUND && (slots[n] = p2f_pool_alloc(arg, NULL)) != NULL) n++;
  for (size_t i = 0; i < n; i++) p2f_pool_free(arg, slots[i]);
  return (void *)(uintptr_t)n;
}

static void test_thread_exit(void) {
  pool = p2f_pool_new(SLOT, 16, 16, BOUND, P2F_POOL_THREAD_SAFE);
  CHECK(pool != NULL);
  if (pool == NULL) return;
  pthread_t t;
  void *taken = NULL;
  CHECK(pthread_create(&t, NULL, fill_and_exit, pool) == 0);
  CHECK(pthread_join(t, &taken) == 0);
  CHECK((uintptr_t)taken == BOUND);
  void *slots[BOUND];
  size_t n = 0;
  while (n < BOUND && (slots[n] = p2f_pool_alloc(pool, NULL)) != NULL) n++;
  printf("thread exit: %zu of %d slots taken again after the thread that freed them exited\n", n, BOUND);
  CHECK(n == BOUND);
  for (size_t i = 0; i < n; i++) CHECK(p2f_pool_free(pool, slots[i]) == P2F_OK);
  p2f_pool_destroy(pool);
}

int main(void) {
  for (int i = 0; i < THREADS; i++) pthread_mutex_init(&boxes[i].lock, NULL);
  run(0);
  run(P2F_POOL_LOCKED);
  test_thread_exit();
  for (int i = 0; i < THREADS; i++) free(boxes[i].items);
  return CHECK_REPORT();
}
