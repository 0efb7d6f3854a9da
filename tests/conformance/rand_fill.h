/* Random messages for both codecs, and field-by-field comparison of a protobuf-c message with
 * a generated struct. Used by check_protobuf_c.c. */
#ifndef P2F_CONFORMANCE_RAND_FILL_H_
#define P2F_CONFORMANCE_RAND_FILL_H_

#include <stddef.h>
#include <stdint.h>

#include <protobuf-c/protobuf-c.h>

#include "proto2ffi/codec.h"

typedef struct rng {
  uint64_t s;
} rng;

/* The random stream of message `index` of type `name` under `seed`. */
rng rng_for(uint64_t seed, const char *name, uint64_t index);
uint64_t rng_next(rng *r);

/* Set to generate -0.0 in proto3 implicit-presence float/double fields, which protobuf-c
 * drops (it compares with 0.0) while protobuf writes it: shows the difference. */
extern int rand_allow_negative_zero;

/* A random protobuf-c message of type pd (fields within od's capacities); free it with
 * protobuf_c_message_free_unpacked(m, NULL). */
ProtobufCMessage *pbc_random(const ProtobufCMessageDescriptor *pd, const p2f_msg_desc *od, rng *r);
/* Fills an initialised struct of od's type with random values; out-of-line data goes to
 * `arena` (NULL is fine for an inline tree). */
void ours_random(const p2f_msg_desc *od, void *msg, rng *r, p2f_arena *arena);

/* Whether od is a map entry (key and value always written). */
int is_map_entry(const p2f_msg_desc *od);
/* Whether both describe the same fields (numbers, types, repeated or not); else why. */
int same_shape(const ProtobufCMessageDescriptor *pd, const p2f_msg_desc *od, char *why, size_t cap);
/* Whether the protobuf-c message and the struct hold the same message; else the path of the
 * first difference in `diff`. */
int same_message(const ProtobufCMessageDescriptor *pd, const ProtobufCMessage *pm, const p2f_msg_desc *od,
                 const void *om, char *diff, size_t cap);

/* Our P2F_FT_* for a protobuf-c type, and the storage of one element in protobuf-c. */
uint8_t pbc_to_our_type(ProtobufCType t);
size_t pbc_elem_size(ProtobufCType t);

/* Our field with number `number`, or NULL. */
const p2f_field_desc *ours_field(const p2f_msg_desc *od, uint32_t number);

#endif
