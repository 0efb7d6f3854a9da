/* The field tables of ool_schema.h. */
#include "ool_schema.h"

#include <stddef.h>
#include <string.h>

void ool_leaf_init(void *m) { memset(m, 0, sizeof(Leaf)); }
void ool_entry_init(void *m) { memset(m, 0, sizeof(CountsEntry)); }
void ool_node_init(void *m) { memset(m, 0, sizeof(Node)); }

#define NO P2F_NO_OFFSET
#define OUT P2F_FF_OUT
#define U32MAX UINT32_MAX
#define W(t, w, z) P2F_FIELD_WIRE(t, w, z)

/* Written by hand without the generator's extras: no precomputed tags (tag_len 0), no
 * dispatch tables, no decoding routines (kind 0) and no zero ranges, so that the tests and the
 * fuzz target on this schema run the codec's fallbacks (tags computed, field numbers searched,
 * every field through the general path) that generated tables never take. */

static const p2f_field_desc leaf_fields[] = {
    {1, P2F_FT_INT32, P2F_FL_SINGULAR, 0, W(0, 4, 0), offsetof(Leaf, id), NO, NO, 4, 0, 0, NULL, NULL, 0, 0, {0}, 0, 0},
    {2, P2F_FT_STRING, P2F_FL_SINGULAR, P2F_FF_UTF8 | OUT, W(2, 0, 0), offsetof(Leaf, name), NO,
     offsetof(Leaf, name_len), 8, 0, U32MAX, NULL, NULL, 0, 0, {0}, 0, 0},
};
const p2f_msg_desc ool_leaf_desc = {"t.Leaf", sizeof(Leaf), 2, leaf_fields, ool_leaf_init, P2F_ALIGNOF(Leaf),
                                       P2F_MF_OUT_OF_LINE, NULL, 0, 0, NULL, 0};

static const p2f_field_desc entry_fields[] = {
    {1, P2F_FT_STRING, P2F_FL_ALWAYS, P2F_FF_UTF8 | OUT, W(2, 0, 0), offsetof(CountsEntry, key), NO,
     offsetof(CountsEntry, key_len), 8, 0, U32MAX, NULL, NULL, 0, 0, {0}, 0, 0},
    {2, P2F_FT_INT32, P2F_FL_ALWAYS, 0, W(0, 4, 0), offsetof(CountsEntry, value), NO, NO, 4, 0, 0, NULL, NULL, 0, 0, {0}, 0, 0},
};
const p2f_msg_desc ool_entry_desc = {"t.Node.CountsEntry", sizeof(CountsEntry), 2, entry_fields, ool_entry_init,
                                        P2F_ALIGNOF(CountsEntry), P2F_MF_OUT_OF_LINE, NULL, 0, 0, NULL, 0};

#define UNION_SIZE (uint32_t)sizeof(((Node *)0)->choice)
static const p2f_field_desc node_fields[] = {
    {1, P2F_FT_INT64, P2F_FL_SINGULAR, 0, W(0, 8, 0), offsetof(Node, id), NO, NO, 8, 0, 0, NULL, NULL, 0, 0, {0}, 0, 0},
    {2, P2F_FT_STRING, P2F_FL_SINGULAR, P2F_FF_UTF8 | OUT, W(2, 0, 0), offsetof(Node, title), NO,
     offsetof(Node, title_len), 8, 0, U32MAX, NULL, NULL, 0, 0, {0}, 0, 0},
    {3, P2F_FT_BYTES, P2F_FL_SINGULAR, OUT, W(2, 0, 0), offsetof(Node, blob), NO, offsetof(Node, blob_len), 8, 0,
     U32MAX, NULL, NULL, 0, 0, {0}, 0, 0},
    {4, P2F_FT_SINT32, P2F_FL_REPEATED, P2F_FF_PACKED | OUT, W(0, 4, 1), offsetof(Node, vals),
     offsetof(Node, vals_count), NO, 4, offsetof(Node, vals_cap), 0, NULL, NULL, 0, 0, {0}, 0, 0},
    {5, P2F_FT_FIXED64, P2F_FL_REPEATED, P2F_FF_PACKED | OUT, W(1, 8, 0), offsetof(Node, fx), offsetof(Node, fx_count),
     NO, 8, offsetof(Node, fx_cap), 0, NULL, NULL, 0, 0, {0}, 0, 0},
    {6, P2F_FT_STRING, P2F_FL_REPEATED, P2F_FF_UTF8 | OUT, W(2, 0, 0), offsetof(Node, tags),
     offsetof(Node, tags_count), NO, sizeof(p2f_str), offsetof(Node, tags_cap), U32MAX, NULL, NULL, 0, 0, {0}, 0, 0},
    {7, P2F_FT_BYTES, P2F_FL_REPEATED, OUT, W(2, 0, 0), offsetof(Node, chunks), offsetof(Node, chunks_count), NO,
     sizeof(p2f_bytes), offsetof(Node, chunks_cap), U32MAX, NULL, NULL, 0, 0, {0}, 0, 0},
    {8, P2F_FT_MESSAGE, P2F_FL_SINGULAR, OUT, W(2, 0, 0), offsetof(Node, leaf), NO, NO, sizeof(Leaf), 0, 0,
     &ool_leaf_desc, NULL, 0, 0, {0}, 0, 0},
    {9, P2F_FT_MESSAGE, P2F_FL_REPEATED, OUT, W(2, 0, 0), offsetof(Node, kids), offsetof(Node, kids_count), NO,
     sizeof(Node), offsetof(Node, kids_cap), 0, &ool_node_desc, NULL, 0, 0, {0}, 0, 0},
    {10, P2F_FT_MESSAGE, P2F_FL_REPEATED, P2F_FF_MAP | OUT, W(2, 0, 0), offsetof(Node, counts),
     offsetof(Node, counts_count), NO, sizeof(CountsEntry), offsetof(Node, counts_cap), 0, &ool_entry_desc, NULL, 0, 0, {0}, 0, 0},
    {11, P2F_FT_STRING, P2F_FL_ONEOF, P2F_FF_UTF8 | OUT, W(2, 0, 0), offsetof(Node, choice.ctext.data),
     offsetof(Node, which_choice), offsetof(Node, choice.ctext.len), 8, UNION_SIZE, U32MAX, NULL, NULL, 0, 0, {0}, 0, 0},
    {12, P2F_FT_MESSAGE, P2F_FL_ONEOF, OUT, W(2, 0, 0), offsetof(Node, choice.cleaf), offsetof(Node, which_choice), NO,
     sizeof(Leaf), UNION_SIZE, 0, &ool_leaf_desc, NULL, 0, 0, {0}, 0, 0},
    {13, P2F_FT_INT32, P2F_FL_ONEOF, 0, W(0, 4, 0), offsetof(Node, choice.cnum), offsetof(Node, which_choice), NO, 4,
     UNION_SIZE, 0, NULL, NULL, 0, 0, {0}, 0, 0},
    {14, P2F_FT_MESSAGE, P2F_FL_SINGULAR, OUT, W(2, 0, 0), offsetof(Node, next), NO, NO, sizeof(Node), 0, 0,
     &ool_node_desc, NULL, 0, 0, {0}, 0, 0},
    {15, P2F_FT_STRING, P2F_FL_SINGULAR, P2F_FF_UTF8, W(2, 0, 0), offsetof(Node, name), NO, offsetof(Node, name_len),
     16, 0, 15, NULL, NULL, 0, 0, {0}, 0, 0},
    {16, P2F_FT_STRING, P2F_FL_OPTIONAL, P2F_FF_UTF8 | OUT, W(2, 0, 0), offsetof(Node, opt), offsetof(Node, has_opt),
     offsetof(Node, opt_len), 8, 0, U32MAX, NULL, NULL, 0, 0, {0}, 0, 0},
    {17, P2F_FT_INT32, P2F_FL_REPEATED, OUT, W(0, 4, 0), offsetof(Node, unp), offsetof(Node, unp_count), NO, 4,
     offsetof(Node, unp_cap), 0, NULL, NULL, 0, 0, {0}, 0, 0},
};
const p2f_msg_desc ool_node_desc = {"t.Node", sizeof(Node), sizeof node_fields / sizeof node_fields[0], node_fields,
                                ool_node_init, P2F_ALIGNOF(Node), P2F_MF_OUT_OF_LINE, NULL, 0, 0, NULL, 0};
