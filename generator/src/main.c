/* protoc-gen-c-ffi: reads a CodeGeneratorRequest on stdin, writes a CodeGeneratorResponse on
 * stdout. Schema problems are reported in the response's error field (protoc prints them and
 * fails); the exit code is non-zero only for I/O failures or an unreadable request.
 *
 *   stdin -> request -> model (names, options) -> layout -> backends -> response -> stdout
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "layout.h"
#include "model.h"

#if defined(_WIN32)
#include <fcntl.h>
#include <io.h>
#endif

static uint8_t *read_all(FILE *fp, size_t *len) {
  size_t cap = 1 << 16, n = 0;
  uint8_t *buf = gen_xmalloc(cap);
  for (;;) {
    if (n == cap) buf = gen_xrealloc(buf, cap *= 2);
    size_t got = fread(buf + n, 1, cap - n, fp);
    if (got == 0) break;
    n += got;
  }
  if (ferror(fp)) {
    free(buf);
    return NULL;
  }
  *len = n;
  return buf;
}

/* protobuf-c allocates the unpacked request from an arena: one bump per message, string and
 * array instead of a malloc each, and one release of a few blocks instead of a walk over the
 * whole tree at exit. */
static void *request_alloc(void *arena, size_t size) { return gen_alloc(arena, size); }
static void request_free(void *arena, void *p) {
  (void)arena;
  (void)p;
}

static void generate(gen_model *m, gen_outputs *out) {
  for (size_t i = 0; i < m->file_count; i++) {
    const gen_file *f = m->files[i];
    if (!f->to_generate) continue;
    if (m->params.dart != GEN_DART_ONLY) {
      emit_c_header(m, f, out);
      emit_c_source(m, f, out);
      if (m->params.json) emit_json(m, f, out);
      if (m->params.report) emit_report(m, f, out);
    }
    if (m->params.dart != GEN_DART_OFF) emit_dart(m, f, out);
  }
}

int main(int argc, char **argv) {
  if (argc > 1 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-v") == 0)) {
    printf("protoc-gen-c-ffi %s\n", P2F_GENERATOR_VERSION);
    return 0;
  }
  if (argc > 1) {
    fprintf(stderr,
            "protoc-gen-c-ffi %s: a protoc plugin; run it through protoc:\n"
            "  protoc --plugin=protoc-gen-c-ffi=PATH --c-ffi_out=OUT_DIR file.proto\n",
            P2F_GENERATOR_VERSION);
    return 2;
  }
#if defined(_WIN32)
  _setmode(_fileno(stdin), _O_BINARY);
  _setmode(_fileno(stdout), _O_BINARY);
#endif
  size_t len = 0;
  uint8_t *input = read_all(stdin, &len);
  if (input == NULL) {
    fputs("protoc-gen-c-ffi: cannot read the request from stdin\n", stderr);
    return 1;
  }
  gen_arena *req_arena = gen_arena_new();
  ProtobufCAllocator req_alloc = {request_alloc, request_free, req_arena};
  Google__Protobuf__Compiler__CodeGeneratorRequest *req =
      google__protobuf__compiler__code_generator_request__unpack(&req_alloc, len, input);
  free(input);
  if (req == NULL) {
    fputs("protoc-gen-c-ffi: stdin is not a CodeGeneratorRequest (run the plugin through protoc)\n", stderr);
    gen_arena_free(req_arena);
    return 1;
  }

  gen_model model = {0};
  model.arena = gen_arena_new();
  gen_outputs out = {0};
  bool ok = model_build(&model, req) && layout_needed(&model);
  if (ok) generate(&model, &out);

  Google__Protobuf__Compiler__CodeGeneratorResponse resp = GOOGLE__PROTOBUF__COMPILER__CODE_GENERATOR_RESPONSE__INIT;
  resp.has_supported_features = 1;
  resp.supported_features = GOOGLE__PROTOBUF__COMPILER__CODE_GENERATOR_RESPONSE__FEATURE__FEATURE_PROTO3_OPTIONAL;
  Google__Protobuf__Compiler__CodeGeneratorResponse__File *files = NULL;
  Google__Protobuf__Compiler__CodeGeneratorResponse__File **file_ptrs = NULL;
  if (!ok) {
    resp.error = model.diag.errors.data ? model.diag.errors.data : "protoc-gen-c-ffi: generation failed";
  } else {
    files = gen_xmalloc((out.len + 1) * sizeof *files);
    file_ptrs = gen_xmalloc((out.len + 1) * sizeof *file_ptrs);
    for (size_t i = 0; i < out.len; i++) {
      google__protobuf__compiler__code_generator_response__file__init(&files[i]);
      files[i].name = out.items[i].name;
      files[i].content = out.items[i].content;
      file_ptrs[i] = &files[i];
    }
    resp.n_file = out.len;
    resp.file = file_ptrs;
  }

  size_t size = google__protobuf__compiler__code_generator_response__get_packed_size(&resp);
  uint8_t *packed = gen_xmalloc(size);
  google__protobuf__compiler__code_generator_response__pack(&resp, packed);
  int rc = 0;
  if (fwrite(packed, 1, size, stdout) != size || fflush(stdout) != 0) {
    fputs("protoc-gen-c-ffi: cannot write the response to stdout\n", stderr);
    rc = 1;
  }
  free(packed);
  free(files);
  free(file_ptrs);
  gen_outputs_free(&out);
  model_free(&model);
  gen_templates_free();
  gen_arena_free(req_arena); /* the request */
  return rc;
}
