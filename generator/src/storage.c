/* Storage classes (see storage.h and docs/options.md, "Storage"). */
#include "storage.h"

#include <stdlib.h>
#include <string.h>

#include "options.h"

/* Per-message flags, by file position and message index. */
typedef struct flags {
  bool **f;
} flags;

static size_t file_pos(const gen_model *m, const gen_file *f) {
  size_t i = 0;
  while (m->files[i] != f) i++;
  return i;
}

static bool *flag(const gen_model *m, flags *fl, const gen_message *msg) {
  return &fl->f[file_pos(m, msg->file)][msg->index];
}

static void flags_init(const gen_model *m, flags *fl) {
  fl->f = gen_xmalloc((m->file_count + 1) * sizeof *fl->f);
  for (size_t i = 0; i < m->file_count; i++) {
    fl->f[i] = gen_xmalloc(m->files[i]->message_slots + 1);
    memset(fl->f[i], 0, m->files[i]->message_slots + 1);
  }
}

static void flags_clear(const gen_model *m, flags *fl) {
  for (size_t i = 0; i < m->file_count; i++) memset(fl->f[i], 0, m->files[i]->message_slots + 1);
}

static void flags_free(const gen_model *m, flags *fl) {
  for (size_t i = 0; i < m->file_count; i++) free(fl->f[i]);
  free(fl->f);
}

static gen_loc field_loc(gen_field *fd) {
  gen_field *u = model_user_field(fd);
  return model_loc(u->parent->file, &u->path);
}

static bool is_variable(const gen_field *fd) {
  return fd->repeated || fd->type->kind == GEN_KIND_STRING || fd->type->kind == GEN_KIND_BYTES;
}

/* The messages storage is decided for: those options.c chose capacities for (the files to
 * generate and every message their fields refer to), in the same order. */
static void collect(const gen_model *m, flags *seen, gen_vec *out, gen_message *msg) {
  bool *f = flag(m, seen, msg);
  if (*f) return;
  *f = true;
  gen_vec_push(out, msg);
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_field *fd = &msg->fields[i];
    if (fd->type->kind == GEN_KIND_MESSAGE && fd->msg) collect(m, seen, out, fd->msg);
  }
}

static const char *capacity_key(const gen_field *fd, bool count) {
  if (count) return "max_count";
  return fd->type->kind == GEN_KIND_STRING ? "max_length" : "max_size";
}

/* Reports an invalid storage value once per source (a message-level value would otherwise be
 * reported at every field). */
static bool valid_storage(gen_model *m, gen_field *fd, const char **last_bad) {
  const gen_storage_opts *so = &fd->storage_opts;
  if (so->storage >= 0 && so->storage <= 2) return true;
  if (*last_bad != so->storage_source) {
    gen_error(&m->diag, field_loc(fd),
              "%s value %lld for field %s is not a storage class; use STORAGE_DEFAULT (0), INLINE (1) or "
              "OUT_OF_LINE (2)",
              so->storage_source, (long long)so->storage, model_user_field(fd)->full_name);
    *last_bad = so->storage_source;
  }
  return false;
}

static void inline_without_capacity(gen_model *m, gen_field *fd, bool count, const char *source) {
  gen_error(&m->diag, field_loc(fd),
            "field %s is stored inline (%s) but has no %s; give one, or let it be stored out-of-line", 
            model_user_field(fd)->full_name, source, capacity_key(fd, count));
}

/* The class of a string, bytes or repeated field. Returns false after an error. */
static bool decide_variable(gen_model *m, gen_field *fd, const char **last_bad) {
  const gen_storage_opts *so = &fd->storage_opts;
  bool need_len = fd->type->kind == GEN_KIND_STRING || fd->type->kind == GEN_KIND_BYTES;
  bool need_count = fd->repeated;
  bool has_len = !need_len || so->length_level >= 0;
  bool has_count = !need_count || so->count_level >= 0;
  fd->storage = GEN_STORAGE_INLINE;

  /* nanopb's fixed_length and fixed_count fields have a fixed size: the parameter that
   * forces variable fields out of line leaves them inline. */
  if (m->params.storage == GEN_STORAGE_PARAM_OUT_OF_LINE && !fd->fixed_length && !fd->fixed_count) {
    fd->storage = GEN_STORAGE_OUT_OF_LINE;
    return true;
  }
  if (m->params.storage == GEN_STORAGE_PARAM_INLINE) {
    if (!has_len) inline_without_capacity(m, fd, false, "--c-ffi_opt=storage=inline");
    else if (!has_count) inline_without_capacity(m, fd, true, "--c-ffi_opt=storage=inline");
    return has_len && has_count;
  }
  if (!valid_storage(m, fd, last_bad)) return false;
  if (so->storage == 2) {
    /* A capacity at the level that says out-of-line contradicts it; a capacity more specific
     * than that level wins over it (the field's own capacity beats a message's storage). */
    bool len_here = need_len && so->length_level == so->storage_level;
    bool count_here = need_count && so->count_level == so->storage_level;
    if (len_here || count_here) {
      gen_error(&m->diag, field_loc(fd),
                "field %s is out-of-line (%s) and has a capacity from the same source (%s from %s); an "
                "out-of-line field has no capacity: drop one of the two",
                model_user_field(fd)->full_name, so->storage_source, capacity_key(fd, !len_here),
                len_here ? so->length_source : so->count_source);
      return false;
    }
    bool len_inner = !need_len || (so->length_level >= 0 && so->length_level < so->storage_level);
    bool count_inner = !need_count || (so->count_level >= 0 && so->count_level < so->storage_level);
    if (!(len_inner && count_inner)) fd->storage = GEN_STORAGE_OUT_OF_LINE;
    return true;
  }
  if (so->storage == 1) {
    const char *source = gen_strf(m->arena, "from %s", so->storage_source);
    if (!has_len) inline_without_capacity(m, fd, false, source);
    else if (!has_count) inline_without_capacity(m, fd, true, source);
    return has_len && has_count;
  }
  if (has_len && has_count) return true;
  if (m->params.require_capacity) {
    if (!has_len) options_report_missing_capacity(m, fd, false);
    if (!has_count) options_report_missing_capacity(m, fd, true);
    return false;
  }
  fd->storage = GEN_STORAGE_OUT_OF_LINE;
  return true;
}

/* ---- cycles --------------------------------------------------------------------------------- */

/* A field holding its message by value: the edges a cycle of inline storage runs along. */
static bool by_value(const gen_field *fd) {
  return fd->type->kind == GEN_KIND_MESSAGE && fd->msg && fd->storage == GEN_STORAGE_INLINE;
}

/* Whether `to` is reachable from `from` along by-value fields (cycles stay within a file). */
static bool reaches(const gen_model *m, flags *seen, gen_message *from, const gen_message *to) {
  if (from == to) return true;
  bool *f = flag(m, seen, from);
  if (*f) return false;
  *f = true;
  for (size_t i = 0; i < from->field_count; i++) {
    gen_field *fd = &from->fields[i];
    if (by_value(fd) && fd->msg->file == from->file && reaches(m, seen, fd->msg, to)) return true;
  }
  return false;
}

/* A by-value field closes a cycle when it refers to a message of its own cycle declared at or
 * before its own message in the file (itself included). Judged on the graph before any field
 * is moved out of line, so the result does not depend on the order of the walk; every cycle
 * has such a field, so none remains. A field explicitly stored inline keeps its class (layout
 * then reports the recursion), and so does every field under require_capacity. */
static void break_cycles(gen_model *m, gen_vec *msgs) {
  flags seen;
  flags_init(m, &seen);
  gen_vec closing = {0};
  for (size_t k = 0; k < msgs->len; k++) {
    gen_message *msg = msgs->items[k];
    for (size_t i = 0; i < msg->field_count; i++) {
      gen_field *fd = &msg->fields[i];
      if (!by_value(fd) || fd->msg->file != msg->file || fd->msg->index > msg->index) continue;
      flags_clear(m, &seen);
      if (reaches(m, &seen, fd->msg, msg)) gen_vec_push(&closing, fd);
    }
  }
  for (size_t i = 0; i < closing.len; i++) {
    gen_field *fd = closing.items[i];
    bool explicit_inline = fd->storage_opts.storage == 1 ||
                           (fd->repeated && m->params.storage == GEN_STORAGE_PARAM_INLINE);
    if (m->params.require_capacity || explicit_inline) continue;
    fd->storage = GEN_STORAGE_OUT_OF_LINE;
    fd->closes_cycle = true;
  }
  gen_vec_free(&closing);
  flags_free(m, &seen);
}

/* ---- the whole request ---------------------------------------------------------------------- */

bool storage_decide(gen_model *m) {
  size_t before = m->diag.error_count;
  flags seen;
  flags_init(m, &seen);
  gen_vec msgs = {0};
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    if (!f->to_generate) continue;
    for (size_t k = 0; k < f->message_count; k++) collect(m, &seen, &msgs, f->messages[k]);
  }
  flags_free(m, &seen);

  const char *last_bad = NULL;
  for (size_t k = 0; k < msgs.len; k++) {
    gen_message *msg = msgs.items[k];
    for (size_t i = 0; i < msg->field_count; i++) {
      gen_field *fd = &msg->fields[i];
      if (fd->type->kind == GEN_KIND_GROUP) continue;
      if (is_variable(fd)) {
        decide_variable(m, fd, &last_bad);
      } else if (fd->type->kind == GEN_KIND_MESSAGE && valid_storage(m, fd, &last_bad)) {
        fd->storage = fd->storage_opts.storage == 2 ? GEN_STORAGE_OUT_OF_LINE : GEN_STORAGE_INLINE;
      }
    }
  }
  if (m->diag.error_count == before) break_cycles(m, &msgs);

  /* Out-of-line fields keep no capacity (no macro, no limit in the codec). */
  for (size_t k = 0; k < msgs.len; k++) {
    gen_message *msg = msgs.items[k];
    for (size_t i = 0; i < msg->field_count; i++) {
      gen_field *fd = &msg->fields[i];
      if (fd->storage != GEN_STORAGE_OUT_OF_LINE) continue;
      fd->max_length = 0;
      fd->max_count = 0;
      msg->out_of_line = true;
    }
  }
  /* A tree is out-of-line when any message it refers to is: a fixpoint, since cycles (through
   * pointers) are allowed. */
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t k = 0; k < msgs.len; k++) {
      gen_message *msg = msgs.items[k];
      if (msg->out_of_line) continue;
      for (size_t i = 0; i < msg->field_count; i++) {
        gen_field *fd = &msg->fields[i];
        if (fd->type->kind == GEN_KIND_MESSAGE && fd->msg && fd->msg->out_of_line) {
          msg->out_of_line = true;
          changed = true;
          break;
        }
      }
    }
  }
  for (size_t k = 0; k < msgs.len; k++) {
    gen_message *msg = msgs.items[k];
    if (msg->out_of_line) msg->file->has_out_of_line = true;
  }
  gen_vec_free(&msgs);
  return m->diag.error_count == before;
}
