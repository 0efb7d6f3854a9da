/* Formatted strings and numbers (see format.h). */
#include "format.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* Decimal digits of v, written backwards ending at end; returns the first digit. */
static char *u64_digits(char *end, uint64_t v) {
  do {
    *--end = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0);
  return end;
}

/* Formats the conversions listed in format.h into out[cap]; returns -1 for any other format
 * (the caller uses vsnprintf) or when out[cap] is too small. */
static int format_simple(char *out, size_t cap, const char *fmt, va_list ap) {
  for (const char *f = fmt; *f != '\0'; f++) { /* check first: nothing is consumed on -1 */
    if (*f != '%') continue;
    f++;
    if (*f == '%') continue;
    if (f[0] == 'l' && f[1] == 'l') f += 2;
    else if (*f == 'l' || *f == 'z') f++;
    if (*f != 's' && *f != 'd' && *f != 'i' && *f != 'u' && *f != 'c') return -1;
  }
  size_t n = 0;
  for (const char *f = fmt; *f != '\0'; f++) {
    char tmp[24];
    const char *piece = tmp;
    size_t len = 1;
    if (*f != '%') {
      tmp[0] = *f;
    } else if (f[1] == '%') {
      tmp[0] = '%';
      f++;
    } else {
      f++;
      int size = 0; /* 0 int, 1 long, 2 long long, 3 size_t */
      if (f[0] == 'l' && f[1] == 'l') size = 2, f += 2;
      else if (*f == 'l') size = 1, f++;
      else if (*f == 'z') size = 3, f++;
      if (*f == 's') {
        piece = va_arg(ap, const char *);
        len = strlen(piece);
      } else if (*f == 'c') {
        tmp[0] = (char)va_arg(ap, int);
      } else {
        bool neg = false;
        uint64_t mag;
        if (*f == 'u') {
          mag = size == 0 ? va_arg(ap, unsigned) : size == 1 ? va_arg(ap, unsigned long)
              : size == 2 ? va_arg(ap, unsigned long long) : va_arg(ap, size_t);
        } else {
          long long v = size == 0 ? va_arg(ap, int) : size == 1 ? va_arg(ap, long) : size == 2 ? va_arg(ap, long long)
                      : (long long)va_arg(ap, size_t);
          neg = v < 0;
          mag = neg ? 0u - (uint64_t)v : (uint64_t)v;
        }
        char *first = u64_digits(tmp + sizeof tmp, mag);
        if (neg) *--first = '-';
        piece = first;
        len = (size_t)(tmp + sizeof tmp - first);
      }
    }
    if (n + len >= cap) return -1;
    memcpy(out + n, piece, len);
    n += len;
  }
  out[n] = '\0';
  return (int)n;
}

/* Formats into a stack buffer first: most strings fit, so vsnprintf runs at most once. */
char *gen_strf(gen_arena *a, const char *fmt, ...) {
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = format_simple(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n >= 0) return gen_strndup(a, small, (size_t)n);
  va_start(ap, fmt);
  n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) gen_oom();
  if ((size_t)n < sizeof small) return gen_strndup(a, small, (size_t)n);
  char *p = gen_alloc(a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

char *gen_u64(gen_arena *a, uint64_t v) {
  char tmp[24];
  char *first = u64_digits(tmp + sizeof tmp, v);
  return gen_strndup(a, first, (size_t)(tmp + sizeof tmp - first));
}

char *gen_i64(gen_arena *a, int64_t v) {
  char tmp[24];
  uint64_t mag = v < 0 ? 0u - (uint64_t)v : (uint64_t)v;
  char *first = u64_digits(tmp + sizeof tmp, mag);
  if (v < 0) *--first = '-';
  return gen_strndup(a, first, (size_t)(tmp + sizeof tmp - first));
}
