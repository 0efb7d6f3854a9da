/* internal/ool.h: out-of-line arrays in an arena, shared by the decoder (decode.c), the deep
 * copy (copy.c) and the building helpers (build.c, which defines these). Not installed. */
#ifndef PROTO2FFI_INTERNAL_OOL_H_
#define PROTO2FFI_INTERNAL_OOL_H_

#include "proto2ffi/arena.h"
#include "proto2ffi/codec.h"
#include "proto2ffi/status.h"

/* Makes the array *data (count elements used, room for *cap; *cap 0: not the arena's) hold at
 * least count + more elements of elem_size bytes aligned to align: grown in the arena to the
 * larger of count + more and twice *cap (4 at least), moved in place when it is the arena's
 * last allocation (p2f_arena_realloc), copied otherwise. Updates *data and *cap. Statuses:
 * P2F_ERR_TOO_MANY_ELEMENTS (more than UINT32_MAX elements), the arena's errors; nothing is
 * changed then. */
p2f_status p2f__array_reserve(p2f_arena *a, void **data, uint32_t count, uint32_t *cap, uint64_t more,
                              size_t elem_size, size_t align);

/* Alignment of one element of an out-of-line array of field f: the submessage's alignment
 * (8 when its table says 0), a scalar's width, 8 for p2f_str / p2f_bytes. */
size_t p2f__elem_align(const p2f_field_desc *f);

/* The status of the arena's last failed allocation (P2F_ERR_OUT_OF_MEMORY when it has none). */
p2f_status p2f__arena_status(const p2f_arena *a);

#endif /* PROTO2FFI_INTERNAL_OOL_H_ */
