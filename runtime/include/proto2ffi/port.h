/* proto2ffi/port.h: compiler and platform glue shared by the runtime and generated code.
 *
 * Contract: defines only P2F_-prefixed macros; includes nothing but <stddef.h>/<stdint.h>.
 * P2F_RUNTIME_ABI is the version of the contract between generated code and the runtime:
 * generated headers refuse to compile against a runtime with a different value.
 */
#ifndef PROTO2FFI_PORT_H_
#define PROTO2FFI_PORT_H_

#include <stddef.h>
#include <stdint.h>

#define P2F_RUNTIME_ABI 3
#define P2F_VERSION_STRING "0.1.0"

/* Symbols Dart or other foreign runtimes bind by name must stay visible even when the
 * library is built with -fvisibility=hidden. On Windows (a DLL exports only what is marked):
 *   P2F_BUILD_DLL  while compiling the sources of a DLL that contains the runtime and/or
 *                  generated code: everything marked P2F_EXPORT is exported (and nothing
 *                  else, the runtime's p2f__ internals included);
 *   P2F_USE_DLL    in a program or library that only calls such a DLL and compiles no
 *                  runtime or generated source itself: the declarations become dllimport;
 *   neither        static linking; also right for code that compiles generated sources and
 *                  links the runtime's DLL (its calls go through the import library). */
#if defined(_WIN32)
#  if defined(P2F_BUILD_DLL)
#    define P2F_EXPORT __declspec(dllexport)
#  elif defined(P2F_USE_DLL)
#    define P2F_EXPORT __declspec(dllimport)
#  else
#    define P2F_EXPORT
#  endif
#elif defined(__GNUC__) || defined(__clang__)
#  define P2F_EXPORT __attribute__((visibility("default")))
#else
#  define P2F_EXPORT
#endif

/* Compile-time checks usable from both C11 and C++11. */
#if defined(__cplusplus)
#  define P2F_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#  define P2F_ALIGNOF(type) alignof(type)
#else
#  define P2F_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#  define P2F_ALIGNOF(type) _Alignof(type)
#endif

#endif /* PROTO2FFI_PORT_H_ */
