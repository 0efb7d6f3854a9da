/* The embedded templates (templates/ *.tmpl, embedded at build time by
 * cmake/EmbedTemplates.cmake), split into sections and each section into segments once, on
 * the first lookup. A template file is a sequence of "@@ name" lines, each followed by its
 * section's text; lines before the first marker are comments and are dropped.
 *
 * The registry is process-global and not thread-safe (the plugin is single-threaded);
 * gen_templates_free releases it, and a later lookup parses the templates again.
 */
#ifndef P2F_GEN_TEMPLATES_H_
#define P2F_GEN_TEMPLATES_H_

#include <stddef.h>

/* A run of literal text followed by a $key$ placeholder (key NULL for none; "$$" is the
 * literal run "$"). */
typedef struct gen_segment {
  const char *lit;
  size_t lit_len;
  const char *key;
  size_t key_len;
  size_t hint; /* the printer's: where the key was found in the last call's values */
} gen_segment;

typedef struct gen_section {
  const char *file;
  char *name;
  char *text;
  gen_segment *segs;
  size_t seg_count;
} gen_section;

/* Section `section` of template file `file` ("c_header", "prologue"). A missing section is
 * a bug in the generator: prints and aborts. The section lives until gen_templates_free. */
gen_section *gen_template_section(const char *file, const char *section);
void gen_templates_free(void);

/* One template file as embedded by cmake/EmbedTemplates.cmake (templates_data.c). */
typedef struct gen_embedded_template {
  const char *name; /* file name without extension: "c_header" */
  const unsigned char *data;
  size_t size;
} gen_embedded_template;

extern const gen_embedded_template p2f_embedded_templates[];
extern const size_t p2f_embedded_template_count;

#endif /* P2F_GEN_TEMPLATES_H_ */
