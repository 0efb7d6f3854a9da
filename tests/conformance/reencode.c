/* Conformance helper: reads records "<full message name>\n<u32 length><bytes>" from stdin,
 * decodes each through the message tables (the descriptors registry.cmake lists), re-encodes
 * it and writes two results "<u32 status><u32 length><bytes>" to stdout: the first from a
 * copying decode, the second from an aliasing one (P2F_DECODE_ALIAS). Driven by
 * check_python.py.
 *
 * A message whose tree has out-of-line fields is decoded with p2f_decode_ex into an arena;
 * an inline one with p2f_decode (copying) and p2f_decode_ex (aliasing, which must change
 * nothing for it). Each result must also pass the storage check of ool_walk.h (aliased data in
 * the input, copied data outside it and NUL-terminated), and the aliased message is deep-copied
 * (p2f_copy), its input overwritten, and the copy must encode to the same bytes; a failure of
 * either is reported on stderr with the status P2F_ERR_INVALID_ARGUMENT.
 *
 *   reencode [--break-alias]   flips one bit of every aliased result (the check's self-test) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ool_walk.h"
#include "registry.h"

static const p2f_msg_desc *find(const char *name) {
  for (size_t i = 0; conf_p2f_descs[i]; i++) {
    if (strcmp(conf_p2f_descs[i]->full_name, name) == 0) return conf_p2f_descs[i];
  }
  return NULL;
}

static int read_u32(uint32_t *v) {
  unsigned char b[4];
  if (fread(b, 1, 4, stdin) != 4) return 0;
  *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
  return 1;
}

static void write_u32(uint32_t v) {
  unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16), (unsigned char)(v >> 24)};
  fwrite(b, 1, 4, stdout);
}

static void *new_msg(const p2f_msg_desc *d) {
  size_t align = d->align < sizeof(void *) ? sizeof(void *) : d->align;
  void *m = aligned_alloc(align, (d->size + align - 1) / align * align);
  if (m == NULL) abort();
  return m;
}

static void put_result(p2f_status st, const uint8_t *out, size_t n) {
  write_u32((uint32_t)(int32_t)st);
  write_u32(st == P2F_OK ? (uint32_t)n : 0);
  if (st == P2F_OK) fwrite(out, 1, n, stdout);
}

int main(int argc, char **argv) {
  int break_alias = argc > 1 && strcmp(argv[1], "--break-alias") == 0;
  char name[256];
  static uint8_t in[1 << 20], out[1 << 20], again[1 << 20];
  p2f_arena arena, copies;
  if (p2f_arena_init(&arena, NULL) != P2F_OK || p2f_arena_init(&copies, NULL) != P2F_OK) return 2;
  while (fgets(name, sizeof name, stdin)) {
    name[strcspn(name, "\n")] = '\0';
    uint32_t len;
    if (!read_u32(&len) || len > sizeof in || fread(in, 1, len, stdin) != len) return 2;
    const p2f_msg_desc *d = find(name);
    if (d == NULL) {
      fprintf(stderr, "reencode: unknown message %s\n", name);
      return 2;
    }
    void *msg = new_msg(d), *copy = new_msg(d);
    for (int alias = 0; alias < 2; alias++) {
      p2f_arena_reset(&arena);
      p2f_decode_options opts = {&arena, alias ? (uint32_t)P2F_DECODE_ALIAS : 0u, 0};
      size_t n = 0;
      p2f_status st = !alias && !ool_tree(d) ? p2f_decode(d, msg, in, len) : p2f_decode_ex(d, msg, in, len, &opts);
      if (st == P2F_OK) st = p2f_encode(d, msg, out, sizeof out, &n);
      if (st == P2F_OK && n != p2f_encoded_size(d, msg)) {
        fprintf(stderr, "reencode: %s: encoded_size disagrees with encode\n", name);
        st = P2F_ERR_INVALID_ARGUMENT;
      }
      char why[600];
      if (st == P2F_OK && !ool_storage_ok(d, msg, in, len, alias ? OOL_ALIASED : OOL_COPIED, why, sizeof why, NULL)) {
        fprintf(stderr, "reencode: %s\n", why);
        st = P2F_ERR_INVALID_ARGUMENT;
      }
      if (st == P2F_OK && alias) { /* the deep copy outlives the input */
        p2f_arena_reset(&copies);
        size_t m = 0;
        p2f_status cst = p2f_copy(d, copy, msg, &copies);
        memset(in, 0xEE, len);
        if (cst == P2F_OK) cst = p2f_encode(d, copy, again, sizeof again, &m);
        if (cst != P2F_OK || m != n || memcmp(again, out, n) != 0) {
          fprintf(stderr, "reencode: %s: the p2f_copy of the aliased decode encodes differently (%s)\n", name,
                  p2f_status_str(cst));
          st = P2F_ERR_INVALID_ARGUMENT;
        }
      }
      if (st == P2F_OK && alias && break_alias && n) out[n / 2] ^= 0x01;
      put_result(st, out, n);
    }
    free(msg);
    free(copy);
  }
  p2f_arena_destroy(&arena);
  p2f_arena_destroy(&copies);
  return 0;
}
