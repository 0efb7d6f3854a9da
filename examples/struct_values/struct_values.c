/* struct_values: JSON-like values of google/protobuf/struct.proto (Struct -> Value ->
 * ListValue -> Value: a recursive schema) decoded, printed, edited and re-encoded.
 *
 *   struct_values [IN [OUT]]
 *
 * IN is a google.protobuf.Struct in the protobuf wire format (default: config.pb next to this
 * file, written by write_config.py with python3-protobuf). The program
 *   1. decodes it into an arena with P2F_DECODE_ALIAS: the strings point into the input
 *      buffer, nothing is copied; the arena holds only the arrays of fields and values;
 *   2. prints it as JSON;
 *   3. edits it: "version" + 1, a string appended to the "tags" list, "name" replaced, a new
 *      key "checked_by" (new strings are copied into the arena);
 *   4. deep-copies it (google_protobuf_Struct_copy) into a second arena, so that it no longer
 *      refers to the input buffer, frees the input buffer and the first arena;
 *   5. encodes the copy, writes it to OUT when given, and prints it again.
 * write_config.py --check OUT verifies the edits with python3-protobuf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "google/protobuf/struct.ffi.h"

#ifndef STRUCT_VALUES_INPUT
#define STRUCT_VALUES_INPUT "config.pb"
#endif

typedef google_protobuf_Struct Struct;
typedef google_protobuf_Value Value;
typedef google_protobuf_ListValue ListValue;
typedef google_protobuf_Struct_FieldsEntry Entry;

static void print_value(const Value *v, int indent);

static void print_text(const char *s, uint32_t n) {
  putchar('"');
  for (uint32_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\') printf("\\%c", c);
    else if (c == '\n') printf("\\n");
    else if (c < 0x20) printf("\\u%04x", c);
    else putchar(c);
  }
  putchar('"');
}

static void print_struct(const Struct *s, int indent) {
  if (s->fields_count == 0) {
    printf("{}");
    return;
  }
  printf("{\n");
  for (uint32_t i = 0; i < s->fields_count; i++) {
    const Entry *e = &s->fields[i];
    printf("%*s", indent + 2, "");
    print_text(e->key, e->key_len);
    printf(": ");
    if (e->has_value) print_value(&e->value, indent + 2);
    else printf("null");
    printf("%s\n", i + 1 < s->fields_count ? "," : "");
  }
  printf("%*s}", indent, "");
}

static void print_list(const ListValue *l, int indent) {
  printf("[");
  for (uint32_t i = 0; i < l->values_count; i++) {
    if (i) printf(", ");
    print_value(&l->values[i], indent);
  }
  printf("]");
}

static void print_value(const Value *v, int indent) {
  switch (v->which_kind) {
    case google_protobuf_Value_number_value_TAG: printf("%.17g", v->kind.number_value); break;
    case google_protobuf_Value_string_value_TAG:
      print_text(v->kind.string_value.data, v->kind.string_value.len);
      break;
    case google_protobuf_Value_bool_value_TAG: printf("%s", v->kind.bool_value ? "true" : "false"); break;
    case google_protobuf_Value_struct_value_TAG: print_struct(&v->kind.struct_value, indent); break;
    case google_protobuf_Value_list_value_TAG: print_list(&v->kind.list_value, indent); break;
    default: printf("null"); break; /* null_value, or no kind set */
  }
}

/* The value of `key` in s, or NULL. */
static Value *find(Struct *s, const char *key) {
  size_t n = strlen(key);
  for (uint32_t i = 0; i < s->fields_count; i++) {
    Entry *e = &s->fields[i];
    if (e->key_len == n && memcmp(e->key, key, n) == 0 && e->has_value) return &e->value;
  }
  return NULL;
}

static int fail(const char *what, p2f_status st) {
  fprintf(stderr, "struct_values: %s: %s\n", what, p2f_status_str(st));
  return 1;
}

static uint8_t *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  uint8_t *buf = NULL;
  size_t cap = 0, n = 0;
  for (;;) {
    if (n == cap) {
      cap = cap ? cap * 2 : 4096;
      uint8_t *grown = realloc(buf, cap);
      if (grown == NULL) break;
      buf = grown;
    }
    size_t got = fread(buf + n, 1, cap - n, f);
    n += got;
    if (got == 0) break;
  }
  fclose(f);
  *len = n;
  return buf;
}

static int edit(Struct *cfg, p2f_arena *arena) {
  p2f_status st;
  Value *version = find(cfg, "version");
  if (version == NULL || version->which_kind != google_protobuf_Value_number_value_TAG) {
    fprintf(stderr, "struct_values: no number \"version\"\n");
    return 1;
  }
  version->kind.number_value += 1;

  Value *tags = find(cfg, "tags");
  if (tags == NULL || tags->which_kind != google_protobuf_Value_list_value_TAG) {
    fprintf(stderr, "struct_values: no list \"tags\"\n");
    return 1;
  }
  Value *tag = google_protobuf_ListValue_add_values(&tags->kind.list_value, arena);
  if (tag == NULL) return fail("add_values", p2f_arena_last_error(arena));
  static const char added[] = "edited in C";
  if ((st = google_protobuf_Value_set_string_value(tag, arena, added, sizeof added - 1)) != P2F_OK)
    return fail("set_string_value", st);

  Value *name = find(cfg, "name");
  static const char new_name[] = "proto2ffi struct_values";
  if (name && (st = google_protobuf_Value_set_string_value(name, arena, new_name, sizeof new_name - 1)) != P2F_OK)
    return fail("set_string_value", st);

  /* A new key. add_fields may move the array: pointers into it taken above are not used
   * after this point. */
  Entry *e = google_protobuf_Struct_add_fields(cfg, arena);
  if (e == NULL) return fail("add_fields", p2f_arena_last_error(arena));
  static const char key[] = "checked_by", by[] = "proto2ffi";
  if ((st = google_protobuf_Struct_FieldsEntry_set_key(e, arena, key, sizeof key - 1)) != P2F_OK)
    return fail("set_key", st);
  e->has_value = 1;
  if ((st = google_protobuf_Value_set_string_value(&e->value, arena, by, sizeof by - 1)) != P2F_OK)
    return fail("set_string_value", st);
  return 0;
}

int main(int argc, char **argv) {
  const char *in_path = argc > 1 ? argv[1] : STRUCT_VALUES_INPUT;
  size_t len = 0;
  uint8_t *input = read_file(in_path, &len);
  if (input == NULL) {
    fprintf(stderr, "struct_values: cannot read %s\n", in_path);
    return 1;
  }

  /* 1. Decode, strings aliasing the input; the arena starts in a stack block. */
  unsigned char block[4096];
  p2f_arena arena, kept;
  p2f_arena_config cfg_arena = {block, sizeof block, 0, 0, 0};
  if (p2f_arena_init(&arena, &cfg_arena) != P2F_OK || p2f_arena_init(&kept, NULL) != P2F_OK) return 1;
  Struct cfg;
  p2f_decode_options opts = {&arena, P2F_DECODE_ALIAS, 0};
  p2f_status st = google_protobuf_Struct_decode_ex(&cfg, input, len, &opts);
  if (st != P2F_OK) return fail("decode", st);
  p2f_arena_stats stats;
  p2f_arena_get_stats(&arena, &stats);
  printf("decoded %zu bytes of %s (struct %zu bytes, arena %zu bytes, strings aliased):\n", len, in_path,
         sizeof cfg, stats.allocated);
  print_struct(&cfg, 0);
  printf("\n");

  /* 2. Edit. */
  if (edit(&cfg, &arena) != 0) return 1;

  /* 3. Deep copy, then the input and the first arena can go. */
  Struct out;
  if ((st = google_protobuf_Struct_copy(&out, &cfg, &kept)) != P2F_OK) return fail("copy", st);
  memset(input, 0, len);
  free(input);
  p2f_arena_destroy(&arena);

  /* 4. Encode. */
  size_t n = google_protobuf_Struct_encoded_size(&out), written = 0;
  uint8_t *bytes = malloc(n ? n : 1);
  if (bytes == NULL) return 1;
  if ((st = google_protobuf_Struct_encode(&out, bytes, n, &written)) != P2F_OK) return fail("encode", st);
  printf("edited and re-encoded: %zu bytes\n", written);
  print_struct(&out, 0);
  printf("\n");
  int status = 0;
  if (argc > 2) {
    FILE *f = fopen(argv[2], "wb");
    if (f == NULL || fwrite(bytes, 1, written, f) != written || fclose(f) != 0) {
      fprintf(stderr, "struct_values: cannot write %s\n", argv[2]);
      status = 1;
    }
  }
  free(bytes);
  p2f_arena_destroy(&kept);
  return status;
}
