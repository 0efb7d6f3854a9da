/* Random messages for the protobuf-c conformance check (see rand_fill.h).
 *
 * Both generators draw from the same distributions: integers of every varint length and the
 * extremes, floats including infinities and NaNs, UTF-8 text with 1- to 4-byte characters up
 * to the field's capacity, repeated fields from empty to full, oneofs with any or no member,
 * map entries with distinct keys. Values protobuf-c cannot represent or does not write
 * canonically are avoided: text never contains NUL (protobuf-c strings are NUL-terminated),
 * map keys and values are never the default (protobuf-c omits them inside a map entry,
 * protobuf always writes both), and proto3 implicit floats are never -0.0 (protobuf-c omits
 * it, protobuf writes it) unless rand_allow_negative_zero is set.
 *
 * Out-of-line fields (P2F_FF_OUT) have no capacity: text and bytes get up to 16 bytes mostly,
 * sometimes 64 or 300 (a two-byte length prefix), repeated fields up to 8 elements, sometimes
 * 40; repeated and singular message fields that are out of line shrink with depth and stop at
 * OOL_MAX_DEPTH, so recursive schemas give messages of bounded size. Our structs get their
 * out-of-line data from the arena through the runtime's building helpers (p2f_set_text,
 * p2f_set_bytes, p2f_array_add, p2f_msg_new). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rand_fill.h"

int rand_allow_negative_zero;

uint64_t rng_next(rng *r) { /* splitmix64 */
  uint64_t z = (r->s += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

rng rng_for(uint64_t seed, const char *name, uint64_t index) {
  uint64_t h = 0xcbf29ce484222325u; /* FNV-1a of the name */
  for (const char *c = name; *c; c++) h = (h ^ (unsigned char)*c) * 0x100000001b3u;
  rng r = {seed * 0x9e3779b97f4a7c15u ^ h ^ index * 0xd1b54a32d192ed03u};
  rng_next(&r);
  return r;
}

static uint64_t below(rng *r, uint64_t n) { return n ? rng_next(r) % n : 0; }

static uint64_t rand_bits(rng *r) {
  switch (below(r, 9)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return UINT64_MAX;
    case 3: return (uint64_t)1 << 63;
    case 4: return below(r, 300);
    case 5: return (uint64_t)-(int64_t)below(r, 300);
    case 6: return 0x7fffffffu;
    default: {
      unsigned bits = (unsigned)below(r, 65); /* every varint length */
      uint64_t v = rng_next(r);
      return bits == 64 ? v : v & (((uint64_t)1 << bits) - 1);
    }
  }
}

static double rand_double(rng *r) {
  switch (below(r, 8)) {
    case 0: return 0.0;
    case 1: return 1.5;
    case 2: return -2.25;
    case 3: return INFINITY;
    case 4: return -INFINITY;
    case 5: return (double)(int64_t)rng_next(r) / 1e6;
    case 6: return -0.0;
    default: {
      uint64_t b = rng_next(r); /* any bit pattern, NaNs included */
      double d;
      memcpy(&d, &b, 8);
      return d;
    }
  }
}

/* Writes a random scalar of protobuf type t (our P2F_FT_* numbering) into dst, `width`
 * bytes. nonzero: never the default; implicit: a proto3 implicit-presence field. */
static void rand_scalar(uint8_t t, void *dst, rng *r, int nonzero, int implicit) {
  for (int attempt = 0;; attempt++) {
    unsigned char buf[8] = {0};
    size_t width = 4;
    switch (t) {
      case P2F_FT_DOUBLE: {
        double d = rand_double(r);
        if (implicit && !rand_allow_negative_zero && d == 0.0) d = 0.0;
        memcpy(buf, &d, 8);
        width = 8;
        break;
      }
      case P2F_FT_FLOAT: {
        float f = (float)rand_double(r);
        if (below(r, 4) == 0) {
          uint32_t b = (uint32_t)rng_next(r);
          memcpy(&f, &b, 4);
        }
        if (implicit && !rand_allow_negative_zero && f == 0.0f) f = 0.0f;
        memcpy(buf, &f, 4);
        break;
      }
      case P2F_FT_BOOL:
        buf[0] = (unsigned char)below(r, 2);
        width = 1;
        break;
      case P2F_FT_INT64:
      case P2F_FT_UINT64:
      case P2F_FT_SINT64:
      case P2F_FT_FIXED64:
      case P2F_FT_SFIXED64: {
        uint64_t v = rand_bits(r);
        memcpy(buf, &v, 8);
        width = 8;
        break;
      }
      default: {
        uint32_t v = (uint32_t)rand_bits(r);
        memcpy(buf, &v, 4);
        break;
      }
    }
    int zero = 1;
    for (size_t i = 0; i < width; i++) zero &= buf[i] == 0;
    if (nonzero && zero && attempt < 8) continue;
    if (nonzero && zero) buf[0] = 1;
    memcpy(dst, buf, width);
    return;
  }
}

static int32_t rand_enum(rng *r, const int32_t *values, size_t n, int closed, int nonzero) {
  for (int attempt = 0; attempt < 16; attempt++) {
    int32_t v;
    if (closed || below(r, 5)) {
      v = n ? values[below(r, n)] : 0;
    } else { /* open enums keep numbers they do not declare */
      static const int32_t odd[] = {INT32_MAX, INT32_MIN, -1, 1000, -1000};
      v = below(r, 2) ? odd[below(r, 5)] : (int32_t)below(r, 2001) - 1000;
    }
    if (!nonzero || v != 0) return v;
  }
  return closed ? values[n - 1] : 7;
}

/* Random UTF-8 text (no NUL) of at most max bytes (at least 1 when nonzero); returns its length. */
static size_t rand_text(rng *r, char *out, size_t max, int nonzero) {
  static const char *const pieces[] = {"a", "b", "x", "Z", "0", "9", " ", "_", "-", "\n", "\"", "\\",
                                       "\xc3\xa9", "\xc3\x9f", "\xe2\x9c\x93", "\xe2\x82\xac", "\xf0\x9f\x99\x82"};
  size_t want;
  switch (below(r, 4)) {
    case 0: want = 0; break;
    case 1: want = max; break;
    default: want = (size_t)below(r, max + 1); break;
  }
  if (nonzero && want == 0) want = 1;
  size_t n = 0;
  for (int tries = 0; n < want && tries < 4 * (int)want + 8; tries++) {
    const char *p = pieces[below(r, sizeof pieces / sizeof pieces[0])];
    size_t k = strlen(p);
    if (n + k <= want) {
      memcpy(out + n, p, k);
      n += k;
    }
  }
  if (nonzero && n == 0 && max) out[n++] = 'k';
  return n;
}

static size_t rand_bytes(rng *r, uint8_t *out, size_t max, int nonzero) {
  size_t n = below(r, 3) ? (size_t)below(r, max + 1) : max;
  if (nonzero && n == 0) n = max ? 1 : 0;
  for (size_t i = 0; i < n; i++) out[i] = (uint8_t)rng_next(r);
  return n;
}

/* How many elements a repeated field gets: mostly few, sometimes many, sometimes full. */
static uint32_t rand_count(rng *r, uint32_t cap) {
  switch (below(r, 10)) {
    case 0: return 0;
    case 1: return cap;
    case 2:
    case 3: return (uint32_t)below(r, (uint64_t)cap + 1);
    default: return (uint32_t)below(r, (uint64_t)(cap < 8 ? cap : 8) + 1);
  }
}

/* Out-of-line fields: the largest text or bytes value of one draw, and how many elements a
 * repeated field gets at `depth` (messages fewer the deeper they are, none at OOL_MAX_DEPTH). */
#define OOL_MAX_DEPTH 5
#define OOL_TEXT_MAX 300

static size_t ool_text_max(rng *r) {
  switch (below(r, 8)) {
    case 0: return 64;
    case 1: return OOL_TEXT_MAX;
    default: return 16;
  }
}

static uint32_t ool_count(rng *r, int depth, int message) {
  if (message) {
    int room = OOL_MAX_DEPTH - 1 - depth;
    return room <= 0 ? 0 : (uint32_t)below(r, (uint64_t)(room < 3 ? room : 3) + 1);
  }
  if (depth > 6) return 0;
  return rand_count(r, below(r, 10) == 0 ? 40 : 8);
}

static int is_out(const p2f_field_desc *f) { return (f->flags & P2F_FF_OUT) != 0; }

/* Whether an out-of-line submessage is left out at `depth` (only where it may be absent). */
static int ool_too_deep(const p2f_field_desc *f, int depth) {
  return is_out(f) && f->type == P2F_FT_MESSAGE && depth >= OOL_MAX_DEPTH - 1;
}

static p2f_arena *fill_arena; /* out-of-line data of ours_random */

static void *need(void *p) {
  if (p == NULL) {
    fprintf(stderr, "rand_fill: arena allocation failed: %s\n", p2f_status_str(p2f_arena_last_error(fill_arena)));
    abort();
  }
  return p;
}

static size_t align_of(const p2f_field_desc *f) {
  if (f->type == P2F_FT_MESSAGE) return f->sub->align ? f->sub->align : 8;
  if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) return sizeof(void *);
  return f->elem_size;
}

const p2f_field_desc *ours_field(const p2f_msg_desc *od, uint32_t number) {
  for (uint32_t i = 0; i < od->field_count; i++) {
    if (od->fields[i].number == number) return &od->fields[i];
  }
  return NULL;
}

int is_map_entry(const p2f_msg_desc *od) { return od->field_count == 2 && od->fields[0].label == P2F_FL_ALWAYS; }

/* ---- our structs ---------------------------------------------------------------------- */

static void ours_fill(const p2f_msg_desc *od, unsigned char *m, rng *r, int depth);

/* An out-of-line value: val is the data pointer member (or the p2f_str/p2f_bytes element),
 * len its length member; a message gets a new struct in the arena. */
static void ours_value_out(const p2f_field_desc *f, unsigned char *val, unsigned char *len, rng *r, int nonzero,
                           int depth) {
  if (f->type == P2F_FT_MESSAGE) {
    void *sub = need(p2f_msg_new(fill_arena, f->sub));
    ours_fill(f->sub, sub, r, depth + 1);
    memcpy(val, &sub, sizeof sub);
    return;
  }
  static unsigned char tmp[OOL_TEXT_MAX + 1];
  size_t max = ool_text_max(r);
  size_t n = f->type == P2F_FT_STRING ? rand_text(r, (char *)tmp, max, nonzero) : rand_bytes(r, tmp, max, nonzero);
  uint32_t length = 0;
  if (f->type == P2F_FT_STRING) {
    char *data = NULL;
    if (p2f_set_text(fill_arena, &data, &length, tmp, n) != P2F_OK) need(NULL);
    memcpy(val, &data, sizeof data);
  } else {
    uint8_t *data = NULL;
    if (p2f_set_bytes(fill_arena, &data, &length, tmp, n) != P2F_OK) need(NULL);
    memcpy(val, &data, sizeof data);
  }
  memcpy(len, &length, 4);
}

static void ours_value(const p2f_field_desc *f, unsigned char *val, unsigned char *len, rng *r, int nonzero,
                       int implicit, int depth) {
  if (is_out(f) && (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES || f->type == P2F_FT_MESSAGE)) {
    ours_value_out(f, val, len, r, nonzero, depth);
    return;
  }
  switch (f->type) {
    case P2F_FT_STRING:
    case P2F_FT_BYTES: {
      if (f->flags & P2F_FF_FIXED_LENGTH) { /* exactly max_length bytes, no length member */
        int zeros = below(r, 8) == 0;
        for (uint32_t i = 0; i < f->max_length; i++) val[i] = zeros ? 0 : (uint8_t)rng_next(r);
        return;
      }
      uint32_t n = f->type == P2F_FT_STRING ? (uint32_t)rand_text(r, (char *)val, f->max_length, nonzero)
                                            : (uint32_t)rand_bytes(r, val, f->max_length, nonzero);
      if (f->type == P2F_FT_STRING) val[n] = 0;
      memcpy(len, &n, 4);
      return;
    }
    case P2F_FT_MESSAGE:
      f->sub->init(val);
      ours_fill(f->sub, val, r, depth + 1);
      return;
    case P2F_FT_ENUM: {
      int32_t v = rand_enum(r, f->enum_values, f->enum_value_count, (f->flags & P2F_FF_CLOSED_ENUM) != 0, nonzero);
      memcpy(val, &v, 4);
      return;
    }
    default:
      rand_scalar(f->type, val, r, nonzero, implicit);
      return;
  }
}

static int same_key(const p2f_msg_desc *entry, const unsigned char *a, const unsigned char *b) {
  const p2f_field_desc *k = &entry->fields[0];
  if (k->type == P2F_FT_STRING) {
    uint32_t la, lb;
    memcpy(&la, a + k->len_offset, 4);
    memcpy(&lb, b + k->len_offset, 4);
    const unsigned char *da = a + k->offset, *db = b + k->offset;
    if (is_out(k)) {
      memcpy(&da, a + k->offset, sizeof da);
      memcpy(&db, b + k->offset, sizeof db);
      if (la == 0 || lb == 0) return la == lb;
    }
    return la == lb && memcmp(da, db, la) == 0;
  }
  return memcmp(a + k->offset, b + k->offset, k->elem_size) == 0;
}

static unsigned char *len_of(const p2f_field_desc *f, unsigned char *m, uint32_t i) {
  return f->len_offset == P2F_NO_OFFSET ? NULL : m + f->len_offset + (size_t)i * 4;
}

/* An out-of-line repeated field, element by element through p2f_array_add (the array moves
 * as it grows, so elements are found from the data member each time). */
static void ours_fill_array_out(const p2f_field_desc *f, unsigned char *m, rng *r, int depth) {
  uint32_t want = ool_count(r, depth, f->type == P2F_FT_MESSAGE);
  void **data = (void **)(void *)(m + f->offset);
  uint32_t *count = (uint32_t *)(void *)(m + f->aux_offset), *cap = (uint32_t *)(void *)(m + f->capacity);
  for (uint32_t k = 0; k < want; k++) {
    unsigned char *elem = need(p2f_array_add(fill_arena, data, count, cap, f->elem_size, align_of(f)));
    if (f->type != P2F_FT_MESSAGE) {
      if (f->type == P2F_FT_STRING || f->type == P2F_FT_BYTES) {
        ours_value_out(f, elem + offsetof(p2f_str, data), elem + offsetof(p2f_str, len), r, 0, depth);
      } else {
        ours_value(f, elem, NULL, r, 0, 0, depth);
      }
      continue;
    }
    int unique = 0;
    for (int attempt = 0; attempt < 8 && !unique; attempt++) {
      f->sub->init(elem);
      ours_fill(f->sub, elem, r, depth + 1);
      unique = 1;
      if (!(f->flags & P2F_FF_MAP)) break;
      const unsigned char *arr = *data;
      for (uint32_t j = 0; j + 1 < *count; j++) unique &= !same_key(f->sub, arr + (size_t)j * f->elem_size, elem);
    }
    if (!unique) {
      (*count)--; /* the last element is dropped again */
      break;
    }
  }
}

static void ours_fill(const p2f_msg_desc *od, unsigned char *m, rng *r, int depth) {
  for (uint32_t i = 0; i < od->field_count; i++) {
    const p2f_field_desc *f = &od->fields[i];
    switch (f->label) {
      case P2F_FL_SINGULAR:
        if (below(r, 10) < 3 || ool_too_deep(f, depth)) break;
        ours_value(f, m + f->offset, len_of(f, m, 0), r, 0, 1, depth);
        break;
      case P2F_FL_OPTIONAL:
        if (below(r, 10) < 3 || depth > 6 || ool_too_deep(f, depth)) break;
        if (f->aux_offset != P2F_NO_OFFSET) m[f->aux_offset] = 1;
        ours_value(f, m + f->offset, len_of(f, m, 0), r, 0, 0, depth);
        break;
      case P2F_FL_REQUIRED:
      case P2F_FL_ALWAYS:
        if (f->aux_offset != P2F_NO_OFFSET) m[f->aux_offset] = 1;
        ours_value(f, m + f->offset, len_of(f, m, 0), r, f->label == P2F_FL_ALWAYS, f->label == P2F_FL_ALWAYS, depth);
        break;
      case P2F_FL_ONEOF: {
        int first = 1;
        for (uint32_t j = 0; j < i; j++) first &= od->fields[j].aux_offset != f->aux_offset;
        if (!first) break;
        const p2f_field_desc *members[64];
        uint32_t n = 0;
        for (uint32_t j = i; j < od->field_count && n < 64; j++) {
          if (od->fields[j].label == P2F_FL_ONEOF && od->fields[j].aux_offset == f->aux_offset) {
            members[n++] = &od->fields[j];
          }
        }
        uint64_t pick = below(r, (uint64_t)n + 1);
        if (pick == n || ool_too_deep(members[pick], depth)) break;
        const p2f_field_desc *g = members[pick];
        memcpy(m + g->aux_offset, &g->number, 4);
        ours_value(g, m + g->offset, len_of(g, m, 0), r, 0, 0, depth);
        break;
      }
      case P2F_FL_REPEATED: {
        if (is_out(f)) {
          ours_fill_array_out(f, m, r, depth);
          break;
        }
        int fixed = (f->flags & P2F_FF_FIXED_COUNT) != 0; /* always every element, no count member */
        uint32_t want = fixed ? f->capacity : depth > 6 ? 0 : rand_count(r, f->capacity), count = 0;
        for (uint32_t k = 0; k < want; k++) {
          unsigned char *elem = m + f->offset + (size_t)count * f->elem_size;
          if (f->flags & P2F_FF_MAP) {
            int unique = 0;
            for (int attempt = 0; attempt < 8 && !unique; attempt++) {
              f->sub->init(elem);
              ours_fill(f->sub, elem, r, depth + 1);
              unique = 1;
              for (uint32_t j = 0; j < count; j++) unique &= !same_key(f->sub, m + f->offset + (size_t)j * f->elem_size, elem);
            }
            if (!unique) {
              f->sub->init(elem);
              break;
            }
          } else {
            ours_value(f, elem, len_of(f, m, count), r, 0, 0, depth);
          }
          count++;
        }
        if (!fixed) memcpy(m + f->aux_offset, &count, 4);
        break;
      }
      default:
        break;
    }
  }
}

void ours_random(const p2f_msg_desc *od, void *msg, rng *r, p2f_arena *arena) {
  fill_arena = arena;
  ours_fill(od, msg, r, 0);
  fill_arena = NULL;
}

/* ---- protobuf-c messages ----------------------------------------------------------------- */

static uint8_t our_type(ProtobufCType t) {
  static const uint8_t map[] = {
      [PROTOBUF_C_TYPE_INT32] = P2F_FT_INT32,       [PROTOBUF_C_TYPE_SINT32] = P2F_FT_SINT32,
      [PROTOBUF_C_TYPE_SFIXED32] = P2F_FT_SFIXED32, [PROTOBUF_C_TYPE_INT64] = P2F_FT_INT64,
      [PROTOBUF_C_TYPE_SINT64] = P2F_FT_SINT64,     [PROTOBUF_C_TYPE_SFIXED64] = P2F_FT_SFIXED64,
      [PROTOBUF_C_TYPE_UINT32] = P2F_FT_UINT32,     [PROTOBUF_C_TYPE_FIXED32] = P2F_FT_FIXED32,
      [PROTOBUF_C_TYPE_UINT64] = P2F_FT_UINT64,     [PROTOBUF_C_TYPE_FIXED64] = P2F_FT_FIXED64,
      [PROTOBUF_C_TYPE_FLOAT] = P2F_FT_FLOAT,       [PROTOBUF_C_TYPE_DOUBLE] = P2F_FT_DOUBLE,
      [PROTOBUF_C_TYPE_BOOL] = P2F_FT_BOOL,         [PROTOBUF_C_TYPE_ENUM] = P2F_FT_ENUM,
      [PROTOBUF_C_TYPE_STRING] = P2F_FT_STRING,     [PROTOBUF_C_TYPE_BYTES] = P2F_FT_BYTES,
      [PROTOBUF_C_TYPE_MESSAGE] = P2F_FT_MESSAGE,
  };
  return (unsigned)t < sizeof map ? map[t] : 0;
}

uint8_t pbc_to_our_type(ProtobufCType t) { return our_type(t); }

size_t pbc_elem_size(ProtobufCType t) {
  switch (t) {
    case PROTOBUF_C_TYPE_INT64:
    case PROTOBUF_C_TYPE_SINT64:
    case PROTOBUF_C_TYPE_SFIXED64:
    case PROTOBUF_C_TYPE_UINT64:
    case PROTOBUF_C_TYPE_FIXED64:
    case PROTOBUF_C_TYPE_DOUBLE:
      return 8;
    case PROTOBUF_C_TYPE_BOOL:
      return sizeof(protobuf_c_boolean);
    case PROTOBUF_C_TYPE_ENUM:
      return sizeof(int);
    case PROTOBUF_C_TYPE_STRING:
      return sizeof(char *);
    case PROTOBUF_C_TYPE_BYTES:
      return sizeof(ProtobufCBinaryData);
    case PROTOBUF_C_TYPE_MESSAGE:
      return sizeof(ProtobufCMessage *);
    default:
      return 4;
  }
}

static ProtobufCMessage *pbc_new(const ProtobufCMessageDescriptor *pd) {
  ProtobufCMessage *m = calloc(1, pd->sizeof_message);
  if (m == NULL) abort();
  pd->message_init(m);
  return m;
}

static void pbc_fill(const ProtobufCMessageDescriptor *pd, const p2f_msg_desc *od, ProtobufCMessage *m, rng *r,
                     int depth);

static void pbc_value(const ProtobufCFieldDescriptor *pf, const p2f_field_desc *of, void *dst, rng *r, int nonzero,
                      int implicit, int depth) {
  switch (pf->type) {
    case PROTOBUF_C_TYPE_STRING: {
      size_t max = is_out(of) ? ool_text_max(r) : of->max_length;
      char *s = malloc(max + 1);
      if (s == NULL) abort();
      s[rand_text(r, s, max, nonzero)] = 0;
      memcpy(dst, &s, sizeof s);
      return;
    }
    case PROTOBUF_C_TYPE_BYTES: {
      size_t max = is_out(of) ? ool_text_max(r) : of->max_length;
      ProtobufCBinaryData b;
      b.data = malloc(max + 1);
      if (b.data == NULL) abort();
      b.len = rand_bytes(r, b.data, max, nonzero);
      if (of->flags & P2F_FF_FIXED_LENGTH) { /* ours takes exactly max_length bytes */
        b.len = max;
        for (size_t i = 0; i < max; i++) b.data[i] = (uint8_t)rng_next(r);
      }
      memcpy(dst, &b, sizeof b);
      return;
    }
    case PROTOBUF_C_TYPE_MESSAGE: {
      const ProtobufCMessageDescriptor *sd = pf->descriptor;
      ProtobufCMessage *sub = pbc_new(sd);
      pbc_fill(sd, of->sub, sub, r, depth + 1);
      memcpy(dst, &sub, sizeof sub);
      return;
    }
    case PROTOBUF_C_TYPE_ENUM: {
      const ProtobufCEnumDescriptor *ed = pf->descriptor;
      int32_t values[256];
      size_t n = 0;
      for (unsigned i = 0; i < ed->n_values && n < 256; i++) values[n++] = ed->values[i].value;
      int v = rand_enum(r, values, n, (of->flags & P2F_FF_CLOSED_ENUM) != 0, nonzero);
      memcpy(dst, &v, sizeof v);
      return;
    }
    case PROTOBUF_C_TYPE_BOOL: {
      protobuf_c_boolean b = nonzero ? 1 : (protobuf_c_boolean)below(r, 2);
      memcpy(dst, &b, sizeof b);
      return;
    }
    default:
      rand_scalar(our_type(pf->type), dst, r, nonzero, implicit);
      return;
  }
}

/* Map keys compare like our decoder compares them. */
static int pbc_same_key(const ProtobufCMessage *a, const ProtobufCMessage *b) {
  const ProtobufCFieldDescriptor *k = &a->descriptor->fields[0];
  const char *pa = (const char *)a + k->offset, *pb = (const char *)b + k->offset;
  if (k->type == PROTOBUF_C_TYPE_STRING) {
    const char *sa, *sb;
    memcpy(&sa, pa, sizeof sa);
    memcpy(&sb, pb, sizeof sb);
    return strcmp(sa ? sa : "", sb ? sb : "") == 0;
  }
  return memcmp(pa, pb, pbc_elem_size(k->type)) == 0;
}

static void pbc_fill(const ProtobufCMessageDescriptor *pd, const p2f_msg_desc *od, ProtobufCMessage *m, rng *r,
                     int depth) {
  char *base = (char *)m;
  int entry = is_map_entry(od);
  for (unsigned i = 0; i < pd->n_fields; i++) {
    const ProtobufCFieldDescriptor *pf = &pd->fields[i];
    const p2f_field_desc *of = ours_field(od, pf->id);
    if (of == NULL) abort(); /* same_shape checked this */
    void *member = base + pf->offset;
    if (pf->flags & PROTOBUF_C_FIELD_FLAG_ONEOF) {
      int first = 1;
      for (unsigned j = 0; j < i; j++) {
        first &= !((pd->fields[j].flags & PROTOBUF_C_FIELD_FLAG_ONEOF) &&
                   pd->fields[j].quantifier_offset == pf->quantifier_offset);
      }
      if (!first) continue;
      const ProtobufCFieldDescriptor *members[64];
      unsigned n = 0;
      for (unsigned j = i; j < pd->n_fields && n < 64; j++) {
        if ((pd->fields[j].flags & PROTOBUF_C_FIELD_FLAG_ONEOF) && pd->fields[j].quantifier_offset == pf->quantifier_offset) {
          members[n++] = &pd->fields[j];
        }
      }
      uint64_t pick = below(r, (uint64_t)n + 1);
      if (pick == n || depth > 6 || ool_too_deep(ours_field(od, members[pick]->id), depth)) continue;
      const ProtobufCFieldDescriptor *g = members[pick];
      uint32_t id = g->id;
      memcpy(base + g->quantifier_offset, &id, 4);
      pbc_value(g, ours_field(od, g->id), base + g->offset, r, 0, 0, depth);
      continue;
    }
    switch (pf->label) {
      case PROTOBUF_C_LABEL_REQUIRED:
        pbc_value(pf, of, member, r, 0, 0, depth);
        break;
      case PROTOBUF_C_LABEL_OPTIONAL:
        if (below(r, 10) < 3 || depth > 6 || ool_too_deep(of, depth)) break;
        if (pf->type != PROTOBUF_C_TYPE_STRING && pf->type != PROTOBUF_C_TYPE_MESSAGE) {
          protobuf_c_boolean has = 1;
          memcpy(base + pf->quantifier_offset, &has, sizeof has);
        }
        pbc_value(pf, of, member, r, 0, 0, depth);
        break;
      case PROTOBUF_C_LABEL_NONE:
        if (!entry &&
            (below(r, 10) < 3 || (pf->type == PROTOBUF_C_TYPE_MESSAGE && depth > 6) || ool_too_deep(of, depth)))
          break;
        pbc_value(pf, of, member, r, entry, 1, depth);
        break;
      case PROTOBUF_C_LABEL_REPEATED: {
        uint32_t want = is_out(of)                           ? ool_count(r, depth, of->type == P2F_FT_MESSAGE)
                        : (of->flags & P2F_FF_FIXED_COUNT) ? of->capacity /* ours holds exactly that many */
                        : depth > 6                        ? 0
                                                           : rand_count(r, of->capacity);
        size_t esz = pbc_elem_size(pf->type), count = 0;
        char *arr = calloc(want ? want : 1, esz);
        if (arr == NULL) abort();
        for (uint32_t k = 0; k < want; k++) {
          char *elem = arr + count * esz;
          if (of->flags & P2F_FF_MAP) {
            ProtobufCMessage *e = NULL;
            int unique = 0;
            for (int attempt = 0; attempt < 8 && !unique; attempt++) {
              if (e) protobuf_c_message_free_unpacked(e, NULL);
              pbc_value(pf, of, &e, r, 1, 0, depth);
              unique = 1;
              for (size_t j = 0; j < count; j++) {
                ProtobufCMessage *other;
                memcpy(&other, arr + j * esz, sizeof other);
                unique &= !pbc_same_key(other, e);
              }
            }
            if (!unique) {
              protobuf_c_message_free_unpacked(e, NULL);
              break;
            }
            memcpy(elem, &e, sizeof e);
          } else {
            pbc_value(pf, of, elem, r, 0, 0, depth);
          }
          count++;
        }
        memcpy(base + pf->quantifier_offset, &count, sizeof count);
        memcpy(member, &arr, sizeof arr);
        break;
      }
    }
  }
}

ProtobufCMessage *pbc_random(const ProtobufCMessageDescriptor *pd, const p2f_msg_desc *od, rng *r) {
  ProtobufCMessage *m = pbc_new(pd);
  pbc_fill(pd, od, m, r, 0);
  return m;
}
