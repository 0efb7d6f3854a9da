/* x.ffi.json: the layout manifest (docs/manifest.md), from templates/json.tmpl. Every struct
 * the header declares is listed with each member's offset, size and alignment, and every
 * field with the absolute offsets of its value, length, count, presence and oneof tag. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

#define T "json"

static const char *jstr(gen_arena *a, const char *s) {
  const unsigned char *c = (const unsigned char *)s;
  while (*c >= 0x20 && *c != '"' && *c != '\\') c++;
  if (*c == '\0') return gen_strcat3(a, "\"", s, "\""); /* nothing to escape */
  gen_buf b = {0};
  gen_buf_putc(&b, '"');
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') gen_buf_printf(&b, "\\%c", *p);
    else if (*p < 0x20) gen_buf_printf(&b, "\\u%04x", *p);
    else gen_buf_putc(&b, (char)*p);
  }
  gen_buf_putc(&b, '"');
  char *r = gen_strdup(a, b.data);
  gen_buf_free(&b);
  return r;
}

static const char *jbool(bool v) { return v ? "true" : "false"; }

static const char *role_name(gen_member_role r) {
  switch (r) {
    case GEN_MEMBER_VALUE: return "\"value\"";
    case GEN_MEMBER_HAS: return "\"has\"";
    case GEN_MEMBER_LEN: return "\"len\"";
    case GEN_MEMBER_COUNT: return "\"count\"";
    case GEN_MEMBER_CAP: return "\"cap\"";
    case GEN_MEMBER_WHICH: return "\"which\"";
    case GEN_MEMBER_ONEOF: return "\"oneof\"";
    case GEN_MEMBER_RESERVED: return "\"reserved\"";
  }
  return "\"?\"";
}

static const char *label_name(const gen_field *fd) {
  if (fd->is_map) return "map";
  if (fd->repeated) return "repeated";
  if (fd->label == GEN_LABEL_REQUIRED) return "required";
  return fd->has_presence ? "optional" : "singular";
}

static void prop(gen_buf *b, const char *key, const char *value) {
  if (b->len) gen_buf_append(b, ", ", 2);
  gen_buf_putc(b, '"');
  gen_buf_puts(b, key);
  gen_buf_append(b, "\": ", 3);
  gen_buf_puts(b, value);
}

static void prop_u64(gen_buf *b, const char *key, uint64_t v) {
  char tmp[24];
  char *first = tmp + sizeof tmp;
  *--first = '\0';
  do {
    *--first = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0);
  prop(b, key, first);
}

static void print_field(gen_printer *p, gen_arena *a, const gen_field *fd, bool last) {
  gen_buf b = {0};
  prop(&b, "name", jstr(a, fd->name));
  prop(&b, "c_name", jstr(a, fd->c_name));
  prop(&b, "dart_name", jstr(a, fd->dart_name));
  prop_u64(&b, "number", (uint64_t)fd->number);
  prop(&b, "type", jstr(a, fd->type->proto_name));
  if (fd->msg) prop(&b, "type_name", jstr(a, fd->msg->full_name));
  if (fd->enm) prop(&b, "type_name", jstr(a, fd->enm->full_name));
  prop(&b, "label", jstr(a, label_name(fd)));
  bool out = fd->storage == GEN_STORAGE_OUT_OF_LINE;
  prop(&b, "storage", out ? "\"out_of_line\"" : "\"inline\"");
  prop_u64(&b, "offset", fd->abs_value);
  const gen_member *value = fd->m_value;
  if (fd->aux) value = fd->aux->members[0].role == GEN_MEMBER_VALUE ? &fd->aux->members[0] : &fd->aux->members[1];
  prop_u64(&b, "size", value->size);
  if (fd->abs_len != UINT64_MAX) prop_u64(&b, "len_offset", fd->abs_len);
  if (!out && fd->type->kind == GEN_KIND_STRING) prop_u64(&b, "max_length", fd->max_length);
  if (!out && fd->type->kind == GEN_KIND_BYTES) prop_u64(&b, "max_size", fd->max_length);
  if (fd->m_count) {
    if (!out) prop_u64(&b, "max_count", fd->max_count);
    prop_u64(&b, "count_offset", fd->m_count->offset);
  } else if (fd->fixed_count) {
    prop_u64(&b, "max_count", fd->max_count);
    prop(&b, "fixed_count", "true"); /* nanopb's fixed_count: no count member */
  }
  if (fd->fixed_length) prop(&b, "fixed_length", "true"); /* nanopb's fixed_length: no length member */
  if (fd->default_has && fd->m_has) prop(&b, "default_has", "true"); /* init sets the has_ flag */
  if (fd->m_cap) prop_u64(&b, "cap_offset", fd->m_cap->offset);
  if (out && (fd->repeated || fd->type->kind == GEN_KIND_MESSAGE)) prop_u64(&b, "elem_size", fd->value_stride);
  if (fd->m_has) prop_u64(&b, "has_offset", fd->m_has->offset);
  if (fd->int_width) prop_u64(&b, "int_size", 8u * fd->int_width); /* nanopb's int_size, in bits */
  if (fd->oneof) {
    prop(&b, "oneof", jstr(a, fd->oneof->name));
    prop_u64(&b, "which_offset", fd->oneof->m_which->offset);
  }
  if (fd->repeated && (fd->type->kind == GEN_KIND_NUMERIC || fd->type->kind == GEN_KIND_ENUM)) {
    prop(&b, "packed", jbool(fd->packed));
  }
  gen_print_tmpl(p, T, "field", "props", b.data, "comma", last ? "" : ",", NULL);
  gen_buf_free(&b);
}

static const char *dims_of(gen_arena *a, const gen_member *mb) {
  if (mb->ndims == 0) return "";
  if (mb->ndims == 1) return gen_u64(a, mb->dims[0]);
  return gen_strf(a, "%llu, %llu", (unsigned long long)mb->dims[0], (unsigned long long)mb->dims[1]);
}

static void print_struct(gen_printer *p, gen_arena *a, const gen_struct *s, bool last) {
  gen_print_tmpl(p, T, "struct_begin", "c_name", jstr(a, s->c_name), "dart_name", jstr(a, s->dart_name), "kind",
                 s->is_union ? "\"union\"" : "\"struct\"", "size", gen_u64(a, s->size), "align",
                 gen_u64(a, s->align), NULL);
  gen_indent(p);
  const gen_member **order = s->by_offset;
  for (size_t i = 0; i < s->member_count; i++) {
    const gen_member *mb = order[i];
    gen_print_tmpl(p, T, "member", "name", jstr(a, mb->c_name), "dart_name", jstr(a, mb->dart_name), "role",
                   role_name(mb->role), "type", jstr(a, backend_c_type(mb)), "dims", dims_of(a, mb), "offset",
                   gen_u64(a, mb->offset), "size", gen_u64(a, mb->size), "align", gen_u64(a, mb->align), "pointer",
                   mb->pointer ? ", \"pointer\": true" : "", "comma",
                   i + 1 == s->member_count ? "" : ",", NULL);
  }
  gen_outdent(p);
  gen_print_tmpl(p, T, "struct_end", "comma", last ? "" : ",", NULL);
}

static void print_enum(gen_printer *p, gen_arena *a, const gen_enum *e, bool last) {
  gen_buf v = {0};
  for (size_t i = 0; i < e->value_count; i++) {
    gen_buf_printf(&v, "%s{\"name\": %s, \"c_name\": %s, \"number\": %d}", i ? ", " : "", jstr(a, e->values[i].name),
                   jstr(a, e->values[i].c_name), e->values[i].number);
  }
  gen_print_tmpl(p, T, "enum", "full_name", jstr(a, e->full_name), "c_name", jstr(a, e->c_name), "dart_name",
                 jstr(a, e->dart_name), "closed", jbool(e->closed), "values", v.data ? v.data : "", "comma",
                 last ? "" : ",", NULL);
  gen_buf_free(&v);
}

static void print_message(gen_printer *p, gen_arena *a, const gen_message *msg, bool last) {
  const gen_struct *s = &msg->layout;
  gen_print_tmpl(p, T, "message_begin", "full_name", jstr(a, msg->full_name), "c_name", jstr(a, msg->c_name),
                 "dart_name", jstr(a, msg->dart_name), "map_entry", jbool(msg->map_entry), "size",
                 gen_u64(a, s->size), "align", gen_u64(a, s->align), "padding", gen_u64(a, s->padding), "sorted",
                 jbool(msg->sort_by_alignment), "declared_size", gen_u64(a, msg->declared_size), "sorted_size",
                 gen_u64(a, msg->sorted_size), "pool_size", gen_u64(a, msg->pool_size), "pool_max",
                 gen_u64(a, msg->pool_max), "batch", jbool(msg->batch), NULL);
  gen_indent(p);
  gen_indent(p);
  for (size_t i = 0; i < msg->field_count; i++) print_field(p, a, &msg->fields[i], i + 1 == msg->field_count);
  gen_outdent(p);
  gen_print_tmpl(p, T, "fields_end", NULL);
  gen_indent(p);
  for (size_t i = 0; i < msg->aux_count; i++) print_struct(p, a, msg->aux[i], false);
  print_struct(p, a, s, true);
  gen_outdent(p);
  gen_outdent(p);
  gen_print_tmpl(p, T, "message_end", "comma", last ? "" : ",", NULL);
}

void emit_json(const gen_model *m, const gen_file *f, gen_outputs *out) {
  gen_printer p;
  gen_printer_init(&p);
  gen_arena *a = m->arena;
  gen_print_tmpl(&p, T, "prologue", "version", P2F_GENERATOR_VERSION, "proto", jstr(a, f->name), "package",
                 jstr(a, f->package), "header", jstr(a, f->header_name), NULL);
  gen_indent(&p);
  gen_indent(&p);
  for (size_t i = 0; i < f->enum_count; i++) print_enum(&p, a, f->enums[i], i + 1 == f->enum_count);
  gen_outdent(&p);
  gen_print_tmpl(&p, T, "enums_end", NULL);
  gen_indent(&p);
  for (size_t i = 0; i < f->message_count; i++) print_message(&p, a, f->messages[i], i + 1 == f->message_count);
  gen_outdent(&p);
  gen_outdent(&p);
  gen_print_tmpl(&p, T, "epilogue", NULL);
  gen_outputs_add(out, f->json_name, &p);
}
