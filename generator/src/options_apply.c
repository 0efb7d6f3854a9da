/* What the merged settings (options.c) do to the model: fields left out (type:FT_IGNORE),
 * message member order, the capacities every laid-out field gets and the storage class it
 * asks for (see options.h; storage.c decides the class). */
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "options_internal.h"

/* The largest capacity (max_length, max_size, max_count): the runtime's lengths and counts
 * are uint32_t, and C array sizes stay within int. */
#define CAPACITY_MAX 2147483647ll

/* ---- type:FT_IGNORE ------------------------------------------------------------------------ */

/* Drops the fields marked in `drop` from msg: they are not in the struct, the codec tables or
 * any output, so decode skips them as unknown fields and encode never writes them. A oneof
 * left without members goes too. The map entry of a dropped map field keeps a copy of it,
 * where its key and value look their settings up. */
static void drop_fields(gen_model *m, gen_message *msg, const bool *drop) {
  gen_field *old = msg->fields;
  size_t n = msg->field_count;
  gen_field *kept = gen_alloc(m->arena, (n + 1) * sizeof *kept);
  gen_field **moved = gen_alloc(m->arena, (n + 1) * sizeof *moved); /* old index -> new home */
  size_t count = 0;
  for (size_t i = 0; i < n; i++) {
    if (drop[i]) {
      moved[i] = gen_alloc(m->arena, sizeof *moved[i]);
      *moved[i] = old[i];
      moved[i]->oneof = NULL;
    } else {
      kept[count] = old[i];
      moved[i] = &kept[count++];
    }
  }
  /* Oneofs: their member lists rebuilt from the kept fields; empty ones removed. */
  gen_oneof *oneofs = gen_alloc(m->arena, (msg->oneof_count + 1) * sizeof *oneofs);
  size_t oneof_count = 0;
  for (size_t o = 0; o < msg->oneof_count; o++) {
    gen_oneof *src = &msg->oneofs[o];
    gen_oneof *dst = &oneofs[oneof_count];
    *dst = *src;
    dst->field_count = 0;
    for (size_t i = 0; i < count; i++) {
      if (kept[i].oneof == src) {
        kept[i].oneof = dst;
        dst->fields[dst->field_count++] = &kept[i];
      }
    }
    if (dst->field_count) oneof_count++;
  }
  for (size_t k = 0; k < msg->nested_count; k++) {
    gen_message *entry = msg->nested[k];
    if (entry->map_field) entry->map_field = moved[entry->map_field - old];
  }
  msg->fields = kept;
  msg->field_count = count;
  msg->oneofs = oneofs;
  msg->oneof_count = oneof_count;
}

static void apply_ignore(gen_model *m, gen_message *msg) {
  bool *drop = gen_alloc(m->arena, msg->field_count + 1);
  bool *drop_oneof = gen_alloc(m->arena, msg->oneof_count + 1);
  bool any = false;
  gen_optset s;
  for (size_t o = 0; o < msg->oneof_count; o++) {
    opt_oneof(m, msg, msg->oneofs[o].name, &s);
    drop_oneof[o] = opt_has(&s, K_TYPE) && s.v[K_TYPE] == FT_IGNORE;
  }
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_field *fd = &msg->fields[i];
    opt_field(m, fd, &s);
    drop[i] = (opt_has(&s, K_TYPE) && s.v[K_TYPE] == FT_IGNORE) ||
              (fd->oneof && drop_oneof[fd->oneof - msg->oneofs]);
    any |= drop[i];
  }
  if (any) drop_fields(m, msg, drop);
}

/* ---- skip_message ---------------------------------------------------------------------------- */

static bool bool_key(const gen_optset *s, gen_optkey k) { return opt_has(s, k) && s->v[k] != 0; }

/* Where a message's skip_message came from, for the error naming a field that refers to it. */
static const char *skip_source(gen_model *m, gen_message *msg) {
  if (msg->map_entry && msg->parent && msg->parent->skipped && !msg->skipped) return "its map field's message";
  gen_optset s;
  opt_message(m, msg, &s);
  if (!opt_has(&s, K_SKIP_MESSAGE)) return "its enclosing message";
  const gen_optset *from = s.from[K_SKIP_MESSAGE];
  return from->is_line ? from->source : gen_strcat3(m->arena, from->source, ".", "skip_message");
}

/* nanopb's skip_message: the message is not generated, nor are the enums declared in it (as
 * nanopb leaves them out); its nested messages are, unless a setting skips them too, and a
 * map entry goes with the message of its map field. A field of a generated message whose
 * type is left out is an error: nanopb would declare a member of a type it never defines.
 * The messages leave file->messages (and their enums file->enums); msg->index keeps its
 * place among file->message_slots. */
static void apply_skip(gen_model *m) {
  bool any = false;
  gen_optset s;
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->message_count; k++) { /* parents before children */
      gen_message *msg = f->messages[k];
      opt_message(m, msg, &s);
      msg->skipped = bool_key(&s, K_SKIP_MESSAGE) || (msg->map_entry && msg->parent->skipped);
      any |= msg->skipped;
    }
  }
  if (!any) return;
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->message_count; k++) {
      gen_message *msg = f->messages[k];
      if (msg->skipped) continue;
      for (size_t j = 0; j < msg->field_count; j++) {
        gen_field *fd = &msg->fields[j];
        gen_message *target = fd->msg ? fd->msg : fd->enm ? fd->enm->parent : NULL;
        if (target == NULL || !target->skipped) continue;
        gen_field *u = model_user_field(fd);
        gen_error(&m->diag, model_loc(u->parent->file, &u->path),
                  "field %s refers to %s %s, which skip_message leaves out (from %s); nanopb would declare "
                  "a member of a type it never defines. Leave the field out too (type:FT_IGNORE) or do not "
                  "skip the message",
                  u->full_name, fd->msg ? "message" : "enum", fd->msg ? fd->msg->full_name : fd->enm->full_name,
                  skip_source(m, target));
      }
    }
  }
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    size_t n = 0;
    for (size_t k = 0; k < f->message_count; k++) {
      if (!f->messages[k]->skipped) f->messages[n++] = f->messages[k];
    }
    f->message_count = n;
    n = 0;
    for (size_t k = 0; k < f->enum_count; k++) {
      gen_enum *e = f->enums[k];
      if (!(e->parent && e->parent->skipped)) f->enums[n++] = e;
    }
    f->enum_count = n;
  }
}

/* ---- presence: proto3, proto3_singular_msgs, no_unions ------------------------------------ */

/* no_unions: the members of the marked oneofs become fields of their own; the other oneofs
 * are rebuilt around the same fields. */
static void detach_oneofs(gen_model *m, gen_message *msg, const bool *detach) {
  gen_oneof *oneofs = gen_alloc(m->arena, (msg->oneof_count + 1) * sizeof *oneofs);
  size_t *moved = gen_alloc(m->arena, (msg->oneof_count + 1) * sizeof *moved); /* old index -> new */
  size_t count = 0;
  for (size_t o = 0; o < msg->oneof_count; o++) {
    if (detach[o]) continue;
    moved[o] = count;
    oneofs[count++] = msg->oneofs[o];
  }
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_field *fd = &msg->fields[i];
    if (fd->oneof == NULL) continue;
    size_t o = (size_t)(fd->oneof - msg->oneofs);
    fd->oneof = detach[o] ? NULL : &oneofs[moved[o]];
  }
  /* The kept oneofs' member lists point to the same fields. */
  msg->oneofs = oneofs;
  msg->oneof_count = count;
}

/* A field's presence as nanopb decides it: under the proto3 setting (true by default in a
 * proto3 file) a submessage keeps its has_ flag unless proto3_singular_msgs, a proto3
 * `optional` field keeps it, and every other field has none (a proto2 `required` one too:
 * it is then written only when not zero, and not required on decode); without it, every
 * non-required field has one. Fields no presence setting reaches keep the model's. */
static void apply_presence(gen_model *m, gen_message *msg) {
  if (msg->map_entry) return;
  gen_optset s;
  bool *detach = gen_alloc(m->arena, msg->oneof_count + 1);
  bool any = false;
  bool *detached = gen_alloc(m->arena, msg->field_count + 1);
  for (size_t o = 0; o < msg->oneof_count; o++) {
    opt_oneof(m, msg, msg->oneofs[o].name, &s);
    detach[o] = bool_key(&s, K_NO_UNIONS);
    any |= detach[o];
  }
  if (any) {
    for (size_t i = 0; i < msg->field_count; i++) {
      gen_field *fd = &msg->fields[i];
      detached[i] = fd->oneof && detach[fd->oneof - msg->oneofs];
    }
    detach_oneofs(m, msg, detach);
  }
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_field *fd = &msg->fields[i];
    if (fd->repeated || fd->oneof) continue;
    opt_field(m, fd, &s);
    if (!detached[i] && !opt_has(&s, K_PROTO3) && !opt_has(&s, K_PROTO3_SINGULAR_MSGS)) continue;
    bool proto3 = opt_has(&s, K_PROTO3) ? s.v[K_PROTO3] != 0 : msg->file->proto3;
    bool p3_optional = fd->desc->has_proto3_optional && fd->desc->proto3_optional;
    if (!proto3) {
      fd->has_presence = fd->label != GEN_LABEL_REQUIRED;
    } else if (fd->type->kind == GEN_KIND_MESSAGE && !bool_key(&s, K_PROTO3_SINGULAR_MSGS)) {
      fd->has_presence = true;
    } else if (p3_optional) {
      fd->has_presence = true;
    } else {
      fd->has_presence = false;
      fd->label = GEN_LABEL_OPTIONAL;
    }
  }
}

/* ---- int_size ---------------------------------------------------------------------------- */

/* The member type of an integer field at `width` bytes: the type's entry with the C and Dart
 * storage of that width. */
static const gen_scalar_type *sized_int(gen_model *m, const gen_scalar_type *t, uint32_t width) {
  static const char *const c_signed[] = {"int8_t", "int16_t", NULL, "int32_t", NULL, NULL, NULL, "int64_t"};
  static const char *const c_unsigned[] = {"uint8_t", "uint16_t", NULL, "uint32_t", NULL, NULL, NULL, "uint64_t"};
  static const char *const d_signed[] = {"Int8", "Int16", NULL, "Int32", NULL, NULL, NULL, "Int64"};
  static const char *const d_unsigned[] = {"Uint8", "Uint16", NULL, "Uint32", NULL, NULL, NULL, "Uint64"};
  gen_scalar_type *s = gen_alloc(m->arena, sizeof *s);
  *s = *t;
  s->c_type = t->is_signed ? c_signed[width - 1] : c_unsigned[width - 1];
  s->dart_ffi = t->is_signed ? d_signed[width - 1] : d_unsigned[width - 1];
  s->size = s->align = width;
  /* Negative int32/int64 values are sign-extended to 10 bytes; unsigned and zigzag values of
   * `width` bytes take at most ceil(8 * width / 7). */
  if (!t->is_signed || t->zigzag) s->max_wire_size = width == 8 ? 10 : (8 * width + 6) / 7;
  return s;
}

static bool int_size_applies(const gen_scalar_type *t) {
  switch (t->proto_type) {
    case GPB_TYPE(INT32):
    case GPB_TYPE(UINT32):
    case GPB_TYPE(SINT32):
    case GPB_TYPE(INT64):
    case GPB_TYPE(UINT64):
    case GPB_TYPE(SINT64):
      return true;
    default:
      return false;
  }
}

/* Gives the field nanopb's int_size width (integer types only, as in nanopb; IS_DEFAULT and
 * the type's own width change nothing). A proto2 default must fit the width. */
static void apply_int_size(gen_model *m, gen_field *fd) {
  gen_optset s;
  opt_field(m, fd, &s);
  if (!opt_has(&s, K_INT_SIZE) || s.v[K_INT_SIZE] == 0 || !int_size_applies(fd->type)) return;
  uint32_t width = (uint32_t)s.v[K_INT_SIZE] / 8;
  if (width == fd->type->size) return;
  if (fd->def.set && width < 8) {
    unsigned bits = 8 * width;
    bool fits = fd->type->is_signed ? fd->def.i >= -((int64_t)1 << (bits - 1)) && fd->def.i < ((int64_t)1 << (bits - 1))
                                    : fd->def.u >> bits == 0;
    if (!fits) {
      gen_error(&m->diag, model_loc(fd->parent->file, &fd->path),
                "the default value of %s does not fit its int_size of %u bits (from %s)", fd->full_name, bits,
                s.from[K_INT_SIZE]->source);
      return;
    }
  }
  fd->type = sized_int(m, fd->type, width);
  fd->int_width = width;
}

/* What the schema says of a string field: the editions feature from the field, its map field,
 * the enclosing messages and the file, the innermost that sets it; else the syntax: proto3
 * and editions (whose default is VERIFY) verify, proto2 does not. */
static bool schema_utf8(gen_field *fd) {
  int v = opt_feature_utf8(fd->desc->options ? &fd->desc->options->base : NULL, 21);
  if (!v && fd->parent->map_field) {
    gen_field *mf = fd->parent->map_field;
    v = opt_feature_utf8(mf->desc->options ? &mf->desc->options->base : NULL, 21);
  }
  for (gen_message *msg = fd->parent; !v && msg; msg = msg->parent) {
    v = opt_feature_utf8(msg->desc->options ? &msg->desc->options->base : NULL, 12);
  }
  gen_file *f = fd->parent->file;
  if (!v) v = opt_feature_utf8(f->desc->options ? &f->desc->options->base : NULL, 50);
  if (v) return v == GEN_UTF8_VERIFY;
  return f->proto3 || (f->desc->syntax && strcmp(f->desc->syntax, "editions") == 0);
}

/* Whether string field fd is verified: the utf8_validation option, from the field through
 * its map field, the enclosing messages and the file (nanopb's chain, opt_field) to the
 * parameter, the most specific first; without one, what the schema says (schema_utf8). */
static void resolve_utf8(gen_model *m, gen_field *fd) {
  fd->utf8 = false;
  if (fd->type->kind != GEN_KIND_STRING) return;
  gen_optset s;
  int v = 0;
  /* A map entry's chain runs through the entry message; the map field's own chain (field,
   * enclosing messages, file) is asked first so that its annotation is the specific one. */
  if (fd->parent->map_field) {
    opt_field(m, fd->parent->map_field, &s);
    if (opt_has(&s, K_UTF8_VALIDATION)) v = (int)s.v[K_UTF8_VALIDATION];
  }
  if (!v) {
    opt_field(m, fd, &s);
    if (opt_has(&s, K_UTF8_VALIDATION)) v = (int)s.v[K_UTF8_VALIDATION];
  }
  if (!v) v = m->params.utf8_validation;
  fd->utf8 = v ? v == GEN_UTF8_VERIFY : schema_utf8(fd);
}

/* ---- warnings ------------------------------------------------------------------------------ */

/* An annotation on the field itself that cannot apply to it is a mistake worth a warning
 * (a capacity on an int32, sort_by_alignment on a field). Map fields take max_length and
 * max_size for their entries. */
static void warn_inapplicable(gen_model *m, gen_field *fd) {
  gen_optset s;
  const ProtobufCMessage *o = fd->desc->options ? &fd->desc->options->base : NULL;
  for (int k = 0; k < 2; k++) {
    uint32_t ext = k ? P2F_NANOPB_EXTENSION : P2F_OPTIONS_EXTENSION;
    if (!opt_annotation(m, o, ext, k ? "(nanopb)" : "(ffi)", &s)) continue;
    gen_kind kind = fd->type->kind;
    bool text = kind == GEN_KIND_STRING || kind == GEN_KIND_BYTES || fd->is_map;
    const char *what = NULL;
    if ((opt_has(&s, K_MAX_LENGTH) || opt_has(&s, K_MAX_SIZE)) && !text) {
      what = opt_has(&s, K_MAX_LENGTH) ? "max_length" : "max_size";
    } else if (opt_has(&s, K_MAX_COUNT) && !fd->repeated) {
      what = "max_count";
    } else if (opt_has(&s, K_SORT_BY_ALIGNMENT)) {
      what = "sort_by_alignment";
    } else if (opt_has(&s, K_UTF8_VALIDATION) && kind != GEN_KIND_STRING && !fd->is_map) {
      what = "utf8_validation";
    } else if (opt_has(&s, K_STORAGE) && !text && !fd->repeated && kind != GEN_KIND_MESSAGE) {
      what = "storage"; /* ours only: nanopb's type is routinely set on every field */
    } else if (opt_has(&s, K_POOL_SIZE) || opt_has(&s, K_POOL_MAX) || opt_has(&s, K_BATCH)) {
      what = opt_has(&s, K_POOL_SIZE) ? "pool_size" : opt_has(&s, K_POOL_MAX) ? "pool_max" : "batch";
    }
    if (what) {
      gen_warning(&m->diag, model_loc(fd->parent->file, &fd->path), "%s.%s has no effect on %s field %s; ignored",
                  s.source, what, fd->repeated ? "this repeated" : fd->type->proto_name, fd->full_name);
    }
  }
}

void options_apply(gen_model *m) {
  opt_prepare(m);
  gen_optset s;
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->message_count; k++) apply_ignore(m, f->messages[k]);
  }
  apply_skip(m);
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->message_count; k++) {
      gen_message *msg = f->messages[k];
      apply_presence(m, msg);
      for (size_t j = 0; j < msg->field_count; j++) apply_int_size(m, &msg->fields[j]);
    }
  }
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->message_count; k++) {
      gen_message *msg = f->messages[k];
      opt_message(m, msg, &s);
      msg->sort_by_alignment = opt_has(&s, K_SORT_BY_ALIGNMENT) ? s.v[K_SORT_BY_ALIGNMENT] != 0
                                                               : m->params.sort_by_alignment;
      opt_apply_pool(m, msg, &s);
      /* Every field and oneof is looked at, so that every line naming one counts as used. */
      for (size_t j = 0; j < msg->field_count; j++) {
        opt_field(m, &msg->fields[j], &s);
        resolve_utf8(m, &msg->fields[j]);
        if (f->to_generate) warn_inapplicable(m, &msg->fields[j]);
      }
      for (size_t j = 0; j < msg->desc->n_oneof_decl; j++) opt_oneof(m, msg, msg->desc->oneof_decl[j]->name, &s);
    }
    for (size_t k = 0; k < f->enum_count; k++) opt_enum(m, f->enums[k], &s);
  }
  opt_warn_unmatched(m);
}

/* ---- capacities: chosen and validated ----------------------------------------------------- */

/* A capacity as the settings gave it: its value and where it came from, for error messages. */
typedef struct gen_optval {
  bool set;
  int64_t value;
  bool nanopb_size; /* a string's capacity given as max_size (buffer incl. NUL) */
  const char *source;
} gen_optval;

static gen_loc field_loc(gen_field *fd) {
  gen_field *u = model_user_field(fd);
  return model_loc(u->parent->file, &u->path);
}

static void missing_capacity(gen_model *m, gen_field *fd, const char *key, const char *param) {
  gen_field *u = model_user_field(fd);
  const char *what = fd->repeated ? (fd->is_map ? "map" : gen_strf(m->arena, "repeated %s", fd->type->proto_name))
                                  : fd->type->proto_name;
  if (u != fd) {
    gen_error(&m->diag, field_loc(fd),
              "the %s %s of map field %s has no capacity; give one in any of three ways: "
              "[(ffi).%s = N] on the map field (import \"proto2ffi/options.proto\"), "
              "the line '%s %s:N' in %s, or --c-ffi_opt=%s=N for every such field",
              fd->type->proto_name, fd->name, u->full_name, key, u->full_name, key,
              u->parent->file->options_name, param);
    return;
  }
  gen_error(&m->diag, field_loc(fd),
            "field %s (%s) has no capacity; give one in any of three ways: "
            "[(ffi).%s = N] on the field (import \"proto2ffi/options.proto\"), "
            "the line '%s %s:N' in %s, or --c-ffi_opt=%s=N for every such field",
            fd->full_name, what, key, fd->full_name, key, fd->parent->file->options_name, param);
}

static bool check_range(gen_model *m, gen_field *fd, const gen_optval *v, int64_t value, const char *key) {
  if (value >= 1 && value <= CAPACITY_MAX) return true;
  gen_error(&m->diag, field_loc(fd),
            "%s %lld for field %s (from %s) is out of range: capacities must be between 1 and %lld",
            key, (long long)v->value, model_user_field(fd)->full_name, v->source, CAPACITY_MAX);
  return false;
}

void options_report_missing_capacity(gen_model *m, gen_field *fd, bool count) {
  if (count) {
    missing_capacity(m, fd, "max_count", "default_max_count");
    return;
  }
  bool str = fd->type->kind == GEN_KIND_STRING;
  missing_capacity(m, fd, str ? "max_length" : "max_size", str ? "default_max_length" : "default_max_size");
}

/* The string/bytes capacity the options gave (v->set), as max_length; 0 after an error. */
static uint64_t choose_length(gen_model *m, gen_field *fd, const gen_optval *v) {
  bool str = fd->type->kind == GEN_KIND_STRING;
  /* nanopb reads a string's max_size as the buffer size, NUL included. */
  int64_t value = v->nanopb_size ? v->value - 1 : v->value;
  if (v->nanopb_size && value < 1) {
    gen_error(&m->diag, field_loc(fd),
              "max_size %lld for string field %s (from %s) leaves no room for text: a string's max_size "
              "counts the NUL (nanopb's meaning), so it must be at least 2; or give max_length instead",
              (long long)v->value, model_user_field(fd)->full_name, v->source);
    return 0;
  }
  if (!check_range(m, fd, v, value, str ? "max_length" : "max_size")) return 0;
  /* A proto2 default must fit, or init would write past the field. */
  if (fd->def.set && fd->def.bytes_len > (uint64_t)value) {
    gen_error(&m->diag, field_loc(fd),
              "the default value of %s is %zu bytes, longer than its capacity of %llu bytes; raise the "
              "capacity or shorten the default",
              fd->full_name, fd->def.bytes_len, (unsigned long long)value);
    return 0;
  }
  return (uint64_t)value;
}

static uint64_t choose_count(gen_model *m, gen_field *fd, const gen_optval *v) {
  return check_range(m, fd, v, v->value, "max_count") ? (uint64_t)v->value : 0;
}

static gen_optval take(const gen_optset *s, gen_optkey k, bool nanopb_size) {
  gen_optval v = {true, s->v[k], nanopb_size, s->from[k]->source};
  return v;
}

/* storage.c's levels from a merged set's ranks: smaller is more specific, the same level is
 * the same source, and the plugin parameters come after every source. */
#define LEVEL_PARAMS 0x40000000
static int level_of(const gen_optset *s, gen_optkey k) { return LEVEL_PARAMS - 1 - (int)s->rank[k]; }

/* Where a storage value came from, as diagnostics name it: "(ffi).storage", "(nanopb).type",
 * or an .options line. */
static const char *storage_source(gen_model *m, const gen_optset *s, gen_optkey k) {
  const gen_optset *from = s->from[k];
  return from->is_line ? from->source : gen_strcat3(m->arena, from->source, ".", opt_key_name(k));
}

/* The storage class the settings ask for: the storage key or nanopb's type (FT_POINTER and
 * FT_CALLBACK out-of-line, FT_STATIC inline), whichever was set by the more specific source
 * (ours when one source sets both). Records it in fd->storage_opts. */
static void take_storage(gen_model *m, gen_field *fd, const gen_optset *s) {
  gen_storage_opts *so = &fd->storage_opts;
  int64_t type = opt_has(s, K_TYPE) ? s->v[K_TYPE] : FT_DEFAULT;
  bool has_type = type == FT_POINTER || type == FT_CALLBACK || type == FT_STATIC || type == FT_INLINE;
  bool has_storage = opt_has(s, K_STORAGE);
  if (has_type && (!has_storage || s->rank[K_TYPE] > s->rank[K_STORAGE])) {
    so->storage = type == FT_STATIC || type == FT_INLINE ? 1 : 2;
    so->storage_level = level_of(s, K_TYPE);
    so->storage_source = storage_source(m, s, K_TYPE);
  } else if (has_storage) {
    so->storage = s->v[K_STORAGE];
    so->storage_level = level_of(s, K_STORAGE);
    so->storage_source = storage_source(m, s, K_STORAGE);
  }
}

/* Chooses the field's capacities (max_length, max_count) where the settings give them,
 * reporting an invalid one (they stay 0 then, and where none is given), and records what
 * storage.c needs (gen_field.storage_opts): the level of each capacity and the storage class
 * asked for. A missing capacity is storage.c's to judge (out-of-line, or an error under
 * require_capacity). As in nanopb, a string takes max_length wherever in its chain it was
 * set, else max_size (the NUL counted); bytes take max_size, else max_length. The plugin
 * parameters come last, each for its own kind. A singular message field takes a storage class
 * from its own settings only. */
/* nanopb's type:FT_POINTER or FT_CALLBACK on a scalar field: nanopb would make it a pointer
 * or a callback, proto2ffi keeps every scalar in the struct. Warned once per source, so that
 * a wildcard line does not warn at every field it reaches. */
static void warn_scalar_type(gen_model *m, gen_field *fd, const gen_optset *s, gen_vec *warned) {
  if (!opt_has(s, K_TYPE) || (s->v[K_TYPE] != FT_POINTER && s->v[K_TYPE] != FT_CALLBACK)) return;
  const gen_optset *from = s->from[K_TYPE];
  for (size_t i = 0; i < warned->len; i++) {
    if (warned->items[i] == from) return;
  }
  gen_vec_push(warned, (void *)from);
  gen_warning(&m->diag, from->is_line ? from->loc : field_loc(fd),
              "nanopb option 'type:%s' has no effect on %s field %s: scalar fields are always stored in "
              "the struct; ignored",
              s->v[K_TYPE] == FT_POINTER ? "FT_POINTER" : "FT_CALLBACK", fd->type->proto_name,
              model_user_field(fd)->full_name);
}

/* Where key k of a merged set came from, as diagnostics name it. */
static const char *key_source(gen_model *m, const gen_optset *s, gen_optkey k) {
  const gen_optset *from = s->from[k];
  return from->is_line ? from->source : gen_strcat3(m->arena, from->source, ".", opt_key_name(k));
}

/* Whether warned (the sources already warned about) holds from; adds it if not. */
static bool warned_once(gen_vec *warned, const gen_optset *from) {
  for (size_t i = 0; i < warned->len; i++) {
    if (warned->items[i] == from) return true;
  }
  gen_vec_push(warned, (void *)from);
  return false;
}

/* nanopb's fixed_length (or type:FT_INLINE, its older spelling) on a bytes field, fixed_count
 * on a repeated one, default_has on any: recorded in the field, with nanopb's errors for a
 * missing max_size / max_count. fixed_length means nothing to nanopb on other types; on a
 * string field that is worth a warning (once per source). Whether the storage is inline is
 * checked once storage.c has decided it (options_check_fixed). */
static void resolve_fixed(gen_model *m, gen_field *fd, const gen_optset *s, gen_vec *warned) {
  bool inl = opt_has(s, K_TYPE) && s->v[K_TYPE] == FT_INLINE;
  gen_optkey lk = bool_key(s, K_FIXED_LENGTH) || !inl ? K_FIXED_LENGTH : K_TYPE;
  fd->fixed_length = false;
  fd->fixed_count = false;
  fd->default_has = bool_key(s, K_DEFAULT_HAS);
  if (bool_key(s, K_FIXED_LENGTH) || inl) {
    if (fd->type->kind == GEN_KIND_BYTES && !fd->parent->map_field) {
      fd->fixed_length = true;
      if (fd->max_length == 0 && fd->storage_opts.length_level < 0) {
        gen_error(&m->diag, field_loc(fd),
                  "field %s is fixed_length (from %s) but has no max_size; a fixed-length bytes field is "
                  "exactly max_size bytes, so give it one",
                  fd->full_name, key_source(m, s, lk));
      }
    } else if (fd->type->kind == GEN_KIND_STRING && fd->parent->file->to_generate && !fd->parent->map_field &&
               !warned_once(warned, s->from[lk])) {
      gen_warning(&m->diag, s->from[lk]->is_line ? s->from[lk]->loc : field_loc(fd),
                  "nanopb option '%s' has no effect on string field %s: fixed_length applies to bytes "
                  "fields only (nanopb ignores it on strings too); ignored",
                  lk == K_TYPE ? "type:FT_INLINE" : "fixed_length", fd->full_name);
    }
  }
  if (bool_key(s, K_FIXED_COUNT) && fd->repeated) {
    fd->fixed_count = true;
    if (fd->is_map) {
      gen_error(&m->diag, field_loc(fd),
                "map field %s cannot be fixed_count (from %s): a map holds as many entries as it has "
                "distinct keys",
                fd->full_name, key_source(m, s, K_FIXED_COUNT));
    } else if (fd->max_count == 0 && fd->storage_opts.count_level < 0) {
      gen_error(&m->diag, field_loc(fd),
                "field %s is fixed_count (from %s) but has no max_count; a fixed-count field holds exactly "
                "max_count elements, so give it one",
                fd->full_name, key_source(m, s, K_FIXED_COUNT));
    }
  }
}

bool options_check_fixed(gen_model *m) {
  size_t before = m->diag.error_count;
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    if (!f->to_generate) continue;
    for (size_t k = 0; k < f->message_count; k++) {
      gen_message *msg = f->messages[k];
      for (size_t j = 0; j < msg->field_count; j++) {
        gen_field *fd = &msg->fields[j];
        if (fd->storage != GEN_STORAGE_OUT_OF_LINE || !(fd->fixed_length || fd->fixed_count)) continue;
        gen_error(&m->diag, field_loc(fd),
                  "field %s is %s but stored out of line (%s); a fixed size is a property of the "
                  "inline array: store the field inline, or drop %s",
                  model_user_field(fd)->full_name, fd->fixed_length ? "fixed_length" : "fixed_count",
                  fd->storage_opts.storage_source ? gen_strcat3(m->arena, "from ", fd->storage_opts.storage_source, "")
                                                  : "it closes a cycle of messages",
                  fd->fixed_length ? "fixed_length" : "fixed_count");
      }
    }
  }
  return m->diag.error_count == before;
}

static void resolve_capacities(gen_model *m, gen_field *fd, gen_vec *warned) {
  gen_kind kind = fd->type->kind;
  gen_storage_opts *so = &fd->storage_opts;
  memset(so, 0, sizeof *so);
  so->length_level = so->count_level = so->storage_level = -1;
  gen_optset s;
  opt_field(m, fd, &s);
  if (kind == GEN_KIND_STRING || kind == GEN_KIND_BYTES) {
    bool str = kind == GEN_KIND_STRING;
    gen_optval v = {0};
    gen_optkey first = str ? K_MAX_LENGTH : K_MAX_SIZE, second = str ? K_MAX_SIZE : K_MAX_LENGTH;
    int64_t param = str ? m->params.default_max_length : m->params.default_max_size;
    int level = -1;
    if (opt_has(&s, first)) v = take(&s, first, false), level = level_of(&s, first);
    else if (opt_has(&s, second)) v = take(&s, second, str), level = level_of(&s, second);
    else if (param >= 0) v = (gen_optval){true, param, false, "plugin parameter"}, level = LEVEL_PARAMS;
    if (v.set) {
      fd->max_length = choose_length(m, fd, &v);
      so->length_level = level;
      so->length_source = v.source;
    }
  }
  if (fd->repeated) {
    gen_optval v = {0};
    int level = -1;
    if (opt_has(&s, K_MAX_COUNT)) v = take(&s, K_MAX_COUNT, false), level = level_of(&s, K_MAX_COUNT);
    else if (m->params.default_max_count >= 0) {
      v = (gen_optval){true, m->params.default_max_count, false, "plugin parameter"};
      level = LEVEL_PARAMS;
    }
    if (v.set) {
      fd->max_count = choose_count(m, fd, &v);
      so->count_level = level;
      so->count_source = v.source;
    }
  }
  resolve_fixed(m, fd, &s, warned);
  if (kind == GEN_KIND_STRING || kind == GEN_KIND_BYTES || fd->repeated) {
    take_storage(m, fd, &s);
  } else if (kind == GEN_KIND_MESSAGE) {
    gen_optset own;
    opt_field_own(m, fd, &own);
    take_storage(m, fd, &own);
  } else if (fd->parent->file->to_generate && !fd->parent->map_field) {
    warn_scalar_type(m, fd, &s, warned);
  }
}

/* Whether msg was visited by resolve_needed: one flag per message of each file. */
static bool *seen_flag(const gen_model *m, bool **seen, const gen_message *msg) {
  size_t fi = 0;
  while (m->files[fi] != msg->file) fi++;
  return &seen[fi][msg->index];
}

/* Capacities are chosen for the messages layout lays out: those of the files protoc asked
 * for and every message they contain by value (a group is rejected by layout, not followed).
 * Depth first, each field's capacities before the message it holds, in the order layout
 * meets them. */
static void resolve_needed(gen_model *m, bool **seen, gen_message *msg, gen_vec *warned) {
  bool *flag = seen_flag(m, seen, msg);
  if (*flag) return;
  *flag = true;
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_field *fd = &msg->fields[i];
    if (fd->type->kind == GEN_KIND_GROUP) continue;
    resolve_capacities(m, fd, warned);
    if (fd->type->kind == GEN_KIND_MESSAGE && fd->msg) resolve_needed(m, seen, fd->msg, warned);
  }
}

bool options_choose_capacities(gen_model *m) {
  size_t before = m->diag.error_count;
  bool **seen = gen_xmalloc((m->file_count + 1) * sizeof *seen);
  for (size_t i = 0; i < m->file_count; i++) seen[i] = gen_alloc(m->arena, m->files[i]->message_slots + 1);
  gen_vec warned = {0};
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    if (!f->to_generate) continue;
    for (size_t k = 0; k < f->message_count; k++) resolve_needed(m, seen, f->messages[k], &warned);
  }
  gen_vec_free(&warned);
  free(seen);
  return m->diag.error_count == before;
}
