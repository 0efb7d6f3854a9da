/* internal/utf8.h: the UTF-8 validators behind p2f_utf8_valid, one per instruction set, for
 * the tests that compare them with each other and with a reference. Not installed. */
#ifndef PROTO2FFI_INTERNAL_UTF8_H_
#define PROTO2FFI_INTERNAL_UTF8_H_

#include <stddef.h>
#include <stdint.h>

enum { P2F_UTF8_SCALAR = 1, P2F_UTF8_SSSE3 = 2, P2F_UTF8_AVX2 = 3 };

/* The best level this CPU runs (P2F_UTF8_*). */
int p2f_utf8_level(void);
/* p2f_utf8_valid with the validator of `level` (at most p2f_utf8_level()). */
int p2f_utf8_valid_at(const uint8_t *s, size_t len, int level);

/* Copies len bytes from src to dst (which must not overlap) and says whether they are
 * well-formed UTF-8, in one pass where the CPU allows; dst gets the bytes either way. */
int p2f_utf8_copy(uint8_t *dst, const uint8_t *src, size_t len);
int p2f_utf8_copy_at(uint8_t *dst, const uint8_t *src, size_t len, int level);

#endif /* PROTO2FFI_INTERNAL_UTF8_H_ */
