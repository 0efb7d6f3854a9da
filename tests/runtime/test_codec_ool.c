/* Out-of-line codec (codec.h, runtime/src/decode.c, encode.c, copy.c, build.c) on
 * the hand-written schema of tests/support/ool_schema.h (structs laid out as the generator
 * lays out out-of-line fields, with the field tables it emits for them).
 *
 * Input bytes are built with the wire.h writers. Covered: every shape decoded, copy mode
 * (data in the arena, NUL-terminated) and alias mode (data in the input), byte-identical
 * re-encode, merging, packed and unpacked runs mixed, the depth limit (default and set),
 * pointer cycles in encode, errors leaving the message initialised and the arena as it was,
 * the arena limit in the middle of a message (nothing written past the caller's block),
 * invalid UTF-8 in both modes, p2f_copy outliving its source, the building helpers. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../support/check.h"

#include "proto2ffi/codec.h"
#include "proto2ffi/wire.h"
#include "../support/ool_schema.h"

/* ---- building input ----------------------------------------------------------------------------- */

typedef struct wbuf {
  uint8_t *b;
  size_t n, cap;
} wbuf;

static void w_init(wbuf *w) {
  w->cap = 1 << 16;
  w->b = (uint8_t *)malloc(w->cap);
  w->n = 0;
}

static void w_free(wbuf *w) { free(w->b); }

static void w_varint(wbuf *w, uint64_t v) {
  uint8_t *p = w->b + w->n;
  CHECK(p2f_wire_write_varint(&p, w->b + w->cap, v) == P2F_OK);
  w->n = (size_t)(p - w->b);
}

static void w_tag(wbuf *w, uint32_t field, int wt) { w_varint(w, (uint64_t)field << 3 | (uint64_t)wt); }

static void w_len(wbuf *w, uint32_t field, const void *d, size_t n) {
  w_tag(w, field, P2F_WIRE_LEN);
  uint8_t *p = w->b + w->n;
  CHECK(p2f_wire_write_bytes(&p, w->b + w->cap, d, n) == P2F_OK);
  w->n = (size_t)(p - w->b);
}

static void w_str(wbuf *w, uint32_t field, const char *s) { w_len(w, field, s, strlen(s)); }
static void w_sub(wbuf *w, uint32_t field, const wbuf *sub) { w_len(w, field, sub->b, sub->n); }

static void w_fixed64(wbuf *w, uint64_t v) {
  uint8_t *p = w->b + w->n;
  CHECK(p2f_wire_write_fixed64(&p, w->b + w->cap, v) == P2F_OK);
  w->n = (size_t)(p - w->b);
}

/* Leaf {id, name} */
static void w_leaf(wbuf *w, uint32_t field, int32_t id, const char *name) {
  wbuf s;
  w_init(&s);
  if (id) {
    w_tag(&s, 1, P2F_WIRE_VARINT);
    w_varint(&s, (uint64_t)(int64_t)id);
  }
  if (name) w_str(&s, 2, name);
  w_sub(w, field, &s);
  w_free(&s);
}

static void w_entry(wbuf *w, const char *key, int32_t value) {
  wbuf s;
  w_init(&s);
  w_str(&s, 1, key);
  w_tag(&s, 2, P2F_WIRE_VARINT);
  w_varint(&s, (uint64_t)(int64_t)value);
  w_sub(w, 10, &s);
  w_free(&s);
}

static const uint8_t blob_bytes[] = {0x00, 0xff, 0x80, 0xc0, 0x01}; /* not UTF-8: bytes are not checked */
static const int32_t vals_in[] = {0, -1, 1, -64, 64, 2147483647, -2147483647 - 1};

/* The canonical encoding of a Node using every field (fields in number order, as encode
 * writes them). */
static void w_full_node(wbuf *w) {
  w_tag(w, 1, P2F_WIRE_VARINT);
  w_varint(w, 1234567890123ull);
  w_str(w, 2, "title \xc3\xa9t\xc3\xa9"); /* "title été" */
  w_len(w, 3, blob_bytes, sizeof blob_bytes);
  wbuf pk;
  w_init(&pk);
  for (size_t i = 0; i < sizeof vals_in / sizeof vals_in[0]; i++) w_varint(&pk, p2f_zigzag_encode32(vals_in[i]));
  w_sub(w, 4, &pk);
  pk.n = 0;
  w_fixed64(&pk, 1);
  w_fixed64(&pk, UINT64_MAX);
  w_sub(w, 5, &pk);
  w_free(&pk);
  w_str(w, 6, "alpha");
  w_str(w, 6, "");
  w_str(w, 6, "gamma");
  w_len(w, 7, blob_bytes, 3);
  w_len(w, 7, "", 0);
  w_leaf(w, 8, 7, "leafy");
  wbuf kid;
  w_init(&kid);
  for (int k = 0; k < 2; k++) {
    kid.n = 0;
    w_tag(&kid, 1, P2F_WIRE_VARINT);
    w_varint(&kid, (uint64_t)(100 + k));
    w_str(&kid, 2, k ? "kid one" : "kid zero");
    w_sub(w, 9, &kid);
  }
  w_entry(w, "a", 1);
  w_entry(w, "b", -2);
  w_str(w, 11, "chosen");
  kid.n = 0;
  w_tag(&kid, 1, P2F_WIRE_VARINT);
  w_varint(&kid, 5);
  w_sub(w, 14, &kid);
  w_free(&kid);
  w_str(w, 15, "inline name");
  w_str(w, 16, "");
  for (int i = 0; i < 3; i++) {
    w_tag(w, 17, P2F_WIRE_VARINT);
    w_varint(w, (uint64_t)(int64_t)(i - 1));
  }
}

/* ---- helpers ------------------------------------------------------------------------------------ */

static int in_range(const void *p, const void *base, size_t n) {
  uintptr_t a = (uintptr_t)p, b = (uintptr_t)base;
  return p != NULL && a >= b && a < b + n;
}

static int text_is(const char *data, uint32_t len, const char *want) {
  size_t n = strlen(want);
  return len == n && (n == 0 || (data != NULL && memcmp(data, want, n) == 0));
}

static p2f_arena_stats stats_of(const p2f_arena *a) {
  p2f_arena_stats s;
  p2f_arena_get_stats(a, &s);
  return s;
}

static int is_fresh(const Node *m) {
  Node z;
  ool_node_init(&z);
  return memcmp(m, &z, sizeof z) == 0;
}

/* Re-encodes m and compares with the input. */
static int reencodes_to(const Node *m, const wbuf *want) {
  size_t cap = want->n + 64, written = 0;
  uint8_t *out = (uint8_t *)malloc(cap);
  p2f_status st = p2f_encode(&ool_node_desc, m, out, cap, &written);
  int ok = st == P2F_OK && written == want->n && memcmp(out, want->b, written) == 0 &&
           p2f_encoded_size(&ool_node_desc, m) == want->n;
  if (!ok) fprintf(stderr, "re-encode: %s, %zu bytes (want %zu)\n", p2f_status_name(st), written, want->n);
  free(out);
  return ok;
}

/* Every field of w_full_node's message, with the data pointers inside [lo, lo+n). */
static void check_full_node(const Node *m, const void *lo, size_t n, int copied) {
  CHECK(m->id == 1234567890123ll);
  CHECK(text_is(m->title, m->title_len, "title \xc3\xa9t\xc3\xa9"));
  CHECK(in_range(m->title, lo, n));
  if (copied) CHECK(m->title[m->title_len] == '\0');
  CHECK(m->blob_len == sizeof blob_bytes && memcmp(m->blob, blob_bytes, sizeof blob_bytes) == 0);
  CHECK(in_range(m->blob, lo, n));
  CHECK(m->vals_count == 7 && m->vals_cap == 7); /* a packed run: reserved at once */
  int ok = m->vals_count == 7;
  for (uint32_t i = 0; ok && i < 7; i++) ok = m->vals[i] == vals_in[i];
  CHECK(ok);
  CHECK(m->fx_count == 2 && m->fx[0] == 1 && m->fx[1] == UINT64_MAX);
  CHECK(m->tags_count == 3 && m->tags_cap >= 3);
  if (m->tags_count == 3) {
    CHECK(text_is(m->tags[0].data, m->tags[0].len, "alpha") && in_range(m->tags[0].data, lo, n));
    CHECK(m->tags[1].data == NULL && m->tags[1].len == 0); /* empty: NULL */
    CHECK(text_is(m->tags[2].data, m->tags[2].len, "gamma"));
    if (copied) CHECK(m->tags[2].data[5] == '\0');
  }
  CHECK(m->chunks_count == 2);
  if (m->chunks_count == 2) {
    CHECK(m->chunks[0].len == 3 && memcmp(m->chunks[0].data, blob_bytes, 3) == 0);
    CHECK(m->chunks[1].len == 0 && m->chunks[1].data == NULL);
  }
  CHECK(m->leaf != NULL && m->leaf->id == 7 && text_is(m->leaf->name, m->leaf->name_len, "leafy"));
  CHECK(m->kids_count == 2);
  if (m->kids_count == 2) {
    CHECK(m->kids[0].id == 100 && text_is(m->kids[0].title, m->kids[0].title_len, "kid zero"));
    CHECK(m->kids[1].id == 101 && text_is(m->kids[1].title, m->kids[1].title_len, "kid one"));
    CHECK(m->kids[1].leaf == NULL && m->kids[1].kids_count == 0);
  }
  CHECK(m->counts_count == 2);
  if (m->counts_count == 2) {
    CHECK(text_is(m->counts[0].key, m->counts[0].key_len, "a") && m->counts[0].value == 1);
    CHECK(text_is(m->counts[1].key, m->counts[1].key_len, "b") && m->counts[1].value == -2);
  }
  CHECK(m->which_choice == 11 && text_is(m->choice.ctext.data, m->choice.ctext.len, "chosen"));
  CHECK(m->next != NULL && m->next->id == 5 && m->next->next == NULL && m->next->title == NULL);
  CHECK(text_is(m->name, m->name_len, "inline name")); /* the inline member in the same struct */
  CHECK(m->has_opt == 1 && m->opt == NULL && m->opt_len == 0);
  CHECK(m->unp_count == 3 && m->unp[0] == -1 && m->unp[1] == 0 && m->unp[2] == 1);
}

/* ---- tests -------------------------------------------------------------------------------------- */

static _Alignas(16) unsigned char block[1 << 16];

static void test_copy_and_alias(void) {
  wbuf in;
  w_init(&in);
  w_full_node(&in);
  p2f_arena a;
  p2f_arena_config cfg = {block, sizeof block, sizeof block, 0, 0}; /* everything in the block */
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  Node m;
  p2f_decode_options copy = {&a, 0, 0};
  p2f_status st = p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &copy);
  CHECK(st == P2F_OK);
  if (st != P2F_OK) fprintf(stderr, "copy decode: %s\n", p2f_status_name(st));
  check_full_node(&m, block, sizeof block, 1); /* copies: in the arena */
  CHECK(!in_range(m.title, in.b, in.n));
  CHECK(in_range(m.kids, block, sizeof block) && in_range(m.leaf, block, sizeof block));
  CHECK(reencodes_to(&m, &in));

  p2f_arena_reset(&a);
  p2f_decode_options alias = {&a, P2F_DECODE_ALIAS, 0};
  st = p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &alias);
  CHECK(st == P2F_OK);
  check_full_node(&m, in.b, in.n, 0); /* aliases: into the input */
  /* The title's bytes follow field 1 (a tag and the id's varint) and its own tag and length. */
  CHECK(m.title == (char *)in.b + 1 + p2f_wire_varint_size(1234567890123ull) + 2);
  CHECK(in_range(m.kids, block, sizeof block)); /* arrays still live in the arena */
  CHECK(reencodes_to(&m, &in));
  /* Aliasing allocates less: no string or bytes copies. */
  size_t alias_used = stats_of(&a).allocated;
  p2f_arena_reset(&a);
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &copy) == P2F_OK);
  CHECK(stats_of(&a).allocated > alias_used);

  /* Without an arena the out-of-line tree is refused, the message initialised. */
  memset(&m, 0x5a, sizeof m);
  CHECK(p2f_decode(&ool_node_desc, &m, in.b, in.n) == P2F_ERR_INVALID_ARGUMENT);
  CHECK(is_fresh(&m));
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, NULL) == P2F_ERR_INVALID_ARGUMENT);
  p2f_decode_options no_arena = {NULL, P2F_DECODE_ALIAS, 0};
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &no_arena) == P2F_ERR_INVALID_ARGUMENT);
  p2f_arena_destroy(&a);
  w_free(&in);
}

static void test_merge(void) {
  wbuf in;
  w_init(&in);
  w_tag(&in, 1, P2F_WIRE_VARINT);
  w_varint(&in, 1);
  w_leaf(&in, 8, 3, "first");
  w_str(&in, 2, "old title");
  w_tag(&in, 1, P2F_WIRE_VARINT); /* the last scalar wins */
  w_varint(&in, 2);
  w_leaf(&in, 8, 0, "second"); /* merged: id stays 3 */
  w_str(&in, 2, "new title");
  w_entry(&in, "k", 1);
  w_entry(&in, "j", 2);
  w_entry(&in, "k", 3); /* replaces the first entry's value */
  w_str(&in, 11, "text");
  w_leaf(&in, 12, 9, "in oneof"); /* switches member: the union is cleared first */
  w_str(&in, 6, "t1");
  w_tag(&in, 13, P2F_WIRE_VARINT);
  w_varint(&in, 42);
  w_str(&in, 6, "t2"); /* repeated fields append across interleaving */
  p2f_arena a;
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK);
  p2f_decode_options o = {&a, 0, 0};
  Node m;
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_OK);
  CHECK(m.id == 2);
  CHECK(m.leaf != NULL && m.leaf->id == 3 && text_is(m.leaf->name, m.leaf->name_len, "second"));
  CHECK(text_is(m.title, m.title_len, "new title"));
  CHECK(m.counts_count == 2);
  if (m.counts_count == 2) {
    CHECK(text_is(m.counts[0].key, m.counts[0].key_len, "k") && m.counts[0].value == 3);
    CHECK(text_is(m.counts[1].key, m.counts[1].key_len, "j") && m.counts[1].value == 2);
  }
  CHECK(m.which_choice == 13 && m.choice.cnum == 42);
  CHECK(m.tags_count == 2 && text_is(m.tags[1].data, m.tags[1].len, "t2"));
  /* A oneof message member seen twice merges into the same allocation. */
  wbuf in2;
  w_init(&in2);
  w_leaf(&in2, 12, 4, NULL);
  w_leaf(&in2, 12, 0, "named");
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in2.b, in2.n, &o) == P2F_OK);
  CHECK(m.which_choice == 12 && m.choice.cleaf != NULL && m.choice.cleaf->id == 4 &&
        text_is(m.choice.cleaf->name, m.choice.cleaf->name_len, "named"));
  /* ... and a string member after it replaces the pointer with the string's. */
  w_str(&in2, 11, "xy");
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in2.b, in2.n, &o) == P2F_OK);
  CHECK(m.which_choice == 11 && text_is(m.choice.ctext.data, m.choice.ctext.len, "xy"));
  p2f_arena_destroy(&a);
  w_free(&in);
  w_free(&in2);
}

static void test_packed_unpacked(void) {
  /* vals (packed in the schema) arrives as unpacked elements, a packed run, unpacked again;
   * unp (unpacked in the schema) arrives as a packed run between unpacked elements. */
  wbuf in, want;
  w_init(&in);
  w_init(&want);
  for (int i = 1; i <= 5; i++) { /* 4 then 8 elements of room: doubling */
    w_tag(&in, 4, P2F_WIRE_VARINT);
    w_varint(&in, p2f_zigzag_encode32(-i));
  }
  wbuf run;
  w_init(&run);
  for (int i = 0; i < 100; i++) w_varint(&run, p2f_zigzag_encode32(i * 1000));
  w_sub(&in, 4, &run);
  w_tag(&in, 4, P2F_WIRE_VARINT);
  w_varint(&in, p2f_zigzag_encode32(77));
  w_tag(&in, 17, P2F_WIRE_VARINT);
  w_varint(&in, 1);
  run.n = 0;
  w_varint(&run, 2);
  w_varint(&run, (uint64_t)(int64_t)-3);
  w_sub(&in, 17, &run);
  w_tag(&in, 17, P2F_WIRE_VARINT);
  w_varint(&in, 4);
  p2f_arena a;
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK);
  p2f_decode_options o = {&a, 0, 0};
  Node m;
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_OK);
  CHECK(m.vals_count == 106);
  int ok = m.vals_count == 106;
  for (int i = 0; ok && i < 5; i++) ok = m.vals[i] == -(i + 1);
  for (int i = 0; ok && i < 100; i++) ok = m.vals[5 + i] == i * 1000;
  CHECK(ok && m.vals[105] == 77);
  CHECK(m.vals_cap >= 106 && m.vals_cap <= 2 * 106);
  CHECK(m.unp_count == 4 && m.unp[0] == 1 && m.unp[1] == 2 && m.unp[2] == -3 && m.unp[3] == 4);
  /* Canonical re-encode: vals as one packed run, unp element by element. */
  run.n = 0;
  for (uint32_t i = 0; i < m.vals_count; i++) w_varint(&run, p2f_zigzag_encode32(m.vals[i]));
  w_sub(&want, 4, &run);
  const int32_t u[] = {1, 2, -3, 4};
  for (int i = 0; i < 4; i++) {
    w_tag(&want, 17, P2F_WIRE_VARINT);
    w_varint(&want, (uint64_t)(int64_t)u[i]);
  }
  CHECK(reencodes_to(&m, &want));
  /* A truncated packed varint and a partial fixed64 are errors, as inline. */
  wbuf bad;
  w_init(&bad);
  uint8_t cut[] = {0x02, 0x80};
  w_len(&bad, 4, cut, sizeof cut);
  CHECK(p2f_decode_ex(&ool_node_desc, &m, bad.b, bad.n, &o) == P2F_ERR_TRUNCATED);
  bad.n = 0;
  uint8_t part[12] = {0};
  w_len(&bad, 5, part, sizeof part);
  CHECK(p2f_decode_ex(&ool_node_desc, &m, bad.b, bad.n, &o) == P2F_ERR_TRUNCATED);
  CHECK(is_fresh(&m));
  p2f_arena_destroy(&a);
  w_free(&in);
  w_free(&want);
  w_free(&run);
  w_free(&bad);
}

/* A chain of `depth` nested `next` messages (the innermost with id 1). */
static void w_chain(wbuf *w, int depth) {
  wbuf inner, outer;
  w_init(&inner);
  w_init(&outer);
  w_tag(&inner, 1, P2F_WIRE_VARINT);
  w_varint(&inner, 1);
  for (int i = 0; i < depth; i++) {
    outer.n = 0;
    w_sub(&outer, 14, &inner);
    wbuf t = inner;
    inner = outer;
    outer = t;
  }
  memcpy(w->b, inner.b, inner.n);
  w->n = inner.n;
  w_free(&inner);
  w_free(&outer);
}

static void test_depth(void) {
  p2f_arena a;
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK);
  wbuf in;
  w_init(&in);
  Node m;
  /* Default: 100 levels below the top message decode, 101 do not. */
  p2f_decode_options o = {&a, 0, 0};
  w_chain(&in, 100);
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_OK);
  int levels = 0;
  for (const Node *n = &m; n->next; n = n->next) levels++;
  CHECK(levels == 100);
  /* Encode handles exactly the depth decode accepted. */
  CHECK(reencodes_to(&m, &in));
  w_chain(&in, 101);
  p2f_arena_stats before = stats_of(&a);
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_ERR_NESTING_TOO_DEEP);
  CHECK(is_fresh(&m) && stats_of(&a).allocated == before.allocated);
  /* Settable. */
  o.max_depth = 5;
  w_chain(&in, 5);
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_OK);
  w_chain(&in, 6);
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_ERR_NESTING_TOO_DEEP);
  o.max_depth = 1000;
  w_chain(&in, 300);
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_OK);
  p2f_arena_destroy(&a);
  w_free(&in);
}

static void test_cycles(void) {
  uint8_t out[256];
  size_t w = 7;
  Node x, y;
  ool_node_init(&x);
  ool_node_init(&y);
  x.id = 1;
  x.next = &x; /* self */
  CHECK(p2f_encode(&ool_node_desc, &x, out, sizeof out, &w) == P2F_ERR_NESTING_TOO_DEEP && w == 0);
  CHECK(p2f_encoded_size(&ool_node_desc, &x) == SIZE_MAX);
  x.next = &y; /* two messages */
  y.next = &x;
  CHECK(p2f_encode(&ool_node_desc, &x, out, sizeof out, &w) == P2F_ERR_NESTING_TOO_DEEP);
  CHECK(p2f_encoded_size(&ool_node_desc, &y) == SIZE_MAX);
  y.next = NULL; /* a repeated field containing its own message */
  x.kids = &x;
  x.kids_count = 1;
  CHECK(p2f_encode(&ool_node_desc, &x, out, sizeof out, &w) == P2F_ERR_NESTING_TOO_DEEP);
  x.kids = NULL;
  x.kids_count = 0;
  /* Without the cycle: id, then next (y, empty) as an empty submessage. */
  CHECK(p2f_encode(&ool_node_desc, &x, out, sizeof out, &w) == P2F_OK);
  const uint8_t want[] = {0x08, 0x01, 0x72, 0x00};
  CHECK(w == sizeof want && memcmp(out, want, w) == 0);
  /* A real buffer shortage is still BUFFER_TOO_SMALL. */
  CHECK(p2f_encode(&ool_node_desc, &x, out, 3, &w) == P2F_ERR_BUFFER_TOO_SMALL);
}

/* Failures after some data was allocated: the message initialised, the arena as before. */
static void test_errors_rewind(void) {
  p2f_arena a;
  p2f_arena_config cfg = {NULL, 0, 0, 256, 0}; /* small chunks: the failures span several */
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  wbuf good, in;
  w_init(&good);
  w_init(&in);
  w_full_node(&good);
  Node keep, m;
  p2f_decode_options o = {&a, 0, 0};
  CHECK(p2f_decode_ex(&ool_node_desc, &keep, good.b, good.n, &o) == P2F_OK); /* stays valid */
  struct {
    const char *what;
    p2f_status want;
    int tail; /* 0: invalid UTF-8 string in a kid; 1: a length past the end; 2: wire type mismatch */
  } cases[] = {
      {"invalid UTF-8 deep inside", P2F_ERR_INVALID_UTF8, 0},
      {"a length past the end", P2F_ERR_LENGTH_OVERFLOW, 1},
      {"wrong wire type on a message", P2F_ERR_WIRE_TYPE_MISMATCH, 2},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    in.n = 0;
    w_full_node(&in);
    if (cases[i].tail == 0) {
      wbuf kid;
      w_init(&kid);
      w_str(&kid, 6, "ok");
      w_str(&kid, 6, "bad \xed\xa0\x80"); /* a surrogate */
      w_sub(&in, 9, &kid);
      w_free(&kid);
    } else if (cases[i].tail == 1) {
      w_tag(&in, 2, P2F_WIRE_LEN);
      w_varint(&in, 50); /* 50 bytes announced, none there */
    } else {
      w_tag(&in, 8, P2F_WIRE_VARINT);
      w_varint(&in, 1);
    }
    for (int mode = 0; mode < 2; mode++) {
      o.flags = mode ? P2F_DECODE_ALIAS : 0;
      p2f_arena_stats before = stats_of(&a);
      memset(&m, 0x5a, sizeof m);
      p2f_status st = p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o);
      if (st != cases[i].want) fprintf(stderr, "%s: %s\n", cases[i].what, p2f_status_name(st));
      CHECK(st == cases[i].want);
      CHECK(is_fresh(&m));
      p2f_arena_stats after = stats_of(&a);
      CHECK(after.allocated == before.allocated && after.reserved == before.reserved &&
            after.chunks == before.chunks);
      CHECK(after.high_water > before.allocated); /* it did allocate before failing */
    }
  }
  CHECK(reencodes_to(&keep, &good)); /* what was decoded before is untouched */
  p2f_arena_destroy(&a);
  w_free(&good);
  w_free(&in);
}

/* The arena's limit reached in the middle of a message: P2F_ERR_ARENA_LIMIT, nothing written
 * outside the caller's block, the message initialised, the arena as before. */
static void test_arena_limit(void) {
  enum { GUARD = 64, SIZE = 4096 };
  static _Alignas(64) unsigned char mem[GUARD + SIZE + GUARD];
  memset(mem, 0xA5, sizeof mem);
  wbuf in;
  w_init(&in);
  w_full_node(&in);
  char big[1500];
  memset(big, 'x', sizeof big);
  w_len(&in, 6, big, sizeof big); /* a tag that no longer fits after the rest */
  w_len(&in, 6, big, sizeof big);
  p2f_arena a;
  p2f_arena_config cfg = {mem + GUARD, SIZE, SIZE, 0, 0}; /* no heap */
  CHECK(p2f_arena_init(&a, &cfg) == P2F_OK);
  Node m;
  p2f_decode_options o = {&a, 0, 0};
  p2f_status st = p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o);
  CHECK(st == P2F_ERR_ARENA_LIMIT);
  CHECK(is_fresh(&m));
  p2f_arena_stats s = stats_of(&a);
  CHECK(s.allocated == 0 && s.chunks == 0 && s.failed >= 1 && s.high_water > 0);
  int guards = 1;
  for (size_t i = 0; i < GUARD; i++) guards &= mem[i] == 0xA5 && mem[GUARD + SIZE + i] == 0xA5;
  CHECK(guards);
  /* Aliased, the strings need no arena room and the same input fits. */
  o.flags = P2F_DECODE_ALIAS;
  CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_OK);
  CHECK(m.tags_count == 5 && m.tags[4].len == sizeof big && in_range(m.tags[4].data, in.b, in.n));
  p2f_arena_destroy(&a);
  w_free(&in);
}

static void test_utf8(void) {
  p2f_arena a;
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK);
  wbuf in;
  w_init(&in);
  Node m;
  const char *bad[] = {"\xc0\xaf", "abc\xff", "\xe2\x82", "\xf4\x90\x80\x80"};
  for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    const uint32_t fields[] = {2, 6, 11, 16};
    for (size_t k = 0; k < 4; k++) {
      for (int mode = 0; mode < 2; mode++) {
        in.n = 0;
        w_str(&in, fields[k], bad[i]);
        p2f_decode_options o = {&a, mode ? P2F_DECODE_ALIAS : 0u, 0};
        CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_ERR_INVALID_UTF8);
      }
    }
    /* In a map key and a nested leaf's name, aliased. */
    in.n = 0;
    w_entry(&in, bad[i], 1);
    p2f_decode_options o = {&a, P2F_DECODE_ALIAS, 0};
    CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_ERR_INVALID_UTF8);
    in.n = 0;
    w_leaf(&in, 8, 1, bad[i]);
    CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_ERR_INVALID_UTF8);
    /* bytes are not checked */
    in.n = 0;
    w_str(&in, 3, bad[i]);
    CHECK(p2f_decode_ex(&ool_node_desc, &m, in.b, in.n, &o) == P2F_OK && m.blob_len == strlen(bad[i]));
  }
  p2f_arena_destroy(&a);
  w_free(&in);
}

/* p2f_copy of an aliased decode outlives the input buffer and the arena the decode used. */
static void test_copy(void) {
  wbuf in;
  w_init(&in);
  w_full_node(&in);
  uint8_t *saved = (uint8_t *)malloc(in.n);
  memcpy(saved, in.b, in.n);
  wbuf want = {saved, in.n, in.n};
  p2f_arena a1, a2;
  CHECK(p2f_arena_init(&a1, NULL) == P2F_OK);
  p2f_arena_config cfg = {block, sizeof block, sizeof block, 0, 0};
  CHECK(p2f_arena_init(&a2, &cfg) == P2F_OK);
  Node src, dst;
  p2f_decode_options o = {&a1, P2F_DECODE_ALIAS, 0};
  CHECK(p2f_decode_ex(&ool_node_desc, &src, in.b, in.n, &o) == P2F_OK);
  CHECK(p2f_copy(&ool_node_desc, &dst, &src, &a2) == P2F_OK);
  /* The source's input and arena go away. */
  memset(in.b, 0xEE, in.n);
  w_free(&in);
  p2f_arena_destroy(&a1);
  memset(&src, 0xEE, sizeof src);
  check_full_node(&dst, block, sizeof block, 1); /* every pointer into a2's block, strings with NUL */
  CHECK(in_range(dst.counts[0].key, block, sizeof block) && in_range(dst.next, block, sizeof block));
  CHECK(in_range(dst.kids[1].title, block, sizeof block));
  CHECK(dst.tags_cap == dst.tags_count && dst.kids_cap == 2);
  CHECK(reencodes_to(&dst, &want));

  /* A oneof's inactive members are not followed: cnum's bits are not a pointer. */
  Node n;
  ool_node_init(&n);
  n.which_choice = 13;
  n.choice.cnum = 0x12345;
  CHECK(p2f_copy(&ool_node_desc, &dst, &n, &a2) == P2F_OK && dst.which_choice == 13 && dst.choice.cnum == 0x12345);
  /* A cycle: P2F_ERR_NESTING_TOO_DEEP, dst initialised, a2 as before. */
  n.next = &n;
  p2f_arena_stats before = stats_of(&a2);
  CHECK(p2f_copy(&ool_node_desc, &dst, &n, &a2) == P2F_ERR_NESTING_TOO_DEEP);
  CHECK(is_fresh(&dst) && stats_of(&a2).allocated == before.allocated);
  /* No arena for an out-of-line tree. */
  CHECK(p2f_copy(&ool_node_desc, &dst, &n, NULL) == P2F_ERR_INVALID_ARGUMENT && is_fresh(&dst));
  CHECK(p2f_copy(NULL, &dst, &n, &a2) == P2F_ERR_INVALID_ARGUMENT);
  /* The arena's limit in the middle of the copy (the kid array fits, its title does not):
   * P2F_ERR_ARENA_LIMIT, rewound. */
  _Alignas(16) unsigned char small[sizeof(Node)];
  p2f_arena a3;
  p2f_arena_config c3 = {small, sizeof small, sizeof small, 0, 0};
  CHECK(p2f_arena_init(&a3, &c3) == P2F_OK);
  n.next = NULL;
  n.kids = &dst;
  n.kids_count = 1;
  CHECK(p2f_set_text(&a2, &dst.title, &dst.title_len, "some title", 10) == P2F_OK);
  Node out;
  CHECK(p2f_copy(&ool_node_desc, &out, &n, &a3) == P2F_ERR_ARENA_LIMIT);
  CHECK(is_fresh(&out) && stats_of(&a3).allocated == 0);
  p2f_arena_destroy(&a3);
  p2f_arena_destroy(&a2);
  free(saved);
}

static int leaf_init_calls;
static void leaf_init_counting(void *m) {
  ool_leaf_init(m);
  ((Leaf *)m)->id = 77;
  leaf_init_calls++;
}

/* A Node built from C with the helpers encodes to the bytes written by hand. */
static void test_build(void) {
  p2f_arena a;
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK);
  Node n;
  ool_node_init(&n);
  CHECK(p2f_set_text(&a, &n.title, &n.title_len, "hello", 5) == P2F_OK);
  CHECK(n.title_len == 5 && n.title[5] == '\0');
  CHECK(p2f_set_bytes(&a, &n.blob, &n.blob_len, blob_bytes, sizeof blob_bytes) == P2F_OK);
  for (int i = 0; i < 10; i++) {
    int32_t *v = (int32_t *)p2f_array_add(&a, (void **)&n.vals, &n.vals_count, &n.vals_cap, 4, 4);
    CHECK(v != NULL && *v == 0);
    if (v) *v = i - 5;
  }
  CHECK(n.vals_count == 10 && n.vals_cap == 16 && n.vals[0] == -5 && n.vals[9] == 4);
  const char *words[] = {"one", "two", "three"};
  for (int i = 0; i < 3; i++) {
    p2f_str *t = (p2f_str *)p2f_array_add(&a, (void **)&n.tags, &n.tags_count, &n.tags_cap, sizeof(p2f_str), 8);
    CHECK(t != NULL && p2f_set_text(&a, &t->data, &t->len, words[i], strlen(words[i])) == P2F_OK);
  }
  Node *kid = (Node *)p2f_array_add(&a, (void **)&n.kids, &n.kids_count, &n.kids_cap, sizeof(Node), 8);
  CHECK(kid != NULL);
  if (kid) kid->id = 9;
  n.leaf = (Leaf *)p2f_msg_new(&a, &ool_leaf_desc);
  CHECK(n.leaf != NULL && n.leaf->id == 0);
  if (n.leaf) n.leaf->id = 3;
  /* A string set by reference (cap 0 for arrays): encoded all the same. */
  static const char ref[] = "by reference";
  n.choice.ctext.data = (char *)(uintptr_t)ref;
  n.choice.ctext.len = (uint32_t)strlen(ref);
  n.which_choice = 11;

  wbuf want;
  w_init(&want);
  w_str(&want, 2, "hello");
  w_len(&want, 3, blob_bytes, sizeof blob_bytes);
  wbuf pk;
  w_init(&pk);
  for (int i = 0; i < 10; i++) w_varint(&pk, p2f_zigzag_encode32(i - 5));
  w_sub(&want, 4, &pk);
  for (int i = 0; i < 3; i++) w_str(&want, 6, words[i]);
  w_leaf(&want, 8, 3, NULL);
  pk.n = 0;
  w_tag(&pk, 1, P2F_WIRE_VARINT);
  w_varint(&pk, 9);
  w_sub(&want, 9, &pk);
  w_str(&want, 11, ref);
  CHECK(reencodes_to(&n, &want));

  /* An array set by reference (cap 0) is copied into the arena before it grows. */
  static p2f_str fixed[2] = {{(char *)"x", 1, 0}, {(char *)"y", 1, 0}};
  Node r;
  ool_node_init(&r);
  r.tags = fixed;
  r.tags_count = 2;
  p2f_str *t = (p2f_str *)p2f_array_add(&a, (void **)&r.tags, &r.tags_count, &r.tags_cap, sizeof(p2f_str), 8);
  CHECK(t != NULL && r.tags != fixed && r.tags_count == 3 && r.tags_cap >= 3);
  CHECK(text_is(r.tags[0].data, r.tags[0].len, "x") && text_is(r.tags[1].data, r.tags[1].len, "y"));
  CHECK(t && t->data == NULL && t->len == 0);
  CHECK(fixed[0].len == 1 && fixed[1].data[0] == 'y'); /* the caller's array untouched */

  /* Failures change nothing. */
  char *keep = n.title;
  uint32_t keep_len = n.title_len;
  CHECK(p2f_set_text(NULL, &n.title, &n.title_len, "a", 1) == P2F_ERR_INVALID_ARGUMENT);
  CHECK(p2f_set_text(&a, &n.title, &n.title_len, NULL, 1) == P2F_ERR_INVALID_ARGUMENT);
  CHECK(p2f_set_text(&a, &n.title, &n.title_len, "a", (size_t)UINT32_MAX + 1) == P2F_ERR_STRING_TOO_LONG);
  CHECK(n.title == keep && n.title_len == keep_len);
  CHECK(p2f_set_text(&a, &n.title, &n.title_len, "", 0) == P2F_OK && n.title == NULL && n.title_len == 0);
  unsigned char tiny[8];
  p2f_arena lim;
  p2f_arena_config lc = {tiny, sizeof tiny, sizeof tiny, 0, 0};
  CHECK(p2f_arena_init(&lim, &lc) == P2F_OK);
  CHECK(p2f_set_bytes(&lim, &n.blob, &n.blob_len, "123456789", 9) == P2F_ERR_ARENA_LIMIT);
  CHECK(n.blob_len == sizeof blob_bytes && memcmp(n.blob, blob_bytes, sizeof blob_bytes) == 0);
  uint32_t cnt = UINT32_MAX, cap = UINT32_MAX;
  void *data = n.vals;
  CHECK(p2f_array_add(&a, &data, &cnt, &cap, 4, 4) == NULL && cnt == UINT32_MAX);
  cnt = 0;
  cap = 0;
  data = NULL;
  CHECK(p2f_array_add(&lim, &data, &cnt, &cap, 16, 8) == NULL && cnt == 0 && data == NULL);
  CHECK(p2f_array_add(&a, &data, &cnt, &cap, 0, 8) == NULL);
  p2f_arena_destroy(&lim);
  /* p2f_msg_new runs the message's init. */
  p2f_msg_desc counting = ool_leaf_desc;
  counting.init = leaf_init_counting;
  Leaf *l = (Leaf *)p2f_msg_new(&a, &counting);
  CHECK(l != NULL && l->id == 77 && leaf_init_calls == 1 && ((uintptr_t)l & 7u) == 0);
  CHECK(p2f_msg_new(NULL, &ool_leaf_desc) == NULL);
  p2f_arena_destroy(&a);
  w_free(&want);
  w_free(&pk);
}

int main(void) {
  test_copy_and_alias();
  test_merge();
  test_packed_unpacked();
  test_depth();
  test_cycles();
  test_errors_rewind();
  test_arena_limit();
  test_utf8();
  test_copy();
  test_build();
  return CHECK_REPORT();
}
