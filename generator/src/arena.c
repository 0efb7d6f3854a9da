/* Checked allocation and the arena (see arena.h). */
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bigblock.h"

typedef struct gen_arena_block {
  struct gen_arena_block *next;
  size_t used;
  size_t cap;
  size_t mapped; /* non-zero: the block came from gen_bigblock_alloc with this size */
  _Alignas(16) unsigned char data[];
} gen_arena_block;

struct gen_arena {
  gen_arena_block *head;
  size_t next_cap; /* block sizes double up to ARENA_MAX_BLOCK */
};

/* 64 KiB first, then 2, 4, 8, 16 MiB: few blocks, and the large ones are big blocks. */
enum { ARENA_FIRST_BLOCK = 64 * 1024, ARENA_MAX_BLOCK = 8 * GEN_BIGBLOCK_MIN };

_Noreturn void gen_oom(void) {
  fputs("protoc-gen-c-ffi: out of memory\n", stderr);
  exit(1);
}

void *gen_xmalloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (p == NULL) gen_oom();
  return p;
}

void *gen_xrealloc(void *p, size_t size) {
  void *q = realloc(p, size ? size : 1);
  if (q == NULL) gen_oom();
  return q;
}

gen_arena *gen_arena_new(void) {
  gen_arena *a = gen_xmalloc(sizeof *a);
  a->head = NULL;
  a->next_cap = ARENA_FIRST_BLOCK;
  return a;
}

void gen_arena_free(gen_arena *a) {
  if (a == NULL) return;
  gen_arena_block *b = a->head;
  while (b != NULL) {
    gen_arena_block *next = b->next;
    if (b->mapped) gen_bigblock_free(b, b->mapped);
    else free(b);
    b = next;
  }
  free(a);
}

/* gen_alloc without the zeroing, for strings that are written in full. */
static void *alloc_raw(gen_arena *a, size_t size) {
  size = (size + 15u) & ~(size_t)15u;
  gen_arena_block *b = a->head;
  if (b == NULL || b->cap - b->used < size) {
    size_t cap = size > a->next_cap ? size : a->next_cap;
    size_t mapped = 0;
    if (a->next_cap < ARENA_MAX_BLOCK) {
      a->next_cap *= 2;
      if (a->next_cap < GEN_BIGBLOCK_MIN) a->next_cap = GEN_BIGBLOCK_MIN;
    }
    if (cap >= GEN_BIGBLOCK_MIN) {
      size_t bytes = sizeof *b + cap;
      b = gen_bigblock_alloc(&bytes, &mapped);
      if (b == NULL) gen_oom();
      cap = bytes - sizeof *b;
    } else {
      b = gen_xmalloc(sizeof *b + cap);
    }
    b->mapped = mapped;
    b->cap = cap;
    b->used = 0;
    b->next = a->head;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += size;
  return p;
}

void *gen_alloc(gen_arena *a, size_t size) {
  void *p = alloc_raw(a, size);
  memset(p, 0, size);
  return p;
}

char *gen_strndup(gen_arena *a, const char *s, size_t n) {
  char *p = alloc_raw(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *gen_strdup(gen_arena *a, const char *s) { return gen_strndup(a, s, strlen(s)); }

char *gen_strcat3(gen_arena *a, const char *x, const char *y, const char *z) {
  size_t lx = strlen(x), ly = strlen(y), lz = strlen(z);
  char *p = alloc_raw(a, lx + ly + lz + 1);
  memcpy(p, x, lx);
  memcpy(p + lx, y, ly);
  memcpy(p + lx + ly, z, lz);
  p[lx + ly + lz] = '\0';
  return p;
}
