/* Identifier computation (names.c) and collision checks (names_check.c). Rules at the top of
 * names.c; scopes at the top of names_check.c.
 *
 * Every identifier and output file name a backend prints is computed here and stored in the
 * model; backends print model fields and never build a name. Two steps:
 *   names_assign  in model_build, before layout: every name of files, types, fields, oneofs
 *                 and enums;
 *   names_check   after layout: the names that need the layout (names_assign_members), then
 *                 one error per collision (file.proto:LINE:COL through m->diag).
 * Everything is allocated in the model's arena. Not thread-safe (the model is not).
 */
#ifndef P2F_GEN_NAMES_H_
#define P2F_GEN_NAMES_H_

#include "model.h"

/* Fills every c_name/dart_name/macro/function/file name in the model. */
void names_assign(gen_model *m);
/* Fills the names that depend on the storage classes (after storage_decide). */
void names_assign_storage(gen_model *m);
/* Fills the names of the laid-out structs' members that depend on the layout (the Dart
 * declaration name, gen_member.dart_decl_name). Called by names_check. */
void names_assign_members(gen_model *m);
/* Runs names_assign_members, then records an error for every identifier that two elements of
 * the request would both produce in one scope. Returns false when it recorded one. */
bool names_check(gen_model *m);

bool names_is_reserved(const char *s);
/* s, or s + "_" when s is reserved. */
const char *names_escape(gen_arena *a, const char *s);
/* Dart member name of a proto name: lowerCamelCase, then escaped. */
const char *names_dart_member(gen_arena *a, const char *proto_name);
/* Whether s is a library-scope name of f that a class member would hide (gen_file.dart_scope). */
bool names_in_dart_scope(const gen_file *f, const char *s);
/* The name of the Dart padding member at offset: "_$pad8" ('$' occurs in no name derived
 * from a .proto, so it needs no check). */
const char *names_dart_padding(gen_arena *a, uint64_t offset);

#endif /* P2F_GEN_NAMES_H_ */
