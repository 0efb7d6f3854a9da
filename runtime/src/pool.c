/* Fixed-size slot pools (see proto2ffi/pool.h): chunks, the single-threaded fast paths,
 * reset, statistics and the checks of P2F_POOL_DEBUG builds. */
#include <stdlib.h>
#include <string.h>

#include "internal/chunk_alloc.h"
#include "internal/log.h"
#include "internal/pool_impl.h"

#define MAX_ALIGN 4096u
#define DEFAULT_CHUNK_BYTES (64u * 1024u)
#define MAX_CHUNK_BYTES (64u * 1024u * 1024u)
#define POISON 0xDD

static bool is_pow2(size_t v) { return v != 0 && (v & (v - 1)) == 0; }

static size_t round_up(size_t v, size_t align) { return (v + align - 1) & ~(align - 1); }

p2f_status p2f_pool_create(const p2f_pool_config *config, p2f_pool **out) {
  if (out == NULL) return P2F_ERR_INVALID_ARGUMENT;
  *out = NULL;
  if (config == NULL || config->slot_size == 0) return P2F_ERR_INVALID_ARGUMENT;
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
  pool->head.slow_only = (config->flags & P2F_POOL_THREAD_SAFE) || P2F_POOL_DEBUG;
  size_t first = config->initial_capacity;
  if (first == 0) first = DEFAULT_CHUNK_BYTES / pool->head.stride ? DEFAULT_CHUNK_BYTES / pool->head.stride : 1;
  if (pool->max_slots && first > pool->max_slots) first = pool->max_slots;
  pool->first_chunk_slots = first;

  /* The first chunk now, so that create reports out-of-memory instead of the first alloc. */
  p2f_status st = P2F_OK;
  void *slot = p2f__pool_take(pool, &st);
  if (slot == NULL) {
    p2f_pool_destroy(pool);
    return st;
  }
  p2f__pool_reset_slots(pool);
  if (config->flags & P2F_POOL_THREAD_SAFE) {
    st = p2f__ts_create(pool);
    if (st != P2F_OK) {
      p2f_pool_destroy(pool);
      return st;
    }
  }
  *out = pool;
  return P2F_OK;
}

p2f_pool *p2f_pool_new(size_t slot_size, size_t align, size_t initial_capacity, size_t max_slots, uint32_t flags) {
  p2f_pool_config config = {slot_size, align, initial_capacity, max_slots, flags};
  p2f_pool *pool = NULL;
  return p2f_pool_create(&config, &pool) == P2F_OK ? pool : NULL;
}

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
#if P2F_POOL_DEBUG
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
   * Cost: one load and one store for the pop, a compare and an add for the bump. */
  p2f_free_slot *slot = pool->head.free_list;
  if (slot != NULL) {
    pool->head.free_list = slot->next;
  } else {
    if (pool->head.bump == pool->head.bump_end && !next_bump_chunk(pool, status)) return NULL;
    slot = (p2f_free_slot *)(void *)pool->head.bump;
    pool->head.bump += pool->head.stride;
  }
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
#if P2F_POOL_DEBUG
  for (p2f_chunk *c = pool->chunks; c; c = c->next) {
    memset(c->in_use, 0, (c->slots + 63) / 64 * sizeof(uint64_t));
    memset(c->base, POISON, c->slots * pool->head.stride);
  }
#endif
}

/* ---- checked builds ------------------------------------------------------------------- */

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

p2f_status p2f__pool_check_free(p2f_pool *pool, void *slot, const char *fn) {
  size_t index = 0;
  p2f_chunk *c = owning_chunk(pool, slot, &index);
  if (c == NULL) {
    p2f__log("%s: %p is not a slot of pool %p (slot size %zu); not freed", fn, slot, (void *)pool,
             pool->slot_size);
    return P2F_ERR_POOL_FOREIGN_POINTER;
  }
  uint64_t bit = (uint64_t)1 << (index % 64);
  if (c->in_use == NULL || !(c->in_use[index / 64] & bit)) {
    p2f__log("%s: double free of slot %p of pool %p (slot size %zu); not freed again", fn, slot, (void *)pool,
             pool->slot_size);
    return P2F_ERR_POOL_DOUBLE_FREE;
  }
  c->in_use[index / 64] &= ~bit;
  memset(slot, POISON, pool->head.stride);
  return P2F_OK;
}

void p2f__pool_mark_allocated(p2f_pool *pool, void *slot) {
  size_t index = 0;
  p2f_chunk *c = owning_chunk(pool, slot, &index);
  if (c && c->in_use) c->in_use[index / 64] |= (uint64_t)1 << (index % 64);
}

/* ---- public entry points ---------------------------------------------------------------- */

void *p2f_pool_alloc(p2f_pool *pool, p2f_status *status) {
  if (pool == NULL) {
    if (status) *status = P2F_ERR_INVALID_ARGUMENT;
    return NULL;
  }
  if (pool->ts) return p2f__ts_alloc(pool, status);
  void *slot = p2f__pool_take(pool, status);
#if P2F_POOL_DEBUG
  if (slot) p2f__pool_mark_allocated(pool, slot);
#endif
  return slot;
}

p2f_status p2f_pool_free(p2f_pool *pool, void *slot) {
  if (slot == NULL) return P2F_OK;
  if (pool == NULL) return P2F_ERR_INVALID_ARGUMENT;
  if (pool->ts) return p2f__ts_free(pool, slot);
#if P2F_POOL_DEBUG
  p2f_status st = p2f__pool_check_free(pool, slot, "p2f_pool_free");
  if (st != P2F_OK) return st;
#endif
  p2f__pool_put(pool, slot);
  return P2F_OK;
}

/* Allocates up to n slots into the pointer array at out (stored with memcpy, so that out may
 * be any T ** of the generated code), running init on each when given. */
static size_t alloc_into(p2f_pool *pool, unsigned char *out, size_t n, void (*init)(void *msg), p2f_status *status) {
  for (size_t i = 0; i < n; i++) {
    void *slot = p2f_pool_alloc(pool, status);
    if (slot == NULL) return i;
    if (init != NULL) init(slot);
    memcpy(out + i * sizeof slot, &slot, sizeof slot);
  }
  return n;
}

size_t p2f_pool_alloc_batch(p2f_pool *pool, void **out, size_t n, p2f_status *status) {
  if (out == NULL && n) {
    if (status) *status = P2F_ERR_INVALID_ARGUMENT;
    return 0;
  }
  return alloc_into(pool, (unsigned char *)out, n, NULL, status);
}

size_t p2f_pool_alloc_msgs(p2f_pool *pool, void *msgs, size_t n, void (*init)(void *msg)) {
  if (msgs == NULL) return 0;
  return alloc_into(pool, msgs, n, init, NULL);
}

p2f_status p2f_pool_free_msgs(p2f_pool *pool, const void *msgs, size_t n) {
  if (msgs == NULL) return n ? P2F_ERR_INVALID_ARGUMENT : P2F_OK;
  const unsigned char *in = msgs;
  p2f_status first = P2F_OK;
  for (size_t i = 0; i < n; i++) {
    void *slot;
    memcpy(&slot, in + i * sizeof slot, sizeof slot);
    p2f_status st = p2f_pool_free(pool, slot);
    if (st != P2F_OK && first == P2F_OK) first = st;
  }
  return first;
}

p2f_status p2f_pool_free_batch(p2f_pool *pool, void *const *slots, size_t n) {
  return p2f_pool_free_msgs(pool, slots, n);
}

void p2f_pool_reset(p2f_pool *pool) {
  if (pool == NULL) return;
  if (pool->ts) p2f__ts_reset(pool);
  p2f__pool_reset_slots(pool);
}

void p2f_pool_destroy(p2f_pool *pool) {
  if (pool == NULL) return;
  if (pool->ts) p2f__ts_destroy(pool);
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

void p2f_pool_get_stats(const p2f_pool *pool, p2f_pool_stats *out) {
  if (out == NULL) return;
  memset(out, 0, sizeof *out);
  if (pool == NULL) return;
  out->slot_size = pool->slot_size;
  out->slot_stride = pool->head.stride;
  out->capacity = pool->capacity;
  out->chunks = pool->chunk_count;
  out->bytes = pool->bytes;
  out->live = pool->head.live;
  out->high_water = pool->head.high_water;
  if (pool->ts) p2f__ts_stats(pool, out);
}

const char *p2f_pool_backend(void) { return p2f__chunk_backend(); }
