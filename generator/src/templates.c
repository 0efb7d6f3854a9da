/* The embedded template sections (see templates.h). */
#include "templates.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

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
  /* At most two segments per '$' pair ("$$" is a literal run of its own after the text before
   * it), plus the trailing literal. */
  size_t dollars = 0;
  for (size_t i = 0; i < text_len; i++) dollars += text[i] == '$';
  s->segs = gen_xmalloc((dollars + 1) * sizeof *s->segs);
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

gen_section *gen_template_section(const char *file, const char *section) {
  if (section_index == NULL) parse_templates();
  for (size_t h = hash_names(file, section) & section_index_mask; section_index[h] >= 0;
       h = (h + 1) & section_index_mask) {
    gen_section *sec = &sections[section_index[h]];
    if (strcmp(sec->name, section) == 0 && strcmp(sec->file, file) == 0) return sec;
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
  free(sections);
  free(section_index);
  sections = NULL;
  section_index = NULL;
  section_count = 0;
}
