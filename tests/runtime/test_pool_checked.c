/* Misuse detection of checked pool builds (P2F_POOL_DEBUG; linked with proto2ffi_checked):
 * double free and foreign pointers are refused with their status and an exact message through
 * the log handler, the pool stays consistent afterwards, and freed slots are poisoned. */
#include <stdio.h>
#include <string.h>

#include "../support/check.h"
#include "proto2ffi/log.h"
#include "proto2ffi/pool.h"

static char last_message[512];
static int messages;

static void capture(void *ctx, const char *message) {
  (void)ctx;
  snprintf(last_message, sizeof last_message, "%s", message);
  messages++;
}

static int message_is(const char *expected) { return strcmp(last_message, expected) == 0; }

static void test_misuse(uint32_t flags) {
  p2f_pool *pool = p2f_pool_new(40, 8, 4, 0, flags);
  p2f_pool *other = p2f_pool_new(40, 8, 4, 0, flags);
  CHECK(pool != NULL && other != NULL);
  if (!pool || !other) return;
  unsigned char *a = p2f_pool_alloc(pool, NULL);
  unsigned char *b = p2f_pool_alloc(pool, NULL);
  char expected[512];

  /* Poisoning: after a free, everything past the free-list link reads 0xDD. */
  memset(a, 0x11, 40);
  CHECK(p2f_pool_free(pool, a) == P2F_OK);
  int poisoned = 1;
  for (size_t i = sizeof(void *); i < 40; i++) poisoned &= a[i] == 0xDD;
  CHECK(poisoned);

  /* Double free. */
  messages = 0;
  CHECK(p2f_pool_free(pool, a) == P2F_ERR_POOL_DOUBLE_FREE);
  snprintf(expected, sizeof expected,
           "p2f_pool_free: double free of slot %p of pool %p (slot size 40); not freed again", (void *)a,
           (void *)pool);
  CHECK(messages == 1 && message_is(expected));

  /* A pointer into the middle of a slot, a pointer to the stack, a slot of another pool. */
  int on_stack = 0;
  unsigned char *c = p2f_pool_alloc(other, NULL);
  void *foreign[3] = {b + 8, &on_stack, c};
  for (int i = 0; i < 3; i++) {
    messages = 0;
    CHECK(p2f_pool_free(pool, foreign[i]) == P2F_ERR_POOL_FOREIGN_POINTER);
    snprintf(expected, sizeof expected, "p2f_pool_free: %p is not a slot of pool %p (slot size 40); not freed",
             foreign[i], (void *)pool);
    CHECK(messages == 1 && message_is(expected));
  }

  /* The refused calls changed nothing: one slot is live, and the next two allocations are
   * two different slots (a double free accepted would hand `a` out twice). */
  p2f_pool_stats stats;
  p2f_pool_get_stats(pool, &stats);
  CHECK(stats.live == 1);
  void *x = p2f_pool_alloc(pool, NULL);
  void *y = p2f_pool_alloc(pool, NULL);
  CHECK(x != NULL && y != NULL && x != y && x != b && y != b);

  /* The batch call reports the first error after trying every slot. */
  void *batch[3] = {x, x, y};
  messages = 0;
  CHECK(p2f_pool_free_batch(pool, batch, 3) == P2F_ERR_POOL_DOUBLE_FREE);
  CHECK(messages == 1);
  p2f_pool_get_stats(pool, &stats);
  CHECK(stats.live == 1);

  /* After reset every slot is free again: freeing an old pointer is a double free. */
  p2f_pool_reset(pool);
  CHECK(p2f_pool_free(pool, b) == P2F_ERR_POOL_DOUBLE_FREE);
  p2f_pool_destroy(pool);
  p2f_pool_destroy(other);
}

int main(void) {
  p2f_set_log_handler(capture, NULL);
  test_misuse(0);
  test_misuse(P2F_POOL_THREAD_SAFE);
  p2f_set_log_handler(NULL, NULL);
  return CHECK_REPORT();
}
