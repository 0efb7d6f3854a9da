/* The field type table (see scalar.h). Sizes and alignments are those of every 64-bit ABI
 * Dart supports (x86-64 and arm64 on Linux, macOS, Windows, Android, iOS); the generated
 * headers assert them. */
#include "scalar.h"

#include <stddef.h>

#include "descriptor_types.h"

/* proto_type, name, kind, wire, zigzag, signed, float, c_type, size, align, max_wire_size, dart_ffi,
 * dart */
static const gen_scalar_type table[] = {
    {GPB_TYPE(DOUBLE), "double", GEN_KIND_NUMERIC, GEN_WIRE_I64, false, true, true, "double", 8, 8, 8, "Double", "double"},
    {GPB_TYPE(FLOAT), "float", GEN_KIND_NUMERIC, GEN_WIRE_I32, false, true, true, "float", 4, 4, 4, "Float", "double"},
    {GPB_TYPE(INT64), "int64", GEN_KIND_NUMERIC, GEN_WIRE_VARINT, false, true, false, "int64_t", 8, 8, 10, "Int64", "int"},
    {GPB_TYPE(UINT64), "uint64", GEN_KIND_NUMERIC, GEN_WIRE_VARINT, false, false, false, "uint64_t", 8, 8, 10, "Uint64", "int"},
    {GPB_TYPE(INT32), "int32", GEN_KIND_NUMERIC, GEN_WIRE_VARINT, false, true, false, "int32_t", 4, 4, 10, "Int32", "int"},
    {GPB_TYPE(FIXED64), "fixed64", GEN_KIND_NUMERIC, GEN_WIRE_I64, false, false, false, "uint64_t", 8, 8, 8, "Uint64", "int"},
    {GPB_TYPE(FIXED32), "fixed32", GEN_KIND_NUMERIC, GEN_WIRE_I32, false, false, false, "uint32_t", 4, 4, 4, "Uint32", "int"},
    {GPB_TYPE(BOOL), "bool", GEN_KIND_NUMERIC, GEN_WIRE_VARINT, false, false, false, "uint8_t", 1, 1, 1, "Uint8", "bool"},
    {GPB_TYPE(STRING), "string", GEN_KIND_STRING, GEN_WIRE_LEN, false, false, false, "char", 0, 1, 0, "Uint8", "String"},
    {GPB_TYPE(GROUP), "group", GEN_KIND_GROUP, GEN_WIRE_SGROUP, false, false, false, NULL, 0, 1, 0, NULL, NULL},
    {GPB_TYPE(MESSAGE), "message", GEN_KIND_MESSAGE, GEN_WIRE_LEN, false, false, false, NULL, 0, 1, 0, NULL, NULL},
    {GPB_TYPE(BYTES), "bytes", GEN_KIND_BYTES, GEN_WIRE_LEN, false, false, false, "uint8_t", 0, 1, 0, "Uint8", "Uint8List"},
    {GPB_TYPE(UINT32), "uint32", GEN_KIND_NUMERIC, GEN_WIRE_VARINT, false, false, false, "uint32_t", 4, 4, 5, "Uint32", "int"},
    {GPB_TYPE(ENUM), "enum", GEN_KIND_ENUM, GEN_WIRE_VARINT, false, true, false, "int32_t", 4, 4, 10, "Int32", "int"},
    {GPB_TYPE(SFIXED32), "sfixed32", GEN_KIND_NUMERIC, GEN_WIRE_I32, false, true, false, "int32_t", 4, 4, 4, "Int32", "int"},
    {GPB_TYPE(SFIXED64), "sfixed64", GEN_KIND_NUMERIC, GEN_WIRE_I64, false, true, false, "int64_t", 8, 8, 8, "Int64", "int"},
    {GPB_TYPE(SINT32), "sint32", GEN_KIND_NUMERIC, GEN_WIRE_VARINT, true, true, false, "int32_t", 4, 4, 5, "Int32", "int"},
    {GPB_TYPE(SINT64), "sint64", GEN_KIND_NUMERIC, GEN_WIRE_VARINT, true, true, false, "int64_t", 8, 8, 10, "Int64", "int"},
};

const gen_scalar_type gen_scalar_u32 = {GPB_TYPE(UINT32), "uint32", GEN_KIND_NUMERIC, GEN_WIRE_VARINT, false, false, false, "uint32_t", 4, 4, 5, "Uint32", "int"};
const gen_scalar_type gen_scalar_flag = {GPB_TYPE(BOOL), "bool", GEN_KIND_NUMERIC, GEN_WIRE_VARINT, false, false, false, "uint8_t", 1, 1, 1, "Uint8", "bool"};
const gen_scalar_type gen_scalar_char = {GPB_TYPE(STRING), "string", GEN_KIND_STRING, GEN_WIRE_LEN, false, false, false, "char", 1, 1, 0, "Uint8", "int"};
const gen_scalar_type gen_scalar_byte = {GPB_TYPE(BYTES), "bytes", GEN_KIND_BYTES, GEN_WIRE_LEN, false, false, false, "uint8_t", 1, 1, 0, "Uint8", "int"};

/* Elements of out-of-line repeated strings and bytes: {data pointer, uint32_t len, reserved}. */
const gen_scalar_type gen_scalar_str_elem = {GPB_TYPE(STRING), "string", GEN_KIND_STRING, GEN_WIRE_LEN, false, false, false, "p2f_str", 16, 8, 0, "Void", "String"};
const gen_scalar_type gen_scalar_bytes_elem = {GPB_TYPE(BYTES), "bytes", GEN_KIND_BYTES, GEN_WIRE_LEN, false, false, false, "p2f_bytes", 16, 8, 0, "Void", "Uint8List"};

const gen_scalar_type *gen_scalar_for_proto(int proto_type) {
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
    if (table[i].proto_type == proto_type) return &table[i];
  }
  return NULL;
}
