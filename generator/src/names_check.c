/* The collision check of every identifier names.c computes (see names.h).
 *
 * Each identifier is claimed by the element that produces it (a message, field, oneof, enum,
 * enum value, file, or a fixed name of the generated code) in the scope it is declared in:
 *
 *   output files      every file name of the request (x.ffi.h, .c, .json, .layout.txt, .dart)
 *   C global          types, macros (header guards included), functions, enum constants,
 *                     and the static names of x.ffi.c (field tables, enum value lists,
 *                     thunks, the message table); one namespace for the whole request, since
 *                     headers include each other
 *   C parameters      the message types against the parameter names that the generated C
 *                     functions use before a cast or sizeof of the type
 *   C struct          the members of one struct or union
 *   Dart library      classes, enums, extensions, the bindings class and its members, import
 *                     prefixes, and the @Native functions (the C function names), per .proto
 *   Dart class        the declared members (private storage `_x` included), the accessors,
 *                     the constants (SIZE, ALIGN, MAX_ENCODED_SIZE, X_MAX_LENGTH, ...) and the
 *                     class's own name, per class
 *   Dart enum         the constants of one enum
 *
 * A name two different elements claim in one scope is an error at the later element's
 * position; a clash between two elements is reported once, whatever number of names it
 * makes collide.
 */
#include "names.h"

#include <stdlib.h>
#include <string.h>

typedef struct claim {
  const char *ident;
  const char *owner;
  const gen_file *file;
  const gen_path *path;
  size_t seq; /* claim order: ties sort by it, so reports follow declaration order */
} claim;

static int cmp_claim(const void *a, const void *b) {
  const claim *x = a, *y = b;
  int c = strcmp(x->ident, y->ident);
  if (c) return c;
  return (x->seq < y->seq) ? -1 : (x->seq > y->seq);
}

typedef struct claims {
  claim *items;
  size_t len, cap;
} claims;

static void add(claims *c, const char *ident, const char *owner, const gen_file *f, const gen_path *p) {
  if (ident == NULL) return;
  if (c->len == c->cap) {
    c->cap = c->cap ? c->cap * 2 : 256;
    c->items = gen_xrealloc(c->items, c->cap * sizeof *c->items);
  }
  c->items[c->len] = (claim){ident, owner, f, p, c->len};
  c->len++;
}

/* Owner pairs already reported: one clash between two elements is reported once, even when
 * it makes several identifiers (type, macros, functions; C and Dart) collide. */
typedef struct reported {
  const char **pairs; /* owner a, owner b, owner a, owner b, ... */
  size_t len, cap;
} reported;

static bool seen_pair(reported *r, const char *a, const char *b) {
  for (size_t i = 0; i + 1 < r->len; i += 2) {
    if (strcmp(r->pairs[i], a) == 0 && strcmp(r->pairs[i + 1], b) == 0) return true;
  }
  if (r->len + 2 > r->cap) {
    r->cap = r->cap ? r->cap * 2 : 16;
    r->pairs = gen_xrealloc(r->pairs, r->cap * sizeof *r->pairs);
  }
  r->pairs[r->len++] = a;
  r->pairs[r->len++] = b;
  return false;
}

/* Reports every identifier claimed by two different owners ("C member 'x_len' of T is
 * produced by both field a and field b"), then empties c. */
static void report(gen_model *m, claims *c, const char *what, const char *context, reported *r) {
  if (c->len > 1) qsort(c->items, c->len, sizeof *c->items, cmp_claim);
  for (size_t i = 1; i < c->len; i++) {
    claim *x = &c->items[i - 1], *y = &c->items[i];
    if (strcmp(x->ident, y->ident) != 0 || strcmp(x->owner, y->owner) == 0) continue;
    if (seen_pair(r, x->owner, y->owner)) continue;
    gen_error(&m->diag, model_loc(y->file, y->path), "%s '%s'%s is produced by both %s and %s; rename one of them",
              what, x->ident, context, x->owner, y->owner);
  }
  free(c->items);
  c->items = NULL;
  c->len = c->cap = 0;
}

static const char *field_owner(gen_model *m, const gen_field *fd) {
  return gen_strcat3(m->arena, "field ", fd->full_name, "");
}

static const char *message_owner(gen_model *m, const gen_message *msg) {
  return gen_strcat3(m->arena, "message ", msg->full_name, "");
}

static const char *oneof_owner(gen_model *m, const gen_message *msg, const gen_oneof *o) {
  return gen_strf(m->arena, "oneof %s.%s", msg->full_name, o->name);
}

static const char *file_owner(gen_model *m, const gen_file *f) {
  return gen_strcat3(m->arena, "file ", f->name, "");
}

/* The position of a whole file: its syntax statement, when it has one. */
static const gen_path *file_path(gen_model *m, const gen_file *f) {
  if (f->desc->syntax == NULL) return NULL;
  gen_path *p = gen_alloc(m->arena, sizeof *p);
  p->items = gen_alloc(m->arena, sizeof *p->items);
  p->items[0] = 12; /* FileDescriptorProto.syntax */
  p->len = 1;
  return p;
}

/* Output file names: a generated header includes its dependencies' headers and a Dart
 * library imports theirs, so two files of the request may not share one, generated or not. */
static void check_outputs(gen_model *m, reported *r) {
  claims c = {0};
  for (size_t i = 0; i < m->file_count; i++) {
    const gen_file *f = m->files[i];
    const gen_path *p = file_path(m, f);
    const char *owner = file_owner(m, f);
    add(&c, f->header_name, owner, f, p);
    add(&c, f->source_name, owner, f, p);
    add(&c, f->json_name, owner, f, p);
    add(&c, f->report_name, owner, f, p);
    add(&c, f->dart_name, owner, f, p);
  }
  report(m, &c, "Output file", "", r);
}

static void add_message_c(gen_model *m, claims *c, const gen_file *f, const gen_message *msg) {
  const char *owner = message_owner(m, msg);
  const char *const names[] = {msg->c_name, msg->macro_size, msg->macro_align, msg->fn_size, msg->fn_align,
                               msg->fn_init, msg->fn_pool_create, msg->fn_pool_create_ex, msg->fn_pool_alloc,
                               msg->fn_pool_free, msg->fn_pool_alloc_batch, msg->fn_pool_free_batch,
                               msg->fn_pool_destroy, msg->fn_decode, msg->fn_encode, msg->fn_encoded_size,
                               msg->var_desc, msg->macro_max_encoded_size, msg->fn_layout_fingerprint,
                               msg->macro_layout_fingerprint, msg->var_fields, msg->var_dispatch, msg->var_zero, msg->thunk_init,
                               msg->thunk_decode, msg->thunk_encode, msg->thunk_encoded_size,
                               msg->fn_decode_ex, msg->fn_copy, msg->fn_pool_create_default, msg->macro_pool_size,
                               msg->macro_pool_max};
  for (size_t j = 0; j < sizeof names / sizeof names[0]; j++) add(c, names[j], owner, f, &msg->path);
  for (size_t j = 0; j < msg->field_count; j++) {
    const gen_field *fd = &msg->fields[j];
    const char *fowner = field_owner(m, fd);
    add(c, fd->macro_tag, fowner, f, &fd->path);
    add(c, fd->macro_capacity, fowner, f, &fd->path);
    add(c, fd->macro_max_count, fowner, f, &fd->path);
    add(c, fd->aux_c_name, fowner, f, &fd->path);
    add(c, fd->var_enum_values, fowner, f, &fd->path);
    add(c, fd->fn_set, fowner, f, &fd->path);
    add(c, fd->fn_set_ref, fowner, f, &fd->path);
    add(c, fd->fn_add, fowner, f, &fd->path);
    add(c, fd->fn_mutable, fowner, f, &fd->path);
    for (int k = 0; k < GEN_KERNEL_COUNT_; k++) add(c, fd->fn_kernel[k], fowner, f, &fd->path);
  }
  for (size_t j = 0; j < msg->oneof_count; j++) {
    const gen_oneof *o = &msg->oneofs[j];
    add(c, o->union_c_name, oneof_owner(m, msg, o), f, &o->path);
  }
}

/* C identifiers share one global namespace across every file of the request (headers include
 * each other). The static names of x.ffi.c are checked in it too: they are unique whenever
 * the global names are, so this costs no false report between two files. */
static void check_c_global(gen_model *m, reported *r) {
  claims c = {0};
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    const gen_path *p = file_path(m, f);
    const char *file = file_owner(m, f);
    add(&c, f->fn_file_info, file, f, p);
    add(&c, f->var_messages, file, f, p);
    add(&c, f->guard, file, f, p);
    for (size_t k = 0; k < f->enum_count; k++) {
      gen_enum *e = f->enums[k];
      const char *owner = gen_strcat3(m->arena, "enum ", e->full_name, "");
      add(&c, e->c_name, owner, f, &e->path);
      add(&c, e->macro_min, owner, f, &e->path);
      add(&c, e->macro_max, owner, f, &e->path);
      add(&c, e->fn_name, owner, f, &e->path);
      for (size_t v = 0; v < e->value_count; v++) add(&c, e->values[v].c_name, owner, f, &e->path);
    }
    for (size_t k = 0; k < f->message_count; k++) add_message_c(m, &c, f, f->messages[k]);
  }
  report(m, &c, "C identifier", "", r);
}

/* Parameters of the generated C functions that the body (or a later parameter) follows with a
 * cast to, or sizeof of, the message type: a type named like one would be hidden there
 * (`(len *)msg` does not compile; `sizeof(initial_capacity)` silently is sizeof(size_t)). */
static const char *const c_params[] = {"buf", "cap", "flags", "initial_capacity", "len",
                                       "max_slots", "msg", "pool", "written"};

/* The parameters and locals of the functions of out-of-line fields and trees (T_copy,
 * T_set_x, T_add_x, T_mutable_x), checked against the types of files that have such
 * functions. */
static const char *const c_params_out[] = {"arena", "dst", "elem", "n", "s", "src", "value"};

static void check_c_params(gen_model *m, reported *r) {
  claims c = {0};
  /* Claimed first, so that a clash is reported at the message. */
  for (size_t k = 0; k < sizeof c_params / sizeof c_params[0]; k++) {
    add(&c, c_params[k], gen_strf(m->arena, "the parameter %s of the generated C functions", c_params[k]), NULL, NULL);
  }
  bool any_out = false;
  for (size_t i = 0; i < m->file_count; i++) any_out = any_out || m->files[i]->has_out_of_line;
  for (size_t k = 0; any_out && k < sizeof c_params_out / sizeof c_params_out[0]; k++) {
    add(&c, c_params_out[k], gen_strf(m->arena, "the parameter %s of the generated C functions", c_params_out[k]),
        NULL, NULL);
  }
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->message_count; k++) {
      const gen_message *msg = f->messages[k];
      add(&c, msg->c_name, message_owner(m, msg), f, &msg->path);
    }
  }
  report(m, &c, "C identifier", "", r);
}

/* A Dart library is generated per .proto, so Dart names only need to be unique within a file. */
static void check_dart_library(gen_model *m, gen_file *f, reported *r) {
  claims dart = {0};
  for (size_t k = 0; k < f->enum_count; k++) {
    gen_enum *e = f->enums[k];
    add(&dart, e->dart_name, gen_strcat3(m->arena, "enum ", e->full_name, ""), f, &e->path);
  }
  const char *bindings = gen_strcat3(m->arena, "the bindings class of ", f->name, "");
  add(&dart, f->dart_bindings_name, bindings, f, NULL);
  /* The bindings class uses every message type unqualified, so its members (one per
   * message, and checkLayout) must not take a type's name; a type must not take the name of
   * an import prefix either. */
  add(&dart, "checkLayout", bindings, f, NULL);
  add(&dart, "p2f", "the import prefix p2f of the runtime package", f, NULL);
  for (size_t k = 0; k < f->dep_count; k++) {
    add(&dart, f->deps[k]->dart_prefix, gen_strcat3(m->arena, "the import prefix of ", f->deps[k]->name, ""), f, NULL);
  }
  for (size_t k = 0; k < f->message_count; k++) {
    gen_message *msg = f->messages[k];
    const char *owner = message_owner(m, msg);
    add(&dart, msg->dart_name, owner, f, &msg->path);
    add(&dart, msg->dart_ext_name, owner, f, &msg->path);
    add(&dart, msg->dart_fns_name, owner, f, &msg->path);
    if (msg->batch) add(&dart, msg->dart_batch_name, owner, f, &msg->path);
    for (size_t j = 0; j < msg->field_count; j++) {
      gen_field *fd = &msg->fields[j];
      add(&dart, fd->aux_dart_name, field_owner(m, fd), f, &fd->path);
    }
    for (size_t j = 0; j < msg->oneof_count; j++) {
      gen_oneof *o = &msg->oneofs[j];
      add(&dart, o->union_dart_name, oneof_owner(m, msg, o), f, &o->path);
      add(&dart, o->case_dart_name, oneof_owner(m, msg, o), f, &o->path);
    }
  }
  /* The @Native declarations are private top-level functions: "_" + the C function's name;
   * a file with out-of-line fields also binds the runtime's arena functions. */
  if (f->has_out_of_line) {
    add(&dart, "arenaFunctions", bindings, f, NULL);
    const char *const arena[] = {"p2f_arena_new", "p2f_arena_destroy", "p2f_arena_alloc_aligned", "p2f_arena_realloc",
                                 "p2f_arena_reset", "p2f_arena_last_error"};
    for (size_t j = 0; j < sizeof arena / sizeof arena[0]; j++) {
      add(&dart, gen_strcat3(m->arena, "_", arena[j], ""), "the runtime's arena functions", f, NULL);
    }
  }
  for (size_t k = 0; k < f->message_count; k++) {
    gen_message *msg = f->messages[k];
    const char *owner = message_owner(m, msg); /* so that a clash of two messages is reported once */
    const char *const natives[] = {msg->fn_size, msg->fn_align, msg->fn_init, msg->fn_pool_create,
                                   msg->fn_pool_create_ex, msg->fn_pool_alloc, msg->fn_pool_free,
                                   msg->fn_pool_alloc_batch, msg->fn_pool_free_batch, msg->fn_pool_destroy,
                                   msg->fn_decode, msg->fn_encode, msg->fn_encoded_size,
                                   msg->fn_layout_fingerprint, msg->dart_native_alloc_nonleaf,
                                   msg->dart_native_free_nonleaf, msg->dart_native_decode_leaf,
                                   msg->out_of_line ? msg->fn_decode_ex : NULL,
                                   msg->fn_copy};
    for (size_t j = 0; j < sizeof natives / sizeof natives[0]; j++) {
      if (natives[j]) add(&dart, gen_strcat3(m->arena, "_", natives[j], ""), owner, f, &msg->path);
    }
  }
  report(m, &dart, "Dart name", gen_strcat3(m->arena, " in the Dart library of ", f->name, ""), r);
}

/* The constants of one Dart enum (the members every enum has are avoided by names.c). */
static void check_dart_enum(gen_model *m, const gen_file *f, const gen_enum *e, reported *r) {
  claims c = {0};
  for (size_t v = 0; v < e->value_count; v++) {
    gen_path *p = gen_alloc(m->arena, sizeof *p);
    p->len = e->path.len + 2;
    p->items = gen_alloc(m->arena, p->len * sizeof *p->items);
    memcpy(p->items, e->path.items, e->path.len * sizeof *p->items);
    p->items[e->path.len] = 2; /* EnumDescriptorProto.value */
    p->items[e->path.len + 1] = (int32_t)v;
    add(&c, e->values[v].dart_name, gen_strf(m->arena, "value %s of enum %s", e->values[v].name, e->full_name), f, p);
  }
  report(m, &c, "Dart enum constant", gen_strcat3(m->arena, " of ", e->dart_name, ""), r);
}

/* The Dart class of a message: constants, the class's own name (a member may not take it). */
/* The calls the Dart backend adds to a message class for field fd (docs/dart.md): for an
 * out-of-line field setX / setXRef / addX / mutableX / clearX, for a map field xMap. */
static void add_field_calls(gen_model *m, claims *dart, const gen_file *f, const gen_field *fd) {
  const char *owner = field_owner(m, fd);
  if (fd->is_map) add(dart, fd->map_dart_name, owner, f, &fd->path);
  if (fd->repeated && fd->type->kind == GEN_KIND_ENUM) add(dart, fd->enums_dart_name, owner, f, &fd->path);
  if (fd->storage != GEN_STORAGE_OUT_OF_LINE) return;
  bool message = fd->type->kind == GEN_KIND_MESSAGE;
  if (fd->repeated) {
    add(dart, fd->add_dart_name, owner, f, &fd->path);
    add(dart, fd->clear_dart_name, owner, f, &fd->path);
    if (!message) add(dart, fd->set_dart_name, owner, f, &fd->path);
  } else if (message) {
    add(dart, fd->mutable_dart_name, owner, f, &fd->path);
    if (!fd->oneof) add(dart, fd->clear_dart_name, owner, f, &fd->path);
  } else {
    add(dart, fd->set_dart_name, owner, f, &fd->path);
    if (fd->type->kind == GEN_KIND_BYTES) add(dart, fd->set_ref_dart_name, owner, f, &fd->path);
  }
}

static void add_class_names(gen_model *m, claims *dart, const gen_message *msg) {
  const gen_file *f = msg->file;
  if (!names_in_dart_scope(f, msg->dart_name)) {
    add(dart, msg->dart_name, gen_strf(m->arena, "the class name of message %s", msg->full_name), f, &msg->path);
  }
  const char *const fixed[] = {msg->dart_const_size, msg->dart_const_align, msg->dart_const_max_encoded_size,
                               msg->dart_const_layout_fingerprint};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++) {
    if (fixed[i] == NULL) continue; /* MAX_ENCODED_SIZE: not for out-of-line trees */
    add(dart, fixed[i], gen_strf(m->arena, "the constant %s of every message class", fixed[i]), f, &msg->path);
  }
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    add(dart, fd->dart_const_capacity, field_owner(m, fd), f, &fd->path);
    add(dart, fd->dart_const_max_count, field_owner(m, fd), f, &fd->path);
  }
}

/* The members of one laid-out struct or union (has_x vs a field named has_x), in C and in
 * the Dart class. */
static void check_members(gen_model *m, const gen_struct *s) {
  claims c = {0};
  claims dart = {0};
  gen_message *msg = s->owner;
  const gen_file *f = msg->file;
  /* The library-scope names the class body may use unqualified: member names avoid them
   * (names.c), the derived accessor names (xValue, clearO) are checked here. */
  for (size_t i = 0; i < f->dart_scope_count; i++) {
    const char *name = f->dart_scope[i];
    add(&dart, name, gen_strf(m->arena, "%s %s", strcmp(name, "p2f") == 0 ? "the import prefix" : "the Dart type", name),
        f, &msg->path);
  }
  if (s == &msg->layout) add_class_names(m, &dart, msg);
  for (size_t i = 0; i < s->member_count; i++) {
    const gen_member *mb = &s->members[i];
    const char *owner;
    const gen_path *path = &msg->path;
    if (mb->field) {
      owner = field_owner(m, mb->field);
      path = &mb->field->path;
    } else if (mb->oneof) {
      owner = oneof_owner(m, msg, mb->oneof);
      path = &mb->oneof->path;
    } else {
      owner = "proto2ffi";
    }
    add(&c, mb->c_name, owner, f, path);
    add(&dart, mb->dart_name, owner, f, path);
    add(&dart, mb->dart_decl_name, owner, f, path);
    if (s != &msg->layout) continue;
    /* Accessors the Dart backend adds to a message class (docs/dart.md): the raw number of
     * an enum (xValue), and for a oneof, clearO() and hasX of each member. */
    const gen_field *fd = mb->field;
    if (mb->role == GEN_MEMBER_VALUE && fd && fd->type->kind == GEN_KIND_ENUM && !fd->repeated) {
      add(&dart, fd->value_dart_name, owner, f, path);
    }
    if (mb->role == GEN_MEMBER_VALUE && fd) add_field_calls(m, &dart, f, fd);
    if (mb->role == GEN_MEMBER_ONEOF) {
      const gen_oneof *o = mb->oneof;
      add(&dart, o->clear_dart_name, owner, f, path);
      add(&dart, o->case_getter_dart_name, owner, f, path);
      for (size_t k = 0; k < o->field_count; k++) {
        const gen_field *of = o->fields[k];
        const char *fowner = field_owner(m, of);
        add(&dart, of->has_dart_name, fowner, f, &of->path);
        add(&dart, of->dart_name, fowner, f, &of->path);
        if (of->type->kind == GEN_KIND_ENUM) add(&dart, of->value_dart_name, fowner, f, &of->path);
        add_field_calls(m, &dart, f, of);
      }
    }
    /* The extension on Pointer<T> has a view getter xView per bytes field. */
    if (fd && mb->role == GEN_MEMBER_VALUE && fd->type->kind == GEN_KIND_BYTES && !fd->repeated && !fd->oneof) {
      const char *view = fd->view_dart_name;
      if (names_in_dart_scope(f, view)) {
        gen_error(&m->diag, model_loc(f, path), "Dart member '%s' of %s would hide the Dart type %s; rename one of them",
                  view, msg->dart_ext_name, view);
      }
    }
  }
  /* The extension on Pointer<T>: the views and the addNew calls of repeated messages. */
  claims ext = {0};
  if (s == &msg->layout) {
    for (size_t i = 0; i < msg->field_count; i++) {
      const gen_field *fd = &msg->fields[i];
      if (fd->type->kind == GEN_KIND_BYTES && !fd->repeated && !fd->oneof) {
        add(&ext, fd->view_dart_name, field_owner(m, fd), f, &fd->path);
      }
      if (fd->type->kind == GEN_KIND_MESSAGE && fd->repeated) {
        add(&ext, fd->add_new_dart_name, field_owner(m, fd), f, &fd->path);
      }
    }
  }
  reported r = {0};
  report(m, &ext, "Dart member", gen_strcat3(m->arena, " of ", msg->dart_ext_name, ""), &r);
  report(m, &c, "C member", gen_strcat3(m->arena, " of ", s->c_name, ""), &r);
  report(m, &dart, "Dart member", gen_strcat3(m->arena, " of ", s->dart_name, ""), &r);
  free(r.pairs);
}

bool names_check(gen_model *m) {
  names_assign_members(m);
  reported r = {0};
  check_outputs(m, &r);
  check_c_global(m, &r);
  check_c_params(m, &r);
  /* Dart names after C, so that a clash seen in both C and Dart is reported as the C one. */
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    check_dart_library(m, f, &r);
    for (size_t k = 0; k < f->enum_count; k++) check_dart_enum(m, f, f->enums[k], &r);
  }
  free(r.pairs);
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->message_count; k++) {
      gen_message *msg = f->messages[k];
      if (msg->layout_state != GEN_LAYOUT_DONE) continue;
      check_members(m, &msg->layout);
      for (size_t j = 0; j < msg->oneof_count; j++) check_members(m, msg->oneofs[j].u);
    }
  }
  return m->diag.error_count == 0;
}
