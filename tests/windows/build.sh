#!/usr/bin/env bash
# Builds everything the windows.* tests run under wine, with MinGW-w64 (the fixture
# windows.build):
#   1. tests/windows/cross: the runtime (static, DLL, checked), the generated code of
#      tests/schemas/alltypes and the examples, the programs of tests/windows/tests.cmake;
#   2. the Flutter plugin's Windows build (examples/flutter_plugin/windows, which builds
#      ../src/CMakeLists.txt: every runtime .c plus social.ffi.c into social_ffi.dll);
#   3. the file list of the native-assets example's build hook
#      (examples/flutter_plugin_native_assets/hook/build.dart: social.ffi.c and every
#      runtime/src/*.c, P2F_BUILD_DLL, C11) compiled and linked into social_ffi_native.dll;
# and checks the export tables of the three DLLs: each exports every P2F_EXPORT function of
# its headers and no p2f__ internal.
#   build.sh <source dir> <work dir> <protoc> <plugin> <version>
set -euo pipefail
src=$1 work=$2 protoc=$3 plugin=$4 version=$5
here=$(cd "$(dirname "$0")" && pwd)
toolchain=$here/mingw-w64-x86_64.cmake
cc=x86_64-w64-mingw32-gcc
objdump=x86_64-w64-mingw32-objdump
fail() { echo "FAIL: $*"; exit 1; }
step() { # step <name> <command...>: runs quietly, shows the log on failure
  local name=$1
  shift
  "$@" > "$work/$name.log" 2>&1 || { tail -n 60 "$work/$name.log"; fail "$name (log: $work/$name.log)"; }
}
# The names in a DLL's export table.
exports() { "$objdump" -p "$1" | sed -n '/\[Ordinal\/Name Pointer\] Table/,/^$/p' | awk '/^\t\[/ {print $NF}' | sort -u; }
# The functions a header set declares P2F_EXPORT.
declared() { grep -h '^P2F_EXPORT [^;(]*(' "$@" | grep -o '^[^(]*' | grep -o '[A-Za-z_][A-Za-z0-9_]*$' | sort -u; }
# check_exports <dll> <what> <headers...>
check_exports() {
  local dll=$1 what=$2
  shift 2
  local want have missing leaked
  want=$(declared "$@")
  have=$(exports "$dll")
  [ "$(echo "$want" | wc -l)" -ge 10 ] || fail "only [$want] declared P2F_EXPORT in $what"
  missing=$(comm -23 <(echo "$want") <(echo "$have"))
  [ -z "$missing" ] || fail "$dll does not export: $missing"
  leaked=$(grep '^p2f__' <<< "$have" || true)
  [ -z "$leaked" ] || fail "$dll exports runtime internals: $leaked"
  echo "$(basename "$dll"): exports all $(echo "$want" | wc -l) P2F_EXPORT functions of $what, no p2f__ internals ($(echo "$have" | wc -l) exports)"
}

mkdir -p "$work"
start=$(date +%s)

# 1. the cross build of the runtime, the generated code and the tests
cross=$work/cross
step cross.configure cmake -S "$here/cross" -B "$cross" -DCMAKE_TOOLCHAIN_FILE="$toolchain" \
  -DP2F_SOURCE_DIR="$src" -DP2F_VERSION="$version" -DP2F_PLUGIN="$plugin" -DP2F_PROTOC="$protoc"
step cross.build cmake --build "$cross" -j2
bin=$cross/bin
runtime_dll=$(ls "$bin"/libproto2ffi*.dll 2>/dev/null | head -1)
[ -n "$runtime_dll" ] || fail "no libproto2ffi DLL in $bin"
check_exports "$runtime_dll" "runtime/include/proto2ffi/*.h" "$src"/runtime/include/proto2ffi/*.h

# 2. examples/flutter_plugin/windows, as Flutter's Windows build adds it
plugin_build=$work/flutter_plugin
rm -rf "$plugin_build"
step flutter_plugin.configure cmake -S "$src/examples/flutter_plugin/windows" -B "$plugin_build" \
  -DCMAKE_TOOLCHAIN_FILE="$toolchain" -DCMAKE_BUILD_TYPE=Release -DPROTO2FFI_DIR="$src" \
  -DPROTOC_GEN_C_FFI="$plugin" -DPROTOC="$protoc" -DSOCIAL_FFI_GENERATED_DIR="$plugin_build/none" \
  -DCMAKE_SHARED_LINKER_FLAGS="-static-libgcc"
step flutter_plugin.build cmake --build "$plugin_build" -j2
dll=$plugin_build/shared/social_ffi.dll
[ -f "$dll" ] || fail "no $dll (dart_bindings opens <name>.dll on Windows)"
check_exports "$dll" "social.ffi.h and the runtime headers" "$plugin_build/shared/generated/social.ffi.h" \
  "$src"/runtime/include/proto2ffi/*.h
cp "$dll" "$bin/"

# 3. the native-assets build hook's sources and flags
hook=$src/examples/flutter_plugin_native_assets/hook/build.dart
grep -q "if (targetOS == OS.windows) 'P2F_BUILD_DLL': null" "$hook" || fail "$hook: no P2F_BUILD_DLL define for Windows"
grep -q "std: 'c11'" "$hook" || fail "$hook: not C11"
grep -q "root.resolve('src/generated/social.ffi.c')" "$hook" || fail "$hook: the source list changed; update build.sh"
grep -q "f.path.endsWith('.c')" "$hook" || fail "$hook: the runtime source list changed; update build.sh"
na=$work/native_assets
rm -rf "$na" && mkdir -p "$na/generated"
step native_assets.generate "$protoc" "--plugin=protoc-gen-c-ffi=$plugin" -I"$src/examples/social" \
  -I"$src/generator/proto" "--c-ffi_out=$na/generated" "--c-ffi_opt=dart=off,json=false" social.proto
sources=("$na/generated/social.ffi.c" "$src"/runtime/src/*.c)
step native_assets.build "$cc" -std=c11 -O2 -Wall -Wextra -Werror -shared -static-libgcc -DP2F_BUILD_DLL \
  -I"$na/generated" -I"$src/runtime/include" -I"$src/runtime/src" "${sources[@]}" -o "$na/social_ffi_native.dll"
check_exports "$na/social_ffi_native.dll" "social.ffi.h and the runtime headers" "$na/generated/social.ffi.h" \
  "$src"/runtime/include/proto2ffi/*.h
echo "native-assets hook: ${#sources[@]} sources (social.ffi.c and runtime/src/*.c) compiled and linked"

echo "windows build: $(ls "$bin"/*.exe | wc -l) programs, $(ls "$bin"/*.dll | wc -l) DLLs in $bin, $(( $(date +%s) - start )) s"
