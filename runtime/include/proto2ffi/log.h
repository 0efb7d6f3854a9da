/* proto2ffi/log.h: where the runtime reports misuse it detects (checked pool builds).
 *
 *   static void to_my_log(void *ctx, const char *message) { my_log_write(ctx, message); }
 *   p2f_set_log_handler(to_my_log, my_log);
 *
 * The default handler writes the message and a newline to stderr. Messages are one line,
 * start with the function that detected the problem ("p2f_pool_free: ...") and carry no
 * trailing newline. Thread-safety: set the handler before other threads use the runtime; the
 * handler itself may be called from any thread that uses a pool.
 */
#ifndef PROTO2FFI_LOG_H_
#define PROTO2FFI_LOG_H_

#include "proto2ffi/port.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*p2f_log_fn)(void *ctx, const char *message);

/* Installs fn (called with ctx); NULL restores the stderr handler. */
P2F_EXPORT void p2f_set_log_handler(p2f_log_fn fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* PROTO2FFI_LOG_H_ */
