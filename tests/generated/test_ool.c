/* Generated code for out-of-line storage (tests/schemas/ooline): messages built with the
 * generated setters, encoded, decoded copying and aliasing, re-encoded byte for byte,
 * deep-copied past the life of their input, the depth limit on recursive messages, the
 * arena limit in the middle of a message, and the inline API kept by all-inline trees. */
#include <stdlib.h>
#include <string.h>

#include "../support/check.h"
#include "mixed.ffi.h"
#include "ooline.ffi.h"
#include "proto2.ffi.h"
#include "proto2ffi/message_table.h"

/* An all-inline message of an out-of-line file keeps the inline signatures: these
 * assignments only compile if the prototypes are the ones of an inline tree. */
static p2f_status (*const plain_decode)(p2f_ool_Plain *, const uint8_t *, size_t) = p2f_ool_Plain_decode;
static p2f_status (*const tree_decode)(p2f_ool_Tree *, const uint8_t *, size_t, p2f_arena *) = p2f_ool_Tree_decode;
enum { PLAIN_BOUND = p2f_ool_Plain_MAX_ENCODED_SIZE };

static int in_range(const void *p, const void *start, size_t n) {
  const unsigned char *c = (const unsigned char *)p, *s = (const unsigned char *)start;
  return c >= s && c < s + n;
}

static uint8_t *encode_all(const p2f_ool_Tree *t, size_t *n) {
  size_t need = p2f_ool_Tree_encoded_size(t);
  uint8_t *buf = (uint8_t *)malloc(need + 1);
  *n = 0;
  CHECK(buf != NULL && p2f_ool_Tree_encode(t, buf, need, n) == P2F_OK && *n == need);
  return buf;
}

/* A tree with every kind of field set through the generated functions. */
static void build_tree(p2f_ool_Tree *t, p2f_arena *a) {
  p2f_ool_Tree_init(t);
  t->id = -42;
  t->score = 2.5;
  CHECK(p2f_ool_Tree_set_label(t, a, "root label", 10) == P2F_OK);
  CHECK(p2f_ool_Tree_set_blob(t, a, "\x00\x01\x02\xff", 4) == P2F_OK);
  for (int i = 0; i < 40; i++) CHECK(p2f_ool_Tree_add_vals(t, a, i * (i % 2 ? -1 : 1)) != NULL);
  CHECK(p2f_ool_Tree_add_fx(t, a, UINT64_C(0xfedcba9876543210)) != NULL);
  CHECK(p2f_ool_Tree_add_tags(t, a, "alpha", 5) != NULL);
  CHECK(p2f_ool_Tree_add_tags(t, a, "", 0) != NULL);
  CHECK(p2f_ool_Tree_add_tags(t, a, "gamma", 5) != NULL);
  CHECK(p2f_ool_Tree_add_chunks(t, a, "\x10\x20", 2) != NULL);
  t->has_leaf = 1;
  t->leaf.id = 7;
  CHECK(p2f_ool_Leaf_set_name(&t->leaf, a, "inline leaf, out-of-line name", 29) == P2F_OK);
  for (int k = 0; k < 3; k++) {
    p2f_ool_Tree *kid = p2f_ool_Tree_add_kids(t, a);
    CHECK(kid != NULL);
    if (kid == NULL) return;
    kid->id = 100 + k;
    CHECK(p2f_ool_Tree_add_tags(kid, a, "kid", 3) != NULL);
    if (k == 1) {
      p2f_ool_Tree *grand = p2f_ool_Tree_add_kids(kid, a);
      CHECK(grand != NULL && p2f_ool_Tree_set_label(grand, a, "grandchild", 10) == P2F_OK);
    }
  }
  p2f_ool_Tree_CountsEntry *e = p2f_ool_Tree_add_counts(t, a);
  CHECK(e != NULL && p2f_ool_Tree_CountsEntry_set_key(e, a, "one", 3) == P2F_OK);
  if (e) e->value = 1;
  e = p2f_ool_Tree_add_counts(t, a);
  CHECK(e != NULL && p2f_ool_Tree_CountsEntry_set_key(e, a, "two", 3) == P2F_OK);
  if (e) e->value = 2;
  p2f_ool_Tree *next = p2f_ool_Tree_mutable_next(t, a);
  CHECK(next != NULL && p2f_ool_Tree_mutable_next(t, a) == next);
  if (next) next->id = 9;
  CHECK(p2f_ool_Tree_set_opt(t, a, "optional text", 13) == P2F_OK && t->has_opt == 1);
  CHECK(p2f_ool_Tree_add_unpacked(t, a, -5) != NULL);
  CHECK(p2f_ool_Tree_add_unpacked(t, a, 5) != NULL);
  CHECK(p2f_ool_Tree_add_colors(t, a, p2f_ool_Color_COLOR_BLUE) != NULL);
  p2f_ool_Tree_LeavesEntry *le = p2f_ool_Tree_add_leaves(t, a);
  CHECK(le != NULL);
  if (le) {
    le->key = 3;
    le->has_value = 1;
    CHECK(p2f_ool_Leaf_set_name(&le->value, a, "map leaf", 8) == P2F_OK);
  }
  p2f_ool_Leaf *ll = p2f_ool_Tree_add_leaf_list(t, a);
  CHECK(ll != NULL);
  if (ll) ll->id = 11;
  /* The oneof: a string first, then a submessage, which switches members. */
  CHECK(p2f_ool_Tree_set_ctext(t, a, "choice text", 11) == P2F_OK && t->which_choice == 11);
  p2f_ool_Tree *ct = p2f_ool_Tree_mutable_ctree(t, a);
  CHECK(ct != NULL && t->which_choice == 15 && t->choice.ctree == ct);
  if (ct) CHECK(p2f_ool_Tree_set_label(ct, a, "in the oneof", 12) == P2F_OK);
  t->maybe = 0;
  t->has_maybe = 1; /* present with its default: written */
}

static void test_round_trips(void) {
  p2f_arena a, b, c;
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK && p2f_arena_init(&b, NULL) == P2F_OK && p2f_arena_init(&c, NULL) == P2F_OK);
  p2f_ool_Tree t;
  build_tree(&t, &a);
  size_t n1 = 0;
  uint8_t *bytes1 = encode_all(&t, &n1);
  CHECK(n1 > 100);

  /* Copying decode: every string in arena b, NUL-terminated; re-encodes byte for byte. */
  p2f_ool_Tree d;
  CHECK(p2f_ool_Tree_decode(&d, bytes1, n1, &b) == P2F_OK);
  CHECK(d.id == -42 && d.score == 2.5 && d.label_len == 10 && memcmp(d.label, "root label", 11) == 0);
  CHECK(!in_range(d.label, bytes1, n1));
  CHECK(d.vals_count == 40 && d.vals[39] == -39 && d.vals_cap >= 40);
  CHECK(d.tags_count == 3 && d.tags[1].len == 0 && d.tags[2].len == 5 && memcmp(d.tags[2].data, "gamma", 6) == 0);
  CHECK(d.kids_count == 3 && d.kids[1].kids_count == 1 && d.kids[1].kids[0].label_len == 10);
  CHECK(d.counts_count == 2 && d.counts[1].value == 2 && memcmp(d.counts[1].key, "two", 3) == 0);
  CHECK(d.next != NULL && d.next->id == 9 && d.next->next == NULL);
  CHECK(d.which_choice == 15 && d.choice.ctree != NULL && d.choice.ctree->label_len == 12);
  CHECK(d.has_opt == 1 && d.opt_len == 13 && d.has_maybe == 1 && d.maybe == 0);
  CHECK(d.leaves_count == 1 && d.leaves[0].key == 3 && d.leaves[0].value.name_len == 8);
  CHECK(d.has_leaf == 1 && d.leaf.id == 7 && d.leaf.name_len == 29);
  size_t n2 = 0;
  uint8_t *bytes2 = encode_all(&d, &n2);
  CHECK(n2 == n1 && memcmp(bytes1, bytes2, n1) == 0);
  free(bytes2);

  /* Aliasing decode: strings point into the input. */
  p2f_ool_Tree al;
  p2f_decode_options opts = {&b, P2F_DECODE_ALIAS, 0};
  CHECK(p2f_ool_Tree_decode_ex(&al, bytes1, n1, &opts) == P2F_OK);
  CHECK(in_range(al.label, bytes1, n1) && al.label_len == 10 && memcmp(al.label, "root label", 10) == 0);
  CHECK(al.tags_count == 3 && in_range(al.tags[0].data, bytes1, n1));
  uint8_t *bytes3 = encode_all(&al, &n2);
  CHECK(n2 == n1 && memcmp(bytes1, bytes3, n1) == 0);
  free(bytes3);

  /* A deep copy outlives the input buffer and the arena the alias decode used. */
  p2f_ool_Tree cp;
  CHECK(p2f_ool_Tree_copy(&cp, &al, &c) == P2F_OK);
  uint8_t *keep = (uint8_t *)malloc(n1);
  if (keep) memcpy(keep, bytes1, n1);
  memset(bytes1, 0xee, n1);
  free(bytes1);
  p2f_arena_reset(&b);
  p2f_arena_reset(&a);
  uint8_t *bytes4 = encode_all(&cp, &n2);
  CHECK(keep != NULL && n2 == n1 && memcmp(keep, bytes4, n1) == 0);
  CHECK(cp.label[cp.label_len] == '\0');
  free(bytes4);
  free(keep);
  p2f_arena_destroy(&a);
  p2f_arena_destroy(&b);
  p2f_arena_destroy(&c);
}

static void test_setters(void) {
  p2f_arena a;
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK);
  p2f_ool_Tree t;
  p2f_ool_Tree_init(&t);
  /* By reference: the message points at the caller's data. */
  static const char text[] = "borrowed";
  CHECK(p2f_ool_Tree_set_label_ref(&t, text, 8) == P2F_OK && t.label == text && t.label_len == 8);
  CHECK(p2f_ool_Tree_set_label_ref(&t, NULL, 1) == P2F_ERR_INVALID_ARGUMENT && t.label == text);
  CHECK(p2f_ool_Tree_set_label_ref(&t, text, 0) == P2F_OK && t.label == NULL && t.label_len == 0);
  /* Copying: into the arena, NUL after it. */
  CHECK(p2f_ool_Tree_set_label(&t, &a, text, 8) == P2F_OK && t.label != text && t.label[8] == '\0');
  CHECK(p2f_ool_Tree_set_label(&t, NULL, text, 8) == P2F_ERR_INVALID_ARGUMENT && t.label_len == 8);
  /* An array by reference, then add: copied into the arena before it grows. */
  int32_t mine[3] = {1, 2, 3};
  CHECK(p2f_ool_Tree_set_vals_ref(&t, mine, 3) == P2F_OK && t.vals == mine && t.vals_cap == 0);
  int32_t *added = p2f_ool_Tree_add_vals(&t, &a, 4);
  CHECK(added != NULL && t.vals != mine && t.vals_count == 4 && t.vals[0] == 1 && t.vals[3] == 4);
  CHECK(mine[0] == 1 && mine[2] == 3);
  /* Copying an array. */
  const uint64_t fx[2] = {5, 6};
  CHECK(p2f_ool_Tree_set_fx(&t, &a, fx, 2) == P2F_OK && t.fx != fx && t.fx_count == 2 && t.fx_cap == 2 && t.fx[1] == 6);
  CHECK(p2f_ool_Tree_set_fx(&t, &a, NULL, 1) == P2F_ERR_INVALID_ARGUMENT && t.fx_count == 2);
  /* The oneof: setting a string member after a message member clears the union. */
  p2f_ool_Tree *ct = p2f_ool_Tree_mutable_ctree(&t, &a);
  CHECK(ct != NULL && t.which_choice == 15);
  CHECK(p2f_ool_Tree_set_cblob(&t, &a, "xy", 2) == P2F_OK && t.which_choice == 14 && t.choice.cblob.len == 2);
  CHECK(p2f_ool_Tree_mutable_ctree(&t, &a) != ct && t.which_choice == 15);
  /* Encoding a by-reference message reads through the pointers like any other. */
  p2f_ool_Leaf leaf;
  p2f_ool_Leaf_init(&leaf);
  CHECK(p2f_ool_Leaf_set_name_ref(&leaf, "ab", 2) == P2F_OK);
  uint8_t out[8];
  size_t n = 0;
  CHECK(p2f_ool_Leaf_encode(&leaf, out, sizeof out, &n) == P2F_OK && n == 4 && memcmp(out, "\x12\x02" "ab", 4) == 0);
  /* A failed allocation changes nothing: an arena at its limit. */
  unsigned char block[64];
  p2f_arena small;
  p2f_arena_config cfg = {block, sizeof block, sizeof block, 0, 0};
  CHECK(p2f_arena_init(&small, &cfg) == P2F_OK);
  char big[200];
  memset(big, 'x', sizeof big);
  CHECK(p2f_ool_Leaf_set_name(&leaf, &small, big, sizeof big) == P2F_ERR_ARENA_LIMIT);
  CHECK(leaf.name_len == 2 && memcmp(leaf.name, "ab", 2) == 0);
  CHECK(p2f_ool_Tree_add_tags(&t, &small, big, sizeof big) == NULL);
  p2f_arena_destroy(&small);
  p2f_arena_destroy(&a);
}

/* n nested Tree.next (field 16) around an empty message, written by hand: the encoder
 * refuses what the decoder must reject. */
static uint8_t *nested_next(size_t depth, size_t *len) {
  size_t cap = depth * 6 + 8;
  uint8_t *buf = (uint8_t *)malloc(cap);
  uint8_t *tmp = (uint8_t *)malloc(cap);
  size_t n = 0;
  for (size_t i = 0; buf && tmp && i < depth; i++) {
    size_t k = 0;
    tmp[k++] = 0x82; /* field 16, wire type 2: (16 << 3 | 2) = 130 */
    tmp[k++] = 0x01;
    size_t v = n;
    do {
      uint8_t byte = (uint8_t)(v & 0x7f);
      v >>= 7;
      tmp[k++] = (uint8_t)(byte | (v ? 0x80 : 0));
    } while (v);
    memcpy(tmp + k, buf, n);
    n += k;
    memcpy(buf, tmp, n);
  }
  free(tmp);
  *len = n;
  return buf;
}

static size_t chain_length(const p2f_ool_Tree *t) {
  size_t n = 0;
  for (; t->next; t = t->next) n++;
  return n;
}

static void test_depth(void) {
  p2f_arena a;
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK);
  size_t len = 0;
  uint8_t *deep = nested_next(150, &len);
  CHECK(deep != NULL);
  p2f_ool_Tree t;
  CHECK(p2f_ool_Tree_decode(&t, deep, len, &a) == P2F_ERR_NESTING_TOO_DEEP);
  CHECK(t.next == NULL && t.id == 0);
  p2f_arena_stats st;
  p2f_arena_get_stats(&a, &st);
  CHECK(st.allocated == 0); /* rewound */
  p2f_decode_options opts = {&a, 0, 200};
  CHECK(p2f_ool_Tree_decode_ex(&t, deep, len, &opts) == P2F_OK && chain_length(&t) == 150);
  opts.max_depth = 20;
  CHECK(p2f_ool_Tree_decode_ex(&t, deep, len, &opts) == P2F_ERR_NESTING_TOO_DEEP && t.next == NULL);
  free(deep);
  /* Within the default limit. */
  deep = nested_next(99, &len);
  CHECK(deep != NULL && p2f_ool_Tree_decode(&t, deep, len, &a) == P2F_OK && chain_length(&t) == 99);
  free(deep);
  /* The two-message cycle: Ping holds Pong by value, Pong points back to Ping. */
  p2f_ool_Ping ping;
  p2f_ool_Ping_init(&ping);
  CHECK(p2f_ool_Ping_set_note(&ping, &a, "p0", 2) == P2F_OK);
  p2f_ool_Ping *cur = &ping;
  for (int i = 0; i < 5 && cur; i++) {
    cur->has_pong = 1;
    cur->pong.hits = (uint32_t)i + 1;
    cur = p2f_ool_Pong_mutable_ping(&cur->pong, &a);
  }
  uint8_t buf[256];
  size_t n = 0;
  CHECK(p2f_ool_Ping_encode(&ping, buf, sizeof buf, &n) == P2F_OK);
  p2f_ool_Ping back;
  CHECK(p2f_ool_Ping_decode(&back, buf, n, &a) == P2F_OK && back.pong.hits == 1 && back.pong.ping != NULL &&
        back.pong.ping->pong.hits == 2);
  uint8_t buf2[256];
  size_t n2 = 0;
  CHECK(p2f_ool_Ping_encode(&back, buf2, sizeof buf2, &n2) == P2F_OK && n2 == n && memcmp(buf, buf2, n) == 0);
  p2f_arena_destroy(&a);
}

static void test_arena_limit(void) {
  p2f_arena a;
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK);
  p2f_ool_Tree t;
  build_tree(&t, &a);
  size_t n = 0;
  uint8_t *bytes = encode_all(&t, &n);
  /* A first block too small for the message, and no heap: the limit is reached in the
   * middle, nothing is written past the block, the message is initialised again. */
  enum { BLOCK = 512 };
  unsigned char *block = (unsigned char *)malloc(BLOCK + 64);
  CHECK(block != NULL);
  if (block) memset(block, 0xab, BLOCK + 64);
  p2f_arena small;
  p2f_arena_config cfg = {block, BLOCK, BLOCK, 0, 0};
  CHECK(p2f_arena_init(&small, &cfg) == P2F_OK);
  p2f_ool_Tree d;
  CHECK(p2f_ool_Tree_decode(&d, bytes, n, &small) == P2F_ERR_ARENA_LIMIT);
  p2f_ool_Tree empty;
  p2f_ool_Tree_init(&empty);
  CHECK(memcmp(&d, &empty, sizeof d) == 0);
  int untouched = 1;
  for (size_t i = BLOCK; block && i < BLOCK + 64; i++) untouched &= block[i] == 0xab;
  CHECK(untouched);
  p2f_arena_stats st;
  p2f_arena_get_stats(&small, &st);
  CHECK(st.allocated == 0 && st.chunks == 0);
  /* The same arena serves a message that fits. */
  p2f_ool_Leaf leaf;
  uint8_t lbuf[] = {0x08, 0x05, 0x12, 0x03, 'a', 'b', 'c'};
  CHECK(p2f_ool_Leaf_decode(&leaf, lbuf, sizeof lbuf, &small) == P2F_OK && leaf.id == 5 && leaf.name_len == 3 &&
        in_range(leaf.name, block, BLOCK));
  p2f_arena_destroy(&small);
  free(block);
  free(bytes);
  p2f_arena_destroy(&a);
}

static void test_inline_and_tables(void) {
  p2f_ool_Plain p;
  const uint8_t in[] = {0x08, 0x03, 0x10, 0x01};
  CHECK(plain_decode(&p, in, sizeof in) == P2F_OK && p.a == 3 && p.b == 1);
  CHECK(PLAIN_BOUND >= (int)sizeof in);
  CHECK((p2f_ool_Plain_desc.flags & P2F_MF_OUT_OF_LINE) == 0);
  CHECK((p2f_ool_Tree_desc.flags & P2F_MF_OUT_OF_LINE) != 0);
  /* Holder has no out-of-line field of its own; its Leaf does. */
  CHECK((p2f_ool_Holder_desc.flags & P2F_MF_OUT_OF_LINE) != 0);
  p2f_ool_Tree t;
  CHECK(tree_decode(&t, in, sizeof in, NULL) == P2F_ERR_INVALID_ARGUMENT);
  CHECK(p2f_ool_Tree_decode_ex(&t, in, sizeof in, NULL) == P2F_ERR_INVALID_ARGUMENT);
  const p2f_message_info *mi = p2f_file_find(ooline_proto_file_info(), "p2f.ool.Tree");
  CHECK(mi != NULL && mi->decode(&t, in, sizeof in) == P2F_ERR_INVALID_ARGUMENT);
  mi = p2f_file_find(ooline_proto_file_info(), "p2f.ool.Plain");
  CHECK(mi != NULL && mi->decode(&p, in, sizeof in) == P2F_OK);
}

static void test_proto2_and_mixed(void) {
  p2f_arena a;
  CHECK(p2f_arena_init(&a, NULL) == P2F_OK);
  p2f_ool2_Rec r;
  p2f_ool2_Rec_init(&r);
  CHECK(r.name_len == 4 && memcmp(r.name, "anon", 4) == 0 && r.has_name == 0);
  CHECK(r.data_len == 2 && r.data[1] == 2 && r.kind == p2f_ool2_Kind_KIND_B);
  const uint8_t no_id[] = {0x12, 0x01, 'z'};
  CHECK(p2f_ool2_Rec_decode(&r, no_id, sizeof no_id, &a) == P2F_ERR_MISSING_REQUIRED && r.name_len == 4);
  /* kinds: 1 kept, 9 (undeclared, closed enum) dropped; child and words out-of-line. */
  const uint8_t in[] = {0x08, 0x01, 0x20, 0x01, 0x20, 0x09, 0x2a, 0x02, 0x08, 0x02, 0x32, 0x02, 'h', 'i'};
  CHECK(p2f_ool2_Rec_decode(&r, in, sizeof in, &a) == P2F_OK);
  CHECK(r.id == 1 && r.kinds_count == 1 && r.kinds[0] == 1 && r.child != NULL && r.child->id == 2);
  CHECK(r.words_count == 1 && r.words[0].len == 2 && r.has_name == 0 && r.name_len == 4);
  uint8_t out[64];
  size_t n = 0;
  const uint8_t want[] = {0x08, 0x01, 0x20, 0x01, 0x2a, 0x02, 0x08, 0x02, 0x32, 0x02, 'h', 'i'};
  CHECK(p2f_ool2_Rec_encode(&r, out, sizeof out, &n) == P2F_OK && n == sizeof want && memcmp(out, want, n) == 0);

  /* Mixed classes: sku is inline (capacity 12), note out-of-line. */
  p2f_mix_Item item;
  p2f_mix_Item_init(&item);
  char longtext[300];
  memset(longtext, 'q', sizeof longtext);
  CHECK(p2f_mix_Item_set_note(&item, &a, longtext, sizeof longtext) == P2F_OK);
  memcpy(item.sku, "SKU-1", 6);
  item.sku_len = 5;
  item.qty_count = 2;
  item.qty[0] = 1;
  item.qty[1] = 2;
  CHECK(p2f_mix_Item_mutable_parent(&item, &a) != NULL && p2f_mix_Item_set_blob_ref(item.parent, &a, "pp", 2) == P2F_OK);
  uint8_t *buf = (uint8_t *)malloc(1024);
  CHECK(buf != NULL && p2f_mix_Item_encode(&item, buf, 1024, &n) == P2F_OK);
  p2f_mix_Item back;
  CHECK(p2f_mix_Item_decode(&back, buf, n, &a) == P2F_OK && back.note_len == 300 && back.sku_len == 5 &&
        back.parent != NULL && back.parent->blob_ref_len == 2 && back.qty_count == 2);
  /* An inline field past its capacity is still an error. */
  uint8_t bad[] = {0x0a, 13, 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a', 'a'};
  CHECK(p2f_mix_Item_decode(&back, bad, sizeof bad, &a) == P2F_ERR_STRING_TOO_LONG && back.note == NULL);
  free(buf);
  p2f_arena_destroy(&a);
}

int main(void) {
  test_round_trips();
  test_setters();
  test_depth();
  test_arena_limit();
  test_inline_and_tables();
  test_proto2_and_mixed();
  return CHECK_REPORT();
}
