/* The codec's per-message and per-field decisions (codec_tables.c): the dispatch table of a
 * message and the decoding routine of each field, stored in the model for the C source
 * backend to print (x.ffi.c's p2f_msg_desc and p2f_field_desc, runtime codec.h). */
#ifndef P2F_GEN_CODEC_TABLES_H_
#define P2F_GEN_CODEC_TABLES_H_

#include "model.h"

/* Sets msg->dispatch, msg->dispatch_len and every field's codec_kind and codec_next_tag, in
 * a's memory. Needs the message's absolute offsets (layout.c calls it once they are final). */
void codec_tables_message(gen_arena *a, gen_message *msg);

#endif /* P2F_GEN_CODEC_TABLES_H_ */
