/* The bytes of a struct that decoding defines (proto2ffi/codec.h, "Defined bytes"), walked
 * from a message's field table for the tests: whether two structs agree on all of them, and
 * whether the capacity decoding does not define was left alone. Inline fields only. */
#ifndef P2F_TESTS_DEFINED_H_
#define P2F_TESTS_DEFINED_H_

#include <stdio.h>
#include <string.h>

#include "proto2ffi/codec.h"

static inline uint32_t defined_u32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

/* One value of field f (a string, bytes, submessage or scalar) at value / len. */
static inline int defined_value_equal(const p2f_field_desc *f, const unsigned char *va, const unsigned char *vb,
                               const unsigned char *la, const unsigned char *lb);

/* Whether a and b (structs of message d) hold the same defined bytes; prints the first
 * difference with its path. */
static inline int defined_equal(const p2f_msg_desc *d, const void *a_, const void *b_) {
  const unsigned char *a = (const unsigned char *)a_, *b = (const unsigned char *)b_;
  for (uint32_t i = 0; i < d->field_count; i++) {
    const p2f_field_desc *f = &d->fields[i];
    if (f->label == P2F_FL_REPEATED) {
      uint32_t n = defined_u32(a + f->aux_offset);
      if (n != defined_u32(b + f->aux_offset)) goto differ;
      for (uint32_t k = 0; k < n; k++) {
        size_t e = f->offset + (size_t)k * f->elem_size;
        size_t l = f->len_offset == P2F_NO_OFFSET ? 0 : f->len_offset + (size_t)k * 4;
        if (!defined_value_equal(f, a + e, b + e, a + l, b + l)) goto differ;
      }
      continue;
    }
    if (f->label == P2F_FL_ONEOF) {
      uint32_t w = defined_u32(a + f->aux_offset);
      if (w != defined_u32(b + f->aux_offset)) goto differ;
      if (w != f->number) continue;
    } else if (f->aux_offset != P2F_NO_OFFSET && a[f->aux_offset] != b[f->aux_offset]) {
      goto differ;
    }
    size_t l = f->len_offset == P2F_NO_OFFSET ? 0 : f->len_offset;
    if (!defined_value_equal(f, a + f->offset, b + f->offset, a + l, b + l)) goto differ;
    continue;
  differ:
    fprintf(stderr, "defined bytes differ: %s field %u\n", d->full_name, f->number);
    return 0;
  }
  return 1;
}

static inline int defined_value_equal(const p2f_field_desc *f, const unsigned char *va, const unsigned char *vb,
                               const unsigned char *la, const unsigned char *lb) {
  switch (f->type) {
    case P2F_FT_STRING:
    case P2F_FT_BYTES: {
      uint32_t n = defined_u32(la);
      if (n != defined_u32(lb)) return 0;
      size_t with_nul = n + (f->type == P2F_FT_STRING);
      return memcmp(va, vb, with_nul) == 0;
    }
    case P2F_FT_MESSAGE:
      return defined_equal(f->sub, va, vb);
    default:
      return memcmp(va, vb, f->elem_size) == 0;
  }
}

/* Whether every byte of m that decoding does not define and that a decode without repeated
 * or replaced values never writes still holds `pattern`: the bytes of each singular string
 * after its NUL, of each bytes field after its length, of each array from its count to its
 * capacity (every element kind), recursively in submessages and elements below the count.
 * Only messages decoding initialises sparsely (defined_sparse) are checked; with pattern 0
 * (after zero fill) every message is. Prints the first byte that changed. */
/* Whether decoding leaves d's capacity alone (proto2ffi/codec.h, "Defined bytes"): T_init
 * writes zeros only, no out-of-line field, more than P2F_SPARSE_INIT_BYTES per field. */
static inline int defined_sparse(const p2f_msg_desc *d) {
  return (d->flags & (P2F_MF_ZERO_INIT | P2F_MF_OUT_OF_LINE)) == P2F_MF_ZERO_INIT &&
         d->size > (uint64_t)P2F_SPARSE_INIT_BYTES * d->field_count;
}

static inline int capacity_untouched(const p2f_msg_desc *d, const void *m_, unsigned char pattern) {
  const unsigned char *m = (const unsigned char *)m_;
  if (pattern != 0 && !defined_sparse(d)) return 1; /* zeroed whole by T_init: nothing to check */
  for (uint32_t i = 0; i < d->field_count; i++) {
    const p2f_field_desc *f = &d->fields[i];
    size_t from = 0, to = 0;
    if (f->label == P2F_FL_REPEATED) {
      uint32_t n = defined_u32(m + f->aux_offset);
      from = f->offset + (size_t)n * f->elem_size;
      to = f->offset + (size_t)f->capacity * f->elem_size;
      for (uint32_t k = 0; k < n; k++) {
        const unsigned char *e = m + f->offset + (size_t)k * f->elem_size;
        if (f->type == P2F_FT_MESSAGE && !capacity_untouched(f->sub, e, pattern)) return 0;
        if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) {
          uint32_t len = defined_u32(m + f->len_offset + (size_t)k * 4);
          size_t used = len + (f->type == P2F_FT_STRING);
          size_t cap = f->max_length + (f->type == P2F_FT_STRING);
          for (size_t j = used; j < cap; j++) {
            if (e[j] != pattern) {
              fprintf(stderr, "%s field %u element %u: byte %zu written\n", d->full_name, f->number, k, j);
              return 0;
            }
          }
        }
      }
      /* The per-element lengths past the count too. */
      if (f->len_offset != P2F_NO_OFFSET) {
        for (size_t j = f->len_offset + (size_t)n * 4; j < f->len_offset + (size_t)f->capacity * 4; j++) {
          if (m[j] != pattern) {
            fprintf(stderr, "%s field %u: length past the count written\n", d->full_name, f->number);
            return 0;
          }
        }
      }
    } else if (f->label == P2F_FL_ONEOF) {
      continue;
    } else if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) {
      uint32_t len = defined_u32(m + f->len_offset);
      from = f->offset + len + (f->type == P2F_FT_STRING);
      to = f->offset + f->max_length + (f->type == P2F_FT_STRING);
    } else if (f->type == P2F_FT_MESSAGE) {
      if (!capacity_untouched(f->sub, m + f->offset, pattern)) return 0;
      continue;
    }
    for (size_t j = from; j < to; j++) {
      if (m[j] != pattern) {
        fprintf(stderr, "%s field %u: capacity byte %zu written\n", d->full_name, f->number, j - f->offset);
        return 0;
      }
    }
  }
  return 1;
}

#endif /* P2F_TESTS_DEFINED_H_ */
