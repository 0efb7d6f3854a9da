/* Backends: each turns one file of the model into one output file. They read the model
 * only; names, sizes and offsets all come from it. */
#ifndef P2F_GEN_BACKEND_H_
#define P2F_GEN_BACKEND_H_

#include "model.h"
#include "proto2ffi/port.h"
#include "printer.h"

typedef struct gen_output {
  char *name; /* path under the output directory */
  char *content;
  size_t len;
} gen_output;

typedef struct gen_outputs {
  gen_output *items;
  size_t len, cap;
  /* When set, each output is handed to sink as soon as it is complete and then released
   * instead of being kept in items (the plugin streams its response this way). */
  void (*sink)(void *ctx, const char *name, const char *content, size_t len);
  void *sink_ctx;
} gen_outputs;

/* Takes the printer's text as the content of a new output named `name`. */
void gen_outputs_add(gen_outputs *o, const char *name, gen_printer *p);
void gen_outputs_free(gen_outputs *o);

void emit_c_header(const gen_model *m, const gen_file *f, gen_outputs *out);
void emit_c_source(const gen_model *m, const gen_file *f, gen_outputs *out);
void emit_json(const gen_model *m, const gen_file *f, gen_outputs *out);
void emit_report(const gen_model *m, const gen_file *f, gen_outputs *out);
/* x.ffi.dart: dart:ffi structs, enums, accessors (emit_dart.c) and bindings (emit_dart_api.c). */
void emit_dart(const gen_model *m, const gen_file *f, gen_outputs *out);

/* The batch kernels of a message with the batch option (emit_batch.c, templates/batch.tmpl):
 * the include of proto2ffi/batch.h when a message of f has them, their prototypes after the
 * message's, their definitions, and the Dart class binding them. Nothing without the option. */
void emit_batch_include(gen_printer *p, const gen_file *f);
void emit_batch_header(gen_printer *p, gen_arena *a, const gen_message *msg);
void emit_batch_source(gen_printer *p, gen_arena *a, const gen_message *msg);
void emit_batch_dart(gen_printer *p, gen_arena *a, const gen_file *f);

/* C spelling of a member's element type ("uint32_t", "social_Sub") and array suffix
 * ("", "[8]", "[8][33]"). */
const char *backend_c_type(const gen_member *mb);
const char *backend_c_dims(gen_arena *a, const gen_member *mb);
/* A C literal of type int for v: INT32_MIN, which has none, as an expression. */
const char *backend_c_int32(gen_arena *a, int32_t v);

/* The generator and the runtime are versioned together. */
#define P2F_GENERATOR_VERSION P2F_VERSION_STRING

#endif /* P2F_GEN_BACKEND_H_ */
