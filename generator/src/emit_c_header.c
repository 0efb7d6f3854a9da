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
    case GEN_MEMBER_CAP:
      return gen_strf(a, " /* elements the arena's array of %s has room for; 0: not the arena's */", fd->name);
    case GEN_MEMBER_WHICH:
      return gen_strf(a, " /* field number of the %s member set, 0 if none */", mb->oneof->name);
    case GEN_MEMBER_ONEOF:
      return gen_strf(a, " /* oneof %s */", mb->oneof->name);
    case GEN_MEMBER_RESERVED:
      return " /* the message has no fields */";
    case GEN_MEMBER_VALUE:
      if (fd == NULL) return "";
      if (mb->aggregate && fd->aux == mb->aggregate) return gen_strf(a, " /* %d: %s */", fd->number, fd->type->proto_name);
      if (fd->type->kind == GEN_KIND_STRING && mb->scalar == &gen_scalar_char && fd->aux) {
        return mb->pointer ? " /* out-of-line */" : " /* NUL-terminated */";
      }
      if (mb->pointer) {
        return gen_strf(a, " /* %d: %s%s, out-of-line%s */", fd->number, fd->repeated && !fd->is_map ? "repeated " : "",
                        proto_type_of(a, fd), fd->type->kind == GEN_KIND_MESSAGE && !fd->repeated ? ", NULL when absent" : "");
      }
      return gen_strf(a, " /* %d: %s%s%s%s */", fd->number, fd->repeated && !fd->is_map ? "repeated " : "",
                      proto_type_of(a, fd), fd->fixed_count ? ", always all elements (fixed_count)" : "",
                      fd->fixed_length ? ", always all bytes (fixed_length)" : "");
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
    const char *name = mb->pointer ? gen_strcat3(a, "*", mb->c_name, "") : mb->c_name;
    gen_print_tmpl(p, T, "member", "type", type, "name", name, "dims", backend_c_dims(a, mb), "comment",
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

/* C type of one element of an out-of-line field (repeated: of the array; else the value). */
static const char *elem_type(const gen_field *fd) {
  const gen_member *mb = fd->aux ? (fd->aux->members[0].role == GEN_MEMBER_VALUE ? &fd->aux->members[0] : &fd->aux->members[1])
                                 : fd->m_value;
  return backend_c_type(mb);
}

/* The building functions of one out-of-line field. */
static void print_builders(gen_printer *p, gen_arena *a, const gen_message *msg, const gen_field *fd) {
  gen_kind kind = fd->type->kind;
  bool text = kind == GEN_KIND_STRING || kind == GEN_KIND_BYTES;
  const char *ctype = kind == GEN_KIND_STRING ? "char" : "void";
  if (fd->repeated) {
    const char *elem = elem_type(fd);
    if (fd->fn_set) {
      gen_print_tmpl(p, T, "set_array", "field", fd->name, "type", proto_type_of(a, fd), "c_name", msg->c_name,
                     "fn_set", fd->fn_set, "fn_set_ref", fd->fn_set_ref, "elem", elem, NULL);
      gen_print_tmpl(p, T, "add_scalar", "field", fd->name, "c_name", msg->c_name, "fn_add", fd->fn_add, "elem", elem,
                     NULL);
      return;
    }
    gen_print_tmpl(p, T, "set_ref_array", "field", fd->name, "type", proto_type_of(a, fd), "c_name", msg->c_name,
                   "fn_set_ref", fd->fn_set_ref, "elem", elem, NULL);
    if (text) {
      gen_print_tmpl(p, T, "add_text", "field", fd->name, "c_name", msg->c_name, "fn_add", fd->fn_add, "elem", elem,
                     "ctype", ctype, NULL);
    } else {
      gen_print_tmpl(p, T, "add_message", "field", fd->name, "c_name", msg->c_name, "fn_add", fd->fn_add, "elem", elem,
                     NULL);
    }
  } else if (text) {
    gen_print_tmpl(p, T, "set_text", "field", fd->name, "type", fd->type->proto_name, "c_name", msg->c_name, "fn_set",
                   fd->fn_set, "fn_set_ref", fd->fn_set_ref, "ctype", ctype, "nul",
                   kind == GEN_KIND_STRING ? " with a NUL after it" : "", NULL);
  } else if (fd->fn_mutable) {
    gen_print_tmpl(p, T, "mutable", "field", fd->name, "type", fd->msg->full_name, "c_name", msg->c_name,
                   "fn_mutable", fd->fn_mutable, "elem", fd->msg->c_name, "oneof",
                   fd->oneof ? gen_strf(a, " (or another member of %s is set: it is cleared)", fd->oneof->name) : "",
                   NULL);
  }
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
                 "pool_destroy", msg->fn_pool_destroy, "macro_fingerprint", msg->macro_layout_fingerprint,
                 "fingerprint", gen_strf(a, "0x%016llx", (unsigned long long)msg->layout_fingerprint),
                 "fn_fingerprint", msg->fn_layout_fingerprint, NULL);
  gen_print_tmpl(p, T, "pool_default", "macro_pool_size", msg->macro_pool_size, "macro_pool_max", msg->macro_pool_max,
                 "pool_size", gen_u64(a, msg->pool_size), "pool_max", gen_u64(a, msg->pool_max),
                 "fn_pool_create_default", msg->fn_pool_create_default, "pool_create_ex", msg->fn_pool_create_ex, NULL);
  if (msg->out_of_line) {
    gen_print_tmpl(p, T, "codec_out", "c_name", msg->c_name, "var_desc", msg->var_desc, "fn_decode", msg->fn_decode,
                   "fn_decode_ex", msg->fn_decode_ex, "fn_encode", msg->fn_encode, "fn_encoded_size",
                   msg->fn_encoded_size, "fn_copy", msg->fn_copy, NULL);
  } else {
    gen_print_tmpl(p, T, "codec", "c_name", msg->c_name, "macro_max_encoded", msg->macro_max_encoded_size,
                   "max_encoded", gen_u64(a, msg->max_encoded_size), "var_desc", msg->var_desc, "fn_decode",
                   msg->fn_decode, "fn_encode", msg->fn_encode, "fn_encoded_size", msg->fn_encoded_size, NULL);
    gen_print_tmpl(p, T, "decode_ex", "c_name", msg->c_name, "fn_decode", msg->fn_decode, "fn_decode_ex",
                   msg->fn_decode_ex, NULL);
  }
  for (size_t i = 0; i < msg->field_count; i++) {
    if (msg->fields[i].storage == GEN_STORAGE_OUT_OF_LINE) print_builders(p, a, msg, &msg->fields[i]);
  }
  emit_batch_header(p, a, msg);
}

/* Messages of f that a pointer member of f refers to: declared ahead of every struct. */
static void print_forward(gen_printer *p, const gen_file *f) {
  bool any = false;
  for (size_t i = 0; i < f->message_count; i++) {
    const gen_message *target = f->messages[i];
    bool pointed = false;
    for (size_t k = 0; k < f->message_count && !pointed; k++) {
      const gen_message *msg = f->messages[k];
      for (size_t j = 0; j < msg->field_count && !pointed; j++) {
        const gen_field *fd = &msg->fields[j];
        pointed = fd->storage == GEN_STORAGE_OUT_OF_LINE && fd->msg == target;
      }
    }
    if (!pointed) continue;
    if (!any) gen_print_tmpl(p, T, "forward", NULL);
    any = true;
    gen_print_tmpl(p, T, "forward_struct", "c_name", target->c_name, NULL);
  }
}

void emit_c_header(const gen_model *m, const gen_file *f, gen_outputs *out) {
  gen_printer p;
  gen_printer_init(&p);
  gen_arena *a = m->arena;
  const char *note = f->has_out_of_line
                         ? "Fixed-layout C structs: inline strings, bytes and repeated fields keep an\n"
                           " * explicit length or count next to storage of a fixed capacity; out-of-line ones are a\n"
                           " * pointer and a length or count (data in a p2f_arena, or wherever the caller points\n"
                           " * them), and out-of-line submessages a pointer, NULL when absent."
                         : "Fixed-layout C structs with no pointers inside: strings, bytes and repeated fields keep\n"
                           " * an explicit length or count next to inline storage of a fixed capacity.";
  gen_print_tmpl(&p, T, "prologue", "out", f->header_name, "version", P2F_GENERATOR_VERSION, "proto", f->name,
                 "json", f->json_name, "guard", f->guard, "layout_note", note, NULL);
  for (size_t i = 0; i < f->include_count; i++) gen_print_tmpl(&p, T, "include", "header", f->includes[i]->header_name, NULL);
  gen_print_tmpl(&p, T, "abi_check", "proto", f->name, "abi", gen_i64(a, P2F_RUNTIME_ABI), NULL);
  emit_batch_include(&p, f);
  print_forward(&p, f);
  for (size_t i = 0; i < f->enum_count; i++) print_enum(&p, a, f->enums[i]);
  for (size_t i = 0; i < f->message_count; i++) print_message(&p, a, f->definition_order[i]);
  gen_print_tmpl(&p, T, "epilogue", "proto", f->name, "fn_file_info", f->fn_file_info, "guard", f->guard, NULL);
  gen_outputs_add(out, f->header_name, &p);
}
