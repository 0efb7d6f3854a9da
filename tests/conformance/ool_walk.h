/* Where a decoded message's out-of-line data lives, checked field by field through the tables:
 * after an aliasing decode every non-empty string and bytes value points into the input; after
 * a copying decode (or p2f_copy) none does, and every string is NUL-terminated. Optional
 * fields that are not set are skipped (their proto2 default is the generated code's). Used by
 * check_protobuf_c.c and reencode.c; no protobuf-c dependency. */
#ifndef P2F_CONFORMANCE_OOL_WALK_H_
#define P2F_CONFORMANCE_OOL_WALK_H_

#include <stddef.h>
#include <stdint.h>

#include "proto2ffi/codec.h"

enum { OOL_ALIASED = 1, OOL_COPIED = 2 };

/* 1 when every out-of-line string/bytes value of msg (type d, the whole tree) is where
 * `expect` says relative to [lo, lo+n); else 0 and the path of the first one that is not in
 * `why`. *values, when not NULL, is increased by the number of non-empty values checked. */
int ool_storage_ok(const p2f_msg_desc *d, const void *msg, const void *lo, size_t n, int expect, char *why,
                   size_t cap, size_t *values);

/* Whether d's tree has an out-of-line field (P2F_MF_OUT_OF_LINE). */
int ool_tree(const p2f_msg_desc *d);

#endif
