/* Layout stage (rules at the top of layout.c). */
#ifndef P2F_GEN_LAYOUT_H_
#define P2F_GEN_LAYOUT_H_

#include "model.h"

/* Lays out msg and every message it contains by value, with the capacities options_apply
 * chose (the model must have been built without error). Records diagnostics (recursion,
 * groups, member name collisions, size limit) and returns false when msg cannot be laid
 * out. Idempotent. */
bool layout_message(gen_model *m, gen_message *msg);
/* Lays out every message of every file protoc asked to generate. */
bool layout_needed(gen_model *m);

#endif /* P2F_GEN_LAYOUT_H_ */
