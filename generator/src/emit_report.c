/* x.ffi.layout.txt: per message the size, alignment, padding and the size the
 * alignment-sorted order would give (templates/report.tmpl). Written on request
 * (--c-ffi_opt=report). */
#include <stdbool.h>
#include <stdlib.h>

#include "backend.h"

#define T "report"

static const char *pad(gen_arena *a, uint64_t v, int width) {
  return gen_strf(a, "%*llu", width, (unsigned long long)v);
}

void emit_report(const gen_model *m, const gen_file *f, gen_outputs *out) {
  gen_printer p;
  gen_printer_init(&p);
  gen_arena *a = m->arena;
  gen_print_tmpl(&p, T, "prologue", "proto", f->name, "version", P2F_GENERATOR_VERSION, NULL);
  uint64_t total = 0, padding = 0, sorted = 0;
  for (size_t i = 0; i < f->message_count; i++) {
    const gen_message *msg = f->messages[i];
    const gen_struct *s = &msg->layout;
    total += s->size;
    padding += s->padding;
    sorted += msg->sorted_size;
    double pct = s->size ? 100.0 * (double)s->padding / (double)s->size : 0.0;
    gen_print_tmpl(&p, T, "message", "nl", "\n", "kind", msg->map_entry ? "map entry" : "message", "full_name",
                   msg->full_name, "c_name", msg->c_name, "size", gen_u64(a, s->size), "align", gen_u64(a, s->align),
                   "padding", gen_u64(a, s->padding), "percent", gen_strf(a, "%.1f", pct), "order",
                   msg->sort_by_alignment ? "alignment-sorted" : "declaration", "declared_size",
                   gen_u64(a, msg->declared_size), "declared_padding", gen_u64(a, msg->declared_padding),
                   "sorted_size", gen_u64(a, msg->sorted_size), "sorted_padding", gen_u64(a, msg->sorted_padding),
                   NULL);
    gen_indent(&p);
    gen_indent(&p);
    const gen_member **order = s->by_offset;
    for (size_t k = 0; k < s->member_count; k++) {
      const gen_member *mb = order[k];
      /* The storage class of the value member of each string, bytes, repeated or message field. */
      const gen_field *fd = mb->role == GEN_MEMBER_VALUE ? mb->field : NULL;
      bool variable = fd && (fd->repeated || fd->type->kind == GEN_KIND_STRING || fd->type->kind == GEN_KIND_BYTES ||
                             fd->type->kind == GEN_KIND_MESSAGE);
      const char *cls = !variable ? "" : fd->storage == GEN_STORAGE_OUT_OF_LINE ? ", out-of-line" : ", inline";
      gen_print_tmpl(&p, T, "member", "offset", pad(a, mb->offset, 6), "size", pad(a, mb->size, 10), "align",
                     pad(a, mb->align, 6), "name", mb->c_name, "type",
                     gen_strf(a, " (%s%s%s%s)", backend_c_type(mb), mb->pointer ? " *" : "", backend_c_dims(a, mb), cls),
                     NULL);
    }
    gen_outdent(&p);
    gen_outdent(&p);
  }
  gen_print_tmpl(&p, T, "summary", "count", gen_u64(a, f->message_count), "total", gen_u64(a, total), "padding",
                 gen_u64(a, padding), "sorted", gen_u64(a, sorted), NULL);
  gen_outputs_add(out, f->report_name, &p);
}
