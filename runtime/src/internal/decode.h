/* internal/decode.h: decode.c's level choice, for the tests. Not installed.
 *
 * On x86-64 with GCC or clang the field loop of the decoder is built twice: portable, and for
 * BMI2 (a varint's groups gathered by pext). p2f_decode and p2f_decode_ex run the BMI2 one
 * where pext is fast (p2f__decode_pext); both give the same messages and statuses. */
#ifndef PROTO2FFI_INTERNAL_DECODE_H_
#define PROTO2FFI_INTERNAL_DECODE_H_

#include <stddef.h>
#include <stdint.h>

#include "proto2ffi/codec.h"

/* Whether p2f_decode runs the BMI2 code on this CPU (detected once; 0 in builds without it). */
int p2f__decode_pext(void);

/* p2f_decode_ex with the code chosen: pext 1 the BMI2 code (only where the CPU has BMI2;
 * builds without it run the portable code), 0 the portable code. */
p2f_status p2f__decode_at(const p2f_msg_desc *desc, void *msg, const uint8_t *buf, size_t len,
                          const p2f_decode_options *opts, int pext);

#endif /* PROTO2FFI_INTERNAL_DECODE_H_ */
