/* x.ffi.c: the exported functions (size, align, init, enum names) and the message table,
 * from templates/c_source.tmpl. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "proto2ffi/codec.h" /* P2F_DISPATCH_MIN, P2F_DISPATCH_MAX */

#define T "c_source"

/* A C string literal for arbitrary bytes: printable ASCII as is, everything else as a
 * three-digit octal escape (which, unlike \x, cannot swallow the next character). '?' is
 * escaped so that no trigraph can form. */
static const char *c_string_literal(gen_arena *a, const char *s, size_t n) {
  gen_buf b = {0};
  gen_buf_putc(&b, '"');
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\' || c == '?') gen_buf_printf(&b, "\\%c", c);
    else if (c >= 0x20 && c < 0x7f) gen_buf_putc(&b, (char)c);
    else gen_buf_printf(&b, "\\%03o", c);
  }
  gen_buf_putc(&b, '"');
  char *r = gen_strdup(a, b.data);
  gen_buf_free(&b);
  return r;
}

static const char *float_literal(gen_arena *a, double d, bool is_float) {
  if (isnan(d)) return "NAN";
  if (isinf(d)) return d > 0 ? "INFINITY" : "-INFINITY";
  char *s = gen_strf(a, "%.17g", d);
  if (!strpbrk(s, ".e")) s = gen_strcat3(a, s, ".0", "");
  return is_float ? gen_strcat3(a, "(float)", s, "") : s;
}

/* The literal for a numeric or enum default. */
static const char *numeric_literal(gen_arena *a, const gen_field *fd) {
  const gen_scalar_type *t = fd->type;
  const gen_default *d = &fd->def;
  if (t->kind == GEN_KIND_ENUM || (t->is_signed && !t->is_float && t->size == 4)) return backend_c_int32(a, (int32_t)d->i);
  if (t->is_float) return float_literal(a, d->d, t->size == 4);
  if (t->proto_type == GPB_TYPE(BOOL)) return "1";
  if (t->is_signed) {
    if (d->i == INT64_MIN) return "(-INT64_C(9223372036854775807) - 1)";
    return gen_strf(a, "INT64_C(%lld)", (long long)d->i);
  }
  if (t->size == 4) return gen_strf(a, "%lluu", (unsigned long long)d->u);
  return gen_strf(a, "UINT64_C(%llu)", (unsigned long long)d->u);
}

static bool needs_math(const gen_file *f) {
  for (size_t k = 0; k < f->message_count; k++) {
    const gen_message *msg = f->messages[k];
    for (size_t i = 0; i < msg->field_count; i++) {
      const gen_field *fd = &msg->fields[i];
      if (fd->def.set && fd->type->is_float && !isfinite(fd->def.d)) return true;
    }
  }
  return false;
}

static void print_enum_name(gen_printer *p, gen_arena *a, const gen_enum *e) {
  gen_print_tmpl(p, T, "enum_name_begin", "fn_name", e->fn_name, NULL);
  for (size_t i = 0; i < e->value_count; i++) {
    if (e->values[i].alias) continue;
    gen_print_tmpl(p, T, "enum_name_case", "number", backend_c_int32(a, e->values[i].number), "name",
                   e->values[i].name, NULL);
  }
  gen_print_tmpl(p, T, "enum_name_end", NULL);
}

static void print_init_body(gen_printer *p, gen_arena *a, const gen_message *msg) {
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    if (fd->fixed_count && fd->type->kind == GEN_KIND_MESSAGE && fd->msg->needs_init_code) {
      /* Every element of a fixed_count array is defined: each gets its init. */
      gen_print_tmpl(p, T, "init_nested_array", "fn_init", fd->msg->fn_init, "member", fd->m_value->c_name, "count",
                     gen_u64(a, fd->max_count), NULL);
    }
    if (fd->default_has && fd->m_has) gen_print_tmpl(p, T, "init_assign", "member", fd->m_has->c_name, "value", "1", NULL);
    if (fd->repeated || fd->oneof) continue;
    gen_kind kind = fd->type->kind;
    if (kind == GEN_KIND_MESSAGE) {
      if (fd->storage == GEN_STORAGE_INLINE && fd->msg->needs_init_code) {
        gen_print_tmpl(p, T, "init_nested", "fn_init", fd->msg->fn_init, "member", fd->m_value->c_name, NULL);
      }
    } else if (!fd->def.set) {
      continue;
    } else if (fd->storage == GEN_STORAGE_OUT_OF_LINE) {
      /* The default is the literal itself: nothing writes through an out-of-line pointer. */
      gen_print_tmpl(p, T, "init_text_ref", "len", fd->m_len->c_name, "member", fd->m_value->c_name, "length",
                     gen_u64(a, fd->def.bytes_len), "literal", c_string_literal(a, fd->def.bytes, fd->def.bytes_len),
                     "ctype", kind == GEN_KIND_STRING ? "char" : "uint8_t", NULL);
    } else if (fd->fixed_length) {
      /* A shorter default leaves the rest of the fixed-length bytes zero. */
      gen_print_tmpl(p, T, "init_fixed", "member", fd->m_value->c_name, "length", gen_u64(a, fd->def.bytes_len),
                     "literal", c_string_literal(a, fd->def.bytes, fd->def.bytes_len), NULL);
    } else if (kind == GEN_KIND_STRING || kind == GEN_KIND_BYTES) {
      gen_print_tmpl(p, T, "init_text", "len", fd->m_len->c_name, "member", fd->m_value->c_name, "length",
                     gen_u64(a, fd->def.bytes_len), "literal", c_string_literal(a, fd->def.bytes, fd->def.bytes_len),
                     NULL);
    } else {
      gen_print_tmpl(p, T, "init_assign", "member", fd->m_value->c_name, "value", numeric_literal(a, fd), NULL);
    }
  }
}

/* ---- building functions of out-of-line fields ------------------------------------------- */

/* The statements that store data/len into a string/bytes field: its presence flag, or for a
 * oneof member the cleared union and the which_ tag first. */
static const char *text_assign(gen_arena *a, const gen_field *fd) {
  gen_buf b = {0};
  if (fd->oneof) {
    const gen_oneof *o = fd->oneof;
    gen_buf_printf(&b, "  memset(&msg->%s, 0, sizeof msg->%s);\n", o->m_union->c_name, o->m_union->c_name);
    gen_buf_printf(&b, "  msg->%s = %d;\n", o->m_which->c_name, fd->number);
    gen_buf_printf(&b, "  msg->%s.%s.data = data;\n  msg->%s.%s.len = len;\n", o->m_union->c_name, fd->m_value->c_name,
                   o->m_union->c_name, fd->m_value->c_name);
  } else {
    gen_buf_printf(&b, "  msg->%s = data;\n  msg->%s = len;\n", fd->m_value->c_name, fd->m_len->c_name);
    if (fd->m_has) gen_buf_printf(&b, "  msg->%s = 1;\n", fd->m_has->c_name);
  }
  const char *r = gen_strdup(a, b.data);
  gen_buf_free(&b);
  return r;
}

static void print_builders(gen_printer *p, gen_arena *a, const gen_message *msg, const gen_field *fd) {
  gen_kind kind = fd->type->kind;
  bool str = kind == GEN_KIND_STRING;
  bool text = str || kind == GEN_KIND_BYTES;
  const char *ctype = str ? "char" : "void";
  const char *ptype = str ? "char" : "uint8_t";
  const char *helper = str ? "p2f_set_text" : "p2f_set_bytes";
  if (fd->repeated) {
    const char *elem = backend_c_type(fd->m_value);
    const char *member = fd->m_value->c_name, *count = fd->m_count->c_name, *cap = fd->m_cap->c_name;
    if (fd->fn_set) {
      gen_print_tmpl(p, T, "set_array", "c_name", msg->c_name, "fn_set", fd->fn_set, "elem", elem, "member", member,
                     "count", count, "cap", cap, NULL);
    }
    gen_print_tmpl(p, T, "set_ref_array", "c_name", msg->c_name, "fn_set_ref", fd->fn_set_ref, "elem", elem, "member",
                   member, "count", count, "cap", cap, NULL);
    if (kind == GEN_KIND_MESSAGE) {
      gen_print_tmpl(p, T, "add_message", "c_name", msg->c_name, "fn_add", fd->fn_add, "elem", elem, "member", member,
                     "count", count, "cap", cap, "fn_init", fd->msg->fn_init, NULL);
    } else if (text) {
      gen_print_tmpl(p, T, "add_text", "c_name", msg->c_name, "fn_add", fd->fn_add, "elem", elem, "member", member,
                     "count", count, "cap", cap, "ctype", ctype, "ptype", ptype, "helper", helper, NULL);
    } else {
      gen_print_tmpl(p, T, "add_scalar", "c_name", msg->c_name, "fn_add", fd->fn_add, "elem", elem, "member", member,
                     "count", count, "cap", cap, NULL);
    }
  } else if (text) {
    gen_print_tmpl(p, T, "set_text", "c_name", msg->c_name, "fn_set", fd->fn_set, "fn_set_ref", fd->fn_set_ref, "ctype",
                   ctype, "ptype", ptype, "helper", helper, "assign", text_assign(a, fd), NULL);
  } else if (fd->fn_mutable && fd->oneof) {
    const gen_oneof *o = fd->oneof;
    gen_print_tmpl(p, T, "mutable_oneof", "c_name", msg->c_name, "fn_mutable", fd->fn_mutable, "elem", fd->msg->c_name,
                   "var_desc", fd->msg->var_desc, "which", o->m_which->c_name, "number", gen_i64(a, fd->number),
                   "union", o->m_union->c_name, "member",
                   gen_strf(a, "%s.%s", o->m_union->c_name, fd->m_value->c_name), NULL);
  } else if (fd->fn_mutable) {
    gen_print_tmpl(p, T, "mutable", "c_name", msg->c_name, "fn_mutable", fd->fn_mutable, "elem", fd->msg->c_name,
                   "var_desc", fd->msg->var_desc, "member", fd->m_value->c_name, NULL);
  }
}

/* ---- codec tables ------------------------------------------------------------------- */

static const char *offset_or_none(gen_arena *a, uint64_t v) {
  return v == UINT64_MAX ? "P2F_NO_OFFSET" : gen_u64(a, v);
}

static const char *label_of(const gen_field *fd) {
  if (fd->repeated) return "P2F_FL_REPEATED";
  if (fd->parent->map_entry) return "P2F_FL_ALWAYS";
  if (fd->oneof) return "P2F_FL_ONEOF";
  if (fd->label == GEN_LABEL_REQUIRED) return "P2F_FL_REQUIRED";
  return fd->has_presence ? "P2F_FL_OPTIONAL" : "P2F_FL_SINGULAR";
}

/* The message descriptor's flags: P2F_MF_ZERO_INIT when init is a plain zero fill,
 * P2F_MF_OUT_OF_LINE when the tree has out-of-line fields, P2F_MF_DEFAULT_HAS when init sets
 * has_ flags (default_has) that decode clears, P2F_MF_NO_REQUIRED when no field is required. */
static const char *codec_msg_flags(gen_arena *a, const gen_message *msg) {
  bool required = false;
  for (size_t i = 0; i < msg->field_count; i++) required |= msg->fields[i].label == GEN_LABEL_REQUIRED;
  gen_buf b = {0};
  if (!msg->needs_init_code && !msg->init_sets_has) gen_buf_puts(&b, "P2F_MF_ZERO_INIT");
  if (msg->out_of_line) gen_buf_printf(&b, "%sP2F_MF_OUT_OF_LINE", b.len ? " | " : "");
  if (msg->init_sets_has) gen_buf_printf(&b, "%sP2F_MF_DEFAULT_HAS", b.len ? " | " : "");
  if (!required) gen_buf_printf(&b, "%sP2F_MF_NO_REQUIRED", b.len ? " | " : "");
  const char *r = gen_strdup(a, b.len ? b.data : "0");
  gen_buf_free(&b);
  return r;
}

/* The tag the encoder writes for a field (codec.h, p2f_field_desc.tag): the varint of
 * number << 3 | wire type, wire type 2 when packed, as "len, {bytes}". */
static const char *tag_bytes(gen_arena *a, const gen_field *fd) {
  uint64_t v = (uint64_t)(uint32_t)fd->number << 3 | (fd->packed ? 2u : (unsigned)fd->type->wire);
  gen_buf b = {0};
  unsigned n = 0;
  do {
    unsigned byte = (unsigned)(v & 0x7f) | (v >= 0x80 ? 0x80u : 0u);
    gen_buf_printf(&b, "%s0x%02x", n ? ", " : "", byte);
    v >>= 7;
    n++;
  } while (v);
  const char *r = gen_strf(a, "%u, {%s}", n, b.data);
  gen_buf_free(&b);
  return r;
}

/* The dispatch table of a message (codec.h, P2F_DISPATCH_MIN/MAX): 1 + the index of each
 * field numbered 0..len-1, 0 for numbers that are no field. Returns len (0: no table). */
static size_t dispatch_table(const gen_field **sorted, size_t count, gen_buf *out) {
  size_t bound = 4 * count > P2F_DISPATCH_MIN ? 4 * count : P2F_DISPATCH_MIN;
  if (bound > P2F_DISPATCH_MAX) bound = P2F_DISPATCH_MAX;
  size_t len = 0;
  for (size_t i = 0; i < count && (size_t)sorted[i]->number <= bound; i++) len = (size_t)sorted[i]->number + 1;
  size_t k = 0;
  for (size_t n = 0; n < len; n++) {
    unsigned entry = 0;
    if (k < count && (size_t)sorted[k]->number == n) entry = (unsigned)(++k);
    gen_buf_printf(out, "%s%u", n ? ", " : "", entry);
  }
  return len;
}

static const char *flags_of(gen_arena *a, const gen_field *fd) {
  gen_buf b = {0};
  if (fd->packed) gen_buf_puts(&b, "P2F_FF_PACKED");
  if (fd->utf8) gen_buf_printf(&b, "%sP2F_FF_UTF8", b.len ? " | " : "");
  if (fd->is_map) gen_buf_printf(&b, "%sP2F_FF_MAP", b.len ? " | " : "");
  if (fd->enm && fd->enm->closed) gen_buf_printf(&b, "%sP2F_FF_CLOSED_ENUM", b.len ? " | " : "");
  if (fd->int_width) gen_buf_printf(&b, "%sP2F_FF_INT_SIZE", b.len ? " | " : "");
  if (fd->storage == GEN_STORAGE_OUT_OF_LINE) gen_buf_printf(&b, "%sP2F_FF_OUT", b.len ? " | " : "");
  if (fd->fixed_length) gen_buf_printf(&b, "%sP2F_FF_FIXED_LENGTH", b.len ? " | " : "");
  if (fd->fixed_count) gen_buf_printf(&b, "%sP2F_FF_FIXED_COUNT", b.len ? " | " : "");
  const char *r = gen_strdup(a, b.len ? b.data : "0");
  gen_buf_free(&b);
  return r;
}

/* The decoding routine of a field (codec.h, p2f_field_desc.kind): one of P2F_FK_* for an
 * inline singular or optional field of the common types, "0" (the general path) otherwise. */
static const char *kind_of(gen_arena *a, const gen_field *fd) {
  if (fd->storage == GEN_STORAGE_OUT_OF_LINE || fd->repeated || fd->oneof || fd->parent->map_entry ||
      fd->label == GEN_LABEL_REQUIRED || fd->int_width || fd->fixed_length || (fd->enm && fd->enm->closed)) {
    return "0";
  }
  const char *k = NULL;
  switch (fd->type->proto_type) {
    case P2F_FT_INT64:
    case P2F_FT_UINT64: k = "P2F_FK_VARINT64"; break;
    case P2F_FT_INT32:
    case P2F_FT_UINT32:
    case P2F_FT_ENUM: k = "P2F_FK_VARINT32"; break;
    case P2F_FT_SINT64: k = "P2F_FK_ZIGZAG64"; break;
    case P2F_FT_SINT32: k = "P2F_FK_ZIGZAG32"; break;
    case P2F_FT_BOOL: k = "P2F_FK_BOOL"; break;
    case P2F_FT_DOUBLE:
    case P2F_FT_FIXED64:
    case P2F_FT_SFIXED64: k = "P2F_FK_FIXED64"; break;
    case P2F_FT_FLOAT:
    case P2F_FT_FIXED32:
    case P2F_FT_SFIXED32: k = "P2F_FK_FIXED32"; break;
    case P2F_FT_STRING: k = fd->utf8 ? "P2F_FK_STRING_UTF8" : "P2F_FK_STRING"; break;
    case P2F_FT_BYTES: k = "P2F_FK_BYTES"; break;
    case P2F_FT_MESSAGE: k = "P2F_FK_MESSAGE"; break;
    default: return "0";
  }
  /* has_ flag: optional fields (decode_plain / decode_field set it when there is one) */
  if (fd->has_presence && fd->abs_aux != UINT64_MAX) return gen_strcat3(a, k, " | P2F_FK_HAS", "");
  return k;
}

/* Byte ranges {offset, length} of a struct, collected for p2f_msg_desc.zero_ranges. */
typedef struct zero_list {
  uint64_t *v; /* pairs */
  size_t n, cap;
} zero_list;

static void zero_add(zero_list *z, uint64_t off, uint64_t len) {
  if (len == 0) return;
  if (z->n == z->cap) {
    z->cap = z->cap ? 2 * z->cap : 16;
    uint64_t *nv = gen_xmalloc(2 * z->cap * sizeof *nv);
    if (z->n) memcpy(nv, z->v, 2 * z->n * sizeof *nv);
    free(z->v);
    z->v = nv;
  }
  z->v[2 * z->n] = off;
  z->v[2 * z->n + 1] = len;
  z->n++;
}

/* Whether decode initialises msg sparsely (decode.c, sparse_init; codec.h "Defined bytes"):
 * its init writes zeros only, no out-of-line field in its tree, larger than
 * P2F_SPARSE_INIT_BYTES per field. */
static bool sparse_init(const gen_message *msg) {
  return !msg->needs_init_code && !msg->init_sets_has && !msg->out_of_line &&
         msg->layout.size > (uint64_t)P2F_SPARSE_INIT_BYTES * msg->field_count;
}

/* The bytes decode.c's init_defined zeroes in msg at base, field by field (inline
 * submessages it initialises sparsely by their own fields, the others whole). */
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
        if (sparse_init(fd->msg)) zero_collect(fd->msg, at, z);
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
      if (sparse_init(fd->msg)) zero_collect(fd->msg, base + fd->abs_value, z);
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

/* At most this many zero ranges per message: past it (fixed_count arrays of sparsely
 * initialised submessages) the list would grow with the array, and the decoder walks the
 * field table instead. */
#define ZERO_RANGES_MAX 64u

/* The zero ranges of a sparsely initialised message as "off, len, ..." (sorted, overlapping
 * and adjacent ones joined) and their count; 0 (no list) for the other messages and where
 * there would be more than ZERO_RANGES_MAX. */
static size_t zero_ranges(const gen_message *msg, gen_buf *out) {
  if (!sparse_init(msg)) return 0; /* also: no out-of-line field in the tree */
  zero_list z = {0};
  zero_collect(msg, 0, &z);
  if (z.n == 0) return 0;
  qsort(z.v, z.n, 2 * sizeof *z.v, cmp_range);
  size_t m = 0;
  for (size_t i = 0; i < z.n; i++) {
    uint64_t off = z.v[2 * i], end = off + z.v[2 * i + 1];
    if (m && off <= z.v[2 * (m - 1)] + z.v[2 * (m - 1) + 1]) {
      uint64_t *last = &z.v[2 * (m - 1)];
      if (end > last[0] + last[1]) last[1] = end - last[0];
      continue;
    }
    z.v[2 * m] = off;
    z.v[2 * m + 1] = end - off;
    m++;
  }
  if (m > ZERO_RANGES_MAX) m = 0;
  for (size_t i = 0; i < m; i++) gen_buf_printf(out, "%s%llu, %llu", i ? ", " : "", (unsigned long long)z.v[2 * i], (unsigned long long)z.v[2 * i + 1]);
  free(z.v);
  return m;
}

static int cmp_i32(const void *x, const void *y) {
  int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
  return (a > b) - (a < b);
}

static int cmp_field_number(const void *x, const void *y) {
  int32_t a = (*(const gen_field *const *)x)->number, b = (*(const gen_field *const *)y)->number;
  return (a > b) - (a < b);
}

/* The field table of one message (fields sorted by number) and its descriptor, decode,
 * encode and encoded_size. Closed enums get the sorted list of their values. */
static void print_codec(gen_printer *p, gen_arena *a, const gen_message *msg) {
  const gen_field **sorted = gen_xmalloc((msg->field_count + 1) * sizeof *sorted);
  for (size_t i = 0; i < msg->field_count; i++) sorted[i] = &msg->fields[i];
  qsort(sorted, msg->field_count, sizeof *sorted, cmp_field_number);
  const char **value_vars = gen_alloc(a, (msg->field_count + 1) * sizeof *value_vars);
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = sorted[i];
    if (fd->var_enum_values == NULL) continue;
    int32_t *values = gen_xmalloc((fd->enm->value_count + 1) * sizeof *values);
    size_t n = 0;
    for (size_t k = 0; k < fd->enm->value_count; k++) {
      if (!fd->enm->values[k].alias) values[n++] = fd->enm->values[k].number;
    }
    qsort(values, n, sizeof *values, cmp_i32);
    gen_buf list = {0};
    for (size_t k = 0; k < n; k++) gen_buf_printf(&list, "%s%s", list.len ? ", " : "", backend_c_int32(a, values[k]));
    value_vars[i] = fd->var_enum_values;
    gen_print_tmpl(p, T, "enum_values", "var", value_vars[i], "values", list.data, NULL);
    gen_buf_free(&list);
    free(values);
  }
  const char *fields_var = msg->var_fields;
  if (msg->field_count) {
    gen_print_tmpl(p, T, "codec_fields_begin", "var", fields_var, NULL);
    gen_indent(p);
    for (size_t i = 0; i < msg->field_count; i++) {
      const gen_field *fd = sorted[i];
      bool out = fd->storage == GEN_STORAGE_OUT_OF_LINE;
      /* Out-of-line (codec.h): capacity is the offset of x_cap for repeated fields, strings
       * and bytes have no maximum length. */
      uint64_t capacity = fd->repeated ? (out ? fd->m_cap->offset : fd->max_count) : fd->oneof ? fd->oneof->u->size : 0;
      bool text = fd->type->kind == GEN_KIND_STRING || fd->type->kind == GEN_KIND_BYTES;
      const char *max_length = out && text ? "UINT32_MAX" : gen_u64(a, fd->max_length);
      const char *enum_count = "0";
      if (value_vars[i]) enum_count = gen_strf(a, "sizeof %s / sizeof %s[0]", value_vars[i], value_vars[i]);
      /* The wire type and value width of the scalar table (P2F_FIELD_WIRE in codec.h). */
      const char *wire = gen_strf(a, "P2F_FIELD_WIRE(%d, %u, %d)", (int)fd->type->wire, (unsigned)fd->type->size,
                                  fd->type->zigzag ? 1 : 0);
      gen_print_tmpl(p, T, "codec_field", "number", gen_i64(a, fd->number), "type", gen_i64(a, fd->type->proto_type),
                     "tag", tag_bytes(a, fd),
                     "label", label_of(fd), "flags", flags_of(a, fd), "offset", gen_u64(a, fd->abs_value), "aux",
                     offset_or_none(a, fd->abs_aux), "len", offset_or_none(a, fd->abs_len), "stride",
                     gen_u64(a, fd->value_stride), "capacity", gen_u64(a, capacity), "max_length",
                     max_length, "sub", fd->msg ? gen_strcat3(a, "&", fd->msg->var_desc, "") : "NULL",
                     "enum_values", value_vars[i] ? value_vars[i] : "NULL", "enum_count", enum_count, "wire",
                     wire, "kind", kind_of(a, fd), NULL);
    }
    gen_outdent(p);
    gen_print_tmpl(p, T, "codec_fields_end", NULL);
  }
  gen_buf table = {0};
  size_t dispatch_len = dispatch_table(sorted, msg->field_count, &table);
  if (dispatch_len) gen_print_tmpl(p, T, "codec_dispatch", "var", msg->var_dispatch, "entries", table.data, NULL);
  gen_buf_free(&table);
  gen_buf zero = {0};
  size_t zero_count = zero_ranges(msg, &zero);
  if (zero_count) gen_print_tmpl(p, T, "codec_zero", "var", msg->var_zero, "entries", zero.data, NULL);
  gen_buf_free(&zero);
  gen_print_tmpl(p, T, "codec_desc", "var_desc", msg->var_desc, "full_name", msg->full_name, "c_name", msg->c_name,
                 "count", gen_u64(a, msg->field_count), "fields", msg->field_count ? fields_var : "NULL", "thunk_init",
                 msg->thunk_init, "flags", codec_msg_flags(a, msg), "dispatch",
                 dispatch_len ? msg->var_dispatch : "NULL", "dispatch_len", gen_u64(a, dispatch_len), "zero",
                 zero_count ? msg->var_zero : "NULL", "zero_count", gen_u64(a, zero_count), NULL);
  gen_print_tmpl(p, T, msg->out_of_line ? "codec_decode_out" : "codec_decode", "var_desc", msg->var_desc, "c_name",
                 msg->c_name, "fn_decode", msg->fn_decode, "fn_copy", msg->fn_copy ? msg->fn_copy : "", NULL);
  gen_print_tmpl(p, T, "codec_encode", "var_desc", msg->var_desc, "c_name", msg->c_name, "fn_encode", msg->fn_encode,
                 "fn_encoded_size", msg->fn_encoded_size, NULL);
  gen_print_tmpl(p, T, "codec_decode_ex", "var_desc", msg->var_desc, "c_name", msg->c_name, "fn_decode_ex",
                 msg->fn_decode_ex, NULL);
  for (size_t i = 0; i < msg->field_count; i++) {
    if (msg->fields[i].storage == GEN_STORAGE_OUT_OF_LINE) print_builders(p, a, msg, &msg->fields[i]);
  }
  free(sorted);
}

static int by_full_name(const void *x, const void *y) {
  return strcmp((*(const gen_message *const *)x)->full_name, (*(const gen_message *const *)y)->full_name);
}

static void print_table(gen_printer *p, gen_arena *a, const gen_file *f) {
  gen_message **sorted = gen_xmalloc((f->message_count + 1) * sizeof *sorted);
  memcpy(sorted, f->messages, f->message_count * sizeof *sorted);
  qsort(sorted, f->message_count, sizeof *sorted, by_full_name);
  for (size_t i = 0; i < f->message_count; i++) {
    const gen_message *msg = sorted[i];
    gen_print_tmpl(p, T, msg->out_of_line ? "table_thunk_out" : "table_thunk", "c_name", msg->c_name, "fn_init",
                   msg->fn_init, "fn_decode_ex", msg->fn_decode_ex, "fn_decode", msg->fn_decode,
                   "fn_encode", msg->fn_encode, "fn_encoded_size", msg->fn_encoded_size, "thunk_init", msg->thunk_init,
                   "thunk_decode", msg->thunk_decode, "thunk_encode", msg->thunk_encode, "thunk_encoded_size",
                   msg->thunk_encoded_size, NULL);
  }
  for (size_t i = 0; i < f->message_count; i++) print_codec(p, a, f->messages[i]);
  if (f->message_count) {
    gen_print_tmpl(p, T, "table_begin", "var", f->var_messages, NULL);
    for (size_t i = 0; i < f->message_count; i++) {
      const gen_message *msg = sorted[i];
      gen_print_tmpl(p, T, "table_entry", "full_name", msg->full_name, "c_name", msg->c_name, "macro_align",
                     msg->macro_align, "fields", gen_u64(a, msg->field_count), "thunk_init", msg->thunk_init,
                     "thunk_decode", msg->thunk_decode, "thunk_encode", msg->thunk_encode, "thunk_encoded_size",
                     msg->thunk_encoded_size, NULL);
    }
    gen_print_tmpl(p, T, "table_end", NULL);
  }
  free(sorted);
  gen_print_tmpl(p, T, "file_info", "fn_file_info", f->fn_file_info, "proto", f->name, "package", f->package,
                 "count", gen_u64(a, f->message_count), "messages", f->message_count ? f->var_messages : "NULL",
                 NULL);
}

void emit_c_source(const gen_model *m, const gen_file *f, gen_outputs *out) {
  gen_printer p;
  gen_printer_init(&p);
  gen_arena *a = m->arena;
  /* Generated files sit next to each other, so the source includes its header by base name. */
  gen_print_tmpl(&p, T, "prologue", "out", f->source_name, "version", P2F_GENERATOR_VERSION, "proto", f->name,
                 "header", f->header_base, NULL);
  if (needs_math(f)) gen_print_tmpl(&p, T, "include_math", NULL);
  for (size_t i = 0; i < f->enum_count; i++) print_enum_name(&p, a, f->enums[i]);
  for (size_t i = 0; i < f->message_count; i++) {
    const gen_message *msg = f->messages[i];
    gen_print_tmpl(&p, T, "message_functions", "c_name", msg->c_name, "fn_size", msg->fn_size, "fn_align",
                   msg->fn_align, "macro_align", msg->macro_align, "fn_init", msg->fn_init, "fn_fingerprint",
                   msg->fn_layout_fingerprint, "macro_fingerprint", msg->macro_layout_fingerprint, NULL);
    gen_indent(&p);
    print_init_body(&p, a, msg);
    gen_outdent(&p);
    gen_print_tmpl(&p, T, "init_end", NULL);
    gen_print_tmpl(&p, T, "pool_functions", "c_name", msg->c_name, "macro_align", msg->macro_align, "fn_init",
                   msg->fn_init, "pool_create", msg->fn_pool_create, "pool_create_ex", msg->fn_pool_create_ex,
                   "pool_alloc", msg->fn_pool_alloc, "pool_free", msg->fn_pool_free, "pool_alloc_batch",
                   msg->fn_pool_alloc_batch, "pool_free_batch", msg->fn_pool_free_batch, "pool_destroy",
                   msg->fn_pool_destroy, "thunk_init", msg->thunk_init, NULL);
    gen_print_tmpl(&p, T, "pool_default", "fn_pool_create_default", msg->fn_pool_create_default, "pool_create_ex",
                   msg->fn_pool_create_ex, "macro_pool_size", msg->macro_pool_size, "macro_pool_max",
                   msg->macro_pool_max, NULL);
    emit_batch_source(&p, a, msg);
  }
  print_table(&p, a, f);
  gen_outputs_add(out, f->source_name, &p);
}
