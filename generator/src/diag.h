/* Diagnostics: schema errors go into CodeGeneratorResponse.error as
 * "file.proto:LINE:COL: error: message" (protoc prints them and fails); warnings go to
 * stderr right away in the same form with "warning:". Line and column are 1-based and come
 * from the SourceCodeInfo protoc sends; without one the position is left out.
 */
#ifndef P2F_GEN_DIAG_H_
#define P2F_GEN_DIAG_H_

#include "buf.h"

typedef struct gen_loc {
  const char *file;
  int line;
  int col;
} gen_loc;

typedef struct gen_diag {
  gen_buf errors;
  size_t error_count;
  size_t warning_count;
} gen_diag;

#if defined(__GNUC__)
#define GEN_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define GEN_PRINTF(a, b)
#endif

void gen_error(gen_diag *d, gen_loc loc, const char *fmt, ...) GEN_PRINTF(3, 4);
void gen_warning(gen_diag *d, gen_loc loc, const char *fmt, ...) GEN_PRINTF(3, 4);
void gen_diag_free(gen_diag *d);

#endif /* P2F_GEN_DIAG_H_ */
