/* x.ffi.c: the exported functions (size, align, init, enum names) and the message table,
 * from templates/c_source.tmpl. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "proto2ffi/codec.h" /* P2F_FK_* */

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

/* The decoding routine the model chose for a field (gen_field.codec_kind) as codec.h
 * spells it: "P2F_FK_VARINT64", "P2F_FK_BOOL | P2F_FK_HAS", "0" for the general path. */
static const char *kind_name(gen_arena *a, unsigned kind) {
  static const char *const routines[] = {
      [P2F_FK_VARINT64] = "P2F_FK_VARINT64", [P2F_FK_VARINT32] = "P2F_FK_VARINT32",
      [P2F_FK_ZIGZAG64] = "P2F_FK_ZIGZAG64", [P2F_FK_ZIGZAG32] = "P2F_FK_ZIGZAG32",
      [P2F_FK_BOOL] = "P2F_FK_BOOL",         [P2F_FK_FIXED64] = "P2F_FK_FIXED64",
      [P2F_FK_FIXED32] = "P2F_FK_FIXED32",   [P2F_FK_STRING] = "P2F_FK_STRING",
      [P2F_FK_STRING_UTF8] = "P2F_FK_STRING_UTF8", [P2F_FK_BYTES] = "P2F_FK_BYTES",
      [P2F_FK_MESSAGE] = "P2F_FK_MESSAGE",   [P2F_FK_PACKED] = "P2F_FK_PACKED",
  };
  unsigned routine = P2F_FK_ROUTINE(kind);
  if (routine == P2F_FK_GENERAL) return "0";
  const char *k = routine < sizeof routines / sizeof routines[0] && routines[routine] ? routines[routine]
                                                                                       : gen_u64(a, routine);
  return kind & P2F_FK_HAS ? gen_strcat3(a, k, " | P2F_FK_HAS", "") : k;
}

/* The dispatch table of a message (gen_message.dispatch) as "e0, e1, ...". */
static void print_dispatch(gen_printer *p, const gen_message *msg) {
  if (msg->dispatch_len == 0) return;
  gen_buf table = {0};
  for (size_t n = 0; n < msg->dispatch_len; n++) gen_buf_printf(&table, "%s%u", n ? ", " : "", (unsigned)msg->dispatch[n]);
  gen_print_tmpl(p, T, "codec_dispatch", "var", msg->var_dispatch, "entries", table.data, NULL);
  gen_buf_free(&table);
}

/* The zero ranges of a message (gen_message.zero_ranges) as "off, len, ...". */
static void print_zero_ranges(gen_printer *p, const gen_message *msg) {
  if (msg->zero_count == 0) return;
  gen_buf zero = {0};
  for (size_t i = 0; i < 2 * msg->zero_count; i++) gen_buf_printf(&zero, "%s%lu", i ? ", " : "", (unsigned long)msg->zero_ranges[i]);
  gen_print_tmpl(p, T, "codec_zero", "var", msg->var_zero, "entries", zero.data, NULL);
  gen_buf_free(&zero);
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
                     wire, "kind", kind_name(a, fd->codec_kind), "next_tag",
                     fd->codec_next_tag ? gen_strf(a, "0x%02x", (unsigned)fd->codec_next_tag) : "0", NULL);
    }
    gen_outdent(p);
    gen_print_tmpl(p, T, "codec_fields_end", NULL);
  }
  print_dispatch(p, msg);
  print_zero_ranges(p, msg);
  gen_print_tmpl(p, T, "codec_desc", "var_desc", msg->var_desc, "full_name", msg->full_name, "c_name", msg->c_name,
                 "count", gen_u64(a, msg->field_count), "fields", msg->field_count ? fields_var : "NULL", "thunk_init",
                 msg->thunk_init, "flags", codec_msg_flags(a, msg), "dispatch",
                 msg->dispatch_len ? msg->var_dispatch : "NULL", "dispatch_len", gen_u64(a, msg->dispatch_len), "zero",
                 msg->zero_count ? msg->var_zero : "NULL", "zero_count", gen_u64(a, msg->zero_count), NULL);
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
