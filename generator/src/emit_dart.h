/* Shared by the two halves of the Dart backend (emit_dart.c, emit_dart_api.c). */
#ifndef P2F_GEN_EMIT_DART_H_
#define P2F_GEN_EMIT_DART_H_

#include "backend.h"

/* "4: string content." */
const char *dart_field_doc(gen_arena *a, const gen_field *fd);
/* The bindings class, the @Native declarations and the layout check of f. */
void emit_dart_api(const gen_model *m, const gen_file *f, gen_printer *p);

#endif /* P2F_GEN_EMIT_DART_H_ */
