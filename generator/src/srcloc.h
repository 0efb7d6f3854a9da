/* Source positions of descriptor elements, for diagnostics. Below the model: it reads a
 * file's SourceCodeInfo and calls nothing of the later stages.
 *
 * An element is named by its SourceCodeInfo path (field numbers and indexes from the
 * FileDescriptorProto down, e.g. {4, 0, 2, 1}: message 0, field 1); the path is resolved to a
 * line and column only when a diagnostic needs it. Paths live in the model's arena.
 */
#ifndef P2F_GEN_SRCLOC_H_
#define P2F_GEN_SRCLOC_H_

#include <stddef.h>
#include <stdint.h>

#include "arena.h"
#include "diag.h"

typedef struct gen_path {
  int32_t *items;
  size_t len;
} gen_path;

struct gen_file;

/* parent's path extended by (kind, index), allocated in a; parent may be NULL (the file). */
gen_path srcloc_child(gen_arena *a, const gen_path *parent, int32_t kind, size_t index);

/* Source location of a path in a file: the file name, and line and column (1-based) when
 * protoc sent SourceCodeInfo with that path, else 0. file and path may be NULL. */
gen_loc model_loc(const struct gen_file *file, const gen_path *path);

#endif /* P2F_GEN_SRCLOC_H_ */
