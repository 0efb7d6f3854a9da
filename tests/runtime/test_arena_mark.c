/* Unit tests of p2f_arena_mark / p2f_arena_rewind and p2f_arena_realloc (runtime/src/arena.c):
 * rewinding inside the first block, across heap chunks (freed, so valgrind and ASan see no
 * leak), with a chunk that reset kept, with a request in a chunk of its own, nested marks;
 * realloc in place at the end of the current block, by copy elsewhere, shrinking, from NULL,
 * at the byte limit (the old block intact), and its argument checks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../support/check.h"

#include "proto2ffi/arena.h"

static p2f_arena_stats stats_of(const p2f_arena *a) {
  p2f_arena_stats s;
  p2f_arena_get_stats(a, &s);
  return s;
}

static int same_usage(const p2f_arena_stats *x, const p2f_arena_stats *y) {
  return x->allocated == y->allocated && x->reserved == y->reserved && x->chunks == y->chunks;
}

static void fill(void *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) ((unsigned char *)p)[i] = (unsigned char)(seed * 31u + i * 7u + 1u);
}

static int holds(const void *p, size_t n, unsigned seed) {
  for (size_t i = 0; i < n; i++) {
    if (((const unsigned char *)p)[i] != (unsigned char)(seed * 31u + i * 7u + 1u)) return 0;
  }
  return 1;
}

/* Rewind inside the first block: the next allocation gets the bytes back. */
static void test_rewind_first_block(void) {
  _Alignas(16) unsigned char block[1024];
  p2f_arena a;
  p2f_arena_config cfg = {block, sizeof block, sizeof block, 0, 0}; /* no heap at all */
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  void *keep = p2f_arena_alloc(&a, 40);
  fill(keep, 40, 1);
  p2f_arena_stats before = stats_of(&a);
  p2f_arena_marker m = p2f_arena_mark(&a);
  void *first = p2f_arena_alloc(&a, 100);
  CHECK(first != NULL && p2f_arena_alloc(&a, 200) != NULL);
  CHECK(stats_of(&a).allocated == 340);
  p2f_arena_rewind(&a, &m);
  p2f_arena_stats after = stats_of(&a);
  CHECK(same_usage(&before, &after));
  CHECK(after.allocated == 40 && after.high_water == 340);
  CHECK(p2f_arena_alloc(&a, 100) == first); /* the same bytes again */
  CHECK(holds(keep, 40, 1));                /* what came before the mark is untouched */
  /* Rewinding to the same mark twice is allowed. */
  p2f_arena_rewind(&a, &m);
  CHECK(stats_of(&a).allocated == 40);
  /* The whole block can be used again after a rewind: 984 bytes are left. */
  CHECK(p2f_arena_alloc_aligned(&a, 1024 - 40, 1) != NULL);
  CHECK(p2f_arena_alloc_aligned(&a, 1, 1) == NULL && p2f_arena_last_error(&a) == P2F_ERR_ARENA_LIMIT);
  p2f_arena_rewind(&a, &m);
  CHECK(stats_of(&a).allocated == 40);
  p2f_arena_destroy(&a);
}

/* Rewind across heap chunks: the chunks obtained after the mark are freed. */
static void test_rewind_chunks(void) {
  p2f_arena a;
  p2f_arena_config cfg = {NULL, 0, 0, 256, 0};
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  void *keep = p2f_arena_alloc(&a, 64);
  fill(keep, 64, 2);
  p2f_arena_stats before = stats_of(&a);
  CHECK(before.chunks == 1 && before.reserved == 256);
  p2f_arena_marker m = p2f_arena_mark(&a);
  for (unsigned i = 0; i < 100; i++) {
    void *p = p2f_arena_alloc(&a, 100);
    CHECK(p != NULL);
    if (p) fill(p, 100, i);
  }
  void *big = p2f_arena_alloc(&a, 64 * 1024); /* a chunk of its own */
  CHECK(big != NULL);
  p2f_arena_stats mid = stats_of(&a);
  CHECK(mid.chunks > 3 && mid.reserved > 64 * 1024);
  p2f_arena_rewind(&a, &m);
  p2f_arena_stats after = stats_of(&a);
  CHECK(same_usage(&before, &after));
  CHECK(after.chunk_allocs == mid.chunk_allocs); /* counters do not go back */
  CHECK(holds(keep, 64, 2));
  /* The doubling starts again from where it was: the next chunk is 512 bytes. */
  CHECK(p2f_arena_alloc(&a, 200) != NULL && p2f_arena_alloc(&a, 100) != NULL);
  CHECK(stats_of(&a).reserved == 256 + 512);
  p2f_arena_destroy(&a); /* valgrind/ASan: the rewound chunks were freed, the rest is here */
}

/* The chunk reset keeps: taken into use after the mark, it is kept again on rewind. */
static void test_rewind_spare(void) {
  p2f_arena a;
  p2f_arena_config cfg = {NULL, 0, 0, 128, 0};
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  CHECK(p2f_arena_alloc(&a, 100) != NULL);
  p2f_arena_reset(&a); /* keeps the 128-byte chunk */
  p2f_arena_stats before = stats_of(&a);
  CHECK(before.chunks == 1 && before.allocated == 0);
  size_t allocs = before.chunk_allocs;
  p2f_arena_marker m = p2f_arena_mark(&a);
  CHECK(p2f_arena_alloc(&a, 64) != NULL); /* from the spare chunk */
  CHECK(stats_of(&a).chunk_allocs == allocs);
  CHECK(p2f_arena_alloc(&a, 100) != NULL); /* a new chunk */
  CHECK(stats_of(&a).chunk_allocs == allocs + 1);
  p2f_arena_rewind(&a, &m);
  p2f_arena_stats after = stats_of(&a);
  CHECK(same_usage(&before, &after));
  /* The spare serves again without a new chunk. */
  CHECK(p2f_arena_alloc(&a, 64) != NULL);
  CHECK(stats_of(&a).chunk_allocs == allocs + 1);
  p2f_arena_destroy(&a);
}

static void test_nested_marks(void) {
  _Alignas(16) unsigned char block[256];
  p2f_arena a;
  p2f_arena_config cfg = {block, sizeof block, 0, 0, 0};
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  p2f_arena_marker outer = p2f_arena_mark(&a);
  unsigned char *x = (unsigned char *)p2f_arena_alloc(&a, 32);
  fill(x, 32, 3);
  p2f_arena_marker inner = p2f_arena_mark(&a);
  CHECK(p2f_arena_alloc(&a, 1000) != NULL); /* heap */
  CHECK(stats_of(&a).chunks == 1);
  p2f_arena_rewind(&a, &inner);
  CHECK(stats_of(&a).allocated == 32 && stats_of(&a).chunks == 0);
  CHECK(holds(x, 32, 3));
  p2f_arena_rewind(&a, &outer);
  CHECK(stats_of(&a).allocated == 0);
  CHECK(p2f_arena_alloc(&a, 32) == x);
  /* NULL arguments do nothing. */
  p2f_arena_rewind(NULL, &outer);
  p2f_arena_rewind(&a, NULL);
  CHECK(stats_of(&a).allocated == 32);
  p2f_arena_marker z = p2f_arena_mark(NULL);
  CHECK(z.ptr == NULL && z.allocated == 0);
  p2f_arena_destroy(&a);
}

static void test_realloc(void) {
  _Alignas(16) unsigned char block[512];
  p2f_arena a;
  p2f_arena_config cfg = {block, sizeof block, 0, 0, 0};
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  /* The last allocation grows in place. */
  unsigned char *p = (unsigned char *)p2f_arena_alloc(&a, 16);
  fill(p, 16, 4);
  unsigned char *q = (unsigned char *)p2f_arena_realloc(&a, p, 16, 64, 8);
  CHECK(q == p && holds(q, 16, 4));
  CHECK(stats_of(&a).allocated == 64);
  /* ... and shrinks in place: the next allocation starts right after the new size. */
  q = (unsigned char *)p2f_arena_realloc(&a, p, 64, 24, 8);
  CHECK(q == p && stats_of(&a).allocated == 24);
  unsigned char *next = (unsigned char *)p2f_arena_alloc_aligned(&a, 8, 1);
  CHECK(next == p + 24);
  /* No longer the last: growing copies, the old block stays readable. */
  fill(p, 24, 5);
  q = (unsigned char *)p2f_arena_realloc(&a, p, 24, 48, 8);
  CHECK(q != NULL && q != p && q >= next + 8 && holds(q, 24, 5) && holds(p, 24, 5));
  CHECK(((uintptr_t)q & 7u) == 0);
  /* Shrinking what is not last returns the same pointer and frees nothing. */
  size_t used = stats_of(&a).allocated;
  CHECK(p2f_arena_realloc(&a, p, 24, 8, 8) == p && stats_of(&a).allocated == used);
  /* Growing past the current block moves to a heap chunk. */
  fill(q, 48, 6);
  unsigned char *r = (unsigned char *)p2f_arena_realloc(&a, q, 48, 2000, 8);
  CHECK(r != NULL && r != q && holds(r, 48, 6));
  CHECK(stats_of(&a).chunks == 1);
  /* From NULL it allocates; NULL with a size is an argument error. */
  CHECK(p2f_arena_realloc(&a, NULL, 0, 10, 4) != NULL);
  size_t failed = stats_of(&a).failed;
  CHECK(p2f_arena_realloc(&a, NULL, 5, 10, 4) == NULL && p2f_arena_last_error(&a) == P2F_ERR_INVALID_ARGUMENT);
  CHECK(p2f_arena_realloc(&a, r, 48, 100, 3) == NULL && p2f_arena_last_error(&a) == P2F_ERR_INVALID_ARGUMENT);
  CHECK(stats_of(&a).failed == failed + 2);
  CHECK(p2f_arena_realloc(NULL, r, 48, 100, 8) == NULL);
  p2f_arena_destroy(&a);
}

/* At the limit: realloc fails with P2F_ERR_ARENA_LIMIT and the old block is intact. */
static void test_realloc_limit(void) {
  _Alignas(16) unsigned char block[256];
  p2f_arena a;
  p2f_arena_config cfg = {block, sizeof block, sizeof block, 0, 0};
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  unsigned char *p = (unsigned char *)p2f_arena_alloc(&a, 100);
  fill(p, 100, 7);
  CHECK(p2f_arena_realloc(&a, p, 100, 256, 8) == p); /* exactly the block */
  CHECK(p2f_arena_realloc(&a, p, 256, 257, 8) == NULL && p2f_arena_last_error(&a) == P2F_ERR_ARENA_LIMIT);
  CHECK(holds(p, 100, 7) && stats_of(&a).allocated == 256);
  /* Doubling an array element by element stays in place while nothing else is allocated. */
  p2f_arena_reset(&a);
  uint32_t *arr = NULL;
  size_t cap = 0, moves = 0;
  for (uint32_t i = 0; i < 60; i++) {
    if (i == cap) {
      size_t ncap = cap ? cap * 2 : 4;
      uint32_t *n = (uint32_t *)p2f_arena_realloc(&a, arr, cap * 4, ncap * 4, 4);
      CHECK(n != NULL);
      if (n == NULL) break;
      if (arr != NULL && n != arr) moves++;
      arr = n;
      cap = ncap;
    }
    arr[i] = i * 3u;
  }
  CHECK(moves == 0 && cap == 64);
  int ok = 1;
  for (uint32_t i = 0; arr && i < 60; i++) ok &= arr[i] == i * 3u;
  CHECK(ok);
  p2f_arena_destroy(&a);
}

int main(void) {
  test_rewind_first_block();
  test_rewind_chunks();
  test_rewind_spare();
  test_nested_marks();
  test_realloc();
  test_realloc_limit();
  return CHECK_REPORT();
}
