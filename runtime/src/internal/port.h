/* internal/port.h: compiler, CPU and build-option macros for the runtime's own sources. Not
 * installed: generated code and the public headers see only proto2ffi/port.h, which keeps
 * what they need (the ABI number, P2F_EXPORT, the C/C++ static-assert and alignof glue).
 *
 * Contract:
 * - Every macro here starts with P2F__ (two underscores), as the runtime's internal
 *   functions start with p2f__: none can be confused with, or collide with, a public P2F_
 *   name, and a source file that defines a public-looking P2F_ macro of its own stands out.
 * - Every macro is always defined: to 0 or 1 (tested with #if, never #ifdef) or to an
 *   attribute or a string. The runtime is built with -Wundef where the compiler has it, so a
 *   misspelt name is an error instead of a silent 0.
 * - The feature macros may be set from outside (-DP2F__X86_SIMD=0 builds the portable code
 *   only, on any machine: the tests use it to build the non-x86 fallback on x86).
 * - Includes nothing.
 */
#ifndef PROTO2FFI_INTERNAL_PORT_H_
#define PROTO2FFI_INTERNAL_PORT_H_

/* ---- compiler ------------------------------------------------------------------------------- */

/* GCC or clang: __builtin_ctzll, __builtin_cpu_supports and __attribute__ are available. */
#if defined(__GNUC__) || defined(__clang__)
#define P2F__GNUC 1
#else
#define P2F__GNUC 0
#endif

/* ---- byte order ----------------------------------------------------------------------------- */

/* Little-endian: 8 bytes loaded as one word keep their order from the low end, and an array
 * of fixed32/fixed64 values in memory has the wire's layout. An unknown byte order counts as
 * big-endian, which selects the byte-by-byte code (correct everywhere). */
#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define P2F__LITTLE_ENDIAN 1
#else
#define P2F__LITTLE_ENDIAN 0
#endif

/* ---- CPU features ----------------------------------------------------------------------------- */

/* x86 with GCC or clang: functions can be compiled for SSSE3 and AVX2 with
 * __attribute__((target)) and chosen at run time with __builtin_cpu_supports. Elsewhere
 * (arm64, other compilers) only the portable scalar code is built. */
#ifndef P2F__X86_SIMD
#if (defined(__x86_64__) || defined(__i386__)) && P2F__GNUC
#define P2F__X86_SIMD 1
#else
#define P2F__X86_SIMD 0
#endif
#endif

/* ---- thread-local storage --------------------------------------------------------------------- */

/* The storage class of thread-local variables: C11's _Thread_local, or MSVC's own keyword where
 * its C mode lacks it. MinGW-w64's GCC implements both with emulated TLS (a call per access);
 * on ELF platforms they are native. */
#if defined(_MSC_VER) && !defined(__clang__) && (!defined(__STDC_VERSION__) || __STDC_VERSION__ < 201112L)
#define P2F__THREAD_LOCAL __declspec(thread)
#else
#define P2F__THREAD_LOCAL _Thread_local
#endif

/* For thread-local variables read on hot paths. In a shared library the default TLS model
 * calls __tls_get_addr on every access; glibc reserves static TLS for the initial-exec model
 * in dlopen'ed libraries, which makes the access one %fs-relative load. Other C libraries
 * keep the default model. */
#if defined(__GLIBC__) && P2F__GNUC
#define P2F__TLS_FAST __attribute__((tls_model("initial-exec")))
#else
#define P2F__TLS_FAST
#endif

/* ---- build options ------------------------------------------------------------------------------ */

/* Set to 1 by runtime/CMakeLists.txt from the CMake options of the same name without the
 * second underscore: P2F_POOL_DEBUG (checked pools, proto2ffi/pool.h) and P2F_WITH_MIMALLOC
 * (pool chunks from mimalloc, internal/chunk_alloc.h). */
#ifndef P2F__POOL_DEBUG
#define P2F__POOL_DEBUG 0
#endif
#ifndef P2F__WITH_MIMALLOC
#define P2F__WITH_MIMALLOC 0
#endif
/* The library chunk_alloc.c loads when P2F__WITH_MIMALLOC is 1. */
#ifndef P2F__MIMALLOC_SONAME
#define P2F__MIMALLOC_SONAME "libmimalloc.so.2"
#endif

/* 1 only in the test build of utf8.c (tests/runtime/CMakeLists.txt): each UTF-8 validator
 * records its name as it runs (internal/utf8.h). */
#ifndef P2F__UTF8_TRACE
#define P2F__UTF8_TRACE 0
#endif

/* 1 only in the test build of varint_pack.c: the vector code counts the blocks it writes
 * (internal/varint_pack.h). */
#ifndef P2F__VPACK_TRACE
#define P2F__VPACK_TRACE 0
#endif

#endif /* PROTO2FFI_INTERNAL_PORT_H_ */
