/* Layout fingerprints (fingerprint.h).
 *
 * The fingerprint of a message is FNV-1a 64 (offset basis 0xcbf29ce484222325, prime
 * 0x100000001b3) over this ASCII text, with no separators other than those shown:
 *
 *   text    = "p2f-layout-1 " struct
 *   struct  = ("struct" | "union") " " size " " align " {" member* "}"
 *   member  = offset " " size " " role " " storage " " elem dims " " max_length "/" max_count ";"
 *   elem    = C scalar type ("int32_t", "char", ...)
 *           | "msg:" fingerprint of the nested message (16 lower-case hex digits)
 *           | "ref:" full name of a message held by pointer
 *           | struct (a oneof's union, the {len, data} struct of a string in a oneof, the
 *             {data, len} element of an out-of-line repeated string)
 *   dims    = ("[" n "]")*  (the array dimensions, none for a scalar)
 *   role    = "value" | "has" | "len" | "count" | "cap" | "which" | "oneof" | "reserved"
 *   storage = "inline" | "pointer"
 *
 * Numbers are decimal. Members come in the order the C struct declares them (offset order).
 * max_length and max_count are the capacities of the member's field (0 where none applies,
 * and for members of no field), so that a capacity is covered even where it does not show in
 * a dimension. Names are not part of it: renaming a field keeps the fingerprint.
 *
 * storage is the member's storage class: "pointer" for the pointer member of an out-of-line
 * field (8 bytes on the 64-bit ABIs), "inline" for every other member. A message held by
 * pointer is named rather than hashed: it may be the message itself (a recursive field), and
 * its own fingerprint is checked on its own. */
#include "fingerprint.h"

#include <inttypes.h>
#include <string.h>

uint64_t fingerprint_fnv1a64(const void *data, size_t n) {
  const unsigned char *p = data;
  uint64_t h = UINT64_C(0xcbf29ce484222325);
  for (size_t i = 0; i < n; i++) {
    h ^= p[i];
    h *= UINT64_C(0x100000001b3);
  }
  return h;
}

static const char *role_name(gen_member_role role) {
  switch (role) {
    case GEN_MEMBER_VALUE: return "value";
    case GEN_MEMBER_HAS: return "has";
    case GEN_MEMBER_LEN: return "len";
    case GEN_MEMBER_COUNT: return "count";
    case GEN_MEMBER_CAP: return "cap";
    case GEN_MEMBER_WHICH: return "which";
    case GEN_MEMBER_ONEOF: return "oneof";
    case GEN_MEMBER_RESERVED: return "reserved";
  }
  return "?";
}

/* The storage class of a member. */
static const char *storage_of(const gen_member *mb) { return mb->pointer ? "pointer" : "inline"; }

static void put_struct(gen_buf *b, const gen_struct *s) {
  gen_buf_printf(b, "%s %" PRIu64 " %u {", s->is_union ? "union" : "struct", s->size, (unsigned)s->align);
  for (size_t i = 0; i < s->member_count; i++) {
    const gen_member *mb = s->by_offset[i];
    gen_buf_printf(b, "%" PRIu64 " %" PRIu64 " %s %s ", mb->offset, mb->size, role_name(mb->role), storage_of(mb));
    if (mb->scalar) {
      gen_buf_puts(b, mb->scalar->c_type);
    } else if (mb->pointer && mb->aggregate->owner && mb->aggregate == &mb->aggregate->owner->layout) {
      gen_buf_printf(b, "ref:%s", mb->aggregate->owner->full_name);
    } else if (mb->aggregate == &mb->aggregate->owner->layout) {
      gen_buf_printf(b, "msg:%016" PRIx64, mb->aggregate->owner->layout_fingerprint);
    } else {
      put_struct(b, mb->aggregate);
    }
    for (uint32_t d = 0; d < mb->ndims; d++) gen_buf_printf(b, "[%" PRIu64 "]", mb->dims[d]);
    uint64_t max_length = mb->field ? mb->field->max_length : 0;
    uint64_t max_count = mb->field ? mb->field->max_count : 0;
    gen_buf_printf(b, " %" PRIu64 "/%" PRIu64 ";", max_length, max_count);
  }
  gen_buf_putc(b, '}');
}

const char *fingerprint_text(gen_arena *a, const gen_message *msg) {
  gen_buf b = {0};
  gen_buf_puts(&b, "p2f-layout-1 ");
  put_struct(&b, &msg->layout);
  const char *text = gen_strdup(a, b.data);
  gen_buf_free(&b);
  return text;
}

void fingerprint_message(gen_arena *a, gen_message *msg) {
  const char *text = fingerprint_text(a, msg);
  msg->layout_fingerprint = fingerprint_fnv1a64(text, strlen(text));
}
