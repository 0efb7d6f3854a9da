/* Every C and Dart identifier the backends print, computed once (see names.h).
 *
 * Rules (docs/generated-c-api.md):
 *   type      package "social", message Post.Media  -> social_Post_Media   (Dart: Post_Media)
 *   field     post_id                                -> post_id             (Dart: postId)
 *   escaping  a name that is a C, C++ or Dart keyword, or a standard C macro, gets a trailing
 *             '_' (class -> class_), in C and in Dart alike, type names included (Dart enum
 *             `switch` -> switch_); Dart type names that shadow dart:core/dart:ffi types too;
 *   enum      Dart constants: the value name lower-cased, then lowerCamelCase
 *             (POST_TYPE_TEXT -> postTypeText);
 *   Dart      members that would hide a name the class body uses unqualified get more '_':
 *             a member equal to a type of the same library or the prefix p2f (field `point`
 *             of message type `point` -> point_); types avoid the SDK names the library uses
 *             (Uint8List -> Uint8List_). See docs/dart.md, "Names".
 *   Dart file x.ffi.dart (under dart_path), bindings class <Stem>Bindings, extension
 *             <Message>Pointer, bindings member <message class, first letter lowered>Functions
 *             (Post -> postFunctions; never the C type, which equals the class without a
 *             package);
 *   members   has_x, x_len, x_count, which_o; a oneof's union is <Msg>_<oneof>_t and a
 *             string/bytes inside it is held in a <Msg>_<field>_t {len, data} struct;
 *   out-of-line  x_cap of a repeated field; functions <Msg>_set_x, _set_x_ref, _add_x,
 *             _mutable_x, <Msg>_copy (names_assign_storage), and <Msg>_decode_ex for every
 *             message.
 */
#include "names.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Words no generated identifier may be: C11, C++20, Dart keywords and built-in identifiers,
 * standard C macros (and the GNU-mode predefined ones) that would silently rewrite a member
 * name, and the Object members a Dart Struct subclass cannot redefine. Sorted for bsearch. */
static const char *const reserved[] = {
    "EOF", "I", "NULL", "_Alignas", "_Alignof", "_Atomic", "_Bool", "_Complex", "_Generic",
    "_Imaginary", "_Noreturn", "_Static_assert", "_Thread_local", "abstract", "alignas",
    "alignof", "and", "and_eq", "as", "asm", "assert", "async", "auto", "await", "base",
    "bitand", "bitor", "bool", "break", "case", "catch", "char", "char16_t", "char32_t",
    "char8_t", "class", "co_await", "co_return", "co_yield", "compl", "complex", "concept",
    "const", "const_cast", "consteval", "constexpr", "constinit", "continue", "covariant",
    "decltype", "default", "deferred", "delete", "do", "double", "dynamic", "dynamic_cast",
    "else", "enum", "errno", "explicit", "export", "extends", "extension", "extern", "external",
    "factory", "false", "final", "finally", "float", "for", "friend", "get", "goto", "hashCode",
    "hide", "i386", "if", "imaginary", "implements", "import", "in", "inline", "int",
    "interface", "is", "late", "library", "linux", "long", "mixin", "mutable", "namespace",
    "new", "noSuchMethod", "noexcept", "noreturn", "not", "not_eq", "null", "nullptr", "of",
    "offsetof", "on", "operator", "or", "or_eq", "part", "private", "protected", "public",
    "register", "reinterpret_cast", "required", "requires", "restrict", "rethrow", "return",
    "runtimeType", "sealed", "set", "short", "show", "signed", "sizeof", "static",
    "static_assert", "static_cast", "stderr", "stdin", "stdout", "struct", "super", "switch",
    "sync", "template", "this", "thread_local", "throw", "toString", "true", "try", "type",
    "typedef", "typeid", "typename", "union", "unix", "unsigned", "using", "var", "virtual",
    "void", "volatile", "wchar_t", "when", "while", "with", "xor", "xor_eq", "yield"};

/* Names a generated class or enum must not take, because the generated library uses them
 * unqualified: dart:core, dart:ffi and dart:typed_data types and dart:ffi's sizeOf (a class
 * `Uint8List` would hide the one every bytes accessor returns), and the parameter names the
 * generated signatures put next to a message type (`Pointer<T> msg`, `set x(T value)`, the
 * addNew calls' `fns`, `n` and `element`, the out-of-line calls' `arena`, `data`, `len`,
 * `cap`, `grown`, `sub` and `values`), and the typed lists out-of-line getters return. */
static const char *const dart_types[] = {
    "AbiSpecificInteger", "ArgumentError", "Array", "BigInt", "Bool", "Char", "DateTime",
    "DefaultAsset", "Double", "Duration", "DynamicLibrary", "Enum", "Error", "Exception", "Finalizable",
    "Float", "Float32List", "Float64List", "Function", "Handle", "Int", "Int16", "Int32", "Int32List",
    "Int64", "Int64List", "Int8", "IntPtr", "Iterable", "List", "Long", "Map", "Native",
    "NativeFinalizer", "NativeFunction", "NativeType", "Never", "Null", "Object", "Opaque", "Pointer",
    "Record", "Set", "Short", "Size", "String", "Struct", "Type", "Uint16", "Uint32", "Uint32List",
    "Uint64", "Uint64List", "Uint8", "Uint8List", "Union", "Void", "arena", "bool", "cap", "data",
    "double", "dynamic", "element", "fns", "grown", "int", "len", "msg", "msgs", "n", "num", "out", "sizeOf",
    "sub", "value", "values"};

static int cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool in_list(const char *const *list, size_t n, const char *s) {
  return bsearch(&s, list, n, sizeof *list, cmp_str) != NULL;
}

bool names_is_reserved(const char *s) {
  return in_list(reserved, sizeof reserved / sizeof reserved[0], s);
}

const char *names_escape(gen_arena *a, const char *s) {
  return names_is_reserved(s) ? gen_strcat3(a, s, "_", "") : s;
}

/* "post_id" -> "postId"; "URL_path" -> "uRLPath" is avoided by lowering only the first
 * character. A leading digit (after dropping underscores) gets an 'f' prefix. */
static char *camel(gen_arena *a, const char *s, bool upper_first) {
  size_t n = strlen(s);
  char *out = gen_alloc(a, n + 2);
  size_t o = 0;
  bool up = upper_first;
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '_') {
      up = o > 0 || upper_first;
      continue;
    }
    char c = s[i];
    if (o == 0 && isdigit((unsigned char)c)) out[o++] = upper_first ? 'F' : 'f';
    if (up) c = (char)toupper((unsigned char)c);
    else if (o == 0) c = (char)tolower((unsigned char)c);
    out[o++] = c;
    up = false;
  }
  if (o == 0) out[o++] = upper_first ? 'F' : 'f';
  out[o] = '\0';
  return out;
}

const char *names_dart_member(gen_arena *a, const char *proto_name) {
  return names_escape(a, camel(a, proto_name, false));
}

static const char *dart_type(gen_arena *a, const char *name) {
  if (in_list(dart_types, sizeof dart_types / sizeof dart_types[0], name) || names_is_reserved(name)) {
    return gen_strcat3(a, name, "_", "");
  }
  return name;
}

/* Members every Dart enum has (or that the generated enums add): a constant may not take
 * these names. */
static const char *const dart_enum_members[] = {"fromValue", "index", "name", "value", "values"};

/* Dart name of an enum constant: the proto name lower-cased, then lowerCamelCase
 * (POST_TYPE_TEXT -> postTypeText), escaped like any member. */
static const char *dart_enum_value(gen_arena *a, const char *enum_dart_name, const char *proto_name) {
  char *lower = gen_strdup(a, proto_name);
  for (char *p = lower; *p; p++) *p = (char)tolower((unsigned char)*p);
  const char *name = names_dart_member(a, lower);
  /* The enum's own name is a type its body uses (`static color? fromValue`). */
  while (in_list(dart_enum_members, sizeof dart_enum_members / sizeof dart_enum_members[0], name) ||
         strcmp(name, enum_dart_name) == 0) {
    name = gen_strcat3(a, name, "_", "");
  }
  return name;
}

bool names_in_dart_scope(const gen_file *f, const char *s) {
  for (size_t i = 0; i < f->dart_scope_count; i++) {
    if (strcmp(f->dart_scope[i], s) == 0) return true;
  }
  return false;
}

/* Dart name of a member of a class generated for file f: lowerCamelCase and escaped
 * (names_dart_member), then one more '_' for as long as it equals a library-scope name the
 * class body may use unqualified. Field `point` of type `point` is point_, field `p2f` is
 * p2f_, and field `switch` next to enum `switch` (Dart switch_) is switch__. */
static const char *dart_member_in(gen_arena *a, const gen_file *f, const char *proto_name) {
  const char *s = names_dart_member(a, proto_name);
  while (names_in_dart_scope(f, s)) s = gen_strcat3(a, s, "_", "");
  return s;
}

static void add_scope(gen_arena *a, gen_file *f, size_t *cap, const char *name) {
  if (name == NULL || !(islower((unsigned char)name[0]) || strcmp(name, "p2f") == 0)) return;
  if (f->dart_scope_count == *cap) {
    size_t n = *cap ? *cap * 2 : 8;
    const char **items = gen_alloc(a, n * sizeof *items);
    if (f->dart_scope_count) memcpy(items, f->dart_scope, f->dart_scope_count * sizeof *items);
    f->dart_scope = items;
    *cap = n;
  }
  f->dart_scope[f->dart_scope_count++] = name;
}

/* gen_file.dart_scope: the runtime prefix p2f and the types of f that start in lower case. A
 * member name always starts in lower case and has no '_' but a trailing one, so it can never
 * equal an upper-case type or an import prefix pb_<path>. */
static void collect_dart_scope(gen_arena *a, gen_file *f) {
  size_t cap = 0;
  add_scope(a, f, &cap, "p2f");
  for (size_t k = 0; k < f->enum_count; k++) add_scope(a, f, &cap, f->enums[k]->dart_name);
  for (size_t k = 0; k < f->message_count; k++) {
    const gen_message *msg = f->messages[k];
    add_scope(a, f, &cap, msg->dart_name);
    for (size_t i = 0; i < msg->oneof_count; i++) add_scope(a, f, &cap, msg->oneofs[i].union_dart_name);
    for (size_t i = 0; i < msg->field_count; i++) add_scope(a, f, &cap, msg->fields[i].aux_dart_name);
  }
}

static char *mangle_path(gen_arena *a, const char *s) {
  char *out = gen_strdup(a, s);
  for (char *p = out; *p; p++) {
    if (!isalnum((unsigned char)*p)) *p = '_';
  }
  if (isdigit((unsigned char)out[0])) out = gen_strcat3(a, "p2f_", out, "");
  return out;
}

/* C name of a full protobuf name, before escaping: package dots and nesting dots both become
 * '_'. Composite identifiers (macros, functions, enum constants) are built from this raw
 * form, so that an escaped type name (message `union` -> union_) never yields a "__" in
 * union_SIZE. */
static const char *c_raw_name(gen_arena *a, const char *full_name) {
  char *s = gen_strdup(a, full_name);
  for (char *p = s; *p; p++) {
    if (*p == '.') *p = '_';
  }
  return s;
}

/* Dart name: the full name relative to the package, nesting dots as '_'. */
static const char *dart_type_name(gen_arena *a, const gen_file *f, const char *full_name) {
  size_t plen = strlen(f->package);
  const char *rel = full_name;
  if (plen && strncmp(full_name, f->package, plen) == 0 && full_name[plen] == '.') rel += plen + 1;
  char *s = gen_strdup(a, rel);
  for (char *p = s; *p; p++) {
    if (*p == '.') *p = '_';
  }
  return dart_type(a, s);
}

static void name_enum(gen_model *m, gen_enum *e) {
  gen_arena *a = m->arena;
  const char *raw = c_raw_name(a, e->full_name);
  e->c_name = names_escape(a, raw);
  e->dart_name = dart_type_name(a, e->file, e->full_name);
  e->macro_min = gen_strcat3(a, raw, "_MIN", "");
  e->macro_max = gen_strcat3(a, raw, "_MAX", "");
  e->fn_name = gen_strcat3(a, raw, "_name", "");
  for (size_t i = 0; i < e->value_count; i++) {
    e->values[i].c_name = gen_strcat3(a, raw, "_", e->values[i].name);
    e->values[i].dart_name = dart_enum_value(a, e->dart_name, e->values[i].name);
  }
}

static const char *upper(gen_arena *a, const char *s) {
  char *r = gen_strdup(a, s);
  for (char *p = r; *p; p++) *p = (char)toupper((unsigned char)*p);
  return r;
}

/* The runtime column type of a field that gets batch kernels (proto2ffi/batch.h): the
 * numeric fields of a message with the batch option, singular or repeated, that are not in
 * a oneof (a member of a oneof holds a value in only some messages) and have their type's
 * own width. */
static const char *batch_column(const gen_field *fd) {
  if (!fd->parent->batch || fd->oneof || fd->is_map || fd->int_width || fd->type->kind != GEN_KIND_NUMERIC) return NULL;
  /* A repeated field's elements must be an inline array (out-of-line ones are not yet). */
  if (fd->repeated && fd->storage == GEN_STORAGE_OUT_OF_LINE) return NULL;
  switch (fd->type->proto_type) {
    case GPB_TYPE(INT32):
    case GPB_TYPE(SINT32):
    case GPB_TYPE(SFIXED32):
      return "i32";
    case GPB_TYPE(UINT32):
    case GPB_TYPE(FIXED32):
      return "u32";
    case GPB_TYPE(INT64):
    case GPB_TYPE(SINT64):
    case GPB_TYPE(SFIXED64):
      return "i64";
    case GPB_TYPE(UINT64):
    case GPB_TYPE(FIXED64):
      return "u64";
    case GPB_TYPE(FLOAT):
      return "f32";
    case GPB_TYPE(DOUBLE):
      return "f64";
    default:
      return NULL;
  }
}

static void name_kernels(gen_arena *a, const char *prefix, gen_field *fd) {
  static const char *const verbs[GEN_KERNEL_COUNT_] = {
      "sum", "mean", "min", "max", "count_above", "dot", "scale",
      "sum_ptrs", "mean_ptrs", "min_ptrs", "max_ptrs", "count_above_ptrs", "dot_ptrs"};
  static const char *const dart_verbs[GEN_KERNEL_COUNT_] = {
      "Sum", "Mean", "Min", "Max", "CountAbove", "Dot", "Scale",
      "SumPtrs", "MeanPtrs", "MinPtrs", "MaxPtrs", "CountAbovePtrs", "DotPtrs"};
  fd->batch_col = batch_column(fd);
  if (fd->batch_col == NULL) return;
  for (int k = 0; k < GEN_KERNEL_COUNT_; k++) {
    /* A repeated field: the kernels over its own elements (no count_above, dot or pointer
     * arrays); a singular one: every kernel over messages but scale. */
    bool applies = fd->repeated ? k <= GEN_KERNEL_MAX || k == GEN_KERNEL_SCALE : k != GEN_KERNEL_SCALE;
    if (!applies) continue;
    fd->fn_kernel[k] = gen_strf(a, "%s_%s", prefix, verbs[k]);
    fd->dart_kernel[k] = gen_strcat3(a, camel(a, fd->name, false), dart_verbs[k], "");
  }
}

static void name_field(gen_model *m, gen_message *msg, const char *msg_raw, gen_field *fd) {
  gen_arena *a = m->arena;
  /* Composite names start from the proto name and are escaped as a whole: the member of
   * `typedef`'s length is typedef_len, never typedef__len (C++ reserves any "__"). */
  fd->c_name = names_escape(a, fd->name);
  const char *prefix = gen_strcat3(a, msg_raw, "_", fd->name);
  fd->macro_tag = gen_strcat3(a, prefix, "_TAG", "");
  if (fd->type->kind == GEN_KIND_STRING) fd->macro_capacity = gen_strcat3(a, prefix, "_MAX_LENGTH", "");
  if (fd->type->kind == GEN_KIND_BYTES) fd->macro_capacity = gen_strcat3(a, prefix, "_MAX_SIZE", "");
  if (fd->repeated) fd->macro_max_count = gen_strcat3(a, prefix, "_MAX_COUNT", "");
  name_kernels(a, prefix, fd);
  /* The Dart class mirrors the capacity macros as constants in SCREAMING_CAPS (no member name
   * can take one: member names start in lower case). */
  const char *up = upper(a, fd->name);
  if (fd->type->kind == GEN_KIND_STRING) fd->dart_const_capacity = gen_strcat3(a, up, "_MAX_LENGTH", "");
  if (fd->type->kind == GEN_KIND_BYTES) fd->dart_const_capacity = gen_strcat3(a, up, "_MAX_SIZE", "");
  if (fd->repeated) fd->dart_const_max_count = gen_strcat3(a, up, "_MAX_COUNT", "");
  if (fd->enm && fd->enm->closed) fd->var_enum_values = gen_strf(a, "p2f_gen_values_%s_%s", msg->c_name, fd->name);
  fd->len_name = names_escape(a, gen_strcat3(a, fd->name, "_len", ""));
  fd->count_name = names_escape(a, gen_strcat3(a, fd->name, "_count", ""));
  fd->has_name = names_escape(a, gen_strcat3(a, "has_", fd->name, ""));
  if (fd->oneof && (fd->type->kind == GEN_KIND_STRING || fd->type->kind == GEN_KIND_BYTES)) {
    fd->aux_c_name = gen_strf(a, "%s_%s_t", msg_raw, fd->name);
    fd->aux_dart_name = gen_strf(a, "%s_%sValue", msg->dart_name, camel(a, fd->name, true));
  }
}

static void name_message(gen_model *m, gen_message *msg) {
  gen_arena *a = m->arena;
  const char *raw = c_raw_name(a, msg->full_name);
  msg->c_name = names_escape(a, raw);
  msg->dart_name = dart_type_name(a, msg->file, msg->full_name);
  msg->dart_ext_name = gen_strcat3(a, msg->dart_name, "Pointer", "");
  char *fns = gen_strcat3(a, msg->dart_name, "Functions", "");
  fns[0] = (char)tolower((unsigned char)fns[0]);
  msg->dart_fns_name = fns;
  msg->macro_size = gen_strcat3(a, raw, "_SIZE", "");
  msg->macro_align = gen_strcat3(a, raw, "_ALIGN", "");
  msg->fn_size = gen_strcat3(a, raw, "_size", "");
  msg->fn_align = gen_strcat3(a, raw, "_align", "");
  msg->fn_init = gen_strcat3(a, raw, "_init", "");
  msg->fn_pool_create = gen_strcat3(a, raw, "_pool_create", "");
  msg->fn_pool_create_ex = gen_strcat3(a, raw, "_pool_create_ex", "");
  msg->fn_pool_alloc = gen_strcat3(a, raw, "_pool_alloc", "");
  msg->fn_pool_free = gen_strcat3(a, raw, "_pool_free", "");
  msg->fn_pool_alloc_batch = gen_strcat3(a, raw, "_pool_alloc_batch", "");
  msg->fn_pool_free_batch = gen_strcat3(a, raw, "_pool_free_batch", "");
  msg->fn_pool_destroy = gen_strcat3(a, raw, "_pool_destroy", "");
  msg->fn_decode = gen_strcat3(a, raw, "_decode", "");
  msg->fn_encode = gen_strcat3(a, raw, "_encode", "");
  msg->fn_encoded_size = gen_strcat3(a, raw, "_encoded_size", "");
  msg->fn_decode_ex = gen_strcat3(a, raw, "_decode_ex", "");
  msg->var_desc = gen_strcat3(a, raw, "_desc", "");
  msg->macro_max_encoded_size = gen_strcat3(a, raw, "_MAX_ENCODED_SIZE", "");
  msg->fn_layout_fingerprint = gen_strcat3(a, raw, "_layout_fingerprint", "");
  msg->fn_pool_create_default = gen_strcat3(a, raw, "_pool_create_default", "");
  msg->macro_pool_size = gen_strcat3(a, raw, "_POOL_SIZE", "");
  msg->macro_pool_max = gen_strcat3(a, raw, "_POOL_MAX", "");
  msg->dart_batch_name = gen_strcat3(a, msg->dart_name, "Batch", "");
  msg->dart_native_alloc_nonleaf = gen_strcat3(a, raw, "_pool_alloc_nonleaf", "");
  msg->dart_native_free_nonleaf = gen_strcat3(a, raw, "_pool_free_nonleaf", "");
  msg->dart_native_decode_leaf = gen_strcat3(a, raw, "_decode_leaf", "");
  msg->macro_layout_fingerprint = gen_strcat3(a, raw, "_LAYOUT_FINGERPRINT", "");
  msg->var_fields = gen_strcat3(a, msg->var_desc, "_fields", "");
  msg->var_dispatch = gen_strcat3(a, msg->var_desc, "_dispatch", "");
  msg->var_zero = gen_strcat3(a, msg->var_desc, "_zero", "");
  msg->thunk_init = gen_strcat3(a, "p2f_gen_init_", msg->c_name, "");
  msg->thunk_decode = gen_strcat3(a, "p2f_gen_decode_", msg->c_name, "");
  msg->thunk_encode = gen_strcat3(a, "p2f_gen_encode_", msg->c_name, "");
  msg->thunk_encoded_size = gen_strcat3(a, "p2f_gen_encoded_size_", msg->c_name, "");
  msg->dart_const_size = "SIZE";
  msg->dart_const_align = "ALIGN";
  msg->dart_const_max_encoded_size = "MAX_ENCODED_SIZE";
  msg->dart_const_layout_fingerprint = "LAYOUT_FINGERPRINT";
  for (size_t i = 0; i < msg->field_count; i++) name_field(m, msg, raw, &msg->fields[i]);
  for (size_t i = 0; i < msg->oneof_count; i++) {
    gen_oneof *o = &msg->oneofs[i];
    o->c_name = names_escape(a, o->name);
    o->which_name = names_escape(a, gen_strcat3(a, "which_", o->name, ""));
    o->union_c_name = gen_strf(a, "%s_%s_t", raw, o->name);
    o->union_dart_name = gen_strf(a, "%s_%s", msg->dart_name, camel(a, o->name, true));
    o->case_dart_name = gen_strcat3(a, o->union_dart_name, "Case", "");
  }
}

/* verb + name with its first letter upper-cased + suffix: "setLabel", "setBlobRef". */
static const char *verb_name(gen_arena *a, const char *verb, const char *name, const char *suffix) {
  char *s = gen_strcat3(a, verb, name, suffix);
  size_t n = strlen(verb);
  s[n] = (char)toupper((unsigned char)s[n]);
  return s;
}

/* The Dart member names of msg's fields and oneofs, once every type of the file is named. */
static void name_dart_members(gen_model *m, gen_message *msg) {
  gen_arena *a = m->arena;
  const gen_file *f = msg->file;
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_field *fd = &msg->fields[i];
    fd->dart_name = dart_member_in(a, f, fd->name);
    fd->len_dart_name = dart_member_in(a, f, gen_strcat3(a, fd->name, "_len", ""));
    fd->count_dart_name = dart_member_in(a, f, gen_strcat3(a, fd->name, "_count", ""));
    fd->has_dart_name = dart_member_in(a, f, gen_strcat3(a, "has_", fd->name, ""));
    fd->value_dart_name = gen_strcat3(a, fd->dart_name, "Value", "");
    fd->view_dart_name = gen_strcat3(a, fd->dart_name, "View", "");
    char *add = gen_strcat3(a, "addNew", fd->dart_name, "");
    add[6] = (char)toupper((unsigned char)add[6]);
    fd->add_new_dart_name = add;
    fd->set_dart_name = verb_name(a, "set", fd->dart_name, "");
    fd->set_ref_dart_name = verb_name(a, "set", fd->dart_name, "Ref");
    fd->add_dart_name = verb_name(a, "add", fd->dart_name, "");
    fd->mutable_dart_name = verb_name(a, "mutable", fd->dart_name, "");
    fd->clear_dart_name = verb_name(a, "clear", fd->dart_name, "");
    fd->map_dart_name = gen_strcat3(a, fd->dart_name, "Map", "");
    fd->enums_dart_name = gen_strcat3(a, fd->dart_name, "Enums", "");
  }
  for (size_t i = 0; i < msg->oneof_count; i++) {
    gen_oneof *o = &msg->oneofs[i];
    o->dart_name = dart_member_in(a, f, o->name);
    o->which_dart_name = dart_member_in(a, f, gen_strcat3(a, "which_", o->name, ""));
    char *clear = gen_strcat3(a, "clear", o->dart_name, "");
    clear[5] = (char)toupper((unsigned char)clear[5]);
    o->clear_dart_name = clear;
    o->case_getter_dart_name = gen_strcat3(a, o->dart_name, "Case", "");
  }
}

void names_assign(gen_model *m) {
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    gen_arena *a = m->arena;
    /* The stem: the .proto name without ".proto" (a name without it is its own stem). */
    size_t len = strlen(f->name);
    size_t stem = (len > 6 && strcmp(f->name + len - 6, ".proto") == 0) ? len - 6 : len;
    f->out_base = gen_strf(a, "%.*s.ffi", (int)stem, f->name);
    f->header_name = gen_strcat3(a, f->out_base, ".h", "");
    const char *header_slash = strrchr(f->header_name, '/');
    f->header_base = header_slash ? header_slash + 1 : f->header_name;
    f->source_name = gen_strcat3(a, f->out_base, ".c", "");
    f->json_name = gen_strcat3(a, f->out_base, ".json", "");
    f->report_name = gen_strcat3(a, f->out_base, ".layout.txt", "");
    char *guard = gen_strf(a, "P2F_GENERATED_%s_H_", f->out_base);
    for (char *p = guard; *p; p++) *p = isalnum((unsigned char)*p) ? (char)toupper((unsigned char)*p) : '_';
    f->guard = guard;
    const char *mangled = mangle_path(a, f->name);
    f->fn_file_info = gen_strcat3(a, mangled, "_file_info", "");
    f->var_messages = gen_strcat3(a, mangled, "_messages", "");
    const char *slash = strrchr(f->out_base, '/');
    const char *base = slash ? slash + 1 : f->out_base;
    f->dart_bindings_name = gen_strcat3(a, camel(a, gen_strf(a, "%.*s", (int)strlen(base) - 4, base), true), "Bindings", "");
    char *prefix = gen_strcat3(a, "pb_", f->out_base, "");
    for (char *p = prefix; *p; p++) {
      if (!isalnum((unsigned char)*p)) *p = '_';
    }
    f->dart_prefix = prefix;
    f->dart_rel_name = gen_strcat3(a, f->out_base, ".dart", "");
    f->dart_name = f->dart_rel_name;
    if (m->params.dart_path) f->dart_name = gen_strf(a, "%s/%s", m->params.dart_path, f->dart_name);
    gen_buf root = {0};
    for (const char *p = f->out_base; *p; p++) {
      if (*p == '/') gen_buf_puts(&root, "../");
    }
    f->dart_root = gen_strdup(a, root.data ? root.data : "");
    gen_buf_free(&root);
    for (size_t k = 0; k < f->enum_count; k++) name_enum(m, f->enums[k]);
    for (size_t k = 0; k < f->message_count; k++) name_message(m, f->messages[k]);
    collect_dart_scope(a, f);
    for (size_t k = 0; k < f->message_count; k++) name_dart_members(m, f->messages[k]);
  }
}

/* Whether a message-struct member is a public field of the Dart class (true) or private
 * storage behind an accessor (false): numeric values (bool and int_size-narrowed integers
 * excepted) without presence and nested messages are public. */
static bool member_public(const gen_member *mb) {
  if (mb->role != GEN_MEMBER_VALUE || mb->field == NULL) return false;
  const gen_field *fd = mb->field;
  if (mb->pointer) return false; /* out-of-line: a getter reads through the pointer */
  if (fd->repeated || fd->has_presence) return fd->type->kind == GEN_KIND_MESSAGE && !fd->repeated;
  if (fd->type->kind == GEN_KIND_MESSAGE) return true;
  if (fd->int_width && fd->int_width < 8) return false; /* a setter checks its int_size range */
  return fd->type->kind == GEN_KIND_NUMERIC && fd->type->proto_type != GPB_TYPE(BOOL);
}

static void name_decls(gen_struct *s, gen_arena *a, bool message) {
  for (size_t i = 0; i < s->member_count; i++) {
    gen_member *mb = &s->members[i];
    mb->dart_private = message && !member_public(mb);
    mb->dart_decl_name = mb->dart_private ? gen_strcat3(a, "_", mb->dart_name, "") : mb->dart_name;
  }
}

/* The names that depend on the storage classes (storage.c): the x_cap member and building
 * functions of out-of-line fields, T_copy of out-of-line trees; the capacity names of
 * out-of-line fields and MAX_ENCODED_SIZE of out-of-line trees are dropped (unbounded). */
void names_assign_storage(gen_model *m) {
  gen_arena *a = m->arena;
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->message_count; k++) {
      gen_message *msg = f->messages[k];
      const char *raw = c_raw_name(a, msg->full_name);
      if (msg->out_of_line) {
        msg->fn_copy = gen_strcat3(a, raw, "_copy", "");
        msg->macro_max_encoded_size = NULL;
        msg->dart_const_max_encoded_size = NULL;
      }
      for (size_t j = 0; j < msg->field_count; j++) {
        gen_field *fd = &msg->fields[j];
        if (fd->storage != GEN_STORAGE_OUT_OF_LINE) continue;
        fd->macro_capacity = fd->macro_max_count = NULL;
        fd->dart_const_capacity = fd->dart_const_max_count = NULL;
        const char *set = gen_strf(a, "%s_set_%s", raw, fd->name);
        gen_kind kind = fd->type->kind;
        bool text = kind == GEN_KIND_STRING || kind == GEN_KIND_BYTES;
        if (fd->repeated) {
          fd->cap_name = names_escape(a, gen_strcat3(a, fd->name, "_cap", ""));
          fd->cap_dart_name = dart_member_in(a, f, gen_strcat3(a, fd->name, "_cap", ""));
          fd->fn_add = gen_strf(a, "%s_add_%s", raw, fd->name);
          fd->fn_set_ref = gen_strcat3(a, set, "_ref", "");
          if (!text && kind != GEN_KIND_MESSAGE) fd->fn_set = set;
        } else if (text) {
          fd->fn_set = set;
          fd->fn_set_ref = gen_strcat3(a, set, "_ref", "");
        } else if (kind == GEN_KIND_MESSAGE) {
          fd->fn_mutable = gen_strf(a, "%s_mutable_%s", raw, fd->name);
        }
      }
    }
  }
}

void names_assign_members(gen_model *m) {
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->message_count; k++) {
      gen_message *msg = f->messages[k];
      if (msg->layout_state != GEN_LAYOUT_DONE) continue;
      name_decls(&msg->layout, m->arena, true);
      for (size_t j = 0; j < msg->aux_count; j++) name_decls(msg->aux[j], m->arena, false);
    }
  }
}

const char *names_dart_padding(gen_arena *a, uint64_t offset) {
  return gen_strf(a, "_$pad%llu", (unsigned long long)offset);
}
