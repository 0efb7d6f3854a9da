/* Table-driven canonical protobuf encoding of fixed-layout structs (see proto2ffi/codec.h).
 * encode and encoded_size walk the same fields with the same decisions (emit_field's `out`
 * is NULL when only sizing). */
#include <string.h>

#include "proto2ffi/codec.h"
#include "proto2ffi/wire.h"

typedef struct enc {
  uint8_t *p;   /* NULL: size only */
  uint8_t *end;
  size_t size;
  p2f_status status;
} enc;

static void put_varint(enc *e, uint64_t v) {
  e->size += p2f_wire_varint_size(v);
  if (e->p && e->status == P2F_OK) e->status = p2f_wire_write_varint(&e->p, e->end, v);
}

static void put_fixed32(enc *e, uint32_t v) {
  e->size += 4;
  if (e->p && e->status == P2F_OK) e->status = p2f_wire_write_fixed32(&e->p, e->end, v);
}

static void put_fixed64(enc *e, uint64_t v) {
  e->size += 8;
  if (e->p && e->status == P2F_OK) e->status = p2f_wire_write_fixed64(&e->p, e->end, v);
}

static void put_raw(enc *e, const void *data, size_t n) {
  e->size += n;
  if (e->p && e->status == P2F_OK) {
    if ((size_t)(e->end - e->p) < n) {
      e->status = P2F_ERR_BUFFER_TOO_SMALL;
    } else if (n) {
      memcpy(e->p, data, n);
      e->p += n;
    }
  }
}

static int scalar_wire(uint8_t type) {
  switch (type) {
    case P2F_FT_DOUBLE:
    case P2F_FT_FIXED64:
    case P2F_FT_SFIXED64:
      return P2F_WIRE_I64;
    case P2F_FT_FLOAT:
    case P2F_FT_FIXED32:
    case P2F_FT_SFIXED32:
      return P2F_WIRE_I32;
    default:
      return P2F_WIRE_VARINT;
  }
}

/* Size in bytes of one scalar's payload. */
static size_t scalar_size(uint8_t type, const unsigned char *src) {
  int wt = scalar_wire(type);
  if (wt == P2F_WIRE_I64) return 8;
  if (wt == P2F_WIRE_I32) return 4;
  uint64_t v = 0;
  switch (type) {
    case P2F_FT_INT64:
    case P2F_FT_UINT64:
      memcpy(&v, src, 8);
      break;
    case P2F_FT_SINT64: {
      int64_t s;
      memcpy(&s, src, 8);
      v = p2f_zigzag_encode64(s);
      break;
    }
    case P2F_FT_SINT32: {
      int32_t s;
      memcpy(&s, src, 4);
      v = p2f_zigzag_encode32(s);
      break;
    }
    case P2F_FT_BOOL:
      v = src[0] != 0;
      break;
    case P2F_FT_INT32:
    case P2F_FT_ENUM: { /* negative values are sign-extended to 10 bytes */
      int32_t s;
      memcpy(&s, src, 4);
      v = (uint64_t)(int64_t)s;
      break;
    }
    default: {
      uint32_t u;
      memcpy(&u, src, 4);
      v = u;
      break;
    }
  }
  return p2f_wire_varint_size(v);
}

static void put_scalar(enc *e, uint8_t type, const unsigned char *src) {
  switch (scalar_wire(type)) {
    case P2F_WIRE_I64: {
      uint64_t v;
      memcpy(&v, src, 8);
      put_fixed64(e, v);
      return;
    }
    case P2F_WIRE_I32: {
      uint32_t v;
      memcpy(&v, src, 4);
      put_fixed32(e, v);
      return;
    }
    default:
      break;
  }
  switch (type) {
    case P2F_FT_INT64:
    case P2F_FT_UINT64: {
      uint64_t v;
      memcpy(&v, src, 8);
      put_varint(e, v);
      return;
    }
    case P2F_FT_SINT64: {
      int64_t s;
      memcpy(&s, src, 8);
      put_varint(e, p2f_zigzag_encode64(s));
      return;
    }
    case P2F_FT_SINT32: {
      int32_t s;
      memcpy(&s, src, 4);
      put_varint(e, p2f_zigzag_encode32(s));
      return;
    }
    case P2F_FT_BOOL:
      put_varint(e, src[0] != 0);
      return;
    case P2F_FT_INT32:
    case P2F_FT_ENUM: {
      int32_t s;
      memcpy(&s, src, 4);
      put_varint(e, (uint64_t)(int64_t)s);
      return;
    }
    default: {
      uint32_t u;
      memcpy(&u, src, 4);
      put_varint(e, u);
      return;
    }
  }
}

static size_t value_width(uint8_t type) {
  switch (type) {
    case P2F_FT_DOUBLE:
    case P2F_FT_FIXED64:
    case P2F_FT_SFIXED64:
    case P2F_FT_INT64:
    case P2F_FT_UINT64:
    case P2F_FT_SINT64:
      return 8;
    case P2F_FT_BOOL:
      return 1;
    default:
      return 4;
  }
}

static int is_zero(const unsigned char *p, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (p[i]) return 0;
  }
  return 1;
}

static void put_tag(enc *e, uint32_t number, int wt) { put_varint(e, (uint64_t)number << 3 | (uint64_t)(unsigned)wt); }

static void encode_msg(enc *e, const p2f_msg_desc *d, const unsigned char *msg);

static size_t message_size(const p2f_msg_desc *d, const unsigned char *msg) {
  enc sizer = {NULL, NULL, 0, P2F_OK};
  encode_msg(&sizer, d, msg);
  return sizer.size;
}

static void put_text(enc *e, uint32_t number, const unsigned char *len_src, const unsigned char *data) {
  uint32_t len;
  memcpy(&len, len_src, 4);
  put_tag(e, number, P2F_WIRE_LEN);
  put_varint(e, len);
  put_raw(e, data, len);
}

static void put_message(enc *e, uint32_t number, const p2f_msg_desc *sub, const unsigned char *m) {
  put_tag(e, number, P2F_WIRE_LEN);
  put_varint(e, message_size(sub, m));
  encode_msg(e, sub, m);
}

static void encode_field(enc *e, const p2f_field_desc *f, const unsigned char *msg) {
  const unsigned char *v = msg + f->offset;
  int text = f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES;
  if (f->label == P2F_FL_REPEATED) {
    uint32_t count;
    memcpy(&count, msg + f->aux_offset, 4);
    if (count > f->capacity) count = f->capacity; /* never read past the array */
    if (count == 0) return;
    if (f->flags & P2F_FF_PACKED) {
      size_t payload = 0;
      for (uint32_t i = 0; i < count; i++) payload += scalar_size(f->type, v + (size_t)i * f->elem_size);
      put_tag(e, f->number, P2F_WIRE_LEN);
      put_varint(e, payload);
      for (uint32_t i = 0; i < count; i++) put_scalar(e, f->type, v + (size_t)i * f->elem_size);
      return;
    }
    for (uint32_t i = 0; i < count; i++) {
      const unsigned char *elem = v + (size_t)i * f->elem_size;
      if (text) put_text(e, f->number, msg + f->len_offset + (size_t)i * 4, elem);
      else if (f->type == P2F_FT_MESSAGE) put_message(e, f->number, f->sub, elem);
      else {
        put_tag(e, f->number, scalar_wire(f->type));
        put_scalar(e, f->type, elem);
      }
    }
    return;
  }
  switch (f->label) {
    case P2F_FL_OPTIONAL:
      if (!msg[f->aux_offset]) return;
      break;
    case P2F_FL_ONEOF: {
      uint32_t which;
      memcpy(&which, msg + f->aux_offset, 4);
      if (which != f->number) return;
      break;
    }
    case P2F_FL_SINGULAR:
      if (text) {
        uint32_t len;
        memcpy(&len, msg + f->len_offset, 4);
        if (len == 0) return;
      } else if (f->type != P2F_FT_MESSAGE && is_zero(v, value_width(f->type))) {
        return; /* proto3 default (0, false, +0.0; -0.0 has its sign bit and is written) */
      }
      break;
    default: /* required, and the key and value of a map entry */
      break;
  }
  if (text) put_text(e, f->number, msg + f->len_offset, v);
  else if (f->type == P2F_FT_MESSAGE) put_message(e, f->number, f->sub, v);
  else {
    put_tag(e, f->number, scalar_wire(f->type));
    put_scalar(e, f->type, v);
  }
}

static void encode_msg(enc *e, const p2f_msg_desc *d, const unsigned char *msg) {
  for (uint32_t i = 0; i < d->field_count; i++) encode_field(e, &d->fields[i], msg);
}

p2f_status p2f_encode(const p2f_msg_desc *desc, const void *msg, uint8_t *buf, size_t cap, size_t *written) {
  if (written) *written = 0;
  if (desc == NULL || msg == NULL || (buf == NULL && cap != 0)) return P2F_ERR_INVALID_ARGUMENT;
  uint8_t dummy;
  enc e = {buf ? buf : &dummy, buf ? buf + cap : &dummy, 0, P2F_OK};
  encode_msg(&e, desc, msg);
  if (e.status != P2F_OK) return e.status;
  if (written) *written = e.size;
  return P2F_OK;
}

size_t p2f_encoded_size(const p2f_msg_desc *desc, const void *msg) {
  if (desc == NULL || msg == NULL) return 0;
  return message_size(desc, msg);
}
