/* The generated typed pools (T_pool_create/alloc/free/destroy and the batch calls) on the
 * social schema and on legacy.proto, whose defaults show that alloc returns an initialised
 * message. */
#include <stdint.h>
#include <string.h>

#include "../support/check.h"
#include "legacy.ffi.h"
#include "social.ffi.h"

static void test_alloc_initialises(void) {
  p2f_pool *pool = social_Post_pool_create(8);
  CHECK(pool != NULL);
  if (pool == NULL) return;
  social_Post *post = social_Post_pool_alloc(pool);
  CHECK(post != NULL && (uintptr_t)post % social_Post_ALIGN == 0);
  /* Dirty every byte, give it back, and take it again: it comes back initialised. */
  memset(post, 0x5A, sizeof *post);
  CHECK(social_Post_pool_free(pool, post) == P2F_OK);
  social_Post *again = social_Post_pool_alloc(pool);
  CHECK(again == post);
  social_Post zero;
  memset(&zero, 0, sizeof zero);
  CHECK(memcmp(again, &zero, sizeof zero) == 0);
  p2f_pool_stats stats;
  p2f_pool_get_stats(pool, &stats);
  CHECK(stats.slot_size == sizeof(social_Post) && stats.live == 1);
  social_Post_pool_destroy(pool);

  /* proto2 defaults come with alloc too. */
  p2f_pool *lp = p2f_legacy_Legacy_pool_create(2);
  p2f_legacy_Legacy *l = p2f_legacy_Legacy_pool_alloc(lp);
  CHECK(l != NULL && l->d_int32 == -42 && l->settings.level == 3 && l->level_no_default == 1);
  p2f_legacy_Legacy_pool_destroy(lp);
}

static void test_batches_and_maximum(void) {
  p2f_pool *pool = social_Reaction_pool_create_ex(2, 5, 0);
  CHECK(pool != NULL);
  if (pool == NULL) return;
  social_Reaction *r[10] = {0};
  CHECK(social_Reaction_pool_alloc_batch(pool, r, 10) == 5);
  CHECK(r[4] != NULL && r[5] == NULL);
  CHECK(social_Reaction_pool_alloc(pool) == NULL); /* at the maximum */
  for (int i = 0; i < 5; i++) CHECK(r[i]->reaction_id == 0 && r[i]->reaction_type == 0);
  CHECK(social_Reaction_pool_free_batch(pool, r, 5) == P2F_OK);
  p2f_pool_stats stats;
  p2f_pool_get_stats(pool, &stats);
  CHECK(stats.live == 0 && stats.capacity == 5);
  CHECK(social_Reaction_pool_alloc_batch(pool, NULL, 3) == 0);
  CHECK(social_Reaction_pool_free_batch(pool, NULL, 3) == P2F_ERR_INVALID_ARGUMENT);
  social_Reaction_pool_destroy(pool);
  CHECK(social_Reaction_pool_create_ex(10, 5, 0) == NULL); /* maximum below initial */
}

static void test_thread_safe_flag(void) {
  p2f_pool *pool = social_Comment_pool_create_ex(4, 0, P2F_POOL_THREAD_SAFE);
  CHECK(pool != NULL);
  if (pool == NULL) return;
  social_Comment *c[100];
  CHECK(social_Comment_pool_alloc_batch(pool, c, 100) == 100);
  c[7]->comment_id = 7;
  CHECK(social_Comment_pool_free_batch(pool, c, 100) == P2F_OK);
  p2f_pool_stats stats;
  p2f_pool_get_stats(pool, &stats);
  CHECK(stats.live == 0);
  social_Comment_pool_destroy(pool);
}

int main(void) {
  test_alloc_initialises();
  test_batches_and_maximum();
  test_thread_safe_flag();
  return CHECK_REPORT();
}
