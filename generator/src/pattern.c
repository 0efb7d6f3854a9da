/* .options name patterns (see pattern.h). */
#include "pattern.h"

#include <stddef.h>

/* Matches one character against the set at p ("[...]" or "[!...]"); returns the character
 * after the closing ']', or NULL when p starts no complete set (then '[' is literal). */
static const char *match_set(const char *p, char c, bool *hit) {
  const char *q = p + 1;
  bool negate = *q == '!';
  if (negate) q++;
  /* A ']' right after "[" or "[!" is a member, not the end. */
  const char *start = q;
  bool found = false;
  while (*q && (*q != ']' || q == start)) {
    if (q[1] == '-' && q[2] && q[2] != ']') {
      if ((unsigned char)c >= (unsigned char)q[0] && (unsigned char)c <= (unsigned char)q[2]) found = true;
      q += 3;
    } else {
      if (c == *q) found = true;
      q++;
    }
  }
  if (*q != ']') return NULL;
  *hit = found != negate;
  return q + 1;
}

bool gen_glob_match(const char *pattern, const char *text) {
  const char *star = NULL;
  const char *resume = NULL;
  while (*text != '\0') {
    const char *next = NULL;
    bool hit = false;
    if (*pattern == '*') {
      star = pattern++;
      resume = text;
      continue;
    }
    if (*pattern == '[' && (next = match_set(pattern, *text, &hit)) != NULL) {
      /* a set: next is past it */
    } else if (*pattern != '\0' && (*pattern == '?' || *pattern == *text)) {
      next = pattern + 1;
      hit = true;
    }
    if (next && hit) {
      pattern = next;
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
