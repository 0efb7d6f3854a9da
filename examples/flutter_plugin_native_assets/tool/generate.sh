#!/usr/bin/env bash
# Generates the code of this package from ../social/social.proto with protoc-gen-c-ffi:
#   src/generated/social.ffi.{h,c}      the C side, built by hook/build.dart
#   lib/src/generated/social.ffi.dart   the Dart side (dart=only: a second protoc run)
# Usage (from anywhere): examples/flutter_plugin_native_assets/tool/generate.sh [path/to/protoc-gen-c-ffi]
# The plugin defaults to build/generator/protoc-gen-c-ffi of the proto2ffi tree.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
plugin=${1:-$root/build/generator/protoc-gen-c-ffi}
protos=$root/examples/social
opts=$root/generator/proto
mkdir -p "$here/src/generated" "$here/lib/src/generated"
protoc --plugin=protoc-gen-c-ffi="$plugin" -I"$protos" -I"$opts" \
  --c-ffi_out="$here/src/generated" --c-ffi_opt=dart=off social.proto
protoc --plugin=protoc-gen-c-ffi="$plugin" -I"$protos" -I"$opts" \
  --c-ffi_out="$here/lib/src" --c-ffi_opt=dart=only,dart_path=generated social.proto
echo "generated src/generated/social.ffi.{h,c,json} and lib/src/generated/social.ffi.dart"
