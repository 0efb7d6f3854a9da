/* Identifier computation and collision checks (rules at the top of names.c). */
#ifndef P2F_GEN_NAMES_H_
#define P2F_GEN_NAMES_H_

#include "model.h"

/* Fills every c_name/dart_name/macro/function name in the model. */
void names_assign(gen_model *m);
/* Records an error for every type-level identifier (types, macros, functions, enum
 * constants; Dart class names) that two elements of the request would both produce. */
void names_check_types(gen_model *m);
/* Same for the members of one laid-out struct or union (has_x vs a field named has_x). */
void names_check_members(gen_model *m, const gen_struct *s);

bool names_is_reserved(const char *s);
/* s, or s + "_" when s is reserved. */
const char *names_escape(gen_arena *a, const char *s);
/* Dart member name of a proto name: lowerCamelCase, then escaped. */
const char *names_dart_member(gen_arena *a, const char *proto_name);

#endif /* P2F_GEN_NAMES_H_ */
