/* Options: plugin parameters, nanopb-syntax .options files and in-proto annotations
 * ((ffi), (ffi_msg), (ffi_file) from proto2ffi/options.proto, and nanopb's (nanopb),
 * (nanopb_msgopt), (nanopb_fileopt)).
 *
 * Resolution (docs/options.md): the most specific level that sets a value wins, from the
 * field itself, through a map field (for the key/value of its entries), the enclosing
 * messages from the innermost out, the file, to the plugin parameters. At one level an
 * in-proto annotation beats a line of an .options file, and a later .options line beats an
 * earlier one.
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
/* Resolves every message's field order (sort_by_alignment); warns about annotations that
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
void options_free(gen_model *m);

#endif /* P2F_GEN_OPTIONS_H_ */
