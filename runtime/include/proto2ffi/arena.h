/* proto2ffi/arena.h: bump allocation for out-of-line message data.
 *
 * An arena hands out memory by moving a pointer forward through a block and frees it all at
 * once: p2f_arena_reset drops every allocation and keeps memory for reuse, p2f_arena_destroy
 * returns the memory. There is no per-allocation free. Decoded strings, bytes, repeated
 * arrays and submessages that live outside a message's fixed struct are allocated here.
 *
 * Blocks, in the order they are used:
 *   1. an optional first block the caller supplies (stack or static memory). The arena never
 *      frees it; when every allocation fits, the arena never touches the heap.
 *   2. heap chunks, from mimalloc when the runtime is built with it, else from the system
 *      allocator (the same source as pool chunks, see p2f_pool_backend). The first chunk has
 *      config.chunk_size bytes (default P2F_ARENA_DEFAULT_CHUNK_SIZE); each further chunk
 *      doubles, up to config.max_chunk_size. A request larger than half the chunk that would
 *      come next gets a chunk of its own and leaves the current block as it is. The first
 *      P2F_ARENA_CHUNK_HEADER bytes of each chunk hold the arena's bookkeeping.
 *
 * C, with a stack block that usually suffices:
 *
 *   unsigned char buf[4096];
 *   p2f_arena arena;
 *   p2f_arena_config cfg = {buf, sizeof buf, 64 * 1024, 0, 0}; // block, block size, limit
 *   if (p2f_arena_init(&arena, &cfg) != P2F_OK) abort();
 *   char *name = p2f_arena_strdup(&arena, src, src_len);      // NULL on failure
 *   if (name == NULL) fprintf(stderr, "%s\n", p2f_status_str(p2f_arena_last_error(&arena)));
 *   ...
 *   p2f_arena_destroy(&arena);   // frees heap chunks, if any; buf is the caller's
 *
 * Foreign runtimes (Dart) use the opaque-pointer calls: p2f_arena_new(NULL, 0, limit) or
 * p2f_arena_create, then p2f_arena_alloc / _reset / _get_stats, then p2f_arena_destroy.
 *
 * Ownership and lifetime: the arena owns its heap chunks; the caller owns the arena struct
 * of p2f_arena_init and the first block, which must outlive the arena. Every pointer an
 * arena returned is valid until p2f_arena_reset or p2f_arena_destroy of that arena, and
 * invalid afterwards.
 *
 * Alignment: p2f_arena_alloc returns memory aligned to P2F_ARENA_DEFAULT_ALIGN (8), enough
 * for every member of a generated message (int64_t, double, pointers) on the ABIs proto2ffi
 * supports; p2f_arena_alloc_aligned takes any power of two up to P2F_ARENA_MAX_ALIGN;
 * p2f_arena_memdup and p2f_arena_strdup return byte-aligned memory. The first block may have
 * any alignment: padding is computed from addresses.
 *
 * Limit: config.limit, when not 0, bounds the arena's footprint: the first block plus every
 * heap chunk held (headers included, the struct of p2f_arena_create excluded) never exceeds
 * it. An allocation that would need more returns NULL with P2F_ERR_ARENA_LIMIT; a limit equal
 * to the first block's size forbids the heap altogether.
 *
 * Failure: an allocation either returns the whole block or NULL; a failed call changes
 * nothing but the failure count and the status p2f_arena_last_error returns:
 * P2F_ERR_ARENA_LIMIT, P2F_ERR_OUT_OF_MEMORY, or P2F_ERR_INVALID_ARGUMENT. Sizes no allocator
 * can satisfy (SIZE_MAX, or anything whose size + alignment arithmetic could overflow) are
 * refused before any allocator is called: P2F_ERR_ARENA_LIMIT under a limit, else
 * P2F_ERR_OUT_OF_MEMORY.
 *
 * Thread-safety: none. An arena must be used by one thread at a time, including its reads
 * of statistics; different arenas may be used by different threads at once.
 *
 * p2f_arena is defined here so that it can live in caller storage and the allocation fast
 * path can be inline. Its members are ABI (changing them changes P2F_RUNTIME_ABI); read and
 * write them only through these functions.
 */
#ifndef PROTO2FFI_ARENA_H_
#define PROTO2FFI_ARENA_H_

#include "proto2ffi/port.h"
#include "proto2ffi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

#define P2F_ARENA_DEFAULT_ALIGN 8u
#define P2F_ARENA_MAX_ALIGN 4096u
#define P2F_ARENA_CHUNK_HEADER 16u
#define P2F_ARENA_DEFAULT_CHUNK_SIZE 4096u
#define P2F_ARENA_DEFAULT_MAX_CHUNK_SIZE (1024u * 1024u)

struct p2f_arena_chunk;

typedef struct p2f_arena {
  /* The fast path's state: the free part [ptr, end) of the current block. */
  unsigned char *ptr;
  unsigned char *end;
  size_t allocated;  /* bytes requested by callers since init or the last reset */
  /* The slow path's state. */
  struct p2f_arena_chunk *chunks; /* heap chunks in use, newest first */
  struct p2f_arena_chunk *spare;  /* the chunk reset kept, not yet in use */
  unsigned char *first_block;
  size_t first_block_size;
  size_t limit;
  size_t reserved;
  size_t next_chunk_size;
  size_t max_chunk_size;
  size_t chunk_count;
  size_t chunk_allocs;
  size_t high_water;
  size_t failed;
  int32_t last_error;
  uint32_t flags;
} p2f_arena;

typedef struct p2f_arena_config {
  void *first_block;       /* caller memory used before any heap chunk; NULL for none */
  size_t first_block_size; /* its size in bytes */
  size_t limit;            /* most bytes of first block + heap chunks; 0 for no limit */
  size_t chunk_size;       /* first heap chunk, >= 64 (rounded up to 16); 0: 4 KiB */
  size_t max_chunk_size;   /* doubling stops here, >= chunk_size; 0: the larger of 1 MiB and chunk_size */
} p2f_arena_config;

/* A position in an arena (p2f_arena_mark), to give back everything allocated after it
 * (p2f_arena_rewind). Plain data; read it only through these functions. */
typedef struct p2f_arena_marker {
  unsigned char *ptr;
  unsigned char *end;
  size_t allocated;
  struct p2f_arena_chunk *chunks;
  struct p2f_arena_chunk *spare;
  size_t reserved;
  size_t chunk_count;
  size_t next_chunk_size;
} p2f_arena_marker;

typedef struct p2f_arena_stats {
  size_t allocated;    /* bytes requested by callers since init or the last reset (padding excluded) */
  size_t high_water;   /* the largest value of allocated since init */
  size_t reserved;     /* bytes of the first block plus the heap chunks held now; what the limit bounds */
  size_t chunks;       /* heap chunks held now (a chunk kept by reset included) */
  size_t chunk_allocs; /* heap chunks obtained from the allocator since init */
  size_t failed;       /* allocation calls that returned NULL since init */
} p2f_arena_stats;

/* Initialises an arena in caller storage. config may be NULL (no first block, no limit,
 * default chunk sizes). Returns P2F_ERR_INVALID_ARGUMENT for a NULL arena, a first block
 * that is NULL with a non-zero size, a limit below the first block's size, or chunk sizes out
 * of range. Allocates nothing; never fails otherwise. */
P2F_EXPORT p2f_status p2f_arena_init(p2f_arena *arena, const p2f_arena_config *config);

/* p2f_arena_init into a struct from the system heap: the opaque-pointer form for foreign
 * runtimes. *out is NULL on error; P2F_ERR_OUT_OF_MEMORY when the struct cannot be had. */
P2F_EXPORT p2f_status p2f_arena_create(const p2f_arena_config *config, p2f_arena **out);

/* p2f_arena_create with default chunk sizes and the other fields as arguments; NULL on any
 * error. */
P2F_EXPORT p2f_arena *p2f_arena_new(void *first_block, size_t first_block_size, size_t limit);

/* Frees every heap chunk, and the arena itself when p2f_arena_create or p2f_arena_new made
 * it; the first block is left alone. An arena of p2f_arena_init may be initialised again
 * afterwards. NULL is accepted. */
P2F_EXPORT void p2f_arena_destroy(p2f_arena *arena);

/* size bytes aligned to P2F_ARENA_DEFAULT_ALIGN, contents unspecified; NULL on failure (see
 * the header comment). size 0 returns a distinct valid pointer that must not be dereferenced. */
P2F_EXPORT void *p2f_arena_alloc(p2f_arena *arena, size_t size);

/* The same for any power-of-two alignment from 1 to P2F_ARENA_MAX_ALIGN; another alignment
 * is P2F_ERR_INVALID_ARGUMENT. */
P2F_EXPORT void *p2f_arena_alloc_aligned(p2f_arena *arena, size_t size, size_t align);

/* A copy of src[0..len) (byte-aligned); src may be NULL only when len is 0. */
P2F_EXPORT void *p2f_arena_memdup(p2f_arena *arena, const void *src, size_t len);

/* A copy of src[0..len) followed by a NUL (len + 1 bytes, byte-aligned), for string fields:
 * len is the string's length, and src may contain NULs. src may be NULL only when len is 0. */
P2F_EXPORT char *p2f_arena_strdup(p2f_arena *arena, const char *src, size_t len);

/* Drops every allocation at once. The first block becomes the current block again, the
 * largest heap chunk is kept for the allocations that do not fit there, the other chunks are
 * freed. allocated and the last error start over; high_water, chunk_allocs and failed do
 * not. NULL is accepted. */
P2F_EXPORT void p2f_arena_reset(p2f_arena *arena);

/* Where the arena stands now. Allocates nothing; a NULL arena gives a zero marker. */
P2F_EXPORT p2f_arena_marker p2f_arena_mark(const p2f_arena *arena);

/* Gives back every allocation made since `mark` was taken: pointers returned after it become
 * invalid, the ones returned before stay valid. Heap chunks obtained since are freed (a
 * chunk that reset had kept and that came into use since is kept again), so allocated,
 * reserved and chunks read as they did at the mark; high_water, chunk_allocs, failed and
 * the last error do not go back. The mark must come from this arena and be no older than
 * its last reset (reset and destroy invalidate every mark; so does rewinding to an older
 * mark, for the marks taken after it). Marks nest: rewinding to an inner one keeps what
 * came before it. NULL arena or mark: nothing happens. The decoder uses this to leave an
 * arena as it found it when a decode fails. */
P2F_EXPORT void p2f_arena_rewind(p2f_arena *arena, const p2f_arena_marker *mark);

/* Resizes ptr, a block of old_size bytes this arena returned with alignment `align` (from
 * p2f_arena_alloc_aligned, _alloc (align 8) or an earlier _realloc), to new_size bytes and
 * returns it; the first min(old_size, new_size) bytes are kept, the rest is unspecified.
 * When ptr is the arena's most recent allocation in its current block, it grows or shrinks
 * in place (same pointer, no copy) as long as the block has room; otherwise a new block is
 * allocated and old_size bytes copied (the old block stays allocated until reset, as every
 * arena allocation does), and shrinking returns ptr unchanged. ptr NULL (old_size must be
 * 0): p2f_arena_alloc_aligned(arena, new_size, align). On failure NULL, with the statuses
 * of p2f_arena_alloc_aligned, and ptr is untouched and still valid. Growing repeated fields
 * by doubling costs amortised O(1) per element this way, and no copy at all while the array
 * is the last thing allocated. */
P2F_EXPORT void *p2f_arena_realloc(p2f_arena *arena, void *ptr, size_t old_size, size_t new_size, size_t align);

/* The status of the most recent failed allocation since init or reset; P2F_OK if none,
 * P2F_ERR_INVALID_ARGUMENT for a NULL arena. */
P2F_EXPORT p2f_status p2f_arena_last_error(const p2f_arena *arena);

/* Fills *out (zeros for a NULL arena). */
P2F_EXPORT void p2f_arena_get_stats(const p2f_arena *arena, p2f_arena_stats *out);

/* The fast path of p2f_arena_alloc_aligned, inline: when the current block has room it bumps
 * ptr in place, else it calls the exported function, so the two are interchangeable on one
 * arena. Cost when there is room: a subtraction and a mask for the padding, a subtraction for
 * the room left, two compares, two stores and an add (the alignment checks fold away for a
 * constant align). */
static inline void *p2f_arena_alloc_aligned_inline(p2f_arena *arena, size_t size, size_t align) {
  if (arena != NULL && align != 0 && (align & (align - 1)) == 0 && align <= P2F_ARENA_MAX_ALIGN) {
    size_t pad = (size_t)(0u - (uintptr_t)arena->ptr) & (align - 1);
    size_t room = (size_t)((uintptr_t)arena->end - (uintptr_t)arena->ptr); /* 0 when both NULL */
    /* size - 1 < room: 1 <= size <= room, so room - size cannot wrap. */
    if (size - 1 < room && pad <= room - size) {
      unsigned char *p = arena->ptr + pad;
      arena->ptr = p + size;
      arena->allocated += size;
      return p;
    }
  }
  return p2f_arena_alloc_aligned(arena, size, align);
}

static inline void *p2f_arena_alloc_inline(p2f_arena *arena, size_t size) {
  return p2f_arena_alloc_aligned_inline(arena, size, P2F_ARENA_DEFAULT_ALIGN);
}

#ifdef __cplusplus
}
#endif

#endif /* PROTO2FFI_ARENA_H_ */
