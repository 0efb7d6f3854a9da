/* The generator's model: every file, message, field, enum and oneof of a request, resolved
 * across files, with options applied, every C/Dart name computed (names.c) and, for the
 * messages that are needed, every size, alignment and offset (layout.c).
 *
 * Stages fill it in one direction: model_build (resolution, names, options) -> layout (with
 * the codec tables: zero ranges in layout.c, dispatch tables and decoding routines in
 * codec_tables.c) -> names_check (the names that need the layout, collisions) -> backends.
 * Backends only read it: they never compute a name, a size, an offset or a codec table.
 * Everything is allocated in model->arena and released with model_free.
 */
#ifndef P2F_GEN_MODEL_H_
#define P2F_GEN_MODEL_H_

#include "descriptor_types.h"
#include "diag.h"
#include "scalar.h"
#include "srcloc.h"
#include "util.h"

typedef struct gen_file gen_file;
typedef struct gen_message gen_message;
typedef struct gen_field gen_field;
typedef struct gen_enum gen_enum;
typedef struct gen_oneof gen_oneof;
typedef struct gen_struct gen_struct;
typedef struct gen_member gen_member;

/* The utf8_validation option's values (options.c). */
enum { GEN_UTF8_VERIFY = 1, GEN_UTF8_NONE = 2 };
/* A variable field's storage class (storage.c; docs/layout.md). Inline: a capacity and the
 * bytes in the struct. Out-of-line: a pointer member (8 bytes) to data the message does not
 * hold (an arena's, or the caller's by reference). */
typedef enum gen_storage { GEN_STORAGE_INLINE = 0, GEN_STORAGE_OUT_OF_LINE = 1 } gen_storage;

/* The storage plugin parameter: none, or every variable field forced to one class. */
typedef enum gen_storage_param { GEN_STORAGE_PARAM_NONE, GEN_STORAGE_PARAM_INLINE, GEN_STORAGE_PARAM_OUT_OF_LINE } gen_storage_param;

/* What the options said about a field, for storage.c: the storage value of the most specific
 * level that gives one, and the level each capacity came from. Levels count from the field
 * (0), through the map field of an entry, the enclosing messages, the file, to the plugin
 * parameters; -1: not given. */
typedef struct gen_storage_opts {
  int64_t storage; /* Proto2FFIStorage: 0 not given, 1 INLINE, 2 OUT_OF_LINE, anything else is invalid */
  int storage_level;
  const char *storage_source; /* "(ffi).storage", "x.options:3", "(nanopb).type" */
  int length_level;           /* the string/bytes capacity */
  int count_level;            /* max_count */
  const char *length_source;  /* where each capacity came from */
  const char *count_source;
} gen_storage_opts;

typedef enum gen_dart_mode {
  GEN_DART_ON,   /* x.ffi.dart next to the C files */
  GEN_DART_OFF,  /* no Dart output */
  GEN_DART_ONLY, /* only x.ffi.dart (a second protoc run into a Dart source tree) */
} gen_dart_mode;

/* Plugin parameters (--c-ffi_opt=key=value,...). See docs/options.md. */
typedef struct gen_params {
  int64_t default_max_length; /* -1: not given */
  int64_t default_max_size;
  int64_t default_max_count;
  bool sort_by_alignment;
  int utf8_validation;        /* utf8_validation=verify|none: GEN_UTF8_*, 0 when not given */
  int64_t pool_size;          /* pool_size=N, pool_max=N: -1 when not given */
  int64_t pool_max;
  bool batch;                 /* batch[=BOOL]: kernels for every message */
  uint64_t max_message_size;  /* error above this many bytes */
  bool report;                /* write x.ffi.layout.txt */
  bool json;                  /* write x.ffi.json (default on) */
  const char **options_files; /* options=PATH, applied to every file */
  size_t options_file_count;
  const char **options_dirs;  /* options_dir=DIR: where x.options is looked for */
  size_t options_dir_count;
  gen_dart_mode dart;         /* dart=on|off|only */
  const char *dart_path;      /* dart_path=REL: subdirectory of the output for x.ffi.dart, or NULL */
  const char *dart_import;    /* dart_import=URI: the runtime package the Dart files import */
  const char *dart_library;   /* dart_library=NAME: a `library NAME;` directive, or NULL */
  const char *dart_asset;     /* dart_asset=package:PKG/NAME: the @DefaultAsset of every Dart file */
  gen_storage_param storage;  /* storage=inline|out_of_line: forces every variable field */
  bool require_capacity;      /* require_capacity: no implicit out-of-line (missing capacity, cycle) */
} gen_params;

/* What a member of a generated struct or union holds. */
/* The batch kernels of a numeric field (emit_batch.c, docs/generated-c-api.md): over an
 * array of messages for a singular field; over one message's elements for a repeated one. */
typedef enum gen_kernel {
  GEN_KERNEL_SUM,
  GEN_KERNEL_MEAN,
  GEN_KERNEL_MIN,
  GEN_KERNEL_MAX,
  GEN_KERNEL_COUNT_ABOVE, /* singular fields only */
  GEN_KERNEL_DOT,         /* singular fields only */
  GEN_KERNEL_SCALE,       /* repeated fields only */
  /* Singular fields only: the same over an array of n message pointers (p2f_ptrs_*). */
  GEN_KERNEL_SUM_PTRS,
  GEN_KERNEL_MEAN_PTRS,
  GEN_KERNEL_MIN_PTRS,
  GEN_KERNEL_MAX_PTRS,
  GEN_KERNEL_COUNT_ABOVE_PTRS,
  GEN_KERNEL_DOT_PTRS,
  GEN_KERNEL_COUNT_
} gen_kernel;

typedef enum gen_member_role {
  GEN_MEMBER_VALUE,    /* the field's value (array for repeated / string / bytes) */
  GEN_MEMBER_HAS,      /* uint8_t has_x presence flag */
  GEN_MEMBER_LEN,      /* uint32_t x_len: bytes used in a string/bytes (array if repeated) */
  GEN_MEMBER_COUNT,    /* uint32_t x_count: elements used in a repeated field */
  GEN_MEMBER_CAP,      /* uint32_t x_cap: elements an out-of-line array has room for (0: not the arena's) */
  GEN_MEMBER_WHICH,    /* uint32_t which_x: field number of the oneof member set, 0 none */
  GEN_MEMBER_ONEOF,    /* the union holding a oneof's members */
  GEN_MEMBER_RESERVED, /* filler that keeps an empty message a valid C struct */
} gen_member_role;

struct gen_member {
  gen_member_role role;
  const char *c_name;
  const char *dart_name;
  /* Names of the names step after layout (names.c): the name the Dart class declares the
   * member with. In a message class a member whose raw form is not the natural Dart value is
   * private storage "_" + dart_name behind an accessor named dart_name (dart_private); every
   * other member is declared as dart_name. */
  const char *dart_decl_name;
  bool dart_private;
  /* Element type: exactly one of scalar (a fixed-width C type) or aggregate is set. With
   * pointer, the member is a pointer (8 bytes) to elements of that type. */
  const gen_scalar_type *scalar;
  const gen_struct *aggregate;
  bool pointer;
  uint32_t ndims;   /* 0: not an array; 1 or 2 dimensions otherwise */
  uint64_t dims[2];
  uint64_t elem_size;
  uint32_t align;
  uint64_t size;    /* elem_size times every dimension */
  uint64_t offset;  /* within the enclosing struct or union */
  gen_field *field; /* the field this member belongs to (NULL for WHICH/ONEOF/RESERVED) */
  gen_oneof *oneof; /* for WHICH and ONEOF members */
};

/* A C aggregate the header declares: a message's struct, a oneof's union, or the small struct
 * that holds a string/bytes member inside a oneof (length + data). */
struct gen_struct {
  bool is_union;
  const char *c_name;
  const char *dart_name;
  gen_member *members;
  size_t member_count;
  uint64_t size;
  uint32_t align;
  uint64_t padding; /* bytes not covered by any member */
  gen_message *owner;
  /* The members in ascending offset order (declaration order in a union), as C declares
   * them (layout.c). */
  const gen_member **by_offset;
};

typedef enum gen_label { GEN_LABEL_OPTIONAL = 1, GEN_LABEL_REQUIRED = 2, GEN_LABEL_REPEATED = 3 } gen_label;

/* A [default = ...] value, decoded from the descriptor's text form. */
typedef struct gen_default {
  bool set;
  int64_t i;          /* signed integer types and enums */
  uint64_t u;         /* unsigned integer types */
  double d;           /* float and double */
  bool b;             /* bool */
  const char *bytes;  /* string and bytes, unescaped */
  size_t bytes_len;
} gen_default;

struct gen_field {
  const char *name;      /* "content" */
  const char *full_name; /* "social.Post.content" */
  const char *c_name;    /* escaped: "content", "class_" */
  const char *dart_name; /* "content", "class_", "postId" */
  int32_t number;
  gen_label label;
  const gen_scalar_type *type;
  gen_message *msg; /* for message fields (and map entries) */
  gen_enum *enm;    /* for enum fields */
  gen_message *parent;
  gen_oneof *oneof;     /* real oneofs only; proto3 `optional` is presence, not a oneof */
  bool repeated;
  bool is_map;          /* repeated entry struct of a map<K,V> */
  bool has_presence;    /* gets a has_ flag */
  bool packed;          /* emitted packed on the wire */
  bool utf8;            /* a string decoding verifies as UTF-8 (options.c; P2F_FF_UTF8) */
  /* nanopb's int_size: the bytes of the member (type is then a copy of the integer type's
   * entry at that width) when it differs from the type's own width; 0 otherwise. Decode
   * range-checks a narrower value (P2F_FF_INT_SIZE), so do the Dart setters. */
  uint32_t int_width;
  /* Capacities, chosen and validated by options.c (1..2^31-1; 0 where none applies). */
  uint64_t max_length;  /* string: bytes (storage is +1 for the NUL); bytes: capacity */
  uint64_t max_count;   /* repeated: elements */
  /* nanopb's fixed_length (type:FT_INLINE): an inline bytes field without a length member,
   * always exactly max_length bytes (P2F_FF_FIXED_LENGTH). nanopb's fixed_count: an inline
   * repeated field without a count member, always exactly max_count elements
   * (P2F_FF_FIXED_COUNT). nanopb's default_has: T_init sets the has_ flag (decode clears it,
   * as nanopb's decoder does). options_apply.c. */
  bool fixed_length;
  bool fixed_count;
  bool default_has;
  gen_default def;
  gen_path path;
  const Google__Protobuf__FieldDescriptorProto *desc;
  gen_storage_opts storage_opts; /* options.c */
  gen_storage storage;           /* storage.c: the class the backends print */
  bool closes_cycle;             /* storage.c: out-of-line because it closes a cycle of messages */

  /* Identifiers (names.c). */
  const char *macro_tag;       /* social_Post_content_TAG */
  const char *macro_capacity;  /* social_Post_content_MAX_LENGTH / _MAX_SIZE, or NULL */
  const char *macro_max_count; /* social_Post_ids_MAX_COUNT, or NULL */
  const char *len_name;        /* member names: "content_len", "ids_count", "has_x" */
  const char *count_name;
  const char *has_name;
  const char *len_dart_name;
  const char *count_dart_name;
  const char *has_dart_name;
  const char *value_dart_name; /* Dart accessors derived from the field: "postTypeValue" (the */
  const char *view_dart_name;  /* raw number of an enum) and "blobView" (bytes view) */
  const char *add_new_dart_name; /* "addNewComments": appends an initialised element (repeated messages) */
  /* Dart calls of out-of-line fields (docs/dart.md), on the message class: "setLabel"
   * (copy into an arena), "setBlobRef" (bytes by reference), "addKids" (append, growing the
   * array in an arena), "mutableNext" (allocate the submessage), "clearNext" (absent /
   * empty); and "countsMap", the Map view of a map field (inline or out-of-line). */
  const char *set_dart_name;
  const char *set_ref_dart_name;
  const char *add_dart_name;
  const char *mutable_dart_name;
  const char *clear_dart_name;
  const char *map_dart_name;
  const char *enums_dart_name; /* "colorsEnums": a repeated enum's elements as enum constants */
  const char *dart_const_capacity;  /* Dart class constants: "CONTENT_MAX_LENGTH" / "_MAX_SIZE", */
  const char *dart_const_max_count; /* "IDS_MAX_COUNT"; NULL where the C macro is NULL */
  const char *var_enum_values; /* x.ffi.c: p2f_gen_values_social_Post_kind, the sorted values of a
                                * closed enum field; NULL for other fields */
  /* Out-of-line fields only (names_assign_storage), NULL otherwise: the x_cap member of a
   * repeated field, and the building functions social_Post_set_x, _set_x_ref, _add_x,
   * _mutable_x where the field has them (docs/generated-c-api.md). */
  const char *cap_name;
  const char *cap_dart_name;
  const char *fn_set;
  const char *fn_set_ref;
  const char *fn_add;
  const char *fn_mutable;

  /* Layout (layout.c): members in the message struct (or, inside a oneof, in the union). */
  gen_member *m_value;
  gen_member *m_has;
  gen_member *m_len;
  gen_member *m_count;
  gen_member *m_cap;
  /* Absolute offsets in the message struct (layout.c), for the codec tables and the manifest:
   * the value (first element), the string/bytes length (first of the array for repeated), and
   * the has_/count/which_ member; UINT64_MAX where there is none. */
  uint64_t abs_value;
  uint64_t abs_len;
  uint64_t abs_aux;
  uint64_t value_stride; /* bytes of one value (one element for repeated) */
  /* The field's decoding routine (codec.h, p2f_field_desc.kind; codec_tables.c, once the
   * offsets are known): a P2F_FK_* routine, or-ed with P2F_FK_HAS when it sets the has_ flag,
   * for an inline singular or optional field of the common types; 0 (P2F_FK_GENERAL, the
   * general path) for every other field. */
  uint8_t codec_kind;
  /* The one-byte tag of the field after this one in number order (codec.h,
   * p2f_field_desc.next_tag; codec_tables.c), 0 when it has none. */
  uint8_t codec_next_tag;
  /* Batch kernels (names.c; emitted by emit_batch.c): the runtime column type ("i32", "u32",
   * "i64", "u64", "f32", "f64") or NULL when the field gets none, and each kernel's C and Dart
   * name (NULL where its kind has no such kernel). */
  const char *batch_col;
  const char *fn_kernel[GEN_KERNEL_COUNT_];
  const char *dart_kernel[GEN_KERNEL_COUNT_];
  gen_struct *aux; /* string/bytes inside a oneof: the {len, data} struct */
  const char *aux_c_name; /* its names: social_Event_text_t */
  const char *aux_dart_name;
};

struct gen_oneof {
  const char *name;
  const char *c_name;
  const char *dart_name;
  const char *which_name;   /* "which_payload" */
  const char *which_dart_name;
  const char *clear_dart_name; /* "clearPayload" */
  const char *case_dart_name;        /* "Post_PayloadCase": the Dart enum of the member set */
  const char *case_getter_dart_name; /* "payloadCase": its getter on the message class */
  const char *union_c_name; /* "social_Event_payload_t" */
  const char *union_dart_name;
  gen_message *parent;
  gen_field **fields;
  size_t field_count;
  gen_path path;
  gen_struct *u;
  gen_member *m_which;
  gen_member *m_union;
};

typedef struct gen_enum_value {
  const char *name;
  const char *c_name; /* social_PostType_POST_TYPE_TEXT */
  const char *dart_name;
  int32_t number;
  bool alias; /* an earlier value has the same number (allow_alias): that name wins */
} gen_enum_value;

struct gen_enum {
  const char *name;
  const char *full_name;
  const char *c_name;
  const char *dart_name;
  gen_file *file;
  gen_message *parent;
  gen_enum_value *values;
  size_t value_count;
  bool closed; /* proto2: unknown values are not kept by conforming decoders */
  int32_t min_value;
  int32_t max_value;
  const char *macro_min;
  const char *macro_max;
  const char *fn_name; /* social_PostType_name: value -> "POST_TYPE_TEXT" */
  gen_path path;
};

/* At most this many zero ranges per message (gen_message.zero_ranges): past it (fixed_count
 * arrays of sparsely initialised submessages) the list would grow with the array, and the
 * decoder walks the field table instead. */
#define GEN_ZERO_RANGES_MAX 64u

typedef enum gen_layout_state {
  GEN_LAYOUT_NONE,
  GEN_LAYOUT_ACTIVE, /* on the recursion stack */
  GEN_LAYOUT_DONE,
  GEN_LAYOUT_FAILED,
} gen_layout_state;

struct gen_message {
  const char *name;
  const char *full_name;
  const char *c_name;
  const char *dart_name;
  gen_file *file;
  size_t index; /* position in file->messages */
  gen_message *parent;
  gen_field *fields; /* declaration order */
  size_t field_count;
  gen_oneof *oneofs; /* real oneofs, declaration order */
  size_t oneof_count;
  gen_message **nested;
  size_t nested_count;
  gen_enum **enums;
  size_t enum_count;
  bool map_entry;
  gen_field *map_field; /* for a map entry: the map field of the parent that uses it */
  bool sort_by_alignment;
  bool needs_init_code; /* init must do more than zero the struct */
  /* init sets a has_ flag in the message or an inline submessage (default_has): decode
   * clears them after init (P2F_MF_DEFAULT_HAS). layout.c. */
  bool init_sets_has;
  /* nanopb's skip_message: not generated (options_apply.c removes it from file->messages;
   * msg->index keeps its place among file->message_slots). */
  bool skipped;
  /* storage.c: the message's tree (itself, every message it refers to, transitively, cycles
   * included) has an out-of-line field: decode takes an arena (P2F_MF_OUT_OF_LINE). */
  bool out_of_line;
  /* options_pool.c: the default pool's initial capacity and maximum (0: none), and whether
   * the batch kernels are generated (emit_batch.c). */
  uint64_t pool_size;
  uint64_t pool_max;
  bool batch;
  gen_path path;
  const Google__Protobuf__DescriptorProto *desc;

  /* Identifiers (names.c). */
  const char *macro_size;  /* social_Post_SIZE */
  const char *macro_align; /* social_Post_ALIGN */
  const char *fn_size;     /* social_Post_size */
  const char *fn_align;
  const char *fn_init;
  const char *fn_pool_create; /* social_Post_pool_create, ..._ex, _alloc, _free, ... */
  const char *fn_pool_create_ex;
  const char *fn_pool_alloc;
  const char *fn_pool_free;
  const char *fn_pool_alloc_batch;
  const char *fn_pool_free_batch;
  const char *fn_pool_destroy;
  const char *fn_decode; /* social_Post_decode, _encode, _encoded_size */
  const char *fn_encode;
  const char *fn_encoded_size;
  const char *fn_decode_ex; /* social_Post_decode_ex: decode with p2f_decode_options */
  const char *fn_copy;      /* social_Post_copy (out-of-line trees only, else NULL) */
  const char *var_desc;  /* social_Post_desc: the codec's field table */
  const char *macro_max_encoded_size;
  const char *fn_layout_fingerprint;    /* social_Post_layout_fingerprint */
  const char *fn_pool_create_default;   /* social_Post_pool_create_default */
  const char *macro_pool_size;          /* social_Post_POOL_SIZE, social_Post_POOL_MAX */
  const char *macro_pool_max;
  /* Dart-only @Native names: T_pool_alloc and T_pool_free bound again as non-leaf calls,
   * for thread-safe pools (social_Post_pool_alloc_nonleaf, _free_nonleaf). */
  const char *dart_native_alloc_nonleaf;
  const char *dart_native_free_nonleaf;
  /* T_decode bound again as a leaf @Native call for `bytes.address` of a Dart Uint8List
   * (social_Post_decode_leaf): inputs short enough to hold up the GC only briefly. */
  const char *dart_native_decode_leaf;
  const char *macro_layout_fingerprint; /* social_Post_LAYOUT_FINGERPRINT */
  const char *dart_ext_name; /* "PostPointer": the Dart extension on Pointer<Post> */
  const char *dart_fns_name; /* "postFunctions": its member of the bindings class */
  const char *dart_batch_name; /* "PostBatch": the class binding its batch kernels (batch) */
  const char *dart_const_size; /* constants of the Dart class: "SIZE", "ALIGN", "MAX_ENCODED_SIZE" */
  const char *dart_const_align;
  const char *dart_const_max_encoded_size;
  const char *dart_const_layout_fingerprint; /* "LAYOUT_FINGERPRINT" */
  /* Static names of x.ffi.c: the field table (social_Post_desc_fields) and the untyped thunks
   * of the message table (p2f_gen_init_social_Post, _decode_, _encode_, _encoded_size_). */
  const char *var_fields;
  const char *var_dispatch; /* social_Post_desc_dispatch: field index by number (codec.h) */
  const char *var_zero;     /* social_Post_desc_zero: the byte ranges decode defines (codec.h) */
  const char *thunk_init;
  const char *thunk_decode;
  const char *thunk_encode;
  const char *thunk_encoded_size;

  /* Layout (layout.c). */
  gen_layout_state layout_state;
  gen_struct layout;
  gen_struct **aux; /* unions and oneof member structs, in the order C must declare them */
  size_t aux_count;
  uint64_t declared_size; /* size in declaration order, for the layout report */
  uint64_t declared_padding;
  uint64_t sorted_size;   /* size if sorted by alignment */
  uint64_t sorted_padding;
  uint64_t max_encoded_size; /* the most bytes any value of the message encodes to */
  uint64_t layout_fingerprint; /* fingerprint.c: hash of every offset, size, capacity, storage */
  /* The dispatch table (codec.h, P2F_DISPATCH_MIN/MAX; codec_tables.c): entry n is 1 + the
   * index, in field number order, of the field numbered n, 0 where n is no field;
   * dispatch_len 0 and NULL when the message has no table. */
  uint8_t *dispatch;
  size_t dispatch_len;
  /* Decoding initialises the message sparsely (codec.h "Defined bytes": init writes zeros
   * only, no out-of-line field in its tree, more than P2F_SPARSE_INIT_BYTES per field), and
   * then zeroes these byte ranges of the struct: zero_count pairs {offset, length}, sorted,
   * overlapping and adjacent ones joined, inline submessages flattened in (layout.c).
   * zero_count 0 and NULL for the other messages and where there would be more than
   * GEN_ZERO_RANGES_MAX. */
  bool sparse_init;
  uint32_t *zero_ranges;
  size_t zero_count;
};

struct gen_file {
  const char *name;    /* "sub/social.proto" */
  const char *package; /* "social" or "" */
  bool proto3;
  bool to_generate;
  gen_message **messages; /* every message, nested included, parents before children */
  size_t message_count;
  size_t message_slots;   /* messages before skip_message removed any: the range of msg->index */
  gen_enum **enums;       /* every enum, nested included */
  size_t enum_count;
  gen_file **deps;
  size_t dep_count;
  const Google__Protobuf__FileDescriptorProto *desc;
  bool sort_by_alignment; /* file-level option */
  bool has_out_of_line;   /* storage.c: a message of the file has an out-of-line field or tree */
  /* Messages in an order where each comes after the messages of this file it contains by
   * value (C needs a struct complete before another embeds it). */
  gen_message **definition_order;
  /* Files whose generated headers this file's must include: those defining a type one of
   * its fields uses, in request order. */
  gen_file **includes;
  size_t include_count;

  /* Names (names.c). */
  const char *options_name; /* "sub/social.options": the stem of the .proto name + .options */
  const char *out_base;     /* "sub/social.ffi" */
  const char *header_name;  /* "sub/social.ffi.h": how other generated files include it */
  const char *header_base;  /* "social.ffi.h": how x.ffi.c includes its own header */
  const char *source_name;  /* output names: "sub/social.ffi.c", */
  const char *json_name;    /* "sub/social.ffi.json", */
  const char *report_name;  /* "sub/social.ffi.layout.txt" */
  const char *guard;        /* SUB_SOCIAL_FFI_H_ */
  const char *fn_file_info; /* sub_social_proto_file_info */
  const char *var_messages; /* static table name */
  const char *dart_name;          /* output path of the Dart library: "[dart_path/]sub/social.ffi.dart" */
  const char *dart_rel_name;      /* the same under dart_path: "sub/social.ffi.dart" */
  const char *dart_root;          /* from the Dart library to dart_path: "../" per directory, or "" */
  const char *dart_bindings_name; /* "SocialBindings" */
  const char *dart_prefix;        /* "pb_sub_social_ffi": the prefix other Dart files import it as */
  /* Library-scope Dart names a member of a generated class would hide: the file's types that
   * start in lower case (only those can equal a member name) and the import prefix p2f. */
  const char **dart_scope;
  size_t dart_scope_count;

  struct gen_file_options *options; /* options.c's private state: the .options files that apply */
};

typedef struct gen_model {
  gen_arena *arena;
  gen_params params;
  gen_file **files; /* request order: dependencies first */
  size_t file_count;
  struct gen_symtab *types; /* full name ("pkg.Msg") -> message or enum */
  struct gen_options *options; /* options.c's private state: every .options file read */
  gen_diag diag;
} gen_model;

/* Builds the model from a decoded request: parameters, resolution, options, names.
 * Returns false when a diagnostic was recorded (model->diag holds it). */
bool model_build(gen_model *model, const Google__Protobuf__Compiler__CodeGeneratorRequest *req);
void model_free(gen_model *model);

/* Looks up a message by full name (leading '.' optional); NULL when absent or an enum. */
gen_message *model_find_message(const gen_model *model, const char *full_name);
gen_enum *model_find_enum(const gen_model *model, const char *full_name);

/* The field a user annotates for fd: the map field for the key and value of a map entry,
 * else fd itself. Capacities and diagnostics of entry fields refer to it. */
static inline gen_field *model_user_field(gen_field *fd) {
  return fd->parent->map_field ? fd->parent->map_field : fd;
}

#endif /* P2F_GEN_MODEL_H_ */
