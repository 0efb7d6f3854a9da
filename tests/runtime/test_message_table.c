/* Unit tests of message-table lookup (runtime/src/message_table.c, proto2ffi/message_table.h):
 * p2f_file_find by full name, with and without the leading dot, and the names it must not
 * match (prefixes, other packages, NULL and empty arguments). */
#include <stddef.h>

#include "../support/check.h"

#include "proto2ffi/message_table.h"

static void init_noop(void *msg) { (void)msg; }

static void test_file_find(void) {
  static const p2f_message_info msgs[] = {
      {"a.A", "a_A", 8, 8, 1, init_noop, NULL, NULL, NULL},
      {"a.B", "a_B", 4, 4, 1, init_noop, NULL, NULL, NULL},
      {"a.B.C", "a_B_C", 1, 1, 0, init_noop, NULL, NULL, NULL},
      {"a.Z", "a_Z", 2, 2, 0, init_noop, NULL, NULL, NULL},
  };
  p2f_file_info file = {"a.proto", "a", 4, msgs};
  for (size_t i = 0; i < 4; i++) {
    CHECK(p2f_file_find(&file, msgs[i].full_name) == &msgs[i]);
  }
  CHECK(p2f_file_find(&file, ".a.B.C") == &msgs[2]);
  CHECK(p2f_file_find(&file, "a.B.") == NULL);
  CHECK(p2f_file_find(&file, "a") == NULL);
  CHECK(p2f_file_find(&file, "") == NULL);
  CHECK(p2f_file_find(&file, "b.A") == NULL);
  CHECK(p2f_file_find(NULL, "a.A") == NULL);
  CHECK(p2f_file_find(&file, NULL) == NULL);
  p2f_file_info empty = {"e.proto", "", 0, NULL};
  CHECK(p2f_file_find(&empty, "a.A") == NULL);
}

int main(void) {
  test_file_find();
  return CHECK_REPORT();
}
