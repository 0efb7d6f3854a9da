/* Builds the model from a CodeGeneratorRequest: files, messages, fields, enums and oneofs,
 * with every type reference resolved across files, presence and packing decided, proto2
 * defaults decoded, and the facts the backends read derived once (enum aliases, map
 * fields, definition order and includes per file); then options (options.c) and names
 * (names.c) are applied. */
#include "model.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "options.h"
#include "storage.h"

/* ---- full-name symbol table (open addressing) ---------------------------------------- */

typedef struct gen_symbol {
  const char *name; /* without leading '.' */
  gen_message *msg;
  gen_enum *enm;
} gen_symbol;

typedef struct gen_symtab {
  gen_symbol *slots;
  size_t cap;
  size_t len;
} gen_symtab;

static uint64_t hash_str(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static void symtab_put(gen_symtab *t, const char *name, gen_message *msg, gen_enum *enm);

static void symtab_grow(gen_symtab *t) {
  gen_symbol *old = t->slots;
  size_t old_cap = t->cap;
  t->cap = old_cap ? old_cap * 2 : 256;
  t->slots = gen_xmalloc(t->cap * sizeof *t->slots);
  memset(t->slots, 0, t->cap * sizeof *t->slots);
  t->len = 0;
  for (size_t i = 0; i < old_cap; i++) {
    if (old[i].name) symtab_put(t, old[i].name, old[i].msg, old[i].enm);
  }
  free(old);
}

static void symtab_put(gen_symtab *t, const char *name, gen_message *msg, gen_enum *enm) {
  if ((t->len + 1) * 2 > t->cap) symtab_grow(t);
  size_t i = (size_t)hash_str(name) & (t->cap - 1);
  while (t->slots[i].name && strcmp(t->slots[i].name, name) != 0) i = (i + 1) & (t->cap - 1);
  if (!t->slots[i].name) t->len++;
  t->slots[i].name = name;
  t->slots[i].msg = msg;
  t->slots[i].enm = enm;
}

static const gen_symbol *symtab_get(const gen_symtab *t, const char *name) {
  if (name == NULL || t->cap == 0) return NULL;
  if (name[0] == '.') name++;
  size_t i = (size_t)hash_str(name) & (t->cap - 1);
  while (t->slots[i].name) {
    if (strcmp(t->slots[i].name, name) == 0) return &t->slots[i];
    i = (i + 1) & (t->cap - 1);
  }
  return NULL;
}

gen_message *model_find_message(const gen_model *model, const char *full_name) {
  const gen_symbol *s = symtab_get(model->types, full_name);
  return s ? s->msg : NULL;
}

gen_enum *model_find_enum(const gen_model *model, const char *full_name) {
  const gen_symbol *s = symtab_get(model->types, full_name);
  return s ? s->enm : NULL;
}

/* ---- building ---------------------------------------------------------------------------- */

static const char *join_name(gen_arena *a, const char *scope, const char *name) {
  if (scope == NULL || scope[0] == '\0') return gen_strdup(a, name);
  return gen_strcat3(a, scope, ".", name);
}

static gen_enum *build_enum(gen_model *m, gen_file *f, gen_message *parent, const char *scope,
                            const Google__Protobuf__EnumDescriptorProto *d, gen_path path) {
  gen_enum *e = gen_alloc(m->arena, sizeof *e);
  e->name = d->name;
  e->full_name = join_name(m->arena, scope, d->name);
  e->file = f;
  e->parent = parent;
  e->path = path;
  e->closed = !f->proto3;
  e->value_count = d->n_value;
  e->values = gen_alloc(m->arena, (d->n_value ? d->n_value : 1) * sizeof *e->values);
  for (size_t i = 0; i < d->n_value; i++) {
    e->values[i].name = d->value[i]->name;
    e->values[i].number = d->value[i]->number;
    for (size_t k = 0; k < i && !e->values[i].alias; k++) e->values[i].alias = e->values[k].number == e->values[i].number;
    if (i == 0 || e->values[i].number < e->min_value) e->min_value = e->values[i].number;
    if (i == 0 || e->values[i].number > e->max_value) e->max_value = e->values[i].number;
  }
  symtab_put(m->types, e->full_name, NULL, e);
  f->enums[f->enum_count++] = e;
  return e;
}

static size_t count_messages(const Google__Protobuf__DescriptorProto *d, size_t *enums) {
  size_t n = 1;
  *enums += d->n_enum_type;
  for (size_t i = 0; i < d->n_nested_type; i++) n += count_messages(d->nested_type[i], enums);
  return n;
}

static gen_message *build_message(gen_model *m, gen_file *f, gen_message *parent, const char *scope,
                                  const Google__Protobuf__DescriptorProto *d, gen_path path) {
  gen_message *msg = gen_alloc(m->arena, sizeof *msg);
  msg->name = d->name;
  msg->full_name = join_name(m->arena, scope, d->name);
  msg->file = f;
  msg->parent = parent;
  msg->desc = d;
  msg->path = path;
  msg->map_entry = d->options && d->options->has_map_entry && d->options->map_entry;
  symtab_put(m->types, msg->full_name, msg, NULL);
  msg->index = f->message_count;
  f->messages[f->message_count++] = msg;

  msg->enum_count = d->n_enum_type;
  msg->enums = gen_alloc(m->arena, (d->n_enum_type + 1) * sizeof *msg->enums);
  for (size_t i = 0; i < d->n_enum_type; i++) {
    msg->enums[i] = build_enum(m, f, msg, msg->full_name, d->enum_type[i],
                               srcloc_child(m->arena, &path, GPB_PATH_MESSAGE_ENUM, i));
  }
  msg->nested_count = d->n_nested_type;
  msg->nested = gen_alloc(m->arena, (d->n_nested_type + 1) * sizeof *msg->nested);
  for (size_t i = 0; i < d->n_nested_type; i++) {
    msg->nested[i] = build_message(m, f, msg, msg->full_name, d->nested_type[i],
                                   srcloc_child(m->arena, &path, GPB_PATH_MESSAGE_NESTED, i));
  }
  return msg;
}

static void build_file(gen_model *m, gen_file *f) {
  const Google__Protobuf__FileDescriptorProto *d = f->desc;
  size_t enums = d->n_enum_type;
  size_t messages = 0;
  for (size_t i = 0; i < d->n_message_type; i++) messages += count_messages(d->message_type[i], &enums);
  f->messages = gen_alloc(m->arena, (messages + 1) * sizeof *f->messages);
  f->enums = gen_alloc(m->arena, (enums + 1) * sizeof *f->enums);
  const char *scope = f->package;
  for (size_t i = 0; i < d->n_enum_type; i++) {
    gen_path p = srcloc_child(m->arena, NULL, GPB_PATH_FILE_ENUM, i);
    build_enum(m, f, NULL, scope, d->enum_type[i], p);
  }
  for (size_t i = 0; i < d->n_message_type; i++) {
    gen_path p = srcloc_child(m->arena, NULL, GPB_PATH_FILE_MESSAGE, i);
    build_message(m, f, NULL, scope, d->message_type[i], p);
  }
}

/* Unescapes the C-style escapes protoc uses for bytes defaults (\n, \", \\, \ooo, \xHH). */
static const char *unescape(gen_arena *a, const char *s, size_t *out_len) {
  size_t n = strlen(s);
  char *out = gen_alloc(a, n + 1);
  size_t o = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] != '\\' || i + 1 == n) {
      out[o++] = s[i];
      continue;
    }
    char c = s[++i];
    switch (c) {
      case 'n': out[o++] = '\n'; break;
      case 'r': out[o++] = '\r'; break;
      case 't': out[o++] = '\t'; break;
      case 'a': out[o++] = '\a'; break;
      case 'b': out[o++] = '\b'; break;
      case 'f': out[o++] = '\f'; break;
      case 'v': out[o++] = '\v'; break;
      case 'x': {
        unsigned v = 0;
        int k = 0;
        while (k < 2 && i + 1 < n && strchr("0123456789abcdefABCDEF", s[i + 1]) && s[i + 1]) {
          char h = s[++i];
          v = v * 16u + (unsigned)(h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10);
          k++;
        }
        out[o++] = (char)(unsigned char)v;
        break;
      }
      default:
        if (c >= '0' && c <= '7') {
          unsigned v = (unsigned)(c - '0');
          int k = 1;
          while (k < 3 && i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7') {
            v = v * 8u + (unsigned)(s[++i] - '0');
            k++;
          }
          out[o++] = (char)(unsigned char)v;
        } else {
          out[o++] = c; /* \" \' \\ \? */
        }
    }
  }
  out[o] = '\0';
  *out_len = o;
  return out;
}

static void parse_default(gen_model *m, gen_field *fd) {
  const char *text = fd->desc->default_value;
  gen_default *def = &fd->def;
  if (fd->repeated) return;
  if (text == NULL) {
    /* A proto2 enum field without [default] defaults to the first declared value, which
     * need not be zero; proto3 enums always start at zero. */
    if (fd->type->kind == GEN_KIND_ENUM && fd->enm && fd->enm->value_count > 0 &&
        fd->enm->values[0].number != 0) {
      def->set = true;
      def->i = fd->enm->values[0].number;
    }
    return;
  }
  const gen_scalar_type *t = fd->type;
  errno = 0;
  char *end = NULL;
  switch (t->kind) {
    case GEN_KIND_STRING:
      def->bytes = gen_strdup(m->arena, text);
      def->bytes_len = strlen(text);
      def->set = def->bytes_len > 0;
      return;
    case GEN_KIND_BYTES:
      def->bytes = unescape(m->arena, text, &def->bytes_len);
      def->set = def->bytes_len > 0;
      return;
    case GEN_KIND_ENUM:
      if (fd->enm) {
        for (size_t i = 0; i < fd->enm->value_count; i++) {
          if (strcmp(fd->enm->values[i].name, text) == 0) {
            def->i = fd->enm->values[i].number;
            def->set = def->i != 0;
            return;
          }
        }
      }
      gen_error(&m->diag, model_loc(fd->parent->file, &fd->path), "default value '%s' of %s is not a value of its enum",
                text, fd->full_name);
      return;
    case GEN_KIND_NUMERIC:
      if (t->proto_type == GPB_TYPE(BOOL)) {
        def->b = strcmp(text, "true") == 0;
        def->set = def->b;
        return;
      }
      if (t->is_float) {
        if (strcmp(text, "inf") == 0) def->d = INFINITY;
        else if (strcmp(text, "-inf") == 0) def->d = -INFINITY;
        else if (strcmp(text, "nan") == 0) def->d = NAN;
        else def->d = strtod(text, &end);
        def->set = !(def->d == 0.0 && !signbit(def->d));
        return;
      }
      if (t->is_signed) {
        long long v = strtoll(text, &end, 10);
        def->i = (int64_t)v;
        def->set = v != 0;
      } else {
        unsigned long long v = strtoull(text, &end, 10);
        def->u = (uint64_t)v;
        def->set = v != 0;
      }
      if (errno != 0 || end == text || (end && *end != '\0')) {
        gen_error(&m->diag, model_loc(fd->parent->file, &fd->path), "cannot read default value '%s' of %s", text,
                  fd->full_name);
      }
      return;
    default:
      return;
  }
}

static void resolve_message(gen_model *m, gen_message *msg) {
  const Google__Protobuf__DescriptorProto *d = msg->desc;
  gen_file *f = msg->file;
  msg->field_count = d->n_field;
  msg->fields = gen_alloc(m->arena, (d->n_field + 1) * sizeof *msg->fields);

  /* Real oneofs: every oneof_decl that is not the synthetic one of a proto3 `optional`. */
  size_t *oneof_map = gen_alloc(m->arena, (d->n_oneof_decl + 1) * sizeof *oneof_map);
  bool *synthetic = gen_alloc(m->arena, (d->n_oneof_decl + 1) * sizeof *synthetic);
  for (size_t i = 0; i < d->n_oneof_decl; i++) synthetic[i] = true;
  for (size_t i = 0; i < d->n_field; i++) {
    const Google__Protobuf__FieldDescriptorProto *fdesc = d->field[i];
    if (fdesc->has_oneof_index && !(fdesc->has_proto3_optional && fdesc->proto3_optional) &&
        (size_t)fdesc->oneof_index < d->n_oneof_decl) {
      synthetic[fdesc->oneof_index] = false;
    }
  }
  msg->oneofs = gen_alloc(m->arena, (d->n_oneof_decl + 1) * sizeof *msg->oneofs);
  for (size_t i = 0; i < d->n_oneof_decl; i++) {
    if (synthetic[i]) continue;
    gen_oneof *o = &msg->oneofs[msg->oneof_count];
    oneof_map[i] = msg->oneof_count++;
    o->name = d->oneof_decl[i]->name;
    o->parent = msg;
    o->path = srcloc_child(m->arena, &msg->path, GPB_PATH_MESSAGE_ONEOF, i);
    o->fields = gen_alloc(m->arena, (d->n_field + 1) * sizeof *o->fields);
  }

  for (size_t i = 0; i < d->n_field; i++) {
    const Google__Protobuf__FieldDescriptorProto *fdesc = d->field[i];
    gen_field *fd = &msg->fields[i];
    fd->desc = fdesc;
    fd->parent = msg;
    fd->name = fdesc->name;
    fd->full_name = join_name(m->arena, msg->full_name, fdesc->name);
    fd->number = fdesc->number;
    fd->label = (gen_label)fdesc->label;
    fd->path = srcloc_child(m->arena, &msg->path, GPB_PATH_MESSAGE_FIELD, i);
    fd->type = gen_scalar_for_proto((int)fdesc->type);
    fd->repeated = fdesc->label == GPB_LABEL(REPEATED);
    if (fd->type == NULL) {
      gen_error(&m->diag, model_loc(f, &fd->path), "field %s has an unknown type (%d)", fd->full_name, (int)fdesc->type);
      fd->type = gen_scalar_for_proto(GPB_TYPE(INT32));
      continue;
    }
    if (fd->type->kind == GEN_KIND_MESSAGE || fd->type->kind == GEN_KIND_GROUP) {
      fd->msg = model_find_message(m, fdesc->type_name);
      if (fd->msg == NULL) {
        gen_error(&m->diag, model_loc(f, &fd->path), "field %s refers to unknown message type %s", fd->full_name,
                  fdesc->type_name ? fdesc->type_name : "(none)");
      }
      fd->is_map = fd->repeated && fd->msg && fd->msg->map_entry;
      if (fd->is_map && fd->msg->parent == msg && fd->msg->map_field == NULL) fd->msg->map_field = fd;
    } else if (fd->type->kind == GEN_KIND_ENUM) {
      fd->enm = model_find_enum(m, fdesc->type_name);
      if (fd->enm == NULL) {
        gen_error(&m->diag, model_loc(f, &fd->path), "field %s refers to unknown enum type %s", fd->full_name,
                  fdesc->type_name ? fdesc->type_name : "(none)");
      }
    }
    bool proto3_optional = fdesc->has_proto3_optional && fdesc->proto3_optional;
    if (fdesc->has_oneof_index && !proto3_optional && (size_t)fdesc->oneof_index < d->n_oneof_decl) {
      gen_oneof *o = &msg->oneofs[oneof_map[fdesc->oneof_index]];
      fd->oneof = o;
      o->fields[o->field_count++] = fd;
    }
    fd->has_presence = !fd->repeated && fd->oneof == NULL && fd->label != GEN_LABEL_REQUIRED &&
                       (proto3_optional || fd->type->kind == GEN_KIND_MESSAGE || !f->proto3);
    if (fd->repeated && (fd->type->kind == GEN_KIND_NUMERIC || fd->type->kind == GEN_KIND_ENUM)) {
      const Google__Protobuf__FieldOptions *o = fdesc->options;
      bool explicit_packed = o && o->has_packed;
      fd->packed = explicit_packed ? (bool)o->packed : f->proto3;
    }
    parse_default(m, fd);
  }
}

/* ---- per-file order ------------------------------------------------------------------------ */

static void visit(const gen_file *f, gen_message *msg, bool *seen, gen_message **order, size_t *n) {
  if (seen[msg->index]) return;
  seen[msg->index] = true;
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    /* Only a message held by value must be complete first; a pointer needs a declaration. */
    if (fd->msg && fd->msg->file == f && fd->type->kind == GEN_KIND_MESSAGE && fd->storage == GEN_STORAGE_INLINE) {
      visit(f, fd->msg, seen, order, n);
    }
  }
  order[(*n)++] = msg;
}

static void order_file(gen_model *m, gen_file *f) {
  f->definition_order = gen_alloc(m->arena, (f->message_count + 1) * sizeof *f->definition_order);
  bool *seen = gen_xmalloc(f->message_slots + 1);
  memset(seen, 0, f->message_slots + 1);
  size_t n = 0;
  for (size_t i = 0; i < f->message_count; i++) visit(f, f->messages[i], seen, f->definition_order, &n);
  free(seen);

  f->includes = gen_alloc(m->arena, (m->file_count + 1) * sizeof *f->includes);
  /* Request order is dependency order, so the includes come out in a stable order. */
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *other = m->files[i];
    if (other == f) continue;
    bool used = false;
    for (size_t k = 0; k < f->message_count && !used; k++) {
      const gen_message *msg = f->messages[k];
      for (size_t j = 0; j < msg->field_count && !used; j++) {
        const gen_field *fd = &msg->fields[j];
        used = (fd->msg && fd->msg->file == other) || (fd->enm && fd->enm->file == other);
      }
    }
    if (used) f->includes[f->include_count++] = other;
  }
}

/* ---- the whole request ---------------------------------------------------------------------- */

bool model_build(gen_model *m, const Google__Protobuf__Compiler__CodeGeneratorRequest *req) {
  m->types = gen_alloc(m->arena, sizeof(gen_symtab));
  if (!options_parse_params(m, req->parameter)) return false;

  m->file_count = req->n_proto_file;
  m->files = gen_alloc(m->arena, (req->n_proto_file + 1) * sizeof *m->files);
  for (size_t i = 0; i < req->n_proto_file; i++) {
    gen_file *f = gen_alloc(m->arena, sizeof *f);
    const Google__Protobuf__FileDescriptorProto *d = req->proto_file[i];
    f->desc = d;
    f->name = d->name ? d->name : "";
    f->package = d->package ? d->package : "";
    f->proto3 = d->syntax && strcmp(d->syntax, "proto3") == 0;
    /* The stem: the .proto name without ".proto" (a name without it is its own stem). */
    size_t len = strlen(f->name);
    size_t stem = (len > 6 && strcmp(f->name + len - 6, ".proto") == 0) ? len - 6 : len;
    f->options_name = gen_strf(m->arena, "%.*s.options", (int)stem, f->name);
    for (size_t k = 0; k < req->n_file_to_generate; k++) {
      if (strcmp(req->file_to_generate[k], f->name) == 0) f->to_generate = true;
    }
    m->files[i] = f;
    build_file(m, f);
    f->message_slots = f->message_count;
  }
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    f->deps = gen_alloc(m->arena, (f->desc->n_dependency + 1) * sizeof *f->deps);
    for (size_t k = 0; k < f->desc->n_dependency; k++) {
      for (size_t j = 0; j < m->file_count; j++) {
        if (strcmp(m->files[j]->name, f->desc->dependency[k]) == 0) f->deps[f->dep_count++] = m->files[j];
      }
    }
  }
  for (size_t i = 0; i < m->file_count; i++) {
    for (size_t k = 0; k < m->files[i]->message_count; k++) resolve_message(m, m->files[i]->messages[k]);
  }
  if (m->diag.error_count) return false;
  /* The options before the order and the names: they may leave fields out (type:FT_IGNORE)
   * and change member types. */
  options_load(m);
  options_apply(m);
  if (m->diag.error_count) return false;
  if (!options_choose_capacities(m) || !storage_decide(m) || !options_check_fixed(m)) return false;
  /* The definition order follows the storage classes: only by-value fields order structs. */
  for (size_t i = 0; i < m->file_count; i++) {
    if (m->files[i]->to_generate) order_file(m, m->files[i]);
  }
  names_assign(m);
  names_assign_storage(m);
  return m->diag.error_count == 0;
}

void model_free(gen_model *m) {
  if (m->types) free(m->types->slots);
  options_free(m);
  gen_diag_free(&m->diag);
  gen_arena_free(m->arena);
  m->arena = NULL;
}
