/* Unit tests of the status table (runtime/src/status.c, proto2ffi/status.h). */
#include <stdio.h>
#include <string.h>

#include "../support/check.h"

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

int main(void) {
  test_status_strings();
  return CHECK_REPORT();
}
