/* proto2ffi/codec.h: protobuf wire encode/decode of fixed-layout structs, driven by the field
 * tables the generator emits (one p2f_msg_desc per message). Generated code wraps these as
 * T_decode / T_encode / T_encoded_size; call those.
 *
 *   social_Post post;
 *   p2f_status st = social_Post_decode(&post, buf, len);     // post is initialised first
 *   uint8_t out[social_Post_MAX_ENCODED_SIZE];
 *   size_t n;
 *   st = social_Post_encode(&post, out, sizeof out, &n);
 *
 * Decoding: the message is initialised (T_init) and the input merged into it with protobuf
 * semantics: the last value of a scalar wins, a submessage seen twice is merged, repeated
 * fields (packed or not) append, a oneof keeps its last member, unknown fields are skipped,
 * and a map entry whose key is already present replaces that entry's value. Input that does
 * not fit (a string longer than its capacity, more elements than the capacity) or is not
 * valid protobuf returns the matching P2F_ERR_* status; the message is then re-initialised,
 * so it is always a valid message. Nothing is ever read outside [buf, buf+len) or written
 * outside the struct.
 *
 * Encoding is canonical: fields in number order, proto3 defaults omitted, repeated numeric
 * fields packed where the schema says so. It writes nothing past `cap` (bytes after the
 * `written` ones, up to `cap`, may be overwritten); on P2F_ERR_BUFFER_TOO_SMALL the buffer's
 * contents are unspecified.
 *
 * Thread-safety: the tables are constant; concurrent calls on different messages are safe.
 */
#ifndef PROTO2FFI_CODEC_H_
#define PROTO2FFI_CODEC_H_

#include "proto2ffi/port.h"
#include "proto2ffi/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Field types in the tables (the protobuf type, which fixes wire type and conversion). */
enum {
  P2F_FT_DOUBLE = 1,
  P2F_FT_FLOAT = 2,
  P2F_FT_INT64 = 3,
  P2F_FT_UINT64 = 4,
  P2F_FT_INT32 = 5,
  P2F_FT_FIXED64 = 6,
  P2F_FT_FIXED32 = 7,
  P2F_FT_BOOL = 8,
  P2F_FT_STRING = 9,
  P2F_FT_MESSAGE = 11,
  P2F_FT_BYTES = 12,
  P2F_FT_UINT32 = 13,
  P2F_FT_ENUM = 14,
  P2F_FT_SFIXED32 = 15,
  P2F_FT_SFIXED64 = 16,
  P2F_FT_SINT32 = 17,
  P2F_FT_SINT64 = 18,
};

/* How a field is held in the struct. */
enum {
  P2F_FL_SINGULAR = 0, /* proto3 implicit presence: written when not zero/empty */
  P2F_FL_OPTIONAL = 1, /* has_ flag at aux_offset */
  P2F_FL_REQUIRED = 2, /* always written; decode fails if absent */
  P2F_FL_REPEATED = 3, /* count at aux_offset */
  P2F_FL_ONEOF = 4,    /* which_ tag at aux_offset */
  P2F_FL_ALWAYS = 5,   /* key and value of a map entry: always written, as protobuf does */
};

enum {
  P2F_FF_PACKED = 1,      /* written packed */
  P2F_FF_UTF8 = 2,        /* proto3 string: decode validates UTF-8 */
  P2F_FF_MAP = 4,         /* repeated map entry: a repeated key replaces the entry */
  P2F_FF_CLOSED_ENUM = 8, /* proto2 enum: values not in `enum_values` are dropped */
};

#define P2F_NO_OFFSET UINT32_MAX

/* p2f_field_desc.wire: how one value of the field travels and is stored, from the generator's
 * scalar table, so that the codec dispatches on data instead of deriving it from `type`.
 *   bits 0-2  the protobuf wire type: 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed
 *             32-bit (P2F_WIRE_* in wire.h); 2 for strings, bytes, messages (also repeated)
 *   bits 3-6  bytes one value takes in the struct: 1 (bool), 4 (32-bit types, enums), 8
 *             (64-bit types); 0 for strings, bytes and messages
 *   bit 7     P2F_FIELD_ZIGZAG: the varint is zigzag-encoded (sint32, sint64)
 * The other varint conversions follow from the width and `type`: width 1 is a bool (0/1),
 * width 4 is sign-extended to 64 bits except for uint32. */
#define P2F_FIELD_ZIGZAG 0x80u
#define P2F_FIELD_WIRE(wire_type, width, zigzag) \
  ((uint8_t)((unsigned)(wire_type) | (unsigned)(width) << 3 | ((zigzag) ? P2F_FIELD_ZIGZAG : 0u)))
#define P2F_FIELD_WIRE_TYPE(wire) ((unsigned)(wire)&7u)
#define P2F_FIELD_WIDTH(wire) ((unsigned)(wire) >> 3 & 15u)

typedef struct p2f_msg_desc p2f_msg_desc;

typedef struct p2f_field_desc {
  uint32_t number;
  uint8_t type;   /* P2F_FT_* */
  uint8_t label;  /* P2F_FL_* */
  uint8_t flags;  /* P2F_FF_* */
  uint8_t wire;   /* P2F_FIELD_WIRE(wire type, value width, zigzag) */
  uint32_t offset;     /* the value, or the first element */
  uint32_t aux_offset; /* has_ / count / which_ */
  uint32_t len_offset; /* string/bytes length (the first of an array for repeated); else P2F_NO_OFFSET */
  uint32_t elem_size;  /* bytes between elements (repeated) / storage of one value */
  uint32_t capacity;   /* repeated: max elements; oneof: size of the oneof's union */
  uint32_t max_length; /* string/bytes: max bytes */
  const p2f_msg_desc *sub;       /* message fields */
  const int32_t *enum_values;    /* closed enums: the declared values, sorted */
  uint32_t enum_value_count;
} p2f_field_desc;

struct p2f_msg_desc {
  const char *full_name;
  uint32_t size;
  uint32_t field_count;
  const p2f_field_desc *fields; /* sorted by number */
  void (*init)(void *msg);
};

/* Decoding nests at most this many messages deep (P2F_ERR_NESTING_TOO_DEEP beyond). */
#define P2F_MAX_DEPTH 64

P2F_EXPORT p2f_status p2f_decode(const p2f_msg_desc *desc, void *msg, const uint8_t *buf, size_t len);
P2F_EXPORT p2f_status p2f_encode(const p2f_msg_desc *desc, const void *msg, uint8_t *buf, size_t cap,
                                 size_t *written);
P2F_EXPORT size_t p2f_encoded_size(const p2f_msg_desc *desc, const void *msg);

#ifdef __cplusplus
}
#endif

#endif /* PROTO2FFI_CODEC_H_ */
