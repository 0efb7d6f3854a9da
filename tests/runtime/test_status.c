/* Unit tests of the status table and of message-table lookup (runtime/src). */
#include <stdio.h>
#include <string.h>

#include "../support/check.h"

#include "proto2ffi/message_table.h"
#include "proto2ffi/status.h"


static void test_status_strings(void) {
  CHECK(strcmp(p2f_status_str(P2F_OK), "success") == 0);
  CHECK(strcmp(p2f_status_name(P2F_OK), "OK") == 0);
  CHECK(strcmp(p2f_status_name(P2F_ERR_TRUNCATED), "ERR_TRUNCATED") == 0);
  CHECK(strcmp(p2f_status_str(P2F_ERR_BUFFER_TOO_SMALL), "output buffer too small") == 0);
  CHECK(strcmp(p2f_status_str(12345), "unknown status") == 0);
  CHECK(strcmp(p2f_status_name(-999), "UNKNOWN") == 0);
  /* Every error is negative, numbers are unique, and each has a name and a description. */
  static const int values[] = {
#define VALUE_(name, value, text) value,
      P2F_STATUS_TABLE(VALUE_)
#undef VALUE_
  };
  size_t n = sizeof values / sizeof values[0];
  CHECK(values[0] == 0);
  for (size_t i = 1; i < n; i++) {
    CHECK(values[i] < 0);
    CHECK(strcmp(p2f_status_name(values[i]), "UNKNOWN") != 0);
    CHECK(strcmp(p2f_status_str(values[i]), "unknown status") != 0);
    for (size_t k = 0; k < i; k++) CHECK(values[k] != values[i]);
  }
}

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
  test_status_strings();
  test_file_find();
  return CHECK_REPORT();
}
