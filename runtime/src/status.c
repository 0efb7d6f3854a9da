/* Status names and descriptions, expanded from the table in proto2ffi/status.h. */
#include "proto2ffi/status.h"

const char *p2f_status_str(int status) {
  switch (status) {
#define P2F_STATUS_STR_(name, value, text) \
  case value:                              \
    return text;
    P2F_STATUS_TABLE(P2F_STATUS_STR_)
#undef P2F_STATUS_STR_
    default:
      return "unknown status";
  }
}

const char *p2f_status_name(int status) {
  switch (status) {
#define P2F_STATUS_NAME_(name, value, text) \
  case value:                               \
    return #name;
    P2F_STATUS_TABLE(P2F_STATUS_NAME_)
#undef P2F_STATUS_NAME_
    default:
      return "UNKNOWN";
  }
}
