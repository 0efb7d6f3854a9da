/* Conformance helper: reads records "<full message name>\n<u32 length><bytes>" from stdin,
 * decodes each with the generated codec found through the message tables, re-encodes it and
 * writes "<u32 status><u32 length><bytes>" to stdout. Driven by check_python.py. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alltypes.ffi.h"
#include "common/shared.ffi.h"
#include "keywords.ffi.h"
#include "legacy.ffi.h"
#include "social.ffi.h"

static const p2f_message_info *find(const char *name) {
  const p2f_file_info *files[] = {alltypes_proto_file_info(), common_shared_proto_file_info(),
                                  legacy_proto_file_info(), keywords_proto_file_info(), social_proto_file_info()};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
    const p2f_message_info *m = p2f_file_find(files[i], name);
    if (m) return m;
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

int main(void) {
  char name[256];
  static uint8_t in[1 << 20], out[1 << 20];
  while (fgets(name, sizeof name, stdin)) {
    name[strcspn(name, "\n")] = '\0';
    uint32_t len;
    if (!read_u32(&len) || len > sizeof in || fread(in, 1, len, stdin) != len) return 2;
    const p2f_message_info *m = find(name);
    if (m == NULL) {
      fprintf(stderr, "reencode: unknown message %s\n", name);
      return 2;
    }
    void *msg = aligned_alloc(m->align < sizeof(void *) ? sizeof(void *) : m->align,
                              (m->size + m->align - 1) / m->align * m->align);
    size_t n = 0;
    p2f_status st = m->decode(msg, in, len);
    if (st == P2F_OK) st = m->encode(msg, out, sizeof out, &n);
    if (st == P2F_OK && n != m->encoded_size(msg)) st = P2F_ERR_INVALID_ARGUMENT;
    free(msg);
    write_u32((uint32_t)(int32_t)st);
    write_u32((uint32_t)n);
    fwrite(out, 1, n, stdout);
  }
  return 0;
}
