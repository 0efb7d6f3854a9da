/* Source positions (see srcloc.h). */
#include "srcloc.h"

#include <string.h>

#include "model.h" /* the gen_file type only: its name and descriptor */

gen_path srcloc_child(gen_arena *a, const gen_path *parent, int32_t kind, size_t index) {
  gen_path p;
  p.len = (parent ? parent->len : 0) + 2;
  p.items = gen_alloc(a, p.len * sizeof *p.items);
  if (parent && parent->len) memcpy(p.items, parent->items, parent->len * sizeof *p.items);
  p.items[p.len - 2] = kind;
  p.items[p.len - 1] = (int32_t)index;
  return p;
}

gen_loc model_loc(const struct gen_file *file, const gen_path *path) {
  gen_loc loc = {file ? file->name : NULL, 0, 0};
  if (file == NULL || path == NULL || file->desc->source_code_info == NULL) return loc;
  const Google__Protobuf__SourceCodeInfo *info = file->desc->source_code_info;
  for (size_t i = 0; i < info->n_location; i++) {
    const Google__Protobuf__SourceCodeInfo__Location *l = info->location[i];
    if (l->n_path == path->len && l->n_span >= 3 &&
        memcmp(l->path, path->items, path->len * sizeof *path->items) == 0) {
      loc.line = l->span[0] + 1;
      loc.col = l->span[1] + 1;
      return loc;
    }
  }
  return loc;
}
