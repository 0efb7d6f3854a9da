/* Name patterns as nanopb's .options files use them. */
#ifndef P2F_GEN_PATTERN_H_
#define P2F_GEN_PATTERN_H_

#include <stdbool.h>

/* Whether text matches pattern as a whole: '*' matches any run of characters (dots
 * included, possibly empty), '?' exactly one character, anything else itself. */
bool gen_glob_match(const char *pattern, const char *text);

#endif /* P2F_GEN_PATTERN_H_ */
