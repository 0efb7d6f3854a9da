/* Plugin parameters, .options files and in-proto annotations (see options.h). */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "proto2ffi/wire.h"

/* The largest capacity (max_length, max_size, max_count): the runtime's lengths and counts
 * are uint32_t, and C array sizes stay within int. */
#define CAPACITY_MAX 2147483647ll

/* One capacity or layout setting from one source: an in-proto annotation, one line of an
 * .options file, or the plugin parameters. Unset values have has_x false. */
typedef struct gen_optset {
  bool has_length, has_size, has_count, has_sort, has_storage;
  int64_t length, size, count;
  bool sort;
  int64_t storage;            /* Proto2FFIStorage value (1 INLINE, 2 OUT_OF_LINE; others invalid) */
  const char *storage_source; /* "(ffi).storage", "(nanopb).type", "x.options:3" */
  const char *source; /* "(ffi).max_length", "social.options:3", "plugin parameter" */
} gen_optset;

/* A capacity as the options gave it: its value and where it came from, for error messages. */
typedef struct gen_optval {
  bool set;
  int64_t value;
  bool nanopb_size; /* a string's capacity given as max_size (buffer incl. NUL) */
  const char *source;
} gen_optval;

/* One line of an .options file: a name pattern and the settings it carries. */
typedef struct gen_optline {
  const char *pattern;
  gen_optset set;
  gen_loc loc;
  bool matched;
} gen_optline;

typedef struct gen_optfile {
  const char *path;
  gen_optline *lines;
  size_t line_count;
  bool global; /* options=PATH: applies to every file */
} gen_optfile;

/* model->options: every .options file read. */
struct gen_options {
  gen_vec files; /* gen_optfile * */
};

/* file->options: the .options files that apply to one .proto, later ones winning. */
struct gen_file_options {
  gen_optfile **files;
  size_t count;
};

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
  p->max_message_size = 16u * 1024u * 1024u;
  p->json = true;
  p->dart = GEN_DART_ON;
  p->dart_import = "package:proto2ffi/proto2ffi.dart";
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
                "max_message_size=N, report[=BOOL], json[=BOOL], dart=on|off|only, dart_path=REL, "
                "dart_import=URI, dart_library=NAME, storage=inline|out_of_line, require_capacity[=BOOL]",
                tok);
      continue;
    }
    if (!ok) {
      gen_error(&m->diag, loc, "parameter '%s' has an invalid value '%s'", tok, value ? value : "");
    }
  }
  return m->diag.error_count == 0;
}

/* ---- .options files ------------------------------------------------------------------------ */

/* NanoPBOptions fields that mean nothing for fixed-layout structs: accepted, then ignored
 * with a warning, so that an existing nanopb .options file works unchanged. */
static const char *const nanopb_only[] = {
    "int_size", "type", "long_names", "packed_struct", "packed_enum", "skip_message", "no_unions",
    "msgid", "anonymous_oneof", "proto3", "proto3_singular_msgs", "enum_to_string", "fixed_length",
    "fixed_count", "submsg_callback", "mangle_names", "callback_datatype", "callback_function",
    "descriptorsize", "default_has", "include", "exclude", "package", "type_override",
    "sort_by_tag", "fallback_type", NULL};

static bool is_nanopb_only(const char *key) {
  for (size_t i = 0; nanopb_only[i]; i++) {
    if (strcmp(nanopb_only[i], key) == 0) return true;
  }
  return false;
}

/* Parses "key:value key: value ..." after the pattern. Returns false after an error. */
static bool parse_settings(gen_model *m, char *s, gen_optline *line) {
  while (*s) {
    while (isspace((unsigned char)*s)) s++;
    if (*s == '\0') break;
    char *key = s;
    while (*s && (isalnum((unsigned char)*s) || *s == '_')) s++;
    char *key_end = s;
    while (isspace((unsigned char)*s)) s++;
    if (key_end == key || *s != ':') {
      gen_error(&m->diag, line->loc, "expected 'option:value' after the name pattern, found '%s'", key);
      return false;
    }
    *key_end = '\0';
    s++;
    while (isspace((unsigned char)*s)) s++;
    char *value = s;
    while (*s && !isspace((unsigned char)*s)) s++;
    if (*s) *s++ = '\0';
    if (*value == '\0') {
      gen_error(&m->diag, line->loc, "option '%s' has no value", key);
      return false;
    }
    int64_t n = 0;
    bool is_int = parse_int(value, &n);
    gen_optset *set = &line->set;
    if (strcmp(key, "max_length") == 0 && is_int) {
      set->has_length = true;
      set->length = n;
    } else if (strcmp(key, "max_size") == 0 && is_int) {
      set->has_size = true;
      set->size = n;
    } else if (strcmp(key, "max_count") == 0 && is_int) {
      set->has_count = true;
      set->count = n;
    } else if (strcmp(key, "sort_by_alignment") == 0 && parse_bool(value, &set->sort)) {
      set->has_sort = true;
    } else if (strcmp(key, "storage") == 0 && (strcmp(value, "inline") == 0 || strcmp(value, "out_of_line") == 0)) {
      set->has_storage = true;
      set->storage = strcmp(value, "inline") == 0 ? 1 : 2;
      set->storage_source = line->set.source;
    } else if (strcmp(key, "type") == 0 &&
               (strcmp(value, "FT_POINTER") == 0 || strcmp(value, "FT_CALLBACK") == 0 || strcmp(value, "FT_STATIC") == 0)) {
      /* nanopb's allocation types: pointer and callback fields are out-of-line, static inline. */
      set->has_storage = true;
      set->storage = strcmp(value, "FT_STATIC") == 0 ? 1 : 2;
      set->storage_source = line->set.source;
    } else if (is_nanopb_only(key)) {
      gen_warning(&m->diag, line->loc, "nanopb option '%s' has no effect on proto2ffi; ignored", key);
    } else if (strcmp(key, "max_length") == 0 || strcmp(key, "max_size") == 0 ||
               strcmp(key, "max_count") == 0 || strcmp(key, "sort_by_alignment") == 0 || strcmp(key, "storage") == 0) {
      gen_error(&m->diag, line->loc, "option '%s' has an invalid value '%s'", key, value);
      return false;
    } else {
      gen_error(&m->diag, line->loc,
                "unknown option '%s' (known: max_length, max_size, max_count, sort_by_alignment, storage)", key);
      return false;
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

  int lineno = 0;
  for (char *save = NULL, *ln = text.data; ln; ln = save) {
    char *nl = strchr(ln, '\n');
    save = nl ? nl + 1 : NULL;
    if (nl) *nl = '\0';
    lineno++;
    char *hash = strchr(ln, '#');
    if (hash) *hash = '\0';
    char *slashes = strstr(ln, "//");
    if (slashes) *slashes = '\0';
    while (isspace((unsigned char)*ln)) ln++;
    if (*ln == '\0') continue;
    char *pat = ln;
    while (*ln && !isspace((unsigned char)*ln)) ln++;
    if (*ln) *ln++ = '\0';
    gen_optline *line = &of->lines[of->line_count];
    line->loc.file = of->path;
    line->loc.line = lineno;
    line->loc.col = 1;
    line->pattern = gen_strdup(m->arena, pat[0] == '.' ? pat + 1 : pat);
    line->set.source = gen_strf(m->arena, "%s:%d", of->path, lineno);
    while (isspace((unsigned char)*ln)) ln++;
    if (*ln == '\0') {
      gen_warning(&m->diag, line->loc, "'%s' sets no option; line ignored", line->pattern);
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

static bool read_varint(const uint8_t **p, const uint8_t *end, uint64_t *out) {
  return p2f_wire_read_varint(p, end, out) == P2F_OK;
}

/* Decodes a serialized Proto2FFIOptions or NanoPBOptions (the fields proto2ffi honours). */
static void decode_optset(const uint8_t *p, size_t len, bool nanopb, gen_optset *set) {
  const uint8_t *end = p + len;
  while (p < end) {
    uint64_t key = 0;
    if (!read_varint(&p, end, &key)) return;
    uint32_t field = (uint32_t)(key >> 3);
    uint32_t wt = (uint32_t)(key & 7);
    uint64_t v = 0;
    if (wt == P2F_WIRE_VARINT) {
      if (!read_varint(&p, end, &v)) return;
    } else if (wt == P2F_WIRE_I64) {
      if (end - p < 8) return;
      p += 8;
      continue;
    } else if (wt == P2F_WIRE_I32) {
      if (end - p < 4) return;
      p += 4;
      continue;
    } else if (wt == P2F_WIRE_LEN) {
      if (!read_varint(&p, end, &v) || v > (uint64_t)(end - p)) return;
      p += v;
      continue;
    } else {
      return;
    }
    int64_t n = (int64_t)v;
    if (nanopb) {
      /* NanoPBOptions: max_size = 1, max_count = 2, max_length = 14 (int32). */
      if (field == 1) set->has_size = true, set->size = (int32_t)n;
      if (field == 2) set->has_count = true, set->count = (int32_t)n;
      if (field == 14) set->has_length = true, set->length = (int32_t)n;
      /* type = 3 (FieldType): FT_CALLBACK = 1 and FT_POINTER = 4 are out-of-line, FT_STATIC = 2
       * inline; the other values say nothing about storage. */
      if (field == 3 && (n == 1 || n == 4 || n == 2)) set->has_storage = true, set->storage = n == 2 ? 1 : 2;
    } else {
      if (field == 1) set->has_length = true, set->length = n;
      if (field == 2) set->has_size = true, set->size = n;
      if (field == 3) set->has_count = true, set->count = n;
      if (field == 4) set->has_sort = true, set->sort = v != 0;
      if (field == 5) set->has_storage = true, set->storage = n;
    }
  }
}

/* Where a storage value of an annotation came from, for messages: "(ffi).storage", "(nanopb).type". */
static const char *annotation_storage_source(const char *source) {
  static const char *const names[][2] = {
      {"(ffi)", "(ffi).storage"},         {"(ffi_msg)", "(ffi_msg).storage"},
      {"(ffi_file)", "(ffi_file).storage"}, {"(nanopb)", "(nanopb).type"},
      {"(nanopb_msgopt)", "(nanopb_msgopt).type"}, {"(nanopb_fileopt)", "(nanopb_fileopt).type"}};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    if (strcmp(names[i][0], source) == 0) return names[i][1];
  }
  return source;
}

/* Collects the annotation with extension number `ext` from an options message's unknown
 * fields (the plugin's descriptor.proto does not declare the extensions). */
static bool extension_optset(const ProtobufCMessage *options, uint32_t ext, const char *source,
                             gen_optset *set) {
  memset(set, 0, sizeof *set);
  if (options == NULL) return false;
  bool found = false;
  for (unsigned i = 0; i < options->n_unknown_fields; i++) {
    const ProtobufCMessageUnknownField *u = &options->unknown_fields[i];
    if (u->tag != ext || u->wire_type != PROTOBUF_C_WIRE_TYPE_LENGTH_PREFIXED) continue;
    /* protobuf-c keeps the length prefix in the unknown field's data. */
    const uint8_t *p = u->data;
    const uint8_t *end = u->data + u->len;
    uint64_t n = 0;
    if (!read_varint(&p, end, &n) || n != (uint64_t)(end - p)) continue;
    decode_optset(p, (size_t)n, ext == P2F_NANOPB_EXTENSION, set);
    found = true;
  }
  set->source = source;
  if (set->has_storage) set->storage_source = annotation_storage_source(source);
  return found;
}

/* ---- resolution -------------------------------------------------------------------------------- */

typedef enum want { WANT_CAPACITY, WANT_COUNT, WANT_SORT, WANT_STORAGE } want;

typedef struct query {
  want what;
  bool is_string; /* for WANT_CAPACITY */
  gen_optval result;
  bool sort;
  bool done;
  int level;       /* the level offered now: 0 the field, one more per offer_level call */
  int found_level; /* the level that answered */
  int64_t storage; /* WANT_STORAGE */
  const char *storage_source;
} query;

/* Offers one setting to the query; the first that answers it wins. */
static void offer(query *q, const gen_optset *s) {
  if (q->done) return;
  q->found_level = q->level;
  switch (q->what) {
    case WANT_CAPACITY: {
      bool length_first = q->is_string;
      bool has_first = length_first ? s->has_length : s->has_size;
      bool has_second = length_first ? s->has_size : s->has_length;
      if (!has_first && !has_second) return;
      q->result.set = true;
      q->result.source = s->source;
      if (has_first) {
        q->result.value = length_first ? s->length : s->size;
      } else {
        q->result.value = length_first ? s->size : s->length;
        q->result.nanopb_size = q->is_string;
      }
      q->done = true;
      return;
    }
    case WANT_COUNT:
      if (!s->has_count) return;
      q->result.set = true;
      q->result.value = s->count;
      q->result.source = s->source;
      q->done = true;
      return;
    case WANT_SORT:
      if (!s->has_sort) return;
      q->sort = s->sort;
      q->done = true;
      return;
    case WANT_STORAGE:
      /* STORAGE_DEFAULT (0) says nothing: an outer level may still answer. */
      if (!s->has_storage || s->storage == 0) return;
      q->storage = s->storage;
      q->storage_source = s->storage_source ? s->storage_source : s->source;
      q->done = true;
      return;
  }
}

/* Offers the in-proto annotations of one element, then the .options lines naming it (the
 * last line first). */
static void offer_level(query *q, gen_file *f, const ProtobufCMessage *options, const char *ours,
                        const char *nanopbs, const char *name) {
  gen_optset s;
  if (extension_optset(options, P2F_OPTIONS_EXTENSION, ours, &s)) offer(q, &s);
  if (extension_optset(options, P2F_NANOPB_EXTENSION, nanopbs, &s)) offer(q, &s);
  for (size_t i = f->options->count; i-- > 0;) {
    gen_optfile *of = f->options->files[i];
    for (size_t k = of->line_count; k-- > 0;) {
      gen_optline *line = &of->lines[k];
      if (gen_glob_match(line->pattern, name)) offer(q, &line->set);
    }
  }
  q->level++;
}

static void offer_field(query *q, gen_field *fd) {
  offer_level(q, fd->parent->file, fd->desc->options ? &fd->desc->options->base : NULL, "(ffi)",
              "(nanopb)", fd->full_name);
}

static void offer_message_chain(query *q, gen_message *msg) {
  for (; msg; msg = msg->parent) {
    const ProtobufCMessage *o = msg->desc->options ? &msg->desc->options->base : NULL;
    offer_level(q, msg->file, o, "(ffi_msg)", "(nanopb_msgopt)", msg->full_name);
  }
}

static void offer_file_and_params(query *q, gen_model *m, gen_file *f) {
  const ProtobufCMessage *o = f->desc->options ? &f->desc->options->base : NULL;
  offer_level(q, f, o, "(ffi_file)", "(nanopb_fileopt)", f->name);
  gen_optset p = {0};
  p.source = "plugin parameter";
  p.has_length = m->params.default_max_length >= 0;
  p.length = m->params.default_max_length;
  p.has_size = m->params.default_max_size >= 0;
  p.size = m->params.default_max_size;
  p.has_count = m->params.default_max_count >= 0;
  p.count = m->params.default_max_count;
  p.has_sort = true;
  p.sort = m->params.sort_by_alignment;
  /* The storage parameter is not a level: it forces every variable field (storage.c). */
  if (q->what == WANT_CAPACITY && !q->done) {
    /* Parameters name the kind explicitly: strings take default_max_length, bytes
     * default_max_size; neither stands in for the other. */
    if (q->is_string) p.has_size = false;
    else p.has_length = false;
  }
  offer(q, &p);
}

/* An annotation on the field itself that cannot apply to it is a mistake worth a warning
 * (a capacity on an int32, sort_by_alignment on a field). Map fields take max_length and
 * max_size for their entries. */
static void warn_inapplicable(gen_model *m, gen_field *fd) {
  gen_optset s;
  const ProtobufCMessage *o = fd->desc->options ? &fd->desc->options->base : NULL;
  for (int k = 0; k < 2; k++) {
    uint32_t ext = k ? P2F_NANOPB_EXTENSION : P2F_OPTIONS_EXTENSION;
    if (!extension_optset(o, ext, k ? "(nanopb)" : "(ffi)", &s)) continue;
    gen_kind kind = fd->type->kind;
    bool text = kind == GEN_KIND_STRING || kind == GEN_KIND_BYTES || fd->is_map;
    const char *what = NULL;
    if ((s.has_length || s.has_size) && !text) what = s.has_length ? "max_length" : "max_size";
    else if (s.has_count && !fd->repeated) what = "max_count";
    else if (s.has_sort) what = "sort_by_alignment";
    /* nanopb's type is routinely set on every field; only ours is worth a warning. */
    else if (k == 0 && s.has_storage && !text && !fd->repeated && kind != GEN_KIND_MESSAGE) what = "storage";
    if (what) {
      gen_warning(&m->diag, model_loc(fd->parent->file, &fd->path), "%s.%s has no effect on %s field %s; ignored",
                  s.source, what, fd->repeated ? "this repeated" : fd->type->proto_name, fd->full_name);
    }
  }
}

/* ---- capacities: chosen and validated ----------------------------------------------------- */

static gen_loc field_loc(gen_field *fd) {
  gen_field *u = model_user_field(fd);
  return model_loc(u->parent->file, &u->path);
}

static void missing_capacity(gen_model *m, gen_field *fd, const char *key, const char *param) {
  gen_field *u = model_user_field(fd);
  const char *what = fd->repeated ? (fd->is_map ? "map" : gen_strf(m->arena, "repeated %s", fd->type->proto_name))
                                  : fd->type->proto_name;
  if (u != fd) {
    gen_error(&m->diag, field_loc(fd),
              "the %s %s of map field %s has no capacity; give one in any of three ways: "
              "[(ffi).%s = N] on the map field (import \"proto2ffi/options.proto\"), "
              "the line '%s %s:N' in %s, or --c-ffi_opt=%s=N for every such field",
              fd->type->proto_name, fd->name, u->full_name, key, u->full_name, key,
              u->parent->file->options_name, param);
    return;
  }
  gen_error(&m->diag, field_loc(fd),
            "field %s (%s) has no capacity; give one in any of three ways: "
            "[(ffi).%s = N] on the field (import \"proto2ffi/options.proto\"), "
            "the line '%s %s:N' in %s, or --c-ffi_opt=%s=N for every such field",
            fd->full_name, what, key, fd->full_name, key, fd->parent->file->options_name, param);
}

static bool check_range(gen_model *m, gen_field *fd, const gen_optval *v, int64_t value, const char *key) {
  if (value >= 1 && value <= CAPACITY_MAX) return true;
  gen_error(&m->diag, field_loc(fd),
            "%s %lld for field %s (from %s) is out of range: capacities must be between 1 and %lld",
            key, (long long)v->value, model_user_field(fd)->full_name, v->source, CAPACITY_MAX);
  return false;
}

void options_report_missing_capacity(gen_model *m, gen_field *fd, bool count) {
  if (count) {
    missing_capacity(m, fd, "max_count", "default_max_count");
    return;
  }
  bool str = fd->type->kind == GEN_KIND_STRING;
  missing_capacity(m, fd, str ? "max_length" : "max_size", str ? "default_max_length" : "default_max_size");
}

/* The string/bytes capacity the options gave (v->set), as max_length; 0 after an error. */
static uint64_t choose_length(gen_model *m, gen_field *fd, const gen_optval *v) {
  bool str = fd->type->kind == GEN_KIND_STRING;
  /* nanopb reads a string's max_size as the buffer size, NUL included. */
  int64_t value = v->nanopb_size ? v->value - 1 : v->value;
  if (v->nanopb_size && value < 1) {
    gen_error(&m->diag, field_loc(fd),
              "max_size %lld for string field %s (from %s) leaves no room for text: a string's max_size "
              "counts the NUL (nanopb's meaning), so it must be at least 2; or give max_length instead",
              (long long)v->value, model_user_field(fd)->full_name, v->source);
    return 0;
  }
  if (!check_range(m, fd, v, value, str ? "max_length" : "max_size")) return 0;
  /* A proto2 default must fit, or init would write past the field. */
  if (fd->def.set && fd->def.bytes_len > (uint64_t)value) {
    gen_error(&m->diag, field_loc(fd),
              "the default value of %s is %zu bytes, longer than its capacity of %llu bytes; raise the "
              "capacity or shorten the default",
              fd->full_name, fd->def.bytes_len, (unsigned long long)value);
    return 0;
  }
  return (uint64_t)value;
}

static uint64_t choose_count(gen_model *m, gen_field *fd, const gen_optval *v) {
  return check_range(m, fd, v, v->value, "max_count") ? (uint64_t)v->value : 0;
}

/* Chooses the field's capacities (max_length, max_count) where the options give them,
 * reporting an invalid one (they stay 0 then, and where none is given), and records what
 * storage.c needs: the level of each capacity and the storage value of the most specific
 * level. A missing capacity is storage.c's to judge (out-of-line, or an error). Singular
 * message fields take a storage value from the field itself only. */
static void resolve_capacities(gen_model *m, gen_field *fd) {
  gen_kind kind = fd->type->kind;
  gen_storage_opts *so = &fd->storage_opts;
  so->length_level = so->count_level = so->storage_level = -1;
  gen_field *map = fd->parent->map_field;
  if (kind == GEN_KIND_STRING || kind == GEN_KIND_BYTES) {
    query q = {WANT_CAPACITY, kind == GEN_KIND_STRING, {0}, false, false, 0, -1, 0, NULL};
    offer_field(&q, fd);
    if (map) offer_field(&q, map);
    offer_message_chain(&q, fd->parent);
    offer_file_and_params(&q, m, fd->parent->file);
    if (q.result.set) {
      fd->max_length = choose_length(m, fd, &q.result);
      so->length_level = q.found_level;
      so->length_source = q.result.source;
    }
  }
  if (fd->repeated) {
    query q = {WANT_COUNT, false, {0}, false, false, 0, -1, 0, NULL};
    offer_field(&q, fd);
    offer_message_chain(&q, fd->parent);
    offer_file_and_params(&q, m, fd->parent->file);
    if (q.result.set) {
      fd->max_count = choose_count(m, fd, &q.result);
      so->count_level = q.found_level;
      so->count_source = q.result.source;
    }
  }
  query q = {WANT_STORAGE, false, {0}, false, false, 0, -1, 0, NULL};
  offer_field(&q, fd);
  if (kind == GEN_KIND_STRING || kind == GEN_KIND_BYTES || fd->repeated) {
    if (map) offer_field(&q, map);
    offer_message_chain(&q, fd->parent);
    offer_file_and_params(&q, m, fd->parent->file);
  }
  if (q.done) {
    so->storage = q.storage;
    so->storage_level = q.found_level;
    so->storage_source = q.storage_source;
  }
}

/* Whether msg was visited by resolve_needed: one flag per message of each file. */
static bool *seen_flag(const gen_model *m, bool **seen, const gen_message *msg) {
  size_t fi = 0;
  while (m->files[fi] != msg->file) fi++;
  return &seen[fi][msg->index];
}

/* Capacities are chosen for the messages layout lays out: those of the files protoc asked
 * for and every message they contain by value (a group is rejected by layout, not followed).
 * Depth first, each field's capacities before the message it holds, in the order layout
 * meets them. */
static void resolve_needed(gen_model *m, bool **seen, gen_message *msg) {
  bool *flag = seen_flag(m, seen, msg);
  if (*flag) return;
  *flag = true;
  for (size_t i = 0; i < msg->field_count; i++) {
    gen_field *fd = &msg->fields[i];
    if (fd->type->kind == GEN_KIND_GROUP) continue;
    resolve_capacities(m, fd);
    if (fd->type->kind == GEN_KIND_MESSAGE && fd->msg) resolve_needed(m, seen, fd->msg);
  }
}

/* A line is used when its pattern names any file, message or field it applies to, whether
 * or not its settings mean anything there (an int_size line still names its field). */
static void mark_matched_lines(gen_model *m) {
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->options->count; k++) {
      gen_optfile *of = f->options->files[k];
      for (size_t l = 0; l < of->line_count; l++) {
        gen_optline *line = &of->lines[l];
        if (line->matched) continue;
        line->matched = gen_glob_match(line->pattern, f->name);
        for (size_t j = 0; j < f->message_count && !line->matched; j++) {
          gen_message *msg = f->messages[j];
          line->matched = gen_glob_match(line->pattern, msg->full_name);
          for (size_t n = 0; n < msg->field_count && !line->matched; n++) {
            line->matched = gen_glob_match(line->pattern, msg->fields[n].full_name);
          }
        }
      }
    }
  }
}

void options_apply(gen_model *m) {
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    for (size_t k = 0; k < f->message_count; k++) {
      gen_message *msg = f->messages[k];
      query q = {WANT_SORT, false, {0}, false, false, 0, -1, 0, NULL};
      offer_message_chain(&q, msg);
      offer_file_and_params(&q, m, f);
      msg->sort_by_alignment = q.sort;
      if (f->to_generate) {
        for (size_t j = 0; j < msg->field_count; j++) warn_inapplicable(m, &msg->fields[j]);
      }
    }
  }
  mark_matched_lines(m);
  for (size_t i = 0; i < m->options->files.len; i++) {
    gen_optfile *of = m->options->files.items[i];
    for (size_t k = 0; k < of->line_count; k++) {
      if (!of->lines[k].matched) {
        gen_warning(&m->diag, of->lines[k].loc, "'%s' matches no file, message or field; line ignored",
                    of->lines[k].pattern);
      }
    }
  }
}

bool options_choose_capacities(gen_model *m) {
  size_t before = m->diag.error_count;
  bool **seen = gen_xmalloc((m->file_count + 1) * sizeof *seen);
  for (size_t i = 0; i < m->file_count; i++) seen[i] = gen_alloc(m->arena, m->files[i]->message_count + 1);
  for (size_t i = 0; i < m->file_count; i++) {
    gen_file *f = m->files[i];
    if (!f->to_generate) continue;
    for (size_t k = 0; k < f->message_count; k++) resolve_needed(m, seen, f->messages[k]);
  }
  free(seen);
  return m->diag.error_count == before;
}

void options_free(gen_model *m) {
  if (m->options) gen_vec_free(&m->options->files);
}
