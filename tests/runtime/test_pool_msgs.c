/* p2f_pool_alloc_msgs / p2f_pool_free_msgs, the bodies behind every generated
 * T_pool_alloc_batch / T_pool_free_batch: typed pointer arrays, init on each slot, the
 * NULL-array rules, exhaustion part-way, NULL entries, and the first error of a checked
 * pool (linked with proto2ffi_checked) after every slot was tried. */
#include <stdint.h>
#include <string.h>

#include "../support/check.h"
#include "proto2ffi/pool.h"

typedef struct item {
  uint64_t tag;
  char text[24];
} item;

static int inits;
static void init_item(void *p) {
  item *it = p;
  memset(it, 0, sizeof *it);
  it->tag = 0xabcdu;
  inits++;
}

static void test_alloc_and_free(void) {
  p2f_pool *pool = p2f_pool_new(sizeof(item), _Alignof(item), 4, 5, 0);
  CHECK(pool != NULL);
  item *out[8];
  for (size_t i = 0; i < 8; i++) out[i] = NULL;
  inits = 0;
  CHECK(p2f_pool_alloc_msgs(pool, out, 8, init_item) == 5); /* max_slots 5 */
  CHECK(inits == 5);
  for (size_t i = 0; i < 5; i++) {
    CHECK(out[i] != NULL && out[i]->tag == 0xabcdu);
    for (size_t k = 0; k < i; k++) CHECK(out[k] != out[i]);
  }
  CHECK(out[5] == NULL && out[6] == NULL && out[7] == NULL); /* untouched past the count */
  p2f_pool_stats st;
  p2f_pool_get_stats(pool, &st);
  CHECK(st.live == 5);
  out[5] = NULL; /* NULL entries are skipped */
  CHECK(p2f_pool_free_msgs(pool, out, 6) == P2F_OK);
  p2f_pool_get_stats(pool, &st);
  CHECK(st.live == 0);
  /* A NULL init leaves the slots as they are and still fills the array. */
  CHECK(p2f_pool_alloc_msgs(pool, out, 2, NULL) == 2 && out[0] != NULL && out[1] != NULL);
  CHECK(p2f_pool_free_msgs(pool, out, 2) == P2F_OK);
  p2f_pool_destroy(pool);
}

static void test_null_arrays(void) {
  p2f_pool *pool = p2f_pool_new(sizeof(item), _Alignof(item), 4, 0, 0);
  CHECK(pool != NULL);
  inits = 0;
  CHECK(p2f_pool_alloc_msgs(pool, NULL, 3, init_item) == 0 && inits == 0);
  CHECK(p2f_pool_alloc_msgs(pool, NULL, 0, init_item) == 0);
  CHECK(p2f_pool_free_msgs(pool, NULL, 3) == P2F_ERR_INVALID_ARGUMENT);
  CHECK(p2f_pool_free_msgs(pool, NULL, 0) == P2F_OK);
  p2f_pool_stats st;
  p2f_pool_get_stats(pool, &st);
  CHECK(st.live == 0);
  p2f_pool_destroy(pool);
}

static void test_checked_errors(void) {
  p2f_pool *pool = p2f_pool_new(sizeof(item), _Alignof(item), 4, 0, 0);
  CHECK(pool != NULL);
  item *out[3] = {NULL, NULL, NULL};
  CHECK(p2f_pool_alloc_msgs(pool, out, 2, init_item) == 2);
  out[2] = out[0]; /* a double free: reported, the other slots are still freed */
  CHECK(p2f_pool_free_msgs(pool, out, 3) == P2F_ERR_POOL_DOUBLE_FREE);
  p2f_pool_stats st;
  p2f_pool_get_stats(pool, &st);
  CHECK(st.live == 0);
  p2f_pool_destroy(pool);
}

int main(void) {
  test_alloc_and_free();
  test_null_arrays();
  test_checked_errors();
  return CHECK_REPORT();
}
