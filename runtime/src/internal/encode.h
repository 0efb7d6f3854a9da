/* internal/encode.h: encode.c's level choice, for the tests. Not installed.
 *
 * On x86 with GCC or clang the field loop of the encoder is built twice: portable, and for
 * BMI2 (a varint's groups spread by pdep). p2f_encode runs the BMI2 one where pdep is fast
 * (p2f__encode_pdep); both write the same bytes and return the same statuses. */
#ifndef PROTO2FFI_INTERNAL_ENCODE_H_
#define PROTO2FFI_INTERNAL_ENCODE_H_

#include <stddef.h>
#include <stdint.h>

#include "proto2ffi/codec.h"

/* Whether p2f_encode runs the BMI2 code on this CPU (detected once; 0 in builds without it:
 * other than x86-64 with GCC or clang). */
int p2f__encode_pdep(void);

/* p2f_encode with the code chosen: pdep 1 the BMI2 code (only where the CPU has BMI2; builds
 * without it run the portable code), 0 the portable code. */
p2f_status p2f__encode_at(const p2f_msg_desc *desc, const void *msg, uint8_t *buf, size_t cap, size_t *written,
                          int pdep);

#endif /* PROTO2FFI_INTERNAL_ENCODE_H_ */
