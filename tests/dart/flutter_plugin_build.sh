#!/usr/bin/env bash
# Builds examples/flutter_plugin/src/CMakeLists.txt as a standalone CMake project (the way
# Flutter's Android/Linux/Windows builds use it; the build hook of
# examples/flutter_plugin_native_assets compiles the same sources), generating the C code at
# build time, and checks the shared library:
#   - it exports every function the generated header declares (nm -D), which the Dart
#     bindings look up by name, and the runtime's p2f_status_name;
#   - it exports nothing of the runtime's internals (p2f__ names);
#   - with SOCIAL_FFI_16K_PAGES=ON (the Android default) its LOAD segments are 16 KB aligned.
#   flutter_plugin_build.sh <source dir> <plugin> <protoc> <work dir> <c compiler>
set -euo pipefail
root=$1 plugin=$2 protoc=$3 work=$4 cc=$5
fail() { echo "FAIL: $*"; exit 1; }
# One build mechanism per package: Flutter refuses to build a package with a build hook
# unless native assets are enabled, and both would bundle a libsocial_ffi.
[ ! -e "$root/examples/flutter_plugin/hook" ] || fail "the ffiPlugin example has a build hook"
hook="$root/examples/flutter_plugin_native_assets/hook/build.dart"
grep -q "name: 'social_ffi_native'," "$hook" || fail "$hook: the library is not named social_ffi_native"
grep -q '^  sdk: \^3\.10\.' "$root/examples/flutter_plugin_native_assets/pubspec.yaml" \
  || fail "the native-assets example needs sdk ^3.10 (stable build hooks)"
if grep -qE '^  (hooks|code_assets|native_toolchain_c):' "$root/examples/flutter_plugin/pubspec.yaml"; then
  fail "the ffiPlugin example depends on build-hook packages"
fi
rm -rf "$work"
cmake -S "$root/examples/flutter_plugin/src" -B "$work" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=Release \
  -DPROTO2FFI_DIR="$root" -DPROTOC_GEN_C_FFI="$plugin" -DPROTOC="$protoc" \
  -DSOCIAL_FFI_GENERATED_DIR="$work/none" -DSOCIAL_FFI_16K_PAGES=ON > "$work.configure.log" 2>&1 \
  || { cat "$work.configure.log"; fail "configure"; }
cmake --build "$work" -j2 > "$work.build.log" 2>&1 || { cat "$work.build.log"; fail "build"; }
lib="$work/libsocial_ffi.so"
[ -f "$lib" ] || fail "no $lib"
header="$work/generated/social.ffi.h"
expected=$(grep -o 'P2F_EXPORT [^;]*(' "$header" | grep -o '[A-Za-z_][A-Za-z0-9_]*($' | tr -d '(' | sort -u)
n_expected=$(echo "$expected" | wc -l)
[ "$n_expected" -ge 100 ] || fail "only $n_expected exported functions found in $header"
exported=$(nm -D --defined-only "$lib" | awk '{print $3}' | sort -u)
missing=$(comm -23 <(echo "$expected") <(echo "$exported"))
[ -z "$missing" ] || fail "not exported by $lib: $missing"
grep -qx p2f_status_name <<< "$exported" || fail "p2f_status_name not exported"
leaked=$(grep '^p2f__' <<< "$exported" || true)
[ -z "$leaked" ] || fail "runtime internals exported: $leaked"
align=$(readelf -lW "$lib" | awk '$1 == "LOAD" {print $NF}' | sort -u)
[ "$align" = "0x4000" ] || fail "LOAD segments aligned to [$align], not 0x4000"
# The single translation unit CocoaPods builds for iOS and macOS: it must include every
# runtime source and compile, with the same include paths the podspecs give.
for classes in ios macos; do
  unity="$root/examples/flutter_plugin/$classes/Classes/social_ffi.c"
  want=$(cd "$root/runtime/src" && ls *.c | sort)
  have=$(grep -o '^#include "[a-z0-9_]*\.c"' "$unity" | grep -o '[a-z0-9_]*\.c' | grep -v '^social\.ffi\.c$' | sort)
  [ "$want" = "$have" ] || fail "$unity includes [$have], runtime/src has [$want]"
  "$cc" -std=c11 -Wall -Wextra -Werror -c "$unity" -I"$work/generated" -I"$root/runtime/src" \
    -I"$root/runtime/include" -o "$work/$classes-unity.o" || fail "$unity does not compile"
  nm --defined-only "$work/$classes-unity.o" > "$work/$classes-unity.nm"
  grep -q ' T social_Post_decode$' "$work/$classes-unity.nm" || fail "$classes unity: no social_Post_decode"
done
echo "flutter plugin: the iOS/macOS single translation unit includes all runtime sources and compiles"
echo "flutter plugin: libsocial_ffi.so exports all $n_expected functions of social.ffi.h, no p2f__ internals, LOAD align $align"
