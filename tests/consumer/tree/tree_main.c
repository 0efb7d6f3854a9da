#include <stdio.h>
#include <string.h>

#include "tree.ffi.h"

/* Prints a tree, one node per line, indented by depth. */
static void print_tree(const tree_Node *n, int depth) {
  printf("%*s%.*s (%u bytes of payload)\n", 2 * depth, "", (int)n->name_len, n->name, n->payload_len);
  for (uint32_t i = 0; i < n->children_count; i++) print_tree(&n->children[i], depth + 1);
}

int main(void) {
  /* Build a tree in an arena: the strings and the children array live in it. */
  p2f_arena build;
  p2f_arena_init(&build, NULL);
  tree_Node root;
  tree_Node_init(&root);
  tree_Node_set_name(&root, &build, "root", 4);
  for (int i = 0; i < 3; i++) {
    tree_Node *child = tree_Node_add_children(&root, &build);
    if (child == NULL) return 1;
    char name[16];
    int n = snprintf(name, sizeof name, "child %d", i);
    tree_Node_set_name(child, &build, name, (size_t)n);
  }
  uint8_t buf[256];
  size_t len = 0;
  if (tree_Node_encode(&root, buf, sizeof buf, &len) != P2F_OK) return 1;
  p2f_arena_destroy(&build); /* root's out-of-line data is gone with it */

  /* Decode with aliasing: strings and bytes point into buf, which must outlive the message;
   * the arena, on a stack block, holds only the children array. */
  unsigned char block[1024];
  p2f_arena_config cfg = {block, sizeof block, sizeof block, 0, 0}; /* no heap at all */
  p2f_arena arena;
  p2f_arena_init(&arena, &cfg);
  tree_Node tree;
  p2f_decode_options opts = {&arena, P2F_DECODE_ALIAS, 0};
  p2f_status st = tree_Node_decode_ex(&tree, buf, len, &opts);
  if (st != P2F_OK) {
    fprintf(stderr, "decode: %s\n", p2f_status_name(st));
    return 1;
  }
  print_tree(&tree, 0);

  /* A deep copy owns all its bytes, so it outlives buf and the first arena. */
  p2f_arena keep;
  p2f_arena_init(&keep, NULL);
  tree_Node copy;
  if (tree_Node_copy(&copy, &tree, &keep) != P2F_OK) return 1;
  memset(buf, 0, sizeof buf);
  p2f_arena_destroy(&arena);
  print_tree(&copy, 0);
  p2f_arena_destroy(&keep);
  return 0;
}
