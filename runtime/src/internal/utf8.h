/* internal/utf8.h: UTF-8 validation for the codec (utf8.c). Not installed; the public entry
 * point is p2f_utf8_valid (proto2ffi/wire.h).
 *
 * Levels: each level is one validator. P2F__UTF8_SCALAR is portable and always built;
 * P2F__UTF8_SSSE3, P2F__UTF8_AVX2 and P2F__UTF8_AVX512 (AVX2 with AVX-512 BW and VBMI) exist
 * on x86 with GCC or clang (P2F__X86_SIMD of internal/port.h) and may be used only when
 * p2f__utf8_level() is at least that level.
 * Inputs shorter than 32 bytes are validated by the scalar validator at every level. Each
 * validator tests wide blocks for ASCII before any multi-byte work (utf8.c).
 *
 * Every function here is pure apart from the level, detected once and cached (racing first
 * calls store the same value): safe from any thread.
 */
#ifndef PROTO2FFI_INTERNAL_UTF8_H_
#define PROTO2FFI_INTERNAL_UTF8_H_

#include <stddef.h>
#include <stdint.h>

#include "internal/port.h"

enum { P2F__UTF8_SCALAR = 1, P2F__UTF8_SSSE3 = 2, P2F__UTF8_AVX2 = 3, P2F__UTF8_AVX512 = 4 };

/* The best level this CPU runs and this build has (P2F__UTF8_*). */
int p2f__utf8_level(void);
/* The level p2f__utf8_level() picks for a CPU with these features (each 0 or 1; has_avx512:
 * AVX-512 BW and VBMI, and the OS saves their registers): what it
 * computes from __builtin_cpu_supports, as a pure function the tests can call with any
 * features. P2F__UTF8_SCALAR in builds without the x86 validators. */
int p2f__utf8_level_for(int has_ssse3, int has_avx2, int has_avx512);

/* Whether [s, s+len) is well-formed UTF-8 (the rules of p2f_utf8_valid), checked by the
 * validator of `level`. */
int p2f__utf8_valid_at(const uint8_t *s, size_t len, int level);

/* Copies len bytes from src to dst (which must not overlap) and says whether they are
 * well-formed UTF-8, in one pass where the level allows; dst gets the bytes either way.
 * p2f__utf8_copy uses p2f__utf8_level(). */
int p2f__utf8_copy_at(uint8_t *dst, const uint8_t *src, size_t len, int level);
int p2f__utf8_copy(uint8_t *dst, const uint8_t *src, size_t len);

/* The name p2f__utf8_copy had before the internal functions took the p2f__ prefix; decode.c
 * still calls it. */
static inline int p2f_utf8_copy(uint8_t *dst, const uint8_t *src, size_t len) { return p2f__utf8_copy(dst, src, len); }

#if P2F__UTF8_TRACE
/* Test builds only: the name of the validator that ran last ("scalar", "ssse3", "avx2",
 * "avx512"),
 * written by the validator itself as it starts. */
extern const char *p2f__utf8_trace;
#endif

#endif /* PROTO2FFI_INTERNAL_UTF8_H_ */
