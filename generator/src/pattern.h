/* Name patterns as nanopb's .options files use them. */
#ifndef P2F_GEN_PATTERN_H_
#define P2F_GEN_PATTERN_H_

#include <stdbool.h>

/* Whether text matches pattern as a whole, as nanopb matches .options names (Python's
 * fnmatchcase): '*' matches any run of characters (dots included, possibly empty), '?' exactly
 * one character, "[abc]" / "[a-z]" one character of the set and "[!abc]" one not in it (a ']'
 * first in the set is a member; a '[' that opens no complete set is itself), anything else
 * itself. */
bool gen_glob_match(const char *pattern, const char *text);

#endif /* P2F_GEN_PATTERN_H_ */
