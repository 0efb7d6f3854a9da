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

const char *backend_c_type(const gen_member *mb) { return mb->scalar ? mb->scalar->c_type : mb->aggregate->c_name; }

const char *backend_c_dims(gen_arena *a, const gen_member *mb) {
  if (mb->ndims == 0) return "";
  if (mb->ndims == 1) return gen_strf(a, "[%llu]", (unsigned long long)mb->dims[0]);
  return gen_strf(a, "[%llu][%llu]", (unsigned long long)mb->dims[0], (unsigned long long)mb->dims[1]);
}

const char *backend_c_int32(gen_arena *a, int32_t v) {
  if (v == INT32_MIN) return "(-2147483647 - 1)";
  return gen_i64(a, v);
}
