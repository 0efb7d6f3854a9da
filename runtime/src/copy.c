/* p2f_copy: a deep copy of a message into an arena (see proto2ffi/codec.h). The struct is
 * copied whole, then every out-of-line field of the copy is pointed at a fresh copy of its
 * data, and every submessage (inline or out-of-line) is walked the same way. */
#include <string.h>

#include "proto2ffi/codec.h"
#include "internal/ool.h"

static inline void *copy_load_ptr(const unsigned char *p) {
  void *v;
  memcpy(&v, p, sizeof v);
  return v;
}

static inline void copy_store_ptr(unsigned char *p, const void *v) { memcpy(p, &v, sizeof v); }

static inline uint32_t copy_load_u32(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static inline void copy_store_u32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }

/* A string/bytes value at data_member / len_member, replaced by its copy (NULL when empty). */
static p2f_status copy_text(p2f_arena *a, const p2f_field_desc *f, unsigned char *data_member,
                            unsigned char *len_member) {
  const void *src = copy_load_ptr(data_member);
  uint32_t len = copy_load_u32(len_member);
  void *dst = NULL;
  if (src == NULL) len = 0;
  if (len != 0) {
    dst = f->type == P2F_FT_STRING ? (void *)p2f_arena_strdup(a, (const char *)src, len)
                                   : p2f_arena_memdup(a, src, len);
    if (dst == NULL) return p2f__arena_status(a);
  }
  copy_store_ptr(data_member, dst);
  copy_store_u32(len_member, len);
  return P2F_OK;
}

static p2f_status copy_tree(const p2f_msg_desc *d, unsigned char *msg, p2f_arena *a, int depth);

/* An out-of-line repeated field's array replaced by a copy holding exactly its elements. */
static p2f_status copy_array(p2f_arena *a, const p2f_field_desc *f, unsigned char *msg, int depth) {
  uint32_t count = copy_load_u32(msg + f->aux_offset);
  const unsigned char *src = (const unsigned char *)copy_load_ptr(msg + f->offset);
  unsigned char *dst = NULL;
  if (src == NULL) count = 0;
  if (count != 0) {
    if ((size_t)count > SIZE_MAX / f->elem_size) return P2F_ERR_OUT_OF_MEMORY;
    dst = (unsigned char *)p2f_arena_alloc_aligned(a, (size_t)count * f->elem_size, p2f__elem_align(f));
    if (dst == NULL) return p2f__arena_status(a);
    memcpy(dst, src, (size_t)count * f->elem_size);
  }
  copy_store_ptr(msg + f->offset, dst);
  copy_store_u32(msg + f->aux_offset, count);
  copy_store_u32(msg + f->capacity, count);
  for (uint32_t i = 0; i < count; i++) {
    unsigned char *e = dst + (size_t)i * f->elem_size;
    p2f_status st = P2F_OK;
    if (f->type == P2F_FT_MESSAGE) st = copy_tree(f->sub, e, a, depth + 1);
    else if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES)
      st = copy_text(a, f, e + offsetof(p2f_str, data), e + offsetof(p2f_str, len));
    if (st != P2F_OK) return st;
  }
  return P2F_OK;
}

static p2f_status copy_field(const p2f_field_desc *f, unsigned char *msg, p2f_arena *a, int depth) {
  /* A oneof's union holds only its current member. */
  if (f->label == P2F_FL_ONEOF && copy_load_u32(msg + f->aux_offset) != f->number) return P2F_OK;
  if (f->flags & P2F_FF_OUT) {
    if (f->label == P2F_FL_REPEATED) return copy_array(a, f, msg, depth);
    if (f->type != P2F_FT_MESSAGE) return copy_text(a, f, msg + f->offset, msg + f->len_offset);
    const unsigned char *src = (const unsigned char *)copy_load_ptr(msg + f->offset);
    if (src == NULL) return P2F_OK;
    unsigned char *dst = (unsigned char *)p2f_arena_alloc_aligned(
        a, f->sub->size, f->sub->align ? f->sub->align : P2F_ARENA_DEFAULT_ALIGN);
    if (dst == NULL) return p2f__arena_status(a);
    memcpy(dst, src, f->sub->size);
    copy_store_ptr(msg + f->offset, dst);
    return copy_tree(f->sub, dst, a, depth + 1);
  }
  if (f->type != P2F_FT_MESSAGE) return P2F_OK; /* inline data came with the struct */
  if (f->label != P2F_FL_REPEATED) return copy_tree(f->sub, msg + f->offset, a, depth + 1);
  uint32_t count = (f->flags & P2F_FF_FIXED_COUNT) ? f->capacity : copy_load_u32(msg + f->aux_offset);
  if (count > f->capacity) count = f->capacity;
  for (uint32_t i = 0; i < count; i++) {
    p2f_status st = copy_tree(f->sub, msg + f->offset + (size_t)i * f->elem_size, a, depth + 1);
    if (st != P2F_OK) return st;
  }
  return P2F_OK;
}

/* msg is already a byte copy of its source: make its out-of-line data its own. */
static p2f_status copy_tree(const p2f_msg_desc *d, unsigned char *msg, p2f_arena *a, int depth) {
  if (depth > P2F_DEFAULT_MAX_DEPTH) return P2F_ERR_NESTING_TOO_DEEP;
  for (uint32_t i = 0; i < d->field_count; i++) {
    p2f_status st = copy_field(&d->fields[i], msg, a, depth);
    if (st != P2F_OK) return st;
  }
  return P2F_OK;
}

p2f_status p2f_copy(const p2f_msg_desc *desc, void *dst, const void *src, p2f_arena *arena) {
  if (desc == NULL || dst == NULL || src == NULL) return P2F_ERR_INVALID_ARGUMENT;
  if ((desc->flags & P2F_MF_OUT_OF_LINE) && arena == NULL) {
    desc->init(dst);
    return P2F_ERR_INVALID_ARGUMENT;
  }
  p2f_arena_marker mark = p2f_arena_mark(arena);
  memcpy(dst, src, desc->size);
  p2f_status st = copy_tree(desc, (unsigned char *)dst, arena, 0);
  if (st != P2F_OK) {
    desc->init(dst);
    if (arena != NULL) p2f_arena_rewind(arena, &mark);
  }
  return st;
}
