/* Internal: formats a message and passes it to the installed log handler. */
#ifndef PROTO2FFI_INTERNAL_LOG_H_
#define PROTO2FFI_INTERNAL_LOG_H_

#include "proto2ffi/log.h"

#if defined(__MINGW32__)
/* log.c formats with MinGW's C99 vsnprintf, not msvcrt's. */
__attribute__((format(gnu_printf, 1, 2)))
#elif defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void p2f__log(const char *fmt, ...);

#endif /* PROTO2FFI_INTERNAL_LOG_H_ */
