/* Error collection and warning output (see diag.h). */
#include "diag.h"

#include <stdio.h>

static void format_loc(gen_buf *b, gen_loc loc) {
  gen_buf_puts(b, loc.file ? loc.file : "protoc-gen-c-ffi");
  if (loc.line > 0) gen_buf_printf(b, ":%d:%d", loc.line, loc.col);
  gen_buf_puts(b, ": ");
}

void gen_error(gen_diag *d, gen_loc loc, const char *fmt, ...) {
  if (d->errors.len > 0) gen_buf_putc(&d->errors, '\n');
  format_loc(&d->errors, loc);
  gen_buf_puts(&d->errors, "error: ");
  va_list ap;
  va_start(ap, fmt);
  char tmp[2048];
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  gen_buf_puts(&d->errors, tmp);
  d->error_count++;
}

void gen_warning(gen_diag *d, gen_loc loc, const char *fmt, ...) {
  gen_buf line = {0};
  format_loc(&line, loc);
  gen_buf_puts(&line, "warning: ");
  va_list ap;
  va_start(ap, fmt);
  char tmp[2048];
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  gen_buf_puts(&line, tmp);
  fprintf(stderr, "%s\n", line.data);
  gen_buf_free(&line);
  d->warning_count++;
}

void gen_diag_free(gen_diag *d) { gen_buf_free(&d->errors); }
