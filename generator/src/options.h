/* Options: plugin parameters, nanopb-syntax .options files and in-proto annotations
 * ((ffi), (ffi_msg), (ffi_file) from proto2ffi/options.proto, and nanopb's (nanopb),
 * (nanopb_msgopt), (nanopb_fileopt)).
 *
 * Resolution (docs/options.md): nanopb's merge, key by key, along each element's chain
 * (file, message, field, oneof, enum; options.c), a later source overriding an earlier one;
 * the default_max_* parameters only where no source set the key. What the merged settings do
 * to the model (type:FT_IGNORE, int_size, capacities) is options_apply.c.
 */
#ifndef P2F_GEN_OPTIONS_H_
#define P2F_GEN_OPTIONS_H_

#include "model.h"

/* Extension numbers read from FieldOptions/MessageOptions/FileOptions. */
#define P2F_OPTIONS_EXTENSION 56262
#define P2F_NANOPB_EXTENSION 1010

/* Parses "key=value,key=value". Records an error and returns false on a bad parameter. */
bool options_parse_params(gen_model *m, const char *param);
/* Reads the options files: options=PATH ones, and x.options next to each x.proto. */
void options_load(gen_model *m);
/* Applies the settings that shape the model before names and layout: drops type:FT_IGNORE
 * fields and skip_message messages (an error for a field whose type is left out), detaches
 * no_unions oneofs, sets presence from proto3 / proto3_singular_msgs, gives int_size widths,
 * resolves every message's field order (sort_by_alignment); warns about annotations that
 * cannot apply and about .options lines that match nothing. */
void options_apply(gen_model *m);
/* Chooses and validates the capacities (max_length, max_count) of every field layout will
 * lay out: the messages of the files to generate and every message they refer to. Records
 * an error for an out-of-range or too small capacity, or a default longer than its field,
 * and returns false after one. Also records, per field, the storage value the options give
 * and the level of each capacity (gen_field.storage_opts), from which storage.c decides the
 * class: a missing capacity is judged there. */
bool options_choose_capacities(gen_model *m);
/* The error for a field without the capacity inline storage needs (the string/bytes one, or
 * max_count with count), naming the three ways to give it. */
void options_report_missing_capacity(gen_model *m, gen_field *fd, bool count);
/* After storage.c: a fixed_length or fixed_count field stored out of line is an error (the
 * fixed size is the inline array's). Returns false after one. */
bool options_check_fixed(gen_model *m);
void options_free(gen_model *m);

#endif /* P2F_GEN_OPTIONS_H_ */
