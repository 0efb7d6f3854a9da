/* Arena, strings and vectors for the generator (see util.h). */
#if defined(__linux__) && !defined(_DEFAULT_SOURCE)
#define _DEFAULT_SOURCE /* madvise and MADV_HUGEPAGE under -std=c11 */
#endif
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__linux__)
#include <sys/mman.h>
#endif

typedef struct gen_arena_block {
  struct gen_arena_block *next;
  size_t used;
  size_t cap;
  size_t mapped; /* non-zero: the block came from big_alloc with this size */
  _Alignas(16) unsigned char data[];
} gen_arena_block;

struct gen_arena {
  gen_arena_block *head;
  size_t next_cap; /* block sizes double up to ARENA_MAX_BLOCK */
};

enum { HUGE_PAGE = 2 * 1024 * 1024, ARENA_FIRST_BLOCK = 64 * 1024, ARENA_MAX_BLOCK = 8 * HUGE_PAGE };

/* ---- large allocations ----------------------------------------------------------------
 * The plugin touches tens of megabytes once (the unpacked request, the model, the outputs),
 * and where page faults are expensive they dominate its run time. On Linux, large blocks are
 * mapped 2 MiB-aligned and marked for transparent huge pages (used when the system's THP mode
 * is "madvise" or "always"): one fault per 2 MiB instead of one per 4 KiB. Elsewhere, and
 * when mapping fails, they are plain malloc blocks. big_alloc returns zeroed memory of
 * *size bytes (rounded up) and sets *mapped to the size to pass to big_free, or 0 for malloc. */
static void *big_alloc(size_t *size, size_t *mapped) {
  *mapped = 0;
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  size_t n = (*size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
  void *raw = mmap(NULL, n + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw != MAP_FAILED) {
    uintptr_t base = (uintptr_t)raw;
    uintptr_t aligned = (base + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    if (aligned > base) munmap(raw, (size_t)(aligned - base));
    size_t tail = (size_t)(base + n + HUGE_PAGE - (aligned + n));
    if (tail) munmap((void *)(aligned + n), tail);
    (void)madvise((void *)aligned, n, MADV_HUGEPAGE);
    *size = n;
    *mapped = n;
    return (void *)aligned;
  }
#endif
  void *p = calloc(1, *size);
  if (p == NULL) gen_oom();
  return p;
}

static void big_free(void *p, size_t mapped) {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (mapped) {
    munmap(p, mapped);
    return;
  }
#endif
  (void)mapped;
  free(p);
}

_Noreturn void gen_oom(void) {
  fputs("protoc-gen-c-ffi: out of memory\n", stderr);
  exit(1);
}

void *gen_xmalloc(size_t size) {
  void *p = malloc(size ? size : 1);
  if (p == NULL) gen_oom();
  return p;
}

void *gen_xrealloc(void *p, size_t size) {
  void *q = realloc(p, size ? size : 1);
  if (q == NULL) gen_oom();
  return q;
}

gen_arena *gen_arena_new(void) {
  gen_arena *a = gen_xmalloc(sizeof *a);
  a->head = NULL;
  a->next_cap = ARENA_FIRST_BLOCK;
  return a;
}

void gen_arena_free(gen_arena *a) {
  if (a == NULL) return;
  gen_arena_block *b = a->head;
  while (b != NULL) {
    gen_arena_block *next = b->next;
    if (b->mapped) big_free(b, b->mapped);
    else free(b);
    b = next;
  }
  free(a);
}

static void *alloc_raw(gen_arena *a, size_t size);

void *gen_alloc(gen_arena *a, size_t size) {
  void *p = alloc_raw(a, size);
  memset(p, 0, size);
  return p;
}

/* gen_alloc without the zeroing, for strings that are written in full. */
static void *alloc_raw(gen_arena *a, size_t size) {
  size = (size + 15u) & ~(size_t)15u;
  gen_arena_block *b = a->head;
  if (b == NULL || b->cap - b->used < size) {
    size_t cap = size > a->next_cap ? size : a->next_cap;
    size_t mapped = 0;
    if (a->next_cap < ARENA_MAX_BLOCK) {
      a->next_cap *= 2;
      if (a->next_cap < HUGE_PAGE) a->next_cap = HUGE_PAGE; /* then 2, 4, 8, 16 MiB */
    }
    if (cap >= HUGE_PAGE) {
      size_t bytes = sizeof *b + cap;
      b = big_alloc(&bytes, &mapped);
      cap = bytes - sizeof *b;
    } else {
      b = gen_xmalloc(sizeof *b + cap);
    }
    b->mapped = mapped;
    b->cap = cap;
    b->used = 0;
    b->next = a->head;
    a->head = b;
  }
  void *p = b->data + b->used;
  b->used += size;
  return p;
}

char *gen_strndup(gen_arena *a, const char *s, size_t n) {
  char *p = alloc_raw(a, n + 1);
  memcpy(p, s, n);
  p[n] = '\0';
  return p;
}

char *gen_strdup(gen_arena *a, const char *s) { return gen_strndup(a, s, strlen(s)); }

char *gen_strcat3(gen_arena *a, const char *x, const char *y, const char *z) {
  size_t lx = strlen(x), ly = strlen(y), lz = strlen(z);
  char *p = alloc_raw(a, lx + ly + lz + 1);
  memcpy(p, x, lx);
  memcpy(p + lx, y, ly);
  memcpy(p + lx + ly, z, lz);
  p[lx + ly + lz] = '\0';
  return p;
}

/* Decimal digits of v, written backwards ending at end; returns the first digit. */
static char *u64_digits(char *end, uint64_t v);

/* The formats the generator uses most ("%s", "%d", "%llu", "%c", "%%", with the length
 * modifiers l, ll and z, no flags, width or precision) are formatted here without stdio;
 * returns -1 for any other format (the caller uses vsnprintf) or when out[cap] is too small. */
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
  char *p = alloc_raw(a, (size_t)n + 1);
  va_start(ap, fmt);
  vsnprintf(p, (size_t)n + 1, fmt, ap);
  va_end(ap);
  return p;
}

static char *u64_digits(char *end, uint64_t v) {
  do {
    *--end = (char)('0' + (int)(v % 10u));
    v /= 10u;
  } while (v != 0);
  return end;
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

static void gen_buf_reserve(gen_buf *b, size_t extra) {
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra + 1) cap *= 2;
  if (cap < HUGE_PAGE) {
    b->data = gen_xrealloc(b->data, cap);
  } else { /* an output file: move to a large block (see big_alloc) */
    size_t mapped = 0;
    char *data = big_alloc(&cap, &mapped);
    if (b->len) memcpy(data, b->data, b->len + 1);
    if (b->mapped) big_free(b->data, b->mapped);
    else free(b->data);
    b->data = data;
    b->mapped = mapped;
  }
  b->cap = cap;
}

void gen_buf_append(gen_buf *b, const char *s, size_t n) {
  gen_buf_reserve(b, n);
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = '\0';
}

void gen_buf_puts(gen_buf *b, const char *s) { gen_buf_append(b, s, strlen(s)); }
void gen_buf_putc(gen_buf *b, char c) { gen_buf_append(b, &c, 1); }

/* Formats straight into the buffer; only output longer than the room reserved up front
 * is formatted a second time. */
void gen_buf_printf(gen_buf *b, const char *fmt, ...) {
  gen_buf_reserve(b, 128);
  size_t room = b->cap - b->len;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(b->data + b->len, room, fmt, ap);
  va_end(ap);
  if (n < 0) gen_oom();
  if ((size_t)n >= room) {
    gen_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
  }
  b->len += (size_t)n;
}

void gen_buf_free(gen_buf *b) {
  if (b->mapped) big_free(b->data, b->mapped);
  else free(b->data);
  b->data = NULL;
  b->len = b->cap = b->mapped = 0;
}

char *gen_buf_take(gen_buf *b) {
  char *s = b->data;
  if (b->mapped) { /* hand out a malloc block: the caller frees it with free() */
    s = gen_xmalloc(b->len + 1);
    memcpy(s, b->data, b->len + 1);
    big_free(b->data, b->mapped);
  }
  b->data = NULL;
  b->len = b->cap = b->mapped = 0;
  return s;
}

void gen_vec_push(gen_vec *v, void *item) {
  if (v->len == v->cap) {
    v->cap = v->cap ? v->cap * 2 : 8;
    v->items = gen_xrealloc(v->items, v->cap * sizeof *v->items);
  }
  v->items[v->len++] = item;
}

void gen_vec_free(gen_vec *v) {
  free(v->items);
  v->items = NULL;
  v->len = v->cap = 0;
}

bool gen_glob_match(const char *pattern, const char *text) {
  const char *star = NULL;
  const char *resume = NULL;
  while (*text != '\0') {
    if (*pattern == '*') {
      star = pattern++;
      resume = text;
    } else if (*pattern == '?' || *pattern == *text) {
      pattern++;
      text++;
    } else if (star != NULL) {
      pattern = star + 1;
      text = ++resume;
    } else {
      return false;
    }
  }
  while (*pattern == '*') pattern++;
  return *pattern == '\0';
}
