/* A hand-written schema with out-of-line fields, laid out as the generator lays them out
 * (the layout table of the storage contract), shared by the out-of-line codec test, the
 * conformance tools and the fuzz target. tests/support/ool_schema.proto is the same schema
 * for protoc-c and python3-protobuf:
 *
 *   message Leaf  { int32 id = 1; string name = 2; }
 *   message Node  {
 *     int64 id = 1;  string title = 2;  bytes blob = 3;
 *     repeated sint32 vals = 4;  repeated fixed64 fx = 5;      // packed
 *     repeated string tags = 6;  repeated bytes chunks = 7;
 *     Leaf leaf = 8;  repeated Node kids = 9;  map<string, int32> counts = 10;
 *     oneof choice { string ctext = 11; Leaf cleaf = 12; int32 cnum = 13; }
 *     Node next = 14;
 *     string name = 15 [(ffi).max_length = 15];                 // inline, in the same struct
 *     optional string opt = 16;
 *     repeated int32 unp = 17 [packed = false];
 *   }
 */
#ifndef P2F_TESTS_OOL_SCHEMA_H_
#define P2F_TESTS_OOL_SCHEMA_H_

#include <stdint.h>

#include "proto2ffi/codec.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct Leaf {
  int32_t id;
  char *name;
  uint32_t name_len;
} Leaf;

typedef struct CountsEntry {
  char *key;
  uint32_t key_len;
  int32_t value;
} CountsEntry;

typedef struct Node Node;
struct Node {
  int64_t id;
  char *title;
  uint32_t title_len;
  uint8_t *blob;
  uint32_t blob_len;
  int32_t *vals;
  uint32_t vals_count, vals_cap;
  uint64_t *fx;
  uint32_t fx_count, fx_cap;
  p2f_str *tags;
  uint32_t tags_count, tags_cap;
  p2f_bytes *chunks;
  uint32_t chunks_count, chunks_cap;
  Leaf *leaf;
  Node *kids;
  uint32_t kids_count, kids_cap;
  CountsEntry *counts;
  uint32_t counts_count, counts_cap;
  uint32_t which_choice;
  union {
    struct {
      char *data;
      uint32_t len;
    } ctext;
    Leaf *cleaf;
    int32_t cnum;
  } choice;
  Node *next;
  uint32_t name_len;
  char name[16];
  int32_t *unp;
  uint32_t unp_count, unp_cap;
  uint8_t has_opt;
  char *opt;
  uint32_t opt_len;
};

void ool_leaf_init(void *m);
void ool_entry_init(void *m);
void ool_node_init(void *m);

extern const p2f_msg_desc ool_leaf_desc;
extern const p2f_msg_desc ool_entry_desc;
extern const p2f_msg_desc ool_node_desc;

#ifdef __cplusplus
}
#endif

#endif /* P2F_TESTS_OOL_SCHEMA_H_ */
