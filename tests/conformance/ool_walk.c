/* Storage checks of out-of-line data (see ool_walk.h). */
#include "ool_walk.h"

#include <stdio.h>
#include <string.h>

int ool_tree(const p2f_msg_desc *d) { return (d->flags & P2F_MF_OUT_OF_LINE) != 0; }

typedef struct walk {
  uintptr_t lo, hi;
  int expect;
  char *why;
  size_t cap;
  size_t *values;
} walk;

static int text_ok(const walk *w, const p2f_field_desc *f, const unsigned char *data, uint32_t len, const char *path) {
  if (len == 0) return 1;
  if (data == NULL) {
    snprintf(w->why, w->cap, "%s: NULL data with length %u", path, len);
    return 0;
  }
  if (w->values) (*w->values)++;
  uintptr_t a = (uintptr_t)data;
  int inside = a >= w->lo && a < w->hi && len <= w->hi - a;
  if (w->expect == OOL_ALIASED && !inside) {
    snprintf(w->why, w->cap, "%s: not in the input after an aliasing decode", path);
    return 0;
  }
  if (w->expect == OOL_COPIED) {
    int overlaps = a < w->hi && a + len > w->lo;
    if (overlaps) {
      snprintf(w->why, w->cap, "%s: points into the input after a copy", path);
      return 0;
    }
    if (f->type == P2F_FT_STRING && data[len] != '\0') {
      snprintf(w->why, w->cap, "%s: copied string not NUL-terminated", path);
      return 0;
    }
  }
  return 1;
}

static int walk_msg(const walk *w, const p2f_msg_desc *d, const unsigned char *m, const char *path, int depth);

static int walk_sub(const walk *w, const p2f_field_desc *f, const unsigned char *sub, const char *path, int depth) {
  if (sub == NULL) return 1;
  if (depth > P2F_DEFAULT_MAX_DEPTH) {
    snprintf(w->why, w->cap, "%s: nested deeper than %d", path, P2F_DEFAULT_MAX_DEPTH);
    return 0;
  }
  return walk_msg(w, f->sub, sub, path, depth + 1);
}

static const unsigned char *ptr_at(const unsigned char *p) {
  const unsigned char *v;
  memcpy(&v, p, sizeof v);
  return v;
}

static uint32_t u32_at(const unsigned char *p) {
  uint32_t v;
  memcpy(&v, p, 4);
  return v;
}

static int walk_msg(const walk *w, const p2f_msg_desc *d, const unsigned char *m, const char *path, int depth) {
  for (uint32_t i = 0; i < d->field_count; i++) {
    const p2f_field_desc *f = &d->fields[i];
    int out = (f->flags & P2F_FF_OUT) != 0;
    if (f->label == P2F_FL_ONEOF && u32_at(m + f->aux_offset) != f->number) continue;
    /* Not set: a proto2 [default] may point at the generated code's constant. */
    if (f->label == P2F_FL_OPTIONAL && f->aux_offset != P2F_NO_OFFSET && m[f->aux_offset] == 0) continue;
    char here[512];
    snprintf(here, sizeof here, "%s.%u", path, f->number);
    if (f->label == P2F_FL_REPEATED) {
      uint32_t count = (f->flags & P2F_FF_FIXED_COUNT) ? f->capacity : u32_at(m + f->aux_offset);
      const unsigned char *arr = out ? ptr_at(m + f->offset) : m + f->offset;
      if (count == 0) continue;
      if (arr == NULL) {
        snprintf(w->why, w->cap, "%s: NULL array of %u elements", here, count);
        return 0;
      }
      for (uint32_t k = 0; k < count; k++) {
        const unsigned char *e = arr + (size_t)k * f->elem_size;
        char at[540];
        snprintf(at, sizeof at, "%s[%u]", here, k);
        if (f->type == P2F_FT_MESSAGE) {
          if (!walk_sub(w, f, e, at, depth)) return 0;
        } else if (out && (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES)) {
          if (!text_ok(w, f, ptr_at(e + offsetof(p2f_str, data)), u32_at(e + offsetof(p2f_str, len)), at)) return 0;
        }
      }
      continue;
    }
    if (f->type == P2F_FT_MESSAGE) {
      if (!walk_sub(w, f, out ? ptr_at(m + f->offset) : m + f->offset, here, depth)) return 0;
    } else if (out && (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES)) {
      if (!text_ok(w, f, ptr_at(m + f->offset), u32_at(m + f->len_offset), here)) return 0;
    }
  }
  return 1;
}

int ool_storage_ok(const p2f_msg_desc *d, const void *msg, const void *lo, size_t n, int expect, char *why,
                   size_t cap, size_t *values) {
  walk w = {(uintptr_t)lo, (uintptr_t)lo + n, expect, why, cap, values};
  return walk_msg(&w, d, msg, d->full_name, 0);
}
