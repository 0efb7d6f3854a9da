/* The code printer every backend writes through.
 *
 * Text comes from templates (templates/ *.tmpl, embedded at build time, split into sections
 * by lines of the form "@@ name") or from short literals, with $var$ placeholders filled from
 * NULL-terminated key/value string pairs:
 *
 *   gen_print(p, "size_t $fn$(void) { return sizeof($type$); }\n",
 *             "fn", m->fn_size, "type", m->c_name, NULL);
 *
 * "$$" prints a single '$'. Indentation is automatic: every line started while the printer
 * is indented gets the current indent (two spaces a level), including lines inside
 * substituted values. An unknown placeholder is a bug in the generator and aborts.
 */
#ifndef P2F_GEN_PRINTER_H_
#define P2F_GEN_PRINTER_H_

#include "util.h"

typedef struct gen_printer {
  gen_buf out;
  int indent;
  bool line_start;
} gen_printer;

#if defined(__GNUC__)
#define GEN_SENTINEL __attribute__((sentinel))
#else
#define GEN_SENTINEL
#endif

void gen_printer_init(gen_printer *p);
void gen_print(gen_printer *p, const char *tmpl, ...) GEN_SENTINEL;
void gen_vprint(gen_printer *p, const char *tmpl, va_list ap);
/* Prints section `section` of template file `file` (e.g. "c_header", "prologue"). Both names
 * must be strings that never change for the life of the process (string literals): lookups
 * are cached by their addresses. */
void gen_print_tmpl(gen_printer *p, const char *file, const char *section, ...) GEN_SENTINEL;
void gen_indent(gen_printer *p);
void gen_outdent(gen_printer *p);
/* Takes the printed text; the printer is reset. The caller frees the result. */
char *gen_printer_take(gen_printer *p, size_t *len);

/* Template sections, parsed once from the embedded templates. Aborts when missing. */
const char *gen_template(const char *file, const char *section);
void gen_templates_free(void);

/* One template file as embedded by cmake/EmbedTemplates.cmake (templates_data.c). */
typedef struct gen_embedded_template {
  const char *name; /* file name without extension: "c_header" */
  const unsigned char *data;
  size_t size;
} gen_embedded_template;

extern const gen_embedded_template p2f_embedded_templates[];
extern const size_t p2f_embedded_template_count;

#endif /* P2F_GEN_PRINTER_H_ */
