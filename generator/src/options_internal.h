/* Shared by options.c (reading the sources and merging them per element) and
 * options_apply.c (what the merged settings do to the model). Not a public header.
 *
 * Every setting is one key of NanoPBOptions (nanopb 0.4.x) or proto2ffi's sort_by_alignment.
 * Sources set keys; an element's settings are the sources of its chain merged key by key, a
 * later source overriding an earlier one, as nanopb merges its options (docs/options.md).
 */
#ifndef P2F_GEN_OPTIONS_INTERNAL_H_
#define P2F_GEN_OPTIONS_INTERNAL_H_

#include "model.h"

typedef enum gen_optkey {
  K_MAX_SIZE,
  K_MAX_LENGTH,
  K_MAX_COUNT,
  K_INT_SIZE,
  K_TYPE,
  K_LONG_NAMES,
  K_PACKED_STRUCT,
  K_PACKED_ENUM,
  K_SKIP_MESSAGE,
  K_NO_UNIONS,
  K_MSGID,
  K_ANONYMOUS_ONEOF,
  K_PROTO3,
  K_PROTO3_SINGULAR_MSGS,
  K_ENUM_TO_STRING,
  K_FIXED_LENGTH,
  K_FIXED_COUNT,
  K_SUBMSG_CALLBACK,
  K_MANGLE_NAMES,
  K_CALLBACK_DATATYPE,
  K_CALLBACK_FUNCTION,
  K_DESCRIPTORSIZE,
  K_DEFAULT_HAS,
  K_INCLUDE,
  K_EXCLUDE,
  K_PACKAGE,
  K_TYPE_OVERRIDE,
  K_SORT_BY_TAG,
  K_FALLBACK_TYPE,
  K_SORT_BY_ALIGNMENT, /* proto2ffi's own */
  K_UTF8_VALIDATION,   /* proto2ffi's own: GEN_UTF8_VERIFY or GEN_UTF8_NONE */
  K_STORAGE,           /* proto2ffi's own: Proto2FFIStorage, 1 INLINE or 2 OUT_OF_LINE (others invalid) */
  K_POOL_SIZE,         /* proto2ffi's own, messages: options_pool.c */
  K_POOL_MAX,
  K_BATCH,
  K_COUNT_
} gen_optkey;

/* nanopb's enum values as NanoPBOptions carries them. */
enum { FT_DEFAULT = 0, FT_CALLBACK = 1, FT_STATIC = 2, FT_IGNORE = 3, FT_POINTER = 4, FT_INLINE = 5 };
enum { M_NONE = 0, M_STRIP_PACKAGE = 1, M_FLATTEN = 2, M_PACKAGE_INITIALS = 3 };

/* The settings of one source: an in-proto annotation, one .options line, or (merged) an
 * element. `from[k]` is the source that set key k (NULL: unset). In a merged set, `rank[k]`
 * orders the sources: the merge that set key k (1 for the first merge; a higher rank is a
 * more specific source), so that storage.c can tell which of two keys was set closer to
 * the field. */
typedef struct gen_optset {
  int64_t v[K_COUNT_];
  const char *str[K_COUNT_]; /* string-valued keys (package, callback_datatype, ...) */
  const struct gen_optset *from[K_COUNT_];
  unsigned rank[K_COUNT_];
  unsigned merges;
  const char *source; /* "(ffi)", "(nanopb)", "social.options:3" */
  bool is_line;
  gen_loc loc; /* an .options line's location */
} gen_optset;

typedef struct gen_optline {
  const char *pattern;
  gen_optset set;
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

/* file->options: the .options files that apply to one .proto (later ones win), and the names
 * its elements are matched by (nanopb's names: mangle_names and package change them). */
struct gen_file_options {
  gen_optfile **files;
  size_t count;
  gen_optset merged; /* the file's own settings */
  const char **msg_names; /* per message index */
};

static inline bool opt_has(const gen_optset *s, gen_optkey k) { return s->from[k] != NULL; }

/* options.c: the merged settings of one element, nanopb's chain (docs/options.md). */
void opt_file(gen_model *m, gen_file *f, gen_optset *out);
void opt_message(gen_model *m, gen_message *msg, gen_optset *out);
void opt_field(gen_model *m, gen_field *fd, gen_optset *out);
/* Only the field's own settings: the lines naming it and its annotations. */
void opt_field_own(gen_model *m, gen_field *fd, gen_optset *out);
void opt_oneof(gen_model *m, gen_message *msg, const char *oneof_name, gen_optset *out);
void opt_enum(gen_model *m, gen_enum *e, gen_optset *out);
/* Computes every file's merged settings and match names (after options_load). */
void opt_prepare(gen_model *m);
/* The key's name in .options syntax. */
const char *opt_key_name(gen_optkey k);
/* The annotations of one options message: (ffi)-style ext 56262 and nanopb's 1010. */
bool opt_annotation(gen_model *m, const ProtobufCMessage *options, uint32_t ext, const char *source,
                    gen_optset *out);
/* The editions feature utf8_validation in an options message's FeatureSet (field
 * features_field): GEN_UTF8_* or 0 when not set there. */
int opt_feature_utf8(const ProtobufCMessage *options, uint32_t features_field);
/* options_pool.c: a message's pool_size, pool_max and batch settings, validated. */
void opt_apply_pool(gen_model *m, gen_message *msg, const gen_optset *s);
/* Warns about every .options line that matched no element (nanopb's names). */
void opt_warn_unmatched(gen_model *m);

#endif /* P2F_GEN_OPTIONS_INTERNAL_H_ */
