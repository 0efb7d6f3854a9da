/* Unit tests of the generator's pure functions, linked against its stages (p2f_generator):
 * name escaping and camel-casing (names.h), .options patterns (pattern.h), formatting
 * (format.h), the printer ($var$ substitution and indentation), and the .options parser and
 * capacity rules (through model_build on a request built here), and the codec tables the
 * layout stage derives (zero ranges, dispatch table, decoding routines).
 *
 * Expected values are written by hand from the documented rules: docs/generated-c-api.md
 * ("Keyword escaping"), docs/dart.md (the naming table), docs/options.md (".options files",
 * "The settings"), docs/layout.md and docs/codec.md ("Zero ranges", "Field dispatch"). Exit status 0 when every check passes; each failure is printed.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../support/check.h"
#include "fingerprint.h"
#include "layout.h"
#include "model.h"
#include "proto2ffi/codec.h"
#include "names.h"
#include "printer.h"
#include "templates.h"
#include "util.h"

#define CHECK_STR(got, want) check_str(__FILE__, __LINE__, #got, (got), (want))
static void check_str(const char *file, int line, const char *expr, const char *got, const char *want) {
  check_count++;
  if (got == NULL || strcmp(got, want) != 0) {
    check_failures++;
    fprintf(stderr, "%s:%d: %s is \"%s\", expected \"%s\"\n", file, line, expr, got ? got : "(null)", want);
  }
}

#define CHECK_U64(got, want) check_u64(__FILE__, __LINE__, #got, (got), (want))
static void check_u64(const char *file, int line, const char *expr, uint64_t got, uint64_t want) {
  check_count++;
  if (got != want) {
    check_failures++;
    fprintf(stderr, "%s:%d: %s is %" PRIu64 ", expected %" PRIu64 "\n", file, line, expr, got, want);
  }
}

/* ---- names.h ------------------------------------------------------------------------------ */

/* FNV-1a 64 against the published test vectors of the algorithm. */
static void test_fnv1a64(void) {
  CHECK(fingerprint_fnv1a64("", 0) == UINT64_C(0xcbf29ce484222325));
  CHECK(fingerprint_fnv1a64("a", 1) == UINT64_C(0xaf63dc4c8601ec8c));
  CHECK(fingerprint_fnv1a64("foobar", 6) == UINT64_C(0x85944171f73967e8));
}

static void test_names(void) {
  gen_arena *a = gen_arena_new();
  /* C and C++ keywords, standard macros, GNU macros (generated-c-api.md). */
  static const char *const reserved[] = {"int", "typedef", "extern", "inline", "class", "NULL", "errno",
                                         "assert", "offsetof", "EOF", "stdin", "linux", "unix"};
  for (size_t i = 0; i < sizeof reserved / sizeof reserved[0]; i++) {
    CHECK(names_is_reserved(reserved[i]));
    char want[32];
    snprintf(want, sizeof want, "%s_", reserved[i]);
    CHECK_STR(names_escape(a, reserved[i]), want);
  }
  /* Dart reserved words and Object members (dart.md). */
  CHECK_STR(names_escape(a, "switch"), "switch_");
  CHECK_STR(names_escape(a, "hashCode"), "hashCode_");
  CHECK_STR(names_escape(a, "toString"), "toString_");
  /* Ordinary names are left alone; matching is case-sensitive and whole-word. */
  static const char *const plain[] = {"content", "post_id", "Int", "integer", "int32", "Null", "linuxbox"};
  for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
    CHECK(!names_is_reserved(plain[i]));
    CHECK_STR(names_escape(a, plain[i]), plain[i]);
  }
  /* lowerCamelCase for Dart members (dart.md's table), escaped after conversion. */
  CHECK_STR(names_dart_member(a, "post_id"), "postId");
  CHECK_STR(names_dart_member(a, "has_x"), "hasX");
  CHECK_STR(names_dart_member(a, "which_payload"), "whichPayload");
  CHECK_STR(names_dart_member(a, "post_type_text"), "postTypeText");
  CHECK_STR(names_dart_member(a, "content"), "content");
  CHECK_STR(names_dart_member(a, "author_user_id"), "authorUserId");
  CHECK_STR(names_dart_member(a, "class"), "class_");
  CHECK_STR(names_dart_member(a, "switch"), "switch_");
  CHECK_STR(names_dart_member(a, "hash_code"), "hashCode_"); /* camel-cased into an Object member */
  gen_arena_free(a);
}

/* ---- pattern.h ------------------------------------------------------------------------------- */

static void test_glob(void) {
  /* Whole-name, case-sensitive; '*' any run including dots and the empty run; '?' one char
   * (options.md, "Patterns"). */
  CHECK(gen_glob_match("p2f.opts.Msg.a", "p2f.opts.Msg.a"));
  CHECK(!gen_glob_match("p2f.opts.Msg.a", "p2f.opts.Msg.ab"));
  CHECK(!gen_glob_match("p2f.opts.Msg.ab", "p2f.opts.Msg.a"));
  CHECK(!gen_glob_match("p2f.opts.msg.a", "p2f.opts.Msg.a"));
  CHECK(gen_glob_match("p2f.opts.Msg.*", "p2f.opts.Msg.a"));
  CHECK(gen_glob_match("p2f.opts.Msg.*", "p2f.opts.Msg.TagsEntry.key"));
  CHECK(gen_glob_match("p2f.opts.Msg.*", "p2f.opts.Msg."));
  CHECK(!gen_glob_match("p2f.opts.Msg.*", "p2f.opts.Msg"));
  CHECK(gen_glob_match("*opts.proto", "opts.proto"));
  CHECK(gen_glob_match("*opts.proto", "sub/dir/opts.proto"));
  CHECK(!gen_glob_match("*opts.proto", "opts.protos"));
  CHECK(gen_glob_match("*", ""));
  CHECK(gen_glob_match("*", "a.b.c"));
  CHECK(gen_glob_match("a*b*c", "a.x.b.y.c"));
  CHECK(gen_glob_match("a*b*c", "abc"));
  CHECK(!gen_glob_match("a*b*c", "a.x.c.b"));
  CHECK(gen_glob_match("a?c", "abc"));
  CHECK(gen_glob_match("a?c", "a.c"));
  CHECK(!gen_glob_match("a?c", "ac"));
  CHECK(!gen_glob_match("a?c", "abbc"));
  CHECK(gen_glob_match("??", "ab"));
  CHECK(!gen_glob_match("??", "a"));
  CHECK(gen_glob_match("", ""));
  CHECK(!gen_glob_match("", "a"));
  CHECK(gen_glob_match("*.a*a", "x.aba")); /* the first '*' must give back what it took */
}

/* ---- format.h --------------------------------------------------------------------------------- */

static void test_format(void) {
  gen_arena *a = gen_arena_new();
  CHECK_STR(gen_strf(a, "%s=%d", "x", -42), "x=-42");
  CHECK_STR(gen_strf(a, "%llu %lld %zu %u %c %%", 18446744073709551615ull, -9223372036854775807ll - 1,
                     (size_t)7, 4000000000u, 'q'),
            "18446744073709551615 -9223372036854775808 7 4000000000 q %");
  CHECK_STR(gen_strf(a, "[%5d|%-3s|%.1f]", 7, "ab", 2.25), "[    7|ab |2.2]"); /* vsnprintf path */
  CHECK_STR(gen_strf(a, "%s", ""), "");
  char big[600];
  memset(big, 'z', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  CHECK_STR(gen_strf(a, "%s", big), big); /* longer than the stack buffer */
  CHECK_STR(gen_u64(a, 0), "0");
  CHECK_STR(gen_u64(a, UINT64_MAX), "18446744073709551615");
  CHECK_STR(gen_i64(a, INT64_MIN), "-9223372036854775808");
  CHECK_STR(gen_i64(a, -1), "-1");
  gen_arena_free(a);
}

/* ---- printer.h -------------------------------------------------------------------------------- */

static char *take(gen_printer *p) { return gen_printer_take(p, NULL); }

static void test_printer(void) {
  gen_printer p;
  gen_printer_init(&p);
  gen_print(&p, "size_t $fn$(void) { return sizeof($type$); }\n", "fn", "m_size", "type", "m", NULL);
  char *s = take(&p);
  CHECK_STR(s, "size_t m_size(void) { return sizeof(m); }\n");
  free(s);

  gen_print(&p, "cost: $$5, $a$$b$\n", "a", "A", "b", "B", NULL); /* "$$" is one '$' */
  s = take(&p);
  CHECK_STR(s, "cost: $5, AB\n");
  free(s);

  /* Two spaces a level, on every line started while indented; empty lines stay empty. */
  gen_print(&p, "{\n", NULL);
  gen_indent(&p);
  gen_print(&p, "a;\n\nb;\n", NULL);
  gen_indent(&p);
  gen_print(&p, "c;\n", NULL);
  gen_outdent(&p);
  gen_outdent(&p);
  gen_print(&p, "}\n", NULL);
  s = take(&p);
  CHECK_STR(s, "{\n  a;\n\n  b;\n    c;\n}\n");
  free(s);

  /* Lines inside substituted values are indented too; a line continued by a second call is
   * not indented again. */
  gen_indent(&p);
  gen_print(&p, "x = $v$;\n", "v", "f(\n1)", NULL);
  gen_print(&p, "y", NULL);
  gen_print(&p, " = 2;\n", NULL);
  gen_outdent(&p);
  gen_outdent(&p); /* below zero: stays at zero */
  gen_print(&p, "z\n", NULL);
  s = take(&p);
  CHECK_STR(s, "  x = f(\n  1);\n  y = 2;\nz\n");
  free(s);

  /* A template section (templates/c_header.tmpl: "@@ define" is "#define $name$ $value$"). */
  gen_indent(&p);
  gen_print_tmpl(&p, "c_header", "define", "value", "8", "name", "X_MAX", NULL);
  gen_print_tmpl(&p, "c_header", "define", "name", "Y", "value", "9", NULL);
  s = take(&p);
  CHECK_STR(s, "  #define X_MAX 8\n  #define Y 9\n");
  free(s);

  /* An empty printer takes as "". */
  size_t len = 99;
  s = gen_printer_take(&p, &len);
  CHECK_STR(s, "");
  CHECK_U64(len, 0);
  free(s);
  gen_templates_free();
}

/* ---- the .options parser and the capacity rules ---------------------------------------------- */

typedef struct request {
  Google__Protobuf__FileDescriptorProto file;
  Google__Protobuf__FileDescriptorProto *files[1];
  Google__Protobuf__DescriptorProto msgs[2];
  Google__Protobuf__DescriptorProto *msg_ptrs[2];
  Google__Protobuf__FieldDescriptorProto fields[2][8];
  Google__Protobuf__FieldDescriptorProto *field_ptrs[2][8];
  char *to_generate[1];
  Google__Protobuf__Compiler__CodeGeneratorRequest req;
} request;

static void add_field(request *r, size_t msg, const char *name, Google__Protobuf__FieldDescriptorProto__Type type,
                      bool repeated) {
  Google__Protobuf__DescriptorProto *d = &r->msgs[msg];
  Google__Protobuf__FieldDescriptorProto *f = &r->fields[msg][d->n_field];
  google__protobuf__field_descriptor_proto__init(f);
  f->name = (char *)name;
  f->has_number = 1;
  f->number = (int32_t)d->n_field + 1;
  f->has_label = 1;
  f->label = repeated ? GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_REPEATED
                      : GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__LABEL__LABEL_OPTIONAL;
  f->has_type = 1;
  f->type = type;
  r->field_ptrs[msg][d->n_field] = f;
  d->field = r->field_ptrs[msg];
  d->n_field++;
}

/* package t, proto3: message M { string a, b, e, f_long; bytes c; repeated int32 d; }
 * message N { string g; }. */
/* r cleared to file t.proto (package t, proto3) with the empty messages M and N. */
static void start_request(request *r) {
  memset(r, 0, sizeof *r);
  google__protobuf__file_descriptor_proto__init(&r->file);
  r->file.name = "t.proto";
  r->file.package = "t";
  r->file.syntax = "proto3";
  const char *names[2] = {"M", "N"};
  for (size_t i = 0; i < 2; i++) {
    google__protobuf__descriptor_proto__init(&r->msgs[i]);
    r->msgs[i].name = (char *)names[i];
    r->msg_ptrs[i] = &r->msgs[i];
  }
}

/* The request around r's file t.proto and its two messages, generating it with `parameter`. */
static void finish_request(request *r, const char *parameter) {
  r->file.n_message_type = 2;
  r->file.message_type = r->msg_ptrs;
  r->files[0] = &r->file;
  r->to_generate[0] = "t.proto";
  google__protobuf__compiler__code_generator_request__init(&r->req);
  r->req.n_file_to_generate = 1;
  r->req.file_to_generate = r->to_generate;
  r->req.parameter = (char *)parameter;
  r->req.n_proto_file = 1;
  r->req.proto_file = r->files;
}

static void build_request(request *r, const char *parameter) {
  start_request(r);
  const Google__Protobuf__FieldDescriptorProto__Type STRING = GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_STRING;
  add_field(r, 0, "a", STRING, false);
  add_field(r, 0, "b", STRING, false);
  add_field(r, 0, "c", GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_BYTES, false);
  add_field(r, 0, "d", GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_INT32, true);
  add_field(r, 0, "e", STRING, false);
  add_field(r, 0, "f_long", STRING, false);
  add_field(r, 1, "g", STRING, false);
  finish_request(r, parameter);
}

static const char *write_options(const char *name, const char *text) {
  static char path[1024];
  snprintf(path, sizeof path, "%s/%s", P2F_TEST_TMP, name);
  FILE *fp = fopen(path, "wb");
  if (fp == NULL) {
    perror(path);
    exit(2);
  }
  fputs(text, fp);
  fclose(fp);
  return path;
}

/* Builds the model of the request above with `options_text` as options=PATH plus `extra`
 * parameters; returns whether model_build succeeded. */
static bool build(gen_model *m, request *r, const char *options_text, const char *extra) {
  const char *path = write_options("test.options", options_text);
  char param[2048];
  snprintf(param, sizeof param, "options=%s%s%s", path, extra ? "," : "", extra ? extra : "");
  build_request(r, param);
  memset(m, 0, sizeof *m);
  m->arena = gen_arena_new();
  return model_build(m, &r->req);
}

static const gen_field *field(const gen_model *m, size_t msg, size_t i) { return &m->files[0]->messages[msg]->fields[i]; }

static bool error_contains(const gen_model *m, const char *text) {
  return m->diag.errors.data != NULL && strstr(m->diag.errors.data, text) != NULL;
}

static void test_options_file(void) {
  gen_model m;
  request r;
  bool ok = build(&m, &r,
                  "# Options for t.proto\n"
                  "\n"
                  "t.M.a max_length:10   # a comment after the settings\n"
                  "t.M.b max_size:10\n"             /* loses to the message line's max_length */
                  "t.M.c max_size : 7 // comment\n" /* spaces around ':' */
                  "/* a C comment\n"
                  "t.M.c max_size:8 */\n"           /* spans lines, so this is no setting */
                  "t.M.d max_count:3\n"
                  "t.M.d max_count:4\n"             /* a later line beats an earlier one */
                  "t.M max_length:33\n"             /* message level: below the field lines */
                  "t.M.f* max_length:40 max_length:44\n" /* the last value of a repeated key */
                  "t.?.g max_length:12\n",
                  "default_max_length=50");
  CHECK(ok);
  if (ok) {
    CHECK_U64(field(&m, 0, 0)->max_length, 10);
    /* As in nanopb, a string takes max_length wherever its chain sets it (here the message
     * line) over a max_size set closer to it. */
    CHECK_U64(field(&m, 0, 1)->max_length, 33);
    CHECK_U64(field(&m, 0, 2)->max_length, 7);
    CHECK_U64(field(&m, 0, 3)->max_count, 4);
    CHECK_U64(field(&m, 0, 4)->max_length, 33);
    CHECK_U64(field(&m, 0, 5)->max_length, 44);
    CHECK_U64(field(&m, 1, 0)->max_length, 12);
  }
  model_free(&m);

  /* The plugin parameter is the last level; a bytes field does not take default_max_length. */
  ok = build(&m, &r, "t.M.c max_size:5\nt.M.d max_count:1\n", "default_max_length=50");
  CHECK(ok);
  if (ok) {
    CHECK_U64(field(&m, 0, 0)->max_length, 50);
    CHECK_U64(field(&m, 0, 2)->max_length, 5);
    CHECK_U64(field(&m, 1, 0)->max_length, 50);
  }
  model_free(&m);
  ok = build(&m, &r, "t.M.d max_count:1\n", "default_max_length=50,require_capacity");
  CHECK(!ok);
  CHECK(error_contains(&m, "field t.M.c (bytes) has no capacity"));
  model_free(&m);
  /* Without require_capacity the field is out-of-line instead, and keeps no capacity. */
  ok = build(&m, &r, "t.M.d max_count:1\n", "default_max_length=50");
  CHECK(ok);
  if (ok) {
    CHECK(field(&m, 0, 2)->storage == GEN_STORAGE_OUT_OF_LINE && field(&m, 0, 2)->max_length == 0);
    CHECK(field(&m, 0, 0)->storage == GEN_STORAGE_INLINE && field(&m, 0, 0)->max_length == 50);
  }
  model_free(&m);

  /* A string's max_size counts the NUL; a leading '.' matches nothing, as in nanopb; a set
   * "[...]" matches one character of it. */
  ok = build(&m, &r, "t.M.b max_size:10\n.t.M.a max_length:3\nt.M.[cd] max_count:1\nt.[!M].g max_length:5\n",
             "default_max_length=50,default_max_size=4");
  CHECK(ok);
  if (ok) {
    CHECK_U64(field(&m, 0, 0)->max_length, 50);
    CHECK_U64(field(&m, 0, 1)->max_length, 9);
    CHECK_U64(field(&m, 0, 3)->max_count, 1);
    CHECK_U64(field(&m, 1, 0)->max_length, 5);
    CHECK_U64(m.diag.warning_count, 1); /* the '.t.M.a' line matches nothing */
  }
  model_free(&m);

  /* A later line wins even when it is a wildcard. */
  ok = build(&m, &r, "t.M.a max_length:10\nt.M.* max_length:20 max_size:6 max_count:2\n", "default_max_length=50");
  CHECK(ok);
  if (ok) {
    CHECK_U64(field(&m, 0, 0)->max_length, 20);
    CHECK_U64(field(&m, 0, 2)->max_length, 6);
    CHECK_U64(field(&m, 0, 3)->max_count, 2);
  }
  model_free(&m);
}

static void test_options_errors(void) {
  static const struct {
    const char *text;
    const char *error;
  } cases[] = {
      {"t.M.* max_count:2 max_size:3\nt.M.a max_lenght:3\n", "test.options:2:1: error: unknown option 'max_lenght'"},
      {"t.M.* max_count:2 max_size:3\nt.M.a max_length:abc\n", "option 'max_length' has an invalid value 'abc'"},
      {"t.M.* max_count:2 max_size:3\nt.M.a int_size:IS_7\n", "option 'int_size' has an invalid value 'IS_7'"},
      {"t.M.* max_count:2 max_size:3\nt.M.a type:17\n", "option 'type' has an invalid value '17'"},
      {"t.M.* max_count:2 max_size:3\nt.M.a package:x\n", "option 'package' has an invalid value 'x'"},
      {"t.M.* max_count:2 max_size:3\nt.M.a max_length\n", "expected 'option:value' after the name pattern"},
      {"t.M.* max_count:2 max_size:3\nt.M.a max_length:\n", "option 'max_length' has no value"},
      {"t.M.* max_count:2 max_size:3\nt.M.a sort_by_alignment:maybe\n",
       "option 'sort_by_alignment' has an invalid value 'maybe'"},
      /* Capacities: 1..2147483647, a string's max_size after the NUL is subtracted. */
      {"t.M.* max_count:2 max_size:3\nt.M.a max_length:0\n", "max_length 0 for field t.M.a"},
      {"t.M.* max_count:2 max_size:3\nt.M.a max_length:-4\n", "max_length -4 for field t.M.a"},
      {"t.M.* max_count:2 max_size:3\nt.M.a max_length:2147483648\n", "max_length 2147483648 for field t.M.a"},
      {"t.M.* max_count:2 max_size:3\nt.M.a max_size:1\n", "max_size 1 for string field t.M.a"},
      {"t.M.* max_count:0 max_size:3\n", "max_count 0 for field t.M.d"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    gen_model m;
    request r;
    bool ok = build(&m, &r, cases[i].text, "default_max_length=50");
    CHECK(!ok);
    if (!error_contains(&m, cases[i].error)) {
      check_failures++;
      fprintf(stderr, "%s:%d: case %zu: error \"%s\" not among:\n%s\n", __FILE__, __LINE__, i, cases[i].error,
              m.diag.errors.data ? m.diag.errors.data : "(none)");
    }
    check_count++;
    model_free(&m);
  }
  /* The largest capacity is accepted, and nanopb-only keys are ignored (with a warning). */
  gen_model m;
  request r;
  bool ok = build(&m, &r, "t.M.* max_count:2 max_size:3\nt.M.a max_length:2147483647 int_size:IS_8 long_names:false\n",
                  "default_max_length=50");
  CHECK(ok);
  if (ok) CHECK_U64(field(&m, 0, 0)->max_length, 2147483647u);
  model_free(&m);
}

/* ---- codec tables of the layout stage --------------------------------------------------- */

/* package t, proto3: message M { N n = 1; int32 a = 5; } message N { string g = 1; int64 h = 2; }
 * with g's max_length 200: N is 216 bytes (g_len at 0, g at 4..204 with its NUL, h at 208),
 * more than P2F_SPARSE_INIT_BYTES (96) per field, so decoding initialises it sparsely, and so
 * M (has_n at 0, n at 8, a at 224; 232 bytes). */
static void build_nested_request(request *r, const char *parameter) {
  start_request(r);
  add_field(r, 0, "n", GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_MESSAGE, false);
  r->fields[0][0].type_name = ".t.N";
  add_field(r, 0, "a", GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_INT32, false);
  r->fields[0][1].number = 5;
  add_field(r, 1, "g", GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_STRING, false);
  add_field(r, 1, "h", GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_INT64, false);
  finish_request(r, parameter);
}

static void check_ranges(const gen_message *msg, const uint32_t *want, size_t n) {
  CHECK_U64(msg->zero_count, n);
  for (size_t i = 0; i < 2 * n && i < 2 * msg->zero_count; i++) CHECK_U64(msg->zero_ranges[i], want[i]);
}

static void test_codec_tables(void) {
  gen_model m;
  request r;
  char param[2048];
  snprintf(param, sizeof param, "options=%s", write_options("nested.options", "t.N.g max_length:200\n"));
  build_nested_request(&r, param);
  memset(&m, 0, sizeof m);
  m.arena = gen_arena_new();
  bool ok = model_build(&m, &r.req) && layout_needed(&m);
  CHECK(ok);
  if (ok) {
    const gen_message *mm = m.files[0]->messages[0], *nn = m.files[0]->messages[1];
    CHECK_U64(nn->layout.size, 216);
    CHECK_U64(mm->layout.size, 232);
    CHECK(nn->sparse_init && mm->sparse_init);
    /* N: g_len and g's NUL joined, h. */
    static const uint32_t n_ranges[] = {0, 5, 208, 8};
    check_ranges(nn, n_ranges, 2);
    /* M: has_n; n flattened in at 8 (its two ranges, not its 216 bytes), the second one
     * joined with the adjacent a. */
    static const uint32_t m_ranges[] = {0, 1, 8, 5, 216, 12};
    check_ranges(mm, m_ranges, 3);
    /* Dispatch: numbers 0..5 (at most max(32, 4 * 2) covered), n first, a second. */
    static const uint8_t dispatch[] = {0, 1, 0, 0, 0, 2};
    CHECK_U64(mm->dispatch_len, 6);
    CHECK(mm->dispatch_len == 6 && memcmp(mm->dispatch, dispatch, 6) == 0);
    CHECK_U64(mm->fields[0].codec_kind, P2F_FK_MESSAGE | P2F_FK_HAS);
    CHECK_U64(mm->fields[1].codec_kind, P2F_FK_VARINT32);
    CHECK_U64(nn->fields[0].codec_kind, P2F_FK_STRING_UTF8); /* proto3 strings are verified */
    CHECK_U64(nn->fields[1].codec_kind, P2F_FK_VARINT64);
  }
  model_free(&m);

  /* With g's capacity 100, N is 120 bytes (h at 112), not above 2 * 96: initialised whole,
   * no list; nor M (136 bytes for 2 fields). */
  snprintf(param, sizeof param, "options=%s", write_options("nested.options", "t.N.g max_length:100\n"));
  build_nested_request(&r, param);
  memset(&m, 0, sizeof m);
  m.arena = gen_arena_new();
  ok = model_build(&m, &r.req) && layout_needed(&m);
  CHECK(ok);
  if (ok) {
    const gen_message *mm = m.files[0]->messages[0], *nn = m.files[0]->messages[1];
    CHECK_U64(nn->layout.size, 120);
    CHECK(!nn->sparse_init && nn->zero_count == 0 && nn->zero_ranges == NULL);
    CHECK(!mm->sparse_init && mm->zero_count == 0);
  }
  model_free(&m);

  /* Next tags follow number order, not declaration order: M { int64 x = 9; repeated int32 p
   * = 2 (packed: wire type 2); string y = 20 (two-byte tag); bool z = 1; }. */
  start_request(&r);
  add_field(&r, 0, "x", GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_INT64, false);
  add_field(&r, 0, "p", GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_INT32, true);
  add_field(&r, 0, "y", GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_STRING, false);
  add_field(&r, 0, "z", GOOGLE__PROTOBUF__FIELD_DESCRIPTOR_PROTO__TYPE__TYPE_BOOL, false);
  r.fields[0][0].number = 9;
  r.fields[0][2].number = 20;
  r.fields[0][3].number = 1;
  finish_request(&r, "");
  memset(&m, 0, sizeof m);
  m.arena = gen_arena_new();
  ok = model_build(&m, &r.req) && layout_needed(&m);
  CHECK(ok);
  if (ok) {
    const gen_message *mm = m.files[0]->messages[0];
    CHECK_U64(mm->field_count, 4);
    CHECK_U64(mm->fields[3].codec_next_tag, 0x12); /* z (1) -> p (2 << 3 | 2) */
    CHECK_U64(mm->fields[1].codec_next_tag, 0x48); /* p (2) -> x (9 << 3 | 0) */
    CHECK_U64(mm->fields[0].codec_next_tag, 0);    /* x (9) -> y (20): 20 << 3 | 2 is 162 */
    CHECK_U64(mm->fields[2].codec_next_tag, 0);    /* y: the last */
  }
  model_free(&m);
}

int main(void) {
  test_fnv1a64();
  test_names();
  test_glob();
  test_format();
  test_printer();
  test_options_file();
  test_options_errors();
  test_codec_tables();
  return CHECK_REPORT();
}
