/* upb as a codec benchmark peer: message layouts built at run time from a FileDescriptorSet,
 * decode into an arena, encode out of one (upb_peer.c says which upb it binds and why it
 * declares upb's functions itself).
 *
 * Ownership and lifetime:
 *   - A upb_peer owns its definitions and layouts; the upb_peer_msg handles it returns live
 *     until upb_peer_close.
 *   - Decoded messages and encoded bytes live in the arena they were made in, until it is
 *     freed. A decoded message's strings and bytes point INTO the input buffer (upb of this
 *     version never copies them): the input must outlive the message.
 *   - An arena made on a caller block never frees that block; it frees only the blocks it
 *     took from the heap when the caller's block ran out.
 * Thread-safety: a upb_peer is read-only after upb_peer_open and may be shared by threads;
 * an arena, and everything in it, belongs to one thread at a time.
 *
 * Typical timed loop (what codec_bench does), one fresh arena per message on a reused block:
 *
 *   upb_peer_arena *a = upb_peer_arena_new(block, sizeof block);
 *   void *msg = upb_peer_decode(m, bytes, len, a);    // NULL: the bytes do not parse
 *   ... read msg ...
 *   upb_peer_arena_free(a);
 */
#ifndef P2F_BENCH_UPB_PEER_H_
#define P2F_BENCH_UPB_PEER_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct upb_peer upb_peer;
typedef struct upb_peer_msg upb_peer_msg;
typedef struct upb_peer_arena upb_peer_arena;

/* Loads a serialized google.protobuf.FileDescriptorSet (protoc --descriptor_set_out
 * --include_imports: every file after the files it imports). NULL on failure, with a message
 * in err (errlen bytes, NUL-terminated). */
upb_peer *upb_peer_open(const uint8_t *fds, size_t len, char *err, size_t errlen);
/* The same, reading the set from a file. */
upb_peer *upb_peer_open_file(const char *path, char *err, size_t errlen);
void upb_peer_close(upb_peer *p);

/* The message type with that full name ("social.Post"), or NULL. */
const upb_peer_msg *upb_peer_find(const upb_peer *p, const char *full_name);
/* Size of upb's in-memory message of that type (without its internal header). */
size_t upb_peer_msg_size(const upb_peer_msg *m);

/* An arena whose first block is the caller's block of size bytes (block NULL: a heap
 * arena); further blocks come from malloc. NULL when out of memory. */
upb_peer_arena *upb_peer_arena_new(void *block, size_t size);
void upb_peer_arena_free(upb_peer_arena *a);
/* Bytes allocated so far from the caller's block (upb's arena header included), or
 * SIZE_MAX when the arena has moved on to heap blocks or has no caller block. */
size_t upb_peer_arena_used(const upb_peer_arena *a, const void *block);

/* A new message of type m decoded from buf[0..len) in arena a; NULL when the bytes do not
 * parse (malformed wire data, invalid UTF-8 in a string field) or memory runs out. */
void *upb_peer_decode(const upb_peer_msg *m, const uint8_t *buf, size_t len, upb_peer_arena *a);
/* The encoding of msg (a message of type m), allocated in arena a, its length in *len; NULL
 * when memory runs out. */
const uint8_t *upb_peer_encode(const upb_peer_msg *m, const void *msg, upb_peer_arena *a, size_t *len);

#ifdef __cplusplus
}
#endif

#endif
