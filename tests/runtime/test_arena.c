/* Unit tests of p2f_arena (runtime/src/arena.c): first-block-only operation, the byte limit,
 * alignment, reset and reuse, exact statistics, sizes that cannot be satisfied, and many
 * allocations checked for content. Expected chunk figures follow the rules arena.h
 * documents: a P2F_ARENA_CHUNK_HEADER-byte header at the start of each 16-aligned chunk,
 * chunk sizes doubling from config.chunk_size, requests above half the next chunk in a chunk
 * of their own, the last chunk cut to what the limit leaves. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../support/check.h"

#include "proto2ffi/arena.h"

#define GUARD 0xA5
#define FRESH 0x5A
#define HDR P2F_ARENA_CHUNK_HEADER

static p2f_arena_stats stats_of(const p2f_arena *a) {
  p2f_arena_stats s;
  p2f_arena_get_stats(a, &s);
  return s;
}

static unsigned char pattern(size_t alloc, size_t byte) { return (unsigned char)(alloc * 131u + byte * 7u + 1u); }

static void fill(void *p, size_t n, size_t alloc) {
  for (size_t i = 0; i < n; i++) ((unsigned char *)p)[i] = pattern(alloc, i);
}

static int holds(const void *p, size_t n, size_t alloc) {
  for (size_t i = 0; i < n; i++) {
    if (((const unsigned char *)p)[i] != pattern(alloc, i)) return 0;
  }
  return 1;
}

static int all_bytes(const unsigned char *p, size_t n, unsigned char v) {
  for (size_t i = 0; i < n; i++) {
    if (p[i] != v) return 0;
  }
  return 1;
}

static int is_aligned(const void *p, size_t align) { return ((uintptr_t)p & (align - 1)) == 0; }

/* A caller block between two guard zones; the block itself starts FRESH. */
typedef struct guarded {
  _Alignas(64) unsigned char mem[64 + 1024 + 64];
} guarded;

static unsigned char *guarded_setup(guarded *g, size_t block) {
  memset(g->mem, GUARD, sizeof g->mem);
  memset(g->mem + 64, FRESH, block);
  return g->mem + 64;
}

static int guards_intact(const guarded *g, size_t block) {
  return all_bytes(g->mem, 64, GUARD) && all_bytes(g->mem + 64 + block, sizeof g->mem - 64 - block, GUARD);
}

static void test_first_block_only(void) {
  guarded g;
  unsigned char *block = guarded_setup(&g, 1024);
  p2f_arena a;
  p2f_arena_config cfg = {block, 1024, 0, 0, 0};
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  /* 30 allocations of 1..30 bytes, default alignment: at most 30 * 37 bytes with padding. */
  void *ptrs[30];
  size_t total = 0;
  for (size_t i = 0; i < 30; i++) {
    ptrs[i] = p2f_arena_alloc(&a, i + 1);
    CHECK(ptrs[i] != NULL);
    if (ptrs[i] == NULL) return;
    CHECK((unsigned char *)ptrs[i] >= block && (unsigned char *)ptrs[i] + i + 1 <= block + 1024);
    fill(ptrs[i], i + 1, i);
    total += i + 1;
  }
  for (size_t i = 0; i < 30; i++) CHECK(holds(ptrs[i], i + 1, i));
  p2f_arena_stats s = stats_of(&a);
  CHECK(s.allocated == total);
  CHECK(s.chunk_allocs == 0);
  CHECK(s.chunks == 0);
  CHECK(s.reserved == 1024);
  CHECK(s.failed == 0);
  CHECK(p2f_arena_last_error(&a) == P2F_OK);
  CHECK(guards_intact(&g, 1024));
  p2f_arena_destroy(&a); /* must not free the caller's block */
  CHECK(guards_intact(&g, 1024));
}

/* limit == first block size: the heap is never used, and the block's end is exact. */
static void test_limit_first_block(void) {
  guarded g;
  unsigned char *block = guarded_setup(&g, 1000);
  p2f_arena a;
  p2f_arena_config cfg = {block, 1000, 1000, 0, 0};
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  void *ptrs[64];
  size_t n = 0;
  while (n < 64) {
    void *p = p2f_arena_alloc(&a, 24);
    if (p == NULL) break;
    fill(p, 24, n);
    ptrs[n++] = p;
  }
  /* block is 64-aligned: 24-byte blocks at 0, 24, ..., 960; the 42nd (1008 bytes) fails. */
  CHECK(n == 41);
  CHECK(p2f_arena_last_error(&a) == P2F_ERR_ARENA_LIMIT);
  /* A copy that does not fit writes nothing: the last 16 bytes stay FRESH. */
  CHECK(p2f_arena_strdup(&a, "0123456789abcdef", 16) == NULL);
  CHECK(p2f_arena_memdup(&a, "0123456789abcdefg", 17) == NULL);
  CHECK(all_bytes(block + 984, 16, FRESH));
  /* 16 bytes still fit exactly: the block is used to its last byte. */
  unsigned char *tail = (unsigned char *)p2f_arena_alloc_aligned(&a, 16, 1);
  CHECK(tail == block + 984);
  if (tail != NULL) memset(tail, 0xEE, 16);
  CHECK(p2f_arena_alloc_aligned(&a, 1, 1) == NULL);
  CHECK(p2f_arena_alloc(&a, 0) == NULL); /* even a zero-size request takes a byte */
  CHECK(p2f_arena_last_error(&a) == P2F_ERR_ARENA_LIMIT);
  for (size_t i = 0; i < n; i++) CHECK(holds(ptrs[i], 24, i));
  CHECK(guards_intact(&g, 1000));
  p2f_arena_stats s = stats_of(&a);
  CHECK(s.allocated == 41 * 24 + 16);
  CHECK(s.chunk_allocs == 0);
  CHECK(s.reserved == 1000);
  CHECK(s.failed == 5);
  p2f_arena_destroy(&a);
}

/* A limit over heap chunks: the last chunk is cut to what the limit leaves. */
static void test_limit_heap(void) {
  p2f_arena a;
  p2f_arena_config cfg = {NULL, 0, 3000, 1024, 0};
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  size_t n = 0;
  void *ptrs[64];
  while (n < 64) {
    void *p = p2f_arena_alloc(&a, 100);
    if (p == NULL) break;
    fill(p, 100, n);
    ptrs[n++] = p;
    CHECK(stats_of(&a).reserved <= 3000);
  }
  /* Chunk 1: 1024 bytes, 9 blocks of 100 at a 104-byte stride after the header. Chunk 2
   * would be 2048 but 1976 remain: cut to 1968, which holds 18. */
  CHECK(n == 27);
  CHECK(p2f_arena_last_error(&a) == P2F_ERR_ARENA_LIMIT);
  p2f_arena_stats s = stats_of(&a);
  CHECK(s.reserved == 1024 + 1968);
  CHECK(s.chunks == 2);
  CHECK(s.chunk_allocs == 2);
  CHECK(s.allocated == 2700);
  CHECK(s.failed == 1);
  CHECK(p2f_arena_alloc(&a, 2000) == NULL); /* a chunk of its own would pass the limit too */
  CHECK(p2f_arena_alloc(&a, SIZE_MAX) == NULL);
  CHECK(p2f_arena_last_error(&a) == P2F_ERR_ARENA_LIMIT);
  CHECK(stats_of(&a).chunk_allocs == 2);
  for (size_t i = 0; i < n; i++) CHECK(holds(ptrs[i], 100, i));
  /* reset frees the smaller chunk: its budget comes back. */
  p2f_arena_reset(&a);
  s = stats_of(&a);
  CHECK(s.reserved == 1968 && s.chunks == 1);
  CHECK(p2f_arena_last_error(&a) == P2F_OK);
  p2f_arena_destroy(&a);
}

static void test_alignment(void) {
  static unsigned char raw[8192 + 1];
  for (int odd = 0; odd < 2; odd++) {
    p2f_arena a;
    /* An odd first block address and a small first chunk: alignment from padding and from
     * chunks of their own. */
    p2f_arena_config cfg = {raw + odd, 8192, 0, 256, 0};
    CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
    for (int round = 0; round < 3; round++) {
      for (size_t align = 1; align <= P2F_ARENA_MAX_ALIGN; align *= 2) {
        for (size_t size = 0; size < 40; size += 13) {
          void *p = p2f_arena_alloc_aligned(&a, size, align);
          CHECK(p != NULL && is_aligned(p, align));
          if (p != NULL) memset(p, 1, size);
          void *q = p2f_arena_alloc_aligned_inline(&a, size + 1, align);
          CHECK(q != NULL && is_aligned(q, align));
          if (q != NULL) memset(q, 2, size + 1);
        }
        CHECK(is_aligned(p2f_arena_alloc(&a, 3), P2F_ARENA_DEFAULT_ALIGN));
        CHECK(is_aligned(p2f_arena_alloc_inline(&a, 5), P2F_ARENA_DEFAULT_ALIGN));
      }
    }
    CHECK(stats_of(&a).chunk_allocs > 0); /* the rounds went past the first block */
    CHECK(stats_of(&a).failed == 0);
    static const size_t bad[] = {0, 3, 6, 24, P2F_ARENA_MAX_ALIGN * 2, SIZE_MAX};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
      CHECK(p2f_arena_alloc_aligned(&a, 8, bad[i]) == NULL);
      CHECK(p2f_arena_last_error(&a) == P2F_ERR_INVALID_ARGUMENT);
      CHECK(p2f_arena_alloc_aligned_inline(&a, 8, bad[i]) == NULL);
    }
    CHECK(stats_of(&a).failed == 2 * (sizeof bad / sizeof bad[0]));
    p2f_arena_destroy(&a);
  }
}

/* Every figure of a known sequence, from the rules in arena.h. */
static void test_stats_exact(void) {
  p2f_arena a;
  p2f_arena_config cfg = {NULL, 0, 0, 1024, 0};
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  p2f_arena_stats s = stats_of(&a);
  CHECK(s.allocated == 0 && s.reserved == 0 && s.chunks == 0 && s.chunk_allocs == 0);

  unsigned char *p100 = (unsigned char *)p2f_arena_alloc(&a, 100);
  s = stats_of(&a);
  CHECK(p100 != NULL && is_aligned(p100 - HDR, 16));
  CHECK(s.allocated == 100 && s.reserved == 1024 && s.chunks == 1 && s.chunk_allocs == 1);
  /* 900 fits the same chunk after 4 bytes of padding: 16 + 104 + 900 = 1020 <= 1024. */
  unsigned char *p900 = (unsigned char *)p2f_arena_alloc(&a, 900);
  CHECK(p900 == p100 + 104);
  s = stats_of(&a);
  CHECK(s.allocated == 1000 && s.reserved == 1024 && s.chunk_allocs == 1);
  /* 10 does not (4 bytes left): the next chunk, 2048 bytes. */
  unsigned char *p10 = (unsigned char *)p2f_arena_alloc(&a, 10);
  s = stats_of(&a);
  CHECK(p10 != NULL && is_aligned(p10 - HDR, 16));
  CHECK(s.reserved == 3072 && s.chunks == 2 && s.chunk_allocs == 2);
  /* 3000 is more than half the next chunk (4096): a chunk of its own of 16 + 3000 rounded to
   * 16 = 3024 bytes, and the 2048-byte chunk stays current. */
  unsigned char *big = (unsigned char *)p2f_arena_alloc(&a, 3000);
  s = stats_of(&a);
  CHECK(big != NULL && is_aligned(big - HDR, 16));
  CHECK(s.reserved == 3072 + 3024 && s.chunks == 3 && s.chunk_allocs == 3);
  unsigned char *p8 = (unsigned char *)p2f_arena_alloc(&a, 8);
  CHECK(p8 == p10 + 16);
  CHECK(p2f_arena_alloc_aligned(&a, 8, 3) == NULL);
  s = stats_of(&a);
  CHECK(s.allocated == 100 + 900 + 10 + 3000 + 8);
  CHECK(s.high_water == s.allocated);
  CHECK(s.failed == 1);
  CHECK(p2f_arena_last_error(&a) == P2F_ERR_INVALID_ARGUMENT);

  /* reset keeps the largest chunk, the 3024-byte one. */
  p2f_arena_reset(&a);
  s = stats_of(&a);
  CHECK(s.allocated == 0 && s.high_water == 4018 && s.reserved == 3024 && s.chunks == 1);
  CHECK(s.chunk_allocs == 3 && s.failed == 1);
  CHECK(p2f_arena_last_error(&a) == P2F_OK);
  /* Reused, not allocated again: the same address. */
  CHECK(p2f_arena_alloc(&a, 3000) == big);
  CHECK(stats_of(&a).chunk_allocs == 3);
  /* 8 bytes left there; 100 takes the next chunk of the sequence, 4096 bytes. */
  CHECK(p2f_arena_alloc(&a, 100) != NULL);
  s = stats_of(&a);
  CHECK(s.reserved == 3024 + 4096 && s.chunks == 2 && s.chunk_allocs == 4);
  CHECK(s.allocated == 3100 && s.high_water == 4018);
  p2f_arena_destroy(&a);
}

static void test_reset_reuse(void) {
  /* With a first block: reset starts over at its beginning. */
  guarded g;
  unsigned char *block = guarded_setup(&g, 256);
  p2f_arena a;
  p2f_arena_config cfg = {block, 256, 0, 512, 0};
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  size_t allocs_before = 0;
  for (int round = 0; round < 4; round++) {
    void *first = p2f_arena_alloc(&a, 40);
    CHECK(first == block);
    void *ptrs[100];
    for (size_t i = 0; i < 100; i++) {
      ptrs[i] = p2f_arena_alloc(&a, 40 + i);
      CHECK(ptrs[i] != NULL);
      if (ptrs[i] != NULL) fill(ptrs[i], 40 + i, i + (size_t)round);
    }
    for (size_t i = 0; i < 100; i++) CHECK(ptrs[i] == NULL || holds(ptrs[i], 40 + i, i + (size_t)round));
    /* A round takes about 9.7 kB. Round 0 fills the block and chunks of 512..8192 bytes; reset
     * keeps the 8192-byte one, so round 1 needs one more chunk (16384, the sequence goes on);
     * that one is kept and holds rounds 2 and 3 whole: no chunk allocated at all. */
    size_t allocs = stats_of(&a).chunk_allocs;
    static const size_t want_new[] = {5, 1, 0, 0};
    CHECK(allocs - allocs_before == want_new[round]);
    allocs_before = allocs;
    p2f_arena_reset(&a);
    p2f_arena_stats s = stats_of(&a);
    CHECK(s.chunks == 1);
    CHECK(s.allocated == 0);
    CHECK(s.reserved == 256 + (round == 0 ? 8192u : 16384u));
  }
  CHECK(guards_intact(&g, 256));
  p2f_arena_destroy(&a);
  /* The struct can be initialised again after destroy. */
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK);
  CHECK(p2f_arena_alloc(&a, 10) != NULL);
  p2f_arena_destroy(&a);
}

static void test_huge_sizes(void) {
  unsigned char block[128];
  for (int limited = 0; limited < 2; limited++) {
    p2f_arena a;
    p2f_arena_config cfg = {block, sizeof block, limited ? 4096 : 0, 0, 0};
    CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
    p2f_status want = limited ? P2F_ERR_ARENA_LIMIT : P2F_ERR_OUT_OF_MEMORY;
    static const size_t sizes[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 7, SIZE_MAX - P2F_ARENA_MAX_ALIGN,
                                   SIZE_MAX / 2, SIZE_MAX / 2 + 1, (size_t)PTRDIFF_MAX - 15};
    size_t fails = 0;
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
      CHECK(p2f_arena_alloc(&a, sizes[i]) == NULL);
      CHECK(p2f_arena_last_error(&a) == want);
      CHECK(p2f_arena_alloc_inline(&a, sizes[i]) == NULL);
      CHECK(p2f_arena_alloc_aligned(&a, sizes[i], P2F_ARENA_MAX_ALIGN) == NULL);
      CHECK(p2f_arena_memdup(&a, block, sizes[i]) == NULL);
      CHECK(p2f_arena_strdup(&a, (const char *)block, sizes[i]) == NULL);
      CHECK(p2f_arena_last_error(&a) == want);
      fails += 5;
    }
    p2f_arena_stats s = stats_of(&a);
    CHECK(s.failed == fails);
    CHECK(s.allocated == 0 && s.chunk_allocs == 0 && s.reserved == sizeof block);
    /* The arena still works, from the start of its block. */
    CHECK(p2f_arena_alloc_aligned(&a, 8, 1) == block);
    p2f_arena_destroy(&a);
  }
}

/* Random sizes and alignments, first block then heap, two rounds around a reset. */
static void test_many_allocations(void) {
  enum { N = 20000 };
  void **ptrs = (void **)malloc(N * sizeof *ptrs);
  size_t *sizes = (size_t *)malloc(N * sizeof *sizes);
  CHECK(ptrs != NULL && sizes != NULL);
  if (ptrs == NULL || sizes == NULL) {
    free(ptrs);
    free(sizes);
    return;
  }
  static unsigned char block[512];
  p2f_arena *a = p2f_arena_new(block, sizeof block, 0);
  CHECK(a != NULL);
  if (a == NULL) {
    free(ptrs);
    free(sizes);
    return;
  }
  uint32_t rng = 12345;
  for (int round = 0; round < 2; round++) {
    size_t total = 0, done = 0;
    for (size_t i = 0; i < N; i++) {
      rng = rng * 1103515245u + 12345u;
      size_t size = (rng >> 8) % 301u;
      if ((rng & 0xFFu) == 0) size = 5000 + (rng >> 20); /* now and then a chunk of its own */
      size_t align = (size_t)1 << ((rng >> 4) % 7u);
      void *p = (i & 1) ? p2f_arena_alloc_aligned_inline(a, size, align) : p2f_arena_alloc_aligned(a, size, align);
      CHECK(p != NULL && is_aligned(p, align));
      if (p == NULL) break;
      fill(p, size, i);
      ptrs[i] = p;
      sizes[i] = size;
      total += size;
      done++;
    }
    CHECK(done == N);
    size_t bad = 0;
    for (size_t i = 0; i < done; i++) bad += !holds(ptrs[i], sizes[i], i);
    CHECK(bad == 0);
    p2f_arena_stats s = stats_of(a);
    CHECK(s.allocated == total);
    CHECK(s.reserved >= total);
    CHECK(s.failed == 0);
    p2f_arena_reset(a);
  }
  p2f_arena_destroy(a);
  free(ptrs);
  free(sizes);
}

static void test_copies_and_zero(void) {
  p2f_arena a;
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK);
  char *s = p2f_arena_strdup(&a, "a\0b", 3);
  CHECK(s != NULL && memcmp(s, "a\0b\0", 4) == 0);
  unsigned char *m = (unsigned char *)p2f_arena_memdup(&a, "xyz", 3);
  CHECK(m != NULL && memcmp(m, "xyz", 3) == 0);
  CHECK(stats_of(&a).allocated == 4 + 3);
  /* Byte-aligned: the memdup follows the strdup directly. */
  CHECK(m == (unsigned char *)s + 4);
  char *e = p2f_arena_strdup(&a, NULL, 0);
  CHECK(e != NULL && e[0] == '\0');
  CHECK(p2f_arena_memdup(&a, NULL, 0) != NULL);
  CHECK(p2f_arena_memdup(&a, NULL, 4) == NULL);
  CHECK(p2f_arena_last_error(&a) == P2F_ERR_INVALID_ARGUMENT);
  CHECK(p2f_arena_strdup(&a, NULL, 4) == NULL);
  /* Zero-size requests: distinct pointers, nothing counted. */
  void *z1 = p2f_arena_alloc(&a, 0);
  void *z2 = p2f_arena_alloc(&a, 0);
  CHECK(z1 != NULL && z2 != NULL && z1 != z2);
  CHECK(stats_of(&a).allocated == 4 + 3 + 1);
  p2f_arena_destroy(&a);

  /* A zero-filled struct is an empty arena with default chunks. */
  p2f_arena zero;
  memset(&zero, 0, sizeof zero);
  void *p = p2f_arena_alloc(&zero, 100);
  CHECK(p != NULL);
  CHECK(stats_of(&zero).reserved == P2F_ARENA_DEFAULT_CHUNK_SIZE);
  p2f_arena_destroy(&zero);
}

static void test_arguments(void) {
  unsigned char block[64];
  p2f_arena a;
  p2f_arena_config c;
  CHECK(p2f_arena_init(NULL, NULL) == P2F_ERR_INVALID_ARGUMENT);
  c = (p2f_arena_config){NULL, 16, 0, 0, 0};
  CHECK(p2f_arena_init(&a, &c) == P2F_ERR_INVALID_ARGUMENT);
  c = (p2f_arena_config){block, 64, 63, 0, 0};
  CHECK(p2f_arena_init(&a, &c) == P2F_ERR_INVALID_ARGUMENT);
  c = (p2f_arena_config){NULL, 0, 0, 32, 0};
  CHECK(p2f_arena_init(&a, &c) == P2F_ERR_INVALID_ARGUMENT);
  c = (p2f_arena_config){NULL, 0, 0, 8192, 4096};
  CHECK(p2f_arena_init(&a, &c) == P2F_ERR_INVALID_ARGUMENT);
  c = (p2f_arena_config){NULL, 0, 0, SIZE_MAX, 0};
  CHECK(p2f_arena_init(&a, &c) == P2F_ERR_INVALID_ARGUMENT);
  c = (p2f_arena_config){block, 64, 64, 64, 64};
  CHECK(p2f_arena_init(&a, &c) == P2F_OK);
  p2f_arena_destroy(&a);

  p2f_arena *h = (p2f_arena *)&a;
  c = (p2f_arena_config){NULL, 16, 0, 0, 0};
  CHECK(p2f_arena_create(&c, &h) == P2F_ERR_INVALID_ARGUMENT && h == NULL);
  CHECK(p2f_arena_create(NULL, NULL) == P2F_ERR_INVALID_ARGUMENT);
  CHECK(p2f_arena_new(NULL, 16, 0) == NULL);
  CHECK(p2f_arena_create(NULL, &h) == P2F_OK && h != NULL);
  CHECK(p2f_arena_alloc(h, 1) != NULL);
  p2f_arena_destroy(h);

  CHECK(p2f_arena_alloc(NULL, 1) == NULL);
  CHECK(p2f_arena_alloc_inline(NULL, 1) == NULL);
  CHECK(p2f_arena_memdup(NULL, "x", 1) == NULL);
  CHECK(p2f_arena_strdup(NULL, "x", 1) == NULL);
  CHECK(p2f_arena_last_error(NULL) == P2F_ERR_INVALID_ARGUMENT);
  p2f_arena_stats s;
  memset(&s, 0xFF, sizeof s);
  p2f_arena_get_stats(NULL, &s);
  CHECK(s.allocated == 0 && s.reserved == 0 && s.failed == 0);
  p2f_arena_reset(NULL);
  p2f_arena_destroy(NULL);
}

int main(void) {
  test_first_block_only();
  test_limit_first_block();
  test_limit_heap();
  test_alignment();
  test_stats_exact();
  test_reset_reuse();
  test_huge_sizes();
  test_many_allocations();
  test_copies_and_zero();
  test_arguments();
  return CHECK_REPORT();
}
