/* Lookup in the generated message tables (see proto2ffi/message_table.h). */
#include "proto2ffi/message_table.h"

#include <string.h>

const p2f_message_info *p2f_file_find(const p2f_file_info *file, const char *full_name) {
  if (file == NULL || full_name == NULL) return NULL;
  if (full_name[0] == '.') full_name++;
  size_t lo = 0;
  size_t hi = file->message_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int cmp = strcmp(full_name, file->messages[mid].full_name);
    if (cmp == 0) return &file->messages[mid];
    if (cmp < 0) {
      hi = mid;
    } else {
      lo = mid + 1;
    }
  }
  return NULL;
}
