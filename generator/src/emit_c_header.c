/* x.ffi.h: enums, structs (with their oneof unions), capacity macros, layout assertions and
 * prototypes, from templates/c_header.tmpl. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

#define T "c_header"

static void print_enum(gen_printer *p, gen_arena *a, const gen_enum *e) {
  gen_print_tmpl(p, T, "enum_begin", "full_name", e->full_name, "c_name", e->c_name, "open",
                 e->closed ? "" : " and may hold values not listed here", NULL);
  gen_indent(p);
  for (size_t i = 0; i < e->value_count; i++) {
    gen_print_tmpl(p, T, "enum_value", "c_name", e->values[i].c_name, "number",
                   backend_c_int32(a, e->values[i].number), NULL);
  }
  gen_outdent(p);
  gen_print_tmpl(p, T, "enum_end", "c_name", e->c_name, "macro_min", e->macro_min, "macro_max", e->macro_max,
                 "min", backend_c_int32(a, e->min_value), "max", backend_c_int32(a, e->max_value), "fn_name",
                 e->fn_name, "first", e->value_count ? e->values[0].name : "", NULL);
}

/* What the field holds, in proto terms: "string", "social.Sub", "map<string, int32>". */
static const char *proto_type_of(gen_arena *a, const gen_field *fd) {
  if (fd->is_map) {
    return gen_strf(a, "map<%s, %s>", proto_type_of(a, &fd->msg->fields[0]), proto_type_of(a, &fd->msg->fields[1]));
  }
  if (fd->msg) return fd->msg->full_name;
  if (fd->enm) return fd->enm->full_name;
  return fd->type->proto_name;
}

static const char *comment_of(gen_arena *a, const gen_member *mb) {
  const gen_field *fd = mb->field;
  switch (mb->role) {
    case GEN_MEMBER_HAS:
      return gen_strf(a, " /* 1 when %s is set */", fd->name);
    case GEN_MEMBER_LEN:
      return fd->repeated ? gen_strf(a, " /* bytes used in each element of %s */", fd->name)
                          : gen_strf(a, " /* bytes used in %s */", fd->name);
    case GEN_MEMBER_COUNT:
      return gen_strf(a, " /* elements used in %s */", fd->name);
    case GEN_MEMBER_WHICH:
      return gen_strf(a, " /* field number of the %s member set, 0 if none */", mb->oneof->name);
    case GEN_MEMBER_ONEOF:
      return gen_strf(a, " /* oneof %s */", mb->oneof->name);
    case GEN_MEMBER_RESERVED:
      return " /* the message has no fields */";
    case GEN_MEMBER_VALUE:
      if (fd == NULL) return "";
      if (mb->aggregate && fd->aux == mb->aggregate) return gen_strf(a, " /* %d: %s */", fd->number, fd->type->proto_name);
      if (fd->type->kind == GEN_KIND_STRING && mb->scalar == &gen_scalar_char && fd->aux) return " /* NUL-terminated */";
      return gen_strf(a, " /* %d: %s%s */", fd->number, fd->repeated && !fd->is_map ? "repeated " : "",
                      proto_type_of(a, fd));
  }
  return "";
}

/* Whether a member of s is named like the type `type` (possible without a package:
 * `point point = 1;`). In C++ such a member hides the type for the rest of the struct, so every
 * member of that type is declared with the elaborated type (`struct point`), as C allows too. */
static bool member_hides_type(const gen_struct *s, const char *type) {
  for (size_t i = 0; i < s->member_count; i++)
    if (strcmp(s->members[i].c_name, type) == 0) return true;
  return false;
}

static void print_struct(gen_printer *p, gen_arena *a, const gen_struct *s, const char *what) {
  gen_print_tmpl(p, T, "struct_begin", "what", what, "kind", s->is_union ? "union" : "struct", "c_name",
                 s->c_name, NULL);
  gen_indent(p);
  const gen_member **order = s->by_offset;
  for (size_t i = 0; i < s->member_count; i++) {
    const gen_member *mb = order[i];
    const char *type = backend_c_type(mb);
    if (mb->aggregate && member_hides_type(s, type))
      type = gen_strf(a, "%s %s", mb->aggregate->is_union ? "union" : "struct", type);
    gen_print_tmpl(p, T, "member", "type", type, "name", mb->c_name, "dims", backend_c_dims(a, mb), "comment",
                   comment_of(a, mb), NULL);
  }
  gen_outdent(p);
  gen_print_tmpl(p, T, "struct_end", "c_name", s->c_name, NULL);
  gen_print_tmpl(p, T, "struct_asserts", "c_name", s->c_name, "size", gen_u64(a, s->size), "align",
                 gen_u64(a, s->align), NULL);
  for (size_t i = 0; i < s->member_count; i++) {
    gen_print_tmpl(p, T, "offset_assert", "c_name", s->c_name, "member", order[i]->c_name, "offset",
                   gen_u64(a, order[i]->offset), NULL);
  }
}

static void print_field_macros(gen_printer *p, gen_arena *a, const gen_field *fd) {
  gen_print_tmpl(p, T, "define", "name", fd->macro_tag, "value", gen_i64(a, fd->number), NULL);
  if (fd->macro_capacity) gen_print_tmpl(p, T, "define", "name", fd->macro_capacity, "value", gen_u64(a, fd->max_length), NULL);
  if (fd->macro_max_count) gen_print_tmpl(p, T, "define", "name", fd->macro_max_count, "value", gen_u64(a, fd->max_count), NULL);
}

static void print_message(gen_printer *p, gen_arena *a, const gen_message *msg) {
  for (size_t i = 0; i < msg->aux_count; i++) {
    const gen_struct *s = msg->aux[i];
    const char *what = s->is_union ? gen_strf(a, "The members of a oneof of %s.", msg->full_name)
                                   : gen_strf(a, "Length and data of a string/bytes member of a oneof of %s.", msg->full_name);
    print_struct(p, a, s, what);
  }
  const char *what = msg->map_entry ? gen_strf(a, "map entry %s (%s)", msg->full_name, msg->file->name)
                                    : gen_strf(a, "message %s (%s)", msg->full_name, msg->file->name);
  print_struct(p, a, &msg->layout, what);
  gen_print_tmpl(p, T, "message_macros", "macro_size", msg->macro_size, "size", gen_u64(a, msg->layout.size),
                 "macro_align", msg->macro_align, "align", gen_u64(a, msg->layout.align), NULL);
  for (size_t i = 0; i < msg->field_count; i++) print_field_macros(p, a, &msg->fields[i]);
  gen_print_tmpl(p, T, "message_functions", "c_name", msg->c_name, "fn_size", msg->fn_size, "fn_align",
                 msg->fn_align, "fn_init", msg->fn_init, "pool_create", msg->fn_pool_create, "pool_create_ex",
                 msg->fn_pool_create_ex, "pool_alloc", msg->fn_pool_alloc, "pool_free", msg->fn_pool_free,
                 "pool_alloc_batch", msg->fn_pool_alloc_batch, "pool_free_batch", msg->fn_pool_free_batch,
                 "pool_destroy", msg->fn_pool_destroy, "macro_max_encoded", msg->macro_max_encoded_size,
                 "max_encoded", gen_u64(a, msg->max_encoded_size), "var_desc", msg->var_desc, "fn_decode",
                 msg->fn_decode, "fn_encode", msg->fn_encode, "fn_encoded_size", msg->fn_encoded_size,
                 "macro_fingerprint", msg->macro_layout_fingerprint, "fingerprint",
                 gen_strf(a, "0x%016llx", (unsigned long long)msg->layout_fingerprint), "fn_fingerprint",
                 msg->fn_layout_fingerprint, NULL);
  gen_print_tmpl(p, T, "pool_default", "macro_pool_size", msg->macro_pool_size, "macro_pool_max", msg->macro_pool_max,
                 "pool_size", gen_u64(a, msg->pool_size), "pool_max", gen_u64(a, msg->pool_max),
                 "fn_pool_create_default", msg->fn_pool_create_default, "pool_create_ex", msg->fn_pool_create_ex, NULL);
  emit_batch_header(p, msg);
}

void emit_c_header(const gen_model *m, const gen_file *f, gen_outputs *out) {
  gen_printer p;
  gen_printer_init(&p);
  gen_arena *a = m->arena;
  gen_print_tmpl(&p, T, "prologue", "out", f->header_name, "version", P2F_GENERATOR_VERSION, "proto", f->name,
                 "json", f->json_name, "guard", f->guard, NULL);
  for (size_t i = 0; i < f->include_count; i++) gen_print_tmpl(&p, T, "include", "header", f->includes[i]->header_name, NULL);
  gen_print_tmpl(&p, T, "abi_check", "proto", f->name, "abi", gen_i64(a, P2F_RUNTIME_ABI), NULL);
  emit_batch_include(&p, f);
  for (size_t i = 0; i < f->enum_count; i++) print_enum(&p, a, f->enums[i]);
  for (size_t i = 0; i < f->message_count; i++) print_message(&p, a, f->definition_order[i]);
  gen_print_tmpl(&p, T, "epilogue", "proto", f->name, "fn_file_info", f->fn_file_info, "guard", f->guard, NULL);
  gen_outputs_add(out, f->header_name, &p);
}
