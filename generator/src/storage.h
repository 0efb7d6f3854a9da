/* Storage classes: decides once, in the model, whether each field is inline or out-of-line
 * (gen_field.storage), which messages have an out-of-line tree (gen_message.out_of_line) and
 * which files have any. Backends only read the result.
 *
 * Rules (docs/options.md, "Storage"):
 *   - the plugin parameter storage=inline|out_of_line forces every string, bytes and repeated
 *     field (map fields included) to one class;
 *   - otherwise a storage value from the options, the most specific source winning: OUT_OF_LINE
 *     (a capacity from the same source is an error; every needed capacity set by a more specific
 *     source keeps the field inline), INLINE (every needed capacity must be given);
 *   - otherwise inline when the field has every capacity it needs, out-of-line when not
 *     (under require_capacity: the missing-capacity error);
 *   - singular message fields are inline unless their own field options say OUT_OF_LINE or
 *     they close a cycle of by-value messages (storage.c, break_cycles), which makes them,
 *     and repeated message fields that close one, out-of-line unless stored inline explicitly
 *     or under require_capacity (layout then reports the recursion).
 */
#ifndef P2F_GEN_STORAGE_H_
#define P2F_GEN_STORAGE_H_

#include "model.h"

/* Decides every storage class after options_choose_capacities. Records an error (invalid
 * value, contradiction, inline without capacity, missing capacity under require_capacity)
 * and returns false after one. */
bool storage_decide(gen_model *m);

#endif /* P2F_GEN_STORAGE_H_ */
