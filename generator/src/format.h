/* Formatted strings and numbers in an arena. gen_strf formats the conversions the generator
 * uses most ("%s", "%d", "%i", "%u", "%c", "%%", with the length modifiers l, ll and z, no
 * flags, width or precision) without stdio, and anything else with vsnprintf; the result is
 * the same either way. */
#ifndef P2F_GEN_FORMAT_H_
#define P2F_GEN_FORMAT_H_

#include <stdint.h>

#include "arena.h"

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
char *gen_strf(gen_arena *a, const char *fmt, ...);
char *gen_u64(gen_arena *a, uint64_t v); /* decimal */
char *gen_i64(gen_arena *a, int64_t v);

#endif /* P2F_GEN_FORMAT_H_ */
