/* The one table of field types every stage and backend reads: protobuf type, wire type,
 * how the value is stored in C and in Dart FFI. Strings, bytes and messages have entries
 * too; their storage size depends on the field (capacity, message layout), so size is 0.
 */
#ifndef P2F_GEN_SCALAR_H_
#define P2F_GEN_SCALAR_H_

#include <stdbool.h>
#include <stdint.h>

typedef enum gen_kind {
  GEN_KIND_NUMERIC, /* integers, floats, bool */
  GEN_KIND_ENUM,    /* stored as int32_t */
  GEN_KIND_STRING,
  GEN_KIND_BYTES,
  GEN_KIND_MESSAGE,
  GEN_KIND_GROUP, /* recognised only to be rejected */
} gen_kind;

typedef enum gen_wire {
  GEN_WIRE_VARINT = 0,
  GEN_WIRE_I64 = 1,
  GEN_WIRE_LEN = 2,
  GEN_WIRE_SGROUP = 3,
  GEN_WIRE_I32 = 5,
} gen_wire;

typedef struct gen_scalar_type {
  int proto_type;         /* FieldDescriptorProto.Type */
  const char *proto_name; /* "sint32" */
  gen_kind kind;
  gen_wire wire;
  bool zigzag;            /* sint32/sint64 */
  bool is_signed;         /* integer interpretation of defaults */
  bool is_float;
  const char *c_type;     /* "int32_t"; NULL for message/group */
  uint32_t size;          /* bytes of one element; 0 when it depends on the field */
  uint32_t align;
  uint32_t max_wire_size; /* most bytes one value encodes to, without the tag (int32 and enum:
                           * 10, negative values are sign-extended); 0 when it depends on the
                           * field (string, bytes, message) */
  const char *dart_ffi;   /* dart:ffi NativeType: "Int32", "Uint8", "Double" */
  const char *dart_type;  /* Dart type of the value: "int", "double", "bool" */
} gen_scalar_type;

/* Entry for a FieldDescriptorProto.Type value, or NULL for values outside 1..18. */
const gen_scalar_type *gen_scalar_for_proto(int proto_type);

/* Storage types of the members that are not field values, and of the elements out-of-line
 * members point to. */
extern const gen_scalar_type gen_scalar_u32;  /* lengths, counts, which_ tags */
extern const gen_scalar_type gen_scalar_flag; /* has_ flags: uint8_t */
extern const gen_scalar_type gen_scalar_char; /* string storage: char */
extern const gen_scalar_type gen_scalar_byte; /* bytes storage: uint8_t */
extern const gen_scalar_type gen_scalar_str_elem;   /* out-of-line repeated string element: p2f_str */
extern const gen_scalar_type gen_scalar_bytes_elem; /* out-of-line repeated bytes element: p2f_bytes */

#endif /* P2F_GEN_SCALAR_H_ */
