/* x.ffi.dart, part one: the prologue, enums, and one dart:ffi Struct (or Union) per struct the
 * C header declares, with typed accessors; from templates/dart.tmpl. The bindings of the
 * exported functions follow from emit_dart_api.c.
 *
 * Layout: members come from the model in offset order, and every gap the C layout leaves
 * (between members and at the end) becomes an explicit `Array<Uint8>` padding member, so the
 * Dart struct has the C size and offsets by construction, whatever rule dart:ffi applies.
 *
 * Names: all from the model (names.c). A member is declared with its dart_decl_name: a
 * member whose raw form is not the natural Dart value (flags, enums, strings, bytes, repeated
 * storage, counts, oneofs) is private `_<dart_name>` storage reached through an accessor
 * named dart_name; numeric values and nested messages are public fields. Padding is
 * names_dart_padding. Constants mirror the C macros (dart_const_*).
 */
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "emit_dart.h"
#include "names.h"

#define T "dart"

/* The Dart type name of s as seen from file f (prefixed when another file declares it). */
static const char *type_ref(gen_arena *a, const gen_file *f, const gen_struct *s) {
  if (s->owner->file == f) return s->dart_name;
  return gen_strf(a, "%s.%s", s->owner->file->dart_prefix, s->dart_name);
}

static const char *enum_ref(gen_arena *a, const gen_file *f, const gen_enum *e) {
  if (e->file == f) return e->dart_name;
  return gen_strf(a, "%s.%s", e->file->dart_prefix, e->dart_name);
}

/* Annotation and Dart type of a member's declaration. */
static void member_decl(gen_arena *a, const gen_file *f, const gen_member *mb, const char **annotation,
                        const char **type) {
  const char *elem;
  if (mb->aggregate) elem = type_ref(a, f, mb->aggregate);
  else elem = mb->scalar->dart_ffi;
  if (mb->pointer) {
    *annotation = NULL;
    *type = gen_strf(a, "Pointer<%s>", elem);
    return;
  }
  if (mb->ndims == 0) {
    if (mb->aggregate) {
      *annotation = NULL;
      *type = elem;
    } else {
      *annotation = gen_strf(a, "@%s()", mb->scalar->dart_ffi);
      *type = mb->scalar->is_float ? "double" : "int";
    }
  } else if (mb->ndims == 1) {
    *annotation = gen_strf(a, "@Array(%llu)", (unsigned long long)mb->dims[0]);
    *type = gen_strf(a, "Array<%s>", elem);
  } else {
    *annotation = gen_strf(a, "@Array(%llu, %llu)", (unsigned long long)mb->dims[0], (unsigned long long)mb->dims[1]);
    *type = gen_strf(a, "Array<Array<%s>>", elem);
  }
}

/* "4: string content", "3: social.PostType post_type", "5: repeated int64 tags". */
const char *dart_field_doc(gen_arena *a, const gen_field *fd) {
  const char *type = fd->msg ? fd->msg->full_name : fd->enm ? fd->enm->full_name : fd->type->proto_name;
  const char *doc = gen_strf(a, "%d: %s%s %s.", fd->number, fd->repeated ? (fd->is_map ? "map entries " : "repeated ") : "",
                             type, fd->name);
  if (fd->int_width && fd->int_width < 8) {
    doc = gen_strf(a, "%s Stored in %u bits (int_size): setting a value outside that range throws [RangeError].", doc,
                   8 * fd->int_width);
  }
  return doc;
}

static void print_decl(gen_printer *p, gen_arena *a, const gen_file *f, const gen_member *mb, bool message) {
  const char *annotation, *type;
  member_decl(a, f, mb, &annotation, &type);
  const char *name = mb->dart_decl_name;
  /* Public fields of a message class carry the field's doc (accessors carry it otherwise). */
  bool doc = mb->field && message && !mb->dart_private;
  if (annotation == NULL) {
    if (doc) {
      gen_print(p, "/// $doc$\nexternal $type$ $name$;\n", "doc", dart_field_doc(a, mb->field), "type", type, "name",
                name, NULL);
    } else {
      gen_print(p, "external $type$ $name$;\n", "type", type, "name", name, NULL);
    }
    return;
  }
  if (doc) {
    gen_print_tmpl(p, T, "member_doc", "doc", dart_field_doc(a, mb->field), "annotation", annotation, "type", type,
                   "name", name, NULL);
  } else {
    gen_print_tmpl(p, T, "member", "annotation", annotation, "type", type, "name", name, NULL);
  }
}

static void print_pad(gen_printer *p, gen_arena *a, uint64_t offset, uint64_t size) {
  gen_print_tmpl(p, T, "pad", "size", gen_u64(a, size), "name", names_dart_padding(a, offset),
                 NULL);
}

/* The declarations of s: members in offset order, padding made explicit. */
static void print_members(gen_printer *p, gen_arena *a, const gen_file *f, const gen_struct *s, bool message) {
  const gen_member **order = s->by_offset;
  uint64_t at = 0;
  for (size_t i = 0; i < s->member_count; i++) {
    const gen_member *mb = order[i];
    if (!s->is_union && mb->offset > at) print_pad(p, a, at, mb->offset - at);
    print_decl(p, a, f, mb, message);
    if (mb->offset + mb->size > at) at = mb->offset + mb->size;
  }
  if (!s->is_union && s->size > at) print_pad(p, a, at, s->size - at);
}

static void print_const(gen_printer *p, gen_arena *a, const char *name, uint64_t value, const char *doc) {
  if (name == NULL) return; /* no such bound: out-of-line */
  gen_print_tmpl(p, T, "const", "name", name, "value", gen_u64(a, value), "doc", doc, NULL);
}

static void print_enum(gen_printer *p, gen_arena *a, const gen_file *f, const gen_enum *e) {
  gen_print_tmpl(p, T, "enum_begin", "full_name", e->full_name, "proto", f->name, "name", e->dart_name, NULL);
  for (size_t i = 0; i < e->value_count; i++) {
    gen_print_tmpl(p, T, "enum_value", "name", e->values[i].dart_name, "number", gen_i64(a, e->values[i].number),
                   "sep", i + 1 == e->value_count ? ";" : ",", NULL);
  }
  gen_print_tmpl(p, T, "enum_mid", "name", e->dart_name, NULL);
  for (size_t i = 0; i < e->value_count; i++) {
    if (e->values[i].alias) continue; /* the first name of a number wins */
    gen_print_tmpl(p, T, "enum_case", "number", gen_i64(a, e->values[i].number), "name", e->values[i].dart_name,
                   NULL);
  }
  gen_print_tmpl(p, T, "enum_end", NULL);
}

/* value checked against a narrowed integer's range (nanopb's int_size), or value itself. */
static const char *ranged(gen_arena *a, const gen_field *fd, const char *value, const char *name) {
  if (fd->int_width == 0 || fd->int_width >= 8) return value;
  unsigned bits = 8 * fd->int_width;
  long long lo = fd->type->is_signed ? -(1ll << (bits - 1)) : 0;
  long long hi = fd->type->is_signed ? (1ll << (bits - 1)) - 1 : (1ll << bits) - 1;
  return gen_strf(a, "RangeError.checkValueInInterval(%s, %lld, %lld, '%s')", value, lo, hi, name);
}

/* " _hasX = 1;" appended to setters of fields with presence. */
static const char *sethas(gen_arena *a, const gen_field *fd) {
  if (!fd->m_has) return "";
  return gen_strf(a, "\n  %s = 1;", fd->m_has->dart_decl_name);
}

/* Read-only accessors of an out-of-line repeated field: a list over the pointer and the
 * count (typed-data views for numbers, the elements' text for strings and bytes, the structs
 * for messages and map entries). */
static void print_repeated_out(gen_printer *p, gen_arena *a, const gen_file *f, const gen_field *fd) {
  const char *raw = fd->m_value->dart_decl_name;
  const char *count = fd->m_count->dart_decl_name;
  const char *doc = dart_field_doc(a, fd);
  const char *elem, *body;
  switch (fd->type->kind) {
    case GEN_KIND_STRING:
    case GEN_KIND_BYTES: {
      bool str = fd->type->kind == GEN_KIND_STRING;
      elem = str ? "String" : "Uint8List";
      if (str) body = gen_strf(a, "List<String>.generate(%s, (i) => _$p2fOutString(%s, i), growable: false)", count, raw);
      else body = gen_strf(a, "List<Uint8List>.generate(%s, (i) => _$p2fOutBytes(%s, i), growable: false)", count, raw);
      break;
    }
    case GEN_KIND_MESSAGE:
      elem = type_ref(a, f, fd->m_value->aggregate);
      body = gen_strf(a, "List<%s>.generate(%s, (i) => %s[i], growable: false)", elem, count, raw);
      break;
    default:
      if (fd->type->proto_type == GPB_TYPE(BOOL)) {
        elem = "bool";
        body = gen_strf(a, "List<bool>.generate(%s, (i) => %s[i] != 0, growable: false)", count, raw);
      } else {
        elem = fd->type->is_float ? "double" : "int";
        body = gen_strf(a, "%s == 0 ? <%s>[] : %s.asTypedList(%s)", count, elem, raw, count);
      }
  }
  if (fd->type->kind == GEN_KIND_ENUM) doc = gen_strf(a, "%s Raw numbers of %s.", doc, enum_ref(a, f, fd->enm));
  gen_print_tmpl(p, T, "acc_repeated_out", "doc", doc, "elem", elem, "name", fd->dart_name, "body", body, NULL);
  gen_print_tmpl(p, T, "acc_count", "field", fd->dart_name, "name", fd->count_dart_name, "raw", count, NULL);
}

static void print_repeated(gen_printer *p, gen_arena *a, const gen_file *f, const gen_field *fd) {
  if (fd->storage == GEN_STORAGE_OUT_OF_LINE) {
    print_repeated_out(p, a, f, fd);
    return;
  }
  const char *raw = fd->m_value->dart_decl_name;
  const char *cap = gen_u64(a, fd->max_count);
  const char *elem = "int", *get = NULL, *set = NULL;
  switch (fd->type->kind) {
    case GEN_KIND_STRING:
    case GEN_KIND_BYTES: {
      bool str = fd->type->kind == GEN_KIND_STRING;
      elem = str ? "String" : "Uint8List";
      unsigned long long n = (unsigned long long)fd->max_length;
      if (fd->fixed_length) { /* no length members: every element is max_size bytes */
        get = gen_strf(a, "p2f.readBytes(%s[i], %llu, %llu)", raw, n, n);
        set = gen_strf(a, "(i, v) => p2f.writeBytes(%s[i], %llu, p2f.fixedBytes(v, %llu, '%s'), '%s')", raw, n, n,
                       fd->full_name, fd->full_name);
        break;
      }
      const char *len = fd->m_len->dart_decl_name;
      get = gen_strf(a, "p2f.%s(%s[i], %s[i], %llu)", str ? "readString" : "readBytes", raw, len, n);
      set = gen_strf(a, "(i, v) => %s[i] = p2f.%s(%s[i], %llu, v, '%s')", len, str ? "writeString" : "writeBytes", raw,
                     n, fd->full_name);
      break;
    }
    case GEN_KIND_MESSAGE:
      elem = type_ref(a, f, &fd->msg->layout);
      get = gen_strf(a, "%s[i]", raw);
      set = "null";
      break;
    default:
      if (fd->type->proto_type == GPB_TYPE(BOOL)) {
        elem = "bool";
        get = gen_strf(a, "%s[i] != 0", raw);
        set = gen_strf(a, "(i, v) => %s[i] = v ? 1 : 0", raw);
      } else {
        elem = fd->type->is_float ? "double" : "int";
        get = gen_strf(a, "%s[i]", raw);
        set = gen_strf(a, "(i, v) => %s[i] = %s", raw, ranged(a, fd, "v", fd->dart_name));
      }
  }
  const char *doc = dart_field_doc(a, fd);
  if (fd->type->kind == GEN_KIND_ENUM) {
    doc = gen_strf(a, "%s Raw numbers of %s.", doc, enum_ref(a, f, fd->enm));
  }
  const char *ops = fd->type->kind == GEN_KIND_MESSAGE
                        ? gen_strf(a, "; elements are edited in place. [%s.%s] appends an initialised element",
                                   fd->parent->dart_ext_name, fd->add_new_dart_name)
                        : ", with add and clear";
  if (fd->fixed_count) {
    gen_print_tmpl(p, T, "acc_repeated_fixed", "doc", doc, "elem", elem, "name", fd->dart_name, "full_name",
                   fd->full_name, "cap", cap, "get", get, "set", set, "ops",
                   fd->type->kind == GEN_KIND_MESSAGE ? "; elements are edited in place" : "", NULL);
    return;
  }
  const char *count = fd->m_count->dart_decl_name;
  gen_print_tmpl(p, T, "acc_repeated", "doc", doc, "elem", elem, "name", fd->dart_name, "full_name", fd->full_name,
                 "cap", cap, "count", count, "get", get, "set", set, "ops", ops, NULL);
  gen_print_tmpl(p, T, "acc_count", "field", fd->dart_name, "name", fd->count_dart_name, "raw", count, NULL);
}

static void print_oneof_field(gen_printer *p, gen_arena *a, const gen_file *f, const gen_field *fd) {
  const gen_oneof *o = fd->oneof;
  const char *which = o->m_which->dart_decl_name;
  const char *u = gen_strf(a, "%s.%s", o->m_union->dart_decl_name, fd->dart_name);
  const char *number = gen_i64(a, fd->number);
  gen_print_tmpl(p, T, "acc_oneof_has", "field", fd->dart_name, "oneof", o->name, "name", fd->has_dart_name, "which",
                 which, "number", number, NULL);
  const char *doc = dart_field_doc(a, fd);
  const char *type, *get, *set, *settype = NULL;
  bool out = fd->storage == GEN_STORAGE_OUT_OF_LINE;
  if (out && fd->type->kind == GEN_KIND_MESSAGE) {
    gen_print_tmpl(p, T, "acc_oneof_message_out", "doc", doc, "oneof", o->name, "type", type_ref(a, f, &fd->msg->layout),
                   "name", fd->dart_name, "get", u, "which", which, "number", number, NULL);
    return;
  }
  if (out) {
    bool str = fd->type->kind == GEN_KIND_STRING;
    gen_print_tmpl(p, T, "acc_oneof_text_out", "doc", doc, "oneof", o->name, "type", str ? "String" : "Uint8List",
                   "name", fd->dart_name, "get", gen_strf(a, "%s(%s.data, %s.len)", str ? "_$p2fString" : "_$p2fBytes", u, u),
                   "which", which, "number", number, "empty", str ? "''" : "Uint8List(0)", NULL);
    return;
  }
  switch (fd->type->kind) {
    case GEN_KIND_MESSAGE:
      gen_print_tmpl(p, T, "acc_oneof_message", "doc", doc, "oneof", o->name, "type", type_ref(a, f, &fd->msg->layout),
                     "name", fd->dart_name, "get", u, "which_name", o->which_dart_name, "number", number, NULL);
      return;
    case GEN_KIND_BYTES:
      if (fd->fixed_length) { /* the union member is the array itself */
        unsigned long long n = (unsigned long long)fd->max_length;
        type = "Uint8List";
        settype = "List<int>";
        get = gen_strf(a, "p2f.readBytes(%s, %llu, %llu)", u, n, n);
        set = gen_strf(a, "p2f.writeBytes(%s, %llu, p2f.fixedBytes(value, %llu, '%s'), '%s')", u, n, n, fd->full_name,
                       fd->full_name);
        doc = gen_strf(a, "%s Exactly %llu bytes (fixed_length).", doc, n);
        break;
      }
      /* fall through */
    case GEN_KIND_STRING: {
      bool str = fd->type->kind == GEN_KIND_STRING;
      type = str ? "String" : "Uint8List";
      get = gen_strf(a, "p2f.%s(%s.data, %s.len, %llu)", str ? "readString" : "readBytes", u, u,
                     (unsigned long long)fd->max_length);
      set = gen_strf(a, "%s.len = p2f.%s(%s.data, %llu, value, '%s')", u, str ? "writeString" : "writeBytes", u,
                     (unsigned long long)fd->max_length, fd->full_name);
      if (!str) settype = "List<int>"; /* like every bytes setter; the getter returns a Uint8List */
      doc = gen_strf(a, "%s At most %llu bytes%s.", doc, (unsigned long long)fd->max_length,
                     str ? " of UTF-8" : "");
      break;
    }
    case GEN_KIND_ENUM:
      gen_print_tmpl(p, T, "acc_oneof_enum", "doc", doc, "oneof", o->name, "enum", enum_ref(a, f, fd->enm), "name",
                     fd->dart_name, "value_name", fd->value_dart_name, "raw", u, "which", which, "number", number, NULL);
      return;
    default:
      if (fd->type->proto_type == GPB_TYPE(BOOL)) {
        type = "bool";
        get = gen_strf(a, "%s != 0", u);
        set = gen_strf(a, "%s = value ? 1 : 0", u);
      } else {
        type = fd->type->is_float ? "double" : "int";
        get = u;
        set = gen_strf(a, "%s = %s", u, ranged(a, fd, "value", fd->dart_name));
      }
  }
  gen_print_tmpl(p, T, "acc_oneof_value", "doc", doc, "oneof", o->name, "type", type, "settype",
                 settype ? settype : type, "name", fd->dart_name, "get", get, "set", set, "which", which, "number",
                 number, NULL);
}

/* Accessors of one field of a message (outside oneofs). */
static void print_field_accessors(gen_printer *p, gen_arena *a, const gen_file *f, const gen_message *msg,
                                  const gen_field *fd) {
  if (fd->oneof) {
    print_oneof_field(p, a, f, fd);
    return;
  }
  if (fd->m_has) {
    gen_print_tmpl(p, T, "acc_has", "field", fd->dart_name, "name", fd->has_dart_name, "raw", fd->m_has->dart_decl_name,
                   NULL);
  }
  if (fd->repeated) {
    print_repeated(p, a, f, fd);
    return;
  }
  const char *raw = fd->m_value->dart_decl_name;
  const char *doc = dart_field_doc(a, fd);
  if (fd->storage == GEN_STORAGE_OUT_OF_LINE) {
    if (fd->type->kind == GEN_KIND_MESSAGE) {
      gen_print_tmpl(p, T, "acc_message_out", "doc", doc, "name", fd->dart_name, "type",
                     type_ref(a, f, fd->m_value->aggregate), "raw", raw, NULL);
      return;
    }
    bool str = fd->type->kind == GEN_KIND_STRING;
    gen_print_tmpl(p, T, str ? "acc_string_out" : "acc_bytes_out", "doc", doc, "name", fd->dart_name, "data", raw,
                   "len", fd->m_len->dart_decl_name, NULL);
    gen_print_tmpl(p, T, "acc_len", "field", fd->dart_name, "name", fd->len_dart_name, "raw", fd->m_len->dart_decl_name,
                   NULL);
    return;
  }
  switch (fd->type->kind) {
    case GEN_KIND_MESSAGE:
      return; /* a public nested Struct */
    case GEN_KIND_BYTES:
      if (fd->fixed_length) {
        gen_print_tmpl(p, T, "acc_bytes_fixed", "doc", doc, "name", fd->dart_name, "data", raw, "cap",
                       gen_u64(a, fd->max_length), "full_name", fd->full_name, "sethas", sethas(a, fd), "ext",
                       gen_strf(a, "%s.%s", msg->dart_ext_name, fd->view_dart_name), NULL);
        return;
      }
      /* fall through */
    case GEN_KIND_STRING: {
      bool str = fd->type->kind == GEN_KIND_STRING;
      gen_print_tmpl(p, T, str ? "acc_string" : "acc_bytes", "doc", doc, "name", fd->dart_name, "data", raw, "len",
                     fd->m_len->dart_decl_name, "cap", gen_u64(a, fd->max_length), "full_name", fd->full_name, "sethas",
                     sethas(a, fd), "ext", gen_strf(a, "%s.%s", msg->dart_ext_name, fd->view_dart_name), NULL);
      gen_print_tmpl(p, T, "acc_len", "field", fd->dart_name, "name", fd->len_dart_name, "raw", fd->m_len->dart_decl_name,
                     NULL);
      return;
    }
    case GEN_KIND_ENUM:
      gen_print_tmpl(p, T, "acc_enum", "doc", doc, "name", fd->dart_name, "value_name", fd->value_dart_name, "enum",
                     enum_ref(a, f, fd->enm), "raw", raw, "sethas", sethas(a, fd), NULL);
      return;
    default:
      if (fd->type->proto_type == GPB_TYPE(BOOL)) {
        gen_print_tmpl(p, T, "acc_bool", "doc", doc, "name", fd->dart_name, "raw", raw, "sethas", sethas(a, fd), NULL);
      } else if (fd->m_has || fd->m_value->dart_private) {
        gen_print_tmpl(p, T, "acc_number", "doc", doc, "type", fd->type->is_float ? "double" : "int", "name",
                       fd->dart_name, "raw", raw, "value", ranged(a, fd, "value", fd->dart_name), "sethas",
                       sethas(a, fd), NULL);
      }
  }
}

static void print_constants(gen_printer *p, gen_arena *a, const gen_message *msg) {
  print_const(p, a, msg->dart_const_size, msg->layout.size, gen_strf(a, "sizeof(%s) in bytes.", msg->c_name));
  print_const(p, a, msg->dart_const_align, msg->layout.align, gen_strf(a, "The alignment of %s in bytes.", msg->c_name));
  print_const(p, a, msg->dart_const_max_encoded_size, msg->max_encoded_size,
              "The most bytes an encoded value of this message takes.");
  gen_print_tmpl(p, T, "const", "name", msg->dart_const_layout_fingerprint, "value",
                 gen_strf(a, "0x%016llx", (unsigned long long)msg->layout_fingerprint), "doc",
                 gen_strf(a, "What %s() returns (a uint64 read as a two's-complement int).",
                          msg->fn_layout_fingerprint), NULL);
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    if (fd->type->kind == GEN_KIND_STRING) {
      print_const(p, a, fd->dart_const_capacity, fd->max_length,
                  gen_strf(a, "Capacity of %s in bytes of UTF-8 (the C array has one more for the NUL).", fd->name));
    }
    if (fd->type->kind == GEN_KIND_BYTES) {
      print_const(p, a, fd->dart_const_capacity, fd->max_length, gen_strf(a, "Capacity of %s in bytes.", fd->name));
    }
    if (fd->repeated) {
      print_const(p, a, fd->dart_const_max_count, fd->max_count,
                  gen_strf(a, "Capacity of %s in elements.", fd->name));
    }
  }
}

static void print_aux(gen_printer *p, gen_arena *a, const gen_file *f, const gen_message *msg, const gen_struct *s) {
  const char *what = s->is_union ? gen_strf(a, "The members of a oneof of %s", msg->full_name)
                                 : gen_strf(a, "Length and data of a string/bytes member of a oneof of %s", msg->full_name);
  gen_print_tmpl(p, T, "struct_begin", "what", what, "c_name", s->c_name, "size", gen_u64(a, s->size), "align",
                 gen_u64(a, s->align), "name", s->dart_name, "base", s->is_union ? "Union" : "Struct", NULL);
  gen_indent(p);
  print_members(p, a, f, s, false);
  gen_outdent(p);
  gen_print_tmpl(p, T, "struct_end", NULL);
}

static void print_message(gen_printer *p, gen_arena *a, const gen_file *f, const gen_message *msg) {
  for (size_t i = 0; i < msg->aux_count; i++) print_aux(p, a, f, msg, msg->aux[i]);
  const gen_struct *s = &msg->layout;
  gen_print_tmpl(p, T, "struct_begin", "what", gen_strf(a, "message %s (%s)", msg->full_name, f->name), "c_name",
                 s->c_name, "size", gen_u64(a, s->size), "align", gen_u64(a, s->align), "name", s->dart_name, "base",
                 "Struct", NULL);
  gen_indent(p);
  print_constants(p, a, msg);
  gen_print(p, "\n", NULL);
  print_members(p, a, f, s, true);
  for (size_t i = 0; i < msg->oneof_count; i++) {
    const gen_oneof *o = &msg->oneofs[i];
    gen_print_tmpl(p, T, "acc_which", "oneof", o->name, "name", o->which_dart_name, "raw", o->m_which->dart_decl_name,
                   "clear", o->clear_dart_name, NULL);
  }
  for (size_t i = 0; i < msg->field_count; i++) print_field_accessors(p, a, f, msg, &msg->fields[i]);
  gen_outdent(p);
  gen_print_tmpl(p, T, "struct_end", NULL);

  bool views = false;
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    bool inl = fd->storage == GEN_STORAGE_INLINE;
    views = views || (fd->type->kind == GEN_KIND_BYTES && !fd->repeated && !fd->oneof && inl) ||
            (fd->type->kind == GEN_KIND_MESSAGE && fd->repeated && !fd->fixed_count && inl);
  }
  if (!views) return;
  gen_print_tmpl(p, T, "ext_begin", "name", s->dart_name, "ext", msg->dart_ext_name, NULL);
  gen_indent(p);
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    if (fd->storage != GEN_STORAGE_INLINE) continue;
    if (fd->type->kind == GEN_KIND_MESSAGE && fd->repeated) {
      if (fd->fixed_count) continue; /* always every element: nothing to append */
      gen_print_tmpl(p, T, "ext_add_new", "field", fd->dart_name, "name", fd->add_new_dart_name, "elem",
                     type_ref(a, f, &fd->msg->layout), "count", fd->m_count->dart_decl_name, "cap",
                     gen_u64(a, fd->max_count), "offset", gen_u64(a, fd->abs_value), "stride",
                     gen_u64(a, fd->value_stride), "full_name", fd->full_name, NULL);
      continue;
    }
    if (fd->type->kind != GEN_KIND_BYTES || fd->repeated || fd->oneof) continue;
    gen_print_tmpl(p, T, "ext_view", "field", fd->dart_name, "name", fd->view_dart_name, "offset",
                   gen_u64(a, fd->abs_value), "len",
                   fd->fixed_length ? gen_u64(a, fd->max_length) : gen_strcat3(a, "ref.", fd->m_len->dart_decl_name, ""),
                   "cap", gen_u64(a, fd->max_length), NULL);
  }
  gen_outdent(p);
  gen_print_tmpl(p, T, "ext_end", NULL);
}

void emit_dart(const gen_model *m, const gen_file *f, gen_outputs *out) {
  gen_printer p;
  gen_printer_init(&p);
  gen_arena *a = m->arena;
  const char *library = m->params.dart_library ? gen_strf(a, "library %s;\n", m->params.dart_library) : "library;\n";
  gen_print_tmpl(&p, T, "prologue", "proto", f->name, "version", P2F_GENERATOR_VERSION, "header", f->header_name,
                 "bindings", f->dart_bindings_name, "library", library, "runtime", m->params.dart_import, "asset", m->params.dart_asset, NULL);
  if (f->has_out_of_line) gen_print_tmpl(&p, T, "import_out", NULL);
  for (size_t i = 0; i < f->include_count; i++) {
    gen_print_tmpl(&p, T, "import_dep", "root", f->dart_root, "path", f->includes[i]->dart_rel_name, "prefix",
                   f->includes[i]->dart_prefix, NULL);
  }
  if (f->has_out_of_line) gen_print_tmpl(&p, T, "out_helpers", NULL);
  for (size_t i = 0; i < f->enum_count; i++) print_enum(&p, a, f, f->enums[i]);
  for (size_t i = 0; i < f->message_count; i++) print_message(&p, a, f, f->definition_order[i]);
  emit_dart_api(m, f, &p);
  emit_batch_dart(&p, a, f);
  gen_outputs_add(out, f->dart_name, &p);
}
