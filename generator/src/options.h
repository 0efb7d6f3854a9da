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
/* Resolves every field's capacities and every message's field order; warns about .options
 * lines that match nothing. */
void options_apply(gen_model *m);
void options_free(gen_model *m);

#endif /* P2F_GEN_OPTIONS_H_ */
