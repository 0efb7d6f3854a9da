/* Helpers shared by the backends (see backend.h). */
#include "backend.h"

#include <stdlib.h>
#include <string.h>

void gen_outputs_add(gen_outputs *o, const char *name, gen_printer *p) {
  if (o->sink != NULL) {
    o->sink(o->sink_ctx, name, p->out.data ? p->out.data : "", p->out.len);
    gen_buf_free(&p->out);
    gen_printer_init(p);
    return;
  }
  if (o->len == o->cap) {
    o->cap = o->cap ? o->cap * 2 : 8;
    o->items = gen_xrealloc(o->items, o->cap * sizeof *o->items);
  }
  gen_output *out = &o->items[o->len++];
  size_t n = strlen(name);
  out->name = gen_xmalloc(n + 1);
  memcpy(out->name, name, n + 1);
  out->content = gen_printer_take(p, &out->len);
}

void gen_outputs_free(gen_outputs *o) {
  for (size_t i = 0; i < o->len; i++) {
    free(o->items[i].name);
    free(o->items[i].content);
  }
  free(o->items);
  o->items = NULL;
  o->len = o->cap = 0;
}

static void visit(const gen_file *f, gen_message *msg, bool *seen, gen_message **order, size_t *n) {
  size_t idx = 0;
  while (f->messages[idx] != msg) idx++;
  if (seen[idx]) return;
  seen[idx] = true;
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_message *sub = msg->fields[i].msg;
    if (sub && sub->file == f && msg->fields[i].type->kind == GEN_KIND_MESSAGE) visit(f, sub, seen, order, n);
  }
  order[(*n)++] = msg;
}

gen_message **backend_definition_order(const gen_file *f) {
  gen_message **order = gen_xmalloc((f->message_count + 1) * sizeof *order);
  bool *seen = gen_xmalloc(f->message_count + 1);
  memset(seen, 0, f->message_count + 1);
  size_t n = 0;
  for (size_t i = 0; i < f->message_count; i++) visit(f, f->messages[i], seen, order, &n);
  free(seen);
  return order;
}

const gen_file **backend_included_files(const gen_model *m, const gen_file *f, size_t *n) {
  const gen_file **list = gen_xmalloc((m->file_count + 1) * sizeof *list);
  *n = 0;
  /* Request order is dependency order, so the includes come out in a stable order. */
  for (size_t i = 0; i < m->file_count; i++) {
    const gen_file *other = m->files[i];
    if (other == f) continue;
    bool used = false;
    for (size_t k = 0; k < f->message_count && !used; k++) {
      const gen_message *msg = f->messages[k];
      for (size_t j = 0; j < msg->field_count && !used; j++) {
        const gen_field *fd = &msg->fields[j];
        used = (fd->msg && fd->msg->file == other) || (fd->enm && fd->enm->file == other);
      }
    }
    if (used) list[(*n)++] = other;
  }
  return list;
}

const char *backend_c_type(const gen_member *mb) { return mb->scalar ? mb->scalar->c_type : mb->aggregate->c_name; }

const char *backend_c_dims(gen_arena *a, const gen_member *mb) {
  if (mb->ndims == 0) return "";
  if (mb->ndims == 1) return gen_strf(a, "[%llu]", (unsigned long long)mb->dims[0]);
  return gen_strf(a, "[%llu][%llu]", (unsigned long long)mb->dims[0], (unsigned long long)mb->dims[1]);
}
