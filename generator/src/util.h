/* The generator's utilities, one header for the stages that use them all: memory and the
 * arena (arena.h), formatting (format.h), growable strings and vectors (buf.h), .options
 * name patterns (pattern.h). */
#ifndef P2F_GEN_UTIL_H_
#define P2F_GEN_UTIL_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "buf.h"
#include "format.h"
#include "pattern.h"

#endif /* P2F_GEN_UTIL_H_ */
