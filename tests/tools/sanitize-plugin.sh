#!/usr/bin/env bash
# Builds protoc-gen-c-ffi with clang -fsanitize=address,undefined in its own build tree and
# runs it over every test schema (plugin-runs.sh).
#   sanitize-plugin.sh <source dir> <build dir> <protoc> <tests dir> <options proto dir> <wkt include>
set -euo pipefail
src=$1 build=$2 protoc=$3 tests=$4 opts=$5 inc=$6
flags="-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer -g -O1"
cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS="$flags" -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined" \
  -DP2F_BUILD_TESTS=OFF -DP2F_BUILD_EXAMPLES=OFF > "$build.configure.log" 2>&1 ||
  { cat "$build.configure.log"; exit 1; }
cmake --build "$build" --target protoc-gen-c-ffi -j2 > "$build.build.log" 2>&1 ||
  { cat "$build.build.log"; exit 1; }
here=$(dirname "$0")
bash "$here/plugin-runs.sh" "$protoc" "$here/sanitized-plugin.sh" "$build/generator/protoc-gen-c-ffi" \
  "$tests" "$opts" "$inc" "$build.runs"
