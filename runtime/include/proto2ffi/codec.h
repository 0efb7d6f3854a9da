/* proto2ffi/codec.h: protobuf wire encode/decode of fixed-layout structs, driven by the field
 * tables the generator emits (one p2f_msg_desc per message). Generated code wraps these as
 * T_decode / T_encode / T_encoded_size; call those.
 *
 *   social_Post post;
 *   p2f_status st = social_Post_decode(&post, buf, len);     // post's defined bytes set first
 *   uint8_t out[social_Post_MAX_ENCODED_SIZE];
 *   size_t n;
 *   st = social_Post_encode(&post, out, sizeof out, &n);
 *
 * Decoding: the message's defined bytes are initialised (below) and the input merged into it with protobuf
 * semantics: the last value of a scalar wins, a submessage seen twice is merged, repeated
 * fields (packed or not) append, a oneof keeps its last member, unknown fields are skipped,
 * and a map entry whose key is already present replaces that entry's value. Input that does
 * not fit (a string longer than its capacity, more elements than the capacity) or is not
 * valid protobuf returns the matching P2F_ERR_* status; the message is then re-initialised,
 * so it is always a valid message. Nothing is ever read outside [buf, buf+len) or written
 * outside the struct.
 *
 * Defined bytes. After a decode (successful or not) these bytes of the struct hold their
 * values, and code may read only these: every scalar field (its default when absent), every
 * has_ flag, oneof which_ tag, repeated field's count, and string/bytes length; a string's
 * bytes up to its length and the NUL after them; a bytes field's bytes up to its length;
 * repeated elements below the count, each defined the same way; the current member of a
 * oneof (none when which_ is 0); inline submessages, present or not, recursively. The rest --
 * string and bytes capacity past the length (after the NUL), array elements at and past the
 * count, the union bytes a oneof's current member does not use, padding -- is left as it was
 * before the call, so decoding does not pay for zeroing capacity it does not fill. With
 * P2F_DECODE_ZERO_FILL in p2f_decode_options.flags, the message is first set by T_init
 * instead (every byte: zeros and defaults), and a oneof switching members clears its union:
 * the struct's bytes then depend only on the input. Messages whose T_init writes more than
 * zeros (proto2 defaults, a closed enum whose first value is not 0; P2F_MF_ZERO_INIT not
 * set), trees with out-of-line fields, and structs of at most P2F_SPARSE_INIT_BYTES bytes per
 * field (small ones, zeroed whole faster than their fields are walked; the rule applies to each
 * inline submessage on its own) are always initialised by T_init. T_init itself
 * always zeroes every byte. Code that copies a decoded struct's raw bytes elsewhere (memcpy
 * into a file, a hash of the bytes, memcmp of two structs) copies the undefined bytes too:
 * decode with P2F_DECODE_ZERO_FILL, or into memory that T_init set, when those bytes must be
 * reproducible.
 *
 * Encoding is canonical: fields in number order, proto3 defaults omitted, repeated numeric
 * fields packed where the schema says so. It writes nothing past `cap` (bytes after the
 * `written` ones, up to `cap`, may be overwritten); on P2F_ERR_BUFFER_TOO_SMALL the buffer's
 * contents are unspecified.
 *
 * Out-of-line fields (P2F_FF_OUT: strings and bytes as a pointer and a length, repeated
 * fields as a pointer, a count and a capacity, submessages as a pointer, NULL when absent)
 * keep their data outside the struct, in a p2f_arena. A message whose tree has one
 * (P2F_MF_OUT_OF_LINE) is decoded with p2f_decode_ex and an arena:
 *
 *   p2f_arena arena;
 *   p2f_arena_init(&arena, NULL);
 *   p2f_decode_options opts = {&arena, P2F_DECODE_ALIAS, 0};  // strings point into buf
 *   st = p2f_decode_ex(&T_desc, &msg, buf, len, &opts);       // buf must outlive msg
 *   ...
 *   p2f_arena_reset(&arena);                                  // frees msg's out-of-line data
 *
 * Copying (flags 0), a string gets len + 1 bytes in the arena, NUL-terminated; bytes get len
 * bytes; an empty value is data NULL, length 0. Aliasing (P2F_DECODE_ALIAS), strings and bytes
 * point into buf and strings are not NUL-terminated; proto3 UTF-8 is verified either way.
 * Repeated fields grow in the arena by doubling (a packed run reserves its element count at
 * once). A submessage seen twice is merged into the one already allocated; a oneof switching
 * members clears its union first. On any error the message is re-initialised AND the arena
 * rewound to where it stood when the decode began (p2f_arena_rewind), so it holds nothing of
 * the failed decode; with P2F_ERR_ARENA_LIMIT nothing was written past the arena's limit.
 * Decoding nests at most opts->max_depth messages deep (0: P2F_DEFAULT_MAX_DEPTH), beyond
 * that P2F_ERR_NESTING_TOO_DEEP. Encoding reads through the pointers (NULL with a zero length
 * or count is empty) and refuses nesting deeper than P2F_DEFAULT_MAX_DEPTH (a pointer cycle
 * built in C): P2F_ERR_NESTING_TOO_DEEP from p2f_encode, SIZE_MAX from p2f_encoded_size.
 * p2f_copy deep-copies a message into an arena (so an aliased decode can outlive its input).
 *
 * Thread-safety: the tables are constant; concurrent calls on different messages are safe.
 * An arena is used by one thread at a time (arena.h), so concurrent decodes need one each.
 */
#ifndef PROTO2FFI_CODEC_H_
#define PROTO2FFI_CODEC_H_

#include "proto2ffi/arena.h"
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
  P2F_FF_OUT = 16,        /* out-of-line: the data lives outside the struct (see below) */
  P2F_FF_INT_SIZE = 32,   /* an integer stored at another width than its type's (nanopb's
                           * int_size): see P2F_FIELD_WIRE */
  P2F_FF_FIXED_LENGTH = 64, /* inline bytes without a length member (len_offset P2F_NO_OFFSET),
                             * always max_length bytes (nanopb's fixed_length): see below */
  P2F_FF_FIXED_COUNT = 128, /* inline repeated without a count member (aux_offset
                             * P2F_NO_OFFSET), always `capacity` elements (nanopb's
                             * fixed_count): see below */
};

/* Fixed sizes (nanopb's fixed_length and fixed_count; inline fields only).
 * A P2F_FF_FIXED_LENGTH bytes field holds exactly max_length bytes: decoding takes a value of
 * exactly that length, or an empty one, which sets every byte to zero (as nanopb does); any
 * other length fails with P2F_ERR_FIXED_LENGTH. Encoding writes all max_length bytes (an
 * implicit-presence field, P2F_FL_SINGULAR, is left out when they are all zero).
 * A P2F_FF_FIXED_COUNT repeated field holds exactly `capacity` elements: decoding takes
 * exactly that many (packed or not, other fields may come between them) and fails with
 * P2F_ERR_FIXED_COUNT when the message ends, or another fixed_count field of it begins, with
 * fewer (P2F_ERR_TOO_MANY_ELEMENTS with more); a fixed_count field met again after another
 * one began starts over from its first element, as nanopb's decoder does. Absent from the
 * input, the field keeps every element as init left it. Encoding always writes all
 * `capacity` elements. Every element of such an array is a defined byte of a decoded
 * message. */

/* An out-of-line field's descriptor:
 *   offset      the pointer member (for a oneof member: inside the union)
 *   len_offset  singular string/bytes: the uint32_t length; else P2F_NO_OFFSET
 *   aux_offset  has_ (optional string/bytes), the uint32_t count (repeated), which_ (oneof);
 *               P2F_NO_OFFSET for a singular message (the pointer is the presence)
 *   capacity    repeated: the offset of the uint32_t x_cap member (elements the arena-owned
 *               array holds; 0 = not owned, copied before it grows); oneof: the union size
 *   elem_size   bytes of one element of the array pointed to (the scalar width, 16 for
 *               p2f_str / p2f_bytes, sizeof(Sub) for messages)
 *   max_length  UINT32_MAX for strings and bytes */

/* Elements of out-of-line repeated string and bytes fields (16 bytes on 64-bit ABIs). */
typedef struct p2f_str {
  char *data;
  uint32_t len;
  uint32_t reserved_;
} p2f_str;
typedef struct p2f_bytes {
  uint8_t *data;
  uint32_t len;
  uint32_t reserved_;
} p2f_bytes;

/* p2f_msg_desc.flags */
enum {
  P2F_MF_OUT_OF_LINE = 1, /* this message's tree reaches an out-of-line field: decode needs an arena */
  P2F_MF_ZERO_INIT = 2,   /* init writes zeros only: decode sets just the defined bytes (above) */
  P2F_MF_DEFAULT_HAS = 4, /* init sets has_ flags (nanopb's default_has) here or in an inline
                           * submessage: decode clears every has_ flag after init, so that
                           * presence says what the input held (as nanopb's decoder does) */
  P2F_MF_NO_REQUIRED = 8, /* no field is P2F_FL_REQUIRED: decode skips the check that all were seen */
};

/* How far a generated dispatch table reaches: it covers the numbers 0..n, n the largest field
 * number not above min(max(P2F_DISPATCH_MIN, 4 * field count), P2F_DISPATCH_MAX), so it takes
 * at most 256 bytes and stays dense enough to pay for itself. Fields are sorted by number, so
 * the fields numbered up to 255 have indexes up to 254: every entry fits a byte. */
#define P2F_DISPATCH_MIN 32u
#define P2F_DISPATCH_MAX 255u

#define P2F_NO_OFFSET UINT32_MAX

/* p2f_field_desc.wire: how one value of the field travels and is stored, from the generator's
 * scalar table, so that the codec dispatches on data instead of deriving it from `type`.
 *   bits 0-2  the protobuf wire type: 0 varint, 1 fixed 64-bit, 2 length-delimited, 5 fixed
 *             32-bit (P2F_WIRE_* in wire.h); 2 for strings, bytes, messages (also repeated)
 *   bits 3-6  bytes one value takes in the struct: 1 (bool), 4 (32-bit types, enums), 8
 *             (64-bit types); 0 for strings, bytes and messages
 *   bit 7     P2F_FIELD_ZIGZAG: the varint is zigzag-encoded (sint32, sint64)
 * The other varint conversions follow from the width and `type`: width 1 is a bool (0/1),
 * width 4 is sign-extended to 64 bits except for uint32.
 * With P2F_FF_INT_SIZE (int32, uint32, sint32, int64, uint64, sint64 only) the width is the
 * one the field was given instead, 1, 2, 4 or 8: the value is stored in that many bytes,
 * signed except for uint32 and uint64, and encoded as the type's varint (sign-extended,
 * zigzag for sint*). Decoding a value that does not fit a narrower width fails with
 * P2F_ERR_INTEGER_RANGE, as nanopb's decoder fails ("integer too large"). */
#define P2F_FIELD_ZIGZAG 0x80u
#define P2F_FIELD_WIRE(wire_type, width, zigzag) \
  ((uint8_t)((unsigned)(wire_type) | (unsigned)(width) << 3 | ((zigzag) ? P2F_FIELD_ZIGZAG : 0u)))
#define P2F_FIELD_WIRE_TYPE(wire) ((unsigned)(wire)&7u)
#define P2F_FIELD_WIDTH(wire) ((unsigned)(wire) >> 3 & 15u)

/* p2f_field_desc.kind: a decoding routine chosen once per field (by the generator), so that
 * the decoder's loop switches on one byte for the common fields. P2F_FK_VARINT64 to
 * P2F_FK_MESSAGE only for an inline field that is P2F_FL_SINGULAR or P2F_FL_OPTIONAL
 * (P2F_FK_HAS: set the has_ flag at aux_offset), without P2F_FF_CLOSED_ENUM,
 * P2F_FF_INT_SIZE, P2F_FF_FIXED_LENGTH or P2F_FF_OUT, and used only when the value arrives
 * with the wire type of `wire`; P2F_FK_PACKED only for an inline P2F_FF_PACKED repeated
 * field without P2F_FF_FIXED_COUNT, used only when a run arrives under its one-byte tag
 * (`tag`, wire type 2). Anything else takes the general path, which gives the same result
 * for every kind: 0 everywhere is always correct. */
enum {
  P2F_FK_GENERAL = 0,
  P2F_FK_VARINT64 = 1,  /* int64, uint64: the varint's 64 bits */
  P2F_FK_VARINT32 = 2,  /* int32, uint32, open enums: the varint's low 32 bits */
  P2F_FK_ZIGZAG64 = 3,  /* sint64 */
  P2F_FK_ZIGZAG32 = 4,  /* sint32 */
  P2F_FK_BOOL = 5,      /* 1 byte: varint != 0 */
  P2F_FK_FIXED64 = 6,   /* double, fixed64, sfixed64: 8 bytes */
  P2F_FK_FIXED32 = 7,   /* float, fixed32, sfixed32: 4 bytes */
  P2F_FK_STRING = 8,    /* string, not verified: length, bytes, NUL */
  P2F_FK_STRING_UTF8 = 9, /* string verified as UTF-8 (P2F_FF_UTF8) */
  P2F_FK_BYTES = 10,    /* bytes: length and bytes */
  P2F_FK_MESSAGE = 11,  /* a submessage held in the struct (merged when seen twice) */
  P2F_FK_PACKED = 12,   /* a packed repeated scalar held in the struct: the run appended to
                         * the array, as the general path does */
  P2F_FK_HAS = 0x80     /* or-ed with the above: P2F_FL_OPTIONAL, has_ flag at aux_offset */
};
#define P2F_FK_ROUTINE(kind) ((unsigned)(kind)&0x7fu)

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
  uint32_t capacity;   /* repeated: max elements (out-of-line: offset of x_cap); oneof: size of the union */
  uint32_t max_length; /* string/bytes: max bytes */
  const p2f_msg_desc *sub;       /* message fields */
  const int32_t *enum_values;    /* closed enums: the declared values, sorted */
  uint32_t enum_value_count;
  uint8_t tag_len; /* bytes of `tag`, 1-5; 0: not given, the encoder computes the tag */
  uint8_t tag[5];  /* the field's tag as the encoder writes it: the varint of number << 3 |
                    * wire type, with wire type 2 for a packed field */
  uint8_t kind;    /* P2F_FK_*: how the decoder stores a value arriving with the field's own
                    * wire type, chosen by the generator; 0: the general path decides */
  uint8_t next_tag; /* the next field's tag in the table when that is one byte (its tag[0]:
                     * numbers 1-15), else 0; must be 0 in the last field. The decoder
                     * expects it after this field, as encoders write fields in number
                     * order; 0 only costs that guess. */
} p2f_field_desc;

struct p2f_msg_desc {
  const char *full_name;
  uint32_t size;
  uint32_t field_count;
  const p2f_field_desc *fields; /* sorted by number */
  void (*init)(void *msg);
  uint32_t align; /* alignment of the struct (0 is read as 8) */
  uint32_t flags; /* P2F_MF_* */
  /* Field lookup by number without a search: for n < dispatch_len, dispatch[n] is 1 + the
   * index in `fields` of field n, or 0 when n is no field of the message. Numbers at or past
   * dispatch_len (sparse ones, and all of them when dispatch_len is 0) are found by binary
   * search in `fields`. The generator covers the numbers up to P2F_DISPATCH_MAX (see below). */
  const uint8_t *dispatch;
  uint32_t dispatch_len;
  uint32_t reserved_; /* 0 */
  /* The bytes decoding defines when it initialises only those ("Defined bytes" above), as
   * zero_count pairs {offset, length} in increasing offset order, inline submessages included,
   * adjacent ones joined; NULL (0 pairs): the decoder walks the field table instead. Only
   * read where the decoder initialises sparsely (P2F_SPARSE_INIT_BYTES). */
  const uint32_t *zero_ranges;
  uint32_t zero_count;
};

/* Decoding nests at most this many messages deep unless told otherwise, encoding always
 * (P2F_ERR_NESTING_TOO_DEEP beyond). */
#define P2F_DEFAULT_MAX_DEPTH 100

/* Decoding sets only the defined bytes of a message whose struct is larger than this many
 * bytes per field (and T_init writes zeros only); smaller structs are set whole by T_init. */
#define P2F_SPARSE_INIT_BYTES 96u

enum {
  P2F_DECODE_ALIAS = 1,     /* strings/bytes point into buf; the caller keeps buf alive */
  P2F_DECODE_ZERO_FILL = 2, /* T_init first: every byte of the struct defined (see "Defined bytes") */
};

typedef struct p2f_decode_options {
  p2f_arena *arena;   /* out-of-line data; required when desc->flags & P2F_MF_OUT_OF_LINE */
  uint32_t flags;     /* P2F_DECODE_* */
  uint32_t max_depth; /* 0: P2F_DEFAULT_MAX_DEPTH */
} p2f_decode_options;

/* p2f_decode_ex with NULL options: defaults, no arena. A message with out-of-line fields
 * (P2F_MF_OUT_OF_LINE) returns P2F_ERR_INVALID_ARGUMENT, the message initialised. */
P2F_EXPORT p2f_status p2f_decode(const p2f_msg_desc *desc, void *msg, const uint8_t *buf, size_t len);
/* Decodes buf into msg (initialised first) as the header comment says. opts NULL: defaults,
 * no arena. P2F_ERR_INVALID_ARGUMENT for NULL desc or msg, buf NULL with len != 0, or an
 * out-of-line tree without an arena. */
P2F_EXPORT p2f_status p2f_decode_ex(const p2f_msg_desc *desc, void *msg, const uint8_t *buf, size_t len,
                                    const p2f_decode_options *opts);
P2F_EXPORT p2f_status p2f_encode(const p2f_msg_desc *desc, const void *msg, uint8_t *buf, size_t cap,
                                 size_t *written);
P2F_EXPORT size_t p2f_encoded_size(const p2f_msg_desc *desc, const void *msg);

/* Deep copy: dst is initialised, gets src's inline parts by value and a copy of every
 * out-of-line byte (strings, bytes, arrays, submessages) in `arena`; afterwards dst refers
 * to nothing of src's memory (strings copied NUL-terminated). dst and src must not overlap.
 * An inline-only message needs no arena (NULL is accepted). Errors:
 * P2F_ERR_INVALID_ARGUMENT (NULL desc/dst/src, or no arena for an out-of-line tree),
 * P2F_ERR_NESTING_TOO_DEEP (deeper than P2F_DEFAULT_MAX_DEPTH: a pointer cycle), the arena's
 * P2F_ERR_ARENA_LIMIT / P2F_ERR_OUT_OF_MEMORY; dst is then initialised and the arena
 * rewound to where it stood before the call. */
P2F_EXPORT p2f_status p2f_copy(const p2f_msg_desc *desc, void *dst, const void *src, p2f_arena *arena);

/* Building helpers for out-of-line fields (the generated T_set_x / T_add_x / T_mutable_x
 * call these). They change nothing on failure.
 *
 * p2f_set_text: *data = a copy of src[0..n) in the arena with a NUL after it, *len = n
 * (n == 0: *data NULL, *len 0, nothing allocated). p2f_set_bytes: the same without the NUL.
 * Statuses: P2F_ERR_INVALID_ARGUMENT (NULL arena/data/len, src NULL with n != 0),
 * P2F_ERR_STRING_TOO_LONG (n > UINT32_MAX), the arena's errors. src may point into the arena. */
P2F_EXPORT p2f_status p2f_set_text(p2f_arena *a, char **data, uint32_t *len, const void *src, size_t n);
P2F_EXPORT p2f_status p2f_set_bytes(p2f_arena *a, uint8_t **data, uint32_t *len, const void *src, size_t n);
/* Appends one zeroed element of elem_size bytes to the array *data (*count elements, room for
 * *cap; cap 0 means the array is not the arena's, e.g. set by reference, and is copied into
 * the arena before it grows) and returns it; *count is incremented. The array grows by
 * doubling (p2f_arena_realloc; align is the element's alignment, a power of two up to 4096),
 * so element pointers taken earlier become invalid when it moves. NULL on failure (NULL
 * arguments, elem_size 0, *count == UINT32_MAX, the arena's errors: see
 * p2f_arena_last_error). */
P2F_EXPORT void *p2f_array_add(p2f_arena *a, void **data, uint32_t *count, uint32_t *cap, size_t elem_size,
                               size_t align);
/* A new message of type d in the arena (d->size bytes, d->align), initialised; NULL on
 * failure. */
P2F_EXPORT void *p2f_msg_new(p2f_arena *a, const p2f_msg_desc *d);

#ifdef __cplusplus
}
#endif

#endif /* PROTO2FFI_CODEC_H_ */
