/* Struct layout: detects recursion, builds the members of every needed message (and of its
 * oneof unions) from the capacities options.c chose, and computes sizes, alignments and
 * offsets with the C rules of the 64-bit ABIs Dart supports: each member at the next
 * multiple of its alignment, the struct size rounded up to the largest member alignment.
 *
 * A field becomes these members, in this order (rules in docs/layout.md):
 *   optional / proto2 / message   uint8_t has_x;            then the value members
 *   scalar or enum                T x;
 *   string (capacity N)           uint32_t x_len; char x[N + 1];
 *   bytes  (capacity N)           uint32_t x_len; uint8_t x[N];
 *   message                       Sub x;
 *   repeated (count C)            uint32_t x_count; then x as an array of C elements, with
 *                                 strings/bytes as uint32_t x_len[C]; char x[C][N + 1];
 *   fixed_length bytes            uint8_t x[N];   (no x_len: always N bytes)
 *   fixed_count repeated          x as an array of C elements, no x_count (always C)
 *   oneof o                       uint32_t which_o; Msg_o_t o;   (a union)
 *
 * and, stored out-of-line (storage.c decided it), pointers of 8 bytes, alignment 8:
 *   string / bytes                char *x; uint32_t x_len;   /   uint8_t *x; uint32_t x_len;
 *   repeated                      T *x; uint32_t x_count; uint32_t x_cap;  (T: the scalar,
 *                                 p2f_str / p2f_bytes for strings and bytes, Sub for messages)
 *   message                       Sub *x;   (NULL when absent; no has_ flag)
 *   string/bytes in a oneof       Msg_x_t x;   a struct {char *data; uint32_t len;}
 */
#include "layout.h"

#include <stdlib.h>
#include <string.h>

#include "codec_tables.h"
#include "fingerprint.h"
#include "proto2ffi/codec.h" /* P2F_SPARSE_INIT_BYTES */
#include "proto2ffi/wire.h"

static uint64_t sat_mul(uint64_t a, uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a) return UINT64_MAX;
  return a * b;
}

static uint64_t sat_add(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }

static uint64_t align_up(uint64_t v, uint32_t align) {
  uint64_t r = v % align;
  return r ? sat_add(v, align - r) : v;
}

static gen_loc field_loc(gen_field *fd) {
  gen_field *u = model_user_field(fd);
  return model_loc(u->parent->file, &u->path);
}

/* ---- members ---------------------------------------------------------------------------- */

static gen_member *new_member(gen_struct *s, gen_member_role role, const char *c_name, const char *dart_name) {
  gen_member *mb = &s->members[s->member_count++];
  mb->role = role;
  mb->c_name = c_name;
  mb->dart_name = dart_name;
  return mb;
}

static void set_scalar(gen_member *mb, const gen_scalar_type *t, uint32_t ndims, uint64_t d0, uint64_t d1) {
  mb->scalar = t;
  mb->elem_size = t->size;
  mb->align = t->align;
  mb->ndims = ndims;
  mb->dims[0] = d0;
  mb->dims[1] = d1;
}

static void set_aggregate(gen_member *mb, const gen_struct *agg, uint32_t ndims, uint64_t d0) {
  mb->aggregate = agg;
  mb->elem_size = agg->size;
  mb->align = agg->align;
  mb->ndims = ndims;
  mb->dims[0] = d0;
}

/* A pointer member to elements of scalar type t or of aggregate agg. */
static void set_pointer(gen_member *mb, const gen_scalar_type *t, const gen_struct *agg) {
  mb->pointer = true;
  mb->scalar = t;
  mb->aggregate = agg;
  mb->elem_size = 8;
  mb->align = 8;
  mb->ndims = 0;
}

static bool out_of_line(const gen_field *fd) { return fd->storage == GEN_STORAGE_OUT_OF_LINE; }

/* The struct a pointer to a message points to; its names are set here when the message is
 * not laid out yet (a cycle). */
static const gen_struct *pointee(gen_message *sub) {
  if (sub->layout.c_name == NULL) {
    sub->layout.c_name = sub->c_name;
    sub->layout.dart_name = sub->dart_name;
    sub->layout.owner = sub;
  }
  return &sub->layout;
}

static void finish_member(gen_member *mb) {
  uint64_t size = mb->elem_size;
  for (uint32_t i = 0; i < mb->ndims; i++) size = sat_mul(size, mb->dims[i]);
  mb->size = size;
}

/* Lays members out in their current order; returns the size. */
static void place(gen_struct *s) {
  uint64_t off = 0;
  uint64_t used = 0;
  uint32_t align = 1;
  for (size_t i = 0; i < s->member_count; i++) {
    gen_member *mb = &s->members[i];
    if (mb->align > align) align = mb->align;
    if (s->is_union) {
      mb->offset = 0;
      if (mb->size > off) off = mb->size;
    } else {
      off = align_up(off, mb->align);
      mb->offset = off;
      off = sat_add(off, mb->size);
    }
    used = s->is_union ? off : sat_add(used, mb->size);
  }
  s->align = align;
  s->size = align_up(off, align);
  s->padding = s->size - (s->is_union ? off : used);
}

/* Stores s->by_offset: the members by ascending offset, ties (a union) in declaration
 * order. */
static void order_by_offset(gen_model *m, gen_struct *s) {
  const gen_member **order = gen_alloc(m->arena, (s->member_count + 1) * sizeof *order);
  for (size_t i = 0; i < s->member_count; i++) order[i] = &s->members[i];
  /* Insertion sort: stable, and member lists are short. */
  for (size_t i = 1; i < s->member_count; i++) {
    const gen_member *x = order[i];
    size_t k = i;
    while (k > 0 && order[k - 1]->offset > x->offset) {
      order[k] = order[k - 1];
      k--;
    }
    order[k] = x;
  }
  s->by_offset = order;
}

static int by_alignment(const void *a, const void *b) {
  const gen_member *x = a, *y = b;
  if (x->align != y->align) return x->align > y->align ? -1 : 1;
  /* Stable: qsort is not, so fall back on the declaration order kept in `offset`. */
  return x->offset < y->offset ? -1 : (x->offset > y->offset);
}

/* The {len, data} struct holding a string/bytes member of a oneof ({data, len} with a pointer
 * when out-of-line). */
static gen_struct *aux_struct(gen_model *m, gen_message *msg, gen_field *fd) {
  gen_struct *s = gen_alloc(m->arena, sizeof *s);
  s->c_name = fd->aux_c_name;
  s->dart_name = fd->aux_dart_name;
  s->owner = msg;
  s->members = gen_alloc(m->arena, 2 * sizeof *s->members);
  bool str = fd->type->kind == GEN_KIND_STRING;
  if (out_of_line(fd)) {
    gen_member *ptr = new_member(s, GEN_MEMBER_VALUE, "data", "data");
    ptr->field = fd;
    set_pointer(ptr, str ? &gen_scalar_char : &gen_scalar_byte, NULL);
    finish_member(ptr);
    gen_member *n = new_member(s, GEN_MEMBER_LEN, "len", "len");
    n->field = fd;
    set_scalar(n, &gen_scalar_u32, 0, 0, 0);
    finish_member(n);
    place(s);
    order_by_offset(m, s);
    return s;
  }
  gen_member *len = new_member(s, GEN_MEMBER_LEN, "len", "len");
  len->field = fd;
  set_scalar(len, &gen_scalar_u32, 0, 0, 0);
  finish_member(len);
  gen_member *data = new_member(s, GEN_MEMBER_VALUE, "data", "data");
  data->field = fd;
  set_scalar(data, str ? &gen_scalar_char : &gen_scalar_byte, 1, str ? fd->max_length + 1 : fd->max_length, 0);
  finish_member(data);
  place(s);
  order_by_offset(m, s);
  return s;
}

/* Adds the members holding a field's value (not its has_ flag) to s. */
static void add_value_members(gen_model *m, gen_message *msg, gen_struct *s, gen_field *fd) {
  gen_kind kind = fd->type->kind;
  bool text = kind == GEN_KIND_STRING || kind == GEN_KIND_BYTES;
  const gen_scalar_type *storage = kind == GEN_KIND_STRING ? &gen_scalar_char : kind == GEN_KIND_BYTES ? &gen_scalar_byte : fd->type;
  uint64_t text_cap = kind == GEN_KIND_STRING ? fd->max_length + 1 : fd->max_length;

  if (fd->oneof && text && !fd->fixed_length) {
    fd->aux = aux_struct(m, msg, fd);
    fd->m_value = new_member(s, GEN_MEMBER_VALUE, fd->c_name, fd->dart_name);
    set_aggregate(fd->m_value, fd->aux, 0, 0);
  } else if (out_of_line(fd)) {
    fd->m_value = new_member(s, GEN_MEMBER_VALUE, fd->c_name, fd->dart_name);
    if (fd->repeated) {
      const gen_scalar_type *elem = kind == GEN_KIND_STRING ? &gen_scalar_str_elem
                                    : kind == GEN_KIND_BYTES ? &gen_scalar_bytes_elem
                                                             : fd->type;
      if (kind == GEN_KIND_MESSAGE) set_pointer(fd->m_value, NULL, pointee(fd->msg));
      else set_pointer(fd->m_value, elem, NULL);
      fd->m_count = new_member(s, GEN_MEMBER_COUNT, fd->count_name, fd->count_dart_name);
      set_scalar(fd->m_count, &gen_scalar_u32, 0, 0, 0);
      finish_member(fd->m_count);
      fd->m_count->field = fd;
      fd->m_cap = new_member(s, GEN_MEMBER_CAP, fd->cap_name, fd->cap_dart_name);
      set_scalar(fd->m_cap, &gen_scalar_u32, 0, 0, 0);
      finish_member(fd->m_cap);
      fd->m_cap->field = fd;
    } else if (text) {
      set_pointer(fd->m_value, storage, NULL);
      fd->m_len = new_member(s, GEN_MEMBER_LEN, fd->len_name, fd->len_dart_name);
      set_scalar(fd->m_len, &gen_scalar_u32, 0, 0, 0);
      finish_member(fd->m_len);
      fd->m_len->field = fd;
    } else {
      set_pointer(fd->m_value, NULL, pointee(fd->msg));
    }
  } else if (fd->repeated) {
    if (!fd->fixed_count) {
      fd->m_count = new_member(s, GEN_MEMBER_COUNT, fd->count_name, fd->count_dart_name);
      set_scalar(fd->m_count, &gen_scalar_u32, 0, 0, 0);
      finish_member(fd->m_count);
      fd->m_count->field = fd;
    }
    if (text) {
      if (!fd->fixed_length) {
        fd->m_len = new_member(s, GEN_MEMBER_LEN, fd->len_name, fd->len_dart_name);
        set_scalar(fd->m_len, &gen_scalar_u32, 1, fd->max_count, 0);
        finish_member(fd->m_len);
        fd->m_len->field = fd;
      }
      fd->m_value = new_member(s, GEN_MEMBER_VALUE, fd->c_name, fd->dart_name);
      set_scalar(fd->m_value, storage, 2, fd->max_count, text_cap);
    } else {
      fd->m_value = new_member(s, GEN_MEMBER_VALUE, fd->c_name, fd->dart_name);
      if (kind == GEN_KIND_MESSAGE) set_aggregate(fd->m_value, &fd->msg->layout, 1, fd->max_count);
      else set_scalar(fd->m_value, storage, 1, fd->max_count, 0);
    }
  } else if (text) {
    if (!fd->fixed_length) {
      fd->m_len = new_member(s, GEN_MEMBER_LEN, fd->len_name, fd->len_dart_name);
      set_scalar(fd->m_len, &gen_scalar_u32, 0, 0, 0);
      finish_member(fd->m_len);
      fd->m_len->field = fd;
    }
    fd->m_value = new_member(s, GEN_MEMBER_VALUE, fd->c_name, fd->dart_name);
    set_scalar(fd->m_value, storage, 1, text_cap, 0);
  } else {
    fd->m_value = new_member(s, GEN_MEMBER_VALUE, fd->c_name, fd->dart_name);
    if (kind == GEN_KIND_MESSAGE) set_aggregate(fd->m_value, &fd->msg->layout, 0, 0);
    else set_scalar(fd->m_value, storage, 0, 0, 0);
  }
  fd->m_value->field = fd;
  finish_member(fd->m_value);
}

static gen_struct *oneof_union(gen_model *m, gen_message *msg, gen_oneof *o) {
  gen_struct *u = gen_alloc(m->arena, sizeof *u);
  u->is_union = true;
  u->c_name = o->union_c_name;
  u->dart_name = o->union_dart_name;
  u->owner = msg;
  u->members = gen_alloc(m->arena, (o->field_count + 1) * sizeof *u->members);
  for (size_t i = 0; i < o->field_count; i++) add_value_members(m, msg, u, o->fields[i]);
  place(u);
  order_by_offset(m, u);
  return u;
}

static void push_aux(gen_model *m, gen_message *msg, gen_struct *s) {
  gen_struct **grown = gen_alloc(m->arena, (msg->aux_count + 1) * sizeof *grown);
  if (msg->aux_count) memcpy(grown, msg->aux, msg->aux_count * sizeof *grown);
  grown[msg->aux_count++] = s;
  msg->aux = grown;
}

static void build_members(gen_model *m, gen_message *msg) {
  gen_struct *s = &msg->layout;
  s->c_name = msg->c_name;
  s->dart_name = msg->dart_name;
  s->owner = msg;
  s->members = gen_alloc(m->arena, (msg->field_count * 4 + msg->oneof_count * 2 + 1) * sizeof *s->members);
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_field *fd = &msg->fields[i];
    gen_oneof *o = fd->oneof;
    if (o) {
      if (o->fields[0] != fd) continue; /* the union is placed at its first member */
      o->u = oneof_union(m, msg, o);
      for (size_t k = 0; k < o->field_count; k++) {
        if (o->fields[k]->aux) push_aux(m, msg, o->fields[k]->aux);
      }
      push_aux(m, msg, o->u);
      o->m_which = new_member(s, GEN_MEMBER_WHICH, o->which_name, o->which_dart_name);
      set_scalar(o->m_which, &gen_scalar_u32, 0, 0, 0);
      o->m_which->oneof = o;
      finish_member(o->m_which);
      o->m_union = new_member(s, GEN_MEMBER_ONEOF, o->c_name, o->dart_name);
      set_aggregate(o->m_union, o->u, 0, 0);
      o->m_union->oneof = o;
      finish_member(o->m_union);
      continue;
    }
    /* An out-of-line submessage's pointer is its presence. */
    bool pointer_presence = out_of_line(fd) && fd->type->kind == GEN_KIND_MESSAGE && !fd->repeated;
    if (fd->has_presence && !pointer_presence) {
      fd->m_has = new_member(s, GEN_MEMBER_HAS, fd->has_name, fd->has_dart_name);
      set_scalar(fd->m_has, &gen_scalar_flag, 0, 0, 0);
      fd->m_has->field = fd;
      finish_member(fd->m_has);
    }
    add_value_members(m, msg, s, fd);
  }
  if (s->member_count == 0) {
    /* C has no empty structs (and Dart rejects empty Structs): one reserved byte. */
    gen_member *r = new_member(s, GEN_MEMBER_RESERVED, "p2f_reserved", "p2fReserved");
    set_scalar(r, &gen_scalar_flag, 0, 0, 0);
    finish_member(r);
  }
}

/* Computes both orders for the report; keeps the one the options ask for. Member pointers
 * stored in fields stay valid because sorting permutes a copy and writes back in place by
 * recomputing offsets only. */
static void compute_offsets(gen_model *m, gen_message *msg) {
  gen_struct *s = &msg->layout;
  place(s);
  msg->declared_size = s->size;
  msg->declared_padding = s->padding;

  /* The sorted order on a scratch copy: offsets of the declared order serve as the stable
   * tie-break key. */
  gen_struct sorted = *s;
  sorted.members = gen_xmalloc((s->member_count ? s->member_count : 1) * sizeof *sorted.members);
  memcpy(sorted.members, s->members, s->member_count * sizeof *s->members);
  qsort(sorted.members, sorted.member_count, sizeof *sorted.members, by_alignment);
  place(&sorted);
  msg->sorted_size = sorted.size;
  msg->sorted_padding = sorted.padding;

  if (msg->sort_by_alignment) {
    /* Members stay where fields point to them; only their offsets follow the sorted
     * order. Backends print members by ascending offset. */
    for (size_t i = 0; i < sorted.member_count; i++) {
      for (size_t k = 0; k < s->member_count; k++) {
        if (s->members[k].c_name == sorted.members[i].c_name) s->members[k].offset = sorted.members[i].offset;
      }
    }
    s->size = sorted.size;
    s->padding = sorted.padding;
  }
  free(sorted.members);
  order_by_offset(m, s);
}

static int by_size_desc(const void *a, const void *b) {
  const gen_member *x = *(const gen_member *const *)a, *y = *(const gen_member *const *)b;
  return x->size < y->size ? 1 : (x->size > y->size ? -1 : 0);
}

static void too_large(gen_model *m, gen_message *msg) {
  gen_struct *s = &msg->layout;
  const gen_member **order = gen_xmalloc(s->member_count * sizeof *order);
  for (size_t i = 0; i < s->member_count; i++) order[i] = &s->members[i];
  qsort(order, s->member_count, sizeof *order, by_size_desc);
  gen_buf list = {0};
  for (size_t i = 0; i < s->member_count && i < 3; i++) {
    if (i) gen_buf_puts(&list, ", ");
    if (order[i]->size == UINT64_MAX) gen_buf_printf(&list, "%s (overflows)", order[i]->c_name);
    else gen_buf_printf(&list, "%s (%llu bytes)", order[i]->c_name, (unsigned long long)order[i]->size);
  }
  gen_error(&m->diag, model_loc(msg->file, &msg->path),
            "message %s would take %s%llu bytes, above the limit of %llu (max_message_size); "
            "largest members: %s; lower their capacities or raise --c-ffi_opt=max_message_size=N",
            msg->full_name, s->size == UINT64_MAX ? "more than " : "", (unsigned long long)s->size,
            (unsigned long long)m->params.max_message_size, list.data);
  gen_buf_free(&list);
  free(order);
}

/* ---- codec figures ------------------------------------------------------------------ */

/* Absolute offsets of every field's members, once the message's offsets are final. */
static void absolute_offsets(gen_message *msg) {
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_field *fd = &msg->fields[i];
    uint64_t base = fd->oneof ? fd->oneof->m_union->offset : 0;
    fd->abs_len = UINT64_MAX;
    fd->abs_aux = UINT64_MAX;
    if (fd->aux) {
      const gen_member *len = fd->aux->members[0].role == GEN_MEMBER_LEN ? &fd->aux->members[0] : &fd->aux->members[1];
      const gen_member *data = len == &fd->aux->members[0] ? &fd->aux->members[1] : &fd->aux->members[0];
      fd->abs_len = base + len->offset;
      fd->abs_value = base + data->offset;
      fd->value_stride = data->size;
    } else if (out_of_line(fd)) {
      /* Bytes of one element pointed to; a message's size is filled in by layout_needed once
       * every message is laid out (the pointee may be on the recursion stack). */
      fd->abs_value = base + fd->m_value->offset;
      if (fd->m_len) fd->abs_len = fd->m_len->offset;
      fd->value_stride = fd->repeated && fd->m_value->scalar ? fd->m_value->scalar->size : 8;
    } else {
      fd->abs_value = base + fd->m_value->offset;
      if (fd->m_len) fd->abs_len = fd->m_len->offset;
      fd->value_stride = fd->repeated ? (fd->m_value->ndims == 2 ? fd->m_value->dims[1] * fd->m_value->elem_size
                                                                 : fd->m_value->elem_size)
                                      : fd->m_value->size;
    }
    if (fd->m_has) fd->abs_aux = fd->m_has->offset;
    if (fd->m_count) fd->abs_aux = fd->m_count->offset;
    if (fd->oneof) fd->abs_aux = fd->oneof->m_which->offset;
  }
}

/* The most bytes one value of the field's type can encode to (without tag). */
static uint64_t max_value_size(const gen_field *fd) {
  switch (fd->type->kind) {
    case GEN_KIND_STRING:
    case GEN_KIND_BYTES:
      return p2f_wire_varint_size(fd->max_length) + fd->max_length;
    case GEN_KIND_MESSAGE:
      return p2f_wire_varint_size(fd->msg->max_encoded_size) + fd->msg->max_encoded_size;
    default:
      return fd->type->max_wire_size;
  }
}

/* Upper bound of the encoded size: every field at its largest (for a oneof, its largest
 * member), repeated fields full. Saturates instead of overflowing. */
static void max_encoded(gen_message *msg) {
  uint64_t total = 0;
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_field *fd = &msg->fields[i];
    uint64_t tag = p2f_wire_varint_size((uint64_t)fd->number << 3);
    uint64_t one = max_value_size(fd);
    uint64_t size;
    if (fd->repeated && fd->packed) {
      uint64_t payload = sat_mul(one, fd->max_count);
      size = sat_add(sat_add(tag, p2f_wire_varint_size(payload)), payload);
    } else if (fd->repeated) {
      size = sat_mul(sat_add(tag, one), fd->max_count);
    } else {
      size = sat_add(tag, one);
    }
    if (fd->oneof) {
      /* Counted once per oneof: at its first member, as the largest member's size. */
      if (fd->oneof->fields[0] != fd) continue;
      for (size_t k = 1; k < fd->oneof->field_count; k++) {
        gen_field *o = fd->oneof->fields[k];
        uint64_t s = sat_add(p2f_wire_varint_size((uint64_t)o->number << 3), max_value_size(o));
        if (s > size) size = s;
      }
    }
    total = sat_add(total, size);
  }
  msg->max_encoded_size = total;
}

/* ---- zero ranges ----------------------------------------------------------------------- */

/* Byte ranges {offset, length} of a struct, collected for gen_message.zero_ranges. */
typedef struct zero_list {
  uint64_t *v; /* pairs */
  size_t n, cap;
} zero_list;

static void zero_add(zero_list *z, uint64_t off, uint64_t len) {
  if (len == 0) return;
  if (z->n == z->cap) {
    z->cap = z->cap ? 2 * z->cap : 16;
    z->v = gen_xrealloc(z->v, 2 * z->cap * sizeof *z->v);
  }
  z->v[2 * z->n] = off;
  z->v[2 * z->n + 1] = len;
  z->n++;
}

/* Whether decoding initialises msg sparsely (runtime decode.c, sparse_init; codec.h "Defined
 * bytes"): its init writes zeros only, no out-of-line field in its tree, larger than
 * P2F_SPARSE_INIT_BYTES per field. Needs needs_init_code and init_sets_has final. */
static bool sparse_init(const gen_message *msg) {
  return !msg->needs_init_code && !msg->init_sets_has && !msg->out_of_line &&
         msg->layout.size > (uint64_t)P2F_SPARSE_INIT_BYTES * msg->field_count;
}

/* The bytes decode.c's init_defined zeroes in msg at base, field by field (inline
 * submessages it initialises sparsely by their own fields, the others whole). Every
 * submessage is laid out already (inline: before msg), its sparse_init set. */
static void zero_collect(const gen_message *msg, uint64_t base, zero_list *z) {
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    bool is_msg = fd->type->kind == GEN_KIND_MESSAGE;
    if (fd->repeated && fd->fixed_count) { /* every element */
      if (!is_msg) {
        zero_add(z, base + fd->abs_value, fd->max_count * fd->value_stride);
        continue;
      }
      for (uint64_t k = 0; k < fd->max_count; k++) {
        uint64_t at = base + fd->abs_value + k * fd->value_stride;
        if (fd->msg->sparse_init) zero_collect(fd->msg, at, z);
        else zero_add(z, at, fd->msg->layout.size);
      }
      continue;
    }
    if (fd->repeated || fd->oneof) { /* count / which_ */
      zero_add(z, base + fd->abs_aux, 4);
      continue;
    }
    if (fd->abs_aux != UINT64_MAX) zero_add(z, base + fd->abs_aux, 1); /* has_ */
    if (fd->type->kind == GEN_KIND_STRING || fd->type->kind == GEN_KIND_BYTES) {
      if (fd->type->kind == GEN_KIND_STRING) zero_add(z, base + fd->abs_value, 1); /* the NUL */
      if (fd->fixed_length) zero_add(z, base + fd->abs_value, fd->max_length);
      else zero_add(z, base + fd->abs_len, 4);
    } else if (is_msg) {
      if (fd->msg->sparse_init) zero_collect(fd->msg, base + fd->abs_value, z);
      else zero_add(z, base + fd->abs_value, fd->msg->layout.size);
    } else {
      zero_add(z, base + fd->abs_value, fd->value_stride);
    }
  }
}

static int cmp_range(const void *x, const void *y) {
  const uint64_t *a = x, *b = y;
  return (a[0] > b[0]) - (a[0] < b[0]);
}

/* Sets msg->sparse_init and, for a sparsely initialised message, its zero ranges: sorted,
 * overlapping and adjacent ones joined, none past GEN_ZERO_RANGES_MAX. Offsets and lengths
 * fit 32 bits: they lie within the struct, whose size layout_rec bounded by UINT32_MAX. */
static void zero_ranges(gen_model *m, gen_message *msg) {
  msg->sparse_init = sparse_init(msg);
  msg->zero_ranges = NULL;
  msg->zero_count = 0;
  if (!msg->sparse_init) return;
  zero_list z = {0};
  zero_collect(msg, 0, &z);
  if (z.n == 0) return;
  qsort(z.v, z.n, 2 * sizeof *z.v, cmp_range);
  size_t n = 0;
  for (size_t i = 0; i < z.n; i++) {
    uint64_t off = z.v[2 * i], end = off + z.v[2 * i + 1];
    if (n && off <= z.v[2 * (n - 1)] + z.v[2 * (n - 1) + 1]) {
      uint64_t *last = &z.v[2 * (n - 1)];
      if (end > last[0] + last[1]) last[1] = end - last[0];
      continue;
    }
    z.v[2 * n] = off;
    z.v[2 * n + 1] = end - off;
    n++;
  }
  if (n <= GEN_ZERO_RANGES_MAX) {
    uint32_t *r = gen_alloc(m->arena, 2 * n * sizeof *r);
    for (size_t i = 0; i < 2 * n; i++) r[i] = (uint32_t)z.v[i];
    msg->zero_ranges = r;
    msg->zero_count = n;
  }
  free(z.v);
}

/* ---- recursion ----------------------------------------------------------------------------- */

typedef struct gen_stack {
  gen_message **msgs;
  gen_field **via;
  size_t depth, cap;
} gen_stack;

static void cycle_error(gen_model *m, gen_stack *st, gen_field *closing) {
  size_t start = st->depth;
  while (start > 0 && st->msgs[start - 1] != closing->msg) start--;
  if (start > 0) start--;
  gen_buf path = {0};
  for (size_t i = start; i < st->depth; i++) {
    gen_field *via = (i + 1 < st->depth) ? st->via[i + 1] : closing;
    gen_buf_printf(&path, "%s.%s -> ", st->msgs[i]->full_name, via->name);
  }
  gen_buf_puts(&path, closing->msg->full_name);
  gen_error(&m->diag, field_loc(closing),
            "recursive message: %s; a message that contains itself has no fixed size, so it "
            "cannot be laid out inline. Break the cycle, e.g. refer to the other message by "
            "an id, or store it encoded in a bytes field",
            path.data);
  gen_buf_free(&path);
}

static bool layout_rec(gen_model *m, gen_message *msg, gen_stack *st, gen_field *via) {
  if (msg->layout_state == GEN_LAYOUT_DONE) return true;
  if (msg->layout_state == GEN_LAYOUT_FAILED) return false;
  msg->layout_state = GEN_LAYOUT_ACTIVE;
  if (st->depth == st->cap) {
    st->cap = st->cap ? st->cap * 2 : 32;
    st->msgs = gen_xrealloc(st->msgs, st->cap * sizeof *st->msgs);
    st->via = gen_xrealloc(st->via, st->cap * sizeof *st->via);
  }
  st->msgs[st->depth] = msg;
  st->via[st->depth] = via;
  st->depth++;

  bool ok = true;
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_field *fd = &msg->fields[i];
    if (fd->type->kind == GEN_KIND_GROUP) {
      gen_error(&m->diag, field_loc(fd),
                "field %s is a group; groups are not supported (declare a nested message and "
                "a field of that type instead)",
                fd->full_name);
      ok = false;
      continue;
    }
    if (fd->type->kind != GEN_KIND_MESSAGE || fd->msg == NULL) continue;
    /* Held by pointer: laid out on its own by layout_needed, not before this one. */
    if (out_of_line(fd)) continue;
    if (fd->msg->layout_state == GEN_LAYOUT_ACTIVE) {
      cycle_error(m, st, fd);
      ok = false;
    } else if (!layout_rec(m, fd->msg, st, fd)) {
      ok = false;
    }
  }
  st->depth--;

  if (ok) {
    build_members(m, msg);
    compute_offsets(m, msg);
    if (msg->layout.size > m->params.max_message_size) {
      too_large(m, msg);
      ok = false;
    } else if (msg->layout.size > UINT32_MAX) {
      /* p2f_msg_desc.size and every offset of p2f_field_desc are uint32_t: whatever the
       * max_message_size parameter allows, a larger struct cannot be described. */
      gen_error(&m->diag, model_loc(msg->file, &msg->path),
                "message %s would take %s%llu bytes, but the codec tables hold sizes and offsets as "
                "32-bit fields, so a message struct must fit in %llu bytes; lower its capacities",
                msg->full_name, msg->layout.size == UINT64_MAX ? "more than " : "",
                (unsigned long long)msg->layout.size, (unsigned long long)UINT32_MAX);
      ok = false;
    }
  }
  if (ok) {
    absolute_offsets(msg);
    max_encoded(msg);
    fingerprint_message(m->arena, msg);
    /* Out-of-line data has no bound. */
    if (msg->out_of_line) msg->max_encoded_size = UINT64_MAX;
    for (size_t i = 0; i < msg->field_count; i++) {
      gen_field *fd = &msg->fields[i];
      /* Elements of a repeated field are set when appended, except those of a fixed_count
       * array: every element is defined, so init sets each one. */
      if (fd->repeated && !fd->fixed_count) continue;
      if (fd->def.set) msg->needs_init_code = true;
      if (fd->default_has && fd->m_has) msg->needs_init_code = msg->init_sets_has = true;
      if (fd->type->kind == GEN_KIND_MESSAGE && !fd->oneof && !out_of_line(fd)) {
        if (fd->msg->needs_init_code) msg->needs_init_code = true;
        if (fd->msg->init_sets_has) msg->init_sets_has = true;
      }
    }
    zero_ranges(m, msg);
    codec_tables_message(m->arena, msg);
  }
  msg->layout_state = ok ? GEN_LAYOUT_DONE : GEN_LAYOUT_FAILED;
  return ok;
}

bool layout_message(gen_model *m, gen_message *msg) {
  gen_stack st = {0};
  bool ok = layout_rec(m, msg, &st, NULL);
  free(st.msgs);
  free(st.via);
  return ok;
}

bool layout_needed(gen_model *m) {
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    if (!f->to_generate) continue;
    for (size_t k = 0; k < f->message_count; k++) layout_message(m, f->messages[k]);
  }
  /* Messages only pointed to (from another file) get a layout of their own. */
  for (bool more = true; more;) {
    more = false;
    for (size_t i = 0; i < m->file_count; i++) {
      gen_file *f = m->files[i];
      for (size_t k = 0; k < f->message_count; k++) {
        gen_message *msg = f->messages[k];
        if (msg->layout_state != GEN_LAYOUT_DONE) continue;
        for (size_t j = 0; j < msg->field_count; j++) {
          gen_field *fd = &msg->fields[j];
          if (!out_of_line(fd) || fd->type->kind != GEN_KIND_MESSAGE || fd->msg->layout_state != GEN_LAYOUT_NONE) continue;
          layout_message(m, fd->msg);
          more = true;
        }
      }
    }
  }
  /* Every message is laid out now: the element size of out-of-line message fields. */
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->message_count; k++) {
      gen_message *msg = f->messages[k];
      if (msg->layout_state != GEN_LAYOUT_DONE) continue;
      for (size_t j = 0; j < msg->field_count; j++) {
        gen_field *fd = &msg->fields[j];
        if (out_of_line(fd) && fd->type->kind == GEN_KIND_MESSAGE) fd->value_stride = fd->msg->layout.size;
      }
    }
  }
  return m->diag.error_count == 0;
}
