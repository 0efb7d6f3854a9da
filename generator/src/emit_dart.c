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

/* The typed_data list asTypedList returns for a pointer to dart:ffi type ffi. */
static const char *typed_list(const char *ffi) {
  static const char *const map[][2] = {{"Int8", "Int8List"},     {"Int16", "Int16List"},   {"Int32", "Int32List"},
                                       {"Int64", "Int64List"},   {"Uint8", "Uint8List"},   {"Uint16", "Uint16List"},
                                       {"Uint32", "Uint32List"}, {"Uint64", "Uint64List"}, {"Float", "Float32List"},
                                       {"Double", "Float64List"}};
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
    if (strcmp(map[i][0], ffi) == 0) return map[i][1];
  }
  return NULL;
}

/* Accessors of an out-of-line repeated field (docs/dart.md): a view over the pointer and
 * the count (a typed_data view for numbers, a list of the elements' text, bytes views or
 * structs otherwise), and setX / addX / clearX, which grow the array in an arena. */
static void print_repeated_out(gen_printer *p, gen_arena *a, const gen_file *f, const gen_field *fd) {
  const gen_member *mb = fd->m_value;
  const char *raw = mb->dart_decl_name;
  const char *count = fd->m_count->dart_decl_name;
  const char *cap = fd->m_cap->dart_decl_name;
  const char *doc = dart_field_doc(a, fd);
  if (fd->type->kind == GEN_KIND_ENUM) doc = gen_strf(a, "%s Raw numbers of %s.", doc, enum_ref(a, f, fd->enm));
  const char *list = mb->scalar && fd->type->kind != GEN_KIND_STRING && fd->type->kind != GEN_KIND_BYTES &&
                             fd->type->proto_type != GPB_TYPE(BOOL)
                         ? typed_list(mb->scalar->dart_ffi)
                         : NULL;
  if (list) {
    bool wide = mb->scalar->size == 8 && !mb->scalar->is_float;
    const char *elem = mb->scalar->is_float ? "double" : "int";
    gen_print_tmpl(p, T, "acc_repeated_out_num", "doc", doc, "name", fd->dart_name, "list", list, "count", count, "raw",
                   raw, "add", fd->add_dart_name, "set", fd->set_dart_name, "note",
                   wide && !fd->type->is_signed ? " (values of 2^63 and above read as negative ints: two's complement)" : "",
                   NULL);
    gen_print_tmpl(p, T, "set_repeated_num", "name", fd->dart_name, "set", fd->set_dart_name, "add", fd->add_dart_name,
                   "clear", fd->clear_dart_name, "elem", elem, "esize", gen_u64(a, mb->scalar->size), "ffi",
                   mb->scalar->dart_ffi, "raw", raw, "count", count, "cap", cap, "conv_list",
                   ranged(a, fd, "values[i]", fd->dart_name), "conv_value", ranged(a, fd, "value", fd->dart_name), NULL);
  } else if (fd->type->kind == GEN_KIND_STRING || fd->type->kind == GEN_KIND_BYTES) {
    bool str = fd->type->kind == GEN_KIND_STRING;
    gen_print_tmpl(p, T, "acc_repeated_out", "doc", doc, "name", fd->dart_name, "elem", str ? "String" : "Uint8List",
                   "full_name", fd->full_name, "count", count, "what",
                   str ? " (each element decoded when read)" : " (each element a view of its bytes)", "get",
                   gen_strf(a, "p2f.%s(%s, i)", str ? "outOfLineStringAt" : "outOfLineBytesAt", raw), "set", "", NULL);
    gen_print_tmpl(p, T, "set_repeated_text", "name", fd->dart_name, "set", fd->set_dart_name, "add", fd->add_dart_name,
                   "clear", fd->clear_dart_name, "velem", str ? "String" : "List<int>", "raw", raw, "count", count,
                   "cap", cap, "copy", str ? "copyString" : "copyBytes", "full_name", fd->full_name, NULL);
  } else if (fd->type->kind == GEN_KIND_MESSAGE) {
    const char *elem = type_ref(a, f, mb->aggregate);
    gen_print_tmpl(p, T, "acc_repeated_out", "doc", doc, "name", fd->dart_name, "elem", elem, "full_name",
                   fd->full_name, "count", count, "what", ": the elements are edited in place", "get",
                   gen_strf(a, "%s[i]", raw), "set", "", NULL);
    gen_print_tmpl(p, T, "add_repeated_message", "name", fd->dart_name, "add", fd->add_dart_name, "clear",
                   fd->clear_dart_name, "elem", elem, "raw", raw, "count", count, "cap", cap, NULL);
  } else { /* bool */
    gen_print_tmpl(p, T, "acc_repeated_out", "doc", doc, "name", fd->dart_name, "elem", "bool", "full_name",
                   fd->full_name, "count", count, "what", "", "get", gen_strf(a, "%s[i] != 0", raw), "set",
                   gen_strf(a, ", (i, v) => %s[i] = v ? 1 : 0", raw), NULL);
    gen_print_tmpl(p, T, "set_repeated_num", "name", fd->dart_name, "set", fd->set_dart_name, "add", fd->add_dart_name,
                   "clear", fd->clear_dart_name, "elem", "bool", "esize", "1", "ffi", "Uint8", "raw", raw, "count",
                   count, "cap", cap, "conv_list", "values[i] ? 1 : 0", "conv_value", "value ? 1 : 0", NULL);
  }
  gen_print_tmpl(p, T, "acc_count", "field", fd->dart_name, "name", fd->count_dart_name, "raw", count, NULL);
}

/* The Dart type the accessor of singular field fd returns (a map entry's key or value). */
static const char *value_type(gen_arena *a, const gen_file *f, const gen_field *fd) {
  switch (fd->type->kind) {
    case GEN_KIND_STRING:
      return "String";
    case GEN_KIND_BYTES:
      return "Uint8List";
    case GEN_KIND_ENUM:
      return gen_strf(a, "%s?", enum_ref(a, f, fd->enm));
    case GEN_KIND_MESSAGE: {
      const char *t = type_ref(a, f, &fd->msg->layout);
      return fd->storage == GEN_STORAGE_OUT_OF_LINE ? gen_strf(a, "%s?", t) : t;
    }
    default:
      if (fd->type->proto_type == GPB_TYPE(BOOL)) return "bool";
      return fd->type->is_float ? "double" : "int";
  }
}

/* The Map view of map field fd, over its entry structs (inline or out-of-line). */
static void print_map(gen_printer *p, gen_arena *a, const gen_file *f, const gen_field *fd) {
  const gen_message *entry = fd->msg;
  if (entry == NULL || entry->field_count != 2) return;
  const gen_field *key = &entry->fields[0], *value = &entry->fields[1];
  const char *count = fd->m_count->dart_decl_name;
  if (fd->storage == GEN_STORAGE_INLINE) {
    const char *cap = gen_u64(a, fd->max_count);
    count = gen_strf(a, "%s > %s ? %s : %s", count, cap, cap, count); /* never past the array */
  }
  gen_print_tmpl(p, T, "acc_map", "field", fd->dart_name, "name", fd->map_dart_name, "k", value_type(a, f, key), "v",
                 value_type(a, f, value), "full_name", fd->full_name, "count", count, "entries",
                 fd->m_value->dart_decl_name, "key", key->dart_name, "value", value->dart_name, NULL);
}

/* The enum-typed view of a repeated enum field, over the same storage as its raw numbers. */
static void print_repeated_enums(gen_printer *p, gen_arena *a, const gen_file *f, const gen_field *fd) {
  const char *e = enum_ref(a, f, fd->enm);
  const char *raw = fd->m_value->dart_decl_name;
  const char *count = fd->m_count->dart_decl_name;
  const char *get = gen_strf(a, "(i) => %s.fromValue(%s[i])", e, raw);
  const char *set = gen_strf(a, "(i, v) => %s[i] = (v ?? (throw ArgumentError.notNull('%s'))).value", raw, fd->enums_dart_name);
  const char *list, *ctor;
  if (fd->storage == GEN_STORAGE_OUT_OF_LINE) {
    list = "List";
    ctor = gen_strf(a, "p2f.OutOfLineList<%s?>('%s', %s, %s, %s)", e, fd->full_name, count, get, set);
  } else {
    list = "p2f.FixedList";
    ctor = gen_strf(a, "p2f.FixedList<%s?>('%s', %llu, () => %s, (n) => %s = n, %s, %s)", e, fd->full_name,
                    (unsigned long long)fd->max_count, count, count, get, set);
  }
  gen_print_tmpl(p, T, "acc_repeated_enums", "field", fd->dart_name, "enum", e, "list", list, "name",
                 fd->enums_dart_name, "ctor", ctor, NULL);
}

static void print_repeated(gen_printer *p, gen_arena *a, const gen_file *f, const gen_field *fd) {
  if (fd->is_map) print_map(p, a, f, fd);
  if (fd->type->kind == GEN_KIND_ENUM) print_repeated_enums(p, a, f, fd);
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
                   "name", fd->dart_name, "get", u, "which", which, "number", number, "mutable", fd->mutable_dart_name,
                   NULL);
    return;
  }
  if (out) {
    bool str = fd->type->kind == GEN_KIND_STRING;
    gen_print_tmpl(p, T, "acc_oneof_text_out", "doc", doc, "oneof", o->name, "type", str ? "String" : "Uint8List",
                   "name", fd->dart_name,
                   "get", gen_strf(a, "p2f.%s(%s.data, %s.len)", str ? "readOutOfLineString" : "outOfLineBytes", u, u),
                   "which", which, "number", number, "empty", str ? "''" : "Uint8List(0)", NULL);
    gen_print_tmpl(p, T, str ? "set_string_out" : "set_bytes_out", "name", fd->dart_name, "set", fd->set_dart_name,
                   "set_ref", fd->set_ref_dart_name, "data", gen_strf(a, "%s.data", u), "len", gen_strf(a, "%s.len", u),
                   "full_name", fd->full_name, "sethas", gen_strf(a, "\n  %s = %s;", which, number), "selects",
                   gen_strf(a, ", and selects it in oneof %s", o->name), NULL);
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
                     type_ref(a, f, fd->m_value->aggregate), "raw", raw, "mutable", fd->mutable_dart_name, "clear",
                     fd->clear_dart_name, NULL);
      return;
    }
    bool str = fd->type->kind == GEN_KIND_STRING;
    gen_print_tmpl(p, T, str ? "acc_string_out" : "acc_bytes_out", "doc", doc, "name", fd->dart_name, "data", raw,
                   "len", fd->m_len->dart_decl_name, "set", fd->set_dart_name, "set_ref", fd->set_ref_dart_name, NULL);
    gen_print_tmpl(p, T, str ? "set_string_out" : "set_bytes_out", "name", fd->dart_name, "set", fd->set_dart_name,
                   "set_ref", fd->set_ref_dart_name, "data", raw, "len", fd->m_len->dart_decl_name, "full_name",
                   fd->full_name, "sethas", sethas(a, fd), "selects", "", NULL);
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

/* One field's part of toString, == and hashCode (value_methods): "name: ${x}", the test of
 * `o` (the other message) and the hashed value. */
typedef struct value_parts {
  const char *fields, *eq, *hash;
} value_parts;

static void value_part(gen_arena *a, value_parts *v, const char *label, const char *get, bool list, const char *cond) {
  const char *o = gen_strf(a, "$other.%s", get);
  const char *test = list ? gen_strf(a, "p2f.listEquals(%s, %s)", get, o) : gen_strf(a, "%s == %s", get, o);
  const char *hash = list ? gen_strf(a, "p2f.listHash(%s)", get) : get;
  if (cond) {
    test = gen_strf(a, "(!(%s) || %s)", cond, test);
    hash = gen_strf(a, "%s ? %s : null", cond, hash);
  }
  v->fields = gen_strf(a, "%s%s%s: ${%s}", v->fields, *v->fields ? ", " : "", label, get);
  v->eq = gen_strf(a, "%s &&\n        %s", v->eq, test);
  v->hash = gen_strf(a, "%s%s%s", v->hash, *v->hash ? ", " : "", hash);
}

/* The accessor that reads field fd's value (the raw number of an enum), and whether it is a
 * list (repeated, bytes) compared element by element. */
static const char *value_getter(const gen_field *fd, bool *list) {
  *list = fd->repeated || fd->type->kind == GEN_KIND_BYTES;
  if (!fd->repeated && fd->type->kind == GEN_KIND_ENUM) return fd->value_dart_name;
  return fd->dart_name;
}

/* toString, value == and hashCode of a message class, over the fields' accessors. */
static void print_value_methods(gen_printer *p, gen_arena *a, const gen_message *msg) {
  value_parts v = {"", "", ""};
  for (size_t i = 0; i < msg->oneof_count; i++) {
    const gen_oneof *o = &msg->oneofs[i];
    value_part(a, &v, o->which_dart_name, o->which_dart_name, false, NULL);
  }
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    bool list;
    const char *get = value_getter(fd, &list);
    const char *cond = NULL;
    if (fd->oneof) {
      cond = gen_strf(a, "%s == %d", fd->oneof->which_dart_name, fd->number);
    } else if (fd->m_has) {
      value_part(a, &v, fd->has_dart_name, fd->has_dart_name, false, NULL);
      cond = fd->has_dart_name;
    }
    value_part(a, &v, fd->name, get, list, cond);
  }
  gen_print_tmpl(p, T, "value_methods", "name", msg->layout.dart_name, "fields", v.fields, "eq", v.eq, "hash", v.hash,
                 NULL);
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

/* A constant of a oneof's case enum: the member's Dart name, with '_' appended while it is a
 * name every such enum has (index, values, value, fromValue, notSet, name) or its own type. */
static const char *case_constant(gen_arena *a, const gen_oneof *o, const char *name) {
  static const char *const taken[] = {"fromValue", "index", "name", "notSet", "value", "values"};
  for (;;) {
    bool clash = strcmp(name, o->case_dart_name) == 0;
    for (size_t i = 0; i < sizeof taken / sizeof taken[0]; i++) clash = clash || strcmp(name, taken[i]) == 0;
    if (!clash) return name;
    name = gen_strcat3(a, name, "_", "");
  }
}

/* The enum of the member set in oneof o: notSet, then one constant per member. */
static void print_oneof_case(gen_printer *p, gen_arena *a, const gen_message *msg, const gen_oneof *o) {
  gen_print_tmpl(p, T, "oneof_case_begin", "oneof", o->name, "msg", msg->layout.dart_name, "getter",
                 o->case_getter_dart_name, "name", o->case_dart_name, "sep", o->field_count ? "," : ";", NULL);
  for (size_t i = 0; i < o->field_count; i++) {
    gen_print_tmpl(p, T, "oneof_case_value", "name", case_constant(a, o, o->fields[i]->dart_name), "number",
                   gen_i64(a, o->fields[i]->number), "sep", i + 1 == o->field_count ? ";" : ",", NULL);
  }
  gen_print_tmpl(p, T, "oneof_case_mid", "name", o->case_dart_name, NULL);
  for (size_t i = 0; i < o->field_count; i++) {
    gen_print_tmpl(p, T, "enum_case", "number", gen_i64(a, o->fields[i]->number), "name",
                   case_constant(a, o, o->fields[i]->dart_name), NULL);
  }
  gen_print_tmpl(p, T, "enum_end", NULL);
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
                   "case_type", o->case_dart_name, "case", o->case_getter_dart_name,
                   "clear", o->clear_dart_name, NULL);
  }
  for (size_t i = 0; i < msg->field_count; i++) print_field_accessors(p, a, f, msg, &msg->fields[i]);
  print_value_methods(p, a, msg);
  gen_outdent(p);
  gen_print_tmpl(p, T, "struct_end", NULL);

  for (size_t i = 0; i < msg->oneof_count; i++) print_oneof_case(p, a, msg, &msg->oneofs[i]);
  gen_print_tmpl(p, T, "ext_begin", "name", s->dart_name, "ext", msg->dart_ext_name, NULL);
  gen_indent(p);
  gen_print_tmpl(p, T, "ext_copy", "name", s->dart_name, NULL);
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
  for (size_t i = 0; i < f->include_count; i++) {
    gen_print_tmpl(&p, T, "import_dep", "root", f->dart_root, "path", f->includes[i]->dart_rel_name, "prefix",
                   f->includes[i]->dart_prefix, NULL);
  }
  for (size_t i = 0; i < f->enum_count; i++) print_enum(&p, a, f, f->enums[i]);
  for (size_t i = 0; i < f->message_count; i++) print_message(&p, a, f, f->definition_order[i]);
  emit_dart_api(m, f, &p);
  emit_batch_dart(&p, a, f);
  gen_outputs_add(out, f->dart_name, &p);
}
