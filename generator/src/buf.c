/* Growable byte strings and pointer vectors (see buf.h). */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "bigblock.h"

static void gen_buf_reserve(gen_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  if (cap < GEN_BIGBLOCK_MIN) {
    b->data = gen_xrealloc(b->data, cap);
  } else { /* an output file: move to a big block */
    size_t mapped = 0;
    char *data = gen_bigblock_alloc(&cap, &mapped);
    if (data == NULL) gen_oom();
    if (b->len) memcpy(data, b->data, b->len + 1);
    if (b->mapped) gen_bigblock_free(b->data, b->mapped);
    else free(b->data);
    b->data = data;
    b->mapped = mapped;
  }
  b->cap = cap;
}

void gen_buf_append(gen_buf *b, const char *s, size_t n) {
  gen_buf_reserve(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void gen_buf_puts(gen_buf *b, const char *s) { gen_buf_append(b, s, strlen(s)); }
void gen_buf_putc(gen_buf *b, char c) { gen_buf_append(b, &c, 1); }

/* Formats straight into the buffer; only output longer than the room reserved up front
 * is formatted a second time. */
void gen_buf_printf(gen_buf *b, const char *fmt, ...) {
  gen_buf_reserve(b, 128);
  size_t room = b->cap - b->len;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(b->data + b->len, room, fmt, ap);
  va_end(ap);
  if (n < 0) gen_oom();
  if ((size_t)n >= room) {
    gen_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  b->len += (size_t)n;
}

void gen_buf_free(gen_buf *b) {
  if (b->mapped) gen_bigblock_free(b->data, b->mapped);
  else free(b->data);
  b->data = NULL;
  b->len = b->cap = b->mapped = 0;
}

char *gen_buf_take(gen_buf *b) {
  char *s = b->data;
  if (b->mapped) { /* hand out a malloc block: the caller frees it with free() */
    s = gen_xmalloc(b->len + 1);
    memcpy(s, b->data, b->len + 1);
    gen_bigblock_free(b->data, b->mapped);
  }
  b->data = NULL;
  b->len = b->cap = b->mapped = 0;
  return s;
}

void gen_vec_push(gen_vec *v, void *item) {
  if (v->len == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    v->items = gen_xrealloc(v->items, v->cap * sizeof *v->items);
  }
  v->items[v->len++] = item;
}

void gen_vec_free(gen_vec *v) {
  free(v->items);
  v->items = NULL;
  v->len = v->cap = 0;
}
