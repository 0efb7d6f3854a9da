/* libFuzzer target: decode into an arena on the hand-written out-of-line schema
 * (tests/support/ool_schema.h), or, built with FUZZ_REGISTRY, on every message type of a
 * descriptor registry (registry.h: the generated code of the conformance schemas in the
 * out-of-line form and google/protobuf/struct.proto), where the second input byte picks the
 * type. The first input byte chooses:
 *   bit 0     the message type (t.Leaf or t.Node; unused with FUZZ_REGISTRY)
 *   bit 1     aliasing (P2F_DECODE_ALIAS) or copying
 *   bits 2-3  the arena: no first block; a 256-byte first block; the same block as the
 *             arena's limit (no heap at all); a 4 KiB limit with heap chunks
 *   bits 4-5  the depth limit: default, 1, 3 or 8
 * and the rest is the wire input. Whatever the input, nothing may touch memory outside the
 * input, the struct and the arena (ASan/UBSan watch; guard bytes after the first block are
 * checked too). A failed decode leaves the message initialised and the arena's allocated byte
 * count where it was. A successful one must put every string and bytes value where the mode
 * says (ool_walk.h), and be idempotent: encode, decode again (the other mode, a fresh arena,
 * default limits), encode again give the same bytes; a p2f_copy of the first message into a
 * third arena, after the input is overwritten, encodes to the same bytes too. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ool_walk.h"
#ifdef FUZZ_REGISTRY
#include "registry.h"
#define HEADER 2
#else
#include "ool_schema.h"
#define HEADER 1
#endif

#define BLOCK 256
#define GUARD 64

/* A struct of d's size whose every byte is 0xA5, except for an inline tree that decoding
 * initialises sparsely (codec.h, "Defined bytes": only the defined bytes are set, the others
 * left as they were), which starts initialised so that the check below compares only what
 * decoding promises. */
static void *new_msg(const p2f_msg_desc *d) {
  size_t align = d->align < sizeof(void *) ? sizeof(void *) : d->align;
  size_t n = (d->size + align - 1) / align * align;
  void *m = aligned_alloc(align, n);
  if (m == NULL) abort();
  memset(m, 0xA5, n);
  if ((d->flags & (P2F_MF_ZERO_INIT | P2F_MF_OUT_OF_LINE)) == P2F_MF_ZERO_INIT &&
      d->size > (uint64_t)P2F_SPARSE_INIT_BYTES * d->field_count)
    d->init(m);
  return m;
}

static int fresh(const p2f_msg_desc *d, const void *m) {
  void *z = new_msg(d);
  d->init(z);
  int same = memcmp(m, z, d->size) == 0;
  free(z);
  return same;
}

static size_t allocated(const p2f_arena *a) {
  p2f_arena_stats s;
  p2f_arena_get_stats(a, &s);
  return s.allocated;
}

static void fail(const char *what) {
  fprintf(stderr, "fuzz_decode_ool: %s\n", what);
  abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size < HEADER) return 0;
  static const uint32_t depths[4] = {0, 1, 3, 8};
  const uint8_t sel = data[0];
#ifdef FUZZ_REGISTRY
  size_t count = 0;
  while (conf_p2f_descs[count]) count++;
  const p2f_msg_desc *d = conf_p2f_descs[data[1] % count];
#else
  const p2f_msg_desc *d = (sel & 1) ? &ool_node_desc : &ool_leaf_desc;
#endif
  const uint32_t mode = (sel & 2) ? (uint32_t)P2F_DECODE_ALIAS : 0u;
  size_t len = size - HEADER;
  uint8_t *input = malloc(len + 1); /* its own buffer: overwritten after the copy */
  if (input == NULL) abort();
  memcpy(input, data + HEADER, len);

  static unsigned char block[BLOCK + GUARD];
  memset(block, 0x5A, sizeof block);
  p2f_arena_config cfg = {NULL, 0, 0, 0, 0};
  switch (sel >> 2 & 3) {
    case 1: cfg.first_block = block, cfg.first_block_size = BLOCK; break;
    case 2: cfg.first_block = block, cfg.first_block_size = BLOCK, cfg.limit = BLOCK; break;
    case 3: cfg.limit = 4096, cfg.chunk_size = 512; break;
    default: break;
  }
  p2f_arena a, b, c;
  if (p2f_arena_init(&a, &cfg) != P2F_OK || p2f_arena_init(&b, NULL) != P2F_OK || p2f_arena_init(&c, NULL) != P2F_OK)
    fail("arena init");
  /* Something in the arena before the decode: the rewind on failure must keep it. */
  if (p2f_arena_alloc(&a, 24) == NULL) fail("arena alloc");
  size_t before = allocated(&a);

  void *m1 = new_msg(d), *m2 = new_msg(d), *m3 = new_msg(d);
  p2f_decode_options opts = {&a, mode, depths[sel >> 4 & 3]};
  p2f_status st = p2f_decode_ex(d, m1, input, len, &opts);
  for (size_t i = BLOCK; i < sizeof block; i++) {
    if (block[i] != 0x5A) fail("written past the arena's first block");
  }
  if (st != P2F_OK) {
    if (!fresh(d, m1)) fail("a failed decode left the message not initialised");
    if (allocated(&a) != before) fail("a failed decode left allocations in the arena");
  } else {
    char why[600];
    if (!ool_storage_ok(d, m1, input, len, mode ? OOL_ALIASED : OOL_COPIED, why, sizeof why, NULL)) fail(why);
    size_t n1 = p2f_encoded_size(d, m1), w1 = 0, w2 = 0, w3 = 0;
    if (n1 == SIZE_MAX) fail("encoded_size of a decoded message");
    uint8_t *e1 = malloc(n1 + 1), *e2 = malloc(n1 + 1), *e3 = malloc(n1 + 1);
    if (e1 == NULL || e2 == NULL || e3 == NULL) abort();
    if (p2f_encode(d, m1, e1, n1, &w1) != P2F_OK || w1 != n1) fail("encode of a decoded message");
    p2f_decode_options again = {&b, mode ^ (uint32_t)P2F_DECODE_ALIAS, 0};
    if (p2f_decode_ex(d, m2, e1, n1, &again) != P2F_OK) fail("our own output does not decode");
    if (p2f_encoded_size(d, m2) != n1 || p2f_encode(d, m2, e2, n1, &w2) != P2F_OK || w2 != n1 ||
        memcmp(e1, e2, n1) != 0)
      fail("decode -> encode -> decode -> encode is not idempotent");
    if (p2f_copy(d, m3, m1, &c) != P2F_OK) fail("p2f_copy of a decoded message");
    memset(input, 0xEE, len);
    if (p2f_encode(d, m3, e3, n1, &w3) != P2F_OK || w3 != n1 || memcmp(e1, e3, n1) != 0)
      fail("the p2f_copy encodes differently once the input is gone");
    free(e1);
    free(e2);
    free(e3);
  }
  free(m1);
  free(m2);
  free(m3);
  free(input);
  p2f_arena_destroy(&a);
  p2f_arena_destroy(&b);
  p2f_arena_destroy(&c);
  return 0;
}
