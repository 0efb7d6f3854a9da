/* protoc-gen-c-ffi: reads a CodeGeneratorRequest on stdin, writes a CodeGeneratorResponse on
 * stdout. Schema problems are reported in the response's error field (protoc prints them and
 * fails); the exit code is non-zero only for I/O failures or an unreadable request.
 *
 *   stdin -> request -> model (names, options) -> layout -> name checks -> backends -> response
 *   -> stdout
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "layout.h"
#include "model.h"
#include "proto2ffi/wire.h"
#include "templates.h"
#include "names.h"

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

/* ---- the response, written as the files are generated ---------------------------------
 * A CodeGeneratorResponse is written field by field, in field-number order as protobuf-c
 * packs it: `error` (field 1, string) when generation failed, `supported_features` (2,
 * varint), then one `file` (15) per output, each holding `name` (1) and `content` (15). Each
 * file goes out as soon as it is generated, so every output and a packed copy of the whole
 * response are never in memory at once. */

enum { FIELD_ERROR = 1, FIELD_FEATURES = 2, FIELD_FILE = 15, FILE_NAME = 1, FILE_CONTENT = 15 };

static void put_varint(FILE *fp, uint64_t v) {
  uint8_t b[P2F_WIRE_MAX_VARINT_SIZE];
  uint8_t *p = b;
  (void)p2f_wire_write_varint(&p, b + sizeof b, v);
  fwrite(b, 1, (size_t)(p - b), fp);
}

static void put_tag(FILE *fp, uint32_t field, int wire_type) {
  put_varint(fp, (uint64_t)field << 3 | (uint64_t)(unsigned)wire_type);
}

/* Tag, length and bytes of a length-delimited field. */
static void put_bytes(FILE *fp, uint32_t field, const char *data, size_t len) {
  put_tag(fp, field, P2F_WIRE_LEN);
  put_varint(fp, len);
  fwrite(data, 1, len, fp);
}

static size_t bytes_field_size(uint32_t field, size_t len) {
  return p2f_wire_varint_size((uint64_t)field << 3) + p2f_wire_varint_size(len) + len;
}

static void write_features(FILE *fp) {
  put_tag(fp, FIELD_FEATURES, P2F_WIRE_VARINT);
  put_varint(fp, (uint64_t)GOOGLE__PROTOBUF__COMPILER__CODE_GENERATOR_RESPONSE__FEATURE__FEATURE_PROTO3_OPTIONAL);
}

static void write_file_entry(void *ctx, const char *name, const char *content, size_t len) {
  FILE *fp = ctx;
  size_t name_len = strlen(name);
  put_tag(fp, FIELD_FILE, P2F_WIRE_LEN);
  put_varint(fp, bytes_field_size(FILE_NAME, name_len) + bytes_field_size(FILE_CONTENT, len));
  put_bytes(fp, FILE_NAME, name, name_len);
  put_bytes(fp, FILE_CONTENT, content, len);
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
  bool ok = model_build(&model, req) && layout_needed(&model) && names_check(&model);
  int rc = 0;
  if (ok) {
    /* Backends report no errors, so the response can start before they run. */
    write_features(stdout);
    out.sink = write_file_entry;
    out.sink_ctx = stdout;
    generate(&model, &out);
  } else {
    const char *error = model.diag.errors.data ? model.diag.errors.data : "protoc-gen-c-ffi: generation failed";
    put_bytes(stdout, FIELD_ERROR, error, strlen(error));
    write_features(stdout);
  }
  if (ferror(stdout) || fflush(stdout) != 0) {
    fputs("protoc-gen-c-ffi: cannot write the response to stdout\n", stderr);
    rc = 1;
  }
  gen_outputs_free(&out);
  model_free(&model);
  gen_templates_free();
  gen_arena_free(req_arena); /* the request */
  return rc;
}
