/* .options name patterns (see pattern.h). */
#include "pattern.h"

#include <stddef.h>

bool gen_glob_match(const char *pattern, const char *text) {
  const char *star = NULL;
  const char *resume = NULL;
  while (*text != '\0') {
    if (*pattern == '*') {
      star = pattern++;
      resume = text;
    } else if (*pattern == '?' || *pattern == *text) {
      pattern++;
      text++;
    } else if (star != NULL) {
      pattern = star + 1;
      text = ++resume;
    } else {
      return false;
    }
  }
  while (*pattern == '*') pattern++;
  return *pattern == '\0';
}
