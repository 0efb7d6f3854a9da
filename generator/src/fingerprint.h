/* The layout fingerprint of a message (fingerprint.c): one 64-bit value that changes when
 * any offset, size, element type, array dimension, capacity or storage class of the message's
 * members changes, nested structs included. The Dart library and the C library each carry the
 * value of the run that generated them; the Dart bindings compare the two when they load. */
#ifndef P2F_GEN_FINGERPRINT_H_
#define P2F_GEN_FINGERPRINT_H_

#include "model.h"

/* FNV-1a, 64 bits, over n bytes. */
uint64_t fingerprint_fnv1a64(const void *data, size_t n);
/* The canonical text of msg's layout (the hashed bytes), in the model's arena; every message
 * msg contains by value must have its fingerprint already. */
const char *fingerprint_text(gen_arena *a, const gen_message *msg);
/* Sets msg->layout_fingerprint (layout.c calls it once the message is laid out). */
void fingerprint_message(gen_arena *a, gen_message *msg);

#endif /* P2F_GEN_FINGERPRINT_H_ */
