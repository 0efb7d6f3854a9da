/* $var$ printer with automatic indentation (see printer.h). */
#include "printer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "templates.h"

void gen_printer_init(gen_printer *p) {
  memset(p, 0, sizeof *p);
  p->line_start = true;
}

static inline void put(gen_buf *b, const char *s, size_t n) {
  if (b->len + n < b->cap) {
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
  } else {
    gen_buf_append(b, s, n);
  }
}

/* Appends s[0..n), indenting every line that starts with something other than '\n'. */
static void emit(gen_printer *p, const char *s, size_t n) {
  static const char spaces[] = "                                                                ";
  if (n == 0) return;
  if (p->indent == 0) { /* nothing to insert: one copy */
    put(&p->out, s, n);
    p->line_start = s[n - 1] == '\n';
    return;
  }
  while (n > 0) {
    if (p->line_start && s[0] != '\n') {
      for (int k = p->indent * 2; k > 0; k -= (int)(sizeof spaces - 1)) {
        put(&p->out, spaces, (size_t)(k < (int)(sizeof spaces - 1) ? k : (int)(sizeof spaces - 1)));
      }
    }
    const char *nl = memchr(s, '\n', n);
    size_t run = nl ? (size_t)(nl - s) + 1 : n;
    put(&p->out, s, run);
    p->line_start = nl != NULL;
    s += run;
    n -= run;
  }
}

/* The key/value pairs of one print call, read from the va_list once. */
enum { MAX_VARS = 48 };
typedef struct vars {
  const char *key[MAX_VARS];
  const char *value[MAX_VARS];
  size_t n;
} vars;

static void collect(vars *v, va_list ap) {
  va_list args;
  va_copy(args, ap);
  v->n = 0;
  for (;;) {
    const char *k = va_arg(args, const char *);
    if (k == NULL) break;
    const char *val = va_arg(args, const char *);
    if (v->n == MAX_VARS) {
      fprintf(stderr, "protoc-gen-c-ffi: internal error: more than %d template values\n", MAX_VARS);
      abort();
    }
    v->key[v->n] = k;
    v->value[v->n] = val;
    v->n++;
  }
  va_end(args);
}

static bool key_is(const char *k, const char *key, size_t key_len) {
  size_t j = 0;
  while (j < key_len && k[j] == key[j]) j++;
  return j == key_len && k[j] == '\0';
}

/* *hint: where the key was found last time (callers of one section pass their values in the
 * same order), tried first. */
static const char *lookup_hinted(const vars *v, const char *key, size_t key_len, size_t *hint) {
  if (*hint < v->n && key_is(v->key[*hint], key, key_len)) return v->value[*hint];
  for (size_t i = 0; i < v->n; i++) {
    if (key_is(v->key[i], key, key_len)) {
      *hint = i;
      return v->value[i];
    }
  }
  return NULL;
}

static const char *lookup(const vars *v, const char *key, size_t key_len) {
  size_t hint = 0;
  return lookup_hinted(v, key, key_len, &hint);
}

void gen_vprint(gen_printer *p, const char *tmpl, va_list ap) {
  vars v;
  collect(&v, ap);
  const char *s = tmpl;
  while (*s != '\0') {
    const char *dollar = strchr(s, '$');
    if (dollar == NULL) {
      emit(p, s, strlen(s));
      return;
    }
    emit(p, s, (size_t)(dollar - s));
    const char *end = strchr(dollar + 1, '$');
    if (end == NULL) {
      fprintf(stderr, "protoc-gen-c-ffi: internal error: unterminated $ in template: %s\n", tmpl);
      abort();
    }
    size_t key_len = (size_t)(end - dollar - 1);
    if (key_len == 0) {
      emit(p, "$", 1);
    } else {
      const char *value = lookup(&v, dollar + 1, key_len);
      if (value == NULL) {
        fprintf(stderr, "protoc-gen-c-ffi: internal error: no value for $%.*s$ in template\n",
                (int)key_len, dollar + 1);
        abort();
      }
      emit(p, value, strlen(value));
    }
    s = end + 1;
  }
}

void gen_print(gen_printer *p, const char *tmpl, ...) {
  va_list ap;
  va_start(ap, tmpl);
  gen_vprint(p, tmpl, ap);
  va_end(ap);
}

void gen_print_tmpl(gen_printer *p, const char *file, const char *section, ...) {
  gen_section *sec = gen_template_section(file, section);
  vars v;
  va_list ap;
  va_start(ap, section);
  collect(&v, ap);
  va_end(ap);
  for (size_t i = 0; i < sec->seg_count; i++) {
    gen_segment *g = &sec->segs[i];
    emit(p, g->lit, g->lit_len);
    if (g->key == NULL) continue;
    const char *value = lookup_hinted(&v, g->key, g->key_len, &g->hint);
    if (value == NULL) {
      fprintf(stderr, "protoc-gen-c-ffi: internal error: no value for $%.*s$ in template %s/%s\n", (int)g->key_len,
              g->key, file, section);
      abort();
    }
    emit(p, value, strlen(value));
  }
}

void gen_indent(gen_printer *p) { p->indent++; }
void gen_outdent(gen_printer *p) {
  if (p->indent > 0) p->indent--;
}

char *gen_printer_take(gen_printer *p, size_t *len) {
  if (p->out.data == NULL) gen_buf_puts(&p->out, "");
  if (len != NULL) *len = p->out.len;
  char *s = gen_buf_take(&p->out);
  gen_printer_init(p);
  return s;
}
