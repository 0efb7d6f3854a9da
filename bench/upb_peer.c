/* upb as a codec benchmark peer (upb_peer.h).
 *
 * Why upb's functions are declared here: Debian's libupb-dev (0.0.0~git200730, a snapshot of
 * upb from the end of July 2020) installs upb/msg.h, decode.h and encode.h, but msg.h
 * includes upb/upb.h and upb/table.int.h, which the package does not ship, and it has no
 * def.h at all (the reflection library libupb_reflection.so is there, its header is not). Nor
 * does it ship protoc-gen-upb, so there are no generated layouts: they are built at run time
 * by upb's symbol table from a FileDescriptorSet. This file therefore declares the few
 * functions and the two structs it uses, as that snapshot defines them (checked against its
 * sources of mid-2020: upb/upb.h, upb/msg.h as installed, upb/decode.h, upb/encode.h,
 * upb/def.h, upb/upb.c, upb/decode.c, upb/def.c, and against the symbols that
 * `nm -D libupb.so libupb_reflection.so libdescriptor_upb_proto.so` lists):
 *
 *   libupb.so
 *     upb_arena *upb_arena_init(void *mem, size_t n, upb_alloc *alloc);
 *         (upb_arena_new() is an inline function of upb.h in this version, not a symbol: it
 *         is upb_arena_init(NULL, 0, &upb_alloc_global), which is what is called here)
 *     void upb_arena_free(upb_arena *a);
 *     extern upb_alloc upb_alloc_global;
 *     upb_msg *_upb_msg_new(const upb_msglayout *l, upb_arena *a);
 *     bool upb_decode(const char *buf, size_t size, upb_msg *msg, const upb_msglayout *l,
 *                     upb_arena *arena);
 *     char *upb_encode(const void *msg, const upb_msglayout *l, upb_arena *arena, size_t *size);
 *   libupb_reflection.so
 *     upb_symtab *upb_symtab_new(void);  void upb_symtab_free(upb_symtab *s);
 *     const upb_filedef *upb_symtab_addfile(upb_symtab *s,
 *         const google_protobuf_FileDescriptorProto *file, upb_status *status);
 *     const upb_msgdef *upb_symtab_lookupmsg(const upb_symtab *s, const char *sym);
 *     const upb_msglayout *upb_msgdef_layout(const upb_msgdef *m);
 *   libdescriptor_upb_proto.so
 *     const upb_msglayout google_protobuf_FileDescriptorSet_msginit;
 *
 * Structs relied on (x86-64 and every LP64 ABI): upb_status {bool ok; char msg[127];}; the
 * arena's public head {upb_alloc alloc; char *ptr, *end;} at the start of upb_arena;
 * upb_msglayout and upb_msglayout_field as msg.h installs them; upb_array {uintptr_t data
 * (tagged: low 3 bits are lg2 of the element size); size_t len, size;}. upb_peer_open checks
 * the FileDescriptorSet layout against what it expects (field 1 "file", repeated message)
 * before using it, so a different ABI fails with a message instead of crashing.
 *
 * How the descriptors are loaded: upb of this version has no entry point taking a serialized
 * FileDescriptorProto built without generated code (_upb_symtab_loaddefinit wants generated
 * layouts), so the set is parsed with upb itself (google_protobuf_FileDescriptorSet_msginit,
 * exported by libdescriptor_upb_proto.so) and each parsed FileDescriptorProto is given to
 * upb_symtab_addfile, which builds the layouts (def.c's make_layout).
 */
#include "upb_peer.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- upb's ABI, as the July 2020 snapshot defines it --------------------------------------- */

typedef struct upb_alloc upb_alloc;
typedef void *upb_alloc_func(upb_alloc *alloc, void *ptr, size_t oldsize, size_t size);
struct upb_alloc {
  upb_alloc_func *func;
};
typedef struct upb_arena upb_arena;
typedef struct {
  upb_alloc alloc;
  char *ptr, *end;
} upb_arena_head;

typedef struct {
  bool ok;
  char msg[127];
} upb_status;

typedef struct {
  uint32_t number;
  uint16_t offset;
  int16_t presence;
  uint16_t submsg_index;
  uint8_t descriptortype;
  uint8_t label;
} upb_msglayout_field;

typedef struct upb_msglayout {
  const struct upb_msglayout *const *submsgs;
  const upb_msglayout_field *fields;
  uint16_t size;
  uint16_t field_count;
  bool extendable;
} upb_msglayout;

typedef struct {
  uintptr_t data;
  size_t len, size;
} upb_array;

typedef struct upb_symtab upb_symtab;
typedef struct upb_msgdef upb_msgdef;
typedef struct upb_filedef upb_filedef;

extern upb_alloc upb_alloc_global;
upb_arena *upb_arena_init(void *mem, size_t n, upb_alloc *alloc);
void upb_arena_free(upb_arena *a);
void *_upb_msg_new(const upb_msglayout *l, upb_arena *a);
bool upb_decode(const char *buf, size_t size, void *msg, const upb_msglayout *l, upb_arena *arena);
char *upb_encode(const void *msg, const upb_msglayout *l, upb_arena *arena, size_t *size);
upb_symtab *upb_symtab_new(void);
void upb_symtab_free(upb_symtab *s);
const upb_filedef *upb_symtab_addfile(upb_symtab *s, const void *file_proto, upb_status *status);
const upb_msgdef *upb_symtab_lookupmsg(const upb_symtab *s, const char *sym);
const upb_msglayout *upb_msgdef_layout(const upb_msgdef *m);
extern const upb_msglayout google_protobuf_FileDescriptorSet_msginit;

enum { UPB_DTYPE_MESSAGE = 11, UPB_LABEL_REPEATED = 3 };

/* ---- the peer ------------------------------------------------------------------------------- */

struct upb_peer {
  upb_symtab *symtab;
  /* The FileDescriptorSet, its bytes and upb's parse of it (whose strings point into those
   * bytes), kept as long as the symtab: upb_symtab_addfile copies names, but nothing in its
   * header says it copies everything. */
  uint8_t *fds;
  upb_arena *descriptors;
};

static void set_err(char *err, size_t errlen, const char *msg, const char *detail) {
  if (err && errlen) snprintf(err, errlen, "%s%s%s", msg, detail ? ": " : "", detail ? detail : "");
}

/* The repeated message field `number` of a parsed message, or NULL when the layout does not
 * have one (a layout that is not the one this file was written against). */
static const upb_array *const *repeated_msg_field(const void *msg, const upb_msglayout *l, uint32_t number) {
  for (uint16_t i = 0; i < l->field_count; i++) {
    const upb_msglayout_field *f = &l->fields[i];
    if (f->number != number) continue;
    if (f->descriptortype != UPB_DTYPE_MESSAGE || f->label != UPB_LABEL_REPEATED) return NULL;
    return (const upb_array *const *)(const void *)((const char *)msg + f->offset);
  }
  return NULL;
}

upb_peer *upb_peer_open(const uint8_t *fds, size_t len, char *err, size_t errlen) {
  const upb_msglayout *set_l = &google_protobuf_FileDescriptorSet_msginit;
  upb_peer *p = calloc(1, sizeof *p);
  if (!p) {
    set_err(err, errlen, "out of memory", NULL);
    return NULL;
  }
  /* One NUL byte past the end: in this version some of upb_symtab_addfile's error messages
   * print a name from the descriptor with %s, reading until a NUL (found with ASan on a set
   * whose last bytes are an invalid message name). */
  p->fds = calloc(1, len + 1);
  p->descriptors = upb_arena_init(NULL, 0, &upb_alloc_global);
  p->symtab = upb_symtab_new();
  if (!p->fds || !p->descriptors || !p->symtab) {
    set_err(err, errlen, "out of memory", NULL);
    goto fail;
  }
  void *set = _upb_msg_new(set_l, p->descriptors);
  if (len) memcpy(p->fds, fds, len);
  if (!set || !upb_decode((const char *)p->fds, len, set, set_l, p->descriptors)) {
    set_err(err, errlen, "not a serialized FileDescriptorSet", NULL);
    goto fail;
  }
  const upb_array *const *files = repeated_msg_field(set, set_l, 1);
  if (!files) {
    set_err(err, errlen, "libupb's FileDescriptorSet layout is not the one upb_peer.c expects", NULL);
    goto fail;
  }
  if (!*files || (*files)->len == 0) {
    set_err(err, errlen, "the FileDescriptorSet has no file", NULL);
    goto fail;
  }
  /* Elements are pointers to the parsed FileDescriptorProto messages. */
  const void *const *file = (const void *const *)(uintptr_t)((*files)->data & ~(uintptr_t)7);
  for (size_t i = 0; i < (*files)->len; i++) {
    upb_status status;
    status.ok = true;
    status.msg[0] = 0;
    if (!upb_symtab_addfile(p->symtab, file[i], &status)) {
      set_err(err, errlen, "upb_symtab_addfile failed", status.ok ? "(no message)" : status.msg);
      goto fail;
    }
  }
  return p;
fail:
  upb_peer_close(p);
  return NULL;
}

upb_peer *upb_peer_open_file(const char *path, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  if (!f) {
    set_err(err, errlen, "cannot open", path);
    return NULL;
  }
  uint8_t *buf = NULL;
  size_t len = 0, cap = 0;
  for (;;) {
    if (len == cap) {
      cap = cap ? cap * 2 : 64 * 1024;
      uint8_t *nb = realloc(buf, cap);
      if (!nb) {
        free(buf);
        fclose(f);
        set_err(err, errlen, "out of memory reading", path);
        return NULL;
      }
      buf = nb;
    }
    size_t n = fread(buf + len, 1, cap - len, f);
    len += n;
    if (n == 0) break;
  }
  bool failed = ferror(f) != 0;
  fclose(f);
  upb_peer *p = NULL;
  if (failed) set_err(err, errlen, "cannot read", path);
  else p = upb_peer_open(buf, len, err, errlen);
  free(buf); /* upb_peer_open keeps a copy */
  return p;
}

void upb_peer_close(upb_peer *p) {
  if (!p) return;
  if (p->symtab) upb_symtab_free(p->symtab);
  if (p->descriptors) upb_arena_free(p->descriptors);
  free(p->fds);
  free(p);
}

const upb_peer_msg *upb_peer_find(const upb_peer *p, const char *full_name) {
  const upb_msgdef *d = upb_symtab_lookupmsg(p->symtab, full_name);
  return d ? (const upb_peer_msg *)(const void *)upb_msgdef_layout(d) : NULL;
}

static const upb_msglayout *layout_of(const upb_peer_msg *m) { return (const upb_msglayout *)(const void *)m; }

size_t upb_peer_msg_size(const upb_peer_msg *m) { return layout_of(m)->size; }

upb_peer_arena *upb_peer_arena_new(void *block, size_t size) {
  if (!block) size = 0;
  return (upb_peer_arena *)(void *)upb_arena_init(block, size, &upb_alloc_global);
}

void upb_peer_arena_free(upb_peer_arena *a) { upb_arena_free((upb_arena *)(void *)a); }

size_t upb_peer_arena_used(const upb_peer_arena *a, const void *block) {
  /* upb_arena_init places the arena itself at the end of the caller's block and hands out
   * memory upwards from the block's start, so while it is still in that block its bump
   * pointer lies between the two. */
  const upb_arena_head *h = (const upb_arena_head *)(const void *)a;
  const char *start = block, *arena = (const char *)(const void *)a;
  if (!block || h->ptr < start || h->ptr > arena) return SIZE_MAX;
  return (size_t)(h->ptr - start);
}

void *upb_peer_decode(const upb_peer_msg *m, const uint8_t *buf, size_t len, upb_peer_arena *a) {
  upb_arena *arena = (upb_arena *)(void *)a;
  void *msg = _upb_msg_new(layout_of(m), arena);
  if (!msg || !upb_decode((const char *)buf, len, msg, layout_of(m), arena)) return NULL;
  return msg;
}

const uint8_t *upb_peer_encode(const upb_peer_msg *m, const void *msg, upb_peer_arena *a, size_t *len) {
  return (const uint8_t *)upb_encode(msg, layout_of(m), (upb_arena *)(void *)a, len);
}
