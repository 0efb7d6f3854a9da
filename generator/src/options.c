/* Plugin parameters, .options files and in-proto annotations (see options.h). */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "options_internal.h"
#include "proto2ffi/wire.h"

/* ---- plugin parameters ------------------------------------------------------------------ */

static bool parse_int(const char *s, int64_t *out) {
  if (s == NULL || *s == '\0') return false;
  errno = 0;
  char *end = NULL;
  long long v = strtoll(s, &end, 10);
  if (errno != 0 || *end != '\0') return false;
  *out = (int64_t)v;
  return true;
}

static bool parse_bool(const char *s, bool *out) {
  if (s == NULL || strcmp(s, "true") == 0 || strcmp(s, "1") == 0) {
    *out = true;
    return true;
  }
  if (strcmp(s, "false") == 0 || strcmp(s, "0") == 0) {
    *out = false;
    return true;
  }
  return false;
}

/* utf8_validation's values, in the three routes: verify or none (lower or upper case). */
static int parse_utf8(const char *s) {
  if (s == NULL) return 0;
  if (strcmp(s, "verify") == 0 || strcmp(s, "VERIFY") == 0) return GEN_UTF8_VERIFY;
  if (strcmp(s, "none") == 0 || strcmp(s, "NONE") == 0) return GEN_UTF8_NONE;
  return 0;
}

static void push_str(gen_arena *a, const char ***list, size_t *count, const char *s) {
  const char **grown = gen_alloc(a, (*count + 1) * sizeof *grown);
  if (*count) memcpy(grown, *list, *count * sizeof *grown);
  grown[(*count)++] = s;
  *list = grown;
}

/* dart_path: a relative path inside the output directory, '/'-separated, no "..", no empty
 * or "." components, nothing a shell or protoc would treat specially. */
static bool valid_dart_path(const char *s) {
  if (s == NULL || *s == '\0' || *s == '/') return false;
  const char *comp = s;
  for (const char *p = s;; p++) {
    if (*p == '/' || *p == '\0') {
      size_t n = (size_t)(p - comp);
      if (n == 0 || (n == 1 && comp[0] == '.') || (n == 2 && comp[0] == '.' && comp[1] == '.')) return false;
      if (*p == '\0') return true;
      comp = p + 1;
      continue;
    }
    if (!(isalnum((unsigned char)*p) || *p == '_' || *p == '-' || *p == '.')) return false;
  }
}

/* dart_import: a URI placed between single quotes in an import directive. */
static bool valid_dart_import(const char *s) {
  if (s == NULL || *s == '\0') return false;
  for (const char *p = s; *p; p++) {
    if (!isgraph((unsigned char)*p) || *p == '\'' || *p == '"' || *p == '\\' || *p == '$') return false;
  }
  return true;
}

/* dart_asset: a code asset id, package:<package>/<name>, as package:code_assets builds it: a
 * Dart package name (lower-case letters, digits and '_', not starting with a digit, not
 * reserved), '/', and a non-empty name of the characters a Dart string literal between single
 * quotes takes without escaping. */
static bool valid_dart_asset(const char *s) {
  static const char scheme[] = "package:";
  if (s == NULL || strncmp(s, scheme, sizeof scheme - 1) != 0) return false;
  const char *pkg = s + sizeof scheme - 1;
  const char *slash = strchr(pkg, '/');
  if (slash == NULL || slash == pkg || isdigit((unsigned char)pkg[0]) || slash[1] == '\0') return false;
  char word[128];
  size_t n = (size_t)(slash - pkg);
  if (n >= sizeof word) return false;
  for (size_t i = 0; i < n; i++) {
    if (!(islower((unsigned char)pkg[i]) || isdigit((unsigned char)pkg[i]) || pkg[i] == '_')) return false;
    word[i] = pkg[i];
  }
  word[n] = '\0';
  if (names_is_reserved(word)) return false;
  return valid_dart_import(slash + 1);
}

/* dart_library: dotted Dart identifiers (my_app.protos), none of them reserved. */
static bool valid_dart_library(const char *s) {
  if (s == NULL || *s == '\0') return false;
  char word[128];
  size_t n = 0;
  for (const char *p = s;; p++) {
    if (*p == '.' || *p == '\0') {
      if (n == 0 || isdigit((unsigned char)word[0])) return false;
      word[n] = '\0';
      if (names_is_reserved(word)) return false;
      if (*p == '\0') return true;
      n = 0;
      continue;
    }
    if (!(isalnum((unsigned char)*p) || *p == '_') || n + 1 >= sizeof word) return false;
    word[n++] = *p;
  }
}

bool options_parse_params(gen_model *m, const char *param) {
  gen_params *p = &m->params;
  p->default_max_length = p->default_max_size = p->default_max_count = -1;
  p->pool_size = p->pool_max = -1;
  p->max_message_size = 16u * 1024u * 1024u;
  p->json = true;
  p->dart = GEN_DART_ON;
  p->dart_import = "package:proto2ffi/proto2ffi.dart";
  p->dart_asset = "package:proto2ffi_native/proto2ffi_native";
  if (param == NULL || *param == '\0') return true;
  char *copy = gen_strdup(m->arena, param);
  gen_loc loc = {"--c-ffi_opt", 0, 0};
  for (char *tok = copy, *next = NULL; tok; tok = next) {
    char *comma = strchr(tok, ',');
    next = comma ? comma + 1 : NULL;
    if (comma) *comma = '\0';
    while (isspace((unsigned char)*tok)) tok++;
    if (*tok == '\0') continue;
    char *eq = strchr(tok, '=');
    const char *value = NULL;
    if (eq) {
      *eq = '\0';
      value = eq + 1;
    }
    bool ok = true;
    int64_t n = 0;
    if (strcmp(tok, "default_max_length") == 0) {
      ok = parse_int(value, &p->default_max_length) && p->default_max_length >= 0;
    } else if (strcmp(tok, "default_max_size") == 0) {
      ok = parse_int(value, &p->default_max_size) && p->default_max_size >= 0;
    } else if (strcmp(tok, "default_max_count") == 0) {
      ok = parse_int(value, &p->default_max_count) && p->default_max_count >= 0;
    } else if (strcmp(tok, "max_message_size") == 0) {
      ok = parse_int(value, &n) && n > 0;
      p->max_message_size = (uint64_t)n;
    } else if (strcmp(tok, "sort_by_alignment") == 0) {
      ok = parse_bool(value, &p->sort_by_alignment);
    } else if (strcmp(tok, "utf8_validation") == 0) {
      p->utf8_validation = parse_utf8(value);
      if (p->utf8_validation == 0) {
        gen_error(&m->diag, loc, "parameter 'utf8_validation' has an invalid value '%s'; expected verify or none",
                  value ? value : "");
      }
      continue;
    } else if (strcmp(tok, "pool_size") == 0) {
      ok = parse_int(value, &p->pool_size) && p->pool_size >= 1 && p->pool_size <= 2147483647;
    } else if (strcmp(tok, "pool_max") == 0) {
      ok = parse_int(value, &p->pool_max) && p->pool_max >= 0 && p->pool_max <= 2147483647;
    } else if (strcmp(tok, "batch") == 0) {
      ok = parse_bool(value, &p->batch);
    } else if (strcmp(tok, "report") == 0) {
      ok = parse_bool(value, &p->report);
    } else if (strcmp(tok, "json") == 0) {
      ok = parse_bool(value, &p->json);
    } else if (strcmp(tok, "dart") == 0) {
      bool on = true;
      if (value && strcmp(value, "only") == 0) p->dart = GEN_DART_ONLY;
      else if (value && strcmp(value, "on") == 0) p->dart = GEN_DART_ON;
      else if (value && strcmp(value, "off") == 0) p->dart = GEN_DART_OFF;
      else if ((ok = parse_bool(value, &on))) p->dart = on ? GEN_DART_ON : GEN_DART_OFF;
    } else if (strcmp(tok, "dart_path") == 0) {
      ok = valid_dart_path(value);
      if (ok) p->dart_path = value;
    } else if (strcmp(tok, "dart_import") == 0) {
      ok = valid_dart_import(value);
      if (ok) p->dart_import = value;
    } else if (strcmp(tok, "dart_asset") == 0) {
      ok = valid_dart_asset(value);
      if (ok) p->dart_asset = value;
    } else if (strcmp(tok, "dart_library") == 0) {
      ok = valid_dart_library(value);
      if (ok) p->dart_library = value;
    } else if (strcmp(tok, "storage") == 0) {
      if (value && strcmp(value, "inline") == 0) p->storage = GEN_STORAGE_PARAM_INLINE;
      else if (value && strcmp(value, "out_of_line") == 0) p->storage = GEN_STORAGE_PARAM_OUT_OF_LINE;
      else ok = false;
    } else if (strcmp(tok, "require_capacity") == 0) {
      ok = parse_bool(value, &p->require_capacity);
    } else if (strcmp(tok, "options") == 0) {
      ok = value && *value;
      if (ok) push_str(m->arena, &p->options_files, &p->options_file_count, value);
    } else if (strcmp(tok, "options_dir") == 0) {
      ok = value && *value;
      if (ok) push_str(m->arena, &p->options_dirs, &p->options_dir_count, value);
    } else {
      gen_error(&m->diag, loc,
                "unknown parameter '%s'; known: default_max_length=N, default_max_size=N, "
                "default_max_count=N, options=PATH, options_dir=DIR, sort_by_alignment[=BOOL], "
                "utf8_validation=verify|none, pool_size=N, pool_max=N, batch[=BOOL], "
                "max_message_size=N, report[=BOOL], json[=BOOL], dart=on|off|only, dart_path=REL, "
                "dart_import=URI, dart_asset=package:PKG/NAME, dart_library=NAME, storage=inline|out_of_line, "
                "require_capacity[=BOOL]",
                tok);
      continue;
    }
    if (!ok) {
      gen_error(&m->diag, loc, "parameter '%s' has an invalid value '%s'", tok, value ? value : "");
    }
  }
  return m->diag.error_count == 0;
}

/* ---- the keys ------------------------------------------------------------------------------ */

typedef enum optkind { KIND_INT, KIND_BOOL, KIND_ENUM, KIND_STRING } optkind;

typedef struct enum_name {
  const char *name;
  int value;
} enum_name;

static const enum_name field_types[] = {{"FT_DEFAULT", FT_DEFAULT}, {"FT_CALLBACK", FT_CALLBACK},
                                        {"FT_POINTER", FT_POINTER}, {"FT_STATIC", FT_STATIC},
                                        {"FT_IGNORE", FT_IGNORE},   {"FT_INLINE", FT_INLINE},
                                        {NULL, 0}};
static const enum_name int_sizes[] = {{"IS_DEFAULT", 0}, {"IS_8", 8}, {"IS_16", 16}, {"IS_32", 32}, {"IS_64", 64}, {NULL, 0}};
static const enum_name utf8_values[] = {{"verify", GEN_UTF8_VERIFY}, {"VERIFY", GEN_UTF8_VERIFY},
                                        {"none", GEN_UTF8_NONE},     {"NONE", GEN_UTF8_NONE},
                                        {NULL, 0}};
static const enum_name storages[] = {{"inline", 1}, {"INLINE", 1}, {"out_of_line", 2}, {"OUT_OF_LINE", 2}, {NULL, 0}};
static const enum_name manglings[] = {{"M_NONE", M_NONE}, {"M_STRIP_PACKAGE", M_STRIP_PACKAGE},
                                      {"M_FLATTEN", M_FLATTEN}, {"M_PACKAGE_INITIALS", M_PACKAGE_INITIALS},
                                      {NULL, 0}};
static const enum_name descriptor_sizes[] = {{"DS_AUTO", 0}, {"DS_1", 1}, {"DS_2", 2}, {"DS_4", 4}, {"DS_8", 8}, {NULL, 0}};
static const enum_name proto_types[] = {
    {"TYPE_DOUBLE", 1},    {"TYPE_FLOAT", 2},    {"TYPE_INT64", 3},   {"TYPE_UINT64", 4},  {"TYPE_INT32", 5},
    {"TYPE_FIXED64", 6},   {"TYPE_FIXED32", 7},  {"TYPE_BOOL", 8},    {"TYPE_STRING", 9},  {"TYPE_GROUP", 10},
    {"TYPE_MESSAGE", 11},  {"TYPE_BYTES", 12},   {"TYPE_UINT32", 13}, {"TYPE_ENUM", 14},   {"TYPE_SFIXED32", 15},
    {"TYPE_SFIXED64", 16}, {"TYPE_SINT32", 17},  {"TYPE_SINT64", 18}, {NULL, 0}};

/* One key: its .options name, its NanoPBOptions field number (0: not a nanopb key), its value
 * kind, and, for a key proto2ffi does not apply, why (the warning an .options line gets). */
typedef struct optdef {
  const char *name;
  uint32_t number;
  optkind kind;
  const enum_name *enums;
  const char *not_applied;
} optdef;

static const optdef keys[K_COUNT_] = {
    [K_MAX_SIZE] = {"max_size", 1, KIND_INT, NULL, NULL},
    [K_MAX_LENGTH] = {"max_length", 14, KIND_INT, NULL, NULL},
    [K_MAX_COUNT] = {"max_count", 2, KIND_INT, NULL, NULL},
    [K_INT_SIZE] = {"int_size", 7, KIND_ENUM, int_sizes, NULL},
    [K_TYPE] = {"type", 3, KIND_ENUM, field_types, NULL},
    [K_LONG_NAMES] = {"long_names", 4, KIND_BOOL, NULL,
                      "C enum value names always carry the enum's prefix, so that they are unique in C and "
                      "match the Dart names"},
    [K_PACKED_STRUCT] = {"packed_struct", 5, KIND_BOOL, NULL,
                         "structs are never packed: their layout is the same natural-alignment layout on every "
                         "ABI Dart supports"},
    [K_PACKED_ENUM] = {"packed_enum", 10, KIND_BOOL, NULL, "enum fields are always stored as int32_t"},
    [K_SKIP_MESSAGE] = {"skip_message", 6, KIND_BOOL, NULL, NULL},
    [K_NO_UNIONS] = {"no_unions", 8, KIND_BOOL, NULL, NULL},
    [K_MSGID] = {"msgid", 9, KIND_INT, NULL, "messages are identified by full name in the message table"},
    [K_ANONYMOUS_ONEOF] = {"anonymous_oneof", 11, KIND_BOOL, NULL,
                           "a oneof's union is always a named member, as dart:ffi structs have no anonymous "
                           "unions"},
    [K_PROTO3] = {"proto3", 12, KIND_BOOL, NULL, NULL},
    [K_PROTO3_SINGULAR_MSGS] = {"proto3_singular_msgs", 21, KIND_BOOL, NULL, NULL},
    [K_ENUM_TO_STRING] = {"enum_to_string", 13, KIND_BOOL, NULL,
                          "every enum already gets a name function (<Enum>_name)"},
    [K_FIXED_LENGTH] = {"fixed_length", 15, KIND_BOOL, NULL, NULL},
    [K_FIXED_COUNT] = {"fixed_count", 16, KIND_BOOL, NULL, NULL},
    [K_SUBMSG_CALLBACK] = {"submsg_callback", 22, KIND_BOOL, NULL, "the codec has no per-field callbacks"},
    [K_MANGLE_NAMES] = {"mangle_names", 17, KIND_ENUM, manglings, NULL},
    [K_CALLBACK_DATATYPE] = {"callback_datatype", 18, KIND_STRING, NULL, "the codec has no per-field callbacks"},
    [K_CALLBACK_FUNCTION] = {"callback_function", 19, KIND_STRING, NULL, "the codec has no per-field callbacks"},
    [K_DESCRIPTORSIZE] = {"descriptorsize", 20, KIND_ENUM, descriptor_sizes,
                          "the codec's field descriptors have one fixed size"},
    [K_DEFAULT_HAS] = {"default_has", 23, KIND_BOOL, NULL, NULL},
    [K_INCLUDE] = {"include", 24, KIND_STRING, NULL,
                   "the generated header includes exactly the generated headers it needs"},
    [K_EXCLUDE] = {"exclude", 26, KIND_STRING, NULL,
                   "the generated header includes exactly the generated headers it needs"},
    [K_PACKAGE] = {"package", 25, KIND_STRING, NULL, NULL},
    [K_TYPE_OVERRIDE] = {"type_override", 27, KIND_ENUM, proto_types,
                         "a field's wire type follows the .proto, so that every other protobuf "
                         "implementation reads what the codec writes"},
    [K_SORT_BY_TAG] = {"sort_by_tag", 28, KIND_BOOL, NULL,
                       "members follow the declaration order, or sort_by_alignment"},
    [K_FALLBACK_TYPE] = {"fallback_type", 29, KIND_ENUM, field_types,
                         "a field without a capacity follows proto2ffi's rules, not a callback"},
    [K_SORT_BY_ALIGNMENT] = {"sort_by_alignment", 0, KIND_BOOL, NULL, NULL},
    [K_UTF8_VALIDATION] = {"utf8_validation", 0, KIND_ENUM, utf8_values, NULL},
    [K_STORAGE] = {"storage", 0, KIND_ENUM, storages, NULL},
    [K_POOL_SIZE] = {"pool_size", 0, KIND_INT, NULL, NULL},
    [K_POOL_MAX] = {"pool_max", 0, KIND_INT, NULL, NULL},
    [K_BATCH] = {"batch", 0, KIND_BOOL, NULL, NULL},
};

const char *opt_key_name(gen_optkey k) { return keys[k].name; }

/* A text-format value of the key's kind; false when it is not one. */
static bool parse_value(gen_arena *a, gen_optkey k, const char *value, int64_t *v, const char **str) {
  const optdef *d = &keys[k];
  switch (d->kind) {
    case KIND_INT:
      return parse_int(value, v);
    case KIND_BOOL: {
      static const char *const yes[] = {"true", "True", "t", "1", NULL};
      static const char *const no[] = {"false", "False", "f", "0", NULL};
      for (size_t i = 0; yes[i]; i++) {
        if (strcmp(value, yes[i]) == 0) return (*v = 1), true;
        if (strcmp(value, no[i]) == 0) return (*v = 0), true;
      }
      return false;
    }
    case KIND_ENUM:
      for (size_t i = 0; d->enums[i].name; i++) {
        if (strcmp(value, d->enums[i].name) == 0) return (*v = d->enums[i].value), true;
      }
      if (!parse_int(value, v)) return false;
      for (size_t i = 0; d->enums[i].name; i++) {
        if (*v == d->enums[i].value) return true;
      }
      return false;
    case KIND_STRING: {
      size_t n = strlen(value);
      if (n < 2 || (value[0] != '"' && value[0] != '\'') || value[n - 1] != value[0]) return false;
      char *s = gen_strdup(a, value + 1);
      s[n - 2] = '\0';
      *str = s;
      return true;
    }
  }
  return false;
}

static void set_key(gen_optset *set, gen_optkey k, int64_t v, const char *str) {
  set->v[k] = v;
  set->str[k] = str;
  set->from[k] = set;
}

/* ---- .options files ------------------------------------------------------------------------ */

/* Parses "key:value key: value ..." after the pattern. Returns false after an error. */
static bool parse_settings(gen_model *m, char *s, gen_optline *line) {
  gen_loc loc = line->set.loc;
  while (*s) {
    while (isspace((unsigned char)*s)) s++;
    if (*s == '\0') break;
    char *key = s;
    while (*s && (isalnum((unsigned char)*s) || *s == '_')) s++;
    char *key_end = s;
    while (isspace((unsigned char)*s)) s++;
    if (key_end == key || *s != ':') {
      gen_error(&m->diag, loc, "expected 'option:value' after the name pattern, found '%s'", key);
      return false;
    }
    *key_end = '\0';
    s++;
    while (isspace((unsigned char)*s)) s++;
    char *value = s;
    while (*s && !isspace((unsigned char)*s)) s++;
    if (*s) *s++ = '\0';
    if (*value == '\0') {
      gen_error(&m->diag, loc, "option '%s' has no value", key);
      return false;
    }
    int k = 0;
    while (k < K_COUNT_ && strcmp(keys[k].name, key) != 0) k++;
    if (k == K_COUNT_) {
      gen_error(&m->diag, loc,
                "unknown option '%s' (known: the NanoPBOptions fields of nanopb 0.4, sort_by_alignment, "
                "utf8_validation, storage, pool_size, pool_max and batch)",
                key);
      return false;
    }
    int64_t v = 0;
    const char *str = NULL;
    if (!parse_value(m->arena, (gen_optkey)k, value, &v, &str)) {
      gen_error(&m->diag, loc, "option '%s' has an invalid value '%s'%s", key, value,
                k == K_UTF8_VALIDATION ? "; expected verify or none" : "");
      return false;
    }
    set_key(&line->set, (gen_optkey)k, v, str);
    if (keys[k].not_applied) {
      gen_warning(&m->diag, loc, "nanopb option '%s' is not applied: %s", key, keys[k].not_applied);
    }
  }
  return true;
}

static gen_optfile *read_optfile(gen_model *m, const char *path, bool global) {
  FILE *fp = fopen(path, "rb");
  if (fp == NULL) return NULL;
  gen_buf text = {0};
  char chunk[4096];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) gen_buf_append(&text, chunk, n);
  fclose(fp);
  gen_buf_puts(&text, "");

  gen_optfile *of = gen_alloc(m->arena, sizeof *of);
  of->path = gen_strdup(m->arena, path);
  of->global = global;
  size_t max_lines = 1;
  for (size_t i = 0; i < text.len; i++) max_lines += text.data[i] == '\n';
  of->lines = gen_alloc(m->arena, max_lines * sizeof *of->lines);

  /* nanopb removes C comments first (they may span lines; the line numbers stay), then
   * `//` and `#` comments to the end of the line. */
  for (char *c = strstr(text.data, "/*"); c; c = strstr(c, "/*")) {
    char *close = strstr(c + 2, "*/");
    char *stop = close ? close + 2 : text.data + text.len;
    for (; c < stop; c++) {
      if (*c != '\n') *c = ' ';
    }
  }
  int lineno = 0;
  for (char *save = NULL, *ln = text.data; ln; ln = save) {
    char *nl = strchr(ln, '\n');
    save = nl ? nl + 1 : NULL;
    if (nl) *nl = '\0';
    lineno++;
    char *slashes = strstr(ln, "//");
    if (slashes) *slashes = '\0';
    char *hash = strchr(ln, '#');
    if (hash) *hash = '\0';
    while (isspace((unsigned char)*ln)) ln++;
    if (*ln == '\0') continue;
    char *pat = ln;
    while (*ln && !isspace((unsigned char)*ln)) ln++;
    if (*ln) *ln++ = '\0';
    gen_optline *line = &of->lines[of->line_count];
    line->set.loc.file = of->path;
    line->set.loc.line = lineno;
    line->set.loc.col = 1;
    line->set.is_line = true;
    line->pattern = gen_strdup(m->arena, pat);
    line->set.source = gen_strf(m->arena, "%s:%d", of->path, lineno);
    while (isspace((unsigned char)*ln)) ln++;
    if (*ln == '\0') {
      gen_warning(&m->diag, line->set.loc, "'%s' sets no option; line ignored", line->pattern);
      continue;
    }
    if (parse_settings(m, ln, line)) of->line_count++;
  }
  gen_buf_free(&text);
  gen_vec_push(&m->options->files, of);
  return of;
}

static void attach(gen_model *m, gen_file *f, gen_optfile *of) {
  struct gen_file_options *fo = f->options;
  gen_optfile **grown = gen_alloc(m->arena, (fo->count + 1) * sizeof *grown);
  if (fo->count) memcpy(grown, fo->files, fo->count * sizeof *grown);
  grown[fo->count++] = of;
  fo->files = grown;
}

void options_load(gen_model *m) {
  m->options = gen_alloc(m->arena, sizeof *m->options);
  for (size_t i = 0; i < m->file_count; i++) m->files[i]->options = gen_alloc(m->arena, sizeof *m->files[i]->options);
  gen_optfile **global = gen_alloc(m->arena, (m->params.options_file_count + 1) * sizeof *global);
  for (size_t i = 0; i < m->params.options_file_count; i++) {
    global[i] = read_optfile(m, m->params.options_files[i], true);
    if (global[i] == NULL) {
      gen_loc loc = {"--c-ffi_opt", 0, 0};
      gen_error(&m->diag, loc, "cannot read options file '%s': %s", m->params.options_files[i],
                strerror(errno));
    }
  }
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    /* x.proto -> x.options, looked up relative to each options_dir (default: the directory
     * protoc runs in, which is where relative .proto names usually resolve). */
    const char *rel = f->options_name;
    size_t ndirs = m->params.options_dir_count ? m->params.options_dir_count : 1;
    for (size_t d = 0; d < ndirs; d++) {
      const char *dir = m->params.options_dir_count ? m->params.options_dirs[d] : ".";
      const char *path = strcmp(dir, ".") == 0 ? rel : gen_strcat3(m->arena, dir, "/", rel);
      gen_optfile *of = read_optfile(m, path, false);
      if (of) {
        attach(m, f, of);
        break;
      }
    }
    for (size_t g = 0; g < m->params.options_file_count; g++) {
      if (global[g]) attach(m, f, global[g]);
    }
  }
}

/* ---- in-proto annotations ------------------------------------------------------------------ */

/* One field of a serialized message: its number and wire type, the value of a varint, the
 * bytes of a length-delimited value. */
typedef struct wire_field {
  uint32_t number;
  int wire_type;
  uint64_t varint;
  const uint8_t *data;
  size_t len;
} wire_field;

/* Reads the field at *p (fixed-width values are read past); false at the end or at bytes
 * that are not a field protoc would write. */
static bool next_field(const uint8_t **p, const uint8_t *end, wire_field *f) {
  if (*p >= end || p2f_wire_read_tag(p, end, &f->number, &f->wire_type) != P2F_OK) return false;
  switch (f->wire_type) {
    case P2F_WIRE_VARINT:
      return p2f_wire_read_varint(p, end, &f->varint) == P2F_OK;
    case P2F_WIRE_LEN:
      return p2f_wire_read_len(p, end, &f->data, &f->len) == P2F_OK;
    case P2F_WIRE_I32: {
      uint32_t ignored;
      return p2f_wire_read_fixed32(p, end, &ignored) == P2F_OK;
    }
    case P2F_WIRE_I64: {
      uint64_t ignored;
      return p2f_wire_read_fixed64(p, end, &ignored) == P2F_OK;
    }
    default:
      return false;
  }
}

/* The serialized message an unknown length-delimited field `tag` of an options message holds
 * (protobuf-c keeps the length prefix in the unknown field's data). */
static bool unknown_message(const ProtobufCMessageUnknownField *u, uint32_t tag, const uint8_t **data, size_t *len) {
  if (u->tag != tag || u->wire_type != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED) return false;
  const uint8_t *p = u->data, *end = u->data + u->len;
  return p2f_wire_read_len(&p, end, data, len) == P2F_OK && p == end;
}

static gen_optkey nanopb_key(uint32_t number) {
  for (int k = 0; k < K_COUNT_; k++) {
    if (keys[k].number == number) return (gen_optkey)k;
  }
  return K_COUNT_;
}

/* Decodes a serialized Proto2FFIOptions or NanoPBOptions into `set`. */
static void decode_optset(gen_arena *a, const uint8_t *p, size_t len, bool nanopb, gen_optset *set) {
  const uint8_t *end = p + len;
  wire_field f;
  while (next_field(&p, end, &f)) {
    gen_optkey k = K_COUNT_;
    if (nanopb) {
      k = nanopb_key(f.number);
    } else {
      /* Proto2FFIOptions: max_length = 1, max_size = 2, max_count = 3 (int64), sort_by_alignment = 4,
       * utf8_validation = 5 (VERIFY = 1, NONE = 2), storage = 6 (Proto2FFIStorage), pool_size = 7,
       * pool_max = 8 (int64), batch = 9. */
      static const gen_optkey ours[] = {K_COUNT_,          K_MAX_LENGTH, K_MAX_SIZE,  K_MAX_COUNT, K_SORT_BY_ALIGNMENT,
                                        K_UTF8_VALIDATION, K_STORAGE,    K_POOL_SIZE, K_POOL_MAX,  K_BATCH};
      if (f.number < sizeof ours / sizeof ours[0]) k = ours[f.number];
    }
    if (k == K_COUNT_) continue;
    if (f.wire_type == P2F_WIRE_LEN) {
      if (keys[k].kind == KIND_STRING) {
        char *s = gen_alloc(a, f.len + 1);
        memcpy(s, f.data, f.len);
        set_key(set, k, 0, s);
      }
      continue;
    }
    if (f.wire_type != P2F_WIRE_VARINT || keys[k].kind == KIND_STRING) continue;
    uint64_t v = f.varint;
    if (k == K_UTF8_VALIDATION && v != GEN_UTF8_VERIFY && v != GEN_UTF8_NONE) continue;
    /* STORAGE_DEFAULT says nothing, so that an outer level still decides; any other value is
     * kept as given, and storage.c reports one that is not a storage class. */
    if (k == K_STORAGE && v == 0) continue;
    /* NanoPBOptions' integers are int32 (sign-extended on the wire); ours are int64. */
    int64_t n = nanopb && keys[k].kind == KIND_INT ? (int64_t)(int32_t)v : (int64_t)v;
    set_key(set, k, n, NULL);
  }
}

/* The editions feature utf8_validation set in an options message: FeatureSet `features`
 * (field `features_field` of FileOptions 50, MessageOptions 12, FieldOptions 21; unknown
 * fields to the plugin's descriptor.proto), whose field 4 is VERIFY = 2 or NONE = 3.
 * GEN_UTF8_* or 0 when not set there. */
int opt_feature_utf8(const ProtobufCMessage *options, uint32_t features_field) {
  if (options == NULL) return 0;
  int found = 0;
  for (unsigned i = 0; i < options->n_unknown_fields; i++) {
    const uint8_t *p, *end;
    size_t len;
    if (!unknown_message(&options->unknown_fields[i], features_field, &p, &len)) continue;
    end = p + len;
    wire_field f;
    while (next_field(&p, end, &f)) {
      if (f.number == 4 && f.wire_type == P2F_WIRE_VARINT && (f.varint == 2 || f.varint == 3)) {
        found = f.varint == 2 ? GEN_UTF8_VERIFY : GEN_UTF8_NONE;
      }
    }
  }
  return found;
}

bool opt_annotation(gen_model *m, const ProtobufCMessage *options, uint32_t ext, const char *source,
                    gen_optset *set) {
  memset(set, 0, sizeof *set);
  set->source = source;
  if (options == NULL) return false;
  bool found = false;
  for (unsigned i = 0; i < options->n_unknown_fields; i++) {
    const uint8_t *p;
    size_t len;
    if (!unknown_message(&options->unknown_fields[i], ext, &p, &len)) continue;
    decode_optset(m->arena, p, len, ext == P2F_NANOPB_EXTENSION, set);
    found = true;
  }
  return found;
}

/* ---- merging: nanopb's chains --------------------------------------------------------------- */

/* Later sources override earlier ones key by key (protobuf's MergeFrom). */
static void merge(gen_optset *into, const gen_optset *s) {
  into->merges++;
  for (int k = 0; k < K_COUNT_; k++) {
    if (s->from[k] == NULL) continue;
    into->v[k] = s->v[k];
    into->str[k] = s->str[k];
    into->from[k] = s->from[k];
    into->rank[k] = into->merges;
  }
}

/* The .options lines of the file whose pattern matches `name`, in order (later ones win). */
static void merge_lines(gen_file *f, const char *name, gen_optset *into) {
  for (size_t i = 0; i < f->options->count; i++) {
    gen_optfile *of = f->options->files[i];
    for (size_t k = 0; k < of->line_count; k++) {
      gen_optline *line = &of->lines[k];
      if (gen_glob_match(line->pattern, name)) {
        line->matched = true;
        merge(into, &line->set);
      }
    }
  }
}

/* The annotations of one element: nanopb's, then proto2ffi's (which win over nanopb's). */
static void merge_annotations(gen_model *m, const ProtobufCMessage *o, const char *ours, const char *nanopbs,
                              gen_optset *into) {
  gen_optset *s = gen_alloc(m->arena, sizeof *s);
  if (opt_annotation(m, o, P2F_NANOPB_EXTENSION, nanopbs, s)) merge(into, s);
  s = gen_alloc(m->arena, sizeof *s);
  if (opt_annotation(m, o, P2F_OPTIONS_EXTENSION, ours, s)) merge(into, s);
}

static const ProtobufCMessage *msg_options(const gen_message *msg) {
  return msg->desc->options ? &msg->desc->options->base : NULL;
}

/* nanopb's name of a message or enum (full name `full`): the package part replaced as the
 * file's mangle_names and package settings say. */
static const char *mangled(gen_model *m, gen_file *f, const char *full, const char *last) {
  const gen_optset *fo = &f->options->merged;
  int64_t mangle = opt_has(fo, K_MANGLE_NAMES) ? fo->v[K_MANGLE_NAMES] : M_NONE;
  size_t plen = strlen(f->package);
  const char *rel = plen ? full + plen + 1 : full;
  switch (mangle) {
    case M_STRIP_PACKAGE:
      return rel;
    case M_FLATTEN:
      return last;
    case M_PACKAGE_INITIALS: {
      if (plen == 0) return rel;
      gen_buf b = {0};
      for (const char *p = f->package; *p; p++) {
        if (p == f->package || p[-1] == '.') gen_buf_append(&b, p, 1);
      }
      const char *out = gen_strcat3(m->arena, b.data, ".", rel);
      gen_buf_free(&b);
      return out;
    }
    default:
      if (opt_has(fo, K_PACKAGE) && fo->str[K_PACKAGE]) {
        return *fo->str[K_PACKAGE] ? gen_strcat3(m->arena, fo->str[K_PACKAGE], ".", rel) : rel;
      }
      return full;
  }
}

void opt_file(gen_model *m, gen_file *f, gen_optset *out) {
  (void)m;
  *out = f->options->merged;
}

void opt_prepare(gen_model *m) {
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    struct gen_file_options *fo = f->options;
    memset(&fo->merged, 0, sizeof fo->merged);
    merge_lines(f, f->name, &fo->merged);
    const ProtobufCMessage *o = f->desc->options ? &f->desc->options->base : NULL;
    merge_annotations(m, o, "(ffi_file)", "(nanopb_fileopt)", &fo->merged);
    fo->msg_names = gen_alloc(m->arena, (f->message_count + 1) * sizeof *fo->msg_names);
    for (size_t k = 0; k < f->message_count; k++) {
      gen_message *msg = f->messages[k];
      fo->msg_names[k] = mangled(m, f, msg->full_name, msg->name);
    }
  }
}

/* A message's settings: the file's, then proto2ffi's (ffi_msg) of the enclosing messages
 * (outermost first; nanopb's own settings are not inherited by nested messages), then the
 * lines naming it, (nanopb_msgopt), (ffi_msg). */
void opt_message(gen_model *m, gen_message *msg, gen_optset *out) {
  gen_file *f = msg->file;
  *out = f->options->merged;
  gen_message *chain[64];
  size_t n = 0;
  for (gen_message *p = msg->parent; p && n < 64; p = p->parent) chain[n++] = p;
  while (n-- > 0) {
    gen_optset *s = gen_alloc(m->arena, sizeof *s);
    if (opt_annotation(m, msg_options(chain[n]), P2F_OPTIONS_EXTENSION, "(ffi_msg)", s)) merge(out, s);
  }
  merge_lines(f, f->options->msg_names[msg->index], out);
  merge_annotations(m, msg_options(msg), "(ffi_msg)", "(nanopb_msgopt)", out);
}

static void merge_field_level(gen_model *m, gen_field *fd, gen_optset *out) {
  gen_file *f = fd->parent->file;
  merge_lines(f, gen_strcat3(m->arena, f->options->msg_names[fd->parent->index], ".", fd->name), out);
  merge_annotations(m, fd->desc->options ? &fd->desc->options->base : NULL, "(ffi)", "(nanopb)", out);
}

/* A field's settings: its message's; for the key or value of a map entry, the map field's
 * own (a proto2ffi extension: nanopb gives the entry nothing of the map field); then the
 * lines naming the field, (nanopb), (ffi). */
void opt_field(gen_model *m, gen_field *fd, gen_optset *out) {
  opt_message(m, fd->parent, out);
  if (fd->parent->map_field) merge_field_level(m, fd->parent->map_field, out);
  merge_field_level(m, fd, out);
}

void opt_field_own(gen_model *m, gen_field *fd, gen_optset *out) {
  memset(out, 0, sizeof *out);
  merge_field_level(m, fd, out);
}

/* A oneof's settings, as nanopb resolves them: the message's, the lines naming
 * <message>.<oneof>, then the message's (nanopb_msgopt) again. */
void opt_oneof(gen_model *m, gen_message *msg, const char *oneof_name, gen_optset *out) {
  opt_message(m, msg, out);
  gen_file *f = msg->file;
  merge_lines(f, gen_strcat3(m->arena, f->options->msg_names[msg->index], ".", oneof_name), out);
  gen_optset *s = gen_alloc(m->arena, sizeof *s);
  if (opt_annotation(m, msg_options(msg), P2F_NANOPB_EXTENSION, "(nanopb_msgopt)", s)) merge(out, s);
}

/* An enum's: the file's (top level) or its message's, then the lines naming it. */
void opt_enum(gen_model *m, gen_enum *e, gen_optset *out) {
  if (e->parent) opt_message(m, e->parent, out);
  else *out = e->file->options->merged;
  merge_lines(e->file, mangled(m, e->file, e->full_name, e->name), out);
}

void opt_warn_unmatched(gen_model *m) {
  for (size_t i = 0; i < m->options->files.len; i++) {
    gen_optfile *of = m->options->files.items[i];
    for (size_t k = 0; k < of->line_count; k++) {
      gen_optline *line = &of->lines[k];
      if (line->matched) continue;
      if (line->pattern[0] == '.') {
        gen_warning(&m->diag, line->set.loc,
                    "'%s' matches no file, message or field (names are matched without a leading '.', "
                    "as nanopb matches them); line ignored",
                    line->pattern);
      } else {
        gen_warning(&m->diag, line->set.loc, "'%s' matches no file, message or field; line ignored", line->pattern);
      }
    }
  }
}

void options_free(gen_model *m) {
  if (m->options) gen_vec_free(&m->options->files);
}
