/* proto2ffi/message_table.h: reflection-lite tables emitted by the generator.
 *
 * Every generated x.ffi.c holds one p2f_file_info listing its messages with their size,
 * alignment and entry points, sorted by full protobuf name so that lookup is a binary
 * search. Generic tools and foreign runtimes (the Dart package) use it to find a message at
 * run time without knowing its C type:
 *
 *   const p2f_message_info *m = p2f_file_find(social_proto_file_info(), "social.Post");
 *   void *buf = aligned_alloc(m->align, m->size);
 *   m->init(buf);
 *
 * Ownership: tables are static constant data owned by the library that defines them; the
 * pointers stay valid for the life of the process (or until that library is unloaded).
 * Thread-safety: read-only, safe from any thread.
 */
#ifndef PROTO2FFI_MESSAGE_TABLE_H_
#define PROTO2FFI_MESSAGE_TABLE_H_

#include "proto2ffi/port.h"
#include "proto2ffi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct p2f_message_info {
  const char *full_name; /* "social.Post" */
  const char *c_name;    /* "social_Post" */
  size_t size;           /* sizeof the C struct */
  size_t align;          /* its alignment */
  uint32_t field_count;  /* protobuf fields (a oneof counts each member) */
  /* Sets every field to its default (zero or the proto2 [default]). Never NULL. */
  void (*init)(void *msg);
  /* Wire codec entry points; NULL when the generator was run without the codec. */
  p2f_status (*decode)(void *msg, const uint8_t *buf, size_t len);
  p2f_status (*encode)(const void *msg, uint8_t *buf, size_t cap, size_t *written);
  size_t (*encoded_size)(const void *msg);
} p2f_message_info;

typedef struct p2f_file_info {
  const char *proto_name; /* "social.proto", as protoc named it */
  const char *package;    /* "social", or "" */
  size_t message_count;
  const p2f_message_info *messages; /* sorted by full_name (strcmp order) */
} p2f_file_info;

/* Finds a message by full protobuf name ("social.Post"; a leading '.' is accepted).
 * Returns NULL when file or name is NULL or no message has that name. O(log n). */
P2F_EXPORT const p2f_message_info *p2f_file_find(const p2f_file_info *file, const char *full_name);

#ifdef __cplusplus
}
#endif

#endif /* PROTO2FFI_MESSAGE_TABLE_H_ */
