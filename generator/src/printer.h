/* The code printer every backend writes through.
 *
 * Text comes from template sections (templates.h) or from short literals, with $var$
 * placeholders filled from NULL-terminated key/value string pairs:
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

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

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
/* Prints section `section` of template file `file` (e.g. "c_header", "prologue"; see
 * templates.h). */
void gen_print_tmpl(gen_printer *p, const char *file, const char *section, ...) GEN_SENTINEL;
void gen_indent(gen_printer *p);
void gen_outdent(gen_printer *p);
/* Takes the printed text; the printer is reset. The caller frees the result. */
char *gen_printer_take(gen_printer *p, size_t *len);

#endif /* P2F_GEN_PRINTER_H_ */
