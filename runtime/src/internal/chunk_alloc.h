/* Internal: where pool chunks come from.
 *
 * With P2F_WITH_MIMALLOC the runtime loads libmimalloc at the first chunk allocation with
 * dlopen(RTLD_LOCAL) and calls mi_malloc_aligned/mi_free through pointers: mimalloc's own
 * malloc/free never enter the process's global symbol scope, so linking proto2ffi does not
 * replace the host program's allocator (as linking libmimalloc directly would). When the
 * library cannot be loaded, and in builds without P2F_WITH_MIMALLOC, chunks come from the
 * system's aligned allocation (aligned_alloc; _aligned_malloc on Windows).
 *
 * The environment variable P2F_ALLOCATOR=system, read once at the first chunk, chooses the
 * system allocator at run time. Memory checkers need it: valgrind intercepts libmimalloc's
 * free, whose address mi_free shares, and would see mimalloc chunks freed that it never saw
 * allocated.
 */
#ifndef PROTO2FFI_INTERNAL_CHUNK_ALLOC_H_
#define PROTO2FFI_INTERNAL_CHUNK_ALLOC_H_

#include <stddef.h>

/* size must be a multiple of align; align a power of two. NULL when out of memory. */
void *p2f__chunk_alloc(size_t size, size_t align);
void p2f__chunk_free(void *p);
/* "mimalloc" or "system": the allocator chunks come from in this process. */
const char *p2f__chunk_backend(void);

#endif /* PROTO2FFI_INTERNAL_CHUNK_ALLOC_H_ */
