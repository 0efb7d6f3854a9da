/* $var$ printer with automatic indentation, and the embedded template sections. */
#include "printer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* A template section split once into runs of literal text, each followed by a placeholder
 * (key NULL for none; "$$" is the literal run "$"). */
typedef struct gen_segment {
  const char *lit;
  size_t lit_len;
  const char *key;
  size_t key_len;
  size_t hint; /* see lookup_hinted */
} gen_segment;

typedef struct gen_section {
  const char *file;
  char *name;
  char *text;
  gen_segment *segs;
  size_t seg_count;
} gen_section;

static gen_section *find_section(const char *file, const char *section);

void gen_print_tmpl(gen_printer *p, const char *file, const char *section, ...) {
  gen_section *sec = find_section(file, section);
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

/* ---- embedded templates ------------------------------------------------------------- */

static gen_section *sections;
static size_t section_count;
/* Open addressing over (file, section) names: indexes into sections, -1 when empty. */
static int *section_index;
static size_t section_index_mask;

static size_t hash_names(const char *file, const char *section) {
  size_t h = 2166136261u;
  for (const char *c = file; *c != '\0'; c++) h = (h ^ (unsigned char)*c) * 16777619u;
  h = (h ^ '/') * 16777619u;
  for (const char *c = section; *c != '\0'; c++) h = (h ^ (unsigned char)*c) * 16777619u;
  return h;
}

static void add_section(const char *file, const char *name, size_t name_len, const char *text,
                        size_t text_len) {
  sections = gen_xrealloc(sections, (section_count + 1) * sizeof *sections);
  gen_section *s = &sections[section_count++];
  s->file = file;
  s->name = gen_xmalloc(name_len + 1);
  memcpy(s->name, name, name_len);
  s->name[name_len] = '\0';
  s->text = gen_xmalloc(text_len + 1);
  memcpy(s->text, text, text_len);
  s->text[text_len] = '\0';
  /* At most one segment per '$' pair, plus the trailing literal. */
  size_t dollars = 0;
  for (size_t i = 0; i < text_len; i++) dollars += text[i] == '$';
  s->segs = gen_xmalloc((dollars / 2 + 1) * sizeof *s->segs);
  s->seg_count = 0;
  const char *c = s->text;
  for (;;) {
    gen_segment *g = &s->segs[s->seg_count++];
    const char *dollar = strchr(c, '$');
    g->lit = c;
    g->lit_len = dollar ? (size_t)(dollar - c) : strlen(c);
    g->key = NULL;
    g->key_len = 0;
    g->hint = 0;
    if (dollar == NULL) break;
    const char *end = strchr(dollar + 1, '$');
    if (end == NULL) {
      fprintf(stderr, "protoc-gen-c-ffi: internal error: unterminated $ in template %s/%s\n", file, s->name);
      abort();
    }
    if (end == dollar + 1) { /* "$$": a literal '$' */
      g = &s->segs[s->seg_count++];
      g->lit = dollar;
      g->lit_len = 1;
      g->key = NULL;
      g->key_len = 0;
      g->hint = 0;
    } else {
      g->key = dollar + 1;
      g->key_len = (size_t)(end - dollar - 1);
    }
    c = end + 1;
  }
}

/* A file is a sequence of "@@ name\n" lines, each followed by its section's text. Lines
 * before the first marker are comments about the template and are dropped. */
static void parse_templates(void) {
  for (size_t i = 0; i < p2f_embedded_template_count; i++) {
    const gen_embedded_template *t = &p2f_embedded_templates[i];
    const char *s = (const char *)t->data;
    const char *end = s + t->size;
    const char *name = NULL;
    size_t name_len = 0;
    const char *body = NULL;
    while (s < end) {
      const char *nl = memchr(s, '\n', (size_t)(end - s));
      const char *line_end = nl ? nl + 1 : end;
      if (line_end - s >= 3 && s[0] == '@' && s[1] == '@' && s[2] == ' ') {
        if (name != NULL) add_section(t->name, name, name_len, body, (size_t)(s - body));
        name = s + 3;
        name_len = (size_t)((nl ? nl : end) - name);
        body = line_end;
      }
      s = line_end;
    }
    if (name != NULL) add_section(t->name, name, name_len, body, (size_t)(end - body));
  }
  size_t slots = 16;
  while (slots < section_count * 2) slots *= 2;
  section_index = gen_xmalloc(slots * sizeof *section_index);
  for (size_t i = 0; i < slots; i++) section_index[i] = -1;
  section_index_mask = slots - 1;
  for (size_t i = 0; i < section_count; i++) {
    size_t h = hash_names(sections[i].file, sections[i].name) & section_index_mask;
    while (section_index[h] >= 0) h = (h + 1) & section_index_mask;
    section_index[h] = (int)i;
  }
}

/* The backends name sections with string literals, so most lookups are answered by a small
 * cache keyed by the two pointers before any string is hashed or compared. */
typedef struct section_cache_entry {
  const char *file, *section;
  gen_section *sec;
} section_cache_entry;
static section_cache_entry section_cache[256];

static gen_section *find_section(const char *file, const char *section) {
  size_t slot = (((uintptr_t)file >> 3) ^ ((uintptr_t)section >> 3) * 31u) & 255u;
  section_cache_entry *e = &section_cache[slot];
  if (e->file == file && e->section == section && e->sec != NULL) return e->sec;
  if (section_index == NULL) parse_templates();
  for (size_t h = hash_names(file, section) & section_index_mask; section_index[h] >= 0;
       h = (h + 1) & section_index_mask) {
    gen_section *sec = &sections[section_index[h]];
    if (strcmp(sec->name, section) == 0 && strcmp(sec->file, file) == 0) {
      e->file = file;
      e->section = section;
      e->sec = sec;
      return sec;
    }
  }
  fprintf(stderr, "protoc-gen-c-ffi: internal error: no template section %s/%s\n", file, section);
  abort();
}

const char *gen_template(const char *file, const char *section) {
  if (section_index == NULL) parse_templates();
  for (size_t h = hash_names(file, section) & section_index_mask; section_index[h] >= 0;
       h = (h + 1) & section_index_mask) {
    const gen_section *sec = &sections[section_index[h]];
    if (strcmp(sec->name, section) == 0 && strcmp(sec->file, file) == 0) return sec->text;
  }
  fprintf(stderr, "protoc-gen-c-ffi: internal error: no template section %s/%s\n", file, section);
  abort();
}

void gen_templates_free(void) {
  for (size_t i = 0; i < section_count; i++) {
    free(sections[i].name);
    free(sections[i].text);
    free(sections[i].segs);
  }
  memset(section_cache, 0, sizeof section_cache);
  free(sections);
  free(section_index);
  sections = NULL;
  section_index = NULL;
  section_count = 0;
}
