/* The log handler (see proto2ffi/log.h). */
#if defined(__MINGW32__) && !defined(__USE_MINGW_ANSI_STDIO)
/* MinGW-w64: the C99 vsnprintf (%zu in the pool messages) instead of msvcrt's. */
#define __USE_MINGW_ANSI_STDIO 1
#endif
#include <stdarg.h>
#include <stdio.h>

#include "internal/log.h"

static void to_stderr(void *ctx, const char *message) {
  (void)ctx;
  fprintf(stderr, "%s\n", message);
}

static p2f_log_fn handler = to_stderr;
static void *handler_ctx;

void p2f_set_log_handler(p2f_log_fn fn, void *ctx) {
  handler = fn ? fn : to_stderr;
  handler_ctx = fn ? ctx : NULL;
}

void p2f__log(const char *fmt, ...) {
  char message[512];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  handler(handler_ctx, message);
}
