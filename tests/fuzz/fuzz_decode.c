/* libFuzzer target: the generated decoders of every message of the all-types and social
 * schemas and of the nanopb schemas whose options change the struct (fixed_length,
 * fixed_count, default_has, proto3 presence, no_unions). The first input byte chooses the message type, the rest is the wire input.
 * Whatever the input, decode must not touch memory outside the input and the struct
 * (ASan/UBSan watch), and a successful decode must be idempotent: encode, decode again and
 * encode again give the same bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alltypes.ffi.h"
#include "common/shared.ffi.h"
#include "fixed.ffi.h"
#include "keywords.ffi.h"
#include "legacy.ffi.h"
#include "presence.ffi.h"
#include "presence2.ffi.h"
#include "social.ffi.h"

static const p2f_message_info *pick(uint8_t selector) {
  const p2f_file_info *files[] = {alltypes_proto_file_info(), common_shared_proto_file_info(),
                                  legacy_proto_file_info(), keywords_proto_file_info(), social_proto_file_info(),
                                  fixed_proto_file_info(),  presence_proto_file_info(), presence2_proto_file_info()};
  size_t total = 0;
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) total += files[i]->message_count;
  size_t k = selector % total;
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    if (k < files[i]->message_count) return &files[i]->messages[k];
    k -= files[i]->message_count;
  }
  return NULL;
}

static void *alloc_msg(const p2f_message_info *m) {
  size_t align = m->align < sizeof(void *) ? sizeof(void *) : m->align;
  return aligned_alloc(align, (m->size + align - 1) / align * align);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0) return 0;
  const p2f_message_info *m = pick(data[0]);
  void *a = alloc_msg(m), *b = alloc_msg(m);
  if (m->decode(a, data + 1, size - 1) == P2F_OK) {
    size_t n1 = m->encoded_size(a), w1 = 0, n2 = 0, w2 = 0;
    uint8_t *e1 = malloc(n1 + 1), *e2 = NULL;
    if (m->encode(a, e1, n1, &w1) != P2F_OK || w1 != n1) abort();
    if (m->decode(b, e1, n1) != P2F_OK) abort(); /* our own output must decode */
    n2 = m->encoded_size(b);
    e2 = malloc(n2 + 1);
    if (m->encode(b, e2, n2, &w2) != P2F_OK || w2 != n1 || memcmp(e1, e2, n1) != 0) abort();
    free(e1);
    free(e2);
  }
  free(a);
  free(b);
  return 0;
}
