/* The batch kernels of messages with the batch option (templates/batch.tmpl): for every
 * field names.c gave a column type, one exported wrapper per kernel around the column
 * kernels of proto2ffi/batch.h, their prototypes, and a Dart class binding them. The
 * wrappers hold no loop: the runtime has the loops and their SIMD variants. */
#include <string.h>

#include "backend.h"

#define T "batch"

static bool has_kernels(const gen_message *msg) {
  if (!msg->batch) return false;
  for (size_t i = 0; i < msg->field_count; i++)
    if (msg->fields[i].batch_col) return true;
  return false;
}

void emit_batch_include(gen_printer *p, const gen_file *f) {
  for (size_t i = 0; i < f->message_count; i++) {
    if (has_kernels(f->messages[i])) {
      gen_print_tmpl(p, T, "include", NULL);
      return;
    }
  }
}

/* The C type of a kernel's sum and dot product: 64 bits of the field's signedness, or double. */
static const char *sum_type(const gen_field *fd) {
  if (fd->type->is_float) return "double";
  return fd->type->is_signed ? "int64_t" : "uint64_t";
}

/* The kernels of a singular field over an array of message pointers (p2f_ptrs_* of
 * proto2ffi/batch.h): what a user of the message's pool holds. */
static void print_field_ptrs(gen_printer *p, const gen_message *msg, const gen_field *fd, bool header) {
  const char *const *k = fd->fn_kernel;
  gen_print_tmpl(p, T, header ? "header_ptrs" : "source_ptrs", "c_name", msg->c_name, "t", fd->type->c_type, "sum_t",
                 sum_type(fd), "col", fd->batch_col, "member", fd->m_value->c_name, "fn_sum", k[GEN_KERNEL_SUM_PTRS],
                 "fn_mean", k[GEN_KERNEL_MEAN_PTRS], "fn_min", k[GEN_KERNEL_MIN_PTRS], "fn_max", k[GEN_KERNEL_MAX_PTRS],
                 "fn_count_above", k[GEN_KERNEL_COUNT_ABOVE_PTRS], "fn_dot", k[GEN_KERNEL_DOT_PTRS], NULL);
}

static void print_field(gen_printer *p, gen_arena *a, const gen_message *msg, const gen_field *fd, bool header) {
  const char *section = header ? (fd->repeated ? "header_repeated" : "header_column")
                               : (fd->repeated ? "source_repeated" : "source_column");
  const char *const *k = fd->fn_kernel;
  /* The elements a repeated kernel reads: the count up to the capacity, or the capacity of a
   * fixed_count field (which has no count member). */
  const char *n = "";
  if (fd->repeated) {
    n = fd->m_count ? gen_strf(a, "p2f_batch_count(msg->%s, %s)", fd->m_count->c_name, fd->macro_max_count)
                    : fd->macro_max_count;
  }
  gen_print_tmpl(p, T, section, "c_name", msg->c_name, "t", fd->type->c_type, "sum_t", sum_type(fd), "col",
                 fd->batch_col, "member", fd->m_value->c_name, "n", n, "fn_sum", k[GEN_KERNEL_SUM], "fn_mean",
                 k[GEN_KERNEL_MEAN], "fn_min", k[GEN_KERNEL_MIN], "fn_max", k[GEN_KERNEL_MAX], "fn_count_above",
                 k[GEN_KERNEL_COUNT_ABOVE] ? k[GEN_KERNEL_COUNT_ABOVE] : "", "fn_dot",
                 k[GEN_KERNEL_DOT] ? k[GEN_KERNEL_DOT] : "", "fn_scale", k[GEN_KERNEL_SCALE] ? k[GEN_KERNEL_SCALE] : "",
                 NULL);
  if (!fd->repeated) print_field_ptrs(p, msg, fd, header);
}

void emit_batch_header(gen_printer *p, gen_arena *a, const gen_message *msg) {
  if (!has_kernels(msg)) return;
  gen_print_tmpl(p, T, "header_begin", "c_name", msg->c_name, NULL);
  for (size_t i = 0; i < msg->field_count; i++)
    if (msg->fields[i].batch_col) print_field(p, a, msg, &msg->fields[i], true);
}

void emit_batch_source(gen_printer *p, gen_arena *a, const gen_message *msg) {
  if (!has_kernels(msg)) return;
  for (size_t i = 0; i < msg->field_count; i++)
    if (msg->fields[i].batch_col) print_field(p, a, msg, &msg->fields[i], false);
}

/* ---- Dart ------------------------------------------------------------------------------- */

typedef struct dart_sig {
  const char *native;
  const char *dart;
} dart_sig;

/* The native and Dart function types of kernel k of fd. A _PTRS kernel has its contiguous
 * kernel's types with the array of messages replaced by an array of message pointers (its
 * fields are singular: a count follows). */
static dart_sig kernel_sig(gen_arena *a, const gen_message *msg, const gen_field *fd, gen_kernel k) {
  bool ptrs = k >= GEN_KERNEL_SUM_PTRS && k < GEN_KERNEL_COUNT_;
  if (ptrs) k = (gen_kernel)(GEN_KERNEL_SUM + (k - GEN_KERNEL_SUM_PTRS));
  const char *ptr = gen_strf(a, ptrs ? "Pointer<Pointer<%s>>" : "Pointer<%s>", msg->dart_name);
  const char *elem = fd->type->dart_ffi;   /* Int32, Float, ... */
  const char *value = fd->type->dart_type; /* int or double */
  const char *sum_n = fd->type->is_float ? "Double" : fd->type->is_signed ? "Int64" : "Uint64";
  const char *sum_d = fd->type->is_float ? "double" : "int";
  const char *arr = fd->repeated ? "" : ", Size";
  const char *arr_d = fd->repeated ? "" : ", int";
  dart_sig s = {0};
  switch (k) {
    case GEN_KERNEL_SUM:
      s.native = gen_strf(a, "%s Function(%s%s)", sum_n, ptr, arr);
      s.dart = gen_strf(a, "%s Function(%s%s)", sum_d, ptr, arr_d);
      break;
    case GEN_KERNEL_MEAN:
      s.native = gen_strf(a, "Double Function(%s%s)", ptr, arr);
      s.dart = gen_strf(a, "double Function(%s%s)", ptr, arr_d);
      break;
    case GEN_KERNEL_MIN:
    case GEN_KERNEL_MAX:
      s.native = gen_strf(a, "Size Function(%s%s, Pointer<%s>)", ptr, arr, elem);
      s.dart = gen_strf(a, "int Function(%s%s, Pointer<%s>)", ptr, arr_d, elem);
      break;
    case GEN_KERNEL_COUNT_ABOVE:
      s.native = gen_strf(a, "Size Function(%s, Size, %s)", ptr, elem);
      s.dart = gen_strf(a, "int Function(%s, int, %s)", ptr, value);
      break;
    case GEN_KERNEL_DOT:
      s.native = gen_strf(a, "%s Function(%s, %s, Size)", sum_n, ptr, ptr);
      s.dart = gen_strf(a, "%s Function(%s, %s, int)", sum_d, ptr, ptr);
      break;
    case GEN_KERNEL_SCALE:
      s.native = gen_strf(a, "Void Function(%s, %s)", ptr, elem);
      s.dart = gen_strf(a, "void Function(%s, %s)", ptr, value);
      break;
    default: /* the _PTRS kernels were mapped above; GEN_KERNEL_COUNT_ is no kernel */
      break;
  }
  return s;
}

/* The parameter names of kernel k's Dart function (the C prototype's). */
static const char *dart_params(const gen_field *fd, gen_kernel k) {
  switch (k) {
    case GEN_KERNEL_SUM:
    case GEN_KERNEL_MEAN:
      return fd->repeated ? "msg" : "msgs, n";
    case GEN_KERNEL_MIN:
    case GEN_KERNEL_MAX:
      return fd->repeated ? "msg, out" : "msgs, n, out";
    case GEN_KERNEL_COUNT_ABOVE:
    case GEN_KERNEL_COUNT_ABOVE_PTRS:
      return "msgs, n, threshold";
    case GEN_KERNEL_DOT:
    case GEN_KERNEL_DOT_PTRS:
      return "a, b, n";
    case GEN_KERNEL_SCALE:
      return "msg, factor";
    case GEN_KERNEL_SUM_PTRS:
    case GEN_KERNEL_MEAN_PTRS:
      return "msgs, n";
    case GEN_KERNEL_MIN_PTRS:
    case GEN_KERNEL_MAX_PTRS:
      return "msgs, n, out";
    case GEN_KERNEL_COUNT_:
      break;
  }
  return "";
}

/* From the Dart function type "R Function(A, B)" and the names "a, b": R and "A a, B b". */
static void dart_typed(gen_arena *a, const char *dart, const char *names, const char **ret, const char **typed) {
  const char *f = strstr(dart, " Function(");
  *ret = f ? gen_strndup(a, dart, (size_t)(f - dart)) : dart;
  const char *types = f ? f + strlen(" Function(") : "";
  const char *out = "";
  while (*types && *types != ')' && *names) {
    const char *te = strstr(types, ", "), *ne = strstr(names, ", ");
    size_t tl = te ? (size_t)(te - types) : strlen(types) - 1; /* the last type ends at ')' */
    size_t nl = ne ? (size_t)(ne - names) : strlen(names);
    out = gen_strf(a, "%s%s%.*s %.*s", out, *out ? ", " : "", (int)tl, types, (int)nl, names);
    if (!te || !ne) break;
    types = te + 2;
    names = ne + 2;
  }
  *typed = out;
}

/* The native() constructor of the kernels' class: one closure per kernel calling its
 * @Native external (print_dart_natives). */
static void print_dart_native_ctor(gen_printer *p, gen_arena *a, const gen_message *msg, size_t total) {
  gen_print_tmpl(p, T, "dart_native_begin", "class", msg->dart_batch_name, NULL);
  gen_indent(p);
  size_t done = 0;
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    for (int k = 0; fd->batch_col && k < GEN_KERNEL_COUNT_; k++) {
      if (fd->fn_kernel[k] == NULL) continue;
      done++;
      gen_print_tmpl(p, T, "dart_native_init", "lead", done == 1 ? ": " : "  ", "name", fd->dart_kernel[k], "params",
                     dart_params(fd, (gen_kernel)k), "symbol", fd->fn_kernel[k], "end", done == total ? ";" : ",",
                     NULL);
    }
  }
  gen_outdent(p);
  (void)a;
}

/* The @Native externals the native() constructor calls, after the class. */
static void print_dart_natives(gen_printer *p, gen_arena *a, const gen_message *msg) {
  gen_print_tmpl(p, T, "dart_natives_begin", "class", msg->dart_batch_name, NULL);
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    for (int k = 0; fd->batch_col && k < GEN_KERNEL_COUNT_; k++) {
      if (fd->fn_kernel[k] == NULL) continue;
      dart_sig s = kernel_sig(a, msg, fd, (gen_kernel)k);
      const char *ret, *typed;
      dart_typed(a, s.dart, dart_params(fd, (gen_kernel)k), &ret, &typed);
      gen_print_tmpl(p, T, "dart_native_decl", "native", s.native, "symbol", fd->fn_kernel[k], "ret", ret, "typed",
                     typed, NULL);
    }
  }
}

static void print_dart_class(gen_printer *p, gen_arena *a, const gen_message *msg) {
  gen_print_tmpl(p, T, "dart_begin", "type", msg->dart_name, "full_name", msg->full_name, "class",
                 msg->dart_batch_name, NULL);
  gen_indent(p);
  gen_indent(p);
  size_t total = 0, done = 0;
  for (size_t i = 0; i < msg->field_count; i++)
    for (int k = 0; msg->fields[i].batch_col && k < GEN_KERNEL_COUNT_; k++) total += msg->fields[i].fn_kernel[k] != NULL;
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    for (int k = 0; fd->batch_col && k < GEN_KERNEL_COUNT_; k++) {
      if (fd->fn_kernel[k] == NULL) continue;
      dart_sig s = kernel_sig(a, msg, fd, (gen_kernel)k);
      done++;
      gen_print_tmpl(p, T, "dart_init", "lead", done == 1 ? ": " : "  ", "name", fd->dart_kernel[k], "native", s.native,
                     "dart", s.dart, "symbol", fd->fn_kernel[k], "end", done == total ? ";" : ",", NULL);
    }
  }
  gen_outdent(p);
  print_dart_native_ctor(p, a, msg, total);
  for (size_t i = 0; i < msg->field_count; i++) {
    const gen_field *fd = &msg->fields[i];
    for (int k = 0; fd->batch_col && k < GEN_KERNEL_COUNT_; k++) {
      if (fd->fn_kernel[k] == NULL) continue;
      dart_sig s = kernel_sig(a, msg, fd, (gen_kernel)k);
      gen_print_tmpl(p, T, "dart_member", "name", fd->dart_kernel[k], "dart", s.dart, "symbol", fd->fn_kernel[k], NULL);
    }
  }
  gen_outdent(p);
  gen_print_tmpl(p, T, "dart_end", NULL);
  print_dart_natives(p, a, msg);
}

void emit_batch_dart(gen_printer *p, gen_arena *a, const gen_file *f) {
  for (size_t i = 0; i < f->message_count; i++)
    if (has_kernels(f->messages[i])) print_dart_class(p, a, f->messages[i]);
}
