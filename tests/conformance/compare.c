/* Field-by-field comparison of protobuf-c messages with generated structs (see rand_fill.h). */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rand_fill.h"

int same_shape(const ProtobufCMessageDescriptor *pd, const p2f_msg_desc *od, char *why, size_t cap) {
  if (pd->n_fields != od->field_count) {
    snprintf(why, cap, "%u fields in protobuf-c, %u in ours", pd->n_fields, od->field_count);
    return 0;
  }
  for (unsigned i = 0; i < pd->n_fields; i++) {
    const ProtobufCFieldDescriptor *pf = &pd->fields[i];
    const p2f_field_desc *of = &od->fields[i];
    if (pf->id != of->number || pbc_to_our_type(pf->type) != of->type ||
        (pf->label == PROTOBUF_C_LABEL_REPEATED) != (of->label == P2F_FL_REPEATED)) {
      snprintf(why, cap, "field %s (%u)", pf->name, pf->id);
      return 0;
    }
    if (pf->type == PROTOBUF_C_TYPE_MESSAGE &&
        strcmp(((const ProtobufCMessageDescriptor *)pf->descriptor)->name, of->sub->full_name) != 0) {
      snprintf(why, cap, "field %s: message type", pf->name);
      return 0;
    }
  }
  return 1;
}

/* 1/0: explicit presence; -1: implicit (proto3 scalar or string). */
static int pbc_present(const ProtobufCFieldDescriptor *pf, const ProtobufCMessage *pm) {
  const char *base = (const char *)pm;
  if (pf->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
    uint32_t c;
    memcpy(&c, base + pf->quantifier_offset, 4);
    return c == pf->id;
  }
  int pointer = pf->type == PROTOBUF_C_TYPE_STRING || pf->type == PROTOBUF_C_TYPE_MESSAGE;
  const void *ptr = NULL;
  if (pointer) memcpy(&ptr, base + pf->offset, sizeof ptr); /* only pointer members are that wide */
  switch (pf->label) {
    case PROTOBUF_C_LABEL_REQUIRED:
      return 1;
    case PROTOBUF_C_LABEL_OPTIONAL:
      if (pointer) {
        return ptr != NULL && ptr != pf->default_value;
      } else {
        protobuf_c_boolean has;
        memcpy(&has, base + pf->quantifier_offset, sizeof has);
        return has != 0;
      }
    default:
      return pf->type == PROTOBUF_C_TYPE_MESSAGE ? ptr != NULL : -1;
  }
}

static int our_present(const p2f_field_desc *of, const unsigned char *om) {
  if ((of->flags & P2F_FF_OUT) && of->type == P2F_FT_MESSAGE && of->label != P2F_FL_ONEOF &&
      of->label != P2F_FL_REQUIRED && of->label != P2F_FL_ALWAYS) {
    const void *sub;
    memcpy(&sub, om + of->offset, sizeof sub);
    return sub != NULL; /* the pointer is the presence */
  }
  switch (of->label) {
    case P2F_FL_ONEOF: {
      uint32_t which;
      memcpy(&which, om + of->aux_offset, 4);
      return which == of->number;
    }
    case P2F_FL_OPTIONAL:
      return om[of->aux_offset] != 0;
    case P2F_FL_SINGULAR:
      return -1;
    default:
      return 1;
  }
}

/* One value of ours. Inline: ov is the value (the bytes of a string, the struct of a
 * message), olen the length member. Out of line (`ref`): ov is the data pointer member (or a
 * p2f_str/p2f_bytes element), olen its length; a message is ov's pointer, except that the
 * elements of a repeated message field are structs in the array (ref 0 for them). A NULL
 * data pointer is the empty value (zero length required), a NULL submessage the empty one. */
static int same_value(const ProtobufCFieldDescriptor *pf, const p2f_field_desc *of, const char *pv,
                      const unsigned char *ov, const unsigned char *olen, int ref, char *diff, size_t cap) {
  if (ref && (pf->type == PROTOBUF_C_TYPE_STRING || pf->type == PROTOBUF_C_TYPE_BYTES)) {
    const unsigned char *data;
    memcpy(&data, ov, sizeof data);
    uint32_t n;
    memcpy(&n, olen, 4);
    if (data == NULL && n != 0) {
      snprintf(diff, cap, "NULL data with length %u", n);
      return 0;
    }
    ov = data;
  }
  switch (pf->type) {
    case PROTOBUF_C_TYPE_STRING: {
      const char *s;
      memcpy(&s, pv, sizeof s);
      if (s == NULL) s = "";
      uint32_t n;
      memcpy(&n, olen, 4);
      return strlen(s) == n && (n == 0 || memcmp(s, ov, n) == 0);
    }
    case PROTOBUF_C_TYPE_BYTES: {
      ProtobufCBinaryData b;
      memcpy(&b, pv, sizeof b);
      uint32_t n = of->max_length; /* fixed_length: no length member */
      if (!(of->flags & P2F_FF_FIXED_LENGTH)) memcpy(&n, olen, 4);
      return b.len == n && (n == 0 || memcmp(b.data, ov, n) == 0);
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
      const ProtobufCMessage *sub;
      memcpy(&sub, pv, sizeof sub);
      if (sub == NULL) return 0;
      if (ref) {
        const unsigned char *ours;
        memcpy(&ours, ov, sizeof ours);
        if (ours == NULL) { /* the empty message: compare with a fresh struct */
          void *fresh = aligned_alloc(16, (of->sub->size + 15) / 16 * 16);
          if (fresh == NULL) return 0;
          of->sub->init(fresh);
          int same = same_message(pf->descriptor, sub, of->sub, fresh, diff, cap);
          free(fresh);
          return same;
        }
        ov = ours;
      }
      return same_message(pf->descriptor, sub, of->sub, ov, diff, cap);
    }
    case PROTOBUF_C_TYPE_BOOL: {
      protobuf_c_boolean b;
      memcpy(&b, pv, sizeof b);
      return (b != 0) == (ov[0] != 0);
    }
    default: /* numbers and enums: the same width and bits in both */
      return memcmp(pv, ov, pbc_elem_size(pf->type)) == 0;
  }
}

int same_message(const ProtobufCMessageDescriptor *pd, const ProtobufCMessage *pm, const p2f_msg_desc *od,
                 const void *omsg, char *diff, size_t cap) {
  const char *base = (const char *)pm;
  const unsigned char *om = omsg;
  for (unsigned i = 0; i < pd->n_fields; i++) {
    const ProtobufCFieldDescriptor *pf = &pd->fields[i];
    const p2f_field_desc *of = ours_field(od, pf->id);
    char inner[200] = "";
    int ok = 1;
    if (of == NULL) {
      ok = 0;
    } else if (pf->label == PROTOBUF_C_LABEL_REPEATED) {
      size_t n;
      uint32_t count;
      memcpy(&n, base + pf->quantifier_offset, sizeof n);
      if (of->flags & P2F_FF_FIXED_COUNT) count = of->capacity; /* no count member */
      else memcpy(&count, om + of->aux_offset, 4);
      const char *arr;
      memcpy(&arr, base + pf->offset, sizeof arr);
      ok = n == count;
      int out = (of->flags & P2F_FF_OUT) != 0;
      const unsigned char *elems = om + of->offset;
      if (out) {
        memcpy(&elems, om + of->offset, sizeof elems);
        uint32_t ocap;
        memcpy(&ocap, om + of->capacity, 4);
        if (ok && count && (elems == NULL || (ocap != 0 && ocap < count))) {
          snprintf(inner, sizeof inner, "array %p of %u elements, capacity %u", (const void *)elems, count, ocap);
          ok = 0;
        }
      }
      int text = pf->type == PROTOBUF_C_TYPE_STRING || pf->type == PROTOBUF_C_TYPE_BYTES;
      for (uint32_t k = 0; ok && k < count; k++) {
        const unsigned char *e = elems + (size_t)k * of->elem_size;
        const unsigned char *len = out ? (text ? e + offsetof(p2f_str, len) : NULL)
                                       : of->len_offset == P2F_NO_OFFSET ? NULL
                                                                         : om + of->len_offset + (size_t)k * 4;
        ok = same_value(pf, of, arr + k * pbc_elem_size(pf->type), e, len, out && text, inner, sizeof inner);
      }
    } else {
      int pp = pbc_present(pf, pm), op = our_present(of, om);
      if (pp >= 0 && op >= 0 && pp != op) ok = 0;
      else if (pp != 0 && op != 0)
        ok = same_value(pf, of, base + pf->offset, om + of->offset,
                        of->len_offset == P2F_NO_OFFSET ? NULL : om + of->len_offset, (of->flags & P2F_FF_OUT) != 0,
                        inner, sizeof inner);
    }
    if (!ok) {
      snprintf(diff, cap, "%s.%s%s%s", pd->name, pf->name, inner[0] ? " > " : "", inner);
      return 0;
    }
  }
  return 1;
}
