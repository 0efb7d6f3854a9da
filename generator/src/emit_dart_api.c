/* x.ffi.dart, part two: the bindings class of the exported C functions (looked up in a
 * DynamicLibrary, or bound to @Native declarations for native assets) and the layout check
 * that runs when they load; from templates/dart.tmpl. The signatures are spelled once, as
 * typedefs of the runtime package (dart_bindings/lib/src/functions.dart). */
#include <stdlib.h>

#include "emit_dart.h"

#define T "dart"

/* Every function name of one message, for the template sections that list them. */
static void print_fns_section(gen_printer *p, gen_arena *a, const char *section, const gen_message *msg) {
  const char *max_encoded = msg->dart_const_max_encoded_size
                                ? gen_strf(a, "%s.%s", msg->dart_name, msg->dart_const_max_encoded_size)
                                : "0";
  gen_print_tmpl(p, T, section, "pool_size", gen_u64(a, msg->pool_size), "pool_max", gen_u64(a, msg->pool_max), "field", msg->dart_fns_name, "type", msg->dart_name, "full_name", msg->full_name, "fn_size",
                 msg->fn_size, "fn_align", msg->fn_align, "fn_layout_fingerprint", msg->fn_layout_fingerprint,
                 "alloc_nonleaf", msg->dart_native_alloc_nonleaf, "free_nonleaf", msg->dart_native_free_nonleaf, "decode_leaf", msg->dart_native_decode_leaf, "fn_init", msg->fn_init, "fn_pool_create",
                 msg->fn_pool_create, "fn_pool_create_ex", msg->fn_pool_create_ex, "fn_pool_alloc", msg->fn_pool_alloc,
                 "fn_pool_free", msg->fn_pool_free, "fn_pool_alloc_batch", msg->fn_pool_alloc_batch,
                 "fn_pool_free_batch", msg->fn_pool_free_batch, "fn_pool_destroy", msg->fn_pool_destroy, "fn_decode",
                 msg->fn_decode, "fn_encode", msg->fn_encode, "fn_encoded_size", msg->fn_encoded_size, "fn_decode_ex",
                 msg->fn_decode_ex, "fn_copy", msg->fn_copy ? msg->fn_copy : "", "max_encoded", max_encoded, NULL);
}

/* One message's part of a list: the head section, the decode functions of its kind (with an
 * arena for out-of-line trees), the end section. */
static void print_fns(gen_printer *p, gen_arena *a, const char *section, const gen_message *msg) {
  print_fns_section(p, a, section, msg);
  print_fns_section(p, a, gen_strf(a, "%s_decode%s", section, msg->out_of_line ? "_out" : ""), msg);
  print_fns_section(p, a, gen_strf(a, "%s_end", section), msg);
}

void emit_dart_api(const gen_model *m, const gen_file *f, gen_printer *p) {
  gen_arena *a = m->arena;
  gen_print_tmpl(p, T, "bindings_begin", "proto", f->name, "name", f->dart_bindings_name, NULL);
  gen_indent(p);
  gen_indent(p);
  if (f->has_out_of_line) gen_print_tmpl(p, T, "lookup_arena", NULL);
  for (size_t i = 0; i < f->message_count; i++) print_fns(p, a, "lookup", f->messages[i]);
  gen_outdent(p);
  gen_outdent(p);
  gen_print_tmpl(p, T, "bindings_mid", "name", f->dart_bindings_name, NULL);
  gen_indent(p);
  gen_indent(p);
  if (f->has_out_of_line) gen_print_tmpl(p, T, "native_arena", NULL);
  for (size_t i = 0; i < f->message_count; i++) print_fns(p, a, "native_fns", f->messages[i]);
  gen_outdent(p);
  gen_outdent(p);
  gen_print_tmpl(p, T, "bindings_check", NULL);
  gen_indent(p);
  gen_indent(p);
  for (size_t i = 0; i < f->message_count; i++) {
    const gen_message *msg = f->messages[i];
    gen_print_tmpl(p, T, "check", "field", msg->dart_fns_name, "type", msg->dart_name, "fingerprint",
                   msg->dart_const_layout_fingerprint, NULL);
  }
  gen_outdent(p);
  gen_outdent(p);
  gen_print_tmpl(p, T, "bindings_fields", NULL);
  gen_indent(p);
  for (size_t i = 0; i < f->message_count; i++) {
    const gen_message *msg = f->messages[i];
    gen_print_tmpl(p, T, "field", "field", msg->dart_fns_name, "type", msg->dart_name, "full_name", msg->full_name, NULL);
  }
  if (f->has_out_of_line) gen_print_tmpl(p, T, "field_arena", NULL);
  gen_outdent(p);
  gen_print_tmpl(p, T, "bindings_end", NULL);
  if (f->message_count == 0) return;
  gen_print_tmpl(p, T, "natives_begin", NULL);
  for (size_t i = 0; i < f->message_count; i++) print_fns(p, a, "natives", f->messages[i]);
  if (f->has_out_of_line) gen_print_tmpl(p, T, "natives_arena", NULL);
}
