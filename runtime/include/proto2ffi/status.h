/* proto2ffi/status.h: the status codes every proto2ffi function returns.
 *
 * One X-macro table gives the enum and the names: 0 is success, every error is negative and
 * keeps its number forever (foreign bindings such as the Dart package map them by value).
 *
 *   p2f_status st = social_Post_decode(&post, buf, len);
 *   if (st != P2F_OK) fprintf(stderr, "decode: %s\n", p2f_status_str(st));
 *
 * Thread-safety: everything here is pure.
 */
#ifndef PROTO2FFI_STATUS_H_
#define PROTO2FFI_STATUS_H_

#include "proto2ffi/port.h"

#ifdef __cplusplus
extern "C" {
#endif

/* X(NAME, value, description) */
#define P2F_STATUS_TABLE(X)                                                                  \
  X(OK, 0, "success")                                                                        \
  X(ERR_INVALID_ARGUMENT, -1, "invalid argument (NULL pointer or out-of-range value)")       \
  X(ERR_OUT_OF_MEMORY, -2, "out of memory")                                                  \
  X(ERR_POOL_EXHAUSTED, -3, "pool reached its maximum number of slots")                      \
  X(ERR_POOL_FOREIGN_POINTER, -4, "pointer does not belong to this pool")                    \
  X(ERR_POOL_DOUBLE_FREE, -5, "slot freed twice")                                            \
  X(ERR_ARENA_LIMIT, -6, "allocation would take the arena past its byte limit")              \
  X(ERR_TRUNCATED, -10, "input ends in the middle of a field")                               \
  X(ERR_VARINT_OVERFLOW, -11, "varint longer than 10 bytes")                                 \
  X(ERR_LENGTH_OVERFLOW, -12, "length-delimited field runs past the end of its input")       \
  X(ERR_STRING_TOO_LONG, -13, "string or bytes value longer than the field's capacity")      \
  X(ERR_TOO_MANY_ELEMENTS, -14, "more repeated elements than the field's capacity")          \
  X(ERR_INVALID_UTF8, -15, "string field is not valid UTF-8")                                \
  X(ERR_WIRE_TYPE_MISMATCH, -16, "wire type does not match the field's declared type")       \
  X(ERR_INVALID_FIELD_NUMBER, -17, "field number 0 or above 536870911")                      \
  X(ERR_NESTING_TOO_DEEP, -18, "messages nested deeper than the decoder's limit")            \
  X(ERR_INVALID_WIRE_TYPE, -19, "wire type 6 or 7, or an unmatched group end")              \
  X(ERR_MISSING_REQUIRED, -20, "a required field is missing")                                \
  X(ERR_INTEGER_RANGE, -21, "integer outside the range of its field's int_size width")         \
  X(ERR_FIXED_LENGTH, -22, "bytes value of a fixed_length field not exactly its size")      \
  X(ERR_FIXED_COUNT, -23, "fixed_count field without exactly its number of elements")      \
  X(ERR_BUFFER_TOO_SMALL, -30, "output buffer too small")                                    \
  X(ERR_UNKNOWN_MESSAGE, -40, "no message with that name in the table")

typedef enum p2f_status {
#define P2F_STATUS_ENUM_(name, value, text) P2F_##name = value,
  P2F_STATUS_TABLE(P2F_STATUS_ENUM_)
#undef P2F_STATUS_ENUM_
  P2F_STATUS_MIN_ = -40
} p2f_status;

/* Returns a static, human-readable description ("success", "output buffer too small");
 * never NULL, also for values outside the table ("unknown status"). */
P2F_EXPORT const char *p2f_status_str(int status);

/* Returns the enumerator's name without the P2F_ prefix ("OK", "ERR_TRUNCATED"), or
 * "UNKNOWN" for values outside the table. */
P2F_EXPORT const char *p2f_status_name(int status);

#ifdef __cplusplus
}
#endif

#endif /* PROTO2FFI_STATUS_H_ */
