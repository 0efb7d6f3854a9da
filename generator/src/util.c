/* Arena, strings and vectors for the generator (see util.h). */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct gen_arena_block {
  struct gen_arena_block *next;
  size_t used;
  size_t cap;
  _Alignas(16) unsigned char data[];
} gen_arena_block;

struct gen_arena {
  gen_arena_block *head;
};

_Noreturn void gen_oom(void) {
  fputs("protoc-gen-c-ffi: out of memory\n", stderr);
  exit(1);
}

void *gen_xmalloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (p == NULL) gen_oom();
  return p;
}

void *gen_xrealloc(void *p, size_t size) {
  void *q = realloc(p, size ? size : 1);
  if (q == NULL) gen_oom();
  return q;
}

gen_arena *gen_arena_new(void) {
  gen_arena *a = gen_xmalloc(sizeof *a);
  a->head = NULL;
  return a;
}

void gen_arena_free(gen_arena *a) {
  if (a == NULL) return;
  gen_arena_block *b = a->head;
  while (b != NULL) {
    gen_arena_block *next = b->next;
    free(b);
    b = next;
  }
  free(a);
}

void *gen_alloc(gen_arena *a, size_t size) {
  size = (size + 15u) & ~(size_t)15u;
  gen_arena_block *b = a->head;
  if (b == NULL || b->cap - b->used < size) {
    size_t cap = size > 65536u ? size : 65536u;
    b = gen_xmalloc(sizeof *b + cap);
    b->cap = cap;
    b->used = 0;
    b->next = a->head;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += size;
  memset(p, 0, size);
  return p;
}

char *gen_strndup(gen_arena *a, const char *s, size_t n) {
  char *p = gen_alloc(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *gen_strdup(gen_arena *a, const char *s) { return gen_strndup(a, s, strlen(s)); }

char *gen_strcat3(gen_arena *a, const char *x, const char *y, const char *z) {
  size_t lx = strlen(x), ly = strlen(y), lz = strlen(z);
  char *p = gen_alloc(a, lx + ly + lz + 1);
  memcpy(p, x, lx);
  memcpy(p + lx, y, ly);
  memcpy(p + lx + ly, z, lz);
  p[lx + ly + lz] = '\0';
  return p;
}

/* Formats into a stack buffer first: most strings fit, so vsnprintf runs once. */
char *gen_strf(gen_arena *a, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) gen_oom();
  if ((size_t)n < sizeof small) return gen_strndup(a, small, (size_t)n);
  char *p = gen_alloc(a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

/* Decimal digits of v, written backwards ending at end; returns the first digit. */
static char *u64_digits(char *end, uint64_t v) {
  do {
    *--end = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0);
  return end;
}

char *gen_u64(gen_arena *a, uint64_t v) {
  char tmp[24];
  char *first = u64_digits(tmp + sizeof tmp, v);
  return gen_strndup(a, first, (size_t)(tmp + sizeof tmp - first));
}

char *gen_i64(gen_arena *a, int64_t v) {
  char tmp[24];
  uint64_t mag = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
  char *first = u64_digits(tmp + sizeof tmp, mag);
  if (v < 0) *--first = '-';
  return gen_strndup(a, first, (size_t)(tmp + sizeof tmp - first));
}

static void gen_buf_reserve(gen_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  b->data = gen_xrealloc(b->data, cap);
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
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
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

bool gen_glob_match(const char *pattern, const char *text) {
  const char *star = NULL;
  const char *resume = NULL;
  while (*text != '\0') {
    if (*pattern == '*') {
      star = pattern++;
      resume = text;
    } else if (*pattern == '?' || *pattern == *text) {
      pattern++;
      text++;
    } else if (star != NULL) {
      pattern = star + 1;
      text = ++resume;
    } else {
      return false;
    }
  }
  while (*pattern == '*') pattern++;
  return *pattern == '\0';
}
