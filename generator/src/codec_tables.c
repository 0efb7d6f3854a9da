/* Dispatch tables and decoding routines (codec_tables.h; the rules in docs/codec.md,
 * "Field dispatch"). */
#include "codec_tables.h"

#include <stdlib.h>

#include "proto2ffi/codec.h" /* P2F_DISPATCH_MIN, P2F_DISPATCH_MAX, P2F_FK_* */

static int cmp_i32(const void *x, const void *y) {
  int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
  return (a > b) - (a < b);
}

/* Entry n: 1 + the index of the field numbered n in number order, 0 for numbers that are no
 * field, for n below len; len covers the numbers up to the bound min(max(P2F_DISPATCH_MIN,
 * 4 * field count), P2F_DISPATCH_MAX), so every entry fits a byte. */
static void dispatch_table(gen_arena *a, gen_message *msg) {
  size_t count = msg->field_count;
  msg->dispatch = NULL;
  msg->dispatch_len = 0;
  if (count == 0) return;
  int32_t *numbers = gen_xmalloc(count * sizeof *numbers);
  for (size_t i = 0; i < count; i++) numbers[i] = msg->fields[i].number;
  qsort(numbers, count, sizeof *numbers, cmp_i32);
  size_t bound = 4 * count > P2F_DISPATCH_MIN ? 4 * count : P2F_DISPATCH_MIN;
  if (bound > P2F_DISPATCH_MAX) bound = P2F_DISPATCH_MAX;
  size_t len = 0;
  for (size_t i = 0; i < count && (size_t)numbers[i] <= bound; i++) len = (size_t)numbers[i] + 1;
  if (len) {
    uint8_t *table = gen_alloc(a, len);
    /* Field numbers are positive and distinct: the k-th smallest (k < len <= 256) gets k + 1. */
    for (size_t k = 0; k < count && (size_t)numbers[k] < len; k++) table[numbers[k]] = (uint8_t)(k + 1);
    msg->dispatch = table;
    msg->dispatch_len = len;
  }
  free(numbers);
}

/* One of P2F_FK_* for an inline singular or optional field of the common types, with
 * P2F_FK_HAS when the field has a has_ flag (decoding sets it); P2F_FK_PACKED for an inline
 * packed repeated field without fixed_count; P2F_FK_GENERAL otherwise. */
static uint8_t kind_of(const gen_field *fd) {
  if (fd->repeated && fd->packed && fd->storage == GEN_STORAGE_INLINE && !fd->fixed_count) return P2F_FK_PACKED;
  if (fd->storage == GEN_STORAGE_OUT_OF_LINE || fd->repeated || fd->oneof || fd->parent->map_entry ||
      fd->label == GEN_LABEL_REQUIRED || fd->int_width || fd->fixed_length || (fd->enm && fd->enm->closed)) {
    return P2F_FK_GENERAL;
  }
  unsigned k;
  switch (fd->type->proto_type) {
    case P2F_FT_INT64:
    case P2F_FT_UINT64: k = P2F_FK_VARINT64; break;
    case P2F_FT_INT32:
    case P2F_FT_UINT32:
    case P2F_FT_ENUM: k = P2F_FK_VARINT32; break;
    case P2F_FT_SINT64: k = P2F_FK_ZIGZAG64; break;
    case P2F_FT_SINT32: k = P2F_FK_ZIGZAG32; break;
    case P2F_FT_BOOL: k = P2F_FK_BOOL; break;
    case P2F_FT_DOUBLE:
    case P2F_FT_FIXED64:
    case P2F_FT_SFIXED64: k = P2F_FK_FIXED64; break;
    case P2F_FT_FLOAT:
    case P2F_FT_FIXED32:
    case P2F_FT_SFIXED32: k = P2F_FK_FIXED32; break;
    case P2F_FT_STRING: k = fd->utf8 ? P2F_FK_STRING_UTF8 : P2F_FK_STRING; break;
    case P2F_FT_BYTES: k = P2F_FK_BYTES; break;
    case P2F_FT_MESSAGE: k = P2F_FK_MESSAGE; break;
    default: return P2F_FK_GENERAL;
  }
  if (fd->has_presence && fd->abs_aux != UINT64_MAX) k |= P2F_FK_HAS;
  return (uint8_t)k;
}

static int cmp_field_number(const void *x, const void *y) {
  int32_t a = (*(gen_field *const *)x)->number, b = (*(gen_field *const *)y)->number;
  return (a > b) - (a < b);
}

/* The tag the encoder writes for fd as one byte (number << 3 | wire type, 2 when packed), 0
 * when it takes more (numbers from 16). */
static uint8_t one_byte_tag(const gen_field *fd) {
  uint32_t v = (uint32_t)fd->number << 3 | (fd->packed ? 2u : (unsigned)fd->type->wire);
  return fd->number > 0 && v < 0x80 ? (uint8_t)v : 0;
}

/* Each field's codec_next_tag: the one-byte tag of the next field in number order (the order
 * of x.ffi.c's field table). */
static void next_tags(gen_message *msg) {
  size_t count = msg->field_count;
  if (count == 0) return;
  gen_field **sorted = gen_xmalloc(count * sizeof *sorted);
  for (size_t i = 0; i < count; i++) sorted[i] = &msg->fields[i];
  qsort(sorted, count, sizeof *sorted, cmp_field_number);
  for (size_t i = 0; i < count; i++) sorted[i]->codec_next_tag = i + 1 < count ? one_byte_tag(sorted[i + 1]) : 0;
  free(sorted);
}

void codec_tables_message(gen_arena *a, gen_message *msg) {
  dispatch_table(a, msg);
  for (size_t i = 0; i < msg->field_count; i++) msg->fields[i].codec_kind = kind_of(&msg->fields[i]);
  next_tags(msg);
}
