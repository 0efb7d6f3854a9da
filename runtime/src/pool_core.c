/* The pool's single-threaded core (see internal/pool_core.h): chunks, the free list and the
 * bump pointer, reset, the statistics and the checks of checked builds (P2F__POOL_DEBUG). */
#include <stdlib.h>
#include <string.h>

#include "internal/chunk_alloc.h"
#include "internal/log.h"
#include "internal/pool_core.h"

#define MAX_ALIGN 4096u
#define DEFAULT_CHUNK_BYTES (64u * 1024u)
#define MAX_CHUNK_BYTES (64u * 1024u * 1024u)
#define POISON 0xDD

static bool is_pow2(size_t v) { return v != 0 && (v & (v - 1)) == 0; }

static size_t round_up(size_t v, size_t align) { return (v + align - 1) & ~(align - 1); }

/* ---- chunks and slots ---------------------------------------------------------------------- */

static p2f_status add_chunk(p2f_pool *pool) {
  size_t slots = pool->chunks == NULL ? pool->first_chunk_slots : pool->capacity; /* doubling */
  size_t cap_slots = MAX_CHUNK_BYTES / pool->head.stride;
  if (slots > cap_slots) slots = cap_slots;
  if (slots == 0) slots = 1;
  if (pool->max_slots) {
    if (pool->capacity >= pool->max_slots) return P2F_ERR_POOL_EXHAUSTED;
    if (slots > pool->max_slots - pool->capacity) slots = pool->max_slots - pool->capacity;
  }
  p2f_chunk *chunk = calloc(1, sizeof *chunk);
  if (chunk == NULL) return P2F_ERR_OUT_OF_MEMORY;
  chunk->base = p2f__chunk_alloc(slots * pool->head.stride, pool->align);
  if (chunk->base == NULL) {
    free(chunk);
    return P2F_ERR_OUT_OF_MEMORY;
  }
  chunk->slots = slots;
#if P2F__POOL_DEBUG
  chunk->in_use = calloc((slots + 63) / 64, sizeof(uint64_t));
  if (chunk->in_use == NULL) {
    p2f__chunk_free(chunk->base);
    free(chunk);
    return P2F_ERR_OUT_OF_MEMORY;
  }
  memset(chunk->base, POISON, slots * pool->head.stride);
#endif
  if (pool->last_chunk) pool->last_chunk->next = chunk;
  else pool->chunks = chunk;
  pool->last_chunk = chunk;
  pool->capacity += slots;
  pool->chunk_count++;
  pool->bytes += slots * pool->head.stride;
  return P2F_OK;
}

/* The slow part of take: the next chunk's fresh slots, reusing chunks kept by reset first. */
static bool next_bump_chunk(p2f_pool *pool, p2f_status *status) {
  p2f_chunk *next = pool->bump_chunk ? pool->bump_chunk->next : pool->chunks;
  if (next == NULL) {
    p2f_status st = add_chunk(pool);
    if (st != P2F_OK) {
      if (status) *status = st;
      return false;
    }
    next = pool->last_chunk;
  }
  pool->bump_chunk = next;
  pool->head.bump = next->base;
  pool->head.bump_end = next->base + next->slots * pool->head.stride;
  return true;
}

void *p2f__pool_take(p2f_pool *pool, p2f_status *status) {
  /* Fast path: pop the free list, else bump through the current chunk's fresh slots.
   * Cost: one load and one store for the pop, a compare and an add for the bump.
   *
   * The high-water mark moves only on a bump. Fresh slots are taken only when the free list
   * is empty, that is when every slot taken since create or reset is live; so at every bump
   * live equals the number of slots bumped so far, between bumps live is at most that, and
   * the most slots live at once is the count at the last bump. A pop therefore never raises
   * it, which is what lets the inline fast paths (proto2ffi/pool_inline.h) skip it. */
  p2f_free_slot *slot = pool->head.free_list;
  if (slot != NULL) {
    pool->head.free_list = slot->next;
    pool->head.live++;
    return slot;
  }
  if (pool->head.bump == pool->head.bump_end && !next_bump_chunk(pool, status)) return NULL;
  slot = (p2f_free_slot *)(void *)pool->head.bump;
  pool->head.bump += pool->head.stride;
  if (++pool->head.live > pool->head.high_water) pool->head.high_water = pool->head.live;
  return slot;
}

void p2f__pool_put(p2f_pool *pool, void *slot) {
  p2f_free_slot *s = slot;
  s->next = pool->head.free_list;
  pool->head.free_list = s;
  pool->head.live--;
}

void p2f__pool_reset_slots(p2f_pool *pool) {
  pool->head.free_list = NULL;
  pool->bump_chunk = pool->chunks;
  pool->head.bump = pool->chunks ? pool->chunks->base : NULL;
  pool->head.bump_end = pool->chunks ? pool->chunks->base + pool->chunks->slots * pool->head.stride : NULL;
  pool->head.live = 0;
  pool->head.high_water = 0;
#if P2F__POOL_DEBUG
  for (p2f_chunk *c = pool->chunks; c; c = c->next) {
    memset(c->in_use, 0, (c->slots + 63) / 64 * sizeof(uint64_t));
    memset(c->base, POISON, c->slots * pool->head.stride);
  }
#endif
}

/* ---- create and destroy -------------------------------------------------------------------- */

p2f_status p2f__pool_core_create(const p2f_pool_config *config, p2f_pool **out) {
  if (config->slot_size == 0) return P2F_ERR_INVALID_ARGUMENT;
  size_t align = config->align ? config->align : P2F_ALIGNOF(max_align_t);
  if (!is_pow2(align) || align > MAX_ALIGN) return P2F_ERR_INVALID_ARGUMENT;
  if (config->max_slots && config->initial_capacity > config->max_slots) return P2F_ERR_INVALID_ARGUMENT;
  if (config->slot_size > MAX_CHUNK_BYTES) return P2F_ERR_INVALID_ARGUMENT;

  p2f_pool *pool = calloc(1, sizeof *pool);
  if (pool == NULL) return P2F_ERR_OUT_OF_MEMORY;
  /* Slots hold the free-list link while free, so they are at least a pointer wide and
   * aligned for it; stride keeps every slot at the requested alignment. */
  pool->align = align < P2F_ALIGNOF(p2f_free_slot) ? P2F_ALIGNOF(p2f_free_slot) : align;
  pool->slot_size = config->slot_size;
  pool->head.stride = round_up(config->slot_size < sizeof(p2f_free_slot) ? sizeof(p2f_free_slot) : config->slot_size,
                               pool->align);
  pool->max_slots = config->max_slots;
  pool->flags = config->flags;
  /* The inline fast paths must leave thread-safe and checked pools to the runtime. */
  pool->head.slow_only = (config->flags & P2F_POOL_THREAD_SAFE) || P2F__POOL_DEBUG;
  size_t first = config->initial_capacity;
  if (first == 0) first = DEFAULT_CHUNK_BYTES / pool->head.stride ? DEFAULT_CHUNK_BYTES / pool->head.stride : 1;
  if (pool->max_slots && first > pool->max_slots) first = pool->max_slots;
  pool->first_chunk_slots = first;

  /* The first chunk now, so that create reports out-of-memory instead of the first alloc. */
  p2f_status st = P2F_OK;
  if (p2f__pool_take(pool, &st) == NULL) {
    p2f__pool_core_destroy(pool);
    return st;
  }
  p2f__pool_reset_slots(pool);
  *out = pool;
  return P2F_OK;
}

void p2f__pool_core_destroy(p2f_pool *pool) {
  p2f_chunk *c = pool->chunks;
  while (c) {
    p2f_chunk *next = c->next;
    p2f__chunk_free(c->base);
    free(c->in_use);
    free(c);
    c = next;
  }
  free(pool);
}

/* ---- a caller's slots, checked in checked builds ---------------------------------------------- */

#if P2F__POOL_DEBUG
static p2f_chunk *owning_chunk(const p2f_pool *pool, const void *slot, size_t *index) {
  const unsigned char *p = slot;
  for (p2f_chunk *c = pool->chunks; c; c = c->next) {
    if (p >= c->base && p < c->base + c->slots * pool->head.stride) {
      size_t off = (size_t)(p - c->base);
      if (off % pool->head.stride != 0) return NULL;
      *index = off / pool->head.stride;
      return c;
    }
  }
  return NULL;
}

/* Whether slot is a slot of pool that a caller owns; if so, clears its bit and poisons it. */
static p2f_status check_free(p2f_pool *pool, void *slot) {
  size_t index = 0;
  p2f_chunk *c = owning_chunk(pool, slot, &index);
  if (c == NULL) {
    p2f__log("p2f_pool_free: %p is not a slot of pool %p (slot size %zu); not freed", slot, (void *)pool,
             pool->slot_size);
    return P2F_ERR_POOL_FOREIGN_POINTER;
  }
  uint64_t bit = (uint64_t)1 << (index % 64);
  if (c->in_use == NULL || !(c->in_use[index / 64] & bit)) {
    p2f__log("p2f_pool_free: double free of slot %p of pool %p (slot size %zu); not freed again", slot,
             (void *)pool, pool->slot_size);
    return P2F_ERR_POOL_DOUBLE_FREE;
  }
  c->in_use[index / 64] &= ~bit;
  memset(slot, POISON, pool->head.stride);
  return P2F_OK;
}

static void mark_allocated(p2f_pool *pool, void *slot) {
  size_t index = 0;
  p2f_chunk *c = owning_chunk(pool, slot, &index);
  if (c && c->in_use) c->in_use[index / 64] |= (uint64_t)1 << (index % 64);
}
#endif

void *p2f__pool_core_alloc(p2f_pool *pool, p2f_status *status) {
  void *slot = p2f__pool_take(pool, status);
#if P2F__POOL_DEBUG
  if (slot) mark_allocated(pool, slot);
#endif
  return slot;
}

p2f_status p2f__pool_core_free(p2f_pool *pool, void *slot) {
#if P2F__POOL_DEBUG
  p2f_status st = check_free(pool, slot);
  if (st != P2F_OK) return st;
#endif
  p2f__pool_put(pool, slot);
  return P2F_OK;
}

/* ---- statistics ------------------------------------------------------------------------------ */

void p2f__pool_fill_stats(const p2f_pool *pool, size_t live, size_t high_water, p2f_pool_stats *out) {
  *out = (p2f_pool_stats){
      .slot_size = pool->slot_size,
      .slot_stride = pool->head.stride,
      .live = live,
      .capacity = pool->capacity,
      .chunks = pool->chunk_count,
      .high_water = high_water,
      .bytes = pool->bytes,
  };
}
