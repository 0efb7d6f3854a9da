/* Bump arenas (see proto2ffi/arena.h): configuration, the slow allocation path that adds
 * chunks, reset, destroy and statistics. The fast path is inline in the header.
 *
 * Invariants: [ptr, end) is the free part of the current block (the first block or a heap
 * chunk; both NULL before the first block exists); reserved = first_block_size + the sizes of
 * every chunk on `chunks` and `spare`, and reserved <= limit when limit != 0; a request is
 * never larger than ARENA_MAX_REQUEST, so no size sum below can wrap. Names are prefixed
 * arena_/ARENA_ because the runtime also builds as one translation unit. */
#include <stdlib.h>
#include <string.h>

#include "proto2ffi/arena.h"

#include "internal/chunk_alloc.h"

/* Chunks start aligned to this; their header takes the first P2F_ARENA_CHUNK_HEADER bytes.
 * Larger alignments come from padding inside the chunk, never from the allocator: mimalloc
 * 2.0.9 (Debian 12) returns misaligned blocks from mi_malloc_aligned for alignments of 256
 * to 1024 and sizes up to 1 KiB (mimalloc issue #700). */
#define ARENA_CHUNK_ALIGN 16u
#define ARENA_MIN_CHUNK 64u
/* The largest request considered at all: half the address space, below any real allocator's
 * maximum and far enough from SIZE_MAX that size + alignment + rounding cannot wrap. */
#define ARENA_MAX_REQUEST ((size_t)PTRDIFF_MAX - 2u * P2F_ARENA_MAX_ALIGN)
/* p2f_arena.flags: the struct came from p2f_arena_create and destroy frees it. */
#define ARENA_FLAG_HEAP_STRUCT 1u

struct p2f_arena_chunk {
  struct p2f_arena_chunk *next;
  size_t size; /* bytes of the whole chunk, header included */
};
P2F_STATIC_ASSERT(sizeof(struct p2f_arena_chunk) <= P2F_ARENA_CHUNK_HEADER, "chunk header too large");
P2F_STATIC_ASSERT(P2F_ARENA_CHUNK_HEADER <= ARENA_CHUNK_ALIGN, "chunk data must start aligned");

static int arena_is_pow2(size_t v) { return v != 0 && (v & (v - 1)) == 0; }

static size_t arena_round_up(size_t v, size_t align) { return (v + align - 1) & ~(align - 1); }

p2f_status p2f_arena_init(p2f_arena *arena, const p2f_arena_config *config) {
  if (arena == NULL) return P2F_ERR_INVALID_ARGUMENT;
  p2f_arena_config c;
  memset(&c, 0, sizeof c);
  if (config != NULL) c = *config;
  if (c.first_block == NULL && c.first_block_size != 0) return P2F_ERR_INVALID_ARGUMENT;
  if (c.limit != 0 && c.limit < c.first_block_size) return P2F_ERR_INVALID_ARGUMENT;
  if (c.chunk_size == 0) c.chunk_size = P2F_ARENA_DEFAULT_CHUNK_SIZE;
  if (c.chunk_size < ARENA_MIN_CHUNK || c.chunk_size > ARENA_MAX_REQUEST) return P2F_ERR_INVALID_ARGUMENT;
  c.chunk_size = arena_round_up(c.chunk_size, ARENA_CHUNK_ALIGN);
  if (c.max_chunk_size == 0) {
    c.max_chunk_size = c.chunk_size > P2F_ARENA_DEFAULT_MAX_CHUNK_SIZE ? c.chunk_size : P2F_ARENA_DEFAULT_MAX_CHUNK_SIZE;
  }
  if (c.max_chunk_size < c.chunk_size || c.max_chunk_size > ARENA_MAX_REQUEST) return P2F_ERR_INVALID_ARGUMENT;
  c.max_chunk_size = arena_round_up(c.max_chunk_size, ARENA_CHUNK_ALIGN);

  memset(arena, 0, sizeof *arena);
  if (c.first_block_size != 0) {
    arena->first_block = (unsigned char *)c.first_block;
    arena->first_block_size = c.first_block_size;
    arena->ptr = arena->first_block;
    arena->end = arena->first_block + c.first_block_size;
  }
  arena->limit = c.limit;
  arena->reserved = c.first_block_size;
  arena->next_chunk_size = c.chunk_size;
  arena->max_chunk_size = c.max_chunk_size;
  arena->last_error = P2F_OK;
  return P2F_OK;
}

p2f_status p2f_arena_create(const p2f_arena_config *config, p2f_arena **out) {
  if (out == NULL) return P2F_ERR_INVALID_ARGUMENT;
  *out = NULL;
  p2f_arena *arena = (p2f_arena *)malloc(sizeof *arena);
  if (arena == NULL) return P2F_ERR_OUT_OF_MEMORY;
  p2f_status st = p2f_arena_init(arena, config);
  if (st != P2F_OK) {
    free(arena);
    return st;
  }
  arena->flags |= ARENA_FLAG_HEAP_STRUCT;
  *out = arena;
  return P2F_OK;
}

p2f_arena *p2f_arena_new(void *first_block, size_t first_block_size, size_t limit) {
  p2f_arena_config config;
  memset(&config, 0, sizeof config);
  config.first_block = first_block;
  config.first_block_size = first_block_size;
  config.limit = limit;
  p2f_arena *arena = NULL;
  return p2f_arena_create(&config, &arena) == P2F_OK ? arena : NULL;
}

static void arena_free_list(struct p2f_arena_chunk *c, const struct p2f_arena_chunk *except) {
  while (c != NULL) {
    struct p2f_arena_chunk *next = c->next;
    if (c != except) p2f__chunk_free(c);
    c = next;
  }
}

void p2f_arena_destroy(p2f_arena *arena) {
  if (arena == NULL) return;
  arena_free_list(arena->chunks, NULL);
  arena_free_list(arena->spare, NULL);
  if (arena->flags & ARENA_FLAG_HEAP_STRUCT) {
    free(arena);
    return;
  }
  memset(arena, 0, sizeof *arena);
}

/* The fast path's test, for the exported calls: room in the current block, or NULL. */
static void *arena_bump(p2f_arena *arena, size_t size, size_t align) {
  size_t pad = (size_t)(0u - (uintptr_t)arena->ptr) & (align - 1);
  size_t room = (size_t)((uintptr_t)arena->end - (uintptr_t)arena->ptr);
  if (size - 1 >= room || pad > room - size) return NULL;
  unsigned char *p = arena->ptr + pad;
  arena->ptr = p + size;
  return p;
}

static void *arena_fail(p2f_arena *arena, p2f_status st) {
  arena->failed++;
  arena->last_error = st;
  return NULL;
}

/* A request too large for any chunk: over the limit when there is one, else out of memory. */
static p2f_status arena_huge_status(const p2f_arena *arena) {
  return arena->limit != 0 ? P2F_ERR_ARENA_LIMIT : P2F_ERR_OUT_OF_MEMORY;
}

static struct p2f_arena_chunk *arena_new_chunk(p2f_arena *arena, size_t bytes, size_t align) {
  struct p2f_arena_chunk *c = (struct p2f_arena_chunk *)p2f__chunk_alloc(bytes, align);
  if (c == NULL) return NULL;
  c->size = bytes;
  c->next = arena->chunks;
  arena->chunks = c;
  arena->chunk_count++;
  arena->chunk_allocs++;
  arena->reserved += bytes;
  return c;
}

static void arena_use_chunk(p2f_arena *arena, struct p2f_arena_chunk *c) {
  arena->ptr = (unsigned char *)c + P2F_ARENA_CHUNK_HEADER;
  arena->end = (unsigned char *)c + c->size;
}

/* The current block is full: the spare chunk, a chunk of the request's own, or the next
 * chunk of the doubling sequence (cut to what the limit leaves). size >= 1. */
static p2f_status arena_grow(p2f_arena *arena, size_t size, size_t align, void **out) {
  size_t overhead = align > ARENA_CHUNK_ALIGN ? align : ARENA_CHUNK_ALIGN;
  size_t budget = arena->limit != 0 ? arena->limit - arena->reserved : SIZE_MAX;
  if (size > ARENA_MAX_REQUEST) return arena_huge_status(arena);
  /* Bytes of a chunk that holds the request wherever its data starts: the header plus the
   * worst padding is at most `overhead`. */
  size_t need = overhead + size;

  if (arena->spare != NULL && arena->spare->size >= need) {
    struct p2f_arena_chunk *c = arena->spare;
    arena->spare = NULL;
    c->next = arena->chunks;
    arena->chunks = c;
    arena_use_chunk(arena, c);
    *out = arena_bump(arena, size, align);
    return P2F_OK;
  }
  if (arena->next_chunk_size == 0) { /* a zero-filled struct: default sizes */
    arena->next_chunk_size = P2F_ARENA_DEFAULT_CHUNK_SIZE;
    arena->max_chunk_size = P2F_ARENA_DEFAULT_MAX_CHUNK_SIZE;
  }
  size_t next = arena->next_chunk_size;

  if (need > next / 2) {
    /* A chunk of its own; the current block keeps its free space. */
    size_t bytes = arena_round_up(need, ARENA_CHUNK_ALIGN);
    if (bytes > budget) return P2F_ERR_ARENA_LIMIT;
    struct p2f_arena_chunk *c = arena_new_chunk(arena, bytes, ARENA_CHUNK_ALIGN);
    if (c == NULL) return P2F_ERR_OUT_OF_MEMORY;
    unsigned char *data = (unsigned char *)c + P2F_ARENA_CHUNK_HEADER;
    *out = data + ((size_t)(0u - (uintptr_t)data) & (align - 1));
    return P2F_OK;
  }
  size_t bytes = next;
  int grows = 1;
  if (bytes > budget) {
    bytes = budget & ~(size_t)(ARENA_CHUNK_ALIGN - 1);
    if (bytes < need) return P2F_ERR_ARENA_LIMIT;
    grows = 0;
  }
  struct p2f_arena_chunk *c = arena_new_chunk(arena, bytes, ARENA_CHUNK_ALIGN);
  if (c == NULL) return P2F_ERR_OUT_OF_MEMORY;
  if (grows) arena->next_chunk_size = next > arena->max_chunk_size / 2 ? arena->max_chunk_size : next * 2;
  arena_use_chunk(arena, c);
  *out = arena_bump(arena, size, align);
  return P2F_OK;
}

void *p2f_arena_alloc_aligned(p2f_arena *arena, size_t size, size_t align) {
  if (arena == NULL) return NULL;
  if (!arena_is_pow2(align) || align > P2F_ARENA_MAX_ALIGN) return arena_fail(arena, P2F_ERR_INVALID_ARGUMENT);
  /* A zero-size request takes one byte, so that its pointer is distinct and valid. */
  size_t take = size != 0 ? size : 1;
  void *p = arena_bump(arena, take, align);
  if (p == NULL) {
    p2f_status st = arena_grow(arena, take, align, &p);
    if (st != P2F_OK) return arena_fail(arena, st);
  }
  arena->allocated += size;
  return p;
}

void *p2f_arena_alloc(p2f_arena *arena, size_t size) {
  return p2f_arena_alloc_aligned_inline(arena, size, P2F_ARENA_DEFAULT_ALIGN);
}

void *p2f_arena_memdup(p2f_arena *arena, const void *src, size_t len) {
  if (arena == NULL) return NULL;
  if (src == NULL && len != 0) return arena_fail(arena, P2F_ERR_INVALID_ARGUMENT);
  void *p = p2f_arena_alloc_aligned(arena, len, 1);
  if (p != NULL && len != 0) memcpy(p, src, len);
  return p;
}

char *p2f_arena_strdup(p2f_arena *arena, const char *src, size_t len) {
  if (arena == NULL) return NULL;
  if (src == NULL && len != 0) return (char *)arena_fail(arena, P2F_ERR_INVALID_ARGUMENT);
  if (len == SIZE_MAX) return (char *)arena_fail(arena, arena_huge_status(arena));
  char *p = (char *)p2f_arena_alloc_aligned(arena, len + 1, 1);
  if (p == NULL) return NULL;
  if (len != 0) memcpy(p, src, len);
  p[len] = '\0';
  return p;
}

void p2f_arena_reset(p2f_arena *arena) {
  if (arena == NULL) return;
  if (arena->allocated > arena->high_water) arena->high_water = arena->allocated;
  struct p2f_arena_chunk *keep = arena->spare;
  for (struct p2f_arena_chunk *c = arena->chunks; c != NULL; c = c->next) {
    if (keep == NULL || c->size > keep->size) keep = c;
  }
  arena_free_list(arena->chunks, keep);
  arena_free_list(arena->spare, keep);
  arena->chunks = NULL;
  arena->spare = keep;
  arena->chunk_count = 0;
  arena->reserved = arena->first_block_size;
  if (keep != NULL) {
    keep->next = NULL;
    arena->chunk_count = 1;
    arena->reserved += keep->size;
  }
  arena->ptr = arena->first_block;
  arena->end = arena->first_block != NULL ? arena->first_block + arena->first_block_size : NULL;
  arena->allocated = 0;
  arena->last_error = P2F_OK;
}

p2f_status p2f_arena_last_error(const p2f_arena *arena) {
  return arena != NULL ? (p2f_status)arena->last_error : P2F_ERR_INVALID_ARGUMENT;
}

void p2f_arena_get_stats(const p2f_arena *arena, p2f_arena_stats *out) {
  if (out == NULL) return;
  memset(out, 0, sizeof *out);
  if (arena == NULL) return;
  out->allocated = arena->allocated;
  out->high_water = arena->allocated > arena->high_water ? arena->allocated : arena->high_water;
  out->reserved = arena->reserved;
  out->chunks = arena->chunk_count;
  out->chunk_allocs = arena->chunk_allocs;
  out->failed = arena->failed;
}

p2f_arena_marker p2f_arena_mark(const p2f_arena *arena) {
  p2f_arena_marker m;
  memset(&m, 0, sizeof m);
  if (arena == NULL) return m;
  m.ptr = arena->ptr;
  m.end = arena->end;
  m.allocated = arena->allocated;
  m.chunks = arena->chunks;
  m.spare = arena->spare;
  m.reserved = arena->reserved;
  m.chunk_count = arena->chunk_count;
  m.next_chunk_size = arena->next_chunk_size;
  return m;
}

void p2f_arena_rewind(p2f_arena *arena, const p2f_arena_marker *mark) {
  if (arena == NULL || mark == NULL) return;
  if (arena->allocated > arena->high_water) arena->high_water = arena->allocated;
  /* Chunks are pushed at the head of the list: everything before the mark's head is newer.
   * The spare chunk of the mark, if it came into use since, goes back to being the spare. */
  struct p2f_arena_chunk *c = arena->chunks;
  while (c != NULL && c != mark->chunks) {
    struct p2f_arena_chunk *next = c->next;
    if (c == mark->spare) c->next = NULL;
    else p2f__chunk_free(c);
    c = next;
  }
  arena->chunks = mark->chunks;
  arena->spare = mark->spare;
  arena->ptr = mark->ptr;
  arena->end = mark->end;
  arena->allocated = mark->allocated;
  arena->reserved = mark->reserved;
  arena->chunk_count = mark->chunk_count;
  arena->next_chunk_size = mark->next_chunk_size;
}

void *p2f_arena_realloc(p2f_arena *arena, void *ptr, size_t old_size, size_t new_size, size_t align) {
  if (arena == NULL) return NULL;
  if (!arena_is_pow2(align) || align > P2F_ARENA_MAX_ALIGN) return arena_fail(arena, P2F_ERR_INVALID_ARGUMENT);
  if (ptr == NULL) {
    if (old_size != 0) return arena_fail(arena, P2F_ERR_INVALID_ARGUMENT);
    return p2f_arena_alloc_aligned(arena, new_size, align);
  }
  unsigned char *p = (unsigned char *)ptr;
  /* The most recent allocation of the current block ends at ptr. An allocation in another
   * block cannot end there, except at the very start of the first block (a heap chunk's
   * free part starts after its header), hence the second test. */
  if (old_size != 0 && p + old_size == arena->ptr && arena->ptr != arena->first_block &&
      ((uintptr_t)p & (align - 1)) == 0) {
    if (new_size <= old_size) {
      size_t give = old_size - (new_size != 0 ? new_size : 1); /* keep one byte, as alloc does */
      arena->ptr -= give;
      arena->allocated -= old_size - new_size;
      return p;
    }
    size_t more = new_size - old_size;
    if (more <= (size_t)(arena->end - arena->ptr)) {
      arena->ptr += more;
      arena->allocated += more;
      return p;
    }
  }
  if (new_size <= old_size) return p;
  void *q = p2f_arena_alloc_aligned(arena, new_size, align);
  if (q != NULL && old_size != 0) memcpy(q, p, old_size);
  return q;
}
