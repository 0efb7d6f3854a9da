/* Opens the Flutter plugin's DLL (social_ffi.dll, built from examples/flutter_plugin/windows)
 * the way dart:ffi does on Windows, with LoadLibrary and GetProcAddress by name, and calls
 * through what it finds: a typed pool of social.Post, an encode/decode round trip, the status
 * names. The runtime's internals (p2f__ names) must not be found.
 *   load_plugin <dll> */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <windows.h>

#include "../support/check.h"

typedef size_t (*size_fn)(void);
typedef void *(*pool_create_fn)(size_t initial_capacity);
typedef void *(*pool_alloc_fn)(void *pool);
typedef int (*pool_free_fn)(void *pool, void *msg);
typedef void (*pool_destroy_fn)(void *pool);
typedef int (*encode_fn)(const void *msg, uint8_t *buf, size_t cap, size_t *written);
typedef int (*decode_fn)(void *msg, const uint8_t *buf, size_t len);
typedef const char *(*name_fn)(int status);

/* GetProcAddress returns a generic function pointer; each caller converts it to the type of
 * the C prototype, as dart:ffi's lookupFunction does. */
static FARPROC find(HMODULE lib, const char *name) {
  FARPROC f = GetProcAddress(lib, name);
  if (f == NULL) fprintf(stderr, "not exported: %s\n", name);
  return f;
}

#define LOOKUP(type, var, name) type var = (type)(void (*)(void))find(lib, name)

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: load_plugin <dll>\n");
    return 2;
  }
  HMODULE lib = LoadLibraryA(argv[1]);
  CHECK(lib != NULL);
  if (lib == NULL) {
    fprintf(stderr, "LoadLibrary(%s) failed: error %lu\n", argv[1], (unsigned long)GetLastError());
    return CHECK_REPORT();
  }
  LOOKUP(size_fn, post_size, "social_Post_size");
  LOOKUP(size_fn, post_align, "social_Post_align");
  LOOKUP(pool_create_fn, pool_create, "social_Post_pool_create");
  LOOKUP(pool_alloc_fn, pool_alloc, "social_Post_pool_alloc");
  LOOKUP(pool_free_fn, pool_free, "social_Post_pool_free");
  LOOKUP(pool_destroy_fn, pool_destroy, "social_Post_pool_destroy");
  LOOKUP(encode_fn, encode, "social_Post_encode");
  LOOKUP(decode_fn, decode, "social_Post_decode");
  LOOKUP(name_fn, status_name, "p2f_status_name");
  CHECK(post_size && post_align && pool_create && pool_alloc && pool_free && pool_destroy && encode && decode &&
        status_name);
  CHECK(GetProcAddress(lib, "p2f__ts_alloc") == NULL);
  CHECK(GetProcAddress(lib, "p2f__pool_core_alloc") == NULL);
  if (!(post_size && post_align && pool_create && pool_alloc && pool_free && pool_destroy && encode && decode &&
        status_name)) {
    return CHECK_REPORT();
  }

  size_t size = post_size(), align = post_align();
  CHECK(size > 0 && align > 0 && (align & (align - 1)) == 0 && size % align == 0);
  void *pool = pool_create(4);
  CHECK(pool != NULL);
  void *post = pool ? pool_alloc(pool) : NULL;
  CHECK(post != NULL && (uintptr_t)post % align == 0);
  if (post != NULL) {
    /* A default Post encodes to nothing and decodes back; a tag with field number 0 is an
     * error whose name the runtime knows. */
    uint8_t buf[64];
    size_t written = sizeof buf;
    CHECK(encode(post, buf, sizeof buf, &written) == 0);
    CHECK(written == 0);
    CHECK(decode(post, buf, written) == 0);
    const uint8_t bad[] = {0x00, 0x01};
    int st = decode(post, bad, sizeof bad);
    CHECK(st != 0);
    CHECK(strcmp(status_name(0), "OK") == 0);
    CHECK(strcmp(status_name(st), "UNKNOWN") != 0 && strncmp(status_name(st), "ERR_", 4) == 0);
    printf("loaded %s: social_Post %zu bytes, align %zu; bad input: %s\n", argv[1], size, align, status_name(st));
    CHECK(pool_free(pool, post) == 0);
  }
  if (pool != NULL) pool_destroy(pool);
  CHECK(FreeLibrary(lib) != 0);
  return CHECK_REPORT();
}
